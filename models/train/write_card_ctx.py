"""Write models/emotion-v2/MODEL_CARD.md from its metrics.json. The section between <!-- product:start --> and
<!-- product:end --> (figures measured through the product: `emotion analyze` with the harness, `emotion score`,
BenchmarkDotNet) is kept from the existing card."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MODEL_DIR = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(REPO, "models", "emotion-v2")


def f(x):
    return "—" if x is None else f"{x:.3f}"


def main():
    m = json.load(open(os.path.join(MODEL_DIR, "metrics.json"), encoding="utf-8"))
    splits = json.load(open(os.path.join(os.path.dirname(MODEL_DIR), "data", "conversations", "splits.json"), encoding="utf-8"))
    card_path = os.path.join(MODEL_DIR, "MODEL_CARD.md")
    kept = "<!-- product:start -->\n(not measured yet: see models/README.md, \"emotion-v2\")\n<!-- product:end -->"
    if os.path.exists(card_path):
        old = open(card_path, encoding="utf-8").read()
        g = re.search(r"<!-- product:start -->.*?<!-- product:end -->", old, re.S)
        if g:
            kept = g.group(0)
    ctx, noctx, sent = m["context"], m["no_context"], m["sentences"]

    def v(d, n, who=None):
        r = d.get(n)
        if r is None:
            return None
        r = r.get(who, {}) if who else r
        return r.get("valence_macro_f1")

    rows = []
    for n, label in [("heldout", "held-out writers w5 + w7 (written, es + en)"), ("heldout.es", "held-out w5 (es)"),
                     ("heldout.en", "held-out w7 (en)"), ("writers.dev", "train writers' selection conversations"),
                     ("maia.dev", "MAIA dev (real support chats, English MT)"), ("mmeld-es.dev", "M-MELD es dev (TV)"),
                     ("dailydialog.dev", "DailyDialog dev")]:
        if n in ctx:
            rows.append(f"| {label} | {ctx[n]['valence_n']} | {f(v(ctx, n))} | {f(v(ctx, n, 'customer'))} | "
                        f"{f(v(ctx, n, 'agent'))} | {f(ctx[n].get('emotion_macro_f1'))} | {f(v(noctx, n))} | "
                        f"{f(v(noctx, n, 'customer'))} |")
    srows = [f"| {n} | {sent[n]['valence_n']} | {f(sent[n]['valence_macro_f1'])} |" for n in
             ["xlmt-es.val", "xlmt-en.val", "tass2020.dev", "meld.dev", "indomain.dev"] if n in sent and "valence_n" in sent[n]]
    erows = [f"| {n} | {sent[n]['emotion_n']} | {f(sent[n]['emotion_macro_f1'])} |" for n in
             ["goemotions.dev", "emoevent-es.dev", "emoevent-en.dev", "tweeteval-emotion.val", "meld.dev", "indomain.dev"]
             if n in sent and "emotion_n" in sent[n]]
    mix = ", ".join(f"{k} x{v:g}" for k, v in m["mix"].items())
    tune = (m.get("hyperparameters") or {}).get("tune_encoder") or 0
    tuned = (f"embeddings and convolutions trained on with the rest at learning rate {tune:g}, hidden layers trained again"
             if tune else "convolution features frozen, hidden layers trained again")
    text = f"""# Model card: {m['version']} (context-aware turn model)

## What it is
A turn model that reads each turn of a conversation with the conversation before it. The turn encoder is
{m['encoder']}'s (`models/emotion-v1`: hashed sub-word and GloVe features, width-1/3/5 convolutions, two seed
members; {tuned}); on top, a speaker embedding (0 unknown, 1
customer, 2 agent) and a GRU context state of {m['state_size']} values that carries the earlier turns of both speakers
and who said them. Valence (negative, neutral, positive) and emotion (anger, sadness, fear, confusion, neutral, joy,
gratitude) come from the turn vector, the state before the turn and the speaker.

`model.onnx` is one turn step (opset {m['opset']}, {m['onnx_bytes'] / 1e6:.1f} MB):
- inputs `input_ids` int64 [batch, tokens, 17] (tokenizer `emotion-hash-v1`, `tokenizer.json` + `vocab.txt`, as
  emotion-v1), `speaker` int64 [batch], `state` float [batch, {m['state_size']}] (zeros before a conversation's first turn
  and for a lone sentence);
- outputs `valence_probs` [batch, 3], `emotion_probs` [batch, 7], `state_out` [batch, {m['state_size']}] (the state to
  pass with the conversation's next turn).
The caller keeps one state per conversation, so a turn is encoded once and never again; a batch holds turns of many
conversations. `src/Sentiment`: `IContextSentimentModel.PredictInContext`; `ISentimentModel.Predict` reads a lone
sentence (unknown speaker, zero state). `parity.jsonl`: lone sentences and invented conversations scored turn by turn
(tokens, ids, probabilities, states), which the C# tests reproduce within 1e-4.

## Training (`bash models/train.sh`, or `--context-only` on the committed emotion-v1)
`models/train/train_ctx.py`, seed 13, {m['hyperparameters']['threads']} threads, {m['train_seconds'] / 60:.0f} minutes on
this machine (the encoder's features are computed once; only the hidden layers and the context part train:
{m['trained_parameters']:,} parameters). Epoch selected ({m['selected_epoch']}) on the train writers' selection
conversations (every 10th conversation of each train writer: {', '.join(splits['train'])}, from
`models/data/conversations/splits.json`; weight 0.5), tass2020 dev and meld dev (0.25 each). The held-out writers
{' and '.join(splits['heldout'])}, MAIA dev and the xlmt val splits choose nothing.

Sequences per epoch: {mix}. Each dialogue is a sequence of turns; each single sentence a sequence of one (unknown
speaker, zero state). Label maps: `models/README.md` ("emotion-v2").

**Licences**: everything emotion-v1 was trained on (see `models/emotion-v1/MODEL_CARD.md`: research-only and
non-commercial sources among them) plus the project's written conversations (own), MAIA-DQE (CC BY-ND 4.0: trained
and measured on, no text of it in this repository), M-MELD (MELD is GPL-3.0; Friends subtitles), DailyDialog
(CC BY-NC-SA 4.0). **Not for commercial use as is.**

## Scores measured by the trainer (the network, no analyzer rules)
Turn valence macro-F1 with context (each conversation read in order) and without (zero state before every turn,
speaker kept):

| set | turns | all | customer | agent | emotion macro-F1 | all, no context | customer, no context |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

MAIA: customer turns under the source's map; agent turns under the project's convention (an agent's empathy
sentence is 0). Dialogue that is not contact center (M-MELD, DailyDialog): the first speaker reads as "customer" in the
table, and the model saw their speakers as two parties of their own.

Lone sentences (zero state, unknown speaker), valence macro-F1:

| split | n | {m['version']} |
|---|---|---|
{chr(10).join(srows)}

Emotion macro-F1 of lone sentences:

| split | n | {m['version']} |
|---|---|---|
{chr(10).join(erows)}

## Measured through the product
{kept}
"""
    with open(card_path, "w", encoding="utf-8") as fo:
        fo.write(text)
    print("wrote", card_path)


if __name__ == "__main__":
    main()
