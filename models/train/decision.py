#!/usr/bin/python3
"""Chooses the turn model's per-speaker decision offsets on conversations the model was not trained on.

The context-aware turn model is trained with class weights (minority classes weighed up), so its argmax over-calls
negative and positive turns, most of all on agent turns, which are neutral nine times in ten. The product reads a
turn's label as argmax over classes of log p(class) + offset(speaker, class) (neutral's offset 0); this script picks
those offsets and writes them into the model's labels.json ("decision"). Probabilities, valence and every lone
sentence (unknown speaker) are untouched.

Chosen on: the train writers the model was not trained on (w16-w19, added after emotion-v2.1 was trained) and the
train writers' selection conversations (every 10th, i % 10 == 5, as models/train/train_ctx.py keeps them out of
training). Never on the held-out writers (w5, w7) or on MAIA.

usage: /usr/bin/python3 models/train/decision.py [--model models/emotion-v2] [--writers w16,w17,w18,w19]
       [--selection-of w1,w2,w3,w4,w6,w8,w9,w10,w11,w12,w13,w14,w15] [--write] [--no-build]
Runs `emotion analyze` (Release build) on those conversations, with the model's own offsets switched off, prints the
search and, with --write, stores the offsets.

The search: for each speaker a grid of offsets for negative and positive (-1.5..1.5, step 0.05); customer offsets
maximize the customer turns' valence macro-F1, then agent offsets maximize the macro-F1 over all turns. Turns a
per-turn rule changed (sarcasm flip, empathy or positive re-read) keep the product's label.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "models", "eval"))
import conversations as harness  # noqa: E402  (models/eval/conversations.py: corpus reading, `emotion analyze`)

CORPUS = os.path.join(REPO, "models", "data", "conversations")
HELDOUT = {"w5", "w7"}
RULE_FLAGS = {"sarcasm", "empathy_reread", "positive_reread"}
GRID = np.round(np.arange(-1.5, 1.5001, 0.05), 2)


def macro_f1(gold, pred):
    f = []
    for c in (-1, 0, 1):
        tp = np.sum((pred == c) & (gold == c))
        fp = np.sum((pred == c) & (gold != c))
        fn = np.sum((pred != c) & (gold == c))
        f.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f))


def decide(logp, off_neg, off_pos):
    """argmax over (negative, neutral, positive) of log p + offsets, ties to the earlier class; -1, 0, 1."""
    s = logp + np.array([off_neg, 0.0, off_pos])
    return np.argmax(s, axis=1) - 1


def read_turns(convs, results):
    rows = []
    for c in convs:
        a = results[c["conversation_id"]]
        for t, u in zip(c["turns"], a["utterances"]):
            if u.get("p_negative") is None or u.get("label") is None:
                continue  # no speech
            rows.append((t["speaker"], int(t["valence"]), [u["p_negative"], u["p_neutral"], u["p_positive"]],
                         int(u["label"]), bool(RULE_FLAGS & set(u.get("flags", [])))))
    return rows


def labels_with(rows, offsets):
    out = []
    for speaker, _, p, product, ruled in rows:
        if ruled:
            out.append(product)
            continue
        o = offsets.get(speaker, (0.0, 0.0))
        out.append(int(decide(np.log(np.maximum(np.array([p]), 1e-7)), o[0], o[1])[0]))
    return np.array(out)


def search(rows, speaker, fixed):
    """Best (negative, positive) offsets of one speaker for macro-F1 over rows, the other speakers' offsets fixed."""
    idx = [i for i, r in enumerate(rows) if r[0] == speaker and not r[4]]
    gold = np.array([r[1] for r in rows])
    base = labels_with(rows, fixed)
    logp = np.log(np.maximum(np.array([rows[i][2] for i in idx]), 1e-7))
    best = (-1.0, 0.0, 0.0)
    for on in GRID:
        for op in GRID:
            pred = base.copy()
            pred[idx] = decide(logp, on, op)
            f = macro_f1(gold, pred)
            # Ties go to the smaller change.
            if f > best[0] + 1e-12 or (abs(f - best[0]) <= 1e-12 and abs(on) + abs(op) < abs(best[1]) + abs(best[2])):
                best = (f, float(on), float(op))
    return best


def report(name, rows, offsets):
    gold = np.array([r[1] for r in rows])
    pred = labels_with(rows, offsets)
    out = {"turns": len(rows), "all": round(macro_f1(gold, pred), 4)}
    for sp in ("customer", "agent"):
        m = np.array([r[0] == sp for r in rows])
        out[sp] = round(macro_f1(gold[m], pred[m]), 4)
    print(f"  {name}: {json.dumps(out)}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(REPO, "models", "emotion-v2"))
    ap.add_argument("--writers", default="w16,w17,w18,w19", help="train writers the model never saw (all their conversations)")
    ap.add_argument("--selection-of", default="w1,w2,w3,w4,w6,w8,w9,w10,w11,w12,w13,w14,w15",
                    help="train writers the model trained on: only their selection conversations (i %% 10 == 5)")
    ap.add_argument("--write", action="store_true", help="store the offsets in the model's labels.json")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    unseen = [w for w in args.writers.split(",") if w]
    selection = [w for w in args.selection_of.split(",") if w]
    if HELDOUT & (set(unseen) | set(selection)):
        sys.exit("the held-out writers (w5, w7) choose nothing")
    convs = []
    for w in unseen:
        convs += harness.load_corpus([os.path.join(CORPUS, w + ".jsonl")])
    for w in selection:
        convs += [c for i, c in enumerate(harness.load_corpus([os.path.join(CORPUS, w + ".jsonl")])) if i % 10 == 5]
    print(f"calibration conversations: {len(convs)} ({', '.join(unseen)} whole; selection of {', '.join(selection)})")

    if not args.no_build:
        harness.build()
    # The model as trained: a copy of its folder with the offsets removed from labels.json.
    labels_path = os.path.join(args.model, "labels.json")
    labels = json.load(open(labels_path, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "model")
        shutil.copytree(args.model, plain)
        stripped = {k: v for k, v in labels.items() if k != "decision"}
        json.dump(stripped, open(os.path.join(plain, "labels.json"), "w", encoding="utf-8"))
        results = harness.analyze(convs, model=plain)
    rows = read_turns(convs, results)
    print(f"turns with speech: {len(rows)} (customer {sum(r[0] == 'customer' for r in rows)}, agent {sum(r[0] == 'agent' for r in rows)})")

    print("argmax (no offsets):")
    before = report("calibration set", rows, {})
    f, cn, cp = search(rows, "customer", {})
    offsets = {"customer": (cn, cp)}
    f, an, ap_ = search(rows, "agent", offsets)
    offsets["agent"] = (an, ap_)
    print(f"chosen offsets: customer negative {cn:+.2f} positive {cp:+.2f}; agent negative {an:+.2f} positive {ap_:+.2f}")
    after = report("calibration set", rows, offsets)

    if args.write:
        labels["decision"] = {
            "about": "Per-speaker offsets added to log p(class) before the argmax that gives a turn's label (neutral 0); "
                     "chosen by models/train/decision.py on conversations the model did not train on. Probabilities "
                     "and valence are not changed; an unknown speaker (a lone sentence) has none.",
            "customer": {"negative": cn, "positive": cp},
            "agent": {"negative": an, "positive": ap_},
            "chosen_on": {"writers": unseen, "selection_of": selection, "conversations": len(convs), "turns": len(rows),
                          "before": before, "after": after},
        }
        with open(labels_path, "w", encoding="utf-8") as fh:
            json.dump(labels, fh, ensure_ascii=False)
        print(f"written: {labels_path}")


if __name__ == "__main__":
    main()
