-- 0001_initial: the base tables.
-- Runs on ClickHouse 18.16 (Debian) and current releases: no LowCardinality, no DateTime64, no JSON type,
-- new-style MergeTree syntax. Every table is a ReplacingMergeTree keyed so that a replayed write of the same
-- logical row replaces it: the sorting key (ORDER BY) is the row's identity and `version` (supplied by the
-- writer) picks the survivor. Duplicates collapse only inside one partition, so the partition expression
-- uses `date`, the conversation's start date (UTC), which a replay reproduces. Reads use FINAL or argMax.

-- One row per scored utterance (transcript segment). A partial and its final share segment_id; the final has the higher version.
CREATE TABLE IF NOT EXISTS utterances
(
    tenant String,
    conversation_id String,
    date Date,
    segment_id String,
    turn UInt32,
    speaker String,
    start_ms UInt64,
    end_ms UInt64,
    text String,
    lang String,
    phase String,
    valence Float32,
    label Int8,
    p_negative Float32,
    p_neutral Float32,
    p_positive Float32,
    emotion String,
    emotion_confidence Float32,
    emotion_labels Array(String),
    emotion_probs Array(Float32),
    is_final UInt8,
    model_version String,
    produced_at DateTime('UTC'),
    produced_at_ms UInt64,
    scored_at DateTime('UTC'),
    scored_at_ms UInt64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, segment_id);

-- One row per finalized conversation: metadata and the per-contact results of the analysis.
CREATE TABLE IF NOT EXISTS conversations
(
    tenant String,
    conversation_id String,
    date Date,
    agent_id String,
    team_id String,
    campaign String,
    queue String,
    channel String,
    language String,
    started_at DateTime('UTC'),
    ended_at DateTime('UTC'),
    duration_s Float32,
    turns UInt32,
    customer_start_label Int8,
    customer_start_score Float32,
    customer_end_label Int8,
    customer_end_score Float32,
    negative_to_positive UInt8,
    started_negative UInt8,
    shift Float32,
    driver_agent Float32,
    driver_process Float32,
    driver_product Float32,
    driver_prior_experience Float32,
    primary_driver String,
    process_topic String,
    agent_focus String,
    experience_index Float32,
    memorable_moments UInt16,
    negative_load Float32,
    alerts UInt16,
    finalized_reason String,
    finalized_at DateTime('UTC'),
    analysis_json String,
    model_version String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id);

-- Facts that arrive apart from the transcript: surveys (NPS, CSAT) and QA scores. One row per conversation and kind;
-- the latest version wins. Partitioned by the event's own date, so reads use argMax(..., version), not FINAL.
CREATE TABLE IF NOT EXISTS conversation_events
(
    tenant String,
    conversation_id String,
    date Date,
    kind String,
    nps Nullable(Int8),
    csat Nullable(Float32),
    qa_score Nullable(Float32),
    received_at DateTime('UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, kind);

-- Phase emotionality: per conversation, phase and speaker.
CREATE TABLE IF NOT EXISTS conversation_phases
(
    tenant String,
    conversation_id String,
    date Date,
    phase String,
    phase_order UInt8,
    speaker String,
    mean_valence Float32,
    min_valence Float32,
    negative_share Float32,
    dominant_emotion String,
    turns UInt32,
    seconds Float32,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, phase, speaker);

-- Emotional-driver attribution: per conversation, driver (agent, process, product, prior_experience) and topic.
-- A process driver has one row per topic (share = that topic's part of the whole negative mass, topic 'none' when
-- unknown); the other drivers have one row with topic ''. A conversation's shares sum to 1 when it had negative emotion.
CREATE TABLE IF NOT EXISTS conversation_drivers
(
    tenant String,
    conversation_id String,
    date Date,
    driver String,
    share Float32,
    topic String,
    evidence_turns Array(UInt32),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, driver, topic);

-- Agent behaviour problems found in a conversation: interruptions, hold_time (long holds), long_silence, empathy
-- (missing empathy), ownership (missing ownership), clarity (unclear answers). Higher count is worse for every one.
CREATE TABLE IF NOT EXISTS agent_behaviours
(
    tenant String,
    conversation_id String,
    date Date,
    behaviour String,
    count UInt32,
    seconds Float32,
    evidence_turns Array(UInt32),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, behaviour);

-- Memorable moments: strongly positive customer peaks.
CREATE TABLE IF NOT EXISTS memorable_moments
(
    tenant String,
    conversation_id String,
    date Date,
    turn UInt32,
    valence Float32,
    emotion String,
    text String,
    after_negative_start UInt8,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, turn);

-- Alerts raised while a conversation was turning negative (live) or found when it was analysed.
CREATE TABLE IF NOT EXISTS alerts
(
    tenant String,
    conversation_id String,
    date Date,
    turn UInt32,
    rule String,
    reason String,
    valence_trend Float32,
    source String,
    produced_at DateTime('UTC'),
    produced_at_ms UInt64,
    alerted_at DateTime('UTC'),
    alerted_at_ms UInt64,
    delay_ms UInt64,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, rule, turn);
