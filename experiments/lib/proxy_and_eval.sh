#!/usr/bin/env bash
# On ONE GPU: golf_bench's p180 proxy (train 180 s, quantize, score), then the seed's evaluation against golf_nb's on
# the artifact it made (experiments/lib/eval_vs_seed.py), back to back.
# usage: experiments/lib/proxy_and_eval.sh GPU OUTDIR SEED EVAL_BATCHES "golf_nb knobs..."
#   EVAL_BATCHES: golf_nb's windows per batch, comma-separated, or '-' for no evaluation comparison;
#   EVAL_ARGS (environment): more options for eval_vs_seed.py, e.g. --unprimed.
set -uo pipefail
gpu=$1; out=$2; seed=$3; batches=$4; knobs=$5
ROOT=$PWD; export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
source experiments/lib/runners.sh
mkdir -p "$out"; run=$ROOT/.gpu/p180_run_$seed; rm -rf "$run"
t0=$(date +%s)
# shellcheck disable=SC2086
CUDA_VISIBLE_DEVICES=$gpu timeout ${PROXY_TIMEOUT:-420} "${GOLF_BENCH[@]}" \
  --preset p180 --seed "$seed" --data_path "$DATA" --tokenizer_path "$TOK" --run_dir "$run" $knobs \
  --out "$out/p180_golf_nb_$seed.json" > "$out/p180_golf_nb_$seed.out" 2>&1
echo "gpu$gpu p180 seed $seed exit $? in $(( $(date +%s) - t0 )) s: $(grep '^bench:' "$out/p180_golf_nb_$seed.out")"
cp "$run/log.txt" "$out/p180_golf_nb_$seed.log" 2>/dev/null
[ -f "$run/final_model.ptz" ] || exit 1
[ "$batches" = "-" ] && exit 0   # no evaluation comparison asked for
t0=$(date +%s)
# shellcheck disable=SC2086
CUDA_VISIBLE_DEVICES=$gpu timeout ${EVAL_TIMEOUT:-240} python3 experiments/lib/eval_vs_seed.py "$run" ${EVAL_ARGS:-} \
  --seed_script .seed/train_gpt.py --batch_seqs "$batches" --out "$out/eval_vs_seed_$seed.json" > "$out/eval_vs_seed_$seed.log" 2>&1
echo "gpu$gpu eval_vs_seed exit $? in $(( $(date +%s) - t0 )) s: $(tail -1 "$out/eval_vs_seed_$seed.log")"
