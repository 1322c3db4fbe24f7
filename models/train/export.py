"""Export a trained EmotionNet to models/emotion-v1/: model.onnx, tokenizer.json, labels.json, parity.jsonl,
metrics.json (MODEL_CARD.md is written by write_card.py from these)."""
import json
import os
import time

import numpy as np
import onnx
import torch

from labels import VALENCE, EMOTION

VERSION = "emotion-v1.3"
OPSET = 15

PARITY_TEXTS = [
    "",
    "   ",
    "Hola, buenos días",
    "¡Muchísimas gracias por su ayuda, señorita!",
    "me han cobrado dos veces y nadie me da una solución",
    "le comento que llevo tres semanas esperando la devolución",
    "¿Por qué me cortaron la llamada? Esto es una vergüenza",
    "estoy muy preocupado porque no sé si me van a bloquear la cuenta",
    "no entiendo nada de lo que me está explicando",
    "perfecto, ya quedó solucionado, mil gracias",
    "Noooooo puede serrrr, otra vez lo mismooo!!!",
    "siiiii muchas graciassss 😊",
    "Qué mal servicio 😡😡😡",
    "Me encanta 😍❤️ de verdad",
    "👍",
    "ok",
    "Mi número de cliente es 123456789 y el importe 45,90 €",
    "[silencio 40s] bueno sigo esperando",
    "[risas] vale vale [pausa 3s] entendido",
    "escríbeme a soporte@ejemplo.com o visita https://ejemplo.com/ayuda?id=3",
    "@Iberia llevo 2 horas en el aeropuerto y nadie informa",
    "mira www.ejemplo.es/tarifas antes de llamar",
    "ÁÉÍÓÚ ÜÑ áéíóú üñ ç",
    "Ñandú, pingüino, cigüeña y añoranza",
    "ESTOY HARTO DE ESPERAR",
    "la señora dice que ya pagó la factura del mes pasado",
    "gracias por nada",
    "I was charged twice and nobody is helping me",
    "Thank you so much, you've been really helpful!",
    "This is the worst customer service ever @united",
    "I'm worried my account will be blocked",
    "I don't understand what you mean",
    "Sooooo happy right now!!! 🎉",
    "ok thanks, bye",
    "Flight delayed again... #fail http://t.co/abc123",
    "can't believe it's 2024 and you still lose luggage",
    "e-mail: user_name@example.org; tel. +34 600 000 000",
    "tab\tseparated\nnew line text",
    "¿¿¿en serio???",
    "¡¡¡BRAVO!!!",
    "Straße café naïve façade",
    "İstanbul ıi",
    "emoji with skin tone 👍🏽 and flag 🇪🇸",
    "mixed中文text日本語",
    "The CAFÉ was amazing, naïve résumé 😊 but zzqxv wasn't",
    "Disappointed!!! never again... #fail :(",
    "x" * 30,
    # step 0 (unescape): text JSON-escaped twice upstream, pairs, lone surrogates, bad hex
    "I don\\u2019t like it\\u002c really",
    "jaja \\ud83d\\ude02 lone \\ud83d and \\ude02 x \\u00e9 \\uZZ12 \\u12 end \\u",
    "\\\\u0041 double backslash",
    # step 1b (emoticons)
    "gracias :) :-) =) :D XD xd xDDD ;) ;-D (: ): (; :( :-( :'( :[ :/ :-/ :| :P :p :* :o :O <3 <333 </3",
    "^^ ^_^ -_- -.- T_T ;_; o_O O.o :)) :))) :)( :)D ):) 8) :3 ok:) :)!! :),, ?:) \":)\" x xx Xd",
    "no me ayudaron :( pero bueno... ok gracias :/",
    "@user :) https://t.co/x:) [nota :)] :)",
    "aaa bbb ccc",
    "100% seguro, 3x2 en pizzas",
    "el 5G no funciona desde el 03/05",
    " ".join(["palabra%d" % i for i in range(40)] + ["muy", "mal", "servicio", "la", "verdad", "no"] * 8),
    "Estoy esperando desde hace una hora y media, me transfirieron cuatro veces, cada agente me pide los "
    "mismos datos, nadie sabe nada, me prometieron una llamada que nunca llegó, y ahora me dicen que el "
    "reclamo no existe en el sistema; quiero hablar con un supervisor ya mismo porque esto es inaceptable, "
    "llevo diez años como cliente y jamás me habían tratado así, de verdad que estoy pensando en cambiarme "
    "de compañía si no me lo solucionan hoy",
]


class _Export(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        v, e = self.m.encode(input_ids)
        return torch.softmax(v, dim=-1), torch.softmax(e, dim=-1)


def export_onnx(model, path, S):
    model.eval()
    # an EnsembleNet already returns the mean of its members' softmax probabilities
    wrapper = model if hasattr(model, "members") else _Export(model).eval()
    dummy = torch.ones((2, 5, S), dtype=torch.int64)
    torch.onnx.export(wrapper, (dummy,), path, input_names=["input_ids"],
                      output_names=["valence_probs", "emotion_probs"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "valence_probs": {0: "batch"},
                                    "emotion_probs": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    m.producer_name = "emotion-models-train"
    m.doc_string = f"{VERSION}: valence {VALENCE}, emotion {EMOTION}; tokenizer emotion-hash-v1"
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return wrapper


@torch.no_grad()
def python_speed(wrapper, tok, texts, threads=2):
    """Inference speed of the torch module in Python (tokenization included)."""
    torch.set_num_threads(threads)
    rng = np.random.RandomState(0)
    pool = [t for t in texts if 5 <= len(t.split()) <= 40]
    sample = [pool[i] for i in rng.choice(len(pool), 2048, replace=len(pool) < 2048)]
    # batched, 256 per batch
    t = time.perf_counter()
    for s in range(0, len(sample), 256):
        wrapper(torch.from_numpy(tok.batch(sample[s: s + 256])))
    batched = len(sample) / (time.perf_counter() - t)
    lat = []
    for x in sample[:500]:
        t = time.perf_counter()
        wrapper(torch.from_numpy(tok.batch([x])))
        lat.append(time.perf_counter() - t)
    lat = np.array(lat) * 1000
    return {"batched_utt_per_s": round(batched, 1), "single_p50_ms": round(float(np.percentile(lat, 50)), 3),
            "single_p99_ms": round(float(np.percentile(lat, 99)), 3), "threads": threads,
            "runtime": f"torch {torch.__version__} (Python), tokenization included, 5-40 word utterances"}


def export_all(model, tok, out_dir, metrics, args, speed_texts=None):
    os.makedirs(out_dir, exist_ok=True)
    S = tok.width
    onnx_path = os.path.join(out_dir, "model.onnx")
    if tok.vocab is None and os.path.exists(os.path.join(out_dir, "vocab.txt")):
        os.remove(os.path.join(out_dir, "vocab.txt"))
    wrapper = export_onnx(model, onnx_path, S)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    with open(os.path.join(out_dir, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"valence": VALENCE, "emotion": EMOTION, "version": VERSION}, f, ensure_ascii=False)
        f.write("\n")
    # parity fixtures: per-text single-item batches, probabilities from the exported network's torch twin
    with torch.no_grad(), open(os.path.join(out_dir, "parity.jsonl"), "w", encoding="utf-8") as f:
        for text in PARITY_TEXTS:
            toks, ids = tok.encode(text)
            x = torch.from_numpy(tok.batch([text]))
            v, e = wrapper(x)
            row = {"text": text, "tokens": toks, "input_ids": ids}
            if tok.vocab is not None:
                row["vocab_ids"] = [int(i) for i in x[0, :, tok.params["max_subwords"]]]
            row.update({"valence_probs": [round(float(p), 7) for p in v[0]],
                        "emotion_probs": [round(float(p), 7) for p in e[0]]})
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
        # batch consistency check: padding must not change results
        xb = torch.from_numpy(tok.batch(PARITY_TEXTS))
        vb, eb = wrapper(xb)
        for i, text in enumerate(PARITY_TEXTS):
            v1, e1 = wrapper(torch.from_numpy(tok.batch([text])))
            assert torch.allclose(v1[0], vb[i], atol=1e-5) and torch.allclose(e1[0], eb[i], atol=1e-5), text
    n_params = sum(p.numel() for p in model.parameters())
    metrics["parameters"] = n_params
    metrics["onnx_bytes"] = os.path.getsize(onnx_path)
    metrics["opset"] = OPSET
    if speed_texts:
        metrics["python_speed"] = python_speed(wrapper, tok, speed_texts)
    metrics["hyperparameters"] = {k: v for k, v in args.items() if k not in ("data", "indomain", "out", "state")}
    with open(os.path.join(out_dir, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2, ensure_ascii=False)
        f.write("\n")
