#!/usr/bin/env bash
# Issue #15 item 5 (and item 1's training runs): one p180 run of a preset at another vocabulary, on one GPU, in one
# device call, then, with TTT=1, the score-first test-time-training evaluation of its artifact in the time left.
#   SEED=1337 PRESET=frontier8192_p180 VOCAB=8192 TTT=1 bash experiments/2026-12-02_frontier8192_p180/run.sh
# PRESET: a golf_nb preset (frontier8192_p180 by default); VOCAB: 4096 or 8192, the tokenizer golf_nb trained itself
# (experiments/2026-12-01_tokenizers: golf_sp{VOCAB}.model, rebuilt byte for byte by its train.py, sha256 in its JSON);
# EXTRA: more overrides for golf_ablate's variant (e.g. "--vocab_size 8192 --embed_quant int8_rows" for seed465).
# Data: the p180 documents re-tokenized on the machine by experiments/lib/p180_data_vocab.sh (the same training
# documents in the same order as p180, the validation prefix's 902 documents in a val shard) into .gpu/p180_sp$VOCAB.
# Needs, carried: .gpu/data (a copy of ../shared/data without train_text_extra), .gpu/tok/golf_sp$VOCAB.model (made
# here by `python experiments/2026-12-01_tokenizers/train.py .gpu/tok $VOCAB`: the machine has no ../shared) and the
# wheels in .whl/. The run gets what is left of a 580 s call after the data step (golf_ablate writes its ledger row
# even when it has to kill the run); the TTT evaluation gets the rest, less 10 s, and reports its elapsed time.
set -uo pipefail
HERE=experiments/2026-12-02_frontier8192_p180; SEED=${SEED:-1337}; VOCAB=${VOCAB:-8192}
PRESET=${PRESET:-frontier8192_p180}; NAME=${NAME:-${PRESET%_p180}}; DEST=${OUT:-$HERE/logs}; mkdir -p "$DEST"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
  && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
ROOT=$PWD; export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
nvidia-smi -L | tee "$DEST/machine_${NAME}_$SEED.txt"
TOK=$ROOT/.gpu/tok/golf_sp$VOCAB.model; DATA=$ROOT/.gpu/p180_sp$VOCAB
python3 - "$TOK" "$HERE/../2026-12-01_tokenizers/golf_sp$VOCAB.json" <<'PY' || exit 1
import hashlib, json, sys
model, info = sys.argv[1], json.load(open(sys.argv[2]))
got = hashlib.sha256(open(model, "rb").read()).hexdigest()
if got != info["sha256"]: sys.exit(f"{model}: sha256 {got[:12]}, not the committed {info['sha256'][:12]} ({sys.argv[2]})")
print(f"tokenizer {model}: sha256 {got[:12]} as committed")
PY
bash experiments/lib/p180_data_vocab.sh "$TOK" "$DATA" 2>&1 | tail -3
LIMIT=$(( 580 - SECONDS )); echo "time left for the run: $LIMIT s"
# shellcheck disable=SC2086
python3 -c "import sys; from golf_nb.ablate import ablate_main; sys.exit(ablate_main(sys.argv[1:]))" "$NAME=${EXTRA:-}" \
  --preset "$PRESET" --proxy p180 --seeds "$SEED" --lanes 1 --data_path "$DATA" --tokenizer_path "$TOK" \
  --eval_batch_seqs 128 --out_dir .gpu/ablate_sp$VOCAB --ledger "${LEDGER:-experiments/ledger.csv}" --timeout "$LIMIT" 2>&1 | tee "$DEST/ablate_${NAME}_$SEED.txt"
cp "${LEDGER:-experiments/ledger.csv}" "$DEST/ledger.csv"
RUN=.gpu/ablate_sp$VOCAB/runs/${NAME}_s$SEED
tar czf "$DEST/runs_${NAME}_$SEED.tgz" --exclude='*.ptz' --exclude='*.pt' -C ".gpu/ablate_sp$VOCAB" .
LEFT=$(( 590 - SECONDS ))
if [ "${TTT:-0}" = 1 ] && [ -f "$RUN/final_model.ptz" ] && [ "$LEFT" -ge 60 ]; then
  echo "ttt evaluation: $LEFT s left"   # the evaluation's own budget stops adaptation in time; scoring goes on
  timeout "$LEFT" python3 -c "import sys; from golf_nb.launch import eval_main; sys.exit(eval_main(sys.argv[1:]))" "$RUN" \
    --eval_mode ttt --ttt_time_budget_s $(( LEFT - 40 )) --out "$DEST/ttt_${NAME}_$SEED.json" 2>&1 | tee "$DEST/ttt_${NAME}_$SEED.txt"
elif [ "${TTT:-0}" = 1 ]; then echo "ttt evaluation: skipped ($LEFT s left, artifact: $(ls "$RUN"/final_model.ptz 2>&1))"; fi
