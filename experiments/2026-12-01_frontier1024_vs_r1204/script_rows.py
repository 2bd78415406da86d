"""Ledger rows for record #1204's own script, read from its logs in logs/ (run.sh with SIDE=script).

    python experiments/2026-12-01_frontier1024_vs_r1204/script_rows.py   # appends the rows not yet in the ledger

A log is `logs/[DATE_callN_]r1204_p180_SEED.txt`. Its numbers are read as golf_nb's own logs are
(`golf_nb.bench.parse_train_log`), so both sides' columns mean the same: `pre_quant_val_bpb` is the val_bpb at the
last training step, before EMA; `val_bpb` is the script's sliding-window score of its int6/int5 artifact. The
script's post-EMA diagnostic goes into the notes. A log without a final score is a `killed` row: run.sh's `timeout`
is the only thing that stops the script early (a crash leaves a traceback, and the row says `failed`).
"""
from __future__ import annotations
import re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.bench import parse_train_log  # noqa: E402
from golf_nb.ledger import append_rows, read_ledger  # noqa: E402

HERE = Path(__file__).resolve().parent
RECIPE = ("BIGRAM_DIM=112 MIXED_QUANT=1 N_INT6_LAYERS=32 NUM_LAYERS=11 RECUR_LAYERS=4,5 REPEAT_UNTIE_MLP=full "
          "REPEAT_UNTIE_MLP_LAYERS=4,5 DISABLE_LAYER0_ATTN=1 PARALLEL_RESIDUAL=1 PARALLEL_START_LAYER=7 "
          "TRAIN_BATCH_TOKENS=262144 MAX_WALLCLOCK_SECONDS=180 WARMDOWN_ITERS=438 RECUR_START_STEP=375 "
          "MUON_MOMENTUM_WARMUP_STEPS=188 SWA_EVERY=6 EMA_DECAY=0.976 LATE_QAT_MIN_STEP=250 GPTQ_CALIB_SAMPLES=16")
NAME = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})_[^_]+_)?r1204_p180_(\d+)\.txt$")

def last(pattern: str, text: str, cast=float):
    "The first group of the last match of `pattern` in `text`, cast; None if it never matches."
    m = re.findall(pattern, text)
    return cast(m[-1]) if m else None

def with_knobs(recipe: str, extra: str) -> str:
    "`recipe` (`K=V` words) with the knobs of `extra` set: a knob already there is replaced in place, a new one appended."
    knobs = dict(w.split("=", 1) for w in recipe.split())
    knobs.update(w.split("=", 1) for w in extra.split())
    return " ".join(f"{k}={v}" for k, v in knobs.items())

def script_row(log: Path, machine: str, date: str, recipe: str = RECIPE) -> dict:
    "The ledger row of one run of the script, from its log."
    t, p = log.read_text(errors="replace"), parse_train_log(log)
    bpb = last(r"final_int6_sliding_window_exact val_loss:\S+ val_bpb:(\S+)", t)
    post_ema = last(r"DIAGNOSTIC post_ema val_loss:\S+ val_bpb:(\S+)", t)
    status = "ok" if bpb is not None else "failed" if "Traceback" in t else "killed"
    notes = ["record #1204's train_gpt.py (openai/parameter-golf), SDPA flash stand-in for FA3"]
    if post_ema is not None: notes.append(f"post-EMA val_bpb {post_ema}")
    stopped = log.with_suffix(".stopped")   # run.sh SCRIPT_UNTIL=post_ema stopped it on purpose
    if status == "killed" and stopped.exists(): notes.append(stopped.read_text().strip())
    elif status == "killed": notes.append("killed by run.sh's timeout before its final score; last line: "
                                          + t.strip().splitlines()[-1][:120])
    return dict(date=date, git_sha="", preset="script:r1204", variant="r1204_script", recipe_diff=recipe, proxy="p180",
                seed=p["seed"], steps=p["steps"], step_ms=p["step_avg_ms"], val_bpb=bpb,
                pre_quant_val_bpb=p["pre_quant_val_bpb"],
                bytes_total=last(r"Total submission size int6\+brotli: (\d+) bytes", t, int), machine=machine, lanes=1,
                status=status, log=str(log.relative_to(ROOT)), notes="; ".join(notes))

if __name__ == "__main__":
    ledger = ROOT / "experiments/ledger.csv"
    have = {r["log"] for r in read_ledger(ledger)}
    machine_txt = HERE / "logs" / "machine.txt"
    machine = re.sub(r"^GPU \d+: (.*?) \(UUID.*$", r"\1", machine_txt.read_text().strip()) if machine_txt.exists() else ""
    rows = []
    for log in sorted((HERE / "logs").glob("*r1204_p180_*.txt")):
        m = NAME.match(log.name)
        extra = log.with_suffix(".recipe")   # run.sh writes what it set beyond RECIPE
        recipe = with_knobs(RECIPE, extra.read_text()) if extra.exists() else RECIPE
        if m and str(log.relative_to(ROOT)) not in have: rows.append(script_row(log, machine, m[1] or "2026-12-01", recipe))
    for r in append_rows(ledger, rows): print(r["seed"], r["steps"], r["status"], r["pre_quant_val_bpb"], r["val_bpb"], r["bytes_total"])
