namespace Emotion.Store;

/// <summary>
/// A row of <c>audio_windows</c>: one speaker's voice over one window (a transcript turn, or a fixed window when there is
/// no transcript). Identity: (tenant, conversation_id, speaker, start_ms). NaN measures are stored as NULL.
/// </summary>
public sealed record AudioWindowRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    public required string Speaker { get; init; }
    public ulong StartMs { get; init; }
    public ulong EndMs { get; init; }
    /// <summary>The transcript turn, or -1 for a fixed window.</summary>
    public int Turn { get; init; } = -1;
    public string SegmentId { get; init; } = "";
    public float VoicedS { get; init; }
    public float LoudnessDbfs { get; init; } = float.NaN;
    public float PitchMedianHz { get; init; } = float.NaN;
    public float PitchRangeSt { get; init; } = float.NaN;
    public float SpeakingRate { get; init; } = float.NaN;
    /// <summary><c>transcript</c> or <c>audio</c>.</summary>
    public string RateSource { get; init; } = "";
    public float OvertalkS { get; init; }
    public float SilenceS { get; init; }
    public float Arousal { get; init; } = float.NaN;
    /// <summary><c>calm</c>, <c>neutral</c>, <c>agitated</c>, or empty without a reading.</summary>
    public string ArousalLabel { get; init; } = "";
    public ulong Version { get; init; }
}

/// <summary>A row of <c>audio_spans</c>: overtalk, a hold, dead air or a silence. Identity: (tenant, conversation_id, kind, start_ms).</summary>
public sealed record AudioSpanRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary><c>overtalk</c>, <c>hold</c>, <c>dead_air</c> or <c>silence</c>.</summary>
    public required string Kind { get; init; }
    public ulong StartMs { get; init; }
    public ulong EndMs { get; init; }
    /// <summary>Overtalk: who broke in; empty otherwise.</summary>
    public string Speaker { get; init; } = "";
    public ulong Version { get; init; }
}
