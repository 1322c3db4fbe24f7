using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class CustomerValenceTests
{
    [Fact]
    public void Start_and_end_skip_greetings_identity_data_and_closing_pleasantries()
    {
        var a = Calls.ConvertedBlockedCard().Analyze();
        // Turn 1 "Hola, buenos días", turn 4 "Sí, es 44556677B" and turn 8 "Nada más, gracias, adiós" are skipped.
        Assert.False(a.Utterances[1].Substantive);
        Assert.False(a.Utterances[4].Substantive);
        Assert.False(a.Utterances[8].Substantive);
        Assert.Equal([2], a.CustomerStart.Turns);
        Assert.Equal([6], a.CustomerEnd.Turns);
        Assert.Equal(-1, a.CustomerStart.Label);
        Assert.Equal(-0.7, a.CustomerStart.Score, 4);
        Assert.Equal(1, a.CustomerEnd.Label);
        Assert.Equal(0.9, a.CustomerEnd.Score, 4);
    }

    [Fact]
    public void Conversion_is_counted_when_a_desperate_customer_ends_relieved_and_resolved()
    {
        var a = Calls.ConvertedBlockedCard().Analyze();
        Assert.True(a.Resolved);
        Assert.True(a.NegativeToPositive);
        Assert.Equal(1.6, a.Shift, 4);
    }

    [Fact]
    public void Start_and_end_average_up_to_two_substantive_turns()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Tengo un problema con el router, no funciona", -0.6)
            .Customer("Y además me han cobrado la instalación dos veces", -0.4)
            .Agent("Lo siento, ya está solucionado y le he devuelto el cargo", 0.3)
            .Customer("Perfecto, me alegra mucho que se arregle así", 0.6)
            .Customer("Ha sido muy amable, genial de verdad", 0.8)
            .Analyze();
        Assert.Equal([1, 2], a.CustomerStart.Turns);
        Assert.Equal(-0.5, a.CustomerStart.Score, 4);
        Assert.Equal([4, 5], a.CustomerEnd.Turns);
        Assert.Equal(0.7, a.CustomerEnd.Score, 4);
        Assert.Equal(1.2, a.Shift, 4);
        Assert.True(a.NegativeToPositive);
    }

    [Fact]
    public void Polite_thanks_after_an_unresolved_problem_is_not_a_conversion()
    {
        var a = Calls.PoliteThanksUnresolved().Analyze();
        Assert.False(a.Resolved);
        Assert.Equal(-1, a.CustomerStart.Label);
        Assert.Equal([5], a.CustomerEnd.Turns);
        Assert.Equal(0, a.CustomerEnd.Label);
        Assert.Equal(0.0, a.CustomerEnd.Score);
        Assert.False(a.NegativeToPositive);
        Assert.Equal(0.5, a.Shift, 4);
        Assert.Empty(a.MemorableMoments);
    }

    [Fact]
    public void Polite_thanks_that_says_it_will_have_to_wait_is_not_positive_even_when_the_agent_claims_a_fix()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("No tengo internet desde hace tres días, estoy harto", -0.7, "anger")
            .Agent("Lo siento. Ya está solucionado, le he reiniciado el router", 0.3)
            .Customer("Sigue sin funcionar, igual no me sirve", -0.4)
            .Agent("Le abro una incidencia y le llamarán", 0.1)
            .Customer("Muchas gracias, supongo que tendré que esperar", 0.6)
            .Analyze();
        Assert.False(a.Resolved);
        Assert.Equal(0, a.CustomerEnd.Label);
        Assert.False(a.NegativeToPositive);
    }

    [Fact]
    public void Sarcastic_great_scored_negative_by_the_model_is_not_a_conversion()
    {
        var a = new ConversationBuilder("en-sarcasm-neg", "en")
            .Agent("Hello, thanks for calling, how can I help you?", 0.3)
            .Customer("My package never arrived and I need it for tomorrow", -0.6, "anger")
            .Agent("I'm sorry about that. It seems the courier lost it, we'll see when it can be resent, maybe next week", 0.0)
            .Customer("Oh great, just great. Another week without my order", -0.5, "anger")
            .Analyze();
        Assert.Equal(-1, a.CustomerEnd.Label);
        Assert.False(a.NegativeToPositive);
    }

    [Fact]
    public void Sarcasm_cue_flips_a_positive_model_score_and_blocks_conversion()
    {
        var a = new ConversationBuilder("es-sarcasm")
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Llevo dos días sin internet y necesito trabajar", -0.6, "anger")
            .Agent("Lo siento, lo estamos mirando, en algún momento se arreglará", 0.0)
            .Customer("Genial, otra vez sin servicio. Gracias por nada.", 0.6, "joy")
            .Analyze();
        var last = a.Utterances[3];
        Assert.Contains("sarcasm", last.Flags);
        Assert.Equal(-0.6, last.Valence);
        Assert.Equal(-1, last.Label);
        Assert.Equal("anger", last.Emotion);
        Assert.Equal(-1, a.CustomerEnd.Label);
        Assert.False(a.NegativeToPositive);
        Assert.Empty(a.MemorableMoments);
    }

    [Fact]
    public void A_call_with_no_customer_speech_has_neutral_start_and_end()
    {
        var a = new ConversationBuilder().Agent("Buenos días, ¿en qué puedo ayudarle?").Customer("[silencio 30s]").Analyze();
        Assert.Equal(0, a.CustomerStart.Label);
        Assert.Empty(a.CustomerEnd.Turns);
        Assert.False(a.NegativeToPositive);
    }
}
