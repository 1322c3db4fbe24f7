namespace Emotion.Access.Tests;

public sealed class UserStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "emotion-access-" + Guid.NewGuid().ToString("N"));

    private UserStore NewStore() => new(Path.Combine(_dir, "users.json"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_key_authenticates_its_user_with_role_and_tenant_and_only_its_hash_is_stored()
    {
        var store = NewStore();
        Assert.False(store.HasUsers);
        store.Add("ana", Role.QaAnalyst, "acme");
        var key = store.IssueKey("ana");
        Assert.True(store.HasUsers);
        Assert.StartsWith("emk_", key, StringComparison.Ordinal);
        Assert.Equal(new Caller("ana", Role.QaAnalyst, "acme"), store.Authenticate(key));
        var file = File.ReadAllText(store.Path);
        var secret = key[(key.IndexOf('_', 4) + 1)..];
        Assert.DoesNotContain(secret, file, StringComparison.Ordinal);
        Assert.Contains("\"hash\"", file, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("emk_")]
    [InlineData("emk_nothex_secret")]
    [InlineData("not a key")]
    [InlineData("emk_' OR 1=1 --_x")]
    public void Anything_but_a_valid_key_gets_nobody(string? key)
    {
        var store = NewStore();
        store.Add("ana", Role.Admin, null);
        store.IssueKey("ana");
        Assert.Null(store.Authenticate(key));
    }

    [Fact]
    public void A_wrong_secret_a_revoked_key_and_a_removed_user_get_nobody()
    {
        var store = NewStore();
        store.Add("ana", Role.Client, "acme");
        var first = store.IssueKey("ana");
        Assert.Null(store.Authenticate(first[..^2] + (first[^1] == 'A' ? "BB" : "AA")));
        var second = store.IssueKey("ana", replace: true);
        Assert.Null(store.Authenticate(first));
        Assert.NotNull(store.Authenticate(second));
        Assert.True(store.Remove("ana"));
        Assert.Null(store.Authenticate(second));
    }

    [Fact]
    public void Every_role_but_admin_needs_a_tenant_and_names_are_checked()
    {
        var store = NewStore();
        Assert.Throws<ArgumentException>(() => store.Add("bob", Role.Client, null));
        Assert.Throws<ArgumentException>(() => store.Add("bob", Role.Coach, "  "));
        Assert.Throws<ArgumentException>(() => store.Add("bo b", Role.Admin, null));
        Assert.Throws<ArgumentException>(() => store.Add("x", Role.Client, "acme\u0001"));
        store.Add("root", Role.Admin, null);
        Assert.Throws<ArgumentException>(() => store.Add("root", Role.Admin, null));
        Assert.Single(store.Load());
    }

    [Fact]
    public void A_caller_bound_to_a_tenant_reads_only_its_own_whatever_it_asks_for()
    {
        var client = new Caller("c", Role.Client, "acme");
        Assert.Equal(new TenantScope("acme", false), client.Scope(null));
        Assert.Equal(new TenantScope("acme", false), client.Scope(" acme "));
        Assert.True(client.Scope("globex").IsNothing);
        Assert.True(client.Scope("ACME").IsNothing);
        Assert.True(client.Scope("acme' OR '1'='1").IsNothing);
        var admin = new Caller("a", Role.Admin, null);
        Assert.Equal(new TenantScope(null, false), admin.Scope(null));
        Assert.Equal(new TenantScope("globex", false), admin.Scope("globex"));
        var tenantAdmin = new Caller("a", Role.Admin, "acme");
        Assert.True(tenantAdmin.Scope("globex").IsNothing);
    }

    [Theory]
    [InlineData(Role.Client, ReadKind.ClientReport, true)]
    [InlineData(Role.Client, ReadKind.Surveys, true)]
    [InlineData(Role.Client, ReadKind.AgentReport, false)]
    [InlineData(Role.Client, ReadKind.Conversation, false)]
    [InlineData(Role.Coach, ReadKind.AgentReport, true)]
    [InlineData(Role.Coach, ReadKind.ClientReport, false)]
    [InlineData(Role.Supervisor, ReadKind.Conversation, true)]
    [InlineData(Role.QaAnalyst, ReadKind.ClientReport, true)]
    [InlineData(Role.Admin, ReadKind.Surveys, true)]
    public void Roles_read_what_their_work_needs(Role role, ReadKind kind, bool allowed) => Assert.Equal(allowed, Roles.MayRead(role, kind));
}
