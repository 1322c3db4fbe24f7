using System.Text;

namespace Emotion.Sentiment.Tests;

/// <summary>The optional word vocabulary of emotion-hash-v1 (tokenizer.json "vocab"): loading, validation, the extra id column.</summary>
public sealed class HashVocabularyTests : IDisposable
{
    private const string Params = "\"type\": \"emotion-hash-v1\", \"buckets\": 131072, \"min_n\": 3, \"max_n\": 5, \"max_tokens\": 64, \"max_subwords\": 16";

    private static readonly HashTokenizer Plain = new(new HashTokenizerOptions());

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("emotion-vocab-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string TokenizerJson => Path.Combine(_dir.FullName, "tokenizer.json");

    // Writes vocab.txt (raw bytes, so tests control newlines and BOMs) and a tokenizer.json naming it.
    private HashTokenizer WithVocabulary(string vocab)
    {
        WriteVocabulary("vocab.txt", Encoding.UTF8.GetBytes(vocab));
        return HashTokenizer.FromFile(TokenizerJson);
    }

    private void WriteVocabulary(string file, byte[] content, string? name = null)
    {
        File.WriteAllBytes(Path.Combine(_dir.FullName, file), content);
        File.WriteAllText(TokenizerJson, $$"""{{{Params}}, "vocab": "{{name ?? file}}"}""");
    }

    // The rows of Encode's output for `text`: the feature ids and, when there is one, the vocabulary column.
    private static (long[][] Features, long[] VocabIds) Encode(HashTokenizer tokenizer, string text)
    {
        var ids = new long[tokenizer.IdsPerText];
        var count = tokenizer.Encode(text, ids);
        var width = tokenizer.Width;
        var subwords = tokenizer.Options.MaxSubwords;
        var features = new long[count][];
        var vocabIds = new long[count];
        for (var t = 0; t < count; t++)
        {
            features[t] = ids.AsSpan(t * width, subwords).ToArray();
            vocabIds[t] = width > subwords ? ids[t * width + subwords] : -1;
        }
        return (features, vocabIds);
    }

    [Fact]
    public void Width_is_max_subwords_without_a_vocabulary_and_one_more_with_one()
    {
        File.WriteAllText(TokenizerJson, $$"""{{{Params}}}""");
        var options = HashTokenizerOptions.Load(TokenizerJson);
        Assert.Null(options.Vocabulary);
        Assert.Equal(16, options.Width);
        Assert.Equal(64 * 16, options.IdsPerText);
        Assert.Equal(options.IdsPerText, new HashTokenizer(options).IdsPerText);

        var tokenizer = WithVocabulary("hola\n");
        Assert.Equal(17, tokenizer.Width);
        Assert.Equal(64 * 17, tokenizer.IdsPerText);
        Assert.Equal(1, tokenizer.Options.Vocabulary!.Count);
    }

    [Fact]
    public void Encode_writes_the_line_number_of_word_tokens_in_the_vocabulary_and_0_for_the_others()
    {
        var tokenizer = WithVocabulary("hola\ngracias\namigo\n");
        var (_, vocabIds) = Encode(tokenizer, "Hola, muchas gracias amigo");
        Assert.Equal([1, 0, 2, 3], vocabIds);
    }

    [Fact]
    public void Encode_gives_symbol_tokens_0_even_when_the_vocabulary_lists_them()
    {
        var tokenizer = WithVocabulary("!\n?\n😀\nhola\n");
        Assert.Equal(["hola", "!", "😀", "?"], tokenizer.Tokenize("Hola! 😀?"));
        var (_, vocabIds) = Encode(tokenizer, "Hola! 😀?");
        Assert.Equal([4, 0, 0, 0], vocabIds);
    }

    [Fact]
    public void Encode_gives_the_empty_token_of_a_text_without_tokens_0()
    {
        var tokenizer = WithVocabulary("hola\n");
        var (features, vocabIds) = Encode(tokenizer, "...");
        Assert.Single(features);
        Assert.Equal([0], vocabIds);
    }

    [Theory]
    [InlineData("Café")]
    [InlineData("CAFÉ")]
    [InlineData("cafe\u0301")]
    [InlineData("caféééé")]
    public void Encode_finds_accented_and_capitalized_words_by_their_normalized_token(string word)
    {
        var tokenizer = WithVocabulary("te\ncafe\n");
        var (_, vocabIds) = Encode(tokenizer, word + " y té");
        // "caféééé" folds to "cafee" (NFKD drops the accents, then elongation keeps two e's), not in the vocabulary.
        long[] expected = word == "caféééé" ? [0, 0, 1] : [2, 0, 1];
        Assert.Equal(expected, vocabIds);
    }

    [Fact]
    public void Encode_finds_numbers_as_the_token_0()
    {
        // Number-only words are word tokens whose string is "0" (step 4 of the spec).
        var tokenizer = WithVocabulary("euros\n0\n");
        var (_, vocabIds) = Encode(tokenizer, "1500 euros");
        Assert.Equal([2, 1], vocabIds);
    }

    [Fact]
    public void Encode_finds_words_outside_the_basic_multilingual_plane()
    {
        // U+10400 DESERET CAPITAL LONG I lowercases to U+10428: surrogate pairs in the token and the file.
        var tokenizer = WithVocabulary("x\n\U00010428\U0001042F\n");
        var (_, vocabIds) = Encode(tokenizer, "\U00010400\U00010407 x");
        Assert.Equal([2, 1], vocabIds);
    }

    [Fact]
    public void Encode_with_a_vocabulary_keeps_the_feature_ids_of_the_tokenizer_without_one()
    {
        const string text = "Buenos días, quería reclamar la factura 2024 😡 @soporte https://x.es [espera 30s] ¡¡graciaaaas!!";
        var tokenizer = WithVocabulary("buenos\ndias\nfactura\n");
        var (features, vocabIds) = Encode(tokenizer, text);
        var (plain, _) = Encode(Plain, text);
        Assert.Equal(plain, features);
        Assert.Equal(new long[] { 1, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 }, vocabIds);
    }

    [Fact]
    public void Encode_with_a_vocabulary_does_not_touch_rows_after_the_last_token()
    {
        var tokenizer = WithVocabulary("hola\n");
        var ids = new long[tokenizer.IdsPerText];
        ids.AsSpan().Fill(-7);
        Assert.Equal(1, tokenizer.Encode("hola", ids));
        Assert.Equal(1, ids[16]);
        Assert.Equal(-7, ids[17]);
    }

    [Fact]
    public void Encode_with_a_vocabulary_rejects_a_span_of_max_tokens_times_max_subwords()
    {
        var tokenizer = WithVocabulary("hola\n");
        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode("hola", new long[64 * 16]));
        Assert.Contains("1088", error.Message);
    }

    [Fact]
    public void Encode_with_a_vocabulary_does_not_allocate_once_warm()
    {
        HashTokenizerTests.AssertEncodeDoesNotAllocateOnceWarm(WithVocabulary("hello\nwaiting\nminutes\n"), HashTokenizerTests.AllocationText);
    }

    [Theory]
    [InlineData("a\nb\nc")]
    [InlineData("a\nb\nc\n")]
    public void Load_numbers_lines_from_1_with_or_without_a_final_newline(string content)
    {
        var vocabulary = WithVocabulary(content).Options.Vocabulary!;
        Assert.Equal(3, vocabulary.Count);
        Assert.Equal(1, vocabulary.IdOf("a"));
        Assert.Equal(3, vocabulary.IdOf("c"));
        Assert.Equal(0, vocabulary.IdOf("d"));
        Assert.Equal(0, vocabulary.IdOf(""));
    }

    [Fact]
    public void Load_reads_a_vocabulary_in_a_subfolder_of_the_model_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "words"));
        WriteVocabulary(Path.Combine("words", "vocab.txt"), "hola\n"u8.ToArray(), name: "words/vocab.txt");
        Assert.Equal(1, HashTokenizerOptions.Load(TokenizerJson).Vocabulary!.IdOf("hola"));
    }

    [Fact]
    public void Load_of_a_missing_vocabulary_file_names_it()
    {
        File.WriteAllText(TokenizerJson, $$"""{{{Params}}, "vocab": "vocab.txt"}""");
        var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(TokenizerJson));
        Assert.Contains(Path.Combine(_dir.FullName, "vocab.txt"), error.Message);
        Assert.Contains(TokenizerJson, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData("\"../vocab.txt\"", "inside")]
    [InlineData("\"/etc/hostname\"", "inside")]
    [InlineData("\"\"", "name of a file")]
    [InlineData("7", "name of a file")]
    [InlineData("null", "name of a file")]
    public void Load_rejects_a_vocab_setting_that_is_not_a_file_in_the_model_directory(string value, string expected)
    {
        File.WriteAllText(TokenizerJson, $$"""{{{Params}}, "vocab": {{value}}}""");
        var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(TokenizerJson));
        Assert.Contains(TokenizerJson, error.Message);
        Assert.Contains("\"vocab\"", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("hola\nadios\nhola\n", "line 3 repeats 'hola' from line 1")]
    [InlineData("hola\n\nadios\n", "line 2 is empty")]
    [InlineData("hola\r\nadios\r\n", "line 1 contains '\\r'")]
    [InlineData("", "no lines")]
    [InlineData("\n", "no lines")]
    public void Load_rejects_a_vocabulary_file_with_bad_lines_naming_the_file_and_line(string content, string expected)
    {
        WriteVocabulary("vocab.txt", Encoding.UTF8.GetBytes(content));
        var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(TokenizerJson));
        Assert.Contains(Path.Combine(_dir.FullName, "vocab.txt"), error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_rejects_a_vocabulary_file_that_is_not_utf8()
    {
        WriteVocabulary("vocab.txt", [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n']);
        var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(TokenizerJson));
        Assert.Contains(Path.Combine(_dir.FullName, "vocab.txt"), error.Message);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void Load_rejects_a_vocabulary_file_with_a_byte_order_mark()
    {
        WriteVocabulary("vocab.txt", [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\n']);
        var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(TokenizerJson));
        Assert.Contains(Path.Combine(_dir.FullName, "vocab.txt"), error.Message);
        Assert.Contains("byte order mark", error.Message);
    }

    [Fact]
    public void Load_of_a_model_and_tokenizer_json_that_disagree_on_the_vocabulary_column_names_both_files()
    {
        // Fixtures/vocab-column/model.onnx reads [batch, tokens, 17]; a tokenizer.json without "vocab" gives rows of 16.
        var onnx = TestPaths.RequireFile(Path.Combine(TestPaths.RepoRoot, "tests", "Sentiment.Tests", "Fixtures", "vocab-column"), "model.onnx");
        File.Copy(onnx, Path.Combine(_dir.FullName, "model.onnx"));
        File.WriteAllText(Path.Combine(_dir.FullName, "labels.json"),
            """{"valence": ["negative", "neutral", "positive"], "emotion": [], "version": "vocab-column-test"}""");
        File.WriteAllText(TokenizerJson, $$"""{{{Params}}}""");
        var error = Assert.Throws<InvalidDataException>(() => SentimentModelLoader.Load(_dir.FullName));
        Assert.Contains(Path.Combine(_dir.FullName, "model.onnx"), error.Message);
        Assert.Contains(TokenizerJson, error.Message);
        Assert.Contains("max_subwords = 16", error.Message);
    }
}
