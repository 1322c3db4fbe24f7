"""Build models/tiny-hf/: a tiny BERT-shaped sequence classifier in the layout of a Hugging Face export.

It exists to test the runtime's support for standard HF exports (WordPiece tokenizer + input_ids/attention_mask/
token_type_ids -> logits), not to be a good model: 2 layers, hidden 32, trained for a few seconds on valence data.

Files: model.onnx, config.json, vocab.txt, tokenizer_config.json, special_tokens_map.json, hf_parity.jsonl.
The BERT basic tokenizer and WordPiece below are written from the published algorithm description.
"""
import argparse
import collections
import json
import math
import os
import random
import sys
import unicodedata

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
LABELS = ["negative", "neutral", "positive"]
MAX_LEN = 128


# ---------------------------------------------------------------- BERT basic tokenization + WordPiece
def _is_whitespace(c):
    if c in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(c) == "Zs"


def _is_control(c):
    if c in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(c) in ("Cc", "Cf")


def _is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokenize(text):
    # clean: drop NUL, U+FFFD and control characters; whitespace -> space
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or _is_control(c):
            continue
        out.append(" " if _is_whitespace(c) else c)
    text = "".join(out)
    # CJK characters become words of their own
    text = "".join((" " + c + " ") if _is_cjk(ord(c)) else c for c in text)
    words = []
    for tok in text.strip().split():
        tok = tok.lower()
        tok = unicodedata.normalize("NFD", tok)
        tok = "".join(c for c in tok if unicodedata.category(c) != "Mn")
        cur = []
        for c in tok:
            if _is_punctuation(c):
                if cur:
                    words.append("".join(cur))
                    cur = []
                words.append(c)
            else:
                cur.append(c)
        if cur:
            words.append("".join(cur))
    return words


def wordpiece(word, vocab, max_chars=100):
    if len(word) > max_chars:
        return ["[UNK]"]
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        cur = None
        while start < end:
            sub = word[start:end]
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return ["[UNK]"]
        pieces.append(cur)
        start = end
    return pieces


def encode(text, vocab):
    toks = ["[CLS]"]
    for w in basic_tokenize(text):
        toks.extend(wordpiece(w, vocab))
    toks = toks[: MAX_LEN - 1] + ["[SEP]"]
    return [vocab[t] for t in toks]


def build_vocab(texts, n_words=2500, n_suffix=900):
    wc = collections.Counter()
    for t in texts:
        wc.update(basic_tokenize(t))
    chars = collections.Counter()
    suf = collections.Counter()
    for w, c in wc.items():
        for ch in w:
            chars[ch] += c
        for k in range(1, min(4, len(w) - 1) + 1):
            suf[w[-k:]] += c
        for k in range(2, min(5, len(w)) + 1):  # word-initial pieces for unknown words
            suf["^" + w[:k]] += c
    vocab = list(SPECIALS)
    seen = set(vocab)

    def add(t):
        if t not in seen:
            seen.add(t)
            vocab.append(t)

    for ch, c in sorted(chars.items(), key=lambda x: (-x[1], x[0])):
        if c >= 3:
            add(ch)
            add("##" + ch)
    for w, _ in sorted(wc.items(), key=lambda x: (-x[1], x[0]))[:n_words]:
        add(w)
    for s, _ in sorted(suf.items(), key=lambda x: (-x[1], x[0]))[:n_suffix]:
        add(s[1:] if s.startswith("^") else "##" + s)
    return vocab


# ---------------------------------------------------------------- tiny transformer encoder (shared with make_tiny_hf_sp.py)
def encoder_layers(hidden, layers, inter, eps):
    """Post-LayerNorm transformer layers: fused q/k/v, attention output, GELU feed-forward."""
    return nn.ModuleList(nn.ModuleDict({
        "qkv": nn.Linear(hidden, 3 * hidden), "out": nn.Linear(hidden, hidden),
        "ln1": nn.LayerNorm(hidden, eps=eps), "ff1": nn.Linear(hidden, inter),
        "ff2": nn.Linear(inter, hidden), "ln2": nn.LayerNorm(hidden, eps=eps)}) for _ in range(layers))


def run_encoder(layers, heads, x, attention_mask, B, T):
    """Runs the embedded batch x [B, T, H] through the layers; padding (attention_mask 0) is masked out.
    B and T come from the caller's input_ids.shape, so the traced ONNX graph is the same as before the split."""
    H = x.shape[-1]
    d = H // heads
    bias = (1.0 - attention_mask.to(torch.float32))[:, None, None, :] * -10000.0
    for L in layers:
        q, k, v = L["qkv"](x).split(H, dim=-1)
        q = q.view(B, T, heads, d).transpose(1, 2)
        k = k.view(B, T, heads, d).transpose(1, 2)
        v = v.view(B, T, heads, d).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
        a = (att @ v).transpose(1, 2).reshape(B, T, H)
        x = L["ln1"](x + L["out"](a))
        x = L["ln2"](x + L["ff2"](F.gelu(L["ff1"](x))))
    return x


# ---------------------------------------------------------------- tiny BERT
class TinyBert(nn.Module):
    def __init__(self, vocab_size, hidden=32, layers=2, heads=2, inter=64, max_pos=MAX_LEN, n_labels=3):
        super().__init__()
        self.heads = heads
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.pos = nn.Embedding(max_pos, hidden)
        self.tok_type = nn.Embedding(2, hidden)
        self.emb_ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = encoder_layers(hidden, layers, inter, eps=1e-12)
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, n_labels)

    def forward(self, input_ids, attention_mask, token_type_ids):
        B, T = input_ids.shape
        pos = torch.arange(T, dtype=torch.long).unsqueeze(0).expand(B, T)
        x = self.emb_ln(self.word(input_ids) + self.pos(pos) + self.tok_type(token_type_ids))
        x = run_encoder(self.layers, self.heads, x, attention_mask, B, T)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(pooled)


HF_PARITY_TEXTS = [
    "Hola, buenos días",
    "¡Muchísimas gracias por su ayuda, señorita!",
    "me han cobrado dos veces y nadie me da una solución",
    "¿Por qué me cortaron la llamada? Esto es una vergüenza...",
    "ÁÉÍÓÚ ÜÑ áéíóú üñ",
    "I was charged twice and nobody is helping me",
    "Thank you so much, you've been really helpful!",
    "can't believe it's 2024 and you still lose luggage #fail",
    "escríbeme a soporte@ejemplo.com o visita https://ejemplo.com/ayuda?id",
    "mixed中文text",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "x" * 120,
    "",
    "50% - ¿seguro?",
    "el 5G no funciona desde el 03/05",
    "naïve café façade Straße",
    "ok",
    "(paréntesis) [corchetes] {llaves} «comillas» “curly” — guion… fin.",
    "   espacios   múltiples   ",
    "ñandú pingüino cigüeña",
]

# Standard BERT tokenization (HF BertTokenizer) of these differs from Microsoft.ML.Tokenizers 2.0.1 BertTokenizer,
# which (as measured with models/train/ortcheck) drops symbol characters (Unicode S*: $ = + < ^ ` | ~ emoji ...)
# instead of emitting them as tokens, deletes tab/newline instead of treating them as spaces, and does not split
# on '_'. They are written to hf_parity_divergent.jsonl with the standard ids.
HF_DIVERGENT_TEXTS = [
    "Qué mal servicio 😡",
    "hola😊",
    "tab\tseparated\nnew line",
    "$100 = 50 + 50",
    "user_name",
    "a^b`c|d~e<f>g",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("EMOTION_DATA", os.path.join(REPO, "..", "shared", "data")))
    ap.add_argument("--indomain", default=os.path.join(REPO, "models", "data", "indomain"))
    ap.add_argument("--out", default=os.path.join(REPO, "models", "tiny-hf"))
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(2)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    rows = []
    for name in ("xlmt-es.train", "xlmt-en.train"):
        p = os.path.join(args.data, "text", name + ".jsonl")
        if os.path.exists(p):
            rows += [json.loads(l) for l in open(p, encoding="utf-8")]
    p = os.path.join(args.indomain, "train.jsonl")
    if os.path.exists(p):
        rows += [json.loads(l) for l in open(p, encoding="utf-8")]
    rows = [r for r in rows if r.get("valence") is not None]
    if not rows:
        sys.exit("no training text found")
    vocab_list = build_vocab([r["text"] for r in rows])
    vocab = {t: i for i, t in enumerate(vocab_list)}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "vocab.txt"), "w", encoding="utf-8") as f:
        for t in vocab_list:
            f.write(t + "\n")

    model = TinyBert(len(vocab_list))
    enc = [(encode(r["text"], vocab), int(r["valence"]) + 1) for r in rows]
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for step in range(args.steps):
        batch = [enc[i] for i in np.random.randint(0, len(enc), 32)]
        T = max(len(x) for x, _ in batch)
        ids = torch.zeros((len(batch), T), dtype=torch.long)
        mask = torch.zeros((len(batch), T), dtype=torch.long)
        for i, (x, _) in enumerate(batch):
            ids[i, : len(x)] = torch.tensor(x)
            mask[i, : len(x)] = 1
        y = torch.tensor([c for _, c in batch])
        loss = F.cross_entropy(model(ids, mask, torch.zeros_like(ids)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    print(f"tiny-hf: vocab {len(vocab_list)}, params {sum(p.numel() for p in model.parameters())}, "
          f"final train loss {float(loss):.3f}")

    onnx_path = os.path.join(args.out, "model.onnx")
    dummy = torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]], dtype=torch.long)
    dmask = (dummy != 0).long()
    torch.onnx.export(model, (dummy, dmask, torch.zeros_like(dummy)), onnx_path,
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "token_type_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
                      opset_version=15, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(onnx_path))

    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": len(vocab_list),
        "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": MAX_LEN, "type_vocab_size": 2, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "pad_token_id": 0, "position_embedding_type": "absolute",
        "problem_type": "single_label_classification",
        "id2label": {str(i): l for i, l in enumerate(LABELS)}, "label2id": {l: i for i, l in enumerate(LABELS)},
        "torch_dtype": "float32",
        "_comment": "tiny test model generated by models/train/make_tiny_hf.py; not for production use",
    }
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "do_basic_tokenize": True,
                   "strip_accents": None, "tokenize_chinese_chars": True, "model_max_length": MAX_LEN,
                   "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                   "mask_token": "[MASK]"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "special_tokens_map.json"), "w", encoding="utf-8") as f:
        json.dump({"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                   "mask_token": "[MASK]"}, f, indent=2)
        f.write("\n")
    inv = {i: t for t, i in vocab.items()}
    for fname, texts in (("hf_parity.jsonl", HF_PARITY_TEXTS), ("hf_parity_divergent.jsonl", HF_DIVERGENT_TEXTS)):
        with torch.no_grad(), open(os.path.join(args.out, fname), "w", encoding="utf-8") as f:
            for text in texts:
                ids = encode(text, vocab)
                x = torch.tensor([ids])
                logits = model(x, torch.ones_like(x), torch.zeros_like(x))[0]
                f.write(json.dumps({"text": text, "tokens": [inv[i] for i in ids], "input_ids": ids,
                                    "logits": [round(float(v), 6) for v in logits]}, ensure_ascii=False) + "\n")
    print("tiny-hf written to", args.out)


if __name__ == "__main__":
    main()
