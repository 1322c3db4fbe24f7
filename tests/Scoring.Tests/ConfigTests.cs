using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class ConfigTests
{
    [Fact]
    public void Defaults_load_from_the_embedded_file_and_are_valid()
    {
        var o = ScoringConfig.Default;
        Assert.Equal(["opening", "identification", "exploration", "resolution", "closing"], o.Phases.Select(p => p.Name));
        Assert.Equal(
            ["fees", "billing_error", "wait_time", "transfers", "documentation", "account_blocked", "payment_plan", "delivery", "outage", "policy"],
            o.ProcessTopics.Select(t => t.Name));
        Assert.Equal(-0.25, o.Thresholds.NegativeValence);
        Assert.Empty(ScoringConfig.Validate(o));
    }

    [Fact]
    public void Default_file_in_the_repository_is_the_embedded_one()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "config", "scoring.default.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.FullName, "config", "scoring.default.json")), ScoringConfig.DefaultJson);
    }

    [Fact]
    public void Example_client_file_in_the_repository_loads_and_trains_its_topic_model()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "config", "scoring.example-client.json"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var o = ScoringConfig.Load(Path.Combine(dir.FullName, "config", "scoring.example-client.json"));
        Assert.Equal("acme-telecom", o.Name);
        Assert.Contains(o.ProcessTopics, t => t.Name == "roaming");
        Assert.DoesNotContain(o.ProcessTopics, t => t.Name == "documentation");
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Me ha llegado un cargo de itinerancia de 80 euros, es un abuso", -0.7, "anger")
            .Analyze(ConversationAnalyzer.Create(o));
        Assert.Equal("roaming", a.ProcessTopic);
    }

    [Fact]
    public void Client_file_merges_over_the_defaults()
    {
        var o = ScoringConfig.FromJson("""
            {
              // a client: stricter negatives, its own topic, fees disabled, more cues for policy
              "name": "acme",
              "thresholds": { "negative_valence": -0.4 },
              "process_topics": [
                { "name": "roaming", "cues": { "es": ["roaming", "itinerancia"] } },
                { "name": "fees", "enabled": false },
                { "name": "policy", "cues": { "es": ["normas de acme"] } }
              ],
            }
            """);
        Assert.Equal("acme", o.Name);
        Assert.Equal(-0.4, o.Thresholds.NegativeValence);
        Assert.Equal(0.25, o.Thresholds.PositiveValence);
        Assert.DoesNotContain(o.ProcessTopics, t => t.Name == "fees");
        Assert.Equal("roaming", o.ProcessTopics[^1].Name);
        var policy = o.ProcessTopics.Single(t => t.Name == "policy");
        Assert.Equal(["normas de acme"], policy.Cues["es"]);
        Assert.NotEmpty(policy.Cues["en"]);
        Assert.Equal(5, o.Phases.Count);
    }

    [Fact]
    public void Client_can_replace_the_phases_with_its_own()
    {
        var o = ScoringConfig.FromJson("""
            {
              "$replace": ["phases"],
              "phases": [
                { "name": "saludo", "cues": { "es": ["hola"] } },
                { "name": "gestion", "cues": { "es": ["le explico"] } },
                { "name": "despedida", "cues": { "es": ["adios"] } }
              ],
              "phase_position_bounds": [0.2, 0.8],
              "resolution_phases": ["gestion", "despedida"],
              "agent_substance_phase": "gestion"
            }
            """);
        var profile = new ScoringProfile(o);
        var phases = PhaseInferer.Infer(new ConversationBuilder().Agent("Hola").Customer("Quiero saber algo").Agent("Le explico").Customer("Adiós").Build().Utterances, profile);
        Assert.Equal(["saludo", "gestion", "gestion", "despedida"], phases);
    }

    [Theory]
    [InlineData("""{"thresholds": {"negative_valence": 0.3}}""", "'thresholds.negative_valence' must be in [-1, 0), got 0.3")]
    [InlineData("""{"thresholds": {"hold_seconds": 0}}""", "'thresholds.hold_seconds'")]
    [InlineData("""{"phase_position_bounds": [0.5, 0.2, 0.7, 0.9]}""", "'phase_position_bounds[1]'")]
    [InlineData("""{"phase_position_bounds": [0.5]}""", "'phase_position_bounds' must have 4 values")]
    [InlineData("""{"resolution_phases": ["solucion"]}""", "'resolution_phases[0]' names unknown phase 'solucion'")]
    [InlineData("""{"driver_weights": {"unexplained_driver": "weather"}}""", "'driver_weights.unexplained_driver'")]
    [InlineData("""{"alerts": {"ewma_alpha": 1.5}}""", "'alerts.ewma_alpha'")]
    [InlineData("""{"alerts": {"rearm_threshold": -0.5}}""", "'alerts.rearm_threshold'")]
    [InlineData("""{"process_topics": [{"name": "none"}]}""", "cannot be 'none'")]
    [InlineData("""{"topic_model": {"examples": [{"text": "hola", "topic": "roaming"}, {"text": "x", "topic": "fees"}]}}""", "'topic_model.examples[0].topic' names unknown topic 'roaming'")]
    public void Invalid_setting_is_rejected_with_its_name(string json, string expected)
    {
        var ex = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson(json, "'acme.json'"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'acme.json'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_setting_is_rejected_with_its_path()
    {
        var ex = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson("""{"thresholds": {"negativ_valence": -0.3}}"""));
        Assert.Contains("negativ_valence", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_is_rejected_with_its_path()
    {
        var ex = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson("""{"thresholds": {"hold_seconds": "sixty"}}"""));
        Assert.Contains("thresholds.hold_seconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_and_missing_file_say_so()
    {
        Assert.Contains("not valid JSON", Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson("{ nope")).Message, StringComparison.Ordinal);
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        Assert.Contains(missing, Assert.Throws<ScoringConfigException>(() => ScoringConfig.Load(missing)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_client_file()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"name": "file-client", "thresholds": {"hold_seconds": 30}}""");
        try
        {
            var o = ScoringConfig.Load(path);
            Assert.Equal("file-client", o.Name);
            Assert.Equal(30, o.Thresholds.HoldSeconds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Client_cue_changes_what_the_analyzer_attributes()
    {
        var analyzer = new ConversationAnalyzer(new ScoringProfile(ScoringConfig.FromJson("""
            {"process_topics": [{ "name": "roaming", "cues": { "es": ["roaming"] } }]}
            """)));
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Me ha llegado un cargo de roaming carísimo, es un abuso", -0.7)
            .Analyze(analyzer);
        Assert.Equal("roaming", a.ProcessTopic);
    }
}
