using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

/// <summary>Builds hand-scored conversations: each turn gets the valence a model would give; times run on unless given.</summary>
internal sealed class ConversationBuilder(string id = "c1", string? language = "es")
{
    private readonly List<ScoredUtterance> _turns = [];
    private double _clock;

    public ConversationBuilder Agent(string text, double valence = 0.1, string emotion = "neutral", double? start = null, double duration = 5, string? phase = null) =>
        Add(Speaker.Agent, text, valence, emotion, start, duration, phase);

    public ConversationBuilder Customer(string text, double valence = 0.0, string emotion = "neutral", double? start = null, double duration = 5, string? phase = null) =>
        Add(Speaker.Customer, text, valence, emotion, start, duration, phase);

    private ConversationBuilder Add(Speaker speaker, string text, double valence, string emotion, double? start, double duration, string? phase)
    {
        var s = start ?? _clock;
        var markerOnly = TimingMarkers.IsMarkerOnly(text);
        // As the host does: a turn with no speech is not scored (label 0, valence 0).
        var v = markerOnly ? 0f : (float)valence;
        var label = markerOnly ? 0 : v >= 0.25f ? 1 : v <= -0.25f ? -1 : 0;
        var pos = Math.Max(v, 0);
        var neg = Math.Max(-v, 0);
        _turns.Add(new ScoredUtterance(_turns.Count, speaker, s, s + duration, text, phase, label, v, neg, 1 - pos - neg, pos,
            markerOnly ? "" : emotion, 0.8f));
        _clock = s + duration;
        return this;
    }

    public ConversationInput Build() => new(id, "tenant", "agent-7", "team-1", "campaign", language, "voice", _turns.ToArray());

    public ConversationAnalysis Analyze(ConversationAnalyzer? analyzer = null) =>
        (analyzer ?? new ConversationAnalyzer(ScoringProfile.Default)).Analyze(Build());
}

internal static class Calls
{
    /// <summary>Spanish: blocked card, resolved, the customer goes from desperate to relieved.</summary>
    public static ConversationBuilder ConvertedBlockedCard() => new ConversationBuilder("es-converted")
        .Agent("Buenos días, le atiende Pedro, ¿en qué puedo ayudarle?", 0.2)
        .Customer("Hola, buenos días", 0.3)
        .Customer("Tengo la tarjeta bloqueada desde ayer y no puedo pagar nada, estoy desesperada", -0.7, "fear")
        .Agent("Lo siento mucho, vamos a solucionarlo. ¿Me confirma su DNI?", 0.2)
        .Customer("Sí, es 44556677B", 0.0)
        .Agent("Gracias. Veo que se bloqueó por un intento de fraude; ya está desbloqueada, puede usarla ahora mismo", 0.4)
        .Customer("¡Ay, qué alivio! Muchísimas gracias, me ha salvado el día", 0.9, "joy")
        .Agent("¿Algo más en lo que pueda ayudarle? Que tenga un buen día", 0.4)
        .Customer("Nada más, gracias, adiós", 0.5, "gratitude");

    /// <summary>Spanish: a fee the agent handles well; the customer stays unhappy with the fee.</summary>
    public static ConversationBuilder FeesGoodAgent() => new ConversationBuilder("es-fees")
        .Agent("Buenos días, gracias por llamar a Banco Sol, le atiende Laura, ¿en qué puedo ayudarle?", 0.3)
        .Customer("Hola, buenos días.", 0.2)
        .Customer("Le llamo porque me han cobrado una comisión de mantenimiento de quince euros y no estoy de acuerdo", -0.5, "anger")
        .Agent("Entiendo su molestia. ¿Me confirma su DNI, por favor?", 0.1)
        .Customer("Sí, 12345678A", 0.0)
        .Agent("Gracias. Veo que la comisión es la cuota de mantenimiento de la cuenta; lamentablemente es la política de este producto", -0.1)
        .Customer("Pues me parece un abuso que cobren esa comisión", -0.7, "anger")
        .Agent("Lo siento mucho, tiene toda la razón en que es un importe alto. Lo que puedo hacer es pasarle a la cuenta sin comisiones", 0.3)
        .Customer("Vale, bueno, lo pensaré", 0.0)
        .Agent("¿Algo más en lo que pueda ayudarle? Que tenga un buen día", 0.3)
        .Customer("No, gracias, adiós", 0.4);

    /// <summary>Spanish: the agent cuts the customer off and blames another department.</summary>
    public static ConversationBuilder AgentCausedDrop() => new ConversationBuilder("es-agent")
        .Agent("Buenos días, le atiende Carlos, ¿en qué puedo ayudarle?", 0.2, start: 0, duration: 4)
        .Customer("Hola, mire, tengo una duda con la factura de este mes, aparece un cargo de roaming que—", 0.0, start: 5, duration: 5)
        .Agent("Eso no es mi área, tendrá que llamar a otro departamento", -0.1, start: 9, duration: 3)
        .Customer("¡Déjeme terminar! No me está escuchando", -0.6, "anger", start: 12.5, duration: 2)
        .Agent("Ya le he dicho que no es mi departamento", -0.2, start: 15, duration: 2)
        .Customer("Es increíble, nadie me ayuda, me parece fatal", -0.8, "anger", start: 17.5, duration: 3)
        .Agent("Pues no puedo hacer nada, que tenga buen día", -0.1, start: 21, duration: 2)
        .Customer("Vaya servicio. Adiós.", -0.5, "anger", start: 23.5, duration: 2);

    /// <summary>Spanish: the customer arrives angry (third call) and the agent turns it around.</summary>
    public static ConversationBuilder AngryOnArrival() => new ConversationBuilder("es-prior")
        .Agent("Buenas tardes, le atiende Ana, ¿en qué puedo ayudarle?", 0.2)
        .Customer("Es la tercera vez que llamo por lo mismo y nadie me lo soluciona, estoy harta", -0.8, "anger")
        .Agent("Lo siento mucho, entiendo su enfado. Déjeme revisar su caso ahora mismo", 0.2)
        .Customer("A ver si esta vez es la buena", 0.0)
        .Agent("Ya está solucionado, he corregido el alta del servicio y le queda activado hoy", 0.4)
        .Customer("Vale, pues perfecto, ya me funciona, genial", 0.7, "joy")
        .Agent("¿Algo más en lo que pueda ayudarle? Que tenga un buen día", 0.3)
        .Customer("Nada más, gracias", 0.4);

    /// <summary>English: an outage; the agent is good and the product is at fault.</summary>
    public static ConversationBuilder ProductOutage() => new ConversationBuilder("en-product", "en")
        .Agent("Good morning, thank you for calling NetCo, you're speaking with Sam, how can I help you?", 0.3)
        .Customer("Hi. My internet is not working since yesterday, I have no service at all and I work from home", -0.6, "anger")
        .Agent("I'm so sorry to hear that. Let me check your line.", 0.2)
        .Customer("It keeps dropping every five minutes, it's really frustrating", -0.5, "anger")
        .Agent("I understand. I can see a fault on your router; I'll send a technician tomorrow morning and it's fixed remotely for now", 0.3)
        .Customer("Okay, that's great news, thank you so much!", 0.8, "joy")
        .Agent("Is there anything else I can help with? Have a great day", 0.4)
        .Customer("No, that's all, bye", 0.2);

    /// <summary>Spanish: a double charge the agent cannot refund; the customer thanks politely, unresolved.</summary>
    public static ConversationBuilder PoliteThanksUnresolved() => new ConversationBuilder("es-polite")
        .Agent("Buenas tardes, le atiende Marta, ¿en qué puedo ayudarle?", 0.2)
        .Customer("Me han cobrado dos veces la factura de la luz y quiero que me devuelvan el dinero", -0.5, "anger")
        .Agent("Lo siento mucho. Veo el cobro duplicado, pero no podemos devolverlo hasta el próximo ciclo", -0.1)
        .Customer("¿Hasta el mes que viene? Eso es mucho tiempo, lo necesito ahora", -0.6, "anger")
        .Agent("Lo entiendo, lamentablemente no es posible antes", -0.2)
        .Customer("Bueno, le agradezco la explicación, ya veré qué hago", 0.5, "neutral")
        .Agent("Gracias a usted, que tenga buen día", 0.4)
        .Customer("Adiós", 0.1);
}
