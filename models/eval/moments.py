#!/usr/bin/env python3
"""Moments of truth measured against hand labels (issue 13).

Runs the product's own `emotion analyze` (default configuration, or --config) on the labelled conversations of
`moments-labels.jsonl` with their corpus labels removed (models/eval/conversations.py does the stripping) and
compares `moments_of_truth` with the hand labels (rules for each moment: models/eval/README.md). Per moment and
split:
- precision and recall over (conversation, moment) pairs: does the moment occur in the contact at all;
- location over the pairs both found: the detector's first turn equals the first labelled turn ("same turn"), or
  is at most one turn away ("within one");
- occurrences: a detected occurrence is right when a labelled turn of that moment is within one turn of it; a
  labelled turn is found when a detected occurrence is within one turn of it (restatements included, so this recall
  is lower than the contact-level one when the detector merges a check over several turns into one occurrence).

    python3 models/eval/moments.py                    # builds, runs, prints, writes models/eval/moments_results_heldout.json
    python3 models/eval/moments.py --no-build --split train --config FILE --errors
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import conversations as cv  # noqa: E402

MOMENTS = ["identity_check", "price_disclosure", "payment_plan_offer", "transfer", "hold", "resolution_statement"]
LABELS = os.path.join(HERE, "moments-labels.jsonl")


def load(split):
    labels = [json.loads(l) for l in open(LABELS, encoding="utf-8") if l.strip()]
    labels = [l for l in labels if split == "all" or l["split"] == split]
    wanted = {l["conversation_id"] for l in labels}
    convs = {}
    for name in sorted(os.listdir(cv.CORPUS)):
        if name.startswith("w") and name.endswith(".jsonl"):
            for line in open(os.path.join(cv.CORPUS, name), encoding="utf-8"):
                if line.strip():
                    c = json.loads(line)
                    if c["conversation_id"] in wanted:
                        convs[c["conversation_id"]] = c
    missing = wanted - set(convs)
    if missing:
        sys.exit(f"labelled conversations not in the corpus: {sorted(missing)[:5]}")
    return labels, convs


def detected(result):
    """Moment name -> sorted turn indices of the detector's occurrences."""
    out = {m: [] for m in MOMENTS}
    for o in result.get("moments_of_truth") or []:
        if o["moment"] in out:
            out[o["moment"]].append(o["turn"])
    return {m: sorted(v) for m, v in out.items()}


def ratio(a, b):
    return None if b == 0 else a / b


def measure(labels, results):
    rows = {}
    errors = []
    for m in MOMENTS + ["all"]:
        rows[m] = dict(tp=0, fp=0, fn=0, same=0, near=0, occ_right=0, occ_pred=0, occ_found=0, occ_gold=0)
    for l in labels:
        cid = l["conversation_id"]
        det = detected(results[cid])
        for m in MOMENTS:
            gold, pred = sorted(l["moments"][m]), det[m]
            for key in (m, "all"):
                r = rows[key]
                r["occ_pred"] += len(pred)
                r["occ_right"] += sum(any(abs(p - g) <= 1 for g in gold) for p in pred)
                r["occ_gold"] += len(gold)
                r["occ_found"] += sum(any(abs(p - g) <= 1 for p in pred) for g in gold)
                if gold and pred:
                    r["tp"] += 1
                    r["same"] += pred[0] == gold[0]
                    r["near"] += abs(pred[0] - gold[0]) <= 1
                elif pred:
                    r["fp"] += 1
                elif gold:
                    r["fn"] += 1
            if gold != pred and (bool(gold) != bool(pred) or abs(pred[0] - gold[0]) > 1):
                errors.append((cid, m, gold, pred))
    out = {}
    for m, r in rows.items():
        out[m] = {
            "labelled": r["tp"] + r["fn"], "detected": r["tp"] + r["fp"], "both": r["tp"],
            "precision": ratio(r["tp"], r["tp"] + r["fp"]), "recall": ratio(r["tp"], r["tp"] + r["fn"]),
            "same_turn": ratio(r["same"], r["tp"]), "within_one": ratio(r["near"], r["tp"]),
            "occurrence_precision": ratio(r["occ_right"], r["occ_pred"]),
            "occurrence_recall": ratio(r["occ_found"], r["occ_gold"]),
        }
    return out, errors


def fmt(x):
    return "-" if x is None else f"{x:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--config", help="client scoring configuration passed to emotion analyze")
    ap.add_argument("--split", default="heldout", choices=["heldout", "train", "all"])
    ap.add_argument("--errors", action="store_true", help="list every miss, false alarm and misplaced moment")
    ap.add_argument("--out", help="JSON of the figures (default models/eval/moments_results_SPLIT.json)")
    args = ap.parse_args()
    if not args.no_build:
        cv.build()
    labels, convs = load(args.split)
    results = cv.analyze([convs[l["conversation_id"]] for l in labels], config=args.config)
    table, errors = measure(labels, results)
    print(f"moments of truth, split {args.split}: {len(labels)} conversations")
    print(f"{'moment':<22}{'labelled':>9}{'detected':>9}{'prec':>6}{'recall':>7}{'same':>6}{'±1':>6}"
          f"{'occ P':>7}{'occ R':>7}")
    for m, r in table.items():
        print(f"{m:<22}{r['labelled']:>9}{r['detected']:>9}{fmt(r['precision']):>6}{fmt(r['recall']):>7}"
              f"{fmt(r['same_turn']):>6}{fmt(r['within_one']):>6}{fmt(r['occurrence_precision']):>7}"
              f"{fmt(r['occurrence_recall']):>7}")
    if args.errors:
        for cid, m, gold, pred in errors:
            print(f"  {cid} {m}: labelled {gold} detected {pred}")
    out = args.out or os.path.join(HERE, f"moments_results_{args.split}.json")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"source": cv.source_state(), "config": args.config, "split": args.split,
                       "conversations": len(labels), "moments": table}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
