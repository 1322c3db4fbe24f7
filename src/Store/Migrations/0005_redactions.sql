-- 0005_redactions: how many values of each type the ingest stage redacted, per utterance (docs/privacy.md). Counts only:
-- the values themselves never reach ClickHouse. The redactor writes one placeholder (<card>, <iban>, <account>, <email>,
-- <phone>, <id>) for every value it removes and turns placeholders that a speaker typed into plain words, so the
-- placeholders in a stored text are exactly its redactions; the materialized view counts them as utterance rows are
-- inserted. The table is keyed like utterances and replaced by version the same way, so a replayed or re-finalized
-- conversation replaces its counts instead of adding to them. Utterances written before this migration are not counted.
CREATE TABLE IF NOT EXISTS utterance_redactions
(
    tenant String,
    conversation_id String,
    date Date,
    segment_id String,
    card UInt16,
    iban UInt16,
    account UInt16,
    email UInt16,
    phone UInt16,
    id UInt16,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, segment_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_utterance_redactions TO utterance_redactions AS
SELECT
    tenant, conversation_id, date, segment_id,
    toUInt16(length(extractAll(text, '<card>'))) AS card,
    toUInt16(length(extractAll(text, '<iban>'))) AS iban,
    toUInt16(length(extractAll(text, '<account>'))) AS account,
    toUInt16(length(extractAll(text, '<email>'))) AS email,
    toUInt16(length(extractAll(text, '<phone>'))) AS phone,
    toUInt16(length(extractAll(text, '<id>'))) AS id,
    version
FROM utterances;

-- Per conversation: the current counts (latest version of every utterance).
CREATE VIEW IF NOT EXISTS v_redactions AS
SELECT
    tenant, conversation_id, date,
    countIf(card + iban + account + email + phone + id > 0) AS utterances_redacted,
    sum(card) AS cards, sum(iban) AS ibans, sum(account) AS accounts, sum(email) AS emails, sum(phone) AS phones, sum(id) AS ids
FROM utterance_redactions FINAL
GROUP BY tenant, conversation_id, date;

-- Per tenant and day, for dashboards: utterances seen, utterances with a redaction, values per type.
CREATE VIEW IF NOT EXISTS v_redactions_daily AS
SELECT
    tenant, date,
    count() AS utterances,
    countIf(card + iban + account + email + phone + id > 0) AS utterances_redacted,
    sum(card) AS cards, sum(iban) AS ibans, sum(account) AS accounts, sum(email) AS emails, sum(phone) AS phones, sum(id) AS ids
FROM utterance_redactions FINAL
GROUP BY tenant, date;
