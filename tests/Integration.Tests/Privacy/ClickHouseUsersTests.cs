using System.Diagnostics;
using System.Net;
using Emotion.Integration.Tests.Store;

namespace Emotion.Integration.Tests.Privacy;

/// <summary>
/// Issue 14: the least-privilege ClickHouse users that scripts/clickhouse.sh creates (18.16 has no SQL GRANT: users.xml
/// with allow_databases and a readonly profile). The reader reads the emotion database and nothing else, and cannot
/// write, drop, create or change it; the pipeline user cannot reach other databases; a wrong password gets nothing.
/// </summary>
public sealed class ClickHouseUsersTests : IAsyncLifetime
{
    private const string Database = "emotion";
    private readonly string _probe = "access_probe_" + Guid.NewGuid().ToString("N");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestDatabase _other = null!;

    private static Uri Server
    {
        get
        {
            var cs = TestDatabase.ConnectionString;
            string Part(string name, string fallback) =>
                cs.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1] ?? fallback;
            return new Uri($"http://{Part("Host", "127.0.0.1")}:{Part("Port", "8123")}/");
        }
    }

    private static (string User, string Password) Credentials(string who)
    {
        var root = Emotion.Host.Commands.CommonOptions.FindRepoRoot() ?? throw new InvalidOperationException("repository root not found");
        var psi = new ProcessStartInfo(Path.Combine(root, "scripts", "clickhouse.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("credentials");
        psi.ArgumentList.Add(who);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"scripts/clickhouse.sh credentials {who}: {error}");
        var parts = output.Split(';').Select(x => x.Split('=', 2)).Where(x => x.Length == 2).ToDictionary(x => x[0], x => x[1]);
        return (parts["Username"], parts["Password"]);
    }

    private async Task<(HttpStatusCode Status, string Body)> Query(string user, string password, string sql, string database = "default")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server, $"?database={Uri.EscapeDataString(database)}")) { Content = new StringContent(sql) };
        request.Headers.Add("X-ClickHouse-User", user);
        request.Headers.Add("X-ClickHouse-Key", password);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task InitializeAsync()
    {
        _other = await TestDatabase.CreateMigratedAsync();
        Assert.Equal(HttpStatusCode.OK, (await Query("default", "", $"CREATE DATABASE IF NOT EXISTS {Database}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Query("default", "", $"CREATE TABLE {Database}.{_probe} (x UInt8) ENGINE = Memory")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Query("default", "", $"INSERT INTO {Database}.{_probe} VALUES (7)")).Status);
        // users.xml is re-rendered by 'clickhouse.sh start' and reloaded by the server within seconds.
        var (user, password) = Credentials("reader");
        var deadline = Stopwatch.StartNew();
        while ((await Query(user, password, "SELECT 1", Database)).Status != HttpStatusCode.OK)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the reader user does not exist: run scripts/clickhouse.sh start");
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        await Query("default", "", $"DROP TABLE IF EXISTS {Database}.{_probe}");
        await _other.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task The_reader_reads_the_emotion_database_and_can_change_nothing()
    {
        var (user, password) = Credentials("reader");
        var read = await Query(user, password, $"SELECT x FROM {_probe}", Database);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("7", read.Body.Trim());
        foreach (var sql in new[]
                 {
                     $"INSERT INTO {_probe} VALUES (8)", $"DROP TABLE {_probe}", $"CREATE TABLE {_probe}_2 (x UInt8) ENGINE = Memory",
                     $"ALTER TABLE {_probe} DELETE WHERE 1", $"TRUNCATE TABLE {_probe}", "SET readonly = 0",
                 })
        {
            var r = await Query(user, password, sql, Database);
            Assert.True(r.Status != HttpStatusCode.OK, $"the reader ran: {sql}");
            Assert.Contains("readonly", r.Body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal("7", (await Query(user, password, $"SELECT x FROM {_probe}", Database)).Body.Trim());
    }

    [Theory]
    [InlineData("reader")]
    [InlineData("pipeline")]
    public async Task Neither_user_reaches_another_database(string who)
    {
        var (user, password) = Credentials(who);
        var r = await Query(user, password, "SELECT count() FROM conversations", _other.Store.Database);
        Assert.NotEqual(HttpStatusCode.OK, r.Status);
        Assert.Contains("Access denied to database", r.Body, StringComparison.Ordinal);
        var qualified = await Query(user, password, $"SELECT count() FROM {_other.Store.Database}.conversations", Database);
        Assert.NotEqual(HttpStatusCode.OK, qualified.Status);
    }

    [Fact]
    public async Task A_wrong_password_gets_nothing()
    {
        var (user, _) = Credentials("reader");
        var r = await Query(user, "' OR 1=1 --", $"SELECT x FROM {_probe}", Database);
        Assert.NotEqual(HttpStatusCode.OK, r.Status);
        Assert.DoesNotContain("7", r.Body.Replace(user, "", StringComparison.Ordinal).Split("Exception")[0], StringComparison.Ordinal);
    }
}
