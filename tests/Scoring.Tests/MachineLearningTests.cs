using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class MachineLearningTests
{
    private static readonly TopicExample[] Training =
    [
        E("me han cobrado una comisión por mantener la cuenta", "fees"),
        E("no entiendo por qué pago comisiones cada mes", "fees"),
        E("la cuota de mantenimiento es carísima", "fees"),
        E("me cobran un recargo por sacar dinero del cajero", "fees"),
        E("quiero que me quiten la comisión de la tarjeta", "fees"),
        E("otra vez me han puesto un cargo por transferencia", "fees"),
        E("por qué me cobran gastos de gestión", "fees"),
        E("la comisión por descubierto es abusiva", "fees"),
        E("mi pedido no ha llegado todavía", "delivery"),
        E("el paquete lleva una semana de retraso", "delivery"),
        E("el repartidor no vino a casa", "delivery"),
        E("me dijeron que la entrega era el lunes y nada", "delivery"),
        E("el envío está parado en el almacén", "delivery"),
        E("recibí el paquete roto y abierto", "delivery"),
        E("dónde está mi pedido, no aparece el seguimiento", "delivery"),
        E("la entrega se ha retrasado otra vez", "delivery"),
        E("no puedo entrar en la aplicación, me dice usuario bloqueado", "account_blocked"),
        E("me han bloqueado la cuenta sin avisar", "account_blocked"),
        E("la tarjeta está bloqueada y no puedo pagar", "account_blocked"),
        E("puse mal el pin tres veces y se bloqueó", "account_blocked"),
        E("no tengo acceso a la banca online", "account_blocked"),
        E("quiero desbloquear mi cuenta", "account_blocked"),
        E("me sale acceso denegado al entrar", "account_blocked"),
        E("me han suspendido el acceso a la cuenta", "account_blocked"),
    ];

    private static readonly TopicExample[] HeldOut =
    [
        E("otra comisión más en el extracto de este mes", "fees"),
        E("cuánto me cobran de mantenimiento al año", "fees"),
        E("todavía no me ha llegado el pedido que hice", "delivery"),
        E("el repartidor dejó el paquete en otra dirección", "delivery"),
        E("tengo la cuenta bloqueada desde ayer", "account_blocked"),
        E("no puedo acceder, me dice que está bloqueado", "account_blocked"),
    ];

    private static TopicExample E(string text, string topic) => new() { Text = text, Topic = topic };

    [Fact]
    public void Topic_classifier_learns_a_clients_spanish_topics_and_gets_held_out_examples_right()
    {
        var classifier = TopicClassifierTrainer.Train(Training, seed: 1);
        var predictions = HeldOut.Select(e => (e.Topic, Predicted: classifier.Predict(e.Text))).ToArray();
        var correct = predictions.Count(p => p.Predicted?.Topic == p.Topic);
        Assert.True(correct >= 5, "held-out: " + string.Join("; ", predictions.Select(p => $"{p.Topic}->{p.Predicted}")));
        Assert.All(predictions, p => Assert.InRange(p.Predicted!.Value.Probability, 0.0, 1.0));
        Assert.Null(classifier.Predict("[hold 2 min]"));
    }

    [Fact]
    public void Analyzer_uses_the_trained_classifier_for_process_topics_without_cues()
    {
        // The rule path (cues and the client's classifier): the learned answers are switched off here.
        var client = """
            {"answers": {"enabled": false}, "topic_model": {"min_probability": 0.4, "examples": [
            """ + string.Join(",", Training.Select(e => $$"""{"text": "{{e.Text}}", "topic": "{{e.Topic}}"}""")) + "]}}";
        var analyzer = ConversationAnalyzer.Create(ScoringConfig.FromJson(client));
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Me sale acceso denegado cada vez que lo intento desde el móvil y me tiene harto", -0.7, "anger")
            .Analyze(analyzer);
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("account_blocked", a.ProcessTopic);
        // Without the classifier no cue names a topic: the customer arrived negative, prior experience.
        var plain = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Me sale acceso denegado cada vez que lo intento desde el móvil y me tiene harto", -0.7, "anger")
            .Analyze();
        Assert.Equal(Drivers.PriorExperience, plain.PrimaryDriver);
    }

    [Fact]
    public void Calibrator_finds_the_feature_that_drives_the_survey_outcome()
    {
        var rng = new Random(7);
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 300; i++)
        {
            var end = rng.NextDouble() * 2 - 1;
            var start = rng.NextDouble() * 2 - 1;
            var neg = rng.NextDouble() * 0.6;
            var agent = rng.NextDouble();
            var process = rng.NextDouble() * (1 - agent);
            var memorable = rng.Next(0, 2);
            // Known answer: the outcome is driven mostly by end valence, a little by agent share, plus noise.
            var outcome = Math.Clamp(0.55 + 0.35 * end - 0.1 * agent + (rng.NextDouble() - 0.5) * 0.1, 0, 1);
            samples.Add(Sample(end, start, neg, agent, process, memorable, outcome));
        }
        var calibrator = ExperienceCalibrator.Fit(samples, seed: 1);
        var r = calibrator.Report;
        Assert.Equal(300, r.Samples);
        Assert.Equal("end_valence", r.Features[0].Feature);
        Assert.True(r.Features[0].Weight > 0);
        Assert.True(r.PearsonCalibrated > 0.95, $"calibrated r = {r.PearsonCalibrated}");
        Assert.True(r.PearsonCalibratedCv > 0.9, $"cross-validated r = {r.PearsonCalibratedCv}");
        Assert.True(r.PearsonCalibrated >= r.PearsonIndex, $"index r = {r.PearsonIndex}");
        Assert.True(r.SpearmanIndex > 0.3, $"index rho = {r.SpearmanIndex}");
        var best = calibrator.Predict(Sample(end: 1, start: 0, neg: 0.1, agent: 0, process: 0.5, memorable: 0, outcome: 0));
        var worst = calibrator.Predict(Sample(end: -1, start: 0, neg: 0.1, agent: 1, process: 0, memorable: 0, outcome: 0));
        Assert.InRange(best, 80, 100); // 0.55 + 0.35 = 0.90
        Assert.InRange(worst, 0, 20);  // 0.55 - 0.35 - 0.1 = 0.10
    }

    private static CalibrationSample Sample(double end, double start, double neg, double agent, double process, int memorable, double outcome)
    {
        var shift = end - start;
        var (index, _) = ExperienceIndex.Compute(end, shift, neg, memorable, ScoringConfig.Default.ExperienceIndex);
        return new CalibrationSample(end, start, shift, neg, agent, process, memorable, index, outcome);
    }

    [Fact]
    public void Survey_answers_are_normalized()
    {
        Assert.Equal(0.9, SurveyOutcome.FromNps(9));
        Assert.Equal(0.5, SurveyOutcome.FromCsat(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurveyOutcome.FromNps(11));
    }

    [Fact]
    public void Spearman_is_one_for_any_increasing_relation()
    {
        double[] x = [1, 2, 3, 4, 5];
        double[] y = [1, 8, 27, 64, 125];
        Assert.Equal(1.0, Statistics.Spearman(x, y), 9);
        Assert.True(Statistics.Pearson(x, y) < 1);
    }
}
