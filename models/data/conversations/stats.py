#!/usr/bin/python3
"""Counts of the written conversation corpus, as Markdown tables (the ones in README.md).

usage: stats.py [FILE.jsonl ...]   (default: every w*.jsonl beside this script)

Per writer: conversations, turns, language, locales, channels, domains, arcs, hard cases, conversation labels;
and the split (held-out writers as listed in README.md and models/eval/conversations.py).
"""
import collections
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HELDOUT = ("w5", "w7")


def load(files):
    convs = []
    for path in files:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                convs.append(json.loads(line))
    return convs


def table(title, convs, key, writers, multi=False):
    counts = collections.defaultdict(collections.Counter)
    values = collections.Counter()
    for c in convs:
        vals = key(c)
        for v in (vals if multi else [vals]):
            counts[c["writer"]][v] += 1
            values[v] += 1
    order = [v for v, _ in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    out = [f"| {title} | " + " | ".join(writers) + " | all |", "|---|" + "---|" * (len(writers) + 1)]
    for v in order:
        out.append(f"| {v} | " + " | ".join(str(counts[w][v] or "") for w in writers) + f" | {values[v]} |")
    return "\n".join(out)


def main(argv):
    files = argv[1:] or sorted(glob.glob(os.path.join(HERE, "w*.jsonl")))
    convs = load(files)
    writers = sorted({c["writer"] for c in convs})
    n_turns = collections.Counter()
    n_conv = collections.Counter(c["writer"] for c in convs)
    for c in convs:
        n_turns[c["writer"]] += len(c["turns"])
    print("| writer | split | conversations | turns | mean turns | language |")
    print("|---|---|---|---|---|---|")
    for w in writers:
        langs = ",".join(sorted({c["language"] for c in convs if c["writer"] == w}))
        split = "held-out" if w in HELDOUT else "train"
        print(f"| {w} | {split} | {n_conv[w]} | {n_turns[w]} | {n_turns[w] / n_conv[w]:.1f} | {langs} |")
    tot_turns = sum(n_turns.values())
    held = sum(n_conv[w] for w in HELDOUT)
    print(f"| all | train {len(convs) - held}, held-out {held} | {len(convs)} | {tot_turns} | "
          f"{tot_turns / len(convs):.1f} | |")
    speakers = collections.Counter((t["speaker"], t["valence"]) for c in convs for t in c["turns"])
    print()
    print("| turn valence | -1 | 0 | +1 |")
    print("|---|---|---|---|")
    for s in ("customer", "agent"):
        print(f"| {s} | " + " | ".join(str(speakers[(s, v)]) for v in (-1, 0, 1)) + " |")
    lab = lambda k: (lambda c: c["labels"][k])
    sections = [
        ("locale", lambda c: c["locale"], False),
        ("channel", lambda c: c["channel"], False),
        ("domain", lambda c: c["domain"], False),
        ("arc", lambda c: c["arc"], False),
        ("hard case", lambda c: c["hard_cases"], True),
        ("turn emotion", lambda c: [t["emotion"] for t in c["turns"]], True),
        ("customer_start", lab("customer_start"), False),
        ("customer_end", lab("customer_end"), False),
        ("negative_to_positive", lab("negative_to_positive"), False),
        ("primary_driver", lab("primary_driver"), False),
        ("process_topic", lab("process_topic"), False),
        ("agent_focus", lab("agent_focus"), False),
    ]
    for title, key, multi in sections:
        print()
        print(table(title, convs, key, writers, multi))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
