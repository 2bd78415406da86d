#!/usr/bin/env bash
# One command on a 4 x H200 machine (device kind nvidia-h200-x4), four lanes at once, one GPU each:
#   GPU 0, 1: benchmarks/speed_vs_seed.sh: the seed's script, then golf_nb with each set of speed knobs (below),
#             at the record's batch, back to back on that GPU;
#   GPU 2, 3: benchmarks/proxy_and_eval.sh: golf_bench's p180 proxy (seeds 1337 and 42), then the seed's evaluation
#             against golf_nb's on the artifact.
# Everything lands in .gpu/speed_eval and is packed into $OUT/speed_eval.tar.gz (the device returns at most 8 files).
# Needs: .gpu/data (copy of ../shared/data), .seed/train_gpt.py, zstandard importable.
set -uo pipefail
source benchmarks/lanes_start.sh speed_eval
STEPS=${STEPS:-40}
# Knob sets, '|' between runs: SET=2026-11-28 repeats that day's runs; the default set keeps the maths (no cuDNN with
# native GQA: golf_nb.model.attention_caveat). LANE0, LANE1 and PROXY override either set.
case "${SET:-maths}" in
  2026-11-28)
    C="--attn_backend cudnn --gqa_native 1"
    D0="--attn_backend flash --gqa_native 0 --muon_batched 0|$C --muon_batched 0|$C --muon_batched 1 --grad_accum_steps 2"
    D1="$C --muon_batched 1|$C --muon_batched 1 --grad_accum_steps 4|$C --muon_batched 1 --grad_accum_steps 2 --compile_mode max-autotune-no-cudagraphs"
    DP="$C --muon_batched 1 --eval_batch_seqs 128" ;;
  *)
    F="--attn_backend flash --gqa_native 0"; R="--attn_backend cudnn --gqa_native 0"
    D0="$F --muon_batched 0|$F --muon_batched 1|--attn_backend flash --gqa_native 1 --muon_batched 1"
    D1="$R --muon_batched 1|$R --muon_batched 1 --grad_accum_steps 4|$F --muon_batched 1 --grad_accum_steps 4"
    DP="$F --muon_batched 1 --eval_batch_seqs 128" ;;
esac
IFS='|' read -ra V0 <<< "${LANE0:-$D0}"; IFS='|' read -ra V1 <<< "${LANE1:-$D1}"; PROXY=${PROXY:-$DP}
deadline=$(( ${BUDGET:-580} - ($(date +%s) - T_START) ))   # the lanes stop in time for the packing below
echo "lanes get $deadline s"
timeout $deadline bash benchmarks/speed_vs_seed.sh 0 "$RES" $STEPS "${V0[@]}" > "$RES/lane0.txt" 2>&1 &
timeout $deadline bash benchmarks/speed_vs_seed.sh 1 "$RES" $STEPS "${V1[@]}" > "$RES/lane1.txt" 2>&1 &
timeout $deadline bash benchmarks/proxy_and_eval.sh 2 "$RES" 1337 128,32 "$PROXY" > "$RES/lane2.txt" 2>&1 &
timeout $deadline bash benchmarks/proxy_and_eval.sh 3 "$RES" 42 64,256 "$PROXY" > "$RES/lane3.txt" 2>&1 &
wait
cat "$RES"/lane*.txt
python3 benchmarks/make_speed_json.py "$RES" --pick "$RES/best_knobs.txt" || echo "make_speed_json failed"
tar -czf "$OUT/speed_eval.tar.gz" -C "$ROOT/.gpu" speed_eval
