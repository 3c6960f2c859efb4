SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- One home for each rule. A rule is checked once, by its trigger or its C++
-- check; the API's functions leave it to the rule and answer its refusal
-- with the API's SQLSTATE (src/core/api_errors.cpp), with the same message.
-- Each block below shows a rule through a direct write and through the API:
-- one message, two SQLSTATEs, as docs/rules.md and docs/postgrest.md say.

\set u_basic  '00000000-0000-0000-0000-00000000e001'
\set u_locked '00000000-0000-0000-0000-00000000e002'
\set u_pro    '00000000-0000-0000-0000-00000000e003'
\set as_basic 'SELECT residency_test.as_user(''00000000-0000-0000-0000-00000000e001'')'
\set as_locked 'SELECT residency_test.as_user(''00000000-0000-0000-0000-00000000e002'')'
\set as_service 'SELECT residency_test.as_postgrest(''service_role'')'

INSERT INTO residency.users (id, email) VALUES
    (:'u_basic', 'basic@example.org'), (:'u_locked', 'locked@example.org'), (:'u_pro', 'pro@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id IN (:'u_basic', :'u_pro');
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = :'u_pro';
-- a pack whose criterion has a keyword list followed by a full stop
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'One home', '{"version": "1.0.0", "metadata": {"title": "One home", "description": "D",
    "categories": ["A", "B", "C", "D", "E", "F", "G"]},
    "questions": [{"id": "q1", "category": "A", "prompt": "Tell me about a hard handover.",
                   "expected_duration_s": 90,
                   "evaluation_criteria": ["Names the plan [kw: plan, follow-up].", "Owns the outcome"]}]}',
        :'u_pro');
UPDATE residency.content_packs SET status = 'ACTIVE';

-------------------------------------------------------------------------------
-- S1, LOCKED: 42501 on a direct write, PT402 through the API; one message.
-------------------------------------------------------------------------------
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u_locked', 'q1');
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_locked \gset
SELECT residency_api.start_drill('q1');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
-- score_answer checks the same rule through require_user
BEGIN; :as_locked \gset
SELECT residency_api.score_answer('q1', 'An answer.');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE

-------------------------------------------------------------------------------
-- "question not found": rule S1 (23514 direct, PT404 through start_drill) and
-- the scorer (PT404 through score_answer and residency.score); one message.
-------------------------------------------------------------------------------
\set VERBOSITY terse
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u_basic', 'q9');
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_basic \gset
SELECT residency_api.start_drill('q9');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_basic \gset
SELECT residency_api.score_answer('q9', 'An answer.');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
SELECT residency.score(id, 'q9', 'An answer.') FROM residency.content_packs;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

-------------------------------------------------------------------------------
-- R1, nothing to evaluate: 23514 direct, 22023 through the API; one message.
-- S2, a second response: 23514 direct, PT409 through the API.
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT id AS session FROM residency_api.start_drill('q1') \gset
COMMIT;
INSERT INTO residency.drill_responses (session_id) VALUES (:'session');
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_basic \gset
SELECT residency_api.submit_response(:'session');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(:'session', content => 'I called the senior and wrote the plan.');
COMMIT;
\set VERBOSITY terse
INSERT INTO residency.drill_responses (session_id, content) VALUES (:'session', 'Again.');
\echo :LAST_ERROR_SQLSTATE
BEGIN; :as_basic \gset
SELECT residency_api.submit_response(:'session', content => 'Again.');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

-------------------------------------------------------------------------------
-- The result-to-row mapping and processing_time_ms, once each: the stored
-- evaluation holds residency.score()'s figures, and its processing_time_ms
-- is the session's (rule S3), through evaluate_session and record_evaluation.
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT session_id IS NOT NULL AS evaluated FROM residency_api.evaluate_session(:'session');
COMMIT;
SELECT e.processing_time_ms = s.processing_time_ms AS same_processing_time,
       e.overall_score = (r ->> 'overall_score')::integer AND e.words = (r ->> 'words')::integer
           AND e.categories = r -> 'categories' AND e.practice_rule = r ->> 'practice_rule' AS same_as_scorer
FROM residency.evaluation_results AS e
JOIN residency.drill_sessions AS s ON s.id = e.session_id
JOIN residency.drill_responses AS d ON d.session_id = s.id
CROSS JOIN LATERAL residency.score(s.content_pack_id, s.question_id, d.content) AS r
WHERE e.session_id = :'session';
-- the worker's path: a result without processing_time_ms
BEGIN; :as_basic \gset
SELECT id AS worker_session FROM residency_api.start_drill('q1') \gset
SELECT id IS NOT NULL AS submitted
FROM residency_api.submit_response(:'worker_session', audio_url => 'https://cdn.example.org/a.m4a', audio_duration_s => 40);
COMMIT;
BEGIN; :as_service \gset
SELECT count(*) AS claimed FROM residency_api.claim_submissions(1);
SELECT residency.score(s.content_pack_id, s.question_id, 'I called the senior and wrote the plan with her.', 40)
       - 'processing_time_ms' AS worker_result
FROM residency.drill_sessions AS s WHERE s.id = :'worker_session' \gset
SELECT session_id IS NOT NULL AS recorded FROM residency_api.record_evaluation(:'worker_session', :'worker_result');
COMMIT;
SELECT e.processing_time_ms = s.processing_time_ms AS same_processing_time
FROM residency.evaluation_results AS e JOIN residency.drill_sessions AS s ON s.id = e.session_id
WHERE e.session_id = :'worker_session';
-- E3 through the API: 22023 with the rule's message
BEGIN; :as_basic \gset
SELECT id AS bad_session FROM residency_api.start_drill('q1') \gset
SELECT id IS NOT NULL AS submitted
FROM residency_api.submit_response(:'bad_session', audio_url => 'https://cdn.example.org/b.m4a');
COMMIT;
\set VERBOSITY terse
BEGIN; :as_service \gset
SELECT count(*) FROM residency_api.claim_submissions(1);
SELECT residency_api.record_evaluation(:'bad_session', jsonb_set(:'worker_result', '{overall_score}', '101'));
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

-------------------------------------------------------------------------------
-- U2 through set_entitlement is PT409; any other check violation keeps its
-- own SQLSTATE and message (a constraint added here for the test).
-------------------------------------------------------------------------------
BEGIN; :as_service \gset
SELECT residency_api.set_entitlement(:'u_locked', 'PRO');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
BEGIN;
ALTER TABLE residency.users ADD CONSTRAINT no_pro_today CHECK (entitlement_level <> 'PRO') NOT VALID;
:as_service \gset
SELECT residency_api.set_entitlement(:'u_basic', 'PRO');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
-- the levels: one list, rule U2's, for the API and every constraint; a
-- level that does not exist is 23514 on a direct write, 22023 through the API
BEGIN; :as_service \gset
SELECT residency_api.set_entitlement(:'u_basic', 'GOLD');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
UPDATE residency.users SET entitlement_level = 'GOLD' WHERE id = :'u_basic';
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT level, residency.is_entitlement_level(level), residency.entitlement_rank(level)
FROM unnest(ARRAY['LOCKED', 'BASIC', 'PRO', 'GOLD', 'pro', '']) AS level;

-------------------------------------------------------------------------------
-- C1's TTL, once: the cache rows and my_entitlement agree with it.
-------------------------------------------------------------------------------
SELECT residency.entitlement_ttl_s() AS ttl_s;
SELECT bool_and(expires_at - last_updated = residency.entitlement_ttl_s()) AS rows_live_ttl
FROM residency.entitlement_cache;
DELETE FROM residency.entitlement_cache WHERE user_id = :'u_basic';
BEGIN READ ONLY; :as_basic \gset
SELECT entitlement_level,
       expires_at - extract(epoch FROM clock_timestamp())::bigint BETWEEN residency.entitlement_ttl_s() - 2
                                                                    AND residency.entitlement_ttl_s() AS expires_in_ttl
FROM residency_api.my_entitlement();
COMMIT;

-------------------------------------------------------------------------------
-- [kw: ...]: the questions view shows a criterion as the scorer reads it,
-- never the keyword list, whatever follows it.
-------------------------------------------------------------------------------
BEGIN READ ONLY; :as_basic \gset
SELECT id, evaluation_criteria FROM residency_api.questions;
COMMIT;
SELECT c AS criterion, residency.criterion_text(c)
FROM unnest(ARRAY['Names the plan [kw: plan, follow-up].', 'Owns it [kw: I]', 'Plain']) AS c;

-------------------------------------------------------------------------------
-- S1 with no ACTIVE pack: one message for a new session and for the scorer's
-- preview; 23514 on a direct write, PT404 through the API. A missing
-- question_id is the caller's mistake: 22023.
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT residency_api.score_answer(NULL, 'An answer.');
ROLLBACK;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
UPDATE residency.content_packs SET status = 'ARCHIVED';
SAVEPOINT direct;
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u_basic', 'q1');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO direct;
:as_basic \gset
SAVEPOINT preview;
SELECT residency_api.score_answer('q1', 'An answer.');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO preview;
SELECT residency_api.start_drill('q1');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
