#!/usr/bin/env bash
# Makes the demo's call with audio: a Spanish billing complaint spoken by espeak-ng (agent and customer voices), with
# the customer breaking in over the agent, a 40-second hold with music, and the customer raising voice, pitch and pace.
# Writes OUT/es-audio-001.agent.wav, OUT/es-audio-001.customer.wav (16 kHz mono PCM16) and OUT/calls.jsonl, whose turn
# times are measured from the speech, for: emotion replay OUT/calls.jsonl --audio OUT
# Needs espeak-ng and sox (scripts/setup.sh installs them).
set -euo pipefail
OUT="${1:?usage: make-call.sh OUT_DIR}"
ID=es-audio-001
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# speaker|gap before it (s; negative = overlaps the previous turn)|espeak words per minute|espeak pitch|sox effects|text
TURNS=(
  "agent|0.5|160|40|vol 0.8|banco andino buenos días le habla carla en qué le puedo ayudar"
  "customer|0.6|165|60|vol 0.5|hola mire me cobraron dos veces la cuota del préstamo este mes"
  "agent|0.7|160|40|vol 0.8|lamento la situación déjeme revisar su cuenta un momento por favor"
  "customer|-1.2|175|60|vol 0.5|pero yo ya llamé la semana pasada y me dijeron lo mismo"
  "agent|0.8|160|40|vol 0.8|le voy a poner en espera mientras lo consulto con el área de cobranzas"
  "HOLD|0.5|0|0||40"
  "agent|0.5|160|40|vol 0.8|gracias por esperar ya veo el cobro duplicado"
  "customer|0.5|220|85|vol 1.0 pitch 300|esto es un abuso quiero que me devuelvan el dinero hoy mismo"
  "agent|0.7|150|40|vol 0.8|entiendo su molestia ya le reintegro el cobro duplicado en veinticuatro horas"
  "customer|0.8|160|60|vol 0.5|bueno gracias espero que esta vez sea verdad"
)

end=0
agent_parts=()
customer_parts=()
lines=()
i=0
for t in "${TURNS[@]}"; do
  IFS='|' read -r speaker gap wpm pitch effects text <<<"$t"
  start=$(awk -v e="$end" -v g="$gap" 'BEGIN { s = e + g; if (s < 0) s = 0; printf "%.3f", s }')
  if [ "$speaker" = HOLD ]; then
    # Hold music on the agent's line: a steady tune at one level.
    sox -n -r 16000 -c 1 -b 16 "$TMP/hold.wav" synth "$text" sine 440 sine 494 vol 0.1 2>/dev/null || \
      sox -n -r 16000 -c 1 -b 16 "$TMP/hold.wav" synth "$text" sine 440 vol 0.1
    sox "$TMP/hold.wav" "$TMP/p$i.wav" pad "$start"
    agent_parts+=("$TMP/p$i.wav")
    end=$(awk -v s="$start" -v d="$text" 'BEGIN { printf "%.3f", s + d }')
    i=$((i + 1))
    continue
  fi
  espeak-ng -v es -s "$wpm" -p "$pitch" -w "$TMP/raw$i.wav" "$text"
  # shellcheck disable=SC2086
  sox "$TMP/raw$i.wav" -r 16000 -c 1 -b 16 "$TMP/t$i.wav" silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -6 $effects
  dur=$(soxi -D "$TMP/t$i.wav")
  stop=$(awk -v s="$start" -v d="$dur" 'BEGIN { printf "%.3f", s + d }')
  sox "$TMP/t$i.wav" "$TMP/p$i.wav" pad "$start"
  if [ "$speaker" = agent ]; then agent_parts+=("$TMP/p$i.wav"); else customer_parts+=("$TMP/p$i.wav"); fi
  lines+=("{\"speaker\": \"$speaker\", \"start_s\": $start, \"end_s\": $stop, \"text\": \"$text\"}")
  end=$(awk -v a="$end" -v b="$stop" 'BEGIN { printf "%.3f", (b > a ? b : a) }')
  i=$((i + 1))
done
total=$(awk -v e="$end" 'BEGIN { printf "%.3f", e + 1 }')

mix() {
  local out="$1"; shift
  local args=()
  for f in "$@"; do args+=(-v 1 "$f"); done
  if [ $# -eq 1 ]; then cp "$1" "$TMP/mix.wav"; else sox -m "${args[@]}" "$TMP/mix.wav"; fi
  # Every channel as long as the call.
  sox "$TMP/mix.wav" "$out" pad 0 "$total" trim 0 "$total"
}
mix "$OUT/$ID.agent.wav" "${agent_parts[@]}"
mix "$OUT/$ID.customer.wav" "${customer_parts[@]}"

turns=$(IFS=,; echo "${lines[*]}")
printf '{"conversation_id": "%s", "tenant": "banco-andino", "agent_id": "ag-101", "team_id": "equipo-andes", "campaign": "reclamos", "language": "es", "channel": "call", "turns": [%s]}\n' \
  "$ID" "$turns" >"$OUT/calls.jsonl"
echo "$OUT/calls.jsonl"
