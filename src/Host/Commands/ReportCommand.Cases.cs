using System.CommandLine;
using System.Globalization;
using Emotion.Access;
using Emotion.Scoring;
using Emotion.Store;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>
/// <c>emotion report moments|triage|anticipation</c> (issue 13): moments of truth, case triage against service levels,
/// and the contact reasons a client could anticipate.
/// </summary>
internal static partial class ReportCommand
{
    private static Command Moments()
    {
        var common = new Common();
        var campaign = new Option<string?>("--campaign") { Description = "Campaign. Default: every campaign." };
        var agent = new Option<string?>("--agent") { Description = "Agent id for the agent-vs-team table. Default: every agent." };
        var team = new Option<string?>("--team") { Description = "Team id. Default: every team." };
        var examples = new Option<int>("--examples") { Description = "Example conversations per agent and moment.", DefaultValueFactory = _ => 3 };
        var command = new Command("moments", "Moments of truth per client, campaign and period: the customer's valence before and after each, which lift and which sink the customer, the trend, and each agent against the team.");
        common.AddTo(command);
        command.Options.Add(campaign);
        command.Options.Add(agent);
        command.Options.Add(team);
        command.Options.Add(examples);
        command.SetAction((parseResult, ct) => RunAsync(parseResult, common, ReadKind.ClientReport, async (queries, filter, token) =>
        {
            var report = await queries.GetMomentsReportAsync(filter with
            {
                Campaign = parseResult.GetValue(campaign),
                AgentId = parseResult.GetValue(agent),
                TeamId = parseResult.GetValue(team),
                Examples = parseResult.GetValue(examples),
            }, token);
            if (IsJson(parseResult, common)) return Json(report);
            RenderMoments(report);
            return 0;
        }, ct));
        return command;
    }

    private static Command Triage()
    {
        var common = new Common();
        var campaign = new Option<string?>("--campaign") { Description = "Campaign. Default: every campaign." };
        var command = new Command("triage", "Contacts per case class (request, complaint, claim) per client, campaign and period: share, first-contact resolution against the class's target, response-time target.");
        common.AddTo(command);
        command.Options.Add(campaign);
        command.SetAction((parseResult, ct) => RunAsync(parseResult, common, ReadKind.ClientReport, async (queries, filter, token) =>
        {
            var stats = await queries.GetTriageReportAsync(filter with { Campaign = parseResult.GetValue(campaign) }, token);
            if (IsJson(parseResult, common)) return Json(stats);
            RenderTriage(stats);
            return 0;
        }, ct));
        return command;
    }

    private static Command Anticipation()
    {
        var common = new Common();
        var campaign = new Option<string?>("--campaign") { Description = "Campaign. Default: every campaign." };
        var top = new Option<int>("--top") { Description = "Contact reasons listed per client and period.", DefaultValueFactory = _ => 10 };
        var examples = new Option<int>("--examples") { Description = "Example conversations per reason.", DefaultValueFactory = _ => 3 };
        var config = new Option<string?>("--config") { Description = "Client scoring configuration (JSON) whose anticipation.reasons give the prevention texts. Default: config/scoring.default.json." };
        var lang = new Option<string>("--lang") { Description = "Language of the prevention text when a reason's contacts are in several languages.", DefaultValueFactory = _ => "es" };
        var command = new Command("anticipation", "Contact reasons per client and period ranked by the negative emotion and volume they carry and how predictable they are (a known event before them), with example conversations and the proactive message or self-service step that would have prevented them.");
        common.AddTo(command);
        command.Options.Add(campaign);
        command.Options.Add(top);
        command.Options.Add(examples);
        command.Options.Add(config);
        command.Options.Add(lang);
        command.SetAction((parseResult, ct) =>
        {
            ScoringOptions options;
            try
            {
                options = ScoringConfig.Load(parseResult.GetValue(config));
            }
            catch (ScoringConfigException e)
            {
                Console.Error.WriteLine($"emotion report: {e.Message}");
                return Task.FromResult(2);
            }
            return RunAsync(parseResult, common, ReadKind.ClientReport, async (queries, filter, token) =>
            {
                var ranked = await queries.GetAnticipationReportAsync(
                    filter with { Campaign = parseResult.GetValue(campaign), Examples = parseResult.GetValue(examples) }, parseResult.GetValue(top), token);
                var withPrevention = ranked.Select(c => c with { Prevention = Prevention(options, c, parseResult.GetValue(lang)!) }).ToList();
                if (IsJson(parseResult, common)) return Json(withPrevention);
                RenderAnticipation(withPrevention);
                return 0;
            }, ct);
        });
        return command;
    }

    /// <summary>The reason's prevention text in its contacts' language (the only one, else <paramref name="lang"/>, else any).</summary>
    internal static string? Prevention(ScoringOptions options, AnticipationCandidate candidate, string lang)
    {
        var reason = options.Anticipation.Reasons.FirstOrDefault(r => r.Name == candidate.Reason);
        if (reason is null || reason.Prevention.Count == 0) return null;
        var languages = candidate.Languages.Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var want = languages.Count == 1 ? languages[0] : lang;
        return reason.Prevention.FirstOrDefault(p => string.Equals(p.Key, want, StringComparison.OrdinalIgnoreCase)).Value
            ?? reason.Prevention.FirstOrDefault(p => string.Equals(p.Key, lang, StringComparison.OrdinalIgnoreCase)).Value
            ?? reason.Prevention.Values.First();
    }

    private static void RenderMoments(MomentsReport report)
    {
        if (report.Stats.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No moments of truth match.[/]");
            return;
        }
        var t = new Table().Title("Moments of truth: customer valence before and after (lift/sink: shift of at least ±0.25)")
            .AddColumns("Period", "Tenant", "Campaign", "Moment", "Times", "Contacts", "Before", "After", "Shift", "Lifts", "Sinks", "Trend");
        foreach (var s in report.Stats.OrderBy(s => s.Period).ThenBy(s => s.Tenant, StringComparer.Ordinal).ThenBy(s => s.Campaign, StringComparer.Ordinal)
                     .ThenByDescending(s => s.MeanShift ?? double.MinValue))
        {
            var shift = s.MeanShift is null ? "-" : s.MeanShift >= 0 ? $"[green]{Signed(s.MeanShift)}[/]" : $"[red]{Signed(s.MeanShift)}[/]";
            var trend = s.Trend is null ? "-" : s.Trend >= 0 ? $"[green]▲ {F(s.Trend)}[/]" : $"[red]▼ {F(-s.Trend)}[/]";
            t.AddRow(D(s.Period), E(s.Tenant), E(s.Campaign), E(s.Moment), s.Occurrences.ToString(CultureInfo.InvariantCulture), s.Contacts.ToString(CultureInfo.InvariantCulture),
                Signed(s.MeanBefore), Signed(s.MeanAfter), shift,
                s.Lifts.ToString(CultureInfo.InvariantCulture), s.Sinks.ToString(CultureInfo.InvariantCulture), trend);
        }
        AnsiConsole.Write(t);
        if (report.AgentGaps.Count == 0) return;
        var g = new Table().Title("Shift across each moment, agent vs team").AddColumns("Period", "Tenant", "Team", "Agent", "Moment", "Agent", "Team", "Gap", "Examples");
        foreach (var x in report.AgentGaps)
        {
            var gap = x.Gap < 0 ? $"[red]{Signed(x.Gap)}[/]" : $"[green]{Signed(x.Gap)}[/]";
            g.AddRow(D(x.Period), E(x.Tenant), E(x.TeamId), E(x.AgentId), E(x.Moment), Signed(x.AgentMeanShift), Signed(x.TeamMeanShift), gap, E(string.Join(", ", x.Examples)));
        }
        AnsiConsole.Write(g);
    }

    private static void RenderTriage(IReadOnlyList<TriagePeriodStats> stats)
    {
        if (stats.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No triaged conversations match.[/]");
            return;
        }
        var t = new Table().Title("Case triage: first-contact resolution against each class's target")
            .AddColumns("Period", "Tenant", "Campaign", "Class", "Contacts", "Share", "First contact", "Resolved at 1st", "FCR", "Target", "", "Answer within", "Mean EI");
        foreach (var s in stats)
        {
            var met = s.MeetsTarget is null ? "" : s.MeetsTarget.Value ? "[green]✓[/]" : "[red]✗[/]";
            t.AddRow(D(s.Period), E(s.Tenant), E(s.Campaign), E(s.CaseClass), s.Contacts.ToString(CultureInfo.InvariantCulture), Pct(s.Share),
                s.FirstContacts.ToString(CultureInfo.InvariantCulture), s.ResolvedFirstContact.ToString(CultureInfo.InvariantCulture),
                Pct(s.FirstContactResolution), Pct(s.TargetFirstContactResolution), met,
                s.TargetResponseHours is { } h ? F(h, "0") + " h" : "-", F(s.MeanExperienceIndex, "0.0"));
        }
        AnsiConsole.Write(t);
    }

    private static void RenderAnticipation(IReadOnlyList<AnticipationCandidate> ranked)
    {
        if (ranked.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No contact reasons match.[/]");
            return;
        }
        var t = new Table().Title("Anticipation candidates: score = predictability × (volume share + negative share) / 2")
            .AddColumns("Period", "Tenant", "Reason", "Contacts", "Volume", "Negative", "Predictable", "After", "Score", "Examples");
        foreach (var c in ranked)
        {
            t.AddRow(D(c.Period), E(c.Tenant), E($"{c.Reason} ({c.Kind})"), c.Contacts.ToString(CultureInfo.InvariantCulture), Pct(c.VolumeShare),
                Pct(c.NegativeShare), Pct(c.Predictability), E(c.Event ?? "-"), F(c.Score, "0.000"), E(string.Join(", ", c.Examples)));
        }
        AnsiConsole.Write(t);
        foreach (var c in ranked.Where(c => c.Prevention is not null))
            AnsiConsole.MarkupLine($"[bold]{E(c.Tenant)} {E(c.Reason)}[/] ({D(c.Period)}, after {E(c.Event ?? "-")}): {E(c.Prevention!)}");
    }

    /// <summary>A valence or shift with its sign, "-" when missing; -0.004 prints as +0.00, not -0.00.</summary>
    private static string Signed(double? v) => v is { } x && double.IsFinite(x)
        ? (Math.Round(x, 2) == 0 ? 0 : Math.Round(x, 2)).ToString("+0.00;-0.00", CultureInfo.InvariantCulture)
        : "-";

    private static void RenderCaseRows(StoredConversation s)
    {
        if (s.Triage is { } t)
        {
            AnsiConsole.MarkupLine($"case [bold]{E(t.CaseClass)}[/] ({E(t.Reason)})  first contact {(t.FirstContact ? "yes" : "no")}  resolved at first contact {(t.ResolvedFirstContact ? "yes" : "no")}" +
                (t.ContactReason.Length > 0 ? $"  reason {E(t.ContactReason)}" + (t.KnownEvent.Length > 0 ? $" after {E(t.KnownEvent)}" : "") : ""));
        }
        if (s.MomentsOfTruth is not { Count: > 0 } moments) return;
        var table = new Table().Title("Moments of truth").AddColumns("Turn", "Moment", "Cue", "Before", "After", "Shift");
        foreach (var m in moments)
        {
            table.AddRow(m.Turn.ToString(CultureInfo.InvariantCulture), E(m.Moment), E(m.Cue), Signed(m.BeforeValence), Signed(m.AfterValence), Signed(m.Shift));
        }
        AnsiConsole.Write(table);
    }
}
