namespace Emotion.Scoring.Tests;

/// <summary>
/// The compiled answer models (<see cref="CompiledAnswer"/>) against the ML.NET engine they were read from: the same
/// class probabilities on every conversation of the written corpus, on texts full of what the text normalizer removes,
/// and for models trained here.
/// </summary>
public sealed class CompiledAnswerTests : IClassFixture<AnswerFixture>
{
    private const double Tolerance = 1e-6;
    private readonly AnswerFixture _fixture;

    public CompiledAnswerTests(AnswerFixture fixture) => _fixture = fixture;

    private static (AnswerModel Compiled, AnswerModel Reference) Shipped()
    {
        var directory = Path.Combine(WrittenCorpus.Root, AnswerModel.ShippedDirectory);
        var manifest = AnswerModel.ReadManifest(directory);
        return (AnswerModel.Load(directory, manifest, compile: true), AnswerModel.Load(directory, manifest, compile: false));
    }

    [Fact]
    public void Every_shipped_answer_model_is_compiled_and_the_reference_is_not()
    {
        var (compiled, reference) = Shipped();
        Assert.All(compiled.Engines, kv => Assert.True(kv.Value == "compiled", kv.Key + ": " + kv.Value));
        Assert.All(reference.Engines, kv => Assert.StartsWith("ml.net", kv.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Compiled_answers_give_the_ml_net_probabilities_on_every_corpus_conversation()
    {
        var (compiled, reference) = Shipped();
        var analyzer = new ConversationAnalyzer(new ScoringProfile(ScoringConfig.Default));
        var conversations = 0;
        var worst = 0.0;
        var worstAt = "";
        foreach (var input in WrittenCorpus.Conversations())
        {
            var reading = analyzer.Read(input);
            var features = AnswerFeatures.From(reading, analyzer.Profile, compiled.Manifest.Topics);
            var diff = MaxDifference(compiled.Probabilities(features), reference.Probabilities(features));
            if (diff > worst) (worst, worstAt) = (diff, input.ConversationId);
            conversations++;
        }
        Assert.True(conversations > 1000, $"only {conversations} corpus conversations read");
        Assert.True(worst < Tolerance, $"largest probability difference {worst:g3} (conversation {worstAt})");
    }

    [Theory]
    [InlineData("¡¡Señora!! Le cobraron 12,50 € el 3/11... ¿de verdad? | | ÑANDÚ Çava Ǣ ÀÉÎÕÜ", "  dos   espacios\tun tab | ||| fin ")]
    [InlineData("", "")]
    [InlineData("123 456", "...")]
    [InlineData("a", "x | y")]
    [InlineData("no me devolvieron la comision | quiero darme de baja | es la tercera vez que llamo", "lamento las molestias | lo reviso ahora mismo")]
    public void Texts_the_normalizer_changes_give_the_same_probabilities(string customer, string agent)
    {
        var (compiled, reference) = Shipped();
        var names = compiled.Manifest.Features;
        var random = new Random(3);
        for (var round = 0; round < 5; round++)
        {
            var values = names.Select(_ => round == 0 ? 0f : (float)Math.Round(random.NextDouble() * 3 - 1, 2)).ToArray();
            var features = new AnswerFeatureVector(names, values, customer, agent, customer, agent);
            var diff = MaxDifference(compiled.Probabilities(features), reference.Probabilities(features));
            Assert.True(diff < Tolerance, $"round {round}: largest probability difference {diff:g3}");
        }
    }

    [Fact]
    public void Models_trained_here_are_compiled_and_agree_with_their_ml_net_form()
    {
        var manifest = AnswerModel.ReadManifest(_fixture.Directory);
        var compiled = AnswerModel.Load(_fixture.Directory, manifest, compile: true);
        var reference = AnswerModel.Load(_fixture.Directory, manifest, compile: false);
        Assert.All(compiled.Engines, kv => Assert.True(kv.Value == "compiled", kv.Key + ": " + kv.Value));
        var analyzer = new ConversationAnalyzer(new ScoringProfile(ScoringConfig.Default));
        foreach (var c in _fixture.Data)
        {
            var features = AnswerFeatures.From(analyzer.Read(c.Input), analyzer.Profile, manifest.Topics);
            Assert.True(MaxDifference(compiled.Probabilities(features), reference.Probabilities(features)) < Tolerance, c.Input.ConversationId);
        }
    }

    [Fact]
    public void A_learner_the_compiler_does_not_know_keeps_the_ml_net_engine_and_says_why()
    {
        var options = AnswerFixture.Options with
        {
            Version = "answers-maxent",
            Learners = AnswerNames.All.ToDictionary(a => a, a => new AnswerLearnerSettings { Kind = a == AnswerNames.AgentFocus ? "maxent" : "lightgbm", Iterations = 10, MinLeaf = 3 }),
        };
        var model = AnswerModelTrainer.Train(_fixture.Data, ScoringConfig.Default, options);
        Assert.Equal("ml.net: learner 'maxent' is run by ML.NET", model.Engines[AnswerNames.AgentFocus]);
        Assert.Equal("compiled", model.Engines[AnswerNames.CustomerStart]);
        var analyzer = new ConversationAnalyzer(new ScoringProfile(ScoringConfig.Default));
        var p = model.Probabilities(AnswerFeatures.From(analyzer.Read(_fixture.Data[0].Input), analyzer.Profile, model.Manifest.Topics));
        Assert.Equal(1.0, p[AnswerNames.AgentFocus].Values.Sum(), 4);
    }

    private static double MaxDifference(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> a, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> b)
    {
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        var worst = 0.0;
        foreach (var (answer, classes) in b)
        {
            Assert.Equal(classes.Keys.Order(), a[answer].Keys.Order());
            foreach (var (name, p) in classes) worst = Math.Max(worst, Math.Abs(p - a[answer][name]));
        }
        return worst;
    }
}
