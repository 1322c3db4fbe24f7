using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class PhaseTests
{
    private static IReadOnlyList<string> Phases(ConversationBuilder b) => PhaseInferer.Infer(b.Build().Utterances, ScoringProfile.Default);

    [Fact]
    public void Phases_follow_cues_in_order_through_a_spanish_call()
    {
        // Turns 2 and 4 have no phase cue: position moves them on, one phase at a time.
        Assert.Equal(
            ["opening", "opening", "identification", "identification", "exploration", "resolution", "resolution", "closing", "closing"],
            Phases(Calls.ConvertedBlockedCard()));
    }

    [Fact]
    public void Phases_never_go_back_when_a_later_turn_has_an_earlier_cue()
    {
        var phases = Phases(new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?")
            .Customer("Le llamo porque no funciona el router")
            .Agent("Déjeme revisar la línea")
            .Agent("Ya está solucionado, le he reiniciado la línea")
            .Customer("Hola, hola, ¿me oye? Buenos días otra vez")
            .Agent("Sí, le oigo. ¿Me confirma su DNI para cerrar la incidencia?"));
        Assert.Equal(["opening", "exploration", "exploration", "resolution", "resolution"], phases.Take(5));
        Assert.NotEqual("identification", phases[5]);
        var order = phases.Select(p => ScoringProfile.Default.IndexOfPhase(p)).ToArray();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void Reason_for_the_call_stated_before_the_identity_check_stays_in_the_opening()
    {
        var phases = Phases(new ConversationBuilder()
            .Agent("Buenos días, le atiende Laura, ¿en qué puedo ayudarle?")
            .Customer("Hola, le llamo porque me han cobrado dos veces")
            .Agent("Vaya, lo siento. ¿Me confirma su DNI?")
            .Customer("Sí, 12345678A")
            .Agent("Gracias. Veo que hay dos cargos, déjeme revisar"));
        Assert.Equal(["opening", "opening", "identification"], phases.Take(3));
        Assert.Equal("exploration", phases[4]);
    }

    [Fact]
    public void Carried_phase_is_kept_and_inference_goes_on_from_it()
    {
        var phases = Phases(new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?")
            .Customer("Quería consultar un cargo", phase: "identification")
            .Agent("Claro, le explico el cargo")
            .Customer("Hola otra vez", phase: "exploration")
            .Agent("Que tenga un buen día"));
        Assert.Equal(["opening", "identification", "exploration", "exploration", "closing"], phases);
    }

    [Fact]
    public void Without_cues_the_position_in_the_call_decides()
    {
        var b = new ConversationBuilder();
        for (var i = 0; i < 10; i++)
        {
            if (i % 2 == 0) b.Agent("texto sin pistas", duration: 10);
            else b.Customer("otra frase neutra", duration: 10);
        }
        Assert.Equal(
            ["opening", "identification", "exploration", "exploration", "exploration", "exploration", "exploration", "resolution", "resolution", "closing"],
            Phases(b));
    }

    [Fact]
    public void Phase_emotionality_is_duration_weighted_per_phase_and_speaker()
    {
        var a = new ConversationBuilder()
            .Agent("texto", 0.2, start: 0, duration: 4, phase: "opening")
            .Customer("primera queja", -0.5, "anger", start: 5, duration: 10, phase: "exploration")
            .Agent("respuesta", 0.0, start: 15, duration: 5, phase: "exploration")
            .Customer("segunda frase", 0.1, "neutral", start: 20, duration: 5, phase: "exploration")
            .Analyze();

        var customer = Assert.Single(a.Phases, p => p.Phase == "exploration" && p.Speaker == "customer");
        Assert.Equal(2, customer.Turns);
        Assert.Equal(15.0, customer.DurationS);
        Assert.Equal(-0.3, customer.MeanValence, 4);
        Assert.Equal(-0.5, customer.MinValence, 4);
        Assert.Equal(0.5, customer.NegativeShare, 4);
        Assert.Equal("anger", customer.DominantEmotion);

        var opening = Assert.Single(a.Phases, p => p.Phase == "opening");
        Assert.Equal("agent", opening.Speaker);
        Assert.Equal(0.2, opening.MeanValence, 4);
        Assert.Equal(0.0, opening.NegativeShare);
        Assert.Equal(["opening", "exploration", "exploration"], a.Phases.Select(p => p.Phase));
    }
}
