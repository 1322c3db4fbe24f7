using System.Globalization;
using System.Text;
using Confluent.Kafka;

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
}

/// <summary>
/// A message that failed validation, with where it came from. On the DLQ topic it is the original key and value,
/// unchanged, with the original headers followed by the <c>dlq-*</c> headers (all UTF-8 strings).
/// </summary>
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
    string? Group = null)
{
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

    /// <summary>The Kafka message to produce to the DLQ topic.</summary>
    public Message<byte[]?, byte[]?> ToMessage()
    {
        var headers = new Headers();
        foreach (var (k, v) in OriginalHeaders) headers.Add(k, v);
        headers.Add(HeaderNames.DlqReason, Encoding.UTF8.GetBytes(Reason));
        headers.Add(HeaderNames.DlqTopic, Encoding.UTF8.GetBytes(SourceTopic));
        headers.Add(HeaderNames.DlqPartition, Utf8(SourcePartition));
        headers.Add(HeaderNames.DlqOffset, Utf8(SourceOffset));
        headers.Add(HeaderNames.DlqTimestamp, Utf8(SourceTimestampMs));
        headers.Add(HeaderNames.DlqFailedAt, Utf8(FailedAtMs));
        if (Group is not null) headers.Add(HeaderNames.DlqGroup, Encoding.UTF8.GetBytes(Group));
        return new Message<byte[]?, byte[]?> { Key = Key, Value = Value, Headers = headers };
    }

    /// <summary>Reads a DLQ record back (tools, tests). Returns null when the <c>dlq-*</c> headers are missing.</summary>
    public static DeadLetter? Parse(Message<byte[]?, byte[]?> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var original = new List<KeyValuePair<string, byte[]>>();
        string? reason = null, topic = null, group = null;
        long? partition = null, offset = null, ts = null, failedAt = null;
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
                default: original.Add(new(h.Key, bytes)); break;
            }
        }
        if (reason is null || topic is null || partition is null || offset is null) return null;
        return new DeadLetter(reason, topic, (int)partition, offset.Value, ts ?? 0, message.Key, message.Value, original, failedAt ?? 0, group);
    }

    private static byte[] Utf8(long n) => Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture));

    private static long? Long(byte[] b) =>
        long.TryParse(Encoding.UTF8.GetString(b), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
