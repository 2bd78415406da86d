# Sourced by the one-call GPU scripts that run several measurements back to back (record_batch_speed,
# frontier_record_batch): each measurement is a stage with a cap, the call's budget is shared out in order, and
# everything under RES is packed into $OUT/<basename of RES>.tgz after each stage, so a call cut short still returns
# what finished. The caller sets RES (its results folder, under .gpu/), OUT, BUDGET (seconds of the script's wall
# time), MIN_RUN (a stage with less left is skipped) and PACK_S (seconds kept back for the last packing).

pack() {   # everything so far into $OUT, replaced whole (a cut-short call returns the last complete pack)
  local name; name=$(basename "$RES")
  tar -czf "$OUT/$name.tgz.tmp" -C "$(dirname "$RES")" --exclude="$name/runs" "$name" \
    && mv "$OUT/$name.tgz.tmp" "$OUT/$name.tgz"
}

limit() {   # CAP: the seconds a run may take, or nothing (and status 1) when less than MIN_RUN is left
  local left=$(( BUDGET - PACK_S - SECONDS ))
  [ "$left" -ge "$MIN_RUN" ] || return 1
  echo $(( left < $1 ? left : $1 ))
}

gpu_state() {   # what the GPU holds before a run: it must be idle for the run to be alone on it
  if command -v nvidia-smi > /dev/null; then
    nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader | tr '\n' ' '
    echo "apps: $(nvidia-smi --query-compute-apps=pid --format=csv,noheader | wc -l)"
  else echo "no nvidia-smi"; fi
}

stage() {   # NAME CAP COMMAND...: run COMMAND with timeout T (from `limit CAP`, passed as $T), log its times, pack
  local name=$1 cap=$2 start rc; shift 2
  if ! T=$(limit "$cap"); then
    echo "stage $name skipped left_s $(( BUDGET - SECONDS ))" | tee -a "$RES/times.txt"; return
  fi
  echo "gpu_before $name $(gpu_state)" >> "$RES/times.txt"
  start=$SECONDS; echo "=== $name: at most $T s (at $start s of $BUDGET)"
  "$@"; rc=$?
  echo "stage $name start_s $start end_s $SECONDS rc $rc limit_s $T" | tee -a "$RES/times.txt"
  pack
}
