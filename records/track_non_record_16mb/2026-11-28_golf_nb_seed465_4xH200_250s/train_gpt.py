"""train_gpt.py of record golf_nb_seed465_4xH200_250s: golf_nb 0.1.0 in one file.

Run: torchrun --standalone --nproc_per_node=8 train_gpt.py (or python train_gpt.py). The defaults are the
recorded run's config (BUNDLE_DEFAULTS, at the end); the challenge's environment variables (any config
field, upper-case: SEED, DATA_PATH, ITERATIONS, ...) and --field value options override them. The run writes
runs/<run_id>/ under the working directory. Modules, in order: config, dist, data, tokenizer, corpus, model, muon, averaging, evaluate, quant, checkpoint, train."""
from __future__ import annotations

# ------------------------------ golf_nb.config
import argparse, json, os
from dataclasses import dataclass, fields, asdict, replace
from typing import Any, Mapping, Sequence

class ConfigError(ValueError):
    "A run configuration that cannot work."

@dataclass
class RunConfig:
    "Every knob of a training run."
    # --- data and bookkeeping (seed knobs)
    data_path: str = "./data/datasets/fineweb10B_sp8192"  # folder with fineweb_{train,val}_*.bin, or 'embedded'
    tokenizer_path: str = "./data/tokenizers/fineweb_8192_bpe.model"  # SentencePiece model, or 'embedded'
    run_id: str = ""  # name of the run; empty: a time stamp and random suffix
    seed: int = 1337  # seed for python, numpy and torch
    val_batch_size: int = 524_288  # tokens per validation batch (all ranks together)
    val_loss_every: int = 500  # validate every N steps (0: only at the end)
    train_log_every: int = 100  # log the training loss every N steps
    # --- schedule
    iterations: int = 20_000  # maximum number of optimizer steps
    warmdown_iters: int = 3_000  # length of the linear LR warm-down, in steps
    warmup_steps: int = 20  # compile warm-up steps, undone before training starts
    train_batch_tokens: int = 786_432  # tokens per optimizer step (all ranks together)
    train_seq_len: int = 2048  # sequence length for training and evaluation
    max_wallclock_seconds: float = 600.0  # training-time cap in seconds (0: none)
    # --- model
    qk_gain_init: float = 1.5  # initial per-head gain on the queries
    vocab_size: int = 8192  # tokenizer vocabulary size
    num_layers: int = 9  # transformer blocks
    num_kv_heads: int = 4  # key/value heads (grouped-query attention)
    model_dim: int = 512  # residual stream width
    num_heads: int = 8  # query heads
    mlp_mult: float = 3.0  # MLP hidden width as a multiple of model_dim
    tie_embeddings: bool = True  # output head shares the token embedding
    rope_base: float = 10_000.0  # rotary embedding base
    logit_softcap: float = 30.0  # logits = c * tanh(logits / c)
    # --- optimizers
    embed_lr: float = 0.6  # token embedding LR when embeddings are untied
    head_lr: float = 0.008  # output head LR when embeddings are untied
    tied_embed_lr: float = 0.03  # token embedding (and bigram table) LR when tied
    tied_embed_init_std: float = 0.005  # std of the tied embedding's normal init
    matrix_lr: float = 0.02  # Muon LR for block matrices
    scalar_lr: float = 0.02  # AdamW LR for scalars and control tensors
    muon_momentum: float = 0.99  # Muon momentum after warm-up
    muon_backend_steps: int = 5  # Newton-Schulz iterations
    muon_momentum_warmup_start: float = 0.92  # Muon momentum at step 0
    muon_momentum_warmup_steps: int = 1500  # steps of linear momentum warm-up
    beta1: float = 0.9  # Adam beta1
    beta2: float = 0.95  # Adam beta2
    adam_eps: float = 1e-8  # Adam epsilon
    grad_clip_norm: float = 0.3  # global gradient-norm clip (0: off)
    weight_decay: float = 0.01  # AdamW weight decay
    # --- evaluation
    eval_stride: int = 64  # sliding-window stride for the final score (0 or >= seq: plain windows)
    eval_batch_seqs: int = 32  # windows per sliding-evaluation batch
    # --- BigramHash
    bigram_vocab_size: int = 4096  # bigram hash buckets (0: no bigram embedding)
    bigram_dim: int = 128  # bigram embedding width, projected to model_dim
    # --- weight averaging
    swa_enabled: bool = True  # stochastic weight averaging during warm-down
    swa_start_frac: float = 0.5  # collect once the LR multiplier is below this
    swa_every: int = 50  # collect every N steps
    # --- quantization
    embed_quant: str = "fp16"  # token embedding in the artifact: fp16, int6 or int8
    control_tensor_name_patterns: str = "attn_scale,attn_scales,mlp_scale,mlp_scales,resid_mix,resid_mixes,q_gain,skip_weight,skip_weights,smear,bigram.scale"  # names kept in fp32 on GPU and passed through quantization
    fp16_keep_name_patterns: str = ""  # tensors kept in fp16 (empty: the last block's attn.c_k)
    int8_keep_float_fp32_name_patterns: str = ""  # large tensors kept in fp32 (empty: the control patterns)
    # --- golf_nb's additions (defaults reproduce the seed)
    muon_weight_decay: float = 0.04  # decoupled weight decay of the Muon group
    ema_decay: float = 0.0  # exponential moving average of weights (0: off)
    grad_accum_steps: int = 0  # micro-steps per optimizer step (0: 8 // world size, as the seed)
    torch_compile: bool = True  # compile the model and Newton-Schulz on CUDA
    attn_backend: str = "flash"  # SDPA backend on CUDA: flash, cudnn, efficient, math or auto
    gqa_native: bool = False  # let SDPA share K/V heads instead of repeating them
    compressor: str = "zstd"  # artifact compression: zstd (level 22) or zlib (level 9)
    val_max_tokens: int = 0  # cut the validation tokens to this many (0: all)
    run_dir: str = ""  # where the run writes its files (empty: runs/<run_id>)
    code_bytes: int = 0  # bytes of counted code (0: measure the package's own source)
    resume: bool = False  # continue the run in run_dir from its checkpoint.pt
    stop_after_seconds: float = 0.0  # wall-clock seconds this invocation trains, then checkpoints and exits unfinished (0: off)
    # --- speed knobs (none changes the maths)
    compile_mode: str = "default"  # torch.compile mode of the model: default or max-autotune-no-cudagraphs
    muon_batched: bool = False  # orthogonalise same-shape matrices together, one batched Newton-Schulz per shape
    eval_scoring: str = "once"  # sliding windows: 'once' scores every target once; 'seed' repeats the seed's tail quirk
    eval_compile: bool = True  # compile the sliding evaluation's forward on CUDA (with torch_compile)

def env_name(field_name: str) -> str:
    "The environment variable that sets `field_name`."
    return field_name.upper()

_FIELDS = {f.name: f for f in fields(RunConfig)}

def _field_type(name):
    t = _FIELDS[name].type
    return {"int": int, "float": float, "bool": bool, "str": str}[t if isinstance(t, str) else t.__name__]

def parse_value(name: str, raw: Any) -> Any:
    "Convert `raw` (a string from argv or the environment) to the type of field `name`."
    if name not in _FIELDS: raise ConfigError(f"unknown config field {name!r}")
    typ = _field_type(name)
    if not isinstance(raw, str): return typ(raw)
    s = raw.strip()
    try:
        if typ is bool:
            if s.lower() in ("1", "true", "yes", "on"): return True
            if s.lower() in ("0", "false", "no", "off"): return False
            raise ValueError(s)
        if typ is int: return int(float(s)) if "e" in s.lower() else int(s.replace("_", ""))
        return typ(s)
    except ValueError:
        raise ConfigError(f"{name}: cannot read {raw!r} as {typ.__name__}") from None

def env_overrides(environ: Mapping[str, str] | None = None) -> dict:
    "Fields set through environment variables in `environ` (default: `os.environ`)."
    environ = os.environ if environ is None else environ
    return {n: parse_value(n, environ[env_name(n)]) for n in _FIELDS if env_name(n) in environ}

PRESETS: dict[str, dict] = {
    "default": {},
    "seed465": dict(
        data_path="./data/datasets/fineweb10B_sp1024", tokenizer_path="./data/tokenizers/fineweb_1024_bpe.model",
        vocab_size=1024, num_layers=10),
    "smoke": dict(
        data_path="embedded", tokenizer_path="embedded", vocab_size=512, num_layers=4, model_dim=64,
        num_heads=4, num_kv_heads=2, mlp_mult=3.0, bigram_vocab_size=512, bigram_dim=32, train_seq_len=128,
        train_batch_tokens=4096, iterations=200, warmdown_iters=60, warmup_steps=2, max_wallclock_seconds=0.0,
        val_loss_every=100, train_log_every=25, val_batch_size=16384, muon_momentum_warmup_steps=50,
        swa_every=10, eval_stride=64, eval_batch_seqs=32, val_max_tokens=65_536, grad_accum_steps=1),
}
PRESETS["p180"] = {**PRESETS["seed465"], **dict(
    data_path="./data/p180", train_batch_tokens=262_144, max_wallclock_seconds=180.0, warmdown_iters=400,
    muon_momentum_warmup_steps=250, val_loss_every=0)}

def preset(name: str, **overrides) -> RunConfig:
    "The preset `name` with `overrides` applied."
    if name not in PRESETS: raise ConfigError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    unknown = set(overrides) - set(_FIELDS)
    if unknown: raise ConfigError(f"unknown config field(s): {', '.join(sorted(unknown))}")
    return replace(RunConfig(), **{**PRESETS[name], **overrides})

@dataclass(frozen=True)
class Derived:
    "Quantities that follow from a config and a world size."
    grad_accum_steps: int
    local_batch_tokens: int  # tokens per rank per micro-step
    fp16_keep: tuple
    control_patterns: tuple
    fp32_keep: tuple

def _patterns(s): return tuple(p for p in s.split(",") if p)

def grad_accum_for(c: RunConfig, world_size: int) -> int:
    "Micro-steps per optimizer step on `world_size` ranks."
    if c.grad_accum_steps > 0: return c.grad_accum_steps
    if 8 % world_size == 0: return 8 // world_size
    seqs = c.train_batch_tokens // c.train_seq_len
    for a in range(-(-8 // world_size), seqs + 1):
        if seqs % (world_size * a) == 0: return a
    raise ConfigError(f"train_batch_tokens={c.train_batch_tokens} cannot be split over {world_size} ranks")

def derive(c: RunConfig, world_size: int = 1) -> Derived:
    "Derived quantities of `c` on `world_size` ranks (validates first)."
    validate(c, world_size)
    accum = grad_accum_for(c, world_size)
    ctrl = _patterns(c.control_tensor_name_patterns)
    return Derived(accum, c.train_batch_tokens // (world_size * accum),
                   _patterns(c.fp16_keep_name_patterns) or (f"blocks.{c.num_layers - 1}.attn.c_k",),
                   ctrl, _patterns(c.int8_keep_float_fp32_name_patterns) or ctrl)

def validate(c: RunConfig, world_size: int = 1) -> RunConfig:
    "Raise `ConfigError` naming the first combination of knobs that cannot work."
    def need(ok, msg):
        if not ok: raise ConfigError(msg)
    need(c.model_dim % c.num_heads == 0, f"model_dim={c.model_dim} is not divisible by num_heads={c.num_heads}")
    need(c.num_heads % c.num_kv_heads == 0, f"num_heads={c.num_heads} is not divisible by num_kv_heads={c.num_kv_heads}")
    need((c.model_dim // c.num_heads) % 2 == 0, f"head_dim={c.model_dim // c.num_heads} must be even for RoPE")
    need(c.num_layers >= 1 and c.vocab_size >= 2, "num_layers and vocab_size must be positive")
    need(c.vocab_size <= 65536, f"vocab_size={c.vocab_size}: shards store tokens as uint16")
    need(c.logit_softcap > 0, f"logit_softcap must be positive, got {c.logit_softcap}")
    need(c.train_seq_len >= 2 and c.train_batch_tokens % c.train_seq_len == 0,
         f"train_batch_tokens={c.train_batch_tokens} is not a multiple of train_seq_len={c.train_seq_len}")
    need(1 <= world_size, f"world size must be positive, got {world_size}")
    accum = grad_accum_for(c, world_size)
    need(c.train_batch_tokens % (world_size * accum * c.train_seq_len) == 0,
         f"train_batch_tokens={c.train_batch_tokens} does not split into whole sequences of {c.train_seq_len} "
         f"over {world_size} ranks x {accum} micro-steps")
    need(c.val_batch_size // (world_size * accum) >= c.train_seq_len,
         f"val_batch_size={c.val_batch_size} gives less than one sequence per rank and micro-step")
    need(c.embed_quant in ("fp16", "int6", "int8"), f"embed_quant must be fp16, int6 or int8, got {c.embed_quant!r}")
    need(c.compressor in ("zstd", "zlib"), f"compressor must be zstd or zlib, got {c.compressor!r}")
    need(c.attn_backend in ("flash", "cudnn", "efficient", "math", "auto"), f"unknown attn_backend {c.attn_backend!r}")
    need(0.0 <= c.ema_decay < 1.0, f"ema_decay must be in [0, 1), got {c.ema_decay}")
    need(c.eval_stride >= 0 and c.eval_batch_seqs >= 1, "eval_stride must be >= 0 and eval_batch_seqs >= 1")
    need(c.bigram_vocab_size == 0 or c.bigram_vocab_size >= 2, "bigram_vocab_size must be 0 or at least 2")
    need(c.compile_mode in ("default", "max-autotune-no-cudagraphs"), f"unknown compile_mode {c.compile_mode!r}")
    need(c.eval_scoring in ("once", "seed"), f"eval_scoring must be 'once' or 'seed', got {c.eval_scoring!r}")
    need(c.stop_after_seconds >= 0, f"stop_after_seconds must be >= 0, got {c.stop_after_seconds}")
    need(not c.resume or bool(c.run_dir or c.run_id), "resume needs the run_dir (or run_id) of the run to continue")
    return c

def config_parser(prog: str = "golf_train", description: str = "Train a Parameter Golf model.") -> argparse.ArgumentParser:
    "An argument parser with `--preset`, `--print_config` and one option per config field."
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--preset", default="seed465", help=f"one of: {', '.join(PRESETS)}")
    p.add_argument("--print_config", action="store_true", help="print the resolved config as JSON and exit")
    for f in fields(RunConfig):
        p.add_argument(f"--{f.name}", dest=f.name, default=None, metavar=_field_type(f.name).__name__.upper(),
                       help=f"(env {env_name(f.name)}; default {f.default!r})")
        if _field_type(f.name) is bool:
            p.add_argument(f"--no-{f.name}", dest=f.name, action="store_const", const="0", help=argparse.SUPPRESS)
    return p

def resolve_config(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None,
                   parser: argparse.ArgumentParser | None = None) -> tuple[RunConfig, argparse.Namespace]:
    "The config from preset < environment < command line, validated, and the parsed arguments."
    ns = (parser or config_parser()).parse_args(argv)
    cli = {n: parse_value(n, getattr(ns, n)) for n in _FIELDS if getattr(ns, n, None) is not None}
    c = preset(ns.preset, **{**env_overrides(environ), **cli})
    validate(c)
    return c, ns

def config_to_json(c: RunConfig, **extra) -> str:
    "The config as indented JSON, with `extra` keys appended."
    return json.dumps({**asdict(c), **extra}, indent=2)

def config_from_json(s: str) -> RunConfig:
    "Read a config written by `config_to_json`; unknown keys are ignored."
    d = json.loads(s)
    return RunConfig(**{k: parse_value(k, v) for k, v in d.items() if k in _FIELDS})

# ------------------------------ golf_nb.dist
import os, pickle, socket, traceback
import multiprocessing as mp
from dataclasses import dataclass
import torch
import torch.distributed as dist

@dataclass
class DistState:
    "Where this process stands in the job."
    rank: int = 0  # global rank
    local_rank: int = 0  # rank on this machine; picks the GPU
    world_size: int = 1  # number of processes
    device: torch.device = torch.device("cpu")  # this process's device
    distributed: bool = False  # whether a process group was started

    @property
    def is_main(self) -> bool: return self.rank == 0

def init_distributed(environ=None, use_cuda: bool | None = None) -> DistState:
    "Start the process group if `torchrun` launched us; pick this rank's device."
    env = os.environ if environ is None else environ
    rank, world = int(env.get("RANK", 0)), int(env.get("WORLD_SIZE", 1))
    local_rank = int(env.get("LOCAL_RANK", 0))
    if world < 1 or not 0 <= rank < world: raise ValueError(f"bad RANK={rank} / WORLD_SIZE={world}")
    use_cuda = torch.cuda.is_available() if use_cuda is None else use_cuda
    if use_cuda:
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    else: device = torch.device("cpu")
    distributed = "RANK" in env and "WORLD_SIZE" in env
    if distributed and not dist.is_initialized():
        if use_cuda: dist.init_process_group(backend="nccl", device_id=device)
        else: dist.init_process_group(backend="gloo")
        dist.barrier()
    return DistState(rank, local_rank, world, device, distributed)

def close_distributed(state: DistState) -> None:
    "Tear down the process group started by `init_distributed`."
    if state.distributed and dist.is_initialized(): dist.destroy_process_group()

def is_dist() -> bool:
    "Whether a process group is running."
    return dist.is_available() and dist.is_initialized()

def all_reduce_(t: torch.Tensor, op: str = "sum") -> torch.Tensor:
    "Reduce `t` in place over all ranks (`sum` or `max`); a no-op in a single process."
    if is_dist(): dist.all_reduce(t, op={"sum": dist.ReduceOp.SUM, "max": dist.ReduceOp.MAX}[op])
    return t

def barrier() -> None:
    "Wait for every rank; a no-op in a single process."
    if is_dist(): dist.barrier()

def free_port() -> int:
    "A free TCP port on localhost."
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def _rank_main(fn, rank, world_size, port, q):
    try:
        torch.set_num_threads(1)
        os.environ.update(RANK=str(rank), WORLD_SIZE=str(world_size), LOCAL_RANK=str(rank),
                          MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size)
        q.put((rank, True, pickle.dumps(fn(rank, world_size))))   # by value: tensors outlive the child
    except BaseException:
        q.put((rank, False, traceback.format_exc()))
    finally:
        if dist.is_initialized(): dist.destroy_process_group()

def run_on_ranks(fn, world_size: int = 2, timeout: float = 120.0) -> list:
    "Run `fn(rank, world_size)` on `world_size` forked CPU ranks with a gloo group; return results by rank."
    ctx, port = mp.get_context("fork"), free_port()
    q = ctx.Queue()
    procs = [ctx.Process(target=_rank_main, args=(fn, r, world_size, port, q)) for r in range(world_size)]
    for p in procs: p.start()
    try: out = [q.get(timeout=timeout) for _ in procs]
    finally:
        for p in procs: p.join(timeout=10)
        for p in procs:
            if p.is_alive(): p.kill()
    failed = [(r, v) for r, ok, v in out if not ok]
    if failed: raise RuntimeError(f"rank {failed[0][0]} failed:\n{failed[0][1]}")
    return [pickle.loads(v) for _, _, v in sorted(out, key=lambda o: o[0])]

# ------------------------------ golf_nb.data
import argparse, glob, gzip, json, lzma, os, random, sys, time
from pathlib import Path
from typing import Iterable, Iterator, Sequence
import numpy as np
import torch
import sentencepiece as spm

SHARD_MAGIC = 20240520
SHARD_VERSION = 1
SHARD_HEADER_INTS = 256
SHARD_HEADER_BYTES = SHARD_HEADER_INTS * 4  # 1024

class ShardError(ValueError):
    "A shard file (or a set of them) that cannot be used; the message names the file and the fault."

def _write_file_atomic(path: Path, chunks: Iterable[bytes]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            for c in chunks: f.write(c)
        os.replace(tmp, path)
    finally:
        if tmp.exists(): tmp.unlink()
    return path

def write_shard(path: str | Path,  # where to write, e.g. `.../fineweb_train_000000.bin`
                tokens,  # token ids in [0, 65535]: array, tensor or list
               ) -> Path:
    "Write `tokens` as a challenge shard (header + uint16), atomically."
    t = np.asarray(tokens.cpu() if isinstance(tokens, torch.Tensor) else tokens).reshape(-1)
    if t.dtype != np.uint16:
        if t.size and (t.min() < 0 or t.max() > 65535):
            raise ShardError(f"{path}: token ids must be in [0, 65535], got [{t.min()}, {t.max()}]")
        t = t.astype(np.uint16)
    if t.size >= 2**31: raise ShardError(f"{path}: {t.size} tokens do not fit the int32 count")
    header = np.zeros(SHARD_HEADER_INTS, dtype="<i4")
    header[:3] = SHARD_MAGIC, SHARD_VERSION, t.size
    return _write_file_atomic(path, [header.tobytes(), t.astype("<u2", copy=False).tobytes()])

def read_shard_header(path: str | Path) -> int:
    "The token count of shard `path`, after checking its header and its size."
    p = Path(path)
    if not p.is_file(): raise ShardError(f"{p}: missing file (no such shard)")
    size = p.stat().st_size
    if size < SHARD_HEADER_BYTES:
        raise ShardError(f"{p}: truncated header: {size} bytes, a shard has at least {SHARD_HEADER_BYTES}")
    h = np.fromfile(p, dtype="<i4", count=SHARD_HEADER_INTS)
    if h[0] != SHARD_MAGIC: raise ShardError(f"{p}: wrong magic {h[0]} (expected {SHARD_MAGIC}): not a shard")
    if h[1] != SHARD_VERSION: raise ShardError(f"{p}: wrong version {h[1]} (expected {SHARD_VERSION})")
    n = int(h[2])
    if n < 0: raise ShardError(f"{p}: negative token count {n}")
    want = SHARD_HEADER_BYTES + 2 * n
    if size != want:
        fault = "truncated" if size < want else "trailing bytes"
        raise ShardError(f"{p}: size mismatch ({fault}): {size} bytes, but {n} tokens need {want}")
    return n

def load_shard(path: str | Path) -> np.ndarray:
    "The tokens of shard `path` as a uint16 array (validated first)."
    n = read_shard_header(path)
    return np.fromfile(path, dtype="<u2", count=n, offset=SHARD_HEADER_BYTES).astype(np.uint16, copy=False)

def shard_paths(folder: str | Path) -> list[Path]:
    "The `*.bin` files of `folder` in name order (or `[folder]` if it is a file)."
    f = Path(folder)
    return [f] if f.is_file() else sorted(f.glob("*.bin"))

def check_shard(path: str | Path, vocab_size: int = 0) -> int:
    "Validate one shard (and its token range if `vocab_size` > 0); return its token count."
    n = read_shard_header(path)
    if vocab_size > 0 and n:
        top = int(load_shard(path).max())
        if top >= vocab_size: raise ShardError(f"{path}: token id {top} is outside the vocabulary of {vocab_size}")
    return n

def verify_shards(folder: str | Path,  # a folder of `*.bin` shards, or one shard
                  vocab_size: int = 0,  # also check every token id is below this (0: skip)
                 ) -> list[str]:
    "Every problem found in the shards of `folder` (empty when all are sound)."
    if not Path(folder).exists(): return [f"{folder}: no such folder"]
    paths = shard_paths(folder)
    if not paths: return [f"{folder}: no *.bin shards found"]
    problems = []
    for p in paths:
        try: check_shard(p, vocab_size)
        except ShardError as e: problems.append(str(e))
    return problems

def verify_main(argv: Sequence[str] | None = None) -> int:
    "CLI `golf_verify DIR...`: check every shard; exit status 0 when all are sound."
    ap = argparse.ArgumentParser(prog="golf_verify", description="Check challenge-format token shards.")
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="folders of *.bin shards (or shard files)")
    ap.add_argument("--vocab_size", type=int, default=0, help="also check token ids are below this")
    args = ap.parse_args(argv)
    n_ok, bad = 0, []
    for d in args.dirs:
        paths = shard_paths(d) if Path(d).exists() else []
        if not paths: bad.append(f"{d}: no *.bin shards found" if Path(d).exists() else f"{d}: no such folder")
        for p in paths:
            try: n = check_shard(p, args.vocab_size)
            except ShardError as e: bad.append(str(e)); print(f"BAD {e}"); continue
            n_ok += 1; print(f"ok  {p}  {n:,} tokens")
    if bad:
        print(f"golf_verify: {len(bad)} problem(s):", *bad, sep="\n  ", file=sys.stderr)
        return 1
    print(f"golf_verify: {n_ok} shard(s) sound")
    return 0

def train_pattern(data_path: str | Path) -> str:
    "Glob of the training shards in `data_path`."
    return str(Path(data_path) / "fineweb_train_*.bin")

def val_pattern(data_path: str | Path) -> str:
    "Glob of the validation shards in `data_path`."
    return str(Path(data_path) / "fineweb_val_*.bin")

def match_shards(pattern: str) -> list[Path]:
    "Files matching `pattern`, in name order; `ShardError` if there are none."
    files = [Path(p) for p in sorted(glob.glob(str(pattern)))]
    if not files: raise ShardError(f"no shard files match {pattern}")
    return files

class TokenStream:
    "The shards matching `pattern`, read in name order as one stream that wraps around."
    def __init__(self, pattern: str):
        self.pattern, self.files = pattern, match_shards(pattern)
        self.reset()

    def reset(self):
        "Go back to the first token of the first shard."
        self.file_idx, self.pos, self.tokens = 0, 0, load_shard(self.files[0])

    def _advance(self):
        self.file_idx = (self.file_idx + 1) % len(self.files)
        self.pos, self.tokens = 0, load_shard(self.files[self.file_idx])

    def take(self, n: int) -> torch.Tensor:
        "The next `n` tokens (int32), crossing shards and wrapping around."
        chunks, left, empty_run = [], n, 0
        while left > 0:
            avail = len(self.tokens) - self.pos
            if avail <= 0:
                empty_run += 1
                if empty_run > len(self.files): raise ShardError(f"all shards matching {self.pattern} are empty")
                self._advance(); continue
            empty_run, k = 0, min(left, avail)
            chunks.append(self.tokens[self.pos:self.pos + k])
            self.pos, left = self.pos + k, left - k
        out = np.concatenate(chunks) if chunks else np.zeros(0, np.uint16)
        return torch.from_numpy(out.astype(np.int32))

class DistributedTokenLoader:
    "Per-rank training batches in the seed's token order."
    def __init__(self, pattern: str, rank: int = 0, world_size: int = 1, device: torch.device | str = "cpu"):
        if not 0 <= rank < world_size: raise ValueError(f"rank {rank} is outside a world of {world_size}")
        self.rank, self.world_size, self.device = rank, world_size, torch.device(device)
        self.stream = TokenStream(pattern)

    def next_batch(self, global_tokens: int, seq_len: int, grad_accum_steps: int) -> tuple[torch.Tensor, torch.Tensor]:
        "Inputs and targets `(local // seq_len, seq_len)`, int64 on this rank's device."
        local = global_tokens // (self.world_size * grad_accum_steps)
        if local < seq_len or local % seq_len:
            raise ValueError(f"{global_tokens} tokens over {self.world_size} ranks x {grad_accum_steps} micro-steps "
                             f"gives {local} per rank, not a positive multiple of seq_len={seq_len}")
        span = local + 1
        chunk = self.stream.take(span * self.world_size)
        mine = chunk[self.rank * span:(self.rank + 1) * span].to(self.device, non_blocking=True).long()
        return mine[:-1].reshape(-1, seq_len), mine[1:].reshape(-1, seq_len)

def load_validation_tokens(pattern: str,  # glob of the validation shards
                           seq_len: int,  # evaluation sequence length
                           max_tokens: int = 0,  # first cut the stream to this many tokens (0: all)
                           dtype: torch.dtype = torch.int64,
                          ) -> torch.Tensor:
    "All validation tokens, cut to `k * seq_len + 1` for the largest possible `k`."
    toks = np.concatenate([load_shard(f) for f in match_shards(pattern)])
    if max_tokens > 0: toks = toks[:max_tokens]
    usable = ((len(toks) - 1) // seq_len) * seq_len
    if usable <= 0:
        raise ShardError(f"validation shards {pattern} hold {len(toks)} tokens"
                         f"{f' (after max_tokens={max_tokens})' if max_tokens > 0 else ''}: "
                         f"too few for one sequence of {seq_len} plus a target")
    return torch.from_numpy(toks[:usable + 1].astype(np.int64)).to(dtype)

def iter_docs(path: str | Path) -> Iterator[str]:
    "The documents of `path`: `.jsonl`, `.jsonl.xz`, `.jsonl.gz` (field `text`) or `.txt` (one document)."
    p = Path(path)
    if not p.is_file(): raise FileNotFoundError(f"{p}: no such document file")
    name = p.name.lower()
    if name.endswith(".txt"):
        with open(p, encoding="utf-8", newline="") as f: yield f.read()
        return
    opener = {".jsonl": open, ".jsonl.xz": lzma.open, ".jsonl.gz": gzip.open}
    kind = next((k for k in opener if name.endswith(k)), None)
    if kind is None: raise ValueError(f"{p}: unknown document format (use .jsonl, .jsonl.xz, .jsonl.gz or .txt)")
    with opener[kind](p, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip(): continue
            try: yield json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ValueError(f"{p}:{i}: not a JSON object with a 'text' field ({e!r})") from None

class ShardWriter:
    "Cut a stream of token arrays into shards `fineweb_{split}_{i:06d}.bin` of exactly `shard_tokens` tokens."
    def __init__(self, out_dir: str | Path, split: str = "train", shard_tokens: int = 100_000_000):
        if shard_tokens <= 0: raise ValueError(f"shard_tokens must be positive, got {shard_tokens}")
        self.out_dir, self.split, self.shard_tokens = Path(out_dir), split, shard_tokens
        self.pending, self.n_pending, self.paths, self.tokens = [], 0, [], 0

    def _flush(self, n: int):
        buf = np.concatenate(self.pending)
        self.paths.append(write_shard(self.out_dir / f"fineweb_{self.split}_{len(self.paths):06d}.bin", buf[:n]))
        self.pending, self.n_pending = [buf[n:]], len(buf) - n

    def add(self, toks: np.ndarray):
        "Append tokens to the stream, writing every shard that fills up."
        self.pending.append(np.asarray(toks, dtype=np.uint16)); self.n_pending += len(toks); self.tokens += len(toks)
        while self.n_pending >= self.shard_tokens: self._flush(self.shard_tokens)

    def close(self) -> list[Path]:
        "Write the last, partial shard; return all shard paths."
        if self.n_pending: self._flush(self.n_pending)
        return self.paths

def _encode_stream(sp, docs: Iterable[str], batch_docs: int, num_threads: int) -> Iterator[tuple[str, list[int]]]:
    batch = []
    for d in docs:
        batch.append(d)
        if len(batch) == batch_docs:
            yield from zip(batch, sp.encode(batch, out_type=int, num_threads=num_threads)); batch = []
    if batch: yield from zip(batch, sp.encode(batch, out_type=int, num_threads=num_threads))

def tokenize_to_shards(tokenizer_path: str | Path,  # SentencePiece `.model`
                       doc_files: Sequence[str | Path],  # `.jsonl[.xz|.gz]` / `.txt` files, read in this order
                       out_dir: str | Path,  # folder for `fineweb_{split}_*.bin`
                       split: str = "train",  # `train` or `val`: the shard name prefix
                       shard_tokens: int = 100_000_000,  # tokens per shard (the last one may be shorter)
                       shuffle_seed: int | None = None,  # shuffle all documents with `random.Random(seed)`
                       num_threads: int | None = None,  # encoding threads (default: all CPUs)
                       batch_docs: int = 1024,  # documents per encoding call
                       progress: bool = True,  # show a tqdm bar
                      ) -> dict:
    "Tokenize documents into challenge shards (BOS + tokens per document); return counts."
    sp = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
    bos = sp.bos_id()
    if bos < 0: raise ValueError(f"{tokenizer_path}: the tokenizer has no BOS piece")
    if sp.get_piece_size() > 65536: raise ValueError(f"{tokenizer_path}: vocabulary too large for uint16 shards")
    docs: Iterable[str] = (d for f in doc_files for d in iter_docs(f))
    total = None
    if shuffle_seed is not None:
        docs = list(docs); random.Random(shuffle_seed).shuffle(docs); total = len(docs)
    writer = ShardWriter(out_dir, split, shard_tokens)
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=total, unit="doc", desc=f"golf_shards {split}")
    n_docs = n_bytes = 0
    for text, ids in _encode_stream(sp, docs, batch_docs, num_threads or os.cpu_count() or 1):
        toks = np.empty(len(ids) + 1, dtype=np.uint16)
        toks[0] = bos; toks[1:] = ids
        writer.add(toks)
        n_docs += 1; n_bytes += len(text.encode("utf-8"))
        if bar is not None: bar.update(1)
    if bar is not None: bar.close()
    if n_docs == 0: raise ValueError(f"no documents in {', '.join(map(str, doc_files)) or '(no files)'}")
    paths = writer.close()
    for stale in set(Path(out_dir).glob(f"fineweb_{split}_*.bin")) - set(paths): stale.unlink()
    return dict(docs=n_docs, tokens=writer.tokens, shards=len(paths), text_bytes=n_bytes,
                bytes_per_token=n_bytes / max(writer.tokens, 1), files=[str(p) for p in paths])

def shards_main(argv: Sequence[str] | None = None) -> int:
    "CLI `golf_shards`: tokenize documents into challenge-format shards."
    ap = argparse.ArgumentParser(prog="golf_shards", description="Tokenize documents into challenge-format shards.")
    ap.add_argument("--tokenizer", required=True, help="SentencePiece .model file")
    ap.add_argument("--docs", required=True, nargs="+", help=".jsonl / .jsonl.xz / .jsonl.gz / .txt files, in order")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--split", default="train", choices=["train", "val"], help="shard name prefix")
    ap.add_argument("--shard_tokens", type=int, default=100_000_000, help="tokens per shard")
    ap.add_argument("--shuffle_seed", type=int, default=None, help="shuffle all documents with this seed")
    ap.add_argument("--num_threads", type=int, default=None, help="encoding threads (default: all CPUs)")
    ap.add_argument("--no_progress", action="store_true", help="no progress bar")
    a = ap.parse_args(argv)
    t0 = time.time()
    st = tokenize_to_shards(a.tokenizer, a.docs, a.out, a.split, a.shard_tokens, a.shuffle_seed, a.num_threads,
                            progress=not a.no_progress)
    print(f"golf_shards: docs={st['docs']:,} tokens={st['tokens']:,} shards={st['shards']} "
          f"text_bytes={st['text_bytes']:,} bytes_per_token={st['bytes_per_token']:.3f} in {time.time() - t0:.1f}s")
    for f in st["files"]: print(f"  {f}")
    return 0

# ------------------------------ golf_nb.tokenizer
import argparse, io, json, math, os, sys
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple
import numpy as np
import torch
import sentencepiece as spm

def load_sentencepiece(sp_or_path) -> spm.SentencePieceProcessor:
    "A SentencePiece processor from a `.model` path (a processor is passed through)."
    if isinstance(sp_or_path, spm.SentencePieceProcessor): return sp_or_path
    p = Path(sp_or_path)
    if not p.is_file(): raise FileNotFoundError(f"{p}: no such tokenizer model")
    try: return spm.SentencePieceProcessor(model_file=str(p))
    except (RuntimeError, OSError) as e: raise ValueError(f"{p}: not a SentencePiece model ({e})") from None

SP_TRAIN_SETTINGS = dict(
    model_type="bpe", character_coverage=0.999, byte_fallback=True, split_digits=True,
    normalization_rule_name="nmt_nfkc", add_dummy_prefix=False, hard_vocab_limit=False,
    pad_id=0, bos_id=1, eos_id=2, unk_id=3)

def _text_lines(texts: Iterable[str]) -> Iterator[str]:
    for t in texts:
        for line in t.splitlines():
            if line.strip(): yield line

def train_tokenizer(texts: Iterable[str],  # documents to learn the merges from (never validation text)
                    vocab_size: int,  # pieces in the vocabulary, specials and 256 byte pieces included
                    model_prefix,  # writes `{model_prefix}.model`
                    num_threads: int = 16,  # trainer threads; the result depends on it, so it is not the CPU count
                    **overrides,  # other SentencePiece trainer options, over `SP_TRAIN_SETTINGS`
                    ) -> Path:
    "Train a SentencePiece BPE tokenizer with the challenge's settings; return the `.model` path."
    out = Path(f"{model_prefix}.model")
    lines = _text_lines(texts)
    first = next(lines, None)
    if first is None: raise ValueError(f"{out}: no text to train a tokenizer on")
    buf = io.BytesIO()
    opts = {**SP_TRAIN_SETTINGS, "minloglevel": 2, "num_threads": num_threads, **overrides}
    spm.SentencePieceTrainer.train(sentence_iterator=_chain1(first, lines), model_writer=buf,
                                   vocab_size=vocab_size, **opts)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.write_bytes(buf.getvalue()); os.replace(tmp, out)
    return out

def _chain1(first, rest):
    yield first; yield from rest

class ByteLUTs(NamedTuple):
    "Per-piece tables the bits-per-byte evaluator indexes with token ids."
    base_bytes: torch.Tensor  # (V,) int16: UTF-8 bytes of the piece without its leading '▁'
    has_leading_space: torch.Tensor  # (V,) bool: the piece starts with '▁'
    is_boundary: torch.Tensor  # (V,) bool: control / unknown / unused: no text, and no space after it

SPACE_PIECE = "\u2581"  # '▁', SentencePiece's mark for a space

def has_space_piece(sp) -> bool:
    "Whether the vocabulary has an ordinary bare '▁' piece (a space the tokenizer can emit on its own)."
    i = sp.piece_to_id(SPACE_PIECE)
    return not (i == sp.unk_id() or sp.is_control(i) or sp.is_unused(i) or sp.is_byte(i))

def build_luts(sp_or_path,  # a SentencePieceProcessor or a `.model` path
               vocab_size: int = 0,  # table size: at least the tokenizer's (ids beyond it are boundaries)
               device="cpu",
               allow_no_space_piece: bool = False,  # accept a vocabulary without a bare '▁' (see bug (c))
               ) -> ByteLUTs:
    "The byte look-up tables of a SentencePiece tokenizer, by the seed's rules."
    sp = load_sentencepiece(sp_or_path)
    n = sp.vocab_size()
    if not allow_no_space_piece and not has_space_piece(sp):
        raise ValueError("tokenizer has no bare '▁' piece: a space it cannot merge becomes the byte pieces "
                         "<0xE2><0x96><0x81> and would be charged 3 bytes instead of 1 (openai/parameter-golf#897)")
    size = max(n, vocab_size)
    base = np.zeros(size, np.int16)
    space = np.zeros(size, np.bool_)
    boundary = np.ones(size, np.bool_)
    for i in range(n):
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i): continue
        boundary[i] = False
        if sp.is_byte(i): base[i] = 1; continue
        piece = sp.id_to_piece(i)
        if piece.startswith(SPACE_PIECE): space[i], piece = True, piece[1:]
        base[i] = len(piece.encode("utf-8"))
    t = lambda a: torch.from_numpy(a).to(device)
    return ByteLUTs(t(base), t(space), t(boundary))

def token_bytes(prev_ids: torch.Tensor,  # (...) the token before each target
                tgt_ids: torch.Tensor,  # (...) the target tokens
                luts: ByteLUTs) -> torch.Tensor:
    "Bytes of text each target token stands for (int32, shape of `tgt_ids`)."
    b = luts.base_bytes[tgt_ids].to(torch.int32)
    return b + (luts.has_leading_space[tgt_ids] & ~luts.is_boundary[prev_ids]).to(torch.int32)

def doc_stream(sp, texts: Iterable[str]) -> torch.Tensor:
    "Token ids as in a shard: each document is BOS followed by its tokens (int64)."
    ids = sp.encode(list(texts))
    return torch.tensor([t for d in ids for t in [sp.bos_id(), *d]], dtype=torch.int64)

def stream_bytes(stream: torch.Tensor, luts: ByteLUTs) -> int:
    "Bytes the evaluator attributes to a token stream (every token after the first is a target)."
    return int(token_bytes(stream[:-1], stream[1:], luts).sum())

def tokenizer_report(model_path,  # SentencePiece `.model` (or a processor)
                     doc_file,  # .jsonl / .jsonl.xz (field `text`) or .txt
                     max_docs: int = 0,  # only the first N documents (0: all)
                     ) -> dict:
    "Token and byte counts of a tokenizer on a document file (see the table above)."
    sp = load_sentencepiece(model_path)
    texts = []
    for t in iter_docs(doc_file):
        texts.append(t)
        if max_docs and len(texts) >= max_docs: break
    ids = sp.encode(texts)
    dec = sp.decode(ids)
    luts = build_luts(sp, allow_no_space_piece=True)
    n_tok = sum(map(len, ids))
    stream = torch.from_numpy(np.fromiter((t for d in ids for t in (sp.bos_id(), *d)), np.int64, n_tok + len(ids)))
    vals, counts = np.unique(stream.numpy(), return_counts=True)
    r = dict(tokenizer=str(model_path), doc_file=str(doc_file), vocab_size=sp.vocab_size(), docs=len(texts),
             tokens=n_tok, bytes=sum(len(s.encode()) for s in dec), raw_bytes=sum(len(s.encode()) for s in texts),
             normalized_bytes=sum(len(sp.normalize(s).replace(SPACE_PIECE, " ").encode()) for s in texts),
             lut_bytes=stream_bytes(stream, luts) if texts else 0,
             byte_fallback_tokens=int(sum(c for i, c in zip(vals, counts) if sp.is_byte(int(i)))),
             has_space_piece=has_space_piece(sp))
    r["bytes_per_token"] = r["bytes"] / max(n_tok, 1)
    r["tokens_per_byte"] = n_tok / max(r["bytes"], 1)
    return r

def embedding_bytes(vocab_size: int, dim: int,
                    fmt: str = "fp16",  # fp16, int8 or int6
                    packed: bool = False,  # int6 only: count 6 bits a value instead of an int8 container
                    ) -> int:
    "Bytes of a `(vocab_size, dim)` embedding table stored as `fmt`, before compression."
    n = vocab_size * dim
    if fmt == "fp16": return 2 * n
    if fmt == "int8": return n + 2 * vocab_size
    if fmt == "int6": return (math.ceil(n * 6 / 8) if packed else n) + 2 * vocab_size
    raise ValueError(f"unknown embedding format {fmt!r}: choose fp16, int8 or int6")

def embedding_budget_table(vocab_sizes=(1024, 2048, 4096, 8192, 16384), dim: int = 512,
                           budget: int = 16_000_000) -> list[dict]:
    "Embedding bytes and their share of `budget` for each vocabulary size and format."
    rows = []
    for v in vocab_sizes:
        for fmt, packed in (("fp16", False), ("int8", False), ("int6", False), ("int6", True)):
            b = embedding_bytes(v, dim, fmt, packed)
            rows.append(dict(vocab=v, dim=dim, fmt=fmt + ("_packed" if packed else ""), bytes=b, share=b / budget))
    return rows

def tokenizer_main(argv=None) -> int:
    "CLI: `golf_tokenizer --tokenizer MODEL --docs FILE [--max_docs N] [--json]`."
    p = argparse.ArgumentParser(prog="golf_tokenizer", description="Bytes per token and byte accounting of a tokenizer.")
    p.add_argument("--tokenizer", required=True, help="SentencePiece .model")
    p.add_argument("--docs", required=True, help=".jsonl / .jsonl.xz (field 'text') or .txt")
    p.add_argument("--max_docs", type=int, default=0, help="only the first N documents (0: all)")
    p.add_argument("--json", action="store_true", help="end with the report as one JSON line")
    a = p.parse_args(argv)
    try: r = tokenizer_report(a.tokenizer, a.docs, a.max_docs)
    except (OSError, ValueError) as e:
        print(f"golf_tokenizer: {e}", file=sys.stderr); return 2
    print(f"{r['tokenizer']} on {r['doc_file']}: {r['docs']} docs, {r['tokens']:,} tokens, {r['bytes']:,} bytes, "
          f"{r['bytes_per_token']:.4f} bytes/token")
    print(f"raw {r['raw_bytes']:,}  normalized {r['normalized_bytes']:,}  evaluator {r['lut_bytes']:,}  "
          f"byte-fallback tokens {r['byte_fallback_tokens']:,}")
    if r["lut_bytes"] != r["bytes"]: print("WARNING: the evaluator's byte count differs from the decoded text")
    if not r["has_space_piece"]: print("WARNING: no bare '▁' piece: spaces may fall back to 3 byte tokens (#897)")
    if a.json: print(json.dumps(r))
    return 0

# ------------------------------ golf_nb.corpus
import ast, hashlib, json, os, platform, random, shutil, sysconfig, tempfile, time
from functools import lru_cache
from pathlib import Path
import numpy as np

def _pydoc_topics() -> list[str]:
    try: from pydoc_data.topics import topics
    except ImportError: return []  # some distributions strip pydoc_data
    return [topics[k] for k in sorted(topics)]

def _docstrings(tree: ast.AST) -> list[str]:
    "Docstrings of a module, its classes and functions, depth first in source order."
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        d = ast.get_docstring(node)
        if d: out.append(d)
        kids = [n for n in getattr(node, "body", []) if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        todo.extend(reversed(kids))
    return out

def _stdlib_docstrings(min_chars: int = 500) -> list[str]:
    "One document per top-level stdlib module: its docstrings joined by blank lines (short ones dropped)."
    docs = []
    for f in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        try: tree = ast.parse(f.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, OSError): continue
        text = "\n\n".join(_docstrings(tree))
        if len(text) >= min_chars: docs.append(text)
    return docs

@lru_cache(maxsize=1)
def _embedded_docs() -> tuple:
    return tuple(dict.fromkeys(_pydoc_topics() + _stdlib_docstrings()))  # drop repeats ('if' and 'else' share a page)

def embedded_docs() -> list[str]:
    "The embedded corpus: the `help()` topic pages, then one document per stdlib module's docstrings (deterministic)."
    return list(_embedded_docs())

EMBEDDED_VAL_EVERY = 10  # hold out documents i with i % 10 == 9
EMBEDDED_SHUFFLE_SEED = 0

def split_embedded(docs: list[str]) -> tuple[list[str], list[str]]:
    "(train, val) documents: every `EMBEDDED_VAL_EVERY`-th is val; train is shuffled with a fixed seed."
    val = [d for i, d in enumerate(docs) if i % EMBEDDED_VAL_EVERY == EMBEDDED_VAL_EVERY - 1]
    train = [d for i, d in enumerate(docs) if i % EMBEDDED_VAL_EVERY != EMBEDDED_VAL_EVERY - 1]
    random.Random(EMBEDDED_SHUFFLE_SEED).shuffle(train)
    return train, val

EMBEDDED_VERSION = 1

def embedded_cache_root(cache_dir=None) -> Path:
    "Root of golf_nb's cache: `cache_dir`, else `$GOLF_CACHE`, else `~/.cache/golf_nb`."
    return Path(cache_dir or os.environ.get("GOLF_CACHE") or Path.home() / ".cache" / "golf_nb")

def _embedded_stamp_ok(d: Path, vocab_size: int) -> bool:
    try: st = json.loads((d / "embedded.json").read_text())
    except (OSError, ValueError): return False
    if (st.get("version"), st.get("vocab_size"), st.get("python")) != (EMBEDDED_VERSION, vocab_size, platform.python_version()):
        return False
    return all((d / n).is_file() and (d / n).stat().st_size == size for n, size in st.get("files", {}).items())

def _build_embedded(out: Path, vocab_size: int) -> dict:
    docs = embedded_docs()
    train, val = split_embedded(docs)
    tok = train_tokenizer(train, vocab_size, out / f"embedded_{vocab_size}_bpe")
    sp = load_sentencepiece(tok)
    if sp.vocab_size() != vocab_size:
        raise ValueError(f"{tok}: the embedded corpus gave {sp.vocab_size()} pieces, not {vocab_size}")
    counts = {}
    for split, ds in (("train", train), ("val", val)):
        ids = sp.encode(ds)
        stream = np.fromiter((t for d in ids for t in (sp.bos_id(), *d)), np.uint16, sum(map(len, ids)) + len(ids))
        write_shard(out / f"fineweb_{split}_000000.bin", stream)
        counts[split] = dict(docs=len(ds), tokens=int(stream.size), bytes=sum(len(d.encode()) for d in ds))
    files = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    stamp = dict(version=EMBEDDED_VERSION, vocab_size=vocab_size, python=platform.python_version(),
                 docs_sha256=hashlib.sha256("\0".join(docs).encode()).hexdigest(), **counts, files=files)
    (out / "embedded.json").write_text(json.dumps(stamp, indent=1))
    return stamp

def ensure_embedded_data(vocab_size: int = 512,  # tokenizer vocabulary
                         cache_dir=None,  # cache root (default `$GOLF_CACHE` or `~/.cache/golf_nb`)
                         verbose: bool = False,  # say when building
                         ) -> tuple[Path, Path]:
    "`(data_path, tokenizer_path)` of the embedded corpus, built and cached on first use."
    final = embedded_cache_root(cache_dir) / f"embedded_v{vocab_size}"
    tok = final / f"embedded_{vocab_size}_bpe.model"
    if _embedded_stamp_ok(final, vocab_size): return final, tok
    final.parent.mkdir(parents=True, exist_ok=True)
    for old in final.parent.glob(f".{final.name}.tmp*"):  # left by a killed build over an hour ago
        try:
            if time.time() - old.stat().st_mtime > 3600: shutil.rmtree(old, ignore_errors=True)
        except OSError: pass
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp", dir=final.parent))
    try:
        t0 = time.time()
        st = _build_embedded(tmp, vocab_size)
        if final.exists() and not _embedded_stamp_ok(final, vocab_size): shutil.rmtree(final, ignore_errors=True)
        try: os.rename(tmp, final)
        except OSError:  # another process finished first: keep its copy if it is sound
            if not _embedded_stamp_ok(final, vocab_size): raise
        if verbose: print(f"embedded corpus: built {final} in {time.time() - t0:.1f}s "
                          f"(train {st['train']['tokens']:,} tokens, val {st['val']['tokens']:,})")
    finally:
        if tmp.exists(): shutil.rmtree(tmp, ignore_errors=True)
    return final, tok

def embedded_stats(data_path) -> dict:
    "The stamp of an embedded-data folder: docs, tokens and bytes per split, files and versions."
    return json.loads((Path(data_path) / "embedded.json").read_text())

# ------------------------------ golf_nb.model
import contextlib, math
import torch
import torch.nn as nn
import torch.nn.functional as F

try: from torch.nn.attention import SDPBackend, sdpa_kernel
except ImportError: SDPBackend = sdpa_kernel = None  # torch < 2.3: the backend choice is ignored

def rms_norm(x: torch.Tensor) -> torch.Tensor:
    "RMS-normalise over the last dimension, no weight, default eps."
    return F.rms_norm(x, (x.size(-1),))

class RMSNorm(nn.Module):
    "Weightless RMS norm as a module."
    def forward(self, x): return rms_norm(x)

class CastedLinear(nn.Linear):
    "A linear layer whose weight is cast to the input's dtype (fp32 masters, bf16 compute)."
    def forward(self, x):
        return F.linear(x, self.weight.to(x.dtype), None if self.bias is None else self.bias.to(x.dtype))

class Rotary(nn.Module):
    "cos/sin tables for rotary embeddings of width `head_dim`, cached per sequence length, device and dtype."
    def __init__(self, head_dim: int, base: float = 10_000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)  # (head_dim/2,)
        self._key, self._cos, self._sin = None, None, None

    def tables(self, seq_len: int, device: torch.device):
        "cos and sin (1, 1, T, head_dim/2) of the angles, computed in fp32."
        t = torch.arange(seq_len, device=device, dtype=torch.float32)  # positions
        freqs = torch.outer(t, self.inv_freq.to(device, torch.float32))  # (T, head_dim/2); inv_freq may be bf16-rounded
        return freqs.cos()[None, None], freqs.sin()[None, None]

    def forward(self, seq_len: int, device: torch.device, dtype: torch.dtype):
        if torch.compiler.is_compiling():  # inside a compiled graph: computed there, nothing cached
            cos, sin = self.tables(seq_len, device)
            return cos.to(dtype), sin.to(dtype)
        key = (seq_len, device, self.inv_freq.dtype)  # the frequencies change when the model is cast
        if self._key != key: (self._cos, self._sin), self._key = self.tables(seq_len, device), key
        # fresh copies: tables first made under inference_mode could not be saved for backward
        return self._cos.to(dtype, copy=True), self._sin.to(dtype, copy=True)

def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    "Rotate `x` (B, H, T, head_dim) by the angles in `cos`, `sin` (1, 1, T, head_dim/2), half-split layout."
    half = x.size(-1) // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos + x2 * sin, -x1 * sin + x2 * cos), dim=-1)

_SDPA_BACKENDS = {"flash": "FLASH_ATTENTION", "cudnn": "CUDNN_ATTENTION", "efficient": "EFFICIENT_ATTENTION", "math": "MATH"}
SDPA_HAS_GQA = "enable_gqa" in (F.scaled_dot_product_attention.__doc__ or "")

def sdpa_backend(name: str, device: torch.device):
    "A context that restricts SDPA to backend `name` on CUDA; a no-op for 'auto' or off CUDA."
    if name == "auto" or device.type != "cuda" or sdpa_kernel is None: return contextlib.nullcontext()
    if name not in _SDPA_BACKENDS: raise ValueError(f"model.py: unknown attn_backend {name!r}")
    return sdpa_kernel([getattr(SDPBackend, _SDPA_BACKENDS[name])])

def causal_attention(q, k, v, gqa_native: bool = False, backend: str = "auto") -> torch.Tensor:
    "Causal SDPA of q (B, H, T, hd) over k, v (B, H_kv, T, hd), sharing each K/V head by H/H_kv query heads."
    rep, kw = q.size(1) // k.size(1), {}
    if rep > 1 and gqa_native and SDPA_HAS_GQA and backend != "efficient": kw["enable_gqa"] = True  # no GQA kernel
    elif rep > 1: k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
    with sdpa_backend(backend, q.device):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, **kw)

def attention_caveat(cfg: RunConfig) -> str | None:
    "A warning if `cfg`'s attention kernel is not known to compute what repeated K/V heads compute, else None."
    if cfg.attn_backend == "cudnn" and cfg.gqa_native and cfg.num_kv_heads != cfg.num_heads:
        return ("warning: attn_backend=cudnn with gqa_native=1 computed a different function than repeated K/V heads "
                "on an H200 (torch 2.11): a model trained with it scored 1.4504 with this kernel and 1.7292 with the "
                "seed's attention. Its weights score right only with this kernel; use gqa_native=0 or attn_backend=flash "
                "for an artifact that others will evaluate.")
    return None

class CausalSelfAttention(nn.Module):
    "Grouped-query causal self-attention with QK-norm, RoPE and a learned per-head query gain."
    def __init__(self, dim: int, num_heads: int, num_kv_heads: int, rope_base: float = 10_000.0,
                 qk_gain_init: float = 1.5,  # initial gain of every query head
                 gqa_native: bool = False,  # let SDPA share K/V heads instead of repeating them
                 attn_backend: str = "auto"):  # SDPA kernel on CUDA: flash, cudnn, efficient, math or auto
        super().__init__()
        self.num_heads, self.num_kv_heads, self.head_dim = num_heads, num_kv_heads, dim // num_heads
        self.gqa_native, self.attn_backend = gqa_native, attn_backend
        self.c_q = CastedLinear(dim, dim, bias=False)
        self.c_k = CastedLinear(dim, num_kv_heads * self.head_dim, bias=False)
        self.c_v = CastedLinear(dim, num_kv_heads * self.head_dim, bias=False)
        self.proj = CastedLinear(dim, dim, bias=False)
        self.proj._zero_init = True  # zero-init so each block starts as the identity
        self.q_gain = nn.Parameter(torch.full((num_heads,), qk_gain_init, dtype=torch.float32))
        self.rotary = Rotary(self.head_dim, rope_base)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q = self.c_q(x).view(B, T, self.num_heads, self.head_dim).transpose(1, 2)  # (B, H, T, hd)
        k = self.c_k(x).view(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)  # (B, H_kv, T, hd)
        v = self.c_v(x).view(B, T, self.num_kv_heads, self.head_dim).transpose(1, 2)
        q, k = rms_norm(q), rms_norm(k)
        cos, sin = self.rotary(T, x.device, q.dtype)
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        q = q * self.q_gain.to(q.dtype)[None, :, None, None]
        y = causal_attention(q, k, v, self.gqa_native, self.attn_backend)  # (B, H, T, hd)
        return self.proj(y.transpose(1, 2).contiguous().view(B, T, C))

class MLP(nn.Module):
    "ReLU² feed-forward: dim -> mlp_mult·dim -> dim, output projection zero-initialised."
    def __init__(self, dim: int, mlp_mult: float):
        super().__init__()
        self.fc = CastedLinear(dim, int(mlp_mult * dim), bias=False)
        self.proj = CastedLinear(int(mlp_mult * dim), dim, bias=False)
        self.proj._zero_init = True

    def forward(self, x): return self.proj(torch.relu(self.fc(x)).square())

class SmearGate(nn.Module):
    "Blend each position with the previous one through a learned per-channel gate (starts at g = 0.5)."
    def __init__(self, dim: int):
        super().__init__()
        self.gate = nn.Parameter(torch.zeros(dim, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, T, C)
        g = torch.sigmoid(self.gate.to(x.dtype))[None, None, :]
        x_prev = torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)  # shifted right, zero at t=0
        return (1 - g) * x + g * x_prev

def bigram_hash(tokens: torch.Tensor, num_buckets: int) -> torch.Tensor:
    "Bucket of each (previous, current) token pair in `tokens` (..., T); the first position gets the last bucket."
    t = tokens.to(torch.int32)
    out = torch.full_like(t, num_buckets - 1)
    out[..., 1:] = torch.bitwise_xor(36313 * t[..., 1:], 27191 * t[..., :-1]) % (num_buckets - 1)
    return out.long()

class BigramHash(nn.Module):
    "Hashed embedding of token bigrams, projected to the model width and scaled."
    def __init__(self, num_buckets: int, bigram_dim: int, model_dim: int):
        super().__init__()
        self.num_buckets = num_buckets
        self.embed = nn.Embedding(num_buckets, bigram_dim)
        nn.init.zeros_(self.embed.weight)
        self.proj = CastedLinear(bigram_dim, model_dim, bias=False) if bigram_dim != model_dim else None
        if self.proj is not None: nn.init.zeros_(self.proj.weight)
        self.scale = nn.Parameter(torch.tensor(0.05, dtype=torch.float32))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:  # (B, T) -> (B, T, model_dim)
        h = self.embed(bigram_hash(tokens, self.num_buckets))
        if self.proj is not None: h = self.proj(h)
        return h * self.scale.to(h.dtype)

class Block(nn.Module):
    "Transformer block: x0-mix, then scaled attention and MLP residuals on RMS-normed inputs."
    def __init__(self, cfg: RunConfig):
        super().__init__()
        d = cfg.model_dim
        self.attn_norm, self.mlp_norm = RMSNorm(), RMSNorm()
        self.attn = CausalSelfAttention(d, cfg.num_heads, cfg.num_kv_heads, cfg.rope_base, cfg.qk_gain_init,
                                        cfg.gqa_native, cfg.attn_backend)
        self.mlp = MLP(d, cfg.mlp_mult)
        self.attn_scale = nn.Parameter(torch.ones(d, dtype=torch.float32))
        self.mlp_scale = nn.Parameter(torch.ones(d, dtype=torch.float32))
        self.resid_mix = nn.Parameter(torch.stack((torch.ones(d), torch.zeros(d))).float())  # (2, d)

    def forward(self, x: torch.Tensor, x0: torch.Tensor) -> torch.Tensor:  # both (B, T, C)
        mix = self.resid_mix.to(x.dtype)
        x = mix[0][None, None, :] * x + mix[1][None, None, :] * x0
        x = x + self.attn_scale.to(x.dtype)[None, None, :] * self.attn(self.attn_norm(x))
        return x + self.mlp_scale.to(x.dtype)[None, None, :] * self.mlp(self.mlp_norm(x))

class GPT(nn.Module):
    "The seed's model, built from a `RunConfig`."
    def __init__(self, cfg: RunConfig, init: bool = True):  # init=False: skip the (slow) init, e.g. to load weights
        super().__init__()
        self.cfg, d = cfg, cfg.model_dim
        self.tok_emb = nn.Embedding(cfg.vocab_size, d)
        self.bigram = BigramHash(cfg.bigram_vocab_size, cfg.bigram_dim, d) if cfg.bigram_vocab_size > 0 else None
        self.num_encoder = cfg.num_layers // 2
        self.num_decoder = cfg.num_layers - self.num_encoder
        self.skip_weights = nn.Parameter(torch.ones(min(self.num_encoder, self.num_decoder), d, dtype=torch.float32))
        self.smear = SmearGate(d)
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.num_layers)])
        self.final_norm = RMSNorm()
        self.lm_head = None if cfg.tie_embeddings else CastedLinear(d, cfg.vocab_size, bias=False)
        if self.lm_head is not None: self.lm_head._zero_init = True
        if init: self._init_weights()

    @torch.no_grad()
    def _init_weights(self) -> None:
        if self.cfg.tie_embeddings: nn.init.normal_(self.tok_emb.weight, mean=0.0, std=self.cfg.tied_embed_init_std)
        for name, m in self.named_modules():
            if not isinstance(m, nn.Linear): continue
            if getattr(m, "_zero_init", False): nn.init.zeros_(m.weight)
            elif m.weight.ndim == 2 and min(m.weight.shape) >= 64:
                nn.init.orthogonal_(m.weight, gain=1.0)
                if ".proj." in name or name.endswith(".proj"): m.weight.mul_(1.0 / math.sqrt(2 * len(self.blocks)))

    def hidden(self, input_ids: torch.Tensor) -> torch.Tensor:
        "Final-normed hidden states (B, T, C) of `input_ids` (B, T)."
        x = self.tok_emb(input_ids)
        if self.bigram is not None: x = x + self.bigram(input_ids)
        x = x0 = self.smear(rms_norm(x))
        skips = []
        for block in self.blocks[:self.num_encoder]:
            x = block(x, x0)
            skips.append(x)
        for i, block in enumerate(self.blocks[self.num_encoder:]):
            if skips: x = x + self.skip_weights[i].to(x.dtype)[None, None, :] * skips.pop()  # innermost skip first
            x = block(x, x0)
        return self.final_norm(x)

    def head(self, h: torch.Tensor) -> torch.Tensor:
        "Soft-capped logits (..., V) of final hidden states `h` (..., C)."
        logits = F.linear(h, self.tok_emb.weight) if self.lm_head is None else self.lm_head(h)
        c = self.cfg.logit_softcap
        return c * torch.tanh(logits / c)

    def forward_logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        "Soft-capped logits (B, T, V)."
        return self.head(self.hidden(input_ids))

    def forward(self, input_ids: torch.Tensor, target_ids: torch.Tensor) -> torch.Tensor:
        "Mean cross-entropy (fp32) of the soft-capped logits against `target_ids` (B, T)."
        logits = self.forward_logits(input_ids)
        return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), target_ids.reshape(-1), reduction="mean")

def build_model(cfg: RunConfig, init: bool = True  # False: skip the model-wide init (weights to be loaded)
                ) -> GPT:
    "A freshly initialised `GPT` for `cfg` (validated), on CPU in fp32."
    validate(cfg)
    return GPT(cfg, init)

def count_params(model: nn.Module) -> int:
    "Number of parameters (tied weights counted once)."
    return sum(p.numel() for p in model.parameters())

def to_mixed_precision(model: GPT, control_patterns: tuple | None = None, keep_rope_fp32: bool = False) -> GPT:
    "Cast `model` to bf16, then restore fp32 for linear weights, tensors with ndim < 2 and control tensors."
    patterns = derive(model.cfg).control_patterns if control_patterns is None else control_patterns
    model.bfloat16()
    for m in model.modules():
        if isinstance(m, CastedLinear): m.float()
        if keep_rope_fp32 and isinstance(m, Rotary): m.inv_freq = m.inv_freq.float()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim < 2 or any(pat in name for pat in patterns): p.data = p.data.float()
    return model

def cast_for_device(model: GPT, device, keep_rope_fp32: bool = False) -> GPT:
    "Move `model` to `device`; on CUDA, use the seed's mixed precision (see `to_mixed_precision`)."
    device = torch.device(device)
    model.to(device)
    return to_mixed_precision(model, keep_rope_fp32=keep_rope_fp32) if device.type == "cuda" else model

# ------------------------------ golf_nb.muon
from dataclasses import dataclass
from itertools import accumulate
import torch
import torch.distributed as dist

NS_COEFFS = (3.4445, -4.7750, 2.0315)

def zeropower_via_newtonschulz5(G: torch.Tensor,  # (m, n) or a stack (..., m, n), each matrix done on its own
                                steps: int = 5, eps: float = 1e-7) -> torch.Tensor:
    "Approximately orthogonalise each matrix of `G` (its U·Vᵀ) with `steps` quintic Newton–Schulz iterations."
    a, b, c = NS_COEFFS
    X = G.bfloat16() if G.device.type == "cuda" else G.float()
    X = X / (X.norm(dim=(-2, -1), keepdim=True) + eps)  # each matrix's singular values now in (0, 1]
    transposed = G.size(-2) > G.size(-1)
    if transposed: X = X.mT  # (..., short side, long side): A below is the smaller Gram matrix
    for _ in range(steps):
        A = X @ X.mT  # (..., short, short)
        B = b * A + c * A @ A
        X = a * X + B @ X
    return X.mT if transposed else X

def muon_update(grad: torch.Tensor, buf: torch.Tensor, momentum: float, nesterov: bool = True, steps: int = 5,
                ns_fn=zeropower_via_newtonschulz5  # the orthogonaliser (the trainer may pass a compiled one)
                ) -> torch.Tensor:
    "Update `buf` in place with `grad` and return the orthogonalised, shape-scaled update."
    buf.mul_(momentum).add_(grad)
    g = grad.add(buf, alpha=momentum) if nesterov else buf
    u = ns_fn(g, steps=steps)
    return u * max(1.0, grad.size(0) / grad.size(1)) ** 0.5

def muon_update_batched(grads: list, bufs: list,  # k same-shape (m, n) gradients and their momentum buffers
                        momentum: float, nesterov: bool = True, steps: int = 5,
                        ns_fn=zeropower_via_newtonschulz5) -> torch.Tensor:
    "`muon_update` of `k` same-shape matrices, with one orthogonaliser call on their stack; returns (k, m, n)."
    torch._foreach_mul_(bufs, momentum)
    torch._foreach_add_(bufs, grads)
    gs = torch._foreach_add(grads, bufs, alpha=momentum) if nesterov else bufs
    m, n = grads[0].shape
    return ns_fn(torch.stack(gs), steps=steps) * max(1.0, m / n) ** 0.5  # (k, m, n)

class Muon(torch.optim.Optimizer):
    "Muon: Nesterov momentum orthogonalised by Newton–Schulz, work split over ranks, decoupled weight decay."
    def __init__(self, params, lr: float, momentum: float, backend_steps: int, nesterov: bool = True,
                 weight_decay: float = 0.0, ns_fn=None,
                 batched: bool = False):  # orthogonalise each rank's same-shape matrices in one stacked call
        super().__init__(params, dict(lr=lr, momentum=momentum, backend_steps=backend_steps, nesterov=nesterov,
                                      weight_decay=weight_decay))
        self.ns_fn, self.batched = ns_fn or zeropower_via_newtonschulz5, batched

    def _buffer(self, p: torch.Tensor) -> torch.Tensor:
        "`p`'s momentum buffer, created as zeros on first use."
        state = self.state[p]
        if "momentum_buffer" not in state: state["momentum_buffer"] = torch.zeros_like(p.grad)
        return state["momentum_buffer"]

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad(): loss = closure()
        world, rank = (dist.get_world_size(), dist.get_rank()) if is_dist() else (1, 0)
        for group in self.param_groups:
            params = group["params"]
            if not params: continue
            dev = params[0].device
            starts = [0, *accumulate(p.numel() for p in params)]  # params[i] goes to flat[starts[i]:starts[i+1]]
            flat = torch.zeros(starts[-1], device=dev, dtype=torch.bfloat16 if dev.type == "cuda" else torch.float32)
            mine = [i for i, p in enumerate(params) if i % world == rank and p.grad is not None]  # this rank's share
            batches = [[i] for i in mine]
            if self.batched:  # same shape (and dtype) together, in order of first appearance
                by_shape = {}
                for i in mine: by_shape.setdefault((params[i].shape, params[i].grad.dtype), []).append(i)
                batches = list(by_shape.values())
            hp = (group["momentum"], group["nesterov"], group["backend_steps"], self.ns_fn)
            for idx in batches:
                grads, bufs = [params[i].grad for i in idx], [self._buffer(params[i]) for i in idx]
                us = muon_update_batched(grads, bufs, *hp) if self.batched else [muon_update(grads[0], bufs[0], *hp)]
                for i, u in zip(idx, us): flat[starts[i]:starts[i + 1]] = u.reshape(-1)
            all_reduce_(flat)  # every rank now holds every update
            lr, wd = group["lr"], group["weight_decay"]
            for i, p in enumerate(params):
                u = flat[starts[i]:starts[i + 1]].view_as(p).to(p.dtype)
                if wd > 0: p.mul_(1.0 - lr * wd)
                p.add_(u, alpha=-lr)
        return loss

@dataclass
class Optimizers:
    "The seed's optimizers; iterating gives them in the seed's order (tok, head, muon, scalar)."
    tok: torch.optim.Optimizer
    muon: Muon
    scalar: torch.optim.Optimizer
    head: torch.optim.Optimizer | None = None

    def __iter__(self): return iter([o for o in (self.tok, self.head, self.muon, self.scalar) if o is not None])
    def step(self):
        for o in self: o.step()
    def zero_grad(self, set_to_none: bool = True):
        for o in self: o.zero_grad(set_to_none=set_to_none)
    def state_dict(self) -> list: return [o.state_dict() for o in self]
    def load_state_dict(self, states: list):
        for o, s in zip(self, states, strict=True): o.load_state_dict(s)

def split_params(model: torch.nn.Module, cfg: RunConfig) -> dict:
    "The seed's grouping of `model`'s parameters: lists under 'tok', 'muon', 'scalar', 'head'."
    ctrl = derive(cfg).control_patterns
    is_ctrl = lambda n, p: p.ndim < 2 or any(pat in n for pat in ctrl)
    block_params = list(model.blocks.named_parameters())
    groups = dict(tok=[model.tok_emb.weight], head=[] if model.lm_head is None else [model.lm_head.weight],
                  muon=[p for n, p in block_params if p.ndim == 2 and not is_ctrl(n, p)],
                  scalar=[p for n, p in block_params if is_ctrl(n, p)])
    if model.skip_weights.numel() > 0: groups["scalar"].append(model.skip_weights)
    groups["scalar"].append(model.smear.gate)
    if model.bigram is not None:
        groups["tok"].append(model.bigram.embed.weight)
        groups["scalar"].append(model.bigram.scale)
        if model.bigram.proj is not None: groups["muon"].append(model.bigram.proj.weight)
    return groups

def build_optimizers(model: torch.nn.Module, cfg: RunConfig) -> Optimizers:
    "The seed's optimizers for `model` (a `GPT`), with learning rates and decays from `cfg`."
    g = split_params(model, cfg)
    fused = next(model.parameters()).device.type == "cuda"
    adam = dict(betas=(cfg.beta1, cfg.beta2), eps=cfg.adam_eps, fused=fused)
    tok_lr = cfg.tied_embed_lr if cfg.tie_embeddings else cfg.embed_lr
    tok = torch.optim.AdamW([dict(params=[p], lr=tok_lr, base_lr=tok_lr) for p in g["tok"]],
                            weight_decay=cfg.weight_decay, **adam)
    muon = Muon(g["muon"], lr=cfg.matrix_lr, momentum=cfg.muon_momentum, backend_steps=cfg.muon_backend_steps,
                weight_decay=cfg.muon_weight_decay, batched=cfg.muon_batched)
    for group in muon.param_groups: group["base_lr"] = cfg.matrix_lr
    scalar = torch.optim.AdamW([dict(params=g["scalar"], lr=cfg.scalar_lr, base_lr=cfg.scalar_lr)],
                               weight_decay=cfg.weight_decay, **adam)
    head = None if not g["head"] else torch.optim.Adam(
        [dict(params=g["head"], lr=cfg.head_lr, base_lr=cfg.head_lr)], **adam)
    return Optimizers(tok, muon, scalar, head)

def set_lr_scale(opts: Optimizers, scale: float) -> None:
    "Set every group's lr to `base_lr · scale`."
    for o in opts:
        for group in o.param_groups: group["lr"] = group["base_lr"] * scale

def muon_momentum_at(step: int, cfg: RunConfig) -> float:
    "Muon momentum at `step`: linear from the warm-up start to `muon_momentum`."
    n = cfg.muon_momentum_warmup_steps
    frac = min(step / n, 1.0) if n > 0 else 1.0
    return (1 - frac) * cfg.muon_momentum_warmup_start + frac * cfg.muon_momentum

def set_muon_momentum(opts: Optimizers, step: int, cfg: RunConfig) -> float:
    "Set the Muon groups' momentum for `step`; returns it."
    mu = muon_momentum_at(step, cfg)
    for group in opts.muon.param_groups: group["momentum"] = mu
    return mu

# ------------------------------ golf_nb.averaging
import torch
import torch.nn as nn

class SWA:
    "Running sum of a model's weights over the warm-down; `apply` loads their mean."
    def __init__(self, start_frac: float = 0.5,  # collect once the LR multiplier is below this
                 every: int = 50,  # ... after steps that are multiples of this
                 fp32_sum: bool = True):  # sum in fp32 (False: in each tensor's dtype, as the seed)
        self.start_frac, self.every, self.fp32_sum = start_frac, every, fp32_sum
        self.sum: dict[str, torch.Tensor] | None = None
        self.count = 0

    def collect(self, model: nn.Module) -> None:
        "Add `model`'s current weights to the sum."
        if self.sum is None: self.sum = {}
        for name, t in model.state_dict().items():
            t = t.detach().to("cpu", torch.float32 if self.fp32_sum and t.is_floating_point() else t.dtype)
            if name in self.sum and t.is_floating_point(): self.sum[name] += t
            else: self.sum[name] = t.clone()  # the first one starts the sum; integer buffers keep the latest
        self.count += 1

    def maybe_collect(self, model: nn.Module, step: int,  # optimizer steps done so far (after this one)
                      lr_scale: float) -> bool:  # the LR multiplier used for this step
        "Collect if the seed would after this step; returns whether it did."
        if lr_scale < self.start_frac and step % self.every == 0:
            self.collect(model)
            return True
        return False

    def apply(self, model: nn.Module) -> bool:
        "Load the mean of the collected weights (each tensor in its own dtype) if there are two or more."
        if self.count < 2: return False
        current = model.state_dict()
        model.load_state_dict({n: (s / self.count if s.is_floating_point() else s).to(current[n].dtype)
                               for n, s in self.sum.items()})
        return True

class EMA:
    "Exponential moving average of a model's weights, in fp32 on the model's device."
    def __init__(self, decay: float):  # weight of the old average at each update, in [0, 1)
        if not 0.0 <= decay < 1.0: raise ValueError(f"averaging.py: EMA decay must be in [0, 1), got {decay}")
        self.decay, self.shadow, self.count = decay, None, 0

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        "Fold `model`'s current weights into the average (the first call copies them)."
        sd = model.state_dict()
        if self.shadow is None:
            self.shadow = {n: t.detach().float().clone() if t.is_floating_point() else t.detach().clone()
                           for n, t in sd.items()}
        else:
            for n, t in sd.items():
                if t.is_floating_point(): self.shadow[n].lerp_(t.float(), 1.0 - self.decay)
                else: self.shadow[n].copy_(t)
        self.count += 1

    def apply(self, model: nn.Module) -> bool:
        "Load the average into `model` (each tensor in its own dtype); False if there is none."
        if self.shadow is None: return False
        current = model.state_dict()
        model.load_state_dict({n: s.to(current[n].dtype) for n, s in self.shadow.items()})
        return True

# ------------------------------ golf_nb.evaluate
import contextlib, math, time
from typing import NamedTuple
import torch
import torch.nn.functional as F

class EvalResult(NamedTuple):
    "The outcome of an evaluation, summed over all ranks."
    loss: float  # mean cross-entropy per scored token, in nats
    bpb: float  # bits per byte of the text the scored tokens stand for
    tokens: int  # scored tokens
    bytes: int  # UTF-8 bytes of text attributed to them

def result_from_sums(nats: float, tokens: float, nbytes: float) -> EvalResult:
    "An `EvalResult` from summed nats, token count and byte count."
    if tokens <= 0 or nbytes <= 0: raise ValueError(f"nothing was scored: {tokens} tokens, {nbytes} bytes")
    return EvalResult(nats / tokens, nats / math.log(2) / nbytes, int(round(tokens)), int(round(nbytes)))

@contextlib.contextmanager
def _eval_context(model: torch.nn.Module, device: torch.device):
    was_training = model.training
    model.eval()
    amp = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else contextlib.nullcontext()
    try:
        with torch.inference_mode(), amp: yield
    finally: model.train(was_training)

def _luts_on(luts: ByteLUTs, device) -> ByteLUTs:
    return ByteLUTs(*(t.to(device) for t in luts))

def _rank_span(n: int, state: DistState) -> tuple[int, int]:
    "Contiguous share `[lo, hi)` of `n` items for this rank (the seed's split)."
    return n * state.rank // state.world_size, n * (state.rank + 1) // state.world_size

class _Progress:
    "Prints the running (this rank's) loss and bpb every `every` batches, on rank 0 only."
    def __init__(self, progress, n_batches: int, state: DistState, name: str):
        every = max(1, n_batches // 10) if progress is True else int(progress or 0)
        self.every, self.n, self.name, self.t0 = (every if state.rank == 0 else 0), n_batches, name, time.time()
    def __call__(self, b: int, sums: torch.Tensor):
        if not self.every or ((b + 1) % self.every and b + 1 != self.n): return
        nats, tok, byt = sums.tolist()
        print(f"{self.name} {b + 1}/{self.n} batches  loss {nats / max(tok, 1):.4f}  "
              f"bpb {nats / math.log(2) / max(byt, 1):.4f}  {time.time() - self.t0:.1f}s", flush=True)

def eval_val(model: torch.nn.Module,  # `model(x, y)` returns the mean loss (nats) of a batch
             val_tokens: torch.Tensor,  # (N,) token ids, N = k * seq_len + 1
             luts: ByteLUTs,  # byte tables of the tokenizer (`build_luts`)
             seq_len: int,  # tokens a sequence
             batch_seqs: int,  # sequences a forward pass on each rank
             state: DistState,  # this rank; sums are all-reduced over the group
             progress=False,  # print running numbers on rank 0: True (10 times) or every N batches
             ) -> EvalResult:
    """Loss and bits per byte over non-overlapping windows of `seq_len` tokens.

    Each rank takes a contiguous block of the sequences and sums nats (batch mean x targets), targets, and bytes
    (`token_bytes(x, y)`: BOS and other control tokens stand for no text, so they count 0 bytes and a leading space
    after them is not counted). One all-reduce adds the three sums; bpb = nats / ln 2 / bytes."""
    total_seqs = (val_tokens.numel() - 1) // seq_len
    if total_seqs < 1: raise ValueError(f"{val_tokens.numel()} validation tokens: too few for one sequence of {seq_len}")
    dev, luts = state.device, _luts_on(luts, state.device)
    lo, hi = _rank_span(total_seqs, state)
    sums = torch.zeros(3, dtype=torch.float64, device=dev)  # nats, tokens, bytes
    show = _Progress(progress, -(-(hi - lo) // batch_seqs), state, "eval")
    with _eval_context(model, dev):
        for b, s in enumerate(range(lo, hi, batch_seqs)):
            e = min(s + batch_seqs, hi)
            chunk = val_tokens[s * seq_len: e * seq_len + 1].to(dev, torch.int64, non_blocking=True)
            x, y = chunk[:-1].view(-1, seq_len), chunk[1:].view(-1, seq_len)
            n = y.numel()
            sums[0] += model(x, y).detach().double() * n
            sums[1] += n
            sums[2] += token_bytes(x, y, luts).sum().double()
            show(b, sums)
    all_reduce_(sums)
    return result_from_sums(*sums.tolist())

def sliding_windows(total_tokens: int,  # number of targets (validation tokens - 1)
                    seq_len: int,  # window length
                    stride: int,  # step between window starts; later windows score this many new targets
                    scoring: str = "once",  # 'once': every target once; 'seed': the seed's plan, tail targets repeated
                    ) -> list[tuple[int, int, int]]:
    "Windows `(start, end, score_from)`: inputs `[start, end)`, scoring targets `[score_from, end)`."
    if not (seq_len >= 1 and 1 <= stride <= seq_len): raise ValueError(f"need 1 <= stride={stride} <= seq_len={seq_len}")
    if total_tokens < 1: raise ValueError(f"no targets to score ({total_tokens} tokens)")
    if scoring == "seed":  # a window at every stride up to the end; each scores its last `stride` (the first: all)
        return [(s, e, s if s == 0 else max(e - stride, s))
                for s, e in ((s, min(s + seq_len, total_tokens)) for s in range(0, total_tokens, stride))]
    if scoring != "once": raise ValueError(f"scoring must be 'once' or 'seed', got {scoring!r}")
    out, done, start = [], 0, 0
    while done < total_tokens:
        end = min(start + seq_len, total_tokens)
        out.append((start, end, done))
        done, start = end, start + stride
    return out

def _window_batch(tokens: torch.Tensor, w: torch.Tensor, seq_len: int):
    "Inputs, targets, score mask and positions (all (B, seq_len)) of windows `w` (B, 3): rows (start, end, score_from)."
    starts, ends, froms = (c[:, None] for c in w.unbind(1))
    pos = starts + torch.arange(seq_len, device=tokens.device)[None, :]  # absolute position of each input
    idx = pos.clamp(max=tokens.numel() - 2)  # past a short window's end: any valid token (causal, and masked)
    mask = (pos >= froms) & (pos < ends)
    return tokens[idx].long(), tokens[idx + 1].long(), mask, pos

def tail_logits(model: torch.nn.Module, x: torch.Tensor, n: int) -> torch.Tensor:
    "Logits (B, n, V) at the last `n` positions of `x` (B, T); the head runs on those only if the model has `hidden` and `head`."
    if hasattr(model, "hidden") and hasattr(model, "head"): return model.head(model.hidden(x)[:, -n:])
    return model.forward_logits(x)[:, -n:]

def window_nll(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, n: int) -> torch.Tensor:
    "fp32 cross-entropy in nats (B, n) of the last `n` targets of the windows `x`, `y` (B, T)."
    logits = tail_logits(model, x, n)
    return F.cross_entropy(logits.float().flatten(0, 1), y[:, -n:].flatten(), reduction="none").view(x.size(0), n)

def compiled_window_nll():
    "`window_nll` compiled for one static shape, rounding bf16 intermediates as eager autocast does."
    import torch._inductor.config as inductor_config
    opts = {"emulate_precision_casts": True} if hasattr(inductor_config, "emulate_precision_casts") else {}
    return torch.compile(window_nll, dynamic=False, fullgraph=True, options=opts)

def _batches(W: torch.Tensor, batch_seqs: int, pad: bool):
    "Slices of the window rows `W` (n, 3), each with a validity mask; with `pad`, every slice has `batch_seqs` rows."
    for i in range(0, W.size(0), batch_seqs):
        w = W[i: i + batch_seqs]
        valid = torch.ones(w.size(0), dtype=torch.bool, device=W.device)
        if pad and w.size(0) < batch_seqs:
            k = batch_seqs - w.size(0)
            w, valid = torch.cat([w, w[-1:].expand(k, 3)]), torch.cat([valid, valid.new_zeros(k)])
        yield w, valid

def eval_val_sliding(model: torch.nn.Module,  # `model.forward_logits(x)` returns (B, T, V) logits
                     val_tokens: torch.Tensor,  # (N,) token ids
                     luts: ByteLUTs,  # byte tables of the tokenizer (`build_luts`)
                     seq_len: int,  # window length
                     stride: int,  # new targets scored by each window after the first
                     batch_seqs: int,  # windows a forward pass on each rank
                     state: DistState,  # this rank; sums are all-reduced over the group
                     progress=False,  # print running numbers on rank 0: True (10 times) or every N batches
                     scoring: str = "once",  # 'once', or 'seed' to reproduce the seed's repeated tail (`sliding_windows`)
                     compile: bool = False,  # compile the tail windows' forward (CUDA; one static shape)
                     ) -> EvalResult:
    """Loss and bits per byte with sliding windows (see `sliding_windows`; by default every target scored once).

    Each rank takes a contiguous block of the windows and sums, over the targets each window scores, the fp32
    cross-entropy in nats, the number of targets, and their bytes (`token_bytes(x, y)`: control tokens such as BOS
    count 0 bytes, being no text). One all-reduce adds the three sums; bpb = nats / ln 2 / bytes."""
    wins = sliding_windows(val_tokens.numel() - 1, seq_len, stride, scoring)
    dev, luts = state.device, _luts_on(luts, state.device)
    lo, hi = _rank_span(len(wins), state)  # windows split over ranks in contiguous blocks
    is_tail = [f >= s + seq_len - stride for s, _, f in wins[lo:hi]]
    groups = [(seq_len, window_nll, [w for w, t in zip(wins[lo:hi], is_tail) if not t], False),
              (stride, compiled_window_nll() if compile else window_nll, [w for w, t in zip(wins[lo:hi], is_tail) if t],
               compile)]
    tokens = val_tokens.to(dev)
    sums = torch.zeros(3, dtype=torch.float64, device=dev)  # nats, tokens, bytes
    show = _Progress(progress, sum(-(-len(g[2]) // batch_seqs) for g in groups), state, "eval_sliding")
    b = 0
    with _eval_context(model, dev):
        for n, nll_fn, group, pad in groups:
            if not group: continue
            for w, valid in _batches(torch.tensor(group, device=dev, dtype=torch.int64), batch_seqs, pad):
                x, y, mask, _ = _window_batch(tokens, w, seq_len)
                nll = nll_fn(model, x, y, n)  # (B, n): the last n targets of each window
                m = mask[:, -n:] & valid[:, None]
                sums[0] += torch.where(m, nll.double(), 0.0).sum()
                sums[1] += m.sum()
                sums[2] += torch.where(m, token_bytes(x[:, -n:], y[:, -n:], luts), 0).sum().double()
                show(b, sums); b += 1
    all_reduce_(sums)
    return result_from_sums(*sums.tolist())

# ------------------------------ golf_nb.quant
import io, os, sys, warnings, zlib
from dataclasses import dataclass
from pathlib import Path
import torch
from torch import Tensor
try: import zstandard
except ImportError: zstandard = None

FP16_TINY = torch.finfo(torch.float16).tiny  # smallest normal fp16, the floor of a stored scale

def int_range(bits: int) -> tuple[int, int]:
    "The (lowest, highest) value of a signed `bits`-bit integer."
    if not 2 <= bits <= 8: raise ValueError(f"bits must be in 2..8 (values are stored as int8), got {bits}")
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1

def quantize_rows(w: Tensor, bits: int) -> tuple[Tensor, Tensor]:
    "Symmetric `bits`-bit quantization of `w`: int8 values and fp16 scales, one per row of a matrix (else one)."
    qmin, qmax = int_range(bits)
    w32 = w.detach().float()
    if w32.ndim == 2:
        scale = (w32.abs().amax(dim=1) / qmax).clamp_min(1e-12).half().clamp_min(FP16_TINY)  # (rows,)
        q = torch.round(w32 / scale.float()[:, None])
    else:
        scale = torch.tensor(max(w32.abs().max().item() / qmax, 1e-12), dtype=torch.float16)  # ()
        if scale.item() == 0: scale = torch.tensor(FP16_TINY, dtype=torch.float16)  # 1e-12 underflows in fp16
        q = torch.round(w32 / scale.float())
    return q.clamp(qmin, qmax).to(torch.int8).contiguous(), scale.contiguous()

def dequantize_rows(q: Tensor, scale: Tensor, dtype: torch.dtype = torch.float32) -> Tensor:
    "Values times their row's scale (or the single scale), as `dtype`."
    if scale.ndim > 0: w = q.float() * scale.float().view(q.shape[0], *([1] * (q.ndim - 1)))
    else: w = q.float() * float(scale.item())
    return w.to(dtype)

INT8_CLIP_PERCENTILE = 99.99984  # the seed's per-row clip of |w|

def quantize_rows_clip(w: Tensor, percentile: float = INT8_CLIP_PERCENTILE) -> tuple[Tensor, Tensor]:
    "int8 quantization with each row clipped at the `percentile` of its |w|; scale = clip/127, at least 1/127."
    w32, frac = w.detach().float(), percentile / 100.0
    if w32.ndim == 2:
        clip = torch.quantile(w32.abs(), frac, dim=1) if w32.numel() else w32.new_empty(w32.shape[0])  # (rows,)
        scale = (clip / 127.0).clamp_min(1.0 / 127.0)
        q = torch.round(w32.clamp(-clip[:, None], clip[:, None]) / scale[:, None])
        return q.clamp(-127, 127).to(torch.int8).contiguous(), scale.half().contiguous()
    clip = torch.quantile(w32.abs().flatten(), frac).item() if w32.numel() else 0.0
    scale = torch.tensor(clip / 127.0 if clip > 0 else 1.0)  # fp32 scalar, as the seed
    q = torch.round(w32.clamp(-clip, clip) / scale)
    return q.clamp(-127, 127).to(torch.int8).contiguous(), scale

@dataclass(frozen=True)
class QuantPolicy:
    "What decides each tensor's format in the artifact, and how the artifact is compressed."
    fp32_keep: tuple = ()  # name patterns of large float tensors kept in fp32
    fp16_keep: tuple = ()  # name patterns of tensors kept in fp16
    embed_quant: str = "fp16"  # embeddings: fp16, int6 or int8
    compressor: str = "zstd"  # zstd (level 22) or zlib (level 9)
    keep_max_numel: int = 65_536  # tensors this small are kept whole
    mlp_bits: int = 5  # MLP matrices
    attn_bits: int = 6  # attention matrices

def quant_policy(cfg: RunConfig | QuantPolicy) -> QuantPolicy:
    "The quantization policy of run config `cfg` (a `QuantPolicy` is returned as is)."
    if isinstance(cfg, QuantPolicy): return cfg
    d = derive(cfg)
    return QuantPolicy(d.fp32_keep, d.fp16_keep, cfg.embed_quant, cfg.compressor)

def quant_category(name: str) -> str:
    "The seed's category of a tensor name: embed, mlp, attn or other."
    if "tok_emb" in name or "lm_head" in name: return "embed"
    if ".mlp." in name: return "mlp"
    if ".attn." in name or ".proj." in name: return "attn"
    return "other"

def tensor_policy(name: str, t: Tensor, cfg: RunConfig | QuantPolicy) -> str:
    "How tensor `name` is stored: passthrough, fp32, fp16, int5, int6 or int8 (first matching rule wins)."
    p, cat = quant_policy(cfg), quant_category(name)
    if not t.is_floating_point() or t.numel() <= p.keep_max_numel: return "passthrough"
    if any(s in name for s in p.fp32_keep): return "fp32"
    if cat == "embed": return p.embed_quant
    if any(s in name for s in p.fp16_keep): return "fp16"
    if cat == "mlp": return f"int{p.mlp_bits}"
    if cat == "attn": return f"int{p.attn_bits}"
    return "int8"

class ArtifactError(ValueError):
    "An artifact that cannot be read, or does not match the model."

_KEPT_META = {"passthrough": "passthrough", "fp32": "passthrough_ctrl", "fp16": "passthrough_fp16"}  # the seed's

def meta_kind(entry) -> str:
    "Our kind name for a seed-style meta entry."
    if isinstance(entry, dict) and "type" in entry: return str(entry["type"])
    for kind, m in _KEPT_META.items():
        if entry == m: return kind
    raise ArtifactError(f"unknown quantization entry {entry!r}")

def quantize_tensor(t: Tensor, kind: str) -> tuple[Tensor, Tensor | None]:
    "The stored form of `t` under `kind`: (values, scale), with scale None for a kept tensor."
    t = t.detach().cpu().contiguous()
    if kind == "passthrough": return (t.half() if t.is_floating_point() else t), None
    if kind == "fp32": return t.float(), None
    if kind == "fp16": return t.half(), None
    if kind == "int8": return quantize_rows_clip(t)
    if kind.startswith("int") and kind[3:].isdigit(): return quantize_rows(t, int(kind[3:]))
    raise ValueError(f"unknown quantization kind {kind!r}")

def quantize_state_dict(sd: dict, cfg: RunConfig | QuantPolicy) -> tuple[dict, dict]:
    "Quantize every tensor of `sd` by the policy of `cfg`: (stored tensors, meta), in the seed's layout."
    q, meta = {}, {}
    for name, t in sd.items():
        kind = tensor_policy(name, t, cfg)
        v, s = quantize_tensor(t, kind)
        if s is None: q[name] = v
        else: q[name + ".q"], q[name + ".scale"] = v, s
        meta[name] = _KEPT_META.get(kind, {"type": sys.intern(kind)})  # one string object: pickled once, as the seed's
    return q, meta

def dequantize_state_dict(q: dict, meta: dict, template: dict) -> dict:
    "The state dict stored in (`q`, `meta`), with the names, shapes and dtypes of `template`."
    missing, extra = [n for n in template if n not in meta], [n for n in meta if n not in template]
    if missing: raise ArtifactError(f"artifact lacks {len(missing)} tensor(s) of the model, e.g. {missing[0]!r}")
    if extra: raise ArtifactError(f"artifact has {len(extra)} tensor(s) the model lacks, e.g. {extra[0]!r}")
    out = {}
    for name, ref in template.items():
        kept = meta_kind(meta[name]) in _KEPT_META
        keys = [name] if kept else [name + ".q", name + ".scale"]
        if any(k not in q for k in keys): raise ArtifactError(f"artifact lacks the stored values of {name!r}")
        t = q[name] if kept else dequantize_rows(q[name + ".q"], q[name + ".scale"])
        if tuple(t.shape) != tuple(ref.shape):
            raise ArtifactError(f"{name}: artifact has shape {tuple(t.shape)}, the model {tuple(ref.shape)}")
        out[name] = t.to(ref.dtype) if t.is_floating_point() else t
    return out

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

def compress_payload(raw: bytes, compressor: str = "zstd") -> bytes:
    "`raw` compressed with zstd level 22 or zlib level 9 (zlib, with a warning, if zstandard is missing)."
    if compressor not in ("zstd", "zlib"): raise ValueError(f"compressor must be zstd or zlib, got {compressor!r}")
    if compressor == "zstd" and zstandard is None:
        warnings.warn("zstandard is not installed: compressing the artifact with zlib level 9 instead (larger)")
        compressor = "zlib"
    if compressor == "zstd": return zstandard.ZstdCompressor(level=22).compress(raw)
    return zlib.compress(raw, 9)

def decompress_payload(blob: bytes, source: str = "artifact") -> bytes:
    "The bytes compressed in `blob`, zstd or zlib told apart by their first bytes; `source` names it in errors."
    try:
        if blob[:4] == ZSTD_MAGIC:
            if zstandard is None: raise ArtifactError(f"{source}: compressed with zstd, but zstandard is not installed")
            return zstandard.ZstdDecompressor().decompress(blob)
        if len(blob) >= 2 and blob[0] & 0x0F == 8 and (blob[0] << 8 | blob[1]) % 31 == 0: return zlib.decompress(blob)
    except ArtifactError: raise
    except Exception as e: raise ArtifactError(f"{source}: corrupt or truncated compressed data ({e})") from None
    raise ArtifactError(f"{source}: not a zstd or zlib stream (starts with {bytes(blob[:4]).hex(' ')})")

def pack_artifact(sd: dict, cfg: RunConfig | QuantPolicy) -> bytes:
    "The artifact of state dict `sd`: quantized by `cfg`'s policy, `torch.save`d, compressed."
    q, meta = quantize_state_dict(sd, cfg)
    buf = io.BytesIO()
    torch.save({"w": q, "m": meta}, buf)
    return compress_payload(buf.getvalue(), quant_policy(cfg).compressor)

def unpack_artifact(blob: bytes, template: dict, source: str = "artifact") -> dict:
    "The de-quantized state dict in artifact bytes `blob`, shaped like `template`; `source` names it in errors."
    raw = decompress_payload(blob, source)
    try: obj = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    except Exception as e: raise ArtifactError(f"{source}: not a torch.save payload ({e})") from None
    if not (isinstance(obj, dict) and isinstance(obj.get("w"), dict) and isinstance(obj.get("m"), dict)):
        raise ArtifactError(f"{source}: payload is not a {{'w': tensors, 'm': meta}} dict")
    try: return dequantize_state_dict(obj["w"], obj["m"], template)
    except ArtifactError as e: raise ArtifactError(f"{source}: {e}") from None

def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    "Write `data` to `path` through a temporary file and `os.replace`."
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data); f.flush(); os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists(): tmp.unlink()

def save_artifact(path: str | os.PathLike, sd: dict, cfg: RunConfig | QuantPolicy) -> int:
    "Pack `sd` and write it to `path` atomically; returns the artifact's size in bytes."
    blob = pack_artifact(sd, cfg)
    write_bytes_atomic(path, blob)
    return len(blob)

def load_artifact(path: str | os.PathLike, template: dict) -> dict:
    "The de-quantized state dict in the artifact file `path`, shaped like `template`."
    path = Path(path)
    if not path.is_file(): raise FileNotFoundError(f"artifact {path} does not exist")
    return unpack_artifact(path.read_bytes(), template, source=str(path))

ARTIFACT_CAP = 16_000_000  # bytes, decimal

class SizeError(ValueError):
    "A submission over the size cap."

def size_account(bytes_model: int, bytes_code: int, cap: int = ARTIFACT_CAP) -> dict:
    "The submission's bytes against `cap`: model, code, total, cap, headroom (negative when over) and fits."
    total = int(bytes_model) + int(bytes_code)
    return dict(bytes_model=int(bytes_model), bytes_code=int(bytes_code), bytes_total=total, cap=cap,
                headroom=cap - total, fits=total <= cap)

def check_size(bytes_model: int, bytes_code: int, cap: int = ARTIFACT_CAP) -> dict:
    "`size_account`, raising `SizeError` with the overshoot when the submission does not fit."
    a = size_account(bytes_model, bytes_code, cap)
    if not a["fits"]:
        raise SizeError(f"submission is {-a['headroom']:,} bytes over the cap: {a['bytes_model']:,} model + "
                        f"{a['bytes_code']:,} code = {a['bytes_total']:,} > {cap:,}")
    return a

def code_bytes_of(paths) -> int:
    "UTF-8 bytes of the source file(s) `paths`, read as text as the seed reads its own script."
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return sum(len(Path(p).read_text(encoding="utf-8").encode("utf-8")) for p in paths)

def quant_error_report(sd: dict, cfg: RunConfig | QuantPolicy) -> list[dict]:
    "One row per tensor of `sd`: name, shape, kind, bits, rel_rmse, max_abs_err, bytes_raw, bytes_stored."
    rows = []
    for name, t in sd.items():
        kind = tensor_policy(name, t, cfg)
        v, s = quantize_tensor(t, kind)
        w = t.detach().cpu().double()
        d = (v if s is None else dequantize_rows(v, s)).double()
        err, norm = (w - d).norm().item(), w.norm().item()
        bits = int(kind[3:]) if kind.startswith("int") else v.element_size() * 8
        rows.append(dict(name=name, shape=tuple(t.shape), kind=kind, bits=bits,
                         rel_rmse=err / norm if norm > 0 else float(err > 0),
                         max_abs_err=(w - d).abs().max().item() if t.numel() else 0.0,
                         bytes_raw=t.numel() * t.element_size(),
                         bytes_stored=v.numel() * v.element_size() + (0 if s is None else s.numel() * s.element_size())))
    return rows

def _stored_bytes(t: Tensor) -> bytes: return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()

def bytes_by_group(sd: dict, cfg: RunConfig | QuantPolicy, by: str = "kind", compressor: str | None = None) -> dict:
    "Tensors, parameters, stored bytes and separately compressed bytes of `sd`, grouped by kind or category."
    if by not in ("kind", "category"): raise ValueError(f"by must be kind or category, got {by!r}")
    comp, groups = compressor or quant_policy(cfg).compressor, {}
    for name, t in sd.items():
        kind = tensor_policy(name, t, cfg)
        g = groups.setdefault(kind if by == "kind" else quant_category(name), dict(tensors=0, params=0, parts=[]))
        g["tensors"] += 1; g["params"] += t.numel()
        g["parts"] += [_stored_bytes(x) for x in quantize_tensor(t, kind) if x is not None]
    for g in groups.values():
        raw = b"".join(g.pop("parts"))
        g.update(bytes_stored=len(raw), bytes_compressed=len(compress_payload(raw, comp)))
    return groups

# ------------------------------ golf_nb.checkpoint
import io, random
from dataclasses import asdict
from pathlib import Path
import numpy as np
import torch

CHECKPOINT_FILE = "checkpoint.pt"
INVOCATION_FIELDS = ("resume", "stop_after_seconds", "run_dir", "run_id")  # may change between a run's invocations

def should_stop_invocation(elapsed_s: float,  # wall-clock seconds since this invocation's loop started
                           cfg: RunConfig) -> bool:
    "Whether this invocation has used up its `stop_after_seconds` (never when that is 0)."
    return cfg.stop_after_seconds > 0 and elapsed_s >= cfg.stop_after_seconds

def recipe_differences(saved: dict,  # a checkpoint's config, as `asdict` gives it
                       cfg: RunConfig) -> list[str]:
    "The fields, other than `INVOCATION_FIELDS`, whose values differ between `saved` and `cfg`."
    now = asdict(cfg)
    return [f"{k} (checkpoint {saved.get(k)!r}, now {now.get(k)!r})" for k in sorted(set(saved) | set(now))
            if k not in INVOCATION_FIELDS and saved.get(k) != now.get(k)]

def loader_position(loader: DistributedTokenLoader) -> tuple[int, int, str]:
    "`(shard index, token offset, shard name)` of `loader`'s stream."
    st = loader.stream
    return st.file_idx, st.pos, Path(st.files[st.file_idx]).name

def seek_loader(loader: DistributedTokenLoader, file_idx: int, pos: int, name: str) -> None:
    "Put `loader`'s stream at token `pos` of shard `file_idx`, checking that shard is still called `name`."
    st = loader.stream
    if not (0 <= file_idx < len(st.files) and Path(st.files[file_idx]).name == name):
        raise ValueError(f"{st.pattern}: the checkpoint was at shard {file_idx} ({name}), which is not there now")
    st.file_idx, st.tokens, st.pos = file_idx, load_shard(st.files[file_idx]), pos

def rng_states() -> dict:
    "The python, numpy, torch and (current device's) CUDA generator states."
    s = dict(python=random.getstate(), numpy=np.random.get_state(), torch=torch.get_rng_state())
    if torch.cuda.is_available(): s["cuda"] = torch.cuda.get_rng_state()
    return s

def set_rng_states(s: dict) -> None:
    "Restore generator states saved by `rng_states`."
    random.setstate(s["python"]); np.random.set_state(s["numpy"]); torch.set_rng_state(s["torch"])
    if "cuda" in s and torch.cuda.is_available(): torch.cuda.set_rng_state(s["cuda"])

def cpu_state(sd: dict) -> dict:
    "A copy of the tensor dict `sd` on the CPU."
    return {k: v.detach().cpu().clone() for k, v in sd.items()}

def cpu_tree(obj):
    "`obj` (nested dicts, lists and tuples) with every tensor copied to the CPU."
    if isinstance(obj, torch.Tensor): return obj.detach().cpu().clone()
    if isinstance(obj, dict): return {k: cpu_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)): return type(obj)(cpu_tree(v) for v in obj)
    return obj

def gather_optimizer_states(opts, state: DistState) -> list | None:
    "Every rank's optimizer states on the CPU, by rank, on rank 0 (None on the others); all ranks call it."
    mine = cpu_tree(opts.state_dict())
    if not state.distributed: return [mine]
    out = [None] * state.world_size if state.is_main else None
    torch.distributed.gather_object(mine, out, dst=0)
    return out

def save_checkpoint(path, cfg: RunConfig, base_model,
                    opt_states: list,  # every rank's optimizer states, from `gather_optimizer_states`
                    loader, swa, ema, step: int, train_ms: float,
                    stop_after: int | None,  # the step the wall-clock cap stops at, once known
                    last_val: EvalResult | None) -> None:
    "Write everything `run_training` needs to continue to `path`, atomically (rank 0 calls it)."
    ck = dict(format=1, config=asdict(cfg), step=step, train_ms=train_ms, stop_after=stop_after,
              last_val=None if last_val is None else tuple(last_val), model=cpu_state(base_model.state_dict()),
              optimizers=opt_states, loader=loader_position(loader),
              swa=None if swa is None else dict(sum=swa.sum, count=swa.count),
              ema=None if ema is None else dict(shadow=ema.shadow and cpu_state(ema.shadow), count=ema.count),
              rng=rng_states())
    buf = io.BytesIO(); torch.save(ck, buf)
    write_bytes_atomic(path, buf.getvalue())

def load_checkpoint(path, cfg: RunConfig, world_size: int = 1) -> dict:
    "Read the checkpoint at `path` onto the CPU, refusing one that a different recipe or world size wrote."
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no checkpoint to resume from (start the run without resume, or check run_dir)")
    try: ck = torch.load(path, map_location="cpu", weights_only=False)   # our own file; it holds numpy RNG state
    except Exception as e: raise ValueError(f"{path}: cannot read the checkpoint ({e})") from e
    diff = recipe_differences(ck["config"], cfg)
    if diff: raise ConfigError(f"{path}: cannot resume, the recipe differs in " + "; ".join(diff))
    if len(ck["optimizers"]) != world_size:
        raise ConfigError(f"{path}: written by {len(ck['optimizers'])} ranks; resume it on as many, not {world_size}")
    return ck

def restore_checkpoint(ck: dict, base_model, opts, loader, swa, ema, rank: int = 0) -> tuple:
    "Load checkpoint `ck` into rank `rank`'s objects; returns `(step, train_ms, stop_after, last_val)`."
    base_model.load_state_dict(ck["model"], strict=True)
    opts.load_state_dict(ck["optimizers"][rank])   # moves the states to their parameters' devices
    seek_loader(loader, *ck["loader"])
    if swa is not None: swa.sum, swa.count = ck["swa"]["sum"], ck["swa"]["count"]
    if ema is not None:
        dev = next(base_model.parameters()).device
        sh = ck["ema"]["shadow"]
        ema.shadow, ema.count = sh and {k: v.to(dev) for k, v in sh.items()}, ck["ema"]["count"]
    set_rng_states(ck["rng"])
    lv = ck["last_val"]
    return ck["step"], ck["train_ms"], ck["stop_after"], None if lv is None else EvalResult(*lv)

# ------------------------------ golf_nb.train
import copy, glob, hashlib, json, math, platform, random, subprocess, sys, time, uuid
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch

def lr_multiplier(step: int, elapsed_ms: float, cfg: RunConfig) -> float:
    "The LR scale for `step`, `elapsed_ms` of training in: 1, then a linear warm-down to 0."
    if cfg.warmdown_iters <= 0: return 1.0
    if cfg.max_wallclock_seconds <= 0:
        start = max(cfg.iterations - cfg.warmdown_iters, 0)
        return max((cfg.iterations - step) / max(cfg.warmdown_iters, 1), 0.0) if start <= step < cfg.iterations else 1.0
    warmdown_ms = cfg.warmdown_iters * elapsed_ms / max(step, 1)  # warmdown_iters steps at the mean step time
    remaining_ms = max(1000.0 * cfg.max_wallclock_seconds - elapsed_ms, 0.0)
    return remaining_ms / max(warmdown_ms, 1e-9) if remaining_ms <= warmdown_ms else 1.0

class RunLog:
    "Rank-0 log: prints and appends flushed lines to `run_dir/log.txt`."
    def __init__(self, run_dir: str | Path, is_main: bool = True, console: bool = True):
        self.run_dir, self.is_main, self.console = Path(run_dir), is_main, console
        self.path = self.run_dir / "log.txt"
        if is_main: self.run_dir.mkdir(parents=True, exist_ok=True)

    def __call__(self, msg: str, console: bool = True) -> None:
        if not self.is_main: return
        if console and self.console: print(msg, flush=True)
        with open(self.path, "a", encoding="utf-8") as f: f.write(msg + "\n"); f.flush()

def package_sources() -> list[Path]:
    "The Python files that a training run executes: the package's modules, or the one file they were bundled into."
    src = Path(validate.__code__.co_filename).resolve()   # golf_nb/config.py, or a single-file train_gpt.py
    if src.name != "config.py" or not (src.parent / "__init__.py").exists(): return [src]
    skip = {"docs.py", "bench.py", "records.py", "_modidx.py"}
    return sorted(p for p in src.parent.glob("*.py") if p.name not in skip)

def code_fingerprint(paths=None) -> tuple[str, int]:
    "sha256 (first 16 hex digits) and UTF-8 byte count of the code in `paths`."
    h, n = hashlib.sha256(), 0
    for p in paths or package_sources():
        b = Path(p).read_bytes(); h.update(b); n += len(b)
    return h.hexdigest()[:16], n

def environment_report() -> str:
    "Python, library versions and `nvidia-smi` output, for the log header."
    import sentencepiece
    lines = [f"python {sys.version.split()[0]} on {platform.platform()}", f"torch {torch.__version__}",
             f"numpy {np.__version__}", f"sentencepiece {sentencepiece.__version__}"]
    try:
        import zstandard; lines.append(f"zstandard {zstandard.__version__}")
    except ImportError: lines.append("zstandard missing (zlib fallback)")
    if torch.cuda.is_available():
        lines.append(f"cuda {torch.version.cuda}, {torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}")
        try: lines.append(subprocess.run(["nvidia-smi"], capture_output=True, text=True, timeout=30).stdout)
        except (OSError, subprocess.SubprocessError): lines.append("nvidia-smi not available")
    return "\n".join(lines)

def resolve_data(cfg: RunConfig, state: DistState) -> RunConfig:
    "Replace 'embedded' data and tokenizer paths by the cached embedded corpus."
    if cfg.data_path != "embedded" and cfg.tokenizer_path != "embedded": return cfg
    if state.is_main: ensure_embedded_data(cfg.vocab_size)
    barrier()
    data, tok = ensure_embedded_data(cfg.vocab_size)
    return replace(cfg, data_path=str(data) if cfg.data_path == "embedded" else cfg.data_path,
                   tokenizer_path=str(tok) if cfg.tokenizer_path == "embedded" else cfg.tokenizer_path)

def new_run_id() -> str:
    "A sortable run name: UTC time stamp and a random suffix."
    return time.strftime("%Y%m%d_%H%M%S", time.gmtime()) + "_" + uuid.uuid4().hex[:6]

def load_tokenizer(cfg: RunConfig):
    "The SentencePiece model of `cfg`, checked against `vocab_size`."
    import sentencepiece as spm
    p = Path(cfg.tokenizer_path)
    if p.suffix != ".model": raise ValueError(f"{p}: tokenizer must be a SentencePiece .model file")
    if not p.exists(): raise FileNotFoundError(f"{p}: tokenizer not found (golf_download fetches the published ones)")
    sp = spm.SentencePieceProcessor(model_file=str(p))
    if sp.vocab_size() != cfg.vocab_size:
        raise ValueError(f"{p}: tokenizer has {sp.vocab_size()} pieces but vocab_size={cfg.vocab_size}")
    return sp

def load_eval_data(cfg: RunConfig, device) -> tuple:
    "`(luts, val_tokens)`: the byte look-up tables of `cfg`'s tokenizer and its validation tokens."
    luts = build_luts(load_tokenizer(cfg), cfg.vocab_size, device)
    return luts, load_validation_tokens(val_pattern(cfg.data_path), cfg.train_seq_len, cfg.val_max_tokens)

def autocast(device: torch.device):
    "bf16 autocast on CUDA; a no-op context on CPU (CPU bf16 matmuls are slow and not what the record measures)."
    return torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device.type == "cuda")

def train_step(model, base_model, opts, loader, cfg: RunConfig, accum: int, device, lr_scale: float, step: int):
    "One optimizer step; returns the mean training loss (a device tensor, not synced)."
    distributed = hasattr(model, "require_backward_grad_sync")
    total = torch.zeros((), device=device)
    for micro in range(accum):
        if distributed: model.require_backward_grad_sync = micro == accum - 1
        x, y = loader.next_batch(cfg.train_batch_tokens, cfg.train_seq_len, accum)
        with autocast(device): loss = model(x, y)
        total += loss.detach()
        (loss / accum).backward()
    set_muon_momentum(opts, step, cfg)
    set_lr_scale(opts, lr_scale)
    if cfg.grad_clip_norm > 0: torch.nn.utils.clip_grad_norm_(base_model.parameters(), cfg.grad_clip_norm)
    for o in opts: o.step()
    for o in opts: o.zero_grad(set_to_none=True)
    return total / accum

def warmup_and_restore(model, base_model, opts, make_loader, cfg: RunConfig, accum: int, device, log) -> None:
    "Run `cfg.warmup_steps` steps to compile, then restore model and optimizer state."
    if cfg.warmup_steps <= 0: return
    model_state = {k: v.detach().cpu().clone() for k, v in base_model.state_dict().items()}
    opt_states = [copy.deepcopy(o.state_dict()) for o in opts]
    loader = make_loader()
    for i in range(cfg.warmup_steps):
        train_step(model, base_model, opts, loader, cfg, accum, device, 1.0, 0)
        if cfg.warmup_steps <= 20 or (i + 1) % 10 == 0 or i + 1 == cfg.warmup_steps:
            log(f"warmup_step:{i + 1}/{cfg.warmup_steps}")
    base_model.load_state_dict(model_state, strict=True)
    for o, s in zip(opts, opt_states): o.load_state_dict(s)
    if hasattr(model, "require_backward_grad_sync"): model.require_backward_grad_sync = True

class NonFiniteLoss(RuntimeError):
    "The training loss became NaN or infinite."

def prepare_model(cfg: RunConfig, state: DistState, model_fn=build_model):
    "`(model, base_model, optimizers)`: the model to call (compiled, DDP), the module that owns the weights, its optimizers."
    base_model = cast_for_device(model_fn(cfg).to(state.device), state.device)
    model = base_model
    if state.device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True; torch.backends.cudnn.allow_tf32 = True
        if cfg.torch_compile:
            model = torch.compile(base_model, dynamic=False, fullgraph=True,
                                  mode=None if cfg.compile_mode == "default" else cfg.compile_mode)
    if state.distributed:
        from torch.nn.parallel import DistributedDataParallel as DDP
        model = DDP(model, device_ids=[state.local_rank] if state.device.type == "cuda" else None,
                    broadcast_buffers=False)
    opts = build_optimizers(base_model, cfg)
    if state.device.type == "cuda" and cfg.torch_compile:
        opts.muon.ns_fn = torch.compile(zeropower_via_newtonschulz5, dynamic=False)
    return model, base_model, opts

def setup_run(cfg: RunConfig, state: DistState, model_fn=build_model):
    "Resolve data, open the run directory and log, build model, optimizers and evaluation data."
    cfg = validate(resolve_data(cfg, state), state.world_size)
    checkpoint = None
    if cfg.resume:   # fail before the slow part, and keep the run's name
        ck_path = Path(cfg.run_dir or Path("runs") / cfg.run_id) / CHECKPOINT_FILE
        checkpoint = load_checkpoint(ck_path, cfg, state.world_size)
        cfg = replace(cfg, run_id=cfg.run_id or checkpoint["config"]["run_id"])
    if not cfg.run_id:
        rid = [new_run_id()] if state.is_main else [None]
        if state.distributed: torch.distributed.broadcast_object_list(rid, src=0)
        cfg = replace(cfg, run_id=rid[0])
    cfg = replace(cfg, run_dir=cfg.run_dir or str(Path("runs") / cfg.run_id))
    d = derive(cfg, state.world_size)
    log = RunLog(cfg.run_dir, state.is_main)
    random.seed(cfg.seed); np.random.seed(cfg.seed); torch.manual_seed(cfg.seed)
    if torch.cuda.is_available(): torch.cuda.manual_seed_all(cfg.seed)
    luts, val_tokens = load_eval_data(cfg, state.device)
    model, base_model, opts = prepare_model(cfg, state, model_fn)
    code_hash, code_bytes = code_fingerprint()
    n_params = count_params(base_model)
    if state.is_main:
        recipe = replace(cfg, resume=False, stop_after_seconds=0.0)   # config.json describes the run, not this invocation
        write_bytes_atomic(Path(cfg.run_dir) / "config.json", config_to_json(recipe, n_params=n_params).encode())
    log(f"golf_nb run {cfg.run_id} -> {cfg.run_dir}")
    log(config_to_json(cfg), console=False)
    log(f"code_sha256:{code_hash} code_bytes:{code_bytes}")
    log(environment_report(), console=False)
    log(f"model_params:{n_params} world_size:{state.world_size} grad_accum_steps:{d.grad_accum_steps}")
    if attention_caveat(cfg): log(attention_caveat(cfg))
    log(f"train_batch_tokens:{cfg.train_batch_tokens} train_seq_len:{cfg.train_seq_len} iterations:{cfg.iterations} "
        f"warmup_steps:{cfg.warmup_steps} max_wallclock_seconds:{cfg.max_wallclock_seconds:.3f} seed:{cfg.seed}")
    log(f"val_tokens:{val_tokens.numel() - 1} train_shards:{len(glob.glob(train_pattern(cfg.data_path)))}")
    return dict(cfg=cfg, d=d, log=log, luts=luts, val_tokens=val_tokens, base_model=base_model, model=model,
                opts=opts, n_params=n_params, code_hash=code_hash, code_bytes=code_bytes, checkpoint=checkpoint)

def sync_device(device):
    "Wait for the device's queued work (a no-op on CPU), so that host timers measure it."
    if device.type == "cuda": torch.cuda.synchronize(device)

def run_training(r: dict, state: DistState) -> dict:
    "The training loop of a prepared run `r`; returns step count, times, and the last validation."
    cfg, log, model, base_model, opts, device = r["cfg"], r["log"], r["model"], r["base_model"], r["opts"], state.device
    accum = r["d"].grad_accum_steps
    make_loader = lambda: DistributedTokenLoader(train_pattern(cfg.data_path), state.rank, state.world_size, device)
    warmup_and_restore(model, base_model, opts, make_loader, cfg, accum, device, log)
    loader = make_loader()
    swa = SWA(cfg.swa_start_frac, cfg.swa_every, fp32_sum=False) if cfg.swa_enabled else None
    ema = EMA(cfg.ema_decay) if cfg.ema_decay > 0 else None
    cap_ms = 1000.0 * cfg.max_wallclock_seconds if cfg.max_wallclock_seconds > 0 else None
    train_ms, stop_after, step, last_val = 0.0, None, 0, None
    if r.get("checkpoint") is not None:   # after the warm-up, whose restore puts back the initial state
        ck = r.pop("checkpoint")
        step, train_ms, stop_after, last_val = restore_checkpoint(ck, base_model, opts, loader, swa, ema, state.rank)
        log(f"checkpoint:resumed step:{step} train_time:{train_ms:.0f}ms")
    sync_device(device); t0 = t_start = time.perf_counter()
    while True:
        last = step == cfg.iterations or (stop_after is not None and step >= stop_after)
        if last or (cfg.val_loss_every > 0 and step % cfg.val_loss_every == 0):
            sync_device(device); train_ms += 1000.0 * (time.perf_counter() - t0)   # the clock pauses here
            vs = max(1, cfg.val_batch_size // (state.world_size * accum * cfg.train_seq_len))
            last_val = eval_val(model, r["val_tokens"], r["luts"], cfg.train_seq_len, vs, state)
            log(f"step:{step}/{cfg.iterations} val_loss:{last_val.loss:.4f} val_bpb:{last_val.bpb:.4f} "
                f"train_time:{train_ms:.0f}ms step_avg:{train_ms / max(step, 1):.2f}ms")
            sync_device(device); t0 = time.perf_counter()
        if last:
            if stop_after is not None and step < cfg.iterations:
                log(f"stopping_early: wallclock_cap train_time:{train_ms:.0f}ms step:{step}/{cfg.iterations}")
            break
        scale = lr_multiplier(step, train_ms + 1000.0 * (time.perf_counter() - t0), cfg)
        loss = train_step(model, base_model, opts, loader, cfg, accum, device, scale, step)
        step += 1
        approx_ms = train_ms + 1000.0 * (time.perf_counter() - t0)
        if swa is not None and swa.maybe_collect(base_model, step, scale) and swa.count == 1:
            log(f"swa:start step:{step}")
        if ema is not None: ema.update(base_model)
        if cfg.train_log_every > 0 and (step <= 10 or step % cfg.train_log_every == 0 or stop_after is not None):
            lv = loss.item()   # the only host sync of a normal step, and only on log steps
            if not math.isfinite(lv):
                log(f"step:{step} train_loss:{lv} is not finite: stopping (lower the LRs or check the data)")
                raise NonFiniteLoss(f"training loss {lv} is not finite at step {step}; the log is in {log.path}")
            log(f"step:{step}/{cfg.iterations} train_loss:{lv:.4f} train_time:{approx_ms:.0f}ms "
                f"step_avg:{approx_ms / step:.2f}ms")
        reached = cap_ms is not None and approx_ms >= cap_ms
        pause = stop_after is None and step < cfg.iterations and should_stop_invocation(time.perf_counter() - t_start, cfg)
        if state.distributed and (cap_ms is not None or cfg.stop_after_seconds > 0):   # every rank stops at the same step
            flags = torch.tensor([int(reached), int(pause)], device=device); all_reduce_(flags, "max")
            reached, pause = bool(flags[0].item()), bool(flags[1].item())
        if stop_after is None and reached: stop_after = step
        elif pause:
            sync_device(device); train_ms += 1000.0 * (time.perf_counter() - t0)
            path = Path(cfg.run_dir) / CHECKPOINT_FILE
            opt_states = gather_optimizer_states(opts, state)
            if state.is_main:
                save_checkpoint(path, cfg, base_model, opt_states, loader, swa, ema, step, train_ms, stop_after, last_val)
            barrier()
            log(f"checkpoint:saved step:{step} train_time:{train_ms:.0f}ms -> {path}")
            return dict(steps=step, train_time_ms=train_ms, pre_quant=last_val, swa_count=swa.count if swa else 0,
                        checkpoint=str(path))
    if device.type == "cuda":
        log(f"peak memory allocated: {torch.cuda.max_memory_allocated() // 2**20} MiB "
            f"reserved: {torch.cuda.max_memory_reserved() // 2**20} MiB")
    if ema is not None: ema.apply(base_model); log(f"ema:applied decay {cfg.ema_decay}")
    elif swa is not None and swa.apply(base_model): log(f"swa:applying averaged {swa.count} checkpoints")
    return dict(steps=step, train_time_ms=train_ms, pre_quant=last_val, swa_count=swa.count if swa else 0)

def final_evaluation(model, val_tokens, luts, cfg: RunConfig, state: DistState, log):
    "Score `model` as the challenge does: sliding windows when 0 < stride < seq_len, else plain windows."
    sync_device(state.device); t = time.perf_counter()
    if 0 < cfg.eval_stride < cfg.train_seq_len:
        compile = cfg.eval_compile and cfg.torch_compile and state.device.type == "cuda"
        log(f"final_eval_mode:sliding_window stride:{cfg.eval_stride} batch_seqs:{cfg.eval_batch_seqs} "
            f"scoring:{cfg.eval_scoring} compiled:{int(compile)}")
        res = eval_val_sliding(model, val_tokens, luts, cfg.train_seq_len, cfg.eval_stride, cfg.eval_batch_seqs,
                               state, progress=state.is_main, scoring=cfg.eval_scoring, compile=compile)
    else:
        log("final_eval_mode:standard")
        res = eval_val(model, val_tokens, luts, cfg.train_seq_len, cfg.eval_batch_seqs, state)
    sync_device(state.device)
    return res, 1000.0 * (time.perf_counter() - t)

def write_json_atomic(path, obj) -> None:
    "Write `obj` as indented JSON to `path` atomically."
    write_bytes_atomic(path, (json.dumps(obj, indent=2) + "\n").encode())

def finish_run(r: dict, t: dict, state: DistState) -> dict:
    "Quantize, compress and write the artifact; round-trip it; score it; write `summary.json`."
    cfg, log, base_model = r["cfg"], r["log"], r["base_model"]
    sd = {k: v.detach().cpu() for k, v in base_model.state_dict().items()}
    blob = pack_artifact(sd, cfg)
    art = Path(cfg.run_dir) / "final_model.ptz"
    if state.is_main: write_bytes_atomic(art, blob)
    bytes_code = cfg.code_bytes or r["code_bytes"]
    acct = size_account(len(blob), bytes_code)
    log(f"Serialized model quant+{cfg.compressor}: {len(blob)} bytes")
    log(f"Total submission size: {acct['bytes_total']} bytes (code {bytes_code}, cap {acct['cap']}, "
        f"headroom {acct['headroom']})")
    if not acct["fits"]: log(f"ERROR: the artifact is over the 16,000,000-byte cap by {-acct['headroom']} bytes")
    barrier()
    base_model.load_state_dict(unpack_artifact(art.read_bytes(), sd, source=str(art)), strict=True)   # what the grader sees
    res, eval_ms = final_evaluation(base_model, r["val_tokens"], r["luts"], cfg, state, log)
    log(f"final_int8_zlib_roundtrip val_loss:{res.loss:.4f} val_bpb:{res.bpb:.4f} eval_time:{eval_ms:.0f}ms")
    log(f"final_int8_zlib_roundtrip_exact val_loss:{res.loss:.8f} val_bpb:{res.bpb:.8f}")
    pre = t["pre_quant"]
    summary = dict(run_id=cfg.run_id, val_bpb=res.bpb, val_loss=res.loss, pre_quant_val_bpb=pre.bpb if pre else None,
                   pre_quant_val_loss=pre.loss if pre else None, bytes_model=len(blob), bytes_code=bytes_code,
                   bytes_total=acct["bytes_total"], fits=acct["fits"], steps=t["steps"],
                   train_time_ms=t["train_time_ms"], eval_time_ms=eval_ms, n_params=r["n_params"], seed=cfg.seed,
                   swa_count=t["swa_count"], world_size=state.world_size, eval_tokens=res.tokens, eval_bytes=res.bytes,
                   code_sha256=r["code_hash"], torch_version=torch.__version__,
                   device=torch.cuda.get_device_name(0) if state.device.type == "cuda" else platform.processor() or "cpu",
                   finished=True)
    if state.is_main: write_json_atomic(Path(cfg.run_dir) / "summary.json", summary)
    return summary

def pause_summary(r: dict, t: dict, state: DistState) -> dict:
    "The summary of an invocation that stopped at a checkpoint; written to `summary.json` as well."
    cfg, pre = r["cfg"], t["pre_quant"]
    summary = dict(run_id=cfg.run_id, run_dir=cfg.run_dir, finished=False, checkpoint=t["checkpoint"],
                   steps=t["steps"], train_time_ms=t["train_time_ms"], pre_quant_val_bpb=pre.bpb if pre else None,
                   pre_quant_val_loss=pre.loss if pre else None, swa_count=t["swa_count"], seed=cfg.seed,
                   world_size=state.world_size, code_sha256=r["code_hash"])
    if state.is_main: write_json_atomic(Path(cfg.run_dir) / "summary.json", summary)
    return summary

def train(cfg: RunConfig, state: DistState | None = None, model_fn=build_model) -> dict:
    "Run training as configured and return the run's summary (also written to `summary.json`)."
    state = state or init_distributed()
    r = setup_run(cfg, state, model_fn)
    try:
        t = run_training(r, state)
        summary = finish_run(r, t, state) if "checkpoint" not in t else pause_summary(r, t, state)
    except BaseException as e:
        r["log"](f"run failed: {type(e).__name__}: {e}")
        raise
    if summary["finished"] and not summary["fits"]:
        raise ValueError(f"{r['cfg'].run_dir}: artifact is {summary['bytes_total']} bytes, over the cap")
    return summary

def run_and_report(cfg: RunConfig, prog: str = "golf_train") -> int:
    "Train `cfg` in this process's group; print the final line (rank 0); return an exit status."
    state = init_distributed()
    try: s = train(cfg, state)
    except Exception as e:   # every rank says why: a failure on rank 3 alone is otherwise silent
        import traceback
        where = f" (rank {state.rank} of {state.world_size})" if state.distributed else ""
        print(f"{prog}: run failed{where}: {type(e).__name__}: {e}\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        return 1
    finally: close_distributed(state)
    if state.is_main and not s["finished"]:
        print(f"{prog}: stopped at step {s['steps']} (train_time {s['train_time_ms']:.0f}ms), checkpoint {s['checkpoint']}; "
              f"continue with the same options and --resume 1 --run_dir {s['run_dir']}")
    elif state.is_main:
        print(f"val_bpb:{s['val_bpb']:.8f} val_loss:{s['val_loss']:.8f} bytes_total:{s['bytes_total']} "
              f"steps:{s['steps']} run_dir:{cfg.run_dir or Path('runs') / s['run_id']}")
    return 0

# ------------------------------ entry point (golf_nb.bundle)
def bundle_main(defaults: dict,  # the recorded config's fields
                file=None,  # the running script: its size is the code size
                argv=None, environ=None) -> int:
    "Entry point of a record's `train_gpt.py`: recorded defaults < environment variables < `--field value`."
    from dataclasses import replace
    from pathlib import Path
    parser = config_parser(prog=Path(file or "train_gpt.py").name, description="Run this record's recipe.")
    parser.set_defaults(preset=None)
    ns = parser.parse_args(argv)
    if ns.preset: parser.error("--preset: this script's defaults are its record's recipe; set fields instead")
    try:
        over = {**env_overrides(environ), **{k: parse_value(k, v) for k, v in vars(ns).items()
                                             if k in RunConfig.__dataclass_fields__ and v is not None}}
        if file and "code_bytes" not in over: over["code_bytes"] = Path(file).stat().st_size
        cfg = validate(replace(RunConfig(**defaults), **over))
    except ConfigError as e: parser.error(str(e))
    if ns.print_config: print(config_to_json(cfg)); return 0
    return run_and_report(cfg, Path(file or "train_gpt.py").name)

BUNDLE_DEFAULTS = {'data_path': './data/datasets/fineweb10B_sp1024',
 'tokenizer_path': './data/tokenizers/fineweb_1024_bpe.model',
 'run_id': '',
 'seed': 1337,
 'val_batch_size': 524288,
 'val_loss_every': 0,
 'train_log_every': 100,
 'iterations': 20000,
 'warmdown_iters': 3000,
 'warmup_steps': 20,
 'train_batch_tokens': 786432,
 'train_seq_len': 2048,
 'max_wallclock_seconds': 250.0,
 'qk_gain_init': 1.5,
 'vocab_size': 1024,
 'num_layers': 10,
 'num_kv_heads': 4,
 'model_dim': 512,
 'num_heads': 8,
 'mlp_mult': 3.0,
 'tie_embeddings': True,
 'rope_base': 10000.0,
 'logit_softcap': 30.0,
 'embed_lr': 0.6,
 'head_lr': 0.008,
 'tied_embed_lr': 0.03,
 'tied_embed_init_std': 0.005,
 'matrix_lr': 0.02,
 'scalar_lr': 0.02,
 'muon_momentum': 0.99,
 'muon_backend_steps': 5,
 'muon_momentum_warmup_start': 0.92,
 'muon_momentum_warmup_steps': 1500,
 'beta1': 0.9,
 'beta2': 0.95,
 'adam_eps': 1e-08,
 'grad_clip_norm': 0.3,
 'weight_decay': 0.01,
 'eval_stride': 64,
 'eval_batch_seqs': 64,
 'bigram_vocab_size': 4096,
 'bigram_dim': 128,
 'swa_enabled': True,
 'swa_start_frac': 0.5,
 'swa_every': 50,
 'embed_quant': 'fp16',
 'control_tensor_name_patterns': 'attn_scale,attn_scales,mlp_scale,mlp_scales,resid_mix,resid_mixes,q_gain,skip_weight,skip_weights,smear,bigram.scale',
 'fp16_keep_name_patterns': '',
 'int8_keep_float_fp32_name_patterns': '',
 'muon_weight_decay': 0.04,
 'ema_decay': 0.0,
 'grad_accum_steps': 0,
 'torch_compile': True,
 'attn_backend': 'cudnn',
 'gqa_native': True,
 'compressor': 'zstd',
 'val_max_tokens': 0,
 'run_dir': '',
 'code_bytes': 0,
 'resume': False,
 'stop_after_seconds': 0.0,
 'compile_mode': 'default',
 'muon_batched': False,
 'eval_scoring': 'once',
 'eval_compile': False}

if __name__ == "__main__":
    raise SystemExit(bundle_main(BUNDLE_DEFAULTS, __file__))
