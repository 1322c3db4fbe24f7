namespace Emotion.Privacy;

/// <summary>
/// Whether a run of digits has the shape of a telephone number of Spain, Argentina, Mexico, Colombia, Chile, Peru, the
/// US or the UK, in national form (with or without the trunk 0, Argentina's mobile 15, Mexico's 044/045) or
/// international form (+ or 00, country code, national number). Shapes follow the countries' numbering plans; a
/// shape alone is a weak signal, so the redactor weighs it against the words around it.
/// </summary>
internal static class PhoneNumbers
{
    /// <summary>The digits, after an optional <c>+</c> (<paramref name="plus"/>), have an international or national phone shape.</summary>
    public static bool IsPhone(ReadOnlySpan<char> d, bool plus)
    {
        if (!Checksums.AllDigits(d)) return false;
        if (plus) return IsInternational(d);
        if (d.Length > 4 && d[0] == '0' && d[1] == '0') return IsInternational(d[2..]);
        return IsNational(d);
    }

    /// <summary>A local number without area code (7-8 digits), which only the words around it can tell from other numbers.</summary>
    public static bool IsLocal(ReadOnlySpan<char> d) => d.Length is 7 or 8 && Checksums.AllDigits(d) && d[0] != '0';

    private static bool IsInternational(ReadOnlySpan<char> d)
    {
        if (d.Length < 8) return false;
        if (d[0] == '1') return d.Length == 11 && IsNanp(d[1..]);
        var cc = (d[0] - '0') * 10 + (d[1] - '0');
        var rest = d[2..];
        return cc switch
        {
            34 => rest.Length == 9 && rest[0] is >= '6' and <= '9',
            54 => rest.Length is 10 or 11,            // +54 9 11 1234 5678 for mobiles
            52 => rest.Length is 10 or 11,            // +52 1 ... (the 1 was dropped in 2019)
            57 => rest.Length == 10,
            56 => rest.Length == 9,
            51 => rest.Length is 8 or 9,              // Lima 1 + 7, provinces 2 + 6, mobiles 9 + 8
            44 => rest.Length is 9 or 10 && rest[0] != '0',
            _ => false,
        };
    }

    private static bool IsNational(ReadOnlySpan<char> d)
    {
        switch (d.Length)
        {
            case 9:
                // ES 6/7/8/9 + 8; CL 9 (mobile) or 2-7 (area) + 8; PE 9 + 8, or 0 + province (4-8) + 7.
                return d[0] is >= '2' and <= '9' || (d[0] == '0' && d[1] is >= '1' and <= '8');
            case 10:
                // MX, CO (3.., 60..), US (NPA-NXX), AR (area 1-3 + subscriber; 15 + 8 for a mobile), UK 0 + 9.
                return d[0] != '0' ? d[0] != '1' || d[1] is '1' or '5' : d[1] != '0';
            case 11:
                // UK 0 + 10 (07..., 020..., 01...); US 1 + 10; AR 0 + 10 (0 + area 1-3).
                return d[0] == '0' ? d[1] is >= '1' and <= '9' : d[0] == '1' && IsNanp(d[1..]);
            case 12:
                // MX old long distance 01 + 10; AR 0 + area (2-4) + 15 + 6-8 ... = 12; AR area + 15 + subscriber
                // without the trunk 0, as a mobile is usually said ("once quince 3333 1083": 11 15 + 8, 351 15 + 7, 2944 15 + 6).
                return d[0] == '0' ? d[1] is >= '1' and <= '3' : ArgentineMobile(d);
            case 13:
                // AR 0 + area + 15 + subscriber (011 15 1234 5678); MX 044/045 + 10.
                return d[0] == '0' && (d[1] is >= '1' and <= '3' || (d[1] == '4' && d[2] is '4' or '5'));
            default:
                return false;
        }
    }

    /// <summary>Argentine mobile in national form without the trunk 0: area (11, or 2-4 digits starting with 2 or 3) + 15 + subscriber, 12 digits.</summary>
    private static bool ArgentineMobile(ReadOnlySpan<char> d) =>
        d.Length == 12 && (d.StartsWith("1115") || (d[0] is '2' or '3' && (d[3..5].SequenceEqual("15") || d[4..6].SequenceEqual("15"))));

    /// <summary>North American number: NPA and NXX start with 2-9.</summary>
    private static bool IsNanp(ReadOnlySpan<char> d) => d.Length == 10 && d[0] is >= '2' and <= '9' && d[3] is >= '2' and <= '9';
}
