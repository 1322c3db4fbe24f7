-- 0003_events_by_conversation: surveys and QA scores join their conversation by conversation id alone.
-- Surveys usually arrive after the conversation was finalized and often without the tenant (the pipeline then stores
-- 'default'), so joining on (tenant, conversation_id) lost them. Conversation ids are unique across tenants (call
-- and chat ids from the contact-center platform); a survey that names its tenant still keeps it in the table.
DROP TABLE IF EXISTS v_conversations;

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
        conversation_id,
        argMaxIf(nps, version, kind = 'survey') AS nps,
        argMaxIf(csat, version, kind = 'survey') AS csat,
        argMaxIf(qa_score, version, kind = 'qa_score') AS qa_score
    FROM conversation_events
    GROUP BY conversation_id
) USING (conversation_id);
