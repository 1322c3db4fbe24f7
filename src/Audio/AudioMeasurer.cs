using Emotion.Ingest.Contracts;
using Emotion.Scoring;

namespace Emotion.Audio;

/// <summary>A transcript turn's timing and text, to join audio windows to.</summary>
public sealed record TurnTiming(int Turn, Speaker Speaker, long StartMs, long EndMs, string Text);

/// <summary>Where one channel speaks: frame by frame over a range of frames.</summary>
public sealed class SpeechActivity
{
    private readonly bool[] _speech;
    private readonly bool[] _sound;

    private SpeechActivity(long origin, bool[] speech, bool[] sound)
    {
        Origin = origin;
        _speech = speech;
        _sound = sound;
    }

    /// <summary>First frame described.</summary>
    public long Origin { get; }

    /// <summary>One past the last frame described.</summary>
    public long End => Origin + _speech.Length;

    /// <summary>Whether the speaker speaks in frame <paramref name="k"/>.</summary>
    public bool Speaks(long k) => k >= Origin && k < End && _speech[k - Origin];

    /// <summary>Whether frame <paramref name="k"/> carries steady non-speech sound (hold music, a tone).</summary>
    public bool Sound(long k) => k >= Origin && k < End && _sound[k - Origin];

    /// <summary>
    /// Speech on <paramref name="track"/>: frames above the gate (and above the channel's noise floor), pauses shorter than
    /// the bridge filled, clicks dropped, and long stretches of steady level set apart as sound rather than speech.
    /// </summary>
    public static SpeechActivity Detect(FrameTrack track, AudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(options);
        var n = (int)(track.End - track.Origin);
        var speech = new bool[n];
        var sound = new bool[n];
        if (n == 0) return new SpeechActivity(track.Origin, speech, sound);
        var levels = new List<float>(n);
        for (var i = 0; i < n; i++)
        {
            var db = track.Db(track.Origin + i);
            if (!float.IsNaN(db)) levels.Add(db);
        }
        levels.Sort();
        var floor = levels.Count == 0 ? AudioFrames.SilenceDb : levels[(int)(levels.Count * 0.1)];
        var gate = Math.Max(options.SpeechGateDb, Math.Min(floor + options.AboveFloorDb, options.MaxGateDb));
        for (var i = 0; i < n; i++) speech[i] = track.Db(track.Origin + i) > gate; // NaN compares false
        // Steady sound: a run of loud frames whose level barely moves from frame to frame is a tone or music; a voice
        // changes level every few frames. Set apart before bridging, so that speech next to music ends where it ends.
        var steadyFrames = Math.Max(2, options.SteadyMinMs / AudioFrames.FrameMs);
        for (var i = 0; i < n;)
        {
            if (!speech[i])
            {
                i++;
                continue;
            }
            var j = i + 1;
            while (j < n && speech[j] && Math.Abs(track.Db(track.Origin + j) - track.Db(track.Origin + j - 1)) < options.SteadyDb) j++;
            if (j - i >= steadyFrames)
            {
                for (var k = i; k < j; k++)
                {
                    speech[k] = false;
                    sound[k] = true;
                }
            }
            i = j;
        }
        Bridge(speech, options.BridgeMs / AudioFrames.FrameMs);
        DropShort(speech, options.MinSpeechMs / AudioFrames.FrameMs);
        return new SpeechActivity(track.Origin, speech, sound);
    }

    private static void Bridge(bool[] on, int maxGap)
    {
        var last = -1;
        for (var i = 0; i < on.Length; i++)
        {
            if (!on[i]) continue;
            if (last >= 0 && i - last - 1 > 0 && i - last - 1 <= maxGap)
            {
                for (var j = last + 1; j < i; j++) on[j] = true;
            }
            last = i;
        }
    }

    private static void DropShort(bool[] on, int minRun)
    {
        // Clearing a run only touches frames the walk has passed.
        foreach (var (start, end) in AudioMeasurer.Runs(on))
        {
            if (end - start < minRun) Array.Fill(on, false, start, end - start);
        }
    }
}

/// <summary>
/// Measures a conversation's audio: per speaker and window (each transcript turn on its speaker's channel, or fixed
/// windows when there is no transcript) loudness, pitch median and range, speaking rate, overtalk, silence and an
/// arousal score against the speaker's own baseline in the call; and the spans of overtalk, holds, dead air and silence.
/// Pure: the same frames give the same answer.
/// </summary>
public static class AudioMeasurer
{
    private const double FrameS = AudioFrames.FrameMs / 1000.0;

    /// <summary>Measures <paramref name="tracks"/> (speaker -> frames); <paramref name="turns"/> empty = no transcript.</summary>
    public static ConversationAcoustics Measure(IReadOnlyDictionary<string, FrameTrack> tracks, IReadOnlyList<TurnTiming> turns, AudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(options);
        var live = tracks.Where(t => t.Value.Covered > 0).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        if (live.Count == 0) return new ConversationAcoustics([], [], 0);
        var activity = live.ToDictionary(t => t.Key, t => SpeechActivity.Detect(t.Value, options), StringComparer.Ordinal);
        var origin = live.Values.Min(t => t.Origin);
        var end = live.Values.Max(t => t.End);
        var agent = activity.GetValueOrDefault(Speakers.Agent);
        var customer = activity.GetValueOrDefault(Speakers.Customer);

        // Per frame: both speaking, nobody speaking (where some audio exists), steady sound on any channel.
        var n = (int)(end - origin);
        var both = new bool[n];
        var nobody = new bool[n];
        var sound = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var k = origin + i;
            var a = agent?.Speaks(k) == true;
            var c = customer?.Speaks(k) == true;
            both[i] = a && c;
            var covered = live.Values.Any(t => t.Has(k));
            nobody[i] = covered && !a && !c;
            sound[i] = activity.Values.Any(s => s.Sound(k));
        }
        var spans = new List<AcousticSpan>();
        foreach (var (s, e) in Runs(both))
        {
            if ((e - s) * AudioFrames.FrameMs < options.MinOvertalkMs) continue;
            spans.Add(new AcousticSpan(AcousticSpanKinds.Overtalk, Sec(origin + s), Sec(origin + e), BrokeIn(agent!, customer!, origin + s)));
        }
        foreach (var (s, e) in Runs(nobody))
        {
            var seconds = (e - s) * FrameS;
            if (seconds < options.MinSilenceS) continue;
            var music = 0;
            for (var i = s; i < e; i++) if (sound[i]) music++;
            var kind = seconds >= options.HoldS || (seconds >= options.MinHoldS && music * 2 >= e - s) ? AcousticSpanKinds.Hold
                : seconds >= options.DeadAirS ? AcousticSpanKinds.DeadAir
                : AcousticSpanKinds.Silence;
            spans.Add(new AcousticSpan(kind, Sec(origin + s), Sec(origin + e)));
        }
        spans.Sort((x, y) => x.StartS.CompareTo(y.StartS));

        var windows = new List<(AcousticWindow W, Raw R)>();
        if (turns.Count > 0)
        {
            foreach (var t in turns)
            {
                var speaker = ConversationAnalyzer.SpeakerName(t.Speaker);
                if (!live.TryGetValue(speaker, out var track)) continue;
                var from = AudioFrames.FrameAt(t.StartMs);
                var to = Math.Max(from + 1, AudioFrames.FrameAt(t.EndMs));
                if (to <= track.Origin || from >= track.End) continue;
                windows.Add(Window(t.Speaker, track, activity[speaker], from, to, t.Turn, t.Text, both, nobody, origin));
            }
        }
        else
        {
            var step = Math.Max(1, options.FixedWindowMs / AudioFrames.FrameMs);
            foreach (var (speaker, track) in live.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var who = speaker == Speakers.Agent ? Speaker.Agent : Speaker.Customer;
                var first = track.Origin - ((track.Origin % step) + step) % step;
                for (var from = first; from < track.End; from += step)
                {
                    var w = Window(who, track, activity[speaker], from, from + step, null, null, both, nobody, origin);
                    if (w.W.VoicedS > 0) windows.Add(w);
                }
            }
        }
        var scored = Arousal(windows, options);
        return new ConversationAcoustics(scored, spans, Math.Round((end - origin) * FrameS, 3));
    }

    /// <summary>Who broke in: of the two speech runs that overlap from frame <paramref name="k"/>, the one that started later.</summary>
    private static Speaker BrokeIn(SpeechActivity agent, SpeechActivity customer, long k)
    {
        long RunStart(SpeechActivity a)
        {
            var s = k;
            while (s - 1 >= a.Origin && a.Speaks(s - 1)) s--;
            return s;
        }
        return RunStart(agent) >= RunStart(customer) ? Speaker.Agent : Speaker.Customer;
    }

    private readonly record struct Raw(double? Db, double? PitchSt, double? Rate);

    private static (AcousticWindow W, Raw R) Window(Speaker speaker, FrameTrack track, SpeechActivity act, long from, long to, int? turn, string? text,
        bool[] both, bool[] nobody, long origin)
    {
        var voiced = 0;
        var overtalk = 0;
        var silence = 0;
        double power = 0;
        var pitches = new List<float>();
        for (var k = from; k < to; k++)
        {
            var i = k - origin;
            if (i >= 0 && i < both.Length)
            {
                if (both[i]) overtalk++;
                if (nobody[i]) silence++;
            }
            if (!act.Speaks(k)) continue;
            voiced++;
            power += Math.Pow(10, track.Db(k) / 10.0);
            var f0 = track.F0(k);
            if (f0 > 0) pitches.Add(f0);
        }
        var voicedS = voiced * FrameS;
        double? db = voiced > 0 ? 10 * Math.Log10(power / voiced) : null;
        double? median = null, range = null, st = null;
        if (pitches.Count >= 5)
        {
            pitches.Sort();
            median = Percentile(pitches, 0.5);
            range = 12 * Math.Log2(Percentile(pitches, 0.9) / Percentile(pitches, 0.1));
            st = 12 * Math.Log2(median.Value / 100.0);
        }
        double? rate = null;
        var source = "audio";
        if (voicedS > 0)
        {
            if (text is not null && Syllables.Count(text) is var syl && syl > 0)
            {
                rate = syl / voicedS;
                source = "transcript";
            }
            else if (voicedS >= 0.5)
            {
                rate = Syllables.Nuclei(track, act, from, to) / voicedS;
            }
        }
        var w = new AcousticWindow(speaker, Sec(from), Sec(to), turn, Math.Round(voicedS, 3), Round(db, 2), Round(median, 1), Round(range, 2),
            Round(rate, 2), source, Math.Round(overtalk * FrameS, 3), Math.Round(silence * FrameS, 3), null, null);
        return (w, new Raw(db, st, rate));
    }

    /// <summary>Scores each window against its speaker's baseline: the median of the speaker's windows with enough speech.</summary>
    private static List<AcousticWindow> Arousal(List<(AcousticWindow W, Raw R)> windows, AudioOptions options)
    {
        var result = new List<AcousticWindow>(windows.Count);
        var baselines = new Dictionary<Speaker, Raw>();
        foreach (var g in windows.Where(w => w.W.VoicedS >= options.MinVoicedS).GroupBy(w => w.W.Speaker))
        {
            baselines[g.Key] = new Raw(Median(g.Select(w => w.R.Db)), Median(g.Select(w => w.R.PitchSt)), Median(g.Select(w => w.R.Rate)));
        }
        foreach (var (w, r) in windows)
        {
            if (w.VoicedS < options.MinVoicedS || !baselines.TryGetValue(w.Speaker, out var b))
            {
                result.Add(w);
                continue;
            }
            var score = Score(r, b, options);
            result.Add(w with { Arousal = Math.Round(score, 3), ArousalLabel = Label(score, options) });
        }
        return result;
    }

    internal static double Score((double? Db, double? PitchSt, double? Rate) window, (double? Db, double? PitchSt, double? Rate) baseline, AudioOptions options) =>
        Score(new Raw(window.Db, window.PitchSt, window.Rate), new Raw(baseline.Db, baseline.PitchSt, baseline.Rate), options);

    private static double Score(Raw r, Raw b, AudioOptions o)
    {
        double score = 0;
        if (r.Db is { } db && b.Db is { } bdb) score += o.LoudnessWeight * (db - bdb) / 6.0;
        if (r.PitchSt is { } st && b.PitchSt is { } bst) score += o.PitchWeight * (st - bst) / 2.5;
        if (r.Rate is { } rate && b.Rate is { } brate && brate > 0) score += o.RateWeight * (rate / brate - 1) / 0.25;
        return score;
    }

    /// <summary>The label of an arousal score.</summary>
    public static string Label(double score, AudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return score >= options.AgitatedScore ? ArousalLabels.Agitated : score <= -options.AgitatedScore ? ArousalLabels.Calm : ArousalLabels.Neutral;
    }

    internal static double? Median(IEnumerable<double?> values)
    {
        var list = values.Where(v => v.HasValue).Select(v => v!.Value).OrderBy(v => v).ToList();
        if (list.Count == 0) return null;
        return list.Count % 2 == 1 ? list[list.Count / 2] : (list[list.Count / 2 - 1] + list[list.Count / 2]) / 2;
    }

    private static double Percentile(List<float> sorted, double p)
    {
        var x = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(x);
        var hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + (x - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The runs of consecutive true frames, as [start, end).</summary>
    internal static IEnumerable<(int Start, int End)> Runs(bool[] on)
    {
        for (var i = 0; i < on.Length;)
        {
            if (!on[i])
            {
                i++;
                continue;
            }
            var j = i;
            while (j < on.Length && on[j]) j++;
            yield return (i, j);
            i = j;
        }
    }

    private static double Sec(long frame) => Math.Round(frame * FrameS, 3);

    private static double? Round(double? v, int digits) => v is { } x && double.IsFinite(x) ? Math.Round(x, digits) : null;
}

/// <summary>Syllable counts: from text (vowel groups, Spanish and English), or from audio (energy peaks in voiced speech).</summary>
public static class Syllables
{
    private const string Vowels = "aeiouáéíóúüàèìòùy";

    /// <summary>Syllables in <paramref name="text"/>: vowel groups per word (a final silent English <c>e</c> not counted),
    /// at least one per word with letters; bracketed markers are not speech.</summary>
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var speech = TimingMarkers.Strip(text).ToLowerInvariant();
        var total = 0;
        foreach (var raw in speech.Split([' ', '\t', '\n', ',', '.', ';', ':', '!', '?', '¿', '¡', '"', '(', ')', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = new string(raw.Where(char.IsLetter).ToArray());
            if (word.Length == 0) continue;
            var groups = 0;
            var inVowel = false;
            for (var i = 0; i < word.Length; i++)
            {
                var c = word[i];
                // 'y' is a vowel inside or at the end of a word ("rhythm", "muy"), a consonant at its start ("yes", "yo").
                var v = Vowels.Contains(c, StringComparison.Ordinal) && !(c == 'y' && i == 0);
                if (v && !inVowel) groups++;
                inVowel = v;
            }
            if (word.Length > 3 && word.EndsWith('e') && !word.EndsWith("le", StringComparison.Ordinal) && groups > 1
                && !Vowels.Contains(word[^2], StringComparison.Ordinal) && LooksEnglish(word)) groups--;
            total += Math.Max(1, groups);
        }
        return total;
    }

    // Spanish words ending in consonant + e pronounce it ("grande", "cobre"); the silent e is an English habit. Without a
    // language tag, words that end in -ke, -se, -ve, -me after a long vowel pattern are the common English ones.
    private static bool LooksEnglish(string word) =>
        word.EndsWith("ke", StringComparison.Ordinal) || word.EndsWith("ve", StringComparison.Ordinal) || word.EndsWith("me", StringComparison.Ordinal)
        || word.EndsWith("ne", StringComparison.Ordinal) || word.EndsWith("re", StringComparison.Ordinal) && word.Contains("ere", StringComparison.Ordinal)
        || word.EndsWith("se", StringComparison.Ordinal) && word.Contains("ase", StringComparison.Ordinal);

    /// <summary>Syllable nuclei in frames [<paramref name="from"/>, <paramref name="to"/>): peaks of the smoothed energy in
    /// voiced speech frames, at least 2 dB above the dip before them and 80 ms apart.</summary>
    public static int Nuclei(FrameTrack track, SpeechActivity activity, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(activity);
        var n = (int)(to - from);
        if (n < 3) return 0;
        var smooth = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var c = 0;
            for (var j = Math.Max(0, i - 1); j <= Math.Min(n - 1, i + 1); j++)
            {
                var k = from + j;
                var db = activity.Speaks(k) ? track.Db(k) : AudioFrames.SilenceDb;
                sum += float.IsNaN(db) ? AudioFrames.SilenceDb : db;
                c++;
            }
            smooth[i] = sum / c;
        }
        var count = 0;
        var dip = double.MaxValue;
        var lastPeak = int.MinValue / 2;
        for (var i = 1; i < n - 1; i++)
        {
            dip = Math.Min(dip, smooth[i]);
            var k = from + i;
            if (smooth[i] >= smooth[i - 1] && smooth[i] > smooth[i + 1] && activity.Speaks(k) && track.F0(k) > 0
                && smooth[i] - dip >= 2 && i - lastPeak >= 4)
            {
                count++;
                lastPeak = i;
                dip = smooth[i];
            }
        }
        return count;
    }
}
