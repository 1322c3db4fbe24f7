namespace Emotion.Audio;

/// <summary>Thresholds of the audio measures (docs/audio.md defines each); the defaults suit telephone speech.</summary>
public sealed record AudioOptions
{
    /// <summary>A frame quieter than this (dBFS) is never speech.</summary>
    public float SpeechGateDb { get; init; } = -50f;
    /// <summary>A frame is speech only this far (dB) above the channel's noise floor (its 10th percentile).</summary>
    public float AboveFloorDb { get; init; } = 15f;
    /// <summary>The floor-relative gate never rises above this (dBFS): a channel that carries hold music most of the call
    /// has the music as its "floor", and speech must still count there.</summary>
    public float MaxGateDb { get; init; } = -40f;
    /// <summary>Pauses shorter than this inside speech (between words) still count as speaking.</summary>
    public int BridgeMs { get; init; } = 300;
    /// <summary>Sound shorter than this is a click, not speech.</summary>
    public int MinSpeechMs { get; init; } = 80;
    /// <summary>Sound at least this long whose level moves less than <see cref="SteadyDb"/> from one frame to the next is
    /// hold music or a tone, not speech (a voice changes level every few frames).</summary>
    public int SteadyMinMs { get; init; } = 500;
    /// <summary>See <see cref="SteadyMinMs"/>.</summary>
    public float SteadyDb { get; init; } = 1f;
    /// <summary>Both channels speaking for less than this is not counted as overtalk (a backchannel overlap at a turn change).</summary>
    public int MinOvertalkMs { get; init; } = 100;
    /// <summary>A span with nobody speaking counts toward silence from this long.</summary>
    public double MinSilenceS { get; init; } = 1.0;
    /// <summary>A silence at least this long, with no hold music, is dead air (scoring's <c>silence_gap_seconds</c>).</summary>
    public double DeadAirS { get; init; } = 20;
    /// <summary>A silence with hold music or a tone through at least half of it, at least this long, is a hold.</summary>
    public double MinHoldS { get; init; } = 10;
    /// <summary>Any silence at least this long is a hold, music or not (scoring's <c>hold_seconds</c>).</summary>
    public double HoldS { get; init; } = 60;
    /// <summary>Fixed window length when there is no transcript to join to.</summary>
    public int FixedWindowMs { get; init; } = 5000;
    /// <summary>A window with less speech than this has no arousal reading (too little to compare).</summary>
    public double MinVoicedS { get; init; } = 0.6;
    /// <summary>Arousal score at or above which a window is agitated (and at or below minus which it is calm).</summary>
    public double AgitatedScore { get; init; } = 0.75;
    /// <summary>Arousal weights: loudness per 6 dB, pitch per 2.5 semitones, rate per 25 % above the baseline.</summary>
    public double LoudnessWeight { get; init; } = 0.5;
    /// <summary>See <see cref="LoudnessWeight"/>.</summary>
    public double PitchWeight { get; init; } = 0.3;
    /// <summary>See <see cref="LoudnessWeight"/>.</summary>
    public double RateWeight { get; init; } = 0.2;
    /// <summary>Live agitation: the customer's audio is read in windows of this length as it arrives.</summary>
    public int LiveWindowMs { get; init; } = 4000;
    /// <summary>Live agitation: windows with speech needed before the baseline is trusted.</summary>
    public int LiveBaselineWindows { get; init; } = 3;
    /// <summary>Live agitation: consecutive agitated windows that raise the alert.</summary>
    public int LiveAgitatedWindows { get; init; } = 2;
}
