namespace Emotion.Host.Pipeline;

/// <summary>
/// A conversation's identity: the tenant and the conversation id. Two tenants may use the same conversation id
/// (their platforms number calls independently), so every map, row and ledger entry is keyed by both.
/// </summary>
/// <param name="Tenant">The normalized tenant (<see cref="NormalizeTenant"/>); empty while no message has named it.</param>
public readonly record struct ConversationKey(string Tenant, string Id)
{
    /// <summary>The tenant written in rows when no message named one.</summary>
    public const string DefaultTenant = "default";

    /// <summary>Whether a message has named the tenant.</summary>
    public bool HasTenant => Tenant.Length > 0;

    /// <summary>The tenant as rows store it.</summary>
    public string StoredTenant => HasTenant ? Tenant : DefaultTenant;

    /// <summary>Trims the tenant a message carries; blank or absent becomes empty (not named), so " acme " and "acme" are one tenant.</summary>
    public static string NormalizeTenant(string? tenant) => string.IsNullOrWhiteSpace(tenant) ? "" : tenant.Trim();

    /// <summary>A key from a message's tenant and id.</summary>
    public static ConversationKey Of(string? tenant, string id) => new(NormalizeTenant(tenant), id);

    /// <inheritdoc />
    public override string ToString() => HasTenant ? $"{Tenant}/{Id}" : Id;
}
