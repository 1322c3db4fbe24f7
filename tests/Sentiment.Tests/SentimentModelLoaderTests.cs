namespace Emotion.Sentiment.Tests;

public sealed class SentimentModelLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("emotion-model-");

    public void Dispose() => _dir.Delete(recursive: true);

    private void Write(string file, string content) => File.WriteAllText(Path.Combine(_dir.FullName, file), content);

    [Fact]
    public void Load_of_a_missing_directory_names_it_and_the_setting()
    {
        var missing = Path.Combine(_dir.FullName, "nope");
        var error = Assert.Throws<DirectoryNotFoundException>(() => SentimentModelLoader.Load(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("Sentiment:ModelDir", error.Message);
    }

    [Fact]
    public void Load_of_an_empty_directory_lists_what_either_kind_of_model_needs()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains(_dir.FullName, error.Message);
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("config.json", error.Message);
    }

    [Theory]
    [InlineData("model.onnx", "labels.json")]
    [InlineData("labels.json", "model.onnx")]
    public void Load_of_the_project_model_names_the_missing_file(string present, string missing)
    {
        Write("tokenizer.json", """{"type": "emotion-hash-v1"}""");
        Write(present, "{}");
        var error = Assert.Throws<FileNotFoundException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains(missing, error.Message);
        Assert.Contains(_dir.FullName, error.Message);
        Assert.Equal(Path.Combine(_dir.FullName, missing), error.FileName);
    }

    [Fact]
    public void Load_of_a_hugging_face_export_without_a_vocabulary_names_vocab_txt()
    {
        Write("config.json", """{"id2label": {"0": "NEG", "1": "POS"}}""");
        var error = Assert.Throws<FileNotFoundException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains("vocab.txt", error.Message);
        Assert.Contains(_dir.FullName, error.Message);
    }

    [Fact]
    public void Load_of_a_hugging_face_export_without_config_names_config_json()
    {
        Write("vocab.txt", "[PAD]\n[UNK]\n");
        var error = Assert.Throws<FileNotFoundException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void Load_of_a_hugging_face_export_without_the_onnx_file_names_model_onnx()
    {
        Write("config.json", """{"id2label": {"0": "NEG", "1": "POS"}}""");
        Write("vocab.txt", "[PAD]\n[UNK]\n");
        var error = Assert.Throws<FileNotFoundException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains("model.onnx", error.Message);
    }

    [Fact]
    public void Load_of_a_foreign_tokenizer_json_says_it_is_not_emotion_hash_v1()
    {
        Write("tokenizer.json", """{"version": "1.0", "model": {"type": "WordPiece"}}""");
        var error = Assert.Throws<InvalidDataException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains("emotion-hash-v1", error.Message);
    }

    [Fact]
    public void Load_rejects_invalid_options_before_touching_files()
    {
        Assert.Throws<ArgumentException>(() => SentimentModelLoader.Load(_dir.FullName, new SentimentOptions { MaxBatchSize = 0 }));
    }

    [Fact]
    public void ResolveModelDir_finds_a_relative_model_directory_under_the_repository_root()
    {
        Assert.Equal(TestPaths.EmotionModelDir, SentimentModelLoader.ResolveModelDir("models/emotion-v1"));
        Assert.Equal(_dir.FullName, SentimentModelLoader.ResolveModelDir(_dir.FullName));
    }

    [Fact]
    public void Load_picks_the_implementation_by_the_files_in_the_directory()
    {
        using var own = SentimentModelLoader.Load(TestPaths.EmotionModelDir);
        using var hf = SentimentModelLoader.Load(TestPaths.TinyHfModelDir);
        Assert.IsType<OnnxSentimentModel>(own);
        Assert.IsType<HuggingFaceSentimentModel>(hf);
        Assert.Equal("tiny-hf", hf.Version);
        Assert.Empty(hf.EmotionLabels);
        var p = hf.Predict([new SentimentInput("gracias")])[0];
        Assert.Equal("neutral", p.Emotion);
        Assert.Empty(p.EmotionProbs);
        Assert.Equal(1f, p.Negative + p.Neutral + p.Positive, 1e-5f);
    }
}
