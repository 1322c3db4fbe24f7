using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;

namespace Emotion.Ingest.Tests;

public class MessageDecoderTests
{
    private static readonly MessageDecoder Decoder = new();

    private const string Segment =
        """{"schema":"emotion.transcript.v1","conversation_id":"c1","segment_id":"c1-1","seq":1,"speaker":"customer","text":"hola","start_ms":0,"end_ms":1200,"lang":"es","is_final":true,"phase":"opening","produced_at":1700000000000}""";

    private static DecodeResult DecodeJson(string json, string? key = "c1", string topic = "emotion.transcripts") =>
        Decoder.Decode(topic, key is null ? default : Encoding.UTF8.GetBytes(key), key is null, null, Encoding.UTF8.GetBytes(json));

    private static string Error(string json, string? key = "c1", string topic = "emotion.transcripts")
    {
        var r = DecodeJson(json, key, topic);
        Assert.False(r.IsValid, "expected a dead letter");
        return r.Error!;
    }

    private static string With(string json, string field, string rawValue)
    {
        // Replaces or removes (rawValue null-string "DROP") one top-level field of a flat JSON object.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (rawValue == "DROP") node.Remove(field);
        else node[field] = System.Text.Json.Nodes.JsonNode.Parse(rawValue);
        return node.ToJsonString();
    }

    [Fact]
    public void Valid_transcript_segment_decodes_every_field()
    {
        var r = DecodeJson(Segment);
        Assert.True(r.IsValid, r.Error);
        var s = Assert.IsType<TranscriptSegment>(r.Message);
        Assert.Equal(("c1", "c1-1", 1L, "customer", "hola"), (s.ConversationId, s.SegmentId, s.Seq, s.Speaker, s.Text));
        Assert.Equal((0L, 1200L, "es", true, "opening", 1700000000000L), (s.StartMs, s.EndMs, s.Lang, s.IsFinal, s.Phase, s.ProducedAt));
    }

    [Fact]
    public void Optional_fields_may_be_absent_and_is_final_defaults_to_true()
    {
        var json = """{"schema":"emotion.transcript.v1","conversation_id":"c1","segment_id":"s","seq":0,"speaker":"agent","text":"","start_ms":5,"end_ms":5,"extra":"ignored"}""";
        var s = Assert.IsType<TranscriptSegment>(DecodeJson(json).Message);
        Assert.True(s.IsFinal);
        Assert.Null(s.Lang);
        Assert.Null(s.ProducedAt);
    }

    [Fact]
    public void Serialized_segment_round_trips_through_the_decoder()
    {
        var original = new TranscriptSegment
        {
            ConversationId = "c9", SegmentId = "c9-3", Seq = 3, Speaker = Speakers.Agent, Text = "¿En qué puedo ayudarle?",
            StartMs = 100, EndMs = 900, Lang = "es-MX", IsFinal = false,
        };
        var m = JsonMessageProducer.ToMessage(original);
        Assert.Equal("c9", Encoding.UTF8.GetString(m.Key!));
        Assert.Contains("\"is_final\":false", Encoding.UTF8.GetString(m.Value!), StringComparison.Ordinal);
        Assert.StartsWith("{\"schema\":\"emotion.transcript.v1\"", Encoding.UTF8.GetString(m.Value!), StringComparison.Ordinal);
        var r = Decoder.Decode("emotion.transcripts", m.Key, false, m.Headers, m.Value);
        Assert.Equal(original, r.Message);
    }

    [Theory]
    [InlineData("speaker", "\"bot\"", "field 'speaker' must be 'agent' or 'customer', got 'bot'")]
    [InlineData("speaker", "3", "field 'speaker' must be a string, got number 3")]
    [InlineData("seq", "-1", "field 'seq' must be between 0 and 4294967295, got -1")]
    [InlineData("seq", "1.5", "field 'seq' must be an integer, got number 1.5")]
    [InlineData("seq", "\"1\"", "field 'seq' must be an integer, got string")]
    [InlineData("text", "DROP", "missing field 'text'")]
    [InlineData("segment_id", "DROP", "missing field 'segment_id'")]
    [InlineData("segment_id", "\"  \"", "field 'segment_id' must not be empty")]
    [InlineData("conversation_id", "null", "missing field 'conversation_id'")]
    [InlineData("end_ms", "DROP", "missing field 'end_ms'")]
    [InlineData("end_ms", "-1", "field 'end_ms' must be between 0 and 604800000, got -1")]
    [InlineData("start_ms", "5000", "end_ms < start_ms (1200 < 5000)")]
    [InlineData("is_final", "\"yes\"", "field 'is_final' must be true or false, got string")]
    [InlineData("lang", "\"Spanish\"", "field 'lang' must be a language tag like 'es' or 'en-US', got 'Spanish'")]
    [InlineData("produced_at", "-5", "field 'produced_at' must be between 0 and 4102444800000, got -5")]
    [InlineData("schema", "\"emotion.transcript.v9\"", "unknown schema 'emotion.transcript.v9' (this consumer reads emotion.transcript.v1, emotion.event.v1 and emotion.audio.v1)")]
    [InlineData("schema", "DROP", "missing field 'schema'")]
    public void Invalid_transcript_field_gives_a_precise_reason(string field, string raw, string expected)
    {
        var json = With(Segment, field, raw);
        Assert.Equal(expected, Error(json));
    }

    [Fact]
    public void Key_must_match_conversation_id()
    {
        Assert.Equal("key 'x' does not match conversation_id 'c1'", Error(Segment, key: "x"));
        Assert.Equal("missing key: the Kafka key must be the conversation id 'c1'", Error(Segment, key: null));
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_position()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"schema\":\"x\"}").ToList();
        bytes.Insert(3, 0xC3); // a lead byte without continuation
        var r = Decoder.Decode("emotion.transcripts", "c1"u8, false, null, bytes.ToArray());
        Assert.Equal("invalid UTF-8 in value at byte 3", r.Error);
    }

    [Theory]
    [InlineData("", "empty value: expected a UTF-8 JSON object")]
    [InlineData("[1,2]", "value must be a JSON object, got array")]
    [InlineData("{\"schema\":", "invalid JSON in value at line 1, byte 11")]
    [InlineData("not json", "invalid JSON in value at line 1, byte 2")]
    public void Not_a_json_object_is_dead_lettered(string value, string expected) =>
        Assert.Equal(expected, Error(value));

    [Fact]
    public void Started_event_decodes_with_metadata()
    {
        var json = """{"schema":"emotion.event.v1","type":"started","conversation_id":"c1","ts":1700000000000,"tenant":"acme","campaign":"cobros","queue":"q1","agent_id":"a7","team_id":"t2","channel":"voice","language":"es","metadata":{"crm_id":"123"}}""";
        var e = Assert.IsType<ConversationStarted>(DecodeJson(json, topic: "emotion.events").Message);
        Assert.Equal(("acme", "cobros", "q1", "a7", "t2", "voice", "es"), (e.Tenant, e.Campaign, e.Queue, e.AgentId, e.TeamId, e.Channel, e.Language));
        Assert.Equal("123", e.Metadata!["crm_id"]);
    }

    [Fact]
    public void Events_round_trip_through_json()
    {
        ConversationEvent[] events =
        [
            new ConversationStarted { ConversationId = "c1", Ts = 1, Tenant = "acme", Metadata = new Dictionary<string, string> { ["k"] = "v" } },
            new ConversationEnded { ConversationId = "c1", Ts = 2, SegmentCount = 7, Reason = "hangup" },
            new SurveyReceived { ConversationId = "c1", Ts = 3, Nps = 9 },
            new QaScored { ConversationId = "c1", Ts = 4, Score = 87.5, Evaluator = "qa1" },
        ];
        foreach (var e in events)
        {
            var m = JsonMessageProducer.ToMessage(e);
            var json = Encoding.UTF8.GetString(m.Value!);
            Assert.Contains($"\"type\":\"{e.Type}\"", json, StringComparison.Ordinal);
            var back = Decoder.Decode("emotion.events", m.Key, false, m.Headers, m.Value).Message;
            Assert.NotNull(back);
            Assert.Equal(MessageJson.Serialize(e), MessageJson.Serialize(back!));
        }
    }

    [Theory]
    [InlineData("""{"schema":"emotion.event.v1","type":"paused","conversation_id":"c1","ts":1}""", "field 'type' must be one of 'started', 'ended', 'survey', 'qa_score', got 'paused'")]
    [InlineData("""{"schema":"emotion.event.v1","type":"ended","conversation_id":"c1"}""", "missing field 'ts'")]
    [InlineData("""{"schema":"emotion.event.v1","type":"survey","conversation_id":"c1","ts":1}""", "a survey event needs 'nps' (0-10) or 'csat' (1-5)")]
    [InlineData("""{"schema":"emotion.event.v1","type":"survey","conversation_id":"c1","ts":1,"nps":11}""", "field 'nps' must be between 0 and 10, got 11")]
    [InlineData("""{"schema":"emotion.event.v1","type":"survey","conversation_id":"c1","ts":1,"csat":0}""", "field 'csat' must be between 1 and 5, got 0")]
    [InlineData("""{"schema":"emotion.event.v1","type":"qa_score","conversation_id":"c1","ts":1,"score":101}""", "field 'score' must be between 0 and 100, got 101")]
    [InlineData("""{"schema":"emotion.event.v1","type":"qa_score","conversation_id":"c1","ts":1}""", "missing field 'score'")]
    [InlineData("""{"schema":"emotion.event.v1","type":"started","conversation_id":"c1","ts":1,"metadata":{"a":1}}""", "field 'metadata.a' must be a string, got number 1")]
    [InlineData("""{"schema":"emotion.event.v2","type":"started","conversation_id":"c1","ts":1}""", "unknown schema 'emotion.event.v2' (this consumer reads emotion.transcript.v1, emotion.event.v1 and emotion.audio.v1)")]
    public void Invalid_event_gives_a_precise_reason(string json, string expected) =>
        Assert.Equal(expected, Error(json, topic: "emotion.events"));

    [Fact]
    public void Survey_with_csat_only_is_valid()
    {
        var e = Assert.IsType<SurveyReceived>(DecodeJson("""{"schema":"emotion.event.v1","type":"survey","conversation_id":"c1","ts":1,"csat":4}""", topic: "emotion.events").Message);
        Assert.Equal((null, 4), (e.Nps, e.Csat));
    }

    [Fact]
    public void Audio_chunk_carries_metadata_in_a_header_and_bytes_as_value()
    {
        var chunk = new AudioChunk(new AudioChunkMeta { ConversationId = "c1", Channel = "agent", Seq = 4, StartMs = 800, Encoding = "pcm16", SampleRate = 16000 }, new byte[] { 1, 2, 3, 4 });
        var m = JsonMessageProducer.ToMessage(chunk);
        var r = Decoder.Decode("emotion.audio", m.Key, false, m.Headers, m.Value);
        var back = Assert.IsType<AudioChunk>(r.Message);
        Assert.Equal(chunk.Meta, back.Meta);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, back.Payload.ToArray());
    }

    [Fact]
    public void Audio_errors_are_precise()
    {
        var headers = new Headers();
        Assert.Equal("missing header 'emotion-meta' with the audio chunk's JSON metadata",
            Decoder.Decode("emotion.audio", "c1"u8, false, headers, new byte[] { 1, 2 }).Error);
        headers.Add("emotion-meta", Encoding.UTF8.GetBytes("""{"schema":"emotion.audio.v1","conversation_id":"c1","channel":"agent","seq":0,"start_ms":0,"encoding":"mp3","sample_rate":16000}"""));
        Assert.Equal("field 'encoding' must be one of 'pcm16', 'mulaw', 'alaw', 'wav', got 'mp3'",
            Decoder.Decode("emotion.audio", "c1"u8, false, headers, new byte[] { 1, 2 }).Error);
        var odd = new Headers { { "emotion-meta", Encoding.UTF8.GetBytes("""{"schema":"emotion.audio.v1","conversation_id":"c1","channel":"customer","seq":0,"start_ms":0,"encoding":"pcm16","sample_rate":8000}""") } };
        Assert.Equal("pcm16 payload has an odd length (3 bytes)", Decoder.Decode("emotion.audio", "c1"u8, false, odd, new byte[] { 1, 2, 3 }).Error);
        Assert.Equal("empty value: an audio chunk needs its bytes", Decoder.Decode("emotion.audio", "c1"u8, false, odd, ReadOnlySpan<byte>.Empty).Error);
        var rate = new Headers { { "emotion-meta", Encoding.UTF8.GetBytes("""{"schema":"emotion.audio.v1","conversation_id":"c1","channel":"customer","seq":0,"start_ms":0,"encoding":"alaw","sample_rate":100}""") } };
        Assert.Equal("field 'sample_rate' must be between 8000 and 192000, got 100", Decoder.Decode("emotion.audio", "c1"u8, false, rate, new byte[] { 1 }).Error);
    }

    private static string? AudioError(string metaJson, byte[] value) =>
        Decoder.Decode("emotion.audio", "c1"u8, false, new Headers { { "emotion-meta", Encoding.UTF8.GetBytes(metaJson) } }, value).Error;

    private static byte[] Wav(int format, int channels, int rate, int bits, int dataBytes)
    {
        var bytes = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BitConverter.TryWriteBytes(bytes.AsSpan(16), 16);
        BitConverter.TryWriteBytes(bytes.AsSpan(20), (short)format);
        BitConverter.TryWriteBytes(bytes.AsSpan(22), (short)channels);
        BitConverter.TryWriteBytes(bytes.AsSpan(24), rate);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), rate * channels * bits / 8);
        BitConverter.TryWriteBytes(bytes.AsSpan(32), (short)(channels * bits / 8));
        BitConverter.TryWriteBytes(bytes.AsSpan(34), (short)bits);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BitConverter.TryWriteBytes(bytes.AsSpan(40), dataBytes);
        return bytes;
    }

    [Fact]
    public void Stereo_audio_needs_a_channel_map_naming_both_speakers()
    {
        const string head = """{"schema":"emotion.audio.v1","conversation_id":"c1","seq":0,"start_ms":0,"encoding":"pcm16","sample_rate":8000,""";
        Assert.Equal("channel 'stereo' needs field 'channel_map' (e.g. [\"agent\",\"customer\"]): whose is each channel",
            AudioError(head + "\"channel\":\"stereo\"}", new byte[4]));
        Assert.Equal("field 'channel_map' must name 'agent' and 'customer' once each, got [agent,agent]",
            AudioError(head + "\"channel\":\"stereo\",\"channel_map\":[\"agent\",\"agent\"]}", new byte[4]));
        Assert.Equal("field 'channel_map' is only for channel 'stereo' (channel is 'agent')",
            AudioError(head + "\"channel\":\"agent\",\"channel_map\":[\"agent\",\"customer\"]}", new byte[4]));
        Assert.Equal("stereo pcm16 payload is not whole frames of 4 bytes (6 bytes)",
            AudioError(head + "\"channel\":\"stereo\",\"channel_map\":[\"customer\",\"agent\"]}", new byte[6]));
        var ok = Decoder.Decode("emotion.audio", "c1"u8, false, new Headers { { "emotion-meta", Encoding.UTF8.GetBytes(
            head + "\"channel\":\"stereo\",\"channel_map\":[\"customer\",\"agent\"],\"tenant\":\"acme\",\"last\":true}") } }, new byte[8]);
        var chunk = Assert.IsType<AudioChunk>(ok.Message);
        Assert.Equal(["customer", "agent"], chunk.Meta.ChannelMap!);
        Assert.Equal("acme", chunk.Meta.Tenant);
        Assert.True(chunk.Meta.Last);
    }

    [Fact]
    public void Wav_chunk_whose_header_disagrees_with_the_metadata_is_dead_lettered()
    {
        const string meta = """{"schema":"emotion.audio.v1","conversation_id":"c1","channel":"agent","seq":0,"start_ms":0,"encoding":"wav","sample_rate":16000}""";
        Assert.Null(AudioError(meta, Wav(1, 1, 16000, 16, 320)));
        Assert.Null(AudioError(meta, Wav(7, 1, 16000, 8, 160))); // mu-law WAV
        Assert.Equal("wav payload does not start with a RIFF/WAVE header", AudioError(meta, "not a wav file at all"u8.ToArray()));
        Assert.Equal("wav header says 8000 Hz, field 'sample_rate' says 16000", AudioError(meta, Wav(1, 1, 8000, 16, 320)));
        Assert.Equal("wav header has 2 channels, the metadata's channel needs 1", AudioError(meta, Wav(1, 2, 16000, 16, 320)));
        Assert.Equal("wav format 1 with 24-bit samples is not decoded (16-bit PCM, 32-bit float, A-law or mu-law)", AudioError(meta, Wav(1, 1, 16000, 24, 330)));
        Assert.Equal("wav data is not whole frames of 2 bytes (321 bytes)", AudioError(meta, Wav(1, 1, 16000, 16, 321)));
        Assert.Equal("wav payload has no 'data' chunk", AudioError(meta, Wav(1, 1, 16000, 16, 320)[..36]));
    }

    [Fact]
    public void Audio_schema_on_a_json_topic_says_where_it_belongs()
    {
        var json = """{"schema":"emotion.audio.v1","conversation_id":"c1"}""";
        Assert.Equal("schema 'emotion.audio.v1' travels on the audio topic: raw bytes as value, metadata in header 'emotion-meta'", Error(json));
    }
}
