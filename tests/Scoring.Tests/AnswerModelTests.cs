using System.Globalization;

namespace Emotion.Scoring.Tests;

/// <summary>A small labelled fixture, and answer models trained on it once (into a temporary directory).</summary>
public sealed class AnswerFixture : IDisposable
{
    public static readonly AnswerTrainingOptions Options = new()
    {
        Version = "answers-test",
        Seed = 7,
        Learners = AnswerNames.All.ToDictionary(a => a, a => new AnswerLearnerSettings
        {
            Kind = "lightgbm",
            Texts = a is AnswerNames.PrimaryDriver or AnswerNames.ProcessTopic ? ["customer"] : [],
            Iterations = 25,
            MinLeaf = 3,
            LearningRate = 0.2,
        }),
    };

    public AnswerFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "emotion-answers-" + Guid.NewGuid().ToString("N"));
        Data = Conversations();
        Model = AnswerModelTrainer.Train(Data, ScoringConfig.Default, Options, Directory);
    }

    public string Directory { get; }
    public IReadOnlyList<LabelledConversation> Data { get; }
    public AnswerModel Model { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Four stories, twelve variants each: a fee complaint turned around, a calm query, an agent who passes the buck, a broken router.</summary>
    public static IReadOnlyList<LabelledConversation> Conversations()
    {
        var list = new List<LabelledConversation>();
        for (var i = 0; i < 12; i++)
        {
            var n = (i + 3).ToString(CultureInfo.InvariantCulture);
            var group = "g" + (i % 3).ToString(CultureInfo.InvariantCulture);
            var shade = i * 0.02;
            list.Add(new(Fees(i).Build(), group, new AnswerLabels(-1, 1, true, Drivers.Process, "fees", AgentBehaviours.None)));
            list.Add(new(Calm(i).Build(), group, new AnswerLabels(0, 0, false, Drivers.None, Drivers.None, AgentBehaviours.None)));
            list.Add(new(new ConversationBuilder("own-" + n)
                .Agent("Buenos días, le atiende Carlos, ¿en qué puedo ayudarle?", 0.2)
                .Customer($"Tengo una duda con la factura número {n} que me llegó", 0.0 + shade)
                .Agent("Eso no es mi área, tendrá que llamar a otro departamento", -0.3)
                .Customer("Qué mala atención, nadie me ayuda, me parece fatal", -0.7 - shade, "anger")
                .Agent("Pues no puedo hacer nada", -0.2)
                .Customer("Vaya servicio, de verdad", -0.6, "anger")
                .Build(), group, new AnswerLabels(0, -1, false, Drivers.Agent, Drivers.None, AgentBehaviours.Ownership)));
            list.Add(new(new ConversationBuilder("prod-" + n)
                .Agent("Hola, soporte técnico, ¿en qué le ayudo?", 0.2)
                .Customer($"El router no funciona desde hace {n} días y estoy sin internet, estoy harto", -0.6 - shade, "anger")
                .Agent("Lamento mucho las molestias, vamos a revisar la línea", 0.1)
                .Customer("Es que trabajo desde casa y no puedo hacer nada sin conexión", -0.5, "anger")
                .Agent("Le enviaremos un técnico mañana por la mañana", 0.1)
                .Customer("Bueno, a ver si de verdad lo arreglan, sigue sin funcionar", -0.4, "sadness")
                .Build(), group, new AnswerLabels(-1, -1, false, Drivers.Product, Drivers.None, AgentBehaviours.None)));
        }
        return list;
    }

    internal static ConversationBuilder Fees(int i) => new ConversationBuilder("fees-" + i.ToString(CultureInfo.InvariantCulture))
        .Agent("Buenos días, gracias por llamar, ¿en qué puedo ayudarle?", 0.2)
        .Customer($"Me han cobrado una comisión de {i + 10} euros que no corresponde, estoy muy molesto", -0.7 - i * 0.01, "anger")
        .Agent("Lo siento mucho, lo reviso ahora mismo", 0.1)
        .Customer("Es que siempre me cobran esa comisión y no es justo", -0.5, "anger")
        .Agent("Ya le he devuelto la comisión, lo verá mañana en su cuenta", 0.3)
        .Customer("Genial, muchísimas gracias, qué alivio", 0.8, "joy");

    internal static ConversationBuilder Calm(int i) => new ConversationBuilder("calm-" + i.ToString(CultureInfo.InvariantCulture))
        .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
        .Customer($"Quería consultar el saldo de la cuenta que termina en {i + 20}", 0.0)
        .Agent("Claro, su saldo es de mil doscientos euros", 0.1)
        .Customer("Perfecto, entendido, era solo eso", 0.1 + i * 0.01)
        .Agent("Que tenga un buen día", 0.2)
        .Customer("Igualmente, adiós", 0.2);
}

public class AnswerModelTests(AnswerFixture fixture) : IClassFixture<AnswerFixture>
{
    private ConversationAnalyzer Learned(ScoringOptions? options = null) =>
        new(new ScoringProfile(options ?? ScoringConfig.Default), null, fixture.Model);

    [Fact]
    public void Training_on_the_fixture_is_deterministic()
    {
        var again = AnswerModelTrainer.Train(fixture.Data, ScoringConfig.Default, AnswerFixture.Options);
        var analyzer = new ConversationAnalyzer(ScoringProfile.Default);
        foreach (var c in fixture.Data)
        {
            var features = analyzer.Features(c.Input, fixture.Model.Manifest.Topics);
            var a = fixture.Model.Probabilities(features);
            var b = again.Probabilities(features);
            foreach (var answer in AnswerNames.All)
            {
                Assert.Equal(a[answer].OrderBy(kv => kv.Key, StringComparer.Ordinal), b[answer].OrderBy(kv => kv.Key, StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void Saved_models_load_and_answer_with_their_confidence()
    {
        var loaded = AnswerModel.Load(fixture.Directory);
        Assert.Equal("answers-test", loaded.Version);
        Assert.Equal(AnswerModel.FeatureNames(loaded.Manifest.Topics), loaded.Manifest.Features);
        var a = new ConversationAnalyzer(ScoringProfile.Default, null, loaded).Analyze(AnswerFixture.Fees(40).Build());
        Assert.NotNull(a.Answers);
        Assert.Equal("answers-test", a.Answers!.Model);
        Assert.Equal(-1, a.CustomerStart.Label);
        Assert.Equal(1, a.CustomerEnd.Label);
        Assert.True(a.NegativeToPositive);
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("fees", a.ProcessTopic);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        foreach (var d in new[] { a.Answers.CustomerStart, a.Answers.CustomerEnd, a.Answers.NegativeToPositive, a.Answers.PrimaryDriver, a.Answers.ProcessTopic, a.Answers.AgentFocus })
        {
            Assert.Equal("learned", d.Source);
            Assert.InRange(d.Confidence!.Value, 0.0, 1.0);
        }
        Assert.Equal("fees", a.Answers.ProcessTopic.Answer);
        Assert.Equal("true", a.Answers.NegativeToPositive.Answer);
        // The JSON carries them.
        var json = a.ToJson();
        Assert.Contains("\"answers\":{\"model\":\"answers-test\"", json, StringComparison.Ordinal);
        var read = ConversationAnalysis.FromJson(json)!.Answers!;
        Assert.Equal(a.Answers.ProcessTopic.Confidence, read.ProcessTopic.Confidence);
        Assert.Equal(a.Answers.PrimaryDriver.EvidenceTurns, read.PrimaryDriver.EvidenceTurns);
    }

    [Fact]
    public void Driver_shares_sum_to_one_and_every_answer_keeps_its_evidence_turns()
    {
        var a = Learned().Analyze(AnswerFixture.Fees(41).Build());
        Assert.Equal(1.0, a.Drivers.Sum(d => d.Share), 9);
        Assert.Equal(a.PrimaryDriver, a.Drivers.OrderByDescending(d => d.Share).First().Driver);
        var primary = a.Drivers.Single(d => d.Driver == a.PrimaryDriver);
        Assert.NotEmpty(primary.EvidenceTurns);
        Assert.All(a.Drivers.Where(d => d.Share > 0), d => Assert.NotEmpty(d.EvidenceTurns));
        Assert.Contains(1, primary.EvidenceTurns);   // the customer's complaint about the fee
        Assert.Equal(a.CustomerStart.Turns, a.Answers!.CustomerStart.EvidenceTurns);
        Assert.NotEmpty(a.Answers.CustomerStart.EvidenceTurns);
        Assert.NotEmpty(a.Answers.CustomerEnd.EvidenceTurns);
        Assert.NotEmpty(a.Answers.PrimaryDriver.EvidenceTurns);
        Assert.Contains(1, a.Answers.ProcessTopic.EvidenceTurns);
        var process = a.Drivers.Single(d => d.Driver == Drivers.Process);
        Assert.Equal("fees", process.Topics[0].Topic);

        var agent = Learned().Analyze(new ConversationBuilder("own-x")
            .Agent("Buenos días, le atiende Carlos, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Tengo una duda con la factura número 99 que me llegó", 0.0)
            .Agent("Eso no es mi área, tendrá que llamar a otro departamento", -0.3)
            .Customer("Qué mala atención, nadie me ayuda, me parece fatal", -0.75, "anger")
            .Agent("Pues no puedo hacer nada", -0.2)
            .Customer("Vaya servicio, de verdad", -0.6, "anger")
            .Build());
        Assert.Equal(Drivers.Agent, agent.PrimaryDriver);
        Assert.Equal(AgentBehaviours.Ownership, agent.AgentFocus);
        Assert.Contains(2, agent.Answers!.AgentFocus.EvidenceTurns);   // "no es mi área"
        Assert.Equal(1.0, agent.Drivers.Sum(d => d.Share), 9);
    }

    [Fact]
    public void A_customer_who_is_never_negative_gets_driver_none()
    {
        var a = Learned().Analyze(AnswerFixture.Calm(50).Build());
        Assert.Equal(Drivers.None, a.PrimaryDriver);
        Assert.All(a.Drivers, d => Assert.Equal(0, d.Share));
        Assert.All(a.Drivers, d => Assert.Empty(d.EvidenceTurns));
        Assert.Equal(Drivers.None, a.ProcessTopic);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        Assert.Empty(a.Answers!.PrimaryDriver.EvidenceTurns);
        Assert.Equal("rules", a.Answers.PrimaryDriver.Source);   // by definition, whatever the model says
    }

    [Fact]
    public void A_client_topic_the_models_do_not_know_keeps_the_cue_path()
    {
        var client = ScoringConfig.FromJson("""
            {"process_topics": [{"name": "roaming", "cues": {"es": ["roaming", "itinerancia"]}}]}
            """);
        var a = Learned(client).Analyze(new ConversationBuilder("roam")
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Me ha llegado un cargo de itinerancia de 80 euros, es un abuso", -0.7, "anger")
            .Agent("Lo reviso, un momento", 0.1)
            .Customer("No entiendo por qué me cobran el roaming si no salí del país", -0.6, "anger")
            .Build());
        Assert.Equal("roaming", a.ProcessTopic);
        Assert.Equal("rules", a.Answers!.ProcessTopic.Source);
        Assert.Contains(1, a.Answers.ProcessTopic.EvidenceTurns);
    }

    [Fact]
    public void A_clients_labelled_examples_still_train_its_topic_classifier()
    {
        var examples = string.Join(",", new[]
        {
            ("me cobraron llamadas desde el extranjero", "roaming"), ("el viaje a francia me salió carísimo en datos", "roaming"),
            ("usé el móvil en portugal y me llegó una factura enorme", "roaming"), ("desde méxico no me funcionaba la línea y me cobraron", "roaming"),
            ("la comisión de mantenimiento es muy alta", "fees"), ("me cobran una comisión por sacar dinero", "fees"),
            ("otra comisión más este mes", "fees"), ("por qué me cobran gastos de gestión", "fees"),
        }.Select(e => $$"""{"text": "{{e.Item1}}", "topic": "{{e.Item2}}"}"""));
        var options = ScoringConfig.FromJson("""{"process_topics": [{"name": "roaming", "cues": {}}], "topic_model": {"min_probability": 0.4, "examples": [""" + examples + "]}}");
        var analyzer = ConversationAnalyzer.Create(options, fixture.Directory);
        Assert.NotNull(analyzer.Answers);
        var call = new ConversationBuilder("roam-ml")
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Usé el móvil en francia y me llegó un importe enorme por los datos, estoy furioso", -0.8, "anger")
            .Build();
        Assert.Equal("roaming", ConversationAnalyzer.Create(options, null).Analyze(call).ProcessTopic);
        var a = analyzer.Analyze(call);
        Assert.Equal("roaming", a.ProcessTopic);
        Assert.Equal("rules", a.Answers!.ProcessTopic.Source);
    }

    [Fact]
    public void Answers_disabled_in_the_configuration_give_the_rule_answers()
    {
        var options = ScoringConfig.FromJson("""{"answers": {"enabled": false}}""");
        Assert.False(options.Answers.Enabled);
        var analyzer = ConversationAnalyzer.Create(options);
        Assert.Null(analyzer.Answers);
        var a = analyzer.Analyze(Calls.AgentCausedDrop().Build());
        Assert.Null(a.Answers!.Model);
        Assert.Equal("rules", a.Answers.PrimaryDriver.Source);
        Assert.Null(a.Answers.PrimaryDriver.Confidence);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.Equal(a.AgentFocus, a.Answers.AgentFocus.Answer);
    }

    [Fact]
    public void A_model_trained_with_other_features_is_refused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "emotion-answers-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var manifest = File.ReadAllText(Path.Combine(fixture.Directory, AnswerModel.ManifestFile)).Replace("\"turns\"", "\"turns_renamed\"", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir, AnswerModel.ManifestFile), manifest);
            var e = Assert.Throws<InvalidDataException>(() => AnswerModel.Load(dir));
            Assert.Contains("retrain", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_analyzer_loads_its_answer_models_in_the_background_and_says_at_once_what_is_missing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "emotion-answers-copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var f in Directory.GetFiles(fixture.Directory)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var options = ScoringConfig.Default;

            // A good directory: created at once, answers with the learned models once loaded.
            var good = ConversationAnalyzer.Create(options, dir);
            await good.Ready.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal("answers-test", good.Answers!.Version);
            Assert.Equal("learned", good.Analyze(AnswerFixture.Fees(41).Build()).Answers!.CustomerEnd.Source);

            // A corrupt model file: creation succeeds (the manifest is fine), the load faults with Microsoft.ML's reason.
            var victim = Directory.GetFiles(dir, "*.zip").OrderBy(f => f, StringComparer.Ordinal).First();
            File.WriteAllText(victim, "not a zip");
            var corrupt = ConversationAnalyzer.Create(options, dir);
            await Assert.ThrowsAnyAsync<Exception>(() => corrupt.Ready.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.True(corrupt.Ready.IsFaulted);

            // A missing model file is refused when the analyzer is created, with the file's name.
            File.Delete(victim);
            var e = Assert.Throws<InvalidDataException>(() => ConversationAnalyzer.Create(options, dir));
            Assert.Contains(Path.GetFileName(victim), e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
