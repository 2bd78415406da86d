#!/usr/bin/env bash
# Record-batch throughput over 1, 2, 4 (, 8) GPUs of one machine, the seed's script and golf_nb back to back at each
# size: tokens/s per GPU is the scaling. Same data (the p180 shard), seed and constant LR as speed_vs_seed.sh.
#
# usage: GPUS="1 2 4" STEPS=30 KNOBS="--muon_batched 1" bash experiments/scaling/scaling.sh
# Needs .gpu/data, .seed/train_gpt.py, zstandard importable. Writes .gpu/scaling/ and $OUT/scaling.tar.gz.
set -uo pipefail
source experiments/lib/lanes_start.sh scaling
source experiments/lib/runners.sh
STEPS=${STEPS:-30}
for n in ${GPUS:-1 2 4}; do
  log=$RES/seed_script_n$n.log; t0=$(date +%s)
  seed_steps "$log" scaling_seed$n "$STEPS" torchrun --standalone --nproc_per_node=$n
  echo "n=$n seed script $(( $(date +%s) - t0 )) s: $(grep "^step:$STEPS/$STEPS train_loss" "$log")"
  t0=$(date +%s)
  # shellcheck disable=SC2086
  timeout ${RUN_TIMEOUT:-300} torchrun --standalone --nproc_per_node=$n --no-python "${RECORD_BENCH[@]}" \
    --steps "$STEPS" --warmup_steps 10 ${KNOBS:-} --out "$RES/golf_n$n.json" > "$RES/golf_n$n.log" 2>&1
  echo "n=$n golf_nb exit $? in $(( $(date +%s) - t0 )) s: $(grep '^bench:' "$RES/golf_n$n.log")"
done
tar -czf "$OUT/scaling.tar.gz" -C "$ROOT/.gpu" scaling
