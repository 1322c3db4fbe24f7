using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Privacy;

namespace Emotion.Ingest.Tests;

public class DeadLetterPrivacyTests
{
    private static ConsumeResult<byte[]?, byte[]?> Consumed(byte[]? value, Headers headers) => new()
    {
        Topic = "emotion.transcripts",
        Partition = 2,
        Offset = 41,
        Message = new Message<byte[]?, byte[]?> { Key = "c1"u8.ToArray(), Value = value, Headers = headers, Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime) },
    };

    [Fact]
    public void A_dead_letter_reaches_the_topic_redacted_and_says_so()
    {
        var value = Encoding.UTF8.GetBytes("""{"schema":"emotion.transcript.v1","conversation_id":"c1","speaker":"bot","text":"mi dni es 12345678Z"}""");
        var dl = DeadLetter.From(Consumed(value, new Headers { { "x-note", "llame al 612 345 678"u8.ToArray() } }),
                "field 'speaker' must be 'agent' or 'customer', got 'bot'", 5)
            .WithPrivacy(PrivacyPolicy.Default, isAudio: false);
        var message = dl.ToMessage();
        var text = Encoding.UTF8.GetString(message.Value!);
        Assert.Contains("mi dni es <id>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678", text, StringComparison.Ordinal);
        Assert.True(message.Headers.TryGetLastBytes("x-note", out var note));
        Assert.Equal("llame al <phone>", Encoding.UTF8.GetString(note));
        var back = DeadLetter.Parse(message)!;
        Assert.StartsWith("redacted: ", back.Privacy, StringComparison.Ordinal);
        Assert.DoesNotContain(back.OriginalHeaders, h => h.Key == HeaderNames.DlqPrivacy);
    }

    [Theory]
    [InlineData("field 'end_ms' must be between 0 and 604800000, got 9000000000000000000", "field 'end_ms' must be between 0 and 604800000, got 9000000000000000000")]
    [InlineData("field 'seq' must be between 0 and 4294967295, got -1", "field 'seq' must be between 0 and 4294967295, got -1")]
    [InlineData("key 'llame al 612 345 678' does not match conversation_id 'c1'", "key 'llame al <phone>' does not match conversation_id 'c1'")]
    [InlineData("field 'speaker' must be 'agent' or 'customer', got 'tarjeta 4111 1111 1111 1111'", "field 'speaker' must be 'agent' or 'customer', got 'tarjeta <card>'")]
    [InlineData("message could not be decoded (FormatException: bad value 12345678Z)", "message could not be decoded (FormatException: bad value <id>)")]
    public void Only_the_parts_of_a_reason_that_echo_the_message_are_redacted(string reason, string expected)
    {
        var dl = DeadLetter.From(Consumed("{}"u8.ToArray(), []), reason, 5).WithPrivacy(PrivacyPolicy.Default, isAudio: false);
        Assert.Equal(expected, dl.Reason);
    }

    [Fact]
    public void A_value_that_is_not_json_keeps_its_bytes_when_nothing_personal_is_in_it()
    {
        // JSON field names such as conversation_id are no cue for the hex in an id.
        var value = Encoding.UTF8.GetBytes("""{"schema":"emotion.transcript.v1","conversation_id":"good-90c25dd4","segment_id":"good-90c25dd4-90","text":"hola \ud800 mundo"}""");
        var dl = DeadLetter.From(Consumed(value, []), "field 'text' contains an unpaired UTF-16 surrogate escape (\\ud800)", 5)
            .WithPrivacy(PrivacyPolicy.Default, isAudio: false);
        Assert.Same(value, dl.Value);
    }

    [Fact]
    public void Original_bytes_stay_only_for_a_tenant_that_allows_them()
    {
        var value = Encoding.UTF8.GetBytes("""{"tenant":"lab","text":"mi dni es 12345678Z","speaker":"bot"}""");
        var policy = new PrivacyPolicy(new PrivacyOptions { Tenants = { ["lab"] = new TenantPrivacyOptions { DeadLetterOriginal = true } } });
        var dl = DeadLetter.From(Consumed(value, []), "bad speaker", 5).WithPrivacy(policy, isAudio: false);
        Assert.Same(value, dl.Value);
        Assert.StartsWith("original: ", dl.Privacy, StringComparison.Ordinal);
        Assert.StartsWith("original: ", DeadLetter.Parse(dl.ToMessage())!.Privacy, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audio_dead_letter_loses_its_payload()
    {
        var dl = DeadLetter.From(Consumed([1, 2, 3], []), "pcm16 payload has an odd length (3 bytes)", 5).WithPrivacy(PrivacyPolicy.Default, isAudio: true);
        Assert.Null(dl.ToMessage().Value);
        Assert.StartsWith("dropped: ", dl.Privacy, StringComparison.Ordinal);
    }
}
