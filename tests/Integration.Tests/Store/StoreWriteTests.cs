using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

public class StoreWriteTests
{
    private static readonly DateOnly Day = new(2024, 3, 7);

    [Fact]
    public async Task Writing_the_same_batch_twice_leaves_one_row_per_key_in_reads()
    {
        // Batch size 4 splits the 10 utterances into three INSERTs.
        await using var db = await TestDatabase.CreateMigratedAsync(batchSize: 4);
        var utterances = Enumerable.Range(0, 10).Select(t => Rows.Utterance("c1", Day, t)).ToList();
        var conversation = new ConversationRows(
            Rows.Conversation("c1", "a1", Day, startedNegative: true, converted: true, negativeLoad: 1, driverAgent: 1),
            utterances,
            [Rows.Phase("c1", Day, "opening", -0.5f)],
            [Rows.ProcessDriver("c1", Day, "fees", 0.5f)],
            [Rows.Behaviour("c1", Day, "interruptions", 2)],
            [Rows.Moment("c1", Day, 5, 0.9f)],
            []);

        await db.Store.WriteAsync(conversation);
        await db.Store.WriteAsync(conversation);

        Assert.Equal(10, (await db.Store.ReadUtterancesAsync(Rows.Tenant, "c1")).Count);
        var stored = await db.Store.ReadConversationAsync(Rows.Tenant, "c1");
        Assert.NotNull(stored);
        Assert.Single(stored.Phases);
        Assert.Single(stored.Drivers);
        Assert.Single(stored.Behaviours);
        Assert.Single(stored.MemorableMoments);
        var counts = await db.Store.QueryAsync<CountRow>("SELECT count() AS n FROM v_conversations");
        Assert.Equal(1, counts[0].N);
    }

    [Fact]
    public async Task A_higher_version_replaces_the_row_and_hides_analysis_rows_it_no_longer_has()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.Store.WriteAsync(new ConversationRows(
            Rows.Conversation("c1", "a1", Day, experienceIndex: 40, version: 1), [], [], [], [],
            [Rows.Moment("c1", Day, 3, 0.8f, version: 1), Rows.Moment("c1", Day, 7, 0.95f, version: 1)], []));
        await db.Store.WriteAsync(new ConversationRows(
            Rows.Conversation("c1", "a1", Day, experienceIndex: 75, version: 2), [], [], [], [],
            [Rows.Moment("c1", Day, 7, 0.9f, version: 2)], []));

        var stored = await db.Store.ReadConversationAsync(null, "c1");
        Assert.NotNull(stored);
        Assert.Equal(75f, stored.Conversation.ExperienceIndex);
        var moment = Assert.Single(stored.MemorableMoments);
        Assert.Equal(7u, moment.Turn);
        Assert.Single(await db.Store.QueryAsync<CountRow>("SELECT count() AS n FROM v_memorable_moments HAVING n = 1"));
    }

    [Fact]
    public async Task Every_row_type_round_trips_unchanged()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var utterance = Rows.Utterance("c1", Day, 1, text: "¿Por qué me cobran 'comisión'? \\ \"ya\"");
        var conversation = Rows.Conversation("c1", "a1", Day, startedNegative: true, converted: true, negativeLoad: 1.5f, driverAgent: 0.25f, driverProcess: 0.5f, moments: 1);
        var phase = Rows.Phase("c1", Day, "exploration", -0.375f);
        var driver = Rows.ProcessDriver("c1", Day, "fees", 0.5f);
        var behaviour = Rows.Behaviour("c1", Day, "hold_time", 2) with { Seconds = 95.5f };
        var moment = Rows.Moment("c1", Day, 9, 0.875f);
        var alert = new AlertRow
        {
            Tenant = Rows.Tenant, ConversationId = "c1", Date = Day, Turn = 4, Rule = "falling_trend", Reason = "ewma -0.4 < -0.3",
            ValenceTrend = -0.25f, Source = AlertRow.Live,
            ProducedAt = new DateTime(2024, 3, 7, 10, 0, 4, DateTimeKind.Utc), ProducedAtMs = 1_709_805_604_100,
            AlertedAt = new DateTime(2024, 3, 7, 10, 0, 4, DateTimeKind.Utc), AlertedAtMs = 1_709_805_604_350, DelayMs = 250, Version = 1,
        };
        var survey = new ConversationEventRow
        {
            Tenant = Rows.Tenant, ConversationId = "c1", Date = Day, Kind = ConversationEventRow.SurveyKind, Nps = 9, Csat = 4.5f,
            QaScore = null, ReceivedAt = new DateTime(2024, 3, 7, 11, 0, 0, DateTimeKind.Utc), Version = 3,
        };

        // The store writes the rows with the console's columns: the conversation's agent, team, campaign and queue on the
        // analysis rows, the count of each kind on the conversation row (migration 0009).
        var written = new ConversationRows(conversation, [utterance], [phase], [driver], [behaviour], [moment], [alert]).WithConsoleColumns();
        Assert.Equal(("a1", "T", "cards", "q1"), (written.Phases[0].AgentId, written.Phases[0].TeamId, written.Phases[0].Campaign, written.Phases[0].Queue));
        Assert.Equal((1, 1, 1, 1), (written.Conversation.PhaseRows, written.Conversation.DriverRows, written.Conversation.BehaviourRows, written.Conversation.MomentRows));
        (conversation, phase, driver, behaviour, moment) = (written.Conversation, written.Phases[0], written.Drivers[0], written.Behaviours[0], written.MemorableMoments[0]);
        await db.Store.WriteAsync(new ConversationRows(conversation, [utterance], [phase], [driver], [behaviour], [moment], [alert]));
        await db.Store.WriteEventsAsync([survey]);

        var stored = await db.Store.ReadConversationAsync(Rows.Tenant, "c1");
        Assert.NotNull(stored);
        Assert.Equal(RowJson.Serialize(conversation), RowJson.Serialize(stored.Conversation));
        Assert.Equal(RowJson.Serialize(utterance), RowJson.Serialize(Assert.Single(stored.Utterances)));
        Assert.Equal(RowJson.Serialize(phase), RowJson.Serialize(Assert.Single(stored.Phases)));
        Assert.Equal(RowJson.Serialize(driver), RowJson.Serialize(Assert.Single(stored.Drivers)));
        Assert.Equal(RowJson.Serialize(behaviour), RowJson.Serialize(Assert.Single(stored.Behaviours)));
        Assert.Equal(RowJson.Serialize(moment), RowJson.Serialize(Assert.Single(stored.MemorableMoments)));
        Assert.Equal(RowJson.Serialize(alert), RowJson.Serialize(Assert.Single(stored.Alerts)));
        Assert.Equal(RowJson.Serialize(survey), RowJson.Serialize(Assert.Single(stored.Events)));
    }

    [Fact]
    public async Task Reading_a_conversation_that_is_not_stored_gives_null()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        Assert.Null(await db.Store.ReadConversationAsync(null, "missing"));
    }

    private sealed record CountRow(long N);
}
