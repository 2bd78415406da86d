#!/usr/bin/env python3
"""Byte accounting on the real validation documents: the correct count and three known mistakes.

With the official sp1024 tokenizer on ../shared/data/fineweb_val_prefix (902 documents), count the bytes the
evaluator attributes to the tokens (golf_nb.tokenizer.build_luts, the seed's rules), and what three buggy
accountings attribute instead:
  (a) the leading space counted twice (base bytes include the space, and the evaluator adds it again);
  (b) byte-fallback pieces counted by the length of their name (len('<0xE2>') = 6 instead of 1);
  (c) a vocabulary without a bare '▁' piece (the sp1024 model with its '▁' renamed), where each isolated space
      falls back to <0xE2><0x96><0x81> and decodes to a 3-byte '▁' (openai/parameter-golf#897).
Then the bpb each accounting would report for one fixed loss per token (the p180 golf_nb run's val_loss).

Writes bpb_accounting.json (totals) and bpb_accounting_docs.csv (one row per document) beside this script.
About 30 s on 2 CPU cores.

    python experiments/2026-11-28_bpb_accounting/bpb_accounting.py [--shared ../shared/data]
"""
from __future__ import annotations
import csv, io, json, lzma, math, os, sys, time
from pathlib import Path
import numpy as np
import torch
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lib"))   # the shared helpers
from provenance import ROOT, provenance, script_parser, write_result, write_text_atomic  # noqa: E402

P180_SUMMARY = ROOT / "experiments/2026-11-28_p180_fidelity/logs/p180_2026-11-28_golf_nb_1337_summary.json"
FALLBACK_LOSS = 2.5  # nats per token, used only if the p180 summary is missing


def luts_double_space(luts):
    "(a): the space put into the base count, and added again by the evaluator."
    return luts._replace(base_bytes=luts.base_bytes + luts.has_leading_space.to(torch.int16))


def luts_byte_by_name(sp, luts):
    "(b): byte-fallback pieces charged the length of their name, '<0xNN>' = 6."
    names = torch.tensor([len(sp.id_to_piece(i)) if sp.is_byte(i) else 0 for i in range(sp.vocab_size())],
                         dtype=torch.int16)
    return luts._replace(base_bytes=torch.where(names > 0, names, luts.base_bytes))


def without_space_piece(sp):
    "(c): the same tokenizer with its '▁' piece renamed to '▂' (both 3 UTF-8 bytes: the protobuf keeps its layout)."
    import sentencepiece as spm
    b = sp.serialized_model_proto()
    old = b"\x0a\x03\xe2\x96\x81"  # field 1 (piece), length 3, '▁'
    if b.count(old) != 1: raise ValueError(f"expected one bare '▁' piece in the model, found {b.count(old)}")
    return spm.SentencePieceProcessor(model_proto=b.replace(old, b"\x0a\x03\xe2\x96\x82"))


def read_docs(path: Path) -> list[dict]:
    with lzma.open(path, "rt", encoding="utf-8") as f: return [json.loads(line) for line in f if line.strip()]


def bpb(loss_nats: float, tokens: int, nbytes: int) -> float:
    "Bits per byte for a mean loss of `loss_nats` per token over `tokens` tokens standing for `nbytes` bytes."
    return loss_nats * tokens / (math.log(2) * nbytes)


def main(argv=None) -> int:
    p = script_parser(__doc__, HERE / "bpb_accounting.json")
    a = p.parse_args(argv)
    from golf_nb.tokenizer import load_sentencepiece, build_luts, stream_bytes, has_space_piece, SPACE_PIECE
    from golf_nb.tokenizer_tools import tokenizer_report
    from golf_nb.data import load_shard
    t_all = time.perf_counter()
    shared = Path(a.shared).resolve()
    tok, docs_file = shared / "tokenizers/fineweb_1024_bpe.model", shared / "fineweb_val_prefix/docs.jsonl.xz"
    shard = shared / "fineweb_val_prefix/fineweb_val_000000.bin"
    inputs = dict(tokenizer=tok, docs=docs_file, val_shard=shard)
    if P180_SUMMARY.exists(): inputs["p180_summary"] = P180_SUMMARY
    res = dict(provenance=provenance(inputs))
    sp = load_sentencepiece(tok)
    luts = build_luts(sp)
    bad = dict(a=luts_double_space(luts), b=luts_byte_by_name(sp, luts))
    nsp = without_space_piece(sp)
    luts_c = build_luts(nsp, allow_no_space_piece=True)
    space_id, bos = sp.piece_to_id(SPACE_PIECE), sp.bos_id()
    res["tokenizer"] = dict(vocab_size=sp.vocab_size(), has_space_piece=has_space_piece(sp), space_piece_id=space_id,
                            patched_has_space_piece=has_space_piece(nsp),
                            byte_pieces=sum(sp.is_byte(i) for i in range(sp.vocab_size())))
    res["report"] = tokenizer_report(tok, docs_file)
    res["report"].update(tokenizer=os.path.relpath(tok, ROOT), doc_file=os.path.relpath(docs_file, ROOT))

    # per document: the official tokens (re-encoded; checked against the shard below) and the patched tokenizer's
    docs = read_docs(docs_file)
    texts = [d["text"] for d in docs]
    ids, ids_c = sp.encode(texts), nsp.encode(texts)
    rows = []
    for d, t, x, xc in zip(docs, texts, ids, ids_c):
        s = torch.tensor([bos, *x], dtype=torch.int64)
        sc = torch.tensor([bos, *xc], dtype=torch.int64)
        rows.append(dict(doc_index=d["doc_index"], truncated=int(bool(d["truncated"])), tokens=len(x),
                         bytes_decoded=len(sp.decode(x).encode()),
                         bytes_normalized=len(sp.normalize(t).replace(SPACE_PIECE, " ").encode()),
                         lut=stream_bytes(s, luts), lut_a=stream_bytes(s, bad["a"]), lut_b=stream_bytes(s, bad["b"]),
                         byte_fallback_tokens=sum(sp.is_byte(i) for i in x), bare_space_tokens=x.count(space_id),
                         tokens_c=len(xc), bytes_decoded_c=len(nsp.decode(xc).encode()), lut_c=stream_bytes(sc, luts_c)))
    col = lambda k: sum(r[k] for r in rows)
    res["docs"] = dict(docs=len(rows), truncated=col("truncated"), **{k: col(k) for k in (
        "tokens", "bytes_decoded", "bytes_normalized", "lut", "lut_a", "lut_b", "byte_fallback_tokens",
        "bare_space_tokens", "tokens_c", "bytes_decoded_c", "lut_c")})
    res["docs"]["docs_lut_equals_decoded"] = sum(r["lut"] == r["bytes_decoded"] for r in rows)
    res["docs"]["docs_decoded_equals_normalized"] = sum(r["bytes_decoded"] == r["bytes_normalized"] for r in rows)
    res["docs"]["docs_with_byte_fallback"] = sum(r["byte_fallback_tokens"] > 0 for r in rows)
    res["docs"]["docs_with_bare_space"] = sum(r["bare_space_tokens"] > 0 for r in rows)

    # the official shard: the same tokens, and the window the p180 evaluation scored
    stream = torch.from_numpy(load_shard(shard).astype(np.int64))
    starts = (stream == bos).nonzero().flatten().tolist() + [len(stream)]
    shard_docs = [stream[s + 1:e].tolist() for s, e in zip(starts[:-1], starts[1:])]
    same = sum(sd == x for sd, x in zip(shard_docs, ids))
    res["shard"] = dict(tokens=len(stream), docs=len(shard_docs), docs_identical_to_reencoded=same,
                        last_doc_is_prefix=shard_docs[-1] == ids[len(shard_docs) - 1][:len(shard_docs[-1])])
    p180 = json.loads(P180_SUMMARY.read_text()) if P180_SUMMARY.exists() else None
    loss = p180["val_loss"] if p180 else FALLBACK_LOSS
    n_eval = p180["eval_tokens"] if p180 else (len(stream) - 1) // 2048 * 2048
    win = stream[: n_eval + 1]  # the evaluator's tokens: a multiple of seq_len, plus one
    wb = dict(correct=stream_bytes(win, luts), a=stream_bytes(win, bad["a"]), b=stream_bytes(win, bad["b"]))
    res["eval_window"] = dict(tokens=n_eval, bytes=wb, p180_eval_bytes=p180["eval_bytes"] if p180 else None,
                              loss_nats=loss, loss_source=os.path.relpath(P180_SUMMARY, ROOT) if p180 else
                              f"assumed {FALLBACK_LOSS} nats (p180 summary missing)",
                              p180_val_bpb=p180["val_bpb"] if p180 else None,
                              bpb={k: bpb(loss, n_eval, v) for k, v in wb.items()})
    # (c) needs the text re-tokenized: on all documents, each accounting with its own token count
    dd = res["docs"]
    res["bpb_docs"] = dict(correct=bpb(loss, dd["tokens"] + dd["docs"] - 1, dd["bytes_normalized"]),
                           a=bpb(loss, dd["tokens"] + dd["docs"] - 1, dd["lut_a"]),
                           b=bpb(loss, dd["tokens"] + dd["docs"] - 1, dd["lut_b"]),
                           c=bpb(loss, dd["tokens_c"] + dd["docs"] - 1, dd["lut_c"]),
                           c_true=bpb(loss, dd["tokens_c"] + dd["docs"] - 1, dd["bytes_normalized"]))
    res["total_wall_s"] = time.perf_counter() - t_all
    out = Path(a.out)
    write_result(out, res)
    csv_path = out.with_name(out.stem + "_docs.csv")
    buf = io.StringIO(); w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader(); w.writerows(rows)
    write_text_atomic(csv_path, buf.getvalue())
    print(json.dumps({k: res[k] for k in ("docs", "shard", "eval_window", "bpb_docs")}, indent=1))
    print(f"wrote {out} and {csv_path} in {res['total_wall_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
