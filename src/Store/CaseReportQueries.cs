namespace Emotion.Store;

/// <summary>A moment of truth's numbers for one tenant, campaign and period: how the customer's valence moves across it.</summary>
/// <param name="MeanShift">Mean of after − before over the occurrences with customer turns on both sides; null with none.</param>
/// <param name="Lifts">Occurrences whose shift is at or above the lift threshold (default +0.25).</param>
/// <param name="Sinks">Occurrences whose shift is at or below minus the threshold.</param>
/// <param name="Trend">Mean shift minus the previous period's; null when the previous period has no measured occurrence.</param>
public sealed record MomentPeriodStats(
    string Tenant, string Campaign, DateOnly Period, string Moment, long Occurrences, long Contacts, long Measured,
    double? MeanBefore, double? MeanAfter, double? MeanShift, long Lifts, long Sinks, double? PreviousMeanShift, double? Trend);

/// <summary>An agent's mean shift across a moment against the team's (same tenant, team and period; the team includes the agent).</summary>
public sealed record MomentAgentGap(
    string Tenant, string TeamId, string AgentId, DateOnly Period, string Moment,
    double AgentMeanShift, double TeamMeanShift, double Gap, long Occurrences, IReadOnlyList<string> Examples);

/// <summary>The moments-of-truth report: per campaign and period, and per agent against the team.</summary>
public sealed record MomentsReport(IReadOnlyList<MomentPeriodStats> Stats, IReadOnlyList<MomentAgentGap> AgentGaps);

/// <summary>A case class's numbers for one tenant, campaign and period, against its service-level target.</summary>
/// <param name="Share">The class's part of the period's contacts (all classes of the tenant and campaign).</param>
/// <param name="FirstContactResolution">Resolved at first contact / contacts.</param>
/// <param name="TargetFirstContactResolution">The configured target (mean of the targets stored with the contacts); null when none.</param>
/// <param name="MeetsTarget">Whether the first-contact resolution reaches the target; null without a target.</param>
public sealed record TriagePeriodStats(
    string Tenant, string Campaign, DateOnly Period, string CaseClass, long Contacts, double Share,
    long FirstContacts, long Resolved, long ResolvedFirstContact, double FirstContactResolution,
    double? TargetFirstContactResolution, bool? MeetsTarget, double? TargetResponseHours,
    double MeanExperienceIndex, double MeanDurationS);

/// <summary>
/// A contact reason ranked as an anticipation candidate for one tenant and period. <c>Score</c> = predictability ×
/// (volume share + negative share) / 2, all in [0, 1].
/// </summary>
/// <param name="Predictability">Contacts that name one of the reason's known events / contacts.</param>
/// <param name="VolumeShare">The reason's contacts / the period's contacts.</param>
/// <param name="NegativeShare">The reason's summed negative load / the period's; 0 when the period has none.</param>
/// <param name="Event">The known event named most often with this reason, or null.</param>
/// <param name="Languages">Languages of the reason's contacts, for choosing the prevention text.</param>
/// <param name="Examples">The reason's contacts with the most negative load, worst first.</param>
/// <param name="Prevention">The proactive message or self-service step from the configuration; filled by the caller.</param>
public sealed record AnticipationCandidate(
    string Tenant, DateOnly Period, string Reason, string Kind, long Contacts, long NegativeContacts, double NegativeLoadSum,
    double MeanExperienceIndex, long EventContacts, double Predictability, double VolumeShare, double NegativeShare, double Score,
    string? Event, IReadOnlyList<string> Languages, IReadOnlyList<string> Examples, string? Prevention = null);

/// <summary>The moments-of-truth, triage and anticipation reports (issue 13), over the views of migration 0007.</summary>
public sealed partial class ReportQueries
{
    /// <summary>Shift across a moment at or above which it lifts the customer (at or below minus it, sinks).</summary>
    public const double MomentLiftThreshold = 0.25;

    /// <summary>Moments of truth per campaign and period with their trend, and per agent against the team.</summary>
    public async Task<MomentsReport> GetMomentsReportAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var extended = filter.From is { } from ? filter with { From = PreviousPeriodStart(PeriodStart(from, filter.Period), filter.Period) } : filter;
        var raw = await store.QueryAsync<MomentRaw>(MomentStatsSql(extended), cancellationToken).ConfigureAwait(false);
        var byKey = raw.ToDictionary(r => (r.Tenant, r.Campaign, r.Period, r.Moment));
        var stats = new List<MomentPeriodStats>();
        foreach (var r in raw)
        {
            if (filter.From is { } f && r.Period < PeriodStart(f, filter.Period)) continue;
            var previous = byKey.TryGetValue((r.Tenant, r.Campaign, PreviousPeriodStart(r.Period, filter.Period), r.Moment), out var p) ? NullIfNaN(p.MeanShift) : null;
            var shift = NullIfNaN(r.MeanShift);
            stats.Add(new MomentPeriodStats(r.Tenant, r.Campaign, r.Period, r.Moment, r.Occurrences, r.Contacts, r.Measured,
                NullIfNaN(r.MeanBefore), NullIfNaN(r.MeanAfter), shift, r.Lifts, r.Sinks, previous, shift - previous));
        }
        // A conversation can hold a moment more than once (two holds): list each example conversation once, worst first.
        var gaps = (await store.QueryAsync<MomentAgentGap>(MomentAgentGapsSql(filter), cancellationToken).ConfigureAwait(false))
            .Select(g => g with { Examples = [.. g.Examples.Distinct(StringComparer.Ordinal).Take(Math.Clamp(filter.Examples, 1, 100))] })
            .ToList();
        return new MomentsReport(stats, gaps);
    }

    /// <summary>Case classes per campaign and period: volume, share, first-contact resolution against the target.</summary>
    public async Task<List<TriagePeriodStats>> GetTriageReportAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var raw = await store.QueryAsync<TriageRaw>(TriageStatsSql(filter), cancellationToken).ConfigureAwait(false);
        var totals = raw.GroupBy(r => (r.Tenant, r.Campaign, r.Period)).ToDictionary(g => g.Key, g => g.Sum(r => r.Contacts));
        return [.. raw.Select(r =>
        {
            var fcr = r.Contacts == 0 ? 0 : (double)r.ResolvedFirstContactN / r.Contacts;
            var target = NullIfNaN(r.TargetFcr);
            return new TriagePeriodStats(r.Tenant, r.Campaign, r.Period, r.CaseClass, r.Contacts,
                (double)r.Contacts / Math.Max(1, totals[(r.Tenant, r.Campaign, r.Period)]),
                r.FirstContactN, r.ResolvedN, r.ResolvedFirstContactN, fcr, target, target is { } t ? fcr >= t : null,
                NullIfNaN(r.TargetResponseHours), r.MeanExperienceIndex, r.MeanDurationS);
        })];
    }

    /// <summary>Contact reasons per tenant and period ranked as anticipation candidates, best first, at most <paramref name="top"/> per period.</summary>
    public async Task<List<AnticipationCandidate>> GetAnticipationReportAsync(ReportFilter filter, int top = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var reasons = await store.QueryAsync<ReasonRaw>(AnticipationReasonsSql(filter), cancellationToken).ConfigureAwait(false);
        var events = await store.QueryAsync<ReasonEventRaw>(AnticipationEventsSql(filter), cancellationToken).ConfigureAwait(false);
        var totals = await store.QueryAsync<PeriodTotalRaw>(PeriodTotalsSql(filter), cancellationToken).ConfigureAwait(false);
        return RankAnticipation(reasons, events, totals, top);
    }

    /// <summary>Per tenant, campaign, period and moment: occurrences, contacts, mean valence before and after, mean shift, lifts and sinks.</summary>
    public static string MomentStatsSql(ReportFilter f) => $"""
        SELECT tenant, campaign, {PeriodExpression(f.Period)} AS period, moment,
            count() AS occurrences,
            uniqExact(conversation_id) AS contacts,
            countIf(isNotNull(shift)) AS measured,
            if(countIf(isNotNull(before_valence)) = 0, nan,
                sumIf(toFloat64(assumeNotNull(before_valence)), isNotNull(before_valence)) / countIf(isNotNull(before_valence))) AS mean_before,
            if(countIf(isNotNull(after_valence)) = 0, nan,
                sumIf(toFloat64(assumeNotNull(after_valence)), isNotNull(after_valence)) / countIf(isNotNull(after_valence))) AS mean_after,
            if(countIf(isNotNull(shift)) = 0, nan,
                sumIf(toFloat64(assumeNotNull(shift)), isNotNull(shift)) / countIf(isNotNull(shift))) AS mean_shift,
            countIf(isNotNull(shift) AND assumeNotNull(shift) >= {SqlText.Number(MomentLiftThreshold)}) AS lifts,
            countIf(isNotNull(shift) AND assumeNotNull(shift) <= -{SqlText.Number(MomentLiftThreshold)}) AS sinks
        FROM v_moments
        WHERE {Where(f, agent: true)}
        GROUP BY tenant, campaign, period, moment
        ORDER BY period, tenant, campaign, moment
        """;

    /// <summary>Per agent, period and moment: the agent's mean shift across it against the team's, with the agent's worst conversations.</summary>
    public static string MomentAgentGapsSql(ReportFilter f) => $"""
        SELECT tenant, team_id, agent_id, period, moment,
            agent_mean_shift, team_mean_shift, agent_mean_shift - team_mean_shift AS gap, occurrences, examples
        FROM
        (
            SELECT tenant, team_id, agent_id, {PeriodExpression(f.Period)} AS period, moment,
                avg(toFloat64(assumeNotNull(shift))) AS agent_mean_shift,
                count() AS occurrences,
                arraySlice(arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((toFloat64(assumeNotNull(shift)), conversation_id)))), 1, {ExampleSlots(f)}) AS examples
            FROM v_moments
            WHERE isNotNull(shift) AND {Where(f, agent: true)}
            GROUP BY tenant, team_id, agent_id, period, moment
        )
        ANY LEFT JOIN
        (
            SELECT tenant, team_id, {PeriodExpression(f.Period)} AS period, moment, avg(toFloat64(assumeNotNull(shift))) AS team_mean_shift
            FROM v_moments
            WHERE isNotNull(shift) AND {Where(f, agent: false)}
            GROUP BY tenant, team_id, period, moment
        ) USING (tenant, team_id, period, moment)
        ORDER BY period, tenant, team_id, agent_id, gap
        """;

    /// <summary>Per tenant, campaign, period and case class: contacts, first contacts, resolved, resolved at first contact, targets, means.</summary>
    public static string TriageStatsSql(ReportFilter f) => $"""
        SELECT tenant, campaign, {PeriodExpression(f.Period)} AS period, case_class,
            count() AS contacts,
            sum(first_contact) AS first_contact_n,
            sum(resolved) AS resolved_n,
            sum(resolved_first_contact) AS resolved_first_contact_n,
            if(countIf(isNotNull(fcr_target)) = 0, nan,
                sumIf(toFloat64(assumeNotNull(fcr_target)), isNotNull(fcr_target)) / countIf(isNotNull(fcr_target))) AS target_fcr,
            if(countIf(isNotNull(response_hours)) = 0, nan,
                sumIf(toFloat64(assumeNotNull(response_hours)), isNotNull(response_hours)) / countIf(isNotNull(response_hours))) AS target_response_hours,
            avg(experience_index) AS mean_experience_index,
            avg(duration_s) AS mean_duration_s
        FROM v_triage
        WHERE {Where(f, agent: true)}
        GROUP BY tenant, campaign, period, case_class
        ORDER BY period, tenant, campaign, case_class
        """;

    /// <summary>Per tenant, period and contact reason: contacts, negative contacts and load, contacts naming a known event, examples.</summary>
    public static string AnticipationReasonsSql(ReportFilter f) => $"""
        SELECT tenant, {PeriodExpression(f.Period)} AS period, contact_reason,
            any(contact_reason_kind) AS kind,
            count() AS contacts,
            countIf(negative_load > 0) AS negative_contacts,
            sum(toFloat64(negative_load)) AS negative_load_sum,
            avg(experience_index) AS mean_experience_index,
            countIf(known_event != '') AS event_contacts,
            groupUniqArray(language) AS languages,
            arraySlice(arrayMap(x -> x.2, arrayReverseSort(x -> x.1, groupArray((negative_load, conversation_id)))), 1, {Examples(f)}) AS examples
        FROM v_triage
        WHERE contact_reason != '' AND {Where(f, agent: true)}
        GROUP BY tenant, period, contact_reason
        ORDER BY period, tenant, contact_reason
        """;

    /// <summary>Per tenant, period, contact reason and known event: contacts.</summary>
    public static string AnticipationEventsSql(ReportFilter f) => $"""
        SELECT tenant, {PeriodExpression(f.Period)} AS period, contact_reason, known_event, count() AS contacts
        FROM v_triage
        WHERE contact_reason != '' AND known_event != '' AND {Where(f, agent: true)}
        GROUP BY tenant, period, contact_reason, known_event
        ORDER BY period, tenant, contact_reason, contacts DESC, known_event
        """;

    /// <summary>Per tenant and period: every contact and its summed negative load (the denominators of the anticipation shares).</summary>
    public static string PeriodTotalsSql(ReportFilter f) => $"""
        SELECT tenant, {PeriodExpression(f.Period)} AS period, count() AS contacts, sum(toFloat64(negative_load)) AS negative_load_sum
        FROM v_triage
        WHERE {Where(f, agent: true)}
        GROUP BY tenant, period
        ORDER BY period, tenant
        """;

    /// <summary>
    /// Scores and ranks the contact reasons (pure; the report's arithmetic): predictability = event contacts / contacts,
    /// volume share = contacts / the period's, negative share = negative load / the period's, score = predictability ×
    /// (volume share + negative share) / 2. Best first within each tenant and period.
    /// </summary>
    public static List<AnticipationCandidate> RankAnticipation(
        IReadOnlyList<ReasonRaw> reasons, IReadOnlyList<ReasonEventRaw> events, IReadOnlyList<PeriodTotalRaw> totals, int top)
    {
        var total = totals.ToDictionary(t => (t.Tenant, t.Period));
        var topEvent = events.GroupBy(e => (e.Tenant, e.Period, e.ContactReason))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.Contacts).ThenBy(e => e.KnownEvent, StringComparer.Ordinal).First().KnownEvent);
        var ranked = new List<AnticipationCandidate>();
        foreach (var r in reasons)
        {
            var t = total.GetValueOrDefault((r.Tenant, r.Period));
            var predictability = r.Contacts == 0 ? 0 : (double)r.EventContacts / r.Contacts;
            var volume = t is null || t.Contacts == 0 ? 0 : (double)r.Contacts / t.Contacts;
            var negative = t is null || !(t.NegativeLoadSum > 0) ? 0 : r.NegativeLoadSum / t.NegativeLoadSum;
            ranked.Add(new AnticipationCandidate(r.Tenant, r.Period, r.ContactReason, r.Kind, r.Contacts, r.NegativeContacts,
                Math.Round(r.NegativeLoadSum, 4), Math.Round(r.MeanExperienceIndex, 2), r.EventContacts, Math.Round(predictability, 4),
                Math.Round(volume, 4), Math.Round(negative, 4), Math.Round(predictability * (volume + negative) / 2, 4),
                topEvent.GetValueOrDefault((r.Tenant, r.Period, r.ContactReason)), r.Languages, r.Examples));
        }
        return [.. ranked
            .GroupBy(c => (c.Period, c.Tenant))
            .OrderBy(g => g.Key.Period).ThenBy(g => g.Key.Tenant, StringComparer.Ordinal)
            .SelectMany(g => g.OrderByDescending(c => c.Score).ThenByDescending(c => c.Contacts).ThenBy(c => c.Reason, StringComparer.Ordinal)
                .Take(Math.Max(1, top)))];
    }

    /// <summary>Room for <see cref="ReportFilter.Examples"/> distinct conversations when one holds a moment several times.</summary>
    private static string ExampleSlots(ReportFilter f) => (Math.Clamp(f.Examples, 1, 100) * 4).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record MomentRaw(
        string Tenant, string Campaign, DateOnly Period, string Moment, long Occurrences, long Contacts, long Measured,
        double MeanBefore, double MeanAfter, double MeanShift, long Lifts, long Sinks);

    private sealed record TriageRaw(
        string Tenant, string Campaign, DateOnly Period, string CaseClass, long Contacts, long FirstContactN, long ResolvedN,
        long ResolvedFirstContactN, double TargetFcr, double TargetResponseHours, double MeanExperienceIndex, double MeanDurationS);

    /// <summary>One contact reason's sums in a period, as the reasons query returns them.</summary>
    public sealed record ReasonRaw(
        string Tenant, DateOnly Period, string ContactReason, string Kind, long Contacts, long NegativeContacts, double NegativeLoadSum,
        double MeanExperienceIndex, long EventContacts, IReadOnlyList<string> Languages, IReadOnlyList<string> Examples);

    /// <summary>How many of a reason's contacts named one known event.</summary>
    public sealed record ReasonEventRaw(string Tenant, DateOnly Period, string ContactReason, string KnownEvent, long Contacts);

    /// <summary>A period's contacts and negative load.</summary>
    public sealed record PeriodTotalRaw(string Tenant, DateOnly Period, long Contacts, double NegativeLoadSum);
}
