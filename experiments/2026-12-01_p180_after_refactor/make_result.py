"""Ledger rows and result JSON of the p180 runs before and after the refactor (logs/*.json, written by golf_bench).

python experiments/2026-12-01_p180_after_refactor/make_result.py [--append]   # --append: add the rows to the ledger
The rows golf_ablate appended on the GPU machine are rebuilt here too: that machine's copy of the repository reported
the wrong commit (d230c84+dirty), so every row is made from the run's own JSON, with the commit that ran it.
"""
import argparse, json, sys
from pathlib import Path
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
from golf_nb.ledger import ledger_row, read_ledger, append_rows, bench_values, summarize, format_summary
from golf_nb.files import write_json_atomic

AFTER, BEFORE = "f3b7aa40dc11b29300f8fcb476bcbafc831c7606", "d230c847910dbb4200daf5d0cb937ec988a91528"
RUNS = [  # (result file, variant, commit, notes)
    ("after_1337.json", "after", AFTER, "call 1 (golf_ablate)"),
    ("after_42.json", "after", AFTER, "call 2 (golf_ablate)"),
    ("after_1337_rerun.json", "after", AFTER, "call 3: meant as the pre-refactor run, but `python -c` from the repository "
     "root imported this checkout's golf_nb (its log says so); kept as a repeat of seed 1337"),
    ("before_1337.json", "before", BEFORE, "call 4: the package of commit d230c84 (run_before.sh); its run folder's "
     "log.txt also holds call 3's log, which d230c84 appended to instead of refusing the used folder"),
    ("before_42.json", "before", BEFORE, "call 5: the package of commit d230c84 (run_before.sh)"),
]

def rows():
    out = []
    for name, variant, sha, notes in RUNS:
        rec = json.loads((HERE / "logs" / name).read_text())
        vals = {k: v for k, v in bench_values(rec).items() if v is not None}
        out.append(ledger_row(dict(vals, date="2026-12-01", git_sha=sha, preset="p180", variant=variant,
                                   recipe_diff="--eval_batch_seqs 128", proxy="p180", seed=rec["config"]["seed"],
                                   machine="NVIDIA H200", lanes=1, status="ok",
                                   log=str((HERE / "logs" / name).relative_to(ROOT)),
                                   notes=f"2026-12-01 p180 before/after the refactor, one H200 lease; {notes}")))
    return out

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--append", action="store_true", help="append the rows to experiments/ledger.csv (once)")
    ns = ap.parse_args(argv)
    rs = rows()
    first = [r for r in rs if "rerun" not in r["log"]]   # one run per seed and side: the paired comparison
    s = summarize(first, baseline="before")
    print(format_summary(s))
    every_after = [r["val_bpb"] for r in rs if r["variant"] == "after"]
    write_json_atomic(HERE / "result.json", dict(
        question="Did the research-ready refactor move seed465's p180 score?",
        command="SEED=S bash experiments/2026-12-01_p180_after_refactor/run.sh; SEED=S bash .../run_before.sh (S = 1337, 42)",
        machine="one NVIDIA H200 (nvidia-h200), all five runs in one lease, one at a time",
        runs=[{k: r[k] for k in ("variant", "git_sha", "seed", "steps", "step_ms", "val_bpb", "pre_quant_val_bpb", "bytes_total", "log", "notes")} for r in rs],
        summary=s, after_all_runs=every_after))
    if ns.append:
        have = {r["log"] for r in read_ledger(ROOT / "experiments" / "ledger.csv")}
        new = [r for r in rs if r["log"] not in have]
        append_rows(ROOT / "experiments" / "ledger.csv", new)
        print(f"appended {len(new)} rows")

if __name__ == "__main__": main()
