"""What every result file of a CPU study in experiments/ records about how it was made, and how it is written."""
from __future__ import annotations
import argparse, hashlib, json, os, platform, sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]   # the repository


def sha256_prefix(path, n=16) -> str:
    "The first `n` hex digits of the file's sha256."
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""): h.update(chunk)
    return h.hexdigest()[:n]


def cpu_name() -> str:
    "The processor's model name."
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or "unknown"


def provenance(inputs: dict) -> dict:
    "Command, date, machine and inputs (sha256 prefixes) of this run."
    import sentencepiece, torch
    now = datetime.now(timezone.utc)
    return dict(command="python " + " ".join([os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]]),
                date=now.date().isoformat(), started_utc=now.isoformat(timespec="seconds"),
                machine=dict(platform=platform.platform(), processor=cpu_name(), cpus=os.cpu_count(),
                             python=platform.python_version(), torch=torch.__version__,
                             sentencepiece=sentencepiece.__version__),
                inputs={k: dict(path=os.path.relpath(v, ROOT), sha256_16=sha256_prefix(v)) for k, v in inputs.items()})


def write_text_atomic(path, text: str) -> Path:
    "Write `text` to `path` through a temporary file, so a killed run leaves the old file whole."
    path = Path(path); path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp"); tmp.write_text(text); os.replace(tmp, path)
    return path


def write_result(path, res: dict) -> Path:
    "Write a result dict as JSON, atomically."
    return write_text_atomic(path, json.dumps(res, indent=1) + "\n")


def script_parser(doc: str, result_path) -> argparse.ArgumentParser:
    "The options every benchmark script takes: `--shared` (the shared data folder) and `--out` (its result file)."
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--shared", default=str(ROOT.parent / "shared/data"), help="the shared data folder")
    p.add_argument("--out", default=str(result_path))
    return p
