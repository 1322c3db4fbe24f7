using System.Diagnostics;
using Emotion.Access;
using Emotion.Integration.Tests.Store;

namespace Emotion.Integration.Tests.Privacy;

/// <summary>
/// Issue 14, point 4: the real <c>emotion report</c> command against ClickHouse, with users of two tenants. A key of one
/// tenant gets nothing of the other, whether it asks by id, by guessed id, by <c>--tenant</c> or with SQL in the values,
/// and the answer is the one for something that does not exist (no hint).
/// </summary>
public sealed class AccessReportTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "emotion-access-it-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _db = null!;
    private string _users = "";
    private readonly Dictionary<string, string> _keys = [];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateMigratedAsync();
        var acme = Rows.Conversation("c-acme-1", "a1", Day) with { Tenant = "acme", Campaign = "cards" };
        var globex = Rows.Conversation("c-glob-1", "g1", Day) with { Tenant = "globex", Campaign = "fibra" };
        await _db.Store.WriteConversationsAsync([acme, globex]);
        await _db.Store.WriteUtterancesAsync([
            Rows.Utterance("c-acme-1", Day, 1, text: "acme turn") with { Tenant = "acme" },
            Rows.Utterance("c-glob-1", Day, 1, text: "globex secret turn") with { Tenant = "globex" },
        ]);
        _users = Path.Combine(_dir, "users.json");
        var store = new UserStore(_users);
        foreach (var (name, role, tenant) in new[]
                 {
                     ("root", Role.Admin, (string?)null), ("qa-acme", Role.QaAnalyst, "acme"), ("client-acme", Role.Client, "acme"),
                     ("coach-glob", Role.Coach, "globex"),
                 })
        {
            store.Add(name, role, tenant);
            _keys[name] = store.IssueKey(name);
        }
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string ClickHouse => TestDatabase.ConnectionString.TrimEnd(';') + ";Database=" + _db.Store.Database;

    private (int Exit, string Out, string Err) Report(string? key, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "emotion.dll"));
        psi.ArgumentList.Add("report");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--clickhouse");
        psi.ArgumentList.Add(ClickHouse);
        psi.ArgumentList.Add("--users-file");
        psi.ArgumentList.Add(_users);
        psi.Environment.Remove("EMOTION_API_KEY");
        if (key is not null)
        {
            psi.ArgumentList.Add("--api-key");
            psi.ArgumentList.Add(key);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "emotion report did not finish");
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>What the command says about a conversation that does not exist, with the id taken out.</summary>
    private static string NotFound((int Exit, string Out, string Err) r, string id) => $"{r.Exit}|{r.Out}|{r.Err.Replace(id, "<ID>", StringComparison.Ordinal)}";

    [Fact]
    public void A_user_reads_its_own_tenants_conversation()
    {
        var r = Report(_keys["qa-acme"], "conversation", "c-acme-1", "--format", "json");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("acme turn", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c-glob-1", null)]
    [InlineData("c-glob-1", "globex")]
    [InlineData("c-glob-1", "acme")]
    [InlineData("c-glob-1' OR '1'='1", null)]
    [InlineData("c-glob-1\\' OR 1=1 --", null)]
    [InlineData("x') UNION ALL SELECT * FROM conversations --", "acme")]
    [InlineData("c-acme-1", "acme' OR tenant = 'globex")]
    public void Another_tenants_conversation_is_answered_like_one_that_does_not_exist(string id, string? tenant)
    {
        string[] extra = tenant is null ? [] : ["--tenant", tenant];
        var asked = Report(_keys["qa-acme"], ["conversation", id, "--format", "json", .. extra]);
        var missing = Report(_keys["qa-acme"], ["conversation", "guessed-id-404", "--format", "json", .. extra]);
        Assert.Equal(4, asked.Exit);
        Assert.Equal(NotFound(missing, "guessed-id-404"), NotFound(asked, id));
        Assert.DoesNotContain("globex", asked.Out + asked.Err.Replace(id, "", StringComparison.Ordinal).Replace(tenant ?? "\0", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_tenants_aggregates_are_answered_like_a_tenant_that_does_not_exist()
    {
        var other = Report(_keys["qa-acme"], "agent", "--tenant", "globex", "--period", "month", "--format", "json");
        var none = Report(_keys["qa-acme"], "agent", "--tenant", "no-such-tenant", "--period", "month", "--format", "json");
        var sql = Report(_keys["qa-acme"], "agent", "--tenant", "acme' OR 1=1 --", "--period", "month", "--format", "json");
        Assert.Equal(0, other.Exit);
        Assert.Equal(none.Out, other.Out);
        Assert.Equal(none.Out, sql.Out);
        Assert.DoesNotContain("g1", other.Out, StringComparison.Ordinal);
        var own = Report(_keys["qa-acme"], "agent", "--period", "month", "--format", "json");
        Assert.Contains("\"a1\"", own.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", own.Out, StringComparison.Ordinal);
        var client = Report(_keys["client-acme"], "client", "--period", "month", "--format", "json");
        Assert.True(client.Exit == 0, client.Err);
        Assert.Contains("cards", client.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("fibra", client.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_over_every_tenant_reads_both()
    {
        Assert.Equal(0, Report(_keys["root"], "conversation", "c-glob-1", "--format", "json").Exit);
        var agents = Report(_keys["root"], "agent", "--period", "month", "--format", "json");
        Assert.Contains("\"a1\"", agents.Out, StringComparison.Ordinal);
        Assert.Contains("\"g1\"", agents.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("emk_000000000000_wrong")]
    [InlineData("' OR 1=1 --")]
    public void Without_a_valid_key_nothing_is_read(string? key)
    {
        var r = Report(key, "conversation", "c-acme-1", "--format", "json");
        Assert.Equal(3, r.Exit);
        Assert.Equal("", r.Out);
        Assert.DoesNotContain("acme", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_reads_only_the_reports_of_its_work()
    {
        Assert.Equal(3, Report(_keys["client-acme"], "agent", "--format", "json").Exit);
        Assert.Equal(3, Report(_keys["client-acme"], "conversation", "c-acme-1").Exit);
        Assert.Equal(3, Report(_keys["coach-glob"], "client", "--format", "json").Exit);
        Assert.Equal(0, Report(_keys["coach-glob"], "conversation", "c-glob-1", "--format", "json").Exit);
        Assert.Equal(4, Report(_keys["coach-glob"], "conversation", "c-acme-1", "--format", "json").Exit);
    }
}
