using System.Text.Json;
using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class IndexAndMomentTests
{
    [Fact]
    public void Experience_index_ranks_a_good_call_above_a_bad_call()
    {
        var good = Calls.ConvertedBlockedCard().Analyze().ExperienceIndex;
        var recovered = Calls.AngryOnArrival().Analyze().ExperienceIndex;
        var polite = Calls.PoliteThanksUnresolved().Analyze().ExperienceIndex;
        var bad = Calls.AgentCausedDrop().Analyze().ExperienceIndex;
        Assert.True(good > polite, $"good {good} polite {polite}");
        Assert.True(recovered > polite, $"recovered {recovered} polite {polite}");
        Assert.True(polite > bad, $"polite {polite} bad {bad}");
        Assert.InRange(bad, 0, 40);
        Assert.InRange(good, 70, 100);
    }

    [Fact]
    public void Experience_index_follows_its_documented_formula()
    {
        var (index, c) = ExperienceIndex.Compute(endScore: 0.6, shift: 1.2, negativeLoad: 0.2, memorableCount: 1, ScoringConfig.Default.ExperienceIndex);
        Assert.Equal(0.8, c.EndValence, 6);
        Assert.Equal(0.8, c.Shift, 6);
        Assert.Equal(0.8, c.NegativeLoad, 6);
        Assert.Equal(1.0, c.Memorable, 6);
        Assert.Equal(82.0, index); // 100 × (0.45·0.8 + 0.15·0.8 + 0.30·0.8 + 0.10·1)
    }

    [Fact]
    public void Negative_load_is_the_duration_weighted_negative_valence_of_the_customer()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días", 0.2, duration: 2)
            .Customer("Me han cobrado una comisión", -0.6, duration: 10)
            .Customer("Bueno, lo consultaré con mi banco", 0.2, duration: 10)
            .Analyze();
        Assert.Equal(0.3, a.NegativeLoad, 4);
    }

    [Fact]
    public void Memorable_moment_after_a_negative_start_is_flagged()
    {
        var a = Calls.ConvertedBlockedCard().Analyze();
        var moment = Assert.Single(a.MemorableMoments);
        Assert.Equal(6, moment.Turn);
        Assert.True(moment.AfterNegativeStart);
        Assert.Equal("gratitude", moment.Reason);
    }

    [Fact]
    public void English_outage_ends_with_a_memorable_moment_and_a_conversion()
    {
        var a = Calls.ProductOutage().Analyze();
        var moment = Assert.Single(a.MemorableMoments);
        Assert.Equal(5, moment.Turn);
        Assert.True(moment.AfterNegativeStart);
        Assert.True(a.NegativeToPositive);
    }

    [Fact]
    public void Mild_positive_turns_are_not_memorable()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.3)
            .Customer("Quería saber el saldo de mi cuenta", 0.1)
            .Customer("Vale, genial, gracias", 0.4, "joy")
            .Analyze();
        Assert.Empty(a.MemorableMoments);
    }

    [Fact]
    public void Result_json_uses_the_agreed_snake_case_fields()
    {
        var a = Calls.AgentCausedDrop().Analyze();
        using var doc = JsonDocument.Parse(a.ToJson());
        var root = doc.RootElement;
        foreach (var name in new[]
                 {
                     "conversation_id", "utterances", "phases", "customer_start", "customer_end", "negative_to_positive", "shift",
                     "drivers", "primary_driver", "process_topic", "agent_focus", "experience_index", "memorable_moments", "alerts",
                 })
        {
            Assert.True(root.TryGetProperty(name, out _), $"missing '{name}'");
        }
        var u = root.GetProperty("utterances")[3];
        foreach (var name in new[] { "turn", "speaker", "valence", "label", "emotion", "phase" }) Assert.True(u.TryGetProperty(name, out _), name);
        Assert.Equal("customer", u.GetProperty("speaker").GetString());
        Assert.Equal(-1, root.GetProperty("customer_start").GetProperty("label").GetInt32());
        Assert.Equal("agent", root.GetProperty("primary_driver").GetString());
        Assert.Equal("ownership", root.GetProperty("agent_focus").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("drivers")[0].GetProperty("evidence_turns").ValueKind);
        Assert.Equal(a.ExperienceIndex, ConversationAnalysis.FromJson(a.ToJson())!.ExperienceIndex);
    }

    [Fact]
    public void Marker_kind_is_written_in_lower_case()
    {
        var a = new ConversationBuilder().Agent("Un momento [hold 2 min] ya estoy").Analyze();
        Assert.Contains("\"kind\":\"hold\"", a.ToJson(), StringComparison.Ordinal);
    }
}

public class LiveAlertTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static List<LiveAlert> Feed(ConversationBuilder b, LiveAlertMonitor? monitor = null)
    {
        var input = b.Build();
        monitor ??= new LiveAlertMonitor(input.ConversationId, ScoringProfile.Default);
        return input.Utterances.Select(u => monitor.Observe(u)).OfType<LiveAlert>().ToList();
    }

    [Fact]
    public void Alert_fires_when_the_customer_trend_turns_negative()
    {
        var alerts = Feed(new ConversationBuilder()
            .Customer("Quería consultar una cosa", 0.2)
            .Agent("Dígame")
            .Customer("Pues no me gusta nada lo que me dice", -0.3)
            .Agent("Es lo que hay")
            .Customer("Me parece fatal, esto es una vergüenza", -0.6));
        var alert = Assert.Single(alerts);
        Assert.Equal(4, alert.Turn);
        Assert.Equal("falling_trend", alert.Rule);
        Assert.Equal(-0.4, alert.Slope!.Value, 4);
        Assert.Contains("falling", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_mildly_negative_turn_does_not_fire()
    {
        var alerts = Feed(new ConversationBuilder()
            .Customer("Hola, quería consultar mi factura", 0.3)
            .Customer("Vaya, eso no me lo esperaba", -0.3)
            .Customer("Bueno, vale, lo entiendo", 0.2)
            .Customer("De acuerdo", 0.1));
        Assert.Empty(alerts);
    }

    [Fact]
    public void A_negative_stretch_fires_once_until_the_customer_recovers()
    {
        var alerts = Feed(new ConversationBuilder()
            .Customer("Esto no funciona", -0.5)
            .Customer("Sigue sin funcionar", -0.6)
            .Customer("Es una vergüenza", -0.7)
            .Customer("Ah, ahora sí funciona, genial", 0.8)
            .Customer("Vale", 0.3)
            .Customer("Uy, otra vez se ha caído", -0.6)
            .Customer("Esto es un desastre", -0.7));
        Assert.Equal([1, 5], alerts.Select(a => a.Turn));
        Assert.Equal("ewma_below", alerts[0].Rule);
        Assert.Equal("falling_trend", alerts[1].Rule);
    }

    [Fact]
    public void A_severe_first_turn_fires_at_once()
    {
        var alert = Assert.Single(Feed(new ConversationBuilder().Customer("¡Es una estafa! ¡Estoy harto!", -0.95, "anger")));
        Assert.Equal("severe_turn", alert.Rule);
    }

    [Fact]
    public void Alert_carries_the_delay_from_production()
    {
        var produced = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var monitor = new LiveAlertMonitor("c", ScoringProfile.Default, new FixedTime(produced.AddMilliseconds(37)));
        var u = new ConversationBuilder().Customer("¡Es una estafa!", -0.95).Build().Utterances[0];
        Assert.Equal(37.0, monitor.Observe(u, produced)!.DelayMs);
    }

    [Fact]
    public void Agent_turns_and_markers_are_ignored_by_the_monitor()
    {
        var alerts = Feed(new ConversationBuilder()
            .Agent("No es mi problema", -0.95)
            .Customer("[silencio 40s]")
            .Customer("Vale", 0.1));
        Assert.Empty(alerts);
    }

    [Fact]
    public void Analyze_replays_the_conversation_through_the_monitor()
    {
        var a = Calls.AgentCausedDrop().Analyze();
        var alert = Assert.Single(a.Alerts);
        Assert.Equal(5, alert.Turn);
        Assert.Null(alert.DelayMs);
    }

    [Fact]
    public void Alert_rule_thresholds_come_from_the_configuration()
    {
        var strict = new ScoringProfile(ScoringConfig.FromJson("""{"alerts": {"ewma_threshold": -0.2, "min_customer_turns": 1, "rearm_threshold": 0}}"""));
        var input = new ConversationBuilder().Customer("Vaya, eso no me lo esperaba", -0.3).Build();
        var monitor = new LiveAlertMonitor("c", strict);
        Assert.Equal("ewma_below", monitor.Observe(input.Utterances[0])!.Rule);
    }
}
