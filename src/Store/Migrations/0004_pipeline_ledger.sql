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

-- Surveys and QA scores join their conversation by (tenant, conversation_id) when they carry a tenant: two tenants
-- may reuse a conversation id, and a survey naming one of them must not attach to the other (migration 0003 joined
-- by id alone). The pipeline fills a missing tenant from the conversation it remembers or from the ledger; only
-- events it could not place stay under 'default' and still join by conversation id alone.
DROP TABLE IF EXISTS v_conversations;

CREATE VIEW IF NOT EXISTS v_conversations AS
SELECT
    tenant, conversation_id, date, toMonday(date) AS week, toStartOfMonth(date) AS month,
    agent_id, team_id, campaign, queue, channel, language, started_at, ended_at, duration_s, turns,
    customer_start_label, customer_start_score, customer_end_label, customer_end_score,
    negative_to_positive, started_negative, shift,
    driver_agent, driver_process, driver_product, driver_prior_experience,
    primary_driver, process_topic, agent_focus, experience_index, memorable_moments, negative_load, alerts,
    finalized_reason, model_version, version,
    ifNull(t_nps, d_nps) AS nps, ifNull(t_csat, d_csat) AS csat, ifNull(t_qa_score, d_qa_score) AS qa_score
FROM
(
    SELECT *
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
            argMaxIf(nps, version, kind = 'survey') AS t_nps,
            argMaxIf(csat, version, kind = 'survey') AS t_csat,
            argMaxIf(qa_score, version, kind = 'qa_score') AS t_qa_score
        FROM conversation_events
        WHERE tenant != 'default'
        GROUP BY tenant, conversation_id
    ) USING (tenant, conversation_id)
)
ANY LEFT JOIN
(
    SELECT
        conversation_id,
        argMaxIf(nps, version, kind = 'survey') AS d_nps,
        argMaxIf(csat, version, kind = 'survey') AS d_csat,
        argMaxIf(qa_score, version, kind = 'qa_score') AS d_qa_score
    FROM conversation_events
    WHERE tenant = 'default'
    GROUP BY conversation_id
) USING (conversation_id);
