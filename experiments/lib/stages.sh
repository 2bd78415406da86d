# Sourced by the one-call GPU scripts that run several measurements back to back (record_batch_speed,
# frontier_record_batch): each measurement is a stage with a cap, the call's budget is shared out in order, and
# everything under RES is packed into $OUT/<basename of RES>.tgz after each stage, so a call cut short still returns
# what finished. The caller sets RES (its results folder, under .gpu/), OUT, BUDGET (seconds of the script's wall
# time), MIN_RUN (a stage with less left is skipped), PACK_S (seconds kept back for the last packing) and, for
# machine_record, STEPS.

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

machine_record() {   # EXTRA_LINE FILE...: what ran where, for the result's machine.txt (read by make_record_batch_json)
  date -u +"date %F %T UTC"; echo "budget_s $BUDGET steps $STEPS"; [ -n "$1" ] && echo "$1"
  # the code's commit: GOLF_GIT_SHA where the caller names it (a device copy's .git can be stale: on 2026-12-02 it
  # said 0d9dfbf for code at d5f4947), else the copy's own HEAD; the changed-file count is against that HEAD
  echo "git ${GOLF_GIT_SHA:-$(git rev-parse HEAD 2>/dev/null || echo unknown)} $(git status --porcelain -- golf_nb 2>/dev/null | wc -l) changed file(s) in golf_nb"
  echo "git_head $(git rev-parse HEAD 2>/dev/null || echo unknown) (the copy's own .git)"
  if command -v nvidia-smi > /dev/null; then nvidia-smi -L; nvidia-smi; else echo "no nvidia-smi"; fi
  python3 -c "import sys, torch, triton; print('python', sys.version.split()[0], 'torch', torch.__version__, 'cuda',
torch.version.cuda); print('triton', triton.__version__)"
  shift; echo "cpus $(nproc)"; sha256sum "$@" 2>&1
}
