using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Emotion.Access;
using Emotion.Scoring;
using Emotion.Store;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>
/// <c>emotion report surveys</c>: where NPS or CSAT arrived for conversations, calibrates the experience index against
/// them with Microsoft.ML (<see cref="ExperienceCalibrator"/>) and reports the correlation and the features that drive
/// the outcome.
/// </summary>
internal static class SurveyReport
{
    public static Command Create()
    {
        var clickHouse = CommonOptions.ClickHouse();
        var tenant = new Option<string?>("--tenant") { Description = "Client (tenant). Default: all." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("surveys", "Experience index vs surveys (NPS/CSAT): correlation, calibrated index (Microsoft.ML) and the features that drive the outcome.");
        command.Options.Add(clickHouse);
        command.Options.Add(tenant);
        command.Options.Add(format);
        var apiKey = ReportAccess.ApiKey();
        var usersFile = ReportAccess.UsersFile();
        command.Options.Add(apiKey);
        command.Options.Add(usersFile);
        command.SetAction(async (parse, ct) =>
        {
            var scoped = ReportAccess.Authorize(parse, apiKey, usersFile, ReadKind.Surveys, parse.GetValue(tenant), out _, out var denied);
            if (denied != 0) return denied;
            using var store = new ClickHouseStore(new ClickHouseOptions { ConnectionString = CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse)) });
            var samples = await LoadAsync(store, scoped, ct);
            if (samples.Count < 10)
            {
                Console.Error.WriteLine($"emotion report surveys: {samples.Count} conversations with a survey; at least 10 are needed to calibrate.");
                return 1;
            }
            var report = ExperienceCalibrator.Fit(samples).Report;
            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return 0;
            }
            Render(report);
            return 0;
        });
        return command;
    }

    /// <summary>Every finalized conversation that has a survey, with the survey normalized to [0, 1] (NPS first, else CSAT).</summary>
    internal static async Task<List<CalibrationSample>> LoadAsync(ClickHouseStore store, string? tenant, CancellationToken ct)
    {
        var where = tenant is null ? "" : $"WHERE tenant = {SqlText.Quote(tenant)}";
        // Surveys of that tenant, and those left unnamed ('default', joined by id as in v_conversations), never another's.
        var eventsOf = tenant is null ? "" : $"AND tenant IN ({SqlText.Quote(tenant)}, 'default')";
        var rows = await store.QueryAsync<SurveyJoin>($"""
            SELECT conversation_id, analysis_json, nps, csat
            FROM (SELECT conversation_id, analysis_json FROM conversations FINAL {where})
            ANY INNER JOIN
            (
                SELECT conversation_id,
                       argMaxIf(nps, version, kind = 'survey') AS nps,
                       argMaxIf(csat, version, kind = 'survey') AS csat
                FROM conversation_events
                WHERE kind = 'survey' {eventsOf}
                GROUP BY conversation_id
            ) USING (conversation_id)
            """, ct);
        var samples = new List<CalibrationSample>(rows.Count);
        foreach (var r in rows)
        {
            if (ConversationAnalysis.FromJson(r.AnalysisJson) is not { } analysis) continue;
            double? outcome = r.Nps is { } nps ? SurveyOutcome.FromNps(nps) : r.Csat is { } csat ? SurveyOutcome.FromCsat(csat) : null;
            if (outcome is { } o) samples.Add(CalibrationSample.From(analysis, o));
        }
        return samples;
    }

    private static void Render(CalibrationReport r)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
        var summary = new Table().Border(TableBorder.Rounded).Title($"Experience index vs surveys ({r.Samples} conversations)");
        summary.AddColumn("measure");
        summary.AddColumn(new TableColumn("value").RightAligned());
        summary.AddRow("Pearson, raw experience index", F(r.PearsonIndex));
        summary.AddRow("Spearman, raw experience index", F(r.SpearmanIndex));
        summary.AddRow("Pearson, calibrated (in-sample)", F(r.PearsonCalibrated));
        summary.AddRow("Spearman, calibrated (in-sample)", F(r.SpearmanCalibrated));
        summary.AddRow("Pearson, calibrated (5-fold, out of sample)", F(r.PearsonCalibratedCv));
        summary.AddRow("R²", F(r.RSquared));
        AnsiConsole.Write(summary);
        var features = new Table().Border(TableBorder.Rounded).Title("What drives the survey outcome (permutation importance)");
        features.AddColumn("feature");
        features.AddColumn(new TableColumn("standardized weight").RightAligned());
        features.AddColumn(new TableColumn("R² drop when shuffled").RightAligned());
        foreach (var f in r.Features) features.AddRow(Markup.Escape(f.Feature), F(f.Weight), F(f.PermutationR2Drop));
        AnsiConsole.Write(features);
    }

    private sealed record SurveyJoin(string ConversationId, string AnalysisJson, double? Nps, double? Csat);
}
