namespace Emotion.Scoring;

/// <summary>
/// Agent behaviours found from text and timing, flagged on the turn where they happen:
/// <list type="bullet">
/// <item><c>interruption</c> (agent turn): it starts more than <c>overlap_tolerance_seconds</c> before the previous
/// customer turn ended, or it follows a customer turn that ends cut off ("—", "...").</item>
/// <item><c>long_hold</c> (any turn): a hold marker of at least <c>hold_seconds</c>.</item>
/// <item><c>long_silence</c> (any turn): a silence marker, or a gap since the previous turn ended (not on a
/// <c>text_channels</c> channel such as chat), of at least <c>silence_gap_seconds</c>.</item>
/// <item><c>missing_empathy</c> (agent turn): the customer's previous turn was negative and substantive (not identity
/// data), or had a distress cue, and none of
/// the agent's turns before the customer speaks again has an empathy cue; flagged on the first of them.</item>
/// <item><c>missing_ownership</c> (agent turn): a blame / not-my-area cue.</item>
/// <item><c>unclear</c> (agent turn): a vague non-answer cue, or the next customer turn has a confusion cue.</item>
/// </list>
/// When the call had audio (measured acoustics), interruptions, holds and dead air are measured instead of read from
/// timestamps and markers: an <c>interruption</c> is overtalk the agent broke into lasting at least
/// <c>overlap_tolerance_seconds</c> (flagged on the agent turn it falls in), a <c>long_hold</c> a measured hold of at least
/// <c>hold_seconds</c> and a <c>long_silence</c> measured dead air (flagged on the turn after it); hold seconds are the
/// measured ones. The cut-off-customer cue still counts as an interruption.
/// </summary>
internal static class AgentBehaviourDetector
{
    public static AgentBehaviourCounts Detect(PreparedTurn[] turns, ScoringProfile profile, SortedSet<string>[] flags, string? channel = null,
        ConversationAcoustics? acoustics = null)
    {
        var measured = acoustics is { AudioS: > 0 };
        // On a typed channel (chat) the gap between turns is typing and reading time; only silence markers count there.
        var timedGaps = channel is null || !profile.Options.TextChannels.Contains(channel, StringComparer.OrdinalIgnoreCase);
        var t = profile.Options.Thresholds;
        int interruptions = 0, holds = 0, silences = 0, empathy = 0, ownership = 0, unclear = 0;
        double holdSeconds = 0;
        PreparedTurn? lastCustomer = null;
        var lastCustomerIndex = -1;

        for (var i = 0; i < turns.Length; i++)
        {
            var turn = turns[i];
            foreach (var m in measured ? [] : turn.Markers)
            {
                if (m.Kind == MarkerKind.Hold && m.Seconds is { } hs)
                {
                    holdSeconds += hs;
                    if (hs >= t.HoldSeconds && flags[i].Add("long_hold")) holds++;
                }
                else if (m.Kind == MarkerKind.Silence && m.Seconds is { } ss && ss >= t.SilenceGapSeconds && flags[i].Add("long_silence"))
                {
                    silences++;
                }
            }
            if (!measured && timedGaps && i > 0 && turn.Source.StartS - turns[i - 1].Source.EndS >= t.SilenceGapSeconds && flags[i].Add("long_silence"))
            {
                silences++;
            }

            if (turn.IsAgent && turn.HasSpeech)
            {
                var interrupted = lastCustomer is not null && (
                    (!measured && turn.Source.StartS < lastCustomer.Source.EndS - t.OverlapToleranceSeconds)
                    || (lastCustomerIndex == i - 1 && profile.EndsCutOff(lastCustomer.Speech)));
                if (interrupted && flags[i].Add("interruption")) interruptions++;
                if (profile.Blame.IsMatch(turn.Normalized) && flags[i].Add("missing_ownership")) ownership++;
                if (profile.Vague.IsMatch(turn.Normalized) && flags[i].Add("unclear")) unclear++;
            }

            if (turn.IsCustomer && turn.HasSpeech)
            {
                // Confusion right after an agent turn makes that agent turn unclear.
                var prevAgent = PreviousSpeech(turns, i);
                if (prevAgent is { IsAgent: true } && profile.Confusion.IsMatch(turn.Normalized) && flags[prevAgent.Index].Add("unclear")) unclear++;

                // Distress: does the agent's reply (its turns before the customer speaks again) show empathy?
                if ((turn.Negative && turn.Substantive) || profile.Distress.IsMatch(turn.Normalized))
                {
                    var replies = new List<PreparedTurn>();
                    for (var j = i + 1; j < turns.Length && !(turns[j].IsCustomer && turns[j].HasSpeech); j++)
                    {
                        if (turns[j].IsAgent && turns[j].HasSpeech) replies.Add(turns[j]);
                    }
                    if (replies.Count > 0 && !replies.Any(r => profile.Empathy.IsMatch(r.Normalized)) && flags[replies[0].Index].Add("missing_empathy"))
                    {
                        empathy++;
                    }
                }
                lastCustomer = turn;
                lastCustomerIndex = i;
            }
        }
        if (measured)
        {
            foreach (var span in acoustics!.Spans)
            {
                switch (span.Kind)
                {
                    case AcousticSpanKinds.Overtalk when span.By == Speaker.Agent && span.Seconds >= t.OverlapToleranceSeconds:
                        // On the agent turn the overtalk falls in; a call without transcript counts it all the same.
                        var at = TurnAt(turns, span.StartS, agentOnly: true);
                        if (at < 0 || flags[at].Add("interruption")) interruptions++;
                        break;
                    case AcousticSpanKinds.Hold:
                        holdSeconds += span.Seconds;
                        if (span.Seconds >= t.HoldSeconds)
                        {
                            var after = TurnAfter(turns, span.StartS);
                            if (after < 0 || flags[after].Add("long_hold")) holds++;
                        }
                        break;
                    case AcousticSpanKinds.DeadAir:
                        var next = TurnAfter(turns, span.StartS);
                        if (next < 0 || flags[next].Add("long_silence")) silences++;
                        break;
                }
            }
        }
        return new AgentBehaviourCounts(interruptions, holds, Math.Round(holdSeconds, 1), silences, empathy, ownership, unclear);
    }

    /// <summary>The turn whose time holds <paramref name="s"/> (agent turns only when asked), or the nearest one starting within a second.</summary>
    private static int TurnAt(PreparedTurn[] turns, double s, bool agentOnly)
    {
        var best = -1;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < turns.Length; i++)
        {
            var u = turns[i].Source;
            if (agentOnly && !turns[i].IsAgent) continue;
            var distance = s < u.StartS ? u.StartS - s : s > u.EndS ? s - u.EndS : 0;
            if (distance <= 1.0 && distance < bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>The first turn that starts at or after <paramref name="s"/>, else the last turn; -1 without turns.</summary>
    private static int TurnAfter(PreparedTurn[] turns, double s)
    {
        for (var i = 0; i < turns.Length; i++) if (turns[i].Source.StartS >= s) return i;
        return turns.Length - 1;
    }

    private static PreparedTurn? PreviousSpeech(PreparedTurn[] turns, int i)
    {
        for (var j = i - 1; j >= 0; j--)
        {
            if (turns[j].HasSpeech) return turns[j];
        }
        return null;
    }
}
