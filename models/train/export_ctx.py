"""Export a trained ContextNet to models/emotion-v2/: model.onnx (one turn step with the context state as input and
output), tokenizer.json (+ vocab.txt), labels.json, parity.jsonl, metrics.json. MODEL_CARD.md: write_card_ctx.py."""
import json
import os
import time

import numpy as np
import onnx
import torch

from export import PARITY_TEXTS, OPSET
from labels import VALENCE, EMOTION
from model_ctx import ContextExport, SPEAKERS

VERSION = "emotion-v2.2"

# Invented conversations for the parity fixtures (speaker, text): the C# test carries the state from turn to turn.
PARITY_CONVERSATIONS = [
    ("p-es-1", [
        ("agent", "buenas tardes le habla sofía en qué le puedo ayudar"),
        ("customer", "hola mire me cobraron dos veces la cuota de este mes"),
        ("agent", "a ver déjeme revisar [hold 1 min] sí veo los dos cargos pero por política el segundo no se puede devolver"),
        ("customer", "excelente servicio eh"),
        ("customer", "ok gracias"),
    ]),
    ("p-es-2", [
        ("customer", "Holaaa tengo un problema con mi pedido 😡"),
        ("agent", "¡Hola! Lamento la demora, ya revisé y el reembolso quedó aplicado hoy."),
        ("customer", "ok gracias"),
        ("customer", "de verdad mil gracias, me salvaste 😊"),
    ]),
    ("p-en-1", [
        ("agent", "thank you for calling this is mark how can i help"),
        ("customer", "i was charged a late fee but i paid on the due date"),
        ("agent", "i see that the fee stays on the account i'm afraid"),
        ("customer", "brilliant absolutely brilliant"),
        ("agent", "is there anything else"),
        ("customer", "no that's all thanks"),
    ]),
]


def export_onnx(net, path, S, H):
    wrapper = ContextExport(net).eval()
    ids = torch.ones((2, 5, S), dtype=torch.int64)
    spk = torch.tensor([1, 2], dtype=torch.int64)
    st = torch.zeros((2, H), dtype=torch.float32)
    torch.onnx.export(wrapper, (ids, spk, st), path, input_names=["input_ids", "speaker", "state"],
                      output_names=["valence_probs", "emotion_probs", "state_out"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "speaker": {0: "batch"},
                                    "state": {0: "batch"}, "valence_probs": {0: "batch"},
                                    "emotion_probs": {0: "batch"}, "state_out": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    m.producer_name = "emotion-models-train"
    m.doc_string = (f"{VERSION}: context-aware turn model; valence {VALENCE}, emotion {EMOTION}; tokenizer "
                    f"emotion-hash-v1; speaker 0 unknown, 1 customer, 2 agent; state [batch, {H}] zeros before the "
                    f"first turn")
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return wrapper


def _speech(text):
    import re
    return " ".join(re.sub(r"\[[^\[\]]*\]", " ", text).split())


@torch.no_grad()
def write_parity(wrapper, tok, path, H):
    rows = []
    S = tok.params["max_subwords"]

    def row(text, speaker, state, conv=None, turn=None):
        toks, ids = tok.encode(text)
        x = torch.from_numpy(tok.batch([text]))
        v, e, h = wrapper(x, torch.tensor([speaker]), state)
        r = {"conversation": conv, "turn": turn, "speaker": speaker, "text": text, "tokens": toks, "input_ids": ids}
        if tok.vocab is not None:
            r["vocab_ids"] = [int(i) for i in x[0, :, S]]
        r.update({"valence_probs": [round(float(p), 7) for p in v[0]],
                  "emotion_probs": [round(float(p), 7) for p in e[0]],
                  "state_out": [round(float(p), 7) for p in h[0]]})
        rows.append(r)
        return h

    zero = torch.zeros((1, H))
    for text in PARITY_TEXTS:
        row(text, SPEAKERS["unknown"], zero)
    for cid, turns in PARITY_CONVERSATIONS:
        state = zero
        for k, (who, text) in enumerate(turns):
            state = row(_speech(text), SPEAKERS[who], state, cid, k)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # batch consistency: padding and batch neighbours must not change a row
    texts = [r["text"] for r in rows]
    spk = torch.tensor([r["speaker"] for r in rows])
    st = torch.from_numpy(np.random.RandomState(0).normal(0, 0.5, (len(rows), H)).astype(np.float32))
    vb, eb, hb = wrapper(torch.from_numpy(tok.batch(texts)), spk, st)
    for i, t in enumerate(texts):
        v1, e1, h1 = wrapper(torch.from_numpy(tok.batch([t])), spk[i:i + 1], st[i:i + 1])
        assert torch.allclose(v1[0], vb[i], atol=1e-5) and torch.allclose(h1[0], hb[i], atol=1e-5), t
    return len(rows)


def check_steps_match_sequences(net, tok, H):
    """The exported step, chained, gives what forward_sequences (training and evaluation) gives."""
    from train_ctx import pad_turns
    texts, spks = [], []
    for _, turns in PARITY_CONVERSATIONS[:2]:
        texts.append([_speech(t) for _, t in turns])
        spks.append([SPEAKERS[w] for w, _ in turns])
    S = tok.width
    ids = [tok.encode_padded(t) for conv in texts for t in conv]
    seq = torch.tensor([i for i, c in enumerate(texts) for _ in c])
    pos = torch.tensor([p for c in texts for p in range(len(c))])
    spk = torch.tensor([s for c in spks for s in c])
    with torch.no_grad():
        v_all, _ = net.forward_sequences(net.pooled(pad_turns(ids, S)), spk, seq, pos, len(texts),
                                          max(len(c) for c in texts))
        k = 0
        for c, sp in zip(texts, spks):
            h = torch.zeros((1, H))
            for t, s in zip(c, sp):
                v, _, h = net.step(torch.from_numpy(tok.batch([t])), torch.tensor([s]), h)
                assert torch.allclose(torch.softmax(v[0], -1), torch.softmax(v_all[k], -1), atol=1e-5), t
                k += 1


@torch.no_grad()
def python_speed(wrapper, tok, texts, H, threads=2):
    torch.set_num_threads(threads)
    rng = np.random.RandomState(0)
    pool = [t for t in texts if 3 <= len(t.split()) <= 40]
    sample = [pool[i] for i in rng.choice(len(pool), 2048, replace=len(pool) < 2048)]
    t = time.perf_counter()
    for s in range(0, len(sample), 256):
        chunk = sample[s: s + 256]
        wrapper(torch.from_numpy(tok.batch(chunk)), torch.ones(len(chunk), dtype=torch.int64), torch.zeros(len(chunk), H))
    batched = len(sample) / (time.perf_counter() - t)
    return {"batched_turns_per_s": round(batched, 1), "threads": threads,
            "runtime": f"torch {torch.__version__} (Python), tokenization included"}


def export_all(net, tok, out_dir, metrics, args, seqsets):
    os.makedirs(out_dir, exist_ok=True)
    net.eval()
    H = net.state_size
    check_steps_match_sequences(net, tok, H)
    onnx_path = os.path.join(out_dir, "model.onnx")
    wrapper = export_onnx(net, onnx_path, tok.width, H)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    with open(os.path.join(out_dir, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"valence": VALENCE, "emotion": EMOTION, "version": VERSION,
                   "context": {"state_size": H, "speakers": {"unknown": 0, "customer": 1, "agent": 2}}},
                  f, ensure_ascii=False)
        f.write("\n")
    n = write_parity(wrapper, tok, os.path.join(out_dir, "parity.jsonl"), H)
    metrics["version"] = VERSION
    metrics["parity_rows"] = n
    metrics["onnx_bytes"] = os.path.getsize(onnx_path)
    metrics["opset"] = OPSET
    metrics["state_size"] = H
    metrics["hyperparameters"] = {k: v for k, v in args.items() if k not in ("data", "indomain", "out", "save_state")}
    with open(os.path.join(out_dir, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"exported {onnx_path} ({metrics['onnx_bytes']} bytes), {n} parity rows", flush=True)
