using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class DriverTests
{
    private static double Share(ConversationAnalysis a, string driver) => a.Drivers.Single(d => d.Driver == driver).Share;

    private static void AssertSharesSumToOne(ConversationAnalysis a)
    {
        Assert.Equal(Drivers.All, a.Drivers.Select(d => d.Driver));
        Assert.Equal(1.0, a.Drivers.Sum(d => d.Share), 6);
    }

    [Fact]
    public void Customer_already_angry_at_the_first_turn_is_prior_experience()
    {
        var a = Calls.AngryOnArrival().Analyze();
        Assert.Equal(Drivers.PriorExperience, a.PrimaryDriver);
        Assert.Equal(1.0, Share(a, Drivers.PriorExperience));
        Assert.Equal([1], a.Drivers.Single(d => d.Driver == Drivers.PriorExperience).EvidenceTurns);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        Assert.Equal(Drivers.None, a.ProcessTopic);
        Assert.True(a.NegativeToPositive);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void Agent_caused_drop_with_interruption_and_blame_is_agent_with_focus_on_ownership()
    {
        var a = Calls.AgentCausedDrop().Analyze();
        Assert.Contains("interruption", a.Utterances[2].Flags);
        Assert.Contains("missing_ownership", a.Utterances[2].Flags);
        Assert.Contains("missing_empathy", a.Utterances[4].Flags);
        Assert.Equal(1, a.AgentBehaviours.Interruptions);
        Assert.Equal(3, a.AgentBehaviours.MissingOwnership);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.True(Share(a, Drivers.Agent) > 0.85, $"agent share {Share(a, Drivers.Agent)}");
        Assert.Equal(AgentBehaviours.Ownership, a.AgentFocus);
        var agent = a.Drivers.Single(d => d.Driver == Drivers.Agent);
        Assert.Contains(agent.Behaviours, b => b.Behaviour == AgentBehaviours.Interruptions);
        Assert.Equal(agent.Share, agent.Behaviours.Sum(b => b.Share), 3);
        Assert.Equal([2, 3, 4, 5, 6, 7], agent.EvidenceTurns);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void Process_caused_drop_with_a_good_agent_is_process_fees_with_no_agent_focus()
    {
        var a = Calls.FeesGoodAgent().Analyze();
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("fees", a.ProcessTopic);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        Assert.Equal(0.0, Share(a, Drivers.Agent));
        Assert.Equal(1.0, Share(a, Drivers.Process));
        var process = a.Drivers.Single(d => d.Driver == Drivers.Process);
        Assert.Equal("fees", process.Topics[0].Topic);
        Assert.Equal(process.Share, process.Topics.Sum(t => t.Share), 3);
        Assert.Equal([2, 5, 6], process.EvidenceTurns);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void Outage_with_a_good_agent_is_product()
    {
        var a = Calls.ProductOutage().Analyze();
        Assert.Equal(Drivers.Product, a.PrimaryDriver);
        Assert.Equal(1.0, Share(a, Drivers.Product));
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void Polite_unresolved_double_charge_is_process_billing_error()
    {
        var a = Calls.PoliteThanksUnresolved().Analyze();
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("billing_error", a.ProcessTopic);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void Negative_turn_without_evidence_takes_the_split_of_the_complaint_before_it()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.2)
            .Customer("Quería consultar el pedido que hice", 0.0)
            .Agent("Veo que su pedido está en reparto", 0.1)
            .Customer("El paquete no me ha llegado y lo necesito hoy", -0.5)
            .Agent("Le explico los plazos", 0.1)
            .Customer("Ya, claro", 0.0)
            .Agent("Son de tres a cinco días laborables", 0.1)
            .Customer("Pues vaya, qué desastre", -0.6)
            .Analyze();
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal(1.0, Share(a, Drivers.Process));
        Assert.Equal("delivery", a.ProcessTopic);
        Assert.Equal([2, 3, 7], a.Drivers.Single(d => d.Driver == Drivers.Process).EvidenceTurns);
        AssertSharesSumToOne(a);
    }

    [Fact]
    public void No_negative_mass_gives_zero_shares_and_no_primary_driver()
    {
        var a = new ConversationBuilder()
            .Agent("Buenos días, ¿en qué puedo ayudarle?", 0.3)
            .Customer("Quería saber el saldo de mi cuenta", 0.1)
            .Agent("Claro, tiene 500 euros", 0.2)
            .Customer("Perfecto, muchas gracias", 0.6)
            .Analyze();
        Assert.All(a.Drivers, d => Assert.Equal(0.0, d.Share));
        Assert.Equal(Drivers.None, a.PrimaryDriver);
        Assert.Equal(Drivers.None, a.ProcessTopic);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
    }

    [Fact]
    public void Customer_confusion_after_a_vague_answer_is_agent_clarity()
    {
        var a = new ConversationBuilder("en-clarity", "en")
            .Agent("Hello, how can I help you?", 0.2)
            .Customer("When will my refund be processed?", 0.0)
            .Agent("It depends, hard to say, at some point", 0.0)
            .Customer("I don't understand, what do you mean? That's not an answer", -0.5, "annoyance")
            .Analyze();
        Assert.Contains("unclear", a.Utterances[2].Flags);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.Equal(AgentBehaviours.Clarity, a.AgentFocus);
    }
}
