using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>Aggregates over hand-made rows whose answers are worked out in the comments.</summary>
public class ReportQueriesTests
{
    private static readonly DateOnly Feb = new(2024, 2, 10);
    private static readonly DateOnly Mar = new(2024, 3, 5);

    private static async Task<TestDatabase> SeedAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        // Team T, March. a1: c1 (neg start, converted, load 2, agent 0.5, EI 80), c2 (neg start, not converted, load 1,
        // agent 1, EI 40), c3 (no negativity, EI 70). a2: c4 (neg start, converted, load 1, agent 0, EI 90).
        // c2 was first stored as converted (version 1), then re-analysed as not converted (version 2).
        // February: c0 (a2, EI 50).
        var c2Old = Rows.Conversation("c2", "a1", Mar, startedNegative: true, converted: true, negativeLoad: 1, driverAgent: 1, experienceIndex: 95, version: 1);
        await db.Store.WriteConversationsAsync([c2Old]);
        var conversations = new[]
        {
            Rows.Conversation("c0", "a2", Feb, experienceIndex: 50),
            Rows.Conversation("c1", "a1", Mar, startedNegative: true, converted: true, negativeLoad: 2, driverAgent: 0.5f, driverProcess: 0.5f, experienceIndex: 80, moments: 1),
            Rows.Conversation("c2", "a1", Mar, startedNegative: true, converted: false, negativeLoad: 1, driverAgent: 1, experienceIndex: 40, version: 2),
            Rows.Conversation("c3", "a1", Mar, experienceIndex: 70),
            Rows.Conversation("c4", "a2", Mar, startedNegative: true, converted: true, negativeLoad: 1, driverAgent: 0, driverProcess: 0.1f, experienceIndex: 90, moments: 1),
        };
        // Customer opening valence: a1 -0.5, -0.3, 0.2 (mean -0.2); a2 0.6; team mean 0.0.
        await db.Store.WritePhasesAsync(
        [
            Rows.Phase("c1", Mar, "opening", -0.5f), Rows.Phase("c2", Mar, "opening", -0.3f, version: 2),
            Rows.Phase("c3", Mar, "opening", 0.2f), Rows.Phase("c4", Mar, "opening", 0.6f),
            Rows.Phase("c1", Mar, "opening", 0.9f, speaker: "agent"),
        ]);
        // Interruptions per contact: a1 (2 + 0 + 1) / 3 = 1; team 3 / 4 = 0.75. Empathy: a1 0, a2 1.
        await db.Store.WriteBehavioursAsync(
        [
            Rows.Behaviour("c1", Mar, "interruptions", 2), Rows.Behaviour("c2", Mar, "interruptions", 0, version: 2),
            Rows.Behaviour("c3", Mar, "interruptions", 1), Rows.Behaviour("c4", Mar, "interruptions", 0),
            Rows.Behaviour("c1", Mar, "empathy", 0), Rows.Behaviour("c2", Mar, "empathy", 0, version: 2),
            Rows.Behaviour("c3", Mar, "empathy", 0), Rows.Behaviour("c4", Mar, "empathy", 1),
        ]);
        // Process topics in March: fees 0.3 + 0.1 = 0.4, billing_error 0.2.
        await db.Store.WriteDriversAsync(
        [
            Rows.ProcessDriver("c1", Mar, "fees", 0.3f), Rows.ProcessDriver("c1", Mar, "billing_error", 0.2f),
            Rows.ProcessDriver("c4", Mar, "fees", 0.1f),
        ]);
        await db.Store.WriteMemorableMomentsAsync([Rows.Moment("c1", Mar, 5, 0.9f), Rows.Moment("c4", Mar, 3, 0.8f)]);
        // QA: c1 90 (EI 80), c2 85 (EI 40), c3 95 then corrected to 50 (EI 70); c4 none.
        await db.Store.WriteEventsAsync(
        [
            Rows.Qa("c1", Mar, 90), Rows.Qa("c2", Mar, 85), Rows.Qa("c3", Mar, 95, version: 1), Rows.Qa("c3", Mar, 50, version: 2),
        ]);
        await db.Store.WriteConversationsAsync(conversations);
        return db;
    }

    [Fact]
    public async Task Agent_report_computes_conversion_rate_agent_share_and_mean_index()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetAgentReportAsync(new ReportFilter { Tenant = Rows.Tenant, Period = ReportPeriod.Month, From = Mar, To = Mar.AddDays(20) });

        var a1 = Assert.Single(report.Stats, s => s.AgentId == "a1");
        Assert.Equal(new DateOnly(2024, 3, 1), a1.Period);
        Assert.Equal(3, a1.Contacts);
        Assert.Equal(2, a1.StartedNegative);
        Assert.Equal(1, a1.Converted);
        Assert.Equal(0.5, a1.ConversionRate!.Value, 6);
        Assert.Equal(2.0 / 3.0, a1.AgentNegativeShare!.Value, 6);
        Assert.Equal(190.0 / 3.0, a1.MeanExperienceIndex!.Value, 4);

        var a2 = Assert.Single(report.Stats, s => s.AgentId == "a2");
        Assert.Equal(1.0, a2.ConversionRate!.Value, 6);
        Assert.Equal(0.0, a2.AgentNegativeShare!.Value, 6);
    }

    [Fact]
    public async Task Conversion_rate_is_null_when_no_contact_started_negative()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetAgentReportAsync(new ReportFilter { AgentId = "a2", Period = ReportPeriod.Month, To = Feb.AddDays(5) });
        var feb = Assert.Single(report.Stats);
        Assert.Equal(new DateOnly(2024, 2, 1), feb.Period);
        Assert.Null(feb.ConversionRate);
        Assert.Null(feb.AgentNegativeShare);
    }

    [Fact]
    public async Task Phase_and_behaviour_gaps_compare_the_agent_with_the_team_and_become_focus_areas()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetAgentReportAsync(new ReportFilter { AgentId = "a1", Period = ReportPeriod.Month, From = Mar });

        var opening = Assert.Single(report.PhaseGaps);
        Assert.Equal("opening", opening.Phase);
        Assert.Equal(-0.2, opening.AgentMeanValence, 5);
        Assert.Equal(0.0, opening.TeamMeanValence, 5);
        Assert.Equal(-0.2, opening.Gap, 5);
        Assert.Equal(["c1", "c2", "c3"], opening.Examples);

        var interruptions = Assert.Single(report.BehaviourGaps, b => b.Behaviour == "interruptions");
        Assert.Equal(1.0, interruptions.AgentPerContact, 5);
        Assert.Equal(0.75, interruptions.TeamPerContact, 5);
        Assert.Equal(["c1", "c3"], interruptions.Examples);
        var empathy = Assert.Single(report.BehaviourGaps, b => b.Behaviour == "empathy");
        Assert.Equal(-0.25, empathy.Gap, 5);

        var focus = Assert.Single(report.Focus);
        Assert.Equal("a1", focus.AgentId);
        Assert.Equal([("behaviour", "interruptions"), ("phase", "opening")], focus.Areas.Select(a => (a.Kind, a.Name)));
    }

    [Fact]
    public async Task Quadrants_split_contacts_by_qa_score_and_experience_index()
    {
        await using var db = await SeedAsync();
        var filter = new ReportFilter { Tenant = Rows.Tenant, Period = ReportPeriod.Month, From = Mar };

        var quadrants = await db.Reports.GetQuadrantsAsync(filter);
        Assert.Equal(
            [(Quadrants.HighQaHighExperience, 1L), (Quadrants.HighQaLowExperience, 1L), (Quadrants.LowQaHighExperience, 1L)],
            quadrants.Select(q => (q.Quadrant, q.Contacts)));
        Assert.Equal(["c3"], Assert.Single(quadrants, q => q.Quadrant == Quadrants.LowQaHighExperience).Examples);
        Assert.Equal(50, Assert.Single(quadrants, q => q.Quadrant == Quadrants.LowQaHighExperience).MeanQaScore, 5);

        var custom = await db.Reports.GetQuadrantsAsync(filter, new QuadrantThresholds(QaScore: 95, ExperienceIndex: 30));
        var only = Assert.Single(custom);
        Assert.Equal((Quadrants.LowQaHighExperience, 3L), (only.Quadrant, only.Contacts));
    }

    [Fact]
    public async Task Client_report_gives_the_trend_against_the_previous_period_top_process_drivers_and_moments()
    {
        await using var db = await SeedAsync();
        var report = await db.Reports.GetClientReportAsync(new ReportFilter { Tenant = Rows.Tenant, Campaign = "cards", Period = ReportPeriod.Month, From = Mar });

        var march = Assert.Single(report.Stats);
        Assert.Equal(new DateOnly(2024, 3, 1), march.Period);
        Assert.Equal(4, march.Contacts);
        Assert.Equal(70.0, march.MeanExperienceIndex, 4);
        Assert.Equal(50.0, march.PreviousMeanExperienceIndex!.Value, 4);
        Assert.Equal(20.0, march.Trend!.Value, 4);
        Assert.Equal(2.0 / 3.0, march.ConversionRate!.Value, 6);
        Assert.Equal(2, march.MemorableMoments);

        Assert.Equal(["fees", "billing_error"], report.TopProcessDrivers.Select(d => d.Topic));
        Assert.Equal(0.4, report.TopProcessDrivers[0].ShareSum, 5);
        Assert.Equal(2, report.TopProcessDrivers[0].Contacts);
        Assert.Equal(["c1", "c4"], report.MemorableMoments.Select(m => m.ConversationId));
    }

    [Fact]
    public async Task Dashboard_views_roll_up_daily_sums_to_the_same_rates()
    {
        await using var db = await SeedAsync();
        var rows = await db.Store.QueryAsync<RateRow>(
            "SELECT agent_id, sum(converted_contacts) / sum(started_negative_contacts) AS rate, sum(agent_negative_load_sum) / sum(negative_load_sum) AS share " +
            "FROM v_agent_daily WHERE toStartOfMonth(date) = toDate('2024-03-01') GROUP BY agent_id ORDER BY agent_id");
        Assert.Equal("a1", rows[0].AgentId);
        Assert.Equal(0.5, rows[0].Rate, 6);
        Assert.Equal(2.0 / 3.0, rows[0].Share, 6);
        var topics = await db.Store.QueryAsync<TopicRow>(
            "SELECT topic, sum(share_sum) AS s FROM v_process_drivers_daily GROUP BY topic ORDER BY s DESC");
        Assert.Equal("fees", topics[0].Topic);
        var quadrants = await db.Store.QueryAsync<QuadrantRow>("SELECT quadrant, count() AS n FROM v_quality_experience GROUP BY quadrant ORDER BY quadrant");
        Assert.Equal(3, quadrants.Count);
    }

    private sealed record RateRow(string AgentId, double Rate, double Share);

    private sealed record TopicRow(string Topic, double S);

    private sealed record QuadrantRow(string Quadrant, long N);
}
