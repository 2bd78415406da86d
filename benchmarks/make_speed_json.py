"""Summarise runs of benchmarks/h200x4_speed_eval.sh and benchmarks/proxy_eval_x2lanes.sh as one JSON object.

    python benchmarks/make_speed_json.py RESULTS_DIR [MORE_DIRS...] [--out FILE] [--pick FILE]
    python benchmarks/make_speed_json.py benchmarks/logs/h200_2026-11-28/{speed,proxy_eval} --out benchmarks/h200_speed_eval.json

The folders hold the lanes' files (seed_script_gpuG.log, golf_gpuG_vI.json, p180_golf_nb_SEED.json,
eval_vs_seed_SEED.json, machine.txt). Every number is read from those files:
- training speed: for each golf_nb variant, the seed script's step time on the SAME GPU (run just before it) over
  golf_nb's, and how far its per-step training losses are from the seed script's (same data, seed, constant LR);
- the proxy: golf_bench's p180 runs (post-quantization sliding val_bpb, mean over seeds);
- evaluation: the seed's eval_val_sliding against golf_nb's on one artifact (eval_vs_seed.py).
`--pick` writes the knobs of the fastest variant whose losses match, for the next run to use.
A variant with attn_backend=cudnn and gqa_native=1 does not count as keeping the maths: on the 2026-11-28 runs the
seed's own attention scored weights trained with it 0.23-0.28 bpb worse than that kernel did (eval_vs_seed_*.json), so
its speed is reported but never picked (golf_nb.model.attention_caveat).
"""
from __future__ import annotations
import argparse, json, re, sys
from pathlib import Path

from golf_nb.bench import parse_train_log
from golf_nb.config import preset
from golf_nb.model import attention_caveat
from golf_nb.train import write_json_atomic

COMMAND = ("SET=2026-11-28 bash benchmarks/h200x4_speed_eval.sh (speed lanes); PROXY='--attn_backend cudnn --gqa_native 1 "
           "--muon_batched 1 --eval_batch_seqs 128' bash benchmarks/proxy_eval_x2lanes.sh (proxy and evaluation)")
KNOBS = ("attn_backend", "gqa_native", "muon_batched", "grad_accum_steps", "compile_mode")


def loss_gap(ours: list, seed_train: list) -> dict:
    "Mean and max |ours - seed| of the training losses at the steps both have (steps count from 1)."
    ref = dict(seed_train)
    d = [abs(l - ref[i + 1]) for i, l in enumerate(ours) if i + 1 in ref]
    return dict(steps=len(d), mean_abs=sum(d) / len(d) if d else None, max_abs=max(d, default=None),
                first10_mean_abs=sum(d[:10]) / len(d[:10]) if d else None)


def variants(res: Path) -> list:
    "Every golf_nb variant with its speed-up over the seed script on the same GPU and its loss gap."
    out = []
    for f in sorted(res.glob("golf_gpu*_v*.json")):
        gpu = int(re.match(r"golf_gpu(\d+)_v\d+\.json", f.name)[1])
        seed_log = res / f"seed_script_gpu{gpu}.log"
        s = parse_train_log(seed_log) if seed_log.exists() else None
        r = json.loads(f.read_text())
        seed_ms = s["step_avg_ms"] if s and s["train"] else None
        knobs = {k: r["config"][k] for k in KNOBS}
        out.append(dict(gpu=gpu, file=f.name, knobs=knobs, step_avg_ms=r["step_avg_ms"],
                        keeps_maths=attention_caveat(preset("seed465", **{k: knobs[k] for k in ("attn_backend", "gqa_native")})) is None,
                        step_median_ms=r["step_median_ms"], tokens_per_s=r["tokens_per_s"], mfu=r["mfu"],
                        peak_mem_mib=r["peak_mem_mib"], seed_step_ms=seed_ms, seed_steps=s and s["steps"],
                        speedup_vs_seed=seed_ms / r["step_avg_ms"] if seed_ms else None,
                        loss_gap_vs_seed=loss_gap(r["train_losses"], s["train"]) if s else None, command=r["command"]))
    return out


def pick(vs: list, tol: float = 2.0):
    "The fastest variant that keeps the maths, without a compile_mode change, whose loss gap is within `tol` x the seed knobs'."
    base = [v for v in vs if v["knobs"]["attn_backend"] == "flash" and v["loss_gap_vs_seed"]]
    limit = max(0.02, tol * base[0]["loss_gap_vs_seed"]["mean_abs"]) if base else 0.02
    ok = [v for v in vs if v["loss_gap_vs_seed"] and v["loss_gap_vs_seed"]["mean_abs"] is not None and v["keeps_maths"]
          and v["loss_gap_vs_seed"]["mean_abs"] <= limit and v["knobs"]["compile_mode"] == "default"]
    return min(ok, key=lambda v: v["step_avg_ms"]) if ok else None, limit


def summarise(dirs: list) -> dict:
    vs = [v for d in dirs for v in variants(d)]
    best, limit = pick(vs)
    by_seed = lambda pat: {int(re.search(r"_(\d+)\.json$", f.name)[1]): json.loads(f.read_text())
                           for d in dirs for f in sorted(d.glob(pat))}
    proxies, evals = by_seed("p180_golf_nb_*.json"), by_seed("eval_vs_seed_*.json")
    any_speed = max(vs, key=lambda v: v["speedup_vs_seed"] or 0) if vs else None
    bpbs = [p["proxy_val_bpb"] for p in proxies.values() if p.get("proxy_val_bpb") is not None]
    ev = max(evals.values(), key=lambda e: e["eval_speedup_vs_seed"]) if evals else None
    machine = next((d / "machine.txt").read_text().strip().splitlines() for d in dirs if (d / "machine.txt").exists())
    return dict(
        kind="h200_speed_eval", date=next((p["date"] for p in proxies.values()), None), command=COMMAND,
        machine=(f"{sum(l.startswith('GPU ') for l in machine)} x {machine[0].split(': ', 1)[1].split(' (')[0]} "
                 "(one machine, each lane on its own GPU)") if machine else None,
        proxy_val_bpb=sum(bpbs) / len(bpbs) if bpbs else None,
        speedup_vs_seed=best and best["speedup_vs_seed"], eval_speedup_vs_seed=ev and ev["eval_speedup_vs_seed"],
        fastest_variant_any=any_speed and dict(speedup_vs_seed=any_speed["speedup_vs_seed"], knobs=any_speed["knobs"],
                                              keeps_maths=any_speed["keeps_maths"]),
        sources=[str(d) for d in dirs],
        evaluation_best_batch_seqs=ev and ev["best_batch_seqs"], fastest_matching_variant=best, loss_gap_limit=limit, variants=vs,
        proxy_runs={s: {k: p.get(k) for k in ("proxy_val_bpb", "pre_quant_val_bpb", "steps", "step_avg_ms", "eval_time_s",
                                               "bytes_model", "bytes_total", "peak_mem_mib", "mfu", "command")}
                    for s, p in proxies.items()},
        evaluation={s: {k: e.get(k) for k in ("seed", "best_batch_seqs", "bpb_diff_seed_scoring",
                                               "bpb_once_minus_seed_scoring", "eval_speedup_vs_seed",
                                               "eval_speedup_vs_seed_with_compile", "golf_nb", "val_tokens")}
                    for s, e in evals.items()})


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("res", type=Path, nargs="+", help="results folders of one session's lanes")
    p.add_argument("--out", type=Path, default=None, help="default: the first folder's speed_eval.json")
    p.add_argument("--pick", type=Path, default=None, help="write the chosen variant's knobs here")
    p.add_argument("--pick_world", type=int, default=4, help="ranks of the run the picked knobs are for")
    ns = p.parse_args(argv)
    rep = summarise(ns.res)
    write_json_atomic(ns.out or ns.res[0] / "speed_eval.json", rep)
    for v in rep["variants"]:
        g = v["loss_gap_vs_seed"] or {}
        print(f"gpu{v['gpu']} {v['knobs']} keeps_maths={v['keeps_maths']}: {v['step_avg_ms']:.1f} ms (seed {v['seed_step_ms']}), "
              f"speed-up {v['speedup_vs_seed']}, loss gap mean {g.get('mean_abs')} max {g.get('max_abs')}")
    print(f"proxy_val_bpb {rep['proxy_val_bpb']} speedup_vs_seed {rep['speedup_vs_seed']} "
          f"eval_speedup_vs_seed {rep['eval_speedup_vs_seed']}")
    best = rep["fastest_matching_variant"]
    if ns.pick and best:
        k, a = best["knobs"], best["knobs"]["grad_accum_steps"]
        a = max(1, a // ns.pick_world) if a else 0   # the same sequences per micro-step on each of pick_world ranks
        ns.pick.write_text(f"--attn_backend {k['attn_backend']} --gqa_native {int(k['gqa_native'])} "
                           f"--muon_batched {int(k['muon_batched'])} --grad_accum_steps {a}"
                           + (f" --eval_batch_seqs {rep['evaluation_best_batch_seqs']}" if rep["evaluation_best_batch_seqs"] else "") + "\n")
        print(f"picked: {ns.pick.read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
