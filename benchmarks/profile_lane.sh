#!/usr/bin/env bash
# On ONE GPU: where golf_nb's training step spends its time, at the record's batch, for each set of knobs given
# (golf_bench --record_batch --profile: kernels by category, device idle time, the optimizer's share); then every SDPA
# backend against an fp32 reference (benchmarks/attention_backends.py).
# usage: benchmarks/profile_lane.sh GPU OUTDIR "knobs..." ["knobs..." ...]
set -uo pipefail
gpu=$1; out=$2; shift 2
ROOT=$PWD; DATA=$ROOT/.gpu/p180; TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
source benchmarks/runners.sh
mkdir -p "$out"
t0=$(date +%s)
CUDA_VISIBLE_DEVICES=$gpu timeout 120 python3 benchmarks/attention_backends.py --out "$out/attention_backends.json" \
  > "$out/attention_backends.log" 2>&1
echo "gpu$gpu attention_backends exit $? in $(( $(date +%s) - t0 )) s"; cat "$out/attention_backends.log"
i=0
for knobs in "$@"; do
  t0=$(date +%s)
  # shellcheck disable=SC2086
  CUDA_VISIBLE_DEVICES=$gpu timeout ${VARIANT_TIMEOUT:-300} "${GOLF_BENCH[@]}" \
    --preset seed465 --record_batch --real_data --steps 5 --profile 3 --warmup_steps 5 --seed 1337 --data_path "$DATA" \
    --tokenizer_path "$TOK" --max_wallclock_seconds 0 --warmdown_iters 0 $knobs \
    --out "$out/profile_gpu${gpu}_v$i.json" > "$out/profile_gpu${gpu}_v$i.log" 2>&1
  echo "gpu$gpu profile [$knobs] exit $? in $(( $(date +%s) - t0 )) s"; grep -A40 '^profile:' "$out/profile_gpu${gpu}_v$i.log"
  i=$((i + 1))
done
