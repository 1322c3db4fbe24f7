-- 0007_moments_triage: moments of truth and case triage (issue 13). Keyed and versioned like the analysis tables of
-- 0001: the writer stores these rows before the conversation's row, and a row counts only when its version equals the
-- version of the conversation's latest row (conversations FINAL), so a re-finalized conversation replaces its moments
-- and its triage as a whole. Runs on ClickHouse 18.16 and current releases.

-- One row per moment of truth located in a contact: the customer's mean valence just before and just after it.
CREATE TABLE IF NOT EXISTS conversation_moments
(
    tenant String,
    conversation_id String,
    date Date,
    moment String,
    turn UInt32,
    at_s Float32,
    speaker String,
    cue String,
    before_valence Nullable(Float32),
    after_valence Nullable(Float32),
    shift Nullable(Float32),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, moment, turn);

-- One row per contact: its case class (claim, complaint, request, none), first-contact resolution, the class's
-- service-level targets at the time, and the contact reason with the known event named before it.
CREATE TABLE IF NOT EXISTS conversation_triage
(
    tenant String,
    conversation_id String,
    date Date,
    case_class String,
    reason String,
    evidence_turns Array(UInt32),
    first_contact UInt8,
    resolved UInt8,
    resolved_first_contact UInt8,
    fcr_target Nullable(Float32),
    response_hours Nullable(Float32),
    contact_reason String,
    contact_reason_kind String,
    known_event String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id);

-- Moments of truth of current analyses, with the conversation's dimensions.
CREATE VIEW IF NOT EXISTS v_moments AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    moment, turn, at_s, speaker, cue, before_valence, after_valence, shift
FROM
(
    SELECT tenant, conversation_id, version, moment, turn, at_s, speaker, cue, before_valence, after_valence, shift
    FROM conversation_moments FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue
    FROM conversations FINAL
) USING (tenant, conversation_id, version);

-- Triage and contact reason of current analyses, with the conversation's dimensions and the numbers the triage and
-- anticipation reports weigh them by.
CREATE VIEW IF NOT EXISTS v_triage AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue, language, duration_s,
    experience_index, negative_load, customer_start_label, customer_end_label,
    case_class, reason, evidence_turns, first_contact, resolved, resolved_first_contact, fcr_target, response_hours,
    contact_reason, contact_reason_kind, known_event
FROM
(
    SELECT tenant, conversation_id, version, case_class, reason, evidence_turns, first_contact, resolved,
        resolved_first_contact, fcr_target, response_hours, contact_reason, contact_reason_kind, known_event
    FROM conversation_triage FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue, language, duration_s, experience_index, negative_load,
        customer_start_label, customer_end_label
    FROM conversations FINAL
) USING (tenant, conversation_id, version);
