using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Emotion.Scoring;

/// <summary>A scored conversation with its gold answers and its group (the writer: cross-validation leaves one group out).</summary>
public sealed record LabelledConversation(ConversationInput Input, string Group, AnswerLabels Labels);

/// <summary>Settings of one training run of the answer models.</summary>
public sealed record AnswerTrainingOptions
{
    public string Version { get; init; } = "answers-v1";
    public int Seed { get; init; } = 1;
    /// <summary>Learner per answer; answers missing here use <see cref="AnswerModelTrainer.DefaultLearners"/>.</summary>
    public IReadOnlyDictionary<string, AnswerLearnerSettings> Learners { get; init; } = AnswerModelTrainer.DefaultLearners;
    public AnswerDecoding Decoding { get; init; } = new();
    /// <summary>Provenance written to the manifest (data, writers, turn model, command).</summary>
    public IReadOnlyDictionary<string, string> TrainedOn { get; init; } = new Dictionary<string, string>();
}

/// <summary>Figures of one set of answers against the gold labels (accuracy per answer, conversion as F1 of <c>true</c>).</summary>
public sealed record AnswerScores(
    int Conversations, double CustomerStart, double CustomerEnd, double ConversionF1, double PrimaryDriver, double ProcessTopic, double AgentFocus)
{
    /// <summary>The figures as name/value pairs in the order of <see cref="AnswerNames.All"/>.</summary>
    public IReadOnlyList<(string Name, double Value)> Pairs() =>
    [
        (AnswerNames.CustomerStart, CustomerStart), (AnswerNames.CustomerEnd, CustomerEnd), ("conversion_f1", ConversionF1),
        (AnswerNames.PrimaryDriver, PrimaryDriver), (AnswerNames.ProcessTopic, ProcessTopic), (AnswerNames.AgentFocus, AgentFocus),
    ];
}

/// <summary>Rules and learned answers side by side on the same conversations.</summary>
public sealed record AnswerComparison(AnswerScores Rules, AnswerScores Learned);

/// <summary>
/// Trains the answer models (<see cref="AnswerModel"/>) from labelled conversations with Microsoft.ML: for each answer a
/// pipeline of the numeric features (<see cref="AnswerFeatures"/>), optionally <c>FeaturizeText</c> over some of the texts
/// (word 1-2-grams and character 3-grams), and a multiclass learner (LightGBM, or L-BFGS maximum entropy over
/// standardized features). One thread and a fixed seed: the same data and options give the same models.
/// </summary>
public static class AnswerModelTrainer
{
    /// <summary>The learners chosen by leave-one-writer-out cross-validation on the train writers (docs/analytics.md).</summary>
    public static IReadOnlyDictionary<string, AnswerLearnerSettings> DefaultLearners { get; } = new Dictionary<string, AnswerLearnerSettings>
    {
        [AnswerNames.CustomerStart] = new() { Kind = "lightgbm", Texts = ["start"] },
        [AnswerNames.CustomerEnd] = new() { Kind = "lightgbm", Texts = ["end"] },
        [AnswerNames.NegativeToPositive] = new() { Kind = "lightgbm", Texts = [] },
        [AnswerNames.PrimaryDriver] = new() { Kind = "lightgbm", Texts = ["customer", "agent"] },
        [AnswerNames.ProcessTopic] = new() { Kind = "lightgbm", Texts = ["customer", "agent"] },
        [AnswerNames.AgentFocus] = new() { Kind = "lightgbm", Texts = [] },
    };

    /// <summary>A conversation read once: its rule reading, features and the rule answers.</summary>
    internal sealed record Prepared(LabelledConversation Source, ConversationReading Reading, AnswerFeatureVector Features, DecidedAnswers Rules);

    /// <summary>Reads every conversation with the rules of <paramref name="scoring"/> and computes its features.</summary>
    internal static IReadOnlyList<Prepared> Prepare(IReadOnlyList<LabelledConversation> data, ScoringOptions scoring, IReadOnlyList<string> topics)
    {
        var analyzer = new ConversationAnalyzer(new ScoringProfile(scoring));
        return data.Select(c =>
        {
            var r = analyzer.Read(c.Input);
            return new Prepared(c, r, AnswerFeatures.From(r, analyzer.Profile, topics), RuleAnswers.From(r));
        }).ToArray();
    }

    /// <summary>Trains on every conversation of <paramref name="data"/>; with <paramref name="outDirectory"/>, writes the models and the manifest there.</summary>
    public static AnswerModel Train(IReadOnlyList<LabelledConversation> data, ScoringOptions scoring, AnswerTrainingOptions options, string? outDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentNullException.ThrowIfNull(options);
        var topics = scoring.ProcessTopics.Select(t => t.Name).ToArray();
        return TrainPrepared(Prepare(data, scoring, topics), topics, options, outDirectory);
    }

    internal static AnswerModel TrainPrepared(IReadOnlyList<Prepared> data, IReadOnlyList<string> topics, AnswerTrainingOptions options, string? outDirectory)
    {
        if (data.Count == 0) throw new ArgumentException("no conversations to train on", nameof(data));
        var names = data[0].Features.Names;
        var ml = new MLContext(options.Seed);
        var models = new Dictionary<string, ITransformer>(StringComparer.Ordinal);
        var entries = new Dictionary<string, AnswerModelEntry>(StringComparer.Ordinal);
        var schemas = new Dictionary<string, DataViewSchema>(StringComparer.Ordinal);
        foreach (var answer in AnswerNames.All)
        {
            var settings = options.Learners.GetValueOrDefault(answer) ?? DefaultLearners[answer];
            var rows = data.Select(p => AnswerRow.From(p.Features, p.Source.Labels.Of(answer))).ToArray();
            var view = ml.Data.LoadFromEnumerable(rows, AnswerRow.Schema(names.Count));
            var model = Pipeline(ml, settings, options.Seed, rows.Select(r => r.Label).Distinct().Count()).Fit(view);
            models[answer] = model;
            schemas[answer] = view.Schema;
            entries[answer] = new AnswerModelEntry { File = answer + ".zip", Classes = SlotNames(model.GetOutputSchema(view.Schema)), Learner = settings };
        }
        var manifest = new AnswerModelManifest
        {
            Version = options.Version, Features = names.ToArray(), Topics = topics.ToArray(), Answers = entries, Decoding = options.Decoding,
            Seed = options.Seed, TrainedOn = options.TrainedOn,
        };
        if (outDirectory is not null)
        {
            Directory.CreateDirectory(outDirectory);
            foreach (var (answer, model) in models) ml.Model.Save(model, schemas[answer], Path.Combine(outDirectory, entries[answer].File));
            File.WriteAllText(Path.Combine(outDirectory, AnswerModel.ManifestFile), JsonSerializer.Serialize(manifest, AnswerModelManifest.Json) + "\n");
        }
        return AnswerModel.FromTrained(manifest, ml, models);
    }

    /// <summary>
    /// Leave-one-group-out cross-validation: for each group, trains on the others and answers its conversations; returns
    /// the rule and learned figures over all the out-of-group answers, overall and per group.
    /// </summary>
    public static CrossValidationReport CrossValidate(IReadOnlyList<LabelledConversation> data, ScoringOptions scoring, AnswerTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentNullException.ThrowIfNull(options);
        var topics = scoring.ProcessTopics.Select(t => t.Name).ToArray();
        var prepared = Prepare(data, scoring, topics);
        var profile = new ScoringProfile(scoring);
        var groups = prepared.Select(p => p.Source.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var learned = new DecidedAnswers[prepared.Count];
        var probabilities = new IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>[prepared.Count];
        var manifests = new AnswerModelManifest[prepared.Count];
        var perGroup = new Dictionary<string, AnswerComparison>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var trainIdx = Enumerable.Range(0, prepared.Count).Where(i => prepared[i].Source.Group != g).ToArray();
            var testIdx = Enumerable.Range(0, prepared.Count).Where(i => prepared[i].Source.Group == g).ToArray();
            var model = TrainPrepared(trainIdx.Select(i => prepared[i]).ToArray(), topics, options, null);
            foreach (var i in testIdx)
            {
                probabilities[i] = model.Probabilities(prepared[i].Features);
                manifests[i] = model.Manifest;
                learned[i] = AnswerDecoder.Decide(prepared[i].Reading, profile, probabilities[i], model.Manifest, options.Decoding);
            }
            perGroup[g] = new AnswerComparison(
                Score(testIdx.Select(i => (prepared[i].Rules, prepared[i].Source.Labels)).ToArray()),
                Score(testIdx.Select(i => (learned[i], prepared[i].Source.Labels)).ToArray()));
        }
        var all = new AnswerComparison(
            Score(prepared.Select(p => (p.Rules, p.Source.Labels)).ToArray()),
            Score(prepared.Select((p, i) => (learned[i], p.Source.Labels)).ToArray()));
        // The same out-of-writer probabilities under each decoding switch flipped: how each consistency rule was chosen.
        var d = options.Decoding;
        var variants = new Dictionary<string, AnswerDecoding>(StringComparer.Ordinal)
        {
            ["conversion_model=" + RuleAnswers.Bool(!d.ConversionModel)] = d with { ConversionModel = !d.ConversionModel },
            ["topic_follows_driver=" + RuleAnswers.Bool(!d.TopicFollowsDriver)] = d with { TopicFollowsDriver = !d.TopicFollowsDriver },
            ["focus_follows_driver=" + RuleAnswers.Bool(!d.FocusFollowsDriver)] = d with { FocusFollowsDriver = !d.FocusFollowsDriver },
            ["none_when_never_negative=" + RuleAnswers.Bool(!d.NoneWhenNeverNegative)] = d with { NoneWhenNeverNegative = !d.NoneWhenNeverNegative },
        };
        var decodings = variants.ToDictionary(
            kv => kv.Key,
            kv => Score(prepared.Select((p, i) => (AnswerDecoder.Decide(p.Reading, profile, probabilities[i], manifests[i], kv.Value), p.Source.Labels)).ToArray()),
            StringComparer.Ordinal);
        return new CrossValidationReport(groups, all, perGroup) { Decodings = decodings };
    }

    /// <summary>Rule and learned figures of a trained model on other labelled conversations (e.g. held-out writers).</summary>
    public static AnswerComparison Evaluate(AnswerModel model, IReadOnlyList<LabelledConversation> data, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scoring);
        var prepared = Prepare(data, scoring, model.Manifest.Topics);
        var profile = new ScoringProfile(scoring);
        return new AnswerComparison(
            Score(prepared.Select(p => (p.Rules, p.Source.Labels)).ToArray()),
            Score(prepared.Select(p => (model.Decide(p.Reading, profile), p.Source.Labels)).ToArray()));
    }

    internal static AnswerScores Score(IReadOnlyList<(DecidedAnswers Answers, AnswerLabels Gold)> rows)
    {
        double Acc(Func<DecidedAnswers, AnswerLabels, bool> ok) => rows.Count == 0 ? 0 : rows.Count(r => ok(r.Answers, r.Gold)) / (double)rows.Count;
        int tp = rows.Count(r => r.Answers.Conversion && r.Gold.NegativeToPositive);
        int fp = rows.Count(r => r.Answers.Conversion && !r.Gold.NegativeToPositive);
        int fn = rows.Count(r => !r.Answers.Conversion && r.Gold.NegativeToPositive);
        var f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        return new AnswerScores(
            rows.Count,
            Acc((a, g) => a.Start.Label == g.CustomerStart),
            Acc((a, g) => a.End.Label == g.CustomerEnd),
            f1,
            Acc((a, g) => a.PrimaryDriver == g.PrimaryDriver),
            Acc((a, g) => a.ProcessTopic == g.ProcessTopic),
            Acc((a, g) => a.AgentFocus == g.AgentFocus));
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, AnswerLearnerSettings s, int seed, int classes)
    {
        IEstimator<ITransformer> pipe = ml.Transforms.Conversion.MapValueToKey("Label", nameof(AnswerRow.Label));
        var columns = new List<string>();
        if (s.Kind == "maxent")
        {
            pipe = pipe.Append(ml.Transforms.NormalizeMeanVariance("NumericNormalized", nameof(AnswerRow.Numeric)));
            columns.Add("NumericNormalized");
        }
        else
        {
            columns.Add(nameof(AnswerRow.Numeric));
        }
        foreach (var text in s.Texts)
        {
            var source = TextColumn(text);
            pipe = pipe.Append(ml.Transforms.Text.FeaturizeText(source + "Features", TextOptions(), source));
            columns.Add(source + "Features");
        }
        pipe = pipe.Append(ml.Transforms.Concatenate("Features", columns.ToArray()));
        IEstimator<ITransformer> trainer = s.Kind switch
        {
            "lightgbm" => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                NumberOfIterations = s.Iterations,
                LearningRate = s.LearningRate,
                NumberOfLeaves = s.Leaves,
                MinimumExampleCountPerLeaf = s.MinLeaf,
                Seed = seed,
                NumberOfThreads = 1,
                Silent = true,
                UseSoftmax = true,
                Booster = new GradientBooster.Options { L2Regularization = s.L2, FeatureFraction = 0.7 },
            }),
            "maxent" => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                L2Regularization = (float)s.L2,
                L1Regularization = 0,
                NumberOfThreads = 1,
            }),
            _ => throw new ArgumentException($"unknown learner '{s.Kind}' (lightgbm, maxent)", nameof(s)),
        };
        _ = classes;
        return pipe.Append(trainer).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    /// <summary>The <see cref="AnswerRow"/> column of a learner's text name (start, end, customer, agent).</summary>
    internal static string TextColumn(string text) => text switch
    {
        "start" => nameof(AnswerRow.StartText),
        "end" => nameof(AnswerRow.EndText),
        "customer" => nameof(AnswerRow.CustomerText),
        "agent" => nameof(AnswerRow.AgentText),
        _ => throw new ArgumentException($"unknown text '{text}' (start, end, customer, agent)", nameof(text)),
    };

    private static TextFeaturizingEstimator.Options TextOptions() => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.Lower,
        KeepDiacritics = false,
        KeepPunctuations = false,
        KeepNumbers = false,
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
        CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false },
    };

    private static string[] SlotNames(DataViewSchema schema)
    {
        var column = schema["Score"];
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("SlotNames", ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

/// <summary>Leave-one-group-out figures: over every out-of-group answer, and per group.</summary>
public sealed record CrossValidationReport(IReadOnlyList<string> Groups, AnswerComparison All, IReadOnlyDictionary<string, AnswerComparison> PerGroup)
{
    /// <summary>Learned figures over the same out-of-group probabilities with one decoding switch flipped each.</summary>
    public IReadOnlyDictionary<string, AnswerScores> Decodings { get; init; } = new Dictionary<string, AnswerScores>();

    /// <summary>A Markdown table: rules and learned per answer, overall.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| answer | rules | learned |\n|---|---|---|\n");
        var rules = All.Rules.Pairs();
        var learned = All.Learned.Pairs();
        for (var i = 0; i < rules.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"| {rules[i].Name} | {rules[i].Value:0.000} | {learned[i].Value:0.000} |\n");
        if (Decodings.Count > 0)
        {
            sb.Append("\nlearned, one decoding switch flipped:\n\n| decoding | " + string.Join(" | ", rules.Select(r => r.Name)) + " |\n|---|"
                + string.Concat(rules.Select(_ => "---|")) + "\n");
            foreach (var (name, scores) in Decodings)
                sb.Append($"| {name} | " + string.Join(" | ", scores.Pairs().Select(x => x.Value.ToString("0.000", CultureInfo.InvariantCulture))) + " |\n");
        }
        return sb.ToString();
    }
}
