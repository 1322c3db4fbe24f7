using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Emotion.Ingest.Replay;
using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Host.Commands;

/// <summary>
/// The <c>emotion analyze FILE</c> command: reads conversation JSON Lines, scores each turn's speech (timing markers
/// such as <c>[hold 2 min]</c> removed) with the sentiment model, runs <see cref="ConversationAnalyzer"/> and writes one
/// JSON object per conversation to stdout. A bad line is reported on stderr with its number and the rest goes on;
/// the exit code is then 1.
/// </summary>
internal static class AnalyzeCommand
{
    private const int ProgressEvery = 500;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Conversation JSON Lines file (one conversation per line); '-' reads stdin." };
        var model = new Option<string?>("--model")
        {
            Description = "Model directory (the project's model or a Hugging Face export). Default: " + SentimentOptions.DefaultModelDirectory + " under the repository root.",
        };
        var config = new Option<string?>("--config")
        {
            Description = "Client scoring configuration (JSON) merged over config/scoring.default.json.",
        };
        var pretty = new Option<bool>("--pretty") { Description = "Indent the JSON (one object per conversation, over several lines)." };

        var command = new Command("analyze", "Analyze conversations: phases, customer start/end, conversion, drivers, experience index, moments and alerts.");
        command.Arguments.Add(file);
        command.Options.Add(model);
        command.Options.Add(config);
        command.Options.Add(pretty);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            ConversationAnalyzer analyzer;
            try
            {
                analyzer = ConversationAnalyzer.Create(ScoringConfig.Load(parseResult.GetValue(config)));
            }
            catch (ScoringConfigException e)
            {
                await Console.Error.WriteLineAsync($"emotion analyze: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var modelDir = SentimentModelLoader.ResolveModelDir(parseResult.GetValue(model) ?? DefaultModelDir());
            ISentimentModel loaded;
            try
            {
                loaded = SentimentModelLoader.Load(modelDir, new SentimentOptions { ModelDir = modelDir });
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException
                                          or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                await Console.Error.WriteLineAsync($"emotion analyze: cannot load the model: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using (loaded)
            {
                var path = parseResult.GetValue(file)!;
                TextReader reader;
                try
                {
                    reader = path == "-" ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8) : new StreamReader(path, Encoding.UTF8);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"emotion analyze: cannot read {path}: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
                using (reader)
                {
                    var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
                    await using (stdout.ConfigureAwait(false))
                    {
                        var bad = await AnalyzeAsync(reader, stdout, Console.Error, loaded, analyzer, parseResult.GetValue(pretty), cancellationToken)
                            .ConfigureAwait(false);
                        return bad > 0 ? 1 : 0;
                    }
                }
            }
        });
        return command;
    }

    private static string DefaultModelDir() =>
        Path.Combine(CommonOptions.FindRepoRoot() ?? Directory.GetCurrentDirectory(), SentimentOptions.DefaultModelDirectory);

    /// <summary>Analyzes every conversation in <paramref name="reader"/>; returns the number of bad lines.</summary>
    internal static async Task<int> AnalyzeAsync(
        TextReader reader, TextWriter output, TextWriter errors, ISentimentModel model, ConversationAnalyzer analyzer, bool pretty,
        CancellationToken cancellationToken)
    {
        var bad = 0;
        var done = 0;
        var clock = Stopwatch.StartNew();
        await foreach (var (conversation, error) in ConversationFile.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (error is not null)
            {
                bad++;
                await errors.WriteLineAsync($"emotion analyze: line {error.Line}: {error.Reason}".AsMemory(), cancellationToken).ConfigureAwait(false);
                continue;
            }
            var analysis = analyzer.Analyze(Score(conversation!, model));
            await output.WriteLineAsync(analysis.ToJson(pretty).AsMemory(), cancellationToken).ConfigureAwait(false);
            done++;
            if (done % ProgressEvery == 0)
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"emotion analyze: {done} conversations, {done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):0.0}/s").AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (done >= ProgressEvery || bad > 0)
        {
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"emotion analyze: {done} conversations analyzed, {bad} bad lines, {clock.Elapsed.TotalSeconds:0.0} s").AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        return bad;
    }

    /// <summary>
    /// Scores the speech of every turn (markers stripped): in one batch, or turn by turn in context with a context-aware
    /// model (<see cref="IContextSentimentModel"/>). A turn with no speech is not sent to the model and
    /// gets label 0, valence 0, no emotion; the analyzer recognizes it from its text and gives it no valence.
    /// </summary>
    internal static ConversationInput Score(ConversationRecord conversation, ISentimentModel model)
    {
        var speech = conversation.Turns.Select(t => TimingMarkers.Strip(t.Text)).ToArray();
        var toScore = new List<int>(speech.Length);
        for (var i = 0; i < speech.Length; i++)
        {
            if (!TimingMarkers.IsMarkerOnly(speech[i])) toScore.Add(i);
        }
        // A context-aware model reads the turns in order, each with the conversation before it (its state carried
        // from turn to turn); any other model scores them as one batch.
        var predictions = toScore.Count > 0
            ? ContextScoring.ScoreConversation(model, toScore.Select(i => (speech[i], conversation.Language,
                conversation.Turns[i].Speaker == "agent" ? TurnSpeaker.Agent : TurnSpeaker.Customer)).ToArray()).Predictions
            : [];
        var byTurn = new SentimentPrediction?[speech.Length];
        for (var n = 0; n < toScore.Count; n++) byTurn[toScore[n]] = predictions[n];

        var utterances = conversation.Turns.Select((t, i) =>
        {
            var p = byTurn[i];
            var speaker = t.Speaker == "agent" ? Speaker.Agent : Speaker.Customer;
            return p is null
                ? new ScoredUtterance(i, speaker, t.StartS, t.EndS, t.Text, t.Phase, 0, 0, 0, 1, 0, "", 0)
                : new ScoredUtterance(i, speaker, t.StartS, t.EndS, t.Text, t.Phase, p.Label, p.Valence, p.Negative, p.Neutral, p.Positive,
                    p.Emotion, p.EmotionConfidence);
        }).ToArray();
        return new ConversationInput(conversation.ConversationId, conversation.Tenant, conversation.AgentId, conversation.TeamId,
            conversation.Campaign, conversation.Language, conversation.Channel, utterances);
    }
}
