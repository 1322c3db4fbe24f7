using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;

namespace Emotion.Ingest.Tests;

public class DeadLetterTests
{
    private static ConsumeResult<byte[]?, byte[]?> Consumed(byte[]? key, byte[]? value, Headers headers) => new()
    {
        Topic = "emotion.transcripts",
        Partition = 3,
        Offset = 42,
        Message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(1_700_000_000_123, TimestampType.CreateTime) },
    };

    [Fact]
    public void Dead_letter_keeps_original_bytes_key_and_headers_and_adds_the_reason()
    {
        var value = new byte[] { 0xff, 0x00, 0x7b };
        var original = new Headers { { "traceparent", Encoding.UTF8.GetBytes("00-abc-def-01") } };
        var dl = DeadLetter.From(Consumed("c1"u8.ToArray(), value, original), "invalid UTF-8 in value at byte 0", 1_700_000_001_000, "g1");
        var m = dl.ToMessage();

        Assert.Equal(value, m.Value);
        Assert.Equal("c1", Encoding.UTF8.GetString(m.Key!));
        string H(string name) => Encoding.UTF8.GetString(m.Headers.GetLastBytes(name));
        Assert.Equal("00-abc-def-01", H("traceparent"));
        Assert.Equal("invalid UTF-8 in value at byte 0", H(HeaderNames.DlqReason));
        Assert.Equal("emotion.transcripts", H(HeaderNames.DlqTopic));
        Assert.Equal("3", H(HeaderNames.DlqPartition));
        Assert.Equal("42", H(HeaderNames.DlqOffset));
        Assert.Equal("1700000000123", H(HeaderNames.DlqTimestamp));
        Assert.Equal("1700000001000", H(HeaderNames.DlqFailedAt));
        Assert.Equal("g1", H(HeaderNames.DlqGroup));
        Assert.Equal("traceparent", m.Headers[0].Key); // original headers first
    }

    [Fact]
    public void Dead_letter_parses_back()
    {
        var dl = DeadLetter.From(Consumed(null, null, []), "empty value: expected a UTF-8 JSON object", 5);
        var back = DeadLetter.Parse(dl.ToMessage())!;
        Assert.Equal((dl.Reason, dl.SourceTopic, dl.SourcePartition, dl.SourceOffset, dl.SourceTimestampMs, dl.FailedAtMs),
            (back.Reason, back.SourceTopic, back.SourcePartition, back.SourceOffset, back.SourceTimestampMs, back.FailedAtMs));
        Assert.Null(back.Key);
        Assert.Null(back.Value);
        Assert.Empty(back.OriginalHeaders);
    }

    [Fact]
    public void Parse_returns_null_for_a_message_that_is_not_a_dead_letter() =>
        Assert.Null(DeadLetter.Parse(new Message<byte[]?, byte[]?> { Value = [1], Headers = [] }));
}
