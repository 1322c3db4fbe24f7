using System.Text.Json.Serialization;

namespace Emotion.Ingest.Contracts;

/// <summary>Schema identifiers carried in every message's <c>schema</c> field (see docs/messages.md).</summary>
public static class Schemas
{
    public const string Transcript = "emotion.transcript.v1";
    public const string Audio = "emotion.audio.v1";
    public const string Event = "emotion.event.v1";
}

/// <summary>Speaker and audio channel values.</summary>
public static class Speakers
{
    public const string Agent = "agent";
    public const string Customer = "customer";
}

/// <summary>Conversation event types.</summary>
public static class EventTypes
{
    public const string Started = "started";
    public const string Ended = "ended";
    public const string Survey = "survey";
    public const string QaScore = "qa_score";
}

/// <summary>Audio encodings.</summary>
public static class AudioEncodings
{
    public const string Pcm16 = "pcm16";
    public const string Mulaw = "mulaw";
    public const string Alaw = "alaw";
    public const string Wav = "wav";
}

/// <summary>Audio channel values: one speaker's channel, or a stereo call whose channels <c>channel_map</c> names.</summary>
public static class AudioChannels
{
    public const string Agent = Speakers.Agent;
    public const string Customer = Speakers.Customer;
    /// <summary>Two interleaved channels (raw encodings) or a two-channel WAV; <c>channel_map</c> says whose each is.</summary>
    public const string Stereo = "stereo";
}

/// <summary>A decoded pipeline message; every one belongs to a conversation, which is also its Kafka key.</summary>
public interface IIngestMessage
{
    /// <summary>The conversation this message belongs to (= the Kafka key).</summary>
    string ConversationId { get; }
}

/// <summary>
/// A transcript segment (<c>emotion.transcript.v1</c>, topic <c>emotion.transcripts</c>). A partial
/// (<see cref="IsFinal"/> false) may be scored for live alerts; the final with the same <see cref="SegmentId"/> replaces it.
/// </summary>
public sealed record TranscriptSegment : IIngestMessage
{
    [JsonPropertyOrder(-10)] public string Schema { get; init; } = Schemas.Transcript;
    public required string ConversationId { get; init; }
    /// <summary>Unique within the conversation; a final replaces the partial with the same id.</summary>
    public required string SegmentId { get; init; }
    /// <summary>Order of the segment in the conversation (0-based or 1-based; only the order matters).</summary>
    public required long Seq { get; init; }
    /// <summary><c>agent</c> or <c>customer</c>.</summary>
    public required string Speaker { get; init; }
    public required string Text { get; init; }
    /// <summary>Offset from the start of the conversation, in milliseconds.</summary>
    public required long StartMs { get; init; }
    public required long EndMs { get; init; }
    /// <summary>Language tag (<c>es</c>, <c>en</c>, <c>es-MX</c>); null: detect.</summary>
    public string? Lang { get; init; }
    /// <summary>False for a partial (interim ASR) result. Absent in JSON means true.</summary>
    public bool IsFinal { get; init; } = true;
    /// <summary>Phase the producer attached, if any.</summary>
    public string? Phase { get; init; }
    /// <summary>When the producer sent it (Unix epoch ms), for end-to-end latency.</summary>
    public long? ProducedAt { get; init; }
    /// <summary>The client company. Optional: without it the segment joins the conversation with this id that is open;
    /// producers whose tenants may reuse conversation ids at the same time must send it.</summary>
    public string? Tenant { get; init; }
}

/// <summary>
/// Metadata of an audio chunk (<c>emotion.audio.v1</c>, topic <c>emotion.audio</c>). It travels as JSON in the
/// Kafka header <c>emotion-meta</c>; the message value is the raw audio bytes.
/// </summary>
public sealed record AudioChunkMeta
{
    [JsonPropertyOrder(-10)] public string Schema { get; init; } = Schemas.Audio;
    public required string ConversationId { get; init; }
    /// <summary><c>agent</c>, <c>customer</c>, or <c>stereo</c> (then <see cref="ChannelMap"/> names each channel).</summary>
    public required string Channel { get; init; }
    /// <summary>Order of the chunk within its channel (stereo: within the call); duplicates are dropped, gaps tolerated.</summary>
    public required long Seq { get; init; }
    public required long StartMs { get; init; }
    /// <summary><c>pcm16</c> (little-endian), <c>mulaw</c>, <c>alaw</c> or <c>wav</c>.</summary>
    public required string Encoding { get; init; }
    /// <summary>Hz, 8000 to 192000.</summary>
    public required int SampleRate { get; init; }
    public long? ProducedAt { get; init; }
    /// <summary>For <c>stereo</c>: the speaker of each interleaved channel, in order (<c>["agent","customer"]</c>).</summary>
    public IReadOnlyList<string>? ChannelMap { get; init; }
    /// <summary>The client company, as on a transcript segment (optional).</summary>
    public string? Tenant { get; init; }
    /// <summary>True on the producer's last chunk of this channel: the conversation need not wait for more audio.</summary>
    public bool? Last { get; init; }
}

/// <summary>An audio chunk: metadata plus the raw bytes.</summary>
public sealed record AudioChunk(AudioChunkMeta Meta, ReadOnlyMemory<byte> Payload) : IIngestMessage
{
    public string ConversationId => Meta.ConversationId;
}

/// <summary>A conversation event (<c>emotion.event.v1</c>, topic <c>emotion.events</c>); <see cref="Type"/> says which.</summary>
[JsonDerivedType(typeof(ConversationStarted))]
[JsonDerivedType(typeof(ConversationEnded))]
[JsonDerivedType(typeof(SurveyReceived))]
[JsonDerivedType(typeof(QaScored))]
public abstract record ConversationEvent : IIngestMessage
{
    [JsonPropertyOrder(-10)] public string Schema { get; init; } = Schemas.Event;
    [JsonPropertyOrder(-9)] public abstract string Type { get; }
    [JsonPropertyOrder(-8)] public required string ConversationId { get; init; }
    /// <summary>When it happened (Unix epoch ms).</summary>
    [JsonPropertyOrder(-7)] public required long Ts { get; init; }
}

/// <summary><c>started</c>: who handles the conversation, for whom, and how.</summary>
public sealed record ConversationStarted : ConversationEvent
{
    [JsonPropertyOrder(-9)] public override string Type => EventTypes.Started;
    /// <summary>The client company (tenant).</summary>
    public string? Tenant { get; init; }
    public string? Campaign { get; init; }
    public string? Queue { get; init; }
    public string? AgentId { get; init; }
    public string? TeamId { get; init; }
    /// <summary>voice, chat, email, ...</summary>
    public string? Channel { get; init; }
    public string? Language { get; init; }
    /// <summary>Free string key/values from the producer (CRM ids, ...).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary><c>ended</c>: the conversation is over.</summary>
public sealed record ConversationEnded : ConversationEvent
{
    [JsonPropertyOrder(-9)] public override string Type => EventTypes.Ended;
    /// <summary>Number of final segments the producer sent, when it knows: lets the pipeline finalize without waiting.</summary>
    public int? SegmentCount { get; init; }
    /// <summary>Why it ended (hangup, transfer, timeout, ...), free text.</summary>
    public string? Reason { get; init; }
    /// <summary>The client company (optional, as on a transcript segment).</summary>
    public string? Tenant { get; init; }
}

/// <summary><c>survey</c>: the customer's answer; at least one of NPS (0-10) and CSAT (1-5).</summary>
public sealed record SurveyReceived : ConversationEvent
{
    [JsonPropertyOrder(-9)] public override string Type => EventTypes.Survey;
    /// <summary>The client company when the survey system knows it (these often arrive after the conversation is over).</summary>
    public string? Tenant { get; init; }
    public int? Nps { get; init; }
    public int? Csat { get; init; }
}

/// <summary><c>qa_score</c>: the process-quality score (0-100) a QA evaluator gave the conversation.</summary>
public sealed record QaScored : ConversationEvent
{
    [JsonPropertyOrder(-9)] public override string Type => EventTypes.QaScore;
    /// <summary>The client company when the QA system knows it (these often arrive after the conversation is over).</summary>
    public string? Tenant { get; init; }
    public required double Score { get; init; }
    public string? Evaluator { get; init; }
}
