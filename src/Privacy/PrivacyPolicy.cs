using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Emotion.Privacy;

/// <summary>What a dead letter carries instead of (or as) its original value.</summary>
/// <param name="Value">The value to publish: the original, its redacted form, or null when it was dropped.</param>
/// <param name="Mode"><c>original</c>, <c>redacted</c> or <c>dropped</c> (the DLQ header <c>dlq-privacy</c>).</param>
/// <param name="Note">Why, in words, for the header: e.g. <c>dropped: audio payload of 3200 bytes</c>.</param>
public readonly record struct DeadLetterContent(byte[]? Value, string Mode, string Note)
{
    public bool IsOriginal => Mode == DeadLetterModes.Original;
}

/// <summary>Values of the DLQ header <c>dlq-privacy</c>.</summary>
public static class DeadLetterModes
{
    public const string Original = "original";
    public const string Redacted = "redacted";
    public const string Dropped = "dropped";
}

/// <summary>
/// The privacy rules of the ingest stage, per tenant: whether transcript text is redacted, and what a dead letter may
/// keep. A message without a tenant gets the global settings (on, no original bytes): a tenant that turns redaction off
/// must name itself on its segments. Also remembers, per conversation, what the last turn asked for ("¿me confirma su
/// DNI?") so that a bare number in the answer is read as that.
/// </summary>
public sealed class PrivacyPolicy
{
    private static readonly Meter s_meter = new("Emotion.Privacy");
    private static readonly Counter<long> s_redactions = s_meter.CreateCounter<long>("emotion.privacy.redactions", description: "Values redacted, by type");
    private static readonly Counter<long> s_segments = s_meter.CreateCounter<long>("emotion.privacy.segments_redacted", description: "Texts with at least one redaction");

    /// <summary>Conversations whose last turn left a pending cue; cleared when it grows past this (a cue lives one or two turns).</summary>
    private const int MaxCarried = 50_000;

    private static readonly JsonWriterOptions s_jsonWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly PrivacyOptions _options;
    private readonly Redactor _redactor;
    private readonly Dictionary<string, (bool Redact, bool Original, Redactor Redactor)> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RedactionCarry> _carry = new(StringComparer.Ordinal);
    private readonly Lock _carryLock = new();

    public PrivacyPolicy(PrivacyOptions? options = null)
    {
        _options = options ?? new PrivacyOptions();
        _redactor = _options.Types is { Count: > 0 } types ? new Redactor(types) : Redactor.Default;
        foreach (var (name, t) in _options.Tenants)
        {
            var redactor = t.Types is { Count: > 0 } tt ? new Redactor(tt) : _redactor;
            _tenants[name.Trim()] = (t.Redact ?? _options.Redact, t.DeadLetterOriginal ?? _options.DeadLetterOriginal, redactor);
        }
    }

    /// <summary>The defaults: every type redacted for every tenant, no original bytes in dead letters.</summary>
    public static PrivacyPolicy Default { get; } = new();

    /// <summary>Whether text of <paramref name="tenant"/> (null: not known) is redacted.</summary>
    public bool RedactsFor(string? tenant) => Resolve(tenant).Redact;

    /// <summary>Whether dead letters of <paramref name="tenant"/> (null: not known) keep their original bytes.</summary>
    public bool KeepsOriginalDeadLetters(string? tenant) => Resolve(tenant).Original;

    private (bool Redact, bool Original, Redactor Redactor) Resolve(string? tenant)
    {
        if (_tenants.Count > 0 && !string.IsNullOrWhiteSpace(tenant) && _tenants.TryGetValue(tenant.Trim(), out var t)) return t;
        return (_options.Redact, _options.DeadLetterOriginal, _redactor);
    }

    /// <summary>
    /// One transcript turn, redacted under its tenant's rules; the same instance when nothing was found.
    /// <paramref name="conversationId"/> links the turn to the one before it (null: no link).
    /// </summary>
    public string RedactTurn(string text, string? tenant, string? language, string? conversationId, out RedactionCounts counts)
    {
        counts = default;
        var (redact, _, redactor) = Resolve(tenant);
        if (!redact || string.IsNullOrEmpty(text)) return text;
        string result;
        if (conversationId is null)
        {
            result = redactor.Redact(text, out counts, language);
        }
        else
        {
            RedactionCarry carry;
            lock (_carryLock) _carry.Remove(conversationId, out carry);
            result = redactor.Redact(text, out counts, language, ref carry);
            if (carry.IsPending)
            {
                lock (_carryLock)
                {
                    if (_carry.Count >= MaxCarried) _carry.Clear();
                    _carry[conversationId] = carry;
                }
            }
        }
        if (counts.Total > 0) Record(counts);
        return result;
    }

    /// <summary>Free text that is not a turn (a rejection reason, a header value), redacted with every type whatever the tenant.</summary>
    public string RedactFreeText(string text)
    {
        var result = Redactor.Default.Redact(text, out var counts);
        if (counts.Total > 0) Record(counts);
        return result;
    }

    private static void Record(RedactionCounts counts)
    {
        s_segments.Add(1);
        for (var t = 0; t < Placeholders.TypeCount; t++)
        {
            var n = counts[(PiiType)t];
            if (n > 0) s_redactions.Add(n, new KeyValuePair<string, object?>("type", Placeholders.Name((PiiType)t)));
        }
    }

    /// <summary>
    /// What a dead letter's value may carry. The tenant is read from the value's top-level <c>tenant</c> field when it
    /// is JSON. Original bytes only where that tenant allows it; otherwise a JSON value keeps its structure with every
    /// string (and every number that reads as personal data) redacted, other text (bytes that are not UTF-8 included,
    /// read with replacement characters) is redacted as text, and audio is dropped. A value in which nothing was found
    /// is its own redaction: it stays byte for byte, so a malformed message can still be diagnosed.
    /// </summary>
    /// <param name="isAudio">The value is an audio payload (voice is personal data): dropped unless the tenant allows originals.</param>
    public DeadLetterContent ForDeadLetter(byte[]? value, bool isAudio = false)
    {
        if (value is null || value.Length == 0) return new DeadLetterContent(value, DeadLetterModes.Redacted, "no value");
        var tenant = isAudio ? null : TenantOf(value);
        if (KeepsOriginalDeadLetters(tenant)) return new DeadLetterContent(value, DeadLetterModes.Original, $"original bytes kept (tenant '{tenant}' allows it)");
        if (isAudio) return new DeadLetterContent(null, DeadLetterModes.Dropped, $"audio payload of {value.Length} bytes dropped");
        var json = TryRedactJson(value, out var changed);
        if (json is not null)
        {
            return changed
                ? new DeadLetterContent(json, DeadLetterModes.Redacted, "personal data replaced by placeholders; JSON structure kept")
                : new DeadLetterContent(value, DeadLetterModes.Redacted, "no personal data found; value unchanged");
        }
        // Not JSON (or not UTF-8): the text parts, read with replacement characters where bytes are not UTF-8.
        var text = Encoding.UTF8.GetString(value);
        var redacted = RedactFreeText(text);
        return ReferenceEquals(redacted, text)
            ? new DeadLetterContent(value, DeadLetterModes.Redacted, "no personal data found; value unchanged")
            : new DeadLetterContent(Encoding.UTF8.GetBytes(redacted), DeadLetterModes.Redacted, "personal data replaced by placeholders in the value read as text");
    }

    /// <summary>The top-level <c>tenant</c> string of a JSON object, or null.</summary>
    public static string? TenantOf(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) return null;
                if (reader.TokenType != JsonTokenType.PropertyName) return null;
                var isTenant = reader.ValueTextEquals("tenant"u8);
                if (!reader.Read()) return null;
                if (isTenant) return reader.TokenType == JsonTokenType.String ? reader.GetString()?.Trim() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        return null;
    }

    private static readonly string[] s_numericFields = ["ts", "produced_at", "start_ms", "end_ms", "seq", "segment_count", "nps", "csat", "score", "sample_rate"];

    /// <summary>The JSON value rewritten with every string and property name redacted; null when it is not valid JSON.</summary>
    private byte[]? TryRedactJson(byte[] value, out bool changed)
    {
        changed = false;
        var buffer = new ArrayBufferWriter<byte>(value.Length + 64);
        try
        {
            var reader = new Utf8JsonReader(value, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
            using var writer = new Utf8JsonWriter(buffer, s_jsonWriter);
            string? property = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName:
                        property = reader.GetString() ?? "";
                        var name = RedactFreeText(property);
                        changed |= !ReferenceEquals(name, property);
                        writer.WritePropertyName(name);
                        break;
                    case JsonTokenType.String:
                        var original = reader.GetString() ?? "";
                        var replaced = RedactFreeText(original);
                        changed |= !ReferenceEquals(replaced, original);
                        writer.WriteStringValue(replaced);
                        break;
                    case JsonTokenType.Number:
                        var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                        var redacted = property is not null && Array.IndexOf(s_numericFields, property) >= 0 ? raw : RedactFreeText(raw);
                        if (ReferenceEquals(redacted, raw)) writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        else
                        {
                            changed = true;
                            writer.WriteStringValue(redacted);
                        }
                        break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
            if (reader.BytesConsumed != value.Length && value.AsSpan((int)reader.BytesConsumed).IndexOfAnyExcept(" \t\r\n"u8) >= 0) return null;
            writer.Flush();
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        return buffer.WrittenSpan.ToArray();
    }
}
