using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>Moments, triage and anticipation reports over hand-made rows whose answers are worked out in the comments.</summary>
public class CaseReportQueriesTests
{
    private static readonly DateOnly Feb = new(2024, 2, 10);
    private static readonly DateOnly Mar = new(2024, 3, 5);

    private static MomentOfTruthRow Moment(string id, DateOnly date, string moment, uint turn, float? before, float? after, ulong version = 1) => new()
    {
        Tenant = Rows.Tenant, ConversationId = id, Date = date, Moment = moment, Turn = turn, AtS = turn * 5, Speaker = "agent", Cue = "cue",
        BeforeValence = before, AfterValence = after, Shift = before is { } b && after is { } a ? a - b : null, Version = version,
    };

    private static CaseTriageRow Triage(string id, DateOnly date, string cls, bool firstContact, bool resolved, string reason = "", string knownEvent = "",
        float? fcrTarget = null, ulong version = 1) => new()
    {
        Tenant = Rows.Tenant, ConversationId = id, Date = date, CaseClass = cls, Reason = "rule", FirstContact = firstContact, Resolved = resolved,
        ResolvedFirstContact = firstContact && resolved, FcrTarget = fcrTarget, ResponseHours = fcrTarget is null ? null : 24,
        ContactReason = reason, ContactReasonKind = reason.Length == 0 ? "" : "topic", KnownEvent = knownEvent, Version = version,
    };

    private static async Task<TestDatabase> SeedAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        // March, team T: a1 has c1, c2, c3; a2 has c4. February: c0 (a2). c2 was first stored (version 1) with a price
        // disclosure that sank the customer; re-analysed (version 2) it has none.
        await db.Store.WriteMomentsOfTruthAsync([Moment("c2", Mar, "price_disclosure", 4, 0.5f, -0.5f, version: 1)]);
        await db.Store.WriteConversationsAsync([Rows.Conversation("c2", "a1", Mar, version: 1)]);
        await db.Store.WriteMomentsOfTruthAsync(
        [
            // price_disclosure in March: c1 -0.6 (0.2 -> -0.4), c4 -0.2 (0 -> -0.2): mean -0.4, one sink, no lift.
            // February: c0 -0.1, so the March trend is -0.3.
            Moment("c1", Mar, "price_disclosure", 5, 0.2f, -0.4f), Moment("c4", Mar, "price_disclosure", 3, 0f, -0.2f),
            Moment("c0", Feb, "price_disclosure", 3, 0f, -0.1f),
            // identity_check in March: c1 +0.4, c3 no customer turn after (not measured), c4 0.0: mean +0.2, one lift.
            Moment("c1", Mar, "identity_check", 2, -0.4f, 0f), Moment("c3", Mar, "identity_check", 2, 0.1f, null),
            Moment("c4", Mar, "identity_check", 1, 0f, 0f),
        ]);
        // Triage in March (4 contacts): claims c1 (first contact, resolved), c2 (repeat contact, resolved): FCR 1/2 against 0.6;
        // requests c3 (resolved), c4 (not resolved): FCR 1/2 against 0.9.
        // Reasons: billing_error c1 (after a bill), c2 (no event); delivery c4 (after the delivery date); c3 none.
        await db.Store.WriteTriageAsync(
        [
            Triage("c1", Mar, "claim", true, true, "billing_error", "bill", 0.6f), Triage("c2", Mar, "claim", false, true, "billing_error", "", 0.6f, version: 2),
            Triage("c3", Mar, "request", true, true, "", "", 0.9f), Triage("c4", Mar, "request", true, false, "delivery", "delivery_date", 0.9f),
            Triage("c0", Feb, "complaint", true, false),
        ]);
        // Negative load: c1 0.6, c2 0.2, c3 0, c4 0.2 (March total 1.0).
        await db.Store.WriteConversationsAsync(
        [
            Rows.Conversation("c0", "a2", Feb),
            Rows.Conversation("c1", "a1", Mar, negativeLoad: 0.6f, experienceIndex: 40),
            Rows.Conversation("c2", "a1", Mar, negativeLoad: 0.2f, experienceIndex: 60, version: 2),
            Rows.Conversation("c3", "a1", Mar, experienceIndex: 80),
            Rows.Conversation("c4", "a2", Mar, negativeLoad: 0.2f, experienceIndex: 70),
        ]);
        return db;
    }

    private static ReportFilter March => new() { Tenant = Rows.Tenant, Period = ReportPeriod.Month, From = Mar, To = Mar.AddDays(20) };

    [Fact]
    public async Task Moments_report_gives_the_mean_shift_lifts_sinks_and_trend_of_each_moment()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetMomentsReportAsync(March);

        var price = Assert.Single(report.Stats, s => s.Moment == "price_disclosure");
        Assert.Equal(new DateOnly(2024, 3, 1), price.Period);
        Assert.Equal(2, price.Occurrences); // c2's stale version-1 row is not current
        Assert.Equal(-0.4, price.MeanShift!.Value, 4);
        Assert.Equal(0.1, price.MeanBefore!.Value, 4);
        Assert.Equal(1, price.Sinks);
        Assert.Equal(0, price.Lifts);
        Assert.Equal(-0.1, price.PreviousMeanShift!.Value, 4);
        Assert.Equal(-0.3, price.Trend!.Value, 4);

        var identity = Assert.Single(report.Stats, s => s.Moment == "identity_check");
        Assert.Equal(3, identity.Occurrences);
        Assert.Equal(2, identity.Measured);
        Assert.Equal(0.2, identity.MeanShift!.Value, 4);
        Assert.Equal(1, identity.Lifts);
        Assert.Null(identity.Trend);
    }

    [Fact]
    public async Task Moments_report_compares_each_agent_with_the_team()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetMomentsReportAsync(March);

        // price_disclosure: a1 -0.6 (c1), team (c1, c4) -0.4: gap -0.2. a2 -0.2: gap +0.2.
        var a1 = Assert.Single(report.AgentGaps, g => g.AgentId == "a1" && g.Moment == "price_disclosure");
        Assert.Equal(-0.6, a1.AgentMeanShift, 4);
        Assert.Equal(-0.4, a1.TeamMeanShift, 4);
        Assert.Equal(-0.2, a1.Gap, 4);
        Assert.Equal(["c1"], a1.Examples);
        var a2 = Assert.Single(report.AgentGaps, g => g.AgentId == "a2" && g.Moment == "price_disclosure");
        Assert.Equal(0.2, a2.Gap, 4);
    }

    [Fact]
    public async Task Triage_report_gives_each_class_its_share_and_first_contact_resolution_against_the_target()
    {
        await using var db = await SeedAsync();
        var stats = await db.Reports.GetTriageReportAsync(March);

        Assert.DoesNotContain(stats, s => s.CaseClass == "complaint"); // February only
        var claim = Assert.Single(stats, s => s.CaseClass == "claim");
        Assert.Equal(2, claim.Contacts);
        Assert.Equal(0.5, claim.Share, 6);
        Assert.Equal(1, claim.ResolvedFirstContact);
        Assert.Equal(0.5, claim.FirstContactResolution, 6);
        Assert.Equal(0.6, claim.TargetFirstContactResolution!.Value, 5);
        Assert.False(claim.MeetsTarget);
        Assert.Equal(50, claim.MeanExperienceIndex, 4);
        var request = Assert.Single(stats, s => s.CaseClass == "request");
        Assert.Equal(0.5, request.FirstContactResolution, 6);
        Assert.Equal(24, request.TargetResponseHours!.Value, 4);
    }

    [Fact]
    public async Task Anticipation_report_ranks_reasons_by_predictability_volume_and_negative_emotion()
    {
        await using var db = await SeedAsync();
        var ranked = await db.Reports.GetAnticipationReportAsync(March);

        // billing_error: 2 of 4 contacts (0.5), negative 0.8 of 1.0, 1 of 2 after a bill: 0.5 x (0.5 + 0.8) / 2 = 0.325.
        // delivery: 1 of 4 (0.25), negative 0.2, 1 of 1 after the delivery date: 1 x (0.25 + 0.2) / 2 = 0.225.
        Assert.Equal(["billing_error", "delivery"], ranked.Select(c => c.Reason));
        var billing = ranked[0];
        Assert.Equal(0.5, billing.Predictability, 4);
        Assert.Equal(0.5, billing.VolumeShare, 4);
        Assert.Equal(0.8, billing.NegativeShare, 4);
        Assert.Equal(0.325, billing.Score, 4);
        Assert.Equal("bill", billing.Event);
        Assert.Equal(["c1", "c2"], billing.Examples); // most negative first
        Assert.Equal(0.225, ranked[1].Score, 4);
        Assert.Equal("delivery_date", ranked[1].Event);
    }
}
