SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency.drill_sessions: rules S1-S3 (docs/data-model.md, docs/rules.md).
-- Users at each level; a pack with questions q1..q3 (DRAFT for now).

INSERT INTO residency.users (id, email) VALUES
    ('00000000-0000-0000-0000-0000000000a1', 'locked@example.org'),
    ('00000000-0000-0000-0000-0000000000a2', 'basic@example.org'),
    ('00000000-0000-0000-0000-0000000000a3', 'pro@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id <> '00000000-0000-0000-0000-0000000000a1';
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a3';

CREATE FUNCTION test_pack(p_version text, p_questions int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object(
    'version', p_version,
    'metadata', jsonb_build_object(
        'title', 'Residency interviews ' || p_version, 'description', 'Test pack',
        'categories', '["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]'::jsonb),
    'questions', (SELECT jsonb_agg(jsonb_build_object(
                      'id', 'q' || n, 'category', 'Teamwork', 'prompt', 'Question ' || n,
                      'expected_duration_s', 90, 'evaluation_criteria', '["Gives an example"]'::jsonb) ORDER BY n)
                  FROM generate_series(1, p_questions) AS n))
$$;
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by) VALUES
    ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'Pack one', test_pack('1.0.0', 3), '00000000-0000-0000-0000-0000000000a3'),
    ('00000000-0000-0000-0000-0000000000c2', '2.0.0', 'Pack two', test_pack('2.0.0', 5), '00000000-0000-0000-0000-0000000000a3');

-- A valid evaluation for a session (E1-E3 hold; see evaluation_results.sql).
CREATE FUNCTION evaluate(p_session uuid) RETURNS void LANGUAGE sql AS $$
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
SELECT p_session, r.id, 60, 120, 120, 75,
       (SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', c || ' is fine'))
        FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
       '["Add one number"]', 'One number per story.', 'test-model/1', 1500
FROM residency.drill_responses AS r WHERE r.session_id = p_session
$$;

-- What a session's transition columns hold, as facts that do not depend on the clock.
CREATE VIEW session_times AS
SELECT id, status,
       submitted_at IS NOT NULL AS submitted,
       processing_started_at IS NOT NULL AS processing,
       completed_at IS NOT NULL AS completed,
       processing_time_ms IS NOT NULL AS timed,
       (submitted_at IS NULL OR started_at <= submitted_at)
       AND (processing_started_at IS NULL OR submitted_at <= processing_started_at)
       AND (completed_at IS NULL OR processing_started_at <= completed_at) AS in_order,
       processing_time_ms >= 1 AS time_at_least_1ms,
       processing_time_ms = greatest(1, ceil(extract(epoch FROM completed_at - processing_started_at) * 1000)) AS time_matches
FROM residency.drill_sessions;

-------------------------------------------------------------------------------
-- S1: a new session
-------------------------------------------------------------------------------
-- S1: no pack is ACTIVE yet, so no session can start
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1');
\echo :SQLSTATE
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- S1: a BASIC user starts a session on a question of the ACTIVE pack;
-- content_pack_id and content_pack_version are taken from that pack
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a2', 'q1');
SELECT status, content_pack_id, content_pack_version FROM residency.drill_sessions
WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- S1: a PRO user may start a session too
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000a3', 'q2');
-- S1: a user that does not exist is refused
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000ff', 'q1');
\echo :SQLSTATE
-- S1: a LOCKED user is refused with 42501
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a1', 'q1');
\echo :SQLSTATE
-- S1: a question that is not in the ACTIVE pack is refused
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a2', 'q4');
\echo :SQLSTATE
-- S1: a question of a pack that is not ACTIVE is refused (q4 exists only in the DRAFT pack two)
INSERT INTO residency.drill_sessions (user_id, question_id, content_pack_id)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q4', '00000000-0000-0000-0000-0000000000c2');
\echo :SQLSTATE
-- S1: a content_pack_id that is not the ACTIVE pack is refused
INSERT INTO residency.drill_sessions (user_id, question_id, content_pack_id)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', '00000000-0000-0000-0000-0000000000c2');
\echo :SQLSTATE
-- S1: a content_pack_version that is not the ACTIVE pack's is refused
INSERT INTO residency.drill_sessions (user_id, question_id, content_pack_version)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', '2.0.0');
\echo :SQLSTATE
-- S1: the ACTIVE pack's own id and version may be given
INSERT INTO residency.drill_sessions (id, user_id, question_id, content_pack_id, content_pack_version)
VALUES ('00000000-0000-0000-0000-0000000000e3', '00000000-0000-0000-0000-0000000000a2', 'q3',
        '00000000-0000-0000-0000-0000000000c1', '1.0.0');
-- S1: a new session must be STARTED
INSERT INTO residency.drill_sessions (user_id, question_id, status) VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', 'SUBMITTED');
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (user_id, question_id, status) VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', 'COMPLETED');
\echo :SQLSTATE
-- S1: an explicit STARTED is accepted
INSERT INTO residency.drill_sessions (id, user_id, question_id, status)
VALUES ('00000000-0000-0000-0000-0000000000e4', '00000000-0000-0000-0000-0000000000a2', 'q1', 'STARTED');
-- S1: the transition columns must be NULL in a new session
INSERT INTO residency.drill_sessions (user_id, question_id, submitted_at)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', '2024-01-01 00:00:00+00');
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (user_id, question_id, processing_started_at)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', '2024-01-01 00:00:00+00');
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (user_id, question_id, completed_at)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', '2024-01-01 00:00:00+00');
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (user_id, question_id, processing_time_ms)
VALUES ('00000000-0000-0000-0000-0000000000a2', 'q1', 10);
\echo :SQLSTATE
-- S1: service_role is held to the same rules
SET ROLE service_role;
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a1', 'q1');
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000e5', '00000000-0000-0000-0000-0000000000a2', 'q2');
RESET ROLE;
-- S1: a user who falls back to LOCKED keeps the sessions already started, but cannot start new ones
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000a3';
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a3', 'q1');
\echo :SQLSTATE
SELECT count(*) AS sessions_kept FROM residency.drill_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a3';
SELECT * FROM session_times ORDER BY id;

-------------------------------------------------------------------------------
-- S2: status transitions
-------------------------------------------------------------------------------
-- S2: STARTED -> SUBMITTED without a response is refused
UPDATE residency.drill_sessions SET status = 'SUBMITTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: STARTED -> STARTED is refused ("already STARTED")
UPDATE residency.drill_sessions SET status = 'STARTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: STARTED -> PROCESSING is refused
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: STARTED -> COMPLETED is refused
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: STARTED -> FAILED is refused
UPDATE residency.drill_sessions SET status = 'FAILED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: a status outside the enumeration is refused
UPDATE residency.drill_sessions SET status = 'CANCELLED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: STARTED -> SUBMITTED happens when the response is inserted
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e1', 'I led the handover after a night shift.');
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- S2: SUBMITTED -> SUBMITTED is refused ("already SUBMITTED")
UPDATE residency.drill_sessions SET status = 'SUBMITTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: SUBMITTED -> STARTED is refused
UPDATE residency.drill_sessions SET status = 'STARTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: SUBMITTED -> COMPLETED is refused
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: SUBMITTED -> FAILED is refused
UPDATE residency.drill_sessions SET status = 'FAILED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: SUBMITTED -> PROCESSING is allowed
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- S2: PROCESSING -> PROCESSING is refused ("already PROCESSING")
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: PROCESSING -> SUBMITTED is refused
UPDATE residency.drill_sessions SET status = 'SUBMITTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: PROCESSING -> COMPLETED without an evaluation is refused
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: PROCESSING -> COMPLETED happens when the evaluation is inserted
SELECT evaluate('00000000-0000-0000-0000-0000000000e1');
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- S2: COMPLETED -> COMPLETED is refused ("already COMPLETED")
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: COMPLETED -> FAILED is refused
UPDATE residency.drill_sessions SET status = 'FAILED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: COMPLETED -> PROCESSING is refused
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: COMPLETED -> STARTED is refused
UPDATE residency.drill_sessions SET status = 'STARTED' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S2: PROCESSING -> FAILED is allowed
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-0000000000e2', 'https://cdn.example.org/e2.m4a', 75);
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e2';
UPDATE residency.drill_sessions SET status = 'FAILED', metadata = '{"reason": "transcription failed"}'
WHERE id = '00000000-0000-0000-0000-0000000000e2';
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000e2';
-- S2: FAILED -> FAILED is refused ("already FAILED")
UPDATE residency.drill_sessions SET status = 'FAILED' WHERE id = '00000000-0000-0000-0000-0000000000e2';
\echo :SQLSTATE
-- S2: FAILED -> PROCESSING is refused (no retry of a failed session)
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e2';
\echo :SQLSTATE
-- S2: FAILED -> COMPLETED is refused
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = '00000000-0000-0000-0000-0000000000e2';
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- S3: timestamps and immutable columns
-------------------------------------------------------------------------------
-- S3: a metadata-only update is allowed and is not a transition
UPDATE residency.drill_sessions SET metadata = '{"device": "ios"}' WHERE id = '00000000-0000-0000-0000-0000000000e3';
SELECT status, metadata FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000e3';
-- S3: ... also on a finished session
UPDATE residency.drill_sessions SET metadata = metadata || '{"reviewed": true}' WHERE id = '00000000-0000-0000-0000-0000000000e2';
SELECT status, metadata FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000e2';
-- S3: user_id cannot change
UPDATE residency.drill_sessions SET user_id = '00000000-0000-0000-0000-0000000000a3' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: question_id cannot change
UPDATE residency.drill_sessions SET question_id = 'q2' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: content_pack_id cannot change
UPDATE residency.drill_sessions SET content_pack_id = '00000000-0000-0000-0000-0000000000c2' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: content_pack_version cannot change
UPDATE residency.drill_sessions SET content_pack_version = '1.0.1' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: started_at cannot change
UPDATE residency.drill_sessions SET started_at = '2024-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: writing an immutable column's own value back is not a change
UPDATE residency.drill_sessions SET user_id = user_id, started_at = started_at WHERE id = '00000000-0000-0000-0000-0000000000e3';
-- S3: submitted_at is set by the transition only
UPDATE residency.drill_sessions SET submitted_at = '2024-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
-- S3: processing_started_at is set by the transition only
UPDATE residency.drill_sessions SET processing_started_at = NULL WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S3: completed_at is set by the transition only
UPDATE residency.drill_sessions SET completed_at = completed_at WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S3: processing_time_ms is set by the transition only
UPDATE residency.drill_sessions SET processing_time_ms = 5 WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- S3: ... even together with a valid transition
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e3', 'We rebuilt the rota together.');
UPDATE residency.drill_sessions SET status = 'PROCESSING', processing_started_at = '2024-01-01 00:00:00+00'
WHERE id = '00000000-0000-0000-0000-0000000000e3';
\echo :SQLSTATE
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000e3';
-- S3: the timestamps of every session so far
SELECT * FROM session_times ORDER BY id;

-------------------------------------------------------------------------------
-- Full lifecycles, inside one transaction each (the transitions use the
-- wall clock, so their times still increase and processing_time_ms >= 1)
-------------------------------------------------------------------------------
-- STARTED -> SUBMITTED -> PROCESSING -> COMPLETED
BEGIN;
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000a2', 'q3');
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000f1';
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000f1', 'I called the family and explained the delay.');
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000f1';
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000f1';
SELECT evaluate('00000000-0000-0000-0000-0000000000f1');
COMMIT;
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000f1';
-- STARTED -> SUBMITTED -> PROCESSING -> FAILED
BEGIN;
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000f2', '00000000-0000-0000-0000-0000000000a2', 'q3');
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-0000000000f2', 'https://cdn.example.org/f2.m4a', 30);
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000f2';
UPDATE residency.drill_sessions SET status = 'FAILED' WHERE id = '00000000-0000-0000-0000-0000000000f2';
COMMIT;
SELECT * FROM session_times WHERE id = '00000000-0000-0000-0000-0000000000f2';

-------------------------------------------------------------------------------
-- A session keeps its pack when another pack is activated
-------------------------------------------------------------------------------
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c2';
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000f3', '00000000-0000-0000-0000-0000000000a2', 'q5');
SELECT question_id, content_pack_version, count(*) AS sessions FROM residency.drill_sessions
GROUP BY question_id, content_pack_version ORDER BY content_pack_version, question_id;
-- sessions go with their user, and their responses and evaluations with them
DELETE FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a2';
SELECT (SELECT count(*) FROM residency.drill_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a2') AS sessions,
       (SELECT count(*) FROM residency.drill_responses) AS responses,
       (SELECT count(*) FROM residency.evaluation_results) AS evaluations;

DROP VIEW session_times;
DROP FUNCTION evaluate(uuid);
DROP FUNCTION test_pack(text, int);
