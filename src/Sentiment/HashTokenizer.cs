using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Emotion.Sentiment;

/// <summary>
/// The <c>emotion-hash-v1</c> tokenizer (docs/tokenizer-hash-v1.md): placeholders, NFKD without marks,
/// lowercase, elongation folding, split by code point category, hashed word and character n-gram features, and
/// with a vocabulary the vocabulary id of each word token.
/// </summary>
/// <remarks>
/// <see cref="Encode"/> is the hot path: it works on code points in per-thread scratch buffers and writes ids
/// into the caller's span, so after the first calls on a thread it allocates nothing for ASCII text and only
/// ICU's normalization for other text; vocabulary lookups go through a span-keyed lookup and allocate nothing.
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class HashTokenizer
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    // FNV-1a state after the bytes of "w|", the prefix of every word feature.
    private static readonly uint WordPrefixState = Step(Step(FnvOffset, (byte)'w'), (byte)'|');

    [ThreadStatic] private static Scratch? t_scratch;

    private readonly uint _bucketsMinusOne;

    /// <summary>Creates a tokenizer with the given parameters.</summary>
    public HashTokenizer(HashTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _bucketsMinusOne = (uint)(options.Buckets - 1);
    }

    /// <summary>Loads the parameters from a <c>tokenizer.json</c> file.</summary>
    public static HashTokenizer FromFile(string tokenizerJsonPath) => new(HashTokenizerOptions.Load(tokenizerJsonPath));

    /// <summary>The parameters.</summary>
    public HashTokenizerOptions Options { get; }

    /// <summary>Columns per token row: <c>MaxSubwords</c>, plus 1 with a vocabulary (<see cref="HashTokenizerOptions.Width"/>).</summary>
    public int Width => Options.Width;

    /// <summary>Ids needed per text: <c>MaxTokens * Width</c>, the minimum length of <see cref="Encode"/>'s span.</summary>
    public int IdsPerText => Options.IdsPerText;

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="ids"/> as rows of <see cref="Width"/> ids, one row per
    /// token: the <c>MaxSubwords</c> feature ids, unused slots set to 0, then with a vocabulary the token's
    /// vocabulary id (0 for symbols, the empty token and words not in it). Rows after the returned count are not touched.
    /// </summary>
    /// <returns>The number of tokens (rows written), between 1 and <c>MaxTokens</c>.</returns>
    public int Encode(ReadOnlySpan<char> text, Span<long> ids)
    {
        var width = Options.Width;
        var subwords = Options.MaxSubwords;
        if (ids.Length < IdsPerText)
        {
            throw new ArgumentException($"The ids span needs {IdsPerText} elements (MaxTokens * Width), it has {ids.Length}.", nameof(ids));
        }
        var s = t_scratch ??= new Scratch();
        var count = Analyze(text, s);
        for (var t = 0; t < count; t++)
        {
            var row = ids.Slice(t * width, width);
            var features = row[..subwords];
            var token = s.Tokens[t];
            var written = HashFeatures(s, token, features);
            features[written..].Clear();
            if (Options.Vocabulary is { } vocabulary) row[subwords] = VocabularyId(vocabulary, s, token);
        }
        return count;
    }

    /// <summary>The tokens of <paramref name="text"/> (step 5 of the spec), for tests and diagnostics.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = t_scratch ??= new Scratch();
        var count = Analyze(text, s);
        var result = new string[count];
        for (var t = 0; t < count; t++)
        {
            result[t] = ToString(TokenCodePoints(s, s.Tokens[t]));
        }
        return result;
    }

    /// <summary>The feature strings of every token of <paramref name="text"/> (step 6), for tests and diagnostics.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Features(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = t_scratch ??= new Scratch();
        var count = Analyze(text, s);
        var result = new IReadOnlyList<string>[count];
        for (var t = 0; t < count; t++)
        {
            var token = s.Tokens[t];
            var cps = TokenCodePoints(s, token);
            var features = new List<string> { "w|" + ToString(cps) };
            if (token.Kind == TokenKind.Word && cps.Length >= 2)
            {
                var padded = Pad(s, cps);
                for (var n = Options.MinN; n <= Options.MaxN && features.Count < Options.MaxSubwords; n++)
                {
                    if (n >= padded.Length) break;
                    for (var i = 0; i + n <= padded.Length && features.Count < Options.MaxSubwords; i++)
                    {
                        features.Add(ToString(padded.Slice(i, n)));
                    }
                }
            }
            result[t] = features.Count > Options.MaxSubwords ? features.GetRange(0, Options.MaxSubwords) : features;
        }
        return result;
    }

    /// <summary>FNV-1a 32-bit hash of the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static uint Fnv1a(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Fnv1a(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>FNV-1a 32-bit hash of <paramref name="bytes"/>.</summary>
    public static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var h = FnvOffset;
        foreach (var b in bytes) h = Step(h, b);
        return h;
    }

    /// <summary>The id of a feature hash: <c>1 + hash mod (Buckets - 1)</c>.</summary>
    public long IdOf(uint hash) => 1 + (hash % _bucketsMinusOne);

    // Steps 1-5: fills s.Cps with the normalized text and s.Tokens with the kept tokens; returns their count.
    private int Analyze(ReadOnlySpan<char> text, Scratch s)
    {
        var placed = ApplyPlaceholders(text, s);
        var length = Normalize(placed, s);
        length = FoldElongation(s.Cps, length);
        return Split(s, length);
    }

    // Steps 0, 1 and 1b: each stage that applies reads the current text and writes the other scratch buffer.
    private ReadOnlySpan<char> ApplyPlaceholders(ReadOnlySpan<char> text, Scratch s)
    {
        var current = text;
        var target = 0;
        if (Options.Unescape && current.Contains("\\u", StringComparison.Ordinal))
        {
            current = Unescape(current, s.Text(target));
            target ^= 1;
        }
        if (current.Contains("http", StringComparison.Ordinal) || current.Contains("www.", StringComparison.Ordinal))
        {
            current = ReplaceUrls(current, s.Text(target));
            target ^= 1;
        }
        if (current.Contains('@'))
        {
            current = ReplaceMentions(current, s.Text(target));
            target ^= 1;
        }
        if (current.Contains('['))
        {
            current = RemoveTimingMarkers(current, s.Text(target));
            target ^= 1;
        }
        if (Options.Emoticons)
        {
            current = ReplaceEmoticons(current, s.Text(target));
        }
        return current;
    }

    // Step 0: a literal \uXXXX becomes that UTF-16 code unit; a high-surrogate escape directly followed by a
    // low-surrogate escape becomes the pair; a lone surrogate escape stays as its six characters.
    private static ReadOnlySpan<char> Unescape(ReadOnlySpan<char> src, CharBuffer dst)
    {
        dst.Reset(src.Length);
        var i = 0;
        while (i < src.Length)
        {
            var v = EscapeAt(src, i);
            if (v < 0)
            {
                dst.Append(src[i]);
                i++;
            }
            else if (char.IsHighSurrogate((char)v) && EscapeAt(src, i + 6) is var low && low >= 0 && char.IsLowSurrogate((char)low))
            {
                dst.Append((char)v);
                dst.Append((char)low);
                i += 12;
            }
            else if (char.IsSurrogate((char)v))
            {
                dst.Append(src.Slice(i, 6));
                i += 6;
            }
            else
            {
                dst.Append((char)v);
                i += 6;
            }
        }
        return dst.Span;
    }

    // The value of the escape \uXXXX (four ASCII hex digits) at index i, or -1.
    private static int EscapeAt(ReadOnlySpan<char> s, int i)
    {
        if (i + 6 > s.Length || s[i] != '\\' || s[i + 1] != 'u') return -1;
        var value = 0;
        for (var k = i + 2; k < i + 6; k++)
        {
            var c = s[k];
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return -1;
            value = value * 16 + digit;
        }
        return value;
    }

    // Step 1b: every whitespace-separated chunk that is an emoticon once trailing '.', ',', '!', '?' are taken off
    // becomes " placeholder " followed by what was taken off. Returns src itself when no chunk is an emoticon.
    private static ReadOnlySpan<char> ReplaceEmoticons(ReadOnlySpan<char> src, CharBuffer dst)
    {
        var started = false;
        var copied = 0;
        var i = 0;
        while (i < src.Length)
        {
            if (IsPythonSpace(src[i]))
            {
                i++;
                continue;
            }
            var end = i;
            while (end < src.Length && !IsPythonSpace(src[end])) end++;
            var chunk = src[i..end];
            var core = chunk.TrimEnd(".,!?");
            var word = EmoticonWord(core);
            if (word is not null)
            {
                if (!started)
                {
                    dst.Reset(src.Length + 32);
                    started = true;
                }
                dst.Append(src[copied..i]);
                dst.Append(' ');
                dst.Append(word);
                dst.Append(' ');
                dst.Append(chunk[core.Length..]);
                copied = end;
            }
            i = end;
        }
        if (!started) return src;
        dst.Append(src[copied..]);
        return dst.Span;
    }

    /// <summary>
    /// The placeholder word of an emoticon (<c>:)</c> -> <c>emosmile</c>, <c>:'(</c> -> <c>emocry</c>, <c>&lt;3</c> ->
    /// <c>emoheart</c>), or null: the table of docs/tokenizer-hash-v1.md step 1b.
    /// </summary>
    public static string? EmoticonWord(ReadOnlySpan<char> core)
    {
        var n = core.Length;
        if (n < 2) return null;
        switch (core)
        {
            case "^^" or "^_^" or "^.^" or "^-^": return "emosmile";
            case "-_-" or "-.-": return "emoannoyed";
            case "T_T" or "T.T" or ";_;": return "emocry";
            case "o_O" or "O_o" or "o.O" or "O.o" or "O_O" or "o_o": return "emosurprise";
        }
        if (core[0] == '<' && AllAre(core[1..], '3', '3')) return "emoheart";
        if (n >= 3 && core[0] == '<' && core[1] == '/' && AllAre(core[2..], '3', '3')) return "emobrokenheart";
        if (core[0] is 'x' or 'X' && AllAre(core[1..], 'd', 'D')) return "emolaugh";
        if (core[0] is ':' or ';' or '=')
        {
            var i = core[1] is '-' or '^' or '\'' ? 2 : 1;
            if (i >= n) return null;
            var kind = MouthKind(core[i]);
            if (kind is null) return null;
            foreach (var c in core[i..])
            {
                if (MouthKind(c) != kind) return null;
            }
            if (core[0] == ';' && kind is "emosmile" or "emolaugh") return "emowink";
            if (core[1] == '\'' && kind == "emofrown") return "emocry";
            return kind;
        }
        if (core[^1] is ':' or ';' or '=' && core[0] is '(' or ')')
        {
            var body = core[..^1];
            if (body[^1] == '-') body = body[..^1];
            if (body.Length > 0 && AllAre(body, body[0], body[0]))
            {
                if (body[0] == '(') return core[^1] == ';' ? "emowink" : "emosmile";
                return "emofrown";
            }
        }
        return null;
    }

    // The mouth classes of step 1b, as the placeholder word of a face with ':' eyes.
    private static string? MouthKind(char c) => c switch
    {
        ')' or ']' or '}' => "emosmile",
        'D' => "emolaugh",
        '(' or '[' or '{' => "emofrown",
        '/' or '\\' or '|' => "emoskeptic",
        'p' or 'P' => "emotongue",
        '*' => "emokiss",
        'o' or 'O' => "emosurprise",
        _ => null,
    };

    private static bool AllAre(ReadOnlySpan<char> s, char a, char b)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
        {
            if (c != a && c != b) return false;
        }
        return true;
    }

    // re.sub(r'https?://\S+|www\.\S+', ' httpurl ', text) with Python's Unicode \S.
    private static ReadOnlySpan<char> ReplaceUrls(ReadOnlySpan<char> src, CharBuffer dst)
    {
        dst.Reset(src.Length + 16);
        var i = 0;
        while (i < src.Length)
        {
            var prefix = UrlPrefixLength(src[i..]);
            if (prefix > 0 && i + prefix < src.Length && !IsPythonSpace(src[i + prefix]))
            {
                var end = i + prefix;
                while (end < src.Length && !IsPythonSpace(src[end])) end++;
                dst.Append(" httpurl ");
                i = end;
            }
            else
            {
                dst.Append(src[i]);
                i++;
            }
        }
        return dst.Span;
    }

    private static int UrlPrefixLength(ReadOnlySpan<char> s)
    {
        if (s.StartsWith("http://", StringComparison.Ordinal)) return 7;
        if (s.StartsWith("https://", StringComparison.Ordinal)) return 8;
        if (s.StartsWith("www.", StringComparison.Ordinal)) return 4;
        return 0;
    }

    // re.sub(r'@\w+', ' atuser ', text) with Python's Unicode \w (letters, numbers, underscore).
    private static ReadOnlySpan<char> ReplaceMentions(ReadOnlySpan<char> src, CharBuffer dst)
    {
        dst.Reset(src.Length * 2 + 16);
        var i = 0;
        while (i < src.Length)
        {
            if (src[i] == '@')
            {
                var end = i + 1;
                while (end < src.Length && IsPythonWordAt(src, end, out var width)) end += width;
                if (end > i + 1)
                {
                    dst.Append(" atuser ");
                    i = end;
                    continue;
                }
            }
            dst.Append(src[i]);
            i++;
        }
        return dst.Span;
    }

    // re.sub(r'\[[^\]]*\]', '', text).
    private static ReadOnlySpan<char> RemoveTimingMarkers(ReadOnlySpan<char> src, CharBuffer dst)
    {
        dst.Reset(src.Length);
        var i = 0;
        while (i < src.Length)
        {
            if (src[i] == '[')
            {
                var close = src[(i + 1)..].IndexOf(']');
                if (close < 0)
                {
                    // No ']' after this '[': no marker can match from here on.
                    dst.Append(src[i..]);
                    break;
                }
                i += close + 2;
                continue;
            }
            dst.Append(src[i]);
            i++;
        }
        return dst.Span;
    }

    // Step 2: NFKD, drop Mn, lowercase per code point; writes code points into s.Cps.
    private static int Normalize(ReadOnlySpan<char> text, Scratch s)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            var cps = s.EnsureCps(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                int c = text[i];
                cps[i] = (uint)(c - 'A') <= 'Z' - 'A' ? c + 32 : c;
            }
            return text.Length;
        }

        var decomposed = Decompose(text, s);
        var output = s.EnsureCps(decomposed.Length);
        var n = 0;
        var i2 = 0;
        while (i2 < decomposed.Length)
        {
            int cp;
            var status = Rune.DecodeFromUtf16(decomposed[i2..], out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                cp = rune.Value;
                if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
                {
                    i2 += consumed;
                    continue;
                }
                cp = Rune.ToLowerInvariant(rune).Value;
            }
            else
            {
                // A lone surrogate: category Cs, a separator in step 4.
                cp = decomposed[i2];
                consumed = 1;
            }
            output[n++] = cp;
            i2 += consumed;
        }
        return n;
    }

    private static ReadOnlySpan<char> Decompose(ReadOnlySpan<char> text, Scratch s)
    {
        var buffer = s.Normalized;
        try
        {
            if (buffer.Length < text.Length * 2 + 16) buffer = s.Normalized = new char[text.Length * 3 + 16];
            if (text.TryNormalize(buffer, out var written, NormalizationForm.FormKD)) return buffer.AsSpan(0, written);
            var needed = text.GetNormalizedLength(NormalizationForm.FormKD);
            buffer = s.Normalized = new char[needed + 16];
            text.TryNormalize(buffer, out written, NormalizationForm.FormKD);
            return buffer.AsSpan(0, written);
        }
        catch (ArgumentException)
        {
            // Lone surrogates make ICU refuse the text; Python keeps them as Cs code points, which only
            // separate tokens, as a space does.
            var cleaned = ReplaceLoneSurrogates(text);
            var normalized = cleaned.Normalize(NormalizationForm.FormKD);
            if (buffer.Length < normalized.Length) buffer = s.Normalized = new char[normalized.Length + 16];
            normalized.AsSpan().CopyTo(buffer);
            return buffer.AsSpan(0, normalized.Length);
        }
    }

    private static string ReplaceLoneSurrogates(ReadOnlySpan<char> text)
    {
        var chars = text.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = ' ';
            }
        }
        return new string(chars);
    }

    // Step 3: three or more of the same ASCII letter a-z become two.
    private static int FoldElongation(int[] cps, int length)
    {
        var n = 0;
        for (var i = 0; i < length; i++)
        {
            var c = cps[i];
            if ((uint)(c - 'a') <= 'z' - 'a' && n >= 2 && cps[n - 1] == c && cps[n - 2] == c) continue;
            cps[n++] = c;
        }
        return n;
    }

    // Steps 4-5.
    private int Split(Scratch s, int length)
    {
        var cps = s.Cps;
        var tokens = s.EnsureTokens(Options.MaxTokens);
        var count = 0;
        var start = -1;
        var allNumbers = true;
        for (var i = 0; i < length && count < Options.MaxTokens; i++)
        {
            var category = Category(cps[i]);
            if (IsLetterOrNumber(category))
            {
                if (start < 0)
                {
                    start = i;
                    allNumbers = true;
                }
                allNumbers &= IsNumber(category);
                continue;
            }
            if (start >= 0)
            {
                tokens[count++] = new Token(start, i - start, allNumbers ? TokenKind.Number : TokenKind.Word);
                start = -1;
                if (count == Options.MaxTokens) break;
            }
            if (cps[i] == '!' || cps[i] == '?' || category == UnicodeCategory.OtherSymbol)
            {
                tokens[count++] = new Token(i, 1, TokenKind.Symbol);
            }
        }
        if (start >= 0 && count < Options.MaxTokens)
        {
            tokens[count++] = new Token(start, length - start, allNumbers ? TokenKind.Number : TokenKind.Word);
        }
        if (count == 0)
        {
            tokens[count++] = new Token(0, 0, TokenKind.Empty);
        }
        return count;
    }

    // Step 8: the vocabulary id of a word token (numbers included, as "0"); symbols and the empty token get 0.
    private static int VocabularyId(HashVocabulary vocabulary, Scratch s, Token token)
    {
        if (token.Kind is not (TokenKind.Word or TokenKind.Number)) return 0;
        var cps = TokenCodePoints(s, token);
        var chars = s.EnsureTokenChars(cps.Length * 2);
        var n = 0;
        foreach (var cp in cps)
        {
            // Word tokens hold only L* and N* code points, so every cp is a valid scalar value.
            n += new Rune(cp).EncodeToUtf16(chars.AsSpan(n));
        }
        return vocabulary.IdOf(chars.AsSpan(0, n));
    }

    // Steps 6-7 for one token; returns the number of ids written.
    private int HashFeatures(Scratch s, Token token, Span<long> row)
    {
        var cps = TokenCodePoints(s, token);
        var h = WordPrefixState;
        foreach (var cp in cps) h = StepCodePoint(h, cp);
        row[0] = IdOf(h);
        var written = 1;
        if (token.Kind != TokenKind.Word || cps.Length < 2) return written;

        var padded = Pad(s, cps);
        var max = row.Length;
        for (var n = Options.MinN; n <= Options.MaxN && written < max; n++)
        {
            // The n-gram equal to the whole padded token is skipped, as are longer ones.
            if (n >= padded.Length) break;
            for (var i = 0; i + n <= padded.Length && written < max; i++)
            {
                var g = FnvOffset;
                foreach (var cp in padded.Slice(i, n)) g = StepCodePoint(g, cp);
                row[written++] = IdOf(g);
            }
        }
        return written;
    }

    private static ReadOnlySpan<int> TokenCodePoints(Scratch s, Token token) => token.Kind switch
    {
        TokenKind.Number => ZeroToken,
        _ => s.Cps.AsSpan(token.Start, token.Length),
    };

    private static readonly int[] ZeroToken = ['0'];

    private static ReadOnlySpan<int> Pad(Scratch s, ReadOnlySpan<int> cps)
    {
        var padded = s.EnsurePadded(cps.Length + 2);
        padded[0] = '<';
        cps.CopyTo(padded.AsSpan(1));
        padded[cps.Length + 1] = '>';
        return padded.AsSpan(0, cps.Length + 2);
    }

    private static string ToString(ReadOnlySpan<int> cps)
    {
        var sb = new StringBuilder(cps.Length);
        foreach (var cp in cps)
        {
            if (Rune.IsValid(cp)) sb.Append(new Rune(cp).ToString());
            else sb.Append((char)cp);
        }
        return sb.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(uint h, byte b) => (h ^ b) * FnvPrime;

    // Hashes the UTF-8 bytes of one code point (lone surrogates as their 3-byte form, as Python's surrogatepass would).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StepCodePoint(uint h, int cp)
    {
        if (cp < 0x80) return Step(h, (byte)cp);
        if (cp < 0x800)
        {
            h = Step(h, (byte)(0xC0 | (cp >> 6)));
            return Step(h, (byte)(0x80 | (cp & 0x3F)));
        }
        if (cp < 0x10000)
        {
            h = Step(h, (byte)(0xE0 | (cp >> 12)));
            h = Step(h, (byte)(0x80 | ((cp >> 6) & 0x3F)));
            return Step(h, (byte)(0x80 | (cp & 0x3F)));
        }
        h = Step(h, (byte)(0xF0 | (cp >> 18)));
        h = Step(h, (byte)(0x80 | ((cp >> 12) & 0x3F)));
        h = Step(h, (byte)(0x80 | ((cp >> 6) & 0x3F)));
        return Step(h, (byte)(0x80 | (cp & 0x3F)));
    }

    private static UnicodeCategory Category(int cp) =>
        cp < 0x80 ? AsciiCategories[cp] : CharUnicodeInfo.GetUnicodeCategory(cp);

    private static readonly UnicodeCategory[] AsciiCategories =
        Enumerable.Range(0, 0x80).Select(c => CharUnicodeInfo.GetUnicodeCategory(c)).ToArray();

    private static bool IsLetterOrNumber(UnicodeCategory c) => c <= UnicodeCategory.OtherLetter || IsNumber(c);

    private static bool IsNumber(UnicodeCategory c) =>
        c is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    // Python's str.isspace(): .NET's white space plus the information separators U+001C..U+001F.
    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || (c >= '\u001C' && c <= '\u001F');

    // Python's Unicode \w: letters, numbers and '_' (by code point).
    private static bool IsPythonWordAt(ReadOnlySpan<char> s, int index, out int width)
    {
        var c = s[index];
        width = 1;
        if (c < 0x80)
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }
        if (Rune.DecodeFromUtf16(s[index..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }
        width = consumed;
        var category = Rune.GetUnicodeCategory(rune);
        return IsLetterOrNumber(category);
    }

    private enum TokenKind : byte
    {
        Word,
        Number,
        Symbol,
        Empty,
    }

    private readonly record struct Token(int Start, int Length, TokenKind Kind);

    private sealed class CharBuffer
    {
        private char[] _chars = new char[256];
        private int _length;

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

        public void Reset(int capacity)
        {
            if (_chars.Length < capacity) _chars = new char[Math.Max(capacity, _chars.Length * 2)];
            _length = 0;
        }

        public void Append(char c)
        {
            if (_length == _chars.Length) Array.Resize(ref _chars, _chars.Length * 2);
            _chars[_length++] = c;
        }

        public void Append(ReadOnlySpan<char> s)
        {
            if (_length + s.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + s.Length));
            s.CopyTo(_chars.AsSpan(_length));
            _length += s.Length;
        }
    }

    private sealed class Scratch
    {
        private readonly CharBuffer[] _text = [new CharBuffer(), new CharBuffer()];
        private int[] _cps = new int[256];
        private Token[] _tokens = new Token[64];
        private int[] _padded = new int[64];
        private char[] _tokenChars = new char[64];

        public char[] Normalized = new char[512];

        public int[] Cps => _cps;

        public Token[] Tokens => _tokens;

        public CharBuffer Text(int index) => _text[index];

        public int[] EnsureCps(int length)
        {
            if (_cps.Length < length) _cps = new int[Math.Max(length, _cps.Length * 2)];
            return _cps;
        }

        public Token[] EnsureTokens(int length)
        {
            if (_tokens.Length < length) _tokens = new Token[length];
            return _tokens;
        }

        public char[] EnsureTokenChars(int length)
        {
            if (_tokenChars.Length < length) _tokenChars = new char[Math.Max(length, _tokenChars.Length * 2)];
            return _tokenChars;
        }

        public int[] EnsurePadded(int length)
        {
            if (_padded.Length < length) _padded = new int[Math.Max(length, _padded.Length * 2)];
            return _padded;
        }
    }
}
