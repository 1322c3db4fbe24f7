-- 0008_console_reads: tables that let the web console answer from a key range instead of scanning (BENCHMARKS.md,
-- "Web console").
--
-- utterance_words: one row per distinct lower-cased word of each utterance row, filled by a materialized view as
-- utterances are inserted, so the explorer's "words said" search is a range of the key (word, tenant, ...) instead of a
-- case-insensitive substring scan of every text of the tenant. A word is a run of Unicode letters and digits. Keyed like
-- utterances after the word and replaced by version the same way: a replayed utterance adds nothing. A turn whose text
-- changed (a partial replaced by its final under the same segment_id) keeps the words of both versions, as the search
-- over utterances without FINAL did before.
CREATE TABLE IF NOT EXISTS utterance_words
(
    word String,
    tenant String,
    date Date,
    conversation_id String,
    segment_id String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (word, tenant, conversation_id, segment_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_utterance_words TO utterance_words AS
SELECT word, tenant, date, conversation_id, segment_id, version
FROM utterances
ARRAY JOIN arrayDistinct(extractAll(lowerUTF8(text), '[\\pL\\pN]+')) AS word;

-- The utterances stored before this migration, with the view's own expression. Running it again (a migration
-- interrupted after this statement) inserts rows with the same keys, which the table's replacement collapses.
INSERT INTO utterance_words
SELECT word, tenant, date, conversation_id, segment_id, version
FROM utterances
ARRAY JOIN arrayDistinct(extractAll(lowerUTF8(text), '[\\pL\\pN]+')) AS word;

-- Daily sums of the finalized conversations, per client (campaign, queue) and per agent, filled by materialized views
-- as conversation rows are inserted, so the client dashboard and the coaching pages add up a few rows per day instead
-- of deduplicating every conversation of the period with FINAL. A view sees each inserted row and cannot take back a
-- row that a later version replaces, so these sums are exact only for a day whose conversations were each written
-- once. conversation_days says which days those are: per tenant and day, the rows written and the distinct
-- conversations among them. A conversation's rows all carry its start date, so a replayed or re-finalized conversation
-- makes its day's two counts differ, and the console reads such a day from the base tables (ConsoleQueries).
CREATE TABLE IF NOT EXISTS conversation_days
(
    tenant String,
    date Date,
    rows AggregateFunction(count),
    conversations AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, date);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_conversation_days TO conversation_days AS
SELECT tenant, date, countState() AS rows, uniqExactState(conversation_id) AS conversations
FROM conversations
GROUP BY tenant, date;

CREATE TABLE IF NOT EXISTS client_daily
(
    tenant String,
    date Date,
    campaign String,
    queue String,
    contacts AggregateFunction(count),
    ei_sum AggregateFunction(sum, Float64),
    started_negative_n AggregateFunction(sum, UInt64),
    converted AggregateFunction(sum, UInt64),
    moments AggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, date, campaign, queue);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_client_daily TO client_daily AS
SELECT tenant, date, campaign, queue, countState() AS contacts, sumState(toFloat64(experience_index)) AS ei_sum,
    sumState(toUInt64(started_negative)) AS started_negative_n, sumState(toUInt64(negative_to_positive)) AS converted,
    sumState(toUInt64(memorable_moments)) AS moments
FROM conversations
GROUP BY tenant, date, campaign, queue;

CREATE TABLE IF NOT EXISTS agent_daily
(
    tenant String,
    date Date,
    team_id String,
    agent_id String,
    contacts AggregateFunction(count),
    started_negative_n AggregateFunction(sum, UInt64),
    converted AggregateFunction(sum, UInt64),
    agent_load AggregateFunction(sum, Float64),
    negative_load_sum AggregateFunction(sum, Float64),
    ei_sum AggregateFunction(sum, Float64)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, date, team_id, agent_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_agent_daily TO agent_daily AS
SELECT tenant, date, team_id, agent_id, countState() AS contacts,
    sumState(toUInt64(started_negative)) AS started_negative_n, sumState(toUInt64(negative_to_positive)) AS converted,
    sumState(toFloat64(driver_agent * negative_load)) AS agent_load, sumState(toFloat64(negative_load)) AS negative_load_sum,
    sumState(toFloat64(experience_index)) AS ei_sum
FROM conversations
GROUP BY tenant, date, team_id, agent_id;

-- The conversations stored before this migration, with the views' own expressions. conversation_days counts the rows
-- as stored (without FINAL), so a day that still holds two versions of a conversation is marked; the sums take one
-- row per conversation (FINAL), which is what the console reads on the days that are not marked. A row that arrives
-- between a view's creation and these statements is counted twice, which conversation_days shows for its day.
-- conversation_days is filled first: if the migration is interrupted and runs again, its counts are doubled too, so
-- every day reads from the base tables (exact, slower) rather than from doubled sums.
INSERT INTO conversation_days
SELECT tenant, date, countState() AS rows, uniqExactState(conversation_id) AS conversations
FROM conversations
GROUP BY tenant, date;

INSERT INTO client_daily
SELECT tenant, date, campaign, queue, countState() AS contacts, sumState(toFloat64(experience_index)) AS ei_sum,
    sumState(toUInt64(started_negative)) AS started_negative_n, sumState(toUInt64(negative_to_positive)) AS converted,
    sumState(toUInt64(memorable_moments)) AS moments
FROM conversations FINAL
GROUP BY tenant, date, campaign, queue;

INSERT INTO agent_daily
SELECT tenant, date, team_id, agent_id, countState() AS contacts,
    sumState(toUInt64(started_negative)) AS started_negative_n, sumState(toUInt64(negative_to_positive)) AS converted,
    sumState(toFloat64(driver_agent * negative_load)) AS agent_load, sumState(toFloat64(negative_load)) AS negative_load_sum,
    sumState(toFloat64(experience_index)) AS ei_sum
FROM conversations FINAL
GROUP BY tenant, date, team_id, agent_id;
