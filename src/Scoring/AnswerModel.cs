using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emotion.Scoring;

/// <summary>The conversation-level questions the answer models learn; each is one ML.NET model file <c>NAME.zip</c>.</summary>
public static class AnswerNames
{
    public const string CustomerStart = "customer_start";
    public const string CustomerEnd = "customer_end";
    public const string NegativeToPositive = "negative_to_positive";
    public const string PrimaryDriver = "primary_driver";
    public const string ProcessTopic = "process_topic";
    public const string AgentFocus = "agent_focus";

    /// <summary>Every answer, in the order results list them.</summary>
    public static IReadOnlyList<string> All { get; } = [CustomerStart, CustomerEnd, NegativeToPositive, PrimaryDriver, ProcessTopic, AgentFocus];
}

/// <summary>The gold answers of a labelled conversation (<c>labels</c> in the corpus, docs/labelling.md).</summary>
public sealed record AnswerLabels(int CustomerStart, int CustomerEnd, bool NegativeToPositive, string PrimaryDriver, string ProcessTopic, string AgentFocus)
{
    /// <summary>The label of <paramref name="answer"/> as the models' class name.</summary>
    public string Of(string answer) => answer switch
    {
        AnswerNames.CustomerStart => RuleAnswers.Label(CustomerStart),
        AnswerNames.CustomerEnd => RuleAnswers.Label(CustomerEnd),
        AnswerNames.NegativeToPositive => RuleAnswers.Bool(NegativeToPositive),
        AnswerNames.PrimaryDriver => PrimaryDriver,
        AnswerNames.ProcessTopic => ProcessTopic,
        AnswerNames.AgentFocus => AgentFocus,
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "unknown answer"),
    };
}

/// <summary>How the answers' predictions are combined into consistent answers (chosen by cross-validation, stored with the models).</summary>
public sealed record AnswerDecoding
{
    /// <summary>Conversion from its own model; otherwise start == -1 and end == 1 of the start and end models.</summary>
    public bool ConversionModel { get; init; }
    /// <summary>Topic <c>none</c> when the primary driver is agent or none, and a named topic when it is process (docs/labelling.md).</summary>
    public bool TopicFollowsDriver { get; init; } = true;
    /// <summary>A named focus when the primary driver is agent (never <c>none</c> then).</summary>
    public bool FocusFollowsDriver { get; init; } = true;
    /// <summary>Driver <c>none</c> when no customer turn is negative (the definition); it takes precedence over the model.</summary>
    public bool NoneWhenNeverNegative { get; init; } = true;
}

/// <summary>The description of a trained answer-model directory (<c>answers.json</c>).</summary>
public sealed record AnswerModelManifest
{
    public string Version { get; init; } = "";
    /// <summary>Feature names in order; a model trained with other names cannot be used with this code.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
    /// <summary>The process topics the topic model knows (besides <c>none</c>).</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];
    public IReadOnlyDictionary<string, AnswerModelEntry> Answers { get; init; } = new Dictionary<string, AnswerModelEntry>();
    public AnswerDecoding Decoding { get; init; } = new();
    public int Seed { get; init; }
    /// <summary>Free-form provenance: data, writers, turn model, command.</summary>
    public IReadOnlyDictionary<string, string> TrainedOn { get; init; } = new Dictionary<string, string>();

    /// <summary>How manifests and learner settings are written: snake_case, indented.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.Strict,
    };
}

/// <summary>One answer's model file and settings.</summary>
public sealed record AnswerModelEntry
{
    public string File { get; init; } = "";
    /// <summary>Class names in the order of the model's scores.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
    public AnswerLearnerSettings Learner { get; init; } = new();
}

/// <summary>Which learner an answer uses and with which texts.</summary>
public sealed record AnswerLearnerSettings
{
    /// <summary><c>lightgbm</c> (gradient-boosted trees) or <c>maxent</c> (L-BFGS maximum entropy over standardized features).</summary>
    public string Kind { get; init; } = "lightgbm";
    /// <summary>Texts featurized with ML.NET <c>FeaturizeText</c>: any of start, end, customer, agent.</summary>
    public IReadOnlyList<string> Texts { get; init; } = [];
    public int Iterations { get; init; } = 150;
    public int Leaves { get; init; } = 8;
    public int MinLeaf { get; init; } = 10;
    public double LearningRate { get; init; } = 0.05;
    /// <summary>L2 regularization (maxent) or LightGBM's L2.</summary>
    public double L2 { get; init; } = 1.0;
}

/// <summary>ML.NET input row of the answer models (public for the ML.NET schema reader).</summary>
public sealed class AnswerRow
{
#pragma warning disable CA1819 // ML.NET binds vector columns to arrays.
    public float[] Numeric { get; set; } = [];
#pragma warning restore CA1819
    public string StartText { get; set; } = "";
    public string EndText { get; set; } = "";
    public string CustomerText { get; set; } = "";
    public string AgentText { get; set; } = "";
    public string Label { get; set; } = "";

    internal static AnswerRow From(AnswerFeatureVector f, string label = "") => new()
    {
        Numeric = f.Values, StartText = f.StartText, EndText = f.EndText, CustomerText = f.CustomerText, AgentText = f.AgentText, Label = label,
    };

    /// <summary>The schema with the numeric vector's size, which is known at run time.</summary>
    internal static SchemaDefinition Schema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(AnswerRow));
        schema[nameof(Numeric)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }
}

/// <summary>ML.NET output row of the answer models.</summary>
public sealed class AnswerPrediction
{
    public string PredictedLabel { get; set; } = "";
#pragma warning disable CA1819 // ML.NET binds vector columns to arrays.
    public float[] Score { get; set; } = [];
#pragma warning restore CA1819
}

/// <summary>
/// The learned conversation-level answers: one Microsoft.ML model per answer (customer start, customer end, conversion,
/// primary driver, process topic, agent focus) over <see cref="AnswerFeatureVector"/>s, trained from the written corpus by
/// <see cref="AnswerModelTrainer"/>. Thread-safe (each model's predictions are serialized).
/// </summary>
public sealed class AnswerModel
{
    /// <summary>The file describing a model directory.</summary>
    public const string ManifestFile = "answers.json";
    /// <summary>Environment variable that names another answer-model directory.</summary>
    public const string DirectoryVariable = "EMOTION_ANSWERS";
    /// <summary>The shipped models' directory under the repository root.</summary>
    public const string ShippedDirectory = "models/answers-v3";

    private readonly Dictionary<string, Predictor> _predictors;

    private AnswerModel(AnswerModelManifest manifest, Dictionary<string, Predictor> predictors)
    {
        Manifest = manifest;
        _predictors = predictors;
    }

    public AnswerModelManifest Manifest { get; }

    /// <summary>The models' version, e.g. <c>answers-v1</c>.</summary>
    public string Version => Manifest.Version;

    /// <summary>
    /// The default answer-model directory, resolved here and nowhere else: <c>$EMOTION_ANSWERS</c> when set (<c>none</c>:
    /// rules alone), else <see cref="ShippedDirectory"/> under the repository root (the folder holding Emotion.sln, searched
    /// upward from the working directory and from the binary); null when there is none.
    /// </summary>
    public static string? DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } env)
            return string.Equals(env, "none", StringComparison.OrdinalIgnoreCase) ? null : Path.GetFullPath(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Emotion.sln"))) continue;
                var candidate = Path.Combine(dir.FullName, ShippedDirectory);
                return File.Exists(Path.Combine(candidate, ManifestFile)) ? candidate : null;
            }
        }
        return null;
    }

    /// <summary>The feature names this code computes for models that know <paramref name="topics"/>.</summary>
    public static IReadOnlyList<string> FeatureNames(IReadOnlyList<string> topics) => AnswerFeatures.Names(ScoringProfile.Default, topics);

    /// <summary>Loads a directory written by <see cref="AnswerModelTrainer"/>.</summary>
    /// <exception cref="InvalidDataException">The manifest is missing or does not match this code's features.</exception>
    public static AnswerModel Load(string directory) => Load(directory, ReadManifest(directory));

    /// <summary>
    /// Reads and checks the manifest of the answer models in <paramref name="directory"/> (cheap: no model is loaded):
    /// it exists, was written for the features this code computes, and every model file it names exists.
    /// </summary>
    /// <exception cref="InvalidDataException">With the reason.</exception>
    public static AnswerModelManifest ReadManifest(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath)) throw new InvalidDataException($"answer models: {manifestPath} does not exist");
        var manifest = JsonSerializer.Deserialize<AnswerModelManifest>(File.ReadAllText(manifestPath), AnswerModelManifest.Json)
            ?? throw new InvalidDataException($"answer models: {manifestPath} is empty");
        var expected = FeatureNames(manifest.Topics);
        if (!expected.SequenceEqual(manifest.Features, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"answer models in {directory} were trained with other features ({manifest.Features.Count}, this code computes {expected.Count}); retrain them with 'emotion train-answers'");
        }
        foreach (var (_, entry) in manifest.Answers)
        {
            var path = Path.Combine(directory, entry.File);
            if (!File.Exists(path)) throw new InvalidDataException($"answer models: {path} does not exist");
        }
        foreach (var required in new[] { AnswerNames.CustomerStart, AnswerNames.CustomerEnd, AnswerNames.PrimaryDriver, AnswerNames.ProcessTopic, AnswerNames.AgentFocus })
        {
            if (!manifest.Answers.ContainsKey(required)) throw new InvalidDataException($"answer models in {directory}: no model for '{required}'");
        }
        return manifest;
    }

    /// <summary>Loads the models <paramref name="manifest"/> (from <see cref="ReadManifest"/>) names.</summary>
    public static AnswerModel Load(string directory, AnswerModelManifest manifest) => Load(directory, manifest, compile: true);

    /// <summary>
    /// Loads the models; with <paramref name="compile"/>, each is read into a <see cref="CompiledAnswer"/> where its shape
    /// allows (the ML.NET engine answers otherwise, and always without it: the parity test compares the two).
    /// </summary>
    internal static AnswerModel Load(string directory, AnswerModelManifest manifest, bool compile)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        var ml = new MLContext(manifest.Seed);
        var models = new Dictionary<string, ITransformer>(StringComparer.Ordinal);
        foreach (var (name, entry) in manifest.Answers)
        {
            var path = Path.Combine(directory, entry.File);
            if (!File.Exists(path)) throw new InvalidDataException($"answer models: {path} does not exist");
            models[name] = ml.Model.Load(path, out _);
        }
        return Build(manifest, ml, models, compile);
    }

    internal static AnswerModel FromTrained(AnswerModelManifest manifest, MLContext ml, IReadOnlyDictionary<string, ITransformer> models) =>
        Build(manifest, ml, models, compile: true);

    private static AnswerModel Build(AnswerModelManifest manifest, MLContext ml, IReadOnlyDictionary<string, ITransformer> models, bool compile)
    {
        var input = ml.Data.LoadFromEnumerable(Array.Empty<AnswerRow>(), AnswerRow.Schema(manifest.Features.Count)).Schema;
        var bags = new Dictionary<string, TextBag>(StringComparer.Ordinal);
        var predictors = new Dictionary<string, Predictor>(StringComparer.Ordinal);
        foreach (var (name, model) in models)
        {
            var entry = manifest.Answers[name];
            var output = model.GetOutputSchema(input);
            string? why = "not compiled";
            var compiled = compile ? CompiledAnswer.TryCompile(model, output, entry.Learner, manifest.Features.Count, bags, out why) : null;
            predictors[name] = new Predictor(ml, model, output, manifest.Features.Count, entry.Classes, compiled, why);
        }
        return new AnswerModel(manifest, predictors);
    }

    /// <summary>How each answer is computed: <c>compiled</c>, or <c>ml.net</c> with the reason it could not be compiled.</summary>
    internal IReadOnlyDictionary<string, string> Engines =>
        _predictors.ToDictionary(kv => kv.Key, kv => kv.Value.Engine, StringComparer.Ordinal);

    /// <summary>Class probabilities of every answer for one conversation's features.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Probabilities(AnswerFeatureVector features) => Probabilities(features, null);

    /// <summary>Class probabilities of the answers except <paramref name="skip"/> (null: every answer).</summary>
    private Dictionary<string, IReadOnlyDictionary<string, double>> Probabilities(AnswerFeatureVector features, string? skip)
    {
        ArgumentNullException.ThrowIfNull(features);
        var row = AnswerRow.From(features);
        var bags = new BagCache();
        return _predictors.Where(kv => kv.Key != skip).ToDictionary(kv => kv.Key, kv => kv.Value.Predict(row, bags), StringComparer.Ordinal);
    }

    /// <summary>The learned answers for a reading, made consistent by the manifest's decoding, with confidences and evidence.</summary>
    internal DecidedAnswers Decide(ConversationReading r, ScoringProfile profile)
    {
        var features = AnswerFeatures.From(r, profile, Manifest.Topics);
        // The conversion model is only asked when the decoding uses it (by default conversion = start -1 and end +1).
        var p = Probabilities(features, Manifest.Decoding.ConversionModel ? null : AnswerNames.NegativeToPositive);
        return AnswerDecoder.Decide(r, profile, p, Manifest, Manifest.Decoding);
    }

    /// <summary>
    /// One answer's model: its compiled form, or else its ML.NET prediction engine (created on first use; not
    /// thread-safe, hence the lock), with its class names.
    /// </summary>
    private sealed class Predictor
    {
        private readonly CompiledAnswer? _compiled;
        private readonly Lazy<PredictionEngine<AnswerRow, AnswerPrediction>> _engine;
        private readonly string[] _slots;
        private readonly Lock _gate = new();

        public Predictor(MLContext ml, ITransformer model, DataViewSchema output, int features, IReadOnlyList<string> classes, CompiledAnswer? compiled, string? why)
        {
            _compiled = compiled;
            _engine = new(() => ml.Model.CreatePredictionEngine<AnswerRow, AnswerPrediction>(model, inputSchemaDefinition: AnswerRow.Schema(features)));
            _slots = SlotNames(output) ?? classes.ToArray();
            Engine = compiled is not null ? "compiled" : "ml.net: " + why;
        }

        public string Engine { get; }

        public IReadOnlyDictionary<string, double> Predict(AnswerRow row, BagCache bags)
        {
            float[] score;
            if (_compiled is not null)
            {
                score = _compiled.Scores(row, bags);
            }
            else
            {
                lock (_gate)
                {
                    score = _engine.Value.Predict(row).Score;
                }
            }
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            var sum = score.Sum(s => Math.Max(s, 0f));
            for (var i = 0; i < _slots.Length && i < score.Length; i++)
                result[_slots[i]] = sum > 0 ? Math.Max(score[i], 0f) / sum : 1.0 / _slots.Length;
            return result;
        }

        private static string[]? SlotNames(DataViewSchema schema)
        {
            var score = schema.GetColumnOrNull("Score");
            if (score is not { } column || column.Annotations.Schema.GetColumnOrNull("SlotNames") is null) return null;
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.Annotations.GetValue("SlotNames", ref names);
            return names.DenseValues().Select(n => n.ToString()).ToArray();
        }
    }
}

/// <summary>Turns the answer models' probabilities into consistent answers with confidences and evidence.</summary>
internal static class AnswerDecoder
{
    public const string Source = "learned";

    public static DecidedAnswers Decide(
        ConversationReading r, ScoringProfile profile, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> p,
        AnswerModelManifest manifest, AnswerDecoding decoding)
    {
        var (startLabel, startP) = Best(p[AnswerNames.CustomerStart]);
        var (endLabel, endP) = Best(p[AnswerNames.CustomerEnd]);
        var start = r.Start with { Label = ParseLabel(startLabel) };
        var end = r.End with { Label = ParseLabel(endLabel) };

        bool conversion;
        double conversionP;
        if (decoding.ConversionModel && p.TryGetValue(AnswerNames.NegativeToPositive, out var cp))
        {
            var (c, cprob) = Best(cp);
            conversion = c == "true";
            conversionP = cprob;
        }
        else
        {
            var pc = p[AnswerNames.CustomerStart].GetValueOrDefault("-1") * p[AnswerNames.CustomerEnd].GetValueOrDefault("1");
            conversion = start.Label == -1 && end.Label == 1;
            conversionP = conversion ? pc : 1 - pc;
        }

        // Driver: none by definition when the customer never turned negative; else the model's most likely class.
        var dp = p[AnswerNames.PrimaryDriver];
        string primary;
        double? primaryP;
        var primarySource = Source;
        if (decoding.NoneWhenNeverNegative && !r.CustomerEverNegative)
        {
            primary = Drivers.None;
            primaryP = null;
            primarySource = RuleAnswers.Source;
        }
        else
        {
            (primary, var bestP) = Best(dp);
            primaryP = bestP;
        }
        var driverMass = Drivers.All.ToDictionary(d => d, d => primary == Drivers.None ? 0 : dp.GetValueOrDefault(d));
        var massSum = driverMass.Values.Sum();
        var shares = RoundToOne(Drivers.All.ToDictionary(d => d, d => massSum > 0 ? driverMass[d] / massSum : 0));

        // Topic: restricted to the topics this configuration has; a client topic the model does not know keeps the rule path.
        var known = new HashSet<string>(manifest.Topics, StringComparer.Ordinal);
        var configured = profile.Topics.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var tp = p[AnswerNames.ProcessTopic].Where(kv => kv.Key == Drivers.None || configured.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        string topic;
        double? topicP;
        var topicSource = Source;
        if (r.Drivers.ProcessTopic != Drivers.None && !known.Contains(r.Drivers.ProcessTopic))
        {
            topic = r.Drivers.ProcessTopic;
            topicP = null;
            topicSource = RuleAnswers.Source;
        }
        else
        {
            var candidates = tp;
            if (decoding.TopicFollowsDriver && primary is Drivers.Agent or Drivers.None)
                candidates = tp.Where(kv => kv.Key == Drivers.None).ToDictionary();
            else if (decoding.TopicFollowsDriver && primary == Drivers.Process && tp.Keys.Any(k => k != Drivers.None))
                candidates = tp.Where(kv => kv.Key != Drivers.None).ToDictionary();
            (topic, var bestTopicP) = candidates.Count > 0 ? Best(candidates) : (Drivers.None, 1.0);
            topicP = Normalized(tp, topic);
            _ = bestTopicP;
        }

        // Focus: a named behaviour when the agent is the primary driver.
        var fp = p[AnswerNames.AgentFocus];
        var focusCandidates = decoding.FocusFollowsDriver && primary == Drivers.Agent && fp.Keys.Any(k => k != AgentBehaviours.None)
            ? fp.Where(kv => kv.Key != AgentBehaviours.None).ToDictionary()
            : fp.ToDictionary();
        var (focus, _) = Best(focusCandidates);
        var focusP = Normalized(fp, focus);

        var drivers = Drivers.All.Select(d =>
        {
            var share = shares[d];
            IReadOnlyList<int> evidence = [];
            if (share > 0)
            {
                evidence = RuleAnswers.DriverEvidence(r.Drivers.Drivers, d);
                if (evidence.Count == 0) evidence = r.NegativeCustomerTurns();
            }
            var topics = d == Drivers.Process && share > 0
                ? Split(tp.Where(kv => kv.Key != Drivers.None).ToDictionary(), topic, share, Drivers.None).Select(x => new TopicShare(x.Name, x.Share)).ToArray()
                : [];
            var behaviours = d == Drivers.Agent && share > 0
                ? Split(fp.Where(kv => kv.Key != AgentBehaviours.None).ToDictionary(), focus, share, null).Select(x => new BehaviourShare(x.Name, x.Share)).ToArray()
                : [];
            return new DriverShare(d, share, evidence, topics, behaviours);
        }).ToArray();

        var summary = new AnswerSummary(
            manifest.Version,
            new AnswerDetail(startLabel, Source, Round(startP), start.Turns),
            new AnswerDetail(endLabel, Source, Round(endP), end.Turns),
            new AnswerDetail(RuleAnswers.Bool(conversion), Source, Round(conversionP), RuleAnswers.ValenceEvidence(r)),
            new AnswerDetail(primary, primarySource, Round(primaryP), primary == Drivers.None ? [] : RuleAnswers.DriverEvidence(drivers, primary)),
            new AnswerDetail(topic, topicSource, Round(topicP), RuleAnswers.TopicEvidence(r, drivers, topic, profile)),
            new AnswerDetail(focus, Source, Round(focusP), RuleAnswers.FocusEvidence(r, drivers, focus)));
        return new DecidedAnswers(start, end, conversion, drivers, primary, topic, focus, summary);
    }

    private static (string Name, double P) Best(IReadOnlyDictionary<string, double> p) =>
        p.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).FirstOrDefault();

    private static double? Normalized(IReadOnlyDictionary<string, double> p, string name)
    {
        var sum = p.Values.Sum();
        return sum > 0 ? p.GetValueOrDefault(name) / sum : null;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static int ParseLabel(string label) => int.Parse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits <paramref name="share"/> among the named classes in proportion to their probabilities, keeping
    /// <paramref name="answer"/> and every class with at least 15% of the named mass; with no named class, all of it to
    /// <paramref name="fallback"/> (or nothing).
    /// </summary>
    private static IReadOnlyList<(string Name, double Share)> Split(Dictionary<string, double> named, string answer, double share, string? fallback)
    {
        var sum = named.Values.Sum();
        var kept = sum > 0
            ? named.Where(kv => kv.Key == answer || kv.Value / sum >= 0.15).ToDictionary(kv => kv.Key, kv => kv.Value)
            : [];
        var keptSum = kept.Values.Sum();
        if (keptSum <= 0) return fallback is null ? [] : [(fallback, share)];
        return kept.Select(kv => (kv.Key, Math.Round(share * kv.Value / keptSum, 4)))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Rounds to 4 decimals and gives the remainder to the largest share, so a non-zero set sums to exactly 1.</summary>
    private static Dictionary<string, double> RoundToOne(Dictionary<string, double> shares)
    {
        var rounded = shares.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4));
        var sum = rounded.Values.Sum();
        if (sum > 0)
        {
            var largest = rounded.OrderByDescending(kv => kv.Value).First().Key;
            rounded[largest] = Math.Round(rounded[largest] + (1 - sum), 4);
        }
        return rounded;
    }
}
