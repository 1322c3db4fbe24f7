using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

/// <summary>The same traps in English.</summary>
public class EnglishCallTests
{
    private static double Share(ConversationAnalysis a, string driver) => a.Drivers.Single(d => d.Driver == driver).Share;

    [Fact]
    public void Agent_talking_over_the_customer_and_passing_the_buck_is_agent_with_focus_on_interruptions()
    {
        var a = new ConversationBuilder("en-agent", "en")
            .Agent("Hello, you're speaking with Mike, how can I help you?", 0.2, start: 0, duration: 3)
            .Customer("Hi, I'm calling about a charge on my account that I don't think is right, it says", 0.0, start: 4, duration: 8)
            .Agent("Yeah yeah, what's your account number", 0.0, start: 9, duration: 2)   // starts 3 s before the customer stopped
            .Customer("Let me finish, please. The charge is from last Tuesday", -0.5, "anger", start: 12, duration: 4)
            .Agent("Okay what is it", 0.0, start: 14, duration: 1)                       // again 2 s over the customer
            .Customer("You keep interrupting me, this is unacceptable", -0.7, "anger", start: 16, duration: 3)
            .Analyze();
        Assert.Equal(2, a.AgentBehaviours.Interruptions);
        Assert.Contains("interruption", a.Utterances[2].Flags);
        Assert.Contains("interruption", a.Utterances[4].Flags);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.Equal(AgentBehaviours.Interruptions, a.AgentFocus);
    }

    [Fact]
    public void Not_my_department_after_a_complaint_is_agent_ownership()
    {
        var a = new ConversationBuilder("en-ownership", "en")
            .Agent("Good afternoon, how can I help you?", 0.2)
            .Customer("I want to know why my card was declined yesterday", 0.0)
            .Agent("That's not my department, you'll have to call the card team", -0.1)
            .Customer("Seriously? I've been on the phone for twenty minutes already", -0.6, "anger")
            .Analyze();
        Assert.Contains("missing_ownership", a.Utterances[2].Flags);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.Equal(AgentBehaviours.Ownership, a.AgentFocus);
    }

    [Fact]
    public void Wait_time_complaint_with_a_kind_agent_is_process_wait_time()
    {
        var a = new ConversationBuilder("en-wait", "en")
            .Agent("Thank you for calling, you're speaking with Ana, how can I help you?", 0.3)
            .Customer("I've been waiting for forty minutes in the queue just to ask a simple question, it's ridiculous", -0.7, "anger")
            .Agent("I'm so sorry about the wait, I understand how frustrating that is. Let me help you right away", 0.4)
            .Customer("Fine. I need to update my address", 0.0)
            .Agent("Done, your address is updated", 0.3)
            .Customer("Okay, thanks", 0.3)
            .Analyze();
        Assert.Equal(Drivers.Process, a.PrimaryDriver);
        Assert.Equal("wait_time", a.ProcessTopic);
        Assert.Equal(AgentBehaviours.None, a.AgentFocus);
        Assert.Equal(0.0, Share(a, Drivers.Agent));
    }

    [Fact]
    public void Customer_who_called_three_times_already_is_prior_experience()
    {
        var a = new ConversationBuilder("en-prior", "en")
            .Agent("Hello, how can I help you?", 0.2)
            .Customer("I've called three times about this and nobody ever calls back, I'm fed up", -0.8, "anger")
            .Agent("I'm really sorry, I can see the previous calls. Let me sort this out now", 0.3)
            .Customer("Okay", 0.0)
            .Analyze();
        Assert.Equal(Drivers.PriorExperience, a.PrimaryDriver);
        Assert.Equal(1.0, Share(a, Drivers.PriorExperience));
        Assert.Empty(a.Alerts); // -0.8 is above the severe level and the next turn is not negative: no trend
    }

    [Fact]
    public void Thanks_when_it_is_still_not_fixed_is_not_a_conversion()
    {
        var a = new ConversationBuilder("en-polite", "en")
            .Agent("Hello, how can I help you?", 0.2)
            .Customer("My phone has no signal since Monday and I need it for work", -0.6, "anger")
            .Agent("I'm sorry. I've reset your line, it should work in a few minutes", 0.2)
            .Customer("It's still not working, nothing changed", -0.5)
            .Agent("Then we'll open a ticket and a technician will call you", 0.1)
            .Customer("Alright, thank you for your help, I appreciate it, it's still not fixed but okay", 0.6)
            .Analyze();
        Assert.False(a.Resolved);
        Assert.Equal(-1, a.CustomerStart.Label);
        Assert.Equal(0, a.CustomerEnd.Label);
        Assert.False(a.NegativeToPositive);
        Assert.Equal(Drivers.Product, a.PrimaryDriver);
    }
}
