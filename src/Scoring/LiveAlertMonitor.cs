using System.Globalization;

namespace Emotion.Scoring;

/// <summary>
/// Watches one conversation in progress, fed one scored utterance at a time, and fires when the customer's
/// valence trend turns negative. Only customer turns with speech count (valence after the sarcasm rule).
/// Rules, checked in this order while armed:
/// <list type="bullet">
/// <item><c>severe_turn</c>: one turn at or below <c>alerts.severe_valence</c> (null disables).</item>
/// <item><c>ewma_below</c>: at least <c>min_customer_turns</c> turns, the moving average
/// (EWMA, weight <c>ewma_alpha</c> on the newest) at or below <c>ewma_threshold</c>, and the newest turn negative.</item>
/// <item><c>falling_trend</c>: at least <c>max(min_customer_turns, slope_window)</c> turns, the least-squares slope of the last
/// <c>slope_window</c> valences at or below <c>slope_threshold</c> per turn, and the newest turn negative.</item>
/// </list>
/// After an alert the monitor is disarmed until the average rises above <c>rearm_threshold</c>, so one bad stretch
/// gives one alert. Not thread-safe: one monitor per conversation, fed in order (Kafka key = conversation id).
/// </summary>
public sealed class LiveAlertMonitor
{
    private readonly ScoringProfile _profile;
    private readonly TimeProvider _time;
    private readonly Queue<double> _window = new();
    private bool _armed = true;
    private int _index;

    public LiveAlertMonitor(string conversationId, ScoringProfile profile, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ConversationId = conversationId;
        _profile = profile;
        _time = time ?? TimeProvider.System;
    }

    public string ConversationId { get; }

    /// <summary>The customer's moving average valence, or null before the first customer turn.</summary>
    public double? Ewma { get; private set; }

    /// <summary>Customer turns with speech seen so far.</summary>
    public int CustomerTurns { get; private set; }

    /// <summary>Alerts fired so far.</summary>
    public int AlertsFired { get; private set; }

    /// <summary>
    /// Takes the next utterance; returns an alert when this turn fires one. <paramref name="producedAt"/> is when the
    /// segment was produced (its Kafka timestamp); when given, the alert carries the delay from then to now.
    /// </summary>
    public LiveAlert? Observe(ScoredUtterance utterance, DateTimeOffset? producedAt = null)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        var turn = PreparedTurn.Create(utterance, _index++, _profile);
        return Observe(turn, producedAt);
    }

    internal LiveAlert? Observe(PreparedTurn turn, DateTimeOffset? producedAt = null)
    {
        if (!turn.IsCustomer || !turn.HasSpeech) return null;
        var a = _profile.Options.Alerts;
        var negT = _profile.Options.Thresholds.NegativeValence;
        var v = turn.Valence;
        CustomerTurns++;
        Ewma = Ewma is { } prev ? a.EwmaAlpha * v + (1 - a.EwmaAlpha) * prev : v;
        _window.Enqueue(v);
        while (_window.Count > a.SlopeWindow) _window.Dequeue();
        double? slope = _window.Count >= a.SlopeWindow ? Slope(_window) : null;

        if (!_armed && Ewma > a.RearmThreshold) _armed = true;
        if (!_armed) return null;

        var ewma = Ewma.Value;
        string? rule = null;
        string? reason = null;
        if (a.SevereValence is { } severe && v <= severe)
        {
            rule = "severe_turn";
            reason = Fmt($"customer valence {v:0.00} <= {severe:0.00} in one turn");
        }
        else if (CustomerTurns >= a.MinCustomerTurns && ewma <= a.EwmaThreshold && v <= negT)
        {
            rule = "ewma_below";
            reason = Fmt($"customer valence average {ewma:0.00} <= {a.EwmaThreshold:0.00} over {CustomerTurns} turns, latest {v:0.00}");
        }
        else if (slope is { } s && CustomerTurns >= a.MinCustomerTurns && s <= a.SlopeThreshold && v <= negT)
        {
            rule = "falling_trend";
            reason = Fmt($"customer valence falling {s:0.00} per turn over the last {a.SlopeWindow} turns, latest {v:0.00}");
        }
        if (rule is null) return null;

        _armed = false;
        AlertsFired++;
        double? delay = producedAt is { } p ? (_time.GetUtcNow() - p).TotalMilliseconds : null;
        return new LiveAlert(ConversationId, turn.Source.Turn, turn.Source.StartS, rule, reason!, Math.Round(v, 4), Math.Round(ewma, 4),
            slope is { } sl ? Math.Round(sl, 4) : null, delay);
    }

    private static double Slope(IEnumerable<double> values)
    {
        var ys = values.ToArray();
        var n = ys.Length;
        var xMean = (n - 1) / 2.0;
        var yMean = ys.Average();
        double num = 0, den = 0;
        for (var i = 0; i < n; i++)
        {
            num += (i - xMean) * (ys[i] - yMean);
            den += (i - xMean) * (i - xMean);
        }
        return den == 0 ? 0 : num / den;
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
