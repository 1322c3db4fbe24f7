namespace Emotion.Sentiment.Tests;

/// <summary>
/// The Hugging Face SentencePiece path against models/tiny-hf-sp/hf_parity.jsonl (an XLM-RoBERTa-shaped export:
/// sentencepiece.bpe.model, XLMRobertaTokenizer ids with the fairseq offset): identical token ids from
/// Microsoft.ML.Tokenizers' SentencePieceTokenizer, and ONNX Runtime logits and probabilities within 1e-4.
/// Fails (does not skip) when the fixture is missing.
/// </summary>
public sealed class HuggingFaceSentencePieceParityTests
{
    private static string ModelDir => Path.Combine(TestPaths.RepoRoot, "models", "tiny-hf-sp");

    private static List<HuggingFaceParity.Case> LoadCases() => HuggingFaceParity.LoadCases(ModelDir);

    private static HuggingFaceSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(ModelDir, "model.onnx");
        TestPaths.RequireFile(ModelDir, "sentencepiece.bpe.model");
        TestPaths.RequireFile(ModelDir, "tokenizer_config.json");
        return Assert.IsType<HuggingFaceSentimentModel>(SentimentModelLoader.Load(ModelDir, options));
    }

    [Fact]
    public void Labels_of_the_sentencepiece_export_map_to_negative_neutral_positive()
    {
        using var model = LoadModel();
        Assert.Equal([-1, 0, 1], model.Labels.ValenceOf);
        var probs = new[] { new[] { 0.8f, 0.1f, 0.1f }, new[] { 0.1f, 0.8f, 0.1f }, new[] { 0.1f, 0.1f, 0.8f } };
        Assert.Equal([-1, 0, 1], probs.Select(p => model.Labels.Predict(p).Label).ToArray());
    }

    [Fact]
    public void SentencePiece_tokenizer_gives_the_xlm_roberta_input_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        HuggingFaceParity.AssertIdsMatch(model, LoadCases());
    }

    [Fact]
    public void SentencePiece_export_reproduces_the_trainers_logits_and_probabilities_within_1e_4()
    {
        using var model = LoadModel();
        HuggingFaceParity.AssertLogitsAndProbabilities(model, LoadCases(), 1e-4f);
    }

    [Fact]
    public void SentencePiece_export_gives_the_same_logits_in_a_padded_batch_within_1e_5()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 8 });
        HuggingFaceParity.AssertBatchEqualsSingles(model, LoadCases(), 1e-5f);
    }

    [Fact]
    public void SentencePiece_truncation_keeps_at_most_max_sequence_length_ids_between_s_and_end_s()
    {
        using var model = LoadModel(new SentimentOptions { MaxSequenceLength = 16 });
        var ids = model.EncodeIds(string.Join(' ', Enumerable.Repeat("gracias por su ayuda", 50)));
        Assert.Equal(16, ids.Count);
        Assert.Equal(0, ids[0]);
        Assert.Equal(2, ids[^1]);
        Assert.DoesNotContain(1, ids);
    }
}
