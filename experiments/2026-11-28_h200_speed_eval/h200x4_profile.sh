#!/usr/bin/env bash
# One command on a 4 x H200 machine, four lanes at once, one GPU each:
#   GPU 0, 1: experiments/lib/speed_vs_seed.sh, the seed's script then golf_nb's knob sets (LANE0, LANE1), record batch;
#   GPU 2:    experiments/lib/profile_lane.sh, the SDPA backends against an fp32 reference, then kernel profiles of a step
#             for each knob set in PROFILE, with the source of the slowest Inductor kernels;
#   GPU 3:    experiments/lib/proxy_and_eval.sh, a short p180 proxy (PROXY_SECONDS of training), then the seed's
#             evaluation against golf_nb's on its artifact (experiments/lib/eval_vs_seed.py).
# Knob sets are separated by '|'. Results in .gpu/profile, packed into $OUT/profile.tar.gz.
set -uo pipefail
source experiments/lib/lanes_start.sh profile
# golf_nb's defaults are its fastest knobs; SEEDK gives the seed's own kernels. '--grad_accum_steps 0' is the default
# too (the seed's 8 micro-steps on one GPU), named only so that a knob set is never empty.
SEEDK="--attn_backend flash --gqa_native 0 --muon_batched 0 --inductor_config none"
IFS='|' read -ra V0 <<< "${LANE0:-$SEEDK|--grad_accum_steps 0}"
IFS='|' read -ra V1 <<< "${LANE1:---grad_accum_steps 4|--inductor_config none}"
IFS='|' read -ra VP <<< "${PROFILE:-$SEEDK|--grad_accum_steps 0}"
PROXY=${PROXY:-"--eval_batch_seqs 128 --max_wallclock_seconds ${PROXY_SECONDS:-100}"}
deadline=$(( ${BUDGET:-575} - ($(date +%s) - T_START) ))
echo "lanes get $deadline s"
timeout $deadline bash experiments/lib/speed_vs_seed.sh 0 "$RES" ${STEPS:-40} "${V0[@]}" > "$RES/lane0.txt" 2>&1 &
timeout $deadline bash experiments/lib/speed_vs_seed.sh 1 "$RES" ${STEPS:-40} "${V1[@]}" > "$RES/lane1.txt" 2>&1 &
timeout $deadline bash experiments/lib/profile_lane.sh 2 "$RES" "${VP[@]}" > "$RES/lane2.txt" 2>&1 &
timeout $deadline bash experiments/lib/proxy_and_eval.sh 3 "$RES" 1337 128,32 "$PROXY" > "$RES/lane3.txt" 2>&1 &
wait
cat "$RES"/lane*.txt
tar -czf "$OUT/profile.tar.gz" -C "$ROOT/.gpu" profile
