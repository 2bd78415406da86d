#!/usr/bin/env bash
# One command on a 4 x H200 machine, four lanes at once, one GPU each:
#   GPU 0, 1: benchmarks/speed_vs_seed.sh, the seed's script then golf_nb's knob sets, at the record's batch;
#   GPU 2:    benchmarks/profile_lane.sh, the SDPA backends against an fp32 reference, then kernel profiles of a step;
#   GPU 3:    benchmarks/proxy_and_eval.sh, a short p180 proxy (PROXY_SECONDS of training) and the seed's evaluation
#             against golf_nb's on its artifact: the same val_bpb within 1e-4 needs a model trained with the seed's
#             attention, which is why the proxy keeps it.
# Every knob set below keeps the maths. Results in .gpu/profile, packed into $OUT/profile.tar.gz.
set -uo pipefail
source benchmarks/lanes_start.sh profile
F="--attn_backend flash --gqa_native 0"; R="--attn_backend cudnn --gqa_native 0"
IFS='|' read -ra V0 <<< "${LANE0:-$F --muon_batched 0|$R --muon_batched 1}"
IFS='|' read -ra V1 <<< "${LANE1:-$F --muon_batched 1|$R --muon_batched 1 --grad_accum_steps 4}"
IFS='|' read -ra VP <<< "${PROFILE:-$F --muon_batched 0|$R --muon_batched 1}"
PROXY=${PROXY:-"$F --muon_batched 1 --eval_batch_seqs 128 --max_wallclock_seconds ${PROXY_SECONDS:-100}"}
deadline=$(( ${BUDGET:-575} - ($(date +%s) - T_START) ))
echo "lanes get $deadline s"
timeout $deadline bash benchmarks/speed_vs_seed.sh 0 "$RES" ${STEPS:-40} "${V0[@]}" > "$RES/lane0.txt" 2>&1 &
timeout $deadline bash benchmarks/speed_vs_seed.sh 1 "$RES" ${STEPS:-40} "${V1[@]}" > "$RES/lane1.txt" 2>&1 &
timeout $deadline bash benchmarks/profile_lane.sh 2 "$RES" "${VP[@]}" > "$RES/lane2.txt" 2>&1 &
timeout $deadline bash benchmarks/proxy_and_eval.sh 3 "$RES" 1337 128,32 "$PROXY" > "$RES/lane3.txt" 2>&1 &
wait
cat "$RES"/lane*.txt
tar -czf "$OUT/profile.tar.gz" -C "$ROOT/.gpu" profile
