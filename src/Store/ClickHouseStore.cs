using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ClickHouse.Driver;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Emotion.Store;

/// <summary>
/// The ClickHouse store: one long-lived HTTP client, batched JSONEachRow inserts and JSONEachRow reads (the two
/// paths that work on ClickHouse 18.16 as well as current releases), retries with backoff for transient errors.
/// Thread-safe; register it once.
/// </summary>
public sealed class ClickHouseStore : IDisposable
{
    /// <summary>Name of the store's <see cref="ActivitySource"/> and <see cref="Meter"/>.</summary>
    public const string TelemetryName = "Emotion.Store";

    private static readonly ActivitySource Activities = new(TelemetryName);
    private static readonly Meter Meter = new(TelemetryName);
    private static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("emotion.store.rows_written", "{row}", "Rows inserted into ClickHouse.");
    private static readonly Counter<long> Retries = Meter.CreateCounter<long>("emotion.store.retries", "{retry}", "Requests retried after a transient error.");
    private static readonly Histogram<double> InsertSeconds = Meter.CreateHistogram<double>("emotion.store.insert.duration", "s", "Duration of one INSERT request.");

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly ClickHouseClient client;
    private readonly ClickHouseOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly ClickHouseOutage outage;

    /// <summary>Creates the store from bound options.</summary>
    public ClickHouseStore(IOptions<ClickHouseOptions> options, ILogger<ClickHouseStore> logger)
        : this(options.Value, logger)
    {
    }

    /// <summary>Creates the store.</summary>
    public ClickHouseStore(ClickHouseOptions options, ILogger? logger = null)
        : this(options, logger, TimeProvider.System)
    {
    }

    /// <summary>Creates the store with a clock (tests).</summary>
    internal ClickHouseStore(ClickHouseOptions options, ILogger? logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new ClickHouseOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new OptionsValidationException(ClickHouseOptions.SectionName, typeof(ClickHouseOptions), validation.Failures);
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        this.time = time;
        outage = new ClickHouseOutage(this.logger, options, time);
        Database = options.ResolveDatabase();
        client = new ClickHouseClient(options.ConnectionString);
    }

    /// <summary>The database every statement runs in.</summary>
    public string Database { get; }

    /// <summary>The options in use.</summary>
    public ClickHouseOptions Options => options;

    // ---- writes ------------------------------------------------------------------------------------------------

    /// <summary>Inserts utterance rows (in batches of <see cref="ClickHouseOptions.BatchSize"/>).</summary>
    public Task WriteUtterancesAsync(IReadOnlyList<UtteranceRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Utterances, rows, cancellationToken);

    /// <summary>Inserts conversation rows. Write a conversation's analysis rows first: this row's version makes them current.</summary>
    public Task WriteConversationsAsync(IReadOnlyList<ConversationRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Conversations, rows, cancellationToken);

    /// <summary>Inserts survey and QA events.</summary>
    public Task WriteEventsAsync(IReadOnlyList<ConversationEventRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.ConversationEvents, rows, cancellationToken);

    /// <summary>Inserts phase rows.</summary>
    public Task WritePhasesAsync(IReadOnlyList<PhaseRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Phases, rows, cancellationToken);

    /// <summary>Inserts driver rows.</summary>
    public Task WriteDriversAsync(IReadOnlyList<DriverRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Drivers, rows, cancellationToken);

    /// <summary>Inserts agent behaviour rows.</summary>
    public Task WriteBehavioursAsync(IReadOnlyList<BehaviourRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Behaviours, rows, cancellationToken);

    /// <summary>Inserts memorable moment rows.</summary>
    public Task WriteMemorableMomentsAsync(IReadOnlyList<MemorableMomentRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.MemorableMoments, rows, cancellationToken);

    /// <summary>Inserts alert rows (live alerts as they are raised; analysis alerts with the conversation).</summary>
    public Task WriteAlertsAsync(IReadOnlyList<AlertRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Alerts, rows, cancellationToken);

    /// <summary>Inserts moment-of-truth rows.</summary>
    public Task WriteMomentsOfTruthAsync(IReadOnlyList<MomentOfTruthRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.MomentsOfTruth, rows, cancellationToken);

    /// <summary>Inserts case triage rows.</summary>
    public Task WriteTriageAsync(IReadOnlyList<CaseTriageRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.Triage, rows, cancellationToken);

    /// <summary>Inserts audio window rows (write them before the conversation's <c>conversations</c> row).</summary>
    public Task WriteAudioWindowsAsync(IReadOnlyList<AudioWindowRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.AudioWindows, rows, cancellationToken);

    /// <summary>Inserts audio span rows (overtalk, holds, dead air, silences).</summary>
    public Task WriteAudioSpansAsync(IReadOnlyList<AudioSpanRow> rows, CancellationToken cancellationToken = default) =>
        InsertAsync(StoreTables.AudioSpans, rows, cancellationToken);

    /// <summary>Writes one finalized conversation; see <see cref="WriteAsync(IReadOnlyList{ConversationRows}, CancellationToken)"/>.</summary>
    public Task WriteAsync(ConversationRows conversation, CancellationToken cancellationToken = default) =>
        WriteAsync([conversation], cancellationToken);

    /// <summary>
    /// Writes finalized conversations with one INSERT per table for the whole list: utterances, phases, drivers,
    /// behaviours, memorable moments, alerts, moments of truth and triage first, the <c>conversations</c> rows last; the
    /// analysis rows carry the conversation row's agent, team, campaign and queue (<see cref="ConversationRows.WithConsoleColumns"/>). When this returns, all of it
    /// is stored; when it throws, writing the same list again is harmless (the tables deduplicate by key).
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<ConversationRows> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        if (conversations.Count == 0) return;
        using var activity = Activities.StartActivity("store.write_conversations");
        activity?.SetTag("emotion.conversations", conversations.Count);
        conversations = [.. conversations.Select(c => c.WithConsoleColumns())];
        // The analysis rows go to eight tables with no order among them: one request each, all at once (a flush waits
        // for one round trip instead of eight). The conversations rows come after, when every analysis row is in.
        await Task.WhenAll(
            WriteUtterancesAsync([.. conversations.SelectMany(c => c.Utterances)], cancellationToken),
            WritePhasesAsync([.. conversations.SelectMany(c => c.Phases)], cancellationToken),
            WriteDriversAsync([.. conversations.SelectMany(c => c.Drivers)], cancellationToken),
            WriteBehavioursAsync([.. conversations.SelectMany(c => c.Behaviours)], cancellationToken),
            WriteMemorableMomentsAsync([.. conversations.SelectMany(c => c.MemorableMoments)], cancellationToken),
            WriteAlertsAsync([.. conversations.SelectMany(c => c.Alerts)], cancellationToken),
            WriteMomentsOfTruthAsync([.. conversations.SelectMany(c => c.MomentsOfTruth ?? [])], cancellationToken),
            WriteTriageAsync([.. conversations.Where(c => c.Triage is not null).Select(c => c.Triage!)], cancellationToken)).ConfigureAwait(false);
        await WriteConversationsAsync([.. conversations.Select(c => c.Conversation)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts rows into <paramref name="table"/> as JSONEachRow, <see cref="ClickHouseOptions.BatchSize"/> rows per
    /// request. Each request is retried on transient errors; a retried request is harmless because the tables deduplicate.
    /// </summary>
    public async Task InsertAsync<T>(string table, IReadOnlyList<T> rows, CancellationToken cancellationToken = default)
    {
        SqlText.Identifier(table, "Table");
        ArgumentNullException.ThrowIfNull(rows);
        for (var offset = 0; offset < rows.Count; offset += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, rows.Count - offset);
            var buffer = new ArrayBufferWriter<byte>(count * 256);
            RowJson.WriteLines(buffer, Slice(rows, offset, count));
            var payload = buffer.WrittenMemory;
            var sql = $"INSERT INTO {table} FORMAT JSONEachRow";
            using var activity = Activities.StartActivity("store.insert");
            activity?.SetTag("db.system", "clickhouse");
            activity?.SetTag("db.collection.name", table);
            activity?.SetTag("db.operation.batch.size", count);
            var started = Stopwatch.GetTimestamp();
            await WithRetryAsync(sql, async ct =>
            {
                using var response = await client.PostStreamAsync(
                    sql,
                    async (stream, token) => await stream.WriteAsync(payload, token).ConfigureAwait(false),
                    isCompressed: false,
                    ct,
                    QueryOptions()).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            InsertSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("table", table));
            RowsWritten.Add(count, new KeyValuePair<string, object?>("table", table));
        }
    }

    // ---- reads and statements ----------------------------------------------------------------------------------

    /// <summary>Runs a statement that returns no rows (DDL, OPTIMIZE...), retrying transient errors.</summary>
    public Task ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        ExecuteInAsync(Database, sql, cancellationToken);

    /// <summary>Runs a statement with <paramref name="database"/> as the current database (e.g. <c>default</c> to create ours).</summary>
    public Task ExecuteInAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var verb = sql.TrimStart();
        if (verb.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || verb.StartsWith("OPTIMIZE", StringComparison.OrdinalIgnoreCase))
            return BackfillAsync(database, sql, cancellationToken);
        var queryOptions = QueryOptions(database);
        return WithRetryAsync(sql, ct => client.ExecuteNonQueryAsync(sql, null, queryOptions, ct), cancellationToken);
    }

    /// <summary>
    /// Runs a SELECT (without a FORMAT clause) and parses the rows with <see cref="RowJson.Options"/>; columns map to
    /// snake_case properties. <typeparamref name="T"/> may be <see cref="JsonElement"/> for ad-hoc queries.
    /// </summary>
    public async Task<List<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var full = sql.TrimEnd().TrimEnd(';') + "\nFORMAT JSONEachRow";
        var bytes = await WithRetryAsync(full, async ct =>
        {
            using var result = await client.ExecuteRawResultAsync(full, QueryOptions(), ct).ConfigureAwait(false);
            return await result.ReadAsByteArrayAsync().ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            return RowJson.ReadLines<T>(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Could not read the result of a ClickHouse query as {typeof(T).Name}: {e.Message}\nQuery: {sql}", e);
        }
    }

    /// <summary>Whether the database exists.</summary>
    public async Task<bool> DatabaseExistsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryInDefaultAsync<CountResult>(
            $"SELECT count() AS n FROM system.databases WHERE name = {SqlText.Quote(Database)}", cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 && rows[0].N > 0;
    }

    /// <summary>Answers true when the server is reachable (SELECT 1). One attempt: no retries, no outage wait.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var result = await client.ExecuteRawResultAsync("SELECT 1 AS n\nFORMAT JSONEachRow", QueryOptions("default"), timeout.Token).ConfigureAwait(false);
            return RowJson.ReadLines<CountResult>(await result.ReadAsByteArrayAsync().ConfigureAwait(false)).Count == 1;
        }
        catch (Exception e) when (e is HttpRequestException or ClickHouseServerException or IOException or JsonException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The latest utterances of a conversation, in turn order.</summary>
    public Task<List<UtteranceRow>> ReadUtterancesAsync(string tenant, string conversationId, CancellationToken cancellationToken = default) =>
        QueryAsync<UtteranceRow>(
            $"SELECT * FROM {StoreTables.Utterances} FINAL WHERE {KeyFilter(tenant, conversationId)} ORDER BY turn, start_ms, segment_id",
            cancellationToken);

    /// <summary>
    /// A stored conversation with its current analysis rows, or null. <paramref name="tenant"/> null means any tenant
    /// (the first match by tenant name).
    /// </summary>
    public async Task<StoredConversation?> ReadConversationAsync(string? tenant, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var filter = tenant is null
            ? $"conversation_id = {SqlText.Quote(conversationId)}"
            : KeyFilter(tenant, conversationId);
        var conversations = await QueryAsync<ConversationRow>(
            $"SELECT * FROM {StoreTables.Conversations} FINAL WHERE {filter} ORDER BY tenant LIMIT 1", cancellationToken).ConfigureAwait(false);
        if (conversations.Count == 0) return null;
        var c = conversations[0];
        var current = $"{KeyFilter(c.Tenant, c.ConversationId)} AND version = {c.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var utterances = await ReadUtterancesAsync(c.Tenant, c.ConversationId, cancellationToken).ConfigureAwait(false);
        var phases = await QueryAsync<PhaseRow>($"SELECT * FROM {StoreTables.Phases} FINAL WHERE {current} ORDER BY phase_order, speaker", cancellationToken).ConfigureAwait(false);
        var drivers = await QueryAsync<DriverRow>($"SELECT * FROM {StoreTables.Drivers} FINAL WHERE {current} ORDER BY share DESC, driver", cancellationToken).ConfigureAwait(false);
        var behaviours = await QueryAsync<BehaviourRow>($"SELECT * FROM {StoreTables.Behaviours} FINAL WHERE {current} ORDER BY behaviour", cancellationToken).ConfigureAwait(false);
        var moments = await QueryAsync<MemorableMomentRow>($"SELECT * FROM {StoreTables.MemorableMoments} FINAL WHERE {current} ORDER BY turn", cancellationToken).ConfigureAwait(false);
        var alerts = await QueryAsync<AlertRow>($"SELECT * FROM {StoreTables.Alerts} FINAL WHERE {KeyFilter(c.Tenant, c.ConversationId)} ORDER BY turn, rule", cancellationToken).ConfigureAwait(false);
        var events = await QueryAsync<ConversationEventRow>(
            $"SELECT * FROM {StoreTables.ConversationEvents} FINAL WHERE {KeyFilter(c.Tenant, c.ConversationId)} ORDER BY kind, version DESC LIMIT 1 BY kind",
            cancellationToken).ConfigureAwait(false);
        var momentsOfTruth = await QueryAsync<MomentOfTruthRow>(
            $"SELECT * FROM {StoreTables.MomentsOfTruth} FINAL WHERE {current} ORDER BY turn, moment", cancellationToken).ConfigureAwait(false);
        var triage = await QueryAsync<CaseTriageRow>(
            $"SELECT * FROM {StoreTables.Triage} FINAL WHERE {current} LIMIT 1", cancellationToken).ConfigureAwait(false);
        var audioWindows = await QueryAsync<AudioWindowRow>(
            $"SELECT * FROM {StoreTables.AudioWindows} FINAL WHERE {current} ORDER BY start_ms, speaker", cancellationToken).ConfigureAwait(false);
        var audioSpans = await QueryAsync<AudioSpanRow>(
            $"SELECT * FROM {StoreTables.AudioSpans} FINAL WHERE {current} ORDER BY start_ms, kind", cancellationToken).ConfigureAwait(false);
        return new StoredConversation(c, utterances, phases, drivers, behaviours, moments, alerts, events, momentsOfTruth, triage.FirstOrDefault())
        {
            AudioWindows = audioWindows,
            AudioSpans = audioSpans,
        };
    }

    /// <summary>
    /// An <c>INSERT ... SELECT</c> or an <c>OPTIMIZE</c> (a migration's backfill and merge): one attempt on a client that waits up to
    /// <see cref="BackfillTimeout"/>. A retry after the HTTP client's usual 100 s would start a second copy of the insert
    /// while the server still runs the first. The driver asks for default_format=RowBinaryWithNamesAndTypes on every
    /// request; 18.16 lacks that format and refuses an INSERT ... SELECT that names it, so this asks for TabSeparated.
    /// </summary>
    private async Task BackfillAsync(string database, string sql, CancellationToken ct)
    {
        var seconds = ((long)BackfillTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var longClient = new ClickHouseClient(options.ConnectionString.TrimEnd(';') + ";Timeout=" + seconds);
        var queryOptions = new QueryOptions { Database = database, CustomSettings = new Dictionary<string, object> { ["default_format"] = "TabSeparated" } };
        await longClient.ExecuteNonQueryAsync(sql, null, queryOptions, ct).ConfigureAwait(false);
    }

    /// <summary>How long a backfill statement may run (a migration over a large database on a loaded server).</summary>
    public static TimeSpan BackfillTimeout { get; } = TimeSpan.FromHours(2);

    /// <summary>Disposes the HTTP client.</summary>
    public void Dispose() => client.Dispose();

    // ---- internals ---------------------------------------------------------------------------------------------

    internal Task<List<T>> QueryInDefaultAsync<T>(string sql, CancellationToken cancellationToken) =>
        WithRetryAsync(sql, async ct =>
        {
            var full = sql + "\nFORMAT JSONEachRow";
            using var result = await client.ExecuteRawResultAsync(full, QueryOptions("default"), ct).ConfigureAwait(false);
            return RowJson.ReadLines<T>(await result.ReadAsByteArrayAsync().ConfigureAwait(false));
        }, cancellationToken);

    private static string KeyFilter(string tenant, string conversationId) =>
        $"tenant = {SqlText.Quote(tenant)} AND conversation_id = {SqlText.Quote(conversationId)}";

    private QueryOptions QueryOptions(string? database = null) => new() { Database = database ?? Database };

    private static IEnumerable<T> Slice<T>(IReadOnlyList<T> rows, int offset, int count)
    {
        for (var i = offset; i < offset + count; i++) yield return rows[i];
    }

    /// <summary>
    /// Runs <paramref name="action"/> until it succeeds. Transient failures are retried <see cref="ClickHouseOptions.RetryCount"/>
    /// times; outages are waited out for <see cref="ClickHouseOptions.OutageRetryFor"/> (0: forever) with capped backoff and
    /// logged once per state change by <see cref="ClickHouseOutage"/>; anything else, or the last failure, is thrown.
    /// </summary>
    private async Task<TResult> WithRetryAsync<TResult>(string sql, Func<CancellationToken, Task<TResult>> action, CancellationToken cancellationToken)
    {
        var retries = 0;
        var outageAttempts = 0;
        long outageStarted = 0;
        while (true)
        {
            try
            {
                var result = await action(cancellationToken).ConfigureAwait(false);
                outage.Succeeded();
                return result;
            }
            catch (Exception e) when (TransientErrors.Classify(e, cancellationToken) != ClickHouseFailure.Permanent)
            {
                var kind = TransientErrors.Classify(e, cancellationToken);
                if (kind == ClickHouseFailure.MissingSchema)
                {
                    // A healthy server with a missing table is a schema problem; one that stops answering is shutting down.
                    kind = await PingAsync(cancellationToken).ConfigureAwait(false) ? ClickHouseFailure.Transient : ClickHouseFailure.Outage;
                }
                TimeSpan delay;
                if (kind == ClickHouseFailure.Transient)
                {
                    if (++retries > options.RetryCount) throw;
                    delay = TransientErrors.Backoff(retries, options.RetryBaseDelay, options.RetryMaxDelay);
                    if (logger.IsEnabled(LogLevel.Warning))
                    {
                        // The reason is enough for a retry: a stack trace per attempt buries the message that matters.
                        logger.LogWarning("ClickHouse request failed (attempt {Attempt} of {Attempts}): {Reason}; retrying in {DelayMs} ms: {Statement}",
                            retries, options.RetryCount + 1, Reason(e), (int)delay.TotalMilliseconds, FirstLine(sql));
                    }
                }
                else
                {
                    if (outageAttempts++ == 0) outageStarted = time.GetTimestamp();
                    var waited = time.GetElapsedTime(outageStarted);
                    if (options.OutageRetryFor > TimeSpan.Zero && waited >= options.OutageRetryFor)
                    {
                        logger.LogError("ClickHouse unreachable for {Seconds:0} s, longer than ClickHouse:OutageRetryFor ({Limit}); giving up: {Reason}",
                            waited.TotalSeconds, options.OutageRetryFor, Reason(e));
                        throw;
                    }
                    outage.Failed(Reason(e));
                    delay = TransientErrors.Backoff(outageAttempts, options.RetryBaseDelay, options.RetryMaxDelay);
                    if (options.OutageRetryFor > TimeSpan.Zero && waited + delay > options.OutageRetryFor)
                        delay = options.OutageRetryFor - waited;
                }
                Retries.Add(1);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The first line of an error, short enough for a log line.</summary>
    private static string Reason(Exception e)
    {
        var inner = e is HttpRequestException { InnerException: { } cause } ? $" ({cause.Message})" : "";
        var text = e.Message + inner;
        var nl = text.IndexOf('\n', StringComparison.Ordinal);
        if (nl >= 0) text = text[..nl];
        return text.Length > 200 ? text[..200] + "..." : text;
    }

    private static string FirstLine(string sql)
    {
        var nl = sql.IndexOf('\n', StringComparison.Ordinal);
        var line = nl < 0 ? sql : sql[..nl];
        return line.Length > 120 ? line[..120] + "..." : line;
    }

    private sealed record CountResult(long N);
}

/// <summary>A conversation as stored: its row, utterances and current analysis rows.</summary>
public sealed record StoredConversation(
    ConversationRow Conversation,
    IReadOnlyList<UtteranceRow> Utterances,
    IReadOnlyList<PhaseRow> Phases,
    IReadOnlyList<DriverRow> Drivers,
    IReadOnlyList<BehaviourRow> Behaviours,
    IReadOnlyList<MemorableMomentRow> MemorableMoments,
    IReadOnlyList<AlertRow> Alerts,
    IReadOnlyList<ConversationEventRow> Events,
    IReadOnlyList<MomentOfTruthRow>? MomentsOfTruth = null,
    CaseTriageRow? Triage = null)
{
    /// <summary>The voice per speaker and window, when the conversation had audio.</summary>
    public IReadOnlyList<AudioWindowRow> AudioWindows { get; init; } = [];

    /// <summary>Measured overtalk, holds, dead air and silences, when the conversation had audio.</summary>
    public IReadOnlyList<AudioSpanRow> AudioSpans { get; init; } = [];
}
