#!/usr/bin/env bash
# One command on a 2- or 4-GPU H200 machine: the p180 proxy with golf_nb's default (fastest) knobs, or KNOBS, for
# two seeds at once (GPUs 0 and 1; the first also runs the seed's evaluation against golf_nb's on its artifact, with
# the seed's fresh eager rotary tables scored too), and a kernel profile of the record-batch step with the same
# knobs (on GPU 2, or after the second proxy on a 2-GPU machine). Results in .gpu/proxies, packed into
# $OUT/proxies.tar.gz.
set -uo pipefail
source experiments/lib/lanes_start.sh proxies
KNOBS=${KNOBS:-"--grad_accum_steps 0"}   # golf_nb's defaults, its fastest knobs
deadline=$(( ${BUDGET:-480} - ($(date +%s) - T_START) ))
echo "lanes get $deadline s"
EVAL_ARGS=--unprimed EVAL_TIMEOUT=200 timeout $deadline bash experiments/lib/proxy_and_eval.sh 0 "$RES" 1337 128 \
  "$KNOBS --eval_batch_seqs 128" > "$RES/lane0.txt" 2>&1 &
if [ "$(nvidia-smi -L | wc -l)" -ge 3 ]; then
  timeout $deadline bash experiments/lib/proxy_and_eval.sh 1 "$RES" 42 - "$KNOBS --eval_batch_seqs 128" > "$RES/lane1.txt" 2>&1 &
  timeout $deadline bash experiments/lib/profile_lane.sh 2 "$RES" "$KNOBS" > "$RES/lane2.txt" 2>&1 &
else
  timeout $deadline bash -c "bash experiments/lib/proxy_and_eval.sh 1 '$RES' 42 - '$KNOBS --eval_batch_seqs 128'; \
    bash experiments/lib/profile_lane.sh 1 '$RES' '$KNOBS'" > "$RES/lane1.txt" 2>&1 &
fi
wait
cat "$RES"/lane*.txt
tar -czf "$OUT/proxies.tar.gz" -C "$ROOT/.gpu" proxies
