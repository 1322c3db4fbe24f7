namespace Emotion.Sentiment.Tests;

public sealed class HashTokenizerTests
{
    private static readonly HashTokenizer Tokenizer = new(new HashTokenizerOptions());

    // Expected tokens come from an independent Python reading of docs/tokenizer-hash-v1.md
    // (re.sub for the placeholders, unicodedata.normalize('NFKD'), category != 'Mn', str.lower per code point).
    [Theory]
    [InlineData("¡Hola! ¿Cómo estás?", new[] { "hola", "!", "como", "estas", "?" })]
    [InlineData("ÑANDÚ", new[] { "nandu" })]
    [InlineData("\uFB01n \uFF28\uFF4F\uFF4C\uFF41 x\u00B2", new[] { "fin", "hola", "x2" })]
    public void Tokenize_normalizes_accents_compatibility_forms_and_case(string text, string[] expected)
    {
        Assert.Equal(expected, Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Tokenize_folds_elongated_ascii_letters_to_two()
    {
        Assert.Equal(["noo", "esta", "muy", "maal"], Tokenizer.Tokenize("Nooooo, está MUY maaaal"));
    }

    [Fact]
    public void Tokenize_does_not_fold_three_non_ascii_letters()
    {
        // ñ folds to n by NFKD before elongation, so it is folded; ß is not a-z and stays.
        Assert.Equal(["nn", "ßßß"], Tokenizer.Tokenize("ññññ ßßß"));
    }

    [Theory]
    [InlineData("Mira https://ejemplo.com/x?y=1 y www.foo.es ahora", new[] { "mira", "httpurl", "y", "httpurl", "ahora" })]
    [InlineData("http:// nada", new[] { "http", "nada" })]
    [InlineData("xhttp://a.b c", new[] { "x", "httpurl", "c" })]
    public void Tokenize_replaces_urls_with_a_placeholder(string text, string[] expected)
    {
        Assert.Equal(expected, Tokenizer.Tokenize(text));
    }

    [Theory]
    [InlineData("@juan_perez gracias", new[] { "atuser", "gracias" })]
    [InlineData("correo: ana@empresa.com", new[] { "correo", "ana", "atuser", "com" })]
    [InlineData("@ solo", new[] { "solo" })]
    public void Tokenize_replaces_mentions_with_a_placeholder(string text, string[] expected)
    {
        Assert.Equal(expected, Tokenizer.Tokenize(text));
    }

    [Theory]
    [InlineData("[silencio 40s] sí [ruido] claro", new[] { "si", "claro" })]
    [InlineData("[sin cierre hola", new[] { "sin", "cierre", "hola" })]
    [InlineData("[a [b] c]", new[] { "c" })]
    public void Tokenize_removes_timing_markers(string text, string[] expected)
    {
        Assert.Equal(expected, Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Tokenize_turns_number_only_words_into_zero()
    {
        Assert.Equal(["pague", "0", "euros", "el", "0", "0", "abc123"], Tokenizer.Tokenize("Pagué 1500 euros el 3/4 abc123"));
    }

    [Fact]
    public void Tokenize_keeps_emoji_and_marks_as_single_tokens_and_drops_skin_tones()
    {
        // U+1F3FD (skin tone) is Sk, a separator; U+FE0F is Mn and dropped.
        Assert.Equal(["gracias", "😀", "👍", "!", "!", "❤"], Tokenizer.Tokenize("Gracias 😀👍🏽!! ❤\uFE0F"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("[solo un marcador]")]
    public void Tokenize_gives_one_empty_token_for_text_without_tokens(string text)
    {
        Assert.Equal([""], Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Tokenize_truncates_to_max_tokens()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => "palabra" + (char)('a' + i % 26)));
        var tokens = Tokenizer.Tokenize(text);
        Assert.Equal(64, tokens.Count);
        Assert.Equal("palabraa", tokens[0]);
        Assert.Equal("palabral", tokens[63]);
    }

    [Fact]
    public void Tokenize_treats_lone_surrogates_as_separators()
    {
        Assert.Equal(["a", "b"], Tokenizer.Tokenize("a\uD800b"));
        Assert.Equal(["a", "b"], Tokenizer.Tokenize("á\uDC00b"));
    }

    [Fact]
    public void Features_lists_the_word_then_ngrams_by_length_and_position()
    {
        var features = Tokenizer.Features("Hola");
        Assert.Equal(
            ["w|hola", "<ho", "hol", "ola", "la>", "<hol", "hola", "ola>", "<hola", "hola>"],
            features.Single());
    }

    [Fact]
    public void Features_skip_the_ngram_equal_to_the_whole_padded_word()
    {
        Assert.Equal(["w|ok", "<ok", "ok>"], Tokenizer.Features("ok").Single());
    }

    [Fact]
    public void Features_of_symbols_single_letters_and_numbers_are_the_word_feature_only()
    {
        Assert.Equal(
            new[] { new[] { "w|!" }, ["w|a"], ["w|0"], ["w|😀"] },
            Tokenizer.Features("! a 123 😀").Select(f => f.ToArray()));
    }

    [Fact]
    public void Features_are_capped_at_max_subwords()
    {
        var features = Tokenizer.Features("extraordinariamente").Single();
        Assert.Equal(16, features.Count);
        Assert.Equal("w|extraordinariamente", features[0]);
        Assert.Equal("ame", features[15]);
    }

    // FNV-1a 32 of UTF-8 bytes. "a" -> 0xE40C292C is the published FNV test vector; the others were computed with
    // python3: h=2166136261; for b in s.encode('utf-8'): h=((h^b)*16777619)&0xffffffff
    [Theory]
    [InlineData("", 2166136261u)]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("w|hola", 2152152288u)]
    [InlineData("<ho", 1032522866u)]
    [InlineData("hola>", 389188875u)]
    [InlineData("w|😀", 1053555055u)]
    [InlineData("w|sí", 4141767523u)]
    public void Fnv1a_matches_independently_computed_values(string text, uint expected)
    {
        Assert.Equal(expected, HashTokenizer.Fnv1a(text));
    }

    [Fact]
    public void IdOf_maps_hashes_into_one_to_buckets_minus_one()
    {
        Assert.Equal(1 + (2152152288L % 131071), Tokenizer.IdOf(2152152288u));
        Assert.Equal(1, Tokenizer.IdOf(0));
        Assert.Equal(1, Tokenizer.IdOf(131071));
    }

    // Expected ids from the same Python reading: 1 + fnv1a(feature) % (131072 - 1).
    [Fact]
    public void Encode_writes_hashed_feature_ids_and_zero_padding()
    {
        var ids = new long[Tokenizer.IdsPerText];
        ids.AsSpan().Fill(-7);
        var count = Tokenizer.Encode("Hola", ids);
        Assert.Equal(1, count);
        Assert.Equal(
            new long[] { 97540, 76600, 128366, 1228, 69329, 37677, 43771, 36523, 36807, 39077, 0, 0, 0, 0, 0, 0 },
            ids[..16]);
        Assert.Equal(-7, ids[16]);
    }

    [Fact]
    public void Encode_of_symbols_and_accented_words_matches_the_reference()
    {
        var ids = new long[Tokenizer.IdsPerText];
        var count = Tokenizer.Encode("¡Sí! 😀", ids);
        Assert.Equal(3, count);
        Assert.Equal(new long[] { 50520, 73116, 32246 }, ids[..3]);
        Assert.Equal(83183, ids[16]);
        Assert.Equal(6358, ids[32]);
    }

    [Fact]
    public void Encode_agrees_with_the_hash_of_every_feature_string()
    {
        const string text = "Buenos días, quería reclamar la factura 2024 😡 @soporte https://x.es [espera 30s] ¡¡graciaaaas!!";
        var ids = new long[Tokenizer.IdsPerText];
        var count = Tokenizer.Encode(text, ids);
        var features = Tokenizer.Features(text);
        Assert.Equal(features.Count, count);
        for (var t = 0; t < count; t++)
        {
            var expected = features[t].Select(f => Tokenizer.IdOf(HashTokenizer.Fnv1a(f)))
                .Concat(Enumerable.Repeat(0L, 16 - features[t].Count));
            Assert.Equal(expected, ids.AsSpan(t * 16, 16).ToArray());
        }
    }

    [Fact]
    public void Encode_rejects_a_span_shorter_than_max_tokens_times_max_subwords()
    {
        Assert.Throws<ArgumentException>(() => Tokenizer.Encode("hola", new long[10]));
    }

    [Fact]
    public void Encode_does_not_allocate_for_ascii_text_once_warm()
    {
        AssertEncodeDoesNotAllocateOnceWarm(Tokenizer, AllocationText);
    }

    // ASCII text that goes through every step: placeholders, a timing marker, numbers, symbols.
    internal const string AllocationText = "hello, I have been waiting for 40 minutes and nobody helps me!! @agent http://x.com [hold 30s]";

    /// <summary>Encodes <paramref name="text"/> 100 times to warm up, then checks that 100 more allocate nothing.</summary>
    internal static void AssertEncodeDoesNotAllocateOnceWarm(HashTokenizer tokenizer, string text)
    {
        var ids = new long[tokenizer.IdsPerText];
        for (var i = 0; i < 100; i++) tokenizer.Encode(text, ids);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) tokenizer.Encode(text, ids);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Options_load_reads_tokenizer_json_and_rejects_other_types()
    {
        var dir = Directory.CreateTempSubdirectory("emotion-tok-");
        try
        {
            var path = Path.Combine(dir.FullName, "tokenizer.json");
            File.WriteAllText(path, """{"type": "emotion-hash-v1", "buckets": 1000, "min_n": 2, "max_n": 4, "max_tokens": 8, "max_subwords": 4}""");
            Assert.Equal(new HashTokenizerOptions { Buckets = 1000, MinN = 2, MaxN = 4, MaxTokens = 8, MaxSubwords = 4 }, HashTokenizerOptions.Load(path));
            File.WriteAllText(path, """{"type": "wordpiece"}""");
            var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static readonly HashTokenizer Chat = new(new HashTokenizerOptions { Unescape = true, Emoticons = true });

    // Expected tokens of the next tests come from models/train/hashtok.py with "unescape" and "emoticons" on.
    [Theory]
    [InlineData(@"I don\u2019t like it\u002c really", new[] { "i", "don", "t", "like", "it", "really" })]
    [InlineData(@"jaja \ud83d\ude02 lone \ud83d and \ude02 x \u00e9 \uZZ12 \u12 end \u",
        new[] { "jaja", "\U0001F602", "lone", "ud83d", "and", "ude02", "x", "e", "uzz12", "u12", "end", "u" })]
    [InlineData(@"\\u0041 double backslash", new[] { "a", "double", "backslash" })]
    public void Unescape_decodes_literal_u_escapes_and_pairs_and_keeps_lone_surrogates(string text, string[] expected)
    {
        Assert.Equal(expected, Chat.Tokenize(text));
    }

    [Fact]
    public void Unescape_is_off_unless_tokenizer_json_turns_it_on()
    {
        Assert.Equal(["i", "don", "u2019t", "like", "it", "u002c", "really"], Tokenizer.Tokenize(@"I don\u2019t like it\u002c really"));
    }

    [Theory]
    [InlineData("gracias :) :-) =) :D XD xd xDDD ;) ;-D (: ): (; :( :-( :'( :[ :/ :-/ :| :P :p :* :o :O <3 <333 </3",
        new[] { "gracias", "emosmile", "emosmile", "emosmile", "emolaugh", "emolaugh", "emolaugh", "emolaugh", "emowink",
                "emowink", "emosmile", "emofrown", "emowink", "emofrown", "emofrown", "emocry", "emofrown", "emoskeptic",
                "emoskeptic", "emoskeptic", "emotongue", "emotongue", "emokiss", "emosurprise", "emosurprise", "emoheart",
                "emoheart", "emobrokenheart" })]
    [InlineData("^^ ^_^ -_- -.- T_T ;_; o_O O.o :)) :))) :)( :)D ):) 8) :3 ok:) :)!! :),, ?:) \":)\" x xx Xd",
        new[] { "emosmile", "emosmile", "emoannoyed", "emoannoyed", "emocry", "emocry", "emosurprise", "emosurprise",
                "emosmile", "emosmile", "d", "0", "0", "ok", "emosmile", "!", "!", "emosmile", "?", "x", "xx", "emolaugh" })]
    [InlineData("no me ayudaron :( pero bueno... ok gracias :/",
        new[] { "no", "me", "ayudaron", "emofrown", "pero", "bueno", "ok", "gracias", "emoskeptic" })]
    [InlineData("@user :) https://t.co/x:) [nota :)] :)", new[] { "atuser", "emosmile", "httpurl", "emosmile" })]
    public void Emoticons_become_placeholder_words(string text, string[] expected)
    {
        Assert.Equal(expected, Chat.Tokenize(text));
    }

    [Fact]
    public void Emoticons_are_off_unless_tokenizer_json_turns_them_on()
    {
        Assert.Equal(["gracias", "0", "xd"], Tokenizer.Tokenize("gracias :) <3 xD"));
    }

    [Fact]
    public void Encode_with_unescape_and_emoticons_does_not_allocate_once_warm()
    {
        AssertEncodeDoesNotAllocateOnceWarm(Chat, @"I don't get it\u002c :( waited 40 minutes @agent http://x.com [hold 30s] ok thanks :)");
    }

    [Fact]
    public void Options_load_reads_unescape_and_emoticons_and_rejects_non_booleans()
    {
        var dir = Directory.CreateTempSubdirectory("emotion-tok-");
        try
        {
            var path = Path.Combine(dir.FullName, "tokenizer.json");
            File.WriteAllText(path, """{"type": "emotion-hash-v1", "unescape": true, "emoticons": false}""");
            Assert.Equal(new HashTokenizerOptions { Unescape = true }, HashTokenizerOptions.Load(path));
            File.WriteAllText(path, """{"type": "emotion-hash-v1", "emoticons": "yes"}""");
            var error = Assert.Throws<InvalidDataException>(() => HashTokenizerOptions.Load(path));
            Assert.Contains("\"emoticons\" must be true or false", error.Message);
            Assert.Contains(path, error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
