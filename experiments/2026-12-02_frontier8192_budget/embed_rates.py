"""The bytes and the head-output error of a trained tied embedding under each storage the frontier8192 preset could
give it: int6, int7 or int8_rows, rows clipped at k standard deviations (SDClip), rounded or quantized by GPTQ
against the Hessian of the head's inputs (golf_nb's embed_quantizer=gptq). CPU only.

    python experiments/2026-12-02_frontier8192_budget/embed_rates.py ARTIFACT [--calib_seqs 16] [--heldout_seqs 8]

ARTIFACT is the frontier1024_p180 seed-42 artifact of 2026-12-02 (`experiments/2026-12-02_frontier_quant`; not in git,
sha256 fc0cf6c3...). Its tensors are read back into the frontier1024 model (repeat on, as at the end of that run),
whose embedding (1024 x 512) was stored as #1204's int8 (percentile clip, step about row max / 127): that
de-quantized embedding is the "trained embedding" quantized again here. The final-normed hidden states `h` come from
the model's own forward over sequences of 2,048 tokens of the shared training text (`train_text/fineweb_legal`, the
official sp1024 tokenizer, a BOS before each document; never validation text): the first `calib_seqs` sequences give
the Hessian (as golf_nb.quant.gptq_calibration makes it: h^T h summed over sequences, divided by their number, damped
by 1% of the mean diagonal), the next `heldout_seqs` measure the error on text GPTQ did not see.

For each (kind, k, method): the codes' and scales' order-0 entropy in bytes (as compressors.py counts it), their
brotli-11 size compressed alone, and the relative head-output error ||h (W - W_q)^T|| / ||h W^T|| on the
calibration and the held-out states. The artifact's own int8 embedding is a row too. Writes embed_rates.json beside
this script.
"""
from __future__ import annotations
import io, json, lzma, sys, time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "lib"))
from provenance import ROOT, provenance, script_parser, write_result  # noqa: E402
sys.path.insert(0, str(ROOT))
from golf_nb.config import preset  # noqa: E402
from golf_nb.model import build_model  # noqa: E402
from golf_nb.quant import (TIED_HEAD, compress_payload, damp_hessian, decompress_payload, dequantize_rows, gptq_quantize,
                           load_artifact, quantize_rows_clipped, row_kind)  # noqa: E402
from golf_nb.tokenizer import load_sentencepiece  # noqa: E402

GRID = [(bits, k) for bits in (6, 7, 8) for k in (5.0, 10.0, 20.0)]  # k = 20 at 8 bits: record 2026-04-05's embedding
SEQ = 2048


def entropy_bytes(t: torch.Tensor) -> float:
    "Order-0 entropy of the tensor's bytes, in bytes (compressors.py's count)."
    a = t.contiguous().reshape(-1).view(torch.uint8).numpy()
    p = np.bincount(a, minlength=256) / a.size
    return float(-(p[p > 0] * np.log2(p[p > 0])).sum() * a.size / 8)


def stored(q: torch.Tensor, s: torch.Tensor) -> dict:
    "Entropy and brotli-11 bytes of codes and scales, each compressed alone and together."
    raw = q.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() + s.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
    return dict(entropy_q=round(entropy_bytes(q)), entropy_scale=round(entropy_bytes(s)),
                brotli=len(compress_payload(raw, "brotli")), stored=len(raw))


def sequences(shared: Path, sp, n: int) -> torch.Tensor:
    "The first `n` windows of SEQ tokens of fineweb_legal's documents, each document BOS + its tokens, end to end."
    ids, need = [], n * SEQ
    with lzma.open(shared / "train_text/fineweb_legal.jsonl.xz", "rt", encoding="utf-8") as f:
        for line in f:
            ids += [sp.bos_id(), *sp.encode(json.loads(line)["text"])]
            if len(ids) >= need: break
    return torch.tensor(ids[:need]).view(n, SEQ)


def main(argv=None) -> int:
    p = script_parser(__doc__, HERE / "embed_rates.json")
    p.add_argument("artifact")
    p.add_argument("--calib_seqs", type=int, default=16)
    p.add_argument("--heldout_seqs", type=int, default=8)
    a = p.parse_args(argv)
    shared, t_all = Path(a.shared).resolve(), time.perf_counter()
    tok = shared / "tokenizers/fineweb_1024_bpe.model"
    res = dict(provenance=provenance(dict(artifact=Path(a.artifact), tokenizer=tok,
                                          text=shared / "train_text/fineweb_legal.jsonl.xz")),
               calib_seqs=a.calib_seqs, heldout_seqs=a.heldout_seqs, seq_len=SEQ)
    torch.manual_seed(0)
    model = build_model(preset("frontier1024_p180"), init=False)
    sd = load_artifact(a.artifact, model.state_dict())
    model.load_state_dict(sd); model.set_recurrence(True, sync=False); model.eval()
    blob = Path(a.artifact).read_bytes()
    own = torch.load(io.BytesIO(decompress_payload(blob)), weights_only=True)
    assert own["m"][TIED_HEAD] == {"type": "int8"}, own["m"][TIED_HEAD]
    W = sd[TIED_HEAD].float()                                                   # (1024, 512)
    res["embedding"] = dict(shape=list(W.shape), std=W.std().item(),
                            row_max_over_std_median=(W.abs().amax(1) / W.std(1)).median().item())

    seqs = sequences(shared, load_sentencepiece(tok), a.calib_seqs + a.heldout_seqs)
    t0, hs = time.perf_counter(), []
    with torch.no_grad():
        for x in seqs: hs.append(model.hidden(x[None]).reshape(-1, W.shape[1]).float())   # (SEQ, 512) each
    res["forward_s"] = round(time.perf_counter() - t0, 1)
    hc, ho = torch.cat(hs[:a.calib_seqs]), torch.cat(hs[a.calib_seqs:])
    H = damp_hessian(sum(h.T @ h for h in hs[:a.calib_seqs]) / a.calib_seqs)   # gptq_calibration's Hessian
    ref_c, ref_o = (hc @ W.T).norm().item(), (ho @ W.T).norm().item()

    def row(q, s, **kw) -> dict:
        Wq = dequantize_rows(q, s)
        return dict(kw, **stored(q, s), params=W.numel(),
                    err_calib=(hc @ (W - Wq).T).norm().item() / ref_c, err_heldout=(ho @ (W - Wq).T).norm().item() / ref_o)

    res["rows"] = [row(own["w"][TIED_HEAD + ".q"], own["w"][TIED_HEAD + ".scale"], kind="int8", k=None, method="artifact")]
    for bits, k in GRID:
        for method in ("rtn", "gptq"):
            t0 = time.perf_counter()
            q, s = (quantize_rows_clipped(W, bits, "sdclip", k) if method == "rtn" else gptq_quantize(W, H, bits, "sdclip", sdclip_k=k))
            res["rows"].append(row(q, s, kind=row_kind(bits), k=k, method=method, quant_s=round(time.perf_counter() - t0, 2)))
            r = res["rows"][-1]
            print(f"{r['kind']:9s} k={k:4.1f} {method:4s} entropy {r['entropy_q'] + r['entropy_scale']:>8,} brotli {r['brotli']:>8,}"
                  f" err calib {r['err_calib']:.4f} heldout {r['err_heldout']:.4f}", flush=True)
            write_result(a.out, res)
    res["seconds"] = round(time.perf_counter() - t_all, 1)
    write_result(a.out, res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
