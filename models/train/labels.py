"""Label sets of the project and how each source's labels map onto them."""

VALENCE = ["negative", "neutral", "positive"]          # index = valence + 1
EMOTION = ["anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"]

# Raw (lowercased) emotion label -> project emotion. Labels not listed are ignored: an example
# whose labels are all ignored contributes nothing to the emotion head.
EMOTION_MAP = {
    # anger family
    "anger": "anger", "annoyance": "anger", "disgust": "anger", "frustration": "anger",
    "frustrated": "anger", "angry": "anger", "annoyed": "anger", "rage": "anger",
    # sadness family
    "sadness": "sadness", "disappointment": "sadness", "grief": "sadness", "sad": "sadness",
    "disappointed": "sadness",
    # fear family
    "fear": "fear", "nervousness": "fear", "worry": "fear", "worried": "fear", "anxiety": "fear",
    # confusion
    "confusion": "confusion", "confused": "confusion",
    # neutral (EmoEvent's "others" = none of its emotions)
    "neutral": "neutral", "others": "neutral", "other": "neutral", "none": "neutral",
    # joy family
    "joy": "joy", "satisfaction": "joy", "relief": "joy", "amusement": "joy", "excitement": "joy",
    "optimism": "joy", "love": "joy", "admiration": "joy", "approval": "joy", "pride": "joy",
    "happiness": "joy", "satisfied": "joy", "happy": "joy",
    # gratitude
    "gratitude": "gratitude", "thanks": "gratitude", "thankfulness": "gratitude",
}

# Documented as ignored (no project class): GoEmotions surprise, curiosity, caring, desire, disapproval,
# embarrassment, realization, remorse; EmoEvent and MELD surprise.
IGNORED = ["surprise", "curiosity", "caring", "desire", "disapproval", "embarrassment", "realization",
           "remorse"]

SOURCE_EMOTION_MAPS = {
    "goemotions": {k: EMOTION_MAP.get(k, None) for k in [
        "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
        "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
        "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
        "remorse", "sadness", "surprise", "neutral"]},
    "emoevent-es / emoevent-en": {k: EMOTION_MAP.get(k, None) for k in [
        "anger", "disgust", "fear", "joy", "sadness", "surprise", "others"]},
    "meld": {k: EMOTION_MAP.get(k, None) for k in [
        "anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"]},
    "tweeteval-emotion": {k: EMOTION_MAP.get(k, None) for k in ["anger", "joy", "optimism", "sadness"]},
}


def emotion_target(raw):
    """Raw label string (comma-separated) -> list of project emotion indices (may be empty)."""
    if not raw:
        return []
    out = []
    for part in str(raw).split(","):
        p = part.strip().lower()
        m = EMOTION_MAP.get(p)
        if m is not None:
            i = EMOTION.index(m)
            if i not in out:
                out.append(i)
    return out


# Valence derived from emotion labels, for emotion-only sources when --derive-valence is on
# (GoEmotions' own sentiment grouping; EmoEvent "others" -> neutral). Ambiguous labels (surprise, curiosity,
# confusion, realization) give none; an example whose labels disagree in sign gets none.
DERIVED_VALENCE = {
    "admiration": 1, "amusement": 1, "approval": 1, "caring": 1, "desire": 1, "excitement": 1, "gratitude": 1,
    "joy": 1, "love": 1, "optimism": 1, "pride": 1, "relief": 1,
    "anger": -1, "annoyance": -1, "disappointment": -1, "disapproval": -1, "disgust": -1, "embarrassment": -1,
    "fear": -1, "grief": -1, "nervousness": -1, "remorse": -1, "sadness": -1,
    "neutral": 0, "others": 0,
}
DERIVE_SOURCES = {"goemotions", "emoevent-es", "emoevent-en"}
# TweetEval emotion (SemEval-2018 tweets): anger and sadness -> negative, joy and optimism -> positive; no neutral.
DERIVE_SOURCES_EXTRA = {"tweeteval-emotion"}


def derived_valence(raw):
    if not raw:
        return None
    vals = set()
    for part in str(raw).split(","):
        p = part.strip().lower()
        if p in DERIVED_VALENCE:
            vals.add(DERIVED_VALENCE[p])
        else:
            return None
    if len(vals) != 1:
        return None
    return vals.pop()
