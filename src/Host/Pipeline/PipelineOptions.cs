using System.ComponentModel.DataAnnotations;

namespace Emotion.Host.Pipeline;

/// <summary>Settings of <c>emotion run</c> (configuration section "Pipeline").</summary>
public sealed class PipelineOptions
{
    /// <summary>Capacity of the channel between the Kafka consumer and the scoring loop; when full, the consumer waits.</summary>
    [Range(16, 1_000_000)]
    public int InputCapacity { get; set; } = 8192;

    /// <summary>Most messages the scoring loop takes in one turn (and so the largest inference batch).</summary>
    [Range(1, 4096)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>How long the scoring loop waits to fill a batch once it has at least one message.</summary>
    [Range(0, 1000)]
    public int BatchWaitMs { get; set; } = 5;

    /// <summary>A conversation with no message for this long is finalized with reason <c>idle_timeout</c>.</summary>
    [Range(1, 86_400)]
    public int IdleTimeoutS { get; set; } = 300;

    /// <summary>After <c>ended</c>, how long to wait for transcript segments still in flight on the other topic.</summary>
    [Range(0, 600)]
    public int EndGraceS { get; set; } = 3;

    /// <summary>After <c>ended</c> (and every announced segment), how long to wait for audio still in flight on the audio
    /// topic when a channel has not sent its <c>last</c> chunk. Audio is bulkier than text and may lag behind it.</summary>
    [Range(0, 600)]
    public int AudioEndGraceS { get; set; } = 10;

    /// <summary>How long a finalized conversation is remembered so that a late segment re-finalizes it whole.</summary>
    [Range(0, 86_400)]
    public int FinalizedMemoryS { get; set; } = 600;

    /// <summary>Capacity (in write items) of the channel to the ClickHouse writer.</summary>
    [Range(1, 1_000_000)]
    public int WriteCapacity { get; set; } = 64;

    /// <summary>On a stop, how long the writer may still wait for ClickHouse (an outage) before it gives the last writes up
    /// (they are read again by the next run).</summary>
    [Range(0, 3600)]
    public int ShutdownGraceS { get; set; } = 30;

    /// <summary>When set, <c>emotion run</c> exits once messages were seen, every conversation is finalized and none came for this many seconds.</summary>
    [Range(0.1, 86_400)]
    public double? ExitWhenIdleS { get; set; }

    /// <summary>Flush to ClickHouse when this many utterance rows are pending...</summary>
    [Range(1, 1_000_000)]
    public int FlushRows { get; set; } = 5000;

    /// <summary>...or when the oldest pending row has waited this long: live utterance rows and alerts (what a supervisor
    /// watches during a call).</summary>
    [Range(1, 60_000)]
    public int FlushIntervalMs { get; set; } = 200;

    /// <summary>The same for finalized conversations, events and the ledger (the writer's durable lane). Longer than the
    /// live lane's: a finalization inserts into a dozen tables (and their materialized views), and fewer, larger inserts
    /// cost ClickHouse less; the Kafka offsets are committed after these writes.</summary>
    [Range(1, 60_000)]
    public int FinalizedFlushIntervalMs { get; set; } = 1000;
}
