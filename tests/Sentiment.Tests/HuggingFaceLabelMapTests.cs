namespace Emotion.Sentiment.Tests;

public sealed class HuggingFaceLabelMapTests
{
    [Fact]
    public void Star_ratings_sum_one_and_two_stars_as_negative_and_four_and_five_as_positive()
    {
        var map = HuggingFaceLabelMap.Create(["1 star", "2 stars", "3 stars", "4 stars", "5 stars"], "config.json");
        Assert.Equal([-1, -1, 0, 1, 1], map.ValenceOf);
        var p = map.Predict([0.1f, 0.2f, 0.3f, 0.25f, 0.15f]);
        Assert.Equal(0.3f, p.Negative, 1e-6f);
        Assert.Equal(0.3f, p.Neutral, 1e-6f);
        Assert.Equal(0.4f, p.Positive, 1e-6f);
        Assert.Equal(1, p.Label);
        Assert.Equal(0.1f, p.Valence, 1e-6f);
    }

    [Fact]
    public void Generic_labels_of_a_three_class_model_are_negative_neutral_positive()
    {
        Assert.Equal([-1, 0, 1], HuggingFaceLabelMap.Create(["LABEL_0", "LABEL_1", "LABEL_2"], "c").ValenceOf);
        Assert.Equal([-1, 1], HuggingFaceLabelMap.Create(["LABEL_0", "LABEL_1"], "c").ValenceOf);
    }

    [Fact]
    public void Named_polarity_labels_are_matched_by_neg_neu_pos_in_any_case()
    {
        var map = HuggingFaceLabelMap.Create(["POS", "Negative", "neutral"], "c");
        Assert.Equal([1, -1, 0], map.ValenceOf);
        Assert.Empty(map.EmotionLabels);
    }

    [Fact]
    public void A_valence_only_model_reports_neutral_emotion_with_zero_confidence_and_no_distribution()
    {
        var p = HuggingFaceLabelMap.Create(["negative", "positive"], "c").Predict([0.8f, 0.2f]);
        Assert.Equal(-1, p.Label);
        Assert.Equal(0f, p.Neutral);
        Assert.Equal("neutral", p.Emotion);
        Assert.Equal(0f, p.EmotionConfidence);
        Assert.Empty(p.EmotionProbs);
    }

    [Fact]
    public void Emotion_labels_map_to_the_project_set_and_derive_valence()
    {
        var map = HuggingFaceLabelMap.Create(["joy", "anger", "annoyance", "neutral", "surprise"], "c");
        Assert.Equal(["anger", "neutral", "joy"], map.EmotionLabels);
        var p = map.Predict([0.1f, 0.3f, 0.3f, 0.2f, 0.1f]);
        Assert.Equal("anger", p.Emotion);
        Assert.Equal(0.6f, p.EmotionConfidence, 1e-6f);
        Assert.Equal([0.6f, 0.3f, 0.1f], p.EmotionProbs);
        Assert.Equal(0.6f, p.Negative, 1e-6f);
        Assert.Equal(0.3f, p.Neutral, 1e-6f);
        Assert.Equal(0.1f, p.Positive, 1e-6f);
        Assert.Equal(-1, p.Label);
    }

    [Fact]
    public void An_unknown_label_is_an_error_naming_it_and_the_file()
    {
        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLabelMap.Create(["spam", "ham"], "/m/config.json"));
        Assert.Contains("'spam'", error.Message);
        Assert.Contains("/m/config.json", error.Message);
    }
}
