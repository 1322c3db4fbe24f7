using System.Text;
using static Emotion.Web.Html;

namespace Emotion.Web;

/// <summary>One turn on the emotion curve.</summary>
internal sealed record CurveTurn(uint Turn, string Speaker, double Valence, string Phase, string Text, string Emotion);

/// <summary>A series of a line chart; null values leave a gap.</summary>
internal sealed record Series(string Name, string Css, IReadOnlyList<double?> Values);

/// <summary>
/// Charts drawn on the server as inline SVG: no script and no chart library to ship, the same picture in every browser,
/// and a test can read the marks from the HTML.
/// </summary>
internal static class Svg
{
    private static readonly string[] PhaseOrder = ["opening", "identification", "exploration", "resolution", "closing"];

    /// <summary>
    /// The emotion curve: customer and agent valence per turn over coloured phase bands, with the alerts (red markers) and
    /// memorable moments (stars); every point links to its turn in the transcript.
    /// </summary>
    public static string Curve(Ui ui, IReadOnlyList<CurveTurn> turns, IReadOnlyCollection<(uint Turn, string Reason)> alerts, IReadOnlyCollection<uint> moments)
    {
        const double W = 960, H = 320, L = 44, R = 16, T = 30, B = 26;
        var pw = W - L - R;
        var ph = H - T - B;
        var sb = new StringBuilder(8192);
        sb.Append(Inv, $"<svg class=\"chart curve\" data-testid=\"curve\" viewBox=\"0 0 {N(W)} {N(H)}\" role=\"img\" aria-label=\"{E(ui["conv.curve"])}\">");
        if (turns.Count == 0) return sb.Append("</svg>").ToString();
        var min = turns.Min(t => t.Turn);
        var max = turns.Max(t => t.Turn);
        var span = Math.Max(1, max - min);
        var step = pw / (span + 1);
        double X(uint turn) => L + step / 2 + (turn - min) * (pw - step) / span;
        double Y(double v) => T + (1 - Math.Clamp(v, -1, 1)) / 2 * ph;

        // Phase bands: consecutive turns of one phase.
        var ordered = turns.OrderBy(t => t.Turn).ToList();
        var i = 0;
        while (i < ordered.Count)
        {
            var j = i;
            while (j + 1 < ordered.Count && ordered[j + 1].Phase == ordered[i].Phase) j++;
            var x0 = X(ordered[i].Turn) - step / 2;
            var x1 = X(ordered[j].Turn) + step / 2;
            var phase = ordered[i].Phase;
            var k = Array.IndexOf(PhaseOrder, phase);
            sb.Append(Inv, $"<rect class=\"band b{(k < 0 ? 9 : k)}\" data-phase=\"{E(phase)}\" x=\"{N(x0)}\" y=\"{N(T)}\" width=\"{N(x1 - x0)}\" height=\"{N(ph)}\"/>");
            if (x1 - x0 > 40)
                sb.Append(Inv, $"<text class=\"band-label\" x=\"{N((x0 + x1) / 2)}\" y=\"{N(T - 10)}\" text-anchor=\"middle\">{E(ui.Term(phase))}</text>");
            i = j + 1;
        }
        foreach (var g in new[] { -1, -0.5, 0, 0.5, 1 })
        {
            sb.Append(Inv, $"<line class=\"grid{(g == 0 ? " zero" : "")}\" x1=\"{N(L)}\" x2=\"{N(W - R)}\" y1=\"{N(Y(g))}\" y2=\"{N(Y(g))}\"/>");
            sb.Append(Inv, $"<text class=\"axis\" x=\"{N(L - 6)}\" y=\"{N(Y(g) + 4)}\" text-anchor=\"end\">{(g > 0 ? "+" : "")}{N(g)}</text>");
        }
        foreach (var (turn, reason) in alerts)
        {
            var x = X(turn);
            sb.Append(Inv, $"<g class=\"alert-mark\" data-testid=\"curve-alert\"><line x1=\"{N(x)}\" x2=\"{N(x)}\" y1=\"{N(T)}\" y2=\"{N(T + ph)}\"/>")
              .Append(Inv, $"<path d=\"M{N(x - 7)},{N(T + 2)} L{N(x + 7)},{N(T + 2)} L{N(x)},{N(T + 14)} Z\"><title>{E(ui["alerts"])} · {E(ui["turn"])} {turn}: {E(ui.Term(reason))}</title></path></g>");
        }
        Line(sb, ordered.Where(t => t.Speaker == "agent").ToList(), "agent", X, Y);
        Line(sb, ordered.Where(t => t.Speaker != "agent").ToList(), "customer", X, Y);
        foreach (var t in ordered)
        {
            var cls = t.Speaker == "agent" ? "agent" : "customer";
            sb.Append(Inv, $"<a href=\"#turn-{t.Turn}\"><circle class=\"pt {cls}\" data-turn=\"{t.Turn}\" cx=\"{N(X(t.Turn))}\" cy=\"{N(Y(t.Valence))}\" r=\"4.5\">")
              .Append(Inv, $"<title>{E(ui["turn"])} {t.Turn} · {E(ui.Term(t.Speaker))} · {E(ui.Signed(t.Valence))} · {E(ui.Term(t.Emotion))}\n{E(Clip(t.Text, 140))}</title></circle></a>");
        }
        foreach (var m in moments)
        {
            var t = ordered.FirstOrDefault(o => o.Turn == m);
            if (t is null) continue;
            sb.Append(Inv, $"<path class=\"moment-mark\" data-testid=\"curve-moment\" d=\"{Star(X(t.Turn), Y(t.Valence) - 14, 8)}\"><title>{E(ui["conv.moments"])} · {E(ui["turn"])} {t.Turn}</title></path>");
        }
        sb.Append(Inv, $"<text class=\"axis\" x=\"{N(L)}\" y=\"{N(H - 6)}\">{E(ui["turn"])} {min}</text>");
        sb.Append(Inv, $"<text class=\"axis\" x=\"{N(W - R)}\" y=\"{N(H - 6)}\" text-anchor=\"end\">{E(ui["turn"])} {max}</text>");
        return sb.Append("</svg>").ToString();
    }

    private static void Line(StringBuilder sb, List<CurveTurn> turns, string cls, Func<uint, double> x, Func<double, double> y)
    {
        if (turns.Count < 2) return;
        sb.Append(Inv, $"<polyline class=\"line {cls}\" points=\"");
        foreach (var t in turns) sb.Append(N(x(t.Turn), "0.0")).Append(',').Append(N(y(t.Valence), "0.0")).Append(' ');
        sb.Append("\"/>");
    }

    private static string Star(double cx, double cy, double r)
    {
        var sb = new StringBuilder("M");
        for (var k = 0; k < 10; k++)
        {
            var a = Math.PI / 2 + k * Math.PI / 5;
            var rr = k % 2 == 0 ? r : r * 0.45;
            sb.Append(N(cx + rr * Math.Cos(a), "0.0")).Append(',').Append(N(cy - rr * Math.Sin(a), "0.0")).Append(k < 9 ? " L" : " Z");
        }
        return sb.ToString();
    }

    /// <summary>A line chart over labelled periods; each series is a line (a gap where a value is missing).</summary>
    public static string Lines(IReadOnlyList<string> labels, IReadOnlyList<Series> series, double yMin, double yMax, string yFormat = "0", string? testId = null, double width = 560, double height = 220)
    {
        double L = 40, R = 12, T = 12, B = 26;
        var pw = width - L - R;
        var ph = height - T - B;
        var sb = new StringBuilder(4096);
        sb.Append(Inv, $"<svg class=\"chart lines\"{(testId is null ? "" : $" data-testid=\"{testId}\"")} viewBox=\"0 0 {N(width)} {N(height)}\">");
        if (labels.Count == 0) return sb.Append("</svg>").ToString();
        double X(int k) => labels.Count == 1 ? L + pw / 2 : L + k * pw / (labels.Count - 1);
        double Y(double v) => T + (1 - (Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin)) * ph;
        for (var g = 0; g <= 4; g++)
        {
            var v = yMin + g * (yMax - yMin) / 4;
            sb.Append(Inv, $"<line class=\"grid\" x1=\"{N(L)}\" x2=\"{N(width - R)}\" y1=\"{N(Y(v))}\" y2=\"{N(Y(v))}\"/>");
            sb.Append(Inv, $"<text class=\"axis\" x=\"{N(L - 6)}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\">{N(v, yFormat)}</text>");
        }
        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / 8.0));
        for (var k = 0; k < labels.Count; k += every)
            sb.Append(Inv, $"<text class=\"axis\" x=\"{N(X(k))}\" y=\"{N(height - 6)}\" text-anchor=\"middle\">{E(labels[k])}</text>");
        foreach (var s in series)
        {
            var run = new StringBuilder();
            for (var k = 0; k < s.Values.Count && k < labels.Count; k++)
            {
                if (s.Values[k] is { } v && double.IsFinite(v))
                {
                    run.Append(N(X(k), "0.0")).Append(',').Append(N(Y(v), "0.0")).Append(' ');
                    sb.Append(Inv, $"<circle class=\"dot {s.Css}\" cx=\"{N(X(k))}\" cy=\"{N(Y(v))}\" r=\"3\"><title>{E(s.Name)} · {E(labels[k])}: {N(v, "0.##")}</title></circle>");
                }
                else if (run.Length > 0)
                {
                    sb.Append(Inv, $"<polyline class=\"line {s.Css}\" points=\"{run}\"/>");
                    run.Clear();
                }
            }
            if (run.Length > 0) sb.Append(Inv, $"<polyline class=\"line {s.Css}\" points=\"{run}\"/>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>A small line without axes (a trend beside a number).</summary>
    public static string Spark(IReadOnlyList<double?> values, double yMin, double yMax)
    {
        const double W = 120, H = 28;
        var pts = new StringBuilder();
        for (var k = 0; k < values.Count; k++)
        {
            if (values[k] is not { } v || !double.IsFinite(v)) continue;
            var x = values.Count == 1 ? W / 2 : 2 + k * (W - 4) / (values.Count - 1);
            var y = 2 + (1 - (Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin)) * (H - 4);
            pts.Append(N(x, "0.0")).Append(',').Append(N(y, "0.0")).Append(' ');
        }
        return $"<svg class=\"spark\" viewBox=\"0 0 {N(W)} {N(H)}\" width=\"{N(W)}\" height=\"{N(H)}\"><polyline points=\"{pts}\"/></svg>";
    }

    /// <summary>Horizontal bars (label, value, shown text); negative values grow to the left of a middle axis.</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value, string Text, string? Href)> items, string? testId = null, bool signed = false)
    {
        if (items.Count == 0) return "";
        var max = Math.Max(1e-9, items.Max(i => Math.Abs(i.Value)));
        var sb = new StringBuilder($"<div class=\"bars{(signed ? " signed" : "")}\"{(testId is null ? "" : $" data-testid=\"{testId}\"")}>");
        foreach (var (label, value, text, href) in items)
        {
            var pct = N(Math.Abs(value) / max * (signed ? 50 : 100), "0.#");
            var cls = signed ? (value < 0 ? "bar neg" : "bar pos") : "bar";
            var style = signed ? (value < 0 ? $"right:50%;width:{pct}%" : $"left:50%;width:{pct}%") : $"width:{pct}%";
            var name = href is null ? E(label) : $"<a href=\"{E(href)}\">{E(label)}</a>";
            sb.Append(Inv, $"<div class=\"bar-row\"><div class=\"bar-label\">{name}</div><div class=\"bar-track\"><div class=\"{cls}\" style=\"{style}\"></div></div><div class=\"bar-value\">{E(text)}</div></div>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>A scatter plot with optional threshold lines (quadrants) and axis titles.</summary>
    public static string Scatter(IReadOnlyList<(double X, double Y)> points, (double Min, double Max) xr, (double Min, double Max) yr,
        string xTitle, string yTitle, double? xLine = null, double? yLine = null, string? testId = null)
    {
        const double W = 420, H = 300, L = 44, R = 12, T = 12, B = 36;
        var pw = W - L - R;
        var ph = H - T - B;
        double X(double v) => L + (Math.Clamp(v, xr.Min, xr.Max) - xr.Min) / (xr.Max - xr.Min) * pw;
        double Y(double v) => T + (1 - (Math.Clamp(v, yr.Min, yr.Max) - yr.Min) / (yr.Max - yr.Min)) * ph;
        var sb = new StringBuilder(4096);
        sb.Append(Inv, $"<svg class=\"chart scatter\"{(testId is null ? "" : $" data-testid=\"{testId}\"")} viewBox=\"0 0 {N(W)} {N(H)}\">");
        sb.Append(Inv, $"<rect class=\"frame\" x=\"{N(L)}\" y=\"{N(T)}\" width=\"{N(pw)}\" height=\"{N(ph)}\"/>");
        for (var g = 0; g <= 4; g++)
        {
            var xv = xr.Min + g * (xr.Max - xr.Min) / 4;
            var yv = yr.Min + g * (yr.Max - yr.Min) / 4;
            sb.Append(Inv, $"<text class=\"axis\" x=\"{N(X(xv))}\" y=\"{N(T + ph + 14)}\" text-anchor=\"middle\">{N(xv)}</text>");
            sb.Append(Inv, $"<text class=\"axis\" x=\"{N(L - 6)}\" y=\"{N(Y(yv) + 4)}\" text-anchor=\"end\">{N(yv)}</text>");
        }
        if (xLine is { } xl) sb.Append(Inv, $"<line class=\"threshold\" x1=\"{N(X(xl))}\" x2=\"{N(X(xl))}\" y1=\"{N(T)}\" y2=\"{N(T + ph)}\"/>");
        if (yLine is { } yl) sb.Append(Inv, $"<line class=\"threshold\" x1=\"{N(L)}\" x2=\"{N(L + pw)}\" y1=\"{N(Y(yl))}\" y2=\"{N(Y(yl))}\"/>");
        foreach (var (x, y) in points) sb.Append(Inv, $"<circle class=\"sdot\" cx=\"{N(X(x), "0.0")}\" cy=\"{N(Y(y), "0.0")}\" r=\"3\"/>");
        sb.Append(Inv, $"<text class=\"axis-title\" x=\"{N(L + pw / 2)}\" y=\"{N(H - 4)}\" text-anchor=\"middle\">{E(xTitle)}</text>");
        sb.Append(Inv, $"<text class=\"axis-title\" transform=\"translate(12,{N(T + ph / 2)}) rotate(-90)\" text-anchor=\"middle\">{E(yTitle)}</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>The text cut to <paramref name="max"/> characters.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
