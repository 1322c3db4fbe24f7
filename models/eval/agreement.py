#!/usr/bin/python3
"""How far the turn model is from a careful reader: two independent readers' turn valences on held-out conversations,
against the gold labels, against each other, and the product on the same turns.

usage:
  python3 models/eval/agreement.py [--no-build] [--model DIR]

The sample: every 4th conversation of each held-out writer (w5, w7; index i % 4 == 0), 51 conversations, 738 turns
with speech. Each reader labelled them blind (the turns' text, speaker and conversation only, no label, no model
output; docs/labelling.md as the guide), in models/eval/agreement/reader_a.tsv and reader_b.tsv
(conversation id, turn index, valence). The readers are two independent language-model annotators (not people, and
of the same kind as the corpus's writers): what they measure is how consistently the guide's labels can be read off
these conversations, an upper reference for a turn model, not a human ceiling. The product's labels come from
`emotion analyze` exactly as in models/eval/conversations.py (gold removed).
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import conversations as h  # noqa: E402

READERS = {"reader A": os.path.join(HERE, "agreement", "reader_a.tsv"),
           "reader B": os.path.join(HERE, "agreement", "reader_b.tsv")}


def load_reader(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[2] not in ("-1", "0", "1"):
                sys.exit(f"{path}:{n}: expected conversation id, turn index, valence -1/0/1")
            out[(parts[0], int(parts[1]))] = int(parts[2])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--model")
    args = ap.parse_args()
    readers = {n: load_reader(p) for n, p in READERS.items()}
    keys = set(next(iter(readers.values())))
    for n, r in readers.items():
        if set(r) != keys:
            sys.exit(f"{n} labelled other turns than the first reader")
    ids = {k[0] for k in keys}
    convs = [c for c in h.load_corpus([os.path.join(h.CORPUS, w + ".jsonl") for w in ("w5", "w7")])
             if c["conversation_id"] in ids]
    if len(convs) != len(ids):
        sys.exit("a reader's conversation is not in w5/w7")
    if not args.no_build:
        h.build()
    results = h.analyze(convs, model=args.model)
    rows = []   # (key, speaker, language, gold, product)
    for c in convs:
        for k, (t, u) in enumerate(zip(c["turns"], results[c["conversation_id"]]["utterances"])):
            key = (c["conversation_id"], k)
            if key in keys:
                if u["label"] is None:
                    sys.exit(f"the product gives no label to {key}, which a reader labelled")
                rows.append((key, t["speaker"], c["language"], t["valence"], u["label"]))
    if len(rows) != len(keys):
        sys.exit(f"{len(keys) - len(rows)} labelled turns not found in the corpus")
    labels = {"gold": {r[0]: r[3] for r in rows}, "product": {r[0]: r[4] for r in rows}}
    labels.update(readers)
    pairs = [("reader A", "gold"), ("reader B", "gold"), ("reader A", "reader B"), ("product", "gold"),
             ("product", "reader A"), ("product", "reader B")]
    groups = [("all turns", lambda r: True), ("customer", lambda r: r[1] == "customer"),
              ("agent", lambda r: r[1] == "agent"), ("Spanish (w5)", lambda r: r[2] == "es"),
              ("English (w7)", lambda r: r[2] == "en")]
    report = {"conversations": len(convs), "turns": len(rows), "macro_f1": {}}
    print(f"turn valence macro-F1 on {len(rows)} turns of {len(convs)} held-out conversations")
    print("pair".ljust(22) + "".join(g.rjust(15) for g, _ in groups))
    for a, b in pairs:
        cells = []
        for g, pick in groups:
            ks = [r[0] for r in rows if pick(r)]
            cells.append(h.macro_f1([labels[b][k] for k in ks], [labels[a][k] for k in ks], [-1, 0, 1]))
        report["macro_f1"][f"{a} vs {b}"] = {g: round(v, 4) for (g, _), v in zip(groups, cells)}
        print(f"{a} vs {b}".ljust(22) + "".join(f"{v:15.3f}" for v in cells))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
