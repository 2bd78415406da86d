"""Summarise run.sh's files as record_batch_speed.json and append their ledger rows (issue #16, items 2, 3 and 5).

    python experiments/2026-12-02_record_batch_speed/make_record_batch_json.py [LOGS] [--out FILE] [--command TEXT]
        [--ledger FILE | --no_ledger]

LOGS (default: logs/ beside this script) holds the unpacked record_batch_speed.tgz: machine.txt, times.txt,
ledger_rows.csv (golf_ablate's rows of the golf_nb runs), VARIANT_s1337.json and .log (golf_bench's records),
seed_script.log and seed_script.log.stamps. Every number is read from those files:
- step time: the mean over the timed steps; golf_bench's `step_times_ms`, and for the seed's script the differences of
  its cumulative `train_time` (its mean is train_time / steps, as its own step_avg);
- compilation and warm-up (item 3): golf_bench's `warmup_s` (compilation, the warm-up steps, the restore); for the
  seed's script the same span from the stamps run.sh polled every 0.5 s (launch to step 1 logged, less step 1's
  own time, less launch to its `seed:` line, the last before its warm-up); and each run's wall time in times.txt;
- losses (item 5): every step's training loss, fused against unfused and each against the seed's script, beside
  the seed's script against itself on two GPUs of one host, same data and seed (the committed 2026-11-28 logs).
Ledger rows: golf_ablate's, with `log` pointing at the committed record, and one for the seed's script
(`script:seed465`) from its log; a row whose `log` the ledger already has is not appended again.
"""
from __future__ import annotations
import argparse, json, re, statistics, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
from golf_nb.bench import bench_config, flops_per_token, H200_BF16_TFLOPS, parse_train_log  # noqa: E402
from golf_nb.ledger import append_rows, read_ledger, ledger_row  # noqa: E402
from golf_nb.train import write_json_atomic  # noqa: E402

GOAL_MS, MOONSHOT_MS = 450.0, 410.0  # issue #16: golf_nb's step at the record's batch, alone on one H200
VARIANTS = ("fused", "unfused")  # run.sh's golf_nb runs, in the order it runs them
SEED = 1337
SPREAD_DIRS = ("speed", "s3_profile1", "s3_profile2")  # 2026-11-28 folders with the seed's script on GPUs 0 and 1
SPREAD_ROOT = ROOT / "experiments/2026-11-28_h200_speed_eval/logs"


def shown(p: Path) -> str:
    "`p` relative to the repository when inside it (the ledger's `log` column), else as it is."
    p = Path(p).resolve()
    return p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p)


def read_machine(logs: Path) -> dict:
    "Date, budget, steps, git and GPU name from machine.txt."
    t = (logs / "machine.txt").read_text()
    grab = lambda pat, cast=str: (lambda m: cast(m[1]) if m else None)(re.search(pat, t, re.M))
    return dict(date=grab(r"^date (\d{4}-\d{2}-\d{2})"), budget_s=grab(r"^budget_s (\d+)", int),
                steps=grab(r"^budget_s \d+ steps (\d+)", int), git=grab(r"^git (\S+)"),
                gpu=grab(r"^GPU 0: (.*?) \(UUID"), torch=grab(r"\btorch (\S+)"), triton=grab(r"^triton (\S+)"))


def read_call(logs: Path) -> tuple[dict, dict, dict]:
    "What every record-batch call leaves: machine.txt, times.txt, and golf_ablate's rows by variant (ledger_rows.csv)."
    rows_f = logs / "ledger_rows.csv"
    golf_rows = {r["variant"]: r for r in read_ledger(rows_f)} if rows_f.exists() else {}
    return read_machine(logs), read_times(logs), golf_rows


def read_times(logs: Path) -> dict:
    "Per stage of run.sh: start, end, wall seconds, exit code and time limit, or skipped; and the GPU before it."
    out = {}
    f = logs / "times.txt"
    for line in (f.read_text().splitlines() if f.exists() else []):
        w = line.split()
        if w[:1] == ["stage"] and w[2] == "skipped": out[w[1]] = dict(skipped=True, left_s=int(w[4]))
        elif w[:1] == ["stage"]:
            kv = dict(zip(w[2::2], map(int, w[3::2])))
            out[w[1]] = dict(out.get(w[1], {}), skipped=False, wall_s=kv["end_s"] - kv["start_s"], **kv)
        elif w[:1] == ["gpu_before"]: out.setdefault(w[1], {})["gpu_before"] = " ".join(w[2:])
    return out


def loss_gap(a: dict, b: dict) -> dict:
    "Mean and max |a - b| of two {step: loss} over the steps both have."
    d = [abs(a[s] - b[s]) for s in sorted(a) if s in b]
    return dict(steps=len(d), mean_abs=sum(d) / len(d) if d else None, max_abs=max(d, default=None))


def seed_spread() -> list:
    "The seed's script against itself on GPUs 0 and 1 of one host, same data and seed (2026-11-28): the noise."
    out = []
    for d in SPREAD_DIRS:
        a, b = (parse_train_log(SPREAD_ROOT / d / f"seed_script_gpu{g}.log") for g in (0, 1))
        out.append(dict(folder=shown(SPREAD_ROOT / d), **loss_gap(dict(a["train"]), dict(b["train"]))))
    return out


def golf_run(logs: Path, name: str, rows: dict) -> dict:
    "One golf_nb run: its golf_bench record if it wrote one, else how its ledger row says it ended."
    rec_f, row = logs / f"{name}_s{SEED}.json", rows.get(name)
    base = dict(status=row["status"] if row else "missing", record=rec_f.name if rec_f.exists() else None,
                notes=row["notes"] if row else "")
    if not rec_f.exists(): return base
    r = json.loads(rec_f.read_text())
    t = r["step_times_ms"]
    return dict(base, steps=r["steps"], step_avg_ms=r["step_avg_ms"], step_median_ms=statistics.median(t),
                step_min_ms=min(t), step_max_ms=max(t), tokens_per_s=r["tokens_per_s"], mfu=r["mfu"],
                flops_per_token=r["flops_per_token"], peak_tflops=r["peak_tflops"], peak_mem_mib=r["peak_mem_mib"],
                warmup_steps=r["warmup_steps"], warmup_s=r.get("warmup_s"), train_batch_tokens=r["train_batch_tokens"],
                train_seq_len=r["train_seq_len"], grad_accum_steps=r["grad_accum_steps"], machine=r["machine"],
                torch_version=r["torch_version"], command=r["command"],
                losses={i + 1: l for i, l in enumerate(r["train_losses"])}, step_times_ms=t)


def read_stamps(f: Path) -> dict:
    "runners.sh's stamps: seconds from launch (float, or None when the line never came) and how the run ended."
    out = {}
    for line in (f.read_text().splitlines() if f.exists() else []):
        k, _, v = line.partition(" ")
        out[k] = float(v) if re.fullmatch(r"[\d.]+", v) else v or None
    return out


def script_run(log: Path, steps_asked: int, flops: int, peak_tflops: float) -> dict:
    "A record's own script timed by runners.sh, from its console log and the stamps beside it (`flops`: golf_bench's count)."
    if not log.exists(): return dict(status="missing")
    text = log.read_text(errors="replace")
    stamps = read_stamps(log.with_name(log.name + ".stamps"))
    try: p = parse_train_log(log)
    except ValueError: p = None   # no step logged
    status = ("failed" if "Traceback" in text else "killed") if not p or p["steps"] < steps_asked else "ok"
    out = dict(status=status, log=log.name, stamps=stamps)
    if not p: return out
    cum = dict(p["train_time"])
    times = [cum[s] - cum.get(s - 1, 0.0) for s in sorted(cum)]
    batch = int(re.search(r"train_batch_tokens:(\d+)", text)[1])
    tok_s = batch / (p["step_avg_ms"] / 1000.0)
    first, start = stamps.get("launch_to_first_step_s"), stamps.get("launch_to_warmup_start_s")
    warm = first - times[0] / 1000.0 - start if isinstance(first, float) and isinstance(start, float) else None
    return dict(out, steps=p["steps"], step_avg_ms=p["step_avg_ms"], step_median_ms=statistics.median(times),
                step_min_ms=min(times), step_max_ms=max(times), tokens_per_s=tok_s,
                mfu=tok_s * flops / (peak_tflops * 1e12),   # golf_bench's count of the same model's FLOPs
                train_batch_tokens=batch, grad_accum_steps=p["grad_accum_steps"],
                model_params=p["model_params"], warmup_s=warm, launch_to_first_step_s=first,
                losses=dict(p["train"]), step_times_ms=times)


def seed_run(logs: Path, steps_asked: int, flops: int, peak_tflops: float) -> dict:
    "The seed's script from its stdout log and the stamps run.sh wrote beside it."
    return script_run(logs / "seed_script.log", steps_asked, flops, peak_tflops)


def golf_ledger_rows(logs: Path, names, runs: dict, golf_rows: dict, times: dict, setting: str) -> list:
    "golf_ablate's rows of the runs `names`, each pointed at its committed file, with `setting` and its times in the notes."
    rows = []
    for name in names:
        row, run = golf_rows.get(name), runs[name]
        if row is None: continue
        f = logs / (run["record"] if run["status"] == "ok" and run["record"] else f"{name}_s{SEED}.log")
        timed = f"{run['steps']} steps timed after 10 warm-up steps" if run.get("steps") else "no golf_bench record"
        extra = f"{setting}; {timed}" + (f"; warmup_s {run['warmup_s']:.1f}" if run.get("warmup_s") else "") + (
            f"; run.sh wall {times[name]['wall_s']} s" if name in times and not times[name]["skipped"] else "")
        rows.append(dict(row, log=shown(f), notes="; ".join(x for x in (extra, row["notes"]) if x)))
    return rows


def ledger_rows(logs: Path, runs: dict, golf_rows: dict, machine: dict, times: dict) -> list:
    "The rows to append: golf_ablate's (log pointed at the committed file, the setting in the notes) and the seed's."
    order = "back to back on one GPU (fused, unfused, the seed's script)"
    rows = golf_ledger_rows(logs, VARIANTS, runs, golf_rows, times, f"record_batch_speed: {order}")
    s = runs["seed_script"]
    if "log" in s:   # the script ran (not skipped, not missing)
        first = s.get("stamps", {}).get("launch_to_first_step_s")
        end = f"stopped after step {s['steps']}" if s["status"] == "ok" else f"{s['status']} at step {s.get('steps', 0)}"
        note = (f"record_batch_speed: the seed's train_gpt.py (PR #465) unmodified, {order}; constant LR, {end}"
                + (f"; launch to step 1 {first:.1f} s" if isinstance(first, float) else ""))
        rows.append(script_row(logs, s, machine, golf_rows, "script:seed465", "seed_script", "", note))
    return [ledger_row(r, f"new row {i + 1}") for i, r in enumerate(rows)]


def script_row(logs: Path, s: dict, machine: dict, golf_rows: dict, preset: str, variant: str, recipe: str, note: str) -> dict:
    "The ledger row of a record's own script timed at the record's batch (`s`: its run, as `seed_run` reads it)."
    return dict(date=machine["date"], git_sha="", preset=preset, variant=variant, recipe_diff=recipe,
                proxy="record_batch", seed=SEED, steps=s.get("steps"), step_ms=s.get("step_avg_ms"),
                machine=machine["gpu"] or next((r["machine"] for r in golf_rows.values()), ""), lanes=1,
                status=s["status"], log=shown(logs / s["log"]), notes=note)


def summarise(logs: Path, command: str = "") -> dict:
    "The result of one run.sh call, its ledger rows in `ledger_rows`."
    machine, times, golf_rows = read_call(logs)
    runs = {n: golf_run(logs, n, golf_rows) for n in VARIANTS}
    ref = next((r for r in runs.values() if "flops_per_token" in r), None)
    cfg = bench_config(["--preset", "seed465", "--record_batch"], environ={})[0]   # the shapes when no golf run has a record
    flops = ref["flops_per_token"] if ref else flops_per_token(cfg)
    runs["seed_script"] = seed_run(logs, machine["steps"], flops, ref["peak_tflops"] if ref else H200_BF16_TFLOPS)
    for n, r in runs.items():
        r["stage"] = times.get(n, dict(skipped=None))
        if r["stage"]["skipped"] and r["status"] == "missing": r["status"] = "skipped"   # run.sh had too little time left
        elif r["status"] == "missing" and r["stage"].get("rc") in (124, 137, 143):   # run.sh's timeout, before any row
            r.update(status="killed", notes="run.sh's timeout ended the run before golf_ablate wrote its ledger row")
    ms = {n: r.get("step_avg_ms") for n, r in runs.items()}
    ratio = lambda a, b: ms[a] / ms[b] if ms[a] and ms[b] else None
    spread = seed_spread()
    gaps = {f"{a}_vs_{b}": loss_gap(runs[a].get("losses", {}), runs[b].get("losses", {}))
            for a, b in (("fused", "unfused"), ("unfused", "seed_script"), ("fused", "seed_script"))}
    fu = gaps["fused_vs_unfused"]["mean_abs"]
    best = min((v for k, v in ms.items() if k in VARIANTS and v), default=None)
    return dict(
        kind="record_batch_speed", date=machine["date"], command=command, budget_s=machine["budget_s"],
        machine=machine["gpu"], git=machine["git"], torch=machine["torch"], triton=machine["triton"],
        setting=dict(preset="seed465", seed=SEED, steps_timed=machine["steps"], warmup_steps=10,
                     train_batch_tokens=ref["train_batch_tokens"] if ref else cfg.train_batch_tokens,
                     train_seq_len=ref["train_seq_len"] if ref else cfg.train_seq_len,
                     tokens="the p180 shard (.gpu/p180), the same tokens in the same order for every run",
                     order=["fused", "unfused", "seed_script"], alone="one run at a time on one GPU"),
        step_ms=ms, speedup_vs_seed={n: ratio("seed_script", n) for n in VARIANTS},
        fused_speedup_vs_unfused=ratio("unfused", "fused"),
        goal=dict(goal_ms=GOAL_MS, moonshot_ms=MOONSHOT_MS, best_golf_nb_ms=best,
                  meets_goal=best is not None and best <= GOAL_MS,
                  meets_moonshot=best is not None and best <= MOONSHOT_MS),
        warmup_s={n: r.get("warmup_s") for n, r in runs.items()},
        wall_s={n: r["stage"].get("wall_s") for n, r in runs.items()},
        loss_gaps=gaps, seed_script_gpu_to_gpu=spread,
        fused_losses_within_seed_spread=None if fu is None else dict(
            largest=fu <= max(s["mean_abs"] for s in spread), smallest=fu <= min(s["mean_abs"] for s in spread)),
        runs=runs, sources=shown(logs), ledger_rows=ledger_rows(logs, runs, golf_rows, machine, times))


def cli(summarise_fn, tgz: str, out: Path, argv=None) -> dict:
    "The command line both record-batch experiments share: summarise the unpacked files, append the new ledger rows, write the JSON, list the runs."
    ap = argparse.ArgumentParser(description=sys.modules[summarise_fn.__module__].__doc__.splitlines()[0])
    ap.add_argument("logs", type=Path, nargs="?", default=out.parent / "logs", help=f"the unpacked {tgz}")
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--command", default="", help="the device call that made the files, recorded in the JSON")
    ap.add_argument("--ledger", type=Path, default=ROOT / "experiments/ledger.csv", help="the ledger the rows are appended to")
    ap.add_argument("--no_ledger", action="store_true", help="only list the rows in the JSON")
    ns = ap.parse_args(argv)
    rep = summarise_fn(ns.logs, ns.command)
    rows = rep["ledger_rows"]
    if not ns.no_ledger:
        have = {r["log"] for r in read_ledger(ns.ledger)}
        new = [r for r in rows if r["log"] not in have]
        append_rows(ns.ledger, new)
        print(f"ledger: {len(new)} row(s) appended to {shown(ns.ledger)}, {len(rows) - len(new)} already there")
    write_json_atomic(ns.out, rep)
    for n, r in rep["runs"].items():
        got = f"{r['step_avg_ms']:.1f} ms over {r['steps']} steps, warm-up {r.get('warmup_s') or float('nan'):.1f} s" \
            if r.get("step_avg_ms") else "no steps"
        print(f"{n}: {r['status']}, {got}, run.sh wall {r['stage'].get('wall_s')} s")
    print(f"wrote {shown(ns.out)}")
    return rep


def main(argv=None) -> int:
    rep = cli(summarise, "record_batch_speed.tgz", HERE / "record_batch_speed.json", argv)
    g = rep["loss_gaps"]["fused_vs_unfused"]
    print(f"speed-up vs the seed's script: {rep['speedup_vs_seed']}; fused vs unfused {rep['fused_speedup_vs_unfused']}")
    print(f"losses fused vs unfused: mean |d| {g['mean_abs']} max {g['max_abs']} over {g['steps']} steps; "
          f"seed script GPU to GPU: {[round(s['mean_abs'], 4) for s in rep['seed_script_gpu_to_gpu']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
