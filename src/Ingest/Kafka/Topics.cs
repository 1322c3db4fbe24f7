namespace Emotion.Ingest.Kafka;

/// <summary>The pipeline's topic names (default prefix <c>emotion.</c>).</summary>
public static class Topics
{
    /// <summary>The default prefix.</summary>
    public const string DefaultPrefix = "emotion.";

    /// <summary>Transcript segments (<c>emotion.transcript.v1</c>).</summary>
    public const string Transcripts = "transcripts";

    /// <summary>Audio chunks (<c>emotion.audio.v1</c>; raw bytes as value, metadata in a header).</summary>
    public const string Audio = "audio";

    /// <summary>Conversation events (<c>emotion.event.v1</c>).</summary>
    public const string Events = "events";

    /// <summary>Dead letters: messages that failed validation, with the reason in headers.</summary>
    public const string DeadLetters = "dlq";

    /// <summary>Live alerts produced by scoring.</summary>
    public const string Alerts = "alerts";

    /// <summary>Every topic suffix the pipeline uses, in creation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Transcripts, Audio, Events, DeadLetters, Alerts];

    /// <summary>Full name: <paramref name="prefix"/> + <paramref name="suffix"/>.</summary>
    public static string Name(string suffix, string prefix = DefaultPrefix) => prefix + suffix;
}
