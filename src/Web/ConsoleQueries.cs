using System.Globalization;
using System.Text;
using Emotion.Store;

namespace Emotion.Web;

/// <summary>What the explorer filters on. <see cref="Tenant"/> is the caller's scope, never taken from the request as is.</summary>
public sealed record ExplorerFilter
{
    public string? Tenant { get; init; }
    public string? Campaign { get; init; }
    public string? Queue { get; init; }
    public string? Agent { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? Driver { get; init; }
    public string? Topic { get; init; }
    /// <summary><c>converted</c>, <c>not_converted</c> (started negative, did not convert), <c>started_negative</c>, or null.</summary>
    public string? Conversion { get; init; }
    public double? IndexMin { get; init; }
    public double? IndexMax { get; init; }
    public bool AlertsOnly { get; init; }
    /// <summary>Words said in the conversation (case-insensitive substring of any turn).</summary>
    public string? Text { get; init; }
    public int Page { get; init; }
}

/// <summary>A conversation in the explorer's list.</summary>
public sealed record ConversationListItem(
    string Tenant, string ConversationId, DateTime StartedAt, string AgentId, string TeamId, string Campaign, string Queue,
    double DurationS, long Turns, double ExperienceIndex, string PrimaryDriver, string ProcessTopic,
    bool NegativeToPositive, bool StartedNegative, long Alerts, double CustomerStartScore, double CustomerEndScore);

/// <summary>The values the explorer's filters offer.</summary>
public sealed record FilterChoices(
    IReadOnlyList<string> Tenants, IReadOnlyList<string> Campaigns, IReadOnlyList<string> Queues, IReadOnlyList<string> Topics,
    IReadOnlyList<string> Teams, IReadOnlyList<string> Agents);

/// <summary>A conversation in progress: its turns so far and its last customer valence.</summary>
public sealed record LiveConversation(
    string Tenant, string ConversationId, ulong LastMs, long Turns, double? CustomerValence, IReadOnlyList<double> CustomerValences, long Alerts);

/// <summary>An alert as the live view shows it.</summary>
public sealed record LiveAlert(string Tenant, string ConversationId, uint Turn, string Rule, string Reason, double Valence, ulong AlertedAtMs);

/// <summary>Sums of one group (agent or team) in one week, for the coaching trend.</summary>
public sealed record WeekSums(DateOnly Week, bool Mine, long Contacts, long StartedNegativeN, long Converted, double AgentLoad, double NegativeLoadSum, double EiSum);

/// <summary>One group's numbers over a period.</summary>
public sealed record GroupStats(long Contacts, long StartedNegative, long Converted, double AgentLoad, double NegativeLoad, double EiSum)
{
    public double? ConversionRate => StartedNegative == 0 ? null : (double)Converted / StartedNegative;
    public double? AgentNegativeShare => NegativeLoad <= 0 ? null : AgentLoad / NegativeLoad;
    public double? MeanIndex => Contacts == 0 ? null : EiSum / Contacts;
}

/// <summary>A client's numbers per campaign, queue and period.</summary>
public sealed record QueuePeriod(string Tenant, string Campaign, string Queue, DateOnly Period, long Contacts, double EiSum, long StartedNegativeN, long Converted, long Moments);

/// <summary>A process topic ranked over the dashboard's range.</summary>
public sealed record ProcessRank(string Topic, double Weight, long Contacts);

/// <summary>A conversation's survey and index.</summary>
public sealed record SurveyPoint(double ExperienceIndex, double? Nps, double? Csat);

/// <summary>
/// The console's reads, as SQL over the tables and views of docs/storage.md (JSONEachRow, ClickHouse 18.16 and current
/// releases). Every statement carries the caller's tenant in its WHERE when the caller is bound to one; values are
/// quoted literals (<see cref="SqlText"/>), never spliced text.
/// </summary>
public sealed partial class ConsoleQueries(ClickHouseStore store)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime At, Task<FilterChoices> Value)> _choices = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime At, Task<DateOnly?> Value)> _latest = new(StringComparer.Ordinal);

    /// <summary>The store (conversation reads).</summary>
    public ClickHouseStore Store => store;

    /// <summary>Columns of the explorer's list.</summary>
    private const string ListColumns =
        "tenant, conversation_id, started_at, agent_id, team_id, campaign, queue, duration_s, turns, experience_index, primary_driver, " +
        "process_topic, negative_to_positive, started_negative, alerts, customer_start_score, customer_end_score";

    /// <summary>A text search counts its matching conversations up to this many; a larger count shows as "10,000+".</summary>
    public const long CountCap = 10_000;

    /// <summary>One page of conversations matching the filter, newest first, and how many match in all (a word search counts up to <see cref="CountCap"/>).</summary>
    public async Task<(List<ConversationListItem> Items, long Total)> SearchAsync(ExplorerFilter f, int pageSize, CancellationToken ct = default) =>
        await SearchAsync(f, pageSize, CountCap, ct).ConfigureAwait(false);

    /// <summary>
    /// One page of conversations matching the filter, newest first, and how many match in all. A search with words
    /// counts at most <paramref name="cap"/> + 1 conversations: a total above <paramref name="cap"/> means "more than
    /// <paramref name="cap"/>"; below it the total is exact.
    /// </summary>
    /// <remarks>
    /// A common word ("gracias" in 78 % of the conversations) would otherwise build the set of every matching
    /// conversation twice per page (list and count). When the words table says the range may hold more than the cap, the
    /// newest days that may hold about twice the cap are searched first: if they hold more than the cap and reach the
    /// page, their newest conversations are the range's (a conversation's date is its start date, so every one outside
    /// those days started earlier) and the count is "more than the cap". Otherwise the whole range is searched.
    /// </remarks>
    public async Task<(List<ConversationListItem> Items, long Total)> SearchAsync(ExplorerFilter f, int pageSize, long cap, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        var scopeTask = ScopeAsync(f.Tenant, f.From, f.To, ct);
        if (f.Text is not { Length: > 0 }) return await PageAndCountAsync(f, pageSize, (await scopeTask.ConfigureAwait(false)).Dirty, null, ct).ConfigureAwait(false);
        var days = await store.QueryAsync<WordDay>(WordDaysSql(f.Tenant, f.From, f.To, f.Text), ct).ConfigureAwait(false);
        var scope = await scopeTask.ConfigureAwait(false);
        var need = (Math.Max(0, f.Page) + 1L) * pageSize;
        if (days.Sum(d => d.N) > cap && need <= cap)
        {
            // The newest days whose word rows may hold twice the cap (an estimate of distinct conversations, before the
            // other filters and before leaving out the conversations not finalized).
            long sum = 0;
            var from = days[^1].Date;
            foreach (var d in days)
            {
                sum += d.N;
                if (sum > 2 * cap) { from = d.Date; break; }
            }
            if (from > days[^1].Date)
            {
                var newest = await PageAndCountAsync(f with { From = from }, pageSize, scope.Dirty, cap, ct).ConfigureAwait(false);
                if (newest.Total > cap) return newest;
            }
        }
        return await PageAndCountAsync(f, pageSize, scope.Dirty, cap, ct).ConfigureAwait(false);
    }

    private async Task<(List<ConversationListItem> Items, long Total)> PageAndCountAsync(ExplorerFilter f, int pageSize, IReadOnlyList<DirtyDay>? dirty, long? cap, CancellationToken ct)
    {
        var page = store.QueryAsync<ConversationListItem>(SearchSql(f, pageSize, dirty), ct);
        var total = store.QueryAsync<CountRow>(CountSql(f, dirty, cap), ct);
        await Task.WhenAll(page, total).ConfigureAwait(false);
        return (page.Result, total.Result.Count == 0 ? 0 : total.Result[0].N);
    }

    /// <summary>
    /// Per date of the range, newest first, about how many conversations say the search's longest word (<c>uniq</c> over
    /// <c>utterance_words</c>, conversations not finalized yet included): no fewer than say every word in one turn, read
    /// from one word's range (a short word such as "dos" spans 100,000 rows to group by turn).
    /// </summary>
    internal static string WordDaysSql(string? tenant, DateOnly? from, DateOnly? to, string text)
    {
        var longest = LongestWord(SearchWords(text)) ?? "";
        return $"""
            SELECT date, uniq(tenant, conversation_id) AS n
            FROM ({WordsSql(tenant, from, to, longest, withDate: true)})
            GROUP BY date
            ORDER BY date DESC
            """;
    }

    private sealed record WordDay(DateOnly Date, long N);

    /// <summary>Columns the explorer's filters read, besides the key.</summary>
    private const string FilterColumns =
        "tenant, conversation_id, date, started_at, agent_id, campaign, queue, experience_index, primary_driver, process_topic, negative_to_positive, started_negative, alerts";

    /// <summary>
    /// The explorer's page statement: the page's keys are chosen over the narrow filter columns of the current rows, and
    /// only those conversations' list columns are read (their latest version, by key).
    /// </summary>
    /// <param name="dirty">The scope's days written more than once (<see cref="DayScope.Dirty"/>); null: deduplicate every day.</param>
    public static string SearchSql(ExplorerFilter f, int pageSize, IReadOnlyList<DirtyDay>? dirty = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var offset = Math.Max(0, f.Page) * (long)pageSize;
        return $"""
            SELECT {ListColumns}
            FROM
            (
                SELECT {ListColumns}, version FROM conversations
                PREWHERE (tenant, conversation_id) IN
                (
                    SELECT tenant, conversation_id FROM {Current(f.Tenant, f.From, f.To, dirty, FilterColumns)}
                    WHERE {ExplorerWhere(f)}
                    ORDER BY started_at DESC, conversation_id
                    LIMIT {offset.ToString(Inv)}, {pageSize.ToString(Inv)}
                )
                WHERE {KeyWhere(f.Tenant, f.From, f.To)}
                ORDER BY version DESC
                LIMIT 1 BY tenant, conversation_id
            )
            ORDER BY started_at DESC, conversation_id
            """;
    }

    /// <summary>The explorer's count statement; with a <paramref name="cap"/>, it stops at <paramref name="cap"/> + 1.</summary>
    public static string CountSql(ExplorerFilter f, IReadOnlyList<DirtyDay>? dirty = null, long? cap = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var rows = $"""
            FROM {Current(f.Tenant, f.From, f.To, dirty, FilterColumns)}
            WHERE {ExplorerWhere(f)}
            """;
        return cap is { } c
            ? $"SELECT count() AS n FROM (SELECT 1 {rows}\nLIMIT {(c + 1).ToString(Inv)})"
            : $"SELECT count() AS n {rows}";
    }

    /// <summary>The tenant's days in the range whose conversation rows were not each written once (<c>conversation_days</c>).</summary>
    public Task<DayScope> ScopeAsync(string? tenant, DateOnly? from, DateOnly? to, CancellationToken ct = default) =>
        ScopeAsync(tenant, from, to, [], ct);

    /// <summary>
    /// The tenant's days in the range whose conversation rows were not each written once: the rows written and the
    /// distinct conversations among them differ (<c>conversation_days</c>); and, for each analysis table in
    /// <paramref name="analysis"/> (<see cref="StoreTables.Phases"/>, ...), the days where the rows written into it differ
    /// from the rows the conversation rows say they have (<c>analysis_days</c>, migration 0009): a row written twice, a
    /// conversation finalized again, or rows whose conversation row is not written yet.
    /// </summary>
    public async Task<DayScope> ScopeAsync(string? tenant, DateOnly? from, DateOnly? to, IReadOnlyList<string> analysis, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var kw = KeyWhere(tenant, from, to);
        var conversations = $"""
            SELECT tenant, date FROM conversation_days
            WHERE {kw}
            GROUP BY tenant, date
            HAVING countMerge(rows) != uniqExactMerge(conversations)
            """;
        var sql = analysis.Count == 0 ? conversations + "\nORDER BY tenant, date" : $"""
            SELECT tenant, date FROM
            ({conversations}
             UNION ALL
             SELECT tenant, date FROM analysis_days
             WHERE source IN ({string.Join(", ", analysis.Select(SqlText.Quote))}) AND {kw}
             GROUP BY source, tenant, date
             HAVING sum(written) != sum(expected))
            GROUP BY tenant, date
            ORDER BY tenant, date
            """;
        var dirty = await store.QueryAsync<DirtyDay>(sql, ct).ConfigureAwait(false);
        return new DayScope(tenant, from, to, dirty);
    }

    /// <summary>
    /// The current conversation rows of the tenant and dates, as a subquery with <paramref name="columns"/>: read as they
    /// are on the days each conversation was written once, deduplicated with FINAL on the days in <paramref name="dirty"/>
    /// (every day when it is null). Both hold one row per conversation, its latest version.
    /// </summary>
    internal static string Current(string? tenant, DateOnly? from, DateOnly? to, IReadOnlyList<DirtyDay>? dirty, string columns)
    {
        var kw = KeyWhere(tenant, from, to);
        if (dirty is null) return $"(SELECT {columns} FROM conversations FINAL PREWHERE {kw})";
        if (dirty.Count == 0) return $"(SELECT {columns} FROM conversations WHERE {kw})";
        var (pairs, dates) = DirtyLists(dirty);
        return $"(SELECT {columns} FROM conversations WHERE {kw} AND (tenant, date) NOT IN ({pairs})" +
               $" UNION ALL SELECT {columns} FROM conversations FINAL PREWHERE {kw} AND date IN ({dates}) AND (tenant, date) IN ({pairs}))";
    }

    /// <summary>Per tenant, day, campaign and queue, the client sums: <c>client_daily</c> on clean days, the current rows on the others.</summary>
    internal static string ClientDays(DayScope s)
    {
        var kw = KeyWhere(s.Tenant, s.From, s.To);
        var daily = $"""
            SELECT tenant, date, campaign, queue, countMerge(contacts) AS d_contacts, sumMerge(ei_sum) AS d_ei_sum,
                sumMerge(started_negative_n) AS d_started_negative, sumMerge(converted) AS d_converted, sumMerge(moments) AS d_moments
            FROM client_daily WHERE {kw}{NotDirty(s.Dirty)}
            GROUP BY tenant, date, campaign, queue
            """;
        if (s.Dirty is { Count: 0 }) return $"({daily})";
        var cols = "tenant, date, campaign, queue, experience_index, started_negative, negative_to_positive, memorable_moments";
        return $"""
            ({daily}
             UNION ALL
             SELECT tenant, date, campaign, queue, count() AS d_contacts, sum(toFloat64(experience_index)) AS d_ei_sum,
                sum(toUInt64(started_negative)) AS d_started_negative, sum(toUInt64(negative_to_positive)) AS d_converted, sum(toUInt64(memorable_moments)) AS d_moments
             FROM {DirtyOnly(s, cols)}
             GROUP BY tenant, date, campaign, queue)
            """;
    }

    /// <summary>Per tenant, day, team and agent, the coaching sums: <c>agent_daily</c> on clean days, the current rows on the others.</summary>
    internal static string AgentDays(DayScope s)
    {
        var kw = KeyWhere(s.Tenant, s.From, s.To);
        var daily = $"""
            SELECT tenant, date, team_id, agent_id, countMerge(contacts) AS d_contacts, sumMerge(started_negative_n) AS d_started_negative,
                sumMerge(converted) AS d_converted, sumMerge(agent_load) AS d_agent_load, sumMerge(negative_load_sum) AS d_negative_load, sumMerge(ei_sum) AS d_ei_sum
            FROM agent_daily WHERE {kw}{NotDirty(s.Dirty)}
            GROUP BY tenant, date, team_id, agent_id
            """;
        if (s.Dirty is { Count: 0 }) return $"({daily})";
        var cols = "tenant, date, team_id, agent_id, started_negative, negative_to_positive, driver_agent, negative_load, experience_index";
        return $"""
            ({daily}
             UNION ALL
             SELECT tenant, date, team_id, agent_id, count() AS d_contacts, sum(toUInt64(started_negative)) AS d_started_negative,
                sum(toUInt64(negative_to_positive)) AS d_converted, sum(toFloat64(driver_agent * negative_load)) AS d_agent_load,
                sum(toFloat64(negative_load)) AS d_negative_load, sum(toFloat64(experience_index)) AS d_ei_sum
             FROM {DirtyOnly(s, cols)}
             GROUP BY tenant, date, team_id, agent_id)
            """;
    }

    /// <summary>The current rows of the scope's dirty days only (every day when they are not known).</summary>
    private static string DirtyOnly(DayScope s, string columns)
    {
        var kw = KeyWhere(s.Tenant, s.From, s.To);
        if (s.Dirty is null) return $"(SELECT {columns} FROM conversations FINAL PREWHERE {kw})";
        var (pairs, dates) = DirtyLists(s.Dirty);
        return $"(SELECT {columns} FROM conversations FINAL PREWHERE {kw} AND date IN ({dates}) AND (tenant, date) IN ({pairs}))";
    }

    /// <summary>The dimensions the analysis rows carry from their conversation row (migration 0009).</summary>
    private const string Dimensions = "agent_id, team_id, campaign, queue";

    /// <summary>
    /// The current rows of an analysis table (<paramref name="table"/>: phases, drivers, behaviours, moments) of the scope,
    /// as a subquery of <c>tenant, conversation_id, date, agent_id, team_id, campaign, queue</c> and
    /// <paramref name="columns"/>: read as stored on the days whose rows were each written once, for one version of
    /// each conversation (<see cref="ScopeAsync(string?, DateOnly?, DateOnly?, IReadOnlyList{string}, CancellationToken)"/> with the table among its analysis tables), and on the other days
    /// merged with FINAL and joined to the conversation's current version, its dimensions taken from the conversation row.
    /// </summary>
    internal static string AnalysisRows(string table, string columns, DayScope s)
    {
        var kw = KeyWhere(s.Tenant, s.From, s.To);
        var stored = $"SELECT tenant, conversation_id, date, {Dimensions}, {columns} FROM {table} WHERE {kw}{NotDirty(s.Dirty)}";
        if (s.Dirty is { Count: 0 }) return $"({stored})";
        var days = s.Dirty is null ? "" : $" AND date IN ({DirtyLists(s.Dirty).Dates}) AND (tenant, date) IN ({DirtyLists(s.Dirty).Pairs})";
        var merged = $"""
            SELECT tenant, conversation_id, date, {Dimensions}, {columns}
            FROM (SELECT tenant, conversation_id, version, {columns} FROM {table} FINAL PREWHERE {kw}{days})
            ALL INNER JOIN (SELECT tenant, conversation_id, version, date, {Dimensions} FROM {DirtyOnly(s, "tenant, conversation_id, version, date, " + Dimensions)})
            USING (tenant, conversation_id, version)
            """;
        return s.Dirty is null ? $"({merged})" : $"({stored}\n UNION ALL\n {merged})";
    }

    /// <summary>The condition that leaves out the dirty days (all of them when they are not known).</summary>
    private static string NotDirty(IReadOnlyList<DirtyDay>? dirty) =>
        dirty is null ? " AND 0" : dirty.Count == 0 ? "" : $" AND (tenant, date) NOT IN ({DirtyLists(dirty).Pairs})";

    private static (string Pairs, string Dates) DirtyLists(IReadOnlyList<DirtyDay> dirty) => (
        string.Join(", ", dirty.Select(d => $"({SqlText.Quote(d.Tenant)}, {SqlText.Quote(d.Date.ToString("yyyy-MM-dd", Inv))})")),
        string.Join(", ", dirty.Select(d => SqlText.Quote(d.Date.ToString("yyyy-MM-dd", Inv))).Distinct(StringComparer.Ordinal)));

    private static string ExplorerWhere(ExplorerFilter f)
    {
        var sb = new StringBuilder("1");
        Eq(sb, "campaign", f.Campaign);
        Eq(sb, "queue", f.Queue);
        Eq(sb, "agent_id", f.Agent);
        Eq(sb, "primary_driver", f.Driver);
        Eq(sb, "process_topic", f.Topic);
        switch (f.Conversion)
        {
            case "converted": sb.Append(" AND negative_to_positive = 1"); break;
            case "not_converted": sb.Append(" AND started_negative = 1 AND negative_to_positive = 0"); break;
            case "started_negative": sb.Append(" AND started_negative = 1"); break;
        }
        if (f.IndexMin is { } lo) sb.Append(" AND experience_index >= ").Append(SqlText.Number(lo));
        if (f.IndexMax is { } hi) sb.Append(" AND experience_index <= ").Append(SqlText.Number(hi));
        if (f.AlertsOnly) sb.Append(" AND alerts > 0");
        if (f.Text is { Length: > 0 } text) sb.Append(" AND (tenant, conversation_id) IN (").Append(WordsSql(f.Tenant, f.From, f.To, text)).Append(')');
        return sb.ToString();
    }

    /// <summary>The most words of a search that are looked up; the rest of a longer search is ignored.</summary>
    public const int MaxSearchWords = 8;

    /// <summary>
    /// The words of a search as <c>utterance_words</c> stores them: runs of letters and digits, lower-cased, distinct, in
    /// order, at most <see cref="MaxSearchWords"/>. Words of one or two characters ("la", "no", "me") are left out when
    /// the search has a longer one: nearly every turn says them, so they would only make the lookup read most of the table.
    /// </summary>
    public static IReadOnlyList<string> SearchWords(string text)
    {
        var words = WordPattern().Matches((text ?? "").ToLowerInvariant()).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        var longer = words.Where(w => w.Length >= 3).ToList();
        return [.. (longer.Count > 0 ? longer : words).Take(MaxSearchWords)];
    }

    /// <summary>
    /// The search word that the word searches narrow by (the rarest, as a rule): the longest, the first of the longest on
    /// a tie; null for no words. The per-date estimate and the several-word prefilter must read the same word.
    /// </summary>
    private static string? LongestWord(IReadOnlyList<string> words) => words.OrderByDescending(w => w.Length).FirstOrDefault();

    /// <summary>
    /// The conversations (tenant, conversation_id) with a turn that says every word of <paramref name="text"/>, each as
    /// a word or the start of one (<c>factura</c> finds "facturas"), in any order: a range of <c>utterance_words</c>'
    /// key per word, narrowed by tenant and dates, grouped per turn. A search without a word finds nothing.
    /// </summary>
    /// <param name="withDate">Also select the conversation's <c>date</c>.</param>
    internal static string WordsSql(string? tenant, DateOnly? from, DateOnly? to, string text, bool withDate = false)
    {
        var words = SearchWords(text);
        var cols = withDate ? "tenant, conversation_id, date" : "tenant, conversation_id";
        if (words.Count == 0) return $"SELECT '' AS tenant, '' AS conversation_id{(withDate ? ", toDate(0) AS date" : "")} WHERE 0";
        // Only letters and digits remain, so no word carries a LIKE wildcard or a quote.
        var like = words.Select(w => "word LIKE " + SqlText.Quote(w + "%")).ToList();
        var kw = KeyWhere(tenant, from, to);
        if (words.Count == 1) return $"SELECT {cols} FROM utterance_words WHERE {like[0]} AND {kw}";
        // Only the rows of turns that say the longest word (the rarest, as a rule) are grouped: a short common word
        // ("dos": 109,000 rows) would otherwise put every turn that says it into the grouping. The turns are told by a
        // hash of their key, which a collision can only widen; the grouping by the key itself then decides, so the
        // answer is the grouping of every word's rows (0.06 s against 0.18 s for "cobraron dos veces", 100,000
        // conversations). A conversation's rows all carry its start date, so grouping by it too changes no group.
        var longest = "word LIKE " + SqlText.Quote(LongestWord(words) + "%");
        return $"SELECT {cols} FROM (SELECT {cols}, segment_id FROM utterance_words " +
               $"WHERE ({string.Join(" OR ", like)}) AND {kw} " +
               $"AND cityHash64(tenant, conversation_id, segment_id) IN (SELECT cityHash64(tenant, conversation_id, segment_id) FROM utterance_words WHERE {longest} AND {kw}) " +
               $"GROUP BY {cols}, segment_id HAVING {string.Join(" AND ", like.Select(l => $"max({l})"))})";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[\p{L}\p{N}]+", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex WordPattern();

    /// <summary>The values for the explorer's drop-downs, from the caller's tenant.</summary>
    /// <remarks>Cached for a minute per tenant: campaigns, queues and agents change slowly, and every page reads them.</remarks>
    public Task<FilterChoices> ChoicesAsync(string? tenant, CancellationToken ct = default) =>
        Cached(_choices, tenant ?? "\u0000all", () => LoadChoicesAsync(tenant, CancellationToken.None));

    private async Task<FilterChoices> LoadChoicesAsync(string? tenant, CancellationToken ct)
    {
        var rows = await store.QueryAsync<ChoicesRow>($"""
            SELECT arraySlice(groupUniqArray(tenant), 1, 200) AS tenants, arraySlice(groupUniqArray(campaign), 1, 500) AS campaigns, arraySlice(groupUniqArray(queue), 1, 500) AS queues,
                arraySlice(groupUniqArray(process_topic), 1, 500) AS topics, arraySlice(groupUniqArray(team_id), 1, 500) AS teams, arraySlice(groupUniqArray(agent_id), 1, 2000) AS agents
            FROM conversations
            WHERE {KeyWhere(tenant, null, null)}
            """, ct).ConfigureAwait(false);
        var r = rows.Count > 0 ? rows[0] : new ChoicesRow([], [], [], [], [], []);
        static List<string> S(IReadOnlyList<string> v) => [.. v.Where(x => x.Length > 0 && x != "none").Order(StringComparer.Ordinal)];
        return new FilterChoices(S(r.Tenants), S(r.Campaigns), S(r.Queues), S(r.Topics), S(r.Teams), S(r.Agents));
    }

    /// <summary>A finalized conversation of the caller's tenant (null tenant: any), or null.</summary>
    /// <remarks>
    /// The same rows as <see cref="ClickHouseStore.ReadConversationAsync"/> (the analysis rows of the current version), read
    /// in two round trips: the conversation's tenant, date and current version from the key columns alone, then its row
    /// and its seven kinds of rows at once, each from its start date's partition.
    /// </remarks>
    public Task<StoredConversation?> ConversationAsync(string? tenant, string id, CancellationToken ct = default) => ConversationAsync(tenant, id, 0, ct);

    private async Task<StoredConversation?> ConversationAsync(string? tenant, string id, int attempt, CancellationToken ct)
    {
        // One key's rows are deduplicated with ORDER BY version DESC ... LIMIT 1 BY key rather than FINAL: the same answer,
        // and on 18.16 FINAL merges far more than the one key asked for (1.6 s against 0.04 s on 100,000 conversations).
        var filter = tenant is null ? $"conversation_id = {SqlText.Quote(id)}" : $"tenant = {SqlText.Quote(tenant)} AND conversation_id = {SqlText.Quote(id)}";
        // The key columns, date and version only: the key index finds one granule per monthly partition, and reading every
        // column of those granules (SELECT * here) cost 34-90 ms against 7-14 ms on 100,000 conversations (load 14-16).
        var found = await store.QueryAsync<CurrentVersionRow>($"SELECT tenant, date, version FROM conversations PREWHERE {filter} ORDER BY tenant, version DESC LIMIT 1", ct).ConfigureAwait(false);
        if (found.Count == 0) return null;
        var k = found[0];
        var key = $"tenant = {SqlText.Quote(k.Tenant)} AND conversation_id = {SqlText.Quote(id)}";
        // Every row of a conversation but its surveys carries the conversation's start date (docs/storage.md), so the
        // reads below open one monthly partition instead of every one.
        var day = $"{key} AND date = {SqlText.Date(k.Date)}";
        var current = $"{day} AND version = {k.Version.ToString(Inv)}";
        var conversation = store.QueryAsync<ConversationRow>($"SELECT * FROM conversations PREWHERE {current} LIMIT 1", ct);
        var utterances = store.QueryAsync<UtteranceRow>($"SELECT * FROM utterances WHERE {day} ORDER BY segment_id, version DESC LIMIT 1 BY segment_id", ct);
        var phases = store.QueryAsync<PhaseRow>($"SELECT * FROM conversation_phases WHERE {current} ORDER BY phase_order, speaker LIMIT 1 BY phase, speaker", ct);
        var drivers = store.QueryAsync<DriverRow>($"SELECT * FROM conversation_drivers WHERE {current} ORDER BY share DESC, driver LIMIT 1 BY driver, topic", ct);
        var behaviours = store.QueryAsync<BehaviourRow>($"SELECT * FROM agent_behaviours WHERE {current} ORDER BY behaviour LIMIT 1 BY behaviour", ct);
        var moments = store.QueryAsync<MemorableMomentRow>($"SELECT * FROM memorable_moments WHERE {current} ORDER BY turn LIMIT 1 BY turn", ct);
        var alerts = store.QueryAsync<AlertRow>($"SELECT * FROM alerts WHERE {day} ORDER BY turn, rule, version DESC LIMIT 1 BY turn, rule", ct);
        var events = store.QueryAsync<ConversationEventRow>($"SELECT * FROM conversation_events WHERE {key} ORDER BY kind, version DESC LIMIT 1 BY kind", ct);
        await Task.WhenAll(conversation, utterances, phases, drivers, behaviours, moments, alerts, events).ConfigureAwait(false);
        // A conversation finalized again between the two round trips: its newer row replaced the one found, so read again.
        // Bounded: a row the key lookup found and the second read cannot find three times in a row is not a race.
        if (conversation.Result.Count == 0)
        {
            return attempt < 3 ? await ConversationAsync(tenant, id, attempt + 1, ct).ConfigureAwait(false)
                : throw new InvalidOperationException($"conversation {id}: its key row names a version its row does not have");
        }
        var c = conversation.Result[0];
        var turns = utterances.Result.OrderBy(u => u.Turn).ThenBy(u => u.StartMs).ThenBy(u => u.SegmentId, StringComparer.Ordinal).ToList();
        return new StoredConversation(c, turns, phases.Result, drivers.Result, behaviours.Result, moments.Result, alerts.Result, events.Result);
    }

    /// <summary>
    /// The agent report of <see cref="ReportQueries.GetAgentReportAsync"/> (same statements, same focus areas), with its
    /// three statements sent at once.
    /// </summary>
    /// <remarks>
    /// The per-agent figures come from the daily sums (<see cref="AgentDays"/>), the same definitions as
    /// <see cref="ReportQueries.AgentStatsSql"/>; <paramref name="dirty"/> is the scope's days written more than once.
    /// </remarks>
    public async Task<AgentReport> AgentReportAsync(ReportFilter filter, IReadOnlyList<DirtyDay>? dirty, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var stats = store.QueryAsync<AgentRaw>(AgentStatsSql(filter, dirty), ct);
        var phases = store.QueryAsync<PhaseGap>(PushDown(ReportQueries.PhaseGapsSql(filter), filter, dirty), ct);
        var behaviours = store.QueryAsync<BehaviourGap>(PushDown(ReportQueries.BehaviourGapsSql(filter), filter, dirty), ct);
        await Task.WhenAll(stats, phases, behaviours).ConfigureAwait(false);
        static double? N(double v) => double.IsNaN(v) ? null : v;
        var s = stats.Result.Select(r => new AgentPeriodStats(r.Tenant, r.TeamId, r.AgentId, r.Period, r.Contacts, r.StartedNegativeN, r.ConvertedN,
            N(r.ConversionRate), N(r.AgentNegativeShare), N(r.MeanExperienceIndex))).ToList();
        return new AgentReport(s, phases.Result, behaviours.Result, ReportQueries.FocusAreas(phases.Result, behaviours.Result));
    }

    /// <summary>
    /// The report statement with its views (<c>v_conversations</c>, <c>v_phases</c>, <c>v_behaviours</c>) written out
    /// with the tenant and dates inside their FINAL subqueries: 18.16 does not push a WHERE into a view, so the views
    /// would merge every tenant's and every month's rows on each read. Same rows, same columns as the views.
    /// </summary>
    internal static string PushDown(string sql, ReportFilter f, IReadOnlyList<DirtyDay>? dirty = null)
    {
        var from = f.From is { } d ? ReportQueries.PeriodStart(d, f.Period) : (DateOnly?)null;
        var scope = new DayScope(f.Tenant, from, f.To, dirty);
        const string Periods = "toMonday(date) AS week, toStartOfMonth(date) AS month";
        var phases = $"""
            (SELECT tenant, conversation_id, date, {Periods}, {Dimensions},
                phase, phase_order, speaker, mean_valence, min_valence, negative_share, dominant_emotion, turns, seconds
             FROM {AnalysisRows(StoreTables.Phases, "phase, phase_order, speaker, mean_valence, min_valence, negative_share, dominant_emotion, turns, seconds", scope)})
            """;
        var behaviours = $"""
            (SELECT tenant, conversation_id, date, {Periods}, {Dimensions}, behaviour, count, seconds, evidence_turns
             FROM {AnalysisRows(StoreTables.Behaviours, "behaviour, count, seconds, evidence_turns", scope)})
            """;
        var conversations = Current(f.Tenant, from, f.To, dirty,
            "tenant, conversation_id, date, team_id, agent_id, campaign, started_negative, negative_to_positive, driver_agent, negative_load, experience_index");
        return sql.Replace("FROM v_phases", "FROM " + phases, StringComparison.Ordinal)
                  .Replace("FROM v_behaviours", "FROM " + behaviours, StringComparison.Ordinal)
                  .Replace("FROM v_conversations", "FROM " + conversations, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>v_conversations</c> with its survey and QA columns, written out with the tenant and dates inside (18.16 does not
    /// push a WHERE into a view): surveys and QA scores of the tenant's conversations, and unnamed ones ('default'),
    /// joined by conversation id as the view does.
    /// </summary>
    internal static string ConversationsWithEvents(string? tenant, DateOnly? from, DateOnly? to, IReadOnlyList<DirtyDay>? dirty = null)
    {
        var events = tenant is null ? "1" : $"tenant IN ({SqlText.Quote(tenant)}, 'default')";
        return $"""
            (SELECT tenant, conversation_id, date, campaign, queue, experience_index, nps, csat, qa_score
             FROM {Current(tenant, from, to, dirty, "tenant, conversation_id, date, campaign, queue, experience_index")}
             ANY LEFT JOIN
             (SELECT conversation_id, argMaxIf(nps, version, kind = 'survey') AS nps, argMaxIf(csat, version, kind = 'survey') AS csat,
                     argMaxIf(qa_score, version, kind = 'qa_score') AS qa_score
              FROM conversation_events WHERE {events} GROUP BY conversation_id) USING (conversation_id))
            """;
    }

    /// <summary>
    /// The client dashboard's quality figures from one statement: the range's conversations with a survey or a QA score
    /// (<see cref="ConversationsWithEvents"/>, joined once), from which the quadrants (<see cref="ReportQueries.GroupQuadrants"/>,
    /// the definition of <see cref="ReportQueries.QuadrantsSql"/>), the first <paramref name="qaPoints"/> QA points by
    /// conversation id and up to <paramref name="surveyPoints"/> survey points are taken. Three statements joined the
    /// events to the conversations three times for the same rows.
    /// </summary>
    public async Task<QualityReads> QualityAsync(ReportFilter f, IReadOnlyList<DirtyDay>? dirty, int qaPoints = 1500, int surveyPoints = 20000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        var rows = await store.QueryAsync<QualityRow>(QualitySql(f, dirty), ct).ConfigureAwait(false);
        var quadrants = ReportQueries.GroupQuadrants(rows, f, new QuadrantThresholds());
        var qa = rows.Where(r => r.Qa is not null).Take(qaPoints).Select(r => new QaPoint(r.Qa!.Value, r.ExperienceIndex)).ToList();
        var surveys = rows.Where(r => r.Nps is not null || r.Csat is not null).Take(surveyPoints).Select(r => new SurveyPoint(r.ExperienceIndex, r.Nps, r.Csat)).ToList();
        return new QualityReads(quadrants, qa, surveys);
    }

    /// <summary><see cref="QualityAsync"/>'s statement: the scored conversations of the filter's tenant, campaign and range, by id.</summary>
    internal static string QualitySql(ReportFilter f, IReadOnlyList<DirtyDay>? dirty)
    {
        var from = f.From is { } d ? ReportQueries.PeriodStart(d, f.Period) : (DateOnly?)null;
        return $"""
            SELECT tenant, campaign, conversation_id, date, experience_index,
                toFloat64OrNull(toString(nps)) AS nps, toFloat64OrNull(toString(csat)) AS csat, toFloat64(qa_score) AS qa
            FROM {ConversationsWithEvents(f.Tenant, from, f.To, dirty)}
            WHERE (isNotNull(nps) OR isNotNull(csat) OR isNotNull(qa_score)) AND {KeyWhere(f.Tenant, from, f.To)}
                {(f.Campaign is { Length: > 0 } c ? "AND campaign = " + SqlText.Quote(c) : "")}
            ORDER BY conversation_id
            """;
    }

    /// <summary>
    /// Per agent and period: <see cref="ReportQueries.AgentStatsSql"/>'s figures (contacts, started negative, converted,
    /// conversion rate, agent-attributed negative share, mean experience index) added up from <see cref="AgentDays"/>.
    /// </summary>
    internal static string AgentStatsSql(ReportFilter f, IReadOnlyList<DirtyDay>? dirty)
    {
        var from = f.From is { } d ? ReportQueries.PeriodStart(d, f.Period) : (DateOnly?)null;
        var sb = new StringBuilder("1");
        Eq(sb, "team_id", f.TeamId);
        Eq(sb, "agent_id", f.AgentId);
        return $"""
            SELECT tenant, team_id, agent_id, {ReportQueries.PeriodExpression(f.Period)} AS period,
                sum(d_contacts) AS contacts,
                sum(d_started_negative) AS started_negative_n,
                sum(d_converted) AS converted_n,
                if(started_negative_n = 0, nan, converted_n / started_negative_n) AS conversion_rate,
                if(sum(d_negative_load) = 0, nan, sum(d_agent_load) / sum(d_negative_load)) AS agent_negative_share,
                sum(d_ei_sum) / contacts AS mean_experience_index
            FROM {AgentDays(new DayScope(f.Tenant, from, f.To, dirty))}
            WHERE {sb}
            GROUP BY tenant, team_id, agent_id, period
            ORDER BY period, tenant, team_id, agent_id
            """;
    }

    private sealed record AgentRaw(
        string Tenant, string TeamId, string AgentId, DateOnly Period, long Contacts, long StartedNegativeN, long ConvertedN,
        double ConversionRate, double AgentNegativeShare, double MeanExperienceIndex);

    /// <summary>The turns stored so far of a conversation that may still be in progress (live rows), with its alerts.</summary>
    public async Task<(List<UtteranceRow> Turns, List<AlertRow> Alerts)> SoFarAsync(string? tenant, string id, CancellationToken ct = default)
    {
        var where = tenant is null ? $"conversation_id = {SqlText.Quote(id)}" : $"tenant = {SqlText.Quote(tenant)} AND conversation_id = {SqlText.Quote(id)}";
        var turns = await store.QueryAsync<UtteranceRow>($"SELECT * FROM utterances WHERE {where} ORDER BY tenant, segment_id, version DESC LIMIT 1 BY tenant, segment_id", ct).ConfigureAwait(false);
        if (turns.Count == 0) return ([], []);
        turns = [.. turns.OrderBy(t => t.Tenant, StringComparer.Ordinal).ThenBy(t => t.Turn).ThenBy(t => t.StartMs)];
        var t0 = turns[0].Tenant;
        turns = [.. turns.Where(t => t.Tenant == t0)];
        var alerts = await store.QueryAsync<AlertRow>(
            $"SELECT * FROM alerts WHERE tenant = {SqlText.Quote(t0)} AND conversation_id = {SqlText.Quote(id)} ORDER BY turn, rule, version DESC LIMIT 1 BY turn, rule", ct).ConfigureAwait(false);
        return (turns, alerts);
    }

    /// <summary>Conversations with a turn scored in the last <paramref name="minutes"/> minutes and not finalized yet.</summary>
    public Task<List<LiveConversation>> InProgressAsync(string? tenant, int minutes, CancellationToken ct = default) =>
        store.QueryAsync<LiveConversation>(InProgressSql(tenant, minutes), ct);

    /// <summary>The live view's statement.</summary>
    public static string InProgressSql(string? tenant, int minutes)
    {
        var since = $"now() - {Math.Max(1, minutes).ToString(Inv)} * 60";
        var t = (tenant is null ? "1" : $"tenant = {SqlText.Quote(tenant)}") + LiveDates(since);
        return $"""
            SELECT tenant, conversation_id, max(produced_at_ms) AS last_ms, uniqExact(turn) AS turns,
                argMaxIf(valence, turn, speaker = 'customer') AS customer_valence,
                arrayMap(x -> x.2, arraySort(x -> x.1, groupArrayIf((turn, valence), speaker = 'customer'))) AS customer_valences,
                0 AS alerts
            FROM utterances
            WHERE {t} AND scored_at >= {since}
              AND (tenant, conversation_id) NOT IN (SELECT tenant, conversation_id FROM conversations WHERE {t})
            GROUP BY tenant, conversation_id
            HAVING max(scored_at) >= {since}
            ORDER BY last_ms DESC, conversation_id
            LIMIT 200
            """;
    }

    /// <summary>
    /// The start dates a call in progress may have: from the day before the live window begins (UTC). Rows carry their
    /// conversation's start date, so the live reads open the latest partition's recent days, not the tenant's history;
    /// a call that started more than a day before its latest turn is not listed.
    /// </summary>
    private static string LiveDates(string since) => $" AND date >= toDate({since}) - 1";

    /// <summary>Live alerts of the last <paramref name="minutes"/> minutes, newest first.</summary>
    public Task<List<LiveAlert>> RecentAlertsAsync(string? tenant, int minutes, CancellationToken ct = default)
    {
        var since = $"now() - {Math.Max(1, minutes).ToString(Inv)} * 60";
        var t = (tenant is null ? "1" : $"tenant = {SqlText.Quote(tenant)}") + LiveDates(since);
        return store.QueryAsync<LiveAlert>($"""
            SELECT tenant, conversation_id, turn, rule, reason, valence_trend AS valence, alerted_at_ms
            FROM alerts FINAL
            PREWHERE {t}
            WHERE alerted_at >= {since}
            ORDER BY alerted_at_ms DESC, conversation_id, turn
            LIMIT 50
            """, ct);
    }

    /// <summary>The latest conversation date of the tenant, to place a report's default period.</summary>
    /// <remarks>Cached for a minute per tenant.</remarks>
    public Task<DateOnly?> LatestDateAsync(string? tenant, CancellationToken ct = default) =>
        Cached(_latest, tenant ?? "\u0000all", () => LoadLatestDateAsync(tenant, CancellationToken.None));

    private static Task<T> Cached<T>(System.Collections.Concurrent.ConcurrentDictionary<string, (DateTime At, Task<T> Value)> cache, string key, Func<Task<T>> load)
    {
        var now = DateTime.UtcNow;
        if (cache.TryGetValue(key, out var hit) && now - hit.At < CacheFor && !hit.Value.IsFaulted && !hit.Value.IsCanceled) return hit.Value;
        var task = load();
        cache[key] = (now, task);
        return task;
    }

    private async Task<DateOnly?> LoadLatestDateAsync(string? tenant, CancellationToken ct)
    {
        var rows = await store.QueryAsync<LatestRow>($"SELECT max(date) AS latest, count() AS n FROM conversations WHERE {KeyWhere(tenant, null, null)}", ct).ConfigureAwait(false);
        return rows.Count == 0 || rows[0].N == 0 ? null : rows[0].Latest;
    }

    /// <summary>Per week, the agent's sums (<c>mine</c> = 1) and the rest of its team's (0), from the daily sums.</summary>
    public Task<List<WeekSums>> AgentWeeksAsync(DayScope scope, string team, string agent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return store.QueryAsync<WeekSums>($"""
            SELECT toMonday(date) AS week, agent_id = {SqlText.Quote(agent)} AS mine,
                sum(d_contacts) AS contacts, sum(d_started_negative) AS started_negative_n, sum(d_converted) AS converted,
                sum(d_agent_load) AS agent_load, sum(d_negative_load) AS negative_load_sum, sum(d_ei_sum) AS ei_sum
            FROM {AgentDays(scope)}
            WHERE team_id = {SqlText.Quote(team)}
            GROUP BY week, mine
            ORDER BY week, mine
            """, ct);
    }

    /// <summary>A team's (or every team's) sums over a period, per team, from the daily sums.</summary>
    public Task<List<TeamSums>> TeamStatsAsync(DayScope scope, string? team, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return store.QueryAsync<TeamSums>($"""
            SELECT tenant, team_id, sum(d_contacts) AS contacts, sum(d_started_negative) AS started_negative_n, sum(d_converted) AS converted,
                sum(d_agent_load) AS agent_load, sum(d_negative_load) AS negative_load_sum, sum(d_ei_sum) AS ei_sum
            FROM {AgentDays(scope)}
            WHERE {(team is { Length: > 0 } ? "team_id = " + SqlText.Quote(team) : "1")}
            GROUP BY tenant, team_id
            ORDER BY tenant, team_id
            """, ct);
    }

    /// <summary>Per campaign, queue and period: the client dashboard's sums, from the daily sums.</summary>
    public Task<List<QueuePeriod>> QueuePeriodsAsync(DayScope scope, string? campaign, ReportPeriod period, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return store.QueryAsync<QueuePeriod>($"""
            SELECT tenant, campaign, queue, {ReportQueries.PeriodExpression(period)} AS period, sum(d_contacts) AS contacts, sum(d_ei_sum) AS ei_sum,
                sum(d_started_negative) AS started_negative_n, sum(d_converted) AS converted, sum(d_moments) AS moments
            FROM {ClientDays(scope)}
            WHERE {(campaign is { Length: > 0 } ? "campaign = " + SqlText.Quote(campaign) : "1")}
            GROUP BY tenant, campaign, queue, period
            ORDER BY period, tenant, campaign, queue
            """, ct);
    }

    /// <summary>Process topics by summed driver share over the range (the processes a client should review).</summary>
    /// <param name="dirty">The scope's days written more than once, with <see cref="StoreTables.Drivers"/> among its analysis tables.</param>
    public Task<List<ProcessRank>> ProcessesAsync(string? tenant, string? campaign, DateOnly from, DateOnly to, IReadOnlyList<DirtyDay>? dirty, CancellationToken ct = default) =>
        store.QueryAsync<ProcessRank>($"""
            SELECT topic, sum(share) AS weight, uniqExact(conversation_id) AS contacts
            FROM {AnalysisRows(StoreTables.Drivers, "driver, topic, share", new DayScope(tenant, from, to, dirty))}
            WHERE driver = 'process' AND share > 0 {(campaign is { Length: > 0 } ? "AND campaign = " + SqlText.Quote(campaign) : "")}
            GROUP BY topic
            ORDER BY weight DESC, topic
            LIMIT 10
            """, ct);

    /// <summary>The strongest memorable moments over the range.</summary>
    /// <param name="dirty">The scope's days written more than once, with <see cref="StoreTables.MemorableMoments"/> among its analysis tables.</param>
    public Task<List<MomentExample>> MomentsAsync(string? tenant, string? campaign, DateOnly from, DateOnly to, int top, IReadOnlyList<DirtyDay>? dirty, CancellationToken ct = default) =>
        store.QueryAsync<MomentExample>($"""
            SELECT tenant, campaign, date AS period, conversation_id, turn, valence, emotion, text, after_negative_start
            FROM {AnalysisRows(StoreTables.MemorableMoments, "turn, valence, emotion, text, after_negative_start", new DayScope(tenant, from, to, dirty))}
            WHERE 1 {(campaign is { Length: > 0 } ? "AND campaign = " + SqlText.Quote(campaign) : "")}
            ORDER BY valence DESC, date DESC, conversation_id, turn
            LIMIT {Math.Clamp(top, 1, 50).ToString(Inv)}
            """, ct);

    /// <summary>The tenant and date conditions, which match the tables' key and partition.</summary>
    /// <remarks>
    /// Every row of a conversation carries the same tenant and date, so these conditions keep or drop a key's rows
    /// together: a FINAL read may apply them as PREWHERE, before its merge, which then merges only the period's rows
    /// rather than the whole monthly partitions (18.16 applies a WHERE after the merge).
    /// </remarks>
    internal static string KeyWhere(string? tenant, DateOnly? from, DateOnly? to)
    {
        var sb = new StringBuilder(tenant is null ? "1" : "tenant = " + SqlText.Quote(tenant));
        if (from is { } f) sb.Append(" AND date >= ").Append(SqlText.Date(f));
        if (to is { } t) sb.Append(" AND date <= ").Append(SqlText.Date(t));
        return sb.ToString();
    }

    private static void Eq(StringBuilder sb, string column, string? value)
    {
        if (value is { Length: > 0 } v) sb.Append(" AND ").Append(column).Append(" = ").Append(SqlText.Quote(v));
    }

    private sealed record CountRow(long N);

    private sealed record CurrentVersionRow(string Tenant, DateOnly Date, ulong Version);

    private sealed record LatestRow(DateOnly Latest, long N);

    private sealed record ChoicesRow(
        IReadOnlyList<string> Tenants, IReadOnlyList<string> Campaigns, IReadOnlyList<string> Queues, IReadOnlyList<string> Topics,
        IReadOnlyList<string> Teams, IReadOnlyList<string> Agents);
}

/// <summary>A team's sums over a period.</summary>
public sealed record TeamSums(string Tenant, string TeamId, long Contacts, long StartedNegativeN, long Converted, double AgentLoad, double NegativeLoadSum, double EiSum)
{
    public GroupStats Stats => new(Contacts, StartedNegativeN, Converted, AgentLoad, NegativeLoadSum, EiSum);
}

/// <summary>A tenant's day on which some conversation row was written more than once (a replay or a re-finalization).</summary>
public sealed record DirtyDay(string Tenant, DateOnly Date);

/// <summary>
/// The tenant and dates a page reads, with the days whose conversations were not each written once
/// (<c>conversation_days</c>, migration 0008). On every other day a conversation has exactly one row, so its reads need
/// neither FINAL nor the base tables: they take the rows as they are, or the daily sums. <see cref="Dirty"/> null means
/// "not known": every read deduplicates.
/// </summary>
public sealed record DayScope(string? Tenant, DateOnly? From, DateOnly? To, IReadOnlyList<DirtyDay>? Dirty);

/// <summary>The client dashboard's quality figures (<see cref="ConsoleQueries.QualityAsync"/>).</summary>
public sealed record QualityReads(IReadOnlyList<QuadrantStat> Quadrants, IReadOnlyList<QaPoint> QaPoints, IReadOnlyList<SurveyPoint> Surveys);

/// <summary>A conversation's QA score and experience index.</summary>
public sealed record QaPoint(double Qa, double ExperienceIndex);
