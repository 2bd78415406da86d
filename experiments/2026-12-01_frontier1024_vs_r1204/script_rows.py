"""Ledger rows for record #1204's own script, read from its logs in logs/ (run.sh with SIDE=script).

    python experiments/2026-12-01_frontier1024_vs_r1204/script_rows.py   # appends the rows not yet in the ledger
"""
from __future__ import annotations
import re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.ledger import append_rows, read_ledger  # noqa: E402

HERE = Path(__file__).resolve().parent
RECIPE = ("BIGRAM_DIM=112 MIXED_QUANT=1 N_INT6_LAYERS=32 NUM_LAYERS=11 RECUR_LAYERS=4,5 REPEAT_UNTIE_MLP=full "
          "REPEAT_UNTIE_MLP_LAYERS=4,5 DISABLE_LAYER0_ATTN=1 PARALLEL_RESIDUAL=1 PARALLEL_START_LAYER=7 "
          "TRAIN_BATCH_TOKENS=262144 MAX_WALLCLOCK_SECONDS=180 WARMDOWN_ITERS=438 RECUR_START_STEP=375 "
          "MUON_MOMENTUM_WARMUP_STEPS=188 SWA_EVERY=6 EMA_DECAY=0.976 LATE_QAT_MIN_STEP=250 GPTQ_CALIB_SAMPLES=16")

def last(pattern: str, text: str, cast=float):
    "The first group of the last match of `pattern` in `text`, cast; None if it never matches."
    m = re.findall(pattern, text)
    return cast(m[-1]) if m else None

def script_row(log: Path, seed: int, machine: str) -> dict:
    "The ledger row of one run of the script, from its log."
    t = log.read_text(errors="replace")
    bpb = last(r"final_int6_sliding_window_exact val_loss:\S+ val_bpb:(\S+)", t)
    return dict(date="2026-12-01", git_sha="", preset="script:r1204", variant="r1204_script", recipe_diff=RECIPE,
                proxy="p180", seed=seed, steps=last(r"step:(\d+)/\d+ train_loss", t, int),
                step_ms=last(r"step_avg:([\d.]+)ms", t), val_bpb=bpb,
                pre_quant_val_bpb=last(r"DIAGNOSTIC post_ema val_loss:\S+ val_bpb:(\S+)", t),
                bytes_total=last(r"Total submission size int6\+brotli: (\d+) bytes", t, int), machine=machine, lanes=1,
                status="ok" if bpb is not None else "failed", log=str(log.relative_to(ROOT)),
                notes="record #1204's train_gpt.py (openai/parameter-golf), SDPA flash stand-in for FA3; pre_quant is its post-EMA diagnostic")

if __name__ == "__main__":
    ledger = ROOT / "experiments/ledger.csv"
    have = {r["log"] for r in read_ledger(ledger)}
    rows = []
    for log in sorted((HERE / "logs").glob("r1204_p180_*.txt")):
        seed = int(log.stem.rsplit("_", 1)[1])
        machine = (HERE / "logs" / f"machine_script_{seed}.txt")
        name = re.sub(r"^GPU \d+: (.*?) \(UUID.*$", r"\1", machine.read_text().strip()) if machine.exists() else ""
        if str(log.relative_to(ROOT)) not in have: rows.append(script_row(log, seed, name))
    for r in append_rows(ledger, rows): print(r["seed"], r["steps"], r["val_bpb"], r["bytes_total"])
