"""Builds privacy-testset.jsonl from the hand-written utterances in utterances_*.txt.

Line format: `LANG STYLE [tags] | text`, e.g. `es call | mi dni es {dni_es:dots} gracias`.
In the text, `{kind:render}` is a generated value (values.py: valid check digits, seeded) written the way `render`
says, and `[[type|text]]` is a value written out by hand. Everything else is text that must stay as it is. The output
has one JSON object per utterance: id, lang, style, tags, text and the expected spans (start, end, type).
Run: python3 build_testset.py  (deterministic; rewrites privacy-testset.jsonl).
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import values as v  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ["juan.perez", "maria_lopez", "carlos.gomez85", "ana.rodriguez", "lucia.fernandez", "pedro.sanchez", "sofia.ramirez",
         "diego_torres", "valentina.rojas", "mateo.vargas", "camila.castro", "jorge.herrera22", "paula.mendez", "andres.silva",
         "john.smith", "emily.jones", "mike_brown", "sarah.wilson", "david.taylor79", "laura.martin", "kevin.lee", "rachel.green"]
DOMAINS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.es", "yahoo.com.mx", "live.com.ar", "correo.cl", "movistar.es",
           "telefonica.net", "gmail.com", "icloud.com", "protonmail.com", "empresa.com.co", "uol.com.pe"]

TYPE_OF = {
    "card": "card", "card_visa": "card", "card_amex": "card", "card_mc": "card",
    "iban_es": "iban", "iban_gb": "iban", "iban_de": "iban", "iban_fr": "iban", "iban_pt": "iban", "iban_it": "iban", "iban_nl": "iban",
    "cbu": "account", "cvu": "account", "clabe": "account", "ccc": "account",
    "dni_es": "id", "nie": "id", "dni_ar": "id", "cuit": "id", "cuil": "id", "rut": "id", "curp": "id", "rfc": "id",
    "cedula_co": "id", "dni_pe": "id", "ssn": "id",
    "email": "email",
}


def gen(kind):
    if kind.startswith("phone_"):
        return v.phone(kind[6:])
    return {
        "card": v.card, "card_visa": lambda: v.card("visa"), "card_amex": lambda: v.card("amex"), "card_mc": lambda: v.card("mc"),
        "iban_es": lambda: v.iban("ES"), "iban_gb": lambda: v.iban("GB"), "iban_de": lambda: v.iban("DE"),
        "iban_fr": lambda: v.iban("FR"), "iban_pt": lambda: v.iban("PT"), "iban_it": lambda: v.iban("IT"), "iban_nl": lambda: v.iban("NL"),
        "cbu": v.cbu, "cvu": lambda: v.cbu(cvu=True), "clabe": v.clabe, "ccc": v.ccc,
        "dni_es": v.dni_es, "nie": v.nie, "dni_ar": v.dni_ar, "cuit": v.cuit, "cuil": lambda: v.cuit(v.R.choice(["20", "27", "23"])),
        "rut": lambda: "".join(v.rut()), "curp": v.curp, "rfc": v.rfc, "cedula_co": v.cedula_co, "dni_pe": v.dni_pe, "ssn": v.ssn,
        "email": lambda: v.R.choice(NAMES) + "@" + v.R.choice(DOMAINS),
    }[kind]()


def render(kind, value, how):
    s = value
    if kind == "email":
        local, domain = s.split("@")
        if how == "plain":
            return s
        if how == "upper":
            return s.upper()
        if how == "es":
            lp = local.replace(".", " punto ").replace("_", " guion bajo ")
            lp = re.sub(r"(\d+)", lambda m: " ".join(v.ES_DIGITS[int(c)] for c in m.group(1)), lp)
            return lp + " arroba " + domain.replace(".", " punto ")
        if how == "esmix":
            return local + " arroba " + domain
        if how == "en":
            lp = local.replace(".", " dot ").replace("_", " underscore ")
            lp = re.sub(r"(\d+)", lambda m: " ".join(v.EN_DIGITS[int(c)] for c in m.group(1)), lp)
            return lp + " at " + domain.replace(".", " dot ")
        raise ValueError(how)
    if kind.startswith("phone_"):
        c = kind[6:]
        cc = v.COUNTRY_CODE[c]
        fmt = {
            "es": lambda x: v.groups(x, [3, 3, 3]) if x[0] in "67" else v.groups(x, [2, 3, 2, 2]),
            "ar": lambda x: v.groups(x, [2, 4, 4]) if how != "dash" else x[:2] + " " + x[2:6] + "-" + x[6:],
            "mx": lambda x: v.groups(x, [2, 4, 4]),
            "co": lambda x: v.groups(x, [3, 3, 4]),
            "cl": lambda x: v.groups(x, [1, 4, 4]),
            "pe": lambda x: v.groups(x, [3, 3, 3]),
            "us": lambda x: f"({x[:3]}) {x[3:6]}-{x[6:]}" if how == "paren" else v.groups(x, [3, 3, 4], "-" if how == "dash" else "." if how == "dots" else " "),
            "uk": lambda x: v.groups(x, [5, 6]),
        }[c]
        if how == "plain":
            return s
        if how in ("fmt", "paren", "dash", "dots"):
            return fmt(s)
        if how == "intl":
            if c == "ar":
                return f"+54 9 {v.groups(s, [2, 4, 4])}"
            if c == "uk":
                return f"+44 {v.groups(s[1:], [4, 6])}"
            return f"+{cc} {fmt(s)}"
        if how == "intl00":
            return f"00{cc} {s if c != 'uk' else s[1:]}"
        if how == "intlplain":
            return f"+{cc}{s if c != 'uk' else s[1:]}"
        if how == "mobile15":  # Argentina: 15 + subscriber, local area implied
            return "15 " + s[2:6] + "-" + s[6:]
        if how == "es":
            return v.spell_es(s)
        if how == "es2":
            return v.spell_es(s, "pairs")
        if how == "esdoble":
            return v.spell_es(s, "doble")
        if how == "esg":  # grouped with commas, the way agents read back
            g = fmt(s).split(" ")
            return ", ".join(v.spell_es(x) for x in g)
        if how == "en":
            return v.spell_en(s)
        if how == "enoh":
            return v.spell_en(s, "oh")
        if how == "endouble":
            return v.spell_en(s, "double")
        if how == "en2":
            return v.spell_en(s, "pairs")
        if how == "eng":
            g = fmt(s).replace("(", "").replace(")", "").replace("-", " ").split(" ")
            return ", ".join(v.spell_en(x, "oh") for x in g)
        raise ValueError(how)
    if how == "plain":
        return s
    if how == "lower":
        return s.lower()
    if how == "g4":
        if kind == "card_amex" or (kind.startswith("card") and len(s) == 15):
            return v.groups(s, [4, 6, 5])
        return v.groups(s, [4] * 9)
    if how == "g4dash":
        return v.groups(s, [4] * 9, "-")
    if how == "es":
        return v.spell_es(s)
    if how == "es2":
        return v.spell_es(s, "pairs")
    if how == "esg":
        return ", ".join(v.spell_es(x) for x in v.groups(s, [4] * 9).split(" "))
    if how == "esg2":  # groups of four read as two pairs
        return ", ".join(v.spell_es(x, "pairs") for x in v.groups(s, [4] * 9).split(" "))
    if how == "en":
        return v.spell_en(s)
    if how == "enoh":
        return v.spell_en(s, "oh")
    if how == "en2":
        return v.spell_en(s, "pairs")
    if how == "eng":
        return ", ".join(v.spell_en(x, "oh") for x in v.groups(s, [4] * 9).split(" "))
    if how == "dash":
        if kind in ("dni_es", "nie"):
            return s[:-1] + "-" + s[-1]
        if kind in ("cuit", "cuil"):
            return f"{s[:2]}-{s[2:10]}-{s[10]}"
        if kind == "rut":
            return s[:-1] + "-" + s[-1]
        if kind == "ssn":
            return f"{s[:3]}-{s[3:5]}-{s[5:]}"
        if kind == "cbu":
            return s[:8] + "-" + s[8:]
        return v.groups(s, [4] * 9, "-")
    if how == "space":
        if kind == "ssn":
            return f"{s[:3]} {s[3:5]} {s[5:]}"
        if kind in ("dni_es", "nie"):
            return s[:-1] + " " + s[-1]
        return v.groups(s, [4] * 9)
    if how == "dots":
        body, tail = (s[:-1], s[-1]) if kind in ("dni_es", "rut") else (s, "")
        rev = body[::-1]
        grouped = ".".join(rev[i:i + 3] for i in range(0, len(rev), 3))[::-1]
        return grouped + ("-" + tail if tail else "")
    if how == "escard":  # the number read as one cardinal (Chile and Argentina read ids this way)
        if kind in ("dni_es", "nie"):
            return v.es_cardinal(int(s[:-1].lstrip("XYZ"))) + " letra " + v.ES_LETTERS[s[-1]]
        if kind == "rut":
            return v.es_cardinal(int(s[:-1])) + " guion " + (v.ES_LETTERS["K"] if s[-1] == "K" else v.ES_DIGITS[int(s[-1])])
        return v.es_cardinal(int(s))
    if how == "esdash":  # digits one by one, "guion" before the check character
        return v.spell_es(s[:-1]) + " guion " + (v.ES_LETTERS["K"] if s[-1] == "K" else v.spell_es(s[-1]))
    raise ValueError(f"{kind}:{how}")


MARK = re.compile(r"\{([a-z_]+):([a-z0-9]+)\}|\[\[([a-z]+)\|([^\]]+)\]\]")


def build_line(text):
    out, spans, pos = [], [], 0
    for m in MARK.finditer(text):
        out.append(text[pos:m.start()])
        start = sum(len(x) for x in out)
        if m.group(1):
            kind, how = m.group(1), m.group(2)
            value = gen(kind)
            piece = render(kind, value, how)
            typ = "phone" if kind.startswith("phone_") else TYPE_OF[kind]
        else:
            typ, piece = m.group(3), m.group(4)
        out.append(piece)
        spans.append({"start": start, "end": start + len(piece), "type": typ})
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def build(folder, out_name):
    rows = []
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("utterances_") and name.endswith(".txt")):
            continue
        n = 0
        for raw in open(os.path.join(folder, name), encoding="utf-8"):
            raw = raw.rstrip("\n")
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            head, _, body = raw.partition(" | ")
            parts = head.split()
            lang, style, tags = parts[0], parts[1], parts[2:]
            text, spans = build_line(body)
            n += 1
            rows.append({"id": f"{name[11:-4]}-{n:03d}", "lang": lang, "style": style, "tags": tags, "text": text, "spans": spans})
    with open(os.path.join(folder, out_name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    types = {}
    for r in rows:
        for s in r["spans"]:
            types[s["type"]] = types.get(s["type"], 0) + 1
    clean = sum(1 for r in rows if not r["spans"])
    print(f"{out_name}: {len(rows)} utterances, {clean} without personal data; spans per type: {dict(sorted(types.items()))}")


def main():
    build(HERE, "privacy-testset.jsonl")
    # Written by an independent writer who never saw the redactor (independent/README.md); only hand-written values.
    build(os.path.join(HERE, "independent"), "privacy-independent.jsonl")


if __name__ == "__main__":
    main()
