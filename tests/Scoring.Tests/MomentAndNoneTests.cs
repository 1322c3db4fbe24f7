namespace Emotion.Scoring.Tests;

/// <summary>
/// Moments of truth said without a set phrase (a price as an amount, a resolution in the first person past), the
/// identity check that is only an order lookup, and triage's <c>none</c> class; answers worked out by hand.
/// </summary>
public class MomentCueTests
{
    private static IReadOnlyList<MomentOfTruth> Moments(ConversationBuilder b, string name) =>
        b.Analyze().MomentsOfTruth!.Where(m => m.Moment == name).ToList();

    [Fact]
    public void A_price_stated_as_an_amount_is_a_price_disclosure_and_a_refunded_amount_is_not()
    {
        var b = new ConversationBuilder()
            .Agent("Hola, soy Lucía, ¿en qué te ayudo?")
            .Customer("Quiero sumar una línea para mi hija, ¿cuánto me sale?", 0.2)
            .Agent("La línea extra son 9€ al mes con 10GB")
            .Customer("Vale, y el envío de la tarjeta SIM que me cobrasteis la otra vez?", -0.3)
            .Agent("Ese envío de 3,50 euros te lo devolví ayer a la tarjeta")
            .Customer("Ah, genial, gracias", 0.6, "gratitude");

        var price = Assert.Single(Moments(b, "price_disclosure"));
        Assert.Equal(2, price.Turn);
        Assert.Equal("amount:al mes", price.Cue);
    }

    [Fact]
    public void An_amount_in_words_with_a_currency_word_is_a_price_in_an_English_call()
    {
        var b = new ConversationBuilder(language: "en")
            .Agent("thanks for calling this is omar")
            .Customer("hi i want to add a bag to my flight", 0.1)
            .Agent("sure a checked bag is forty pounds each way")
            .Customer("okay go ahead", 0.1);

        var price = Assert.Single(Moments(b, "price_disclosure"));
        Assert.Equal(2, price.Turn);
        Assert.Equal("amount:each", price.Cue);
    }

    [Fact]
    public void A_resolution_said_in_the_first_person_past_is_found_and_an_offer_is_not()
    {
        var es = new ConversationBuilder()
            .Agent("Buenas tardes, ¿en qué le ayudo?")
            .Customer("Me cortaron el gas y ya pagué", -0.6, "anger")
            .Agent("Le puedo mandar una cuadrilla esta semana")
            .Customer("Esta semana no, hoy por favor", -0.5, "anger")
            .Agent("Listo, queda agendada la reconexión para hoy a las cinco")
            .Customer("Gracias", 0.5, "gratitude");
        var en = new ConversationBuilder(language: "en")
            .Agent("Hello, how can I help?")
            .Customer("My due date moved and I got a late fee", -0.5, "anger")
            .Agent("I can look at moving it back")
            .Customer("Please do", 0.0)
            .Agent("I've moved your due date back to the twentieth and the fee is gone")
            .Customer("Thank you", 0.6, "gratitude");

        var esResolution = Assert.Single(Moments(es, "resolution_statement"));
        Assert.Equal(4, esResolution.Turn);
        Assert.StartsWith("pattern:", esResolution.Cue, StringComparison.Ordinal);
        var enResolution = Assert.Single(Moments(en, "resolution_statement"));
        Assert.Equal(4, enResolution.Turn);
        Assert.Equal("pattern:i ve moved", enResolution.Cue);
    }

    [Fact]
    public void Asking_only_for_an_order_number_is_not_an_identity_check_and_asking_for_the_id_is()
    {
        var b = new ConversationBuilder()
            .Agent("Hola, soy Tomás de la tienda")
            .Customer("Mi pedido no llegó", -0.4)
            .Agent("¿Me pasas el número de pedido?")
            .Customer("PX-2231", 0.0)
            .Agent("Para cambiar la dirección necesito validar tu identidad, ¿me das tu DNI?")
            .Customer("30111222", 0.0);

        var identity = Assert.Single(Moments(b, "identity_check"));
        Assert.Equal(4, identity.Turn);
    }

    [Fact]
    public void A_hold_request_without_a_marker_is_a_hold()
    {
        var b = new ConversationBuilder(language: "en")
            .Agent("Hi, this is Rae")
            .Customer("My card was declined abroad", -0.4, "fear")
            .Agent("Give me a second while I check the account")
            .Customer("Sure", 0.0);

        var hold = Assert.Single(Moments(b, "hold"));
        Assert.Equal(2, hold.Turn);
    }

    [Fact]
    public void An_invalid_pattern_is_an_error_that_names_the_setting()
    {
        var e = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson(
            """{ "moments_of_truth": { "moments": [ { "name": "p", "patterns": { "es": ["(abierto"] } } ] } }"""));
        Assert.Contains("'moments_of_truth.moments[6].patterns.es' has an invalid regular expression '(abierto'", e.Message, StringComparison.Ordinal);
    }
}

public class TriageNoneTests
{
    private static CaseTriage Triage(ConversationBuilder b) => b.Analyze().Triage!;

    [Fact]
    public void A_wrong_number_is_none()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Seguros Faro, buenas tardes, habla Inés")
            .Customer("Hola, ¿es la veterinaria de la esquina? quería pedir turno para mi perro", 0.0)
            .Agent("No señora, esto es Seguros Faro")
            .Customer("Uy perdón, número equivocado, disculpe", -0.1)
            .Agent("No pasa nada, buenas tardes"));

        Assert.Equal(CaseClasses.None, t.Class);
        Assert.Equal("none cue 'perdon numero equivocado'", t.Reason);
        Assert.Equal([3], t.EvidenceTurns);
    }

    [Fact]
    public void A_thanks_only_call_is_none_and_a_need_after_the_thanks_makes_it_a_request()
    {
        ConversationBuilder Call(string thanks, string then) => new ConversationBuilder(language: "en")
            .Agent("Northwind Energy, this is Kim")
            .Customer(thanks, 0.7, "gratitude")
            .Agent("That's kind of you, I'll pass it on")
            .Customer(then, 0.3);

        // "engineer" is a claim cue (asking for one is asking for a repair); thanking for one is not.
        var none = Triage(Call("Hi Kim, I just wanted to say thanks, the engineer yesterday was lovely", "Brilliant, that's all, bye"));
        var request = Triage(Call("Hi Kim, I just wanted to say thanks, Sam on the phone yesterday was so kind",
            "Oh and while I have you, can you tell me if you open on Saturdays?"));

        Assert.Equal(CaseClasses.None, none.Class);
        Assert.Equal("none cue 'just wanted to say thanks'", none.Reason);
        Assert.Equal(CaseClasses.Request, request.Class);
    }

    [Fact]
    public void An_outbound_courtesy_call_is_none_unless_the_customer_asks_for_something()
    {
        ConversationBuilder Call(string reply) => new ConversationBuilder()
            .Agent("Buenos días, le llamo de Fibra Norte para confirmar que la instalación de ayer quedó bien")
            .Customer("Sí, todo funciona perfecto", 0.6, "joy")
            .Agent("Me alegro, era solo eso")
            .Customer(reply, 0.2);

        Assert.Equal(CaseClasses.None, Triage(Call("Muy amable, hasta luego")).Class);
        Assert.Equal(CaseClasses.Request, Triage(Call("Ya que llama, quisiera cambiar la clave del wifi")).Class);
    }

    [Fact]
    public void A_call_that_drops_before_the_need_is_stated_is_none()
    {
        var t = Triage(new ConversationBuilder(language: "en")
            .Agent("Thank you for calling Harbor Bank, this is Lee")
            .Customer("Hi yes I'm calling about my", 0.0)
            .Agent("[silence 20s]")
            .Agent("Hello? I'm not able to hear you, I'm going to end the call"));

        Assert.Equal(CaseClasses.None, t.Class);
        Assert.StartsWith("agent closing cue", t.Reason, StringComparison.Ordinal);
    }
}
