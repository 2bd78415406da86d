"""What compressing an artifact in parts costs (`compress_streams`, golf_nb.quant.compress_parts): bytes and wall time
for each number of parts, on a real artifact's payload in frontier1024's order (split) and compressor (brotli-11,
no byte shuffle).

    python experiments/2026-12-02_frontier_quant/streams.py ARTIFACT --out FILE.json [--streams 1,2,4,8,16,32]

The artifact's payload is decompressed once and saved again in the split order (`compressors.reordered`, checked to
hold the same tensors); each count N compresses it through golf_nb's `compress_payload(..., streams=N)`, with
min(N, CPUs) processes, checks the round trip, and records the bytes of the whole file (header included) and the wall
time. FILE is rewritten after each count. The time depends on the machine's CPUs (recorded); the bytes do not.
"""
from __future__ import annotations
import argparse, io, os, platform, sys, time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1])); sys.path.insert(0, str(HERE))
from golf_nb.files import write_json_atomic  # noqa: E402
from golf_nb.quant import compress_payload, decompress_payload  # noqa: E402
from compressors import reordered, same_tensors  # noqa: E402

def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("artifact", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--streams", default="1,2,4,8,16,32")
    a = ap.parse_args(argv)
    obj = torch.load(io.BytesIO(decompress_payload(a.artifact.read_bytes(), str(a.artifact))), weights_only=True)
    raw = reordered(obj, "split")
    assert same_tensors(obj, torch.load(io.BytesIO(raw), weights_only=True)), "the split payload changed a tensor"
    cpus = os.cpu_count() or 1
    res = dict(artifact=a.artifact.name, payload_bytes=len(raw), compressor="brotli", order="split", shuffle=0,
               cpus=cpus, cpu=platform.processor() or platform.machine(), rows={})
    for n in [int(s) for s in a.streams.split(",")]:
        t0 = time.perf_counter()
        blob = compress_payload(raw, "brotli", header=True, order="split", streams=n)
        t1 = time.perf_counter()
        assert decompress_payload(blob) == raw, f"streams={n}: the round trip changed the payload"
        res["rows"][str(n)] = dict(bytes=len(blob), processes=min(n, cpus), compress_s=round(t1 - t0, 2),
                                   decompress_s=round(time.perf_counter() - t1, 3))
        print(f"streams {n:2d}: {len(blob):,} bytes, {t1 - t0:.1f} s with {min(n, cpus)} processes", flush=True)
        write_json_atomic(a.out, res)
    return res

if __name__ == "__main__": main()
