# Sourced by the multi-lane GPU scripts: `source experiments/lib/lanes_start.sh NAME` sets T_START, ROOT, RES
# (.gpu/NAME, emptied) and OUT, exports PYTHONPATH, records the machine in $RES/machine.txt and makes the p180 data.
T_START=$(date +%s)
ROOT=$PWD; RES=$ROOT/.gpu/$1; OUT=${OUT:-$ROOT/out}
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
rm -rf "$RES"; mkdir -p "$RES" "$OUT"
{ nvidia-smi -L; python3 -c "import torch, zstandard; print('torch', torch.__version__, 'gpus', torch.cuda.device_count())"; } | tee "$RES/machine.txt"
bash experiments/lib/p180_data.sh 2>&1 | tee "$RES/data.txt"
