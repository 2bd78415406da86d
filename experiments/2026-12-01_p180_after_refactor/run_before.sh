#!/usr/bin/env bash
# The same p180 run with golf_nb as it was before the refactor (commit d230c84, the code of the 2026-11-28 runs),
# on the same machine as run.sh, for a same-lease comparison: SEED=1337 bash run_before.sh. Needs the old package in
# .anchors/pre_refactor/golf_nb (`git archive d230c84 golf_nb | tar -x -C .anchors/pre_refactor`), .gpu/data, .whl/.
set -uo pipefail
HERE=experiments/2026-12-01_p180_after_refactor; SEED=${SEED:-1337}; DEST=${OUT:-$HERE/logs}
if ls .whl/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
nvidia-smi -L | tee "$DEST/machine_before_$SEED.txt"
PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} bash experiments/lib/p180_data.sh 2>&1 | tail -2
mkdir -p .gpu/before; ROOT=$PWD; case $DEST in /*) ;; *) DEST=$ROOT/$DEST;; esac
# run from the old package's folder: `python -c` puts the working directory first on sys.path
(cd .anchors/pre_refactor && PYTHONPATH=$ROOT/.anchors/pre_refactor${PYTHONPATH:+:$PYTHONPATH} timeout 560 python3 -c \
  "import sys, golf_nb; print('golf_nb from', golf_nb.__file__); from golf_nb.bench import bench_main; sys.exit(bench_main(sys.argv[1:]))" \
  --preset p180 --data_path "$ROOT/.gpu/p180" --tokenizer_path "$ROOT/.gpu/data/tokenizers/fineweb_1024_bpe.model" \
  --eval_batch_seqs 128 --seed "$SEED" --run_dir "$ROOT/.gpu/before/run_s$SEED" --out "$DEST/before_$SEED.json") \
  > "$DEST/before_$SEED.log" 2>&1
head -1 "$DEST/before_$SEED.log"
tail -5 "$DEST/before_$SEED.log"
cp .gpu/before/run_s$SEED/log.txt "$DEST/before_${SEED}_train.log" 2>/dev/null
