using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

public class TimingMarkerTests
{
    [Theory]
    [InlineData("[hold 2 min]", MarkerKind.Hold, 120.0)]
    [InlineData("[silencio 40s]", MarkerKind.Silence, 40.0)]
    [InlineData("[espera 3 minutos]", MarkerKind.Hold, 180.0)]
    [InlineData("[silence 1:30]", MarkerKind.Silence, 90.0)]
    [InlineData("[pausa 1,5 min]", MarkerKind.Silence, 90.0)]
    [InlineData("[en espera 1 min 30 s]", MarkerKind.Hold, 90.0)]
    [InlineData("[Hold 2m30s]", MarkerKind.Hold, 150.0)]
    [InlineData("[silencio 45 segundos]", MarkerKind.Silence, 45.0)]
    [InlineData("[on hold 1.5 minutes]", MarkerKind.Hold, 90.0)]
    public void Marker_is_parsed_to_kind_and_seconds(string text, MarkerKind kind, double seconds)
    {
        var marker = Assert.Single(TimingMarkers.Parse(text));
        Assert.Equal(kind, marker.Kind);
        Assert.Equal(seconds, marker.Seconds);
    }

    [Fact]
    public void Annotation_without_duration_is_other_with_no_seconds()
    {
        var marker = Assert.Single(TimingMarkers.Parse("jaja [risas] vale"));
        Assert.Equal(MarkerKind.Other, marker.Kind);
        Assert.Null(marker.Seconds);
    }

    [Fact]
    public void Strip_removes_markers_and_keeps_the_speech()
    {
        Assert.Equal("Un momento, por favor. Ya estoy aquí", TimingMarkers.Strip("Un momento, por favor. [hold 2 min] Ya estoy aquí"));
        Assert.Equal("", TimingMarkers.Strip("[silencio 40s]"));
    }

    [Theory]
    [InlineData("[hold 2 min]", true)]
    [InlineData("  [silencio 40s] ... ", true)]
    [InlineData("[silence 1:30] ¿Hola?", false)]
    public void Marker_only_turn_has_no_speech(string text, bool markerOnly) =>
        Assert.Equal(markerOnly, TimingMarkers.IsMarkerOnly(text));

    [Fact]
    public void Marker_only_turn_gets_no_valence_and_is_not_substantive_but_its_hold_counts()
    {
        var a = new ConversationBuilder("hold", "en")
            .Agent("Hello, how can I help you?", 0.2)
            .Customer("I want to set up a payment plan for my last invoice", 0.0)
            .Agent("One moment please, let me check", 0.1)
            .Agent("[hold 4 min]")
            .Customer("[silence 0:40] Hello? Are you still there? This is taking forever", -0.5, "anger")
            .Agent("Sorry for the wait. I can offer you a plan in three installments", 0.3)
            .Customer("Okay, thanks", 0.3)
            .Analyze();

        var hold = a.Utterances[3];
        Assert.Null(hold.Valence);
        Assert.Null(hold.Label);
        Assert.False(hold.Substantive);
        Assert.Contains("no_speech", hold.Flags);
        Assert.Contains("long_hold", hold.Flags);
        Assert.Equal(240.0, Assert.Single(hold.Markers).Seconds);
        Assert.Contains("long_silence", a.Utterances[4].Flags);
        Assert.Equal(1, a.AgentBehaviours.LongHolds);
        Assert.Equal(240.0, a.AgentBehaviours.HoldSeconds);
        Assert.Equal(Drivers.Agent, a.PrimaryDriver);
        Assert.Equal(AgentBehaviours.HoldTime, a.AgentFocus);
        Assert.DoesNotContain(3, a.CustomerStart.Turns.Concat(a.CustomerEnd.Turns));
    }
}

public class TextNormalizerTests
{
    [Fact]
    public void Normalize_drops_accents_case_and_punctuation() =>
        Assert.Equal("como esta sr nunez", TextNormalizer.Normalize("¿Cómo  ESTÁ, Sr. Núñez?"));

    [Fact]
    public void Cue_matches_whole_words_only_accent_and_case_insensitive()
    {
        var m = new CueMatcher(["no es mi área", "mes"]);
        Assert.True(m.IsMatch(TextNormalizer.Normalize("Eso NO es mi AREA, señora")));
        Assert.False(m.IsMatch(TextNormalizer.Normalize("Deje la mesa ahí")));
        Assert.True(m.IsMatch(TextNormalizer.Normalize("este mes")));
    }
}
