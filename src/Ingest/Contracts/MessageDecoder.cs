using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Confluent.Kafka;

namespace Emotion.Ingest.Contracts;

/// <summary>The outcome of decoding one Kafka message: a message, or the reason it goes to the dead-letter topic.</summary>
public readonly record struct DecodeResult
{
    private DecodeResult(IIngestMessage? message, string? error)
    {
        Message = message;
        Error = error;
    }

    /// <summary>The decoded message; null when <see cref="Error"/> is set.</summary>
    public IIngestMessage? Message { get; }

    /// <summary>Why the message is invalid, precise enough to fix the producer; null when it decoded.</summary>
    public string? Error { get; }

    public bool IsValid => Message is not null;

    public static DecodeResult Ok(IIngestMessage message) => new(message ?? throw new ArgumentNullException(nameof(message)), null);

    public static DecodeResult Invalid(string reason) => new(null, reason);
}

/// <summary>
/// Turns a Kafka message (topic, key, headers, value) into a v1 message or a dead-letter reason. Validation is
/// hand-written (no JSON-schema library) and follows docs/schemas/*.schema.json; unknown fields are ignored so that
/// producers can add optional fields without a new version. Thread-safe and stateless.
/// </summary>
public sealed class MessageDecoder
{
    /// <summary>Header holding an audio chunk's JSON metadata (the value is the raw audio).</summary>
    public const string AudioMetaHeader = "emotion-meta";

    /// <summary>
    /// Latest accepted timestamp (<c>ts</c>, <c>produced_at</c>, the Kafka timestamp): 2100-01-01T00:00:00Z in Unix ms.
    /// The store's <c>DateTime</c> columns end in 2106 and <see cref="DateTimeOffset"/> throws above year 9999, so a
    /// later value is a producer bug that must be dead-lettered here rather than fail a later stage.
    /// </summary>
    public const long MaxTimestampMs = 4_102_444_800_000;

    /// <summary>
    /// Largest accepted <c>start_ms</c>/<c>end_ms</c> offset: 7 days. Offsets are added to the conversation's start
    /// time downstream; a longer conversation is not a contact-center call.
    /// </summary>
    public const long MaxOffsetMs = 7L * 24 * 3600 * 1000;

    /// <summary>Largest accepted <c>seq</c>: the store's <c>turn</c> column is a UInt32.</summary>
    public const long MaxSeq = uint.MaxValue;

    private const int MaxIdLength = 256;
    private readonly string _audioTopic;

    /// <param name="audioTopic">The topic whose values are raw audio with metadata in <see cref="AudioMetaHeader"/>.</param>
    public MessageDecoder(string audioTopic = "emotion.audio") => _audioTopic = audioTopic;

    /// <summary>Decodes one message. <paramref name="key"/> is the raw Kafka key; it must be the UTF-8 conversation id.</summary>
    public DecodeResult Decode(string topic, ReadOnlySpan<byte> key, bool keyIsNull, Headers? headers, ReadOnlySpan<byte> value)
    {
        try
        {
            return string.Equals(topic, _audioTopic, StringComparison.Ordinal)
                ? DecodeAudio(key, keyIsNull, headers, value)
                : DecodeJson(key, keyIsNull, value);
        }
        catch (InvalidMessageException ex)
        {
            return DecodeResult.Invalid(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A check this decoder lacks must still dead-letter the message, not stop the consume thread.
            return DecodeResult.Invalid($"message could not be decoded ({ex.GetType().Name}: {Clip(ex.Message)})");
        }
    }

    /// <summary>Decodes a consumed message; its Kafka timestamp must be in range too (it stands in for a missing
    /// <c>produced_at</c>).</summary>
    public DecodeResult Decode(ConsumeResult<byte[]?, byte[]?> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var m = result.Message;
        var ts = m.Timestamp;
        if (ts.Type != TimestampType.NotAvailable && ts.UnixTimestampMs is < 0 or > MaxTimestampMs)
        {
            return DecodeResult.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"Kafka message timestamp must be between 0 and {MaxTimestampMs} (2100-01-01), got {ts.UnixTimestampMs}"));
        }
        return Decode(result.Topic, m.Key, m.Key is null, m.Headers, m.Value);
    }

    private static DecodeResult DecodeJson(ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) throw new InvalidMessageException("empty value: expected a UTF-8 JSON object");
        using var doc = ParseJson(value, "value");
        var root = doc.RootElement;
        var schema = RequiredString(root, "schema");
        IIngestMessage message = schema switch
        {
            Schemas.Transcript => ReadTranscript(root),
            Schemas.Event => ReadEvent(root),
            Schemas.Audio => throw new InvalidMessageException(
                $"schema '{Schemas.Audio}' travels on the audio topic: raw bytes as value, metadata in header '{AudioMetaHeader}'"),
            _ => throw new InvalidMessageException(UnknownSchema(schema)),
        };
        CheckKey(key, keyIsNull, message.ConversationId);
        return DecodeResult.Ok(message);
    }

    private static DecodeResult DecodeAudio(ReadOnlySpan<byte> key, bool keyIsNull, Headers? headers, ReadOnlySpan<byte> value)
    {
        byte[]? metaBytes = null;
        if (headers is not null && headers.TryGetLastBytes(AudioMetaHeader, out var last)) metaBytes = last;
        if (metaBytes is null) throw new InvalidMessageException($"missing header '{AudioMetaHeader}' with the audio chunk's JSON metadata");
        using var doc = ParseJson(metaBytes, $"header '{AudioMetaHeader}'");
        var root = doc.RootElement;
        var schema = RequiredString(root, "schema");
        if (schema != Schemas.Audio) throw new InvalidMessageException(UnknownSchema(schema) + " on the audio topic");
        var channel = OneOf(root, "channel", AudioChannels.Agent, AudioChannels.Customer, AudioChannels.Stereo);
        var map = OptionalStringList(root, "channel_map");
        if (channel == AudioChannels.Stereo)
        {
            if (map is null) throw new InvalidMessageException("channel 'stereo' needs field 'channel_map' (e.g. [\"agent\",\"customer\"]): whose is each channel");
            if (map.Count != 2 || map.Any(m => m is not (Speakers.Agent or Speakers.Customer)) || map[0] == map[1])
                throw new InvalidMessageException($"field 'channel_map' must name 'agent' and 'customer' once each, got [{string.Join(",", map)}]");
        }
        else if (map is not null)
        {
            throw new InvalidMessageException($"field 'channel_map' is only for channel 'stereo' (channel is '{channel}')");
        }
        var meta = new AudioChunkMeta
        {
            ConversationId = Id(root, "conversation_id"),
            Channel = channel,
            ChannelMap = map,
            Tenant = OptionalString(root, "tenant"),
            Last = OptionalBool(root, "last"),
            Seq = RequiredLong(root, "seq", 0, MaxSeq),
            StartMs = RequiredLong(root, "start_ms", 0, MaxOffsetMs),
            Encoding = OneOf(root, "encoding", AudioEncodings.Pcm16, AudioEncodings.Mulaw, AudioEncodings.Alaw, AudioEncodings.Wav),
            SampleRate = (int)RequiredLong(root, "sample_rate", 8000, 192_000),
            ProducedAt = OptionalLong(root, "produced_at", 0, MaxTimestampMs),
        };
        CheckKey(key, keyIsNull, meta.ConversationId);
        if (value.IsEmpty) throw new InvalidMessageException("empty value: an audio chunk needs its bytes");
        if (meta.Encoding == AudioEncodings.Pcm16 && value.Length % 2 != 0)
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"pcm16 payload has an odd length ({value.Length} bytes)"));
        var channels = channel == AudioChannels.Stereo ? 2 : 1;
        if (meta.Encoding == AudioEncodings.Pcm16 && value.Length % (2 * channels) != 0)
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"stereo pcm16 payload is not whole frames of 4 bytes ({value.Length} bytes)"));
        if (meta.Encoding != AudioEncodings.Wav && meta.Encoding != AudioEncodings.Pcm16 && value.Length % channels != 0)
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"stereo {meta.Encoding} payload has an odd length ({value.Length} bytes)"));
        if (meta.Encoding == AudioEncodings.Wav && WavHeader.Check(value, channels, meta.SampleRate) is { } wavError)
            throw new InvalidMessageException(wavError);
        return DecodeResult.Ok(new AudioChunk(meta, value.ToArray()));
    }

    private static TranscriptSegment ReadTranscript(JsonElement root)
    {
        var start = RequiredLong(root, "start_ms", 0, MaxOffsetMs);
        var end = RequiredLong(root, "end_ms", 0, MaxOffsetMs);
        if (end < start)
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"end_ms < start_ms ({end} < {start})"));
        return new TranscriptSegment
        {
            ConversationId = Id(root, "conversation_id"),
            SegmentId = Id(root, "segment_id"),
            Seq = RequiredLong(root, "seq", 0, MaxSeq),
            Speaker = OneOf(root, "speaker", Speakers.Agent, Speakers.Customer),
            Text = RequiredString(root, "text", allowEmpty: true),
            StartMs = start,
            EndMs = end,
            Lang = OptionalLang(root),
            IsFinal = OptionalBool(root, "is_final") ?? true,
            Phase = OptionalString(root, "phase"),
            ProducedAt = OptionalLong(root, "produced_at", 0, MaxTimestampMs),
            Tenant = OptionalString(root, "tenant"),
        };
    }

    private static ConversationEvent ReadEvent(JsonElement root)
    {
        var type = OneOf(root, "type", EventTypes.Started, EventTypes.Ended, EventTypes.Survey, EventTypes.QaScore);
        var id = Id(root, "conversation_id");
        var ts = RequiredLong(root, "ts", 0, MaxTimestampMs);
        switch (type)
        {
            case EventTypes.Started:
                return new ConversationStarted
                {
                    ConversationId = id,
                    Ts = ts,
                    Tenant = OptionalString(root, "tenant"),
                    Campaign = OptionalString(root, "campaign"),
                    Queue = OptionalString(root, "queue"),
                    AgentId = OptionalString(root, "agent_id"),
                    TeamId = OptionalString(root, "team_id"),
                    Channel = OptionalString(root, "channel"),
                    Language = OptionalString(root, "language"),
                    Metadata = OptionalStringMap(root, "metadata"),
                };
            case EventTypes.Ended:
                return new ConversationEnded
                {
                    ConversationId = id,
                    Ts = ts,
                    SegmentCount = (int?)OptionalLong(root, "segment_count", 0, int.MaxValue),
                    Reason = OptionalString(root, "reason"),
                    Tenant = OptionalString(root, "tenant"),
                };
            case EventTypes.Survey:
                var nps = (int?)OptionalLong(root, "nps", 0, 10);
                var csat = (int?)OptionalLong(root, "csat", 1, 5);
                if (nps is null && csat is null) throw new InvalidMessageException("a survey event needs 'nps' (0-10) or 'csat' (1-5)");
                return new SurveyReceived { ConversationId = id, Ts = ts, Nps = nps, Csat = csat, Tenant = OptionalString(root, "tenant") };
            default:
                return new QaScored
                {
                    ConversationId = id,
                    Ts = ts,
                    Score = RequiredNumber(root, "score", 0, 100),
                    Evaluator = OptionalString(root, "evaluator"),
                    Tenant = OptionalString(root, "tenant"),
                };
        }
    }

    private static string UnknownSchema(string schema) =>
        $"unknown schema '{schema}' (this consumer reads {Schemas.Transcript}, {Schemas.Event} and {Schemas.Audio})";

    private static JsonDocument ParseJson(ReadOnlySpan<byte> bytes, string what)
    {
        CheckUtf8(bytes, what);
        JsonDocument doc;
        try
        {
            // JsonDocument.Parse needs memory it can keep; the copy also frees the caller's buffer.
            doc = JsonDocument.Parse(bytes.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture,
                $"invalid JSON in {what} at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}"));
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = Kind(doc.RootElement);
            doc.Dispose();
            throw new InvalidMessageException($"{what} must be a JSON object, got {kind}");
        }
        return doc;
    }

    private static void CheckUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        if (Utf8.IsValid(bytes)) return;
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            Utf8.ToUtf16(bytes, chars, out var read, out _, replaceInvalidSequences: false);
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 in {what} at byte {read}"));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key, bool keyIsNull, string conversationId)
    {
        if (keyIsNull || key.IsEmpty)
            throw new InvalidMessageException($"missing key: the Kafka key must be the conversation id '{conversationId}'");
        if (!Utf8.IsValid(key)) throw new InvalidMessageException("invalid UTF-8 in key");
        var k = Encoding.UTF8.GetString(key);
        if (!string.Equals(k, conversationId, StringComparison.Ordinal))
            throw new InvalidMessageException($"key '{Clip(k)}' does not match conversation_id '{conversationId}'");
    }

    private static string Id(JsonElement obj, string name)
    {
        var s = RequiredString(obj, name);
        if (s.Length > MaxIdLength)
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"field '{name}' is longer than {MaxIdLength} characters"));
        return s;
    }

    private static string RequiredString(JsonElement obj, string name, bool allowEmpty = false)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) throw new InvalidMessageException($"missing field '{name}'");
        if (v.ValueKind != JsonValueKind.String) throw new InvalidMessageException($"field '{name}' must be a string, got {Kind(v)}");
        var s = ReadString(v, name);
        if (!allowEmpty && string.IsNullOrWhiteSpace(s)) throw new InvalidMessageException($"field '{name}' must not be empty");
        return s;
    }

    private static List<string>? OptionalStringList(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw new InvalidMessageException($"field '{name}' must be an array of strings, got {Kind(v)}");
        var list = new List<string>();
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) throw new InvalidMessageException($"field '{name}' must be an array of strings, got {Kind(e)} in it");
            list.Add(ReadString(e, name));
        }
        return list;
    }

    private static string? OptionalString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new InvalidMessageException($"field '{name}' must be a string, got {Kind(v)}");
        var s = ReadString(v, name);
        return s.Length == 0 ? null : s;
    }

    /// <summary>
    /// A JSON string as .NET text. JSON may escape a lone surrogate (<c>"\ud800"</c>): System.Text.Json either
    /// refuses to unescape it or returns text that every UTF-8 writer downstream (ClickHouse rows, alerts) throws on.
    /// </summary>
    private static string ReadString(JsonElement v, string name)
    {
        string s;
        try
        {
            s = v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidMessageException(LoneSurrogate(name, v.GetRawText()));
        }
        if (IndexOfLoneSurrogate(s) >= 0) throw new InvalidMessageException(LoneSurrogate(name, v.GetRawText()));
        return s;
    }

    private static string ReadPropertyName(JsonProperty p, string objectName)
    {
        string s;
        try
        {
            s = p.Name;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidMessageException($"a key of field '{objectName}' contains an unpaired UTF-16 surrogate escape: text must be valid Unicode");
        }
        if (IndexOfLoneSurrogate(s) >= 0)
            throw new InvalidMessageException($"a key of field '{objectName}' contains an unpaired UTF-16 surrogate escape: text must be valid Unicode");
        return s;
    }

    private static string LoneSurrogate(string name, string raw)
    {
        var escape = FirstLoneSurrogateEscape(raw) is { } e ? $" ({e})" : "";
        return $"field '{name}' contains an unpaired UTF-16 surrogate escape{escape}: text must be valid Unicode";
    }

    /// <summary>The first <c>\uD800</c>-<c>\uDFFF</c> escape in raw JSON text that is not half of a pair, if any.</summary>
    private static string? FirstLoneSurrogateEscape(string raw)
    {
        for (var i = 0; i + 6 <= raw.Length; i++)
        {
            if (raw[i] != '\\') continue;
            if (raw[i + 1] != 'u')
            {
                i++; // skip the escaped character (e.g. a backslash)
                continue;
            }
            if (!ushort.TryParse(raw.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var c)) continue;
            if (char.IsHighSurrogate((char)c))
            {
                if (i + 12 <= raw.Length && raw[i + 6] == '\\' && raw[i + 7] == 'u'
                    && ushort.TryParse(raw.AsSpan(i + 8, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low)
                    && char.IsLowSurrogate((char)low))
                {
                    i += 11;
                    continue;
                }
                return raw.Substring(i, 6);
            }
            if (char.IsLowSurrogate((char)c)) return raw.Substring(i, 6);
            i += 5;
        }
        return null;
    }

    /// <summary>Index of the first surrogate that is not half of a pair, or -1.</summary>
    private static int IndexOfLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static string OneOf(JsonElement obj, string name, params string[] allowed)
    {
        var s = RequiredString(obj, name, allowEmpty: true);
        foreach (var a in allowed)
        {
            if (string.Equals(s, a, StringComparison.Ordinal)) return a;
        }
        var list = allowed.Length == 2
            ? $"'{allowed[0]}' or '{allowed[1]}'"
            : "one of " + string.Join(", ", allowed.Select(a => $"'{a}'"));
        throw new InvalidMessageException($"field '{name}' must be {list}, got '{Clip(s)}'");
    }

    private static long RequiredLong(JsonElement obj, string name, long min, long max = long.MaxValue) =>
        OptionalLong(obj, name, min, max) ?? throw new InvalidMessageException($"missing field '{name}'");

    private static long? OptionalLong(JsonElement obj, string name, long min, long max = long.MaxValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
            throw new InvalidMessageException($"field '{name}' must be an integer, got {Kind(v)}");
        if (n < min || n > max)
        {
            var range = max == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $">= {min}")
                : string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}");
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"field '{name}' must be {range}, got {n}"));
        }
        return n;
    }

    private static double RequiredNumber(JsonElement obj, string name, double min, double max)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) throw new InvalidMessageException($"missing field '{name}'");
        if (v.ValueKind != JsonValueKind.Number) throw new InvalidMessageException($"field '{name}' must be a number, got {Kind(v)}");
        // GetDouble throws on a number beyond double's range (1e400).
        if (!v.TryGetDouble(out var d)) d = double.NaN;
        if (!(d >= min && d <= max))
            throw new InvalidMessageException(string.Create(CultureInfo.InvariantCulture, $"field '{name}' must be between {min} and {max}, got {v.GetRawText()}"));
        return d;
    }

    private static bool? OptionalBool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidMessageException($"field '{name}' must be true or false, got {Kind(v)}"),
        };
    }

    private static string? OptionalLang(JsonElement obj)
    {
        var s = OptionalString(obj, "lang");
        if (s is null) return null;
        // A BCP 47-like tag: a 2-3 letter language, optional subtags (es, en, es-MX, pt-BR).
        var parts = s.Split('-');
        var ok = parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetterLower)
                 && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
        if (!ok) throw new InvalidMessageException($"field 'lang' must be a language tag like 'es' or 'en-US', got '{Clip(s)}'");
        return s;
    }

    private static Dictionary<string, string>? OptionalStringMap(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object) throw new InvalidMessageException($"field '{name}' must be an object, got {Kind(v)}");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            var key = ReadPropertyName(p, name);
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new InvalidMessageException($"field '{name}.{Clip(key)}' must be a string, got {Kind(p.Value)}");
            map[key] = ReadString(p.Value, $"{name}.{Clip(key)}");
        }
        return map;
    }

    private static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number " + v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.Null => "null",
        _ => v.ValueKind.ToString(),
    };

    private static string Clip(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 61), "...");

    private sealed class InvalidMessageException(string message) : Exception(message);
}
