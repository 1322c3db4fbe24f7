#!/usr/bin/python3
"""Adds deterministic timing (start_s, end_s in seconds from the start of the contact) to every turn, in place.

usage: timing.py [FILE.jsonl ...]   (default: every w*.jsonl beside this script)

Writers write text and labels; this script gives every turn a plausible time so that `emotion analyze` (which
requires start_s) reads the files the way it reads real transcripts. Same input, same output: the small variations
come from a CRC-32 of the conversation id and turn number, never from a random generator, and running it twice
changes nothing.

Calls (ASR transcripts):
  duration = words / 2.6 words per second (x 0.85-1.15 per turn), at least 0.6 s, plus the seconds of every
  hold or silence marker in the turn ([hold 2 min] = 120 s, [silencio 40s] = 40 s, [espera 3 minutos] = 180 s,
  [pausa 10 s] = 10 s); other markers ([inaudible], [risas]) add 1 s.
  gap before a turn: 0.2-0.9 s when the speaker changes, 0.1-0.4 s when the same speaker goes on. When the
  previous turn ends cut off (a trailing '-', '—' or '–', how the writers mark an interruption), the turn
  starts 0.5 s before it ended (overlapping speech, as diarized ASR timestamps show an interruption), never
  before the previous turn started. No other gap is long enough to read as a silence (the analyzer's
  silence_gap_seconds is 20 s): only the writers' markers make holds and silences.
Chats (typed):
  duration = typing time: 0.20 s per character for the customer, 0.12 s for the agent (x 0.85-1.15), at
  least 1.5 s; plus the seconds of hold/silence markers; an attachment marker ([foto], [adjunto: ...]) adds 5 s.
  gap before a turn: reading time when the speaker changes (1.5 s + 0.02 s per character of the previous
  message), 0.5-1.5 s when the same speaker sends another message.
Times are rounded to 0.1 s; starts never decrease and end_s >= start_s.
"""
import glob
import json
import os
import re
import sys
import unicodedata
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = re.compile(r"\[([^\[\]]*)\]")
# Same marker kinds as src/Scoring/TimingMarkers.cs (hold words are tried first).
HOLD_WORDS = ["hold", "on hold", "espera", "en espera", "retencion", "musica", "music", "transfer wait"]
SILENCE_WORDS = ["silencio", "silence", "pausa", "pause", "dead air", "sin respuesta"]
ATTACHMENT_WORDS = ["foto", "photo", "adjunto", "adjunta", "imagen", "image", "attached", "attachment"]
UNITS = {
    3600.0: {"h", "hr", "hrs", "hora", "horas", "hour", "hours"},
    60.0: {"m", "min", "mins", "minuto", "minutos", "minute", "minutes"},
}
CUT_OFF = ("-", "—", "–")
CALL_WPS = 2.6


def _fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _norm(text):
    return " ".join(re.findall(r"[^\W_]+", _fold(text)))


def marker_kind(inner):
    padded = " " + _norm(inner) + " "
    if any(" " + w + " " in padded for w in HOLD_WORDS):
        return "hold"
    if any(" " + w + " " in padded for w in SILENCE_WORDS):
        return "silence"
    if any(" " + w + " " in padded for w in ATTACHMENT_WORDS):
        return "attachment"
    return "other"


def marker_seconds(inner):
    """Duration written in a marker, read like TimingMarkers.ParseSeconds; None when it has no number."""
    lower = _fold(inner)
    clock = re.search(r"(\d+):([0-5]\d)(?::([0-5]\d))?", lower)
    if clock:
        a, b = int(clock.group(1)), int(clock.group(2))
        return a * 3600 + b * 60 + int(clock.group(3)) if clock.group(3) else a * 60 + b
    total = None
    for m in re.finditer(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)?", lower):
        amount = float(m.group(1).replace(",", "."))
        unit = m.group(2) or "s"
        factor = next((f for f, names in UNITS.items() if unit in names), 1.0)
        total = (total or 0.0) + amount * factor
    return total


def marker_time(text, channel):
    """Seconds the turn's markers add to it."""
    extra = 0.0
    for inner in MARKER.findall(text):
        kind = marker_kind(inner)
        if kind in ("hold", "silence"):
            secs = marker_seconds(inner)
            extra += secs if secs is not None else (30.0 if kind == "hold" else 5.0)
        elif kind == "attachment" and channel == "chat":
            extra += 5.0
        else:
            extra += 1.0
    return extra


def jitter(cid, i, salt, lo, hi):
    """A deterministic number in [lo, hi] for turn i of conversation cid."""
    h = zlib.crc32(f"{cid}:{i}:{salt}".encode("utf-8")) / 0xFFFFFFFF
    return lo + (hi - lo) * h


def speech(text):
    return " ".join(MARKER.sub(" ", text).split())


def add_timing(conv):
    cid = conv["conversation_id"]
    chat = conv.get("channel") == "chat"
    channel = "chat" if chat else "call"
    prev_start = prev_end = 0.0
    prev = None
    for i, t in enumerate(conv["turns"]):
        text = t["text"]
        said = speech(text)
        if chat:
            per_char = 0.20 if t["speaker"] == "customer" else 0.12
            dur = max(1.5, len(said) * per_char * jitter(cid, i, "pace", 0.85, 1.15)) if said else 0.0
        else:
            n_words = len(said.split())
            dur = max(0.6, n_words / CALL_WPS * jitter(cid, i, "pace", 0.85, 1.15)) if n_words else 0.0
        dur += marker_time(text, channel)
        dur = max(dur, 0.5)
        if prev is None:
            start = 0.0
        elif chat:
            if prev["speaker"] != t["speaker"]:
                gap = 1.5 + 0.02 * len(speech(prev["text"]))
            else:
                gap = jitter(cid, i, "gap", 0.5, 1.5)
            start = prev_end + gap
        else:
            if speech(prev["text"]).endswith(CUT_OFF) and prev["speaker"] != t["speaker"]:
                start = max(prev_start, prev_end - 0.5)
            elif prev["speaker"] != t["speaker"]:
                start = prev_end + jitter(cid, i, "gap", 0.2, 0.9)
            else:
                start = prev_end + jitter(cid, i, "gap", 0.1, 0.4)
        start = round(start, 1)
        end = round(start + dur, 1)
        t["start_s"], t["end_s"] = start, end
        prev_start, prev_end, prev = start, end, t
    return conv


def main(argv):
    files = argv[1:] or sorted(glob.glob(os.path.join(HERE, "w*.jsonl")))
    for path in files:
        lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
        out = [json.dumps(add_timing(json.loads(l)), ensure_ascii=False) for l in lines]
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        os.replace(path + ".tmp", path)
        print(f"{os.path.basename(path)}: {len(out)} conversations timed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
