using Emotion.Ingest.Kafka;
using Emotion.Privacy;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Emotion.Host.Pipeline;

/// <summary>What the command line says about where the pipeline's parts are.</summary>
public sealed record PipelineSettings(
    string BootstrapServers,
    string ClickHouse,
    string ModelDir,
    string? ScoringConfigFile,
    string? GroupId = null,
    string? TopicPrefix = null,
    IReadOnlyDictionary<string, string?>? Overrides = null,
    bool KeepSummaries = false,
    bool LocalBroker = false);

/// <summary>Builds the pipeline's services with each project's <c>Add*</c> extension, so options bind and validate as in any host.</summary>
public static class PipelineHost
{
    /// <param name="hosted">Also register the hosted services that migrate and run the pipeline (<c>emotion run</c>);
    /// without them the caller drives <see cref="PipelineRunner"/> itself (tests, benchmarks).</param>
    public static IHost Build(PipelineSettings settings, bool hosted = false)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Commands.CommonOptions.FindRepoRoot() ?? Directory.GetCurrentDirectory(),
            DisableDefaults = false,
            Args = [],
        });
        var values = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = settings.BootstrapServers,
            ["ClickHouse:ConnectionString"] = settings.ClickHouse,
            ["Sentiment:ModelDir"] = settings.ModelDir,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Emotion"] = "Information",
        };
        if (settings.LocalBroker && builder.Configuration["Kafka:SessionTimeoutMs"] is null)
        {
            // The embedded broker keeps a member that stopped without leaving (a crash) until its session timeout;
            // a short one lets a restarted run resume within seconds. A real cluster keeps Kafka's usual 45 s.
            values["Kafka:SessionTimeoutMs"] = "4000";
            values["Kafka:HeartbeatIntervalMs"] = "1000";
        }
        if (settings.GroupId is not null) values["Kafka:GroupId"] = settings.GroupId;
        if (settings.TopicPrefix is not null) values["Kafka:TopicPrefix"] = settings.TopicPrefix;
        if (settings.Overrides is not null) foreach (var (k, v) in settings.Overrides) values[k] = v;
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // Logs go to stderr so that stdout stays for results.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.AddIngest();
        builder.AddPrivacy();
        builder.AddSentiment();
        builder.AddStore();
        builder.Services.AddOptions<PipelineOptions>().BindConfiguration("Pipeline").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(_ => ConversationAnalyzer.Create(ScoringConfig.Load(settings.ScoringConfigFile)));
        builder.Services.AddSingleton(sp => new PipelineRunner(
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value,
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
            sp.GetRequiredService<ISentimentModel>(),
            sp.GetRequiredService<ConversationAnalyzer>(),
            sp.GetRequiredService<ClickHouseStore>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Emotion.Pipeline"),
            loggers: sp.GetRequiredService<ILoggerFactory>())
        {
            KeepSummaries = settings.KeepSummaries,
            Privacy = sp.GetRequiredService<PrivacyPolicy>(),
        });
        if (hosted) builder.AddPipelineServices();
        return builder.Build();
    }
}
