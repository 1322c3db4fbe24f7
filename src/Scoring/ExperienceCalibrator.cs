using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Emotion.Scoring;

/// <summary>One surveyed conversation: its features and the survey outcome normalized to [0, 1].</summary>
public sealed record CalibrationSample(
    double EndValence,
    double StartValence,
    double Shift,
    double NegativeLoad,
    double AgentShare,
    double ProcessShare,
    int MemorableCount,
    double ExperienceIndex,
    double Outcome)
{
    /// <summary>The feature names, in the order of <see cref="Features"/>.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["end_valence", "start_valence", "shift", "negative_load", "agent_share", "process_share", "memorable_count", "experience_index"];

    /// <summary>The features, in the order of <see cref="FeatureNames"/>.</summary>
    public float[] Features() =>
        [(float)EndValence, (float)StartValence, (float)Shift, (float)NegativeLoad, (float)AgentShare, (float)ProcessShare, MemorableCount, (float)ExperienceIndex];

    /// <summary>A sample from an analysis and a normalized outcome (<see cref="SurveyOutcome"/>).</summary>
    public static CalibrationSample From(ConversationAnalysis a, double outcome)
    {
        ArgumentNullException.ThrowIfNull(a);
        double Share(string d) => a.Drivers.FirstOrDefault(x => x.Driver == d)?.Share ?? 0;
        return new CalibrationSample(a.CustomerEnd.Score, a.CustomerStart.Score, a.Shift, a.NegativeLoad,
            Share(Drivers.Agent), Share(Drivers.Process), a.MemorableMoments.Count, a.ExperienceIndex, outcome);
    }
}

/// <summary>Survey answers normalized to [0, 1].</summary>
public static class SurveyOutcome
{
    /// <summary>NPS answer 0-10 → answer / 10.</summary>
    public static double FromNps(double nps) =>
        nps is >= 0 and <= 10 ? nps / 10 : throw new ArgumentOutOfRangeException(nameof(nps), nps, "NPS must be 0-10");

    /// <summary>CSAT 1-5 → (answer - 1) / 4.</summary>
    public static double FromCsat(double csat) =>
        csat is >= 1 and <= 5 ? (csat - 1) / 4 : throw new ArgumentOutOfRangeException(nameof(csat), csat, "CSAT must be 1-5");
}

/// <summary>How one feature drives the outcome.</summary>
/// <param name="Weight">Linear weight on the standardized feature (outcome units per standard deviation).</param>
/// <param name="PermutationR2Drop">Mean drop in R² when the feature is shuffled (Permutation Feature Importance).</param>
public sealed record FeatureImportance(string Feature, double Weight, double PermutationR2Drop);

/// <summary>What the calibration found. Correlations are with the normalized outcome.</summary>
/// <param name="PearsonCalibratedCv">Pearson of 5-fold out-of-fold predictions (honest; in-sample ones flatter).</param>
/// <param name="Features">Ordered by permutation importance, largest first.</param>
public sealed record CalibrationReport(
    int Samples,
    double PearsonIndex,
    double SpearmanIndex,
    double PearsonCalibrated,
    double SpearmanCalibrated,
    double PearsonCalibratedCv,
    double RSquared,
    IReadOnlyList<FeatureImportance> Features);

/// <summary>
/// Calibrates the experience index against survey outcomes (NPS/CSAT normalized to [0, 1]) with Microsoft.ML:
/// features standardized (mean-variance), then SDCA linear regression (one thread, seeded). The calibrated index is
/// 100 × the prediction clamped to [0, 1].
/// </summary>
public sealed class ExperienceCalibrator
{
    private readonly PredictionEngine<CalibrationRow, CalibrationScore> _engine;
    private readonly Lock _gate = new();

    private ExperienceCalibrator(PredictionEngine<CalibrationRow, CalibrationScore> engine, CalibrationReport report)
    {
        _engine = engine;
        Report = report;
    }

    public CalibrationReport Report { get; }

    /// <summary>The calibrated 0-100 index for <paramref name="sample"/> (its outcome is ignored).</summary>
    public double Predict(CalibrationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        float score;
        lock (_gate)
        {
            score = _engine.Predict(CalibrationRow.From(sample)).Score;
        }
        return Math.Round(100 * Math.Clamp(score, 0, 1), 1);
    }

    /// <summary>Fits on <paramref name="samples"/> (at least 10) and reports correlations and feature importance.</summary>
    public static ExperienceCalibrator Fit(IReadOnlyList<CalibrationSample> samples, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 10) throw new ArgumentException($"calibration needs at least 10 surveyed conversations, got {samples.Count}", nameof(samples));
        var ml = new MLContext(seed);
        var (prep, model) = Train(ml, samples);
        var data = ml.Data.LoadFromEnumerable(samples.Select(CalibrationRow.From));
        var prepared = prep.Transform(data);
        var scored = model.Transform(prepared);
        var predicted = scored.GetColumn<float>("Score").Select(x => (double)x).ToArray();
        var outcomes = samples.Select(s => s.Outcome).ToArray();
        var index = samples.Select(s => s.ExperienceIndex).ToArray();
        var metrics = ml.Regression.Evaluate(scored);

        var pfi = ml.Regression.PermutationFeatureImportance(model, prepared, permutationCount: 5);
        var weights = model.Model.Weights.ToArray();
        var features = CalibrationSample.FeatureNames
            .Select((name, i) => new FeatureImportance(name, Math.Round(weights[i], 4), Math.Round(-pfi[i].RSquared.Mean, 4)))
            .OrderByDescending(f => f.PermutationR2Drop).ThenByDescending(f => Math.Abs(f.Weight))
            .ToArray();

        var report = new CalibrationReport(
            samples.Count,
            Math.Round(Statistics.Pearson(index, outcomes), 4),
            Math.Round(Statistics.Spearman(index, outcomes), 4),
            Math.Round(Statistics.Pearson(predicted, outcomes), 4),
            Math.Round(Statistics.Spearman(predicted, outcomes), 4),
            Math.Round(Statistics.Pearson(CrossValidated(samples, seed), outcomes), 4),
            Math.Round(metrics.RSquared, 4),
            features);
        var engine = ml.Model.CreatePredictionEngine<CalibrationRow, CalibrationScore>(prep.Append(model));
        return new ExperienceCalibrator(engine, report);
    }

    private static (ITransformer Prep, RegressionPredictionTransformer<LinearRegressionModelParameters> Model) Train(
        MLContext ml, IEnumerable<CalibrationSample> samples)
    {
        var data = ml.Data.LoadFromEnumerable(samples.Select(CalibrationRow.From));
        var prep = ml.Transforms.NormalizeMeanVariance("Features", fixZero: false).Fit(data);
        var trainer = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 500,
            ConvergenceTolerance = 1e-5f,
            L2Regularization = 1e-4f,
            L1Regularization = 0,
        });
        var model = trainer.Fit(prep.Transform(data));
        return (prep, model);
    }

    private static double[] CrossValidated(IReadOnlyList<CalibrationSample> samples, int seed)
    {
        const int folds = 5;
        var result = new double[samples.Count];
        for (var f = 0; f < folds; f++)
        {
            var train = samples.Where((_, i) => i % folds != f).ToArray();
            var test = samples.Select((s, i) => (s, i)).Where(x => x.i % folds == f).ToArray();
            if (train.Length < 2 || test.Length == 0) continue;
            var ml = new MLContext(seed);
            var (prep, model) = Train(ml, train);
            var engine = ml.Model.CreatePredictionEngine<CalibrationRow, CalibrationScore>(prep.Append(model));
            foreach (var (s, i) in test) result[i] = engine.Predict(CalibrationRow.From(s)).Score;
        }
        return result;
    }
}

/// <summary>Microsoft.ML input row.</summary>
public sealed class CalibrationRow
{
#pragma warning disable CA1819 // ML.NET binds vector columns to arrays.
    [VectorType(8)]
    public float[] Features { get; set; } = new float[8];
#pragma warning restore CA1819
    public float Label { get; set; }

    internal static CalibrationRow From(CalibrationSample s) => new() { Features = s.Features(), Label = (float)s.Outcome };
}

/// <summary>Microsoft.ML output row.</summary>
public sealed class CalibrationScore
{
    public float Score { get; set; }
}

/// <summary>Correlation helpers.</summary>
public static class Statistics
{
    /// <summary>Pearson correlation; 0 when either series is constant or shorter than 2.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = Math.Min(x.Count, y.Count);
        if (n < 2) return 0;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx <= 0 || syy <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Spearman rank correlation (Pearson of average ranks, ties averaged).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Pearson(Ranks(x), Ranks(y));
    }

    private static double[] Ranks(IReadOnlyList<double> v)
    {
        var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
            for (var k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        return ranks;
    }
}
