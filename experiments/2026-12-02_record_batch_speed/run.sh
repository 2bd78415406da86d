#!/usr/bin/env bash
# Issue #16, items 2, 3 and 5 for seed465: the training step at the record's batch (786,432 tokens of seq 2048) on ONE
# H200 that nothing else uses, three runs back to back, the most important first:
#   1. fused    golf_nb seed465 with the fused Triton kernels on (34_kernels: fused_mlp_act, fused_softcap_ce,
#               fused_rmsnorm_residual); the new number, against the goal of <= 450 ms;
#   2. unfused  golf_nb seed465 as the preset is (516 ms in issue #16), the reference for the fused run's losses;
#   3. the seed's own train_gpt.py (record PR #465), unmodified, from the ignored .anchors/seed465/ (place_seed.sh
#      puts it there); 664 ms alone on one H200 in shared/bench/README.md, re-measured here on the same machine.
# Each run: seed 1337, 10 warm-up steps (they compile; the state is restored after them), then STEPS (40) timed steps
# at a constant learning rate, every step's loss kept. All three read the p180 shard (.gpu/p180, made here by
# experiments/lib/p180_data.sh), so they train on the same tokens in the same order, as the 2026-11-28 runs did: on
# text the loss falls from 6.9 to about 3.7 in 40 steps, so a kernel that changed the maths shows in the losses;
# random tokens keep it near ln 1024 for every model. Step time does not depend on which tokens are read.
# golf_nb's runs go through golf_ablate --proxy record_batch (golf_bench's record_batch measurement), one call per
# variant, which writes NAME_s1337.json / .log and appends the run's ledger row to $RES/ledger_rows.csv; the seed's
# through experiments/lib/runners.sh's seed_steps, stopped once step STEPS is logged (seed_script.log and its
# .stamps: seconds from launch to its warm-up and first step).
#
# Time budget: BUDGET (default 420) seconds of this script's wall time. From the committed 2026-11-28 logs
# (experiments/2026-11-28_h200_speed_eval/logs: a 4 x H200 host, one lane a GPU): the p180 data took 17-21 s; a
# golf_nb record-batch run 92-134 s from launch to exit (40 steps of 0.51-0.57 s, the rest start-up, compilation and
# warm-up); the seed's script 191-222 s to step 40 (40 steps of 0.70-0.73 s). Expected here: about 20 + 135 + 105
# + 195 = 455 s, more than 420 unless a fresh single-GPU machine compiles faster than that shared host. So each run
# gets at most its cap (FUSED_CAP 200, UNFUSED_CAP 170) and never more than what is left, the seed's script runs last
# and gets the rest, and a run with less than MIN_RUN (60) s left is skipped: a short budget costs the seed's script
# its last steps (its step time is still read from the steps it logged) and never the golf_nb runs. BUDGET=560 with
# the call's timeout_s 600 leaves room for all three.
#
# Every file goes to .gpu/record_batch_speed (RES) and is packed into $OUT/record_batch_speed.tgz after each run, so a
# call cut short still returns what finished; the console is also in $OUT/run.txt. make_record_batch_json.py turns
# the unpacked files into record_batch_speed.json and the ledger rows.
# Needs .gpu/data (a copy of ../shared/data: train_text, tokenizers, fineweb_val_prefix) and .anchors/seed465.
# CPU check of the plumbing (README): STEPS, tiny model sizes and TORCH_COMPILE=0 through the environment.
set -uo pipefail
ROOT=$PWD; HERE=experiments/2026-12-02_record_batch_speed
RES=$ROOT/.gpu/record_batch_speed; OUT=${OUT:-$ROOT/.gpu/out}
BUDGET=${BUDGET:-420}; STEPS=${STEPS:-40}; MIN_RUN=${MIN_RUN:-60}; PACK_S=5   # PACK_S: kept back for the last packing
FUSED="--fused_mlp_act 1 --fused_softcap_ce 1 --fused_rmsnorm_residual 1"
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
ABLATE=(python3 -c "import sys; from golf_nb.ablate import ablate_main; sys.exit(ablate_main(sys.argv[1:]))")
source experiments/lib/runners.sh   # DATA (.gpu/p180), TOK, seed_steps
source experiments/lib/stages.sh    # stage, limit, pack, gpu_state, machine_record (RES, OUT, BUDGET, ...)


golf() {   # VARIANT OVERRIDES: one golf_nb run through golf_ablate, which kills it after $T - 20 s and writes its row
  timeout "$T" "${ABLATE[@]}" "$1=$2" --proxy record_batch --steps "$STEPS" --seeds 1337 --lanes 1 --warmup_steps 10 \
    --data_path "$DATA" --tokenizer_path "$TOK" --ledger "$RES/ledger_rows.csv" --out_dir "$RES" --timeout $(( T - 20 ))
}

seed_script() {   # the seed's train_gpt.py, stopped once step STEPS is logged or after $T s
  SEED_SCRIPT=$ROOT/.anchors/seed465/train_gpt.py RUN_TIMEOUT=$T seed_steps "$RES/seed_script.log" record_batch_speed_seed \
    "$STEPS" python3
  cat "$RES/seed_script.log.stamps"; grep "^step:" "$RES/seed_script.log" | tail -1
}

main() {
  local rc
  rm -rf "$RES"; mkdir -p "$RES" "$OUT"
  [ -f .anchors/seed465/train_gpt.py ] || echo "warning: no .anchors/seed465/train_gpt.py (place_seed.sh): the seed's run will fail"
  machine_record "" .anchors/seed465/train_gpt.py > "$RES/machine.txt" 2>&1
  head -5 "$RES/machine.txt"
  bash experiments/lib/p180_data.sh > "$RES/data.txt" 2>&1; rc=$?
  echo "data: exit $rc at $SECONDS s"; tail -1 "$RES/data.txt"
  pack
  [ "$rc" = 0 ] || { echo "no p180 data (is .gpu/data carried?): nothing to run"; return 1; }
  stage fused "${FUSED_CAP:-200}" golf fused "$FUSED"
  stage unfused "${UNFUSED_CAP:-170}" golf unfused ""
  stage seed_script "$BUDGET" seed_script
  echo "=== done at $SECONDS s of $BUDGET; files: $OUT/record_batch_speed.tgz (unpack into $HERE/logs)"
  cat "$RES/times.txt"
}

mkdir -p "$OUT"
main 2>&1 | tee "$OUT/run.txt"
