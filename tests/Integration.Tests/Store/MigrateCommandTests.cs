using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Emotion.Integration.Tests.Store;

/// <summary><c>emotion migrate</c> as a process: a ClickHouse that does not answer is said at once; a real one is migrated.</summary>
public sealed class MigrateCommandTests
{
    private static async Task<(int Code, string Output, TimeSpan Took)> Migrate(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "emotion.dll"));
        psi.ArgumentList.Add("migrate");
        foreach (var a in args) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout + await stderr, watch.Elapsed);
    }

    [Fact]
    public async Task A_clickhouse_that_does_not_answer_is_said_at_once_and_nothing_is_retried()
    {
        // A port nobody listens on: taken from the system, then freed.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (code, output, took) = await Migrate("--clickhouse", $"Host=127.0.0.1;Port={port};Username=default;JsonReadMode=None;JsonWriteMode=None");
        Assert.Equal(1, code);
        Assert.Contains($"emotion migrate: cannot reach ClickHouse (Host=127.0.0.1;Port={port})", output, StringComparison.Ordinal);
        // Before the preflight it waited out the store's retries for every statement: minutes.
        Assert.True(took < TimeSpan.FromSeconds(60), $"took {took.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_real_clickhouse_is_migrated_and_a_second_run_changes_nothing()
    {
        var database = "emotion_test_" + Guid.NewGuid().ToString("N");
        var cs = TestDatabase.ConnectionString;
        try
        {
            var (code, output, _) = await Migrate("--clickhouse", cs, "--database", database);
            Assert.True(code == 0, output);
            Assert.Contains($"created database {database}", output, StringComparison.Ordinal);
            (code, output, _) = await Migrate("--clickhouse", cs, "--database", database);
            Assert.True(code == 0, output);
            Assert.Contains($"database {database} is up to date", output, StringComparison.Ordinal);
        }
        finally
        {
            using var store = new Emotion.Store.ClickHouseStore(new Emotion.Store.ClickHouseOptions { ConnectionString = cs });
            await store.ExecuteInAsync("default", $"DROP DATABASE IF EXISTS {database}");
        }
    }
}
