using Emotion.Scoring;

namespace Emotion.Store;

/// <summary>The one place that builds <c>audio_windows</c> and <c>audio_spans</c> rows from a conversation's acoustics.</summary>
public static class AudioRowBuilder
{
    /// <summary>
    /// Rows for <paramref name="acoustics"/>; <paramref name="segmentIdOfTurn"/> names the transcript segment of a turn
    /// window. All rows carry <paramref name="version"/>, the conversation's finalized version.
    /// </summary>
    public static (List<AudioWindowRow> Windows, List<AudioSpanRow> Spans) Build(ConversationAcoustics acoustics, string tenant,
        string conversationId, DateOnly date, ulong version, Func<int, string?> segmentIdOfTurn)
    {
        ArgumentNullException.ThrowIfNull(acoustics);
        ArgumentNullException.ThrowIfNull(segmentIdOfTurn);
        var windows = acoustics.Windows.Select(w => new AudioWindowRow
        {
            Tenant = tenant,
            ConversationId = conversationId,
            Date = date,
            Speaker = ConversationAnalyzer.SpeakerName(w.Speaker),
            StartMs = Ms(w.StartS),
            EndMs = Ms(w.EndS),
            Turn = w.Turn ?? -1,
            SegmentId = w.Turn is { } t ? segmentIdOfTurn(t) ?? "" : "",
            VoicedS = (float)w.VoicedS,
            LoudnessDbfs = F(w.LoudnessDbfs),
            PitchMedianHz = F(w.PitchMedianHz),
            PitchRangeSt = F(w.PitchRangeSt),
            SpeakingRate = F(w.SpeakingRate),
            RateSource = w.RateSource,
            OvertalkS = (float)w.OvertalkS,
            SilenceS = (float)w.SilenceS,
            Arousal = F(w.Arousal),
            ArousalLabel = w.ArousalLabel ?? "",
            Version = version,
        })
        // Two turns of one speaker that start in the same frame share a key: keep the first.
        .GroupBy(r => (r.Speaker, r.StartMs)).Select(g => g.First()).ToList();
        var spans = acoustics.Spans.Select(s => new AudioSpanRow
        {
            Tenant = tenant,
            ConversationId = conversationId,
            Date = date,
            Kind = s.Kind,
            StartMs = Ms(s.StartS),
            EndMs = Ms(s.EndS),
            Speaker = s.By is { } by ? ConversationAnalyzer.SpeakerName(by) : "",
            Version = version,
        }).ToList();
        return (windows, spans);
    }

    private static ulong Ms(double seconds) => (ulong)Math.Max(0, Math.Round(seconds * 1000));

    private static float F(double? v) => v is { } x ? (float)x : float.NaN;
}
