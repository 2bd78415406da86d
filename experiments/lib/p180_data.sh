#!/usr/bin/env bash
# The p180 proxy's data in .gpu/p180 (../shared/bench/README.md): the training shard made by golf_shards from the
# shared training text exactly as the bench README makes it (60,735,213 tokens), and the official validation prefix.
# Needs .gpu/data, a copy of ../shared/data. Does nothing if the shard is already there and whole.
set -euo pipefail
ROOT=$PWD; DATA=$ROOT/.gpu/p180; TOK=$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
verify() { python3 -c "import sys; from golf_nb.shards import verify_main; sys.exit(verify_main(sys.argv[1:]))" "$DATA" --tokenizer "$TOK"; }
if [ -f "$DATA/fineweb_train_000000.bin" ] && verify > /dev/null 2>&1; then echo "p180 data: already there"; exit 0; fi
t0=$(date +%s)
mkdir -p "$DATA"; cp .gpu/data/fineweb_val_prefix/fineweb_val_000000.bin "$DATA/"
python3 -c "import sys; from golf_nb.shards import shards_main; sys.exit(shards_main(sys.argv[1:]))" \
  --tokenizer "$TOK" --docs .gpu/data/train_text/{blogs,fineweb_legal,imdb,wikipedia}.jsonl.xz \
  --out "$DATA" --split train --shuffle_seed 0 --shard_tokens 200000000 --no_progress 2>&1 | tail -2
verify
echo "p180 data: ready in $(( $(date +%s) - t0 )) s"
