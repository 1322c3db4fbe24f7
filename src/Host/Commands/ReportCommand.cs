using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Emotion.Access;
using Emotion.Store;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion report agent|client|conversation</c> commands: reports read from ClickHouse.</summary>
internal static partial class ReportCommand
{
    private static readonly JsonSerializerOptions JsonOut = new(RowJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("report", "Reports from ClickHouse: agent focus areas, client experience indices, one conversation's emotion curve.");
        command.Subcommands.Add(Agent());
        command.Subcommands.Add(Client());
        command.Subcommands.Add(Conversation());
        command.Subcommands.Add(SurveyReport.Create());
        command.Subcommands.Add(Moments());
        command.Subcommands.Add(Triage());
        command.Subcommands.Add(Anticipation());
        return command;
    }

    private sealed class Common
    {
        public Option<string?> ClickHouse { get; } = CommonOptions.ClickHouse();
        public Option<string?> Tenant { get; } = new("--tenant") { Description = "Client (tenant) to report on. Default: all." };
        public Option<string> Period { get; } = Period_();
        public Option<string?> From { get; } = new("--from") { Description = "First conversation start date, yyyy-MM-dd (UTC); widened to its period's start." };
        public Option<string?> To { get; } = new("--to") { Description = "Last conversation start date, yyyy-MM-dd (UTC), inclusive." };
        public Option<string> Format { get; } = Format_();
        public Option<string?> ApiKey { get; } = ReportAccess.ApiKey();
        public Option<string?> UsersFile { get; } = ReportAccess.UsersFile();

        public void AddTo(Command c)
        {
            c.Options.Add(ApiKey);
            c.Options.Add(UsersFile);
            c.Options.Add(ClickHouse);
            c.Options.Add(Tenant);
            c.Options.Add(Period);
            c.Options.Add(From);
            c.Options.Add(To);
            c.Options.Add(Format);
        }

        private static Option<string> Period_()
        {
            var o = new Option<string>("--period") { Description = "day, week (from Monday) or month.", DefaultValueFactory = _ => "week" };
            o.AcceptOnlyFromAmong("day", "week", "month");
            return o;
        }
    }

    private static Option<string> Format_()
    {
        var o = new Option<string>("--format") { Description = "text (tables) or json.", DefaultValueFactory = _ => "text" };
        o.AcceptOnlyFromAmong("text", "json");
        return o;
    }

    private static Command Agent()
    {
        var common = new Common();
        var agent = new Option<string?>("--agent") { Description = "Agent id. Default: every agent." };
        var team = new Option<string?>("--team") { Description = "Team id. Default: every team." };
        var examples = new Option<int>("--examples") { Description = "Example conversations per focus area.", DefaultValueFactory = _ => 3 };
        var command = new Command("agent", "Per agent and period: contacts, negative-to-positive conversion, agent-attributed negative share, experience index, phase and behaviour gaps against the team, focus areas.");
        common.AddTo(command);
        command.Options.Add(agent);
        command.Options.Add(team);
        command.Options.Add(examples);
        command.SetAction((parseResult, ct) => RunAsync(parseResult, common, ReadKind.AgentReport, async (queries, filter, token) =>
        {
            var report = await queries.GetAgentReportAsync(filter with
            {
                AgentId = parseResult.GetValue(agent),
                TeamId = parseResult.GetValue(team),
                Examples = parseResult.GetValue(examples),
            }, token);
            if (IsJson(parseResult, common)) return Json(report);
            RenderAgent(report);
            return 0;
        }, ct));
        return command;
    }

    private static Command Client()
    {
        var common = new Common();
        var campaign = new Option<string?>("--campaign") { Description = "Campaign. Default: every campaign." };
        var qa = new Option<double>("--qa-threshold") { Description = "QA score at or above which process quality is high.", DefaultValueFactory = _ => 80 };
        var ei = new Option<double>("--ei-threshold") { Description = "Experience index at or above which experience is high.", DefaultValueFactory = _ => 60 };
        var command = new Command("client", "Per client, campaign and period: experience index and its trend, conversion, top process drivers, memorable moments, QA vs experience quadrants.");
        common.AddTo(command);
        command.Options.Add(campaign);
        command.Options.Add(qa);
        command.Options.Add(ei);
        command.SetAction((parseResult, ct) => RunAsync(parseResult, common, ReadKind.ClientReport, async (queries, filter, token) =>
        {
            filter = filter with { Campaign = parseResult.GetValue(campaign) };
            var report = await queries.GetClientReportAsync(filter, token);
            var quadrants = await queries.GetQuadrantsAsync(filter, new QuadrantThresholds(parseResult.GetValue(qa), parseResult.GetValue(ei)), token);
            if (IsJson(parseResult, common)) return Json(new { report.Stats, report.TopProcessDrivers, report.MemorableMoments, Quadrants = quadrants });
            RenderClient(report, quadrants);
            return 0;
        }, ct));
        return command;
    }

    private static Command Conversation()
    {
        var id = new Argument<string>("id") { Description = "Conversation id." };
        var clickHouse = CommonOptions.ClickHouse();
        var tenant = new Option<string?>("--tenant") { Description = "Tenant of the conversation. Default: any." };
        var format = Format_();
        var png = new Option<string?>("--png") { Description = "Also draw the emotion curve into this PNG file." };
        var apiKey = ReportAccess.ApiKey();
        var usersFile = ReportAccess.UsersFile();
        var command = new Command("conversation", "One conversation: customer and agent valence per turn, phases, drivers, behaviours, memorable moments, alerts.");
        command.Arguments.Add(id);
        command.Options.Add(clickHouse);
        command.Options.Add(tenant);
        command.Options.Add(format);
        command.Options.Add(png);
        command.Options.Add(apiKey);
        command.Options.Add(usersFile);
        command.SetAction(async (parseResult, ct) =>
        {
            try
            {
                var scoped = ReportAccess.Authorize(parseResult, apiKey, usersFile, ReadKind.Conversation, parseResult.GetValue(tenant), out _, out var denied);
                if (denied != 0) return denied;
                using var store = OpenStore(parseResult.GetValue(clickHouse));
                var conversationId = parseResult.GetValue(id)!;
                // A caller bound to a tenant reads by (its tenant, id): another tenant's conversation is "not in the database".
                var stored = await store.ReadConversationAsync(scoped, conversationId, ct);
                if (stored is null)
                {
                    Console.Error.WriteLine($"emotion report: conversation '{conversationId}' is not in database {store.Database}.");
                    return 4;
                }
                if (parseResult.GetValue(png) is { Length: > 0 } file)
                {
                    ConversationChart.Save(stored, file);
                    Console.Error.WriteLine($"wrote {file}");
                }
                if (parseResult.GetValue(format) == "json") return Json(stored);
                RenderConversation(stored);
                return 0;
            }
            catch (HttpRequestException e)
            {
                return Unreachable(e);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parseResult, Common common, ReadKind kind, Func<ReportQueries, ReportFilter, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        try
        {
            var tenant = ReportAccess.Authorize(parseResult, common.ApiKey, common.UsersFile, kind, parseResult.GetValue(common.Tenant), out _, out var denied);
            if (denied != 0) return denied;
            var filter = new ReportFilter
            {
                // The caller's tenant (or, for an admin over every tenant, the one asked for) goes into every query's WHERE.
                Tenant = tenant,
                Period = parseResult.GetValue(common.Period) switch { "day" => ReportPeriod.Day, "month" => ReportPeriod.Month, _ => ReportPeriod.Week },
                From = ParseDate(parseResult.GetValue(common.From), "--from"),
                To = ParseDate(parseResult.GetValue(common.To), "--to"),
            };
            using var store = OpenStore(parseResult.GetValue(common.ClickHouse));
            return await body(new ReportQueries(store), filter, ct);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"emotion report: {e.Message}");
            return 2;
        }
        catch (HttpRequestException e)
        {
            return Unreachable(e);
        }
    }

    private static ClickHouseStore OpenStore(string? option) =>
        new(new ClickHouseOptions { ConnectionString = CommonOptions.ResolveClickHouse(option) });

    private static int Unreachable(HttpRequestException e)
    {
        Console.Error.WriteLine($"emotion report: cannot reach ClickHouse ({e.Message}). Start it with scripts/clickhouse.sh start, or pass --clickhouse / set EMOTION_CLICKHOUSE.");
        return 1;
    }

    private static DateOnly? ParseDate(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FormatException($"{option} '{value}' is not a date in yyyy-MM-dd form.");
    }

    private static bool IsJson(ParseResult parseResult, Common common) => parseResult.GetValue(common.Format) == "json";

    private static int Json<T>(T value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOut));
        return 0;
    }

    private static string F(double? v, string format = "0.00") => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Pct(double? v) => v is { } x && double.IsFinite(x) ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string s) => Markup.Escape(s);

    private static void RenderAgent(AgentReport report)
    {
        if (report.Stats.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No conversations match.[/]");
            return;
        }
        var stats = new Table().Title("Agents").AddColumns("Period", "Tenant", "Team", "Agent", "Contacts", "Started neg.", "Converted", "Conversion", "Agent share", "Mean EI");
        foreach (var s in report.Stats)
        {
            stats.AddRow(D(s.Period), E(s.Tenant), E(s.TeamId), E(s.AgentId), s.Contacts.ToString(CultureInfo.InvariantCulture),
                s.StartedNegative.ToString(CultureInfo.InvariantCulture), s.Converted.ToString(CultureInfo.InvariantCulture),
                Pct(s.ConversionRate), Pct(s.AgentNegativeShare), F(s.MeanExperienceIndex, "0.0"));
        }
        AnsiConsole.Write(stats);

        var gaps = new Table().Title("Customer valence by phase, agent vs team").AddColumns("Period", "Agent", "Phase", "Agent", "Team", "Gap", "Examples");
        foreach (var g in report.PhaseGaps)
        {
            var gap = g.Gap < 0 ? $"[red]{F(g.Gap)}[/]" : $"[green]{F(g.Gap)}[/]";
            gaps.AddRow(D(g.Period), E(g.AgentId), E(g.Phase), F(g.AgentMeanValence), F(g.TeamMeanValence), gap, E(string.Join(", ", g.Examples)));
        }
        AnsiConsole.Write(gaps);

        var behaviours = new Table().Title("Behaviour problems per contact, agent vs team").AddColumns("Period", "Agent", "Behaviour", "Agent", "Team", "Gap", "Examples");
        foreach (var b in report.BehaviourGaps)
        {
            var gap = b.Gap > 0 ? $"[red]{F(b.Gap)}[/]" : $"[green]{F(b.Gap)}[/]";
            behaviours.AddRow(D(b.Period), E(b.AgentId), E(b.Behaviour), F(b.AgentPerContact), F(b.TeamPerContact), gap, E(string.Join(", ", b.Examples)));
        }
        AnsiConsole.Write(behaviours);

        foreach (var f in report.Focus)
        {
            AnsiConsole.MarkupLine($"[bold]Focus for {E(f.AgentId)}[/] ({D(f.Period)}): " +
                string.Join("; ", f.Areas.Select(a => $"{E(a.Kind)} [yellow]{E(a.Name)}[/] ({F(a.Gap, "+0.00;-0.00")}, e.g. {E(string.Join(", ", a.Examples))})")));
        }
    }

    private static void RenderClient(ClientReport report, IReadOnlyList<QuadrantStat> quadrants)
    {
        if (report.Stats.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No conversations match.[/]");
            return;
        }
        var stats = new Table().Title("Experience index").AddColumns("Period", "Tenant", "Campaign", "Contacts", "Mean EI", "Trend", "Conversion", "Memorable", "Mean NPS");
        foreach (var s in report.Stats)
        {
            var trend = s.Trend is null ? "-" : s.Trend >= 0 ? $"[green]▲ {F(s.Trend, "0.0")}[/]" : $"[red]▼ {F(-s.Trend, "0.0")}[/]";
            stats.AddRow(D(s.Period), E(s.Tenant), E(s.Campaign), s.Contacts.ToString(CultureInfo.InvariantCulture), F(s.MeanExperienceIndex, "0.0"),
                trend, Pct(s.ConversionRate), s.MemorableMoments.ToString(CultureInfo.InvariantCulture), F(s.MeanNps, "0.0"));
        }
        AnsiConsole.Write(stats);

        if (report.TopProcessDrivers.Count > 0)
        {
            var chart = new BarChart().Label("Process drivers (summed share of negative emotion)").Width(70);
            foreach (var d in report.TopProcessDrivers)
                chart.AddItem(E($"{D(d.Period)} {d.Campaign} {d.Topic}"), Math.Round(d.ShareSum, 2), Color.Orange1);
            AnsiConsole.Write(chart);
        }
        foreach (var m in report.MemorableMoments)
            AnsiConsole.MarkupLine($"[green]★[/] {D(m.Period)} {E(m.ConversationId)}#{m.Turn} ({F(m.Valence)} {E(m.Emotion)}): \"{E(m.Text)}\"");

        if (quadrants.Count > 0)
        {
            var q = new Table().Title("Process quality (QA) vs experience").AddColumns("Period", "Campaign", "Quadrant", "Contacts", "Mean QA", "Mean EI", "Examples");
            foreach (var s in quadrants)
            {
                q.AddRow(D(s.Period), E(s.Campaign), E(s.Quadrant), s.Contacts.ToString(CultureInfo.InvariantCulture), F(s.MeanQaScore, "0.0"),
                    F(s.MeanExperienceIndex, "0.0"), E(string.Join(", ", s.Examples)));
            }
            AnsiConsole.Write(q);
        }
    }

    private static void RenderConversation(StoredConversation s)
    {
        var c = s.Conversation;
        AnsiConsole.MarkupLine($"[bold]{E(c.ConversationId)}[/]  tenant {E(c.Tenant)}  agent {E(c.AgentId)}  team {E(c.TeamId)}  campaign {E(c.Campaign)}  {c.StartedAt:yyyy-MM-dd HH:mm:ss}Z  {F(c.DurationS, "0")} s");
        AnsiConsole.MarkupLine(
            $"customer start {F(c.CustomerStartScore)} → end {F(c.CustomerEndScore)} (shift {F(c.Shift, "+0.00;-0.00")})" +
            (c.NegativeToPositive ? "  [green]negative → positive[/]" : "") +
            $"   experience index [bold]{F(c.ExperienceIndex, "0.0")}[/]   primary driver [yellow]{E(c.PrimaryDriver)}[/]" +
            (string.IsNullOrEmpty(c.ProcessTopic) ? "" : $" ({E(c.ProcessTopic)})") + $"   agent focus {E(c.AgentFocus)}");
        foreach (var e in s.Events)
            AnsiConsole.MarkupLine($"{E(e.Kind)}: NPS {(e.Nps?.ToString(CultureInfo.InvariantCulture) ?? "-")} CSAT {F(e.Csat, "0.0")} QA {F(e.QaScore, "0.0")}");

        var customer = s.Utterances.Where(u => u.Speaker == "customer").Select(u => (double)u.Valence).ToList();
        var agent = s.Utterances.Where(u => u.Speaker == "agent").Select(u => (double)u.Valence).ToList();
        AnsiConsole.MarkupLine($"customer [blue]{Sparkline(customer)}[/]");
        AnsiConsole.MarkupLine($"agent    [grey]{Sparkline(agent)}[/]");

        var moments = s.MemorableMoments.Select(m => m.Turn).ToHashSet();
        var alerts = s.Alerts.Select(a => a.Turn).ToHashSet();
        var turns = new Table().AddColumns("Turn", "Phase", "Speaker", "Valence", "", "Emotion", "Text");
        foreach (var u in s.Utterances)
        {
            var mark = (moments.Contains(u.Turn) ? "★" : "") + (alerts.Contains(u.Turn) ? "⚠" : "");
            var color = u.Valence < -0.2 ? "red" : u.Valence > 0.2 ? "green" : "grey";
            turns.AddRow(u.Turn.ToString(CultureInfo.InvariantCulture), E(u.Phase), E(u.Speaker), $"[{color}]{F(u.Valence, "+0.00;-0.00")}[/]",
                $"[{color}]{Bar(u.Valence)}[/]{mark}", E(u.Emotion), E(u.Text.Length > 70 ? u.Text[..70] + "…" : u.Text));
        }
        AnsiConsole.Write(turns);

        var phases = new Table().Title("Phases").AddColumns("Phase", "Speaker", "Mean", "Min", "Negative", "Emotion", "Turns", "Seconds");
        foreach (var p in s.Phases)
        {
            phases.AddRow(E(p.Phase), E(p.Speaker), F(p.MeanValence), F(p.MinValence), Pct(p.NegativeShare), E(p.DominantEmotion),
                p.Turns.ToString(CultureInfo.InvariantCulture), F(p.Seconds, "0"));
        }
        AnsiConsole.Write(phases);

        var drivers = new Table().Title("Drivers of negative emotion").AddColumns("Driver", "Topic", "Share", "Evidence turns");
        foreach (var d in s.Drivers.Where(d => d.Share > 0))
            drivers.AddRow(E(d.Driver), E(d.Topic), Pct(d.Share), string.Join(", ", d.EvidenceTurns));
        AnsiConsole.Write(drivers);

        var behaviours = s.Behaviours.Where(b => b.Count > 0).ToList();
        if (behaviours.Count > 0)
        {
            var t = new Table().Title("Agent behaviour problems").AddColumns("Behaviour", "Count", "Seconds", "Evidence turns");
            foreach (var b in behaviours)
                t.AddRow(E(b.Behaviour), b.Count.ToString(CultureInfo.InvariantCulture), F(b.Seconds, "0"), string.Join(", ", b.EvidenceTurns));
            AnsiConsole.Write(t);
        }
        RenderAudio(s);
        foreach (var m in s.MemorableMoments)
            AnsiConsole.MarkupLine($"[green]★ turn {m.Turn}[/] {F(m.Valence)} {E(m.Emotion)}{(m.AfterNegativeStart ? " after a negative start" : "")}: \"{E(m.Text)}\"");
        foreach (var a in s.Alerts)
            AnsiConsole.MarkupLine($"[red]⚠ turn {a.Turn}[/] {E(a.Rule)}: {E(a.Reason)} ({E(a.Source)}, delay {a.DelayMs} ms)");
        RenderCaseRows(s);
    }

    /// <summary>The voice: per speaker and window loudness, pitch, rate, overtalk, arousal; measured overtalk, holds, dead air.</summary>
    private static void RenderAudio(StoredConversation s)
    {
        if (s.AudioWindows.Count == 0 && s.AudioSpans.Count == 0) return;
        double Seconds(string kind) => s.AudioSpans.Where(x => x.Kind == kind).Sum(x => (x.EndMs - x.StartMs) / 1000.0);
        int Count(string kind) => s.AudioSpans.Count(x => x.Kind == kind);
        AnsiConsole.MarkupLine(
            $"[bold]Audio[/]  overtalk {F(Seconds("overtalk"), "0.0")} s ({Count("overtalk")}, agent broke in {s.AudioSpans.Count(x => x.Kind == "overtalk" && x.Speaker == "agent")})" +
            $"   holds {Count("hold")} ({F(Seconds("hold"), "0")} s)   dead air {Count("dead_air")} ({F(Seconds("dead_air"), "0")} s)   silence {F(Seconds("silence") + Seconds("dead_air") + Seconds("hold"), "0")} s");
        foreach (var speaker in new[] { "customer", "agent" })
        {
            var scores = s.AudioWindows.Where(w => w.Speaker == speaker && float.IsFinite(w.Arousal)).Select(w => Math.Clamp(w.Arousal / 2.0, -1, 1)).ToList();
            if (scores.Count > 0) AnsiConsole.MarkupLine($"{speaker,-8} arousal [{(speaker == "customer" ? "red" : "grey")}]{Sparkline(scores)}[/]");
        }
        var t = new Table().Title("Voice per window (arousal against the speaker's own baseline in the call)")
            .AddColumns("Turn", "Speaker", "Start s", "Voiced s", "dBFS", "Pitch Hz", "Range st", "Syl/s", "Overtalk s", "Silence s", "Arousal");
        foreach (var w in s.AudioWindows)
        {
            var color = w.ArousalLabel switch { "agitated" => "red", "calm" => "green", _ => "grey" };
            t.AddRow(w.Turn >= 0 ? w.Turn.ToString(CultureInfo.InvariantCulture) : "-", E(w.Speaker), F(w.StartMs / 1000.0, "0.0"), F(w.VoicedS, "0.0"),
                F(w.LoudnessDbfs, "0.0"), F(w.PitchMedianHz, "0"), F(w.PitchRangeSt, "0.0"), F(w.SpeakingRate, "0.0") + (w.RateSource == "audio" ? "~" : ""),
                F(w.OvertalkS, "0.0"), F(w.SilenceS, "0.0"),
                string.IsNullOrEmpty(w.ArousalLabel) ? "-" : $"[{color}]{E(w.ArousalLabel)} {F(w.Arousal, "+0.00;-0.00")}[/]");
        }
        AnsiConsole.Write(t);
    }

    /// <summary>Valence in [-1, 1] as a row of block characters.</summary>
    internal static string Sparkline(IReadOnlyList<double> values)
    {
        const string blocks = "▁▂▃▄▅▆▇█";
        var sb = new StringBuilder(values.Count);
        foreach (var v in values)
        {
            var x = double.IsFinite(v) ? Math.Clamp(v, -1, 1) : 0;
            sb.Append(blocks[(int)Math.Round((x + 1) / 2 * (blocks.Length - 1))]);
        }
        return sb.Length == 0 ? "(no turns)" : sb.ToString();
    }

    private static string Bar(float valence)
    {
        var n = (int)Math.Round(Math.Abs(Math.Clamp(valence, -1f, 1f)) * 10);
        return valence < 0 ? new string(' ', 10 - n) + new string('█', n) + "|" + new string(' ', 10) : new string(' ', 10) + "|" + new string('█', n) + new string(' ', 10 - n);
    }
}

/// <summary>Draws a conversation's emotion curve with ScottPlot: customer and agent valence over time, phase bands, markers.</summary>
internal static class ConversationChart
{
    public static void Save(StoredConversation s, string path)
    {
        var plot = new ScottPlot.Plot();
        var bandColors = new[] { ScottPlot.Colors.LightBlue, ScottPlot.Colors.LightGreen, ScottPlot.Colors.LightYellow, ScottPlot.Colors.LightPink, ScottPlot.Colors.LightGray };
        var phaseIndex = 0;
        foreach (var group in Runs(s.Utterances))
        {
            var band = plot.Add.HorizontalSpan(group.Start, group.End, bandColors[phaseIndex++ % bandColors.Length].WithAlpha(0.35));
            band.LegendText = "";
            plot.Add.Text(group.Phase, group.Start, 1.0);
        }
        AddLine(plot, s.Utterances.Where(u => u.Speaker == "customer").ToList(), "customer", ScottPlot.Colors.Blue);
        AddLine(plot, s.Utterances.Where(u => u.Speaker == "agent").ToList(), "agent", ScottPlot.Colors.Gray);
        var byTurn = s.Utterances.GroupBy(u => u.Turn).ToDictionary(g => g.Key, g => g.First());
        foreach (var m in s.MemorableMoments)
        {
            if (byTurn.TryGetValue(m.Turn, out var u)) plot.Add.Text("* memorable", (u.StartMs + u.EndMs) / 2000.0, m.Valence);
        }
        foreach (var a in s.Alerts)
        {
            if (byTurn.TryGetValue(a.Turn, out var u)) plot.Add.Text("! " + a.Rule, (u.StartMs + u.EndMs) / 2000.0, u.Valence);
        }
        var audioBands = AddArousalBands(plot, s);
        plot.Axes.SetLimitsY(audioBands ? -1.45 : -1.1, 1.15);
        plot.Title($"{s.Conversation.ConversationId}: experience index {s.Conversation.ExperienceIndex.ToString("0.0", CultureInfo.InvariantCulture)}");
        plot.XLabel("seconds");
        plot.YLabel("valence");
        // The arousal strips sit at the bottom, where the legend goes by default.
        if (audioBands) plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        else plot.ShowLegend();
        plot.SavePng(path, 1200, 500);
    }

    /// <summary>
    /// The arousal band beside the valence curve: under it, one strip per speaker coloured by each window's arousal
    /// (green calm, grey neutral, red agitated), and measured holds and overtalk marked on the time axis.
    /// </summary>
    private static bool AddArousalBands(ScottPlot.Plot plot, StoredConversation s)
    {
        if (s.AudioWindows.Count == 0) return false;
        var strips = new[] { ("customer", -1.2, -1.1), ("agent", -1.38, -1.28) };
        foreach (var (speaker, bottom, top) in strips)
        {
            var windows = s.AudioWindows.Where(w => w.Speaker == speaker).ToList();
            if (windows.Count == 0) continue;
            foreach (var w in windows)
            {
                var color = w.ArousalLabel switch
                {
                    "agitated" => ScottPlot.Colors.Red,
                    "calm" => ScottPlot.Colors.SeaGreen,
                    "neutral" => ScottPlot.Colors.Gray,
                    _ => ScottPlot.Colors.LightGray,
                };
                var r = plot.Add.Rectangle(w.StartMs / 1000.0, w.EndMs / 1000.0, bottom, top);
                r.FillStyle.Color = color.WithAlpha(w.ArousalLabel == "agitated" ? 0.9 : 0.6);
                r.LineStyle.Width = 0;
            }
            plot.Add.Text($"{speaker} arousal", windows[0].StartMs / 1000.0, top + 0.07).LabelFontSize = 10;
        }
        foreach (var span in s.AudioSpans.Where(x => x.Kind is "hold" or "dead_air" or "overtalk"))
        {
            var color = span.Kind == "overtalk" ? ScottPlot.Colors.Orange : ScottPlot.Colors.Black;
            var r = plot.Add.Rectangle(span.StartMs / 1000.0, span.EndMs / 1000.0, -1.44, -1.4);
            r.FillStyle.Color = color.WithAlpha(0.8);
            r.LineStyle.Width = 0;
            if (span.Kind != "overtalk") plot.Add.Text(span.Kind.Replace('_', ' '), span.StartMs / 1000.0, -1.3).LabelFontSize = 10;
        }
        return true;
    }

    private static void AddLine(ScottPlot.Plot plot, IReadOnlyList<UtteranceRow> turns, string label, ScottPlot.Color color)
    {
        if (turns.Count == 0) return;
        var xs = turns.Select(u => (u.StartMs + u.EndMs) / 2000.0).ToArray();
        var ys = turns.Select(u => (double)u.Valence).ToArray();
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
    }

    private static IEnumerable<(string Phase, double Start, double End)> Runs(IReadOnlyList<UtteranceRow> utterances)
    {
        string? phase = null;
        double start = 0, end = 0;
        foreach (var u in utterances.OrderBy(u => u.StartMs))
        {
            if (u.Phase != phase)
            {
                if (phase is not null) yield return (phase, start, end);
                phase = u.Phase;
                start = u.StartMs / 1000.0;
            }
            end = Math.Max(end, u.EndMs / 1000.0);
        }
        if (phase is not null) yield return (phase, start, end);
    }
}
