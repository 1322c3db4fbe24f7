namespace Emotion.Access;

/// <summary>An authenticated user: what it may read and of which tenant.</summary>
/// <param name="Tenant">The only tenant it reads; null for an admin created without one, who reads every tenant.</param>
public sealed record Caller(string Name, Role Role, string? Tenant)
{
    /// <summary>The operator of a deployment without users: an admin over every tenant.</summary>
    public static Caller LocalOperator { get; } = new("(local operator)", Role.Admin, null);

    /// <summary>
    /// The tenant a read runs under, decided here and applied in the SQL the server runs. A caller bound to a tenant always
    /// reads its own, whatever it asked for: a request for another tenant gives <see cref="TenantScope.Nothing"/>, which the
    /// read paths answer exactly as they answer a tenant or id that does not exist. An admin over every tenant reads the
    /// tenant it asks for, or all.
    /// </summary>
    public TenantScope Scope(string? requestedTenant)
    {
        var requested = string.IsNullOrWhiteSpace(requestedTenant) ? null : requestedTenant.Trim();
        if (Tenant is null) return new TenantScope(requested, false);
        if (requested is not null && !string.Equals(requested, Tenant, StringComparison.Ordinal)) return TenantScope.Nothing;
        return new TenantScope(Tenant, false);
    }

    public bool MayRead(ReadKind kind) => Roles.MayRead(Role, kind);
}

/// <summary>The tenant filter of one read.</summary>
/// <param name="Tenant">The tenant every query of the read is restricted to; null: every tenant (admins only).</param>
/// <param name="IsNothing">The caller asked for a tenant it may not read: the read returns no rows.</param>
public readonly record struct TenantScope(string? Tenant, bool IsNothing)
{
    public static TenantScope Nothing => new(null, true);
}
