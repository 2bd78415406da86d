#!/usr/bin/env bash
# Two lanes at once, one GPU each (GPUs 0 and 1 of a 2- or 4-GPU machine): benchmarks/proxy_and_eval.sh for seeds 1337
# and 42, i.e. golf_bench's p180 proxy with golf_nb's speed knobs, then the seed's evaluation against golf_nb's on the
# artifact. Results in .gpu/proxy_eval, packed into $OUT/proxy_eval.tar.gz.
set -uo pipefail
T_START=$(date +%s)
ROOT=$PWD; RES=$ROOT/.gpu/proxy_eval; OUT=${OUT:-$ROOT/out}
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
rm -rf "$RES"; mkdir -p "$RES" "$OUT"
{ nvidia-smi -L; python3 -c "import torch, zstandard; print('torch', torch.__version__, 'gpus', torch.cuda.device_count())"; } | tee "$RES/machine.txt"
bash benchmarks/p180_data.sh 2>&1 | tee "$RES/data.txt"
PROXY="--attn_backend cudnn --gqa_native 1 --muon_batched 1 --eval_batch_seqs 128"
deadline=$(( ${BUDGET:-560} - ($(date +%s) - T_START) ))
echo "lanes get $deadline s"
timeout $deadline bash benchmarks/proxy_and_eval.sh 0 "$RES" 1337 128,32 "$PROXY" > "$RES/lane0.txt" 2>&1 &
timeout $deadline bash benchmarks/proxy_and_eval.sh 1 "$RES" 42 64 "$PROXY" > "$RES/lane1.txt" 2>&1 &
wait
cat "$RES"/lane*.txt
python3 benchmarks/make_speed_json.py "$RES" || echo "make_speed_json failed"
tar -czf "$OUT/proxy_eval.tar.gz" -C "$ROOT/.gpu" proxy_eval
