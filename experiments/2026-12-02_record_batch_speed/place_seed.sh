#!/usr/bin/env bash
# Puts record PR #465's own train_gpt.py (the seed's script, 57,747 bytes) in the ignored .anchors/seed465/, from a
# local git mirror of openai/parameter-golf; run.sh runs it from there. Nothing is downloaded and nothing from it is
# committed. The script is on the PR's head (refs/pull/465/head), not on the mirror's main branch.
#   bash experiments/2026-12-02_record_batch_speed/place_seed.sh [MIRROR_GIT_DIR]   # from the repository root
set -euo pipefail
MIRROR=${1:-/work/.mirror/openai+parameter-golf/repo}
COMMIT=4e781492461a823406dac9428fb9b8cf0749a986   # refs/pull/465/head: "Record: 10L d=512 Int5-MLP Int6-Attn sp1024 (val_bpb=1.1508)"
SRC=records/track_10min_16mb/2026-03-22_DenseTransformer_sp1024_10L/train_gpt.py
SHA256=7a2d75df039a4f0b24d454fd027f426d730a6a914d89af0604c7e2653f9a47c9
DEST=.anchors/seed465/train_gpt.py
mkdir -p "$(dirname "$DEST")"
git -C "$MIRROR" show "$COMMIT:$SRC" > "$DEST.tmp"
echo "$SHA256  $DEST.tmp" | sha256sum -c --quiet
mv "$DEST.tmp" "$DEST"
git check-ignore -q "$DEST" || { echo "place_seed.sh: $DEST is not ignored by git; it must never be committed" >&2; exit 1; }
echo "place_seed.sh: $DEST ($(wc -c < "$DEST") bytes, sha256 $SHA256)"
