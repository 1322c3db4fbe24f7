#!/usr/bin/python3
"""Compares `emotion analyze` output with the expected answers in a samples README.

usage: agree.py ANALYSIS.jsonl [README.md]   (README defaults to samples/README.md)

Reads the README table rows `| id | ... | expected primary driver | [expected process topic |] conversion |`.
In samples/README.md the driver column reads e.g. "process (billing error)": the first word is the driver and
the words in brackets the topic (compared when they name a configured topic). `a/b` accepts either.
Where the table also has the columns `customer start`, `customer end` and `agent focus` (issue 9), those are
compared too. Prints one line per conversation and the agreement counts.
"""
import json
import re
import sys

TOPICS = {"fees", "billing_error", "wait_time", "transfers", "documentation", "account_blocked",
          "payment_plan", "delivery", "outage", "policy"}
ALIASES = {"billing error": "billing_error", "blocked account": "account_blocked", "wait time": "wait_time",
           "payment plan": "payment_plan"}


EXTRA = {"customer start": "customer_start", "customer end": "customer_end", "agent focus": "agent_focus"}


def extra_columns(lines):
    """Positions of the optional columns customer start / customer end / agent focus in the expected-answers table
    header, and the header's width (rows of other tables are told apart by it)."""
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "id" and any(c in EXTRA for c in cells):
            return {EXTRA[c]: i for i, c in enumerate(cells) if c in EXTRA}, len(cells)
    return {}, 0


def expected_extra(readme):
    """id -> {customer_start, customer_end, agent_focus} where the README has those columns."""
    lines = open(readme, encoding="utf-8").read().splitlines()
    (cols, width), out = extra_columns(lines), {}
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cols and len(cells) == width and re.match(r"^(es|en|h-es|h-en)-\d+$", cells[0]):
            out[cells[0]] = {k: (int(cells[i]) if k != "agent_focus" else cells[i]) for k, i in cols.items()}
    return out


def expected(readme):
    exp = {}
    lines = open(readme, encoding="utf-8").read().splitlines()
    with_topic = any("expected process topic" in line for line in lines)
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.match(r"^(es|en|h-es|h-en)-\d+$", cells[0]) or cells[-1] not in ("yes", "no"):
            continue
        conv = cells[-1] == "yes"
        if with_topic:
            topic, drv = cells[-2], cells[-3].split(" ")[0]
        else:  # samples/README.md: "process (billing error)"
            drv = cells[-2].split(" ")[0]
            m = re.search(r"\(([^)]*)\)", cells[-2])
            t = ALIASES.get(m.group(1), m.group(1)) if m else None
            topic = t if drv == "process" and t in TOPICS else None
        exp[cells[0]] = (drv, topic, conv)
    return exp


def main():
    readme = sys.argv[2] if len(sys.argv) > 2 else "samples/README.md"
    exp = expected(readme)
    got = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        a = json.loads(line)
        got[a["conversation_id"]] = a
    d = c = t = tn = 0
    for k, (drv, topic, conv) in sorted(exp.items()):
        a = got[k]
        ok_t = topic is None or a["process_topic"] in topic.split("/")
        d += a["primary_driver"] == drv
        c += a["negative_to_positive"] == conv
        if topic is not None:
            tn += 1
            t += ok_t
        mark = "".join(["D" if a["primary_driver"] != drv else ".", "C" if a["negative_to_positive"] != conv else ".",
                        "T" if not ok_t else "."])
        print(f"{mark} {k:8} exp {drv:16} {str(conv):5} {str(topic):16} | got {a['primary_driver']:16} "
              f"{str(a['negative_to_positive']):5} {a['process_topic']:16} start {a['customer_start']['score']:+.2f} "
              f"end {a['customer_end']['score']:+.2f} res {str(a['resolved'])[0]} focus {a['agent_focus']} "
              f"ei {a['experience_index']:.0f}")
    print(f"driver agreement {d}/{len(exp)}, conversion agreement {c}/{len(exp)}, topic agreement {t}/{tn}")
    extra = expected_extra(readme)
    if extra:
        ok = {"customer_start": 0, "customer_end": 0, "agent_focus": 0}
        for k, e in extra.items():
            a = got[k]
            ok["customer_start"] += a["customer_start"]["label"] == e["customer_start"]
            ok["customer_end"] += a["customer_end"]["label"] == e["customer_end"]
            ok["agent_focus"] += a["agent_focus"] == e["agent_focus"]
        print(f"customer start agreement {ok['customer_start']}/{len(extra)}, customer end agreement "
              f"{ok['customer_end']}/{len(extra)}, agent focus agreement {ok['agent_focus']}/{len(extra)}")


if __name__ == "__main__":
    main()
