"""Every SDPA backend, with K/V heads repeated or shared natively (enable_gqa), against an fp32 reference: error and time.

For golf_nb.model.causal_attention at the seed's head layout (8 query heads, 4 K/V heads, head_dim 64, causal): the
output and the gradients of q, k, v in bf16, each compared with the same attention computed in fp32 by the math
backend with K/V repeated, as ||out - ref|| / ||ref||. bf16 kernels land near 3e-3; a kernel that pairs query heads
with the wrong K/V heads lands near 1. Then the forward + backward time of each at the training micro-batch (48
sequences of 2048), by CUDA events, the median of --reps after a warm-up. Fresh random inputs for each check.
On a CPU it runs the check at a small size and skips the timing. Prints a table; --out writes the JSON.
"""
from __future__ import annotations
import argparse, statistics, sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance import provenance, write_result  # noqa: E402
from golf_nb.model import SDPA_HAS_GQA, causal_attention  # noqa: E402


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    "||a - b|| / ||b|| in fp64."
    a, b = a.double(), b.double()
    return float((a - b).norm() / b.norm())


def inputs(B, H, Hkv, T, hd, dev, seed):
    g = torch.Generator(device=dev).manual_seed(seed)
    q, k, v = (torch.randn(B, h, T, hd, device=dev, generator=g) for h in (H, Hkv, Hkv))
    go = torch.randn(B, H, T, hd, device=dev, generator=g)
    return q, k, v, go


def fwd_bwd(q, k, v, go, native, backend, dtype):
    "Output and (dq, dk, dv) of causal_attention on copies of q, k, v cast to `dtype`."
    q, k, v = (t.detach().to(dtype).requires_grad_() for t in (q, k, v))
    out = causal_attention(q, k, v, gqa_native=native, backend=backend)
    out.backward(go.to(dtype))
    return out.detach(), (q.grad, k.grad, v.grad)


def check(backend, native, shape, dev, seed):
    q, k, v, go = inputs(*shape, dev, seed)
    ref_o, ref_g = fwd_bwd(q, k, v, go, False, "math", torch.float32)
    try:
        o, gs = fwd_bwd(q, k, v, go, native, backend, torch.bfloat16 if dev.type == "cuda" else torch.float32)
    except RuntimeError as e:  # no kernel of this backend for these inputs
        return dict(error=str(e).splitlines()[0][:160])
    return dict(out=rel(o, ref_o), dq=rel(gs[0], ref_g[0]), dk=rel(gs[1], ref_g[1]), dv=rel(gs[2], ref_g[2]))


def time_ms(backend, native, shape, dev, reps):
    q, k, v, go = inputs(*shape, dev, 0)
    q, k, v = (t.to(torch.bfloat16).requires_grad_() for t in (q, k, v))
    go = go.to(torch.bfloat16)
    def once():
        causal_attention(q, k, v, gqa_native=native, backend=backend).backward(go)
    for _ in range(3): once()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); once(); b.record(); torch.cuda.synchronize()
        times.append(a.elapsed_time(b))
    return statistics.median(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", default="flash,cudnn,efficient,math")
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--time_batch", type=int, default=48, help="sequences of 2048 in the timed micro-batch")
    p.add_argument("--out", default=None)
    ns = p.parse_args(argv)
    cuda = torch.cuda.is_available()
    dev = torch.device("cuda" if cuda else "cpu")
    check_shape = (4, 8, 4, 2048, 64) if cuda else (2, 8, 4, 128, 64)
    time_shape = (ns.time_batch, 8, 4, 2048, 64)
    rows = []
    for backend in ns.backends.split(","):
        for native in (False, True):
            if native and not SDPA_HAS_GQA: continue
            r = dict(backend=backend, gqa_native=native)
            r.update(check(backend, native, check_shape, dev, seed=len(rows) + 1))
            if cuda and "error" not in r and backend != "math":
                try: r["fwd_bwd_ms"] = time_ms(backend, native, time_shape, dev, ns.reps)
                except RuntimeError as e: r["time_error"] = str(e).splitlines()[0][:160]
            rows.append(r)
    print(f"{'backend':10s} {'gqa':5s} {'out':>9s} {'dq':>9s} {'dk':>9s} {'dv':>9s} {'fwd+bwd ms':>11s}   (relative error vs fp32 math, K/V repeated)")
    for r in rows:
        if "error" in r: print(f"{r['backend']:10s} {r['gqa_native']!s:5s} no kernel: {r['error']}"); continue
        t = f"{r['fwd_bwd_ms']:11.2f}" if "fwd_bwd_ms" in r else f"{'-':>11s}"
        print(f"{r['backend']:10s} {r['gqa_native']!s:5s} {r['out']:9.2e} {r['dq']:9.2e} {r['dk']:9.2e} {r['dv']:9.2e} {t}")
    if ns.out:
        write_result(ns.out, dict(kind="attention_backends", device=torch.cuda.get_device_name(0) if cuda else "cpu",
                                  torch_version=torch.__version__, check_shape=check_shape, time_shape=time_shape,
                                  rows=rows, provenance=provenance({})))
    bad = [r for r in rows if "error" not in r and max(r["out"], r["dq"], r["dk"], r["dv"]) > 2e-2]
    if bad: print("over 2e-2 (not the same function):", ", ".join(f"{r['backend']} gqa_native={r['gqa_native']}" for r in bad))
    return 0


if __name__ == "__main__":
    sys.exit(main())
