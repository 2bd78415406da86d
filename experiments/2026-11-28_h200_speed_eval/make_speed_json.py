"""Summarise the lanes of the GPU speed scripts (h200x4_profile.sh, h200_proxies.sh) as one JSON object.

    python experiments/2026-11-28_h200_speed_eval/make_speed_json.py RESULTS_DIR [MORE_DIRS...] [--out FILE] [--command TEXT]
    python experiments/2026-11-28_h200_speed_eval/make_speed_json.py experiments/2026-11-28_h200_speed_eval/logs/{s3_profile2,s3_proxies} --out experiments/2026-11-28_h200_speed_eval/h200_speed_eval.json --command TEXT

The folders hold the lanes' files (seed_script_gpuG.log, golf_gpuG_vI.json, p180_golf_nb_SEED.json,
eval_vs_seed_SEED.json, machine.txt). Every number is read from those files:
- training speed: for each golf_nb variant, the seed script's step time on the SAME GPU (run just before it) over
  golf_nb's, and how far its per-step training losses are from the seed script's (same data, seed, constant LR);
- the proxy: golf_bench's p180 runs (post-quantization sliding val_bpb, mean over seeds);
- evaluation: the seed's eval_val_sliding against golf_nb's on one artifact (eval_vs_seed.py).
The fastest variant whose mean loss gap is within 0.02 of the seed script's (its run-to-run gap on two GPUs was
0.011 on 2026-11-28) gives `speedup_vs_seed`.
"""
from __future__ import annotations
import argparse, json, re, sys
from pathlib import Path

from golf_nb.bench import parse_train_log
from golf_nb.train import write_json_atomic

KNOBS = ("attn_backend", "gqa_native", "muon_batched", "grad_accum_steps", "compile_mode", "inductor_config")


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
        knobs = {k: r["config"].get(k, "") for k in KNOBS}   # inductor_config is newer than some logs
        out.append(dict(gpu=gpu, file=f.name, knobs=knobs, step_avg_ms=r["step_avg_ms"],
                        step_median_ms=r["step_median_ms"], tokens_per_s=r["tokens_per_s"], mfu=r["mfu"],
                        peak_mem_mib=r["peak_mem_mib"], seed_step_ms=seed_ms, seed_steps=s and s["steps"],
                        speedup_vs_seed=seed_ms / r["step_avg_ms"] if seed_ms else None,
                        loss_gap_vs_seed=loss_gap(r["train_losses"], s["train"]) if s else None, command=r["command"]))
    return out


def pick(vs: list, limit: float = 0.02):
    "The fastest variant, without a compile_mode change, whose mean loss gap to the seed script is within `limit`."
    ok = [v for v in vs if v["loss_gap_vs_seed"] and v["loss_gap_vs_seed"]["mean_abs"] is not None
          and v["loss_gap_vs_seed"]["mean_abs"] <= limit and v["knobs"]["compile_mode"] == "default"]
    return min(ok, key=lambda v: v["step_avg_ms"]) if ok else None, limit


def seed_noise(dirs: list) -> list:
    "The loss gap between the seed script's own runs in one folder (same data and seed, other GPU): the noise floor."
    out = []
    for d in dirs:
        logs = [parse_train_log(f) for f in sorted(d.glob("seed_script_gpu*.log"))]
        logs = [l for l in logs if l["train"]]
        out += [dict(folder=str(d), **loss_gap([x for _, x in logs[0]["train"]], logs[i]["train"])) for i in range(1, len(logs))]
    return out


def summarise(dirs: list, command: str = "") -> dict:
    vs = [v for d in dirs for v in variants(d)]
    best, limit = pick(vs)
    by_seed = lambda pat: {int(re.search(r"_(\d+)\.json$", f.name)[1]): json.loads(f.read_text())
                           for d in dirs for f in sorted(d.glob(pat))}
    proxies, evals = by_seed("p180_golf_nb_*.json"), by_seed("eval_vs_seed_*.json")
    any_speed = max(vs, key=lambda v: v["speedup_vs_seed"] or 0) if vs else None
    bpbs = [p["proxy_val_bpb"] for p in proxies.values() if p.get("proxy_val_bpb") is not None]
    ev = max(evals.values(), key=lambda e: e["eval_speedup_vs_seed"]) if evals else None
    def machine_of(d: Path) -> str:   # "4 x NVIDIA H200" from the lane folder's nvidia-smi -L lines
        gpus = [l for l in (d / "machine.txt").read_text().splitlines() if l.startswith("GPU ")]
        return f"{len(gpus)} x {gpus[0].split(': ', 1)[1].split(' (')[0]}"
    machines = [f"{d.name}: {machine_of(d)}" for d in dirs if (d / "machine.txt").exists()]
    return dict(
        kind="h200_speed_eval", date=next((p["date"] for p in proxies.values()), None), command=command,
        machine="; ".join(machines) + " (each folder one machine, each lane on its own GPU)" if machines else None,
        proxy_val_bpb=sum(bpbs) / len(bpbs) if bpbs else None,
        speedup_vs_seed=best and best["speedup_vs_seed"], eval_speedup_vs_seed=ev and ev["eval_speedup_vs_seed"],
        fastest_variant_any=any_speed and dict(speedup_vs_seed=any_speed["speedup_vs_seed"], knobs=any_speed["knobs"]),
        sources=[str(d) for d in dirs],
        evaluation_best_batch_seqs=ev and ev["best_batch_seqs"], fastest_matching_variant=best, loss_gap_limit=limit,
        seed_script_run_to_run=seed_noise(dirs), variants=vs,
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
    p.add_argument("--command", default="", help="the command(s) that made the folders, recorded in the JSON")
    ns = p.parse_args(argv)
    rep = summarise(ns.res, ns.command)
    write_json_atomic(ns.out or ns.res[0] / "speed_eval.json", rep)
    for v in rep["variants"]:
        g = v["loss_gap_vs_seed"] or {}
        print(f"gpu{v['gpu']} {v['knobs']}: {v['step_avg_ms']:.1f} ms (seed {v['seed_step_ms']}), "
              f"speed-up {v['speedup_vs_seed']}, loss gap mean {g.get('mean_abs')} max {g.get('max_abs')}")
    print(f"proxy_val_bpb {rep['proxy_val_bpb']} speedup_vs_seed {rep['speedup_vs_seed']} "
          f"eval_speedup_vs_seed {rep['eval_speedup_vs_seed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
