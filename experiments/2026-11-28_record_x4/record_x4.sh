#!/usr/bin/env bash
# golf_nb's seed465 at the record's batch on 4 GPUs of one host (device kind nvidia-h200-x4), as long as one command
# may run there, then golf_eval on its artifact as a separate step. The data is the p180 shard (the shared training
# text: the full FineWeb training set is not reachable here) and the official validation prefix.
# usage: TRAIN_SECONDS=400 [NPROC=4] bash experiments/2026-11-28_record_x4/record_x4.sh [extra golf_train options]
# Speed knobs: golf_nb's defaults (its fastest measured, each keeping the maths); options given to this script come
# last and win. The 2026-11-28 run (experiments/2026-11-28_record_x4/record_x4.json) passed --attn_backend cudnn --gqa_native 1
# --val_loss_every 0 --eval_compile 0 --eval_batch_seqs 64; muon_batched and inductor_config were then off by default.
# Copies the run's files to $OUT: final_model.ptz, config.json, summary.json, log.txt, eval.json, and the console logs.
set -uo pipefail
ROOT=$PWD; OUT=${OUT:-$ROOT/out}; RUN=$ROOT/.gpu/record_x4
DATA=$ROOT/.gpu/p180; TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
mkdir -p "$OUT"; rm -rf "$RUN"
bash experiments/lib/p180_data.sh
KNOBS=${KNOBS:-}
echo "knobs: $KNOBS; training for ${TRAIN_SECONDS:-400} s"
t0=$(date +%s)
# shellcheck disable=SC2086
torchrun --standalone --nproc_per_node=${NPROC:-4} golf_nb/launch.py --preset seed465 --data_path "$DATA" \
  --tokenizer_path "$TOK" --seed 1337 --max_wallclock_seconds "${TRAIN_SECONDS:-400}" --run_id record_x4 \
  --run_dir "$RUN" $KNOBS "$@" 2>&1 | tee "$OUT/train_console.log" | grep -vE "^step:[0-9]+/[0-9]+ train_loss" | tail -25
echo "training command exit ${PIPESTATUS[0]} after $(( $(date +%s) - t0 )) s"
t1=$(date +%s)
CUDA_VISIBLE_DEVICES=0 python3 -c "import sys; from golf_nb.launch import eval_main; sys.exit(eval_main(sys.argv[1:]))" \
  "$RUN" --eval_batch_seqs 128 2>&1 | tee "$OUT/eval_console.log" | tail -3
echo "golf_eval exit ${PIPESTATUS[0]} after $(( $(date +%s) - t1 )) s"
for f in final_model.ptz config.json summary.json log.txt eval.json; do cp "$RUN/$f" "$OUT/" 2>/dev/null || echo "missing $f"; done
