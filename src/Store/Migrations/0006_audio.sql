-- 0006_audio: what the audio of a conversation measured (docs/audio.md). Runs on ClickHouse 18.16 and current releases
-- (Nullable columns for measures a window may lack; no newer types). Both tables are written with the conversation's
-- finalized rows and carry its version, so a replayed or re-finalized conversation replaces them.

-- One row per speaker and window: a transcript turn on that speaker's channel (turn >= 0, segment_id set), or a fixed
-- window when the conversation has no transcript (turn = -1, segment_id empty).
CREATE TABLE IF NOT EXISTS audio_windows
(
    tenant String,
    conversation_id String,
    date Date,
    speaker String,
    start_ms UInt64,
    end_ms UInt64,
    turn Int32,
    segment_id String,
    voiced_s Float32,
    loudness_dbfs Nullable(Float32),
    pitch_median_hz Nullable(Float32),
    pitch_range_st Nullable(Float32),
    speaking_rate Nullable(Float32),
    rate_source String,
    overtalk_s Float32,
    silence_s Float32,
    arousal Nullable(Float32),
    arousal_label String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, speaker, start_ms);

-- Measured spans: overtalk (with who broke in), holds, dead air, and shorter silences.
CREATE TABLE IF NOT EXISTS audio_spans
(
    tenant String,
    conversation_id String,
    date Date,
    kind String,
    start_ms UInt64,
    end_ms UInt64,
    speaker String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, conversation_id, kind, start_ms);

-- Per conversation and speaker, for dashboards: speech, loudness, pitch, rate and arousal (current version only).
CREATE VIEW IF NOT EXISTS v_audio_speakers AS
SELECT
    tenant, conversation_id, date, speaker,
    count() AS windows,
    sum(voiced_s) AS voiced_s,
    avg(loudness_dbfs) AS loudness_dbfs,
    avg(pitch_median_hz) AS pitch_median_hz,
    avg(speaking_rate) AS speaking_rate,
    countIf(arousal_label = 'agitated') AS agitated_windows,
    countIf(arousal_label = 'calm') AS calm_windows,
    max(arousal) AS max_arousal
FROM audio_windows FINAL
GROUP BY tenant, conversation_id, date, speaker;

-- Per conversation: measured overtalk, holds, dead air and silence (current version only).
CREATE VIEW IF NOT EXISTS v_audio_spans AS
SELECT
    tenant, conversation_id, date,
    sumIf(end_ms - start_ms, kind = 'overtalk') / 1000 AS overtalk_s,
    countIf(kind = 'overtalk' AND speaker = 'agent') AS overtalk_by_agent,
    countIf(kind = 'hold') AS holds,
    sumIf(end_ms - start_ms, kind = 'hold') / 1000 AS hold_s,
    countIf(kind = 'dead_air') AS dead_air,
    sumIf(end_ms - start_ms, kind = 'dead_air') / 1000 AS dead_air_s,
    sumIf(end_ms - start_ms, kind IN ('silence', 'dead_air', 'hold')) / 1000 AS silence_s
FROM audio_spans FINAL
GROUP BY tenant, conversation_id, date;
