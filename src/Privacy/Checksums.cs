namespace Emotion.Privacy;

/// <summary>
/// Check-digit algorithms of the identifiers the redactor recognises. Each takes the compact form (upper-case letters
/// and digits, no separators). The algorithms are the published ones: ISO/IEC 7812 (Luhn), ISO 13616 (IBAN mod 97-10),
/// BCRA (CBU), Banxico (CLABE), the Spanish CCC, the Spanish DNI/NIE letter (mod 23), AFIP (CUIT/CUIL mod 11), the
/// Chilean RUT (mod 11), RENAPO (CURP) and the SSA's structural rules for a US SSN.
/// </summary>
internal static class Checksums
{
    public static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }

    /// <summary>Luhn (mod 10) over all digits, the last being the check digit.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /// <summary>A payment card number: 13-19 digits, an issuer prefix that card networks use (2-6), Luhn-valid.</summary>
    public static bool IsCardNumber(ReadOnlySpan<char> digits) =>
        digits.Length is >= 13 and <= 19 && digits[0] is >= '2' and <= '6' && Luhn(digits);

    /// <summary>IBAN: two letters, two check digits, 11-30 letters or digits; the rearranged number mod 97 is 1.</summary>
    public static bool IsIban(ReadOnlySpan<char> s)
    {
        if (s.Length is < 15 or > 34) return false;
        if (!IsUpper(s[0]) || !IsUpper(s[1]) || !IsDigit(s[2]) || !IsDigit(s[3])) return false;
        var expected = IbanLength(s[0], s[1]);
        if (expected != 0 && expected != s.Length) return false;
        var rem = 0;
        for (var k = 0; k < s.Length; k++)
        {
            var c = s[(k + 4) % s.Length];
            if (IsDigit(c)) rem = (rem * 10 + (c - '0')) % 97;
            else if (IsUpper(c)) rem = (rem * 100 + (c - 'A' + 10)) % 97;
            else return false;
        }
        return rem == 1;
    }

    /// <summary>Length of the IBAN of the commonest countries (0: not listed, any length 15-34 is taken).</summary>
    private static int IbanLength(char a, char b) => (a, b) switch
    {
        ('E', 'S') => 24, ('A', 'D') => 24, ('P', 'T') => 25, ('F', 'R') => 27, ('I', 'T') => 27, ('D', 'E') => 22,
        ('G', 'B') => 22, ('I', 'E') => 22, ('N', 'L') => 18, ('B', 'E') => 16, ('C', 'H') => 21, ('L', 'U') => 20,
        ('A', 'T') => 20, ('B', 'R') => 29, ('M', 'C') => 27, ('P', 'L') => 28, ('S', 'E') => 24, ('D', 'K') => 18,
        ('N', 'O') => 15, ('F', 'I') => 18, ('G', 'R') => 27, ('C', 'Z') => 24, ('R', 'O') => 24, ('C', 'R') => 22,
        ('D', 'O') => 28, ('G', 'T') => 28, ('S', 'V') => 28,
        _ => 0,
    };

    /// <summary>CBU/CVU (Argentina): 22 digits in two blocks (8 + 14), each ending in a weighted mod-10 check digit.</summary>
    public static bool IsCbu(ReadOnlySpan<char> d)
    {
        if (d.Length != 22 || !AllDigits(d)) return false;
        ReadOnlySpan<int> w1 = [7, 1, 3, 9, 7, 1, 3];
        ReadOnlySpan<int> w2 = [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3];
        var s1 = 0;
        for (var i = 0; i < 7; i++) s1 += (d[i] - '0') * w1[i];
        if ((10 - s1 % 10) % 10 != d[7] - '0') return false;
        var s2 = 0;
        for (var i = 0; i < 13; i++) s2 += (d[8 + i] - '0') * w2[i];
        return (10 - s2 % 10) % 10 == d[21] - '0';
    }

    /// <summary>CLABE (Mexico): 18 digits, weights 3-7-1 over the first 17 (each product mod 10), check = (10 - sum mod 10) mod 10.</summary>
    public static bool IsClabe(ReadOnlySpan<char> d)
    {
        if (d.Length != 18 || !AllDigits(d)) return false;
        // Bank codes start with 0, 1, 6, 7 or 9 (Banxico's catalogue).
        if (d[0] is not ('0' or '1' or '6' or '7' or '9')) return false;
        ReadOnlySpan<int> w = [3, 7, 1];
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (d[i] - '0') * w[i % 3] % 10;
        return (10 - sum % 10) % 10 == d[17] - '0';
    }

    /// <summary>Spanish CCC: 20 digits (bank 4, branch 4, 2 check digits, account 10), both check digits mod 11.</summary>
    public static bool IsSpanishCcc(ReadOnlySpan<char> d)
    {
        if (d.Length != 20 || !AllDigits(d)) return false;
        ReadOnlySpan<int> w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
        var s1 = 0;
        for (var i = 0; i < 8; i++) s1 += (d[i] - '0') * w[i + 2];
        var s2 = 0;
        for (var i = 0; i < 10; i++) s2 += (d[10 + i] - '0') * w[i];
        return CccDigit(s1) == d[8] - '0' && CccDigit(s2) == d[9] - '0';

        static int CccDigit(int sum)
        {
            var r = 11 - sum % 11;
            return r == 11 ? 0 : r == 10 ? 1 : r;
        }
    }

    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    /// <summary>Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), letter = table[number mod 23].</summary>
    public static bool IsDniOrNie(ReadOnlySpan<char> s)
    {
        if (s.Length != 9 || !IsUpper(s[8])) return false;
        int n;
        if (s[0] is 'X' or 'Y' or 'Z')
        {
            if (!AllDigits(s[1..8])) return false;
            n = s[0] - 'X';
            for (var i = 1; i < 8; i++) n = n * 10 + (s[i] - '0');
        }
        else
        {
            if (!AllDigits(s[..8])) return false;
            n = 0;
            for (var i = 0; i < 8; i++) n = n * 10 + (s[i] - '0');
        }
        return DniLetters[n % 23] == s[8];
    }

    /// <summary>CUIT/CUIL (Argentina): 11 digits, a person or company prefix, weighted mod-11 check digit.</summary>
    public static bool IsCuit(ReadOnlySpan<char> d)
    {
        if (d.Length != 11 || !AllDigits(d)) return false;
        var prefix = (d[0] - '0') * 10 + (d[1] - '0');
        if (prefix is not (20 or 23 or 24 or 25 or 26 or 27 or 30 or 33 or 34)) return false;
        ReadOnlySpan<int> w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 10; i++) sum += (d[i] - '0') * w[i];
        var r = 11 - sum % 11;
        if (r == 11) r = 0;
        return r != 10 && r == d[10] - '0';
    }

    /// <summary>Chilean RUT/RUN: a body of 7-8 digits and a check character (0-9 or K), mod 11 with weights 2..7.</summary>
    public static bool IsRut(ReadOnlySpan<char> s)
    {
        if (s.Length is < 8 or > 9) return false;
        var body = s[..^1];
        if (!AllDigits(body) || body[0] == '0') return false;
        var sum = 0;
        var weight = 2;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            sum += (body[i] - '0') * weight;
            weight = weight == 7 ? 2 : weight + 1;
        }
        var r = 11 - sum % 11;
        var expected = r == 11 ? '0' : r == 10 ? 'K' : (char)('0' + r);
        return s[^1] == expected;
    }

    /// <summary>
    /// CURP (Mexico), 18 characters: 4 letters, birth date YYMMDD, sex H/M (X since 2022), state, 3 consonants, a
    /// homonymy character and a check digit. <paramref name="checkDigitValid"/> says whether the RENAPO check digit holds.
    /// </summary>
    public static bool IsCurp(ReadOnlySpan<char> s, out bool checkDigitValid)
    {
        checkDigitValid = false;
        if (s.Length != 18) return false;
        for (var i = 0; i < 4; i++) if (!IsUpper(s[i])) return false;
        if (!IsDate(s.Slice(4, 6))) return false;
        if (s[10] is not ('H' or 'M' or 'X')) return false;
        if (!IsUpper(s[11]) || !IsUpper(s[12])) return false;
        for (var i = 13; i < 16; i++) if (!IsUpper(s[i])) return false;
        if (!IsUpper(s[16]) && !IsDigit(s[16])) return false;
        if (!IsDigit(s[17])) return false;
        const string alphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = alphabet.IndexOf(s[i], StringComparison.Ordinal);
            if (v < 0) return true;
            sum += v * (18 - i);
        }
        checkDigitValid = (10 - sum % 10) % 10 == s[17] - '0';
        return true;
    }

    /// <summary>RFC (Mexico): 4 letters (a person; 3 for a company) + YYMMDD + 3 letters or digits.</summary>
    public static bool IsRfc(ReadOnlySpan<char> s, out bool person)
    {
        person = s.Length == 13;
        if (s.Length is not (12 or 13)) return false;
        var letters = s.Length - 9;
        for (var i = 0; i < letters; i++) if (!IsUpper(s[i]) && s[i] != '&') return false;
        if (!IsDate(s.Slice(letters, 6))) return false;
        for (var i = letters + 6; i < s.Length; i++) if (!IsUpper(s[i]) && !IsDigit(s[i])) return false;
        return true;
    }

    /// <summary>US SSN structure: area 001-899 but not 666, group 01-99, serial 0001-9999.</summary>
    public static bool IsSsn(ReadOnlySpan<char> d)
    {
        if (d.Length != 9 || !AllDigits(d)) return false;
        var area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
        if (area is 0 or 666 or >= 900) return false;
        if (d[3] == '0' && d[4] == '0') return false;
        return !(d[5] == '0' && d[6] == '0' && d[7] == '0' && d[8] == '0');
    }

    /// <summary>YYMMDD with a month 01-12 and a day 01-31.</summary>
    public static bool IsDate(ReadOnlySpan<char> s)
    {
        if (s.Length != 6 || !AllDigits(s)) return false;
        var mm = (s[2] - '0') * 10 + (s[3] - '0');
        var dd = (s[4] - '0') * 10 + (s[5] - '0');
        return mm is >= 1 and <= 12 && dd is >= 1 and <= 31;
    }

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsUpper(char c) => c is >= 'A' and <= 'Z' or 'Ñ';
}
