#!/usr/bin/env python3
"""Tokenizer trade-off: bytes per token against the embedding's share of the 16,000,000-byte artifact.

For the sp1024 (official) and sp4096 / sp8192 (community, not verified) tokenizers in ../shared/data/tokenizers:
1. bytes per token on the 902 validation-prefix documents (golf_nb.tokenizer_tools.tokenizer_report);
2. the embedding table (d=512) at fp16 / int8 / int6 (golf_nb.tokenizer_tools.embedding_bytes, before compression);
3. how many seed-shaped layers (d=512, the seed465 block, int5 MLP / int6 attention, last c_k fp16) fit in the cap
   with each vocabulary and embedding format. Compressed bytes are estimated as stored bytes (from the tensor
   shapes and golf_nb.quant's policy) times a compression ratio per storage kind, measured on the small CPU-trained
   model of experiments/2026-11-28_quant_study (quant_study.json), and then with the block ratios scaled so that the
   estimate reproduces a measured full-size artifact (the p180 GPU run's, and the seed's record artifact);
4. the bpb implication: at equal loss per token, bpb scales with 1 / bytes per token.

Writes tokenizer_tradeoff.json beside this script. About 15 s on 2 CPU cores; run quant_study.py first.

    python experiments/2026-11-28_tokenizer_tradeoff/tokenizer_tradeoff.py [--shared ../shared/data]
"""
from __future__ import annotations
import json, os, sys, time
from pathlib import Path
import torch
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lib"))   # the shared helpers
from provenance import ROOT, provenance, script_parser, write_result  # noqa: E402

VOCABS = (1024, 4096, 8192)
FORMATS = ("fp16", "int8", "int6")
QUANT_STUDY = ROOT / "experiments/2026-11-28_quant_study/quant_study.json"
P180_SUMMARY = ROOT / "experiments/2026-11-28_p180_fidelity/logs/p180_2026-11-28_golf_nb_1337_summary.json"
# The seed's record artifact (same shape: 10 layers, vocab 1024, fp16 embedding), ../shared/SEED_RECIPE.md
SEED_RECORD = dict(bytes_model=15_622_541, bytes_code=57_747, source="../shared/SEED_RECIPE.md (record, seed 42 log)")


def stored_bytes(name: str, t: torch.Tensor, kind: str) -> int:
    "Bytes of tensor `t` as stored under `kind` before compression (int values in int8, fp16 row scales)."
    if kind == "passthrough": return t.numel() * (2 if t.is_floating_point() else t.element_size())
    if kind == "fp32": return 4 * t.numel()
    if kind == "fp16": return 2 * t.numel()
    scales = t.shape[0] if t.ndim == 2 else 1
    return t.numel() + 2 * scales  # (int8 with a 1-D input has a 4-byte scale: no such tensor here)


def shape_account(vocab: int, layers: int, fmt: str) -> dict:
    "Parameters and stored bytes by kind (the embedding as its own kind 'embed') of seed465 at this size."
    from golf_nb.config import preset
    from golf_nb.model import build_model
    from golf_nb.quant import tensor_policy
    cfg = preset("seed465", vocab_size=vocab, num_layers=layers, embed_quant=fmt)
    with torch.device("meta"): sd = build_model(cfg, init=False).state_dict()
    acc = {}
    for name, t in sd.items():
        kind = "embed" if name == "tok_emb.weight" else tensor_policy(name, t, cfg)
        g = acc.setdefault(kind, dict(params=0, stored=0))
        g["params"] += t.numel(); g["stored"] += stored_bytes(name, t, tensor_policy(name, t, cfg))
    return acc


def estimate(acc: dict, ratios: dict, embed_ratio: float, block_scale: float = 1.0) -> float:
    "Compressed bytes: stored bytes times the ratio of their kind (int5 / int6 scaled by `block_scale`)."
    tot = 0.0
    for kind, g in acc.items():
        r = embed_ratio if kind == "embed" else ratios[kind] * (block_scale if kind in ("int5", "int6") else 1.0)
        tot += g["stored"] * r
    return tot


def max_layers(vocab, fmt, ratios, embed_ratio, block_scale, code_bytes, cap=16_000_000, limit=64):
    "The largest layer count whose estimated artifact + code fits in `cap`, and that estimate."
    best = (0, None)
    for L in range(1, limit + 1):
        b = estimate(shape_account(vocab, L, fmt), ratios, embed_ratio, block_scale)
        if b + code_bytes > cap: break
        best = (L, b)
    return best


def main(argv=None) -> int:
    p = script_parser(__doc__, HERE / "tokenizer_tradeoff.json")
    a = p.parse_args(argv)
    from golf_nb.tokenizer_tools import tokenizer_report, embedding_bytes
    from golf_nb.config import preset
    from golf_nb.model import build_model
    t_all = time.perf_counter()
    shared = Path(a.shared).resolve()
    docs = shared / "fineweb_val_prefix/docs.jsonl.xz"
    toks = {v: shared / f"tokenizers/fineweb_{v}_bpe.model" for v in VOCABS}
    inputs = dict(docs=docs, **{f"tokenizer_{v}": p for v, p in toks.items()}, quant_study=QUANT_STUDY,
                  p180_summary=P180_SUMMARY)
    res = dict(provenance=provenance(inputs), vocabs=list(VOCABS), formats=list(FORMATS), seed_record=SEED_RECORD)
    qs, p180 = json.loads(QUANT_STUDY.read_text()), json.loads(P180_SUMMARY.read_text())

    # 1. bytes per token
    res["tokenizers"] = {}
    for v, path in toks.items():
        t = time.perf_counter()
        r = tokenizer_report(path, docs)
        r.update(tokenizer=os.path.relpath(path, ROOT), doc_file=os.path.relpath(docs, ROOT),
                 verified=v == 1024, seconds=time.perf_counter() - t)
        res["tokenizers"][str(v)] = r
        print(v, {k: r[k] for k in ("docs", "tokens", "bytes", "lut_bytes", "bytes_per_token")}, flush=True)

    # 2. the seed's shape: parameters per layer and outside the layers
    cfg = preset("seed465")
    with torch.device("meta"): sd = build_model(cfg, init=False).state_dict()
    per_layer = sum(t.numel() for k, t in sd.items() if k.startswith("blocks.0."))
    res["seed_shape"] = dict(model_dim=cfg.model_dim, num_layers=cfg.num_layers, mlp_mult=cfg.mlp_mult,
                             num_heads=cfg.num_heads, num_kv_heads=cfg.num_kv_heads, n_params=sum(t.numel() for t in sd.values()),
                             params_per_layer=per_layer,
                             params_per_layer_mlp=sum(t.numel() for k, t in sd.items() if k.startswith("blocks.0.mlp.")),
                             params_per_layer_attn=sum(t.numel() for k, t in sd.items()
                                                       if k.startswith("blocks.0.attn.") and t.ndim == 2))

    # 3. compression ratios (compressed / stored, zstd-22) measured on the CPU-trained model, by kind
    kinds = qs["cpu_groups"]["kind"]["zstd"]
    ratios = {k: g["bytes_compressed"] / g["bytes_stored"] for k, g in kinds.items()}
    embed_ratios = {f: qs["cpu_embed_formats"][f]["ratio"] for f in FORMATS}
    res["ratios"] = dict(source=os.path.relpath(QUANT_STUDY, ROOT), by_kind=ratios, embed=embed_ratios,
                         note="compressed/stored bytes of each kind's tensors compressed together, zstd-22, "
                              "on the CPU-trained model; the embedding's per format on its trained tok_emb")
    # calibrations: scale the int5 / int6 ratios so the seed465 estimate equals a measured artifact
    acc10 = shape_account(1024, cfg.num_layers, "fp16")
    res["seed465_stored"] = acc10
    est = estimate(acc10, ratios, embed_ratios["fp16"])
    blocks = sum(acc10[k]["stored"] * ratios[k] for k in ("int5", "int6"))
    cal = {}
    for label, target in (("p180", p180["bytes_model"]), ("record", SEED_RECORD["bytes_model"])):
        s = (target - (est - blocks)) / blocks
        cal[label] = dict(target_bytes_model=target, block_scale=s, int5_ratio=ratios["int5"] * s,
                          int6_ratio=ratios["int6"] * s, bits_per_int5=8 * ratios["int5"] * s,
                          bits_per_int6=8 * ratios["int6"] * s)
    res["calibration"] = dict(seed465_estimate_cpu_ratios=est, p180_bytes_model=p180["bytes_model"],
                              p180_source=os.path.relpath(P180_SUMMARY, ROOT), **cal)
    code = p180["bytes_code"]
    res["code_bytes"] = dict(bytes=code, source=os.path.relpath(P180_SUMMARY, ROOT) + " (golf_nb's counted code)")

    # 4. what fits: one row per vocabulary, embedding format and ratio assumption
    scales = dict(cpu=1.0, p180=cal["p180"]["block_scale"], record=cal["record"]["block_scale"])
    bpt = {v: res["tokenizers"][str(v)]["bytes_per_token"] for v in VOCABS}
    rows = []
    for v in VOCABS:
        for f in FORMATS:
            row = dict(vocab=v, fmt=f, bytes_per_token=bpt[v], embed_bytes_raw=embedding_bytes(v, cfg.model_dim, f),
                       embed_bytes_compressed=embedding_bytes(v, cfg.model_dim, f) * embed_ratios[f])
            for label, s in scales.items():
                L, b = max_layers(v, f, ratios, embed_ratios[f], s, code)
                row[f"layers_{label}"] = L
                row[f"artifact_{label}"] = b
                row[f"layer_bytes_{label}"] = (estimate(shape_account(v, L + 1, f), ratios, embed_ratios[f], s) - b)
            rows.append(row)
            print(row, flush=True)
    res["fit"] = rows
    # 5. bpb at equal loss per token, relative to sp1024 and the p180 run
    res["bpb_at_equal_loss"] = {str(v): dict(bytes_per_token=bpt[v], bpb_ratio=bpt[1024] / bpt[v],
                                             p180_bpb_scaled=p180["val_bpb"] * bpt[1024] / bpt[v],
                                             break_even_loss=p180["val_loss"] * bpt[v] / bpt[1024])
                                for v in VOCABS}
    res["p180"] = dict(val_loss=p180["val_loss"], val_bpb=p180["val_bpb"], steps=p180["steps"])
    res["total_wall_s"] = time.perf_counter() - t_all
    out = Path(a.out)
    write_result(out, res)
    print(f"wrote {out} in {res['total_wall_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
