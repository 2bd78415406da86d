#!/usr/bin/env bash
# Issue #16, item 2 (second bullet) and a check of the host's overhead: on ONE H200 that nothing else uses, back to
# back, the most important first:
#   1. frontier1024  golf_nb's `frontier1024` at the record's batch (786,432 tokens of seq 2048), golf_ablate --proxy
#                    record_batch (golf_bench's record-batch measurement);
#   2. r1204_script  record #1204's own train_gpt.py, unmodified, from the ignored .anchors/r1204/ (SDPA stand-in for
#                    FlashAttention-3 in .anchors/r1204/shim/ first on PYTHONPATH, TORCHINDUCTOR_MIX_ORDER_REDUCTION=0),
#                    with the architecture knobs experiments/2026-12-01_frontier1024_vs_r1204/run.sh gives it, at the
#                    record's batch, through experiments/lib/runners.sh's script_steps (stopped once step STEPS is
#                    logged; r1204_script.log.stamps: seconds from launch to its `seed:` line, first warm-up step,
#                    step 1 and step STEPS);
#   3. accum8, accum2  golf_nb's `frontier1024_p180` at its own batch (262,144 tokens), golf_ablate --proxy p180_batch,
#                    in 8 micro-steps of 16 sequences (the preset) and in 2 of 64 (--grad_accum_steps 2): does the host
#                    launching fewer, larger micro-steps take away the GPU's idle time (32.6 of 240.7 ms a step in
#                    call 16's profile)? Only if time is left: each has its cap, and a run with less than MIN_RUN (60) s
#                    left is skipped; STAGES="accum8 accum2" runs them alone in a second call.
# Each run: seed 1337, 10 warm-up steps (both sides compile and warm up the repeated layers' graph as a second pass:
# 20 in all; golf_nb restores its state after them, as the script does), then STEPS (40) timed steps at a constant
# learning rate, every step's loss kept, all on the p180 shard (.gpu/p180, made here by experiments/lib/p180_data.sh).
# Neither side reaches its recurrence in 40 steps: the script switches it on at RECUR_START_STEP (its default 3000,
# kept here) and frontier1024 at recur_start_step 3000, so both time the 11-layer step without the repeat. The
# script's step-counted knobs are its own defaults (Muon momentum warm-up 1500, EMA 0.997), as frontier1024's are:
# the p180 run.sh scaled them by 1/8 for its 180 s proxy, this one does not.
#
# Time budget: BUDGET (default 565) s of this script's wall time; with the call's timeout_s 600 that leaves 35 s for
# the machine's start of the command and the last pack. From committed logs (README: "Time budget"): data 17-22 s;
# frontier1024 about 150-210 s (compile and warm-up 121-163 s at p180's batch with 20+20 warm-up steps, here 10+10
# at three times the tokens, then 40 steps of roughly 0.7 s); the script about 260-330 s to step 40 (launch to its
# first step about 240-265 s at p180's batch, 20+20 warm-up steps, in 2026-12-01_frontier1024_vs_r1204's call 12;
# over 300 s in call 9). So stage 1 gets at most FRONTIER_CAP (260) s, the script the rest (it is stopped at step 40,
# so a fast one leaves time for stage 3), and stage 3 ACCUM_CAP (180) s each. A short budget costs the script its
# last steps (its step time is still read from the steps it logged; its row says `killed`), never stage 1.
#
# Every file goes to .gpu/frontier_record_batch (RES) and is packed into $OUT/frontier_record_batch.tgz after each
# stage, so a call cut short still returns what finished; the console is also in $OUT/run.txt.
# make_frontier_record_batch_json.py turns the unpacked files into frontier_record_batch.json and the ledger rows.
# Needs .gpu/data (a copy of ../shared/data), .whl (brotli, which the script imports at its top) and .anchors/r1204.
# CPU check of the plumbing (README): STEPS, tiny model sizes and TORCH_COMPILE=0 through the environment, and
# R1204_SCRIPT pointing at fake_r1204.py.
set -uo pipefail
ROOT=$PWD; HERE=experiments/2026-12-02_frontier_record_batch
RES=$ROOT/.gpu/frontier_record_batch; OUT=${OUT:-$ROOT/.gpu/out}
BUDGET=${BUDGET:-565}; STEPS=${STEPS:-40}; MIN_RUN=${MIN_RUN:-60}; PACK_S=5   # PACK_S: kept back for the last packing
STAGES=${STAGES:-frontier1024 r1204_script accum8 accum2}
R1204=${R1204_SCRIPT:-$ROOT/.anchors/r1204/train_gpt.py}
# record #1204's knobs as 2026-12-01_frontier1024_vs_r1204/run.sh sets them, less its p180 budget and step scaling,
# plus the record's batch (script_steps adds the rest: sp1024, seed, 10 warm-up steps, constant LR, ITERATIONS)
R1204_KNOBS=(BIGRAM_DIM=112 MIXED_QUANT=1 N_INT6_LAYERS=32 NUM_LAYERS=11 RECUR_LAYERS=4,5 REPEAT_UNTIE_MLP=full
             REPEAT_UNTIE_MLP_LAYERS=4,5 DISABLE_LAYER0_ATTN=1 PARALLEL_RESIDUAL=1 PARALLEL_START_LAYER=7
             GPTQ_AR_SELFGEN=0 GPTQ_CALIB_SAMPLES=4 TRAIN_BATCH_TOKENS=786432 TRAIN_SEQ_LEN=2048)
SITE=${SITE:-/tmp/site}
if ls .whl/*.whl > /dev/null 2>&1; then   # nbdev's fastcore, brotli, zstandard: not on the GPU image
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" .whl/*.whl \
    && export PYTHONPATH=$SITE${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
ABLATE=(python3 -c "import sys; from golf_nb.ablate import ablate_main; sys.exit(ablate_main(sys.argv[1:]))")
source experiments/lib/runners.sh   # DATA (.gpu/p180), TOK, script_steps
source experiments/lib/stages.sh    # stage, limit, pack, gpu_state, machine_record (RES, OUT, BUDGET, ...)


golf() {   # VARIANT OVERRIDES PRESET PROXY: one golf_nb run through golf_ablate, killed after $T - 20 s; writes its row
  timeout "$T" "${ABLATE[@]}" "$1=$2" --preset "$3" --proxy "$4" --steps "$STEPS" --seeds 1337 --lanes 1 \
    --warmup_steps 10 --data_path "$DATA" --tokenizer_path "$TOK" --ledger "$RES/ledger_rows.csv" --out_dir "$RES" \
    --timeout $(( T - 20 ))
}

r1204_script() {   # record #1204's train_gpt.py, stopped once step STEPS is logged or after $T s
  echo "${R1204_KNOBS[*]}" > "$RES/r1204_script.recipe"
  RUN_TIMEOUT=$T script_steps "$RES/r1204_script.log" frontier_record_batch_r1204 "$STEPS" "$R1204" \
    env TORCHINDUCTOR_MIX_ORDER_REDUCTION=0 PYTHONPATH="$ROOT/.anchors/r1204/shim:$PYTHONPATH" "${R1204_KNOBS[@]}" python3
  cat "$RES/r1204_script.log.stamps"; grep "^step:" "$RES/r1204_script.log" | tail -1
}

run_stage() {   # one name of STAGES
  case $1 in
    frontier1024) stage frontier1024 "${FRONTIER_CAP:-260}" golf frontier1024 "" frontier1024 record_batch ;;
    r1204_script) stage r1204_script "$BUDGET" r1204_script ;;
    accum8) stage accum8 "${ACCUM_CAP:-180}" golf accum8 "" frontier1024_p180 p180_batch ;;
    accum2) stage accum2 "${ACCUM_CAP:-180}" golf accum2 "--grad_accum_steps 2" frontier1024_p180 p180_batch ;;
    *) echo "unknown stage $1 (frontier1024 r1204_script accum8 accum2)"; return 1 ;;
  esac
}

main() {
  local rc s
  rm -rf "$RES"; mkdir -p "$RES" "$OUT"
  [ -f "$R1204" ] || echo "warning: no $R1204: the script's run will fail"
  machine_record "stages $STAGES" "$R1204" .anchors/r1204/shim/* > "$RES/machine.txt" 2>&1
  head -6 "$RES/machine.txt"
  bash experiments/lib/p180_data.sh > "$RES/data.txt" 2>&1; rc=$?
  echo "data: exit $rc at $SECONDS s"; tail -1 "$RES/data.txt"
  pack
  [ "$rc" = 0 ] || { echo "no p180 data (is .gpu/data carried?): nothing to run"; return 1; }
  for s in $STAGES; do run_stage "$s"; done
  echo "=== done at $SECONDS s of $BUDGET; files: $OUT/frontier_record_batch.tgz (unpack into $HERE/logs)"
  cat "$RES/times.txt"
}

mkdir -p "$OUT"
main 2>&1 | tee "$OUT/run.txt"
