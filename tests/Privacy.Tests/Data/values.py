"""Valid synthetic identifiers and their spoken and written renderings, for the privacy test set.

Every number here is generated (seeded) and checked with its country's check-digit rule; none belongs to a person.
build_testset.py fills the hand-written utterances in utterances_*.txt with them.
"""
import random
import string

R = random.Random(20241128)

ES_DIGITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ES_LETTERS = {"A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "efe", "G": "ge", "H": "hache", "I": "i", "J": "jota",
              "K": "ka", "L": "ele", "M": "eme", "N": "ene", "O": "o", "P": "pe", "Q": "cu", "R": "erre", "S": "ese", "T": "te",
              "U": "u", "V": "uve", "W": "uve doble", "X": "equis", "Y": "i griega", "Z": "zeta"}


def digits(n, first=None):
    s = (first or str(R.randint(1, 9))) + "".join(str(R.randint(0, 9)) for _ in range(n - len(first or "x")))
    return s[:n] if first is None or len(first) <= n else first[:n]


def luhn_complete(prefix, length):
    body = prefix + "".join(str(R.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    for d in range(10):
        s = body + str(d)
        total = 0
        for i, c in enumerate(reversed(s)):
            v = int(c)
            if i % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        if total % 10 == 0:
            return s
    raise AssertionError


def card(kind=None):
    kind = kind or R.choice(["visa", "visa", "mc", "mc", "amex", "discover"])
    if kind == "visa":
        return luhn_complete("4" + str(R.randint(0, 9)), 16)
    if kind == "mc":
        return luhn_complete(str(R.randint(51, 55)), 16)
    if kind == "amex":
        return luhn_complete(R.choice(["34", "37"]), 15)
    return luhn_complete("6011", 16)


def iban(country="ES"):
    lengths = {"ES": 24, "GB": 22, "DE": 22, "FR": 27, "PT": 25, "IT": 27, "NL": 18}
    n = lengths[country]
    if country == "GB":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(str(R.randint(0, 9)) for _ in range(14))
    elif country == "NL":
        bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(str(R.randint(0, 9)) for _ in range(10))
    elif country == "IT":
        bban = R.choice(string.ascii_uppercase) + "".join(str(R.randint(0, 9)) for _ in range(22))
    else:
        bban = "".join(str(R.randint(0, 9)) for _ in range(n - 4))
    rearranged = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - num % 97
    return f"{country}{check:02d}{bban}"


def _cbu_digit(ds, weights):
    s = sum(int(d) * w for d, w in zip(ds, weights))
    return str((10 - s % 10) % 10)


def cbu(cvu=False):
    bank = "000" if cvu else R.choice(["011", "007", "017", "072", "285", "150", "191"])
    branch = "0000" if cvu else "".join(str(R.randint(0, 9)) for _ in range(4))
    b1 = bank + branch
    b1 += _cbu_digit(b1, [7, 1, 3, 9, 7, 1, 3])
    acct = "".join(str(R.randint(0, 9)) for _ in range(13))
    b2 = acct + _cbu_digit(acct, [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3])
    return b1 + b2


def clabe():
    bank = R.choice(["002", "012", "014", "021", "030", "036", "044", "072", "127", "137"])
    body = bank + "".join(str(R.randint(0, 9)) for _ in range(14))
    w = [3, 7, 1]
    s = sum(int(d) * w[i % 3] % 10 for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


def ccc():
    ent = "".join(str(R.randint(0, 9)) for _ in range(4))
    ofi = "".join(str(R.randint(0, 9)) for _ in range(4))
    acc = "".join(str(R.randint(0, 9)) for _ in range(10))
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def dc(ds):
        r = 11 - sum(int(d) * x for d, x in zip(ds, w)) % 11
        return 0 if r == 11 else 1 if r == 10 else r
    return ent + ofi + str(dc("00" + ent + ofi)) + str(dc(acc)) + acc


LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_es():
    n = R.randint(10000000, 79999999)
    return f"{n:08d}{LETTERS[n % 23]}"


def nie():
    p = R.choice("XYZ")
    n = R.randint(1000000, 9999999)
    v = int(str("XYZ".index(p)) + f"{n:07d}")
    return f"{p}{n:07d}{LETTERS[v % 23]}"


def dni_ar():
    return str(R.randint(18000000, 45999999))


def cuit(prefix=None):
    while True:
        p = prefix or R.choice(["20", "27", "23", "30"])
        body = p + dni_ar()
        w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        r = 11 - sum(int(d) * x for d, x in zip(body, w)) % 11
        if r == 11:
            r = 0
        if r == 10:
            continue
        return body + str(r)


def rut():
    body = str(R.randint(6000000, 26999999))
    s, w = 0, 2
    for c in reversed(body):
        s += int(c) * w
        w = 2 if w == 7 else w + 1
    r = 11 - s % 11
    return body, ("0" if r == 11 else "K" if r == 10 else str(r))


CURP_STATES = ["AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS", "NT",
               "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS"]
CONS = "BCDFGHJKLMNPQRSTVWXZ"
VOW = "AEIOU"


def curp():
    first = R.choice(CONS) + R.choice(VOW) + R.choice(string.ascii_uppercase) + R.choice(string.ascii_uppercase)
    yy, mm, dd = R.randint(50, 99) if R.random() < 0.6 else R.randint(0, 6), R.randint(1, 12), R.randint(1, 28)
    s = f"{first}{yy:02d}{mm:02d}{dd:02d}{R.choice('HM')}{R.choice(CURP_STATES)}{R.choice(CONS)}{R.choice(CONS)}{R.choice(CONS)}"
    s += "0" if yy >= 50 else "A"
    alphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    total = sum(alphabet.index(c) * (18 - i) for i, c in enumerate(s))
    return s + str((10 - total % 10) % 10)


def rfc():
    c = curp()
    return c[:10] + "".join(R.choice(string.ascii_uppercase + string.digits) for _ in range(2)) + str(R.randint(0, 9))


def cedula_co():
    return str(R.choice([R.randint(1000000, 99999999), R.randint(1000000000, 1199999999)]))


def dni_pe():
    return f"{R.randint(10000000, 79999999):08d}"


def ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    return f"{a:03d}{R.randint(1, 99):02d}{R.randint(1, 9999):04d}"


def phone(country):
    if country == "es":
        return R.choice("67") + "".join(str(R.randint(0, 9)) for _ in range(8)) if R.random() < 0.7 else "91" + "".join(str(R.randint(0, 9)) for _ in range(7))
    if country == "ar":
        return "11" + str(R.randint(2, 6)) + "".join(str(R.randint(0, 9)) for _ in range(7))
    if country == "mx":
        return R.choice(["55", "33", "81"]) + str(R.randint(1, 9)) + "".join(str(R.randint(0, 9)) for _ in range(7))
    if country == "co":
        return "3" + R.choice(["00", "01", "10", "12", "15", "20", "22"]) + "".join(str(R.randint(0, 9)) for _ in range(7))
    if country == "cl":
        return "9" + "".join(str(R.randint(0, 9)) for _ in range(8))
    if country == "pe":
        return "9" + "".join(str(R.randint(0, 9)) for _ in range(8))
    if country == "us":
        return str(R.randint(2, 9)) + "".join(str(R.randint(0, 9)) for _ in range(2)) + str(R.randint(2, 9)) + "".join(str(R.randint(0, 9)) for _ in range(6))
    if country == "uk":
        return "07" + str(R.randint(3, 9)) + "".join(str(R.randint(0, 9)) for _ in range(8))
    raise ValueError(country)


COUNTRY_CODE = {"es": "34", "ar": "54", "mx": "52", "co": "57", "cl": "56", "pe": "51", "us": "1", "uk": "44"}


# ---- renderings ----

def groups(s, sizes, sep=" "):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(x for x in out if x)


ES_UNITS = ["", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
ES_TEENS = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve"]
ES_TWENTIES = ["veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve"]
ES_TENS = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
ES_HUNDREDS = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos"]


def es_below_100(n):
    if n < 10:
        return ES_DIGITS[n]
    if n < 20:
        return ES_TEENS[n - 10]
    if n < 30:
        return ES_TWENTIES[n - 20]
    t, u = divmod(n, 10)
    return ES_TENS[t] + ("" if u == 0 else " y " + ES_UNITS[u])


def es_below_1000(n):
    if n == 100:
        return "cien"
    h, r = divmod(n, 100)
    parts = []
    if h:
        parts.append(ES_HUNDREDS[h])
    if r or not h:
        parts.append(es_below_100(r))
    return " ".join(parts)


def es_cardinal(n):
    if n < 1000:
        return es_below_1000(n)
    if n < 1000000:
        th, r = divmod(n, 1000)
        head = "mil" if th == 1 else es_below_1000(th).replace("uno", "un") + " mil"
        return head + ("" if r == 0 else " " + es_below_1000(r))
    m, r = divmod(n, 1000000)
    head = "un millón" if m == 1 else es_below_1000(m).replace("uno", "un") + " millones"
    return head + ("" if r == 0 else " " + es_cardinal(r))


EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def en_below_100(n, oh=True):
    if n < 10:
        return EN_DIGITS[n]
    if n < 20:
        return EN_TEENS[n - 10]
    t, u = divmod(n, 10)
    return EN_TENS[t] + ("" if u == 0 else "-" + EN_DIGITS[u])


def spell_es(s, style="digits"):
    """digits: one word per digit; pairs: two digits as one number ("cuarenta y cinco"); doble: repeated digits as 'doble'."""
    if style == "pairs":
        out = []
        i = 0
        while i < len(s):
            chunk = s[i:i + 2]
            if len(chunk) == 2 and chunk[0] != "0":
                out.append(es_below_100(int(chunk)))
            else:
                out.extend(ES_DIGITS[int(c)] for c in chunk)
            i += 2
        return " ".join(out)
    if style == "doble":
        out, i = [], 0
        while i < len(s):
            if i + 1 < len(s) and s[i] == s[i + 1] and (i + 2 >= len(s) or s[i + 2] != s[i]):
                out.append("doble " + ES_DIGITS[int(s[i])])
                i += 2
            else:
                out.append(ES_DIGITS[int(s[i])])
                i += 1
        return " ".join(out)
    return " ".join(ES_DIGITS[int(c)] if c.isdigit() else ES_LETTERS.get(c, c.lower()) for c in s)


def spell_en(s, style="digits"):
    if style == "pairs":
        out, i = [], 0
        while i < len(s):
            chunk = s[i:i + 2]
            if len(chunk) == 2 and chunk[0] != "0":
                out.append(en_below_100(int(chunk)))
            else:
                out.extend("oh" if c == "0" else EN_DIGITS[int(c)] for c in chunk)
            i += 2
        return " ".join(out)
    words = []
    i = 0
    while i < len(s):
        c = s[i]
        if style == "double" and i + 1 < len(s) and s[i + 1] == c and c.isdigit():
            words.append("double " + ("oh" if c == "0" else EN_DIGITS[int(c)]))
            i += 2
            continue
        if c.isdigit():
            words.append(("oh" if style in ("oh", "double") else "zero") if c == "0" else EN_DIGITS[int(c)])
        else:
            words.append(c.lower())
        i += 1
    return " ".join(words)
