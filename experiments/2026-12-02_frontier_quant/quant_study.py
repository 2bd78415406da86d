"""Quantization of a trained run's float weights (issue #14, part 3): for each quantizer and compressor, the gap in
val_bpb (artifact against float, one evaluator), the bytes, and the time.

    python experiments/2026-12-02_frontier_quant/quant_study.py RUN_DIR [--variants rtn_int6,gptq_ar] [--out FILE]
        [--set FIELD=VALUE ...]   # config fields set for every variant (e.g. keep_max_numel=1024 on a tiny model)

RUN_DIR is a golf_nb run folder trained with `--save_float 1` (it holds config.json, final_model.pt and
summary.json). Every variant starts from the same float weights and changes only quantization fields of the run's
config; each is packed as `finish_run` packs (`pack_with_report`), read back, and scored by the run's own evaluator
(`eval_mode`). GPTQ's Hessians are made once per (calibration source, sequences, rope) on the GPU (they depend on the
float model only) and their time is added to each variant that uses them. Packing is CPU work (GPTQ's rounding and
brotli-11, ~80-110 s a variant on an H200 machine's CPU): `--workers N` processes pack variants while the GPU scores
the ones already packed. The float model is scored first, by the same evaluator: the gap is the artifact's val_bpb
minus that. The compressors are then compared on one payload, the recipe's (`gptq_ar`, or the first variant
run). Results go to FILE (default RUN_DIR/quant_study.json) as the study goes, so a killed study keeps what it did:
the float score first, then each variant as soon as its packing ends (packed variants are scored before each new
calibration, whose sampling can take minutes). Each worker uses its share of the CPUs less two, which stay with the
process that drives the GPU, whose sampling is eager and bound by how fast it launches kernels: on 2026-12-02
(call 10) the first 8 sequences of a cached sampling took 177.0 s while a worker packed `gptq_train` with torch's
default of a thread per CPU, the next 8 (same shapes) 39.0 s; contention is the likely cause, not a proven one.
"""
from __future__ import annotations
import argparse, multiprocessing as mp, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.config import derive, parse_value, validate  # noqa: E402
from golf_nb.data import DistributedTokenLoader, train_pattern  # noqa: E402
from golf_nb.dist import init_distributed  # noqa: E402
from golf_nb.evaluate import final_evaluation, load_eval_data  # noqa: E402
from golf_nb.files import write_json_atomic  # noqa: E402
from golf_nb.launch import as_trained, saved_config  # noqa: E402
from golf_nb.model import build_model  # noqa: E402
from golf_nb.quant import (calibrated_names, compress_payload, decompress_payload, gptq_calibration, pack_with_report,
                           quant_policy, unpack_artifact)  # noqa: E402
from golf_nb.step import autocast  # noqa: E402

GPTQ = dict(quantizer="gptq", quant_clip="search", int6_count=32)   # frontier1024's: 32 int6 matrices, the rest int5
VARIANTS = {   # name -> the quantization fields it sets on the run's config
    "rtn_int6": dict(quantizer="rtn", quant_clip="max", int6_count=0, mlp_bits=6, attn_bits=6),
    "rtn_int5": dict(quantizer="rtn", quant_clip="max", int6_count=0, mlp_bits=5, attn_bits=5),
    "rtn_int5mlp_int6attn": dict(quantizer="rtn", quant_clip="max", int6_count=0, mlp_bits=5, attn_bits=6),
    "rtn_int6_search": dict(quantizer="rtn", quant_clip="search", int6_count=0, mlp_bits=6, attn_bits=6),
    "rtn_int6_sdclip": dict(quantizer="rtn", quant_clip="sdclip", int6_count=0, mlp_bits=6, attn_bits=6),
    "gptq_train": dict(GPTQ, gptq_calib="train", mlp_bits=5, attn_bits=5),
    "gptq_train16": dict(GPTQ, gptq_calib="train", gptq_calib_seqs=16, mlp_bits=5, attn_bits=5),   # as many as gptq_ar16
    "gptq_ar16": dict(GPTQ, gptq_calib="ar", gptq_calib_seqs=16, mlp_bits=5, attn_bits=5),   # #1204's sampling (full forwards)
    "gptq_ar16_cached": dict(GPTQ, gptq_calib="ar", gptq_calib_seqs=16, gptq_gen_rope="full", mlp_bits=5, attn_bits=5),
    "gptq_ar16_compiled": dict(GPTQ, gptq_calib="ar", gptq_calib_seqs=16, gptq_gen_rope="full", gptq_gen_compile=True,
                               mlp_bits=5, attn_bits=5),   # the same samples by a compiled static-shape step: the time differs
    "gptq_ar": dict(GPTQ, gptq_calib="ar", mlp_bits=5, attn_bits=5),
    "gptq_ar_sdclip": dict(GPTQ, gptq_calib="ar", quant_clip="sdclip", mlp_bits=5, attn_bits=5),
    "gptq_ar_int6": dict(GPTQ, gptq_calib="ar", int6_count=0, mlp_bits=6, attn_bits=6)}
COMPRESSIONS = (("zstd", 0), ("zlib", 0), ("lzma", 0), ("brotli", 0), ("brotli", 2), ("zstd", 2))

def load_float_run(run_dir: Path, state):
    "`(cfg, model, sd)`: the run's config, its model on the device holding the float weights, and those weights (CPU)."
    if not (run_dir / "final_model.pt").exists():
        raise FileNotFoundError(f"{run_dir / 'final_model.pt'}: missing (train with --save_float 1)")
    cfg = saved_config(run_dir, None, state)
    sd = torch.load(run_dir / "final_model.pt", map_location="cpu", weights_only=True)
    model = build_model(cfg, init=False)
    model.load_state_dict(sd, strict=True)
    return cfg, as_trained(model, run_dir, cfg, state), sd

def train_batches(cfg, state, n: int):
    "The first `n` training micro-batches `(x, y)`, as `finish_run` hands them to a calibrated quantizer."
    loader = DistributedTokenLoader(train_pattern(cfg.data_path), 0, 1, state.device, vocab_size=cfg.vocab_size)
    for _ in range(n): yield loader.next_batch(cfg.train_batch_tokens, cfg.train_seq_len, derive(cfg, 1).grad_accum_steps)

def timed_pack(sd: dict, cfg, stats) -> tuple[bytes, object, float]:
    "`pack_with_report(sd, cfg, stats)` and its wall time: CPU work only (the Hessians are made), run in a worker."
    t0 = time.perf_counter()
    blob, rep = pack_with_report(sd, cfg, stats=stats)
    return blob, rep, time.perf_counter() - t0

def score(model, val, luts, cfg, state) -> tuple[float, float]:
    "`(val_bpb, seconds)` of `model` under `cfg`'s evaluator."
    res, ms = final_evaluation(model, val, luts, cfg, state, log=lambda line: None)
    return res.bpb, ms / 1000

def worker_threads(workers: int, cpus: int | None = None) -> int:
    "Torch threads a packing worker may use: the CPUs left after the GPU's own process (2 kept), shared by `workers`."
    return max(1, ((cpus or os.cpu_count() or 1) - 2) // max(workers, 1))

def _worker_threads(n: int) -> None: torch.set_num_threads(n)

def study(run_dir: Path, names: list[str], out: Path, log=print,
          common: dict | None = None,  # config fields set for every variant
          compressors: bool = True,  # compare the compressors on one payload at the end
          workers: int = 0  # processes packing variants while the GPU scores others (0: one after another, here)
          ) -> dict:
    "Run the variants `names` on `run_dir`'s float weights; write and return the results."
    state = init_distributed()
    cfg, model, sd = load_float_run(run_dir, state)
    cfg = replace(cfg, **(common or {}))
    luts, val = load_eval_data(cfg, state.device)
    float_bpb, float_s = score(model, val, luts, cfg, state)
    res = dict(run_dir=str(run_dir), eval_mode=cfg.eval_mode, val_tokens=int(val.numel()), float_val_bpb=float_bpb,
               float_eval_s=float_s, device=torch.cuda.get_device_name(0) if state.device.type == "cuda" else "cpu",
               common=common or {}, variants={}, compressors={})
    log(f"float val_bpb {float_bpb:.5f} ({cfg.eval_mode}, {float_s:.1f} s)")
    write_json_atomic(out, res)   # a study killed in its first calibration still has the float score
    payload, calibs, jobs = None, {}, {}   # GPTQ's Hessians by (source, sequences, rope, compiled): made once, from the float model
    pool = (ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_worker_threads,
                                initargs=(worker_threads(workers),)) if workers > 0 else None)

    def score_packed(block: bool) -> None:   # score every packed variant (all of them, waiting, if `block`)
        nonlocal payload
        ready = [n for n, (_, _, job) in jobs.items() if block or pool is None or job.done()]
        for name in ready:
            vcfg, calib, job = jobs.pop(name)
            blob, rep, pack_wall = job.result() if pool else job
            pack_s = pack_wall + (calib.gen_s + calib.hessian_s if calib else 0.0)   # calibration counted in
            if calib: rep.calib, rep.seqs, rep.gen_s, rep.hessian_s = calib.source, calib.seqs, calib.gen_s, calib.hessian_s
            model.load_state_dict(unpack_artifact(blob, sd, name), strict=True)
            bpb, eval_s = score(model, val, luts, vcfg, state)
            res["variants"][name] = dict(fields=VARIANTS[name], val_bpb=bpb, gap=bpb - float_bpb, bytes_model=len(blob),
                                         compressor=vcfg.compressor, byte_shuffle=vcfg.byte_shuffle,
                                         tensor_order=vcfg.tensor_order, pack_s=pack_s, gen_s=rep.gen_s,
                                         hessian_s=rep.hessian_s, quant_s=rep.quant_s, eval_s=eval_s, report=rep.lines())
            log(f"{name}: val_bpb {bpb:.5f} gap {bpb - float_bpb:+.5f} bytes {len(blob):,} pack {pack_s:.1f} s")
            if payload is None or name == "gptq_ar": payload = (name, decompress_payload(blob, name))
            write_json_atomic(out, res)
        if ready: model.load_state_dict(sd, strict=True)   # the float weights again, for the next calibration

    for name in names:   # calibrate on the GPU in order, pack on the CPUs, score what is packed before each calibration
        vcfg = validate(replace(cfg, **VARIANTS[name]))
        calib = None
        if vcfg.quantizer == "gptq":
            key = (vcfg.gptq_calib, vcfg.gptq_calib_seqs, vcfg.gptq_gen_rope, vcfg.gptq_gen_compile)
            if key not in calibs:
                score_packed(block=False)
                with torch.no_grad(), autocast(state.device):
                    calibs[key] = gptq_calibration(model, vcfg, train_batches(vcfg, state, vcfg.gptq_calib_seqs),
                                                   calibrated_names(sd, quant_policy(vcfg)), log)
            calib = calibs[key]
        args = (sd, vcfg, calib and calib.hessians)
        jobs[name] = (vcfg, calib, pool.submit(timed_pack, *args) if pool else timed_pack(*args))
        score_packed(block=False)
    score_packed(block=True)
    if pool: pool.shutdown()
    if payload is not None and compressors:
        res["compressors_payload"] = payload[0]
        for comp, shuffle in COMPRESSIONS:
            t0 = time.perf_counter(); blob = compress_payload(payload[1], comp, header=True, shuffle=shuffle)
            t1 = time.perf_counter(); back = decompress_payload(blob, comp)
            t2 = time.perf_counter()
            assert back == payload[1], f"{comp}: the round trip changed the payload"
            key = comp + (f"+shuffle{shuffle}" if shuffle else "")
            res["compressors"][key] = dict(bytes=len(blob), compress_s=t1 - t0, decompress_s=t2 - t1)
            log(f"{key}: {len(blob):,} bytes, {t1 - t0:.1f} s, back in {t2 - t1:.2f} s")
        write_json_atomic(out, res)
    return res

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, from: {', '.join(VARIANTS)}")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--compressors", type=int, default=1, help="1: compare the compressors at the end (0: skip; "
                    "compressors.py compares them on a returned artifact without a GPU)")
    ap.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                    help="processes that pack variants in parallel (brotli-11 takes ~80-110 s a variant), 0: none")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="a config field for every variant")
    ns = ap.parse_args()
    bad_set = [s for s in ns.set if "=" not in s]
    if bad_set: sys.exit(f"quant_study: --set takes FIELD=VALUE, got {bad_set[0]!r}")
    names = [v for v in ns.variants.split(",") if v]
    bad = [v for v in names if v not in VARIANTS]
    if bad: sys.exit(f"quant_study: unknown variant(s) {', '.join(bad)}; known: {', '.join(VARIANTS)}")
    try:
        common = {k: parse_value(k, v) for k, v in (s.split("=", 1) for s in ns.set)}
        study(ns.run_dir, names, ns.out or ns.run_dir / "quant_study.json", common=common, compressors=bool(ns.compressors),
              workers=ns.workers)
    except (FileNotFoundError, ValueError) as e: sys.exit(f"quant_study: {e}")
