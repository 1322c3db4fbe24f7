using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Emotion.Ingest.Replay;

/// <summary>One turn of a conversation file line.</summary>
/// <param name="Speaker"><c>agent</c> or <c>customer</c>.</param>
/// <param name="Phase">Optional phase carried by the producer.</param>
public sealed record TurnRecord(string Speaker, double StartS, double EndS, string Text, string? Phase = null);

/// <summary>One conversation: a line of the JSON Lines file that <c>emotion replay</c> and <c>emotion analyze</c> read.</summary>
public sealed record ConversationRecord(
    string ConversationId,
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string? Campaign,
    string? Language,
    string? Channel,
    IReadOnlyList<TurnRecord> Turns);

/// <summary>A line that could not be read, with its 1-based number and the reason.</summary>
public sealed record ConversationFileError(int Line, string Reason);

/// <summary>Reads conversation JSON Lines files; a bad line is reported as an error value and reading goes on.</summary>
public static class ConversationFile
{
    /// <summary>Reads every line of <paramref name="reader"/>; blank lines are skipped.</summary>
    public static async IAsyncEnumerable<(ConversationRecord? Conversation, ConversationFileError? Error)> ReadAsync(
        TextReader reader, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            ConversationRecord? record = null;
            string? error = null;
            try
            {
                record = Parse(line);
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                error = ex.Message;
            }
            yield return record is not null
                ? (record, null)
                : (null, new ConversationFileError(lineNo, error ?? "unreadable line"));
        }
    }

    /// <summary>Parses one line; throws <see cref="FormatException"/> naming the field that is wrong.</summary>
    public static ConversationRecord Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("a line must be a JSON object");
        var id = OptionalString(root, "conversation_id");
        if (string.IsNullOrWhiteSpace(id)) throw new FormatException("missing 'conversation_id'");
        if (!root.TryGetProperty("turns", out var turnsEl) || turnsEl.ValueKind != JsonValueKind.Array)
            throw new FormatException($"conversation '{id}': missing 'turns' array");

        var turns = new List<TurnRecord>(turnsEl.GetArrayLength());
        var i = 0;
        foreach (var t in turnsEl.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.Object) throw new FormatException($"conversation '{id}': turn {i} is not an object");
            var speaker = OptionalString(t, "speaker")?.ToLowerInvariant();
            if (speaker is not ("agent" or "customer"))
                throw new FormatException($"conversation '{id}': turn {i} has speaker '{speaker}', expected 'agent' or 'customer'");
            var text = OptionalString(t, "text") ?? throw new FormatException($"conversation '{id}': turn {i} has no 'text'");
            var start = OptionalNumber(t, "start_s") ?? throw new FormatException($"conversation '{id}': turn {i} has no 'start_s'");
            var end = OptionalNumber(t, "end_s") ?? start;
            if (end < start) throw new FormatException($"conversation '{id}': turn {i} ends ({end.ToString(CultureInfo.InvariantCulture)}) before it starts ({start.ToString(CultureInfo.InvariantCulture)})");
            turns.Add(new TurnRecord(speaker, start, end, text, OptionalString(t, "phase")));
            i++;
        }

        return new ConversationRecord(
            id,
            OptionalString(root, "tenant"),
            OptionalString(root, "agent_id"),
            OptionalString(root, "team_id"),
            OptionalString(root, "campaign"),
            OptionalString(root, "language"),
            OptionalString(root, "channel"),
            turns);
    }

    private static string? OptionalString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? OptionalNumber(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
