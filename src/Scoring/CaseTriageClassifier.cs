namespace Emotion.Scoring;

/// <summary>
/// Sorts a contact into claim, complaint, request or none (docs/analytics.md, "Triage"), over the customer's turns:
/// <list type="number">
/// <item>none: a customer none cue (a wrong number, a thanks-only call, a returned missed call) with no need cue in
/// that turn or a later customer turn and no claim cue after it;</item>
/// <item>claim: a claim cue anywhere ("refund", "que me devuelvan", "reconecten"), or in the first
/// <c>opening_turns</c> substantive turns a claim-opening cue ("me cobraron", "arrived damaged", "me bloquearon"),
/// a cue of a <c>claim_opening_topics</c> topic, or a prior-experience cue ("es la tercera vez que llamo");</item>
/// <item>complaint: a complaint cue ("es un abuso", "thanks for nothing") in a turn without a not-complaint cue, a
/// sarcastic turn, an interruption or hold complaint, or at least <c>negative_turns_for_complaint</c> negative
/// substantive turns when the customer does not end positive;</item>
/// <item>none: the agent's first turn opens an outbound courtesy, reminder or survey call and no customer turn after it
/// states a need, or its last turn closes a call that dropped before any need was stated;</item>
/// <item>request: any other contact with a substantive customer turn; none without one.</item>
/// </list>
/// Precedence in that order. Claim, complaint and request rules tuned on the train writers of the written corpus only;
/// the none rules on 16 contacts written for them (models/eval/triage-none.jsonl), checked not to move the corpus.
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

        // A wrong number, a thanks-only call or a returned missed call says what the contact is before any cue of a
        // claim ("my check up" is not a cheque): none unless a need is stated in that turn or after it, or a claim after
        // it (thanks for "the engineer" is not a request for one).
        var noneTurn = customer.LastOrDefault(t => cases.None.IsMatch(t.Normalized));
        if (noneTurn is not null && !customer.Any(t =>
                (t.Index >= noneTurn.Index && cases.Need.IsMatch(t.Normalized)) || (t.Index > noneTurn.Index && cases.Claim.IsMatch(t.Normalized))))
            return Result(CaseClasses.None, $"none cue '{cases.None.FirstMatch(noneTurn.Normalized)}'", [noneTurn.Source.Turn]);

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

        if (AgentSaysNoNeed(turns, customer, cases, options) is { } none) return Result(CaseClasses.None, none.Reason, none.Evidence);

        return Result(CaseClasses.Request, "no claim or complaint", [substantive[0].Source.Turn]);
    }

    /// <summary>
    /// None said by the agent: its first turn opens an outbound courtesy, reminder or survey call and no later customer
    /// turn states a need, or its last turn closes a call that dropped before any need was stated; with
    /// <see cref="TriageOptions.NoneWithoutNeed"/>, also a contact where no customer turn states a need.
    /// </summary>
    private static (string Reason, int[] Evidence)? AgentSaysNoNeed(PreparedTurn[] turns, PreparedTurn[] customer, CaseProfile cases, TriageOptions options)
    {
        bool NeedAfter(int index) => customer.Any(t => t.Index > index && cases.Need.IsMatch(t.Normalized));
        var agent = turns.Where(t => t.IsAgent && t.HasSpeech).ToArray();
        if (agent.Length > 0 && cases.NoneOpening.FirstMatch(agent[0].Normalized) is { } open && !NeedAfter(agent[0].Index))
            return ($"agent opening cue '{open}'", [agent[0].Source.Turn]);
        if (agent.Length > 0 && cases.NoneClosing.FirstMatch(agent[^1].Normalized) is { } close && !NeedAfter(-1))
            return ($"agent closing cue '{close}'", [agent[^1].Source.Turn]);
        if (options.NoneWithoutNeed && !NeedAfter(-1)) return ("no customer turn states a need", []);
        return null;
    }
}
