"""Byte accounting of the official sp1024 tokenizer on the FineWeb validation prefix in ../shared/data.

Skipped when ../shared/data is absent (a fresh machine has none): the notebooks nbs/20_tokenizer.ipynb and
nbs/22_tokenizer_tools.ipynb hold the tests that need no data.
"""
import json, os, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GOLF_SHARED_DATA") or ROOT.parent / "shared" / "data")  # a worktree can point here
MODEL = SHARED / "tokenizers" / "fineweb_1024_bpe.model"
DOCS = SHARED / "fineweb_val_prefix" / "docs.jsonl.xz"


def _golf_tokenizer(*args):
    "Run `golf_tokenizer` (`golf_nb.tokenizer_tools.tokenizer_main`) in its own process on this checkout's code."
    code = "from golf_nb.tokenizer_tools import tokenizer_main; raise SystemExit(tokenizer_main())"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p)}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.skipif(not (MODEL.exists() and DOCS.exists()), reason="../shared/data is absent")
def test_sp1024_val_prefix_bytes():
    stdout = _golf_tokenizer("--tokenizer", str(MODEL), "--docs", str(DOCS), "--json")
    r = json.loads(stdout.strip().splitlines()[-1])
    assert r["docs"] == 902
    assert r["lut_bytes"] == r["bytes"]
    assert r["bytes"] == r["normalized_bytes"]  # the official tokenizer round-trips this text
    assert r["has_space_piece"]
    # the shard holds each document as BOS + tokens: 1,040,298 tokens in all
    assert r["tokens"] + r["docs"] == 1_040_298
    assert 2.40 < r["bytes_per_token"] < 2.42


SHARD = SHARED / "fineweb_val_prefix" / "fineweb_val_000000.bin"


@pytest.mark.skipif(not (MODEL.exists() and SHARD.exists()), reason="../shared/data is absent")
def test_sp1024_val_shard_lut_bytes():
    """The evaluator's tables on the official token stream give the decoded byte count of its 902 documents."""
    import numpy as np
    import torch
    from golf_nb.tokenizer import build_luts, stream_bytes
    header = np.fromfile(SHARD, dtype="<i4", count=256)
    assert header[0] == 20240520 and header[1] == 1
    tokens = np.fromfile(SHARD, dtype="<u2", offset=256 * 4)
    assert len(tokens) == header[2] == 1_040_298
    assert stream_bytes(torch.from_numpy(tokens.astype(np.int64)), build_luts(MODEL)) == 2_504_867


@pytest.mark.skipif(not (MODEL.exists() and SHARD.exists() and DOCS.exists()), reason="../shared/data is absent")
def test_sp1024_val_shard_lut_bytes_equal_raw_text_bytes():
    """On the official tokens, the tables count exactly the UTF-8 bytes of the raw text of the 901 complete documents.

    The shard is BOS + tokens per document, documents back to back; the 902nd is cut off, so the count stops at its
    BOS (itself 0 bytes). The raw text is the input, not a decoding, so this also pins the tokenizer's round trip."""
    import lzma
    import numpy as np
    import torch
    from golf_nb.tokenizer import build_luts, stream_bytes
    tokens = np.fromfile(SHARD, dtype="<u2", offset=256 * 4).astype(np.int64)
    starts = np.flatnonzero(tokens == 1)
    assert len(starts) == 902 and starts[0] == 0
    with lzma.open(DOCS, "rt", encoding="utf-8") as f: docs = [json.loads(line) for line in f]
    complete = [d for d in docs if not d["truncated"]]
    assert len(complete) == 901 and [d["doc_index"] for d in complete] == list(range(901))
    lut = stream_bytes(torch.from_numpy(tokens[:starts[901]]), build_luts(MODEL))
    assert lut == sum(len(d["text"].encode("utf-8")) for d in complete)
