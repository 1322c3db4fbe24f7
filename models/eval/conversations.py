#!/usr/bin/python3
"""Measures every answer of the product on labelled conversations, with the word-list peers side by side.

usage:
  python3 models/eval/conversations.py                      # the standard run: written corpus (held-out, train,
                                                            #   all) + real dialogues; writes models/eval/results.json
  python3 models/eval/conversations.py FILE.jsonl [...]     # any file(s) in the corpus format (docs/labelling.md)
options:
  --split heldout|train|all   only these writers' conversations (models/data/conversations/splits.json: held-out w5, w7; train: the rest); default:
                              all three in the standard run, `all` for given files
  --dialogues LIST            comma-separated real dialogue sets from ../shared/data/dialogue (maia.dev,
                              mmeld-es.dev, dailydialog.dev, ...); `none` skips them. Default in the standard run:
                              maia.dev,mmeld-es.dev,dailydialog.dev; none when files are given
  --json PATH                 write the figures as JSON (default for the full standard run, with no other option
                              than --no-build/--data/--matrices: models/eval/results.json; otherwise none)
  --model DIR, --config FILE  passed to `emotion analyze`
  --no-build                  use the existing Release build of src/Host
  --no-peers                  skip the word-list peers (they need `npm ci` in models/baselines)
  --matrices                  print every confusion matrix (default: the product's, for the first split only)
  --data DIR                  the shared data folder (default: $EMOTION_DATA, else ../shared/data)

How it measures:
- The product: every conversation is passed to the product's own `emotion analyze` (built with
  `dotnet build Emotion.sln -c Release`) with the gold labels removed: only conversation id, language, channel,
  tenant/agent/team/campaign and each turn's speaker, text, start_s and end_s go in (a carried `phase` would be
  kept by the analyzer, so it is dropped). Its answers: utterances[].label/emotion/phase, customer_start.label,
  customer_end.label, negative_to_positive, primary_driver, process_topic, agent_focus.
- Turns with no speech (only markers such as `[hold 2 min]`) get no valence from the product and are left out of
  every turn valence and emotion figure, for every system; the phase figure counts every turn.
- The peers (@nlpjs/sentiment 4.26.1, multilang-sentiment 2.0.0, models/baselines) score single texts: each turn's
  speech (markers removed) on its own; the sign of the score is the turn's valence. Conversation answers for them
  by one documented rule: the customer's turns with at least 3 words are the substantive ones (none: all customer
  turns with speech); k = min(2, max(1, n // 2)); start = mean of the first k turn valences, end = mean of the last
  k, each -1 when <= -0.25, +1 when >= 0.25, else 0; conversion = start -1 and end +1. They give no emotion,
  phase, driver, topic or focus ('-').
- majority (train): one constant answer per question, the most frequent gold label among the train writers'
  conversations (w1-w4, w6): what a system that knows only the label distribution scores.
- Real dialogues: converted on the fly (never written to the repository: MAIA is CC BY-ND) to the conversation
  format: MAIA `text_en` (English for both sides), customer/agent as labelled; for sources that are not contact
  center (M-MELD, DailyDialog) the first speaker of a dialogue is the customer and everybody else the agent. Timing
  from models/data/conversations/timing.py (call pace for M-MELD and DailyDialog, chat typing for MAIA). Turn
  valence macro-F1 per speaker where the source has a valence (MAIA also under the project's convention, where an
  agent's empathy sentence is 0, not +1).
"""
import argparse
import collections
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(REPO, "models", "data", "conversations")
sys.path.insert(0, CORPUS)
import timing  # noqa: E402  (models/data/conversations/timing.py)

# The product's defaults (SentimentOptions.DefaultModelDirectory and AnswerModel.ShippedDirectory in src/).
DEFAULT_MODEL = "models/emotion-v2"
DEFAULT_ANSWERS = "models/answers-v3"

# The split by writer, shared with the trainers (splits.json in the corpus folder).
with open(os.path.join(CORPUS, "splits.json"), encoding="utf-8") as _f:
    _SPLITS = json.load(_f)
HELDOUT_WRITERS = tuple(_SPLITS["heldout"])
TRAIN_WRITERS = tuple(_SPLITS["train"])
VALENCES = [-1, 0, 1]
EMOTIONS = ["anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"]
PHASES = ["opening", "identification", "exploration", "resolution", "closing"]
DRIVERS = ["agent", "process", "product", "prior_experience", "none"]
TOPICS = ["fees", "billing_error", "wait_time", "transfers", "documentation", "account_blocked", "payment_plan",
          "delivery", "outage", "policy", "none"]
FOCUS = ["ownership", "interruptions", "hold_time", "empathy", "clarity", "none"]
PEERS = ["@nlpjs/sentiment", "multilang-sentiment"]
MAJORITY = "majority (train)"
DEFAULT_DIALOGUES = ["maia.dev", "mmeld-es.dev", "dailydialog.dev"]
META = ("conversation_id", "language", "channel", "tenant", "agent_id", "team_id", "campaign")


# ---------------------------------------------------------------- metrics

def confusion(gold, pred, labels):
    """Rows gold, columns predicted; labels missing from `labels` are appended in order of appearance."""
    labels = list(labels)
    for x in list(gold) + list(pred):
        if x not in labels:
            labels.append(x)
    m = {str(g): {str(p): 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        m[str(g)][str(p)] += 1
    return {"labels": [str(x) for x in labels], "matrix": m}


def f1_per_class(gold, pred, c):
    tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
    fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
    fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


def macro_f1(gold, pred, labels=None):
    """Macro-F1 over `labels` (default: every label in gold or pred)."""
    if not gold:
        return None
    labels = labels if labels is not None else sorted(set(gold) | set(pred), key=str)
    return sum(f1_per_class(gold, pred, c)[0] for c in labels) / len(labels)


def accuracy(gold, pred):
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else None


def sign(x):
    return 1 if x > 0 else -1 if x < 0 else 0


def band(score):
    return 1 if score >= 0.25 else -1 if score <= -0.25 else 0


# ---------------------------------------------------------------- running the product and the peers

def build():
    print("building: dotnet build Emotion.sln -c Release -nologo -v q", file=sys.stderr)
    r = subprocess.run(["dotnet", "build", os.path.join(REPO, "Emotion.sln"), "-c", "Release", "-nologo", "-v", "q"],
                       cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("build failed:\n" + r.stdout[-4000:])


def emotion_dll():
    return os.path.join(REPO, "src", "Host", "bin", "Release", "net10.0", "emotion.dll")


def analyze(convs, model=None, config=None):
    """Runs `emotion analyze` on the conversations stripped of their gold labels; returns results by id."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for c in convs:
            row = {k: c[k] for k in META if c.get(k) is not None}
            row["turns"] = [{"speaker": t["speaker"], "text": t["text"], "start_s": t["start_s"], "end_s": t["end_s"]}
                            for t in c["turns"]]
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        path = f.name
    cmd = ["dotnet", emotion_dll(), "analyze", path]
    if model:
        cmd += ["--model", model]
    if config:
        cmd += ["--config", config]
    try:
        r = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    if r.returncode != 0:
        sys.exit(f"emotion analyze failed ({r.returncode}):\n{r.stderr[-4000:]}")
    out = {}
    for line in r.stdout.splitlines():
        if line.strip():
            a = json.loads(line)
            out[a["conversation_id"]] = a
    missing = [c["conversation_id"] for c in convs if c["conversation_id"] not in out]
    if missing:
        sys.exit(f"emotion analyze gave no result for {len(missing)} conversations, e.g. {missing[:3]}")
    return out


PEER_CACHE = os.path.join(HERE, ".peer-cache.json")  # ignored by git; hashes and scores only, never text


def peer_versions():
    mods = os.path.join(REPO, "models", "baselines", "node_modules")
    try:
        return {p: json.load(open(os.path.join(mods, p, "package.json"), encoding="utf-8"))["version"] for p in PEERS}
    except OSError:
        sys.exit("the word-list peers are not installed: run `npm ci` in models/baselines (or pass --no-peers)")


def peer_scores(texts):
    """texts: list of (text, lang). Returns (list of {peer: score}, versions). multilang-sentiment takes tens of
    milliseconds a text, so scores are cached in models/eval/.peer-cache.json under a hash of the peers' versions,
    the language and the text."""
    versions = peer_versions()
    tag = json.dumps(versions, sort_keys=True)
    keys = [hashlib.sha1(f"{tag}\x00{lang}\x00{text}".encode("utf-8")).hexdigest()[:20] for text, lang in texts]
    try:
        cache = json.load(open(PEER_CACHE, encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    todo = sorted({k: i for i, k in enumerate(keys) if k not in cache}.values())
    if todo:
        print(f"scoring {len(todo)} texts with the word-list peers", file=sys.stderr)
        with tempfile.TemporaryDirectory() as d:
            inp, outp = os.path.join(d, "in.jsonl"), os.path.join(d, "out.jsonl")
            with open(inp, "w", encoding="utf-8") as f:
                for i in todo:
                    f.write(json.dumps({"text": texts[i][0], "lang": texts[i][1]}, ensure_ascii=False) + "\n")
            r = subprocess.run(["node", os.path.join(HERE, "peers.js"), inp, outp], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit("peers failed (run `npm ci` in models/baselines):\n" + r.stderr[-3000:])
            rows = [json.loads(l) for l in open(outp, encoding="utf-8") if l.strip()]
        for i, row in zip(todo, rows):
            cache[keys[i]] = [row["nlpjs"], row["multilang"]]
        with open(PEER_CACHE + ".tmp", "w", encoding="utf-8") as f:
            json.dump(cache, f, separators=(",", ":"))
        os.replace(PEER_CACHE + ".tmp", PEER_CACHE)
    return [{PEERS[0]: cache[k][0], PEERS[1]: cache[k][1]} for k in keys], versions


def source_state():
    """The commit measured and the files under the product's sources that differ from it (the harness builds and
    runs the working tree; figures for a release should come from a clean checkout)."""
    def git(*a):
        r = subprocess.run(["git", *a], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return r.stdout.rstrip("\n") if r.returncode == 0 else None
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src", "config", DEFAULT_MODEL, DEFAULT_ANSWERS,
                "Directory.Packages.props", "Directory.Build.props")
    return {"commit": git("rev-parse", "HEAD"), "dirty": [l[3:] for l in (dirty or "").splitlines()]}


def model_version(model_dir):
    d = model_dir or os.path.join(REPO, DEFAULT_MODEL)
    try:
        return json.load(open(os.path.join(d, "labels.json"), encoding="utf-8")).get("version") or os.path.basename(d)
    except (OSError, ValueError):
        return os.path.basename(os.path.normpath(d))


# ---------------------------------------------------------------- conversations: predictions per system

def peer_conversation(turns, speech_flags, peer_labels):
    """Conversation answers of a single-text scorer by the documented rule (see the module doc)."""
    cust = [i for i, t in enumerate(turns) if t["speaker"] == "customer" and speech_flags[i]]
    subst = [i for i in cust if len(timing.speech(turns[i]["text"]).split()) >= 3] or cust
    if not subst:
        return 0, 0
    k = min(2, max(1, len(subst) // 2))
    start = band(sum(peer_labels[i] for i in subst[:k]) / k)
    end = band(sum(peer_labels[i] for i in subst[-k:]) / k)
    return start, end


def predictions(convs, results, peers):
    """Per system: turn-level and conversation-level predictions aligned with gold (None = not applicable)."""
    systems = {}
    # product
    turn_rows, conv_rows = [], []
    for c in convs:
        a = results[c["conversation_id"]]
        utts = a["utterances"]
        for t, u in zip(c["turns"], utts):
            turn_rows.append({"speaker": t["speaker"], "speech": u["label"] is not None, "gold_v": t.get("valence"),
                              "gold_e": t.get("emotion"), "gold_p": t.get("phase"),
                              "v": u["label"], "e": u["emotion"] or None, "p": u["phase"]})
        conv_rows.append({"start": a["customer_start"]["label"], "end": a["customer_end"]["label"],
                          "conv": a["negative_to_positive"], "driver": a["primary_driver"],
                          "topic": a["process_topic"], "focus": a["agent_focus"]})
    systems["product"] = (turn_rows, conv_rows)
    # peers
    if peers is not None:
        for p in PEERS:
            turn_rows, conv_rows = [], []
            for c in convs:
                a = results[c["conversation_id"]]
                flags = [u["label"] is not None for u in a["utterances"]]
                labels = [sign(s[p]) for s in peers[c["conversation_id"]]]
                for t, fl, v in zip(c["turns"], flags, labels):
                    turn_rows.append({"speaker": t["speaker"], "speech": fl, "gold_v": t.get("valence"),
                                      "gold_e": t.get("emotion"), "gold_p": t.get("phase"),
                                      "v": v if fl else None, "e": None, "p": None})
                s, e = peer_conversation(c["turns"], flags, labels)
                conv_rows.append({"start": s, "end": e, "conv": s == -1 and e == 1, "driver": None, "topic": None,
                                  "focus": None})
            systems[p] = (turn_rows, conv_rows)
    return systems


def majority_answers(train_convs):
    def most(xs):
        return collections.Counter(xs).most_common(1)[0][0]
    turns = [t for c in train_convs for t in c["turns"]]
    labs = [c["labels"] for c in train_convs]
    return {"v": most(t["valence"] for t in turns), "e": most(t["emotion"] for t in turns),
            "p": most(t["phase"] for t in turns), "start": most(l["customer_start"] for l in labs),
            "end": most(l["customer_end"] for l in labs), "conv": most(l["negative_to_positive"] for l in labs),
            "driver": most(l["primary_driver"] for l in labs), "topic": most(l["process_topic"] for l in labs),
            "focus": most(l["agent_focus"] for l in labs)}


def add_majority(systems, convs, maj):
    turn_rows = []
    for c in convs:
        for t in c["turns"]:
            turn_rows.append({"speaker": t["speaker"], "gold_v": t.get("valence"), "gold_e": t.get("emotion"),
                              "gold_p": t.get("phase"), "v": maj["v"], "e": maj["e"], "p": maj["p"]})
    # the majority system uses the product's speech flags so that every system is measured on the same turns
    for row, prod in zip(turn_rows, systems["product"][0]):
        row["speech"] = prod["speech"]
    conv_rows = [{k: maj[k] for k in ("start", "end", "conv", "driver", "topic", "focus")} for _ in convs]
    systems[MAJORITY] = (turn_rows, conv_rows)


METRICS = [
    ("turn valence macro-F1, all", "turn_valence_f1_all"),
    ("turn valence macro-F1, customer", "turn_valence_f1_customer"),
    ("turn valence macro-F1, agent", "turn_valence_f1_agent"),
    ("emotion macro-F1", "emotion_f1"),
    ("phase accuracy", "phase_accuracy"),
    ("customer start accuracy", "customer_start_accuracy"),
    ("customer end accuracy", "customer_end_accuracy"),
    ("conversion F1 (negative_to_positive)", "conversion_f1"),
    ("primary driver accuracy", "primary_driver_accuracy"),
    ("process topic accuracy", "process_topic_accuracy"),
    ("agent focus accuracy", "agent_focus_accuracy"),
]


def score_system(convs, turn_rows, conv_rows):
    """Figures and confusion matrices of one system on one set of conversations."""
    m, cm = {}, {}
    speech = [r for r in turn_rows if r["speech"] and r["gold_v"] is not None]
    for who, rows in (("all", speech), ("customer", [r for r in speech if r["speaker"] == "customer"]),
                      ("agent", [r for r in speech if r["speaker"] == "agent"])):
        gold, pred = [r["gold_v"] for r in rows], [r["v"] for r in rows]
        m[f"turn_valence_f1_{who}"] = macro_f1(gold, pred, VALENCES)
        cm[f"turn_valence_{who}"] = confusion(gold, pred, VALENCES)
    m["turns_scored"] = len(speech)
    if all(r["e"] is not None for r in speech) and speech:
        gold, pred = [r["gold_e"] for r in speech], [r["e"] for r in speech]
        m["emotion_f1"] = macro_f1(gold, pred)
        cm["emotion"] = confusion(gold, pred, EMOTIONS)
    else:
        m["emotion_f1"] = None
    if all(r["p"] is not None for r in turn_rows) and turn_rows:
        gold, pred = [r["gold_p"] for r in turn_rows], [r["p"] for r in turn_rows]
        m["phase_accuracy"] = accuracy(gold, pred)
        cm["phase"] = confusion(gold, pred, PHASES)
    else:
        m["phase_accuracy"] = None
    labs = [c["labels"] for c in convs]
    for key, gkey, labels, name in (("start", "customer_start", VALENCES, "customer_start_accuracy"),
                                    ("end", "customer_end", VALENCES, "customer_end_accuracy"),
                                    ("driver", "primary_driver", DRIVERS, "primary_driver_accuracy"),
                                    ("topic", "process_topic", TOPICS, "process_topic_accuracy"),
                                    ("focus", "agent_focus", FOCUS, "agent_focus_accuracy")):
        pred = [r[key] for r in conv_rows]
        if any(p is None for p in pred):
            m[name] = None
            continue
        gold = [l[gkey] for l in labs]
        m[name] = accuracy(gold, pred)
        cm[gkey] = confusion(gold, pred, labels)
    gold, pred = [l["negative_to_positive"] for l in labs], [r["conv"] for r in conv_rows]
    f1, prec, rec = f1_per_class(gold, pred, True)
    m["conversion_f1"], m["conversion_precision"], m["conversion_recall"] = f1, prec, rec
    cm["negative_to_positive"] = confusion(gold, pred, [False, True])
    # topic where the gold driver is process (the narrower question: right topic for a process driver)
    if all(r["topic"] is not None for r in conv_rows):
        idx = [i for i, l in enumerate(labs) if l["primary_driver"] == "process"]
        m["process_topic_accuracy_when_gold_process"] = accuracy([labs[i]["process_topic"] for i in idx],
                                                                 [conv_rows[i]["topic"] for i in idx])
        idx = [i for i, l in enumerate(labs) if l["agent_focus"] != "none"]
        m["agent_focus_accuracy_when_gold_not_none"] = accuracy([labs[i]["agent_focus"] for i in idx],
                                                                [conv_rows[i]["focus"] for i in idx])
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}, cm


def evaluate_convs(convs, systems_all, index, spans):
    """Scores every system on a subset (index: positions of its conversations in the full list; spans: each
    conversation's range of turn rows)."""
    out = {"conversations": len(convs), "systems": {}, "confusion": {}}
    for name, (turn_rows, conv_rows) in systems_all.items():
        sub_turns, sub_convs = [], []
        for i in index:
            lo, hi = spans[i]
            sub_turns.extend(turn_rows[lo:hi])
            sub_convs.append(conv_rows[i])
        figs, cm = score_system(convs, sub_turns, sub_convs)
        out["systems"][name] = figs
        out["confusion"][name] = cm
    return out


# ---------------------------------------------------------------- printing

def fmt(v):
    return "-" if v is None else f"{v:.3f}"


def print_table(title, res, names):
    print(f"\n## {title}")
    head = "| metric | " + " | ".join(names) + " |"
    print(head)
    print("|---|" + "---|" * len(names))
    for label, key in METRICS:
        print(f"| {label} | " + " | ".join(fmt(res["systems"][n].get(key)) for n in names) + " |")


def print_matrix(title, cm):
    labels = cm["labels"]
    rows = [l for l in labels if any(cm["matrix"][l].values()) or any(cm["matrix"][g][l] for g in labels)]
    w = max(8, max(len(l) for l in rows) + 1)
    print(f"\n{title} (rows gold, columns predicted)")
    print(" " * w + "".join(f"{l[:9]:>10}" for l in rows))
    for g in rows:
        print(f"{g:<{w}}" + "".join(f"{cm['matrix'][g][p]:>10}" for p in rows))


# ---------------------------------------------------------------- dialogues

def load_dialogues(data_dir, name):
    path = os.path.join(data_dir, "dialogue", name + ".jsonl")
    if not os.path.exists(path):
        return None, path
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()], path


def dialogue_to_conversation(d, name):
    maia = name.startswith("maia")
    lang = "en" if maia or d.get("lang") == "en" else d.get("lang", "en")
    first = d["turns"][0]["speaker"] if d["turns"] else None
    turns = []
    for t in d["turns"]:
        if maia or t["speaker"] in ("customer", "agent"):
            speaker = t["speaker"]
        else:
            speaker = "customer" if t["speaker"] == first else "agent"
        text = t.get("text_en") if maia else t.get("text")
        turns.append({"speaker": speaker, "text": text or "", "gold_v": t.get("valence"),
                      "gold_v_project": project_valence(t) if maia else t.get("valence")})
    conv = {"conversation_id": d["dialogue_id"], "language": lang, "channel": "chat" if maia else "call",
            "turns": [{"speaker": t["speaker"], "text": t["text"]} for t in turns]}
    timing.add_timing(conv)
    for t, g in zip(conv["turns"], turns):
        t["gold_v"], t["gold_v_project"] = g["gold_v"], g["gold_v_project"]
    return conv


def project_valence(t):
    """MAIA turn valence under the project's convention: an agent's empathy sentence is 0 (apologetic), not +1."""
    sents = t.get("sentences") or []
    if t.get("valence") is None or not sents:
        return t.get("valence")
    vals = []
    for s in sents:
        v = s.get("valence")
        if t["speaker"] == "agent" and s.get("emotion") == "empathy":
            v = 0
        vals.append(v)
    vals = [v for v in vals if v is not None]
    return -1 if -1 in vals else 1 if 1 in vals else 0


def evaluate_dialogues(name, dialogues, args, peer_ok):
    convs = [dialogue_to_conversation(d, name) for d in dialogues]
    results = analyze(convs, args.model, args.config)
    peers = None
    if peer_ok:
        texts = [(timing.speech(t["text"]), c["language"]) for c in convs for t in c["turns"]]
        scores, _ = peer_scores(texts)
        peers = {}
        pos = 0
        for c in convs:
            peers[c["conversation_id"]] = scores[pos:pos + len(c["turns"])]
            pos += len(c["turns"])
    out = {"dialogues": len(convs), "systems": {}, "confusion": {}}
    names = ["product"] + (PEERS if peers else [])
    gold_keys = [("gold_v", "")] + ([("gold_v_project", "_project")] if name.startswith("maia") else [])
    for n in names:
        figs, cms = {}, {}
        for gkey, suffix in gold_keys:
            for who in ("all", "customer", "agent"):
                gold, pred = [], []
                for c in convs:
                    a = results[c["conversation_id"]]
                    for i, (t, u) in enumerate(zip(c["turns"], a["utterances"])):
                        if t[gkey] is None or u["label"] is None or (who != "all" and t["speaker"] != who):
                            continue
                        gold.append(t[gkey])
                        pred.append(u["label"] if n == "product" else sign(peers[c["conversation_id"]][i][n]))
                figs[f"turn_valence_f1_{who}{suffix}"] = round(macro_f1(gold, pred, VALENCES), 4) if gold else None
                figs[f"turns_{who}{suffix}"] = len(gold)
                cms[f"turn_valence_{who}{suffix}"] = confusion(gold, pred, VALENCES)
        out["systems"][n] = figs
        out["confusion"][n] = cms
    return out


# ---------------------------------------------------------------- main

def load_corpus(files):
    convs = []
    for path in files:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.strip():
                c = json.loads(line)
                if "labels" not in c or any("valence" not in t or "phase" not in t for t in c.get("turns", [])):
                    sys.exit(f"{path}:{n}: not a labelled conversation (docs/labelling.md format: every turn with "
                             "valence, emotion and phase, and a 'labels' object)")
                if any("start_s" not in t for t in c["turns"]):
                    timing.add_timing(c)
                convs.append(c)
    return convs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 usage="%(prog)s [FILE.jsonl ...] [options]")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--split", choices=["heldout", "train", "all"])
    ap.add_argument("--dialogues")
    ap.add_argument("--json")
    ap.add_argument("--model")
    ap.add_argument("--config")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--matrices", action="store_true")
    ap.add_argument("--data", default=os.environ.get("EMOTION_DATA") or os.path.join(os.path.dirname(REPO), "shared", "data"))
    args = ap.parse_args()

    standard = not args.files
    files = args.files or sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS)
                                 if f.startswith("w") and f.endswith(".jsonl"))
    splits = [args.split] if args.split else (["heldout", "train", "all"] if standard else ["all"])
    dialogues = (args.dialogues.split(",") if args.dialogues and args.dialogues != "none"
                 else [] if args.dialogues == "none" or not standard else DEFAULT_DIALOGUES)
    # models/eval/results.json holds the full standard run only; any narrower run writes JSON only when asked
    full = standard and not (args.split or args.dialogues or args.no_peers or args.model or args.config)
    json_path = args.json or (os.path.join(HERE, "results.json") if full else None)
    peer_ok = not args.no_peers

    if not args.no_build:
        build()
    convs = load_corpus(files)
    if splits in (["heldout"], ["train"]):  # only what is reported
        convs = [c for c in convs if c.get("writer") in (HELDOUT_WRITERS if splits == ["heldout"] else TRAIN_WRITERS)]
    print(f"emotion analyze on {len(convs)} conversations ({len(files)} files)", file=sys.stderr)
    results = analyze(convs, args.model, args.config)
    peers = None
    if peer_ok:
        texts = [(timing.speech(t["text"]), c.get("language", "es")) for c in convs for t in c["turns"]]
        scores, versions = peer_scores(texts)
        peers, pos = {}, 0
        for c in convs:
            peers[c["conversation_id"]] = scores[pos:pos + len(c["turns"])]
            pos += len(c["turns"])
    systems = predictions(convs, results, peers)
    train_convs = load_corpus([os.path.join(CORPUS, w + ".jsonl") for w in TRAIN_WRITERS])
    maj = majority_answers(train_convs)
    add_majority(systems, convs, maj)
    spans, pos = [], 0
    for c in convs:
        spans.append((pos, pos + len(c["turns"])))
        pos += len(c["turns"])

    version = model_version(args.model)
    state = source_state()
    if state["dirty"]:
        print(f"warning: the product's sources differ from commit {state['commit']}: {', '.join(state['dirty'])}; "
              "these figures are for the working tree, not for a release", file=sys.stderr)
    names = ["product"] + (PEERS if peer_ok else []) + [MAJORITY]
    shown = [version if n == "product" else n for n in names]
    report = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python3 models/eval/conversations.py " + " ".join(sys.argv[1:]),
        "source": state,
        "model": version, "model_dir": args.model or DEFAULT_MODEL, "config": args.config or "default",
        "peers": {p: v for p, v in (versions.items() if peer_ok else [])},
        "majority_answers": {k: v for k, v in maj.items()},
        "files": [os.path.relpath(f, REPO) for f in files],
        "splits": {}, "dialogues": {},
    }
    print(f"# Measured: {version} (emotion analyze, config {report['config']}) against "
          + ", ".join(shown[1:]))
    for split in splits:
        writers = {"heldout": HELDOUT_WRITERS, "train": TRAIN_WRITERS}.get(split)
        idx = [i for i, c in enumerate(convs) if writers is None or c.get("writer") in writers]
        if not idx:
            print(f"\n## {split}: no conversations")
            continue
        sub = [convs[i] for i in idx]
        res = evaluate_convs(sub, systems, idx, spans)
        res["writers"] = sorted({c.get("writer") for c in sub})
        res["turns"] = sum(len(c["turns"]) for c in sub)
        by_lang = {}
        for lang in sorted({c.get("language") for c in sub}):
            li = [i for i in idx if convs[i].get("language") == lang]
            if len(li) < len(idx):
                r = evaluate_convs([convs[i] for i in li], {"product": systems["product"]}, li, spans)
                by_lang[lang] = {"conversations": len(li), "product": r["systems"]["product"]}
        res["by_language"] = by_lang
        report["splits"][split] = res
        title = (f"{split}: {len(sub)} conversations, {res['turns']} turns "
                 f"(writers {', '.join(res['writers'])}; {res['systems']['product']['turns_scored']} turns with speech)")
        print_table(title, {"systems": {s: res["systems"][n] for s, n in zip(shown, names)}}, shown)
        if by_lang:
            print("\nproduct by language: " + "; ".join(
                f"{lang} ({v['conversations']}): valence all {fmt(v['product']['turn_valence_f1_all'])}, "
                f"start {fmt(v['product']['customer_start_accuracy'])}, end {fmt(v['product']['customer_end_accuracy'])}, "
                f"driver {fmt(v['product']['primary_driver_accuracy'])}, topic {fmt(v['product']['process_topic_accuracy'])}"
                for lang, v in by_lang.items()))
        p = res["systems"]["product"]
        print(f"product: conversion precision {fmt(p['conversion_precision'])}, recall {fmt(p['conversion_recall'])}; "
              f"topic accuracy where the gold driver is process {fmt(p.get('process_topic_accuracy_when_gold_process'))}; "
              f"focus accuracy where the gold focus is not none {fmt(p.get('agent_focus_accuracy_when_gold_not_none'))}")
        if args.matrices or split == splits[0]:
            for key, cm in res["confusion"]["product"].items():
                print_matrix(f"{version} {split}: {key}", cm)
            if args.matrices:
                for n in PEERS if peer_ok else []:
                    for key, cm in res["confusion"][n].items():
                        print_matrix(f"{n} {split}: {key}", cm)

    for name in dialogues:
        ds, path = load_dialogues(args.data, name)
        if ds is None:
            print(f"\n## {name}: {path} not found, skipped")
            continue
        print(f"emotion analyze on {name} ({len(ds)} dialogues)", file=sys.stderr)
        res = evaluate_dialogues(name, ds, args, peer_ok)
        res["file"] = os.path.join("dialogue", name + ".jsonl")  # under the shared data folder (--data)
        res["upstream"] = sorted({d.get("source", "?").split(":")[0] for d in ds})
        report["dialogues"][name] = res
        dnames = ["product"] + (PEERS if peer_ok else [])
        dshown = [version if n == "product" else n for n in dnames]
        print(f"\n## {name}: {len(ds)} dialogues, turn valence macro-F1 in context")
        print("| speaker | turns | " + " | ".join(dshown) + " |")
        print("|---|---|" + "---|" * len(dnames))
        suffixes = [""] + (["_project"] if name.startswith("maia") else [])
        for suffix in suffixes:
            for who in ("all", "customer", "agent"):
                if suffix and who == "customer":
                    continue
                label = who + (" (agent empathy = 0)" if suffix else "")
                n_t = res["systems"]["product"][f"turns_{who}{suffix}"]
                print(f"| {label} | {n_t} | " + " | ".join(
                    fmt(res["systems"][n][f"turn_valence_f1_{who}{suffix}"]) for n in dnames) + " |")
        if args.matrices:
            for key, cm in res["confusion"]["product"].items():
                print_matrix(f"{version} {name}: {key}", cm)

    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"\nwrote {os.path.relpath(json_path, os.getcwd())}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
