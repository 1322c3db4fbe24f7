namespace Emotion.Privacy;

/// <summary>
/// Settings section <c>Privacy</c> (environment variables <c>Privacy__Name</c>, per tenant
/// <c>Privacy__Tenants__acme__Redact=false</c>). Redaction is on and dead letters keep no original bytes unless a
/// setting says otherwise, for every tenant and for messages whose tenant is not known.
/// </summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Replace personal data in transcript text before anything else sees it (default true).</summary>
    public bool Redact { get; set; } = true;

    /// <summary>Keep a dead letter's original value bytes (default false: the value is redacted, or dropped when it is not text).</summary>
    public bool DeadLetterOriginal { get; set; }

    /// <summary>The types to redact; empty: all of them.</summary>
    public List<PiiType> Types { get; set; } = [];

    /// <summary>Per-tenant overrides, by tenant id (trimmed; matched without regard to case, as configuration keys are).</summary>
    public Dictionary<string, TenantPrivacyOptions> Tenants { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One tenant's overrides of <see cref="PrivacyOptions"/>; a null setting takes the global one.</summary>
public sealed class TenantPrivacyOptions
{
    public bool? Redact { get; set; }

    public bool? DeadLetterOriginal { get; set; }

    /// <summary>The types to redact for this tenant; null or empty: the global list.</summary>
    public List<PiiType>? Types { get; set; }
}
