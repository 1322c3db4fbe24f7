-- 0009_analysis_dimensions: the conversation's agent, team, campaign and queue on its analysis rows (phases, drivers,
-- behaviours, memorable moments), so the console reads those rows by agent or campaign without merging them with FINAL
-- and joining them to the conversations (BENCHMARKS.md, "Web console"; docs/storage.md, "Console read tables").
--
-- The writer copies the four values from the conversation row onto each analysis row, and writes on the conversation row
-- how many rows of each analysis table it has (ConversationRows.WithConsoleColumns); rows stored before this migration
-- are written again with the four values below. 18.16 has no ADD COLUMN IF NOT EXISTS: the
-- migrator takes an ADD COLUMN that finds the column already there as done (a migration stopped half way, run again).
ALTER TABLE conversations ADD COLUMN phase_rows UInt16 DEFAULT 0, ADD COLUMN driver_rows UInt16 DEFAULT 0,
    ADD COLUMN behaviour_rows UInt16 DEFAULT 0, ADD COLUMN moment_rows UInt16 DEFAULT 0;

ALTER TABLE conversation_phases ADD COLUMN agent_id String DEFAULT '' AFTER date, ADD COLUMN team_id String DEFAULT '' AFTER agent_id,
    ADD COLUMN campaign String DEFAULT '' AFTER team_id, ADD COLUMN queue String DEFAULT '' AFTER campaign;

ALTER TABLE conversation_drivers ADD COLUMN agent_id String DEFAULT '' AFTER date, ADD COLUMN team_id String DEFAULT '' AFTER agent_id,
    ADD COLUMN campaign String DEFAULT '' AFTER team_id, ADD COLUMN queue String DEFAULT '' AFTER campaign;

ALTER TABLE agent_behaviours ADD COLUMN agent_id String DEFAULT '' AFTER date, ADD COLUMN team_id String DEFAULT '' AFTER agent_id,
    ADD COLUMN campaign String DEFAULT '' AFTER team_id, ADD COLUMN queue String DEFAULT '' AFTER campaign;

ALTER TABLE memorable_moments ADD COLUMN agent_id String DEFAULT '' AFTER date, ADD COLUMN team_id String DEFAULT '' AFTER agent_id,
    ADD COLUMN campaign String DEFAULT '' AFTER team_id, ADD COLUMN queue String DEFAULT '' AFTER campaign;

-- The stored rows again, each with its conversation's values (its current conversation row), under the same key and
-- version: ReplacingMergeTree keeps the row inserted last among equal versions (checked on 18.16, FINAL and merge), and
-- OPTIMIZE ... FINAL then merges the copies away. A row without a conversation row keeps empty values; it is not current.
INSERT INTO conversation_phases (tenant, conversation_id, date, agent_id, team_id, campaign, queue, phase, phase_order, speaker,
    mean_valence, min_valence, negative_share, dominant_emotion, turns, seconds, version)
SELECT tenant, conversation_id, date, c_agent, c_team, c_campaign, c_queue, phase, phase_order, speaker,
    mean_valence, min_valence, negative_share, dominant_emotion, turns, seconds, version
FROM conversation_phases
ALL INNER JOIN (SELECT tenant, conversation_id, agent_id AS c_agent, team_id AS c_team, campaign AS c_campaign, queue AS c_queue FROM conversations FINAL)
USING (tenant, conversation_id);

INSERT INTO conversation_drivers (tenant, conversation_id, date, agent_id, team_id, campaign, queue, driver, share, topic, evidence_turns, version)
SELECT tenant, conversation_id, date, c_agent, c_team, c_campaign, c_queue, driver, share, topic, evidence_turns, version
FROM conversation_drivers
ALL INNER JOIN (SELECT tenant, conversation_id, agent_id AS c_agent, team_id AS c_team, campaign AS c_campaign, queue AS c_queue FROM conversations FINAL)
USING (tenant, conversation_id);

INSERT INTO agent_behaviours (tenant, conversation_id, date, agent_id, team_id, campaign, queue, behaviour, count, seconds, evidence_turns, version)
SELECT tenant, conversation_id, date, c_agent, c_team, c_campaign, c_queue, behaviour, count, seconds, evidence_turns, version
FROM agent_behaviours
ALL INNER JOIN (SELECT tenant, conversation_id, agent_id AS c_agent, team_id AS c_team, campaign AS c_campaign, queue AS c_queue FROM conversations FINAL)
USING (tenant, conversation_id);

INSERT INTO memorable_moments (tenant, conversation_id, date, agent_id, team_id, campaign, queue, turn, valence, emotion, text, after_negative_start, version)
SELECT tenant, conversation_id, date, c_agent, c_team, c_campaign, c_queue, turn, valence, emotion, text, after_negative_start, version
FROM memorable_moments
ALL INNER JOIN (SELECT tenant, conversation_id, agent_id AS c_agent, team_id AS c_team, campaign AS c_campaign, queue AS c_queue FROM conversations FINAL)
USING (tenant, conversation_id);

OPTIMIZE TABLE conversation_phases FINAL;
OPTIMIZE TABLE conversation_drivers FINAL;
OPTIMIZE TABLE agent_behaviours FINAL;
OPTIMIZE TABLE memorable_moments FINAL;

-- Which days hold each analysis table's rows as written once, of one version per conversation: per table (source),
-- tenant and day, the rows written into the table and the rows the conversation rows written that day say they have.
-- Where each conversation row was written once (conversation_days) and the two sums are equal, every analysis row of
-- the day is the current row of its key, written once. A row written twice (a write retried after the conversation row
-- failed: the analysis rows go in first), a conversation finalized again, or analysis rows whose conversation row is
-- not written yet make the day's rows exceed what the conversation rows say; the console reads such a day through
-- FINAL and the conversation's version, as before (ConsoleQueries.ScopeAsync). Plain sums: reading a day costs a few
-- numbers, not a set of keys. Like conversation_days, a day stays marked once it is.
CREATE TABLE IF NOT EXISTS analysis_days
(
    source String,
    tenant String,
    date Date,
    written UInt64,
    expected UInt64
)
ENGINE = SummingMergeTree()
PARTITION BY toYYYYMM(date)
ORDER BY (source, tenant, date);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_analysis_days_phases TO analysis_days AS
SELECT 'conversation_phases' AS source, tenant, date, count() AS written, toUInt64(0) AS expected
FROM conversation_phases
GROUP BY tenant, date;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_analysis_days_drivers TO analysis_days AS
SELECT 'conversation_drivers' AS source, tenant, date, count() AS written, toUInt64(0) AS expected
FROM conversation_drivers
GROUP BY tenant, date;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_analysis_days_behaviours TO analysis_days AS
SELECT 'agent_behaviours' AS source, tenant, date, count() AS written, toUInt64(0) AS expected
FROM agent_behaviours
GROUP BY tenant, date;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_analysis_days_moments TO analysis_days AS
SELECT 'memorable_moments' AS source, tenant, date, count() AS written, toUInt64(0) AS expected
FROM memorable_moments
GROUP BY tenant, date;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_analysis_days_expected TO analysis_days AS
SELECT s.1 AS source, tenant, date, toUInt64(0) AS written, sum(s.2) AS expected
FROM conversations
ARRAY JOIN [('conversation_phases', toUInt64(phase_rows)), ('conversation_drivers', toUInt64(driver_rows)),
    ('agent_behaviours', toUInt64(behaviour_rows)), ('memorable_moments', toUInt64(moment_rows))] AS s
GROUP BY source, tenant, date;

-- The rows stored before this migration, once the copies above are merged: written as they are stored, expected as the
-- current rows (the key's latest version, of the conversation's current version). A copy a merge left behind, or a row
-- of an older version, makes the first exceed the second and marks its day. A row written between a view's creation and
-- these statements is counted twice, which marks its day too: slower, never wrong.
INSERT INTO analysis_days
SELECT 'conversation_phases' AS source, tenant, date, count() AS written, toUInt64(0) AS expected FROM conversation_phases GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'conversation_drivers' AS source, tenant, date, count() AS written, toUInt64(0) AS expected FROM conversation_drivers GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'agent_behaviours' AS source, tenant, date, count() AS written, toUInt64(0) AS expected FROM agent_behaviours GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'memorable_moments' AS source, tenant, date, count() AS written, toUInt64(0) AS expected FROM memorable_moments GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'conversation_phases' AS source, tenant, date, toUInt64(0) AS written, count() AS expected
FROM (SELECT tenant, conversation_id, date, version FROM conversation_phases FINAL)
ALL INNER JOIN (SELECT tenant, conversation_id, version FROM conversations FINAL) USING (tenant, conversation_id, version)
GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'conversation_drivers' AS source, tenant, date, toUInt64(0) AS written, count() AS expected
FROM (SELECT tenant, conversation_id, date, version FROM conversation_drivers FINAL)
ALL INNER JOIN (SELECT tenant, conversation_id, version FROM conversations FINAL) USING (tenant, conversation_id, version)
GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'agent_behaviours' AS source, tenant, date, toUInt64(0) AS written, count() AS expected
FROM (SELECT tenant, conversation_id, date, version FROM agent_behaviours FINAL)
ALL INNER JOIN (SELECT tenant, conversation_id, version FROM conversations FINAL) USING (tenant, conversation_id, version)
GROUP BY tenant, date;

INSERT INTO analysis_days
SELECT 'memorable_moments' AS source, tenant, date, toUInt64(0) AS written, count() AS expected
FROM (SELECT tenant, conversation_id, date, version FROM memorable_moments FINAL)
ALL INNER JOIN (SELECT tenant, conversation_id, version FROM conversations FINAL) USING (tenant, conversation_id, version)
GROUP BY tenant, date;
