"""CPU stand-in for record #1204's train_gpt.py in run.sh's CPU check (the real script needs CUDA): the same kinds of
console lines, so that runners.sh's stop logic and make_frontier_record_batch_json.py are exercised.

    R1204_SCRIPT=$PWD/experiments/2026-12-02_frontier_record_batch/fake_r1204.py bash .../run.sh   (see the README)

What it checks of the real call before it prints anything (a failed check is a traceback, and the run's row says
`failed`): the SDPA stand-in for FlashAttention-3 imports (`.anchors/r1204/shim` is on PYTHONPATH),
TORCHINDUCTOR_MIX_ORDER_REDUCTION is 0, and every knob of run.sh's recipe (`.gpu/frontier_record_batch/
r1204_script.recipe`) is a name the real `.anchors/r1204/train_gpt.py` reads, set to the recipe's value in this
process. The real script's `Hyperparameters` (its module loaded, `main` not run) then give every value it prints.
What it does not do: build the model, compile, or train. Its losses fall by a formula and each step sleeps
FAKE_STEP_S (0.2) s; after step ITERATIONS it sleeps as the real script would validate and quantize, until killed.
"""
import importlib.util, math, os, re, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / ".anchors/r1204/train_gpt.py"
RECIPE = ROOT / ".gpu/frontier_record_batch/r1204_script.recipe"


def check_call() -> object:
    "The checks in the docstring; returns the real script's Hyperparameters as this process's environment sets them."
    import flash_attn_interface  # noqa: F401  (the shim; FlashAttention-3 itself is not installed)
    assert os.environ.get("TORCHINDUCTOR_MIX_ORDER_REDUCTION") == "0", "TORCHINDUCTOR_MIX_ORDER_REDUCTION is not 0"
    read = set(re.findall(r"os\.environ\.get\('([A-Z0-9_]+)'", REAL.read_text()))
    knobs = dict(w.split("=", 1) for w in RECIPE.read_text().split())
    unread = sorted(set(knobs) - read)
    assert not unread, f"knobs the real script does not read: {unread}"
    unset = sorted(k for k, v in knobs.items() if os.environ.get(k) != v)
    assert not unset, f"knobs not set as the recipe says in this process: {unset}"
    spec = importlib.util.spec_from_file_location("r1204_train_gpt", REAL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)   # defines; `main` runs only under __main__
    return mod.Hyperparameters()


def main() -> int:
    a = check_call()
    os.makedirs("logs", exist_ok=True)
    logfile = f"logs/{a.run_id}.txt"
    print(logfile)
    def log0(msg: str):
        print(msg, flush=True)
        with open(logfile, "a") as f: print(msg, file=f)
    log0(f"fake_r1204: CPU stand-in; the real script's Hyperparameters: num_layers:{a.num_layers} "
         f"bigram_dim:{a.bigram_dim} recur_layers:{a.recur_layers_str} repeat_untie_mlp:{a.repeat_untie_mlp} "
         f"disable_layer0_attn:{a.disable_layer0_attn} parallel_residual:{a.parallel_residual} "
         f"warmdown_iters:{a.warmdown_iters} muon_momentum_warmup_steps:{a.muon_momentum_warmup_steps}")
    log0("model_params:30192302")
    log0("world_size:1 grad_accum_steps:8")
    log0(f"recurrence:layers=[{a.recur_layers_str.replace(',', ', ')}] start_step={a.recur_start_step} active=0")
    log0(f"train_batch_tokens:{a.train_batch_tokens} train_seq_len:{a.train_seq_len} iterations:{a.iterations} "
         f"warmup_steps:{a.warmup_steps} max_wallclock_seconds:{a.max_wallclock_seconds:.3f}")
    log0(f"seed:{a.seed}")
    dt = float(os.environ.get("FAKE_STEP_S", "0.2"))
    for label in ("base", "recur"):
        if label == "recur": log0("recurrence:prewarm active=1 virtual_layers:13")
        for i in range(a.warmup_steps):
            time.sleep(dt); log0(f"{label}_warmup_step:{i + 1}/{a.warmup_steps}")
    t0 = time.perf_counter()
    for step in range(1, a.iterations + 1):
        time.sleep(dt)
        ms = 1e3 * (time.perf_counter() - t0)
        loss = 3.7 + 3.2 * math.exp(-step / 12)
        log0(f"step:{step}/{a.iterations} train_loss:{loss:.4f} train_time:{ms:.0f}ms step_avg:{ms / step:.2f}ms")
    time.sleep(3600)   # the real script validates, averages and quantizes here; run.sh stops it before
    return 0


if __name__ == "__main__":
    sys.exit(main())
