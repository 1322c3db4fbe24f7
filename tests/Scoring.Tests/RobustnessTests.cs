using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

/// <summary>
/// Regression tests for the rules that make the analytics hold on realistic conversations: identity answers, agent
/// apologies the model scores negative, weak uncorroborated negativity, a complaint going on, resolution phrasing
/// across variants, positive ends beyond thanks, outages as product, chat timing. Hand-made conversations.
/// </summary>
public class RobustnessTests
{
    private static double Share(ConversationAnalysis a, string driver) => a.Drivers.Single(d => d.Driver == driver).Share;

    [Fact]
    public void Short_answer_to_an_identity_request_is_identity_data_and_carries_no_driver()
    {
        // The model reads anger into a name; it is not the customer's emotion.
        var a = new ConversationBuilder("es-id")
            .Agent("Buenas tardes, le atiende Jorge", 0.2)
            .Customer("Quería cambiar la dirección de envío de mis extractos", 0.0)
            .Agent("Claro, me indica su nombre completo por favor", 0.0)
            .Customer("Rosa María Quintero Salas", -0.6, "anger")
            .Agent("Gracias, ya la tengo, ¿cuál es la nueva dirección?", 0.1)
            .Customer("Calle de los Almendros doce, segundo piso", 0.0)
            .Agent("Listo, ya quedó actualizada", 0.3)
            .Customer("Perfecto, eso era todo", 0.3)
            .Analyze();
        Assert.Contains("identity_answer", a.Utterances[3].Flags);
        Assert.False(a.Utterances[3].Substantive);
        Assert.DoesNotContain(3, a.CustomerStart.Turns);
        Assert.Equal(Drivers.None, a.PrimaryDriver);
        Assert.DoesNotContain("missing_empathy", a.Utterances[4].Flags);
    }

    [Fact]
    public void Identity_answer_with_a_complaint_stays_substantive()
    {
        var a = new ConversationBuilder("es-id-complaint")
            .Agent("Buenos días, ¿me da su dni?", 0.1)
            .Customer("sí es el doce treinta y cuatro, y me han cobrado de más otra vez", -0.7, "anger")
            .Analyze();
        Assert.True(a.Utterances[1].Substantive);
        Assert.DoesNotContain("identity_answer", a.Utterances[1].Flags);
    }

    [Theory]
    [InlineData("es", "Le pido disculpas, fue un error nuestro, ahora mismo lo corrijo")]
    [InlineData("es", "Qué pena con usted, lamento mucho lo que pasó")]
    [InlineData("en", "I'm so sorry about that, that's on us")]
    public void Agent_apology_scored_negative_is_read_neutral_and_counts_as_empathy(string language, string apology)
    {
        var a = new ConversationBuilder("apology", language)
            .Agent("Hello", 0.1)
            .Customer(language == "es" ? "Me cobraron dos veces la factura, estoy harta" : "You charged me twice on my bill, I'm fed up", -0.8, "anger")
            .Agent(apology, -0.6, "sadness")
            .Analyze();
        var agent = a.Utterances[2];
        Assert.Equal(0, agent.Valence);
        Assert.Equal(0, agent.Label);
        Assert.Contains("empathy_reread", agent.Flags);
        Assert.DoesNotContain("negative", agent.Flags);
        Assert.DoesNotContain("missing_empathy", agent.Flags);
    }

    [Fact]
    public void Agent_turn_without_empathy_keeps_its_negative_score()
    {
        var a = new ConversationBuilder("curt")
            .Agent("Hola", 0.1)
            .Customer("Me cobraron dos veces", -0.5)
            .Agent("Eso no es cosa mía, llame a otro número", -0.6, "anger")
            .Analyze();
        Assert.Equal(-0.6, a.Utterances[2].Valence!.Value, 4);
        Assert.Contains("negative", a.Utterances[2].Flags);
    }

    [Fact]
    public void One_mildly_negative_turn_in_a_calm_call_creates_no_driver()
    {
        var a = new ConversationBuilder("es-calm")
            .Agent("Buenos días, le atiende Rosa, ¿en qué le puedo ayudar?", 0.2)
            .Customer("Buenos días, quería pasar el pago de la tarjeta al día veinte", -0.45, "sadness")
            .Agent("Con gusto, ya quedó registrado el cambio", 0.2)
            .Customer("Muy bien, eso era todo, que tenga buen día", 0.3)
            .Analyze();
        Assert.Equal(Drivers.None, a.PrimaryDriver);
        Assert.All(a.Drivers, d => Assert.Equal(0, d.Share));
    }

    [Fact]
    public void Weak_negativity_in_the_customers_own_words_still_creates_a_driver()
    {
        // Below min_driver_mass, but the words say it (distress cue): a driver.
        var a = new ConversationBuilder("es-weak-distress")
            .Agent("Buenos días, ¿en qué le ayudo?", 0.2)
            .Customer("Estoy muy preocupada, me llegó un cargo de comisión que no entiendo", -0.4, "fear")
            .Agent("Lo entiendo, lo reviso", 0.1)
            .Analyze();
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("fees", a.ProcessTopic);
    }

    [Fact]
    public void Min_driver_mass_zero_disables_the_rule()
    {
        var options = ScoringConfig.FromJson("""{"thresholds": {"min_driver_mass": 0}}""");
        var a = new ConversationBuilder("es-calm-off")
            .Agent("Buenos días, ¿en qué le ayudo?", 0.2)
            .Customer("Quería pasar el pago de la tarjeta al día veinte", -0.45)
            .Analyze(new ConversationAnalyzer(new ScoringProfile(options)));
        Assert.NotEqual(Drivers.None, a.PrimaryDriver);
    }

    [Fact]
    public void Missing_empathy_shares_a_continuing_complaint_instead_of_taking_it()
    {
        // The outage is the complaint; a reply without empathy keeps it going but did not cause it.
        var a = new ConversationBuilder("en-continuation", "en")
            .Agent("Hi, how can I help?", 0.2)
            .Customer("My internet keeps cutting out every night, it's not working at all", -0.7, "anger")
            .Agent("Can I have the account number please", 0.0)
            .Customer("I already gave it, how long will this take, I work from home", -0.6, "anger")
            .Analyze();
        Assert.Contains("missing_empathy", a.Utterances[2].Flags);
        Assert.Equal(Drivers.Product, a.PrimaryDriver);
        Assert.True(Share(a, Drivers.Agent) > 0);
        Assert.True(Share(a, Drivers.Agent) < 0.3);
    }

    [Fact]
    public void Identity_answer_between_two_complaint_turns_does_not_break_the_complaint()
    {
        // Before any agent substance: without the link to turn 1 the second turn would read as prior experience.
        var a = new ConversationBuilder("en-id-between", "en")
            .Agent("Hi, this is Ana", 0.2, phase: "opening")
            .Customer("My internet keeps cutting out every evening", -0.6, "anger", phase: "opening")
            .Agent("Sorry about that, can I get your account number", 0.0, phase: "identification")
            .Customer("it's four four one nine", -0.3, phase: "identification")
            .Agent("Have you restarted the router", 0.0, phase: "identification")
            .Customer("Yes a dozen times and I even bought a new one", -0.6, "anger", phase: "identification")
            .Analyze();
        Assert.Equal(Drivers.Product, a.PrimaryDriver);
        Assert.True(Share(a, Drivers.Product) > Share(a, Drivers.PriorExperience));
    }

    [Fact]
    public void Agent_question_about_previous_calls_makes_the_answer_prior_experience()
    {
        var a = new ConversationBuilder("es-prior-context")
            .Agent("Buenas tardes, cuénteme", 0.1, phase: "exploration")
            .Customer("Tengo un problema con un cobro", 0.0, phase: "exploration")
            .Agent("Cuénteme qué le dijeron en las llamadas anteriores", 0.0, phase: "exploration")
            .Customer("Nada, nunca me devolvieron nada y nadie me explicó", -0.8, "anger", phase: "exploration")
            .Analyze();
        Assert.True(Share(a, Drivers.PriorExperience) > 0);
    }

    [Theory]
    [InlineData("es", "Listo, ya quedó, le llega mañana a su casa", "Ay qué bueno, muchas gracias")]
    [InlineData("es", "Ya se lo reintegré, ya le aparece en la cuenta", "Sí, ya me aparece, mil gracias")]
    [InlineData("es", "Ya está, queda solucionado", "Muchas gracias de verdad, le agradezco")]
    [InlineData("en", "Done, it's fixed, you'll see the refund tonight", "Thank you so much")]
    [InlineData("en", "You're all set, the new plan is active", "Thank you, really")]
    public void Resolution_phrasing_across_variants_lets_a_thankful_end_count(string language, string agentResolution, string customerEnd)
    {
        var a = new ConversationBuilder("resolution-" + language, language)
            .Agent(language == "es" ? "Buenas, ¿en qué le ayudo?" : "Hi, how can I help?", 0.2, phase: "opening")
            .Customer(language == "es" ? "Estoy harta, me cobraron dos veces la cuota" : "I'm so frustrated, I was charged twice", -0.8, "anger", phase: "exploration")
            .Customer(language == "es" ? "Y no tengo para pagar el alquiler" : "And now I can't cover my rent", -0.6, "sadness", phase: "exploration")
            .Agent(agentResolution, 0.3, phase: "resolution")
            .Customer(language == "es" ? "¿En serio? ¿hoy mismo?" : "Really? today?", 0.6, phase: "resolution")
            .Customer(customerEnd, 0.9, "gratitude", phase: "closing")
            .Analyze();
        Assert.True(a.Resolved);
        Assert.True(a.NegativeToPositive);
    }

    [Fact]
    public void Positive_end_turn_without_thanks_is_positive_beyond_thanks()
    {
        // No agent resolution phrase, but the customer's own last words are plainly positive.
        var a = new ConversationBuilder("es-beyond")
            .Agent("Hola, ¿qué pasó?", 0.1)
            .Customer("Otra vez se me cortó todo, estoy harta", -0.8, "anger")
            .Customer("Y mañana tengo que trabajar desde casa", -0.5)
            .Agent("Ya reinicié el puerto desde acá, fijate ahora", 0.2)
            .Customer("siii anda todo jaja", 0.9, "joy")
            .Customer("gracias!!", 0.8, "gratitude")
            .Analyze();
        Assert.False(a.Resolved);
        Assert.True(a.NegativeToPositive);
    }

    [Theory]
    [InlineData("es", "Bueno, gracias de todos modos")]
    [InlineData("en", "Okay, thanks anyway")]
    public void Thanks_anyway_after_an_unresolved_problem_is_not_a_conversion(string language, string end)
    {
        var a = new ConversationBuilder("anyway-" + language, language)
            .Agent("Hello", 0.1)
            .Customer(language == "es" ? "Me bloquearon la tarjeta y estoy de viaje, estoy desesperada" : "My card is blocked and I'm abroad, I'm freaking out", -0.8, "fear")
            .Customer(language == "es" ? "No puedo pagar el hotel" : "I can't pay the hotel", -0.6, "fear")
            .Agent(language == "es" ? "Lo siento, desde aquí no se puede desbloquear" : "I'm sorry, I can't unblock it from here", -0.2)
            .Customer(language == "es" ? "Vale, iré a una oficina cuando vuelva" : "Right, I'll go to a branch when I'm back", 0.3)
            .Customer(end, 0.6, "gratitude")
            .Analyze();
        Assert.False(a.NegativeToPositive);
        Assert.Equal(0, a.CustomerEnd.Label);
    }

    [Theory]
    [InlineData("es", "Se fue la luz en toda la colonia desde anoche")]
    [InlineData("es", "El celular se apaga solo y no carga")]
    [InlineData("en", "My internet keeps cutting out every evening")]
    [InlineData("en", "There's a power outage on my street since this morning")]
    public void Outages_and_defects_are_product(string language, string complaint)
    {
        var a = new ConversationBuilder("product-" + language, language)
            .Agent(language == "es" ? "Buenas, ¿en qué le ayudo?" : "Hi, how can I help?", 0.2, phase: "opening")
            .Customer(complaint, -0.7, "anger", phase: "exploration")
            .Agent(language == "es" ? "Entiendo, lo reviso" : "I understand, let me check", 0.1, phase: "exploration")
            .Analyze();
        Assert.Equal(Drivers.Product, a.PrimaryDriver);
    }

    [Fact]
    public void Gaps_between_chat_turns_are_not_silences_but_silence_markers_are()
    {
        var builder = new ConversationBuilder("chat-gaps")
            .Agent("Hola, ¿en qué te ayudo?", 0.1, start: 0, duration: 3)
            .Customer("No me llega el código para entrar a la app", -0.4, start: 60, duration: 10)
            .Agent("Ya te lo reenvío", 0.1, start: 120, duration: 3)
            .Customer("[pausa 2 min]", 0, start: 150, duration: 120);
        var analyzer = new ConversationAnalyzer(ScoringProfile.Default);
        var chat = analyzer.Analyze(builder.Build() with { Channel = "chat" });
        Assert.DoesNotContain("long_silence", chat.Utterances[1].Flags);
        Assert.DoesNotContain("long_silence", chat.Utterances[2].Flags);
        Assert.Contains("long_silence", chat.Utterances[3].Flags);
        var voice = analyzer.Analyze(builder.Build());
        Assert.Contains("long_silence", voice.Utterances[1].Flags);
    }

    [Theory]
    [InlineData("Muchísimas gracias de verdad, estaba sin dormir con esto", true)]
    [InlineData("Okay that's a relief, what a relief honestly", true)]
    [InlineData("Gracias, pero sigo sin luz", false)]
    [InlineData("Thanks, but this is ridiculous", false)]
    public void Customer_thanks_or_relief_scored_negative_is_read_neutral_unless_the_words_are_negative(string text, bool reread)
    {
        var a = new ConversationBuilder("reread")
            .Agent("Listo, ya quedó registrado", 0.2)
            .Customer(text, -0.5, "sadness")
            .Analyze();
        var turn = a.Utterances[1];
        Assert.Equal(reread, turn.Flags.Contains("positive_reread"));
        Assert.Equal(reread, !turn.Flags.Contains("negative"));
        if (reread) Assert.Equal(0, turn.Valence);
    }

    [Fact]
    public void Sarcastic_thanks_is_not_read_as_positive()
    {
        var a = new ConversationBuilder("sarcastic-thanks")
            .Agent("Tiene que ir a una sucursal", 0.0)
            .Customer("Gracias por nada", -0.6, "anger")
            .Analyze();
        Assert.DoesNotContain("positive_reread", a.Utterances[1].Flags);
        Assert.Contains("negative", a.Utterances[1].Flags);
    }

    [Fact]
    public void Min_driver_mass_out_of_range_is_rejected()
    {
        var ex = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson("""{"thresholds": {"min_driver_mass": -1}}""", "'acme.json'"));
        Assert.Contains("'thresholds.min_driver_mass'", ex.Message, StringComparison.Ordinal);
    }
}
