using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;

namespace Emotion.Ingest.Tests;

/// <summary>
/// Messages that once passed the decoder and then crashed a later stage (issue 15): each must come back as a
/// dead-letter reason, never as an exception or as a value a later stage throws on.
/// </summary>
public class PoisonMessageTests
{
    private static readonly MessageDecoder Decoder = new();

    private const string Segment =
        """{"schema":"emotion.transcript.v1","conversation_id":"c1","segment_id":"c1-1","seq":1,"speaker":"customer","text":"hola","start_ms":0,"end_ms":1200,"produced_at":1700000000000}""";

    private const string Started =
        """{"schema":"emotion.event.v1","type":"started","conversation_id":"c1","ts":1700000000000,"tenant":"acme","metadata":{"k":"v"}}""";

    private static DecodeResult Decode(string json, string topic = "emotion.transcripts") =>
        Decoder.Decode(topic, "c1"u8, false, null, Encoding.UTF8.GetBytes(json));

    private static string Error(string json)
    {
        var r = Decode(json);
        Assert.False(r.IsValid, "expected a dead letter");
        return r.Error!;
    }

    private static string Replace(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"text\":\"hola\"", "\"text\":\"ho\\ud800la\"", "field 'text' contains an unpaired UTF-16 surrogate escape (\\ud800): text must be valid Unicode")]
    [InlineData("\"text\":\"hola\"", "\"text\":\"\\udc00\"", "field 'text' contains an unpaired UTF-16 surrogate escape (\\udc00): text must be valid Unicode")]
    [InlineData("\"text\":\"hola\"", "\"text\":\"\\ud800\\u0041\"", "field 'text' contains an unpaired UTF-16 surrogate escape (\\ud800): text must be valid Unicode")]
    [InlineData("\"segment_id\":\"c1-1\"", "\"segment_id\":\"\\uDBFF\"", "field 'segment_id' contains an unpaired UTF-16 surrogate escape (\\uDBFF): text must be valid Unicode")]
    public void Lone_surrogate_in_a_transcript_string_is_dead_lettered(string from, string to, string reason) =>
        Assert.Equal(reason, Error(Replace(Segment, from, to)));

    [Theory]
    [InlineData("\"tenant\":\"acme\"", "\"tenant\":\"\\ud800\"", "field 'tenant' contains an unpaired UTF-16 surrogate escape (\\ud800): text must be valid Unicode")]
    [InlineData("{\"k\":\"v\"}", "{\"k\":\"\\ud800\"}", "field 'metadata.k' contains an unpaired UTF-16 surrogate escape (\\ud800): text must be valid Unicode")]
    [InlineData("{\"k\":\"v\"}", "{\"\\ud800\":\"v\"}", "a key of field 'metadata' contains an unpaired UTF-16 surrogate escape: text must be valid Unicode")]
    public void Lone_surrogate_in_an_event_string_is_dead_lettered(string from, string to, string reason) =>
        Assert.Equal(reason, Error(Replace(Started, from, to)));

    [Fact]
    public void Surrogate_pairs_and_escaped_backslashes_are_valid_text()
    {
        var s = Assert.IsType<TranscriptSegment>(Decode(Replace(Segment, "\"hola\"", "\"\\ud83d\\ude00 \\\\ud800 ok 😀\"")).Message);
        Assert.Equal("😀 \\ud800 ok 😀", s.Text);
    }

    [Theory]
    [InlineData("\"produced_at\":1700000000000", "\"produced_at\":253402300800000", "field 'produced_at' must be between 0 and 4102444800000, got 253402300800000")]
    [InlineData("\"produced_at\":1700000000000", "\"produced_at\":9223372036854775807", "field 'produced_at' must be between 0 and 4102444800000, got 9223372036854775807")]
    [InlineData("\"produced_at\":1700000000000", "\"produced_at\":-5", "field 'produced_at' must be between 0 and 4102444800000, got -5")]
    [InlineData("\"end_ms\":1200", "\"end_ms\":9000000000000000000", "field 'end_ms' must be between 0 and 604800000, got 9000000000000000000")]
    [InlineData("\"end_ms\":1200", "\"end_ms\":604800001", "field 'end_ms' must be between 0 and 604800000, got 604800001")]
    [InlineData("\"start_ms\":0", "\"start_ms\":253402300800000", "field 'start_ms' must be between 0 and 604800000, got 253402300800000")]
    [InlineData("\"end_ms\":1200", "\"end_ms\":1e30", "field 'end_ms' must be an integer, got number 1e30")]
    [InlineData("\"seq\":1", "\"seq\":4294967296", "field 'seq' must be between 0 and 4294967295, got 4294967296")]
    public void Out_of_range_transcript_numbers_are_dead_lettered(string from, string to, string reason) =>
        Assert.Equal(reason, Error(Replace(Segment, from, to)));

    [Theory]
    [InlineData("253402300800000")] // year 10000: DateTimeOffset.FromUnixTimeMilliseconds throws
    [InlineData("4102444800001")]
    [InlineData("-1")]
    public void Event_timestamp_out_of_range_is_dead_lettered(string ts) =>
        Assert.Equal($"field 'ts' must be between 0 and 4102444800000, got {ts}", Error(Replace(Started, "1700000000000", ts)));

    [Fact]
    public void Values_at_the_limits_decode_and_every_derived_time_is_representable()
    {
        var s = Assert.IsType<TranscriptSegment>(Decode(Replace(Replace(Replace(Segment,
            "\"end_ms\":1200", $"\"end_ms\":{MessageDecoder.MaxOffsetMs}"),
            "\"start_ms\":0", $"\"start_ms\":{MessageDecoder.MaxOffsetMs}"),
            "1700000000000", MessageDecoder.MaxTimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture))).Message);
        var e = Assert.IsType<ConversationStarted>(Decode(Replace(Started, "1700000000000",
            MessageDecoder.MaxTimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture)), "emotion.events").Message);
        // What the pipeline computes from them: a start time plus an offset, a produced time minus an offset.
        _ = DateTimeOffset.FromUnixTimeMilliseconds(e.Ts + s.EndMs);
        _ = DateTimeOffset.FromUnixTimeMilliseconds(0 - s.EndMs);
        Assert.True(e.Ts + s.EndMs < (long)uint.MaxValue * 1000, "beyond the store's DateTime columns");
    }

    [Fact]
    public void Qa_score_beyond_double_range_is_a_reason_not_an_exception()
    {
        var json = """{"schema":"emotion.event.v1","type":"qa_score","conversation_id":"c1","ts":1,"score":1e400}""";
        Assert.Equal("field 'score' must be between 0 and 100, got 1e400", Error(json));
    }

    [Fact]
    public void Audio_metadata_out_of_range_is_dead_lettered()
    {
        var headers = new Headers
        {
            {
                MessageDecoder.AudioMetaHeader,
                """{"schema":"emotion.audio.v1","conversation_id":"c1","channel":"agent","seq":1,"start_ms":900000000000,"encoding":"pcm16","sample_rate":16000}"""u8.ToArray()
            },
        };
        var r = Decoder.Decode("emotion.audio", "c1"u8, false, headers, new byte[] { 1, 2 });
        Assert.Equal("field 'start_ms' must be between 0 and 604800000, got 900000000000", r.Error);
    }

    [Theory]
    [InlineData(253402300800000L)]
    [InlineData(-7L)]
    public void Kafka_timestamp_out_of_range_is_dead_lettered(long ts)
    {
        var result = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = "emotion.transcripts",
            Message = new Message<byte[]?, byte[]?>
            {
                Key = "c1"u8.ToArray(),
                Value = Encoding.UTF8.GetBytes(Segment),
                Timestamp = new Timestamp(ts, TimestampType.CreateTime),
            },
        };
        Assert.Equal(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Kafka message timestamp must be between 0 and 4102444800000 (2100-01-01), got {ts}"),
            Decoder.Decode(result).Error);
        result.Message.Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime);
        Assert.True(Decoder.Decode(result).IsValid);
    }

    private static ConsumeResult<byte[]?, byte[]?> Consumed(byte[]? key, byte[]? value, Headers headers) => new()
    {
        Topic = "emotion.transcripts",
        Partition = 1,
        Offset = 7,
        Message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
    };

    private static long MessageSize(Message<byte[]?, byte[]?> m) =>
        (m.Key?.Length ?? 0) + (m.Value?.Length ?? 0) + m.Headers.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + h.GetValueBytes().Length);

    [Fact]
    public void Oversized_dead_letter_is_truncated_below_the_limit_and_says_so()
    {
        var value = new byte[1_500_000];
        Array.Fill(value, (byte)'x');
        var dl = DeadLetter.From(Consumed("c1"u8.ToArray(), value, new Headers { { "traceparent", "00-a-b-01"u8.ToArray() } }),
            "invalid JSON in value at line 1, byte 1", 5, "g");
        var m = dl.ToMessage();

        Assert.True(MessageSize(m) <= DeadLetter.DefaultMaxBytes, $"{MessageSize(m)} bytes");
        Assert.True(m.Value!.Length > DeadLetter.DefaultMaxBytes - 2000, $"kept only {m.Value.Length} bytes");
        Assert.Equal(value.AsSpan(0, m.Value.Length).ToArray(), m.Value);
        Assert.Equal("1500000", Encoding.UTF8.GetString(m.Headers.GetLastBytes(HeaderNames.DlqTruncated)));
        var reason = Encoding.UTF8.GetString(m.Headers.GetLastBytes(HeaderNames.DlqReason));
        Assert.StartsWith("invalid JSON in value at line 1, byte 1 (value truncated from 1500000 to ", reason, StringComparison.Ordinal);
        Assert.EndsWith(" bytes to fit the DLQ limit of 900000 bytes)", reason, StringComparison.Ordinal);
        Assert.Equal("00-a-b-01", Encoding.UTF8.GetString(m.Headers.GetLastBytes("traceparent")));

        var back = DeadLetter.Parse(m)!;
        Assert.Equal(1_500_000, back.TruncatedFromBytes);
        Assert.Equal(reason, back.Reason);
    }

    [Fact]
    public void Dead_letter_under_the_limit_is_unchanged_and_has_no_truncation_header()
    {
        var value = new byte[899_000];
        var dl = DeadLetter.From(Consumed("c1"u8.ToArray(), value, []), "r", 5);
        var m = dl.ToMessage();
        Assert.Same(value, m.Value);
        Assert.Equal("r", Encoding.UTF8.GetString(m.Headers.GetLastBytes(HeaderNames.DlqReason)));
        Assert.False(m.Headers.TryGetLastBytes(HeaderNames.DlqTruncated, out _));
        Assert.Null(DeadLetter.Parse(m)!.TruncatedFromBytes);
    }

    [Fact]
    public void Huge_original_headers_are_dropped_and_the_limit_is_configurable()
    {
        var headers = new Headers();
        for (var i = 0; i < 20; i++) headers.Add($"h{i}", new byte[10_000]);
        var dl = DeadLetter.From(Consumed("c1"u8.ToArray(), new byte[50_000], headers), "r", 5);
        var m = dl.ToMessage(100_000);
        Assert.True(MessageSize(m) <= 100_000, $"{MessageSize(m)} bytes");
        Assert.DoesNotContain(m.Headers, h => h.Key.StartsWith('h'));
        var reason = Encoding.UTF8.GetString(m.Headers.GetLastBytes(HeaderNames.DlqReason));
        Assert.Contains("20 original headers dropped", reason, StringComparison.Ordinal);
        Assert.Equal(50_000, m.Value!.Length); // the value fits once the headers are gone
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(1_000_000, false)]
    [InlineData(900_000, true)]
    public void Dead_letter_limit_must_stay_below_message_max_bytes(int max, bool valid)
    {
        var o = new KafkaOptions { BootstrapServers = "localhost:9092", DeadLetterMaxBytes = max };
        var r = new KafkaOptionsValidator().Validate(null, o);
        Assert.Equal(valid, r.Succeeded);
        if (!valid) Assert.Contains("Kafka:DeadLetterMaxBytes", r.FailureMessage, StringComparison.Ordinal);
    }
}
