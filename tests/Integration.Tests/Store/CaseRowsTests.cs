using Emotion.Scoring;
using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>Moments of truth and triage rows (issue 13): built by ConversationRows.From, stored, replaced as a whole.</summary>
public class CaseRowsTests
{
    // Identity check at turn 2, price at turn 4; a claim (money back asked) after a bill.
    private static ConversationInput Input(bool withPrice = true) => new("case-1", "acme", "a1", "T", "cards", "es", "voice",
    [
        new ScoredUtterance(0, Speaker.Agent, 0, 3, "Buenos días, le habla Ana, ¿en qué puedo ayudarle?", null, 0, 0.1f, 0.05f, 0.8f, 0.15f, "neutral", 0.6f),
        new ScoredUtterance(1, Speaker.Customer, 3, 9, "Me llegó la factura y me cobraron dos veces la cuota, quiero que me devuelvan el dinero", null, -1, -0.6f, 0.7f, 0.2f, 0.1f, "anger", 0.8f),
        new ScoredUtterance(2, Speaker.Agent, 9, 12, "Claro, ¿me confirma su DNI por favor?", null, 0, 0f, 0.1f, 0.8f, 0.1f, "neutral", 0.5f),
        new ScoredUtterance(3, Speaker.Customer, 12, 15, "Sí, es el 12345678", null, 0, 0f, 0.1f, 0.8f, 0.1f, "neutral", 0.5f),
        withPrice
            ? new ScoredUtterance(4, Speaker.Agent, 15, 20, "Le devuelvo el cargo; el recargo de reconexión tiene un costo de diez euros", null, 0, 0f, 0.1f, 0.8f, 0.1f, "neutral", 0.5f)
            : new ScoredUtterance(4, Speaker.Agent, 15, 20, "Le devuelvo el cargo duplicado ahora mismo", null, 0, 0f, 0.1f, 0.8f, 0.1f, "neutral", 0.5f),
        new ScoredUtterance(5, Speaker.Customer, 20, 24, "Vale, perfecto, muchísimas gracias", null, 1, 0.8f, 0.02f, 0.1f, 0.88f, "gratitude", 0.9f),
    ]);

    [Fact]
    public async Task Moments_and_triage_rows_land_in_ClickHouse_and_a_refinalized_conversation_replaces_them_as_a_whole()
    {
        var analyzer = ConversationAnalyzer.Create(ScoringConfig.Default, answersDirectory: null);
        var started = new DateTime(2024, 3, 7, 10, 0, 0, DateTimeKind.Utc);
        var input = Input();
        var rows = ConversationRows.From(analyzer.Analyze(input), input, new ConversationMetadata { StartedAt = started, Version = 1, ModelVersion = "m1" });

        Assert.NotNull(rows.Triage);
        Assert.Equal(CaseClasses.Claim, rows.Triage.CaseClass);
        Assert.Equal("billing_error", rows.Triage.ContactReason);
        Assert.Equal("bill", rows.Triage.KnownEvent);
        Assert.NotNull(rows.MomentsOfTruth);
        Assert.Contains(rows.MomentsOfTruth, m => m.Moment == "identity_check" && m.Turn == 2);
        Assert.Contains(rows.MomentsOfTruth, m => m.Moment == "price_disclosure" && m.Turn == 4);

        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.Store.WriteAsync(rows);
        var stored = await db.Store.ReadConversationAsync("acme", "case-1");
        Assert.NotNull(stored);
        Assert.Equal(rows.MomentsOfTruth.Count, stored.MomentsOfTruth!.Count);
        var price = Assert.Single(stored.MomentsOfTruth, m => m.Moment == "price_disclosure");
        // Before: the customer's turns 1 and 3 (-0.6, 0) = -0.3; after: turn 5 (0.8); shift 1.1.
        Assert.Equal(-0.3f, price.BeforeValence!.Value, 4);
        Assert.Equal(0.8f, price.AfterValence!.Value, 4);
        Assert.Equal(1.1f, price.Shift!.Value, 4);
        Assert.Equal(CaseClasses.Claim, stored.Triage!.CaseClass);

        // Re-finalized with new data (version 2): the price is no longer disclosed, so its row must leave the views.
        var again = Input(withPrice: false);
        await db.Store.WriteAsync(ConversationRows.From(analyzer.Analyze(again), again, new ConversationMetadata { StartedAt = started, Version = 2, ModelVersion = "m1" }));
        var current = await db.Store.QueryAsync<MomentName>("SELECT moment FROM v_moments WHERE conversation_id = 'case-1' ORDER BY moment");
        Assert.DoesNotContain(current, m => m.Moment == "price_disclosure");
        Assert.Contains(current, m => m.Moment == "identity_check");
        var triage = await db.Store.QueryAsync<ClassRow>("SELECT case_class FROM v_triage WHERE conversation_id = 'case-1'");
        Assert.Equal(CaseClasses.Claim, Assert.Single(triage).CaseClass);
    }

    private sealed record MomentName(string Moment);

    private sealed record ClassRow(string CaseClass);
}
