using System.Globalization;
using System.Text;

namespace Emotion.Privacy;

/// <summary>
/// The redactor's work on one text, with buffers reused from text to text (one instance per thread). Steps: cut the
/// text into words; find e-mail addresses (written with <c>@</c>, or spoken with arroba/at and punto/dot); join runs of
/// digits, number words, spelled letters and separators into chains and read each chain back into its compact form
/// ("cuarenta y cinco doce" -> 4512, "equis uno dos ..." -> X12...); try every stretch of a chain against the
/// validators, weigh the candidates with the words around the chain, and keep the best ones that do not overlap.
/// </summary>
internal sealed class Scanner
{
    [Flags]
    private enum Gap : uint
    {
        None = 0,
        Space = 1,
        Dash = 1 << 1,
        Dot = 1 << 2,
        Comma = 1 << 3,
        Slash = 1 << 4,
        Colon = 1 << 5,
        Paren = 1 << 6,
        Plus = 1 << 7,
        At = 1 << 8,
        Money = 1 << 9,
        Percent = 1 << 10,
        Underscore = 1 << 11,
        Newline = 1 << 12,
        Other = 1 << 13,
        Hash = 1 << 14,
        Semicolon = 1 << 15,
        /// <summary>? ! ¿ ¡: the end of a sentence (or the start of a question).</summary>
        Stop = 1 << 16,
    }

    private const Gap Breaking = Gap.Slash | Gap.Colon | Gap.At | Gap.Percent | Gap.Money | Gap.Underscore | Gap.Other | Gap.Hash | Gap.Newline | Gap.Stop;

    private enum Kind : byte
    {
        Letters,
        Digits,
        Alnum,
    }

    /// <summary>How a unit of a chain is separated from the one before it; larger is a stronger break.</summary>
    private enum Brk : byte
    {
        None = 0,
        Space = 1,
        Dot = 2,
        Dash = 3,
        Soft = 4,
    }

    private struct Tok
    {
        public int Start;
        public int End;
        public Kind Kind;
        public bool Upper;
        public WordInfo W;
        public Gap Gap;
        public short GapLength;
        public bool Used;
    }

    /// <summary>A piece of a chain's compact form: one number (digits, or number words read as one number) or one letter group.</summary>
    private struct Unit
    {
        public int C0;
        public int C1;
        public int T0;
        public int T1;
        public Brk Brk;
        /// <summary>Only letters (a spelled letter, a country code, the letters of a CURP).</summary>
        public bool Letters;
        /// <summary>Any letter (a letter unit, or a token such as 12345678Z).</summary>
        public bool HasLetters;
        /// <summary>Read from words ("seis", "doble cero", "equis"), not written with digits.</summary>
        public bool Spelled;
        /// <summary>A number read as one large cardinal ("doce millones ...", "cuarenta mil"): an id or an amount, never a phone.</summary>
        public bool Large;
        public bool Plus;
        /// <summary>A hesitation or self-correction ("um", "perdón", "hold on") stands right before this unit: the reader's pause between groups.</summary>
        public bool Pause;
        public readonly int Length => C1 - C0;
    }

    private struct Candidate
    {
        public int U0;
        public int U1;
        public PiiType Type;
        public int Score;
    }

    private const int MaxChainTokens = 80;

    /// <summary>Buffers grown past this by one long text are given back after it, so a thread does not keep them.</summary>
    private const int KeepTokens = 4096;

    private Tok[] _toks = new Tok[64];
    private int _n;
    private Gap _tailGap;
    private string _text = "";
    private Unit[] _units = new Unit[32];
    private int _u;
    private char[] _compact = new char[128];
    private int _c;
    private Candidate[] _cands = new Candidate[16];
    private int _nc;
    private bool[] _taken = new bool[32];
    private PiiSpan[] _spans = new PiiSpan[8];
    private int _ns;
    private bool _english;
    private int _enabled;
    private readonly StringBuilder _out = new(256);

    private Cue _hint;
    private bool _hintLeft;

    public ReadOnlySpan<PiiSpan> Spans => _spans.AsSpan(0, _ns);

    /// <summary>The cue of the last cue word that no number follows ("¿me confirma su DNI?"): what the next turn may answer.</summary>
    public Cue TrailingCue { get; private set; }

    /// <summary>Finds the values in <paramref name="text"/>; they are in <see cref="Spans"/>, ordered by start.</summary>
    /// <param name="hint">What the previous turn asked for or announced; used for a number without words of its own around it.</param>
    public int Run(string text, bool english, int enabled, Cue hint = Cue.None)
    {
        _text = text;
        _english = english;
        _enabled = enabled;
        _hint = hint;
        _hintLeft = hint != Cue.None;
        _ns = 0;
        Lex();
        if ((_enabled & (1 << (int)PiiType.Email)) != 0)
        {
            if (text.Contains('@', StringComparison.Ordinal)) FindWrittenEmails();
            FindSpokenEmails();
        }
        FindChains();
        SortSpans();
        TrailingCue = FindTrailingCue();
        if (_toks.Length > KeepTokens) _toks = new Tok[64];
        if (_compact.Length > KeepTokens) _compact = new char[128];
        // A value just given is often read back in the next turn ("le confirmo: doce millones ... guion siete").
        if (TrailingCue == Cue.None && _ns > 0)
        {
            TrailingCue = _spans[_ns - 1].Type switch
            {
                PiiType.Card => Cue.Card,
                PiiType.Id => Cue.Id,
                PiiType.Phone => Cue.Phone,
                PiiType.Account or PiiType.Iban => Cue.Account,
                _ => Cue.None,
            };
        }
        _text = "";
        return _ns;
    }

    /// <summary>The text with the found spans replaced by placeholders and literal placeholders turned into words.</summary>
    public string Replace(string text, int found, ref RedactionCounts counts)
    {
        var sb = _out.Clear();
        var pos = 0;
        for (var i = 0; i < found; i++)
        {
            var s = _spans[i];
            AppendNeutralized(sb, text, pos, s.Start);
            sb.Append(Placeholders.For(s.Type));
            counts = counts.Plus(s.Type);
            pos = s.End;
        }
        AppendNeutralized(sb, text, pos, text.Length);
        var result = sb.ToString();
        if (sb.Capacity > 4096)
        {
            sb.Clear();
            sb.Capacity = 256;
        }
        return result;
    }

    private static void AppendNeutralized(StringBuilder sb, string text, int from, int to)
    {
        var i = from;
        while (i < to)
        {
            var lt = text.IndexOf('<', i, to - i);
            if (lt < 0) break;
            var matched = false;
            foreach (var p in Placeholders.All)
            {
                if (lt + p.Length <= to && string.Compare(text, lt, p, 0, p.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    sb.Append(text, i, lt - i).Append(text, lt + 1, p.Length - 2);
                    i = lt + p.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                sb.Append(text, i, lt + 1 - i);
                i = lt + 1;
            }
        }
        if (i < to) sb.Append(text, i, to - i);
    }

    // ---- words ----

    private void Lex()
    {
        _n = 0;
        var text = _text;
        var i = 0;
        var prev = 0;
        Span<char> fold = stackalloc char[Lexicon.MaxWordLength];
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            bool digit = false, letter = false, upper = true;
            while (i < text.Length && IsWordChar(text[i]))
            {
                var ch = text[i];
                if (ch is >= '0' and <= '9') digit = true;
                else
                {
                    letter = true;
                    if (char.IsLower(ch)) upper = false;
                }
                i++;
            }
            if (_n == _toks.Length) Array.Resize(ref _toks, _toks.Length * 2);
            ref var t = ref _toks[_n++];
            t.Start = start;
            t.End = i;
            t.Kind = !digit ? Kind.Letters : letter ? Kind.Alnum : Kind.Digits;
            t.Upper = letter && upper;
            t.Gap = ClassifyGap(text, prev, start);
            t.GapLength = (short)Math.Min(start - prev, short.MaxValue);
            t.Used = false;
            t.W = default;
            if (t.Kind == Kind.Letters)
            {
                var len = Lexicon.Fold(text.AsSpan(start, i - start), fold);
                if (len > 0) t.W = Lexicon.Get(fold[..len]);
            }
            prev = i;
        }
        _tailGap = ClassifyGap(text, prev, text.Length);
    }

    private static bool IsWordChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        || (c >= 128 && (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark));

    private static Gap ClassifyGap(string text, int from, int to)
    {
        var g = Gap.None;
        for (var i = from; i < to; i++)
        {
            g |= text[i] switch
            {
                ' ' or '\t' or '\u00a0' => Gap.Space,
                '\n' or '\r' => Gap.Newline,
                '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' => Gap.Dash,
                '.' => Gap.Dot,
                ',' => Gap.Comma,
                '/' or '\\' => Gap.Slash,
                ':' => Gap.Colon,
                '(' or ')' => Gap.Paren,
                '+' => Gap.Plus,
                '@' => Gap.At,
                '$' or '€' or '£' or '¥' => Gap.Money,
                '%' => Gap.Percent,
                '_' => Gap.Underscore,
                '#' => Gap.Hash,
                '?' or '!' or '¿' or '¡' => Gap.Stop,
                ';' => Gap.Semicolon,
                _ => Gap.Other,
            };
        }
        return g;
    }

    private void AddSpan(int start, int end, PiiType type)
    {
        if ((_enabled & (1 << (int)type)) == 0) return;
        if (_ns == _spans.Length) Array.Resize(ref _spans, _spans.Length * 2);
        _spans[_ns++] = new PiiSpan(start, end - start, type);
        // Tokens are in text order: find the first that ends after start, mark until one starts at or after end.
        int lo = 0, hi = _n;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_toks[mid].End <= start) lo = mid + 1;
            else hi = mid;
        }
        for (var k = lo; k < _n && _toks[k].Start < end; k++) _toks[k].Used = true;
    }

    private void SortSpans()
    {
        for (var i = 1; i < _ns; i++)
        {
            var x = _spans[i];
            var j = i - 1;
            while (j >= 0 && _spans[j].Start > x.Start)
            {
                _spans[j + 1] = _spans[j];
                j--;
            }
            _spans[j + 1] = x;
        }
    }

    // ---- e-mail addresses ----

    private void FindWrittenEmails()
    {
        var text = _text;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        while (at >= 0)
        {
            var next = at + 1;
            var l = at;
            var r = at + 1;
            // "m.lopez @ gmail.com": spaces on both sides; "ending in @yahoo.com" is no address.
            if (l > 0 && text[l - 1] == ' ' && r < text.Length && text[r] == ' ')
            {
                l--;
                r++;
            }
            var ls = l;
            while (ls > 0 && IsLocalChar(text[ls - 1])) ls--;
            while (ls < l && text[ls] is '.' or '-' or '+') ls++;
            var de = r;
            while (de < text.Length && IsDomainChar(text[de])) de++;
            while (de > r && text[de - 1] is '.' or '-') de--;
            if (ls < l && de > r && ValidDomain(text.AsSpan(r, de - r)))
            {
                AddSpan(ls, de, PiiType.Email);
                next = de;
            }
            at = next < text.Length ? text.IndexOf('@', next) : -1;
        }
    }

    private static bool IsLocalChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomainChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '-';

    private static bool ValidDomain(ReadOnlySpan<char> d)
    {
        var lastDot = d.LastIndexOf('.');
        if (lastDot <= 0 || lastDot == d.Length - 1) return false;
        var tld = d[(lastDot + 1)..];
        if (tld.Length < 2) return false;
        foreach (var c in tld)
        {
            if (!char.IsLetter(c)) return false;
        }
        return true;
    }

    private bool Has(int k, Role role) => (_toks[k].W.Roles & role) != 0;

    private bool IsDomainLabel(int k) => !_toks[k].Used && (_toks[k].W.Roles & (Role.Dot | Role.Dash | Role.At)) == 0;

    private bool IsLocalLabel(int k)
    {
        ref readonly var t = ref _toks[k];
        if (t.Used) return false;
        if ((t.W.Roles & (Role.MailStop | Role.At | Role.AtEn | Role.Dot | Role.Dash | Role.Underscore)) != 0) return false;
        return t.W.Cue == Cue.None;
    }

    private static bool PlainGap(Gap g) => (g & ~Gap.Space) == 0;

    private void FindSpokenEmails()
    {
        for (var k = 1; k < _n - 1; k++)
        {
            if (_toks[k].Used || (_toks[k].W.Roles & (Role.At | Role.AtEn)) == 0) continue;
            if (!PlainGap(_toks[k].Gap) || !PlainGap(_toks[k + 1].Gap)) continue;
            // English "at" is an address only with a spoken domain ("gmail dot com"); "at example.co.uk" is a website.
            var english = (_toks[k].W.Roles & Role.At) == 0;
            // Domain: labels joined by punto/dot or '.', ending in a top-level domain.
            if (!IsDomainLabel(k + 1)) continue;
            var last = k + 1;
            var lastTld = -1;
            while (last + 1 < _n)
            {
                var nx = last + 1;
                var g = _toks[nx].Gap;
                if (Has(nx, Role.Dot) && nx + 1 < _n && PlainGap(g) && PlainGap(_toks[nx + 1].Gap) && IsDomainLabel(nx + 1))
                {
                    last = nx + 1;
                    if (Has(last, Role.Tld)) lastTld = last;
                    continue;
                }
                if (g == Gap.Dot && IsDomainLabel(nx) && !english)
                {
                    last = nx;
                    if (Has(last, Role.Tld) || (_toks[last].Kind == Kind.Letters && _toks[last].End - _toks[last].Start is >= 2 and <= 6)) lastTld = last;
                    continue;
                }
                if (Has(nx, Role.Dash) && nx + 1 < _n && PlainGap(g) && IsDomainLabel(nx + 1))
                {
                    last = nx + 1;
                    continue;
                }
                if (g == Gap.Dash && IsDomainLabel(nx))
                {
                    last = nx;
                    continue;
                }
                // A name said in two words ("ferreteria lopez punto com"), when a dot follows.
                if (PlainGap(g) && lastTld < 0 && last - k < 3 && IsLocalLabel(nx) && nx + 1 < _n
                    && (Has(nx + 1, Role.Dot) || _toks[nx + 1].Gap == Gap.Dot))
                {
                    last = nx;
                    continue;
                }
                break;
            }
            if (lastTld < 0) continue;
            // Local part, read backwards: labels joined by spoken or written joiners, and at most two more plain words.
            var b = k - 1;
            // The word right before "arroba" may be any word but a stop word ("ventas arroba", "contacto arroba").
            if (_toks[b].Used || (_toks[b].W.Roles & (Role.MailStop | Role.At | Role.AtEn | Role.Dot | Role.Dash | Role.Underscore)) != 0) continue;
            var first = b;
            var plain = 0;
            while (first > 0)
            {
                var g = _toks[first].Gap;
                var p = first - 1;
                if (g is Gap.Dot or Gap.Underscore or Gap.Dash && !_toks[p].Used && _toks[p].W.Cue == Cue.None)
                {
                    first = p;
                    continue;
                }
                var q = p;
                while (q >= 0 && !_toks[q].Used && (_toks[q].W.Roles & (Role.Dot | Role.Dash | Role.Underscore)) != 0) q--;
                if (q < p && q >= 0 && IsLocalLabel(q))
                {
                    first = q;
                    continue;
                }
                // "ochenta y dos": a number said with "y" inside the local part.
                if (PlainGap(g) && _toks[first].W.Num == NumKind.Unit && (_toks[p].W.Roles & Role.AndEs) != 0 && p > 0
                    && _toks[p - 1].W.Num == NumKind.Tens && !_toks[p - 1].Used)
                {
                    first = p - 1;
                    continue;
                }
                if (PlainGap(g) && plain < 2 && IsLocalLabel(p) && (_toks[p].Gap & Gap.Other) == 0)
                {
                    first = p;
                    plain++;
                    continue;
                }
                break;
            }
            AddSpan(_toks[first].Start, _toks[lastTld].End, PiiType.Email);
            k = lastTld;
        }
    }

    // ---- chains of digits, number words and spelled letters ----

    private bool IsNumberWord(int k)
    {
        ref readonly var t = ref _toks[k];
        if (t.Kind != Kind.Letters || t.W.Num == NumKind.None) return false;
        if (t.W.Num != NumKind.UnBeforeMultiplier) return true;
        return k + 1 < _n && _toks[k + 1].W.Num is NumKind.Thousand or NumKind.Million;
    }

    private bool IsNumberish(int k) => !_toks[k].Used && (_toks[k].Kind != Kind.Letters || IsNumberWord(k));

    private bool IsDigitWord(int k) =>
        k < _n && !_toks[k].Used && (_toks[k].W.Num is NumKind.Unit or NumKind.Zero || (_toks[k].W.Roles & Role.Oh) != 0
            || (_toks[k].Kind == Kind.Digits && _toks[k].End - _toks[k].Start == 1));

    private bool IsLetterish(int k)
    {
        ref readonly var t = ref _toks[k];
        if (t.Used || t.Kind != Kind.Letters || t.W.Cue != Cue.None || t.W.Num != NumKind.None) return false;
        var len = t.End - t.Start;
        // A lower-case "y" is the Spanish "and"; a spelled Y is "i griega" or "ye" in Spanish, a capital Y ("Y-3018179-H")
        // or "y" in English text ("g b oh six y x x h").
        if (len == 1 && _text[t.Start] is 'y' or 'Y') return _english || _text[t.Start] == 'Y';
        // The "s" of "it's", "number's": glued to the word before by an apostrophe, no spelled letter.
        if (len == 1 && t.GapLength == 1 && t.Start > 0 && _text[t.Start - 1] is '\'' or '\u2019' && IsAfterWord(t.Start - 1)) return false;
        if ((t.W.Roles & Role.Letter) != 0) return true;
        return t.Upper && len is >= 2 and <= 6;
    }

    private bool IsAfterWord(int apostrophe) => apostrophe > 0 && char.IsLetter(_text[apostrophe - 1]);

    private bool IsZeroWord(int k) =>
        (_toks[k].W.Roles & Role.Oh) != 0 || (_english && (_toks[k].W.Roles & Role.OEn) != 0);

    private bool IsMember(int k, bool inChain)
    {
        ref readonly var t = ref _toks[k];
        if (t.Used) return false;
        if (t.Kind != Kind.Letters) return true;
        var roles = t.W.Roles;
        var next = k + 1 < _n && Joinable(k + 1);
        if ((roles & Role.AndEs) != 0 && inChain && next && _toks[k - 1].W.Num == NumKind.Tens
            && (_toks[k + 1].W.Num == NumKind.Unit || (_toks[k + 1].W.Num == NumKind.UnBeforeMultiplier && IsNumberWord(k + 1)))) return true;
        if ((roles & Role.AndEn) != 0 && inChain && next && _toks[k - 1].W.Num is NumKind.HundredTimes or NumKind.Thousand or NumKind.Million
            && IsNumberWord(k + 1)) return true;
        // "oh" between digits, or between spelled letters and digits ("g b oh six"): a zero.
        if (IsZeroWord(k) && next && (IsNumberish(k + 1) || IsZeroWord(k + 1) || (_toks[k + 1].W.Roles & Role.Repeat) != 0 || (IsFiller(k + 1) && FillerBridge(k + 1)))
            && (!inChain || IsNumberish(k - 1) || (_toks[k - 1].W.Roles & (Role.Repeat | Role.Filler)) != 0 || IsZeroWord(k - 1) || IsLetterish(k - 1))) return true;
        // "oh" that ends the digits: at the end of the chain, or before a spelled letter ("six oh g" of a NIE).
        if (IsZeroWord(k) && inChain && (IsNumberish(k - 1) || (_toks[k - 1].W.Roles & Role.Repeat) != 0)
            && (!next || !IsMember(k + 1, inChain: true) || SingleLetter(k + 1))) return true;
        if (IsNumberWord(k)) return true;
        if ((roles & Role.Repeat) != 0 && next && (IsDigitWord(k + 1) || _toks[k + 1].W.Letter is 'V' or 'U')) return true;
        if ((roles & Role.Plus) != 0 && !inChain && next && IsNumberish(k + 1)) return true;
        if ((roles & (Role.Dash | Role.Dot | Role.LetterIntro)) != 0)
            return inChain && next && (IsNumberish(k + 1) || IsLetterish(k + 1));
        if ((roles & Role.Griega) != 0) return inChain && _toks[k - 1].W.Letter == 'I';
        if ((roles & Role.Filler) != 0) return inChain && next && FillerBridge(k);
        if (inChain && next && BankCode(k) && IsNumberish(k + 1)) return true;
        return IsLetterish(k);
    }

    private bool IsDigitish(int k) => IsNumberish(k) || IsZeroWord(k) || (_toks[k].W.Roles & Role.Repeat) != 0;

    private bool IsFiller(int k) => !_toks[k].Used && _toks[k].Kind == Kind.Letters && (_toks[k].W.Roles & Role.Filler) != 0;

    /// <summary>
    /// Token k is a hesitation or a short self-correction inside a number: at most three such words ("eh perdón",
    /// "um hold on") with digits on both sides.
    /// </summary>
    private bool FillerBridge(int k)
    {
        var run = 1;
        var p = k - 1;
        while (p >= 0 && IsFiller(p))
        {
            if (++run > 3) return false;
            p--;
        }
        if (p < 0 || !IsDigitish(p)) return false;
        var q = k + 1;
        while (q < _n && IsFiller(q) && Joinable(q))
        {
            if (++run > 3) return false;
            q++;
        }
        return q < _n && Joinable(q) && IsDigitish(q);
    }

    /// <summary>A letter said on its own ("g", "ka"): after digits, the letter of a NIE or DNI, the K of a RUT.</summary>
    private bool SingleLetter(int k) => IsLetterish(k) && (_toks[k].End - _toks[k].Start == 1 || _toks[k].W.Letter != '\0');

    /// <summary>
    /// Four lower-case letters right after an IBAN's country and check digits ("gb08 jpkh 9564 ..."): the bank code of a
    /// British, Dutch or Irish IBAN as typed or recognised in lower case.
    /// </summary>
    private bool BankCode(int k)
    {
        ref readonly var t = ref _toks[k];
        if (t.Used || t.Kind != Kind.Letters || t.End - t.Start != 4 || t.W.Num != NumKind.None || t.W.Cue != Cue.None || k == 0) return false;
        ref readonly var p = ref _toks[k - 1];
        if (p.Kind != Kind.Alnum || p.End - p.Start != 4 || GapBreak(t.Gap) > Brk.Space) return false;
        var h = _text.AsSpan(p.Start, 4);
        return char.IsAsciiLetter(h[0]) && char.IsAsciiLetter(h[1]) && char.IsAsciiDigit(h[2]) && char.IsAsciiDigit(h[3]);
    }

    private bool Joinable(int k)
    {
        ref readonly var t = ref _toks[k];
        return (t.Gap & Breaking) == 0 && t.GapLength <= 4;
    }

    private void FindChains()
    {
        var k = 0;
        while (k < _n)
        {
            if (!IsMember(k, inChain: false))
            {
                k++;
                continue;
            }
            var a = k;
            var b = k;
            var hasNumber = IsNumberish(k);
            // No value is longer than this many words (a spelled IBAN is about 30); a longer run is cut so that a
            // megabyte of digits in a dead letter costs linear time.
            while (b + 1 < _n && b - a < MaxChainTokens && Joinable(b + 1) && IsMember(b + 1, inChain: true))
            {
                b++;
                hasNumber |= IsNumberish(b);
            }
            if (hasNumber) Chain(a, b);
            k = b + 1;
        }
    }

    private void Chain(int a, int b)
    {
        // "C.C. 1.065.676.204", "D.N.I. 12345678": letters with dots that spell a cue word lead the chain.
        var abbreviation = Cue.None;
        var m = a;
        Span<char> word = stackalloc char[6];
        var w = 0;
        while (m < b && w < word.Length && _toks[m].Kind == Kind.Letters && _toks[m].End - _toks[m].Start == 1
            && (m == a || _toks[m].Gap == Gap.Dot) && (_toks[m + 1].Gap & Gap.Dot) != 0)
        {
            word[w++] = char.ToLowerInvariant(_text[_toks[m].Start]);
            m++;
        }
        if (w >= 2 && Lexicon.Get(word[..w]).Cue is var spelled and not Cue.None)
        {
            abbreviation = spelled;
            a = m;
        }
        BuildUnits(a, b);
        if (_u == 0 || _c < 3) return;
        var fromHint = false;
        var cue = abbreviation != Cue.None ? abbreviation : ChainCue(a, b, out fromHint);
        _nc = 0;
        for (var i = 0; i < _u; i++)
        {
            var len = 0;
            var digitsOnly = true;
            for (var j = i; j < _u; j++)
            {
                // A pause written as ", " or ". " between numbers written with digits ends a value ("7718, 44120");
                // between spoken words it is only the reader's pause ("seis uno dos, tres cuatro cinco").
                if (j > i && _units[j].Brk == Brk.Soft && !(_units[j].Spelled && _units[j - 1].Spelled)) break;
                len += _units[j].Length;
                digitsOnly &= !_units[j].HasLetters;
                if (len > 34) break;
                if (len < 6 && !(cue == Cue.Cvv && len >= 3)) continue;
                Classify(i, j, _compact.AsSpan(_units[i].C0, len), digitsOnly, cue, fromHint);
            }
        }
        if (_nc == 0) return;
        Select();
    }

    // -- reading a chain into units --

    private bool _cOpen;
    private long _cTotal;
    private int _cCur;
    private NumKind _cLast;
    private int _cT0;
    private int _cT1;
    private Brk _pending;
    private bool _plusPending;
    private Brk _cBrk;
    private bool _cPlus;
    private bool _cWords;
    private bool _cPause;
    private bool _pausePending;

    private void BuildUnits(int a, int b)
    {
        _u = 0;
        _c = 0;
        _cOpen = false;
        _pending = Brk.None;
        _pausePending = false;
        _plusPending = (_toks[a].Gap & Gap.Plus) != 0;
        var plusToken = -1;
        for (var k = a; k <= b; k++)
        {
            ref readonly var t = ref _toks[k];
            if (k > a)
            {
                var gb = GapBreak(t.Gap);
                // "forty-five": the hyphen of an English compound number is no separator.
                if (gb == Brk.Dash && t.Gap == Gap.Dash && t.GapLength == 1 && t.W.Num == NumKind.Unit && _toks[k - 1].W.Num == NumKind.Tens) gb = Brk.Space;
                if (gb > Brk.Space) FlushCardinal();
                if (gb > _pending) _pending = gb;
                // "+44 ...", also after a spelled letter the chain picked up ("number's +44 7773 049997").
                if ((t.Gap & Gap.Plus) != 0 && (_u == 0 || _units[_u - 1].Letters) && !_cOpen) _plusPending = true;
            }
            if (t.Kind == Kind.Digits && t.End - t.Start <= 3 && k + 1 <= b && _toks[k + 1].W.Num is NumKind.Thousand or NumKind.Million
                && GapBreak(_toks[k + 1].Gap) <= Brk.Space)
            {
                FlushCardinal();
                OpenCardinal(k);
                _cCur = int.Parse(_text.AsSpan(t.Start, t.End - t.Start), NumberStyles.None, CultureInfo.InvariantCulture);
                _cLast = NumKind.Unit;
                continue;
            }
            if (t.Kind != Kind.Letters)
            {
                FlushCardinal();
                var u0 = BeginUnit(k);
                for (var i = t.Start; i < t.End; i++) Put(char.ToUpperInvariant(_text[i]));
                EndUnit(u0, k, letters: false);
                continue;
            }
            var roles = t.W.Roles;
            if ((roles & Role.Plus) != 0 && k < b && t.W.Num == NumKind.None && !IsLetterish(k))
            {
                _plusPending = true;
                plusToken = k;
                continue;
            }
            if ((roles & Role.AndEs) != 0 && _cOpen && _cLast == NumKind.Tens && k < b && _toks[k + 1].W.Num is NumKind.Unit or NumKind.UnBeforeMultiplier) continue;
            if ((roles & Role.AndEn) != 0 && _cOpen && _cLast is NumKind.HundredTimes or NumKind.Thousand or NumKind.Million && k < b) continue;
            if (IsZeroWord(k) && (k < b || k > a))
            {
                FlushCardinal();
                var u0 = BeginUnit(k);
                _unitSpelled = true;
                Put('0');
                EndUnit(u0, k, letters: false);
                continue;
            }
            if (t.W.Num != NumKind.None && IsNumberWord(k))
            {
                if (t.W.Num == NumKind.Zero)
                {
                    FlushCardinal();
                    var u0 = BeginUnit(k);
                    _unitSpelled = true;
                    Put('0');
                    EndUnit(u0, k, letters: false);
                    continue;
                }
                if (_cOpen && Feed(t.W.Num, t.W.Value))
                {
                    _pausePending = false;
                }
                else
                {
                    FlushCardinal();
                    OpenCardinal(k);
                    Feed(t.W.Num, t.W.Value);
                }
                _cT1 = k;
                continue;
            }
            if ((roles & Role.Repeat) != 0 && k < b)
            {
                FlushCardinal();
                var times = t.W.Value == 3 ? 3 : 2;
                ref readonly var nx = ref _toks[k + 1];
                if (nx.W.Letter is 'V' or 'U' && nx.W.Num == NumKind.None)
                {
                    var uw = BeginUnit(k);
                    _unitSpelled = true;
                    Put('W');
                    EndUnit(uw, k + 1, letters: true);
                    k++;
                    continue;
                }
                char digit;
                if (nx.Kind == Kind.Digits) digit = _text[nx.Start];
                else if (nx.W.Num is NumKind.Unit or NumKind.Zero) digit = (char)('0' + nx.W.Value);
                else if (IsZeroWord(k + 1) || (nx.W.Roles & Role.Oh) != 0) digit = '0';
                else continue;
                var u0 = BeginUnit(k);
                _unitSpelled = true;
                for (var r = 0; r < times; r++) Put(digit);
                EndUnit(u0, k + 1, letters: false);
                k++;
                continue;
            }
            if ((roles & Role.Dash) != 0 && k > a && k < b)
            {
                FlushCardinal();
                if (Brk.Dash > _pending) _pending = Brk.Dash;
                continue;
            }
            if ((roles & Role.Dot) != 0 && k > a && k < b)
            {
                FlushCardinal();
                if (Brk.Dot > _pending) _pending = Brk.Dot;
                continue;
            }
            if ((roles & Role.LetterIntro) != 0 && k < b) continue;
            if ((roles & Role.Griega) != 0) continue;
            if ((roles & Role.Filler) != 0)
            {
                if (_u > 0 || _cOpen) _pausePending = true;
                continue;
            }
            if (BankCode(k))
            {
                FlushCardinal();
                var ub = BeginUnit(k);
                for (var i = t.Start; i < t.End; i++) Put(char.ToUpperInvariant(_text[i]));
                EndUnit(ub, k, letters: true);
                continue;
            }
            if (IsLetterish(k))
            {
                FlushCardinal();
                var u0 = BeginUnit(k);
                _unitSpelled = !t.Upper;
                var last = k;
                if (t.W.Letter == 'I' && k < b && (_toks[k + 1].W.Roles & Role.Griega) != 0)
                {
                    Put('Y');
                    last = k + 1;
                }
                else if (t.W.Letter == 'V' && k < b && (_toks[k + 1].W.Roles & Role.Repeat) != 0 && _toks[k + 1].W.Value != 3
                    && !IsDigitWord(k + 2))
                {
                    Put('W');
                    last = k + 1;
                }
                else if (t.W.Letter != '\0' && t.End - t.Start > 1 && !t.Upper)
                {
                    Put(t.W.Letter);
                }
                else
                {
                    for (var i = t.Start; i < t.End; i++) Put(char.ToUpperInvariant(_text[i]));
                }
                EndUnit(u0, last, letters: true);
                k = last;
            }
        }
        FlushCardinal();
        if (plusToken >= 0)
        {
            for (var i = 0; i < _u; i++)
            {
                if (_units[i].Plus)
                {
                    _units[i].T0 = Math.Min(_units[i].T0, plusToken);
                    break;
                }
            }
        }
    }

    private static Brk GapBreak(Gap g)
    {
        if ((g & (Gap.Newline | Gap.Semicolon)) != 0) return Brk.Soft;
        if ((g & (Gap.Comma | Gap.Dot)) != 0 && (g & Gap.Space) != 0) return Brk.Soft;
        if ((g & (Gap.Dash | Gap.Paren)) != 0) return Brk.Dash;
        if ((g & (Gap.Dot | Gap.Comma)) != 0) return Brk.Dot;
        return g == Gap.None ? Brk.None : Brk.Space;
    }

    private int BeginUnit(int token)
    {
        _unitT0 = token;
        return _c;
    }

    private void Put(char c)
    {
        if (_c == _compact.Length) Array.Resize(ref _compact, _compact.Length * 2);
        _compact[_c++] = c;
    }

    private void EndUnit(int c0, int lastToken, bool letters)
    {
        if (_u == _units.Length)
        {
            Array.Resize(ref _units, _units.Length * 2);
            Array.Resize(ref _taken, _units.Length);
        }
        _units[_u++] = new Unit
        {
            C0 = c0,
            C1 = _c,
            T0 = _unitT0 >= 0 ? _unitT0 : lastToken,
            T1 = lastToken,
            Brk = _u == 0 ? Brk.None : _pending,
            Letters = letters,
            HasLetters = letters || HasLetter(c0, _c),
            Spelled = _unitSpelled,
            Large = _unitLarge,
            Plus = _plusPending && !letters,
            Pause = _pausePending,
        };
        _pausePending = false;
        _unitSpelled = false;
        _unitLarge = false;
        if (!letters) _plusPending = false;
        _pending = Brk.Space;
        _unitT0 = -1;
    }

    private int _unitT0 = -1;
    private bool _unitSpelled;
    private bool _unitLarge;

    private bool HasLetter(int c0, int c1)
    {
        for (var i = c0; i < c1; i++)
        {
            if (_compact[i] is < '0' or > '9') return true;
        }
        return false;
    }

    private void OpenCardinal(int k)
    {
        _cOpen = true;
        _cTotal = 0;
        _cCur = 0;
        _cLast = NumKind.None;
        _cT0 = k;
        _cT1 = k;
        _cBrk = _pending;
        _cPlus = _plusPending;
        _cWords = _toks[k].Kind == Kind.Letters;
        _cPause = _pausePending;
        _pending = Brk.Space;
        _plusPending = false;
        _pausePending = false;
    }

    /// <summary>Adds a number word to the open number when the grammar allows it ("cuarenta" + "y cinco", "seiscientos" + "doce").</summary>
    private bool Feed(NumKind kind, int value)
    {
        var fresh = _cLast == NumKind.None;
        switch (kind)
        {
            case NumKind.Unit or NumKind.UnBeforeMultiplier:
                if (!(fresh || _cLast is NumKind.Tens or NumKind.Hundreds or NumKind.HundredTimes or NumKind.Thousand or NumKind.Million)) return false;
                _cCur += value;
                _cLast = NumKind.Unit;
                return true;
            case NumKind.Teen:
                if (!(fresh || _cLast is NumKind.Hundreds or NumKind.HundredTimes or NumKind.Thousand or NumKind.Million)) return false;
                _cCur += value;
                _cLast = NumKind.Teen;
                return true;
            case NumKind.Tens:
                if (!(fresh || _cLast is NumKind.Hundreds or NumKind.HundredTimes or NumKind.Thousand or NumKind.Million)) return false;
                _cCur += value;
                _cLast = NumKind.Tens;
                return true;
            case NumKind.Hundreds:
                if (!(fresh || _cLast is NumKind.Thousand or NumKind.Million) || _cCur != 0) return false;
                _cCur = value;
                _cLast = NumKind.Hundreds;
                return true;
            case NumKind.HundredTimes:
                if (_cLast is not (NumKind.Unit or NumKind.Teen) || _cCur % 100 == 0 || _cCur >= 100) return false;
                _cCur *= 100;
                _cLast = NumKind.HundredTimes;
                return true;
            case NumKind.Thousand:
                if (_cLast is NumKind.Thousand || _cTotal % 1_000_000 != 0 || _cCur >= 1000) return false;
                if (fresh) _cCur = 1;
                _cTotal += (long)Math.Max(_cCur, 1) * 1000;
                _cCur = 0;
                _cLast = NumKind.Thousand;
                return true;
            case NumKind.Million:
                if (_cTotal != 0 || _cLast is NumKind.Million) return false;
                _cTotal = (long)Math.Max(_cCur, 1) * 1_000_000;
                _cCur = 0;
                _cLast = NumKind.Million;
                return true;
            default:
                return false;
        }
    }

    private void FlushCardinal()
    {
        if (!_cOpen) return;
        _cOpen = false;
        var value = _cTotal + _cCur;
        var c0 = _c;
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        for (var i = 0; i < written; i++) Put(digits[i]);
        var saved = _pending;
        _pending = _cBrk;
        var savedPlus = _plusPending;
        _plusPending = _cPlus;
        var savedPause = _pausePending;
        _pausePending = _cPause;
        _unitT0 = _cT0;
        _unitSpelled = _cWords;
        _unitLarge = value >= 100_000 || _cTotal > 0;
        EndUnit(c0, _cT1, letters: false);
        _pending = saved > Brk.Space ? saved : Brk.Space;
        _plusPending = savedPlus;
        _pausePending = savedPause;
    }

    // -- what the words around a chain say --

    private Cue ChainCue(int a, int b, out bool fromHint)
    {
        fromHint = false;
        _referenceHead = false;
        var before = _toks[a].Gap;
        if ((before & Gap.Money) != 0) return Cue.Money;
        if ((before & Gap.Slash) != 0 && a > 0 && _toks[a - 1].End - _toks[a - 1].Start == 1 && _text[_toks[a - 1].Start] is 's' or 'S') return Cue.Money;
        var after = b + 1 < _n ? _toks[b + 1].Gap : _tailGap;
        if ((after & Gap.Money) != 0) return Cue.Money;
        if ((after & Gap.Percent) != 0) return Cue.NotPersonal;
        var best = Cue.None;
        var bestDistance = int.MaxValue;
        var weak = false;
        for (int k = a - 1, d = 1; k >= 0 && d <= 8; k--, d++)
        {
            // "tengo un problema con la factura, mi número es 612 ...": the number named in its own clause is not what an
            // earlier clause spoke of.
            if (weak && (_toks[k + 1].Gap & (Gap.Comma | Gap.Dot | Gap.Stop | Gap.Newline | Gap.Semicolon)) != 0) break;
            var c = CueOf(k);
            if (c == Cue.None) continue;
            // "cuenta de luz N° 4587-1236", "número de suministro", "electricity account": a bill or a meter.
            if (c is Cue.Account or Cue.WeakPhone && UtilityModifier(k))
            {
                best = Cue.NotPersonal;
                break;
            }
            if (c == Cue.WeakPhone)
            {
                weak = true;
                continue;
            }
            best = c;
            bestDistance = d;
            _referenceHead = c is not (Cue.NotPersonal or Cue.Money) && ReferenceHead(k);
            break;
        }
        for (int k = b + 1, d = 1; k < _n && d <= 4 && d < bestDistance; k++, d++)
        {
            var c = CueOf(k);
            if (c == Cue.None) continue;
            // "3457 248916 09116 vence en noviembre": a month after a number longer than a date speaks of something else.
            if (c == Cue.NotPersonal && (_toks[k].W.Roles & Role.Date) != 0 && _c > 8) continue;
            // "678 33 01 45, dni acaba en 2217": a cue word followed by its own number names that number.
            if (NumberFollows(k)) break;
            if (c == Cue.WeakPhone)
            {
                weak = true;
                continue;
            }
            best = c;
            break;
        }
        if (best != Cue.None) return best;
        if (_hint != Cue.None && _hintLeft)
        {
            fromHint = true;
            return _hint;
        }
        return weak ? Cue.WeakPhone : Cue.None;
    }

    /// <summary>
    /// The cue word at k closes a phrase whose head names something else: "the reference number for the transfer",
    /// "número de referencia de la transferencia". Only words that join nouns (de, la, for, the, número) stand between.
    /// </summary>
    private bool ReferenceHead(int k)
    {
        for (var x = k - 1; x >= 0 && x >= k - 5; x--)
        {
            ref readonly var t = ref _toks[x];
            if (t.Kind != Kind.Letters || (_toks[x + 1].Gap & Breaking) != 0) return false;
            var c = CueOf(x);
            if (c == Cue.NotPersonal) return true;
            if (c != Cue.WeakPhone && (t.W.Roles & Role.Link) == 0) return false;
        }
        return false;
    }

    /// <summary>A utility word qualifies the account or number word at k: "cuenta de luz", "número del medidor", "electricity account".</summary>
    private bool UtilityModifier(int k)
    {
        if (k > 0 && (_toks[k - 1].W.Roles & Role.Utility) != 0) return true;
        for (var x = k + 1; x < _n && x <= k + 3; x++)
        {
            var r = _toks[x].W.Roles;
            if ((r & Role.Utility) != 0) return true;
            if ((r & Role.Link) == 0) return false;
        }
        return false;
    }

    /// <summary>Set by <see cref="ChainCue"/>: the cue word is part of a phrase headed by a reference (see <see cref="ReferenceHead"/>).</summary>
    private bool _referenceHead;

    private bool NumberFollows(int k)
    {
        for (var x = k + 1; x < _n && x <= k + 4; x++)
        {
            if (IsNumberish(x) || _toks[x].Used) return true;
        }
        return false;
    }

    /// <summary>
    /// What this turn asks for or announces and leaves for the next one: in the last sentence that names anything,
    /// the first thing named ("te pido tu RUC para dejar registrada la incidencia" -> id; "¿me das tu número de
    /// cliente?" -> nothing personal), unless the value itself follows in this turn.
    /// </summary>
    private Cue FindTrailingCue()
    {
        var end = _n;
        while (end > 0)
        {
            var start = end - 1;
            while (start > 0 && !SentenceBreak(_toks[start].Gap)) start--;
            // The thing asked for: a request verb ("me da", "dígame", "give me") or a possessive ("su", "your") just
            // before a cue word weighs most; otherwise the first cue word of the sentence.
            var best = Cue.None;
            var bestScore = -1;
            var bestAt = -1;
            for (var k = start; k < end; k++)
            {
                var c = CueOf(k);
                if (c is Cue.None or Cue.WeakPhone) continue;
                var score = 0;
                for (var x = k - 1; x >= start && x >= k - 4; x--)
                {
                    if ((_toks[x].W.Roles & Role.Request) != 0) score |= 2;
                    if ((_toks[x].W.Roles & Role.Possessive) != 0 && x >= k - 3) score |= 1;
                }
                if (score > bestScore)
                {
                    best = c;
                    bestScore = score;
                    bestAt = k;
                }
            }
            if (bestAt >= 0)
            {
                if (best is Cue.NotPersonal or Cue.Money) return Cue.None;
                return ValueAfter(bestAt) ? Cue.None : best;
            }
            end = start;
        }
        return Cue.None;
    }

    private static bool SentenceBreak(Gap g) => (g & (Gap.Stop | Gap.Newline)) != 0 || ((g & Gap.Dot) != 0 && (g & Gap.Space) != 0);

    /// <summary>A value comes after token k in this turn: a redacted span, digits, or five number words.</summary>
    private bool ValueAfter(int k)
    {
        var words = 0;
        for (var x = k + 1; x < _n; x++)
        {
            if (_toks[x].Used) return true;
            if (_toks[x].Kind != Kind.Letters && _toks[x].End - _toks[x].Start >= 5) return true;
            if (IsNumberish(x) && ++words >= 5) return true;
        }
        return false;
    }

    private Cue CueOf(int k)
    {
        ref readonly var t = ref _toks[k];
        if (t.Kind != Kind.Letters) return Cue.None;
        var c = t.W.Cue;
        // A word glued to another by '_' is a name in a program or a file ("segment_id", "dni_titular.pdf"), not speech.
        if ((t.Gap & Gap.Underscore) != 0 || (k + 1 < _n && (_toks[k + 1].Gap & Gap.Underscore) != 0 && _toks[k + 1].GapLength == 1)) return Cue.None;
        // "customer ID", "order id", "case id": the id of something else.
        if (c == Cue.Id && t.End - t.Start == 2 && k > 0 && _toks[k - 1].W.Cue is Cue.NotPersonal or Cue.Money) return Cue.NotPersonal;
        if (c == Cue.Cvv && ((k > 0 && _toks[k - 1].W.Cue == Cue.Id) || (k + 1 < _n && _toks[k + 1].W.Cue == Cue.Id))) return Cue.Id;
        if (c == Cue.None && t.W.Num == NumKind.Hundreds && t.W.Value == 100 && k > 0
            && _text.AsSpan(_toks[k - 1].Start, _toks[k - 1].End - _toks[k - 1].Start).Equals("por", StringComparison.OrdinalIgnoreCase))
            return Cue.NotPersonal;
        return c;
    }

    // -- candidates --

    // A value may start or end at a pause of the reader ("seis uno dos perdón seis uno tres ...": the number starts again).
    private bool AlignedStart(int i) => i == 0 || _units[i].Brk == Brk.Soft || _units[i - 1].Letters || _units[i].Pause;

    private bool AlignedEnd(int j) => j == _u - 1 || _units[j + 1].Brk == Brk.Soft || _units[j + 1].Letters || _units[j + 1].Pause;

    private void Classify(int i, int j, ReadOnlySpan<char> s, bool digitsOnly, Cue cue, bool fromHint)
    {
        var aligned = AlignedStart(i) && AlignedEnd(j);
        // Weak readings (a phone shape, a number the words call an id) need a number that stands on its own: not the
        // tail of a code such as "AUT-2024-88103", "KB 558 120 934" or "e h twelve five".
        var weakOk = aligned && !CodePrefix(i) && (cue is Cue.Card or Cue.Id or Cue.Account || !YearReference(i, j));
        var penalty = aligned ? 0 : 10;
        // A reference that heads the phrase ("the reference number for the transfer") lowers every reading without a check digit.
        var blocked = cue is Cue.NotPersonal or Cue.Money || _referenceHead;
        var len = s.Length;
        if (digitsOnly)
        {
            var plus = _units[i].Plus;
            if (!plus)
            {
                if (len is >= 13 and <= 19 && Checksums.IsCardNumber(s) && cue != Cue.NotPersonal) Add(i, j, PiiType.Card, (cue == Cue.Card ? 100 : 95) - penalty);
                if (len == 22 && Checksums.IsCbu(s)) Add(i, j, PiiType.Account, 100 - penalty);
                if (len == 18 && Checksums.IsClabe(s)) Add(i, j, PiiType.Account, 98 - penalty);
                if (len == 20 && Checksums.IsSpanishCcc(s)) Add(i, j, PiiType.Account, 98 - penalty);
                if (len == 11 && Checksums.IsCuit(s) && (cue != Cue.NotPersonal || Formatted(i, j, Brk.Dash, 2, 8, 1))) Add(i, j, PiiType.Id, 97 - penalty);
                if (len == 9 && (Formatted(i, j, Brk.Dash, 3, 2, 4) || Formatted(i, j, Brk.Space, 3, 2, 4) || SpokenGroups(i, j, 3, 2, 4)) && Checksums.IsSsn(s))
                    Add(i, j, PiiType.Id, 96 - penalty);
                var rutShape = len is 8 or 9 && j > i && _units[j].Length == 1 && _units[j].Brk == Brk.Dash;
                if (rutShape && Checksums.IsRut(s)) Add(i, j, PiiType.Id, 97 - penalty);
                // The shape of a RUT whose check digit was misheard: still an id, not a phone.
                else if (rutShape && weakOk && cue == Cue.Id && RutBody(i, j - 1)) Add(i, j, PiiType.Id, 75);
                if (!blocked && weakOk && (Formatted(i, j, Brk.Dot, 2, 3, 3) || Formatted(i, j, Brk.Dot, 1, 3, 3)) && !s.EndsWith("000")) Add(i, j, PiiType.Id, 70);
            }
            if (!weakOk || blocked || LooksLikeDate(i, j)) return;
            var large = false;
            for (var x = i; x <= j; x++) large |= _units[x].Large;
            var phone = !large && !CheckDigitTail(i, j) && PhoneNumbers.IsPhone(s, plus);
            // "+44 (0)7964 460 348": the trunk 0 in parentheses after the country code is for callers inside the country.
            if (!phone && plus && !large && TrunkInParentheses(i, j))
            {
                var head = _units[i].Length;
                s[..head].CopyTo(_alt);
                s[(head + 1)..].CopyTo(_alt.AsSpan(head));
                phone = PhoneNumbers.IsPhone(_alt.AsSpan(0, len - 1), plus: true);
            }
            if (phone)
            {
                // A phone read in its groups ("678 33 01 45") is a phone even when the last question asked for an id.
                var grouped = fromHint && cue == Cue.Id && j - i >= 2 && PhoneGroups(i, j);
                Add(i, j, PiiType.Phone, grouped ? 92 : cue is Cue.Phone or Cue.WeakPhone ? 85 : cue == Cue.None ? 60 : 50);
            }
            else if (!large && !plus && cue == Cue.Phone && PhoneNumbers.IsLocal(s)) Add(i, j, PiiType.Phone, 80);
            if (plus) return;
            switch (cue)
            {
                // "dos millones cuatrocientos noventa mil": a round cardinal is an amount.
                case Cue.Id when len is >= 6 and <= 13 && !(i == j && _units[i].Large && s.EndsWith("000")):
                    Add(i, j, PiiType.Id, 90);
                    break;
                case Cue.Account when len >= 7:
                    Add(i, j, PiiType.Account, 88);
                    break;
                case Cue.Card when len is >= 13 and <= 19 && s[0] is >= '2' and <= '6':
                    Add(i, j, PiiType.Card, 88);
                    break;
                case Cue.Cvv when len is 3 or 4:
                    Add(i, j, PiiType.Card, 90);
                    break;
            }
            return;
        }
        if (len >= 15 && Checksums.IsIban(s)) Add(i, j, PiiType.Iban, 100 - penalty);
        else if (cue == Cue.Account && !_referenceHead && aligned && len >= 15 && IbanShape(s)) Add(i, j, PiiType.Iban, 85);
        if (len == 9 && Checksums.IsDniOrNie(s) && !DashGroups(i, j)) Add(i, j, PiiType.Id, 100 - penalty);
        if (len is 8 or 9 && s[^1] == 'K' && Checksums.IsRut(s)) Add(i, j, PiiType.Id, 97 - penalty);
        if (len == 18 && Checksums.IsCurp(s, out var curpChecked)) Add(i, j, PiiType.Id, (curpChecked ? 100 : 95) - penalty);
        if (len is 12 or 13 && Checksums.IsRfc(s, out var person) && (person || cue == Cue.Id)) Add(i, j, PiiType.Id, (person ? 95 : 85) - penalty);
        if (weakOk && !blocked && !fromHint && cue == Cue.Id && len is >= 6 and <= 14 && CountDigits(s) >= 5) Add(i, j, PiiType.Id, 80);
    }

    private readonly char[] _alt = new char[40];

    /// <summary>Unit i is a country code and unit i + 1 a lone 0 written in parentheses: "+44 (0)7964 ...".</summary>
    private bool TrunkInParentheses(int i, int j) =>
        j >= i + 2 && _units[i + 1].Length == 1 && _compact[_units[i + 1].C0] == '0' && _units[i].Length <= 3
        && (_toks[_units[i + 1].T0].Gap & Gap.Paren) != 0;

    /// <summary>
    /// The last unit is one typed digit after a dash ("45871236-2"): the check digit of a RUT or of a reference number,
    /// a form no phone number is written in.
    /// </summary>
    private bool CheckDigitTail(int i, int j) =>
        j > i && _units[j].Length == 1 && _units[j].Brk == Brk.Dash && !_units[j].Spelled && !_units[j - 1].Spelled;

    /// <summary>
    /// Units i..j are spoken digits whose groups, as the reader's pauses (a hesitation, a comma, a dash) cut them, have
    /// the lengths a, b, c: an SSN read "four nine seven um eight oh uh six five three two".
    /// </summary>
    private bool SpokenGroups(int i, int j, int a, int b, int c)
    {
        Span<int> want = [a, b, c];
        var g = 0;
        var n = 0;
        for (var x = i; x <= j; x++)
        {
            if (!_units[x].Spelled) return false;
            if (x > i && (_units[x].Pause || _units[x].Brk >= Brk.Dot))
            {
                if (g >= 2 || n != want[g]) return false;
                g++;
                n = 0;
            }
            n += _units[x].Length;
        }
        return g == 2 && n == want[2];
    }

    /// <summary>Two or more letters stand right before unit i in the chain: i starts the number part of a code.</summary>
    private bool CodePrefix(int i)
    {
        var letters = 0;
        for (var x = i - 1; x >= 0 && _units[x].Letters; x--)
        {
            letters += _units[x].Length;
            if (_units[x].Brk == Brk.Soft) break;
        }
        return letters >= 2;
    }

    /// <summary>Units i..j read as a RUT body: one number, dotted thousands (12.345.678) or spoken words.</summary>
    private bool RutBody(int i, int j)
    {
        if (i == j) return true;
        var dotted = true;
        var spelled = true;
        for (var x = i; x <= j; x++)
        {
            if (x > i && _units[x].Brk != Brk.Dot) dotted = false;
            if (!_units[x].Spelled) spelled = false;
        }
        return dotted || spelled;
    }

    /// <summary>A year and a dash open the stretch ("2024-00788", "2024-88103"): a reference, not a phone or an id.</summary>
    private bool YearReference(int i, int j)
    {
        if (j == i || _units[i].Length != 4 || _units[i + 1].Brk != Brk.Dash) return false;
        var y = _compact.AsSpan(_units[i].C0, 4);
        return (y[0] == '1' && y[1] == '9') || (y[0] == '2' && y[1] == '0');
    }

    /// <summary>Units i..j are groups of 2-3 digits (the last may have 4) separated by spaces or dashes, as phone numbers are written or read.</summary>
    private bool PhoneGroups(int i, int j)
    {
        for (var x = i; x <= j; x++)
        {
            if (_units[x].Length is < 2 or > 4 || (_units[x].Length == 4 && x != j)) return false;
            if (x > i && _units[x].Brk is not (Brk.Space or Brk.Dash or Brk.Soft)) return false;
        }
        return true;
    }

    /// <summary>The digits of units i..j-1 come in groups joined by dashes (a date, a reference), not as one number.</summary>
    private bool DashGroups(int i, int j)
    {
        for (var x = i + 1; x < j; x++)
        {
            if (_units[x].Brk == Brk.Dash && !_units[x].HasLetters && !_units[x - 1].HasLetters) return true;
        }
        return false;
    }

    private static bool IbanShape(ReadOnlySpan<char> s) =>
        Checksums.IsUpper(s[0]) && Checksums.IsUpper(s[1]) && Checksums.IsDigit(s[2]) && Checksums.IsDigit(s[3]) && CountDigits(s) >= s.Length - 4;

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s) if (c is >= '0' and <= '9') n++;
        return n;
    }

    /// <summary>Units i..j are exactly three groups of the given lengths separated by <paramref name="sep"/>.</summary>
    private bool Formatted(int i, int j, Brk sep, int a, int b, int c) =>
        j == i + 2 && _units[i].Length == a && _units[i + 1].Length == b && _units[j].Length == c
        && _units[i + 1].Brk == sep && _units[j].Brk == sep;

    /// <summary>Three digit groups that read as a date (d-m-y or y-m-d).</summary>
    private bool LooksLikeDate(int i, int j)
    {
        if (j != i + 2) return false;
        var s = _compact.AsSpan(_units[i].C0, _units[j].C1 - _units[i].C0);
        int l0 = _units[i].Length, l1 = _units[i + 1].Length, l2 = _units[j].Length;
        if (l0 is 1 or 2 && l1 is 1 or 2 && l2 is 2 or 4)
        {
            var d = Int(s[..l0]);
            var m = Int(s.Slice(l0, l1));
            return d is >= 1 and <= 31 && m is >= 1 and <= 12;
        }
        if (l0 == 4 && l1 is 1 or 2 && l2 is 1 or 2)
        {
            var m = Int(s.Slice(4, l1));
            var d = Int(s.Slice(4 + l1, l2));
            return d is >= 1 and <= 31 && m is >= 1 and <= 12;
        }
        return false;

        static int Int(ReadOnlySpan<char> x)
        {
            var v = 0;
            foreach (var c in x) v = v * 10 + (c - '0');
            return v;
        }
    }

    private void Add(int i, int j, PiiType type, int score)
    {
        if ((_enabled & (1 << (int)type)) == 0) return;
        if (_nc == _cands.Length) Array.Resize(ref _cands, _cands.Length * 2);
        _cands[_nc++] = new Candidate { U0 = i, U1 = j, Type = type, Score = score };
    }

    private void Select()
    {
        // Best score first, then the longer stretch, then the earlier one.
        var cands = _cands.AsSpan(0, _nc);
        cands.Sort(static (x, y) =>
        {
            if (x.Score != y.Score) return y.Score.CompareTo(x.Score);
            var lx = x.U1 - x.U0;
            var ly = y.U1 - y.U0;
            return lx != ly ? ly.CompareTo(lx) : x.U0.CompareTo(y.U0);
        });
        if (_taken.Length < _u) Array.Resize(ref _taken, _units.Length);
        Array.Clear(_taken, 0, _u);
        foreach (var c in cands)
        {
            var free = true;
            for (var x = c.U0; x <= c.U1 && free; x++) free = !_taken[x];
            if (!free) continue;
            var u0 = c.U0;
            var u1 = c.U1;
            // Digits glued to a value (no pause between) go with it: a partial reading must not stay behind.
            while (u0 > 0 && !_taken[u0 - 1] && !_units[u0 - 1].Letters && _units[u0].Brk != Brk.Soft) u0--;
            while (u1 + 1 < _u && !_taken[u1 + 1] && !_units[u1 + 1].Letters && _units[u1 + 1].Brk != Brk.Soft) u1++;
            if (c.Type == PiiType.Id)
            {
                // The letter of a DNI or NIE and the K of a RUT go with the number, even when the check failed.
                if (u0 > 0 && !_taken[u0 - 1] && _units[u0 - 1].Letters && _units[u0 - 1].Length == 1 && _units[u0].Brk != Brk.Soft
                    && (u0 == 1 || !_units[u0 - 2].Letters)) u0--;
                if (u1 + 1 < _u && !_taken[u1 + 1] && _units[u1 + 1].Letters && _units[u1 + 1].Length == 1 && _units[u1 + 1].Brk != Brk.Soft
                    && (u1 + 2 == _u || _units[u1 + 2].Brk == Brk.Soft)) u1++;
            }
            for (var x = u0; x <= u1; x++) _taken[x] = true;
            var start = _toks[_units[u0].T0].Start;
            var gapStart = _units[u0].T0 > 0 ? _toks[_units[u0].T0 - 1].End : 0;
            while (start > gapStart && _text[start - 1] is '(' or '+') start--;
            AddSpan(start, _toks[_units[u1].T1].End, c.Type);
        }
    }
}
