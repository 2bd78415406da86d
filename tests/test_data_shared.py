"""Check the shard commands against the official data in ../shared/data (skipped when it is absent).

`golf_shards` with the official sp1024 tokenizer must reproduce the official validation tokens exactly, up to
the start of the last document (the shared file is a prefix of the validation stream, so its last document is
cut off), and `golf_verify` must accept the official shard, token ids checked against the official tokenizer.
"""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from golf_nb.data import load_shard
from golf_nb.shards import verify_main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TOKENIZER = SHARED / "tokenizers" / "fineweb_1024_bpe.model"
PREFIX = SHARED / "fineweb_val_prefix"

pytestmark = pytest.mark.skipif(not (TOKENIZER.exists() and (PREFIX / "docs.jsonl.xz").exists()),
                                reason=f"{SHARED} is absent")


def _run(main, args):
    "Run `golf_nb.shards.<main>` (the console script's function) as a command on this checkout's code; its exit status."
    code = f"import sys; from golf_nb.shards import {main}; sys.exit({main}(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, check=False).returncode


def test_golf_shards_reproduces_official_val_prefix(tmp_path):
    args = ["--tokenizer", str(TOKENIZER), "--docs", str(PREFIX / "docs.jsonl.xz"), "--out", str(tmp_path),
            "--split", "val", "--no_progress"]
    assert _run("shards_main", args) == 0
    ours = load_shard(tmp_path / "fineweb_val_000000.bin")
    official = load_shard(PREFIX / "fineweb_val_000000.bin")
    bos = np.flatnonzero(official == 1)
    assert len(bos) == 902 and bos[0] == 0
    last = int(bos[-1])  # start of the last, truncated document
    assert int((ours == 1).sum()) == 902
    assert len(ours) >= last and np.array_equal(ours[:last], official[:last])


def test_golf_verify_accepts_official_shard():
    assert _run("verify_main", [str(PREFIX), "--vocab_size", "1024"]) == 0
    assert _run("verify_main", [str(PREFIX), "--tokenizer", str(TOKENIZER)]) == 0


def test_golf_verify_refuses_official_shard_against_a_smaller_vocabulary(capsys):
    assert verify_main([str(PREFIX), "--vocab_size", "1000"]) == 1
    assert "fineweb_val_000000.bin: largest token id 1023 is outside the vocabulary of size 1000" in capsys.readouterr().err


def test_golf_verify_refuses_damaged_copy(tmp_path):
    raw = (PREFIX / "fineweb_val_000000.bin").read_bytes()
    (tmp_path / "fineweb_val_000000.bin").write_bytes(raw[:-1])
    assert verify_main([str(tmp_path), "--tokenizer", str(TOKENIZER)]) == 1
