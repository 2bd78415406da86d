#!/usr/bin/env bash
# p180 for seed465 after the research-ready refactor (training split, evaluators, quantizer registry, parameter roles):
# one seed per call (SEED=1337 bash run.sh), golf_nb's default knobs, one lane on one GPU, the run appended to
# experiments/ledger.csv by golf_ablate. Needs .gpu/data (a copy of ../shared/data without train_text_extra) and, on
# machines without zstandard, its wheel in .whl/. Logs and the ledger go to $OUT (or this folder's logs/).
set -uo pipefail
HERE=experiments/2026-12-01_p180_after_refactor; SEED=${SEED:-1337}; DEST=${OUT:-$HERE/logs}
if ls .whl/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
nvidia-smi -L | tee "$DEST/machine_$SEED.txt"
bash experiments/lib/p180_data.sh 2>&1 | tail -2
python3 -c "import sys; from golf_nb.ablate import ablate_main; sys.exit(ablate_main(sys.argv[1:]))" "seed465=" \
  --proxy p180 --seeds "$SEED" --lanes 1 --data_path .gpu/p180 --tokenizer_path .gpu/data/tokenizers/fineweb_1024_bpe.model \
  --eval_batch_seqs 128 --out_dir .gpu/ablate --timeout 560 2>&1 | tee "$DEST/ablate_$SEED.txt"
cp experiments/ledger.csv "$DEST/ledger.csv"
tar czf "$DEST/runs_$SEED.tgz" --exclude='*.ptz' --exclude='checkpoint.pt' -C .gpu ablate
