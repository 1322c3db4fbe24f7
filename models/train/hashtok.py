"""Tokenizer `emotion-hash-v1` (docs/tokenizer-hash-v1.md), the Python side.

The C# runtime (src/Sentiment) implements the same algorithm; parity.jsonl, written by train.py,
pins both to the same token strings and ids.
"""
import json
import re
import unicodedata

import numpy as np

DEFAULT_PARAMS = {"type": "emotion-hash-v1", "buckets": 131072, "min_n": 3, "max_n": 5,
                  "max_tokens": 64, "max_subwords": 16, "unescape": True, "emoticons": True}

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"@\w+")
_MARKER = re.compile(r"\[[^\]]*\]")
_ELONG = re.compile(r"([a-z])\1{2,}")

FNV_OFFSET = 2166136261
FNV_PRIME = 16777619


def fnv1a32(s: str) -> int:
    h = FNV_OFFSET
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * FNV_PRIME) & 0xFFFFFFFF
    return h


def _is_word_cp(c: str) -> bool:
    cat = unicodedata.category(c)
    return cat[0] == "L" or cat[0] == "N"


def _is_symbol_cp(c: str) -> bool:
    return c == "!" or c == "?" or unicodedata.category(c) == "So"


_HEX = "0123456789abcdefABCDEF"


def _escape_at(text: str, i: int):
    """The code unit of a literal `\\uXXXX` escape starting at i, else None."""
    if text.startswith("\\u", i) and i + 6 <= len(text) and all(c in _HEX for c in text[i + 2:i + 6]):
        return int(text[i + 2:i + 6], 16)
    return None


def unescape(text: str) -> str:
    """Step 0 (param "unescape"): literal `\\uXXXX` escapes (text that was JSON-escaped twice) become the character;
    a high-surrogate escape directly followed by a low-surrogate escape becomes the pair's code point; a lone
    surrogate escape stays as it was."""
    if "\\u" not in text:
        return text
    out, i, n = [], 0, len(text)
    while i < n:
        v = _escape_at(text, i)
        if v is None:
            out.append(text[i])
            i += 1
        elif 0xD800 <= v <= 0xDBFF and (lo := _escape_at(text, i + 6)) is not None and 0xDC00 <= lo <= 0xDFFF:
            out.append(chr(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)))
            i += 12
        elif 0xD800 <= v <= 0xDFFF:
            out.append(text[i:i + 6])
            i += 6
        else:
            out.append(chr(v))
            i += 6
    return "".join(out)


# Step 1b (param "emoticons"): a whitespace-separated chunk that is an emoticon (after taking off trailing `.`, `,`,
# `!`, `?`) becomes one placeholder word. Forward faces: eyes `:` `;` `=`, optional nose `-` `^` `'`, then a run of
# mouth characters of one class; reversed faces `(:` `):` `(;` with optional nose `-`; and a few fixed shapes.
_MOUTH = {")": "smile", "]": "smile", "}": "smile", "D": "laugh", "(": "frown", "[": "frown", "{": "frown",
          "/": "skeptic", "\\": "skeptic", "|": "skeptic", "p": "tongue", "P": "tongue", "*": "kiss",
          "o": "surprise", "O": "surprise"}
_FIXED = {"^^": "smile", "^_^": "smile", "^.^": "smile", "^-^": "smile", "-_-": "annoyed", "-.-": "annoyed",
          "T_T": "cry", "T.T": "cry", ";_;": "cry", "o_O": "surprise", "O_o": "surprise", "o.O": "surprise",
          "O.o": "surprise", "O_O": "surprise", "o_o": "surprise"}
EMOTICON_WORDS = ("emosmile", "emowink", "emolaugh", "emofrown", "emocry", "emoskeptic", "emotongue", "emokiss",
                  "emosurprise", "emoheart", "emobrokenheart", "emoannoyed")


def emoticon_class(core: str):
    """The placeholder word for an emoticon chunk (`:)` -> `emosmile`), else None."""
    n = len(core)
    if n < 2:
        return None
    if core in _FIXED:
        return "emo" + _FIXED[core]
    if core[0] == "<" and all(c == "3" for c in core[1:]):
        return "emoheart"
    if core.startswith("</") and n >= 3 and all(c == "3" for c in core[2:]):
        return "emobrokenheart"
    if core[0] in "xX" and all(c in "dD" for c in core[1:]):
        return "emolaugh"
    if core[0] in ":;=":
        i = 2 if core[1] in "-^'" else 1
        if i >= n:
            return None
        kind = _MOUTH.get(core[i])
        if kind is None or any(_MOUTH.get(c) != kind for c in core[i:]):
            return None
        if core[0] == ";" and kind in ("smile", "laugh"):
            return "emowink"
        if core[1] == "'" and kind == "frown":
            return "emocry"
        return "emo" + kind
    if core[-1] in ":;=" and core[0] in "()":
        body = core[:-1]
        if body[-1] == "-":
            body = body[:-1]
        if body and all(c == body[0] for c in body):
            if body[0] == "(":
                return "emowink" if core[-1] == ";" else "emosmile"
            return "emofrown"
    return None


def replace_emoticons(text: str) -> str:
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        chunk = text[i:j]
        core = chunk.rstrip(".,!?")
        word = emoticon_class(core)
        out.append(chunk if word is None else " " + word + " " + chunk[len(core):])
        i = j
    return "".join(out)


def normalize(text: str, params=None) -> str:
    """Steps 0-3: unescape (optional), placeholders and emoticons (optional), NFKD + drop Mn + lowercase, elongation."""
    params = params or {}
    t = unescape(text) if params.get("unescape") else text
    t = _URL.sub(" httpurl ", t)
    t = _USER.sub(" atuser ", t)
    t = _MARKER.sub("", t)
    if params.get("emoticons"):
        t = replace_emoticons(t)
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c.lower() for c in t if unicodedata.category(c) != "Mn")
    t = _ELONG.sub(r"\1\1", t)
    return t


def split_tokens(norm: str):
    """Step 4: returns list of (token, is_word)."""
    out = []
    cur = []
    for c in norm:
        if _is_word_cp(c):
            cur.append(c)
            continue
        if cur:
            out.append("".join(cur))
            cur = []
        if _is_symbol_cp(c):
            out.append(c)
    if cur:
        out.append("".join(cur))
    res = []
    for t in out:
        if _is_word_cp(t[0]):
            if all(unicodedata.category(c)[0] == "N" for c in t):
                t = "0"
            res.append((t, True))
        else:
            res.append((t, False))
    return res


def tokenize(text: str, params=DEFAULT_PARAMS):
    """Steps 1-5: list of (token, is_word)."""
    toks = split_tokens(normalize(text, params))[: params["max_tokens"]]
    if not toks:
        toks = [("", False)]
    return toks


def features(tok: str, is_word: bool, params=DEFAULT_PARAMS):
    """Step 6: feature strings of one token."""
    feats = ["w|" + tok]
    cap = params["max_subwords"]
    if is_word and len(tok) >= 2:
        w = "<" + tok + ">"
        L = len(w)
        for n in range(params["min_n"], params["max_n"] + 1):
            for i in range(0, L - n + 1):
                if len(feats) >= cap:
                    return feats
                g = w[i:i + n]
                if g == w:
                    continue
                feats.append(g)
    return feats[:cap]


class HashTokenizer:
    def __init__(self, params=None, vocab=None):
        self.params = dict(params or DEFAULT_PARAMS)
        self._cache = {}
        # vocab: optional word list (tokenizer.json "vocab" names its file). With it, every token row gets one more
        # column after the max_subwords feature ids: the 1-based line of the token in the list when it is a word
        # token there, else 0.
        self.vocab = None
        if vocab is not None:
            vocab = list(vocab)
            if any(not w or "\n" in w or "\r" in w for w in vocab) or len(set(vocab)) != len(vocab):
                raise ValueError("vocab entries must be unique, non-empty and without line breaks")
            self.vocab = {w: i + 1 for i, w in enumerate(vocab)}

    @property
    def width(self):
        """Columns per token row: max_subwords, plus one for the vocabulary id when there is a vocabulary."""
        return self.params["max_subwords"] + (1 if self.vocab is not None else 0)

    def token_ids(self, tok: str, is_word: bool):
        key = (tok, is_word)
        r = self._cache.get(key)
        if r is None:
            nb = self.params["buckets"] - 1
            r = [1 + (fnv1a32(f) % nb) for f in features(tok, is_word, self.params)]
            self._cache[key] = r
        return r

    def encode(self, text: str):
        """Returns (tokens, ids) where ids is a list of per-token id lists (unpadded)."""
        toks = tokenize(text, self.params)
        return [t for t, _ in toks], [self.token_ids(t, w) for t, w in toks]

    def encode_padded(self, text: str):
        """ids as a [n_tokens, width] int64 array."""
        toks = tokenize(text, self.params)
        S = self.params["max_subwords"]
        arr = np.zeros((len(toks), self.width), dtype=np.int64)
        for i, (t, w) in enumerate(toks):
            row = self.token_ids(t, w)
            arr[i, : len(row)] = row
            if self.vocab is not None and w:
                arr[i, S] = self.vocab.get(t, 0)
        return arr

    def batch(self, texts):
        arrs = [self.encode_padded(t) for t in texts]
        T = max(a.shape[0] for a in arrs)
        out = np.zeros((len(arrs), T, self.width), dtype=np.int64)
        for i, a in enumerate(arrs):
            out[i, : a.shape[0]] = a
        return out

    @classmethod
    def load(cls, path):
        """The tokenizer saved by save(): tokenizer.json at path, and the vocabulary file it names, if any."""
        import os
        with open(path, encoding="utf-8") as f:
            params = json.load(f)
        vocab = None
        name = params.pop("vocab", None)
        if name:
            with open(os.path.join(os.path.dirname(path), name), encoding="utf-8", newline="") as f:
                vocab = f.read().split("\n")
            if vocab and vocab[-1] == "":
                vocab.pop()  # the final newline
        return cls(params, vocab=vocab)

    def save(self, path, vocab_file="vocab.txt"):
        """tokenizer.json at path; with a vocabulary also vocab_file beside it (one token a line, line i = id i)."""
        params = dict(self.params)
        if self.vocab is not None:
            import os
            params["vocab"] = vocab_file
            words = sorted(self.vocab, key=self.vocab.get)
            with open(os.path.join(os.path.dirname(path), vocab_file), "w", encoding="utf-8", newline="\n") as f:
                for w in words:
                    f.write(w + "\n")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(params, f)
            f.write("\n")


if __name__ == "__main__":
    import sys
    tk = HashTokenizer()
    for line in sys.argv[1:] or ["Holaaaa señorita!! 😡 @juan https://x.co [silencio 40s] 2024"]:
        toks, ids = tk.encode(line)
        print(toks)
        print(ids)
