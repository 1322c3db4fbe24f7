using System.Text;
using Emotion.Store;
using static Emotion.Web.Html;

namespace Emotion.Web.Pages;

/// <summary>Everything the client dashboard shows, read for one tenant and range.</summary>
internal sealed record ClientData(
    IReadOnlyList<QueuePeriod> Queues, IReadOnlyList<ProcessRank> Processes, IReadOnlyList<MomentExample> Moments,
    IReadOnlyList<QuadrantStat> Quadrants, IReadOnlyList<QaPoint> QaPoints, IReadOnlyList<SurveyPoint> Surveys);

/// <summary>The client dashboard (clients): experience index per campaign and queue with its trend, processes to review,
/// memorable experiences over time, QA against experience, and surveys against the index.</summary>
internal static class ClientPage
{
    public static string Render(Ui ui, ReportPeriod period, DateOnly from, DateOnly to, string? campaign, IReadOnlyList<string> campaigns, bool showTenant, ClientData d)
    {
        var sb = new StringBuilder(32768);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        sb.Append(Inv, $"<div class=\"page-head\"><h1>{E(ui["client.title"])}</h1></div>");
        sb.Append("<form class=\"filters card\" method=\"get\" action=\"/client\">")
          .Append(Field(ui["campaign"], Select("campaign", ui["all"], campaign, campaigns.Select(c => (c, c)))))
          .Append(Field(ui["coach.period"], Select("period", ui["coach.week"], period == ReportPeriod.Month ? "month" : "", [("month", ui["coach.month"])])))
          .Append(Field(ui["from"], Input("from", from.ToString("yyyy-MM-dd", inv), "date")))
          .Append(Field(ui["to"], Input("to", to.ToString("yyyy-MM-dd", inv), "date")))
          .Append(Inv, $"<div class=\"actions\"><button class=\"primary\" type=\"submit\">{E(ui["search"])}</button></div></form>");
        if (d.Queues.Count == 0)
        {
            sb.Append(Inv, $"<div class=\"card empty\" data-testid=\"client-empty\">{E(ui["client.none"])}</div>");
            return sb.ToString();
        }
        var periods = d.Queues.Select(q => q.Period).Distinct().Order().ToList();
        var labels = periods.Select(ui.Week).ToList();
        var last = periods[^1];
        var prev = periods.Count > 1 ? periods[^2] : (DateOnly?)null;
        double? Mean(IEnumerable<QueuePeriod> rows) { var l = rows.ToList(); var n = l.Sum(r => r.Contacts); return n == 0 ? null : l.Sum(r => r.EiSum) / n; }

        var lastEi = Mean(d.Queues.Where(q => q.Period == last));
        var prevEi = prev is { } pv ? Mean(d.Queues.Where(q => q.Period == pv)) : null;
        var all = d.Queues;
        var started = all.Sum(q => q.StartedNegativeN);
        sb.Append("<div class=\"kpis\">");
        sb.Append(Kpi(ui["index"] + " · " + ui["client.latest"], ui.Num(lastEi, "0"), prevEi is null ? null : $"{ui["client.trend"]} {ui.Signed(lastEi - prevEi, "0.0")}", lastEi >= prevEi ? "up" : "down", "kpi-ei"));
        sb.Append(Kpi(ui["client.contacts"], ui.Int(all.Sum(q => q.Contacts))));
        sb.Append(Kpi(ui["client.conversion"], ui.Pct(started == 0 ? null : (double)all.Sum(q => q.Converted) / started)));
        sb.Append(Kpi(ui["conv.moments"], ui.Int(all.Sum(q => q.Moments))));
        sb.Append("</div>");

        // Index by campaign over time, and per campaign and queue with its trend.
        var byCampaign = all.GroupBy(q => (q.Tenant, q.Campaign)).OrderBy(g => g.Key.Tenant, StringComparer.Ordinal).ThenBy(g => g.Key.Campaign, StringComparer.Ordinal).ToList();
        var series = byCampaign.Select((g, k) => new Series(Name(g.Key.Tenant, g.Key.Campaign, showTenant), "s" + ((k % 6) + 1).ToString(inv),
            [.. periods.Select(p => Mean(g.Where(q => q.Period == p)))])).ToList();
        var legend = new StringBuilder("<div class=\"legend\">");
        foreach (var s in series) legend.Append(Inv, $"<span class=\"key {s.Css}\"></span>{E(s.Name)}");
        legend.Append("</div>");
        var table = new StringBuilder("<table class=\"t compact\" data-testid=\"queues\"><thead><tr>")
            .Append(Inv, $"<th>{E(ui["campaign"])}</th><th>{E(ui["queue"])}</th><th class=\"r\">{E(ui["client.contacts"])}</th><th class=\"r\">{E(ui["index.short"])}</th><th class=\"r\">{E(ui["client.trend"])}</th><th></th></tr></thead><tbody>");
        foreach (var g in all.GroupBy(q => (q.Tenant, q.Campaign, q.Queue)).OrderBy(g => g.Key.Tenant, StringComparer.Ordinal).ThenBy(g => g.Key.Campaign, StringComparer.Ordinal).ThenBy(g => g.Key.Queue, StringComparer.Ordinal))
        {
            var vals = periods.Select(p => Mean(g.Where(q => q.Period == p))).ToList();
            var latest = vals.LastOrDefault(v => v is not null);
            var nonNull = vals.Where(v => v is not null).ToList();
            double? trend = nonNull.Count >= 2 ? nonNull[^1] - nonNull[^2] : null;
            table.Append(Inv, $"<tr><td>{E(Name(g.Key.Tenant, g.Key.Campaign, showTenant))}</td><td>{E(g.Key.Queue.Length == 0 ? "–" : g.Key.Queue)}</td><td class=\"r\">{E(ui.Int(g.Sum(q => q.Contacts)))}</td>")
                 .Append(Inv, $"<td class=\"r\"><span class=\"ei {ExplorerPage.EiTone(latest ?? 0)}\">{E(ui.Num(latest, "0"))}</span></td>")
                 .Append(Inv, $"<td class=\"r\"><span class=\"{(trend >= 0 ? "up" : trend < 0 ? "down" : "")}\">{E(ui.Signed(trend, "0.0"))}</span></td><td>{Svg.Spark(vals, 0, 100)}</td></tr>");
        }
        table.Append("</tbody></table>");
        sb.Append("<div class=\"grid2\">");
        sb.Append(Card(ui["client.index.trend"], Svg.Lines(labels, series, 0, 100, testId: "ei-trend") + legend, testId: "ei-card"));
        sb.Append(Card(ui["client.by.queue"], table.ToString()));
        sb.Append("</div>");

        // Processes to review, memorable experiences.
        var procs = d.Processes.Select(p => (ui.Term(p.Topic), p.Weight, $"{ui.Num(p.Weight, "0.0")} · {ui.Int(p.Contacts)}", (string?)null)).ToList();
        var moments = new StringBuilder(Svg.Lines(labels, [new Series(ui["conv.moments"], "s3", [.. periods.Select(p => (double?)all.Where(q => q.Period == p).Sum(q => q.Moments))])],
            0, Math.Max(4, periods.Max(p => all.Where(q => q.Period == p).Sum(q => q.Moments))), yFormat: "0.#", testId: "moments-trend", height: 160));
        moments.Append("<ul class=\"quotes\">");
        foreach (var m in d.Moments) moments.Append(Inv, $"<li><q>{E(m.Text)}</q><span class=\"muted\"> · {E(ui.Date(m.Period))} · {E(ui.Term(m.Emotion))}{(m.AfterNegativeStart ? " · " + E(ui["after.negative"]) : "")}</span></li>");
        moments.Append("</ul>");
        sb.Append("<div class=\"grid2\">");
        sb.Append(Card(ui["client.processes"], procs.Count == 0 ? "<p class=\"muted\">–</p>" : Svg.Bars(procs, "processes"), help: ui["client.processes.help"], testId: "processes-card"));
        sb.Append(Card(ui["client.moments"], moments.ToString(), testId: "moments-card"));
        sb.Append("</div>");

        // QA against experience; surveys against the index.
        var quad = new StringBuilder();
        if (d.Quadrants.Count == 0)
        {
            quad.Append(Inv, $"<p class=\"muted\">{E(ui["client.quadrants.none"])}</p>");
        }
        else
        {
            quad.Append("<div class=\"quad-wrap\"><div class=\"quadrants\" data-testid=\"quadrants\">");
            foreach (var q in new[] { Quadrants.HighQaLowExperience, Quadrants.HighQaHighExperience, Quadrants.LowQaLowExperience, Quadrants.LowQaHighExperience })
            {
                var rows = d.Quadrants.Where(r => r.Quadrant == q).ToList();
                var n = rows.Sum(r => r.Contacts);
                var qa = n == 0 ? (double?)null : rows.Sum(r => r.MeanQaScore * r.Contacts) / n;
                var ei = n == 0 ? (double?)null : rows.Sum(r => r.MeanExperienceIndex * r.Contacts) / n;
                quad.Append(Inv, $"<div class=\"quad q-{q}\"><div class=\"quad-name\">{E(ui["q." + q])}</div><div class=\"quad-n\">{E(ui.Int(n))}</div><div class=\"muted\">QA {E(ui.Num(qa, "0"))} · {E(ui["index.short"])} {E(ui.Num(ei, "0"))}</div></div>");
            }
            quad.Append("</div>");
            quad.Append(Svg.Scatter([.. d.QaPoints.Select(p => (p.Qa, p.ExperienceIndex))], (0, 100), (0, 100), "QA", ui["index"], 80, 60, "qa-scatter"));
            quad.Append("</div>");
        }
        var surveys = new StringBuilder();
        var nps = d.Surveys.Where(s => s.Nps is not null).Select(s => (s.ExperienceIndex, s.Nps!.Value)).ToList();
        var csat = d.Surveys.Where(s => s.Csat is not null).Select(s => (s.ExperienceIndex, s.Csat!.Value)).ToList();
        if (nps.Count < 3 && csat.Count < 3)
        {
            surveys.Append(Inv, $"<p class=\"muted\" data-testid=\"surveys-none\">{E(ui["client.surveys.none"])}</p>");
        }
        else
        {
            surveys.Append("<div class=\"kpis small\">");
            if (nps.Count >= 3) surveys.Append(Kpi($"NPS · {ui["client.correlation"]}", ui.Num(Pearson(nps), "0.00"), $"{ui.Int(nps.Count)} {ui["client.surveys.n"]}", testId: "corr-nps"));
            if (csat.Count >= 3) surveys.Append(Kpi($"CSAT · {ui["client.correlation"]}", ui.Num(Pearson(csat), "0.00"), $"{ui.Int(csat.Count)} {ui["client.surveys.n"]}", testId: "corr-csat"));
            surveys.Append("</div>");
            if (nps.Count >= 3) surveys.Append(Svg.Scatter([.. nps.Take(2000).Select(p => (p.ExperienceIndex, p.Item2))], (0, 100), (0, 10), ui["index"], "NPS", testId: "nps-scatter"));
            else surveys.Append(Svg.Scatter([.. csat.Take(2000).Select(p => (p.ExperienceIndex, p.Item2))], (0, 100), (1, 5), ui["index"], "CSAT", testId: "csat-scatter"));
        }
        sb.Append("<div class=\"grid2\">");
        sb.Append(Card(ui["client.quadrants"], quad.ToString(), testId: "quadrants-card"));
        sb.Append(Card(ui["client.surveys"], surveys.ToString(), testId: "surveys-card"));
        sb.Append("</div>");
        return sb.ToString();
    }

    private static string Name(string tenant, string campaign, bool showTenant) =>
        (showTenant ? tenant + " / " : "") + (campaign.Length == 0 ? "–" : campaign);

    /// <summary>Pearson's correlation; NaN when a side has no variance.</summary>
    internal static double Pearson(IReadOnlyList<(double X, double Y)> points)
    {
        var n = points.Count;
        if (n < 2) return double.NaN;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in points)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        return sxx <= 0 || syy <= 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
