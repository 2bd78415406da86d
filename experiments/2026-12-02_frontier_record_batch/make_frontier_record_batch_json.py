"""Summarise run.sh's files as frontier_record_batch.json and append their ledger rows (issue #16, item 2; host overhead).

    python experiments/2026-12-02_frontier_record_batch/make_frontier_record_batch_json.py [LOGS] [--out FILE]
        [--command TEXT] [--ledger FILE | --no_ledger]

LOGS (default: logs/ beside this script) holds the unpacked frontier_record_batch.tgz: machine.txt, times.txt,
ledger_rows.csv (golf_ablate's rows of the golf_nb runs), VARIANT_s1337.json and .log (golf_bench's records of
frontier1024, accum8, accum2), r1204_script.log (record #1204's console), its .stamps (seconds from launch, polled
every 0.5 s by runners.sh's script_steps) and its .recipe (the knobs run.sh gave it). Every number is read from them:
- step time: the mean over the timed steps; golf_bench's `step_times_ms`, and for the script the differences of its
  cumulative `train_time` (its mean is train_time / steps, as its own step_avg);
- compilation and warm-up: golf_bench's `warmup_s`; for the script the same span from the stamps (launch to step 1,
  less step 1's own time, less launch to its `seed:` line, the last before its warm-up);
- the host's overhead: accum8's step against accum2's (the same 262,144 tokens in 8 or 2 micro-steps), beside call
  16's profile of frontier1024_p180 (GPU idle a step, committed in experiments/2026-12-01_frontier1024_vs_r1204);
- that neither side reached its recurrence: golf_bench's resolved `recur_start_step`, the script's
  `recurrence:... start_step=` line, against the steps run (10 warm-up steps do not count: both restore after them).
The helpers shared with seed465's record-batch run come from ../2026-12-02_record_batch_speed/make_record_batch_json.py.
Ledger rows: golf_ablate's, with `log` pointing at the committed record, and `script:r1204` / `r1204_script` for the
script; a row whose `log` the ledger already has is not appended again.
"""
from __future__ import annotations
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "experiments/2026-12-02_record_batch_speed")]
from golf_nb.bench import bench_config, flops_per_token, H200_BF16_TFLOPS  # noqa: E402
from golf_nb.ledger import ledger_row  # noqa: E402
from make_record_batch_json import SEED, cli, shown, read_call, loss_gap, golf_run, golf_ledger_rows, script_row, script_run  # noqa: E402

GOLF = ("frontier1024", "accum8", "accum2")  # run.sh's golf_nb runs: stage 1, then stage 3
ORDER = ("frontier1024", "r1204_script", "accum8", "accum2")  # run.sh's default STAGES
SCRIPT_KNOBS = "WARMUP_STEPS=10 WARMDOWN_ITERS=0 MAX_WALLCLOCK_SECONDS=0"  # what script_steps sets beyond the recipe
PROFILE = ROOT / "experiments/2026-12-01_frontier1024_vs_r1204/profile/2026-12-02_call16_frontier1024_p180.json"


def r1204_run(logs: Path, steps_asked: int, flops: int, peak_tflops: float) -> dict:
    "Record #1204's script from its console log and the stamps and recipe run.sh wrote beside it."
    log = logs / "r1204_script.log"
    out = script_run(log, steps_asked, flops, peak_tflops)   # golf_bench's count of frontier1024's FLOPs
    if out["status"] == "missing": return out
    text = log.read_text(errors="replace")
    recipe_f = log.with_suffix(".recipe")
    recipe = " ".join([recipe_f.read_text().strip(), SCRIPT_KNOBS]) if recipe_f.exists() else SCRIPT_KNOBS
    m = re.search(r"^recurrence:layers=.*? start_step=(\d+) active=(\d)", text, re.M)
    out.update(recipe=recipe, recur_start_step=int(m[1]) if m else None, recurrent_at_start=bool(int(m[2])) if m else None)
    if "steps" in out: out["launch_to_last_step_s"] = out["stamps"].get("launch_to_last_step_s")
    return out


def recurrence(logs: Path, runs: dict) -> dict:
    "Where each run would switch its repeated layers on, and whether its timed steps got there (they should not)."
    out = {}
    for n, r in runs.items():
        if n in GOLF:
            f = logs / f"{n}_s{SEED}.json"
            start = json.loads(f.read_text())["config"]["recur_start_step"] if r.get("record") else None
        else: start = r.get("recur_start_step")
        out[n] = dict(recur_start_step=start, steps=r.get("steps"),
                      reached=None if start is None or r.get("steps") is None else r["steps"] >= start)
    return out


def host_overhead(runs: dict) -> dict:
    "accum8 against accum2 (same tokens a step), beside call 16's profile of frontier1024_p180 in 8 micro-steps."
    prof = json.loads(PROFILE.read_text())
    a8, a2 = runs["accum8"].get("step_avg_ms"), runs["accum2"].get("step_avg_ms")
    return dict(accum8_ms=a8, accum2_ms=a2, saved_ms=a8 - a2 if a8 and a2 else None,
                accum2_speedup=a8 / a2 if a8 and a2 else None,
                call16_profile=dict(file=shown(PROFILE), wall_ms=prof["profile"]["wall_ms_per_step"],
                                    busy_ms=prof["profile"]["busy_ms_per_step"],
                                    idle_ms=prof["profile"]["idle_ms_per_step"],
                                    unprofiled_step_ms=prof["step_avg_ms"], data=prof["data"],
                                    grad_accum_steps=prof["grad_accum_steps"]))


def ledger_rows(logs: Path, runs: dict, golf_rows: dict, machine: dict, times: dict) -> list:
    "The rows to append: golf_ablate's (log pointed at the committed file, the setting in the notes) and the script's."
    ran = [n for n in ORDER if n in times and not times[n]["skipped"]]
    order = f"frontier_record_batch: back to back on one GPU ({', '.join(ran)})"
    rows = golf_ledger_rows(logs, GOLF, runs, golf_rows, times, order)
    s = runs["r1204_script"]
    if "log" in s:   # the script ran (not skipped, not missing)
        st = s["stamps"]
        end = f"stopped after step {s['steps']}" if s["status"] == "ok" else f"{s['status']} at step {s.get('steps', 0)}"
        stamp = lambda k, what: f"; {what} {st[k]:.1f} s" if isinstance(st.get(k), float) else ""
        note = (f"record #1204's train_gpt.py (openai/parameter-golf) unmodified, SDPA flash stand-in for FA3, "
                f"TORCHINDUCTOR_MIX_ORDER_REDUCTION=0; {order}; constant LR, {end}"
                + stamp("launch_to_warmup_start_s", "launch to seed line") + stamp("launch_to_first_step_s", "launch to step 1")
                + stamp("launch_to_last_step_s", f"launch to step {machine['steps']}")
                + (f"; warm-up {s['warmup_s']:.1f} s" if s.get("warmup_s") is not None else "")
                + (f"; recurrence from step {s['recur_start_step']}, not reached" if s.get("recur_start_step") else ""))
        rows.append(script_row(logs, s, machine, golf_rows, "script:r1204", "r1204_script", s["recipe"], note))
    return [ledger_row(r, f"new row {i + 1}") for i, r in enumerate(rows)]


def summarise(logs: Path, command: str = "") -> dict:
    "The result of one run.sh call, its ledger rows in `ledger_rows`."
    machine, times, golf_rows = read_call(logs)
    runs = {n: golf_run(logs, n, golf_rows) for n in GOLF}
    ref = runs["frontier1024"] if "flops_per_token" in runs["frontier1024"] else None
    cfg = bench_config(["--preset", "frontier1024", "--record_batch"], environ={})[0]   # when stage 1 left no record
    runs["r1204_script"] = r1204_run(logs, machine["steps"], ref["flops_per_token"] if ref else flops_per_token(cfg),
                                      ref["peak_tflops"] if ref else H200_BF16_TFLOPS)
    runs = {n: runs[n] for n in ORDER}
    for n, r in runs.items():
        r["stage"] = times.get(n, dict(skipped=None))
        if r["stage"]["skipped"] is not False and r["status"] == "missing": r["status"] = "skipped"   # too little time, or not in STAGES
        elif r["status"] == "missing" and r["stage"].get("rc") in (124, 137, 143):   # run.sh's timeout, before any row
            r.update(status="killed", notes="run.sh's timeout ended the run before golf_ablate wrote its ledger row")
    ms = {n: r.get("step_avg_ms") for n, r in runs.items()}
    losses = lambda r: {k: r.get("losses", {}).get(k) for k in (1, 10, machine["steps"])}
    return dict(
        kind="frontier_record_batch", date=machine["date"], command=command, budget_s=machine["budget_s"],
        machine=machine["gpu"], git=machine["git"], torch=machine["torch"], triton=machine["triton"],
        setting=dict(seed=SEED, steps_timed=machine["steps"], warmup_steps=10, warmup_passes=2,
                     record_batch=dict(train_batch_tokens=786_432, train_seq_len=2048, grad_accum_steps=8),
                     p180_batch=dict(train_batch_tokens=262_144, train_seq_len=2048, grad_accum_steps=dict(accum8=8, accum2=2)),
                     tokens="the p180 shard (.gpu/p180); each side draws its own windows from it",
                     order=list(ORDER), alone="one run at a time on one GPU"),
        step_ms=ms, frontier1024_speedup_vs_r1204=ms["r1204_script"] / ms["frontier1024"]
        if ms["r1204_script"] and ms["frontier1024"] else None,
        warmup_s={n: r.get("warmup_s") for n, r in runs.items()},
        wall_s={n: r["stage"].get("wall_s") for n, r in runs.items()},
        host_overhead=host_overhead(runs), recurrence=recurrence(logs, runs),
        losses_at={n: losses(r) for n, r in runs.items()},
        loss_gaps=dict(accum8_vs_accum2=loss_gap(runs["accum8"].get("losses", {}), runs["accum2"].get("losses", {})),
                       frontier1024_vs_r1204_script=loss_gap(runs["frontier1024"].get("losses", {}),
                                                             runs["r1204_script"].get("losses", {}))),
        runs=runs, sources=shown(logs), ledger_rows=ledger_rows(logs, runs, golf_rows, machine, times))


def main(argv=None) -> int:
    rep = cli(summarise, "frontier_record_batch.tgz", HERE / "frontier_record_batch.json", argv)
    h = rep["host_overhead"]
    print(f"frontier1024 speed-up vs #1204's script: {rep['frontier1024_speedup_vs_r1204']}")
    print(f"accum8 - accum2: {h['saved_ms']} ms a step (call 16's profile: idle {h['call16_profile']['idle_ms']:.1f} of "
          f"{h['call16_profile']['wall_ms']:.1f} ms); recurrence reached: "
          f"{ {n: v['reached'] for n, v in rep['recurrence'].items()} }")
    return 0


if __name__ == "__main__":
    sys.exit(main())
