using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Emotion.Scoring;

/// <summary>What a bracketed marker stands for.</summary>
public enum MarkerKind
{
    /// <summary>The agent put the customer on hold (<c>[hold 2 min]</c>, <c>[espera 3 minutos]</c>).</summary>
    [JsonStringEnumMemberName("hold")]
    Hold,
    /// <summary>Nobody spoke (<c>[silencio 40s]</c>, <c>[silence 1:30]</c>, <c>[pausa 10 s]</c>).</summary>
    [JsonStringEnumMemberName("silence")]
    Silence,
    /// <summary>Any other annotation (<c>[risas]</c>, <c>[inaudible]</c>): not speech, no timing meaning.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}

/// <summary>One <c>[bracketed]</c> annotation in a transcript.</summary>
/// <param name="Seconds">Duration written in the marker, or null when it gives none.</param>
public sealed record TimingMarker(MarkerKind Kind, double? Seconds, string Raw);

/// <summary>
/// Text in square brackets is an annotation, not speech: <see cref="Strip"/> gives the speech the model scores,
/// <see cref="Parse"/> the markers with their durations in seconds.
/// </summary>
public static partial class TimingMarkers
{
    [GeneratedRegex(@"\[([^\[\]]*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"(\d+):([0-5]\d)(?::([0-5]\d))?", RegexOptions.CultureInvariant)]
    private static partial Regex ClockRegex();

    [GeneratedRegex(@"(\d+(?:[.,]\d+)?)\s*([a-z]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex AmountRegex();

    private static readonly string[] HoldWords = ["hold", "on hold", "espera", "en espera", "retencion", "musica", "music", "transfer wait"];
    private static readonly string[] SilenceWords = ["silencio", "silence", "pausa", "pause", "dead air", "sin respuesta"];

    /// <summary>The speech in <paramref name="text"/>: markers removed, whitespace collapsed, trimmed.</summary>
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var stripped = MarkerRegex().Replace(text, " ");
        return string.Join(' ', stripped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>True when <paramref name="text"/> holds no speech once markers are removed (only markers, punctuation or blanks).</summary>
    public static bool IsMarkerOnly(string? text) => TextNormalizer.Normalize(Strip(text)).Length == 0;

    /// <summary>Every marker in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<TimingMarker> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('[', StringComparison.Ordinal)) return [];
        var result = new List<TimingMarker>();
        foreach (Match m in MarkerRegex().Matches(text))
        {
            result.Add(ParseOne(m.Groups[1].Value));
        }
        return result;
    }

    /// <summary>Parses the inside of one marker, e.g. <c>hold 2 min</c>, <c>silencio 40s</c>, <c>silence 1:30</c>.</summary>
    public static TimingMarker ParseOne(string inner)
    {
        var norm = TextNormalizer.Normalize(inner);
        var padded = " " + norm + " ";
        var kind = HoldWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)) ? MarkerKind.Hold
            : SilenceWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)) ? MarkerKind.Silence
            : MarkerKind.Other;
        return new TimingMarker(kind, ParseSeconds(inner), "[" + inner + "]");
    }

    /// <summary>
    /// Reads a duration: <c>1:30</c> (m:ss) or <c>1:02:03</c>, or amounts with units (h, min, m, s, seg, segundos,
    /// minutos, horas, sec, seconds, minutes, hours; <c>1,5 min</c> and <c>1.5 min</c> both read as 90 s), summed
    /// (<c>1 min 30 s</c>). A number without a unit is seconds. Null when the text has no number.
    /// </summary>
    public static double? ParseSeconds(string inner)
    {
        var lower = inner.ToLowerInvariant();
        var clock = ClockRegex().Match(lower);
        if (clock.Success)
        {
            var a = int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
            var b = int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
            return clock.Groups[3].Success
                ? a * 3600 + b * 60 + int.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture)
                : a * 60 + b;
        }
        double? total = null;
        foreach (Match m in AmountRegex().Matches(TextNormalizeKeepDecimals(lower)))
        {
            var amount = double.Parse(m.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture);
            var unit = m.Groups[2].Success ? m.Groups[2].Value : "s";
            var factor = unit switch
            {
                "h" or "hr" or "hrs" or "hora" or "horas" or "hour" or "hours" => 3600.0,
                "m" or "min" or "mins" or "minuto" or "minutos" or "minute" or "minutes" => 60.0,
                "s" or "sec" or "secs" or "seg" or "segs" or "segundo" or "segundos" or "second" or "seconds" => 1.0,
                _ => 1.0, // "[silencio 40 aprox]": a number followed by another word is seconds
            };
            total = (total ?? 0) + amount * factor;
        }
        return total;
    }

    private static string TextNormalizeKeepDecimals(string lower)
    {
        // Drop accents (segundos/minutos are unaccented, but "más" etc. must not break words) and keep digits, ',' and '.'.
        var decomposed = lower.Normalize(System.Text.NormalizationForm.FormKD);
        var chars = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray();
        return new string(chars);
    }
}
