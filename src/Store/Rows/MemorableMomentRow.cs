namespace Emotion.Store;

/// <summary>A row of <c>memorable_moments</c>: a strongly positive customer peak.</summary>
public sealed record MemorableMomentRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    public uint Turn { get; init; }
    public float Valence { get; init; }
    public string Emotion { get; init; } = "";
    public string Text { get; init; } = "";
    public bool AfterNegativeStart { get; init; }
    public ulong Version { get; init; }
}
