using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// Checks shared by the Hugging Face parity tests (WordPiece in models/tiny-hf, SentencePiece in models/tiny-hf-sp):
/// each fixture line holds a text, the ids a reference tokenizer gives it and the trainer's logits.
/// </summary>
internal static class HuggingFaceParity
{
    public sealed record Case(string Text, long[] InputIds, float[] Logits);

    /// <summary>The fixture's cases; fails when the file is missing or empty.</summary>
    public static List<Case> LoadCases(string modelDir)
    {
        var path = TestPaths.RequireFile(modelDir, "hf_parity.jsonl");
        var cases = File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return new Case(
                e.GetProperty("text").GetString()!,
                Flatten(e.GetProperty("input_ids")).Select(x => x.GetInt64()).ToArray(),
                Flatten(e.GetProperty("logits")).Select(x => x.GetSingle()).ToArray());
        }).ToList();
        Assert.NotEmpty(cases);
        return cases;
    }

    /// <summary>The model's tokenizer gives exactly the fixture's ids for every text.</summary>
    public static void AssertIdsMatch(HuggingFaceSentimentModel model, IEnumerable<Case> cases)
    {
        var mismatches = cases
            .Where(c => !model.EncodeIds(c.Text).Select(i => (long)i).SequenceEqual(c.InputIds))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: want [{string.Join(",", c.InputIds)}] got [{string.Join(",", model.EncodeIds(c.Text))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>Logits, probabilities and label of every text match the fixture within <paramref name="tolerance"/>.</summary>
    public static void AssertLogitsAndProbabilities(HuggingFaceSentimentModel model, IEnumerable<Case> cases, float tolerance)
    {
        foreach (var c in cases)
        {
            var context = JsonSerializer.Serialize(c.Text);
            var logits = model.PredictLogits([new SentimentInput(c.Text)])[0];
            EmotionModelParityTests.AssertClose(c.Logits, logits, tolerance, context);

            var probs = new float[c.Logits.Length];
            var max = c.Logits.Max();
            var sum = c.Logits.Sum(l => Math.Exp(l - max));
            for (var i = 0; i < probs.Length; i++) probs[i] = (float)(Math.Exp(c.Logits[i] - max) / sum);
            var expected = model.Labels.Predict(probs);
            var actual = model.Predict([new SentimentInput(c.Text)])[0];
            EmotionModelParityTests.AssertClose(
                [expected.Negative, expected.Neutral, expected.Positive], [actual.Negative, actual.Neutral, actual.Positive], tolerance, context);
            Assert.Equal(expected.Label, actual.Label);
        }
    }

    /// <summary>A padded batch of every text gives each text's single logits within <paramref name="tolerance"/>.</summary>
    public static void AssertBatchEqualsSingles(HuggingFaceSentimentModel model, IEnumerable<Case> cases, float tolerance)
    {
        var inputs = cases.Select(c => new SentimentInput(c.Text)).ToArray();
        var batched = model.PredictLogits(inputs);
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = model.PredictLogits([inputs[i]])[0];
            EmotionModelParityTests.AssertClose(single, batched[i], tolerance, JsonSerializer.Serialize(inputs[i].Text));
        }
    }

    // Accepts [..] or [[..]] (a batch of one).
    private static IEnumerable<JsonElement> Flatten(JsonElement array) =>
        array.EnumerateArray().SelectMany(x => x.ValueKind == JsonValueKind.Array ? x.EnumerateArray() : new[] { x }.AsEnumerable());
}
