using Emotion.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Emotion.Host.Pipeline;

/// <summary>
/// Applies the ClickHouse migrations when the host starts, before the pipeline service starts (hosted services start in
/// registration order), so the pipeline never writes to a schema it does not know.
/// </summary>
public sealed class MigrationService(Migrator migrator, ILogger<MigrationService> logger) : IHostedService
{
    /// <summary>The database the migrations ran in, once started.</summary>
    public string? Database { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        Database = result.Database;
        logger.LogInformation("Schema of ClickHouse database {Database} is current ({Applied} migrations applied now)", result.Database, result.Applied.Count);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The streaming pipeline as a hosted service: runs <see cref="PipelineRunner"/> (which composes the consume, score,
/// track-and-finalize, alert and write stages) until the host stops, or until it ends by itself (exit when idle, or a
/// failure), which stops the application. <see cref="ExitCode"/> is 0 after a requested stop or an idle exit, 1 after a failure.
/// </summary>
public sealed class PipelineService(PipelineRunner runner, IOptions<PipelineOptions> options, IHostApplicationLifetime lifetime,
    ILogger<PipelineService> logger) : BackgroundService
{
    /// <summary>The process exit code the pipeline asks for.</summary>
    public int ExitCode { get; private set; }

    /// <summary>The runner, for counts and summaries after the host stopped.</summary>
    public PipelineRunner Runner => runner;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var idle = options.Value.ExitWhenIdleS is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            await runner.RunAsync(idle, stoppingToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // One line with the reason; the stack trace only at debug level.
            logger.LogCritical("{Message}", ex.Message);
            if (logger.IsEnabled(LogLevel.Debug)) logger.LogDebug(ex, "pipeline failure");
            ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}

/// <summary>Registers the pipeline's hosted services, eShop style: one extension per capability.</summary>
public static class PipelineServiceExtensions
{
    /// <summary>Adds <see cref="MigrationService"/> then <see cref="PipelineService"/>; the host's shutdown waits for the pipeline's graceful stop.</summary>
    public static IHostApplicationBuilder AddPipelineServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<MigrationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MigrationService>());
        builder.Services.AddSingleton<PipelineService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineService>());
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<PipelineOptions>>((host, pipeline) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(pipeline.Value.ShutdownGraceS + 30));
        return builder;
    }
}
