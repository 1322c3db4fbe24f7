using Emotion.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Emotion.Web;

/// <summary>What <c>emotion serve</c> (and a test) starts the console with; the environment (<c>Console__*</c>, <c>ClickHouse__*</c>) is read beside it.</summary>
public sealed record WebConsoleSettings(
    string Urls,
    string ClickHouse,
    string UsersFile,
    string? BootstrapServers,
    string AlertsTopic = "emotion.alerts",
    string? KeysDirectory = null,
    string? ContentRoot = null);

/// <summary>Builds the console's web application: the store, the console, Kestrel on <see cref="WebConsoleSettings.Urls"/>.</summary>
public static class WebConsoleHost
{
    public static WebApplication Build(WebConsoleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = settings.ContentRoot ?? Directory.GetCurrentDirectory(),
            WebRootPath = null,
        });
        var values = new Dictionary<string, string?>
        {
            ["urls"] = settings.Urls,
            ["ClickHouse:ConnectionString"] = settings.ClickHouse,
            ["Console:UsersFile"] = settings.UsersFile,
            ["Console:BootstrapServers"] = settings.BootstrapServers,
            ["Console:AlertsTopic"] = settings.AlertsTopic,
            ["Console:KeysDirectory"] = settings.KeysDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Emotion"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        };
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddStore();
        builder.AddWebConsole();
        var app = builder.Build();
        app.MapWebConsole();
        return app;
    }
}
