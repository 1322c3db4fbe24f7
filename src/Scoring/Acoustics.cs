using System.Text.Json.Serialization;

namespace Emotion.Scoring;

/// <summary>Arousal labels, against the speaker's own baseline in the call.</summary>
public static class ArousalLabels
{
    public const string Calm = "calm";
    public const string Neutral = "neutral";
    public const string Agitated = "agitated";
}

/// <summary>Kinds of measured span.</summary>
public static class AcousticSpanKinds
{
    /// <summary>Both channels speaking.</summary>
    public const string Overtalk = "overtalk";
    /// <summary>Nobody speaking, with hold music or a tone, or very long.</summary>
    public const string Hold = "hold";
    /// <summary>Nobody speaking and nothing playing, long enough to count.</summary>
    public const string DeadAir = "dead_air";
    /// <summary>Nobody speaking, shorter than dead air.</summary>
    public const string Silence = "silence";
}

/// <summary>A measured stretch of the call: overtalk (with who broke in), a hold, dead air or a shorter silence.</summary>
/// <param name="By">Overtalk only: the speaker whose speech started second (who broke in).</param>
public sealed record AcousticSpan(string Kind, double StartS, double EndS, Speaker? By = null)
{
    /// <summary>Length in seconds.</summary>
    [JsonIgnore]
    public double Seconds => EndS - StartS;
}

/// <summary>
/// The voice of one speaker over one window: a transcript turn (<paramref name="Turn"/> set) or a fixed window when
/// the call has no transcript. Null measures mean too little speech to measure.
/// </summary>
/// <param name="VoicedS">Seconds of speech in the window (pauses inside speech shorter than the bridge count).</param>
/// <param name="LoudnessDbfs">Mean power of the speech frames, dBFS.</param>
/// <param name="PitchRangeSt">10th to 90th percentile of pitch, in semitones.</param>
/// <param name="SpeakingRate">Syllables per second of speech.</param>
/// <param name="RateSource"><c>transcript</c> (syllables counted in the turn's text) or <c>audio</c> (syllable nuclei in the energy).</param>
/// <param name="OvertalkS">Seconds in the window where both speakers spoke.</param>
/// <param name="SilenceS">Seconds in the window where nobody spoke.</param>
/// <param name="Arousal">Score against the speaker's baseline in the call (0 = baseline; positive = louder, higher, faster).</param>
/// <param name="ArousalLabel"><c>calm</c>, <c>neutral</c>, <c>agitated</c>; null without a reading.</param>
public sealed record AcousticWindow(
    Speaker Speaker,
    double StartS,
    double EndS,
    int? Turn,
    double VoicedS,
    double? LoudnessDbfs,
    double? PitchMedianHz,
    double? PitchRangeSt,
    double? SpeakingRate,
    string RateSource,
    double OvertalkS,
    double SilenceS,
    double? Arousal,
    string? ArousalLabel);

/// <summary>What the audio of a conversation measured: windows per speaker and spans of overtalk and silence.</summary>
/// <param name="AudioS">Seconds of the call that audio covers (first to last frame of any channel).</param>
public sealed record ConversationAcoustics(IReadOnlyList<AcousticWindow> Windows, IReadOnlyList<AcousticSpan> Spans, double AudioS);

/// <summary>The conversation-level reading of its audio (<c>audio</c> in results).</summary>
/// <param name="OvertalkS">Seconds with both speaking.</param>
/// <param name="AgentInterruptions">Overtalk spans the agent started while the customer spoke, longer than <c>overlap_tolerance_seconds</c>.</param>
/// <param name="HoldS">Seconds on hold (measured).</param>
/// <param name="DeadAirS">Seconds of dead air (measured).</param>
/// <param name="CustomerArousalStart">Mean arousal score of the customer's first windows with a reading (the first third, at most 3).</param>
/// <param name="CustomerArousalEnd">The same for the last windows.</param>
/// <param name="CustomerAgitatedShare">Share of the customer's windows with a reading that are agitated.</param>
/// <param name="AgentAgitatedShare">The same for the agent.</param>
public sealed record AudioSummary(
    double AudioS,
    double OvertalkS,
    int AgentInterruptions,
    int Holds,
    double HoldS,
    int DeadAir,
    double DeadAirS,
    double SilenceS,
    double? CustomerArousalStart,
    double? CustomerArousalEnd,
    string? CustomerArousalStartLabel,
    string? CustomerArousalEndLabel,
    double CustomerAgitatedShare,
    double AgentAgitatedShare);

/// <summary>How the audio of a conversation enters its conversation-level answers.</summary>
internal static class AudioReading
{
    /// <summary>Arousal score from which a reading is agitated (and at or below minus which it is calm); the audio stage uses the same.</summary>
    public const double AgitatedScore = 0.75;

    public static AudioSummary Summarize(ConversationAcoustics a, AgentBehaviourCounts behaviours)
    {
        double Sum(string kind) => Math.Round(a.Spans.Where(s => s.Kind == kind).Sum(s => s.Seconds), 2);
        var customer = a.Windows.Where(w => w.Speaker == Speaker.Customer && w.Arousal is not null).OrderBy(w => w.StartS).ToList();
        var agent = a.Windows.Where(w => w.Speaker == Speaker.Agent && w.Arousal is not null).ToList();
        var edge = Math.Clamp((int)Math.Ceiling(customer.Count / 3.0), 1, 3);
        double? start = customer.Count > 0 ? Math.Round(customer.Take(edge).Average(w => w.Arousal!.Value), 3) : null;
        double? end = customer.Count > 0 ? Math.Round(customer.TakeLast(edge).Average(w => w.Arousal!.Value), 3) : null;
        return new AudioSummary(
            a.AudioS,
            Sum(AcousticSpanKinds.Overtalk),
            behaviours.Interruptions,
            a.Spans.Count(s => s.Kind == AcousticSpanKinds.Hold),
            Sum(AcousticSpanKinds.Hold),
            a.Spans.Count(s => s.Kind == AcousticSpanKinds.DeadAir),
            Sum(AcousticSpanKinds.DeadAir),
            Math.Round(Sum(AcousticSpanKinds.Silence) + Sum(AcousticSpanKinds.DeadAir) + Sum(AcousticSpanKinds.Hold), 2),
            start,
            end,
            Label(start),
            Label(end),
            customer.Count == 0 ? 0 : Math.Round(customer.Count(w => w.ArousalLabel == ArousalLabels.Agitated) / (double)customer.Count, 3),
            agent.Count == 0 ? 0 : Math.Round(agent.Count(w => w.ArousalLabel == ArousalLabels.Agitated) / (double)agent.Count, 3));
    }

    /// <summary>
    /// Arousal as a feature of the customer start and end: a start the words leave neutral is negative when the customer
    /// sounded agitated in it, and an end the words read positive is not positive while the customer still sounds
    /// agitated (a thanks said through clenched teeth is not a recovery). Conversion follows the adjusted labels.
    /// </summary>
    public static DecidedAnswers Adjust(DecidedAnswers answers, AudioSummary audio)
    {
        var start = answers.Start;
        var end = answers.End;
        var changed = false;
        if (start.Label == 0 && audio.CustomerArousalStartLabel == ArousalLabels.Agitated)
        {
            start = start with { Label = -1 };
            changed = true;
        }
        if (end.Label == 1 && audio.CustomerArousalEndLabel == ArousalLabels.Agitated)
        {
            end = end with { Label = 0 };
            changed = true;
        }
        if (!changed) return answers;
        var conversion = start.Label == -1 && end.Label == 1 && (answers.Conversion || answers.Start.Label != start.Label);
        var s = answers.Summary;
        var summary = s with
            {
                CustomerStart = start.Label != answers.Start.Label ? s.CustomerStart with { Answer = "-1", Source = s.CustomerStart.Source + "+audio" } : s.CustomerStart,
                CustomerEnd = end.Label != answers.End.Label ? s.CustomerEnd with { Answer = "0", Source = s.CustomerEnd.Source + "+audio" } : s.CustomerEnd,
                NegativeToPositive = s.NegativeToPositive with { Answer = conversion ? "true" : "false" },
            };
        return answers with { Start = start, End = end, Conversion = conversion, Summary = summary };
    }

    private static string? Label(double? score) => score is not { } x ? null
        : x >= AgitatedScore ? ArousalLabels.Agitated : x <= -AgitatedScore ? ArousalLabels.Calm : ArousalLabels.Neutral;
}
