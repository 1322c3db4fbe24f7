using System.Text.Json;

namespace Emotion.Scoring;

/// <summary>
/// Reads conversations of the written corpus (<c>models/data/conversations/*.jsonl</c>, docs/labelling.md) as if a
/// perfect turn model had scored them: each turn's valence is its gold label, its class probabilities one-hot, its
/// emotion the gold emotion; a turn that is only timing markers is scored as a silent one. Benchmarks and tests of the
/// conversation-level answers read it; <c>emotion train-answers</c> reads the same files through the replay format.
/// </summary>
public static class GoldCorpus
{
    /// <summary>Every conversation of one writer's file, in file order.</summary>
    public static IReadOnlyList<ConversationInput> Read(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return [.. File.ReadLines(file).Where(l => !string.IsNullOrWhiteSpace(l)).Select(Parse)];
    }

    /// <summary>One corpus line.</summary>
    public static ConversationInput Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var c = doc.RootElement;
        var turns = c.GetProperty("turns").EnumerateArray().Select((t, i) =>
        {
            var speaker = t.GetProperty("speaker").GetString() == "agent" ? Speaker.Agent : Speaker.Customer;
            var text = t.GetProperty("text").GetString() ?? "";
            var start = t.GetProperty("start_s").GetDouble();
            var end = t.GetProperty("end_s").GetDouble();
            if (TimingMarkers.IsMarkerOnly(TimingMarkers.Strip(text))) return new ScoredUtterance(i, speaker, start, end, text, null, 0, 0, 0, 1, 0, "", 0);
            var v = t.TryGetProperty("valence", out var ve) ? ve.GetInt32() : 0;
            var emotion = t.TryGetProperty("emotion", out var ee) ? ee.GetString() ?? "neutral" : "neutral";
            return new ScoredUtterance(i, speaker, start, end, text, null, v, v, v < 0 ? 1 : 0, v == 0 ? 1 : 0, v > 0 ? 1 : 0, emotion, 1);
        }).ToArray();
        return new ConversationInput(
            c.GetProperty("conversation_id").GetString() ?? throw new InvalidDataException("a corpus conversation without conversation_id"),
            Optional(c, "tenant"), Optional(c, "agent_id"), Optional(c, "team_id"), Optional(c, "campaign"),
            Optional(c, "language"), Optional(c, "channel"), turns);
    }

    private static string? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
