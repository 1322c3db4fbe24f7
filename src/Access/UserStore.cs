using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;

namespace Emotion.Access;

/// <summary>A user as stored: role, tenant, and the hashes of its API keys and console password (never the secrets).</summary>
public sealed record AccessUser(string Name, string Role, string? Tenant, DateTimeOffset CreatedAt, IReadOnlyList<StoredKey> Keys)
{
    /// <summary>Hash of the web console password (<c>emotion users password</c>); null: the user cannot sign in to the console.</summary>
    public string? PasswordHash { get; init; }
}

/// <summary>One API key: its public id and the hash of its secret.</summary>
public sealed record StoredKey(string Id, string Hash, DateTimeOffset CreatedAt);

/// <summary>
/// Users and API keys in a JSON file (default <c>.local/access/users.json</c>, mode 0600). An API key is
/// <c>emk_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the key, the secret (256 random bits) is checked against its hash,
/// made with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2 with a per-hash salt, versioned). The
/// key itself is shown once, when it is issued, and never stored.
/// </summary>
public sealed class UserStore
{
    private const string KeyPrefix = "emk_";
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly PasswordHasher<AccessUser> _hasher = new();
    private readonly TimeProvider _time;

    public UserStore(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The users file.</summary>
    public string Path { get; }

    /// <summary>Whether access control is on: the file exists and names at least one user.</summary>
    public bool HasUsers => File.Exists(Path) && Load().Count > 0;

    /// <summary>Every user, by name.</summary>
    public IReadOnlyList<AccessUser> Load()
    {
        if (!File.Exists(Path)) return [];
        using var stream = File.OpenRead(Path);
        var file = JsonSerializer.Deserialize<UsersFile>(stream, s_json)
            ?? throw new InvalidDataException($"{Path}: not a users file");
        return file.Users;
    }

    /// <summary>Adds a user. Every role but admin needs a tenant; an admin without one reads every tenant.</summary>
    public AccessUser Add(string name, Role role, string? tenant)
    {
        name = ValidName(name);
        tenant = string.IsNullOrWhiteSpace(tenant) ? null : ValidTenant(tenant);
        if (tenant is null && role != Role.Admin)
            throw new ArgumentException($"a {Roles.Name(role)} needs a tenant (--tenant); only an admin may span tenants", nameof(tenant));
        var users = Load().ToList();
        if (users.Any(u => string.Equals(u.Name, name, StringComparison.Ordinal)))
            throw new ArgumentException($"user '{name}' exists already", nameof(name));
        var user = new AccessUser(name, Roles.Name(role), tenant, _time.GetUtcNow(), []);
        users.Add(user);
        Save(users);
        return user;
    }

    /// <summary>Removes a user and its keys; false when there was none.</summary>
    public bool Remove(string name)
    {
        var users = Load().ToList();
        var removed = users.RemoveAll(u => string.Equals(u.Name, name, StringComparison.Ordinal)) > 0;
        if (removed) Save(users);
        return removed;
    }

    /// <summary>Issues an API key for <paramref name="name"/> and returns it; only its hash is stored.</summary>
    /// <param name="replace">Revoke the user's other keys.</param>
    public string IssueKey(string name, bool replace = false)
    {
        var users = Load().ToList();
        var i = users.FindIndex(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        if (i < 0) throw new ArgumentException($"no user '{name}'", nameof(name));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var stored = new StoredKey(id, _hasher.HashPassword(users[i], secret), _time.GetUtcNow());
        users[i] = users[i] with { Keys = replace ? [stored] : [.. users[i].Keys, stored] };
        Save(users);
        return $"{KeyPrefix}{id}_{secret}";
    }

    /// <summary>
    /// The caller an API key belongs to, or null for any key that is malformed, unknown, revoked or wrong, all alike (the
    /// same work is done for an unknown key id as for a known one, so the answer time does not tell them apart).
    /// </summary>
    public Caller? Authenticate(string? apiKey)
    {
        var users = Load();
        string? id = null, secret = null;
        if (apiKey is { Length: > 0 } k && k.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            var rest = k[KeyPrefix.Length..].Trim();
            var sep = rest.IndexOf('_', StringComparison.Ordinal);
            if (sep > 0)
            {
                id = rest[..sep];
                secret = rest[(sep + 1)..];
            }
        }
        AccessUser? owner = null;
        StoredKey? key = null;
        foreach (var u in users)
        {
            foreach (var sk in u.Keys)
            {
                if (id is not null && string.Equals(sk.Id, id, StringComparison.Ordinal))
                {
                    owner = u;
                    key = sk;
                }
            }
        }
        var hash = key?.Hash ?? DummyHash;
        var ok = _hasher.VerifyHashedPassword(owner!, hash, secret ?? "") != PasswordVerificationResult.Failed;
        if (!ok || owner is null || !Roles.TryParse(owner.Role, out var role)) return null;
        return new Caller(owner.Name, role, owner.Tenant);
    }

    /// <summary>
    /// Sets the password a user signs in to the web console with (<c>emotion serve</c>); only its hash is stored, made the
    /// same way as the keys' hashes.
    /// </summary>
    public void SetPassword(string name, string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < 8)
            throw new ArgumentException("a password has at least 8 characters", nameof(password));
        var users = Load().ToList();
        var i = users.FindIndex(u => string.Equals(u.Name, name, StringComparison.Ordinal));
        if (i < 0) throw new ArgumentException($"no user '{name}'", nameof(name));
        users[i] = users[i] with { PasswordHash = _hasher.HashPassword(users[i], password) };
        Save(users);
    }

    /// <summary>
    /// The caller a user name and password belong to, or null for an unknown user, a user without a password or a wrong
    /// password, all alike (an unknown name is checked against a dummy hash, so the answer time does not tell them apart).
    /// </summary>
    public Caller? SignIn(string? name, string? password)
    {
        var owner = Load().FirstOrDefault(u => string.Equals(u.Name, name?.Trim(), StringComparison.Ordinal));
        var hash = owner?.PasswordHash ?? DummyHash;
        var ok = _hasher.VerifyHashedPassword(owner!, hash, password ?? "") != PasswordVerificationResult.Failed;
        if (!ok || owner?.PasswordHash is null || !Roles.TryParse(owner.Role, out var role)) return null;
        return new Caller(owner.Name, role, owner.Tenant);
    }

    private static readonly string DummyHash = new PasswordHasher<AccessUser>().HashPassword(null!, "no key has this secret");

    private void Save(List<AccessUser> users)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(dir);
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, new UsersFile(users.OrderBy(u => u.Name, StringComparer.Ordinal).ToList()), s_json);
        }
        File.Move(tmp, Path, overwrite: true);
    }

    private static string ValidName(string name)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            throw new ArgumentException($"user name '{name}' must be 1-64 letters, digits, '.', '_', '-' or '@'", nameof(name));
        return name;
    }

    private static string ValidTenant(string tenant)
    {
        tenant = tenant.Trim();
        if (tenant.Length > 128 || tenant.Any(char.IsControl))
            throw new ArgumentException("a tenant is at most 128 characters without control characters", nameof(tenant));
        return tenant;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record UsersFile(List<AccessUser> Users);
}
