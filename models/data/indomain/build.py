#!/usr/bin/python3
"""Builds the project's own in-domain labeled utterances (train.jsonl, dev.jsonl, README.md).

Everything here is written by the project: the sentence templates in templates_es.txt and
templates_en.txt are hand-written; this script only fills their slots (regional words, amounts,
waits), renders each one in call style (ASR transcript) or chat style (typed), splits by template
(a template's lines all land in one split), validates and prints the counts.

Run with the standard library only:  /usr/bin/python3 models/data/indomain/build.py
The output is deterministic (fixed seed, sorted iteration).

Template file format
  ## lang valence emotion hard_case speaker domains [variant]
      sets the labels for the lines below it; hard_case and variant use "-" / "*" for none / any,
      domains is a comma list or "*" (any of the six).
  one template per line; {a|b|c} picks one alternative, <SLOT> is filled per regional variant.
  Lines starting with # are comments.

Extra templates (templates_extra_es.txt, templates_extra_en.txt): same format, TRAIN ONLY. They are
  hand-written single sentences with more varied wording, rendered after the main templates with their
  own random stream (so train.jsonl's first lines and dev.jsonl do not change when extras are added or
  edited). A line may start with "@call " or "@chat " to fix its channel (it is already written in that
  style): it gives one line. Other extra lines give two, one per channel. An extra line that
  near-duplicates a dev line fails the build (rewrite or drop the sentence).
"""
import json
import math
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261124

LANGS = {"es", "en"}
VALENCES = {-1, 0, 1}
EMOTIONS = {"anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"}
SPEAKERS = {"customer", "agent"}
CHANNELS = {"call", "chat"}
DOMAINS = ["banking", "collections", "telecom", "utilities", "insurance", "ecommerce"]
HARD = {None, "negation", "sarcasm", "polite_anger", "resigned_thanks", "mixed", "question"}
ES_VARIANTS = ["es-MX", "es-AR", "es-CO", "es-CL", "es-PE", "es-ES"]
ES_WEIGHTS = [20, 19, 17, 14, 13, 17]
EN_VARIANTS = ["en-US", "en-GB"]
EN_WEIGHTS = [75, 25]

# Target lines per language and the valence shares (negative, neutral, positive).
TARGET = {"es": 1560, "en": 690}
SHARE = {-1: 0.40, 0: 0.35, 1: 0.25}
MAX_PER_TEMPLATE = 9
DEV_EVERY = 5  # one template in five goes to dev, within each language x valence stratum
EXTRA_FILES = {"es": "templates_extra_es.txt", "en": "templates_extra_en.txt"}
EXTRA_SEED = SEED + 1  # a separate stream: extras never shift the main templates' rendering

# ---------------------------------------------------------------- regional slots
SLOTS = {
    "es-MX": {
        "LA_PLATA": ["la lana", "el dinero"], "ESA_PLATA": ["esa lana", "ese dinero"], "MI_PLATA": ["mi lana", "mi dinero"],
        "CEL": ["celular", "cel"], "DOC": ["CURP", "INE", "credencial de elector"],
        "AMOUNT": ["1,250 pesos", "$899", "480 pesos", "3 mil pesos", "$2,300"], "AHORA": ["ahorita", "ahora"],
        "TARJETA": ["tarjeta", "plástico"], "COMPU": ["computadora", "compu"], "CUENTA": ["cuenta"],
    },
    "es-AR": {
        "LA_PLATA": ["la guita", "la plata"], "ESA_PLATA": ["esa guita", "esa plata"], "MI_PLATA": ["mi guita", "mi plata"],
        "CEL": ["celu", "celular"], "DOC": ["DNI", "documento"],
        "AMOUNT": ["$15.000", "18 mil pesos", "$7.500", "$42.300", "30 lucas"], "AHORA": ["ahora", "ya"],
        "TARJETA": ["tarjeta"], "COMPU": ["compu", "computadora"], "CUENTA": ["cuenta"],
    },
    "es-CO": {
        "LA_PLATA": ["la plata", "el dinero"], "ESA_PLATA": ["esa plata"], "MI_PLATA": ["mi plata", "mi dinero"],
        "CEL": ["celular", "cel"], "DOC": ["cédula", "número de cédula"],
        "AMOUNT": ["$80.000", "120 mil pesos", "$45.900", "300 mil pesos"], "AHORA": ["ahorita", "ya mismo"],
        "TARJETA": ["tarjeta"], "COMPU": ["computador", "portátil"], "CUENTA": ["cuenta"],
    },
    "es-CL": {
        "LA_PLATA": ["la plata", "las lucas"], "ESA_PLATA": ["esa plata", "esas lucas"], "MI_PLATA": ["mi plata"],
        "CEL": ["celular", "cel"], "DOC": ["RUT", "carnet"],
        "AMOUNT": ["$25.000", "20 lucas", "$38.990", "15 lucas"], "AHORA": ["al tiro", "ahora"],
        "TARJETA": ["tarjeta"], "COMPU": ["computador", "notebook"], "CUENTA": ["cuenta", "cuenta rut"],
    },
    "es-PE": {
        "LA_PLATA": ["la plata", "el dinero"], "ESA_PLATA": ["esa plata"], "MI_PLATA": ["mi plata", "mi dinero"],
        "CEL": ["celular", "cel"], "DOC": ["DNI", "carnet de extranjería"],
        "AMOUNT": ["120 soles", "S/ 89", "S/ 350", "60 soles"], "AHORA": ["ahorita", "al toque"],
        "TARJETA": ["tarjeta"], "COMPU": ["computadora", "laptop"], "CUENTA": ["cuenta"],
    },
    "es-ES": {
        "LA_PLATA": ["el dinero", "la pasta"], "ESA_PLATA": ["ese dinero", "esa pasta"], "MI_PLATA": ["mi dinero"],
        "CEL": ["móvil"], "DOC": ["DNI", "NIE"],
        "AMOUNT": ["45 euros", "120 €", "29,90 euros", "300 euros"], "AHORA": ["ahora", "ya"],
        "TARJETA": ["tarjeta"], "COMPU": ["ordenador", "portátil"], "CUENTA": ["cuenta"],
    },
    "en-US": {
        "AMOUNT": ["$49.99", "$120", "$35", "$312.40", "$89"], "CEL": ["cell", "phone", "cellphone"],
        "DOC": ["social security number", "last four of your SSN", "date of birth"], "ZIP": ["zip code"],
        "CHECKING": ["checking account", "checking"],
    },
    "en-GB": {
        "AMOUNT": ["£45", "£120", "£29.99", "£300"], "CEL": ["mobile", "phone"],
        "DOC": ["date of birth", "postcode"], "ZIP": ["postcode"], "CHECKING": ["current account", "account"],
    },
}
COMMON = {
    "es": {
        "WAIT": ["media hora", "cuarenta minutos", "casi una hora", "más de veinte minutos", "45 minutos"],
        "DAYS": ["tres días", "una semana", "diez días", "quince días", "dos semanas"],
        "NTH": ["tercera", "cuarta", "quinta"],
        "DATE": ["el 15", "el lunes", "a fin de mes", "el viernes", "el día 5"],
    },
    "en": {
        "WAIT": ["half an hour", "forty minutes", "almost an hour", "over twenty minutes", "45 minutes"],
        "DAYS": ["three days", "a week", "ten days", "two weeks", "five days"],
        "NTH": ["third", "fourth", "fifth"],
        "DATE": ["on the 15th", "on Monday", "at the end of the month", "on Friday", "by the 5th"],
    },
}

# Regional interjections a customer line may pick up (prefix or suffix).
ES_TICS = {
    "es-MX": (["oiga,", "mire,", "a ver,"], []),
    "es-AR": (["che,", "mirá,", "escuchame,"], [", viste"]),
    "es-CO": (["vea,", "oiga,"], [", pues", " pues"]),
    "es-CL": (["oiga,", "mire,"], [" po", ", cachai"]),
    "es-PE": (["oiga,", "ya,"], [" pe", ", ya pues"]),
    "es-ES": (["oye,", "mira,", "vamos a ver,"], [", vale", ", ¿eh?"]),
}

FILLERS = {
    "es": ["eh", "este", "o sea", "mmm", "bueno", "a ver", "eh bueno", "mire"],
    "en": ["uh", "um", "like", "so", "well", "you know", "uh so", "okay so"],
}
AGENT_FILLERS = {"es": ["eh", "bueno", "a ver", "mmm", "este"], "en": ["okay", "alright", "so", "um", "uh"]}
MID_FILLERS = {"es": ["eh", "este", "o sea", "mmm"], "en": ["uh", "um", "like", "you know"]}

CHAT_ABBR = {
    "es": [(r"\bque\b", "q"), (r"\bporque\b", "xq"), (r"\bpor qué\b", "xq"), (r"\bpor favor\b", "porfa"),
           (r"\btambién\b", "tmb"), (r"\bgracias\b", "grax"), (r"\bpor\b", "x"), (r"\bestá\b", "esta"),
           (r"\bmensaje\b", "msj"), (r"\bnada\b", "nd"), (r"\bdías\b", "dias"), (r"\bmás\b", "mas")],
    "en": [(r"\bplease\b", "pls"), (r"\bthanks\b", "thx"), (r"\byou\b", "u"), (r"\bare\b", "r"),
           (r"\bbecause\b", "bc"), (r"\bI don't know\b", "idk"), (r"\bto be honest\b", "tbh"),
           (r"\bokay\b", "ok"), (r"\bright now\b", "rn"), (r"\bI'm\b", "im"), (r"\bdon't\b", "dont"),
           (r"\bcan't\b", "cant"), (r"\bwhat\b", "wat")],
}
EMOJI = {
    "anger": ["😡", "😤", "🤬"], "sadness": ["😞", "😔", "😢"], "fear": ["😟", "😰"],
    "confusion": ["🤔", "😕"], "joy": ["😊", "🙌", "😃"], "gratitude": ["🙏", "😊", "❤️"],
    "neutral": ["🙂"], "sarcasm": ["🙃", "👏"],
}
EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]")


# ---------------------------------------------------------------- templates
def load_templates(path, lang):
    out = []
    header = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or (line.startswith("#") and not line.startswith("##")):
                continue
            if line.startswith("##"):
                parts = line[2:].split()
                if len(parts) not in (6, 7):
                    sys.exit(f"{path}:{n}: bad header {line!r}")
                hl, val, emo, hard, spk, doms = parts[:6]
                var = parts[6] if len(parts) == 7 else "*"
                if hl != lang:
                    sys.exit(f"{path}:{n}: header language {hl} in {lang} file")
                header = {
                    "valence": int(val), "emotion": emo, "hard_case": None if hard == "-" else hard,
                    "speaker": spk, "domains": DOMAINS if doms == "*" else doms.split(","),
                    "variant": None if var == "*" else var,
                }
                check_labels(header, f"{path}:{n}")
                continue
            if header is None:
                sys.exit(f"{path}:{n}: template before any header")
            channel = None
            m = re.match(r"^@(call|chat)\s+", line)
            if m:
                channel, line = m.group(1), line[m.end():]
            out.append(dict(header, template=line, channel=channel, tid=f"{lang}:{os.path.basename(path)}:{n}"))
    return out


def check_labels(h, where):
    ok = (h["valence"] in VALENCES and h["emotion"] in EMOTIONS and h["hard_case"] in HARD
          and h["speaker"] in SPEAKERS and all(d in DOMAINS for d in h["domains"]))
    if not ok:
        sys.exit(f"{where}: bad labels {h}")


ALT_RE = re.compile(r"\{([^{}]*)\}")
SLOT_RE = re.compile(r"<([A-Z_]+)>")


def fill(template, lang, variant, rng):
    text = ALT_RE.sub(lambda m: rng.choice(m.group(1).split("|")), template)

    def slot(m):
        name = m.group(1)
        pool = SLOTS[variant].get(name) or COMMON[lang].get(name)
        if pool is None:
            raise KeyError(f"slot {name} not defined for {variant}")
        return rng.choice(pool)

    return SLOT_RE.sub(slot, text)


# ---------------------------------------------------------------- styles
def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn" or c == "\u0303")


def call_style(text, lang, speaker, rng):
    t = EMOJI_RE.sub("", text)
    words = t.split()
    # mid-sentence filler after a comma
    if len(words) > 6 and rng.random() < 0.3:
        commas = [i for i, w in enumerate(words[:-1]) if w.endswith(",")]
        if commas:
            i = rng.choice(commas)
            words.insert(i + 1, rng.choice(MID_FILLERS[lang]))
    t = " ".join(words)
    if rng.random() < (0.4 if speaker == "customer" else 0.2):
        t = rng.choice(FILLERS[lang] if speaker == "customer" else AGENT_FILLERS[lang]) + " " + t
    t = t.lower()
    t = re.sub(r"[¿¡?!.,;:\"“”()…]", " ", t)
    t = re.sub(r"(?<!\w)'|'(?!\w)", " ", t)
    words = t.split()
    # ASR-like stutter on a short word
    if len(words) > 4 and rng.random() < 0.12:
        i = rng.randrange(len(words) - 1)
        if len(words[i]) <= 4:
            words.insert(i, words[i])
    return " ".join(words)


def typo(word, rng):
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def chat_style(text, lang, speaker, emotion, hard, rng):
    t = text
    casual = speaker == "customer"
    if casual:
        for pat, rep in CHAT_ABBR[lang]:
            if re.search(pat, t, flags=re.I) and rng.random() < 0.35:
                t = re.sub(pat, rep, t, flags=re.I)
        if lang == "es" and rng.random() < 0.6:
            t = t.replace("¿", "").replace("¡", "")
        if rng.random() < 0.35:
            t = strip_accents(t)
        if rng.random() < 0.45:
            t = t[:1].lower() + t[1:]
        if rng.random() < 0.3:
            t = t.rstrip(".")
        if rng.random() < 0.25:
            ws = t.split()
            j = rng.randrange(len(ws))
            ws[j] = typo(ws[j], rng)
            t = " ".join(ws)
        if not EMOJI_RE.search(t) and rng.random() < 0.22:
            key = "sarcasm" if hard == "sarcasm" else emotion
            if key != "neutral" or rng.random() < 0.3:
                t = t + " " + rng.choice(EMOJI[key])
        if emotion == "anger" and hard not in ("polite_anger", "sarcasm") and rng.random() < 0.12:
            t = t.upper()
    else:
        if text and text[0].islower():
            t = t[0].upper() + t[1:]
        if rng.random() < 0.04:
            ws = t.split()
            j = rng.randrange(len(ws))
            ws[j] = typo(ws[j], rng)
            t = " ".join(ws)
    return re.sub(r"\s+", " ", t).strip()


def add_tic(text, variant, rng):
    pre, suf = ES_TICS[variant]
    r = rng.random()
    if r < 0.12 and pre:
        return rng.choice(pre) + " " + text[:1].lower() + text[1:]
    if r < 0.22 and suf:
        m = re.match(r"^(.*?)([.!?]*)$", text, flags=re.S)
        return m.group(1) + rng.choice(suf) + m.group(2)
    return text


# ---------------------------------------------------------------- generation
def norm_key(text):
    t = strip_accents(EMOJI_RE.sub("", text.lower()))
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.split())


FILLER_WORDS = {"eh", "este", "mmm", "bueno", "uh", "um", "like", "so", "well", "o", "sea", "a", "ver", "mire",
                "you", "know", "okay", "oiga", "che", "po", "pe", "pues", "vale", "mira", "oye"}


def content_words(text):
    return frozenset(w for w in norm_key(text).split() if w not in FILLER_WORDS)


def generate():
    rng = random.Random(SEED)
    records = []
    seen = set()
    for lang in ("es", "en"):
        tpls = load_templates(os.path.join(HERE, f"templates_{lang}.txt"), lang)
        by_val = defaultdict(list)
        for t in tpls:
            by_val[t["valence"]].append(t)
        for val in (-1, 0, 1):
            group = by_val[val]
            target = TARGET[lang] * SHARE[val]
            k = min(MAX_PER_TEMPLATE, max(1, math.ceil(target / max(1, len(group)))))
            # split by template: shuffle within the stratum, sorted by emotion/hard case first so
            # every emotion and hard case gets dev templates, then every DEV_EVERY-th goes to dev
            order = sorted(group, key=lambda t: (t["emotion"], t["hard_case"] or "", t["speaker"], t["tid"]))
            offset = rng.randrange(DEV_EVERY)
            for i, t in enumerate(order):
                split = "dev" if (i + offset) % DEV_EVERY == 0 else "train"
                made = 0
                tries = 0
                while made < k and tries < k * 12:
                    tries += 1
                    r = realize(t, lang, rng)
                    key = norm_key(r["text"])
                    if key in seen or not key:
                        continue
                    seen.add(key)
                    r["split"] = split
                    r["_tid"] = t["tid"]
                    records.append(r)
                    made += 1
    return records, seen


def generate_extra(seen):
    """Train-only extra templates: one line per fixed-channel template, else one call + one chat line."""
    rng = random.Random(EXTRA_SEED)
    records = []
    for lang in ("es", "en"):
        path = os.path.join(HERE, EXTRA_FILES[lang])
        if not os.path.exists(path):
            continue
        for t in load_templates(path, lang):
            channels = [t["channel"]] if t["channel"] else ["call", "chat"]
            for ch in channels:
                for _ in range(12):
                    r = realize(t, lang, rng, channel=ch)
                    key = norm_key(r["text"])
                    if key and key not in seen:
                        break
                else:
                    continue  # every rendering collides with an existing line: nothing new to add
                seen.add(key)
                r["split"] = "train"
                r["_tid"] = t["tid"]
                r["_extra"] = True
                records.append(r)
    return records


DOMAIN_CUES = [
    ("utilities", r"\b(luz|agua|gas|medidor|avería|electric|water|power|oxígeno|oxygen)\b"),
    ("insurance", r"\b(póliza|siniestro|seguro|aseguradora|cobertura|grúa|cubr\w*|claim|premium|insurance|covered|cover|surgery|operación)\b"),
    ("collections", r"\b(deuda|convenio|cobranza|buró|embarg\w*|cuotas?|debt|collections|payment plan|repossess|credit report|late fees)\b"),
    ("ecommerce", r"\b(pedido|paquete|envío|entrega\w*|domicilio|regalo|talla|order|package|delivered|shipping|ships|return|size|present)\b"),
    ("telecom", r"\b(internet|línea|módem|fibra|señal|plan|datos|técnico|móvil|celular|broadband|router|outage|technician|megs|mobile)\b"),
    ("banking", r"\b(tarjeta|transferencia|cajero|banco|app|sucursal|clave|homebanking|pin|card|transfer|branch|overdraft|bank|account)\b"),
]


def infer_domain(text, allowed, rng):
    """A template written for any domain gets the domain its filled text talks about, else a random one."""
    low = text.lower()
    for dom, pat in DOMAIN_CUES:
        if dom in allowed and re.search(pat, low):
            return dom
    return rng.choice(allowed)


def realize(t, lang, rng, channel=None):
    if t["variant"]:
        variant = t["variant"]
    elif lang == "es":
        variant = rng.choices(ES_VARIANTS, ES_WEIGHTS)[0]
    else:
        variant = rng.choices(EN_VARIANTS, EN_WEIGHTS)[0]
    channel = channel or ("call" if rng.random() < 0.47 else "chat")
    domain = None
    text = fill(t["template"], lang, variant, rng)
    if domain is None:
        domain = infer_domain(text, t["domains"], rng)
    if lang == "es" and t["speaker"] == "customer" and not t["variant"]:
        text = add_tic(text, variant, rng)
    if channel == "call":
        text = call_style(text, lang, t["speaker"], rng)
    else:
        text = chat_style(text, lang, t["speaker"], t["emotion"], t["hard_case"], rng)
    return {
        "text": text, "lang": lang, "valence": t["valence"], "emotion": t["emotion"],
        "speaker": t["speaker"], "channel": channel, "domain": domain, "variant": variant,
        "split": None, "hard_case": t["hard_case"],
    }


# ---------------------------------------------------------------- validation
FIELDS = ["text", "lang", "valence", "emotion", "speaker", "channel", "domain", "variant", "split", "hard_case"]


def validate(train, dev):
    errors = []
    for split, rows in (("train", train), ("dev", dev)):
        for i, r in enumerate(rows):
            if list(r.keys()) != FIELDS:
                errors.append(f"{split}:{i + 1}: fields {list(r.keys())}")
            if not isinstance(r["text"], str) or not r["text"].strip():
                errors.append(f"{split}:{i + 1}: empty text")
            if r["lang"] not in LANGS or r["valence"] not in VALENCES or r["emotion"] not in EMOTIONS:
                errors.append(f"{split}:{i + 1}: bad lang/valence/emotion")
            if r["speaker"] not in SPEAKERS or r["channel"] not in CHANNELS or r["domain"] not in DOMAINS:
                errors.append(f"{split}:{i + 1}: bad speaker/channel/domain")
            if r["hard_case"] not in HARD or r["split"] != split:
                errors.append(f"{split}:{i + 1}: bad hard_case/split")
            if r["variant"] not in ES_VARIANTS + EN_VARIANTS or not r["variant"].startswith(r["lang"] + "-"):
                errors.append(f"{split}:{i + 1}: bad variant")
            if r["valence"] == 1 and r["emotion"] not in ("joy", "gratitude"):
                errors.append(f"{split}:{i + 1}: positive line with emotion {r['emotion']}")
            if r["valence"] == -1 and r["emotion"] not in ("anger", "sadness", "fear", "confusion"):
                errors.append(f"{split}:{i + 1}: negative line with emotion {r['emotion']}")
            if r["valence"] == 0 and r["emotion"] not in ("neutral", "confusion"):
                errors.append(f"{split}:{i + 1}: neutral line with emotion {r['emotion']}")
    # no exact or near-duplicate text across the split
    train_keys = {norm_key(r["text"]) for r in train}
    train_sets = [content_words(r["text"]) for r in train]
    for r in dev:
        if norm_key(r["text"]) in train_keys:
            errors.append(f"dev text also in train: {r['text']!r}")
        cw = content_words(r["text"])
        for s in train_sets:
            if cw and s and len(cw & s) / len(cw | s) >= 0.8:
                errors.append(f"dev text near-duplicates a train text: {r['text']!r}")
                break
    all_rows = train + dev
    n_es = sum(r["lang"] == "es" for r in all_rows)
    n_en = sum(r["lang"] == "en" for r in all_rows)
    hard = sum(r["hard_case"] is not None for r in all_rows)
    if len(all_rows) < 2000 or n_es < 1400 or n_en < 600:
        errors.append(f"too few lines: total {len(all_rows)}, es {n_es}, en {n_en}")
    if hard < 0.15 * len(all_rows):
        errors.append(f"hard cases {hard} below 15%")
    return errors


def check_extras(extras, records):
    """Every extra (train-only) line against every dev line: exact and near-duplicate are errors.
    Near-duplicates of a main train line are only reported (they add little but harm nothing)."""
    errors, close = [], []
    dev = [(r["text"], norm_key(r["text"]), content_words(r["text"])) for r in records if r["split"] == "dev"]
    main_train = [content_words(r["text"]) for r in records if r["split"] == "train"]
    for r in extras:
        key, cw = norm_key(r["text"]), content_words(r["text"])
        for text, dkey, dcw in dev:
            if key == dkey or (cw and dcw and len(cw & dcw) / len(cw | dcw) >= 0.8):
                errors.append(f"extra {r['_tid']} near-duplicates dev: {r['text']!r} ~ {text!r}")
                break
        if any(cw and s and len(cw & s) / len(cw | s) >= 0.8 for s in main_train):
            close.append(f"{r['_tid']}: {r['text']!r}")
    return errors, close


def drop_near_dups(records):
    """Removes dev lines that near-duplicate a train line (short generic lines from different templates)."""
    train = [r for r in records if r["split"] == "train"]
    keys = {norm_key(r["text"]) for r in train}
    sets = [content_words(r["text"]) for r in train]
    kept, dropped = [], 0
    for r in records:
        if r["split"] == "dev":
            cw = content_words(r["text"])
            if norm_key(r["text"]) in keys or any(cw and s and len(cw & s) / len(cw | s) >= 0.8 for s in sets):
                dropped += 1
                continue
        kept.append(r)
    return kept, dropped


# ---------------------------------------------------------------- counts and README
def table(rows, key, cols=("train", "dev")):
    c = Counter((key(r), r["split"]) for r in rows)
    vals = sorted({k for k, _ in c}, key=lambda v: (str(type(v)), v))
    lines = ["| value | " + " | ".join(cols) + " | total |", "|---|" + "---|" * (len(cols) + 1)]
    for v in vals:
        nums = [c[(v, s)] for s in cols]
        lines.append(f"| {v} | " + " | ".join(str(n) for n in nums) + f" | {sum(nums)} |")
    nums = [sum(c[(v, s)] for v in vals) for s in cols]
    lines.append("| **all** | " + " | ".join(str(n) for n in nums) + f" | {sum(nums)} |")
    return "\n".join(lines)


def counts_markdown(rows, n_templates, n_dropped):
    tpl_split = Counter()
    seen = set()
    for r in rows:
        if r["_tid"] not in seen and not r.get("_extra"):
            seen.add(r["_tid"])
            tpl_split[(r["lang"], r["split"])] += 1
    parts = [
        f"Templates used: es train {tpl_split[('es', 'train')]}, es dev {tpl_split[('es', 'dev')]}, "
        f"en train {tpl_split[('en', 'train')]}, en dev {tpl_split[('en', 'dev')]} "
        f"(of {n_templates} main templates written; the extra sentences above are all train). Dev lines dropped as near-duplicates of train lines: {n_dropped}.",
        "", "### Language x valence", "", table(rows, lambda r: f"{r['lang']} {r['valence']:+d}"),
        "", "### Language", "", table(rows, lambda r: r["lang"]),
        "", "### Variant", "", table(rows, lambda r: r["variant"]),
        "", "### Valence", "", table(rows, lambda r: f"{r['valence']:+d}"),
        "", "### Emotion", "", table(rows, lambda r: r["emotion"]),
        "", "### Valence x emotion", "", table(rows, lambda r: f"{r['valence']:+d} {r['emotion']}"),
        "", "### Hard case", "", table(rows, lambda r: r["hard_case"] or "(none)"),
        "", "### Speaker", "", table(rows, lambda r: r["speaker"]),
        "", "### Channel", "", table(rows, lambda r: r["channel"]),
        "", "### Domain", "", table(rows, lambda r: r["domain"]),
    ]
    return "\n".join(parts)


def extra_markdown(extras, close):
    tpls = {}
    for r in extras:
        tpls.setdefault(r["_tid"], r)
    n_es = sum(r["lang"] == "es" for r in tpls.values())
    n_en = sum(r["lang"] == "en" for r in tpls.values())
    sub = [dict(r, split="train") for r in tpls.values()]
    return "\n".join([
        f"Extra train-only sentences (`templates_extra_*.txt`): {len(tpls)} hand-written sentences "
        f"(es {n_es}, en {n_en}) giving {len(extras)} train lines; {len(close)} of those lines are close "
        f"(Jaccard >= 0.8) to a main train line, none to a dev line (checked).",
        "", "Extra sentences (one count per sentence, not per rendered line), language x valence x emotion:", "",
        table(sub, lambda r: f"{r['lang']} {r['valence']:+d} {r['emotion']}", cols=("train",)),
        "", "Extra sentences by hard case:", "", table(sub, lambda r: r["hard_case"] or "(none)", cols=("train",)),
        "", "Extra sentences by speaker:", "", table(sub, lambda r: r["speaker"], cols=("train",)),
        "", "Extra sentences by variant:", "", table(sub, lambda r: r["variant"], cols=("train",)),
        "", "Extra sentences by domain:", "", table(sub, lambda r: r["domain"], cols=("train",)),
    ])


def main():
    records, seen = generate()
    all_tpls = [t for lang in ("es", "en") for t in load_templates(os.path.join(HERE, f"templates_{lang}.txt"), lang)]
    n_templates = len(all_tpls)
    n_slotted = sum(1 for t in all_tpls if ALT_RE.search(t["template"]) or SLOT_RE.search(t["template"]))
    n_locked = sum(1 for t in all_tpls if t["variant"])
    records, dropped = drop_near_dups(records)
    # extras come after the split and the dev filtering: they can never move or drop a dev line
    extras = generate_extra(seen)
    extra_errors, extra_close = check_extras(extras, records)
    records = records + extras
    train = [{k: r[k] for k in FIELDS} for r in records if r["split"] == "train"]
    dev = [{k: r[k] for k in FIELDS} for r in records if r["split"] == "dev"]
    errors = extra_errors + validate(train, dev)
    for name, rows in (("train.jsonl", train), ("dev.jsonl", dev)):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # re-read what was written: every line must parse
    reread = {}
    for name in ("train.jsonl", "dev.jsonl"):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            reread[name] = [json.loads(line) for line in f]
    assert reread["train.jsonl"] == train and reread["dev.jsonl"] == dev
    counts = (f"Hand-written templates: {n_templates} "
              f"(es {sum(t['tid'].startswith('es') for t in all_tpls)}, en {sum(t['tid'].startswith('en') for t in all_tpls)}); "
              f"{n_slotted} with alternatives or regional slots, {n_templates - n_slotted} fixed sentences "
              f"(their lines differ only by interjections, fillers, call/chat rendering, typos); "
              f"{n_locked} written for one regional variant.\n\n" + extra_markdown(extras, extra_close) + "\n\n"
              + counts_markdown(records, n_templates, dropped))
    with open(os.path.join(HERE, "README.template.md"), encoding="utf-8") as f:
        readme = f.read().replace("{{COUNTS}}", counts)
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme)
    print(counts)
    if errors:
        print(f"\n{len(errors)} validation errors:", file=sys.stderr)
        for e in errors[:40]:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print(f"\nOK: {len(train)} train + {len(dev)} dev lines validated")


if __name__ == "__main__":
    main()
