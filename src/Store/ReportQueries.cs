using System.Globalization;
using System.Text;

namespace Emotion.Store;

/// <summary>
/// The aggregate reports (agent, client, process quality vs experience), as SQL over the <c>v_*</c> views of
/// migration 0002, which deduplicate and keep only current analyses. The SQL runs on ClickHouse 18.16 and current
/// releases; literals are inlined and escaped (18.16 has no query parameters). <see cref="AgentStatsSql"/> and the
/// other builders are public so docs and dashboards can show the exact statements.
/// </summary>
public sealed partial class ReportQueries(ClickHouseStore store)
{
    /// <summary>Agent numbers, phase and behaviour gaps against the team, and focus areas.</summary>
    public async Task<AgentReport> GetAgentReportAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var stats = (await store.QueryAsync<AgentRaw>(AgentStatsSql(filter), cancellationToken).ConfigureAwait(false))
            .Select(r => new AgentPeriodStats(r.Tenant, r.TeamId, r.AgentId, r.Period, r.Contacts, r.StartedNegativeN, r.ConvertedN,
                NullIfNaN(r.ConversionRate), NullIfNaN(r.AgentNegativeShare), NullIfNaN(r.MeanExperienceIndex)))
            .ToList();
        var phases = await store.QueryAsync<PhaseGap>(PhaseGapsSql(filter), cancellationToken).ConfigureAwait(false);
        var behaviours = await store.QueryAsync<BehaviourGap>(BehaviourGapsSql(filter), cancellationToken).ConfigureAwait(false);
        return new AgentReport(stats, phases, behaviours, FocusAreas(phases, behaviours));
    }

    /// <summary>Client numbers per campaign and period with the trend, top process drivers and memorable moments.</summary>
    public async Task<ClientReport> GetClientReportAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // Read one period before From, so the first period in range has a trend.
        var extended = filter.From is { } from ? filter with { From = PreviousPeriodStart(PeriodStart(from, filter.Period), filter.Period) } : filter;
        var raw = await store.QueryAsync<ClientRaw>(ClientStatsSql(extended), cancellationToken).ConfigureAwait(false);
        var byKey = raw.ToDictionary(r => (r.Tenant, r.Campaign, r.Period));
        var stats = new List<ClientPeriodStats>();
        foreach (var r in raw)
        {
            if (filter.From is { } f && r.Period < PeriodStart(f, filter.Period)) continue;
            var previous = byKey.TryGetValue((r.Tenant, r.Campaign, PreviousPeriodStart(r.Period, filter.Period)), out var p) ? p : null;
            stats.Add(new ClientPeriodStats(
                r.Tenant, r.Campaign, r.Period, r.Contacts, r.MeanExperienceIndex,
                previous?.MeanExperienceIndex, previous is null ? null : r.MeanExperienceIndex - previous.MeanExperienceIndex,
                r.StartedNegative, r.Converted, r.StartedNegative == 0 ? null : (double)r.Converted / r.StartedNegative,
                r.MemorableMoments, r.Surveys == 0 ? null : r.NpsSum / r.Surveys));
        }
        var drivers = await store.QueryAsync<ProcessDriverStat>(ProcessDriversSql(filter, top: 5), cancellationToken).ConfigureAwait(false);
        var moments = await store.QueryAsync<MomentExample>(MemorableMomentsSql(filter), cancellationToken).ConfigureAwait(false);
        return new ClientReport(stats, drivers, moments);
    }

    /// <summary>Process quality (QA score) against experience index, in four quadrants per tenant, campaign and period.</summary>
    public Task<List<QuadrantStat>> GetQuadrantsAsync(ReportFilter filter, QuadrantThresholds? thresholds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return store.QueryAsync<QuadrantStat>(QuadrantsSql(filter, thresholds ?? new QuadrantThresholds()), cancellationToken);
    }

    // ---- SQL --------------------------------------------------------------------------------------------------

    /// <summary>The ClickHouse expression for the start of a period from the <c>date</c> column.</summary>
    public static string PeriodExpression(ReportPeriod period) => period switch
    {
        ReportPeriod.Day => "date",
        ReportPeriod.Week => "toMonday(date)",
        ReportPeriod.Month => "toStartOfMonth(date)",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    /// <summary>Per agent and period: contacts, started negative, converted, conversion rate, agent share, mean EI.</summary>
    public static string AgentStatsSql(ReportFilter f) => $"""
        SELECT tenant, team_id, agent_id, {PeriodExpression(f.Period)} AS period,
            count() AS contacts,
            sum(started_negative) AS started_negative_n,
            sum(negative_to_positive) AS converted_n,
            if(started_negative_n = 0, nan, converted_n / started_negative_n) AS conversion_rate,
            if(sum(negative_load) = 0, nan, sum(driver_agent * negative_load) / sum(negative_load)) AS agent_negative_share,
            avg(experience_index) AS mean_experience_index
        FROM v_conversations
        WHERE {Where(f, agent: true)}
        GROUP BY tenant, team_id, agent_id, period
        ORDER BY period, tenant, team_id, agent_id
        """;

    /// <summary>Per agent, period and phase: the customers' mean valence against the team's, with the agent's worst conversations.</summary>
    public static string PhaseGapsSql(ReportFilter f) => $"""
        SELECT tenant, team_id, agent_id, period, phase,
            agent_mean_valence, team_mean_valence, agent_mean_valence - team_mean_valence AS gap, conversations, examples
        FROM
        (
            SELECT tenant, team_id, agent_id, {PeriodExpression(f.Period)} AS period, phase,
                avg(mean_valence) AS agent_mean_valence,
                count() AS conversations,
                arraySlice(arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((mean_valence, conversation_id)))), 1, {Examples(f)}) AS examples
            FROM v_phases
            WHERE speaker = 'customer' AND turns > 0 AND {Where(f, agent: true)}
            GROUP BY tenant, team_id, agent_id, period, phase
        )
        ANY LEFT JOIN
        (
            SELECT tenant, team_id, {PeriodExpression(f.Period)} AS period, phase, avg(mean_valence) AS team_mean_valence
            FROM v_phases
            WHERE speaker = 'customer' AND turns > 0 AND {Where(f, agent: false)}
            GROUP BY tenant, team_id, period, phase
        ) USING (tenant, team_id, period, phase)
        ORDER BY period, tenant, team_id, agent_id, gap
        """;

    /// <summary>Per agent, period and behaviour: problems per contact against the team's, with the agent's worst conversations.</summary>
    public static string BehaviourGapsSql(ReportFilter f) => $"""
        SELECT tenant, team_id, agent_id, period, behaviour,
            agent_per_contact, team_per_contact, agent_per_contact - team_per_contact AS gap, conversations, examples
        FROM
        (
            SELECT tenant, team_id, agent_id, {PeriodExpression(f.Period)} AS period, behaviour,
                avg(count) AS agent_per_contact,
                count() AS conversations,
                arraySlice(arrayMap(x -> x.2, arrayReverseSort(x -> x.1, groupArrayIf((count, conversation_id), count > 0))), 1, {Examples(f)}) AS examples
            FROM v_behaviours
            WHERE {Where(f, agent: true)}
            GROUP BY tenant, team_id, agent_id, period, behaviour
        )
        ANY LEFT JOIN
        (
            SELECT tenant, team_id, {PeriodExpression(f.Period)} AS period, behaviour, avg(count) AS team_per_contact
            FROM v_behaviours
            WHERE {Where(f, agent: false)}
            GROUP BY tenant, team_id, period, behaviour
        ) USING (tenant, team_id, period, behaviour)
        ORDER BY period, tenant, team_id, agent_id, gap DESC
        """;

    /// <summary>Per tenant, campaign and period: contacts, mean EI, conversion, memorable moments, NPS.</summary>
    public static string ClientStatsSql(ReportFilter f) => $"""
        SELECT tenant, campaign, {PeriodExpression(f.Period)} AS period,
            count() AS contacts,
            avg(experience_index) AS mean_experience_index,
            sum(started_negative) AS started_negative_n,
            sum(negative_to_positive) AS converted_n,
            sum(memorable_moments) AS memorable_moments_n,
            countIf(isNotNull(nps)) AS surveys,
            sumIf(toFloat64(assumeNotNull(nps)), isNotNull(nps)) AS nps_sum
        FROM v_conversations
        WHERE {Where(f, agent: true)}
        GROUP BY tenant, campaign, period
        ORDER BY period, tenant, campaign
        """;

    /// <summary>Per tenant, campaign and period: the process topics with the largest summed driver share.</summary>
    public static string ProcessDriversSql(ReportFilter f, int top) => $"""
        SELECT tenant, campaign, {PeriodExpression(f.Period)} AS period, topic,
            sum(share) AS share_sum, count() AS contacts
        FROM v_drivers
        WHERE driver = 'process' AND share > 0 AND {Where(f, agent: true)}
        GROUP BY tenant, campaign, period, topic
        ORDER BY period, tenant, campaign, share_sum DESC, topic
        LIMIT {Math.Max(1, top).ToString(CultureInfo.InvariantCulture)} BY tenant, campaign, period
        """;

    /// <summary>Per tenant, campaign and period: the strongest memorable moments.</summary>
    public static string MemorableMomentsSql(ReportFilter f) => $"""
        SELECT tenant, campaign, {PeriodExpression(f.Period)} AS period, conversation_id, turn, valence, emotion, text, after_negative_start
        FROM v_memorable_moments
        WHERE {Where(f, agent: true)}
        ORDER BY period, tenant, campaign, valence DESC, conversation_id, turn
        LIMIT {Examples(f)} BY tenant, campaign, period
        """;

    /// <summary>Per tenant, campaign, period and quadrant: contacts with a QA score, means and examples.</summary>
    public static string QuadrantsSql(ReportFilter f, QuadrantThresholds t)
    {
        var qa = SqlText.Number(t.QaScore);
        var ei = SqlText.Number(t.ExperienceIndex);
        return $"""
            SELECT tenant, campaign, period, quadrant, count() AS contacts,
                avg(qa) AS mean_qa_score, avg(experience_index) AS mean_experience_index,
                groupArray({Examples(f)})(conversation_id) AS examples
            FROM
            (
                SELECT tenant, campaign, conversation_id, {PeriodExpression(f.Period)} AS period,
                    toFloat64(assumeNotNull(qa_score)) AS qa, experience_index,
                    multiIf(
                        qa >= {qa} AND experience_index >= {ei}, '{Quadrants.HighQaHighExperience}',
                        qa >= {qa}, '{Quadrants.HighQaLowExperience}',
                        experience_index >= {ei}, '{Quadrants.LowQaHighExperience}',
                        '{Quadrants.LowQaLowExperience}') AS quadrant
                FROM v_conversations
                WHERE isNotNull(qa_score) AND {Where(f, agent: true)}
                ORDER BY conversation_id
            )
            GROUP BY tenant, campaign, period, quadrant
            ORDER BY period, tenant, campaign, quadrant
            """;
    }

    /// <summary>
    /// <see cref="QuadrantsSql"/>'s grouping over rows already read (the console reads the scored conversations once for
    /// its quadrants, QA points and surveys): per tenant, campaign, period and quadrant, the contacts, the means and the
    /// first <see cref="ReportFilter.Examples"/> conversation ids in id order. The same definition as the statement;
    /// a test compares the two on one database.
    /// </summary>
    public static List<QuadrantStat> GroupQuadrants(IEnumerable<QualityRow> rows, ReportFilter f, QuadrantThresholds t)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(t);
        var examples = Math.Clamp(f.Examples, 1, 100);
        return [.. rows
            .Where(r => r.Qa is not null)
            .Select(r => (Row: r, Qa: r.Qa!.Value, Period: PeriodStart(r.Date, f.Period)))
            .Select(x => (x.Row, x.Qa, x.Period, Quadrant:
                x.Qa >= t.QaScore && x.Row.ExperienceIndex >= t.ExperienceIndex ? Quadrants.HighQaHighExperience
                : x.Qa >= t.QaScore ? Quadrants.HighQaLowExperience
                : x.Row.ExperienceIndex >= t.ExperienceIndex ? Quadrants.LowQaHighExperience
                : Quadrants.LowQaLowExperience))
            .GroupBy(x => (x.Row.Tenant, x.Row.Campaign, x.Period, x.Quadrant))
            .Select(g => new QuadrantStat(g.Key.Tenant, g.Key.Campaign, g.Key.Period, g.Key.Quadrant, g.Count(),
                g.Average(x => x.Qa), g.Average(x => x.Row.ExperienceIndex),
                [.. g.Select(x => x.Row.ConversationId).Order(StringComparer.Ordinal).Take(examples)]))
            .OrderBy(q => q.Period).ThenBy(q => q.Tenant, StringComparer.Ordinal).ThenBy(q => q.Campaign, StringComparer.Ordinal)
            .ThenBy(q => q.Quadrant, StringComparer.Ordinal)];
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /// <summary>Focus areas: phases where the agent's customers are worse than the team's and behaviours with more problems.</summary>
    public static IReadOnlyList<AgentFocus> FocusAreas(IReadOnlyList<PhaseGap> phases, IReadOnlyList<BehaviourGap> behaviours)
    {
        ArgumentNullException.ThrowIfNull(phases);
        ArgumentNullException.ThrowIfNull(behaviours);
        var areas = new Dictionary<(string, string, string, DateOnly), List<FocusArea>>();
        foreach (var p in phases.Where(p => p.Gap < 0))
            Add((p.Tenant, p.TeamId, p.AgentId, p.Period), new FocusArea("phase", p.Phase, p.Gap, p.Examples));
        foreach (var b in behaviours.Where(b => b.Gap > 0))
            Add((b.Tenant, b.TeamId, b.AgentId, b.Period), new FocusArea("behaviour", b.Behaviour, b.Gap, b.Examples));
        return [.. areas
            .OrderBy(kv => kv.Key.Item4).ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item3, StringComparer.Ordinal)
            .Select(kv => new AgentFocus(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Key.Item4,
                [.. kv.Value.OrderByDescending(a => Math.Abs(a.Gap))]))];

        void Add((string, string, string, DateOnly) key, FocusArea area)
        {
            if (!areas.TryGetValue(key, out var list)) areas[key] = list = [];
            list.Add(area);
        }
    }

    /// <summary>The start of the period holding <paramref name="date"/>.</summary>
    public static DateOnly PeriodStart(DateOnly date, ReportPeriod period) => period switch
    {
        ReportPeriod.Day => date,
        ReportPeriod.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        ReportPeriod.Month => new DateOnly(date.Year, date.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    /// <summary>The start of the period before the one starting at <paramref name="start"/>.</summary>
    public static DateOnly PreviousPeriodStart(DateOnly start, ReportPeriod period) => period switch
    {
        ReportPeriod.Day => start.AddDays(-1),
        ReportPeriod.Week => start.AddDays(-7),
        ReportPeriod.Month => start.AddMonths(-1),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    private static string Examples(ReportFilter f) => Math.Clamp(f.Examples, 1, 100).ToString(CultureInfo.InvariantCulture);

    private static string Where(ReportFilter f, bool agent)
    {
        var sb = new StringBuilder("1");
        if (f.Tenant is { Length: > 0 } t) sb.Append(" AND tenant = ").Append(SqlText.Quote(t));
        if (f.Campaign is { Length: > 0 } c) sb.Append(" AND campaign = ").Append(SqlText.Quote(c));
        if (f.TeamId is { Length: > 0 } team) sb.Append(" AND team_id = ").Append(SqlText.Quote(team));
        if (agent && f.AgentId is { Length: > 0 } a) sb.Append(" AND agent_id = ").Append(SqlText.Quote(a));
        if (f.From is { } from) sb.Append(" AND date >= ").Append(SqlText.Date(PeriodStart(from, f.Period)));
        if (f.To is { } to) sb.Append(" AND date <= ").Append(SqlText.Date(to));
        return sb.ToString();
    }

    private static double? NullIfNaN(double v) => double.IsNaN(v) ? null : v;

    private sealed record AgentRaw(
        string Tenant, string TeamId, string AgentId, DateOnly Period, long Contacts, long StartedNegativeN, long ConvertedN,
        double ConversionRate, double AgentNegativeShare, double MeanExperienceIndex);

    private sealed record ClientRaw(
        string Tenant, string Campaign, DateOnly Period, long Contacts, double MeanExperienceIndex,
        long StartedNegativeN, long ConvertedN, long MemorableMomentsN, long Surveys, double NpsSum)
    {
        public long StartedNegative => StartedNegativeN;
        public long Converted => ConvertedN;
        public long MemorableMoments => MemorableMomentsN;
    }
}
