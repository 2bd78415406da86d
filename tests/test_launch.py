"""The launcher as users start it: by path under torchrun, on CPU with two gloo ranks."""
import json, os, shutil, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_torchrun_two_cpu_ranks(tmp_path):
    torchrun = shutil.which("torchrun")
    if torchrun is None: pytest.skip("torchrun not on PATH")
    run_dir = tmp_path / "run"
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1"}
    cmd = [torchrun, "--standalone", "--nproc_per_node=2", str(ROOT / "golf_nb" / "launch.py"), "--preset", "smoke",
           "--iterations", "8", "--warmup_steps", "1", "--val_loss_every", "0", "--val_max_tokens", "8192",
           "--run_dir", str(run_dir)]
    out = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["world_size"] == 2 and summary["steps"] == 8 and summary["finished"]
    assert summary["bytes_total"] <= 16_000_000 and 0 < summary["val_bpb"] < 10
    assert "val_bpb:" in out.stdout.splitlines()[-1]
    log = (run_dir / "log.txt").read_text()
    assert "world_size:2" in log and "final_int8_zlib_roundtrip_exact" in log


def test_launch_by_path_reports_bad_config(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "golf_nb" / "launch.py"), "--preset", "smoke", "--model_dim", "65"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "model_dim=65" in out.stderr
