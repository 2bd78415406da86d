"""golf_nb's GPT against the seed's own model class on CPU, in fp32, on random weights: are they the same function?

    python experiments/lib/seed_model_equivalence.py [--seed_script .seed/train_gpt.py]

Builds both with the seed465 shapes, fills golf_nb's parameters with random values (so that zero-initialised
projections, the 0.5 SmearGate and the all-ones skip weights cannot hide a difference), loads the same state dict
into the seed's class (strict), and prints the largest |difference| of the logits and of each kind of sub-module.
The seed's script is an ignored copy (never committed); eval_vs_seed.py (beside this file) does the same loading on a GPU.
"""
from __future__ import annotations
import argparse, sys
from pathlib import Path
import torch

from eval_vs_seed import load_seed_module, seed_gpt


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed_script", default=".seed/train_gpt.py")
    ns = p.parse_args(argv)
    from golf_nb.config import preset
    from golf_nb.model import build_model
    cfg = preset("seed465")
    mod = load_seed_module(Path(ns.seed_script), cfg)
    torch.manual_seed(0)
    ours = build_model(cfg).eval()
    with torch.no_grad():
        for n, q in ours.named_parameters():
            q.copy_(torch.randn_like(q) * (0.02 if q.ndim >= 2 else 0.3) + (0.0 if q.ndim >= 2 or "gate" in n else 1.0))
    seed = seed_gpt(mod)[0].eval()
    seed.load_state_dict(ours.state_dict(), strict=True)
    x, h = torch.randint(0, cfg.vocab_size, (2, 128)), torch.randn(2, 128, cfg.model_dim)
    d = lambda u, v: (u - v).abs().max().item()
    with torch.no_grad():
        rows = dict(logits=d(ours.forward_logits(x), seed.forward_logits(x)), bigram=d(ours.bigram(x), seed.bigram(x)),
                    smear=d(ours.smear(h), seed.smear(h)), attention=d(ours.blocks[0].attn(h), seed.blocks[0].attn(h)),
                    mlp=d(ours.blocks[0].mlp(h), seed.blocks[0].mlp(h)),
                    block=d(ours.blocks[0](h, 0.5 * h), seed.blocks[0](h, 0.5 * h)))
    for k, v in rows.items(): print(f"{k:10s} max |golf_nb - seed| = {v:.3e}")
    return 0 if max(rows.values()) == 0.0 else 1


if __name__ == "__main__":
    sys.exit(main())
