#!/usr/bin/env bash
# One p180 run of one side, on one GPU: SIDE=golf (golf_nb's frontier1024_p180 preset, through golf_ablate, which
# appends the ledger row) or SIDE=script (record #1204's own train_gpt.py, read from openai/parameter-golf into the
# ignored .anchors/r1204/, configured by its README's command and the same p180 budget). SEED=1337|42.
# The step-counted knobs of both sides are scaled by s = 1/8 (golf_nb.config.proxy_scaled, stated in 00_config):
# warm-down 3500 -> 438, recurrence start 3000 -> 375, Muon momentum warm-up 1500 -> 188, SWA every 50 -> 6, EMA
# decay 0.997 -> 0.976 (horizon 333 -> 42 steps), late-QAT earliest step 2000 -> 250. GPTQ calibrates on 64
# sequences of training data, 4 micro-batches of 16 (the record: 64 of the model's own samples; sampling took more
# than 155 s for 16 on one H200, and 2026-12-02's runs were killed while sampling): golf_nb's preset says
# gptq_calib=train gptq_calib_seqs=64, the script GPTQ_AR_SELFGEN=0 GPTQ_CALIB_SAMPLES=4. The script hard-codes
# its EMA decay and late-QAT step: the local copy reads them from EMA_DECAY and LATE_QAT_MIN_STEP instead (sed
# below), nothing else is changed. FlashAttention-3 is not installed:
# .anchors/r1204/shim/flash_attn_interface.py answers with SDPA (K/V heads repeated), and its sitecustomize.py (and
# TORCHINDUCTOR_MIX_ORDER_REDUCTION=0) turn off Inductor's mixed-order reductions, which assert on this graph in torch
# 2.11; golf_nb turns them off itself (inductor_config=auto). Each side gets what is left of a 595 s call after the
# data step, less 20 s (the device's calls end at 600 s). The script's log starts with its own source: the copy under $OUT
# starts after it (public code is not committed).
# SCRIPT_UNTIL=post_ema stops the script once its post-EMA validation is logged, as its GPTQ begins: on one H200 the
# script's GPTQ (five clip percentiles per matrix, column by column on the CPU) outlasts a 600 s call (2026-12-02,
# seed 42: still quantizing 355 s after it began), so its last number on this machine is the post-EMA val_bpb, which
# golf_nb logs too (post_average_eval); stopping there leaves device time for the next run.
# The golf side's final evaluation takes eval_compile=auto (EVAL_COMPILE overrides): on the 1.04M-token prefix that is
# the uncompiled path, which scores within 3.2e-5 of the compiled one and skips its cold compilation (call 7 of
# 2026-12-02 was cut by the call's limit in that compilation); seeds 42 and 1337 of 2026-12-02's calls 1-7 compiled it.
# The golf side keeps its float weights (--save_float 1) on the machine for experiments/2026-12-02_frontier_quant,
# and brings its artifact back (the compressors are compared on its payload off the GPU).
# QUANT_VARIANTS (golf side) runs experiments/2026-12-02_frontier_quant/quant_study.py on the run's float weights in
# the same call, after the run (see there).
# Needs .gpu/data (a copy of ../shared/data without train_text_extra) and the wheels in .whl/.
set -uo pipefail
HERE=experiments/2026-12-01_frontier1024_vs_r1204; SEED=${SEED:-1337}; SIDE=${SIDE:-golf}; DEST=${OUT:-$HERE/logs}
mkdir -p "$DEST"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
  && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
ROOT=$PWD; export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
nvidia-smi -L | tee "$DEST/machine_${SIDE}_$SEED.txt"
bash experiments/lib/p180_data.sh 2>&1 | tail -2
# 20 s of the 600 s call stay for what follows a timed-out run: golf_ablate writes its ledger row and the files are
# copied to $OUT (call 7 of 2026-12-02 ran to 595 s and the call ended first: no row, nothing copied)
LIMIT=$(( 580 - SECONDS )); echo "time left for the run: $LIMIT s"
TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
if [ "$SIDE" = golf ]; then
  python3 -c "import sys; from golf_nb.ablate import ablate_main; sys.exit(ablate_main(sys.argv[1:]))" "frontier1024=" \
    --preset frontier1024_p180 --proxy p180 --seeds "$SEED" --lanes 1 --data_path .gpu/p180 --tokenizer_path "$TOK" \
    --eval_batch_seqs 128 --eval_compile "${EVAL_COMPILE:-auto}" --save_float 1 --out_dir .gpu/ablate --timeout "$LIMIT" 2>&1 | tee "$DEST/ablate_$SEED.txt"
  cp experiments/ledger.csv "$DEST/ledger.csv"
  tar czf "$DEST/golf_runs_$SEED.tgz" --exclude='*.ptz' --exclude='*.pt' -C .gpu ablate
  cp .gpu/ablate/runs/frontier1024_s$SEED/final_model.ptz "$DEST/frontier1024_s${SEED}_final_model.ptz"   # < 16 MiB: comes back
  # QUANT_VARIANTS=v1,v2,...: the quantization study on this run's float weights in what is left of the call (its JSON
  # is rewritten after every variant, so a cut study keeps what it finished). The float weights exist only on this
  # machine: on 2026-12-02 (call 13) the machine was given back between two calls and the study found nothing.
  QLEFT=$(( 585 - SECONDS ))
  if [ -n "${QUANT_VARIANTS:-}" ] && [ "$QLEFT" -ge 60 ]; then
    echo "quant study: $QLEFT s left"
    timeout "$QLEFT" python3 experiments/2026-12-02_frontier_quant/quant_study.py ".gpu/ablate/runs/frontier1024_s$SEED" \
      --variants "$QUANT_VARIANTS" --compressors 0 --out "$DEST/quant_study_s$SEED.json" 2>&1 | tee "$DEST/quant_study_s$SEED.txt"
  elif [ -n "${QUANT_VARIANTS:-}" ]; then echo "quant study: skipped, $QLEFT s left"; fi
else
  W=$ROOT/.gpu/r1204_$SEED; mkdir -p "$W"
  sed -e 's/ema_decay=\.997;/ema_decay=float(os.environ.get("EMA_DECAY",".997"));/' \
      -e 's/step>=2000:/step>=int(os.environ.get("LATE_QAT_MIN_STEP","2000")):/' .anchors/r1204/train_gpt.py > "$W/train_gpt.py"
  grep -c 'EMA_DECAY\|LATE_QAT_MIN_STEP' "$W/train_gpt.py"
  STOPPED=0; rm -f "$W/logs/r1204_p180_$SEED.txt"   # a warm machine may hold an earlier run's log
  (cd "$W" && exec env TORCHINDUCTOR_MIX_ORDER_REDUCTION=0 PYTHONPATH="$ROOT/.anchors/r1204/shim:$PYTHONPATH" DATA_PATH="$ROOT/.gpu/p180" TOKENIZER_PATH="$TOK" \
     VOCAB_SIZE=1024 SEED="$SEED" RUN_ID="r1204_p180_$SEED" \
     BIGRAM_DIM=112 MIXED_QUANT=1 N_INT6_LAYERS=32 NUM_LAYERS=11 RECUR_LAYERS=4,5 REPEAT_UNTIE_MLP=full \
     REPEAT_UNTIE_MLP_LAYERS=4,5 DISABLE_LAYER0_ATTN=1 PARALLEL_RESIDUAL=1 PARALLEL_START_LAYER=7 \
     TRAIN_BATCH_TOKENS=262144 MAX_WALLCLOCK_SECONDS=180 VAL_LOSS_EVERY=0 TRAIN_LOG_EVERY=100 \
     WARMDOWN_ITERS=438 RECUR_START_STEP=375 MUON_MOMENTUM_WARMUP_STEPS=188 SWA_EVERY=6 EMA_DECAY=0.976 \
     LATE_QAT_MIN_STEP=250 GPTQ_AR_SELFGEN=0 GPTQ_CALIB_SAMPLES=4 timeout "$LIMIT" python3 train_gpt.py) \
     > "$DEST/r1204_p180_$SEED.out" 2>&1 &
  PID=$!
  if [ "${SCRIPT_UNTIL:-end}" = post_ema ]; then   # stop once the post-EMA validation is logged and GPTQ begins
    while kill -0 "$PID" 2>/dev/null; do
      if grep -q '^gptq:calibration' "$W/logs/r1204_p180_$SEED.txt" 2>/dev/null; then
        pkill -TERM -f 'python3 train_gpt.py'; STOPPED=1; break
      fi
      sleep 2
    done
  fi
  wait "$PID"; echo "exit $?"; tail -5 "$DEST/r1204_p180_$SEED.out"
  [ "$STOPPED" = 1 ] && echo "stopped by run.sh (SCRIPT_UNTIL=post_ema) as GPTQ began, after $SECONDS s" \
    | tee "$DEST/r1204_p180_$SEED.stopped"
  sed -n '/^=\{100\}$/,$p' "$W/logs/r1204_p180_$SEED.txt" > "$DEST/r1204_p180_$SEED.txt"   # from the first rule on
  echo "GPTQ_AR_SELFGEN=0 GPTQ_CALIB_SAMPLES=4" > "$DEST/r1204_p180_$SEED.recipe"   # replaces script_rows.RECIPE's GPTQ_CALIB_SAMPLES=16
fi
