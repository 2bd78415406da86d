"""golf_ablate end to end on the CPU: two variants of a tiny `smoke` model x two seeds in two lanes, a few steps each.

The first invocation runs the four golf_bench processes, two at a time, appends four rows to a fresh ledger and prints
the comparison. The second asks again for the baseline and adds a variant whose data does not exist: the baseline's
run is skipped when the package's code is committed (rerun otherwise: an uncommitted tree does not say what ran), the
broken run fails with its log named, and the ledger gets its row. Bad variant specs are refused before anything runs.
About 40 s on a 2-core CPU.
"""
import contextlib, io, json
from pathlib import Path

from golf_nb.ablate import ablate_main, git_state
from golf_nb.ledger import read_ledger

TINY = ["--preset", "smoke", "--steps", "3", "--lanes", "2", "--train_batch_tokens", "1024", "--warmup_steps", "1",
        "--val_max_tokens", "4096", "--val_loss_every", "0", "--num_layers", "2", "--model_dim", "32", "--num_heads", "2",
        "--num_kv_heads", "1", "--bigram_vocab_size", "64", "--bigram_dim", "16"]


def ablate(*args):
    "golf_ablate's exit code, stdout and stderr."
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
        code = ablate_main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_two_variants_two_seeds_in_two_lanes(tmp_path):
    ledger, out = tmp_path / "ledger.csv", tmp_path / "out"
    code, stdout, err = ablate("base=", "lr=--matrix_lr 0.06", "--seeds", 1, 2, *TINY, "--ledger", ledger, "--out_dir", out)
    assert code == 0, stdout + err
    rows = read_ledger(ledger)
    assert sorted((r["variant"], r["seed"]) for r in rows) == [("base", 1), ("base", 2), ("lr", 1), ("lr", 2)]
    assert {r["status"] for r in rows} == {"ok"} and {r["lanes"] for r in rows} == {2}
    assert {r["proxy"] for r in rows} == {"p180@3steps"} and {r["preset"] for r in rows} == {"smoke"}
    assert {r["steps"] for r in rows} == {3} and all(0 < r["val_bpb"] < 10 and r["step_ms"] > 0 for r in rows)
    head, tail = ("--val_loss_every 0 --warmup_steps 1 --train_batch_tokens 1024 --num_layers 2 --num_kv_heads 1 --model_dim 32 "
                  "--num_heads 2"), "--bigram_vocab_size 64 --bigram_dim 16 --val_max_tokens 4096"   # RunConfig's order
    assert {r["variant"]: r["recipe_diff"] for r in rows} == {"base": f"{head} {tail}", "lr": f"{head} --matrix_lr 0.06 {tail}"}
    assert {r["git_sha"] for r in rows} == {git_state()}
    for r in rows:   # each row's numbers are its run's record
        rec = json.loads((out / f"{r['variant']}_s{r['seed']}.json").read_text())
        assert (rec["proxy_val_bpb"], rec["steps"], rec["config"]["seed"]) == (r["val_bpb"], 3, r["seed"])
        assert Path(r["log"]).name == f"{r['variant']}_s{r['seed']}.log"
    lr = json.loads((out / "lr_s1.json").read_text())["config"]["matrix_lr"]
    assert lr == 0.06 and json.loads((out / "base_s1.json").read_text())["config"]["matrix_lr"] == 0.02
    table = stdout[stdout.index("| variant |"):]
    assert "| base (baseline) | 2 |" in table and "| lr | 2 |" in table and "1: " in table and "2: " in table
    assert "step_ms mean ± std" in stdout

    # again, with a variant that cannot run: the done runs are skipped (committed code), the broken one fails alone
    code, stdout, err = ablate("base=", f"broken=--data_path {tmp_path / 'missing'}", "--seeds", 1, *TINY, "--ledger", ledger,
                               "--out_dir", tmp_path / "out2")
    assert code == 1, stdout + err
    committed = not git_state().endswith("+dirty")
    assert ("base seed 1: skip" in stdout) == committed, stdout
    assert "broken seed 1: FAILED (exit 1)" in stdout and f"log: {tmp_path / 'out2' / 'broken_s1.log'}" in stdout, stdout
    rows = read_ledger(ledger)
    broken = [r for r in rows if r["variant"] == "broken"]
    assert len(broken) == 1 and broken[0]["status"] == "failed" and broken[0]["val_bpb"] is None
    assert "missing" in (tmp_path / "out2" / "broken_s1.log").read_text()
    assert len(rows) == (5 if committed else 6)


def test_bad_variants_are_refused_before_anything_runs(tmp_path):
    for spec, msg in [("x=--no_such_field 1", "variant x: unknown field --no_such_field"),
                      ("y=--model_dim abc", "variant y: --model_dim: cannot read 'abc' as int"),
                      ("z=--seed 3", "variant z: --seed is set by golf_ablate")]:
        code, stdout, err = ablate("base=", spec, *TINY, "--ledger", tmp_path / "ledger.csv", "--out_dir", tmp_path / "out")
        assert code == 2 and msg in err and stdout == "", (spec, err)
    assert list(tmp_path.iterdir()) == []   # no ledger, no output folder
