-- 0004_pipeline_ledger: what every finalized conversation incorporated, so that a restart never finalizes a
-- conversation again from the tail it reads after the committed offset (docs/pipeline.md, "Restarts").
-- One row per conversation and Kafka partition; the writer inserts it with the conversation's rows, before the
-- offsets are committed. Reads use max() per key, not FINAL.
CREATE TABLE IF NOT EXISTS pipeline_ledger
(
    tenant String,
    conversation_id String,
    date Date,
    topic String,
    partition Int32,
    last_offset Int64,
    messages UInt64,
    finalized_at DateTime('UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (conversation_id, tenant, topic, partition);
