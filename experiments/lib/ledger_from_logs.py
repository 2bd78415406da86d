"""The ledger's rows for the GPU runs of earlier sessions, read from their committed files.

    python experiments/lib/ledger_from_logs.py           # write experiments/ledger.csv if it does not exist yet
    python experiments/lib/ledger_from_logs.py --check   # exit 1 unless the ledger's first rows are these

Every value comes from a file in experiments/2026-11-28_*/: golf_bench's JSON records, golf_nb's summaries and logs
(read by golf_nb.bench.parse_train_log), the seed script's logs, and the lane transcripts (lane*.txt) for runs that
were killed before they wrote anything. A value that no file holds is left empty. git_sha: a golf_nb log names the
hash of the training code it ran (code_sha256, golf_nb.train.code_fingerprint); the row's git_sha is the oldest
commit whose package hashes the same, found in this repository's history, and is empty where no commit does (the
code ran uncommitted) or the run left no hash (golf_bench's throughput records).
"""
from __future__ import annotations
import argparse, hashlib, json, re, shlex, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from golf_nb.bench import parse_train_log  # noqa: E402
from golf_nb.ledger import LEDGER_COLUMNS, append_rows, ledger_row, read_ledger  # noqa: E402
try: from golf_nb.runlog import package_sources  # noqa: E402  (where the split of golf_nb.train puts it)
except ImportError: from golf_nb.train import package_sources  # noqa: E402

EXP = ROOT / "experiments"
FIDELITY, SPEED, RECORD_X4 = EXP / "2026-11-28_p180_fidelity", EXP / "2026-11-28_h200_speed_eval", EXP / "2026-11-28_record_x4"
SESSIONS = ("speed", "proxy_eval", "s3_profile1", "s3_profile2", "s3_proxies")   # SPEED/logs/*, in the order they ran
# golf_bench options that set up a measurement rather than the recipe: paths, seed, output, the budget
HARNESS = {"preset", "seed", "data_path", "tokenizer_path", "run_dir", "run_id", "out", "steps", "warmup_steps", "profile",
           "max_wallclock_seconds", "warmdown_iters"}
FLAGS = {"record_batch", "real_data"}   # golf_bench options without a value


def rel(p: Path) -> str: return p.resolve().relative_to(ROOT).as_posix()


def option_pairs(tokens: list) -> list:
    "`(field, value)` of `--field value` tokens, flags and harness options left out."
    out, i = [], 0
    while i < len(tokens):
        name = tokens[i][2:]
        if name in FLAGS: i += 1; continue
        if name not in HARNESS: out.append((name, tokens[i + 1]))
        i += 2
    return out


def diff_text(pairs) -> str: return " ".join(f"--{k} {shlex.quote(v)}" for k, v in pairs)


def variant_name(pairs) -> str:
    "A short name for golf_nb's speed knobs among `pairs`: 'cudnn+gqa+nsb+nomix+accum4'; 'golf_nb' for none."
    d = dict(pairs)
    parts = [d["attn_backend"]] if "attn_backend" in d else []
    parts += ["gqa"] * (d.get("gqa_native") in ("1", "True")) + ["nsb"] * (d.get("muon_batched") in ("1", "True"))
    parts += ["nomix"] * ("mix_order_reduction=False" in d.get("inductor_config", ""))
    parts += [f"accum{d['grad_accum_steps']}"] if d.get("grad_accum_steps", "0") != "0" else []
    return "+".join(parts) or "golf_nb"


def code_commits(root: Path = ROOT) -> dict:
    "code_sha256 -> the oldest commit whose golf_nb/*.py (less the files code_fingerprint skips) hash to it."
    skip = {p.name for p in (ROOT / "golf_nb").glob("*.py")} - {p.name for p in package_sources()}
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], capture_output=True, check=True).stdout
    blobs, found = {}, {}
    for c in git("rev-list", "--reverse", "HEAD").decode().split():
        files = []
        for line in git("ls-tree", c, "golf_nb/").decode().splitlines():
            meta, path = line.split("\t")
            name = path.removeprefix("golf_nb/")
            if name.endswith(".py") and "/" not in name and name not in skip: files.append((name, meta.split()[2]))
        h = hashlib.sha256()
        for _, blob in sorted(files):
            if blob not in blobs: blobs[blob] = git("cat-file", "blob", blob)
            h.update(blobs[blob])
        found.setdefault(h.hexdigest()[:16], c)
    return found


def code_hash(log: Path) -> str:
    "The code_sha256 a golf_nb log names, or ''."
    m = re.search(r"^code_sha256:([0-9a-f]+)", log.read_text(errors="replace"), re.M) if log.exists() else None
    return m[1] if m else ""


def host_of(folder: Path) -> str:
    "'4 x NVIDIA H200' from a lane folder's nvidia-smi -L lines."
    gpus = [l for l in (folder / "machine.txt").read_text().splitlines() if l.startswith("GPU ")]
    return f"{len(gpus)} x {gpus[0].split(': ', 1)[1].split(' (')[0]}"


def fidelity_rows(commit) -> list:
    "The four p180 runs of p180_fidelity.sh: the seed's script and golf_nb, seeds 1337 and 42, one GPU each."
    J = json.loads((FIDELITY / "p180_fidelity.json").read_text())
    where = "p180_fidelity.sh: 4 runs at once on a 4 x NVIDIA H200 host, one GPU each"
    rows = []
    for r in J["runs"]:
        log_path = FIDELITY / "logs" / r["log"]
        log = parse_train_log(log_path)
        row = dict(date=J["date"], proxy="p180", seed=r["seed"], steps=log["steps"], step_ms=log["step_avg_ms"],
                   machine="NVIDIA H200", lanes=1, log=rel(log_path))
        if r["impl"] == "golf_nb":
            s = json.loads(log_path.with_name(log_path.stem + "_summary.json").read_text())
            rows.append(dict(row, git_sha=commit(s["code_sha256"]), preset="p180", variant="golf_nb", val_bpb=s["val_bpb"],
                             pre_quant_val_bpb=s["pre_quant_val_bpb"], bytes_total=s["bytes_total"], status="ok",
                             notes=f"{where}; code_sha256 {s['code_sha256']}"))
        else:
            rows.append(dict(row, preset="script:seed465", variant="seed_script", pre_quant_val_bpb=log["pre_quant_val_bpb"],
                             bytes_total=log["bytes_model"] + log["bytes_code"], status="killed",
                             notes=f"{where}; configured as the p180 preset (SEEDENV); killed by the run timeout "
                                   f"{log['eval_done_frac']:.0%} into its final evaluation"))
    return rows


def record_rows(folder: Path, commit, where: str) -> list:
    "A row for every golf_bench record (throughput or proxy) in a lane folder."
    rows = []
    for f in sorted(folder.glob("*.json")):
        rec = json.loads(f.read_text())
        if rec.get("kind") not in ("throughput", "proxy"): continue   # eval_vs_seed, attention_backends
        toks, cfg = shlex.split(rec["command"]), rec["config"]
        pairs, gpu = option_pairs(toks[1:]), re.match(r"\w+_gpu(\d+)_v\d+\.json$", f.name)
        row = dict(date=rec["date"], preset=toks[toks.index("--preset") + 1], variant=variant_name(pairs), recipe_diff=diff_text(pairs),
                   seed=cfg["seed"], steps=rec["steps"], step_ms=rec["step_avg_ms"], machine=rec["machine"], lanes=1,
                   status="ok", log=rel(f))
        if rec["kind"] == "throughput":
            prof = " (then 3 steps profiled)" if rec.get("profile") else ""
            rows.append(dict(row, proxy="record_batch", notes=f"{where}, GPU {gpu[1]}; {rec['steps']} steps timed after "
                                                              f"{rec['warmup_steps']} warm-up steps{prof}"))
        else:
            cap = cfg["max_wallclock_seconds"]
            h = code_hash(f.with_suffix(".log"))
            rows.append(dict(row, proxy="p180" if cap == 180 else f"p180@{cap:g}s", git_sha=commit(h), val_bpb=rec["proxy_val_bpb"],
                             pre_quant_val_bpb=rec["pre_quant_val_bpb"], bytes_total=rec["bytes_total"],
                             notes=f"{where}; code_sha256 {h}"))
    return rows


def seed_script_rows(folder: Path, where: str) -> list:
    "The seed's script at the record's batch (speed_vs_seed.sh), one run a GPU, stopped once its last step was logged."
    rows = []
    for f in sorted(folder.glob("seed_script_gpu*.log")):
        log = parse_train_log(f)
        rows.append(dict(date="2026-11-28", preset="script:seed465", variant="seed_script", proxy="record_batch", seed=log["seed"],
                         steps=log["steps"], step_ms=log["step_avg_ms"], machine="NVIDIA H200", lanes=1, status="ok", log=rel(f),
                         notes=f"{where}, GPU {f.stem[-1]}; constant LR, stopped after step {log['steps']}"))
    return rows


KILLED = dict(date="2026-11-28", machine="NVIDIA H200", lanes=1, status="killed")


def speed_killed_rows(commit) -> list:
    "The first session's runs that its lanes' deadline killed before they wrote a record: from their logs and lane transcripts."
    speed, base = SPEED / "logs/speed", KILLED
    log = speed / "p180_golf_nb_1337_killed.log"
    lg, head = parse_train_log(log), log.read_text()
    cfg = json.loads(head[head.index("{"):head.index("\n}") + 2])
    knobs = [(k, str(int(cfg[k]) if isinstance(cfg[k], bool) else cfg[k])) for k in ("attn_backend", "gqa_native", "muon_batched", "eval_batch_seqs")]
    lane2 = (speed / "lane2.txt").read_text().strip()
    out = [dict(base, git_sha=commit(code_hash(log)), preset="p180", variant=variant_name(knobs), recipe_diff=diff_text(knobs),
                proxy="p180", seed=cfg["seed"], steps=lg["steps"], step_ms=lg["step_avg_ms"], pre_quant_val_bpb=lg["pre_quant_val_bpb"],
                log=rel(log), notes=f"speed: GPU 2 of a {host_of(speed)} host; '{lane2}': killed after training, before its "
                                    f"score; recipe_diff from the config in the log's header; code_sha256 {code_hash(log)}")]
    lane3 = (speed / "lane3.txt").read_text().strip()
    out.append(dict(base, preset="p180", variant="unknown", proxy="p180", seed=int(re.search(r"seed (\d+)", lane3)[1]),
                    log=rel(speed / "lane3.txt"), notes=f"speed: GPU 3; '{lane3}': no log was kept"))
    for f in sorted(speed.glob("golf_gpu*_v2.log")):
        what = "the log is empty" if not f.read_text().strip() else "the log holds only Inductor's autotuning output"
        out.append(dict(base, preset="seed465", variant="unknown", proxy="record_batch", seed=1337, log=rel(f),
                        notes=f"speed: GPU {f.stem[8]}, the lane's third golf_nb run (v2): no record and no line in "
                              f"lane{f.stem[8]}.txt, so the lane ended while it ran; {what}; its knobs were not kept"))
    return out


def proxies_killed_rows() -> list:
    "The profile lane of s3_proxies, which ran out of the command's time before it wrote anything."
    # h200_proxies.sh gives its profile lane the proxies' KNOBS (they add --eval_batch_seqs 128)
    prox = SPEED / "logs/s3_proxies"
    knobs = [kv for kv in option_pairs(shlex.split(json.loads((prox / "p180_golf_nb_42.json").read_text())["command"])[1:])
             if kv[0] != "eval_batch_seqs"]
    f = prox / "profile_gpu1_v0.log"
    return [dict(KILLED, preset="seed465", variant=variant_name(knobs), recipe_diff=diff_text(knobs), proxy="record_batch",
                 seed=1337, log=rel(f), notes="s3_proxies: GPU 1, after the seed-42 proxy; the profile lane ran out of the "
                                              "command's time (the log is empty); recipe_diff: the KNOBS its proxies got")]


def record_x4_row(commit) -> dict:
    "seed465 at the record's batch on 4 GPUs for 250 s (record_x4.sh), scored on the validation prefix."
    R, s = json.loads((RECORD_X4 / "record_x4.json").read_text()), json.loads((RECORD_X4 / "logs/summary.json").read_text())
    toks = shlex.split(R["command"])
    pairs = option_pairs(toks[toks.index(next(t for t in toks if t.endswith("record_x4.sh"))) + 1:])
    return dict(date=R["date"], git_sha=commit(s["code_sha256"]), preset="seed465", variant=variant_name(pairs),
                recipe_diff=diff_text(pairs), proxy="record_x4@250s", seed=s["seed"], steps=s["steps"],
                step_ms=s["train_time_ms"] / s["steps"], val_bpb=s["val_bpb"], pre_quant_val_bpb=s["pre_quant_val_bpb"],
                bytes_total=s["bytes_total"], machine=f"{s['world_size']} x {s['device']}", lanes=1, status="ok",
                log=rel(RECORD_X4 / "logs/log.txt"),
                notes=f"torchrun on 4 GPUs, p180 training shard, sliding evaluation of the validation prefix; "
                      f"code_sha256 {s['code_sha256']}; the non-record folder in records/track_non_record_16mb")


def migrated_rows(with_git: bool = True) -> list:
    "Every GPU run of the committed sessions as a ledger row, in the order they ran."
    found = code_commits() if with_git else {}
    commit = lambda h: found.get(h, "")
    rows = fidelity_rows(commit)
    for name in SESSIONS:
        folder = SPEED / "logs" / name
        where = f"{name}: a {host_of(folder)} host, one lane a GPU"
        rows += seed_script_rows(folder, where) + record_rows(folder, commit, where)
        rows += speed_killed_rows(commit) if name == "speed" else proxies_killed_rows() if name == "s3_proxies" else []
        if name == "proxy_eval": rows.append(record_x4_row(commit))   # the same code, between the two sessions
    return [ledger_row(r, f"migrated row {i + 1} ({r['log']})") for i, r in enumerate(rows)]


def differences(ledger: list, migrated: list, ignore=()) -> list:
    "Where the ledger's first rows differ from `migrated` (columns in `ignore` left out)."
    out = [f"the ledger has {len(ledger)} rows, fewer than the {len(migrated)} migrated"] if len(ledger) < len(migrated) else []
    for i, (a, b) in enumerate(zip(ledger, migrated)):
        out += [f"row {i + 1} ({b['log']}): {c} is {a[c]!r}, the files say {b[c]!r}" for c in LEDGER_COLUMNS
                if c not in ignore and a[c] != b[c]]
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ledger", type=Path, default=EXP / "ledger.csv")
    p.add_argument("--check", action="store_true", help="compare the ledger's first rows with the files; write nothing")
    ns = p.parse_args(argv)
    rows = migrated_rows()
    if ns.check or ns.ledger.exists():
        diff = differences(read_ledger(ns.ledger), rows)
        print("\n".join(diff) or f"{ns.ledger}: its first {len(rows)} rows are the committed runs")
        return 1 if diff else 0
    append_rows(ns.ledger, rows)
    print(f"wrote {len(rows)} rows to {ns.ledger}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
