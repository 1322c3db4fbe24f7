using System.CommandLine;
using Emotion.Ingest.Kafka;
using Emotion.Store;
using Emotion.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Host.Commands;

/// <summary><c>emotion serve</c>: the web console (issue 11) on the same ClickHouse, signed in with the users of <c>emotion users</c>.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where Kestrel listens.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var clickHouse = CommonOptions.ClickHouse();
        var bootstrap = CommonOptions.BootstrapServers();
        var prefix = new Option<string?>("--topic-prefix") { Description = "Topic name prefix (live alerts are read from PREFIXalerts). Default: 'emotion.'." };
        var usersFile = ReportAccess.UsersFile();
        var command = new Command("serve", "The web console: conversation explorer, coaching, client dashboard and live view, in Spanish and English. Sign in with a user of 'emotion users' that has a password.");
        foreach (var o in new Option[] { urls, clickHouse, bootstrap, prefix, usersFile }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            string? kafka;
            try
            {
                kafka = CommonOptions.ResolveBootstrap(parse.GetValue(bootstrap));
            }
            catch (InvalidOperationException)
            {
                kafka = null;
                Console.Error.WriteLine("emotion serve: no Kafka bootstrap servers (--bootstrap-servers, EMOTION_BOOTSTRAP_SERVERS or a local broker); the live view shows alerts from ClickHouse only.");
            }
            var settings = new WebConsoleSettings(
                parse.GetValue(urls)!,
                CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse)),
                ReportAccess.ResolveUsersFile(parse.GetValue(usersFile)),
                kafka,
                (parse.GetValue(prefix) ?? Topics.DefaultPrefix) + "alerts",
                Path.Combine(CommonOptions.LocalDir, "console", "keys"),
                CommonOptions.FindRepoRoot());
            await using var app = WebConsoleHost.Build(settings);
            var store = app.Services.GetRequiredService<ClickHouseStore>();
            if (!await store.PingAsync(ct))
            {
                Console.Error.WriteLine($"emotion serve: cannot reach ClickHouse at {settings.ClickHouse.Split(";Username", 2)[0]}. Start it with scripts/clickhouse.sh start, or pass --clickhouse / set EMOTION_CLICKHOUSE.");
                return 1;
            }
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.Error.WriteLine($"emotion serve: console on {string.Join(", ", addresses)} (ClickHouse database '{store.Database}', users {settings.UsersFile})");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM.
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
