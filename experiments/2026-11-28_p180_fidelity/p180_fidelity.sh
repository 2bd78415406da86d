#!/usr/bin/env bash
# The p180 proxy (../shared/bench/README.md), the seed's own script and golf_nb side by side on one host:
# four runs at once, one GPU each: {seed script, golf_nb seed465/p180} x {SEED 1337, 42}.
# Needs: .gpu/data (copy of ../shared/data: train_text, tokenizers, fineweb_val_prefix), .seed/train_gpt.py (the
# seed's unmodified script, never committed), zstandard importable. Writes logs and summaries to $OUT (or ./out).
set -euo pipefail
OUT=${OUT:-$PWD/out}; mkdir -p "$OUT"
ROOT=$PWD; DATA=$ROOT/.gpu/p180; TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
nvidia-smi -L; python3 -c "import torch, zstandard; print('torch', torch.__version__, 'gpus', torch.cuda.device_count())"
# 1. the proxy's training shard, made by golf_shards exactly as the bench's tokenize_shards.py makes it
mkdir -p "$DATA"; cp .gpu/data/fineweb_val_prefix/fineweb_val_000000.bin "$DATA/"
t0=$(date +%s)
python3 -c "from golf_nb.shards import shards_main; import sys; sys.exit(shards_main(sys.argv[1:]))" \
  --tokenizer "$TOK" --docs .gpu/data/train_text/{blogs,fineweb_legal,imdb,wikipedia}.jsonl.xz \
  --out "$DATA" --split train --shuffle_seed 0 --shard_tokens 200000000 2>&1 | tail -3
python3 -c "from golf_nb.shards import verify_main; import sys; sys.exit(verify_main(sys.argv[1:]))" "$DATA" --tokenizer "$TOK"
echo "data ready in $(( $(date +%s) - t0 )) s"
# 2. four runs at once
SEEDENV="DATA_PATH=$DATA TOKENIZER_PATH=$TOK VOCAB_SIZE=1024 NUM_LAYERS=10 TRAIN_BATCH_TOKENS=262144 TRAIN_SEQ_LEN=2048 MAX_WALLCLOCK_SECONDS=180 WARMDOWN_ITERS=400 MUON_MOMENTUM_WARMUP_STEPS=250 VAL_LOSS_EVERY=0"
gpu=0; pids=()
for seed in 1337 42; do
  mkdir -p "$ROOT/.gpu/seed$seed"
  (cd "$ROOT/.gpu/seed$seed" && env $SEEDENV SEED=$seed RUN_ID=seed$seed CUDA_VISIBLE_DEVICES=$gpu \
     timeout ${RUN_TIMEOUT:-430} python3 "$ROOT/.seed/train_gpt.py" > "$OUT/seed_script_$seed.out" 2>&1) & pids+=($!)
  gpu=$((gpu + 1))
  (CUDA_VISIBLE_DEVICES=$gpu timeout ${RUN_TIMEOUT:-430} python3 golf_nb/launch.py --preset p180 --data_path "$DATA" \
     --tokenizer_path "$TOK" --seed $seed --run_id golf$seed --run_dir "$ROOT/.gpu/golf$seed" \
     > "$OUT/golf_nb_$seed.out" 2>&1) & pids+=($!)
  gpu=$((gpu + 1))
done
for p in "${pids[@]}"; do wait $p || echo "a run exited with $?"; done
for seed in 1337 42; do
  cp "$ROOT/.gpu/golf$seed/summary.json" "$OUT/golf_nb_${seed}_summary.json" 2>/dev/null || true
  grep -hE "final_int8_zlib_roundtrip_exact|stopping_early|Serialized model int6|swa:applying|step:[0-9]+/20000 val_bpb|val_bpb" \
    "$OUT/seed_script_$seed.out" | tail -4
  grep -hE "final_int8_zlib_roundtrip_exact|stopping_early|Serialized model|swa:applying" "$OUT/golf_nb_$seed.out" | tail -4
done
