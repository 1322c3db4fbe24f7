namespace Emotion.Scoring;

/// <summary>
/// One utterance read once for every metric: its speech (markers removed), normalized text, markers, and the
/// valence the metrics use. <see cref="ScoredUtterance.Text"/> is the raw text with markers; a turn with only
/// markers has no speech, and whatever Label/Valence the host passed for it is ignored.
/// </summary>
public sealed record PreparedTurn
{
    public required ScoredUtterance Source { get; init; }
    public required int Index { get; init; }
    public required string Speech { get; init; }
    public required string Normalized { get; init; }
    public required IReadOnlyList<TimingMarker> Markers { get; init; }
    public bool HasSpeech => Normalized.Length > 0;
    public bool IsCustomer => Source.Speaker == Speaker.Customer;
    public bool IsAgent => Source.Speaker == Speaker.Agent;
    /// <summary>Model valence, sign-flipped (made non-positive) when a sarcasm cue meets a positive score; 0 with no speech.</summary>
    public required double Valence { get; init; }
    /// <summary>Model label, -1/0 after a sarcasm flip; 0 with no speech.</summary>
    public required int Label { get; init; }
    public required string Emotion { get; init; }
    public required bool Sarcastic { get; init; }
    /// <summary>An agent turn with an empathy or apology cue that the model scored negative: read as neutral (valence 0, label 0).</summary>
    public bool EmpathyReread { get; init; }
    /// <summary>A customer turn with gratitude, positive-content or resolution words and no negativity cue that the model scored negative: read as neutral.</summary>
    public bool PositiveReread { get; init; }
    /// <summary>Negative: has speech and (label -1 or valence at or below the negative threshold).</summary>
    public required bool Negative { get; init; }
    /// <summary>Could be a customer start/end turn: speech that is not greeting, pleasantry or identity data only.</summary>
    public required bool Substantive { get; init; }
    /// <summary>Duration in seconds used as weight, at least 0.5 s so zero-length turns still count.</summary>
    public double Weight => Math.Max(Source.EndS - Source.StartS, 0.5);

    /// <summary>Reads <paramref name="u"/> under <paramref name="profile"/>.</summary>
    public static PreparedTurn Create(ScoredUtterance u, int index, ScoringProfile profile)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(profile);
        var speech = TimingMarkers.Strip(u.Text);
        var norm = TextNormalizer.Normalize(speech);
        var markers = TimingMarkers.Parse(u.Text);
        var t = profile.Options.Thresholds;
        if (norm.Length == 0)
        {
            return new PreparedTurn
            {
                Source = u, Index = index, Speech = "", Normalized = "", Markers = markers, Valence = 0, Label = 0,
                Emotion = "", Sarcastic = false, Negative = false, Substantive = false,
            };
        }
        double valence = Math.Clamp(u.Valence, -1f, 1f);
        var label = u.Label;
        var emotion = u.Emotion;
        var sarcastic = profile.Sarcasm.IsMatch(norm);
        if (sarcastic && valence > 0)
        {
            valence = -valence;
            label = valence <= t.NegativeValence ? -1 : 0;
            if (profile.PositiveEmotions.Contains(emotion)) emotion = profile.Options.SarcasmEmotion;
        }
        else if (sarcastic && label == 1)
        {
            label = 0;
        }
        // "Lamento mucho", "I'm so sorry": sympathy words pull the model negative, but the agent is not negative.
        var empathyReread = u.Speaker == Speaker.Agent && (valence < 0 || label == -1) && profile.Empathy.IsMatch(norm);
        if (empathyReread)
        {
            valence = Math.Max(valence, 0);
            label = 0;
        }
        // "Muchísimas gracias, estaba sin dormir con esto": thanks, relief or a confirmed fix in the customer's own words,
        // with no word of negativity, is not negative whatever the model reads in it.
        var positiveReread = u.Speaker == Speaker.Customer && !sarcastic && (valence < 0 || label == -1)
            && (profile.Gratitude.IsMatch(norm) || profile.PositiveContent.IsMatch(norm) || profile.Resolution.IsMatch(norm))
            && !ShowsNegativity(norm, profile);
        if (positiveReread)
        {
            valence = Math.Max(valence, 0);
            label = 0;
        }
        return new PreparedTurn
        {
            Source = u, Index = index, Speech = speech, Normalized = norm, Markers = markers, PositiveReread = positiveReread,
            Valence = valence, Label = label, Emotion = emotion, Sarcastic = sarcastic, EmpathyReread = empathyReread,
            Negative = label == -1 || valence <= t.NegativeValence,
            Substantive = IsSubstantive(norm, profile),
        };
    }

    /// <summary>
    /// Substantive: a content cue (distress, product, process topic, prior experience, confusion, resolution or its
    /// absence, positive content, sarcasm, interruption or hold complaint) makes a turn substantive; otherwise an
    /// identity cue in a short turn makes it identity data only; otherwise at least <c>min_substantive_words</c> words
    /// must remain once pleasantries, filler words, numbers and single letters are removed.
    /// </summary>
    public static bool IsSubstantive(string normalized, ScoringProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (normalized.Length == 0) return false;
        if (HasContentCue(normalized, profile)) return true;
        var t = profile.Options.Thresholds;
        if (profile.Identity.IsMatch(normalized) && TextNormalizer.WordCount(normalized) <= t.IdentityMaxWords) return false;
        var rest = profile.Filler.RemoveAll(profile.Pleasantry.RemoveAll(normalized));
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Length > 1 && !w.Any(char.IsDigit));
        return words >= t.MinSubstantiveWords;
    }

    /// <summary>Words of negativity: distress, unresolved, prior experience, product failure, confusion, interruption or hold complaint.</summary>
    public static bool ShowsNegativity(string normalized, ScoringProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Distress.IsMatch(normalized) || profile.Unresolved.IsMatch(normalized) || profile.PriorExperience.IsMatch(normalized)
            || profile.Product.IsMatch(normalized) || profile.Confusion.IsMatch(normalized)
            || profile.InterruptionComplaint.IsMatch(normalized) || profile.HoldComplaint.IsMatch(normalized);
    }

    /// <summary>A content cue: distress, product, process topic, prior experience, confusion, resolution or its absence, positive content, sarcasm, interruption or hold complaint.</summary>
    public static bool HasContentCue(string normalized, ScoringProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Distress.IsMatch(normalized) || profile.Product.IsMatch(normalized) || profile.PriorExperience.IsMatch(normalized)
            || profile.Confusion.IsMatch(normalized) || profile.Unresolved.IsMatch(normalized) || profile.Resolution.IsMatch(normalized)
            || profile.PositiveContent.IsMatch(normalized) || profile.Sarcasm.IsMatch(normalized)
            || profile.InterruptionComplaint.IsMatch(normalized) || profile.HoldComplaint.IsMatch(normalized)
            || profile.MatchTopics(normalized).Any())
        {
            return true;
        }
        return false;
    }
}
