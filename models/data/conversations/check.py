#!/usr/bin/python3
"""Validates written conversation files against the rules of docs/labelling.md that a program can check.

usage: check.py [FILE.jsonl ...]   (default: every *.jsonl beside this script)

Checks each conversation (fields, values, 8-30 turns with both speakers, phases never going backwards,
start_s <= end_s and starts never decreasing where timing.py has added them,
valence and emotion agreeing, call text in ASR style, conversation labels consistent with each other and with
the turn labels) and, across all files in this folder, that no 7-word sequence appears in two conversations
outside the agent's scripted greeting and farewell turns. Prints one line per problem and a summary; exits 1
when there is any problem.
"""
import glob
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PHASES = ["opening", "identification", "exploration", "resolution", "closing"]
EMOTIONS = {-1: {"anger", "sadness", "fear", "confusion"}, 0: {"neutral", "confusion"}, 1: {"joy", "gratitude"}}
LOCALES = {"es": {"es-AR", "es-CO", "es-MX", "es-CL", "es-PE", "es-ES", "es-US", "es-UY", "es-VE"},
           "en": {"en-US", "en-GB", "en-IE", "en-AU", "en-CA"}}
DOMAINS = {"banking", "collections", "telecom", "utilities", "insurance", "ecommerce", "airline", "public_services"}
ARCS = {"neg_to_pos_agent", "stays_negative", "neutral_to_neg_agent", "process_good_agent", "product_failure",
        "prior_experience", "neutral", "positive", "pos_to_neg"}
HARD = {"sarcasm", "polite_anger", "resigned_thanks", "negation", "mixed_turn", "double_customer_turn",
        "interruption", "copy_paste_agent", "identity_data"}
DRIVERS = {"agent", "process", "product", "prior_experience", "none"}
TOPICS = {"fees", "billing_error", "wait_time", "transfers", "documentation", "account_blocked", "payment_plan",
          "delivery", "outage", "policy", "none"}
FOCUS = {"ownership", "interruptions", "hold_time", "empathy", "clarity", "none"}
TRIAGE = {"claim", "complaint", "request", "none"}  # labels.triage (issue 13), optional
NGRAM = 7
MARKER = re.compile(r"\[[^\[\]]*\]")
CALL_PUNCT = re.compile(r"[.,;:!?¿¡\"()]")


def words(text):
    text = unicodedata.normalize("NFKD", MARKER.sub(" ", text.lower()))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9ñ']+", text)


def check_conversation(c, where, problems):
    def bad(msg):
        problems.append(f"{where}: {msg}")

    for key in ("conversation_id", "writer", "language", "locale", "channel", "domain", "tenant", "agent_id",
                "arc", "hard_cases", "turns", "labels"):
        if key not in c:
            bad(f"missing '{key}'")
            return
    lang = c["language"]
    if lang not in LOCALES:
        bad(f"language '{lang}' is not es or en")
    elif c["locale"] not in LOCALES[lang]:
        bad(f"locale '{c['locale']}' does not belong to language '{lang}'")
    if c["channel"] not in ("call", "chat"):
        bad(f"channel '{c['channel']}' is not call or chat")
    if c["domain"] not in DOMAINS:
        bad(f"domain '{c['domain']}' unknown")
    if c["arc"] not in ARCS:
        bad(f"arc '{c['arc']}' unknown")
    for h in c["hard_cases"]:
        if h not in HARD:
            bad(f"hard case '{h}' unknown")
    turns = c["turns"]
    if not 8 <= len(turns) <= 30:
        bad(f"{len(turns)} turns (8-30 required)")
    if {t.get("speaker") for t in turns} != {"agent", "customer"}:
        bad("both speakers (agent, customer) must speak")
    last_phase = 0
    last_start = None
    for i, t in enumerate(turns):
        tw = f"turn {i}"
        if t.get("speaker") not in ("agent", "customer"):
            bad(f"{tw}: speaker '{t.get('speaker')}'")
        if "start_s" in t or "end_s" in t:
            st, en = t.get("start_s"), t.get("end_s")
            if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (st, en)):
                bad(f"{tw}: start_s and end_s must both be numbers when present ({st!r}, {en!r})")
            else:
                if st < 0 or en < st:
                    bad(f"{tw}: start_s {st} and end_s {en} must satisfy 0 <= start_s <= end_s")
                if last_start is not None and st < last_start:
                    bad(f"{tw}: start_s {st} is before the previous turn's start {last_start}")
                last_start = st
        text = t.get("text")
        if not isinstance(text, str) or not text.strip():
            bad(f"{tw}: empty text")
            continue
        v, e, p = t.get("valence"), t.get("emotion"), t.get("phase")
        if v not in (-1, 0, 1) or isinstance(v, bool):
            bad(f"{tw}: valence {v!r} is not -1, 0 or 1")
        elif e not in EMOTIONS[v]:
            bad(f"{tw}: emotion '{e}' does not agree with valence {v} (allowed: {sorted(EMOTIONS[v])})")
        if p not in PHASES:
            bad(f"{tw}: phase '{p}' unknown")
        else:
            if PHASES.index(p) < last_phase:
                bad(f"{tw}: phase '{p}' goes back after '{PHASES[last_phase]}'")
            last_phase = max(last_phase, PHASES.index(p))
        if not words(text) and v != 0:
            bad(f"{tw}: a turn with no speech must be valence 0")
        if c["channel"] == "call":
            speech = MARKER.sub(" ", text)
            if speech != speech.lower():
                bad(f"{tw}: call text must be lowercase (ASR style): {text[:60]!r}")
            if CALL_PUNCT.search(speech):
                bad(f"{tw}: call text must have no punctuation (ASR style): {text[:60]!r}")
    lab = c["labels"]
    for key in ("customer_start", "customer_end", "negative_to_positive", "primary_driver", "process_topic",
                "agent_focus"):
        if key not in lab:
            bad(f"labels: missing '{key}'")
            return
    s, e = lab["customer_start"], lab["customer_end"]
    if s not in (-1, 0, 1) or e not in (-1, 0, 1):
        bad("labels: customer_start/customer_end must be -1, 0 or 1")
    if lab["negative_to_positive"] is not (s == -1 and e == 1):
        bad(f"labels: negative_to_positive must be {s == -1 and e == 1} for start {s} and end {e}")
    d, tp, f = lab["primary_driver"], lab["process_topic"], lab["agent_focus"]
    if d not in DRIVERS:
        bad(f"labels: primary_driver '{d}' unknown")
    if tp not in TOPICS:
        bad(f"labels: process_topic '{tp}' unknown")
    if f not in FOCUS:
        bad(f"labels: agent_focus '{f}' unknown")
    if "triage" in lab and lab["triage"] not in TRIAGE:
        bad(f"labels: triage '{lab['triage']}' unknown")
    cust = [t for t in turns if t.get("speaker") == "customer"]
    any_neg = any(t.get("valence") == -1 for t in cust)
    if (d == "none") == any_neg:
        bad(f"labels: primary_driver must be 'none' exactly when no customer turn is -1 (driver '{d}', "
            f"negative customer turn: {any_neg})")
    if d == "process" and tp == "none":
        bad("labels: a process driver needs a process_topic")
    if d in ("agent", "none") and tp != "none":
        bad(f"labels: process_topic must be 'none' when the driver is '{d}'")
    if d == "agent" and f == "none":
        bad("labels: agent_focus cannot be 'none' when the primary driver is the agent")
    head = [t.get("valence") for t in cust[:3]]
    tail = [t.get("valence") for t in cust[-3:]]
    if s == -1 and -1 not in head:
        bad("labels: customer_start -1 but none of the customer's first three turns is -1")
    if s == 1 and 1 not in head:
        bad("labels: customer_start 1 but none of the customer's first three turns is +1")
    if e == 1 and 1 not in tail:
        bad("labels: customer_end 1 but none of the customer's last three turns is +1")
    if e == -1 and -1 not in tail:
        bad("labels: customer_end -1 but none of the customer's last three turns is -1")


def scripted(t):
    return t.get("speaker") == "agent" and t.get("phase") in ("opening", "closing")


def main(argv):
    files = [os.path.abspath(f) for f in argv[1:]] or sorted(glob.glob(os.path.join(HERE, "*.jsonl")))
    every = sorted(set(glob.glob(os.path.join(HERE, "*.jsonl"))) | set(files))
    problems, ids, count = [], {}, 0
    grams = {}  # 7-gram -> first (conversation id, file)
    overlaps = {}
    checked = {os.path.abspath(f) for f in files}
    for path in every:
        name = os.path.basename(path)
        writer = name.rsplit(".", 1)[0]
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            where = f"{name}:{n}"
            try:
                c = json.loads(line)
            except json.JSONDecodeError as ex:
                if os.path.abspath(path) in checked:
                    problems.append(f"{where}: not JSON ({ex})")
                continue
            cid = c.get("conversation_id", f"?{n}")
            where = f"{name}:{n} {cid}"
            if os.path.abspath(path) in checked:
                count += 1
                if c.get("writer") != writer:
                    problems.append(f"{where}: writer '{c.get('writer')}' differs from the file name '{writer}'")
                if cid in ids:
                    problems.append(f"{where}: conversation_id already used at {ids[cid]}")
                ids[cid] = where
                check_conversation(c, where, problems)
            seen_here = set()
            for t in c.get("turns", []):
                if scripted(t) or not isinstance(t.get("text"), str):
                    continue
                w = words(t["text"])
                for i in range(len(w) - NGRAM + 1):
                    g = " ".join(w[i:i + NGRAM])
                    if g in seen_here:
                        continue
                    seen_here.add(g)
                    first = grams.get(g)
                    if first is None:
                        grams[g] = (cid, os.path.abspath(path))
                    elif first[0] != cid and (os.path.abspath(path) in checked or first[1] in checked):
                        overlaps.setdefault((first[0], cid), g)
    for (a, b), g in sorted(overlaps.items()):
        problems.append(f"7-word overlap between {a} and {b}: '{g}' (rephrase one of them)")
    for p in problems:
        print(p)
    print(f"{count} conversations checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
