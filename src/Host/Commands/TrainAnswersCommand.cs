using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Emotion.Ingest.Replay;
using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Host.Commands;

/// <summary>
/// The <c>emotion train-answers</c> command: trains the learned conversation-level answers (<see cref="AnswerModel"/>) from the
/// written corpus (<c>models/data/conversations/w*.jsonl</c>, labels per docs/labelling.md). Only the train writers' files
/// are read for training; every turn is scored with the sentiment model (carried phases dropped, as <c>emotion analyze</c>
/// sees them), read by the rules, turned into features, and one Microsoft.ML model per answer is fit with a fixed seed.
/// Writes the model files, <c>answers.json</c>, <c>metrics.json</c> (leave-one-writer-out cross-validation, rules against
/// learned) and <c>MODEL_CARD.md</c>.
/// </summary>
internal static class TrainAnswersCommand
{
    /// <summary>The writers whose conversations are held out (models/data/conversations/README.md): never trained on.</summary>
    /// <summary>The held-out writers when the corpus folder has no <c>splits.json</c>.</summary>
    public static readonly IReadOnlyList<string> HeldOutWriters = ["w5", "w7"];

    /// <summary>The train writers when the corpus folder has no <c>splits.json</c>.</summary>
    public static readonly IReadOnlyList<string> TrainWriters = ["w1", "w2", "w3", "w4", "w6"];

    /// <summary>
    /// The corpus's split by writer: <c>splits.json</c> in <paramref name="dataDir"/> (<c>train</c> and <c>heldout</c>
    /// lists, shared with the Python trainer and harness), else the built-in lists.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid split (a writer on both sides, a list missing).</exception>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> HeldOut) ReadSplits(string dataDir)
    {
        var path = Path.Combine(dataDir, "splits.json");
        if (!File.Exists(path)) return (TrainWriters, HeldOutWriters);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        static List<string> List(JsonElement root, string name, string path) =>
            root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(e => e.GetString() ?? throw new InvalidDataException($"{path}: '{name}' holds a non-string")).ToList()
                : throw new InvalidDataException($"{path}: no '{name}' list");
        var train = List(doc.RootElement, "train", path);
        var held = List(doc.RootElement, "heldout", path);
        if (train.Intersect(held, StringComparer.Ordinal).FirstOrDefault() is { } both)
            throw new InvalidDataException($"{path}: writer '{both}' is both train and held-out");
        return (train, held);
    }

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Corpus folder with w*.jsonl. Default: models/data/conversations under the repository root." };
        var output = new Option<string?>("--out") { Description = $"Where to write the models. Default: {AnswerModel.ShippedDirectory} (the shipped ones, replaced) under the repository root." };
        var model = new Option<string?>("--model") { Description = "Turn model directory that scores the turns. Default: " + SentimentOptions.DefaultModelDirectory + "." };
        var config = new Option<string?>("--config") { Description = "Scoring configuration whose rules and cues make the features. Default: the defaults." };
        var writers = new Option<string?>("--writers") { Description = "Comma-separated train writers. Default: the corpus folder's splits.json train list (its held-out writers are refused)." };
        var turns = new Option<string>("--turns") { Description = "'model' (the turn model's scores) or 'gold' (the corpus's turn labels: an upper bound, never shipped).", DefaultValueFactory = _ => "model" };
        var seed = new Option<int>("--seed") { Description = "Seed of every learner.", DefaultValueFactory = _ => 1 };
        var cv = new Option<bool>("--cv") { Description = "Leave-one-writer-out cross-validation on the train writers (rules against learned), written to metrics.json." };
        var cvOnly = new Option<bool>("--cv-only") { Description = "Cross-validation only: print the figures, write nothing." };
        var learners = new Option<string?>("--learners") { Description = "JSON file: answer -> learner settings (kind, texts, iterations, leaves, min_leaf, learning_rate, l2), over the defaults." };
        var decoding = new Option<string?>("--decoding") { Description = "JSON file: decoding settings (conversion_model, topic_follows_driver, focus_follows_driver, none_when_never_negative)." };
        var evaluate = new Option<string?>("--evaluate") { Description = "Comma-separated writers to measure the trained models on once (e.g. w5,w7 at the end); printed, never used to choose anything." };
        var report = new Option<string?>("--report") { Description = "Write the --evaluate figures as JSON to this file." };
        var scoreWith = new Option<string[]>("--score-with")
        {
            Description = "DIR=w1,w2,...: the turn model in DIR scores these train writers' conversations instead of --model (out-of-fold "
                + "scores: DIR's metrics.json must name the writers it was trained on, in hyperparameters.writers, and none of these). "
                + "Repeat until every train writer is covered; --model still scores the --evaluate writers, as the product does.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("train-answers", "Train the learned conversation-level answers (start, end, conversion, drivers, topic, focus) from the written corpus.");
        foreach (var o in new Option[] { data, output, model, config, writers, turns, seed, cv, cvOnly, learners, decoding, evaluate, report, scoreWith }) command.Options.Add(o);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = CommonOptions.FindRepoRoot() ?? Directory.GetCurrentDirectory();
            var dataDir = parseResult.GetValue(data) ?? Path.Combine(root, "models", "data", "conversations");
            var outDir = parseResult.GetValue(output) ?? Path.Combine(root, AnswerModel.ShippedDirectory);
            IReadOnlyList<string> splitTrain, splitHeldOut;
            try
            {
                (splitTrain, splitHeldOut) = ReadSplits(dataDir);
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
            {
                await Console.Error.WriteLineAsync($"emotion train-answers: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            var trainWriters = (parseResult.GetValue(writers) ?? string.Join(',', splitTrain)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (trainWriters.Intersect(splitHeldOut, StringComparer.Ordinal).Any())
            {
                await Console.Error.WriteLineAsync($"emotion train-answers: {string.Join(", ", splitHeldOut)} are the held-out writers; they never enter training").ConfigureAwait(false);
                return 2;
            }
            var turnSource = parseResult.GetValue(turns);
            if (turnSource is not ("model" or "gold"))
            {
                await Console.Error.WriteLineAsync("emotion train-answers: --turns is 'model' or 'gold'").ConfigureAwait(false);
                return 2;
            }

            ScoringOptions scoring;
            AnswerTrainingOptions options;
            try
            {
                scoring = ScoringConfig.Load(parseResult.GetValue(config));
                options = new AnswerTrainingOptions
                {
                    Seed = parseResult.GetValue(seed),
                    Learners = MergeLearners(parseResult.GetValue(learners)),
                    Decoding = ReadDecoding(parseResult.GetValue(decoding)),
                    // The version is the output folder's name when it looks like one (models/answers-v3 -> answers-v3).
                    Version = Path.GetFileName(Path.TrimEndingDirectorySeparator(outDir)) is { } name
                        && name.StartsWith("answers-", StringComparison.Ordinal) ? name : "answers-v1",
                };
            }
            catch (Exception e) when (e is ScoringConfigException or IOException or JsonException)
            {
                await Console.Error.WriteLineAsync($"emotion train-answers: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var modelDir = SentimentModelLoader.ResolveModelDir(parseResult.GetValue(model) ?? Path.Combine(root, SentimentOptions.DefaultModelDirectory));
            using var sentiment = turnSource == "model" ? SentimentModelLoader.Load(modelDir, new SentimentOptions { ModelDir = modelDir }) : null;
            var turnModel = sentiment?.Version ?? "gold turn labels";
            List<LabelledConversation> train;
            var folds = parseResult.GetValue(scoreWith) ?? [];
            var foldArgs = new List<string>();
            if (folds.Length == 0)
            {
                train = Load(dataDir, trainWriters, sentiment);
            }
            else
            {
                if (turnSource != "model")
                {
                    await Console.Error.WriteLineAsync("emotion train-answers: --score-with gives turn models' scores; it does not go with --turns gold").ConfigureAwait(false);
                    return 2;
                }
                List<OutOfFoldModel> scorers;
                try
                {
                    scorers = OutOfFoldModel.Parse(folds, trainWriters);
                }
                catch (InvalidDataException e)
                {
                    await Console.Error.WriteLineAsync($"emotion train-answers: --score-with: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
                train = [];
                var parts = new List<string>();
                foreach (var f in scorers)
                {
                    using var foldModel = SentimentModelLoader.Load(f.Directory, new SentimentOptions { ModelDir = f.Directory });
                    var scored = Load(dataDir, f.Writers, foldModel);
                    train.AddRange(scored);
                    var shown = Path.GetRelativePath(root, f.Directory);
                    parts.Add($"{string.Join(",", f.Writers)} by {foldModel.Version} trained on {string.Join(",", f.TrainedOn)} ({shown})");
                    foldArgs.Add($" --score-with {shown}={string.Join(",", f.Writers)}");
                }
                // the learners see the conversations in the train writers' order, as without folds
                var order = trainWriters.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
                train = train.Select((c, i) => (c, i)).OrderBy(x => order[x.c.Group]).ThenBy(x => x.i).Select(x => x.c).ToList();
                turnModel = $"{turnModel} (train writers scored out of fold: {string.Join("; ", parts)})";
            }
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"emotion train-answers: {train.Count} conversations of {string.Join(",", trainWriters)}, turns from {turnModel}")).ConfigureAwait(false);
            options = options with
            {
                TrainedOn = new Dictionary<string, string>
                {
                    ["data"] = "models/data/conversations", ["writers"] = string.Join(",", trainWriters),
                    ["conversations"] = train.Count.ToString(CultureInfo.InvariantCulture), ["turns"] = turnModel,
                    ["command"] = "emotion train-answers" + (turnSource == "gold" ? " --turns gold" : "") + string.Concat(foldArgs),
                },
            };

            CrossValidationReport? cvReport = null;
            if (parseResult.GetValue(cv) || parseResult.GetValue(cvOnly))
            {
                cvReport = AnswerModelTrainer.CrossValidate(train, scoring, options);
                Console.WriteLine($"leave-one-writer-out cross-validation ({string.Join(", ", cvReport.Groups)}), turns from {turnModel}:");
                Console.WriteLine(cvReport.ToMarkdown());
                foreach (var (g, c) in cvReport.PerGroup)
                {
                    Console.WriteLine($"{g}: " + string.Join(", ", c.Learned.Pairs().Zip(c.Rules.Pairs()).Select(x =>
                        string.Create(CultureInfo.InvariantCulture, $"{x.First.Name} {x.Second.Value:0.00}->{x.First.Value:0.00}"))));
                }
                if (parseResult.GetValue(cvOnly)) return 0;
            }

            var save = turnSource == "model" ? outDir : null;
            var trained = AnswerModelTrainer.Train(train, scoring, options, save);
            if (save is not null)
            {
                WriteMetrics(save, options, cvReport, turnModel);
                await Console.Error.WriteLineAsync($"emotion train-answers: models written to {save}").ConfigureAwait(false);
            }

            if (parseResult.GetValue(evaluate) is { Length: > 0 } evalWriters)
            {
                var evalSet = Load(dataDir, evalWriters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), sentiment);
                var comparison = AnswerModelTrainer.Evaluate(trained, evalSet, scoring);
                Console.WriteLine($"measured once on {evalWriters} ({evalSet.Count} conversations), turns from {turnModel}:");
                Console.WriteLine(new CrossValidationReport([evalWriters], comparison, new Dictionary<string, AnswerComparison>()).ToMarkdown());
                if (parseResult.GetValue(report) is { Length: > 0 } reportPath)
                {
                    var json = new JsonObject
                    {
                        ["writers"] = evalWriters, ["conversations"] = evalSet.Count, ["turns"] = turnModel,
                        ["rules"] = ScoresJson(comparison.Rules), ["learned"] = ScoresJson(comparison.Learned),
                    };
                    await File.WriteAllTextAsync(reportPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken).ConfigureAwait(false);
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>Reads the writers' files: each conversation scored (or given its gold turn labels) with its gold answers.</summary>
    internal static List<LabelledConversation> Load(string dataDir, IReadOnlyList<string> writers, ISentimentModel? model)
    {
        var result = new List<LabelledConversation>();
        foreach (var writer in writers)
        {
            var path = Path.Combine(dataDir, writer + ".jsonl");
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                var record = ConversationFile.Parse(line);
                // emotion analyze never sees the writers' phases: drop them so the features are the ones it computes.
                record = record with { Turns = record.Turns.Select(t => t with { Phase = null }).ToArray() };
                using var doc = JsonDocument.Parse(line);
                var labels = ParseLabels(doc.RootElement.GetProperty("labels"));
                var input = model is not null ? AnalyzeCommand.Score(record, model) : GoldCorpus.Parse(line);
                result.Add(new LabelledConversation(input, writer, labels));
            }
        }
        return result;
    }

    private static AnswerLabels ParseLabels(JsonElement l) => new(
        l.GetProperty("customer_start").GetInt32(),
        l.GetProperty("customer_end").GetInt32(),
        l.GetProperty("negative_to_positive").GetBoolean(),
        l.GetProperty("primary_driver").GetString() ?? Drivers.None,
        l.GetProperty("process_topic").GetString() ?? Drivers.None,
        l.GetProperty("agent_focus").GetString() ?? AgentBehaviours.None);

    private static IReadOnlyDictionary<string, AnswerLearnerSettings> MergeLearners(string? file)
    {
        var merged = new Dictionary<string, AnswerLearnerSettings>(AnswerModelTrainer.DefaultLearners, StringComparer.Ordinal);
        if (file is null) return merged;
        var given = JsonSerializer.Deserialize<Dictionary<string, AnswerLearnerSettings>>(File.ReadAllText(file), ScoringConfig.JsonOptions) ?? [];
        foreach (var (k, v) in given)
        {
            if (!AnswerNames.All.Contains(k)) throw new JsonException($"--learners: unknown answer '{k}'");
            merged[k] = v;
        }
        return merged;
    }

    private static AnswerDecoding ReadDecoding(string? file) =>
        file is null ? new AnswerDecoding() : JsonSerializer.Deserialize<AnswerDecoding>(File.ReadAllText(file), ScoringConfig.JsonOptions) ?? new AnswerDecoding();

    private static JsonObject ScoresJson(AnswerScores s)
    {
        var o = new JsonObject { ["conversations"] = s.Conversations };
        foreach (var (name, value) in s.Pairs()) o[name] = Math.Round(value, 4);
        return o;
    }

    /// <summary>metrics.json (settings and cross-validation figures) and a short MODEL_CARD.md beside the models.</summary>
    private static void WriteMetrics(string dir, AnswerTrainingOptions options, CrossValidationReport? cv, string turnModel)
    {
        var metrics = new JsonObject
        {
            ["version"] = options.Version,
            ["seed"] = options.Seed,
            ["trained_on"] = JsonSerializer.SerializeToNode(options.TrainedOn),
            ["turn_model"] = turnModel,
            ["learners"] = JsonSerializer.SerializeToNode(options.Learners, AnswerModelManifest.Json),
            ["decoding"] = JsonSerializer.SerializeToNode(options.Decoding, AnswerModelManifest.Json),
        };
        if (cv is not null)
        {
            var perWriter = new JsonObject();
            foreach (var (g, c) in cv.PerGroup) perWriter[g] = new JsonObject { ["rules"] = ScoresJson(c.Rules), ["learned"] = ScoresJson(c.Learned) };
            metrics["cross_validation"] = new JsonObject
            {
                ["method"] = "leave one train writer out: train on the other four, answer the fifth; figures over all 445 out-of-writer answers",
                ["rules"] = ScoresJson(cv.All.Rules),
                ["learned"] = ScoresJson(cv.All.Learned),
                ["per_writer"] = perWriter,
                ["decoding_switches"] = new JsonObject(cv.Decodings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)ScoresJson(kv.Value)))),
            };
        }
        File.WriteAllText(Path.Combine(dir, "metrics.json"), metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var card = new StringBuilder();
        card.Append(CultureInfo.InvariantCulture, $$"""
            # {{options.Version}}: learned conversation-level answers

            One Microsoft.ML model per answer (customer start, customer end, negative_to_positive, primary driver, process topic,
            agent focus) over features of the rule reading of each conversation (the turn model's valences and probabilities by
            speaker and position, behaviour flags, cue hits per driver and topic, phase shares, the rule answers) and, for some
            answers, ML.NET FeaturizeText over the customer's and the agent's texts. Loaded by `ConversationAnalyzer` from
            `models/{{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)))}}` (or `$EMOTION_ANSWERS`); `"answers": {"enabled": false}` in a client configuration gives the rule
            answers. Definitions and precedence: `docs/analytics.md`, "Conversation-level answers: learned by default". At run
            time each zip is read into plain arrays (dictionaries, trees) and computed without ML.NET's prediction engine, with
            the same probabilities (`CompiledAnswerTests`; `docs/analytics.md`, "emotion train-answers").

            - Trained on: the written corpus, writers {{options.TrainedOn.GetValueOrDefault("writers")}} ({{options.TrainedOn.GetValueOrDefault("conversations")}} conversations); the held-out writers w5 and w7 never entered training or selection.
            - Turn scores from: {{turnModel}}. A new turn model changes the features: retrain with `emotion train-answers --cv` (the models/train.sh step).
            - Seed {{options.Seed}}, one thread: the same command gives the same models.
            - Reproduce: `./{{options.TrainedOn.GetValueOrDefault("command")}}` (writes this folder; `models/train.sh` trains the turn models it names).

            """);
        if (cv is not null)
        {
            card.Append("\n## Leave-one-writer-out cross-validation on the train writers\n\n");
            card.Append(cv.ToMarkdown());
            card.Append("\nAccuracy per answer; conversion is the F1 of `true`. Held-out figures (w5, w7): `docs/analytics.md`.\n");
        }
        File.WriteAllText(Path.Combine(dir, "MODEL_CARD.md"), card.ToString());
    }
}

/// <summary>One <c>--score-with DIR=w1,w2</c> of <c>emotion train-answers</c>: a turn model that scores the named train writers'
/// conversations out of fold. The writers it was trained on come from its metrics.json (<c>hyperparameters.writers</c>, written by
/// models/train/train_ctx.py); a model trained on a writer it is asked to score, or one that does not say, is refused.</summary>
internal sealed record OutOfFoldModel(string Directory, IReadOnlyList<string> Writers, IReadOnlyList<string> TrainedOn)
{
    public static List<OutOfFoldModel> Parse(IEnumerable<string> specs, IReadOnlyList<string> trainWriters)
    {
        var result = new List<OutOfFoldModel>();
        var covered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == spec.Length - 1)
                throw new InvalidDataException($"'{spec}' is not DIR=w1,w2,...");
            var dir = Path.GetFullPath(spec[..eq]);
            var writers = spec[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var trainedOn = TrainedWriters(dir);
            foreach (var w in writers)
            {
                if (!trainWriters.Contains(w, StringComparer.Ordinal))
                    throw new InvalidDataException($"{w} is not one of the train writers ({string.Join(",", trainWriters)})");
                if (covered.TryGetValue(w, out var other))
                    throw new InvalidDataException($"{w} is scored by both {other} and {dir}");
                if (trainedOn.Contains(w, StringComparer.Ordinal))
                    throw new InvalidDataException($"{dir} was trained on {w}: its scores of {w} are not out of fold");
                covered[w] = dir;
            }
            result.Add(new OutOfFoldModel(dir, writers, trainedOn));
        }
        var missing = trainWriters.Where(w => !covered.ContainsKey(w)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"no model scores {string.Join(",", missing)}: every train writer needs one");
        return result;
    }

    private static IReadOnlyList<string> TrainedWriters(string dir)
    {
        var path = Path.Combine(dir, "metrics.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path, Encoding.UTF8));
            if (doc.RootElement.TryGetProperty("hyperparameters", out var h) && h.TryGetProperty("writers", out var w)
                && w.ValueKind == JsonValueKind.String && w.GetString() is { Length: > 0 } list)
                return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        throw new InvalidDataException($"{path} does not say which writers the model was trained on (hyperparameters.writers)");
    }
}
