#!/usr/bin/env bash
# Reproduce the project's sentiment/emotion model (models/emotion-v1/: a seed ensemble in one ONNX graph) and the tiny HF-shaped test model
# (models/tiny-hf/) from the public data, then score the word-list baselines and write the model card.
#
#   bash models/train.sh [--data DIR] [extra train.py options]
#
# DIR holds text/*.jsonl (see models/README.md); default: $EMOTION_DATA, else ../shared/data from the repo root.
# Python: $PYTHON, else /usr/bin/python3 (needs torch 1.13, onnx, numpy). Node/npm and dotnet are optional:
# without them the baseline scores and the ONNX Runtime check are skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${EMOTION_DATA:-../shared/data}"
# The shipped model (emotion-v1.1): two seeds (13, 14) of 40-dim embeddings and 96 channels, averaged in one graph.
# Options given on the command line come later and win.
EXTRA=(--members 2 --dim 40 --channels 96)
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --data=*) DATA="${1#*=}"; shift ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
DATA="$(cd "$DATA" && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
export PYTHONHASHSEED=0 OMP_NUM_THREADS=1
mkdir -p models/.work

echo "== emotion-v1: training on $DATA"
"$PY" -W ignore models/train/train.py --data "$DATA" --out models/emotion-v1 "${EXTRA[@]}"

echo "== tiny-hf"
"$PY" -W ignore models/train/make_tiny_hf.py --data "$DATA" --out models/tiny-hf
"$PY" -c "import sentencepiece" 2>/dev/null && "$PY" -W ignore models/train/make_tiny_hf_sp.py --out models/tiny-hf-sp || echo "tiny-hf-sp skipped: $PY has no sentencepiece (Debian: apt-get install python3-sentencepiece)"

echo "== baselines"
if command -v node >/dev/null && command -v npm >/dev/null; then
  ( cd models/baselines && { [ -d node_modules ] || npm ci --no-audit --no-fund || npm install --no-audit --no-fund; } \
    && node score.js --data "$DATA" ) || echo "baselines skipped (npm/node failed)"
else
  echo "node/npm not found: baselines skipped"
fi

echo "== ONNX Runtime check"
if command -v dotnet >/dev/null; then
  if dotnet build models/train/ortcheck -o models/.work/ortcheck-bin -v q -nologo >/dev/null; then
    models/.work/ortcheck-bin/OrtCheck emotion models/emotion-v1 | tee models/.work/ortcheck-emotion.txt
    models/.work/ortcheck-bin/OrtCheck tinyhf models/tiny-hf | tee models/.work/ortcheck-tinyhf.txt
    "$PY" models/train/bench_ids.py "$DATA" models/.work/bench_ids.json >/dev/null \
      && models/.work/ortcheck-bin/OrtCheck bench models/emotion-v1 models/.work/bench_ids.json \
      | tee models/.work/ortcheck-bench.txt
  else
    echo "ortcheck build failed: ONNX Runtime check skipped"
  fi
else
  echo "dotnet not found: ONNX Runtime check skipped"
fi

echo "== model card"
"$PY" models/train/write_card.py
echo "done: models/emotion-v1/ models/tiny-hf/ models/baselines/results.json"
