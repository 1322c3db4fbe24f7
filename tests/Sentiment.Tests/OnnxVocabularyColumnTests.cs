namespace Emotion.Sentiment.Tests;

/// <summary>
/// <see cref="OnnxSentimentModel"/> with a tokenizer vocabulary: [batch, tokens, max_subwords + 1] tensors, single and
/// batched. The model is Fixtures/vocab-column/model.onnx (see make_model.py there), whose valence_probs are
/// softmax([0.1 * sum of the vocabulary column, 0.1 * token count, 0]), so the expected values follow from the
/// vocabulary ids written here by hand.
/// </summary>
public sealed class OnnxVocabularyColumnTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("emotion-vocab-model-");

    public OnnxVocabularyColumnTests()
    {
        var onnx = TestPaths.RequireFile(Path.Combine(TestPaths.RepoRoot, "tests", "Sentiment.Tests", "Fixtures", "vocab-column"), "model.onnx");
        File.Copy(onnx, Path.Combine(_dir.FullName, "model.onnx"));
        File.WriteAllText(Path.Combine(_dir.FullName, "tokenizer.json"),
            """{"type": "emotion-hash-v1", "buckets": 131072, "min_n": 3, "max_n": 5, "max_tokens": 64, "max_subwords": 16, "vocab": "vocab.txt"}""");
        File.WriteAllText(Path.Combine(_dir.FullName, "vocab.txt"), "hola\namigo\ngracias\n0\n!\n");
        File.WriteAllText(Path.Combine(_dir.FullName, "labels.json"),
            """{"valence": ["negative", "neutral", "positive"], "emotion": [], "version": "vocab-column-test"}""");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    // (text, sum of its vocabulary ids, number of tokens)
    public static TheoryData<string, int, int> Cases => new()
    {
        { "hola", 1, 1 },
        { "Hola amigo, gracias!", 6, 4 },      // "!" is line 5 but a symbol: 0
        { "...", 0, 1 },                        // the empty token
        { "Pagué 1500", 4, 2 },                 // "1500" is the word token "0", line 4
        { "adiós AMIGO 😀", 2, 3 },
        { string.Join(' ', Enumerable.Repeat("gracias", 30)), 90, 30 },
    };

    private static float[] Expected(int vocabSum, int tokens)
    {
        double[] logits = [0.1 * vocabSum, 0.1 * tokens, 0];
        var sum = logits.Sum(Math.Exp);
        return logits.Select(l => (float)(Math.Exp(l) / sum)).ToArray();
    }

    [Fact]
    public void Load_reads_the_vocabulary_and_gives_rows_of_max_subwords_plus_one()
    {
        using var model = Assert.IsType<OnnxSentimentModel>(SentimentModelLoader.Load(_dir.FullName));
        Assert.Equal(17, model.Tokenizer.Width);
        Assert.Equal(5, model.Tokenizer.Options.Vocabulary!.Count);
        Assert.Equal("vocab-column-test", model.Version);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Predict_feeds_the_vocabulary_column_to_the_model(string text, int vocabSum, int tokens)
    {
        using var model = SentimentModelLoader.Load(_dir.FullName);
        var p = model.Predict([new SentimentInput(text)])[0];
        EmotionModelParityTests.AssertClose(Expected(vocabSum, tokens), [p.Negative, p.Neutral, p.Positive], 1e-5f, text);
    }

    [Fact]
    public void Predict_of_batches_of_mixed_lengths_matches_the_expected_probabilities()
    {
        // 4 copies of every case with MaxBatchSize 16: two chunks, each split into length groups and padded.
        using var model = SentimentModelLoader.Load(_dir.FullName, new SentimentOptions { MaxBatchSize = 16 });
        var cases = Enumerable.Range(0, 4).SelectMany(_ => Cases.Select(row => ((string)row[0], (int)row[1], (int)row[2]))).ToArray();
        var predictions = model.Predict(cases.Select(c => new SentimentInput(c.Item1)).ToArray());
        for (var i = 0; i < cases.Length; i++)
        {
            var (text, vocabSum, tokens) = cases[i];
            var p = predictions[i];
            EmotionModelParityTests.AssertClose(Expected(vocabSum, tokens), [p.Negative, p.Neutral, p.Positive], 1e-5f, $"#{i} {text}");
        }
    }
}
