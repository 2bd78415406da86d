"""The shard commands from the shell: `golf_verify` checks token ids against the tokenizer, `golf_shards` refuses
empty input.

Each command runs in its own process on this checkout's code, in a scratch working directory, on tiny shards and a
tiny tokenizer made here (no ../shared needed). The notebook `12_shards` tests the same functions in-process.
"""
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sentencepiece as spm

from golf_nb.config import preset
from golf_nb.data import write_shard

ROOT = Path(__file__).resolve().parents[1]


def _cli(main, *args, cwd):
    "Run `golf_nb.shards.<main>(args)` as a command in `cwd`; return its exit status, stdout and stderr."
    code = f"import sys; from golf_nb.shards import {main}; sys.exit({main}(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p)}
    r = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=300)
    return r.returncode, r.stdout, r.stderr


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    "A tiny BPE SentencePiece model with the challenge's special ids (BOS = 1), trained in about a second."
    d = tmp_path_factory.mktemp("tok")
    rng = random.Random(0)
    words = "the of and to in is was for on that with as by at from golf par tee".split()
    text = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 20))) + "." for _ in range(300)]
    spm.SentencePieceTrainer.train(sentence_iterator=iter(text), model_prefix=str(d / "tiny"), vocab_size=300,
                                   model_type="bpe", byte_fallback=True, pad_id=0, bos_id=1, eos_id=2, unk_id=3,
                                   hard_vocab_limit=False, minloglevel=2)
    return d / "tiny.model"


@pytest.fixture
def dirs(tmp_path, tokenizer):
    "A good folder (largest id: the tokenizer's last) and a bad one (an id equal to its size, and 65535)."
    n = spm.SentencePieceProcessor(model_file=str(tokenizer)).get_piece_size()
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_shard(good / "fineweb_train_000000.bin", [1, 5, n - 1, 0])
    write_shard(good / "fineweb_val_000000.bin", [1, 2, 3])
    write_shard(bad / "fineweb_train_000000.bin", [1, 5, 6])
    write_shard(bad / "fineweb_train_000001.bin", [1, n, 4])
    write_shard(bad / "fineweb_val_000000.bin", [1, 65535])
    return n, good, bad


def test_golf_verify_checks_ids_against_the_tokenizer(tmp_path, tokenizer, dirs):
    n, good, bad = dirs
    rc, out, err = _cli("verify_main", good, "--tokenizer", tokenizer, cwd=tmp_path)
    assert rc == 0, err
    assert f"token ids checked against the {n} pieces of {tokenizer}" in out and "2 shard(s) sound" in out
    rc, out, err = _cli("verify_main", bad, "--tokenizer", tokenizer, cwd=tmp_path)
    assert rc == 1 and "Traceback" not in err
    assert "golf_verify: 2 problem(s)" in err
    assert f"fineweb_train_000001.bin: largest token id {n} is outside the vocabulary of size {n}" in err
    assert f"fineweb_val_000000.bin: largest token id 65535 is outside the vocabulary of size {n}" in err
    assert "fineweb_train_000000.bin" not in err


def test_golf_verify_reads_the_presets_tokenizer_by_default(tmp_path, tokenizer, dirs):
    n, good, bad = dirs
    default_tok = preset("seed465").tokenizer_path  # golf_train's default preset, relative to the working directory
    rc, out, err = _cli("verify_main", good, cwd=tmp_path)
    assert rc == 2 and f"no tokenizer at {default_tok}" in err and "--vocab_size" in err
    (tmp_path / default_tok).parent.mkdir(parents=True)
    shutil.copy(tokenizer, tmp_path / default_tok)
    assert _cli("verify_main", good, cwd=tmp_path)[0] == 0
    rc, out, err = _cli("verify_main", good, bad, cwd=tmp_path)
    assert rc == 1 and f"largest token id {n} is outside the vocabulary of size {n}" in err


def test_golf_verify_vocab_size_flag(tmp_path, tokenizer, dirs):
    n, good, bad = dirs
    rc, out, err = _cli("verify_main", bad, "--vocab_size", n, cwd=tmp_path)
    assert rc == 1 and "golf_verify: 2 problem(s)" in err
    assert _cli("verify_main", good, "--vocab_size", n, cwd=tmp_path)[0] == 0
    assert _cli("verify_main", good, "--vocab_size", n - 1, cwd=tmp_path)[0] == 1  # id n - 1 is now one too many
    rc, out, err = _cli("verify_main", bad, "--vocab_size", 0, cwd=tmp_path)  # 0: headers and sizes only
    assert rc == 0 and "token ids not checked" in out
    rc, out, err = _cli("verify_main", good, "--vocab_size", 5, "--tokenizer", tokenizer, cwd=tmp_path)
    assert rc == 2 and "not allowed with" in err


def test_golf_shards_refuses_empty_input(tmp_path, tokenizer):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.jsonl").write_text("\n\n")
    for docs in (["empty.txt"], ["empty.txt", "blank.jsonl"]):
        rc, out, err = _cli("shards_main", "--tokenizer", tokenizer, "--docs", *docs, "--out", "new", "--no_progress",
                            cwd=tmp_path)
        assert rc == 1 and "Traceback" not in err, err
        assert f"golf_shards: {', '.join(docs)}: no documents (empty input); nothing written" in err
        assert not (tmp_path / "new").exists()
    old = write_shard(tmp_path / "old" / "fineweb_train_000000.bin", [1, 2, 3]).read_bytes()
    rc, out, err = _cli("shards_main", "--tokenizer", tokenizer, "--docs", "empty.txt", "--out", "old",
                        "--no_progress", cwd=tmp_path)
    assert rc == 1  # and the earlier export is left as it was
    assert [p.name for p in (tmp_path / "old").iterdir()] == ["fineweb_train_000000.bin"]
    assert (tmp_path / "old" / "fineweb_train_000000.bin").read_bytes() == old
