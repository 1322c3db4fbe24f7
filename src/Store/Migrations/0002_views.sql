-- 0002_views: deduplicated views for reports and Grafana.
-- The rule for analysis rows: a conversation's phase, driver, behaviour and moment rows count only when their
-- version equals the version of the conversation's latest row (conversations FINAL). The writer stores these
-- rows before the conversation row, so a conversation row's version commits the analysis written with it, and a
-- re-analysis that drops a moment or driver leaves no stale row in the results.
-- Period columns: day = date (conversation start date, UTC), week = toMonday(date), month = toStartOfMonth(date).

-- Latest row per conversation with its latest survey and QA score.
CREATE VIEW IF NOT EXISTS v_conversations AS
SELECT
    tenant, conversation_id, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
    agent_id, team_id, campaign, queue, channel, language, started_at, ended_at, duration_s, turns,
    customer_start_label, customer_start_score, customer_end_label, customer_end_score,
    negative_to_positive, started_negative, shift,
    driver_agent, driver_process, driver_product, driver_prior_experience,
    primary_driver, process_topic, agent_focus, experience_index, memorable_moments, negative_load, alerts,
    finalized_reason, model_version, version, nps, csat, qa_score
FROM
(
    SELECT
        tenant, conversation_id, date, agent_id, team_id, campaign, queue, channel, language, started_at, ended_at,
        duration_s, turns, customer_start_label, customer_start_score, customer_end_label, customer_end_score,
        negative_to_positive, started_negative, shift, driver_agent, driver_process, driver_product,
        driver_prior_experience, primary_driver, process_topic, agent_focus, experience_index, memorable_moments,
        negative_load, alerts, finalized_reason, model_version, version
    FROM conversations FINAL
)
ANY LEFT JOIN
(
    SELECT
        tenant, conversation_id,
        argMaxIf(nps, version, kind = 'survey') AS nps,
        argMaxIf(csat, version, kind = 'survey') AS csat,
        argMaxIf(qa_score, version, kind = 'qa_score') AS qa_score
    FROM conversation_events
    GROUP BY tenant, conversation_id
) USING (tenant, conversation_id);

-- Phase emotionality of current analyses, with the conversation's dimensions.
CREATE VIEW IF NOT EXISTS v_phases AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    phase, phase_order, speaker, mean_valence, min_valence, negative_share, dominant_emotion, turns, seconds
FROM
(
    SELECT tenant, conversation_id, version, phase, phase_order, speaker, mean_valence, min_valence,
        negative_share, dominant_emotion, turns, seconds
    FROM conversation_phases FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue
    FROM conversations FINAL
) USING (tenant, conversation_id, version);

-- Driver shares of current analyses.
CREATE VIEW IF NOT EXISTS v_drivers AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    driver, share, topic, evidence_turns
FROM
(
    SELECT tenant, conversation_id, version, driver, share, topic, evidence_turns
    FROM conversation_drivers FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue
    FROM conversations FINAL
) USING (tenant, conversation_id, version);

-- Agent behaviours of current analyses.
CREATE VIEW IF NOT EXISTS v_behaviours AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    behaviour, count, seconds, evidence_turns
FROM
(
    SELECT tenant, conversation_id, version, behaviour, count, seconds, evidence_turns
    FROM agent_behaviours FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue
    FROM conversations FINAL
) USING (tenant, conversation_id, version);

-- Memorable moments of current analyses.
CREATE VIEW IF NOT EXISTS v_memorable_moments AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    turn, valence, emotion, text, after_negative_start
FROM
(
    SELECT tenant, conversation_id, version, turn, valence, emotion, text, after_negative_start
    FROM memorable_moments FINAL
)
ALL INNER JOIN
(
    SELECT tenant, conversation_id, version, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
        agent_id, team_id, campaign, queue
    FROM conversations FINAL
) USING (tenant, conversation_id, version);

-- Additive daily sums per agent: roll up to week or month with sum(), then divide.
-- conversion rate = sum(converted_contacts) / sum(started_negative_contacts);
-- agent-attributed negative share = sum(agent_negative_load_sum) / sum(negative_load_sum).
CREATE VIEW IF NOT EXISTS v_agent_daily AS
SELECT
    tenant, team_id, agent_id, date,
    count() AS contacts,
    sum(started_negative) AS started_negative_contacts,
    sum(negative_to_positive) AS converted_contacts,
    sum(driver_agent * negative_load) AS agent_negative_load_sum,
    sum(negative_load) AS negative_load_sum,
    sum(experience_index) AS experience_index_sum,
    sum(memorable_moments) AS memorable_moments_sum
FROM v_conversations
GROUP BY tenant, team_id, agent_id, date;

-- Additive daily sums per client (tenant), campaign and queue.
CREATE VIEW IF NOT EXISTS v_client_daily AS
SELECT
    tenant, campaign, queue, date,
    count() AS contacts,
    sum(experience_index) AS experience_index_sum,
    sum(started_negative) AS started_negative_contacts,
    sum(negative_to_positive) AS converted_contacts,
    sum(memorable_moments) AS memorable_moments_sum,
    sum(negative_load) AS negative_load_sum,
    sum(driver_process * negative_load) AS process_negative_load_sum,
    countIf(isNotNull(nps)) AS surveys,
    sumIf(toFloat64(assumeNotNull(nps)), isNotNull(nps)) AS nps_sum
FROM v_conversations
GROUP BY tenant, campaign, queue, date;

-- Process drivers per client, campaign and day: summed share ranks the processes a client should review.
CREATE VIEW IF NOT EXISTS v_process_drivers_daily AS
SELECT
    tenant, campaign, date, topic,
    count() AS contacts,
    sum(share) AS share_sum
FROM v_drivers
WHERE driver = 'process' AND share > 0
GROUP BY tenant, campaign, date, topic;

-- Process quality (QA score) against experience index, per conversation that has a QA score,
-- with the default thresholds (QA 80, experience index 60); reports can pass other thresholds.
CREATE VIEW IF NOT EXISTS v_quality_experience AS
SELECT
    tenant, conversation_id, date, week, month, agent_id, team_id, campaign, queue,
    assumeNotNull(qa_score) AS qa, experience_index,
    multiIf(
        qa >= 80 AND experience_index >= 60, 'high_qa_high_experience',
        qa >= 80, 'high_qa_low_experience',
        experience_index >= 60, 'low_qa_high_experience',
        'low_qa_low_experience') AS quadrant
FROM v_conversations
WHERE isNotNull(qa_score);
