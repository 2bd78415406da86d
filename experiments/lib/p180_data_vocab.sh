#!/usr/bin/env bash
# The p180 proxy's data under another tokenizer: p180_data_vocab.sh TOKENIZER.model OUT_DIR. The same training documents
# as experiments/lib/p180_data.sh (train_text, shuffled with seed 0, BOS per document), and the validation prefix's 902
# documents (fineweb_val_prefix/docs.jsonl.xz, in order, BOS per document; the last one is cut off as in the official
# prefix) re-tokenized into a val shard. Needs .gpu/data (a copy of ../shared/data without train_text_extra).
# Does nothing if OUT_DIR already verifies against the tokenizer.
set -euo pipefail
TOK=$1; OUT=$2; ROOT=$PWD
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
golf() { python3 -c "import sys; from golf_nb.shards import $1; sys.exit($1(sys.argv[1:]))" "${@:2}"; }
if [ -f "$OUT/fineweb_train_000000.bin" ] && [ -f "$OUT/fineweb_val_000000.bin" ] && golf verify_main "$OUT" --tokenizer "$TOK" > /dev/null 2>&1; then
  echo "$OUT: already there"; exit 0; fi
t0=$(date +%s); mkdir -p "$OUT"
golf shards_main --tokenizer "$TOK" --docs .gpu/data/train_text/{blogs,fineweb_legal,imdb,wikipedia}.jsonl.xz \
  --out "$OUT" --split train --shuffle_seed 0 --shard_tokens 200000000 --no_progress 2>&1 | tail -1
golf shards_main --tokenizer "$TOK" --docs .gpu/data/fineweb_val_prefix/docs.jsonl.xz \
  --out "$OUT" --split val --shard_tokens 200000000 --no_progress 2>&1 | tail -1
golf verify_main "$OUT" --tokenizer "$TOK"
echo "$OUT: ready in $(( $(date +%s) - t0 )) s"
