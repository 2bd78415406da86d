#!/usr/bin/env bash
# Two lanes at once, one GPU each (GPUs 0 and 1 of a 2- or 4-GPU machine): benchmarks/proxy_and_eval.sh for seeds 1337
# and 42, i.e. golf_bench's p180 proxy with golf_nb's speed knobs, then the seed's evaluation against golf_nb's on the
# artifact. Results in .gpu/proxy_eval, packed into $OUT/proxy_eval.tar.gz.
set -uo pipefail
source benchmarks/lanes_start.sh proxy_eval
# The 2026-11-28 runs used PROXY="--attn_backend cudnn --gqa_native 1 --muon_batched 1 --eval_batch_seqs 128"; that
# kernel turned out not to keep the maths (golf_nb.model.attention_caveat), so the default keeps the seed's attention.
PROXY=${PROXY:-"--attn_backend flash --gqa_native 0 --muon_batched 1 --eval_batch_seqs 128"}
deadline=$(( ${BUDGET:-560} - ($(date +%s) - T_START) ))
echo "lanes get $deadline s"
timeout $deadline bash benchmarks/proxy_and_eval.sh 0 "$RES" 1337 128,32 "$PROXY" > "$RES/lane0.txt" 2>&1 &
timeout $deadline bash benchmarks/proxy_and_eval.sh 1 "$RES" 42 64 "$PROXY" > "$RES/lane1.txt" 2>&1 &
wait
cat "$RES"/lane*.txt
python3 benchmarks/make_speed_json.py "$RES" || echo "make_speed_json failed"
tar -czf "$OUT/proxy_eval.tar.gz" -C "$ROOT/.gpu" proxy_eval
