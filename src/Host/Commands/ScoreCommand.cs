using System.CommandLine;
using System.Text;
using System.Text.Json;
using Emotion.Sentiment;

namespace Emotion.Host.Commands;

/// <summary>
/// The <c>emotion score</c> command: JSON Lines <c>{"text": ..., "lang": ...}</c> in (a file or stdin), one JSON
/// line per input out, in input order. A bad line gives <c>{"error": "line N: reason"}</c> and exit code 1.
/// </summary>
internal static class ScoreCommand
{
    private const int MaxLineErrorLength = 200;

    public static Command Create()
    {
        var input = new Argument<string?>("file")
        {
            Description = "JSON Lines file with {\"text\": ..., \"lang\": ...} per line; '-' or nothing reads stdin.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var model = new Option<string?>("--model")
        {
            Description = "Model directory (the project's model or a Hugging Face export). Default: " + SentimentOptions.DefaultModelDirectory + " under the repository root.",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Utterances scored per model run.",
            DefaultValueFactory = _ => 64,
        };

        var command = new Command("score", "Score utterances from JSON Lines with the sentiment model; writes one JSON line per input.");
        command.Arguments.Add(input);
        command.Options.Add(model);
        command.Options.Add(batchSize);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var size = parseResult.GetValue(batchSize);
            if (size < 1)
            {
                await Console.Error.WriteLineAsync("emotion score: --batch-size must be >= 1.").ConfigureAwait(false);
                return 2;
            }
            var file = parseResult.GetValue(input);
            var modelDir = parseResult.GetValue(model) ?? DefaultModelDir();

            ISentimentModel loaded;
            try
            {
                loaded = SentimentModelLoader.Load(modelDir, new SentimentOptions { ModelDir = modelDir, MaxBatchSize = size });
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException
                                          or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                await Console.Error.WriteLineAsync($"emotion score: cannot load the model: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using (loaded)
            {
                TextReader reader;
                try
                {
                    reader = file is null or "-"
                        ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
                        : new StreamReader(file, Encoding.UTF8);
                }
                catch (IOException e)
                {
                    await Console.Error.WriteLineAsync($"emotion score: cannot read {file}: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
                using (reader)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    var anyBad = await ScoreAsync(loaded, reader, stdout, size, cancellationToken).ConfigureAwait(false);
                    return anyBad ? 1 : 0;
                }
            }
        });
        return command;
    }

    private static string DefaultModelDir() =>
        Path.Combine(CommonOptions.FindRepoRoot() ?? Directory.GetCurrentDirectory(), SentimentOptions.DefaultModelDirectory);

    /// <summary>Scores every line of <paramref name="reader"/> into <paramref name="output"/>; returns whether any line was bad.</summary>
    internal static async Task<bool> ScoreAsync(
        ISentimentModel model, TextReader reader, Stream output, int batchSize, CancellationToken cancellationToken)
    {
        var anyBad = false;
        var pending = new List<Item>(batchSize);
        var inputs = new List<SentimentInput>(batchSize);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            SkipValidation = true,
            // Readable output (accents, quotes); it goes to a terminal or a file, never into HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var item = Parse(line, lineNumber);
            anyBad |= item.Error is not null;
            pending.Add(item);
            if (item.Error is null) inputs.Add(item.Input);
            if (inputs.Count >= batchSize) await FlushAsync().ConfigureAwait(false);
        }
        await FlushAsync().ConfigureAwait(false);
        return anyBad;

        async Task FlushAsync()
        {
            var predictions = inputs.Count > 0 ? model.Predict(inputs) : [];
            var next = 0;
            foreach (var item in pending)
            {
                if (item.Error is not null)
                {
                    writer.WriteStartObject();
                    writer.WriteString("error", item.Error);
                    writer.WriteEndObject();
                }
                else
                {
                    WritePrediction(writer, predictions[next++], model.EmotionLabels);
                }
                writer.Flush();
                output.WriteByte((byte)'\n');
                writer.Reset();
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            pending.Clear();
            inputs.Clear();
        }
    }

    private static Item Parse(string line, int lineNumber)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Item.Bad(lineNumber, "expected a JSON object");
            if (!root.TryGetProperty("text", out var text)) return Item.Bad(lineNumber, "missing \"text\"");
            if (text.ValueKind != JsonValueKind.String) return Item.Bad(lineNumber, "\"text\" must be a string");
            string? lang = null;
            if (root.TryGetProperty("lang", out var l))
            {
                if (l.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return Item.Bad(lineNumber, "\"lang\" must be a string or null");
                lang = l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            }
            return new Item(new SentimentInput(text.GetString()!, lang), null);
        }
        catch (JsonException e)
        {
            var reason = e.Message.Length > MaxLineErrorLength ? e.Message[..MaxLineErrorLength] : e.Message;
            return Item.Bad(lineNumber, "invalid JSON: " + reason);
        }
    }

    private static void WritePrediction(Utf8JsonWriter writer, SentimentPrediction p, IReadOnlyList<string> emotionLabels)
    {
        writer.WriteStartObject();
        writer.WriteString("label", p.Label switch { < 0 => "negative", 0 => "neutral", _ => "positive" });
        writer.WriteNumber("valence", Round(p.Valence));
        writer.WriteStartObject("probs");
        writer.WriteNumber("negative", Round(p.Negative));
        writer.WriteNumber("neutral", Round(p.Neutral));
        writer.WriteNumber("positive", Round(p.Positive));
        writer.WriteEndObject();
        writer.WriteString("emotion", p.Emotion);
        writer.WriteStartObject("emotion_probs");
        for (var i = 0; i < p.EmotionProbs.Length && i < emotionLabels.Count; i++)
        {
            writer.WriteNumber(emotionLabels[i], Round(p.EmotionProbs[i]));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // Four decimals; Utf8JsonWriter formats numbers invariantly (shortest round-trip of the rounded double).
    private static double Round(float value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private readonly record struct Item(SentimentInput Input, string? Error)
    {
        public static Item Bad(int lineNumber, string reason) => new(default, $"line {lineNumber}: {reason}");
    }
}
