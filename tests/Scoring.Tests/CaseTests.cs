namespace Emotion.Scoring.Tests;

/// <summary>Issue 13: case triage, moments of truth and contact reasons, with answers worked out by hand.</summary>
public class CaseTriageTests
{
    private static CaseTriage Triage(ConversationBuilder b) => b.Analyze().Triage!;

    [Fact]
    public void A_customer_asking_for_money_back_is_a_claim_in_Spanish()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Buenas tardes, le atiende Ana, ¿en qué puedo ayudarle?")
            .Customer("Devolví unas zapatillas hace un mes y quiero que me devuelvan el dinero", -0.3)
            .Agent("Lo reviso ahora mismo")
            .Customer("Gracias", 0.3));

        Assert.Equal(CaseClasses.Claim, t.Class);
        Assert.Contains("devuelvan", t.Reason, StringComparison.Ordinal);
        Assert.Equal([1], t.EvidenceTurns);
    }

    [Fact]
    public void A_billed_charge_contested_in_the_opening_is_a_claim_in_English()
    {
        var t = Triage(new ConversationBuilder(language: "en")
            .Agent("Thanks for calling, this is Sam, how can I help?")
            .Customer("Hi, I was looking at my statement and you charged me twice for the same order", -0.4)
            .Agent("Let me look at that for you")
            .Customer("Okay, thanks", 0.2));

        Assert.Equal(CaseClasses.Claim, t.Class);
        Assert.StartsWith("claim opening cue", t.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dissatisfaction_without_a_demand_is_a_complaint()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?")
            .Customer("Quería cambiar la fecha de mi vuelo", 0.0)
            .Agent("El cambio tiene un costo de cincuenta euros")
            .Customer("Cincuenta euros por un día, me parece un abuso", -0.6, "anger")
            .Agent("Lo siento, es la tarifa")
            .Customer("Bueno, hágalo", -0.1));

        Assert.Equal(CaseClasses.Complaint, t.Class);
        Assert.Equal("complaint cue 'abuso'", t.Reason);
        Assert.Equal([3], t.EvidenceTurns);
    }

    [Fact]
    public void Two_negative_turns_and_no_positive_end_make_a_complaint_without_any_cue()
    {
        var t = Triage(new ConversationBuilder(language: "en")
            .Agent("Hello, how can I help?")
            .Customer("I'd like to move my appointment to next week", -0.5, "anger")
            .Agent("The first slot is in three weeks")
            .Customer("Three weeks, seriously, for a simple appointment", -0.7, "anger")
            .Agent("I'm afraid so")
            .Customer("Fine, book it", -0.1));

        Assert.Equal(CaseClasses.Complaint, t.Class);
        Assert.Equal([1, 3], t.EvidenceTurns);
    }

    [Fact]
    public void A_calm_question_is_a_request_and_no_complaints_is_not_a_complaint()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Hola, ¿en qué te ayudo?")
            .Customer("Quería saber cuándo vence la primera cuota del préstamo", 0.0)
            .Agent("El día 5 de cada mes")
            .Customer("Perfecto, no me quejo, fue todo muy rápido", 0.6, "joy"));

        Assert.Equal(CaseClasses.Request, t.Class);
        Assert.True(t.FirstContact);
        Assert.Equal(0.9, t.Target!.FirstContactResolution);
        Assert.Equal(24, t.Target.ResponseHours);
    }

    [Fact]
    public void A_contact_with_no_customer_substance_is_none()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Buenos días, le llamamos de Banco Sol para confirmar su cita del martes")
            .Customer("Vale, gracias", 0.2));

        Assert.Equal(CaseClasses.None, t.Class);
        Assert.Null(t.Target);
    }

    [Fact]
    public void A_repeat_contact_is_a_claim_and_not_a_first_contact_so_never_resolved_at_first_contact()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Buenas tardes, ¿en qué puedo ayudarle?")
            .Customer("Es la tercera vez que llamo por la instalación de la fibra", -0.6, "anger")
            .Agent("Ya está solucionado, el técnico va mañana a las nueve", 0.2, phase: "resolution")
            .Customer("Vale, gracias", 0.2));

        Assert.Equal(CaseClasses.Claim, t.Class);
        Assert.StartsWith("repeat contact cue", t.Reason, StringComparison.Ordinal);
        Assert.False(t.FirstContact);
        Assert.True(t.Resolved);
        Assert.False(t.ResolvedFirstContact);
    }

    [Fact]
    public void A_request_resolved_in_the_contact_is_resolved_at_first_contact()
    {
        var t = Triage(new ConversationBuilder()
            .Agent("Hola, ¿en qué te ayudo?")
            .Customer("Necesito activar la tarjeta nueva que me llegó", 0.0)
            .Agent("Listo, ya está activada, ya funciona", 0.3, phase: "resolution")
            .Customer("Genial, gracias", 0.6, "joy"));

        Assert.Equal(CaseClasses.Request, t.Class);
        Assert.True(t.ResolvedFirstContact);
    }

    [Fact]
    public void A_client_sets_its_own_service_levels_and_cues()
    {
        var options = ScoringConfig.FromJson("""
            { "triage": { "claim": { "es": ["hoja de reclamaciones"] }, "service_levels": { "claim": { "first_contact_resolution": 0.4, "response_hours": 360 } } } }
            """);
        var analyzer = new ConversationAnalyzer(new ScoringProfile(options));
        var t = new ConversationBuilder()
            .Agent("Buenos días")
            .Customer("Quiero la hoja de reclamaciones, por favor", -0.2)
            .Analyze(analyzer).Triage!;

        Assert.Equal(CaseClasses.Claim, t.Class);
        Assert.Equal(0.4, t.Target!.FirstContactResolution);
        Assert.Equal(360, t.Target.ResponseHours);
    }
}

public class MomentsOfTruthTests
{
    private static ConversationBuilder PaymentPlanCall() => new ConversationBuilder("es-plan")
        .Agent("Buenos días, le llamo de Cobranzas Sur", 0.1, start: 0, duration: 4)
        .Customer("Sí, dígame", 0.0, start: 5, duration: 2)
        .Agent("¿Me confirma su DNI, por favor?", 0.0, start: 8, duration: 3)
        .Customer("Sí, 44556677", 0.0, start: 12, duration: 2)
        .Agent("Tiene una deuda de novecientos euros", 0.0, start: 15, duration: 3)
        .Customer("Es que ahora mismo no puedo pagar, estoy sin trabajo", -0.6, "sadness", start: 19, duration: 4)
        .Customer("Lo siento mucho de verdad", -0.4, "sadness", start: 23.5, duration: 2)
        .Agent("Le puedo ofrecer un plan de pagos en seis cuotas de ciento cincuenta", 0.2, start: 26, duration: 5)
        .Customer("Ah, eso sí me ayuda mucho, gracias", 0.7, "gratitude", start: 32, duration: 3)
        .Customer("Me quita un peso de encima", 0.8, "joy", start: 35.5, duration: 2);

    [Fact]
    public void A_payment_plan_offer_is_located_with_the_customer_valence_before_and_after_and_the_shift()
    {
        var moments = PaymentPlanCall().Analyze().MomentsOfTruth!;

        var plan = Assert.Single(moments, m => m.Moment == "payment_plan_offer");
        Assert.Equal(7, plan.Turn);
        Assert.Equal(26, plan.AtS);
        Assert.Equal("agent", plan.Speaker);
        Assert.Equal("plan de pagos", plan.Cue);
        // Before: turns 5 and 6 (-0.6, -0.4); after: turns 8 and 9 (0.7, 0.8).
        Assert.Equal([5, 6], plan.BeforeTurns);
        Assert.Equal([8, 9], plan.AfterTurns);
        Assert.Equal(-0.5, plan.Before!.Value, 4);
        Assert.Equal(0.75, plan.After!.Value, 4);
        Assert.Equal(1.25, plan.Shift!.Value, 4);
    }

    [Fact]
    public void The_identity_check_is_located_and_moments_come_in_turn_order()
    {
        var moments = PaymentPlanCall().Analyze().MomentsOfTruth!;

        var identity = Assert.Single(moments, m => m.Moment == "identity_check");
        Assert.Equal(2, identity.Turn);
        Assert.Equal(0, identity.Before!.Value, 4);
        Assert.Equal(moments.OrderBy(m => m.Turn).Select(m => m.Turn), moments.Select(m => m.Turn));
    }

    [Fact]
    public void A_hold_marker_is_a_hold_moment_and_matches_with_no_customer_speech_between_are_one_occurrence()
    {
        var moments = new ConversationBuilder(language: "en")
            .Agent("Hello, how can I help?")
            .Customer("My parcel never arrived", -0.5, "anger")
            .Agent("Let me check, I'll put you on hold")
            .Agent("[hold 2 min]")
            .Customer("Still waiting here", -0.6, "anger")
            .Agent("Sorry, one moment please")
            .Customer("Okay", 0.0)
            .Analyze().MomentsOfTruth!;

        var holds = moments.Where(m => m.Moment == "hold").ToList();
        Assert.Equal(2, holds.Count);
        Assert.Equal(2, holds[0].Turn); // the cue; the marker turn right after is the same occurrence
        Assert.Equal(5, holds[1].Turn);
        // Before: turn 1 (-0.5); after: turns 4 and 6 (-0.6, 0.0) = -0.3; shift +0.2.
        Assert.Equal(0.2, holds[0].Shift!.Value, 4);
    }

    [Fact]
    public void An_identity_check_over_several_questions_answered_with_data_only_is_one_occurrence()
    {
        var moments = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué le ayudo?")
            .Customer("Me han bloqueado la tarjeta y estoy de viaje", -0.6, "fear")
            .Agent("Para validar su identidad, ¿me indica su DNI?")
            .Customer("44556677B", 0.0)
            .Agent("Gracias. ¿Y su fecha de nacimiento?")
            .Customer("3 de mayo de 1980", 0.0)
            .Agent("Perfecto, ya está desbloqueada")
            .Customer("¡Qué alivio, gracias!", 0.8, "joy")
            .Analyze().MomentsOfTruth!;

        var identity = Assert.Single(moments, m => m.Moment == "identity_check");
        Assert.Equal(2, identity.Turn);
    }

    [Fact]
    public void A_turn_with_no_customer_turn_before_has_no_before_and_no_shift()
    {
        var moments = new ConversationBuilder()
            .Agent("Buenos días, ¿me confirma su DNI?")
            .Customer("Sí, 12345678", 0.0)
            .Analyze().MomentsOfTruth!;

        var identity = Assert.Single(moments, m => m.Moment == "identity_check");
        Assert.Null(identity.Before);
        Assert.Equal(0, identity.After!.Value);
        Assert.Null(identity.Shift);
    }

    [Fact]
    public void A_client_defines_its_own_moment_with_an_example_sentence()
    {
        var options = ScoringConfig.FromJson("""
            {
              "moments_of_truth": { "moments": [
                { "name": "contract_renewal", "cues": { "es": ["renovar el contrato"] },
                  "examples": ["le comento que su permanencia termina este mes y puede renovar con descuento"] },
                { "name": "transfer", "enabled": false }
              ] }
            }
            """);
        Assert.DoesNotContain(options.MomentsOfTruth.Moments, m => m.Name == "transfer");
        var moments = new ConversationBuilder()
            .Agent("Hola, ¿en qué le ayudo?")
            .Customer("Quería revisar mi tarifa", 0.0)
            .Agent("Su permanencia termina este mes, si quiere puede renovar con un descuento del veinte por ciento", 0.1)
            .Customer("Ah, qué bien", 0.5, "joy")
            .Analyze(new ConversationAnalyzer(new ScoringProfile(options))).MomentsOfTruth!;

        var renewal = Assert.Single(moments, m => m.Moment == "contract_renewal");
        Assert.Equal(2, renewal.Turn);
        Assert.StartsWith("example:", renewal.Cue, StringComparison.Ordinal);
        Assert.Equal(0.5, renewal.Shift!.Value, 4);
    }
}

public class ContactReasonTests
{
    [Fact]
    public void A_request_type_phrase_goes_before_a_topic_word_and_its_known_event_is_found()
    {
        var reason = new ConversationBuilder()
            .Agent("Hola, ¿en qué te ayudo?")
            .Customer("Ya pagué la factura el lunes y me llegó aviso de corte", -0.4)
            .Agent("Veo el pago, ya está aplicado")
            .Analyze().ContactReason!;

        Assert.Equal("payment_status", reason.Reason);
        Assert.Equal("request", reason.Kind);
        Assert.Equal(1, reason.Turn);
        Assert.Equal("cut_off", reason.Event); // payment_due is listed first but not named
    }

    [Fact]
    public void A_process_topic_names_the_reason_when_no_request_phrase_does()
    {
        var reason = new ConversationBuilder(language: "en")
            .Agent("Hi, how can I help?")
            .Customer("There's a late fee on my account and I don't understand it", -0.3)
            .Analyze().ContactReason!;

        Assert.Equal("fees", reason.Reason);
        Assert.Equal("topic", reason.Kind);
        Assert.Null(reason.Event);
    }

    [Fact]
    public void No_reason_when_no_cue_occurs_and_a_removed_topic_removes_its_reason()
    {
        Assert.Null(new ConversationBuilder().Agent("Hola").Customer("Quería felicitar al técnico que vino ayer", 0.6, "joy").Analyze().ContactReason);

        var options = ScoringConfig.FromJson("""{ "process_topics": [ { "name": "fees", "enabled": false } ] }""");
        var reason = new ConversationBuilder(language: "en")
            .Agent("Hi")
            .Customer("There's a late fee on my account and I don't understand it", -0.3)
            .Analyze(new ConversationAnalyzer(new ScoringProfile(options))).ContactReason;
        Assert.NotEqual("fees", reason?.Reason);
    }
}

public class CaseConfigTests
{
    [Theory]
    [InlineData("""{ "moments_of_truth": { "moments": [ { "name": "x", "speaker": "bot", "cues": { "es": ["a"] } } ] } }""", "'moments_of_truth.moments[6].speaker' must be agent, customer or any")]
    [InlineData("""{ "moments_of_truth": { "moments": [ { "name": "y" } ] } }""", "needs cues, with_cues, examples, patterns, amount_cues or a marker")]
    [InlineData("""{ "moments_of_truth": { "moments": [ { "name": "z", "with_cues": ["cues.nothing"] } ] } }""", "unknown cue list 'cues.nothing'")]
    [InlineData("""{ "triage": { "service_levels": { "queja": { "first_contact_resolution": 0.5, "response_hours": 1 } } } }""", "unknown class 'queja'")]
    [InlineData("""{ "triage": { "service_levels": { "claim": { "first_contact_resolution": 1.5, "response_hours": 1 } } } }""", "'triage.service_levels.claim.first_contact_resolution' must be in [0, 1]")]
    [InlineData("""{ "anticipation": { "reasons": [ { "name": "r", "cues": { "es": ["a"] }, "events": ["eclipse"] } ] } }""", "unknown event 'eclipse'")]
    public void Invalid_case_settings_are_errors_that_name_the_setting(string json, string expected)
    {
        var e = Assert.Throws<ScoringConfigException>(() => ScoringConfig.FromJson(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_define_the_six_moments_and_the_three_service_levels()
    {
        var o = ScoringConfig.Default;
        Assert.Equal(["identity_check", "price_disclosure", "payment_plan_offer", "transfer", "hold", "resolution_statement"],
            o.MomentsOfTruth.Moments.Select(m => m.Name));
        Assert.Equal(["claim", "complaint", "request"], o.Triage.ServiceLevels.Keys.Order(StringComparer.Ordinal));
        Assert.All(o.Anticipation.Reasons, r => Assert.True(r.Prevention.ContainsKey("es") && r.Prevention.ContainsKey("en"), r.Name));
    }
}
