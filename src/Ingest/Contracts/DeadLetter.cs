using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Emotion.Privacy;

namespace Emotion.Ingest.Contracts;

/// <summary>Header names the pipeline reads and writes (see docs/messages.md).</summary>
public static class HeaderNames
{
    /// <summary>A producer-chosen unique id of the message (UUID or <c>conversation:segment</c>); kept for tracing and dedup diagnostics.</summary>
    public const string MessageId = "emotion-message-id";
    /// <summary>W3C trace context.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    /// <summary>Audio chunk metadata (JSON) on the audio topic.</summary>
    public const string AudioMeta = MessageDecoder.AudioMetaHeader;

    public const string DlqReason = "dlq-reason";
    public const string DlqTopic = "dlq-topic";
    public const string DlqPartition = "dlq-partition";
    public const string DlqOffset = "dlq-offset";
    /// <summary>The original message's timestamp (Unix epoch ms).</summary>
    public const string DlqTimestamp = "dlq-timestamp";
    /// <summary>When it was dead-lettered (Unix epoch ms).</summary>
    public const string DlqFailedAt = "dlq-failed-at";
    /// <summary>The consumer group that rejected it.</summary>
    public const string DlqGroup = "dlq-group";
    /// <summary>Present when the value was cut to fit the broker's message size: the original value's length in bytes.</summary>
    public const string DlqTruncated = "dlq-truncated";
    /// <summary>What the value is: <c>original</c> bytes (the tenant allows it), <c>redacted</c>, or <c>dropped</c>, with why (docs/privacy.md).</summary>
    public const string DlqPrivacy = "dlq-privacy";
}

/// <summary>
/// A message that failed validation, with where it came from. On the DLQ topic it is the original key and value,
/// unchanged, with the original headers followed by the <c>dlq-*</c> headers (all UTF-8 strings). A message too large
/// for the DLQ (see <see cref="ToMessage(int)"/>) keeps the start of its value and says so in <c>dlq-truncated</c>.
/// </summary>
/// <param name="TruncatedFromBytes">Set on a record read back by <see cref="Parse"/> whose value was truncated: the original length.</param>
/// <param name="Privacy">The <c>dlq-privacy</c> header: whether the value is the original, redacted or dropped (see <see cref="WithPrivacy"/>).</param>
public sealed record DeadLetter(
    string Reason,
    string SourceTopic,
    int SourcePartition,
    long SourceOffset,
    long SourceTimestampMs,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]>> OriginalHeaders,
    long FailedAtMs,
    string? Group = null,
    long? TruncatedFromBytes = null,
    string? Privacy = null)
{
    /// <summary>
    /// Default largest DLQ record (key, value and headers), below the 1,000,000 bytes of librdkafka's and Kafka's default
    /// <c>message.max.bytes</c>: a larger dead letter is refused ("Message size too large") and its offset never commits.
    /// </summary>
    public const int DefaultMaxBytes = 900_000;

    /// <summary>Bytes librdkafka counts per header beyond its name and value, rounded up; keeps the estimate on the safe side.</summary>
    private const int HeaderOverhead = 16;

    /// <summary>Builds the dead letter for a consumed message that failed with <paramref name="reason"/>.</summary>
    public static DeadLetter From(ConsumeResult<byte[]?, byte[]?> result, string reason, long failedAtMs, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var headers = result.Message.Headers is { } h
            ? h.Select(x => new KeyValuePair<string, byte[]>(x.Key, x.GetValueBytes())).ToList()
            : [];
        return new DeadLetter(reason, result.Topic, result.Partition.Value, result.Offset.Value,
            result.Message.Timestamp.UnixTimestampMs, result.Message.Key, result.Message.Value, headers, failedAtMs, group);
    }

    /// <summary>
    /// This dead letter as the privacy rules allow it on the DLQ topic: the original value only where the message's tenant
    /// allows it; otherwise the value redacted (JSON keeps its shape) or dropped (audio, bytes that are not text), the reason
    /// and the original header values redacted. <see cref="Privacy"/> says which, in the <c>dlq-privacy</c> header.
    /// </summary>
    public DeadLetter WithPrivacy(PrivacyPolicy policy, bool isAudio)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var content = policy.ForDeadLetter(Value, isAudio);
        if (content.IsOriginal) return this with { Privacy = $"{content.Mode}: {content.Note}" };
        var headers = new List<KeyValuePair<string, byte[]>>(OriginalHeaders.Count);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var (k, v) in OriginalHeaders)
        {
            string text;
            try
            {
                text = strict.GetString(v);
            }
            catch (DecoderFallbackException)
            {
                continue; // binary header values are not kept
            }
            var redacted = policy.RedactFreeText(text);
            headers.Add(new(k, ReferenceEquals(redacted, text) ? v : Encoding.UTF8.GetBytes(redacted)));
        }
        return this with
        {
            Value = content.Value,
            Reason = RedactReason(policy, Reason),
            OriginalHeaders = headers,
            Privacy = $"{content.Mode}: {content.Note}",
        };
    }

    /// <summary>
    /// The parts of a rejection reason that echo the message (docs/messages.md): quoted values ('bot', a key, a schema),
    /// what follows "got " and an exception's message. The rest is the decoder's own text, whose limits (604800000,
    /// 4294967295) are no personal data.
    /// </summary>
    private static string RedactReason(PrivacyPolicy policy, string reason)
    {
        var sb = new StringBuilder(reason.Length);
        var i = 0;
        while (i < reason.Length)
        {
            var got = reason.IndexOf("got ", i, StringComparison.Ordinal);
            var decoded = reason.IndexOf("could not be decoded (", i, StringComparison.Ordinal);
            var quote = reason.IndexOf('\'', i);
            var next = new[] { got, decoded, quote }.Where(x => x >= 0).DefaultIfEmpty(-1).Min();
            if (next < 0)
            {
                sb.Append(reason, i, reason.Length - i);
                break;
            }
            sb.Append(reason, i, next - i);
            if (next == quote)
            {
                var close = reason.IndexOf('\'', quote + 1);
                if (close < 0) close = reason.Length;
                sb.Append('\'').Append(policy.RedactFreeText(reason[(quote + 1)..close]));
                if (close < reason.Length) sb.Append('\'');
                i = close + 1;
            }
            else
            {
                // "got <value>" and "could not be decoded (<exception>)" run to the end of the reason.
                var head = next == got ? "got ".Length : "could not be decoded (".Length;
                sb.Append(reason, next, head).Append(policy.RedactFreeText(reason[(next + head)..]));
                break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The Kafka message to produce to the DLQ topic, at most <paramref name="maxBytes"/> bytes of key, value and headers.
    /// When the original does not fit, the value is cut to what fits, header <c>dlq-truncated</c> holds its original
    /// length and the reason says so; original headers that alone exceed the budget are dropped (the reason says that
    /// too), and an oversized key is cut like the value.
    /// </summary>
    public Message<byte[]?, byte[]?> ToMessage(int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        var key = Key;
        var value = Value;
        var original = OriginalHeaders;
        var reason = Reason;
        var notes = new List<string>();
        if (Size(key, value, original, reason, truncated: false) > maxBytes)
        {
            // Budget with the notes' worst case, so appending them cannot push the record over again.
            var reserve = 200;
            if (Size(key, null, original, reason, truncated: true) + reserve > maxBytes)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{original.Count} original headers dropped"));
                original = [];
            }
            if (key is not null && Size(key, null, original, reason, truncated: true) + reserve > maxBytes)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"key truncated from {key.Length} bytes"));
                key = key[..Math.Min(key.Length, 256)];
            }
            if (reason.Length > 4096)
            {
                reason = string.Concat(reason.AsSpan(0, 4093), "...");
            }
            var room = Math.Max(0, maxBytes - reserve - Size(key, null, original, reason, truncated: true));
            if (value is not null && value.Length > room)
            {
                notes.Insert(0, string.Create(CultureInfo.InvariantCulture,
                    $"value truncated from {value.Length} to {room} bytes to fit the DLQ limit of {maxBytes} bytes"));
                value = value[..room];
            }
            reason = notes.Count == 0 ? reason : reason + " (" + string.Join("; ", notes) + ")";
        }
        var headers = new Headers();
        foreach (var (k, v) in original) headers.Add(k, v);
        headers.Add(HeaderNames.DlqReason, Encoding.UTF8.GetBytes(reason));
        headers.Add(HeaderNames.DlqTopic, Encoding.UTF8.GetBytes(SourceTopic));
        headers.Add(HeaderNames.DlqPartition, Utf8(SourcePartition));
        headers.Add(HeaderNames.DlqOffset, Utf8(SourceOffset));
        headers.Add(HeaderNames.DlqTimestamp, Utf8(SourceTimestampMs));
        headers.Add(HeaderNames.DlqFailedAt, Utf8(FailedAtMs));
        if (Group is not null) headers.Add(HeaderNames.DlqGroup, Encoding.UTF8.GetBytes(Group));
        if (Privacy is not null) headers.Add(HeaderNames.DlqPrivacy, Encoding.UTF8.GetBytes(Privacy));
        if (!ReferenceEquals(value, Value) && Value is not null) headers.Add(HeaderNames.DlqTruncated, Utf8(Value.Length));
        return new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers };
    }

    /// <summary>An upper bound of what librdkafka counts against <c>message.max.bytes</c> for the DLQ record.</summary>
    private int Size(byte[]? key, byte[]? value, IReadOnlyList<KeyValuePair<string, byte[]>> original, string reason, bool truncated)
    {
        long n = (key?.Length ?? 0) + (value?.Length ?? 0);
        foreach (var (k, v) in original) n += Encoding.UTF8.GetByteCount(k) + v.Length + HeaderOverhead;
        n += Encoding.UTF8.GetByteCount(reason) + Encoding.UTF8.GetByteCount(SourceTopic) + (Group is null ? 0 : Encoding.UTF8.GetByteCount(Group));
        if (Privacy is not null) n += HeaderNames.DlqPrivacy.Length + Encoding.UTF8.GetByteCount(Privacy) + HeaderOverhead;
        // The fixed dlq-* headers: names, numbers (at most 20 digits each) and overhead.
        n += 7 * (HeaderOverhead + 16) + 5 * 20;
        if (truncated) n += HeaderNames.DlqTruncated.Length + 20 + HeaderOverhead;
        return (int)Math.Min(n, int.MaxValue);
    }

    /// <summary>Reads a DLQ record back (tools, tests). Returns null when the <c>dlq-*</c> headers are missing.</summary>
    public static DeadLetter? Parse(Message<byte[]?, byte[]?> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var original = new List<KeyValuePair<string, byte[]>>();
        string? reason = null, topic = null, group = null, privacy = null;
        long? partition = null, offset = null, ts = null, failedAt = null, truncated = null;
        foreach (var h in message.Headers ?? [])
        {
            var bytes = h.GetValueBytes();
            switch (h.Key)
            {
                case HeaderNames.DlqReason: reason = Encoding.UTF8.GetString(bytes); break;
                case HeaderNames.DlqTopic: topic = Encoding.UTF8.GetString(bytes); break;
                case HeaderNames.DlqGroup: group = Encoding.UTF8.GetString(bytes); break;
                case HeaderNames.DlqPartition: partition = Long(bytes); break;
                case HeaderNames.DlqOffset: offset = Long(bytes); break;
                case HeaderNames.DlqTimestamp: ts = Long(bytes); break;
                case HeaderNames.DlqFailedAt: failedAt = Long(bytes); break;
                case HeaderNames.DlqTruncated: truncated = Long(bytes); break;
                case HeaderNames.DlqPrivacy: privacy = Encoding.UTF8.GetString(bytes); break;
                default: original.Add(new(h.Key, bytes)); break;
            }
        }
        if (reason is null || topic is null || partition is null || offset is null) return null;
        return new DeadLetter(reason, topic, (int)partition, offset.Value, ts ?? 0, message.Key, message.Value, original, failedAt ?? 0, group, truncated, privacy);
    }

    private static byte[] Utf8(long n) => Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture));

    private static long? Long(byte[] b) =>
        long.TryParse(Encoding.UTF8.GetString(b), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
