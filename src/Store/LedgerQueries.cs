using System.Text;

namespace Emotion.Store;

/// <summary>One conversation's entry in <c>pipeline_ledger</c>, merged over its partitions.</summary>
/// <param name="LastOffsets">Highest incorporated offset per topic and partition.</param>
/// <param name="Messages">Messages the finalized rows incorporate.</param>
public sealed record LedgerEntry(string Tenant, string ConversationId, IReadOnlyDictionary<(string Topic, int Partition), long> LastOffsets, ulong Messages);

/// <summary>Reads and writes the pipeline ledger (<see cref="LedgerRow"/>) through the store's raw-format paths.</summary>
public static class LedgerQueries
{
    /// <summary>The table, as migration 0004 creates it.</summary>
    public const string Table = "pipeline_ledger";

    /// <summary>Inserts ledger rows.</summary>
    public static Task WriteLedgerAsync(this ClickHouseStore store, IReadOnlyList<LedgerRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.InsertAsync(Table, rows, cancellationToken);
    }

    /// <summary>The ledger entries of these conversation ids (any tenant), latest version per partition.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(this ClickHouseStore store, IReadOnlyCollection<string> conversationIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(conversationIds);
        if (conversationIds.Count == 0) return [];
        var ids = new StringBuilder();
        foreach (var id in conversationIds)
        {
            if (ids.Length > 0) ids.Append(", ");
            ids.Append(SqlText.Quote(id));
        }
        // Versions only grow, so the newest row of a partition has the highest offset and message count.
        var rows = await store.QueryAsync<LedgerRow>(
            $"SELECT tenant, conversation_id, any(date) AS date, topic, partition, max(last_offset) AS last_offset, max(messages) AS messages, " +
            $"max(finalized_at) AS finalized_at, max(version) AS version FROM {Table} WHERE conversation_id IN ({ids}) " +
            "GROUP BY conversation_id, tenant, topic, partition", cancellationToken).ConfigureAwait(false);
        return rows
            .GroupBy(r => (r.Tenant, r.ConversationId))
            .Select(g => new LedgerEntry(g.Key.Tenant, g.Key.ConversationId,
                g.ToDictionary(r => (r.Topic, r.Partition), r => r.LastOffset), g.Max(r => r.Messages)))
            .ToList();
    }

    /// <summary>Ledger rows for one finalization: one per partition it read.</summary>
    public static IReadOnlyList<LedgerRow> Rows(string tenant, string conversationId, DateOnly date,
        IReadOnlyDictionary<(string Topic, int Partition), long> lastOffsets, ulong messages, DateTime finalizedAt, ulong version)
    {
        ArgumentNullException.ThrowIfNull(lastOffsets);
        return lastOffsets.Select(kv => new LedgerRow
        {
            Tenant = tenant,
            ConversationId = conversationId,
            Date = date,
            Topic = kv.Key.Topic,
            Partition = kv.Key.Partition,
            LastOffset = kv.Value,
            Messages = messages,
            FinalizedAt = finalizedAt,
            Version = version,
        }).OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition).ToList();
    }

}
