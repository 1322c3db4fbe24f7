using System.Globalization;
using Emotion.Ingest.Replay;

namespace Emotion.Host.Bench;

/// <summary>
/// Deterministic synthetic conversations for the load benchmark: Spanish and English contact-center turns of
/// 5 to 40 words that move through the phases, with negative, neutral and positive customers.
/// </summary>
public static class SyntheticConversations
{
    private static readonly string[] EsAgent =
    [
        "buenos días gracias por comunicarse con atención al cliente mi nombre es laura en qué le puedo ayudar",
        "me podría confirmar su número de documento y su fecha de nacimiento por favor",
        "entiendo perfectamente la situación déjeme revisar su cuenta un momento",
        "veo que efectivamente se generó un cargo duplicado en su última factura",
        "le voy a generar la devolución del cargo y se verá reflejada en los próximos cinco días hábiles",
        "lamento mucho las molestias le ofrezco un plan de pagos en seis cuotas sin interés",
        "eso no depende de mi área tiene que llamar a otro número",
        "hay algo más en lo que le pueda ayudar el día de hoy",
        "que tenga un excelente día gracias por su paciencia",
    ];

    private static readonly string[] EsCustomer =
    [
        "hola buenos días",
        "sí claro mi documento es el treinta y dos millones cuatrocientos mil",
        "mire le comento que me cobraron dos veces la misma cuota y ya es la tercera vez que llamo por esto",
        "no puede ser que nadie me solucione nada estoy cansado de esperar en la línea",
        "la verdad no entiendo por qué me aparece este cargo si yo pagué a tiempo",
        "ah perfecto muchísimas gracias me salvó el día de verdad",
        "bueno ok gracias igual supongo que tendré que esperar",
        "me da miedo que me bloqueen la cuenta porque ahí me depositan el sueldo",
        "genial otra vez sin internet qué maravilla de servicio",
        "excelente atención muy amable de su parte",
    ];

    private static readonly string[] EnAgent =
    [
        "thank you for calling customer support my name is mark how can i help you today",
        "could you please confirm your account number and date of birth",
        "i completely understand how frustrating that is let me look into it right away",
        "i can see the duplicate charge on your statement and i will reverse it now",
        "you will see the refund within three to five business days",
        "that is not my department you need to call billing",
        "is there anything else i can help you with today",
        "thank you for your patience have a wonderful day",
    ];

    private static readonly string[] EnCustomer =
    [
        "hi there",
        "sure it is four five six seven eight nine",
        "i was charged twice for the same bill and this is the third time i am calling about it",
        "this is ridiculous i have been on hold for forty minutes",
        "i do not understand why my internet keeps dropping every evening",
        "oh that is great thank you so much you really made my day",
        "ok thanks i guess i will just wait then",
        "perfect that solves it thanks a lot",
    ];

    /// <summary>Makes <paramref name="count"/> conversations of about <paramref name="turns"/> turns each.</summary>
    public static IReadOnlyList<ConversationRecord> Generate(int count, int turns, int seed, string idPrefix)
    {
        var rng = new Random(seed);
        var result = new List<ConversationRecord>(count);
        for (var c = 0; c < count; c++)
        {
            var spanish = rng.NextDouble() < 0.7;
            var agent = spanish ? EsAgent : EnAgent;
            var customer = spanish ? EsCustomer : EnCustomer;
            var list = new List<TurnRecord>(turns);
            var t = 0.0;
            for (var i = 0; i < turns; i++)
            {
                var isAgent = i % 2 == 0;
                var bank = isAgent ? agent : customer;
                // Walk the bank roughly in order so the phases move forward, with some randomness.
                var idx = Math.Clamp((int)((double)i / turns * bank.Length) + rng.Next(-1, 2), 0, bank.Length - 1);
                var text = bank[idx];
                var duration = 1.5 + text.Length / 15.0;
                list.Add(new TurnRecord(isAgent ? "agent" : "customer", Math.Round(t, 2), Math.Round(t + duration, 2), text));
                t += duration + 0.3 + rng.NextDouble();
            }
            var n = c.ToString("D6", CultureInfo.InvariantCulture);
            result.Add(new ConversationRecord(
                $"{idPrefix}-{n}",
                spanish ? "banco-andino" : "northwind-bank",
                $"agent-{rng.Next(1, 21):D2}",
                $"team-{rng.Next(1, 4)}",
                spanish ? "reclamos" : "billing-support",
                spanish ? "es" : "en",
                "call",
                list));
        }
        return result;
    }
}
