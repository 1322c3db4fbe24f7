using System.Globalization;
using Emotion.Scoring;

namespace Emotion.Audio;

/// <summary>A live alert from the customer's voice: agitation rising against the customer's own baseline in the call.</summary>
/// <param name="Window">Index of the live window that raised it (from the call's start).</param>
/// <param name="AtMs">End of that window (ms from the call's start).</param>
public sealed record AgitationAlert(int Window, long AtMs, double Score, double PreviousScore, string Reason)
{
    /// <summary>The rule name in <c>emotion.alerts</c>.</summary>
    public const string Rule = "rising_agitation";
}

/// <summary>
/// Reads the customer's channel in fixed windows as audio arrives and raises <see cref="AgitationAlert"/> when
/// <see cref="AudioOptions.LiveAgitatedWindows"/> windows in a row score agitated against the baseline of the windows
/// before them (at least <see cref="AudioOptions.LiveBaselineWindows"/> with speech). One alert per agitated stretch:
/// it re-arms after a window back near the baseline.
/// </summary>
internal sealed class LiveArousal(AudioOptions options)
{
    private readonly List<(double? Db, double? St, double? Rate)> _baseline = [];
    private long _nextWindow = -1;
    private int _streak;
    private double _previous;
    private bool _armed = true;

    public IReadOnlyList<AgitationAlert> Advance(FrameTrack track)
    {
        var step = options.LiveWindowMs / AudioFrames.FrameMs;
        if (_nextWindow < 0) _nextWindow = track.Origin / step;
        List<AgitationAlert>? alerts = null;
        // A window is read once audio reaches past its end.
        while ((_nextWindow + 1) * step <= track.End)
        {
            var from = _nextWindow * step;
            var to = from + step;
            var index = (int)_nextWindow;
            _nextWindow++;
            var reading = Read(track, from, to);
            if (reading is null) continue;
            if (_baseline.Count < options.LiveBaselineWindows)
            {
                _baseline.Add(reading.Value);
                continue;
            }
            var b = (AudioMeasurer.Median(_baseline.Select(x => x.Db)), AudioMeasurer.Median(_baseline.Select(x => x.St)), AudioMeasurer.Median(_baseline.Select(x => x.Rate)));
            var score = AudioMeasurer.Score(reading.Value, b, options);
            if (score >= options.AgitatedScore)
            {
                _streak++;
                if (_armed && _streak >= options.LiveAgitatedWindows)
                {
                    _armed = false;
                    var reason = string.Create(CultureInfo.InvariantCulture,
                        $"customer voice agitated in {_streak} windows of {options.LiveWindowMs / 1000.0:0.#} s in a row (arousal {_previous:0.00} then {score:0.00} against the call's baseline)");
                    (alerts ??= []).Add(new AgitationAlert(index, to * AudioFrames.FrameMs, Math.Round(score, 3), Math.Round(_previous, 3), reason));
                }
            }
            else
            {
                _streak = 0;
                if (score < options.AgitatedScore / 3) _armed = true;
                // Calm and neutral windows keep the baseline current; agitated ones would drag it up.
                _baseline.Add(reading.Value);
            }
            _previous = score;
        }
        return alerts ?? (IReadOnlyList<AgitationAlert>)[];
    }

    private (double? Db, double? St, double? Rate)? Read(FrameTrack track, long from, long to)
    {
        var voiced = 0;
        double power = 0;
        var pitches = new List<float>();
        for (var k = from; k < to; k++)
        {
            var db = track.Db(k);
            if (!(db > options.SpeechGateDb)) continue;
            voiced++;
            power += Math.Pow(10, db / 10.0);
            if (track.F0(k) is var f0 && f0 > 0) pitches.Add(f0);
        }
        if (voiced * AudioFrames.FrameMs / 1000.0 < options.MinVoicedS || pitches.Count < 5) return null;
        pitches.Sort();
        var median = pitches[pitches.Count / 2];
        return (10 * Math.Log10(power / voiced), 12 * Math.Log2(median / 100.0), null);
    }
}
