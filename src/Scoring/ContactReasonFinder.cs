namespace Emotion.Scoring;

/// <summary>
/// The contact's reason for anticipation (docs/analytics.md, "Anticipation candidates"): the configured reason whose cues
/// come first in the customer's substantive turns (in a turn, a reason's own cues before any topic's; ties: configuration
/// order), and
/// the first of its known events (a bill, a cut-off, a delivery date, a payment due) that any turn names. None when no
/// reason's cue occurs.
/// </summary>
internal static class ContactReasonFinder
{
    public static ContactReason? Find(PreparedTurn[] turns, ScoringProfile profile)
    {
        var cases = profile.Cases;
        if (cases.Reasons.Count == 0) return null;
        foreach (var t in turns.Where(t => t.IsCustomer && t.HasSpeech && t.Substantive))
        {
            // A reason's own phrases ("ya pagué", "where is my order") are more specific than a topic's words: they go first.
            var match = cases.Reasons.FirstOrDefault(r => r.Cues.IsMatch(t.Normalized))
                ?? cases.Reasons.FirstOrDefault(r => r.TopicCues.IsMatch(t.Normalized));
            if (match is null) continue;
            var kind = match.Options.Topic is null ? "request" : "topic";
            string? ev = null;
            foreach (var name in match.Options.Events)
            {
                if (cases.Events.TryGetValue(name, out var cues) && turns.Any(x => x.HasSpeech && cues.IsMatch(x.Normalized)))
                {
                    ev = name;
                    break;
                }
            }
            return new ContactReason(match.Options.Name, kind, t.Source.Turn, ev);
        }
        return null;
    }
}
