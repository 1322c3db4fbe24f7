"""Train the context-aware turn model (emotion-v2) and write models/emotion-v2/.

Every training example is a sequence of turns: a conversation (the project's written conversations of the train
writers, MAIA customer-support chats, M-MELD Spanish, DailyDialog), or a lone sentence (the single-sentence data of
emotion-v1: a sequence of one turn, unknown speaker, zero state). Label maps: models/README.md ("emotion-v2").

Usage: /usr/bin/python3 models/train/train_ctx.py --data ../shared/data [--out models/emotion-v2] (train.sh --context)
"""
import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from hashtok import HashTokenizer, DEFAULT_PARAMS, tokenize  # noqa: E402
from labels import VALENCE, EMOTION, emotion_target, derived_valence, DERIVE_SOURCES  # noqa: E402
from model import EmotionNet  # noqa: E402
from model_ctx import ContextNet, SPEAKERS  # noqa: E402
import train as v1  # noqa: E402  (data loading helpers of emotion-v1)

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CONV_DIR = os.path.join(REPO, "models", "data", "conversations")
# The split by writer (models/data/conversations/splits.json): held-out writers are never trained on and never used
# to select anything; they are reported only.
with open(os.path.join(CONV_DIR, "splits.json"), encoding="utf-8") as _f:
    _SPLITS = json.load(_f)
TRAIN_WRITERS = tuple(_SPLITS["train"])
HELDOUT_WRITERS = tuple(_SPLITS["heldout"])
assert not set(TRAIN_WRITERS) & set(HELDOUT_WRITERS), "a writer is both train and held-out in splits.json"

# Single-sentence sources and how many times each is seen per epoch (as emotion-v1; in-domain sentences fewer, since
# the written conversations now carry the contact-center language).
SENTENCE_SOURCES = {
    "xlmt-es.train": 3.0, "xlmt-en.train": 4.0, "tass2020.train": 2.0, "airline.train": 0.25,
    "tweeteval-sentiment.val": 4.0, "meld.train": 0.7, "goemotions.train": 0.35, "emoevent-es.train": 1.0,
    "emoevent-en.train": 0.5, "tweeteval-emotion.train": 1.0, "indomain.train": 4.0, "lexicon.train": 1.0,
}
# Dialogue sources (sequences per epoch).
DIALOGUE_SOURCES = {"writers.train": 5.0, "maia.train": 2.0, "mmeld-es.train": 1.0, "dailydialog.train": 0.15,
                    "uss.all": 0.0}
SELECT = {"writers.dev": 0.5, "tass2020.dev": 0.25, "meld.dev": 0.25}   # epoch selection (valence macro-F1)
REPORT_SEQ = ["heldout", "heldout.es", "heldout.en", "writers.dev", "maia.dev", "mmeld-es.dev", "dailydialog.dev"]
REPORT_SENT = ["xlmt-es.val", "xlmt-en.val", "tass2020.dev", "meld.dev", "indomain.dev"]
REPORT_EMO = ["emoevent-es.dev", "emoevent-en.dev"]
MARKER = re.compile(r"\[[^\[\]]*\]")
WORD = re.compile(r"\w")


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def speech(text):
    """The spoken part of a turn: bracketed markers ([hold 2 min]) removed, as src/Scoring/TimingMarkers.Strip."""
    return " ".join(MARKER.sub(" ", text or "").split())


class SeqSet:
    """Turns of many sequences, flat: ids[k], val[k] (class index or -100), emo[k] (target distribution), has_emo[k],
    spk[k]; sequence i is turns bounds[i]:bounds[i+1]. who[k] names the speaker for reports (customer/agent/...)."""

    def __init__(self, seqs, tok, lang=None):
        # seqs: list of (lang, [turn dict: text, speaker id, valence or None, emotion raw or None, who])
        self.ids, val, emo, has, spk, self.who, self.lang, self.bounds = [], [], [], [], [], [], [], [0]
        for lg, turns in seqs:
            for t in turns:
                self.ids.append(tok.encode_padded(t["text"]))
                val.append(-100 if t.get("valence") is None else int(t["valence"]) + 1)
                e = np.zeros(len(EMOTION), dtype=np.float32)
                tg = emotion_target(t.get("emotion"))
                if tg:
                    e[tg] = 1.0 / len(tg)
                emo.append(e)
                has.append(1.0 if tg else 0.0)
                spk.append(t["speaker"])
                self.who.append(t.get("who", ""))
            self.lang.append(lg)
            self.bounds.append(len(self.ids))
        self.val = np.array(val, dtype=np.int64)
        self.emo = np.stack(emo) if emo else np.zeros((0, len(EMOTION)), dtype=np.float32)
        self.has_emo = np.array(has, dtype=np.float32)
        self.spk = np.array(spk, dtype=np.int64)

    @property
    def n_seq(self):
        return len(self.bounds) - 1

    def seq_turns(self, i):
        return range(self.bounds[i], self.bounds[i + 1])


def sentence_seqs(rows):
    return [(r.get("lang", ""), [{"text": r.get("text") or "", "speaker": 0, "valence": r.get("valence"),
                                  "emotion": r.get("emotion"), "who": "sentence"}]) for r in rows]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def has_speech(text):
    return WORD.search(speech(text)) is not None


def writer_seqs(convs):
    out = []
    for c in convs:
        turns = [{"text": speech(t["text"]), "speaker": SPEAKERS[t["speaker"]], "valence": t["valence"],
                  "emotion": t["emotion"], "who": t["speaker"]} for t in c["turns"] if has_speech(t["text"])]
        out.append((c["language"], turns))
    return out


def maia_valence(t):
    """MAIA turn valence under the project's convention: an agent's empathy sentence is 0 (apologetic), not +1; the
    rest as the source maps it (a turn is -1 if any sentence is negative, else +1 if any is positive, else 0)."""
    sents = t.get("sentences") or []
    if t.get("valence") is None or not sents:
        return t.get("valence")
    vals = []
    for s in sents:
        v = s.get("valence")
        if t["speaker"] == "agent" and s.get("emotion") == "empathy":
            v = 0
        if v is not None:
            vals.append(v)
    return -1 if -1 in vals else 1 if 1 in vals else 0


def maia_emotion(t, v):
    """The project emotion of a MAIA turn with project valence v: neutral for 0; for -1 the turn's emotion when it is a
    negative one, else its first negative sentence's; happiness (joy) for +1."""
    if v is None:
        return None
    if v == 0:
        return "neutral"
    if v == 1:
        return "happiness"
    neg = ("disappointment", "confusion", "frustration", "anger", "anxiety")
    if t.get("emotion") in neg:
        return t["emotion"]
    for s in t.get("sentences") or []:
        if s.get("emotion") in neg:
            return s["emotion"]
    return None


def dialogue_seqs(name, dialogues):
    out = []
    for d in dialogues:
        turns = []
        first = d["turns"][0]["speaker"] if d["turns"] else None
        for t in d["turns"]:
            if name.startswith("maia"):
                text, who = t.get("text_en") or "", t["speaker"]
                v = maia_valence(t)
                turns.append({"text": text, "speaker": SPEAKERS[who], "valence": v, "emotion": maia_emotion(t, v),
                              "who": who})
            elif name.startswith("uss"):
                who = t["speaker"]
                turns.append({"text": t.get("text") or "", "speaker": SPEAKERS[who],
                              "valence": t.get("valence") if who == "customer" else None, "emotion": None, "who": who})
            else:
                # not contact center (TV dialogue, everyday dialogue): the first speaker and everybody else as two
                # parties of their own, so the customer/agent roles keep their contact-center meaning
                who = "party_a" if t["speaker"] == first else "party_b"
                emo = t.get("emotion")
                turns.append({"text": t.get("text") or "", "speaker": SPEAKERS[who], "valence": t.get("valence"),
                              "emotion": None if emo == "surprise" else emo,
                              "who": "customer" if who == "party_a" else "agent"})
        turns = [t for t in turns if has_speech(t["text"])]
        if turns:
            out.append((d.get("lang", "en") if not name.startswith("maia") else "en", turns))
    return out


def pad_turns(arrs, S):
    T = max(a.shape[0] for a in arrs)
    out = np.zeros((len(arrs), T, S), dtype=np.int64)
    for i, a in enumerate(arrs):
        out[i, : a.shape[0]] = a
    return torch.from_numpy(out)


def load_encoders(model_dir):
    """The emotion-v1 members as EmotionNet encoders, with the exported weights (model.onnx initializers
    members.K.*; a single network's without the prefix)."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(model_dir, "model.onnx"))
    weights = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    prefixes = sorted({n.split(".")[0] + "." + n.split(".")[1] + "." for n in weights if n.startswith("members.")}) or [""]
    members = []
    for pf in prefixes:
        w = {k[len(pf):]: torch.from_numpy(np.array(v)) for k, v in weights.items() if k.startswith(pf)}
        kernels = tuple(int(w[f"convs.{i}.weight"].shape[2]) for i in range(10) if f"convs.{i}.weight" in w)
        dim = int(w["emb.weight"].shape[1])
        pre = w.get("pre")
        net = EmotionNet(buckets=int(w["emb.weight"].shape[0]), dim=dim, channels=int(w["convs.0.weight"].shape[0]),
                         kernels=kernels, hidden=int(w["hidden.weight"].shape[0]), pre=pre, subwords=16, pre_proj=0,
                         sparse=False)
        net.load_state_dict(w, strict=True)
        members.append(net)
    return members


@torch.no_grad()
def cache_pooled(net, st, S, bs=256):
    """Frozen encoder features of every turn of a SeqSet, float16 [N, F]."""
    net.eval()
    order = np.argsort([a.shape[0] for a in st.ids], kind="stable")
    out = None
    for s in range(0, len(order), bs):
        idx = order[s: s + bs]
        z = net.pooled(pad_turns([st.ids[i] for i in idx], S))
        if out is None:
            out = torch.zeros(len(st.ids), z.shape[1], dtype=torch.float16)
        out[torch.from_numpy(idx)] = z.to(torch.float16)
    return out


def gather(sets, items, cached=True):
    """items: list of (set name, sequence index) -> pooled features and positions for forward_sequences (cached=False:
    no features, the caller runs the encoder)."""
    rows, seq, pos, refs = [], [], [], []
    length = 1
    for b, (n, i) in enumerate(items):
        rng = sets[n].seq_turns(i)
        length = max(length, len(rng))
        for p, k in enumerate(rng):
            seq.append(b)
            pos.append(p)
            refs.append((n, k))
    pooled = torch.stack([sets[n].pooled[k] for n, k in refs]).to(torch.float32) if cached else None
    return pooled, torch.tensor(seq), torch.tensor(pos), length, refs


@torch.no_grad()
def predict_set(net, st, context=True, bs_turns=2048):
    """Probabilities for every turn of a SeqSet, each sequence read in order (context=False: zero state before every
    turn, speaker kept)."""
    net.eval()
    pv = np.zeros((len(st.ids), len(VALENCE)), dtype=np.float32)
    pe = np.zeros((len(st.ids), len(EMOTION)), dtype=np.float32)
    holder = {"s": st}

    def run(chunk):
        pooled, seq, pos, length, refs = gather(holder, [("s", i) for i in chunk])
        spk = torch.from_numpy(st.spk[[k for _, k in refs]])
        if context:
            v, e = net.forward_sequences(pooled, spk, seq, pos, len(chunk), length)
        else:
            v, e, _ = net.step_pooled(pooled, spk, torch.zeros(len(refs), net.state_size))
        ks = [k for _, k in refs]
        pv[ks] = torch.softmax(v, -1).numpy()
        pe[ks] = torch.softmax(e, -1).numpy()

    chunk, count = [], 0
    for i in range(st.n_seq):
        chunk.append(i)
        count += st.bounds[i + 1] - st.bounds[i]
        if count >= bs_turns:
            run(chunk)
            chunk, count = [], 0
    if chunk:
        run(chunk)
    return pv, pe


def scores(st, pv, pe, mask=None):
    res = {}
    idx = np.arange(len(st.ids)) if mask is None else np.flatnonzero(mask)
    vm = idx[st.val[idx] >= 0]
    if len(vm):
        g, p = st.val[vm], pv[vm].argmax(1)
        res["valence_macro_f1"] = v1.macro_f1(g, p, [0, 1, 2])
        res["valence_acc"] = float(np.mean(g == p))
        res["valence_n"] = int(len(vm))
    em = idx[st.has_emo[idx] > 0]
    if len(em):
        gold_sets = st.emo[em] > 0
        p = pe[em].argmax(1)
        g = np.where(gold_sets[np.arange(len(p)), p], p, gold_sets.argmax(1))
        present = sorted(set(np.flatnonzero(gold_sets.any(0)).tolist()))
        res["emotion_macro_f1"] = v1.macro_f1(g, p, present)
        res["emotion_n"] = int(len(em))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("EMOTION_DATA", os.path.join(REPO, "..", "shared", "data")))
    ap.add_argument("--indomain", default=os.path.join(REPO, "models", "data", "indomain"))
    ap.add_argument("--encoder", default=os.path.join(REPO, "models", "emotion-v1"),
                    help="model directory whose ONNX members become the frozen turn encoder (and its tokenizer)")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "emotion-v2"))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--patience", type=int, default=2)
    ap.add_argument("--state", type=int, default=64, help="context state size")
    ap.add_argument("--mix-dim", type=int, default=128)
    ap.add_argument("--batch-turns", type=int, default=512, help="turns per training batch (whole sequences)")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden-lr", type=float, default=5e-4, help="learning rate of the members' hidden layers")
    ap.add_argument("--freeze-hidden", type=int, default=0, help="1: keep emotion-v1's hidden layers as they are")
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--emo-weight", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mix", default="", help="override per-source multipliers: name=mult,...")
    ap.add_argument("--dailydialog-keep", type=float, default=0.25,
                    help="fraction of DailyDialog train dialogues loaded (fixed seed; the epoch mix samples from them)")
    ap.add_argument("--sentence-cap", type=int, default=10000,
                    help="a single-sentence training set larger than this is cut to this many rows (fixed seed)")
    ap.add_argument("--select-maia", type=float, default=0.0,
                    help="weight of a MAIA selection slice in the epoch selection (every 10th MAIA train dialogue, i %% 10 == 5, "
                         "then kept out of training; the other selection weights are scaled by 1 - this); 0: none")
    ap.add_argument("--tune-encoder", type=float, default=0.0,
                    help="learning rate of the members' embeddings and convolutions (0: frozen, features cached once; "
                         "> 0: they are trained too and every batch runs the encoder)")
    ap.add_argument("--writers", default="",
                    help="comma-separated train writers to train on (default: every train writer of splits.json); the others are "
                         "not read at all, so the model can score them out of fold (emotion train-answers --score-with)")
    ap.add_argument("--lexicon", default=None)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--save-state", default=None, help="save the selected state_dict here (scratch)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    t0 = time.time()
    data = os.path.abspath(args.data)
    tok = HashTokenizer.load(os.path.join(args.encoder, "tokenizer.json"))
    S = tok.width
    members = load_encoders(args.encoder)
    enc_version = json.load(open(os.path.join(args.encoder, "labels.json"), encoding="utf-8")).get("version")
    log(f"encoder {enc_version}: {len(members)} members")

    # ---- single sentences (as emotion-v1: de-duplicated against every evaluation split)
    sets = v1.load_sets(data, args.indomain)
    eval_names = set(REPORT_SENT + REPORT_EMO + ["goemotions.dev", "tweeteval-emotion.val"])
    eval_texts = {v1.norm_key(r.get("text") or "") for n in eval_names - {"tass2020.dev"} if n in sets for r in sets[n]}
    dedup = {}
    for n in list(sets):
        if n in eval_names:
            continue
        before = len(sets[n])
        sets[n] = [r for r in sets[n] if v1.norm_key(r.get("text") or "") not in eval_texts]
        if len(sets[n]) != before:
            dedup[n] = before - len(sets[n])
    train_texts = {v1.norm_key(r.get("text") or "") for n in sets if n not in eval_names for r in sets[n]}
    if "tass2020.dev" in sets:
        before = len(sets["tass2020.dev"])
        sets["tass2020.dev"] = [r for r in sets["tass2020.dev"] if v1.norm_key(r.get("text") or "") not in train_texts]
        dedup["tass2020.dev"] = before - len(sets["tass2020.dev"])
    log("dropped (text in an evaluation split):", dedup)
    lex_info = None
    if args.lexicon:
        from lexicon import examples
        lang_freq = Counter(t for n in sets if n not in eval_names for r in sets[n] if r.get("lang") == "en"
                            for t, w in tokenize(r.get("text") or "", DEFAULT_PARAMS) if w)
        rows, lex_info = examples(args.lexicon, [w for w, _ in lang_freq.most_common()])
        sets["lexicon.train"] = [r for r in rows if v1.norm_key(r["text"]) not in eval_texts]
    drng = random.Random(args.seed)
    derived = {}
    for n in list(sets):
        if n.split(".")[0] in DERIVE_SOURCES and n.endswith(".train"):
            k = 0
            for r in sets[n]:
                if r.get("valence") is None:
                    dv = derived_valence(r.get("emotion"))
                    if dv is not None:
                        r["valence"] = dv
                        k += 1
            derived[n] = k
    capped = {}
    for n in list(sets):
        if n in SENTENCE_SOURCES and len(sets[n]) > args.sentence_cap:
            capped[n] = len(sets[n])
            sets[n] = random.Random(args.seed).sample(sets[n], args.sentence_cap)
    keep = set(SENTENCE_SOURCES) | set(REPORT_SENT) | set(REPORT_EMO)
    seqsets = {n: SeqSet(sentence_seqs(rows), tok) for n, rows in sets.items() if n in keep}

    # ---- conversations: the written corpus (train writers; every 10th conversation of each is the selection split)
    wtrain, wdev, held = [], [], {"es": [], "en": []}
    use = [w for w in args.writers.split(",") if w] or list(TRAIN_WRITERS)
    if not set(use) <= set(TRAIN_WRITERS):
        sys.exit(f"--writers: not train writers of splits.json: {sorted(set(use) - set(TRAIN_WRITERS))}")
    args.writers = ",".join(use)
    for w in tuple(use) + HELDOUT_WRITERS:
        convs = read_jsonl(os.path.join(CONV_DIR, w + ".jsonl"))
        if w in HELDOUT_WRITERS:
            for c in convs:
                held[c["language"]].append(c)
            continue
        for i, c in enumerate(convs):
            (wdev if i % 10 == 5 else wtrain).append(c)
    seqsets["writers.train"] = SeqSet(writer_seqs(wtrain), tok)
    seqsets["writers.dev"] = SeqSet(writer_seqs(wdev), tok)
    seqsets["heldout.es"] = SeqSet(writer_seqs(held["es"]), tok)
    seqsets["heldout.en"] = SeqSet(writer_seqs(held["en"]), tok)
    dl = os.path.join(data, "dialogue")
    for n in ("maia.train", "maia.dev", "mmeld-es.train", "mmeld-es.dev", "dailydialog.train", "dailydialog.dev"):
        p = os.path.join(dl, n + ".jsonl")
        if not os.path.exists(p):
            log("missing", p)
            continue
        ds = read_jsonl(p)
        if n == "dailydialog.train" and args.dailydialog_keep < 1.0:
            r = random.Random(args.seed)
            ds = [d for d in ds if r.random() < args.dailydialog_keep]
        if n == "maia.train" and args.select_maia > 0:
            # Real support chats in the selection: a slice of MAIA's train split, kept out of training (maia.dev stays a measure).
            seqsets["maia.sel"] = SeqSet(dialogue_seqs("maia.train", [d for i, d in enumerate(ds) if i % 10 == 5]), tok)
            ds = [d for i, d in enumerate(ds) if i % 10 != 5]
        seqsets[n] = SeqSet(dialogue_seqs(n, ds), tok)
    global SELECT
    if args.select_maia > 0:
        if not 0 < args.select_maia < 1:
            sys.exit("--select-maia must be between 0 and 1")
        SELECT = {n: round(w * (1 - args.select_maia), 4) for n, w in SELECT.items()}
        SELECT["maia.sel"] = args.select_maia
    mix = dict(SENTENCE_SOURCES, **DIALOGUE_SOURCES)
    for kv in filter(None, args.mix.split(",")):
        k, v = kv.split("=")
        mix[k] = float(v)
    if mix.get("uss.all", 0) > 0:
        ds = []
        for n in ("uss-multiwoz21", "uss-sgd", "uss-redial", "uss-ccpe"):
            p = os.path.join(dl, n + ".all.jsonl")
            if os.path.exists(p):
                ds += read_jsonl(p)
        seqsets["uss.all"] = SeqSet(dialogue_seqs("uss", ds), tok)
    mix = {k: v for k, v in mix.items() if v > 0 and k in seqsets}
    log("sequences:", {n: (s.n_seq, len(s.ids)) for n, s in seqsets.items()}, f"({time.time() - t0:.0f}s)")

    # ---- frozen encoder features, once
    net = ContextNet(members, state=args.state, mix=args.mix_dim)
    tc = time.time()
    n_turns = 0
    for n, st in seqsets.items():
        st.pooled = cache_pooled(net, st, S)
        n_turns += len(st.ids)
    # both held-out writers together (features already computed)
    seqsets["heldout"] = SeqSet(writer_seqs(held["es"] + held["en"]), tok)
    seqsets["heldout"].pooled = torch.cat([seqsets["heldout.es"].pooled, seqsets["heldout.en"].pooled])
    log(f"encoder features of {n_turns} turns in {time.time() - tc:.0f}s")

    # ---- class weights over one epoch's expected turns
    vc, ec = np.zeros(3), np.zeros(len(EMOTION))
    for n, m in mix.items():
        st = seqsets[n]
        for c in range(3):
            vc[c] += m * np.sum(st.val == c)
        ec += m * st.emo.sum(0)
    vw = torch.tensor((vc.sum() / (3 * vc)) ** 0.75, dtype=torch.float32)
    ew = torch.tensor(np.clip((ec.sum() / (len(EMOTION) * np.maximum(ec, 1))) ** 0.5, 0.3, 5.0), dtype=torch.float32)
    log("valence counts", vc.round(), "weights", vw.numpy().round(3), "| emotion weights", ew.numpy().round(3))

    tune = args.tune_encoder > 0
    for m in members:
        for name, p in m.named_parameters():
            p.requires_grad_((name.startswith("hidden.") and not args.freeze_hidden)
                             or (tune and not name.startswith(("hidden.", "valence.", "emotion."))))
    hidden_params = [p for m in members for n, p in m.named_parameters() if p.requires_grad and n.startswith("hidden.")]
    enc_params = [p for m in members for n, p in m.named_parameters() if p.requires_grad and not n.startswith("hidden.")]
    ctx_params = [p for n, p in net.named_parameters() if not n.startswith("members.")]
    groups = [{"params": ctx_params, "lr": args.lr, "base": args.lr}]
    if hidden_params:
        groups.append({"params": hidden_params, "lr": args.hidden_lr, "base": args.hidden_lr})
    if enc_params:
        # the encoder's own features move too: the cached ones are recomputed before every evaluation
        groups.append({"params": enc_params, "lr": args.tune_encoder, "base": args.tune_encoder, "wd": 0.0})
    for g in groups:
        g["weight_decay"] = g.pop("wd", 1e-4)
    opt = torch.optim.AdamW(groups)
    n_params = sum(p.numel() for g in groups for p in g["params"])
    log("trained parameters", n_params)
    rng = np.random.RandomState(args.seed)

    def epoch_batches():
        # lone sentences and dialogues in batches of their own (a sentence batch needs no state loop), in mixed order
        batches = []
        for kind in (SENTENCE_SOURCES, DIALOGUE_SOURCES):
            items = []
            for n, m in mix.items():
                if n not in kind:
                    continue
                N = seqsets[n].n_seq
                for _ in range(int(m)):
                    items.extend((n, i) for i in range(N))
                frac = m - int(m)
                if frac > 0:
                    items.extend((n, int(i)) for i in rng.choice(N, int(round(frac * N)), replace=False))
            rng.shuffle(items)
            cur, turns = [], 0
            for it in items:
                st = seqsets[it[0]]
                k = st.bounds[it[1] + 1] - st.bounds[it[1]]
                if cur and turns + k > args.batch_turns:
                    batches.append(cur)
                    cur, turns = [], 0
                cur.append(it)
                turns += k
            if cur:
                batches.append(cur)
        order = rng.permutation(len(batches))
        return [batches[i] for i in order]

    enc_version = [0]   # bumped whenever a trained encoder's weights change (after each epoch, when the best state is back)

    def refresh(names):
        # a trained encoder: the features of the sets about to be read are computed again, once per weight version
        # ("heldout" is its two halves' features, as at the start)
        if not tune:
            return
        for n in names:
            st = seqsets.get(n)
            if st is None or getattr(st, "pooled_at", None) == enc_version[0]:
                continue
            if n == "heldout":
                refresh(["heldout.es", "heldout.en"])
                st.pooled = torch.cat([seqsets["heldout.es"].pooled, seqsets["heldout.en"].pooled])
            else:
                st.pooled = cache_pooled(net, st, S)
            st.pooled_at = enc_version[0]

    def evaluate_all(names, context=True):
        refresh(names)
        out = {}
        for n in names:
            if n in seqsets:
                pv, pe = predict_set(net, seqsets[n], context)
                out[n] = scores(seqsets[n], pv, pe)
                if n in REPORT_SEQ:
                    who = np.array(seqsets[n].who)
                    for w in ("customer", "agent"):
                        out[n][w] = scores(seqsets[n], pv, pe, who == w)
        return out

    def select_score():
        r = evaluate_all(list(SELECT))
        return sum(w * r[n]["valence_macro_f1"] for n, w in SELECT.items() if n in r), r

    total = args.epochs * len(epoch_batches())
    step, best, best_state, best_epoch, bad = 0, -1.0, None, 0, 0
    for ep in range(1, args.epochs + 1):
        net.train()
        for m in members:
            if tune:
                m.train()      # a trained encoder: its token dropout on too
            else:
                m.eval()       # no dropout inside the frozen encoder (its features are cached from eval mode)
                m.drop.train() # ... but the hidden layers' dropout is on
        te, tl, nb = time.time(), 0.0, 0
        for batch in epoch_batches():
            pooled, seq, pos, length, refs = gather(seqsets, batch, cached=not tune)
            if tune:
                pooled = net.pooled(pad_turns([seqsets[n].ids[k] for n, k in refs], S))
            spk = torch.from_numpy(np.array([seqsets[n].spk[k] for n, k in refs]))
            yv = torch.from_numpy(np.array([seqsets[n].val[k] for n, k in refs]))
            ye = torch.from_numpy(np.stack([seqsets[n].emo[k] for n, k in refs]))
            he = torch.from_numpy(np.array([seqsets[n].has_emo[k] for n, k in refs]))
            lv, le = net.forward_sequences(pooled, spk, seq, pos, len(batch), length)
            loss = 0.0
            if (yv >= 0).any():
                loss = F.cross_entropy(lv, yv, weight=vw, ignore_index=-100, label_smoothing=args.smoothing)
            if he.sum() > 0:
                tgt = ye * (1 - args.smoothing) + args.smoothing / len(EMOTION)
                per = -(tgt * F.log_softmax(le, -1) * ew).sum(-1)
                loss = loss + args.emo_weight * (per * he).sum() / (ew[ye.argmax(-1)] * he).sum()
            step += 1
            if not torch.is_tensor(loss):
                continue
            frac = max(1.0 - step / total, 0.05)
            for g in opt.param_groups:
                g["lr"] = g["base"] * frac
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += float(loss)
            nb += 1
        enc_version[0] += 1
        sc, r = select_score()
        rep = evaluate_all(["heldout", "maia.dev", "xlmt-es.val", "xlmt-en.val"])
        log(f"epoch {ep} loss {tl / max(nb, 1):.4f} {time.time() - te:.0f}s select {sc:.4f} "
            + " ".join(f"{n} {r[n]['valence_macro_f1']:.4f}" for n in SELECT if n in r)
            + " | report " + " ".join(f"{n} {v['valence_macro_f1']:.4f}" for n, v in rep.items())
            + f" | heldout customer {rep['heldout']['customer']['valence_macro_f1']:.4f}"
            + (f" maia customer {rep['maia.dev']['customer']['valence_macro_f1']:.4f}" if "maia.dev" in rep else ""))
        if sc > best:
            best, best_epoch, bad = sc, ep, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
            if bad >= args.patience:
                log("early stop")
                break
    net.load_state_dict(best_state)
    enc_version[0] += 1
    net.eval()
    train_seconds = time.time() - t0
    log(f"selected epoch {best_epoch} (select {best:.4f}); {train_seconds:.0f}s")
    if args.save_state:
        torch.save({"state": best_state, "args": vars(args)}, args.save_state)

    # ---- metrics (held-out writers and every dev split; never used above)
    metrics = {"version": None, "encoder": enc_version, "selected_epoch": best_epoch, "select_score": round(best, 4),
               "select_splits": SELECT, "train_seconds": round(train_seconds, 1), "trained_parameters": n_params,
               "dedup_dropped": dedup, "derived_valence": derived, "capped": capped, "mix": mix, "lexicon": lex_info,
               "sequences": {n: {"sequences": s.n_seq, "turns": len(s.ids)} for n, s in seqsets.items()},
               "context": evaluate_all(REPORT_SEQ), "no_context": evaluate_all(REPORT_SEQ, context=False),
               "sentences": evaluate_all(REPORT_SENT + REPORT_EMO)}
    for k in ("context", "no_context"):
        log(k, json.dumps({n: {"all": round(v.get("valence_macro_f1", 0), 4),
                               "customer": round(v["customer"].get("valence_macro_f1", 0), 4),
                               "agent": round(v["agent"].get("valence_macro_f1", 0), 4),
                               "emotion": round(v.get("emotion_macro_f1", 0), 4)} for n, v in metrics[k].items()}))
    log("sentences", json.dumps({n: round(v.get("valence_macro_f1", v.get("emotion_macro_f1", 0)), 4)
                                 for n, v in metrics["sentences"].items()}))
    if args.no_export:
        return
    from export_ctx import export_all
    export_all(net, tok, args.out, metrics, vars(args), seqsets)


if __name__ == "__main__":
    main()
