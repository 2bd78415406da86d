"""The seed's sliding-window evaluation against golf_nb's, on one artifact and one GPU, back to back.

Loads a golf_nb run's artifact (final_model.ptz + config.json), builds the seed's own model class from the seed's
script (imported from --seed_script: an ignored copy, never committed) with the run's shapes, and loads the same
de-quantized weights into it and into golf_nb's model. Then times, on the same validation tokens:
  1. the seed's `eval_val_sliding` (32 windows a batch, uncompiled), as its script calls it;
  2. golf_nb's `eval_val_sliding` with scoring='seed' (the seed's targets, repeats included) and scoring='once',
     compiled, for each --batch_seqs: the first call of a shape includes compilation ('cold'), the next does not.
The val_bpb of (1) and of golf_nb with scoring='seed' must agree within 1e-4; 'once' minus 'seed' is what the seed's
repeated tail targets change. Writes one JSON object (--out) and prints a table.

The seed's rotary tables: its Rotary caches cos/sin the first time it runs, computing positions in inv_freq's dtype,
which the seed's cast makes bf16. In the seed's script that first time is inside the compiled training graph, where
the positions and angles stay fp32, and its final evaluation reuses that cache. A fresh seed model run eagerly (as
here, with nothing trained) would instead build its tables with bf16 positions, which are off by up to 8 above 1024:
a different function. So (1) first runs one compiled forward at the training length, as the seed's training does;
with --unprimed it also scores the fresh eager tables, to show the difference.
"""
from __future__ import annotations
import importlib.util, os, sys, time
from pathlib import Path

from provenance import provenance, write_result


def load_seed_module(path: Path, cfg):
    "Import the seed's script as a module, its Hyperparameters read from environment variables set from `cfg`."
    env = dict(DATA_PATH=cfg.data_path, TOKENIZER_PATH=cfg.tokenizer_path, VOCAB_SIZE=cfg.vocab_size,
               NUM_LAYERS=cfg.num_layers, MODEL_DIM=cfg.model_dim, NUM_HEADS=cfg.num_heads, NUM_KV_HEADS=cfg.num_kv_heads,
               MLP_MULT=cfg.mlp_mult, BIGRAM_VOCAB_SIZE=cfg.bigram_vocab_size, BIGRAM_DIM=cfg.bigram_dim,
               TRAIN_SEQ_LEN=cfg.train_seq_len, EVAL_STRIDE=cfg.eval_stride, LOGIT_SOFTCAP=cfg.logit_softcap,
               ROPE_BASE=cfg.rope_base, QK_GAIN_INIT=cfg.qk_gain_init, TIE_EMBEDDINGS=int(cfg.tie_embeddings))
    os.environ.update({k: str(v) for k, v in env.items()})
    if not path.exists(): raise FileNotFoundError(f"{path}: the seed's train_gpt.py is needed (keep it in an ignored folder)")
    spec = importlib.util.spec_from_file_location("seed_train_gpt", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seed_gpt(mod):
    "The seed's GPT class, built (fp32, on CPU) with the shapes its Hyperparameters read from the environment."
    a = mod.Hyperparameters()
    return mod.GPT(vocab_size=a.vocab_size, num_layers=a.num_layers, model_dim=a.model_dim, num_heads=a.num_heads,
                   num_kv_heads=a.num_kv_heads, mlp_mult=a.mlp_mult, tie_embeddings=a.tie_embeddings,
                   tied_embed_init_std=a.tied_embed_init_std, logit_softcap=a.logit_softcap, rope_base=a.rope_base,
                   qk_gain_init=a.qk_gain_init, bigram_vocab_size=a.bigram_vocab_size, bigram_dim=a.bigram_dim), a


def seed_model(mod, sd, device):
    "The seed's GPT with its own mixed precision, holding the state dict `sd`."
    m, a = seed_gpt(mod)
    m = m.to(device)
    if device.type == "cuda": m = m.bfloat16()   # as the seed's main does
    for module in m.modules():
        if isinstance(module, mod.CastedLinear): module.float()
    mod.restore_low_dim_params_to_fp32(m)
    m.load_state_dict(sd, strict=True)
    return m, a


def prime_rotary_as_trained(mod, smodel, T: int, device):
    "Fill the seed model's rotary caches as the seed's training does: one compiled forward of length `T`."
    import torch
    x = torch.zeros(1, T, dtype=torch.int64, device=device)
    fwd = torch.compile(smodel.forward_logits, dynamic=False, fullgraph=True) if device.type == "cuda" else smodel.forward_logits
    with torch.no_grad(), torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        fwd(x)
    rots = [m for m in smodel.modules() if isinstance(m, mod.Rotary)]
    if not rots or any(r._cos_cached is None or r._seq_len_cached != T for r in rots):
        raise RuntimeError("eval_vs_seed: the compiled forward did not fill the seed's rotary caches")


def timed(fn):
    "`(result, seconds)` of `fn()`, the GPU (if any) drained before and after."
    import torch
    sync = torch.cuda.synchronize if torch.cuda.is_available() else (lambda: None)
    sync(); t = time.perf_counter()
    out = fn()
    sync()
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run_dir", help="a golf_nb run directory (final_model.ptz and config.json)")
    p.add_argument("--seed_script", default=".seed/train_gpt.py", help="the seed's unmodified train_gpt.py")
    p.add_argument("--data_path", default=None, help="folder with fineweb_val_*.bin (default: the run's)")
    p.add_argument("--tokenizer_path", default=None, help="SentencePiece model (default: the run's)")
    p.add_argument("--batch_seqs", default="32,128", help="golf_nb's windows per batch, comma-separated")
    p.add_argument("--unprimed", action="store_true", help="also score the seed model's fresh, eager rotary tables")
    p.add_argument("--out", default="eval_vs_seed.json")
    ns = p.parse_args(argv)
    import torch
    from golf_nb.dist import DistState
    from golf_nb.evaluate import eval_val_sliding
    from golf_nb.launch import load_saved_run
    from golf_nb.train import load_eval_data
    cuda = torch.cuda.is_available()   # on CPU: a smoke check of the plumbing, uncompiled, timings meaningless
    dev = torch.device("cuda", 0) if cuda else torch.device("cpu")
    solo = DistState(device=dev)
    cfg, model, sd, art = load_saved_run(ns.run_dir, {k: getattr(ns, k) for k in ("data_path", "tokenizer_path")}, solo)
    luts, val = load_eval_data(cfg, dev)
    T, S = cfg.train_seq_len, cfg.eval_stride

    mod = load_seed_module(Path(ns.seed_script), cfg)
    smodel, args = seed_model(mod, sd, dev)
    import sentencepiece as spm
    sluts = mod.build_sentencepiece_luts(spm.SentencePieceProcessor(model_file=cfg.tokenizer_path), cfg.vocab_size, dev)
    sval = mod.load_validation_tokens(args.val_files, T)
    if not torch.equal(sval.cpu().long(), val.cpu().long()):
        sys.exit(f"eval_vs_seed: the seed and golf_nb read different validation tokens from {cfg.data_path}")
    seed_eval = lambda m: timed(lambda: mod.eval_val_sliding(args, m, 0, 1, dev, sval, *sluts, stride=S, batch_seqs=32))
    unprimed = None
    if ns.unprimed:
        (u_loss, u_bpb), u_time = seed_eval(smodel)
        unprimed = dict(val_bpb=u_bpb, val_loss=u_loss, time_s=u_time)
        print(f"seed eval_val_sliding, fresh eager rotary tables: val_bpb {u_bpb:.8f} in {u_time:.2f} s", flush=True)
        smodel, args = seed_model(mod, sd, dev)
    prime_rotary_as_trained(mod, smodel, T, dev)
    (s_loss, s_bpb), s_time = seed_eval(smodel)
    del smodel; torch.cuda.empty_cache()
    print(f"seed eval_val_sliding: val_bpb {s_bpb:.8f} val_loss {s_loss:.8f} in {s_time:.2f} s", flush=True)

    rows = []

    def save() -> dict:   # after every measurement: a run cut short keeps what it measured
        warm = [x for x in rows if x["phase"] == "warm" and x["scoring"] == "seed" and x["compiled"] == cuda]
        best = min(warm, key=lambda x: x["time_s"]) if warm else None
        pick = lambda **kw: next((x for x in rows if best and x["batch_seqs"] == best["batch_seqs"]
                                  and all(x[k] == v for k, v in kw.items())), None)
        cold, once = pick(phase="cold"), pick(scoring="once")
        res = dict(kind="eval_vs_seed", artifact=str(art), val_tokens=int(val.numel()), seq_len=T, stride=S,
                   gpu=torch.cuda.get_device_name(0) if cuda else "cpu",
                   seed=dict(val_bpb=s_bpb, val_loss=s_loss, time_s=s_time, batch_seqs=32, compiled=False,
                             rotary="primed by a compiled forward, as after the seed's training"),
                   seed_fresh_eager_rotary=unprimed,
                   golf_nb=rows, best_batch_seqs=best and best["batch_seqs"],
                   bpb_diff_seed_scoring=best and best["val_bpb"] - s_bpb,
                   bpb_once_minus_seed_scoring=once and best and once["val_bpb"] - best["val_bpb"],
                   eval_speedup_vs_seed=best and s_time / best["time_s"],
                   eval_speedup_vs_seed_with_compile=cold and s_time / cold["time_s"],
                   provenance=provenance({"seed_script": ns.seed_script, "artifact": art}))
        write_result(ns.out, res)
        return res

    def measure(bs, scoring, phase, compiled):
        r, t = timed(lambda: eval_val_sliding(model, val, luts, T, S, bs, solo, scoring=scoring, compile=compiled))
        rows.append(dict(batch_seqs=bs, scoring=scoring, compiled=compiled, phase=phase, time_s=t, val_bpb=r.bpb,
                         val_loss=r.loss, tokens=r.tokens, bytes=r.bytes))
        print(f"golf_nb bs={bs} scoring={scoring} {phase}{'' if compiled else ' uncompiled'}: val_bpb {r.bpb:.8f} "
              f"in {t:.2f} s", flush=True)
        return save()

    for bs in [int(b) for b in ns.batch_seqs.split(",")]:
        measure(bs, "seed", "cold", cuda)
        measure(bs, "seed", "warm", cuda)
        res = measure(bs, "once", "warm", cuda)
    res = measure(32, "seed", "warm", False)
    f = lambda v, fmt: "n/a" if v is None else format(v, fmt)
    print(f"speed-up (warm) {f(res['eval_speedup_vs_seed'], '.2f')}x, with compilation "
          f"{f(res['eval_speedup_vs_seed_with_compile'], '.2f')}x; bpb diff {f(res['bpb_diff_seed_scoring'], '+.2e')}; "
          f"once - seed scoring {f(res['bpb_once_minus_seed_scoring'], '+.2e')} -> {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
