"""The launcher as users start it: by path under torchrun, on CPU with two gloo ranks; signals and reused run folders."""
import io, json, os, shutil, signal, subprocess, sys, time
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
    assert "FutureWarning" not in out.stderr, out.stderr[-3000:]   # DDP's buffer switch, spelt as the torch installed wants
    assert not (run_dir / "checkpoint.pt").exists()


def test_launch_by_path_reports_bad_config(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "golf_nb" / "launch.py"), "--preset", "smoke", "--model_dim", "65"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "model_dim=65" in out.stderr


SMOKE = ["--preset", "smoke", "--iterations", "6", "--warmup_steps", "1", "--val_loss_every", "0",
         "--train_batch_tokens", "2048", "--val_max_tokens", "8192"]


def golf_train(args, cwd, timeout=600, **kw):
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "golf_nb.launch", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, **kw)


def test_reused_run_dir_is_refused_and_nothing_is_lost(tmp_path):
    run_dir = tmp_path / "run"
    first = golf_train(SMOKE + ["--run_dir", str(run_dir)], tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    kept = {f: (run_dir / f).read_bytes() for f in ("final_model.ptz", "summary.json", "log.txt", "config.json")}
    again = golf_train(SMOKE + ["--run_dir", str(run_dir), "--seed", "2"], tmp_path)
    assert again.returncode == 1 and "the run folder is not empty" in again.stderr and "--overwrite 1" in again.stderr
    resumed = golf_train(SMOKE + ["--run_dir", str(run_dir), "--resume", "1"], tmp_path)
    assert resumed.returncode == 0 and "the run has finished" in resumed.stderr, resumed.stderr[-2000:]
    assert {f: (run_dir / f).read_bytes() for f in kept} == kept          # nothing changed, nothing appended
    replaced = golf_train(SMOKE + ["--run_dir", str(run_dir), "--seed", "2", "--overwrite", "1"], tmp_path)
    assert replaced.returncode == 0, replaced.stderr[-3000:]
    assert json.loads((run_dir / "summary.json").read_text())["seed"] == 2
    assert (run_dir / "log.txt").read_text().count("golf_nb run ") == 1


def test_failure_before_training_is_logged(tmp_path):
    run_dir = tmp_path / "run"
    out = golf_train(["--preset", "seed465", "--data_path", str(tmp_path / "nodata"), "--tokenizer_path",
                      str(tmp_path / "tok.model"), "--run_dir", str(run_dir)], tmp_path)
    assert out.returncode == 1 and "tok.model" in out.stderr
    assert "run failed: FileNotFoundError" in (run_dir / "log.txt").read_text()
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["finished"] is False and "tok.model" in summary["error"]
    assert not (run_dir / "final_model.ptz").exists()


def test_sigterm_leaves_a_trace(tmp_path):
    run_dir = tmp_path / "run"
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "golf_nb.launch", "--preset", "smoke", "--iterations", "100000",
                             "--warmup_steps", "0", "--val_loss_every", "0", "--train_log_every", "1",
                             "--run_dir", str(run_dir)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    log, deadline = run_dir / "log.txt", time.time() + 300
    while time.time() < deadline and not (log.exists() and "train_loss:" in log.read_text()): time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "RunTerminated" in err, err[-3000:]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["finished"] is False and summary["error"] == "RunTerminated: received SIGTERM" and summary["steps"] >= 1
    assert "run failed: RunTerminated: received SIGTERM" in log.read_text()
    assert not (run_dir / "final_model.ptz").exists()


FRONTIER_TINY = SMOKE + ["--num_layers", "5", "--recur_layers", "1,2", "--recur_untie_mlp", "1", "--recur_start_step", "3",
                         "--xsa_last_n", "4", "--rope_dims", "8", "--rope_ntk_len", "64", "--ln_scale", "1", "--skip_gates", "1",
                         "--ve_layers", "3,4", "--ve_dim", "16", "--parallel_start", "3", "--layer0_attn", "0",
                         "--mlp_leaky_slope", "0.5", "--ema_decay", "0.9", "--swa_enabled", "0", "--small_matrices_adam", "1",
                         "--bigram_init", "orthogonal", "--adam_weight_decay", "0.04", "--compressor", "brotli",
                         "--byte_shuffle", "2", "--late_qat_threshold", "0.15", "--muon_eq_r", "1", "--muon_ns", "polar_express",
                         "--quantizer", "gptq", "--gptq_calib", "ar", "--gptq_calib_seqs", "2", "--quant_clip", "search",
                         "--int6_count", "3", "--embed_quant", "int8", "--keep_max_numel", "1024"]


def assert_golf_eval_scores(run_dir, summary: dict, cwd):
    "golf_eval, in a fresh process, scores the run's artifact exactly as the run did."
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "OMP_NUM_THREADS": "1"}
    ev = subprocess.run([sys.executable, "-c", "import sys; from golf_nb.launch import eval_main; sys.exit(eval_main())",
                         str(run_dir)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert ev.returncode == 0, ev.stderr[-3000:]
    assert json.loads((run_dir / "eval.json").read_text())["val_bpb"] == summary["val_bpb"]


def test_frontier_techniques_train_and_score_again(tmp_path):
    "Every frontier technique at once on the smoke model: the repeat starts on time, and golf_eval scores the artifact exactly as the run did."
    run_dir = tmp_path / "run"
    out = golf_train(FRONTIER_TINY + ["--run_dir", str(run_dir)], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    log = (run_dir / "log.txt").read_text()
    assert "warmup_step:1/1 recurrent:1" in log and "recurrence:activated step:3 layers:1,2 virtual_layers:7" in log
    assert "late_qat:enabled step:0" in log and "mixed_quant: 3 int6" in log
    summary = json.loads((run_dir / "summary.json").read_text())
    assert_golf_eval_scores(run_dir, summary, tmp_path)   # the repeat restored, twins kept


FRONTIER8192_TINY = ["--preset", "frontier8192_p180", "--data_path", "embedded", "--tokenizer_path", "embedded",
                     "--num_layers", "6", "--model_dim", "32", "--num_heads", "2", "--num_kv_heads", "1",
                     "--bigram_vocab_size", "64", "--bigram_dim", "16", "--train_seq_len", "128", "--train_batch_tokens", "1024",
                     "--grad_accum_steps", "1", "--iterations", "4", "--warmup_steps", "1", "--warmdown_iters", "2",
                     "--recur_start_step", "2", "--xsa_last_n", "8", "--parallel_start", "4", "--max_wallclock_seconds", "0",
                     "--val_max_tokens", "4096", "--gptq_calib_seqs", "2", "--keep_max_numel", "512"]


def test_frontier8192_p180_at_tiny_dims(tmp_path):
    "frontier8192_p180 at vocabulary 8192 (the embedded corpus' tokenizer), tiny widths: trains, GPTQs the embedding with the matrices, packs, scores again."
    import torch
    from golf_nb.quant import decompress_payload
    run_dir = tmp_path / "run"
    out = golf_train(FRONTIER8192_TINY + ["--run_dir", str(run_dir)], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    cfg = json.loads((run_dir / "config.json").read_text())
    assert (cfg["vocab_size"], cfg["embed_quant"], cfg["embed_quantizer"], cfg["quant_clip"], cfg["ve_layers"]) == (8192, "int8_rows", "gptq", "sdclip", "")
    log = (run_dir / "log.txt").read_text()
    assert "recurrence:activated step:2 layers:4,5 virtual_layers:8" in log and "gptq:calibration train seqs:2 " in log
    obj = torch.load(io.BytesIO(decompress_payload((run_dir / "final_model.ptz").read_bytes())), weights_only=True)
    blocks = sum(m == {"type": "int6"} for m in obj["m"].values())
    assert obj["m"]["tok_emb.weight"] == {"type": "int8_rows"} and tuple(obj["w"]["tok_emb.weight.q"].shape) == (8192, 32)
    assert blocks > 0 and f"quant:{blocks + 1} GPTQ layers, 0 rounded layers, 0 fallbacks" in log   # the embedding among them
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["finished"] and summary["artifact_format"].startswith("int8_rows+int6+")
    assert_golf_eval_scores(run_dir, summary, tmp_path)
