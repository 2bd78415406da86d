#!/usr/bin/env python3
"""Quantization study: per-tensor error of int5/int6/int8, bytes by category, zstd-22 against zlib-9.

Two models:
1. a small model trained now on CPU (seed465's recipe and quantization policy, shrunk: see CPU_OVERRIDES) on the
   first documents of ../shared/data/train_text/fineweb_legal.jsonl.xz, validated on the first tokens of the
   official validation prefix; trained with golf_nb.train's own loop (setup_run / run_training / finish_run), so its
   summary has val_bpb before and after the artifact round trip;
2. the full seed465 model (24,730,705 parameters) at initialisation, for the byte split at full size.

Writes quant_study.json beside this script and copies the CPU run's log and summary to
logs/quant_study_cpu_2026-11-28.{log,_summary.json} there. About 4-5 minutes on 2 idle CPU cores (12 on a busy shared machine).

    python experiments/2026-11-28_quant_study/quant_study.py [--shared ../shared/data] [--iterations 60]
"""
from __future__ import annotations
import dataclasses, io, json, os, shutil, sys, tempfile, time
from pathlib import Path
import torch
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lib"))   # the shared helpers
from provenance import ROOT, provenance, script_parser, write_result  # noqa: E402

DATE = "2026-11-28"
# The CPU model: seed465 with fewer, narrower layers. d=384 with 6 heads of 64 and 3 KV heads keeps every attention
# matrix above the policy's 65,536-element keep threshold (c_k is 192x384), so the kinds are the seed's: int5 MLP,
# int6 attention, fp16 embedding and last c_k, int8 bigram table, small tensors passed through.
CPU_OVERRIDES = dict(num_layers=4, model_dim=384, num_heads=6, num_kv_heads=3, train_seq_len=256,
                     train_batch_tokens=4096, grad_accum_steps=1, warmup_steps=0, max_wallclock_seconds=0.0,
                     val_loss_every=0, train_log_every=5, val_batch_size=4096, val_max_tokens=65_536,
                     eval_stride=0, eval_batch_seqs=16, swa_enabled=False, muon_momentum_warmup_steps=20,
                     torch_compile=False, seed=1337)


def timed(fn, repeat=1):
    "(result, best wall seconds over `repeat` calls)."
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter(); out = fn(); best = min(best, time.perf_counter() - t)
    return out, best


def make_data(shared: Path, tmp: Path, max_docs: int) -> dict:
    "Training shard from the first `max_docs` fineweb_legal documents; the official validation prefix beside it."
    from golf_nb.shards import iter_docs, tokenize_to_shards
    src = shared / "train_text/fineweb_legal.jsonl.xz"
    docs = []
    for t in iter_docs(src):
        docs.append(t)
        if len(docs) >= max_docs: break
    sub = tmp / "train_subset.jsonl"
    sub.write_text("".join(json.dumps({"text": t}) + "\n" for t in docs), encoding="utf-8")
    st = tokenize_to_shards(shared / "tokenizers/fineweb_1024_bpe.model", [sub], tmp / "data", "train",
                            progress=False)
    shutil.copy(shared / "fineweb_val_prefix/fineweb_val_000000.bin", tmp / "data/fineweb_val_000000.bin")
    return dict(source=os.path.relpath(src, ROOT), docs=st["docs"], tokens=st["tokens"], text_bytes=st["text_bytes"])


def width_errors(sd: dict) -> list[dict]:
    "Relative RMS error of every matrix with more than 65,536 elements under int5, int6 and int8 (policy-free)."
    from golf_nb.quant import quantize_rows, quantize_rows_clip, dequantize_rows
    rows = []
    for name, t in sd.items():
        if t.ndim != 2 or t.numel() <= 65_536: continue
        w = t.detach().double()
        r = dict(name=name, shape=list(t.shape), params=t.numel(), rms=w.pow(2).mean().sqrt().item(),
                 kurtosis=((w - w.mean()) ** 4).mean().item() / max(w.var().item() ** 2, 1e-300))
        amax = w.abs().amax(dim=1)  # (rows,): what sets each row's scale
        r.update(row_absmax_median=amax.median().item(), rows_below_int8_floor=int((amax < 1.0).sum()), rows=t.shape[0])
        r["zero"] = not bool(w.any())  # a zero-initialised matrix: exact in every format (error 0)
        for label, (q, s) in (("int5", quantize_rows(t, 5)), ("int6", quantize_rows(t, 6)),
                              ("int8", quantize_rows_clip(t))):
            err = (w - dequantize_rows(q, s).double()).norm().item()
            r[f"rel_rmse_{label}"] = 0.0 if r["zero"] else err / w.norm().item()
        rows.append(r)
    return rows


def compressor_compare(sd: dict, cfg, repeat: int) -> dict:
    "Artifact bytes and compress / decompress seconds of zstd-22 and zlib-9 on the same torch.save payload."
    from golf_nb.quant import quantize_state_dict, compress_payload, decompress_payload
    q, meta = quantize_state_dict(sd, cfg)
    buf = io.BytesIO(); torch.save({"w": q, "m": meta}, buf); raw = buf.getvalue()
    out = dict(payload_bytes=len(raw))
    for comp in ("zstd", "zlib"):
        blob, t_c = timed(lambda: compress_payload(raw, comp), repeat)
        back, t_d = timed(lambda: decompress_payload(blob), repeat)
        assert back == raw
        out[comp] = dict(bytes=len(blob), compress_s=t_c, decompress_s=t_d)
    return out


def embed_formats(emb: torch.Tensor) -> dict:
    "Stored and zstd-22 bytes of one trained embedding table as fp16, int8 (clipped) and int6 (in int8)."
    from golf_nb.quant import quantize_tensor, compress_payload, _stored_bytes
    out = {}
    for fmt in ("fp16", "int8", "int6"):
        raw = b"".join(_stored_bytes(x) for x in quantize_tensor(emb, fmt) if x is not None)
        out[fmt] = dict(bytes_stored=len(raw), bytes_compressed=len(compress_payload(raw, "zstd")))
        out[fmt]["ratio"] = out[fmt]["bytes_compressed"] / out[fmt]["bytes_stored"]
    return out


def groups(sd, cfg) -> dict:
    from golf_nb.quant import bytes_by_group
    return {by: {comp: bytes_by_group(sd, cfg, by=by, compressor=comp) for comp in ("zstd", "zlib")}
            for by in ("category", "kind")}


def main(argv=None) -> int:
    p = script_parser(__doc__, HERE / "quant_study.json")
    p.add_argument("--iterations", type=int, default=60, help="optimizer steps of the CPU model")
    p.add_argument("--max_docs", type=int, default=300, help="fineweb_legal documents to tokenize for training")
    p.add_argument("--val_max_tokens", type=int, default=CPU_OVERRIDES["val_max_tokens"], help="validation tokens scored")
    p.add_argument("--skip_seed", action="store_true", help="skip the seed465 model at initialisation (debugging)")
    p.add_argument("--keep_tmp", action="store_true")
    a = p.parse_args(argv)
    torch.set_flush_denormal(True)
    from dataclasses import asdict
    from golf_nb.config import preset
    from golf_nb.dist import init_distributed
    from golf_nb.model import build_model, count_params
    from golf_nb.train import setup_run, run_training, finish_run
    from golf_nb.quant import quant_error_report, quant_policy, pack_artifact
    shared = Path(a.shared).resolve()
    tok = shared / "tokenizers/fineweb_1024_bpe.model"
    inputs = dict(train_text=shared / "train_text/fineweb_legal.jsonl.xz", tokenizer=tok,
                  val_shard=shared / "fineweb_val_prefix/fineweb_val_000000.bin")
    res = dict(provenance=provenance(inputs))
    t_all = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="golf_quant_study_"))
    try:
        # 1. data
        (tmp / "data").mkdir()
        res["train_data"], t = timed(lambda: make_data(shared, tmp, a.max_docs))
        res["train_data"]["seconds"] = t
        print("data:", res["train_data"], flush=True)
        # 2. the CPU run, with golf_nb.train's own steps, keeping the float weights before the artifact
        cfg = preset("seed465", data_path=str(tmp / "data"), tokenizer_path=str(tok), run_id="quant_study_cpu",
                     run_dir=str(tmp / "run"), iterations=a.iterations, warmdown_iters=max(a.iterations // 3, 1),
                     **{**CPU_OVERRIDES, "val_max_tokens": a.val_max_tokens})
        state = init_distributed(use_cuda=False)
        t0 = time.perf_counter()
        r = setup_run(cfg, state)
        tr = run_training(r, state)
        sd = {k: v.detach().cpu().clone() for k, v in r["base_model"].state_dict().items()}
        summary = finish_run(r, tr, state)
        res["cpu_run"] = dict(config={k: v for k, v in asdict(r["cfg"]).items() if k not in ("data_path", "run_dir")},
                              summary=summary, wall_s=time.perf_counter() - t0)
        print("cpu run:", {k: summary[k] for k in ("steps", "pre_quant_val_bpb", "val_bpb", "bytes_model")}, flush=True)
        logs = HERE / "logs"
        shutil.copy(Path(r["cfg"].run_dir) / "log.txt", logs / f"quant_study_cpu_{DATE}.log")
        shutil.copy(Path(r["cfg"].run_dir) / "summary.json", logs / f"quant_study_cpu_{DATE}_summary.json")
        # 3. error and bytes of the trained checkpoint
        pol = quant_policy(r["cfg"])
        res["cpu_policy"] = dataclasses.asdict(pol)
        res["cpu_error"] = [dict(x, shape=list(x["shape"])) for x in quant_error_report(sd, pol)]
        res["cpu_width_error"] = width_errors(sd)
        res["cpu_groups"] = groups(sd, pol)
        res["cpu_compressors"] = compressor_compare(sd, pol, repeat=3)
        res["cpu_artifact_bytes"] = len(pack_artifact(sd, pol))
        res["cpu_embed_formats"] = embed_formats(sd["tok_emb.weight"])
        print("cpu compressors:", res["cpu_compressors"], flush=True)
        # 4. the seed465 model at initialisation
        if a.skip_seed: return 0
        scfg = preset("seed465")
        torch.manual_seed(1337)
        m, t = timed(lambda: build_model(scfg))
        ssd = {k: v.detach().clone() for k, v in m.state_dict().items()}
        spol = quant_policy(scfg)
        res["seed_init"] = dict(n_params=count_params(m), build_s=t,
                                zero_tensors=[k for k, v in ssd.items() if v.is_floating_point() and v.numel() > 65_536
                                              and not v.any()],
                                groups=groups(ssd, spol), compressors=compressor_compare(ssd, spol, repeat=1),
                                width_error=width_errors(ssd))
        print("seed init compressors:", res["seed_init"]["compressors"], flush=True)
    finally:
        if not a.keep_tmp: shutil.rmtree(tmp, ignore_errors=True)
    res["total_wall_s"] = time.perf_counter() - t_all
    out = Path(a.out)
    write_result(out, res)
    print(f"wrote {out} in {res['total_wall_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
