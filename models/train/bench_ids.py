"""Write pre-tokenized ids of 2048 dev utterances (5-40 words) for `ortcheck bench` (scratch: models/.work/).

Usage: bench_ids.py DATA OUT [MODEL_DIR]  (MODEL_DIR: its tokenizer.json and vocab.txt, if any, give the row width)"""
import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from hashtok import HashTokenizer  # noqa: E402

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", ".work", "bench_ids.json")
texts = []
for p in sorted(glob.glob(os.path.join(data, "text", "*.dev.jsonl")) + glob.glob(os.path.join(data, "text", "*.val.jsonl"))):
    texts += [json.loads(l)["text"] for l in open(p, encoding="utf-8")]
texts = [t for t in texts if 5 <= len(t.split()) <= 40]
rng = np.random.RandomState(0)
texts = [texts[i] for i in rng.choice(len(texts), 2048, replace=False)]
model_dir = sys.argv[3] if len(sys.argv) > 3 else None
tok = HashTokenizer.load(os.path.join(model_dir, "tokenizer.json")) if model_dir else HashTokenizer()
ids = [tok.encode_padded(t).tolist() for t in texts]
print("mean tokens", np.mean([len(x) for x in ids]))
json.dump(ids, open(out, "w"))
