using Emotion.Scoring;
using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

public class ConversationRowsTests
{
    private static ConversationInput Input() => new("conv-1", "acme", "a1", "T", "cards", "es", "voice",
    [
        new ScoredUtterance(0, Speaker.Agent, 0, 3, "Buenos días, le habla Ana, ¿en qué puedo ayudarle?", null, 1, 0.6f, 0.05f, 0.3f, 0.65f, "joy", 0.6f),
        new ScoredUtterance(1, Speaker.Customer, 3, 9, "Estoy harto, me cobraron una comisión que no corresponde", null, -1, -0.8f, 0.85f, 0.1f, 0.05f, "anger", 0.8f),
        new ScoredUtterance(2, Speaker.Agent, 9, 15, "Lo siento mucho, ya mismo le devuelvo la comisión", null, 1, 0.4f, 0.1f, 0.4f, 0.5f, "neutral", 0.5f),
        new ScoredUtterance(3, Speaker.Customer, 15, 20, "¡Muchísimas gracias, excelente atención!", null, 1, 0.9f, 0.02f, 0.06f, 0.92f, "joy", 0.9f),
    ]);

    [Fact]
    public async Task An_analysis_maps_to_rows_that_store_and_read_back()
    {
        var input = Input();
        var analysis = ConversationAnalyzer.Create(ScoringConfig.Default).Analyze(input);
        var started = new DateTime(2024, 3, 7, 10, 0, 0, DateTimeKind.Utc);
        var rows = ConversationRows.From(analysis, input, new ConversationMetadata { StartedAt = started, Version = 42, ModelVersion = "m1" });

        Assert.Equal("acme", rows.Conversation.Tenant);
        Assert.Equal(new DateOnly(2024, 3, 7), rows.Conversation.Date);
        Assert.Equal(4, rows.Utterances.Count);
        Assert.Equal("Estoy harto, me cobraron una comisión que no corresponde", rows.Utterances[1].Text);
        Assert.Equal(0.85f, rows.Utterances[1].PNegative);
        Assert.All(rows.Phases, p => Assert.Equal(42UL, p.Version));
        Assert.Equal(6, rows.Behaviours.Count);
        Assert.Equal(analysis.NegativeToPositive, rows.Conversation.NegativeToPositive);
        Assert.Equal((float)analysis.ExperienceIndex, rows.Conversation.ExperienceIndex);
        Assert.NotNull(ConversationRows.ReadAnalysis(rows.Conversation));

        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.Store.WriteAsync(rows);
        var stored = await db.Store.ReadConversationAsync("acme", "conv-1");
        Assert.NotNull(stored);
        Assert.Equal(rows.Utterances.Count, stored.Utterances.Count);
        Assert.Equal(rows.Phases.Count, stored.Phases.Count);
        Assert.Equal(rows.Drivers.Count, stored.Drivers.Count);
        Assert.Equal(rows.MemorableMoments.Count, stored.MemorableMoments.Count);
    }
}
