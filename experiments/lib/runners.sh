# Sourced by the GPU scripts: sets DATA (the p180 shard) and TOK (the sp1024 tokenizer) under ROOT (default: here).
# Ways to run one measurement:
#   script_steps LOG RUN_ID STEPS SCRIPT LAUNCHER...  a public record's train_gpt.py (SCRIPT) on the p180 data with
#       the knobs every such script reads (sp1024, seed 1337, 10 warm-up steps, constant LR, every step logged, no
#       validation), run from .gpu/RUN_ID by LAUNCHER (`python3`, `torchrun ...`, or `env KNOB=V ... python3` for the
#       script's own knobs) and stopped once step STEPS is logged (it would evaluate and quantize next), or after
#       RUN_TIMEOUT (300) s. Environment given to the call (CUDA_VISIBLE_DEVICES) reaches the script. LOG (its stdout
#       and stderr) .stamps gets the seconds from launch to the lines that bracket compilation and warm-up (`seed:`,
#       the first warm-up step: `warmup_step:1/`, #1204's `base_warmup_step:1/`; steps 1 and STEPS; polled every
#       0.5 s), and how the run ended.
#   seed_steps LOG RUN_ID STEPS LAUNCHER...  script_steps for the seed's train_gpt.py (SEED_SCRIPT, default
#       .seed/train_gpt.py) at the record's batch: 10 layers.
#   "${GOLF_BENCH[@]}" ARGS...                golf_bench without its console script (not installed on the GPU machines).
#   "${RECORD_BENCH[@]}" ARGS...              golf_bench timing seed465 at the record's batch on the p180 data, as
#       seed_steps runs the seed's script: seed 1337, constant LR, no wall-clock cap (ARGS add --steps, knobs, --out).
ROOT=${ROOT:-$PWD}; DATA=$ROOT/.gpu/p180; TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
GOLF_BENCH=(python3 -c "import sys; from golf_nb.bench import bench_main; sys.exit(bench_main(sys.argv[1:]))")
RECORD_BENCH=("${GOLF_BENCH[@]}" --preset seed465 --record_batch --real_data --seed 1337 --data_path "$DATA"
              --tokenizer_path "$TOK" --max_wallclock_seconds 0 --warmdown_iters 0)

script_steps() {
  local log=$1 rid=$2 steps=$3 script=$4 pid rc t0 ended=exited mark key
  local -A at=()   # stamp name -> seconds from launch
  local -a marks=("warmup_start:^seed:[0-9]" "first_warmup_step:^(base_)?warmup_step:1/" "first_step:^step:1/$steps train_loss"
                  "last_step:^step:$steps/$steps train_loss")   # name:pattern (extended regex) of the line it waits for
  shift 4
  mkdir -p "$ROOT/.gpu/$rid"
  t0=$(date +%s.%N)
  (cd "$ROOT/.gpu/$rid" && exec env DATA_PATH="$DATA" TOKENIZER_PATH="$TOK" VOCAB_SIZE=1024 \
     ITERATIONS="$steps" WARMUP_STEPS=10 WARMDOWN_ITERS=0 MAX_WALLCLOCK_SECONDS=0 TRAIN_LOG_EVERY=1 VAL_LOSS_EVERY=0 \
     SEED=1337 RUN_ID="$rid" timeout "${RUN_TIMEOUT:-300}" "$@" "$script") > "$log" 2>&1 &
  pid=$!
  while kill -0 $pid 2>/dev/null; do
    for mark in "${marks[@]}"; do
      key=${mark%%:*}
      if [ -z "${at[$key]:-}" ] && grep -qE "${mark#*:}" "$log"; then
        at[$key]=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
      fi
    done
    if [ -n "${at[last_step]:-}" ]; then ended=stopped; kill $pid; break; fi
    sleep 0.5
  done
  wait $pid 2>/dev/null; rc=$?
  { for key in warmup_start first_warmup_step first_step last_step; do echo "launch_to_${key}_s ${at[$key]:-}"; done
    echo "end_s $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    echo "ended $ended rc $rc"; } > "$log.stamps"
}

seed_steps() {
  local log=$1 rid=$2 steps=$3; shift 3
  script_steps "$log" "$rid" "$steps" "${SEED_SCRIPT:-$ROOT/.seed/train_gpt.py}" env NUM_LAYERS=10 "$@"
}
