using System.CommandLine;
using System.Globalization;
using Emotion.Host.Pipeline;
using Emotion.Sentiment;
using Emotion.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion run</c> command: the streaming pipeline.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var clickHouse = CommonOptions.ClickHouse();
        var model = new Option<string?>("--model") { Description = "Model directory. Default: " + SentimentOptions.DefaultModelDirectory + " in the repository." };
        var config = new Option<string?>("--config") { Description = "Client scoring configuration (JSON) merged over config/scoring.default.json." };
        var group = new Option<string?>("--group") { Description = "Kafka consumer group id. Default: emotion-pipeline." };
        var prefix = new Option<string?>("--topic-prefix") { Description = "Topic name prefix. Default: 'emotion.'." };
        var idleTimeout = new Option<int?>("--idle-timeout") { Description = "Seconds without messages after which a conversation is finalized. Default: 300." };
        var exitWhenIdle = new Option<double?>("--exit-when-idle")
        {
            Description = "Exit once messages were seen, every conversation is finalized and none came for this many seconds (demos, batch loads).",
        };
        var summary = new Option<bool>("--summary") { Description = "Print a table of the finalized conversations at exit." };
        var command = new Command("run", "Run the pipeline: Kafka -> model -> per-conversation scoring -> ClickHouse, with live alerts on emotion.alerts.");
        foreach (var o in new Option[] { bootstrap, clickHouse, model, config, group, prefix, idleTimeout, exitWhenIdle, summary }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(idleTimeout) is { } idle) overrides["Pipeline:IdleTimeoutS"] = idle.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(exitWhenIdle) is { } quiet) overrides["Pipeline:ExitWhenIdleS"] = quiet.ToString(CultureInfo.InvariantCulture);
            var settings = new PipelineSettings(
                CommonOptions.ResolveBootstrap(parse.GetValue(bootstrap)),
                CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse)),
                CommonOptions.ResolveModelDir(parse.GetValue(model)),
                parse.GetValue(config),
                parse.GetValue(group),
                parse.GetValue(prefix),
                overrides,
                KeepSummaries: parse.GetValue(summary),
                LocalBroker: CommonOptions.IsLocalBroker(parse.GetValue(bootstrap)));
            if (Preflight.Kafka(settings.BootstrapServers, TimeSpan.FromSeconds(10)) is { } kafkaError)
            {
                Console.Error.WriteLine($"emotion run: {kafkaError}");
                return 1;
            }
            using var host = PipelineHost.Build(settings, hosted: true);
            var store = host.Services.GetRequiredService<ClickHouseStore>();
            if (await Preflight.ClickHouseAsync(store, ct) is { } chError)
            {
                Console.Error.WriteLine($"emotion run: {chError}");
                return 1;
            }
            Console.Error.WriteLine($"emotion run: consuming from {settings.BootstrapServers}, writing to ClickHouse database '{store.Database}', model {settings.ModelDir}");
            var service = host.Services.GetRequiredService<PipelineService>(); // RunAsync disposes the host's services
            // The hosted services migrate the schema, then run the pipeline until a stop (SIGTERM, Ctrl-C) or until it ends by itself.
            try
            {
                await host.RunAsync(ct);
            }
            catch (Exception ex) when (ex is OptionsValidationException or MigrationMismatchException or HttpRequestException
                                           or ClickHouse.Driver.ClickHouseServerException or InvalidOperationException)
            {
                // Start-up failed (settings, schema): one line naming what to change.
                Console.Error.WriteLine($"emotion run: {ex.Message}");
                return 1;
            }
            var runner = service.Runner;
            Console.Error.WriteLine($"emotion run: {runner.SegmentsScored} segments scored, {runner.ConversationsFinalized} conversations finalized, {runner.AlertsSent} live alerts");
            if (parse.GetValue(summary)) PrintSummary(runner.Summaries);
            if (service.ExitCode != 0) return service.ExitCode;
            return 0;
        });
        return command;
    }

    /// <summary>One row per finalized conversation: what a QA analyst looks at first.</summary>
    internal static void PrintSummary(IEnumerable<FinalizedSummary> summaries)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Finalized conversations");
        foreach (var h in new[] { "conversation", "tenant", "agent", "turns", "customer start → end", "conversion", "primary driver", "process topic", "agent focus", "experience", "alerts" })
            table.AddColumn(h);
        foreach (var s in summaries.OrderBy(s => s.Conversation.ConversationId, StringComparer.Ordinal))
        {
            var a = s.Analysis;
            table.AddRow(
                Markup.Escape(a.ConversationId),
                Markup.Escape(a.Tenant ?? "-"),
                Markup.Escape(a.AgentId ?? "-"),
                a.Utterances.Count.ToString(CultureInfo.InvariantCulture),
                $"{Valence(a.CustomerStart.Score)} → {Valence(a.CustomerEnd.Score)}",
                a.NegativeToPositive ? "[green]yes[/]" : "no",
                Markup.Escape(a.PrimaryDriver),
                Markup.Escape(a.ProcessTopic),
                Markup.Escape(a.AgentFocus),
                a.ExperienceIndex.ToString("0", CultureInfo.InvariantCulture),
                a.Alerts.Count.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
    }

    private static string Valence(double v)
    {
        var text = v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
        return v <= -0.2 ? $"[red]{text}[/]" : v >= 0.2 ? $"[green]{text}[/]" : text;
    }
}
