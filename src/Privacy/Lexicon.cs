using System.Collections.Frozen;

namespace Emotion.Privacy;

/// <summary>How a number word combines with its neighbours when a spoken number is read back into digits.</summary>
internal enum NumKind : byte
{
    None = 0,
    /// <summary>cero, zero, nought; "oh" in a run of digits.</summary>
    Zero,
    /// <summary>1-9.</summary>
    Unit,
    /// <summary>10-19 and Spanish 21-29 (veintiuno ... veintinueve): take no unit after them.</summary>
    Teen,
    /// <summary>20, 30, ... 90: a unit may follow (with or without "y").</summary>
    Tens,
    /// <summary>Spanish cien/ciento/doscientos ...: the value is the hundreds.</summary>
    Hundreds,
    /// <summary>English "hundred": multiplies the unit or teen before it.</summary>
    HundredTimes,
    Thousand,
    Million,
    /// <summary>Spanish "un": one, but only in front of mil/millón.</summary>
    UnBeforeMultiplier,
}

/// <summary>What the words around a number say it is.</summary>
internal enum Cue : byte
{
    None = 0,
    Card,
    Id,
    Phone,
    /// <summary>Also IBAN: the validator tells IBAN from other accounts.</summary>
    Account,
    /// <summary>Order, invoice, tracking, flight, date, time ...: a number that is not personal data.</summary>
    NotPersonal,
    /// <summary>An amount of money: stronger than <see cref="NotPersonal"/>.</summary>
    Money,
    /// <summary>cvv, cvc, "código de seguridad": a card's security code (3-4 digits).</summary>
    Cvv,
    /// <summary>"número", "number": a weak hint of a phone number that the nearest stronger cue overrides.</summary>
    WeakPhone,
}

[Flags]
internal enum Role : uint
{
    None = 0,
    /// <summary>doble/double (2) or triple (3) before a digit.</summary>
    Repeat = 1 << 0,
    /// <summary>Spanish "y" between tens and a unit.</summary>
    AndEs = 1 << 1,
    /// <summary>English "and" after hundred/thousand.</summary>
    AndEn = 1 << 2,
    /// <summary>"oh": zero in the middle of digits.</summary>
    Oh = 1 << 3,
    /// <summary>más/mas/plus before a country code.</summary>
    Plus = 1 << 4,
    /// <summary>guion/dash/hyphen/raya: a spoken '-' inside a number.</summary>
    Dash = 1 << 5,
    /// <summary>punto/dot: a spoken '.' inside a number or an address.</summary>
    Dot = 1 << 6,
    /// <summary>A spelled letter name (be, ce, equis, zeta ...) or a one-letter word.</summary>
    Letter = 1 << 7,
    /// <summary>letra/letter before a spelled letter.</summary>
    LetterIntro = 1 << 8,
    /// <summary>arroba.</summary>
    At = 1 << 9,
    /// <summary>English "at": an address only when a domain follows.</summary>
    AtEn = 1 << 10,
    /// <summary>underscore, guion bajo ("bajo" follows "guion").</summary>
    Underscore = 1 << 11,
    /// <summary>Words that end a spoken e-mail's local part when read backwards (es, mi, correo, to ...).</summary>
    MailStop = 1 << 12,
    /// <summary>A top-level domain (com, es, mx ...).</summary>
    Tld = 1 << 13,
    /// <summary>"o": English zero in a run of digits (only with an English hint).</summary>
    OEn = 1 << 14,
    /// <summary>"griega" after "i": the letter Y.</summary>
    Griega = 1 << 15,
    /// <summary>eh, este, um ...: a hesitation inside a number that is read out.</summary>
    Filler = 1 << 16,
    /// <summary>A request for data: me da, dígame, confirme, give me, what's ...</summary>
    Request = 1 << 17,
    /// <summary>su, tu, your, mi, my: whose the next thing named is.</summary>
    Possessive = 1 << 18,
    /// <summary>A month or another word of dates and times: names a number as short as a date, not a long one after it.</summary>
    Date = 1 << 19,
    /// <summary>de, del, of, for, the ...: joins two nouns into one phrase ("número de referencia de la transferencia").</summary>
    Link = 1 << 20,
    /// <summary>A utility supply (luz, agua, gas, medidor, electricity ...): "cuenta de luz", "electricity account" name a bill, not a bank account.</summary>
    Utility = 1 << 21,
}

/// <summary>Everything the redactor knows about one word (folded: lower case, no accents).</summary>
internal readonly record struct WordInfo(Role Roles, NumKind Num, short Value, char Letter, Cue Cue);

/// <summary>The word lists: Spanish and English number words, spelled letters, separators and the cue words around numbers.</summary>
internal static class Lexicon
{
    public const int MaxWordLength = 24;

    public static readonly FrozenDictionary<string, WordInfo> Words = Build();

    public static readonly FrozenDictionary<string, WordInfo>.AlternateLookup<ReadOnlySpan<char>> ByText =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Looks up a folded word; default when unknown.</summary>
    public static WordInfo Get(ReadOnlySpan<char> folded) =>
        folded.Length <= MaxWordLength && ByText.TryGetValue(folded, out var info) ? info : default;

    /// <summary>Lower case without accents into <paramref name="buffer"/>: "Teléfono" -> "telefono". Returns the length, 0 if too long.</summary>
    public static int Fold(ReadOnlySpan<char> word, Span<char> buffer)
    {
        if (word.Length > buffer.Length) return 0;
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            buffer[i] = c switch
            {
                >= 'A' and <= 'Z' => (char)(c + 32),
                < (char)128 => c,
                'á' or 'à' or 'ä' or 'â' or 'Á' or 'À' or 'Ä' or 'Â' => 'a',
                'é' or 'è' or 'ë' or 'ê' or 'É' or 'È' or 'Ë' or 'Ê' => 'e',
                'í' or 'ì' or 'ï' or 'î' or 'Í' or 'Ì' or 'Ï' or 'Î' => 'i',
                'ó' or 'ò' or 'ö' or 'ô' or 'Ó' or 'Ò' or 'Ö' or 'Ô' => 'o',
                'ú' or 'ù' or 'ü' or 'û' or 'Ú' or 'Ù' or 'Ü' or 'Û' => 'u',
                'ñ' or 'Ñ' => 'n',
                'ç' or 'Ç' => 'c',
                _ => char.ToLowerInvariant(c),
            };
        }
        return word.Length;
    }

    private static FrozenDictionary<string, WordInfo> Build()
    {
        var d = new Dictionary<string, WordInfo>(StringComparer.Ordinal);

        void Num(NumKind kind, int value, params string[] words)
        {
            foreach (var w in words) Merge(d, w, new WordInfo(Role.None, kind, (short)value, '\0', Cue.None));
        }
        void Roles(Role role, params string[] words)
        {
            foreach (var w in words) Merge(d, w, new WordInfo(role, NumKind.None, 0, '\0', Cue.None));
        }
        void Letter(char letter, params string[] words)
        {
            foreach (var w in words) Merge(d, w, new WordInfo(Role.Letter, NumKind.None, 0, letter, Cue.None));
        }
        void Cues(Cue cue, params string[] words)
        {
            foreach (var w in words) Merge(d, w, new WordInfo(Role.None, NumKind.None, 0, '\0', cue));
        }

        // Spanish numbers.
        Num(NumKind.Zero, 0, "cero");
        Num(NumKind.Unit, 1, "uno");
        Num(NumKind.UnBeforeMultiplier, 1, "un");
        string[] esUnits = ["dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"];
        for (var i = 0; i < esUnits.Length; i++) Num(NumKind.Unit, i + 2, esUnits[i]);
        string[] esTeens = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve"];
        for (var i = 0; i < esTeens.Length; i++) Num(NumKind.Teen, 10 + i, esTeens[i]);
        string[] esTwenties = ["veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho", "veintinueve"];
        for (var i = 0; i < esTwenties.Length; i++) Num(NumKind.Teen, 21 + i, esTwenties[i]);
        Num(NumKind.Teen, 21, "veintiun");
        string[] esTens = ["veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"];
        for (var i = 0; i < esTens.Length; i++) Num(NumKind.Tens, 20 + 10 * i, esTens[i]);
        Num(NumKind.Hundreds, 100, "cien", "ciento");
        string[] esHundreds = ["doscient", "trescient", "cuatrocient", "quinient", "seiscient", "setecient", "ochocient", "novecient"];
        for (var i = 0; i < esHundreds.Length; i++)
        {
            var stem = esHundreds[i] == "quinient" ? "quinient" : esHundreds[i];
            Num(NumKind.Hundreds, 100 * (i + 2), stem + "os", stem + "as");
        }
        Num(NumKind.Thousand, 1000, "mil");
        Num(NumKind.Million, 0, "millon", "millones");

        // English numbers.
        Num(NumKind.Zero, 0, "zero", "nought", "naught");
        string[] enUnits = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        for (var i = 0; i < enUnits.Length; i++) Num(NumKind.Unit, i + 1, enUnits[i]);
        string[] enTeens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
        for (var i = 0; i < enTeens.Length; i++) Num(NumKind.Teen, 10 + i, enTeens[i]);
        string[] enTens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
        for (var i = 0; i < enTens.Length; i++) Num(NumKind.Tens, 20 + 10 * i, enTens[i]);
        Num(NumKind.HundredTimes, 100, "hundred");
        Num(NumKind.Thousand, 1000, "thousand");
        Num(NumKind.Million, 0, "million", "millions");

        Roles(Role.Repeat, "doble", "double");
        Merge(d, "triple", new WordInfo(Role.Repeat, NumKind.None, 3, '\0', Cue.None));
        Roles(Role.AndEs, "y");
        Roles(Role.AndEn, "and");
        Roles(Role.Oh, "oh");
        Roles(Role.OEn, "o");
        Roles(Role.Plus, "mas", "plus");
        Roles(Role.Dash, "guion", "dash", "hyphen", "raya", "menos");
        Roles(Role.Dot, "punto", "dot", "point");
        Roles(Role.LetterIntro, "letra", "letter");
        Roles(Role.At, "arroba");
        Roles(Role.AtEn, "at");
        Roles(Role.Underscore, "underscore", "bajo");
        Roles(Role.Griega, "griega");
        Roles(Role.Filler, "eh", "ehh", "em", "emm", "mm", "mmm", "este", "uh", "um", "uhm", "umm", "er", "erm", "ah");
        // Short self-corrections and pauses a reader puts inside a number ("nueve cinco eh perdón siete", "six um hold on
        // four", "two oh six then eight"): skipped like a hesitation when digits stand on both sides.
        Roles(Role.Filler, "perdon", "perdona", "perdone", "disculpa", "disculpe", "digo", "espera", "espere", "bueno", "pues",
            "luego", "sorry", "wait", "hold", "on", "then", "well", "okay", "ok");
        Roles(Role.Link, "de", "del", "la", "el", "los", "las", "of", "for", "the", "para");
        Roles(Role.Request, "da", "das", "dar", "dame", "deme", "dice", "dices", "decis", "diga", "digame", "dime", "decime", "confirma",
            "confirmas", "confirme", "confirmar", "confirmame", "confirmeme", "indica", "indicas", "indique", "indicar", "indicame",
            "pasa", "pasas", "pase", "pasame", "paseme", "pasar", "regala", "regalas", "regale", "regalame", "pido", "pide", "pedir",
            "necesito", "necesita", "facilita", "facilitas", "facilite", "facilitar", "proporciona", "proporcione", "brinda",
            "brindas", "brinde", "deletrea", "deletree", "repite", "repita", "dicta", "dicte", "comparte", "comparta", "compartes",
            "cual", "give", "tell", "confirm", "provide", "read", "spell", "need", "verify", "what", "whats", "share", "repeat",
            "anote", "anota", "apunte", "apunta", "escriba", "escribe", "mande", "manda", "envie", "envia", "ingrese", "ingresa");
        Roles(Role.Possessive, "su", "tu", "sus", "tus", "your", "mi", "my", "vuestro", "vuestra");

        // Spelled letters as Spanish speakers name them (and the few English names ASR writes as words).
        Letter('A', "a"); Letter('B', "be"); Letter('C', "ce"); Letter('D', "de"); Letter('E', "e"); Letter('F', "efe");
        Letter('G', "ge"); Letter('H', "hache"); Letter('I', "i"); Letter('J', "jota"); Letter('K', "ka"); Letter('L', "ele");
        Letter('M', "eme"); Letter('N', "ene"); Letter('O', "o"); Letter('P', "pe"); Letter('Q', "cu"); Letter('R', "erre", "ere");
        Letter('S', "ese"); Letter('T', "te"); Letter('U', "u"); Letter('V', "uve", "ve"); Letter('X', "equis", "ex");
        Letter('Y', "ye"); Letter('Z', "zeta", "ceta", "zed", "zee");
        foreach (var c in "abcdefghijklmnopqrstuvwxz") Letter(char.ToUpperInvariant(c), c.ToString());

        Roles(Role.MailStop, "es", "is", "mi", "my", "correo", "email", "mail", "electronico", "electronic", "address", "direccion",
            "seria", "the", "al", "el", "la", "to", "its", "it", "con", "que", "or", "me", "te", "le", "para", "for", "en", "in",
            "envie", "envia", "enviar", "envio", "mande", "mandar", "manda", "send", "sent", "escribeme", "escribir", "write",
            "tengo", "have", "use", "uso", "usa", "a", "y", "o", "de", "was", "sea", "su", "your", "tu",
            "mandame", "mandeme", "enviame", "envieme", "nuevo", "new", "actual", "current", "cambiar", "change", "lo");
        Roles(Role.Tld, "com", "net", "org", "edu", "gov", "gob", "mil", "int", "info", "biz", "io", "co", "es", "mx", "ar", "cl",
            "pe", "us", "uk", "eu", "me", "tv", "app", "dev", "ai", "online", "site", "store", "cat", "ve", "uy", "ec", "bo",
            "py", "br", "fr", "de", "it", "pt", "ca", "au", "nz", "ie", "cr", "gt", "pa", "do", "hn", "sv", "ni", "cu", "pr");

        Cues(Cue.Card, "tarjeta", "tarjetas", "card", "cards", "visa", "mastercard", "master", "amex", "maestro", "debito", "credito",
            "debit", "credit", "plastico", "tdc", "tdd", "discover", "diners");
        Cues(Cue.Id, "dni", "nie", "nif", "documento", "documentos", "doc", "cedula", "cc", "rut", "run", "curp", "rfc", "cuit",
            "cuil", "ssn", "identificacion", "identidad", "pasaporte", "passport", "carnet", "carne", "ine", "identification",
            "social", "itin", "nss", "ruc", "dui", "id", "nit", "naf", "nuss");
        Cues(Cue.Phone, "telefono", "telefonos", "tel", "tlf", "tfno", "telf", "celular", "cel", "movil", "fijo", "whatsapp", "wasap", "wsp",
            "whats", "llamar", "llamame", "llamarme", "llamen", "llamenme", "llamarle", "llamarlo", "llamarla", "llamada", "llamadas",
            "marcar", "marque", "marca", "contacto", "contactar", "contactarme", "phone", "cell", "cellphone", "mobile", "call",
            "calling", "called", "text", "reach", "landline", "linea", "ring", "fax", "sms", "phones", "telephone");
        Cues(Cue.WeakPhone, "numero", "number", "nro", "num", "numeros", "numbers");
        Cues(Cue.Cvv, "cvv", "cvc", "cvv2", "cvc2", "seguridad", "security");
        Cues(Cue.Account, "cuenta", "cuentas", "cbu", "cvu", "clabe", "iban", "account", "accounts", "bancaria",
            "bancario", "bank", "banco", "transferencia", "transfer", "interbancaria", "ccc", "deposito", "deposit", "acct");
        Cues(Cue.NotPersonal, "pedido", "pedidos", "orden", "order", "orders", "factura", "facturas", "invoice", "boleta", "ticket",
            "tiquet", "seguimiento", "tracking", "track", "guia", "envio", "envios", "paquete", "package", "shipment", "parcel",
            "vuelo", "flight", "vuelos", "referencia", "reference", "ref", "folio", "expediente", "caso", "case", "reclamo",
            "reclamacion", "claim", "incidencia", "incident", "serie", "serial", "modelo", "model", "postal", "zip", "cp",
            "postcode", "cupon", "coupon", "promo", "confirmacion", "confirmation", "reserva", "booking", "reservation",
            "localizador", "contrato", "contract", "poliza", "policy", "cliente", "customer", "socio", "member", "membership",
            "ano", "anos", "year", "years", "hora", "horas", "hour", "hours", "minutos", "minutes", "segundos", "seconds",
            "kilometros", "km", "kms", "gb", "megas", "gigas", "mb", "version", "puntos", "points", "millas", "miles", "fecha",
            "date", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
            "octubre", "noviembre", "diciembre", "january", "february", "march", "april", "june", "july", "august",
            "september", "october", "november", "december", "am", "pm", "porciento", "percent", "ciento", "%", "ticket",
            "tickets", "pin", "clave", "password", "contrasena", "operacion", "transaccion", "transaction", "autorizacion",
            "authorization", "comprobante", "receipt", "recibo", "lote", "batch", "sku", "articulo", "item", "producto",
            "product", "habitacion", "room", "asiento", "seat", "puerta", "gate", "piso", "floor", "calle",
            "street", "avenida", "avenue", "portal", "radicado", "solicitud", "request", "tramite", "gestion",
            "incidente", "queja", "complaint", "reporte", "report", "rastreo", "remito", "cotizacion", "quote",
            "presupuesto", "matricula", "placa", "patente", "plate", "imei", "nota", "cuota", "cuotas", "po", "routing", "aba",
            "swift", "bic", "sort", "asesor", "agente", "agent", "operador", "extension", "ext", "interno", "sucursal", "branch",
            "tienda", "store", "usuario", "username", "user", "puk", "nip", "otp", "token", "verificacion", "verification");
        Roles(Role.Utility, "luz", "agua", "gas", "electricidad", "energia", "suministro", "medidor", "contador", "cups", "nis",
            "meter", "electricity", "energy", "water", "utility", "utilities");
        Roles(Role.Date, "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
            "octubre", "noviembre", "diciembre", "january", "february", "march", "april", "june", "july", "august",
            "september", "october", "november", "december", "fecha", "date", "hora", "horas", "hour", "hours", "am", "pm",
            "ano", "anos", "year", "years", "minutos", "minutes", "segundos", "seconds");
        Cues(Cue.Money, "euros", "euro", "eur", "pesos", "peso", "dolares", "dolar", "dollars", "dollar", "usd", "soles", "libras",
            "pounds", "gbp", "mxn", "ars", "clp", "cop", "lucas", "bucks", "cents", "centimos", "centavos", "importe", "monto",
            "saldo", "total", "deuda", "precio", "price", "amount", "balance", "cobro", "cargo", "charge", "fee", "tarifa",
            "pago", "pague", "pagar", "pagaron", "cobraron", "cobran", "cobrar", "costo", "coste", "cuesta", "debo",
            "owe", "paid", "pay", "charged", "refund", "reembolso", "devolucion", "mensualidad", "intereses", "interest",
            "dolaritos");
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Merge(Dictionary<string, WordInfo> d, string word, WordInfo info)
    {
        if (!d.TryGetValue(word, out var old))
        {
            d[word] = info;
            return;
        }
        d[word] = new WordInfo(
            old.Roles | info.Roles,
            old.Num != NumKind.None ? old.Num : info.Num,
            old.Num != NumKind.None ? old.Value : info.Value,
            old.Letter != '\0' ? old.Letter : info.Letter,
            old.Cue != Cue.None ? old.Cue : info.Cue);
    }
}
