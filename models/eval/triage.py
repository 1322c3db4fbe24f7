#!/usr/bin/env python3
"""Case triage (claim, complaint, request, none) measured on the written corpus (issue 13).

Runs the product's own `emotion analyze` (default configuration) on every conversation with its labels removed
(models/eval/conversations.py does the stripping) and compares `triage.class` with `labels.triage`, read by hand
under docs/labelling.md. Reports, per split (train writers w1-w4, w6: the rules were tuned on them; held-out
writers w5, w7: never looked at while tuning) and per held-out writer: accuracy, macro-F1, and per class its recall
("accuracy per class": the share of that class's conversations given that class), precision and F1, with the
confusion matrix.

Beside the rules, two comparators:
- majority (train): every contact gets the most frequent train class;
- naive Bayes: a multinomial naive Bayes over the customer's words and word pairs (normalized like every cue),
  trained on the train writers and applied once to the held-out writers; leave-one-writer-out on the train writers.

    python3 models/eval/triage.py            # builds, runs, prints, writes models/eval/triage_results.json
    python3 models/eval/triage.py --no-build --config FILE

The none set (`triage-none.jsonl`, 8 Spanish and 8 English contacts that ask for nothing) is run beside the corpus.
"""
import argparse
import collections
import json
import math
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import conversations as cv  # noqa: E402

CLASSES = ["claim", "complaint", "request", "none"]
TRAIN = ["w1", "w2", "w3", "w4", "w6"]
HELDOUT = ["w5", "w7"]
# Contacts that are none of request, complaint or claim (wrong numbers, thanks-only and courtesy calls, surveys,
# dropped calls), written for this measure; the corpus has none of them.
NONE_SET = os.path.join(HERE, "triage-none.jsonl")
MARKER = re.compile(r"\[[^\]]*\]")  # timing markers such as [hold 2 min] are not speech


def norm(text):
    """docs/analytics.md "Text matching": NFKD, marks dropped, lower case, runs of other characters one space."""
    out, pending = [], False
    for ch in unicodedata.normalize("NFKD", text or ""):
        if unicodedata.category(ch) in ("Mn", "Mc", "Me"):
            continue
        if ch.isalnum():
            if pending and out:
                out.append(" ")
            pending = False
            out.append(ch.lower())
        else:
            pending = True
    return "".join(out)


def features(conv):
    words = []
    for t in conv["turns"]:
        if t["speaker"] != "customer":
            continue
        w = norm(MARKER.sub(" ", t["text"])).split()
        words += w + [a + "_" + b for a, b in zip(w, w[1:])]
    return set(words)


def nb_train(convs, alpha=0.5):
    prior = collections.Counter(c["labels"]["triage"] for c in convs)
    counts = {k: collections.Counter() for k in prior}
    for c in convs:
        counts[c["labels"]["triage"]].update(features(c))
    vocab = set(w for k in counts for w in counts[k])
    totals = {k: sum(counts[k].values()) for k in counts}
    return prior, counts, vocab, totals, alpha


def nb_predict(model, conv):
    prior, counts, vocab, totals, alpha = model
    n = sum(prior.values())
    fs = [w for w in features(conv) if w in vocab]
    best = None
    for k in sorted(prior):
        lp = math.log(prior[k] / n) + sum(math.log((counts[k][w] + alpha) / (totals[k] + alpha * len(vocab))) for w in fs)
        if best is None or lp > best[0]:
            best = (lp, k)
    return best[1]


def score(gold, pred):
    cm = collections.Counter(zip(gold, pred))
    per = {}
    for k in CLASSES:
        tp = cm[(k, k)]
        g = sum(v for (a, _), v in cm.items() if a == k)
        p = sum(v for (_, b), v in cm.items() if b == k)
        if g == 0 and p == 0:
            continue
        rec = tp / g if g else None
        prec = tp / p if p else 0.0
        f1 = 2 * prec * rec / (prec + rec) if rec and prec else 0.0
        per[k] = {"support": g, "recall": rec, "precision": prec, "f1": f1}
    present = [k for k in per if per[k]["support"] > 0]
    return {
        "n": len(gold),
        "accuracy": sum(a == b for a, b in zip(gold, pred)) / len(gold),
        "macro_f1": sum(per[k]["f1"] for k in present) / len(present),
        "per_class": per,
        "confusion": {g: {p: cm[(g, p)] for p in CLASSES} for g in CLASSES if any(cm[(g, p)] for p in CLASSES)},
    }


def fmt(x):
    return "-" if x is None else f"{x:.3f}"


def print_block(title, res):
    print(f"\n{title}: n={res['n']} accuracy {fmt(res['accuracy'])} macro-F1 {fmt(res['macro_f1'])}")
    for k, v in res["per_class"].items():
        print(f"  {k:<10} support {v['support']:>4}  recall {fmt(v['recall'])}  precision {fmt(v['precision'])}  F1 {fmt(v['f1'])}")
    print("  confusion (rows gold, columns predicted " + " ".join(CLASSES) + ")")
    for g, row in res["confusion"].items():
        print(f"    {g:<10} " + " ".join(f"{row[p]:>5}" for p in CLASSES))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--config", help="client scoring configuration passed to emotion analyze")
    ap.add_argument("--out", default=os.path.join(HERE, "triage_results.json"))
    args = ap.parse_args()
    if not args.no_build:
        cv.build()
    convs = {w: [json.loads(l) for l in open(os.path.join(cv.CORPUS, w + ".jsonl"), encoding="utf-8") if l.strip()]
             for w in TRAIN + HELDOUT}
    for w, cs in convs.items():
        missing = [c["conversation_id"] for c in cs if "triage" not in c["labels"]]
        if missing:
            sys.exit(f"{w}: {len(missing)} conversations have no labels.triage, e.g. {missing[:3]}")
    everything = [c for w in TRAIN + HELDOUT for c in convs[w]]
    nones = [json.loads(l) for l in open(NONE_SET, encoding="utf-8") if l.strip()]
    results = cv.analyze(everything + nones, config=args.config)
    rules = {c["conversation_id"]: results[c["conversation_id"]]["triage"]["class"] for c in everything + nones}

    train = [c for w in TRAIN for c in convs[w]]
    heldout = [c for w in HELDOUT for c in convs[w]]
    majority = collections.Counter(c["labels"]["triage"] for c in train).most_common(1)[0][0]
    model = nb_train(train)
    lowo = {}
    for w in TRAIN:
        m = nb_train([c for c in train if c["writer"] != w])
        for c in convs[w]:
            lowo[c["conversation_id"]] = nb_predict(m, c)

    out = {"source": cv.source_state(), "config": args.config, "systems": {}}
    sets = [("held-out (w5+w7)", heldout), ("held-out w5 (es)", convs["w5"]), ("held-out w7 (en)", convs["w7"]),
            ("train (w1-w4, w6; tuned on)", train), ("none set (16, es+en; not in the corpus)", nones)]
    for name, cs in sets:
        gold = [c["labels"]["triage"] for c in cs]
        systems = {"rules": [rules[c["conversation_id"]] for c in cs], "majority (train)": [majority] * len(cs)}
        if cs is train:
            systems["naive Bayes (leave one writer out)"] = [lowo[c["conversation_id"]] for c in cs]
        else:
            systems["naive Bayes (trained on w1-w4, w6)"] = [nb_predict(model, c) for c in cs]
        for sname, pred in systems.items():
            res = score(gold, pred)
            out["systems"].setdefault(name, {})[sname] = res
            print_block(f"{name} / {sname}", res)
        if cs is nones:
            for c in cs:
                r = results[c["conversation_id"]]["triage"]
                print(f"  {c['conversation_id']} ({c['kind']}): {r['class']} ({r['reason']})")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
