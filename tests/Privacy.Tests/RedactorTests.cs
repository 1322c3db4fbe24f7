namespace Emotion.Privacy.Tests;

public sealed class RedactorTests
{
    private static string Redact(string text, string? lang = null) => Redactor.Default.Redact(text, out _, lang);

    [Theory]
    [InlineData("mi tarjeta es 4111 1111 1111 1111 y vence en 12/27", "mi tarjeta es <card> y vence en 12/27")]
    [InlineData("cuatro uno uno uno uno uno uno uno uno uno uno uno uno uno uno uno", "<card>")]
    [InlineData("it's four one one one, one one one one, one one one one, one one one one", "it's <card>")]
    [InlineData("la visa 4111-1111-1111-1111 por favor", "la visa <card> por favor")]
    [InlineData("el cvv es cuatro cinco nueve", "el cvv es <card>")]
    public void Card_numbers_are_redacted_in_digits_and_words(string text, string expected) => Assert.Equal(expected, Redact(text));

    [Theory]
    [InlineData("mi dni es 12345678Z", "mi dni es <id>")]
    [InlineData("el DNI 12.345.678-Z por favor", "el DNI <id> por favor")]
    [InlineData("mi NIE es X1234567L", "mi NIE es <id>")]
    [InlineData("mi rut es 12.345.678-5", "mi rut es <id>")]
    [InlineData("doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho guion cinco", "<id>")]
    [InlineData("mi curp es GOMA850101HDFRRN09", "mi curp es <id>")]
    [InlineData("mi cuit es 20-12345678-6", "mi cuit es <id>")]
    [InlineData("my social security number is 123-45-6789", "my social security number is <id>")]
    [InlineData("mi cédula es 1020304050", "mi cédula es <id>")]
    [InlineData("el dni es cuarenta y cinco doce treinta y cuatro cincuenta y seis", "el dni es <id>")]
    public void National_ids_are_redacted(string text, string expected) => Assert.Equal(expected, Redact(text));

    [Theory]
    [InlineData("mi iban es ES91 2100 0418 4502 0005 1332", "mi iban es <iban>")]
    [InlineData("el cbu es 2850590940090418135201", "el cbu es <account>")]
    [InlineData("la clabe 032180000118359719", "la clabe <account>")]
    public void Bank_accounts_are_redacted(string text, string expected) => Assert.Equal(expected, Redact(text));

    [Theory]
    [InlineData("mi correo es juan.perez@gmail.com gracias", "mi correo es <email> gracias")]
    [InlineData("mi correo es juan punto perez arroba gmail punto com", "mi correo es <email>")]
    [InlineData("it's john dot smith at gmail dot com", "it's <email>")]
    [InlineData("the email ending in @yahoo.com is right", "the email ending in @yahoo.com is right")]
    [InlineData("find out more at example.co.uk/help", "find out more at example.co.uk/help")]
    public void Emails_are_redacted_written_and_spoken(string text, string expected) => Assert.Equal(expected, Redact(text, "en"));

    [Theory]
    [InlineData("llámame al 612 345 678", "llámame al <phone>")]
    [InlineData("mi celular es seis uno dos, tres cuatro cinco, seis siete ocho", "mi celular es <phone>")]
    [InlineData("+54 9 11 4444-5555", "<phone>")]
    [InlineData("my number is (212) 555-0147", "my number is <phone>")]
    [InlineData("mi número es el seis doble cero, doce, treinta y cuatro, cincuenta y seis", "mi número es el <phone>")]
    [InlineData("call me on oh seven seven double oh nine double oh one two three", "call me on <phone>")]
    [InlineData("el número es seis uno dos eh tres cuatro cinco seis siete ocho", "el número es <phone>")]
    public void Phone_numbers_are_redacted(string text, string expected) => Assert.Equal(expected, Redact(text));

    [Theory]
    [InlineData("el pedido 45879632 no llegó")]
    [InlineData("me cobraron 1.250.000 pesos")]
    [InlineData("el vuelo IB3215 sale a las 10:30")]
    [InlineData("el 15-03-2024 pagué 45,90 €")]
    [InlineData("el cargo aparece el 15-03-2024 y otra vez el 16-03-2024")]
    [InlineData("IMEI 356938035643809")]
    [InlineData("my customer ID is 88214450")]
    [InlineData("AUT-2024-88103")]
    [InlineData("tracking: 9405 5036 9930 0412 3456 78")]
    [InlineData("7718, 44120")]
    [InlineData("me subieron la tarifa un 12 por ciento sin avisar")]
    [InlineData("soy cliente de ustedes desde 2009 y mi código postal es 28045")]
    public void Near_misses_stay_as_they_are(string text) => Assert.Same(text, Redact(text));

    [Theory]
    // IBANs typed or recognised in lower case, with a bank code in letters, and spelled letter by letter (mod 97 decides).
    [InlineData("my iban is nl91 abna 0417 1643 00 thanks", "en", "my iban is <iban> thanks")]
    [InlineData("the iban is gb82 west 1234 5698 7654 32", "en", "the iban is <iban>")]
    [InlineData("it's g b eight two w e s t one two three four five six nine eight seven six five four three two", "en", "it's <iban>")]
    // Amex in its 4-6-5 groups; a month after a number longer than a date does not make it a date.
    [InlineData("es una amex 3782 822463 10005 y vence en marzo del 2027", "es", "es una amex <card> y vence en marzo del 2027")]
    // Hesitations and short self-corrections inside a number, several in a row.
    [InlineData("la tarjeta es cuatro uno uno uno uno uno uno uno eh perdón uno uno uno uno uno uno uno uno", "es", "la tarjeta es <card>")]
    [InlineData("el número es seis uno dos perdón seis uno dos tres cuatro cinco seis siete ocho", "es", "el número es <phone>")]
    [InlineData("area code four one five then five five five two six seven one", "en", "area code <phone>")]
    [InlineData("it's four one one one one one one one um hold on one one one one one one one one", "en", "it's <card>")]
    // Argentine mobiles said with teens, without the trunk 0; UK numbers with +44 and "(0)".
    [InlineData("mi celular es once quince cuatro cuatro cuatro cuatro cinco cinco cinco cinco", "es", "mi celular es <phone>")]
    [InlineData("call me on +44 (0)20 7946 0958 please", "en", "call me on <phone> please")]
    [InlineData("Hi, my number's +44 7700 900123 - thanks", "en", "Hi, my number's <phone> - thanks")]
    // A NIE keeps its letters; an SSN read in its 3-2-4 groups with pauses.
    [InlineData("mi NIE es Y 3018179 H", "es", "mi NIE es <id>")]
    [InlineData("my nie is x one two three four five six seven l", "en", "my nie is <id>")]
    [InlineData("it's five three six uh two two um one four seven eight", "en", "it's <id>")]
    // A utility or a bill named in an earlier clause does not reach the number named in its own.
    [InlineData("me cortaron la luz, mi número es 612 345 678", "es", "me cortaron la luz, mi número es <phone>")]
    [InlineData("tengo un problema con la factura, mi número es 612 345 678", "es", "tengo un problema con la factura, mi número es <phone>")]
    public void Values_read_with_letters_pauses_and_prefixes_are_redacted(string text, string lang, string expected) =>
        Assert.Equal(expected, Redact(text, lang));

    [Theory]
    // A reference heads the phrase; a bill's account; a number with one check digit after a dash is no phone.
    [InlineData("the reference number for the transfer is 4478123699")]
    [InlineData("el número de referencia de la transferencia es 4478123699")]
    [InlineData("la cuenta de agua N° 5512-8890 vence el 20/06")]
    [InlineData("el ticket 45871236-2 sigue abierto")]
    [InlineData("I paid 45 on 12 march")]
    [InlineData("my electricity account 12345678 is wrong")]
    [InlineData("el número de suministro es 612345678")]
    public void References_bills_and_check_digit_forms_are_not_accounts_or_phones(string text) => Assert.Same(text, Redact(text));

    [Fact]
    public void Counts_are_per_type()
    {
        var text = "dni 12345678Z, tarjeta 4111 1111 1111 1111, tel 612 345 678 y correo ana@ejemplo.es";
        Redactor.Default.Redact(text, out var counts);
        Assert.Equal(new RedactionCounts(Card: 1, Iban: 0, Account: 0, Email: 1, Phone: 1, Id: 1), counts);
        Assert.Equal("card=1 email=1 phone=1 id=1", counts.ToString());
    }

    [Fact]
    public void A_placeholder_typed_by_the_speaker_becomes_its_word_so_stored_placeholders_are_redactions()
    {
        var result = Redactor.Default.Redact("te mando la <CARD> nueva y mi dni 12345678Z", out var counts);
        Assert.Equal("te mando la CARD nueva y mi dni <id>", result);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void Only_the_types_asked_for_are_redacted()
    {
        var onlyEmail = new Redactor([PiiType.Email]);
        Assert.Equal("dni 12345678Z, <email>", onlyEmail.Redact("dni 12345678Z, ana@ejemplo.es", out _));
    }

    [Fact]
    public void A_bare_number_answers_the_question_of_the_turn_before()
    {
        var carry = new RedactionCarry();
        Redactor.Default.Redact("me puede dar el dni del titular por favor", out _, "es", ref carry);
        Assert.True(carry.IsPending);
        Assert.Equal("sí <id>", Redactor.Default.Redact("sí cuatro siete dos cero uno nueve ocho tres", out _, "es", ref carry));

        var none = new RedactionCarry();
        Redactor.Default.Redact("¿me das tu número de cliente?", out _, "es", ref none);
        Assert.False(none.IsPending);
        const string customerNumber = "cuatro siete dos cero uno nueve ocho tres";
        Assert.Same(customerNumber, Redactor.Default.Redact(customerNumber, out _, "es", ref none));
    }

    [Fact]
    public void Text_without_personal_data_is_returned_as_is_without_allocating()
    {
        const string text = "buenas tardes, llevo tres semanas sin internet y me cobraron 45,90 € el 15/03";
        Redactor.Default.Redact(text, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Redactor.Default.Redact(text, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    public void Luhn_checks_card_numbers(string digits, bool valid) => Assert.Equal(valid, Checksums.IsCardNumber(digits));

    [Fact]
    public void Check_digit_algorithms_accept_valid_and_refuse_altered_numbers()
    {
        Assert.True(Checksums.IsIban("ES9121000418450200051332"));
        Assert.False(Checksums.IsIban("ES9121000418450200051333"));
        Assert.True(Checksums.IsDniOrNie("12345678Z"));
        Assert.False(Checksums.IsDniOrNie("12345678A"));
        Assert.True(Checksums.IsDniOrNie("X1234567L"));
        Assert.True(Checksums.IsCuit("20123456786"));
        Assert.False(Checksums.IsCuit("20123456787"));
        Assert.True(Checksums.IsRut("123456785"));
        Assert.True(Checksums.IsRut("7654316K"));
        Assert.False(Checksums.IsRut("123456784"));
        Assert.True(Checksums.IsCbu("2850590940090418135201"));
        Assert.False(Checksums.IsCbu("2850590940090418135202"));
        Assert.True(Checksums.IsClabe("032180000118359719"));
        Assert.False(Checksums.IsClabe("032180000118359718"));
        Assert.True(Checksums.IsCurp("HEGG560427MVZRRL04", out var checkDigit) && checkDigit);
        Assert.True(Checksums.IsSsn("123456789"));
        Assert.False(Checksums.IsSsn("666456789"));
    }
}
