namespace Emotion.Scoring;

/// <summary>
/// Sorts a contact into claim, complaint, request or none (docs/analytics.md, "Triage"), over the customer's turns:
/// <list type="number">
/// <item>claim: a claim cue anywhere ("refund", "que me devuelvan", "reconecten"), or in the first
/// <c>opening_turns</c> substantive turns a claim-opening cue ("me cobraron", "arrived damaged", "me bloquearon"),
/// a cue of a <c>claim_opening_topics</c> topic, or a prior-experience cue ("es la tercera vez que llamo");</item>
/// <item>complaint: a complaint cue ("es un abuso", "thanks for nothing") in a turn without a not-complaint cue, a
/// sarcastic turn, an interruption or hold complaint, or at least <c>negative_turns_for_complaint</c> negative
/// substantive turns when the customer does not end positive;</item>
/// <item>request: any other contact with a substantive customer turn; none without one.</item>
/// </list>
/// Precedence: claim, complaint, request. Rules tuned on the train writers of the written corpus only.
/// </summary>
internal static class CaseTriageClassifier
{
    public static CaseTriage Classify(PreparedTurn[] turns, bool resolved, ValencePoint end, ScoringProfile profile)
    {
        var cases = profile.Cases;
        var options = profile.Options.Triage;
        var customer = turns.Where(t => t.IsCustomer && t.HasSpeech).ToArray();
        var substantive = customer.Where(t => t.Substantive).ToArray();
        var firstContact = !customer.Any(t => profile.PriorExperience.IsMatch(t.Normalized));
        CaseTriage Result(string cls, string reason, IEnumerable<int> evidence)
        {
            var target = options.ServiceLevels.TryGetValue(cls, out var sl) ? new ServiceLevelTarget(sl.FirstContactResolution, sl.ResponseHours) : null;
            return new CaseTriage(cls, reason, evidence.Distinct().Order().ToArray(), firstContact, resolved, resolved && firstContact, target);
        }
        if (substantive.Length == 0) return Result(CaseClasses.None, "no substantive customer turn", []);

        foreach (var t in customer)
        {
            if (cases.Claim.FirstMatch(t.Normalized) is { } cue) return Result(CaseClasses.Claim, $"claim cue '{cue}'", [t.Source.Turn]);
        }
        foreach (var t in substantive.Take(Math.Max(0, options.OpeningTurns)))
        {
            if (cases.ClaimOpening.FirstMatch(t.Normalized) is { } cue) return Result(CaseClasses.Claim, $"claim opening cue '{cue}'", [t.Source.Turn]);
            if (cases.ClaimOpeningTopics.FirstMatch(t.Normalized) is { } topic) return Result(CaseClasses.Claim, $"claim opening topic cue '{topic}'", [t.Source.Turn]);
            if (options.ClaimOpeningPriorExperience && profile.PriorExperience.FirstMatch(t.Normalized) is { } prior)
                return Result(CaseClasses.Claim, $"repeat contact cue '{prior}'", [t.Source.Turn]);
        }

        var complaintTurns = new List<int>();
        string? complaintReason = null;
        foreach (var t in customer)
        {
            string? why = null;
            if (!cases.NotComplaint.IsMatch(t.Normalized) && cases.Complaint.FirstMatch(t.Normalized) is { } cue) why = $"complaint cue '{cue}'";
            else if (t.Sarcastic) why = "sarcasm";
            else if (profile.InterruptionComplaint.IsMatch(t.Normalized) || profile.HoldComplaint.IsMatch(t.Normalized)) why = "complaint about the agent";
            if (why is null) continue;
            complaintReason ??= why;
            complaintTurns.Add(t.Source.Turn);
        }
        if (complaintReason is not null) return Result(CaseClasses.Complaint, complaintReason, complaintTurns);

        var negative = substantive.Where(t => t.Negative).Select(t => t.Source.Turn).ToArray();
        if (options.NegativeTurnsForComplaint > 0 && negative.Length >= options.NegativeTurnsForComplaint && end.Label != 1)
            return Result(CaseClasses.Complaint, $"{negative.Length} negative customer turns and no positive end", negative);

        return Result(CaseClasses.Request, "no claim or complaint", [substantive[0].Source.Turn]);
    }
}
