#!/usr/bin/env bash
# Training step time at the record's batch (786,432 tokens of seq 2048) on ONE GPU, back to back: the seed's own
# script first, then golf_nb's seed465 preset once for each set of knobs given. Same real data (the p180 shard), same
# seed, constant learning rate (WARMDOWN_ITERS=0, no wall-clock cap), so the per-step losses of every run can be laid
# side by side: a speed knob that changed the maths would show there.
#
# usage: experiments/lib/speed_vs_seed.sh GPU OUTDIR STEPS "knobs..." ["knobs..." ...]
# Needs .gpu/p180 (experiments/lib/p180_data.sh), .gpu/data/tokenizers, .seed/train_gpt.py (never committed).
set -uo pipefail
gpu=$1; out=$2; steps=$3; shift 3
ROOT=$PWD; export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
source experiments/lib/runners.sh
mkdir -p "$out"
log=$out/seed_script_gpu$gpu.log
# 1. the seed's script
t0=$(date +%s)
CUDA_VISIBLE_DEVICES=$gpu seed_steps "$log" seedspeed$gpu "$steps" python3
echo "gpu$gpu seed script: $(grep -c train_loss "$log") steps logged in $(( $(date +%s) - t0 )) s; $(grep "^step:$steps/$steps train_loss" "$log")"
# 2. golf_nb, once per set of knobs
i=0
for knobs in "$@"; do
  t0=$(date +%s)
  # shellcheck disable=SC2086
  CUDA_VISIBLE_DEVICES=$gpu timeout ${VARIANT_TIMEOUT:-300} "${RECORD_BENCH[@]}" --steps "$steps" --warmup_steps 10 $knobs \
    --out "$out/golf_gpu${gpu}_v$i.json" > "$out/golf_gpu${gpu}_v$i.log" 2>&1
  echo "gpu$gpu golf_nb [$knobs] exit $? in $(( $(date +%s) - t0 )) s: $(grep '^bench:' "$out/golf_gpu${gpu}_v$i.log")"
  i=$((i + 1))
done
