"""Compressors and tensor orders on a real artifact's payload (issue #15 item 4, issue #14 part 3's compressor column):
bytes, compress and decompress time on this CPU, and an exact round trip, for each (order, compressor, byte shuffle).

    python experiments/2026-12-02_frontier_quant/compressors.py ARTIFACT --out FILE.json [--only REGEX] [--jobs N]

ARTIFACT is a golf_nb artifact (`save_artifact`'s file). Its payload (the `torch.save` of {'w': tensors, 'm': meta})
is decompressed once, then saved again with its tensors in each order of `ORDERS` (same tensors, same meta; only where
each tensor's bytes sit changes), and each order is compressed by each row of `ROWS` through golf_nb's own
`compress_payload(..., header=True)`, so `bytes` is what the artifact file would weigh. Every row decompresses its blob
with `decompress_payload` and checks that it gives the exact payload back; every reordered payload is checked to load
to the same tensors and meta as the artifact's. FILE is rewritten after every row, and rows already in it are skipped,
so a killed run keeps its part. Times are wall-clock seconds of one call, on one core (with --jobs N, N rows run at
once, one process each; N is recorded).
"""
from __future__ import annotations
import argparse, hashlib, io, json, lzma, multiprocessing as mp, os, platform, re, sys, time, zlib
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.files import write_json_atomic  # noqa: E402
from golf_nb.quant import (byte_shuffle, byte_unshuffle, compress_payload, decompress_payload, payload_keys,
                           payload_parts as parts)  # noqa: E402

KIND_ORDER = ("int5", "int6", "int7", "int8_rows", "int8", "int4", "int3", "int2", "fp32", "fp16", "passthrough")

ORDERS = {   # name -> the stored keys in that order, from the meta
    "model": None,   # the artifact's own payload, byte for byte
    "kind": lambda meta: [k for k, *_ in sorted(parts(meta), key=lambda p: KIND_ORDER.index(p[1]))],  # int5, int6, int8, fp16...
    "split_kind": lambda meta: [k for k, *_ in sorted(parts(meta), key=lambda p: (("q", "scale", "kept").index(p[2]),
                                                                                    KIND_ORDER.index(p[1])))],  # codes, scales, kept
    "split": lambda meta: payload_keys(meta, "split")}   # golf_nb's tensor_order=split: split_kind, each kind by matrix role

def reordered(obj: dict, order: str) -> bytes:
    "The payload of `obj` saved with its tensors in `order` (sorted() is stable: ties keep the state dict's order)."
    buf = io.BytesIO()
    torch.save({"w": {k: obj["w"][k] for k in ORDERS[order](obj["m"])}, "m": obj["m"]}, buf)
    return buf.getvalue()

def same_tensors(a: dict, b: dict) -> bool:
    "Whether payloads `a` and `b` hold the same meta and the same tensors under the same keys (order aside)."
    return (a["m"] == b["m"] and a["w"].keys() == b["w"].keys()
            and all(a["w"][k].dtype == b["w"][k].dtype and torch.equal(a["w"][k], b["w"][k]) for k in a["w"]))

def entropy_bytes(obj: dict) -> dict:
    "Order-0 entropy of each tensor's bytes, summed by (kind, part), in bytes: what a coder with per-tensor statistics needs."
    out = {}
    for k, kind, part in parts(obj["m"]):
        a = obj["w"][k].contiguous().reshape(-1).view(torch.uint8).numpy()
        p = np.bincount(a, minlength=256) / max(len(a), 1)
        h = -(p[p > 0] * np.log2(p[p > 0])).sum() * len(a) / 8
        g = out.setdefault(f"{kind}.{part}", dict(tensors=0, bytes=0, entropy_bytes=0.0))
        g["tensors"] += 1; g["bytes"] += int(a.size); g["entropy_bytes"] += float(h)
    return {g: dict(v, entropy_bytes=round(v["entropy_bytes"])) for g, v in out.items()}

ROWS = (  # (order, compressor, byte-shuffle stride), most telling first; stride 1 is the identity (checked), not a row
    ("model", "brotli", 2), ("split", "brotli", 2), ("model", "brotli", 0), ("split", "brotli", 0),
    ("model", "zstd", 0), ("split", "zstd", 0), ("model", "lzma", 0), ("split", "lzma", 0),
    *[(o, "zlib", s) for o in ORDERS for s in (0, 2)], ("model", "brotli", 4), ("model", "zstd", 2),
    ("model", "lzma", 2), ("kind", "brotli", 2), ("split_kind", "brotli", 2))

def row_name(order, comp, stride) -> str: return f"{order}/{comp}" + (f"+shuffle{stride}" if stride else "")

_PAYLOADS: dict = {}

def run_row(row) -> dict:
    "Compress one order's payload by one compressor, time it both ways, and check the round trip."
    order, comp, stride = row
    raw = _PAYLOADS[order]
    t0 = time.perf_counter(); blob = compress_payload(raw, comp, header=True, shuffle=stride); t1 = time.perf_counter()
    back = decompress_payload(blob); t2 = time.perf_counter()
    return dict(row=row_name(*row), order=order, compressor=comp, shuffle=stride, bytes=len(blob),
                payload_bytes=len(raw), compress_s=round(t1 - t0, 2), decompress_s=round(t2 - t1, 3),
                round_trip=back == raw)

def cpu_info() -> dict:
    "The CPU model and the cores this process may use."
    model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                  if l.startswith("model name")), platform.processor())
    return dict(cpu=model, cores=len(os.sched_getaffinity(0)), logical_cpus=os.cpu_count())

def versions() -> dict:
    import brotli, zstandard
    return dict(python=platform.python_version(), torch=torch.__version__, brotli=brotli.__version__,
                zstandard=zstandard.__version__, zstd_lib=zstandard.ZSTD_VERSION, zlib=zlib.ZLIB_RUNTIME_VERSION,
                liblzma=getattr(lzma, "__version__", ""))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("artifact", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--only", default="", help="run only rows whose name matches this regex")
    ap.add_argument("--jobs", type=int, default=1, help="rows compressed at once, one process each")
    a = ap.parse_args(argv)
    blob = a.artifact.read_bytes()
    t0 = time.perf_counter(); raw = decompress_payload(blob, str(a.artifact)); dt = time.perf_counter() - t0
    obj = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    _PAYLOADS.update({o: raw if o == "model" else reordered(obj, o) for o in ORDERS})
    checks = {o: same_tensors(obj, torch.load(io.BytesIO(p), map_location="cpu", weights_only=True))
              for o, p in _PAYLOADS.items()}
    res = json.loads(a.out.read_text()) if a.out.exists() else {}
    res.update(artifact=str(a.artifact), artifact_bytes=len(blob), artifact_header=blob[:5 + blob[4]][5:].decode(),
               artifact_decompress_s=round(dt, 3), payload_bytes=len(raw), host=cpu_info(), versions=versions(),
               jobs=a.jobs, orders={o: dict(payload_bytes=len(p), sha256=hashlib.sha256(p).hexdigest(), same_tensors=checks[o])
                                            for o, p in _PAYLOADS.items()},
               shuffle1_is_identity=byte_shuffle(raw, 1) == raw == byte_unshuffle(raw, 1),
               entropy=entropy_bytes(obj), rows=res.get("rows", []))
    assert all(checks.values()), checks
    done = {r["row"] for r in res["rows"]}
    todo = [r for r in ROWS if row_name(*r) not in done and re.search(a.only, row_name(*r))]
    write_json_atomic(a.out, res)
    with mp.get_context("fork").Pool(a.jobs) as pool:
        for r in pool.imap_unordered(run_row, todo):
            print(f"{r['row']:32s} {r['bytes']:>12,} B  compress {r['compress_s']:7.2f}s  "
                  f"decompress {r['decompress_s']:6.3f}s  round trip {'ok' if r['round_trip'] else 'FAILED'}", flush=True)
            res["rows"].append(r)
            write_json_atomic(a.out, res)
    if not all(r["round_trip"] for r in res["rows"]): sys.exit("a round trip failed")

if __name__ == "__main__": main()
