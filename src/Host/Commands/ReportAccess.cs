using System.CommandLine;
using Emotion.Access;

namespace Emotion.Host.Commands;

/// <summary>
/// Who may read a report, and of which tenant (docs/privacy.md, "Access"). Once the users file names a user, every
/// <c>emotion report</c> needs an API key (<c>--api-key</c> or <c>EMOTION_API_KEY</c>); the caller's tenant is then put
/// into the SQL of every query of the report, so ClickHouse returns only that tenant's rows. Without users the command
/// runs as the local operator (an admin over every tenant), as before access control existed.
/// </summary>
internal static class ReportAccess
{
    /// <summary>A tenant no conversation has: a read scoped to <see cref="TenantScope.Nothing"/> runs with it and finds no rows.</summary>
    internal static readonly string NoTenant = "\u0001no tenant " + Guid.NewGuid().ToString("N");

    public static Option<string?> ApiKey() => new("--api-key") { Description = "API key of the user asking (default: EMOTION_API_KEY). Needed once users exist (emotion users add)." };

    public static Option<string?> UsersFile() => new("--users-file") { Description = "Users and API key hashes (default: EMOTION_USERS_FILE, else .local/access/users.json)." };

    public static string ResolveUsersFile(string? option) =>
        option is { Length: > 0 } o ? o
        : Environment.GetEnvironmentVariable("EMOTION_USERS_FILE") is { Length: > 0 } e ? e
        : Path.Combine(CommonOptions.LocalDir, "access", "users.json");

    /// <summary>
    /// The tenant the report runs under, or null when the caller may not read it at all (the message is written and the
    /// exit code is in <paramref name="exitCode"/>). A request for another tenant gives the tenant that matches nothing,
    /// so the answer looks like the one for a tenant that does not exist.
    /// </summary>
    public static string? Authorize(ParseResult parse, Option<string?> apiKey, Option<string?> usersFile, ReadKind kind,
        string? requestedTenant, out bool allTenants, out int exitCode)
    {
        allTenants = false;
        exitCode = 0;
        var store = new UserStore(ResolveUsersFile(parse.GetValue(usersFile)));
        Caller? caller;
        if (!store.HasUsers)
        {
            caller = Caller.LocalOperator;
        }
        else
        {
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("EMOTION_API_KEY");
            caller = store.Authenticate(key);
        }
        if (caller is null || !caller.MayRead(kind))
        {
            Console.Error.WriteLine("emotion report: access denied: this report needs the API key of a user whose role may read it (--api-key or EMOTION_API_KEY).");
            exitCode = 3;
            return null;
        }
        var scope = caller.Scope(requestedTenant);
        if (scope.IsNothing) return NoTenant;
        allTenants = scope.Tenant is null;
        return scope.Tenant;
    }
}
