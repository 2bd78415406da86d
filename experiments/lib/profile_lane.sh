#!/usr/bin/env bash
# On ONE GPU: where golf_nb's training step spends its time, at the record's batch, for each set of knobs given
# (golf_bench --record_batch --profile: kernels by category, device idle time, the optimizer's share); then every SDPA
# backend against an fp32 reference (experiments/lib/attention_backends.py).
# usage: experiments/lib/profile_lane.sh GPU OUTDIR "knobs..." ["knobs..." ...]
set -uo pipefail
gpu=$1; out=$2; shift 2
ROOT=$PWD; export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
source experiments/lib/runners.sh
mkdir -p "$out"
t0=$(date +%s)
CUDA_VISIBLE_DEVICES=$gpu timeout 120 python3 experiments/lib/attention_backends.py --out "$out/attention_backends.json" \
  > "$out/attention_backends.log" 2>&1
echo "gpu$gpu attention_backends exit $? in $(( $(date +%s) - t0 )) s"; cat "$out/attention_backends.log"
i=0
for knobs in "$@"; do
  t0=$(date +%s)
  cache=$ROOT/.gpu/inductor_gpu${gpu}_v$i; rm -rf "$cache"
  # shellcheck disable=SC2086
  TORCHINDUCTOR_CACHE_DIR=$cache CUDA_VISIBLE_DEVICES=$gpu timeout ${VARIANT_TIMEOUT:-300} "${RECORD_BENCH[@]}" \
    --steps 5 --profile 3 --warmup_steps 5 $knobs --out "$out/profile_gpu${gpu}_v$i.json" > "$out/profile_gpu${gpu}_v$i.log" 2>&1
  echo "gpu$gpu profile [$knobs] exit $? in $(( $(date +%s) - t0 )) s"; grep -A40 '^profile:' "$out/profile_gpu${gpu}_v$i.log"
  # the source of the slowest Inductor kernels, from the compile cache
  python3 - "$out/profile_gpu${gpu}_v$i.json" "$cache" "$out/kernels_gpu${gpu}_v$i" <<'PY' || true
import json, pathlib, re, sys
rec, cache, dest = json.load(open(sys.argv[1])), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
names = [r["name"] for r in rec["profile"]["top"] if r["name"].startswith("triton_")][:4]
dest.mkdir(parents=True, exist_ok=True)
for f in cache.rglob("*.py"):
    text = f.read_text(errors="replace")
    for n in names:
        if re.search(rf"def {re.escape(n)}\(", text): (dest / f"{n[:80]}.py").write_text(text)
print("kernel sources:", sorted(p.name for p in dest.iterdir()))
PY
  i=$((i + 1))
done
