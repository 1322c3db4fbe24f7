namespace Emotion.Benchmarks.Sentiment;

/// <summary>Deterministic contact-center utterances of 5-40 words, about two thirds Spanish and one third English.</summary>
internal static class Utterances
{
    private static readonly string[] SpanishOpeners =
    [
        "buenos días", "hola qué tal", "mire le comento", "a ver", "sí señorita", "bueno", "oiga", "perdone",
        "buenas tardes", "verá",
    ];

    private static readonly string[] SpanishClauses =
    [
        "me han cobrado dos veces la factura de este mes", "llevo tres semanas esperando la devolución",
        "nadie me da una solución y ya no sé qué hacer", "quería consultar el estado de mi pedido",
        "el técnico no vino a la cita que me dieron", "me cortaron la llamada cuatro veces",
        "necesito cambiar la dirección de envío", "muchísimas gracias por su ayuda de verdad",
        "perfecto ya quedó solucionado", "esto es una vergüenza de servicio",
        "estoy muy preocupado porque me van a bloquear la cuenta", "no entiendo lo que me está explicando",
        "quiero hablar con un supervisor ahora mismo", "me parece bien la oferta que me propone",
        "el internet no funciona desde el lunes", "mi número de cliente es 45 78 12",
        "ya pagué el importe de 59,90 euros", "me transfirieron con tres agentes distintos",
        "le agradezco mucho la paciencia", "voy a darme de baja si no me lo solucionan hoy",
    ];

    private static readonly string[] EnglishOpeners = ["hi", "hello", "well", "okay so", "listen", "yes", "um"];

    private static readonly string[] EnglishClauses =
    [
        "I was charged twice for the same order", "I have been waiting on hold for forty minutes",
        "nobody is helping me with this problem", "thank you so much you have been really helpful",
        "my package never arrived", "I want to cancel my subscription", "the app keeps crashing when I log in",
        "that sounds great thanks", "this is the worst customer service ever", "I'm worried my account will be blocked",
        "can you check the status of my refund", "I don't understand what you mean",
    ];

    private static readonly string[] Tails = ["", "", "", "!", "?", " por favor", " gracias", " 😡", " 😊", " [silencio 3s]"];

    /// <summary><paramref name="count"/> utterances from a fixed seed.</summary>
    public static string[] Generate(int count, int seed = 20240501)
    {
        var random = new Random(seed);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var english = random.Next(3) == 0;
            var openers = english ? EnglishOpeners : SpanishOpeners;
            var clauses = english ? EnglishClauses : SpanishClauses;
            var target = random.Next(5, 41);
            var words = new List<string>(48);
            words.AddRange(openers[random.Next(openers.Length)].Split(' '));
            while (words.Count < target) words.AddRange(clauses[random.Next(clauses.Length)].Split(' '));
            if (words.Count > target) words.RemoveRange(target, words.Count - target);
            result[i] = string.Join(' ', words) + Tails[random.Next(Tails.Length)];
        }
        return result;
    }
}
