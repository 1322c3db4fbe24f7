using System.Globalization;
using System.Text;
using Emotion.Store;
using static Emotion.Web.Html;

namespace Emotion.Web.Pages;

/// <summary>The period a report page shows.</summary>
internal sealed record PeriodChoice(ReportPeriod Period, DateOnly Start)
{
    public DateOnly End => (Period == ReportPeriod.Month ? Start.AddMonths(1) : Period == ReportPeriod.Week ? Start.AddDays(7) : Start.AddDays(1)).AddDays(-1);
    public PeriodChoice Previous => this with { Start = ReportQueries.PreviousPeriodStart(Start, Period) };
    public PeriodChoice Next => this with { Start = End.AddDays(1) };
    public string Name => Period == ReportPeriod.Month ? "month" : "week";
    public string StartText => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Coaching (coaches): agents against their team over a period, focus areas with example conversations, weekly trend.</summary>
internal static class CoachingPage
{
    public static string Index(Ui ui, PeriodChoice p, string? team, IReadOnlyList<string> teams, AgentReport report, IReadOnlyList<TeamSums> teamSums)
    {
        var sb = new StringBuilder(16384);
        sb.Append(Inv, $"<div class=\"page-head\"><h1>{E(ui["coach.title"])}</h1></div>");
        PeriodForm(sb, ui, "/coaching", p, team, teams, null);
        if (report.Stats.Count == 0)
        {
            sb.Append(Inv, $"<div class=\"card empty\">{E(ui["coach.none"])}</div>");
            return sb.ToString();
        }
        var focus = report.Focus.ToDictionary(f => (f.Tenant, f.TeamId, f.AgentId));
        foreach (var g in report.Stats.GroupBy(s => (s.Tenant, s.TeamId)).OrderBy(g => g.Key.Tenant, StringComparer.Ordinal).ThenBy(g => g.Key.TeamId, StringComparer.Ordinal))
        {
            var ts = teamSums.FirstOrDefault(t => t.Tenant == g.Key.Tenant && t.TeamId == g.Key.TeamId)?.Stats;
            var t = new StringBuilder("<table class=\"t list\" data-testid=\"agents\"><thead><tr>")
                .Append(Inv, $"<th>{E(ui["agent"])}</th><th class=\"r\">{E(ui["coach.contacts"])}</th><th class=\"r\">{E(ui["coach.conversion"])}</th><th class=\"r\">{E(ui["coach.agent.share"])}</th><th class=\"r\">{E(ui["index.short"])}</th><th>{E(ui["coach.top.focus"])}</th></tr></thead><tbody>");
            if (ts is not null)
            {
                t.Append(Inv, $"<tr class=\"team-row\"><td>{E(ui["coach.team.avg"])} {E(g.Key.TeamId)}</td><td class=\"r\">{E(ui.Int(ts.Contacts))}</td><td class=\"r\">{E(ui.Pct(ts.ConversionRate))}</td><td class=\"r\">{E(ui.Pct(ts.AgentNegativeShare))}</td><td class=\"r\">{E(ui.Num(ts.MeanIndex, "0"))}</td><td></td></tr>");
            }
            foreach (var a in g.OrderBy(a => a.AgentId, StringComparer.Ordinal))
            {
                var link = AgentUrl(a.AgentId, a.TeamId, a.Tenant, p);
                t.Append(Inv, $"<tr data-testid=\"agent-row\" data-agent=\"{E(a.AgentId)}\"><td><a href=\"{E(link)}\">{E(a.AgentId)}</a></td><td class=\"r\">{E(ui.Int(a.Contacts))}</td>")
                 .Append(Inv, $"<td class=\"r\">{Versus(ui, a.ConversionRate, ts?.ConversionRate, higherIsBetter: true)}</td>")
                 .Append(Inv, $"<td class=\"r\">{Versus(ui, a.AgentNegativeShare, ts?.AgentNegativeShare, higherIsBetter: false)}</td>")
                 .Append(Inv, $"<td class=\"r\">{Versus(ui, a.MeanExperienceIndex, ts?.MeanIndex, higherIsBetter: true, pct: false)}</td><td>");
                if (focus.TryGetValue((a.Tenant, a.TeamId, a.AgentId), out var fa) && fa.Areas.Count > 0)
                {
                    var top = fa.Areas[0];
                    t.Append(Inv, $"<span class=\"tag bad\">{E(ui.Term(top.Name))}</span> ");
                    if (top.Examples.Count > 0)
                        t.Append(Inv, $"<a class=\"example\" data-testid=\"focus-example\" href=\"{E(ConversationUrl(a.Tenant, top.Examples[0]))}\">{E(ui["coach.example"])}: {E(top.Examples[0])}</a>");
                }
                else
                {
                    t.Append(Inv, $"<span class=\"muted\">{E(ui["none"])}</span>");
                }
                t.Append("</td></tr>");
            }
            t.Append("</tbody></table>");
            sb.Append(Card($"{ui["team"]} {g.Key.TeamId}", t.ToString(), "flush-table"));
        }
        return sb.ToString();
    }

    public static string Agent(Ui ui, PeriodChoice p, string tenant, string team, string agent, AgentReport report, GroupStats? teamStats,
        IReadOnlyList<WeekSums> weeks, IReadOnlyList<DateOnly> weekStarts)
    {
        var sb = new StringBuilder(16384);
        sb.Append(Inv, $"<div class=\"page-head\"><div><div class=\"crumb\"><a href=\"{E(Url("/coaching", ("team", team), ("period", p.Name), ("at", p.StartText)))}\">{E(ui["coach.title"])}</a> / {E(ui["team"])} {E(team)}</div>")
          .Append(Inv, $"<h1 data-testid=\"agent-name\">{E(ui["agent"])} {E(agent)}</h1></div></div>");
        PeriodForm(sb, ui, "/coaching/agent/" + U(agent), p, team, [], tenant);
        var a = report.Stats.FirstOrDefault(s => s.AgentId == agent);
        if (a is null)
        {
            sb.Append(Inv, $"<div class=\"card empty\">{E(ui["coach.none"])}</div>");
        }
        else
        {
            sb.Append("<div class=\"kpis\">");
            sb.Append(Kpi(ui["coach.contacts"], ui.Int(a.Contacts), $"{ui["coach.team.avg"]}: {ui.Int(teamStats?.Contacts ?? 0)}"));
            sb.Append(Kpi(ui["coach.conversion"], ui.Pct(a.ConversionRate), $"{ui["coach.team.avg"]}: {ui.Pct(teamStats?.ConversionRate)}", Delta(a.ConversionRate, teamStats?.ConversionRate, true)));
            sb.Append(Kpi(ui["coach.agent.share"], ui.Pct(a.AgentNegativeShare), $"{ui["coach.team.avg"]}: {ui.Pct(teamStats?.AgentNegativeShare)}", Delta(a.AgentNegativeShare, teamStats?.AgentNegativeShare, false)));
            sb.Append(Kpi(ui["index"], ui.Num(a.MeanExperienceIndex, "0"), $"{ui["coach.team.avg"]}: {ui.Num(teamStats?.MeanIndex, "0")}", Delta(a.MeanExperienceIndex, teamStats?.MeanIndex, true)));
            sb.Append("</div>");
        }

        var focus = report.Focus.FirstOrDefault(f => f.AgentId == agent);
        var fsb = new StringBuilder();
        if (focus is null || focus.Areas.Count == 0)
        {
            fsb.Append(Inv, $"<p class=\"muted\">{E(ui["coach.focus.none"])}</p>");
        }
        else
        {
            fsb.Append("<ol class=\"focus\" data-testid=\"focus-areas\">");
            foreach (var area in focus.Areas)
            {
                var gap = area.Kind == "phase" ? ui.Signed(area.Gap) : ui.Signed(area.Gap, "0.00");
                fsb.Append(Inv, $"<li><div><span class=\"tag bad\">{E(ui.Term(area.Name))}</span> <span class=\"muted\">{E(ui[area.Kind == "phase" ? "coach.kind.phase" : "coach.kind.behaviour"])} · {E(ui["coach.gap"])} {E(gap)}</span></div>")
                   .Append(Inv, $"<div class=\"examples\">{E(ui["coach.examples"])}: ");
                foreach (var ex in area.Examples) fsb.Append(Inv, $"<a data-testid=\"focus-example\" href=\"{E(ConversationUrl(tenant, ex))}\">{E(ex)}</a> ");
                fsb.Append("</div></li>");
            }
            fsb.Append("</ol>");
        }
        sb.Append("<div class=\"grid2\">");
        sb.Append(Card(ui["coach.focus"], fsb.ToString()));

        var gaps = report.PhaseGaps.Where(g => g.AgentId == agent).OrderBy(g => PhaseIndex(g.Phase))
            .Select(g => (ui.Term(g.Phase), g.Gap, ui.Signed(g.Gap), (string?)null)).ToList();
        sb.Append(Card(ui["coach.phase.gaps"], gaps.Count == 0 ? $"<p class=\"muted\">–</p>" : Svg.Bars(gaps, "phase-gaps", signed: true)));
        sb.Append("</div>");

        var beh = report.BehaviourGaps.Where(b => b.AgentId == agent).ToList();
        var bt = new StringBuilder("<table class=\"t compact\"><thead><tr>")
            .Append(Inv, $"<th></th><th class=\"r\">{E(ui["agent"])}</th><th class=\"r\">{E(ui["coach.team.avg"])}</th><th class=\"r\">{E(ui["coach.gap"])}</th><th>{E(ui["coach.examples"])}</th></tr></thead><tbody>");
        foreach (var b in beh)
        {
            bt.Append(Inv, $"<tr><td>{E(ui.Term(b.Behaviour))}</td><td class=\"r\">{E(ui.Num(b.AgentPerContact))}</td><td class=\"r\">{E(ui.Num(b.TeamPerContact))}</td>")
              .Append(Inv, $"<td class=\"r\"><span class=\"{(b.Gap > 0 ? "down" : "up")}\">{E(ui.Signed(b.Gap))}</span></td><td>");
            foreach (var ex in b.Examples) bt.Append(Inv, $"<a href=\"{E(ConversationUrl(tenant, ex))}\">{E(ex)}</a> ");
            bt.Append("</td></tr>");
        }
        bt.Append("</tbody></table>");

        var labels = weekStarts.Select(ui.Week).ToList();
        GroupStats? At(DateOnly w, bool mine)
        {
            var rows = weeks.Where(x => x.Week == w && (mine ? x.Mine : true)).ToList();
            if (rows.Count == 0) return null;
            return new GroupStats(rows.Sum(r => r.Contacts), rows.Sum(r => r.StartedNegativeN), rows.Sum(r => r.Converted), rows.Sum(r => r.AgentLoad), rows.Sum(r => r.NegativeLoadSum), rows.Sum(r => r.EiSum));
        }
        var mineW = weekStarts.Select(w => At(w, true)).ToList();
        var teamW = weekStarts.Select(w => At(w, false)).ToList();
        var trend = new StringBuilder("<div class=\"trend-grid\">");
        trend.Append(Inv, $"<div><h3>{E(ui["coach.conversion"])}</h3>{Svg.Lines(labels, [new Series(agent, "s1", [.. mineW.Select(s => s?.ConversionRate * 100)]), new Series(ui["coach.team.avg"], "s2", [.. teamW.Select(s => s?.ConversionRate * 100)])], 0, 100, testId: "trend-conversion")}</div>");
        trend.Append(Inv, $"<div><h3>{E(ui["index"])}</h3>{Svg.Lines(labels, [new Series(agent, "s1", [.. mineW.Select(s => s?.MeanIndex)]), new Series(ui["coach.team.avg"], "s2", [.. teamW.Select(s => s?.MeanIndex)])], 0, 100, testId: "trend-index")}</div>");
        trend.Append(Inv, $"<div><h3>{E(ui["coach.agent.share"])}</h3>{Svg.Lines(labels, [new Series(agent, "s1", [.. mineW.Select(s => s?.AgentNegativeShare * 100)]), new Series(ui["coach.team.avg"], "s2", [.. teamW.Select(s => s?.AgentNegativeShare * 100)])], 0, 100, testId: "trend-share")}</div>");
        trend.Append(Inv, $"</div><div class=\"legend\"><span class=\"key s1\"></span>{E(agent)}<span class=\"key s2\"></span>{E(ui["coach.team.avg"])} {E(team)}</div>");

        sb.Append("<div class=\"grid2\">");
        sb.Append(Card(ui["coach.behaviours"], bt.ToString()));
        sb.Append(Card(ui["coach.trend"], trend.ToString(), testId: "trend"));
        sb.Append("</div>");
        return sb.ToString();
    }

    private static int PhaseIndex(string phase) => Array.IndexOf(["opening", "identification", "exploration", "resolution", "closing"], phase) is var i and >= 0 ? i : 9;

    public static string AgentUrl(string agent, string team, string tenant, PeriodChoice p) =>
        Url("/coaching/agent/" + U(agent), ("team", team), ("tenant", tenant), ("period", p.Name), ("at", p.StartText));

    private static void PeriodForm(StringBuilder sb, Ui ui, string action, PeriodChoice p, string? team, IReadOnlyList<string> teams, string? tenant)
    {
        sb.Append(Inv, $"<form class=\"filters card\" method=\"get\" action=\"{E(action)}\">");
        if (tenant is not null) sb.Append(Inv, $"<input type=\"hidden\" name=\"tenant\" value=\"{E(tenant)}\">");
        if (teams.Count > 0) sb.Append(Field(ui["team"], Select("team", ui["all"], team, teams.Select(t => (t, t)))));
        else if (team is not null) sb.Append(Inv, $"<input type=\"hidden\" name=\"team\" value=\"{E(team)}\">");
        sb.Append(Field(ui["coach.period"], Select("period", ui["coach.week"], p.Period == ReportPeriod.Month ? "month" : "", [("month", ui["coach.month"])])));
        sb.Append(Field(ui["from"], Input("at", p.StartText, "date")));
        sb.Append(Inv, $"<div class=\"actions\"><button class=\"primary\" type=\"submit\">{E(ui["search"])}</button>");
        var extra = new List<(string, string?)> { ("team", team), ("tenant", tenant), ("period", p.Name) };
        sb.Append(Inv, $"<a class=\"button\" href=\"{E(Url(action, [.. extra, ("at", p.Previous.StartText)]))}\">←</a>");
        sb.Append(Inv, $"<span class=\"period-label\">{E(ui.Date(p.Start))} – {E(ui.Date(p.End))}</span>");
        sb.Append(Inv, $"<a class=\"button\" href=\"{E(Url(action, [.. extra, ("at", p.Next.StartText)]))}\">→</a></div></form>");
    }

    private static string Versus(Ui ui, double? mine, double? team, bool higherIsBetter, bool pct = true)
    {
        var text = pct ? ui.Pct(mine) : ui.Num(mine, "0");
        var cls = Delta(mine, team, higherIsBetter);
        return $"<span class=\"{cls}\">{E(text)}</span>";
    }

    private static string Delta(double? mine, double? team, bool higherIsBetter)
    {
        if (mine is not { } m || team is not { } t || Math.Abs(m - t) < 1e-9) return "";
        return (m > t) == higherIsBetter ? "up" : "down";
    }
}
