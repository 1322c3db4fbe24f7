"""Valence macro-F1 of model directories on the single-sentence dev splits, through the product's own runtime
(`emotion score`: C#, ONNX Runtime; a context model reads each sentence alone, zero state). For measuring releases side
by side on the current (de-duplicated) data files.

usage: /usr/bin/python3 models/train/score_dev.py [--data DIR] [--json OUT] MODEL_DIR [MODEL_DIR ...]
(needs the Release build of src/Host: dotnet build src/Host -c Release)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SPLITS = ["xlmt-es.val", "xlmt-en.val", "tass2020.dev", "meld.dev", "indomain.dev"]


def macro_f1(gold, pred):
    fs = []
    for c in (-1, 0, 1):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        fs.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(fs) / 3


def rows_of(data, split):
    if split == "indomain.dev":
        path = os.path.join(REPO, "models", "data", "indomain", "dev.jsonl")
    else:
        path = os.path.join(data, "text", split + ".jsonl")
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    return [r for r in rows if r.get("valence") is not None]


def score(model_dir, rows):
    dll = os.path.join(REPO, "src", "Host", "bin", "Release", "net10.0", "emotion.dll")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"], "lang": r.get("lang")}, ensure_ascii=False) + "\n")
        path = f.name
    try:
        out = subprocess.run(["dotnet", dll, "score", path, "--model", model_dir, "--batch-size", "256"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    if out.returncode != 0:
        sys.exit(out.stderr[-3000:])
    labels = {"negative": -1, "neutral": 0, "positive": 1}
    return [labels[json.loads(l)["label"]] for l in out.stdout.splitlines() if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--data", default=os.environ.get("EMOTION_DATA", os.path.join(REPO, "..", "shared", "data")))
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    res = {}
    for split in SPLITS:
        rows = rows_of(args.data, split)
        gold = [int(r["valence"]) for r in rows]
        for m in args.models:
            name = json.load(open(os.path.join(m, "labels.json"), encoding="utf-8")).get("version") or m
            res.setdefault(name, {})[split] = {"valence_macro_f1": round(macro_f1(gold, score(m, rows)), 4), "n": len(rows)}
    print("| split | n | " + " | ".join(res) + " |")
    print("|---|---|" + "---|" * len(res))
    for split in SPLITS:
        n = next(iter(res.values()))[split]["n"]
        print(f"| {split} | {n} | " + " | ".join(f"{res[m][split]['valence_macro_f1']:.3f}" for m in res) + " |")
    if args.json:
        json.dump(res, open(args.json, "w"), indent=2)


if __name__ == "__main__":
    main()
