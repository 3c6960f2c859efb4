-- The product's security invariants (docs/data-model.md), each a test:
--   I1 a user can never see another user's drill
--   I2 ... never change another user's drill
--   I3 ... never grade another user's drill
--   I4 ... never grade their own drill (no INSERT on evaluation_results,
--      no record_evaluation, no status moves of their own)
--   I5 ... never raise their own entitlement (no UPDATE on users, no
--      set_entitlement, no cache writes; and with a loosened grant inside
--      this transaction, rule U3 still answers 42501)
--
-- The grants are the first wall (a test fails as soon as one is loosened:
-- the 42501 rows below, and 01_privileges.sql); the "loosened grant"
-- sections then GRANT the write privileges inside the transaction and show
-- the second wall, so that loosening any single policy fails a test too:
--   users_update_own widened              -> I5 loosened: "UPDATE of every row reaches their own row only"
--   drill_sessions_own widened            -> I2 loosened: sessions 0 rows / INSERT 42501
--   drill_responses_own widened           -> I2 loosened: responses 0 rows / INSERT 42501
--   evaluation_results_own widened        -> I2/I3 loosened: evaluations 0 rows / INSERT 42501
--   entitlement_cache_own widened to ALL  -> I5 loosened: cache 0 rows / INSERT 42501
--   content_packs_manage_own widened      -> I5 loosened: packs (BASIC insert 42501, PRO stranger 0 rows)
--   a policy TO public/anon               -> I5 loosened: anon 0 rows
--   rule U3 dropped from users_guard      -> I5 loosened: entitlement_level / stripe_customer_id 42501
BEGIN;
\ir helpers.psql

-- Fixtures (fixed ids):
--   a0 admin (PRO): the active pack e0
--   a1 owner (BASIC): d1 COMPLETED, d2 PROCESSING (audio, claimed by the
--      worker), d3 STARTED, d4 SUBMITTED (typed)
--   b1 stranger (BASIC): d9 COMPLETED
--   a2 a PRO author with a DRAFT pack e1; b2 another PRO user
DO $fixtures$
BEGIN
    PERFORM pg_temp.create_user('admin@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a0');
    PERFORM pg_temp.create_user('owner@example.org', 'BASIC', '00000000-0000-0000-0000-0000000000a1');
    PERFORM pg_temp.create_user('stranger@example.org', 'BASIC', '00000000-0000-0000-0000-0000000000b1');
    PERFORM pg_temp.create_user('author@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a2');
    PERFORM pg_temp.create_user('other-pro@example.org', 'PRO', '00000000-0000-0000-0000-0000000000b2');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a0', 'Active pack', true, '00000000-0000-0000-0000-0000000000e0');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a2', 'Author draft', false, '00000000-0000-0000-0000-0000000000e1');
    PERFORM pg_temp.completed_drill('00000000-0000-0000-0000-0000000000a1', 'q1', '00000000-0000-0000-0000-0000000000d1');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q2', '00000000-0000-0000-0000-0000000000d2');
    PERFORM pg_temp.answer_session('00000000-0000-0000-0000-0000000000d2', NULL, 'https://cdn.example.org/answers/d2.m4a', 42);
    UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000d2';
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q1', '00000000-0000-0000-0000-0000000000d3');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q2', '00000000-0000-0000-0000-0000000000d4');
    PERFORM pg_temp.answer_session('00000000-0000-0000-0000-0000000000d4');
    PERFORM pg_temp.completed_drill('00000000-0000-0000-0000-0000000000b1', 'q1', '00000000-0000-0000-0000-0000000000d9');
END
$fixtures$;

-- The owner's drills as they are now, to compare with at the end.
CREATE TEMP TABLE owner_before AS
SELECT s.id, s.status, s.metadata, r.content, r.audio_url, e.overall_score, e.categories
FROM residency.drill_sessions AS s
LEFT JOIN residency.drill_responses AS r ON r.session_id = s.id
LEFT JOIN residency.evaluation_results AS e ON e.session_id = s.id
WHERE s.user_id = '00000000-0000-0000-0000-0000000000a1';

-- A well-formed evaluation of the owner's PROCESSING session d2 (the one
-- the worker would record), prepared as the superuser: with it, a forged
-- INSERT passes every rule (E1-E3) and only the grants and policies stand
-- in the way.
CREATE TEMP TABLE forged_evaluation AS
SELECT s.id AS session_id, r.id AS response_id, (x ->> 'duration_s')::numeric AS duration_s,
       (x ->> 'words')::integer AS words, (x ->> 'wpm')::numeric AS wpm, 100 AS overall_score,
       x -> 'categories' AS categories, x -> 'what_changed' AS what_changed, x ->> 'practice_rule' AS practice_rule,
       x ->> 'model_used' AS model_used, 1 AS processing_time_ms
FROM residency.drill_sessions AS s
JOIN residency.drill_responses AS r ON r.session_id = s.id
CROSS JOIN LATERAL (SELECT pg_temp.worker_result(s.id) AS x) AS w
WHERE s.id = '00000000-0000-0000-0000-0000000000d2';
GRANT SELECT ON forged_evaluation TO PUBLIC;

SELECT plan(63);

-------------------------------------------------------------------------------
-- I1: the stranger never sees the owner's drill
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000b1');
SELECT is_empty($$SELECT 1 FROM residency.drill_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                'I1: stranger sees none of the owner''s sessions');
SELECT is_empty($$SELECT 1 FROM residency.drill_responses WHERE session_id IN ('00000000-0000-0000-0000-0000000000d1',
                  '00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000d4')$$,
                'I1: stranger sees none of the owner''s responses');
SELECT is_empty($$SELECT 1 FROM residency.evaluation_results WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                'I1: stranger sees none of the owner''s evaluations');
SELECT is_empty($$SELECT 1 FROM residency_api.my_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                'I1: view my_sessions shows the stranger none of the owner''s sessions');
SELECT results_eq($$SELECT session_id FROM residency_api.my_evaluations$$, ARRAY['00000000-0000-0000-0000-0000000000d9'::uuid],
                  'I1: view my_evaluations shows the stranger their own evaluation only');
-- the SECURITY DEFINER helpers that take the caller as an argument would
-- read any user's rows: nobody but the extension may call them
SELECT throws_ok($$SELECT residency.previous_result('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e0',
                                                    'q1', gen_random_uuid())$$,
                 '42501', NULL, 'I1: stranger cannot call residency.previous_result(owner, ...) (reads the owner''s evaluation)');
SELECT throws_ok($$SELECT residency.own_session('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000a1')$$,
                 '42501', NULL, 'I1: stranger cannot call residency.own_session(session, owner)');

-------------------------------------------------------------------------------
-- I2: the stranger never changes the owner's drill
-------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE residency.drill_sessions SET metadata = '{"x": 1}' WHERE id = '00000000-0000-0000-0000-0000000000d3'$$,
                 '42501', NULL, 'I2: stranger cannot UPDATE the owner''s session');
SELECT throws_ok($$DELETE FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000d1'$$,
                 '42501', NULL, 'I2: stranger cannot DELETE the owner''s session');
SELECT throws_ok($$UPDATE residency.drill_responses SET content = 'mine now' WHERE session_id = '00000000-0000-0000-0000-0000000000d4'$$,
                 '42501', NULL, 'I2: stranger cannot UPDATE the owner''s response');
SELECT throws_ok($$INSERT INTO residency.drill_responses (session_id, content)
                   VALUES ('00000000-0000-0000-0000-0000000000d3', 'an answer for them')$$,
                 '42501', NULL, 'I2: stranger cannot INSERT a response into the owner''s session');
SELECT throws_ok($$SELECT residency_api.submit_response('00000000-0000-0000-0000-0000000000d3', 'an answer for them')$$,
                 'PT404', NULL, 'I2: stranger cannot submit_response to the owner''s session (PT404)');

-------------------------------------------------------------------------------
-- I3: the stranger never grades the owner's drill
-------------------------------------------------------------------------------
SELECT throws_ok($$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d4')$$,
                 'PT404', NULL, 'I3: stranger cannot evaluate_session the owner''s session (PT404)');
SELECT throws_ok($$SELECT residency_api.submit_and_evaluate('00000000-0000-0000-0000-0000000000d3', pg_temp.answer())$$,
                 'PT404', NULL, 'I3: stranger cannot submit_and_evaluate the owner''s session (PT404)');
SELECT throws_ok($$SELECT residency_api.record_evaluation('00000000-0000-0000-0000-0000000000d2', '{}')$$,
                 '42501', NULL, 'I3: stranger cannot record_evaluation for the owner''s session');
SELECT throws_ok($$UPDATE residency.evaluation_results SET overall_score = 0 WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                 '42501', NULL, 'I3: stranger cannot UPDATE the owner''s evaluation');

-------------------------------------------------------------------------------
-- I4: the owner never grades their own drill
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT throws_ok($$INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
                       categories, what_changed, practice_rule, model_used, processing_time_ms)
                   SELECT * FROM forged_evaluation$$,
                 '42501', NULL, 'I4: owner cannot INSERT an evaluation of their own PROCESSING session');
SELECT throws_ok($$SELECT residency_api.record_evaluation('00000000-0000-0000-0000-0000000000d2', '{}')$$,
                 '42501', NULL, 'I4: owner cannot call residency_api.record_evaluation');
SELECT throws_ok($$SELECT residency.record_evaluation('00000000-0000-0000-0000-0000000000d2', '{}')$$,
                 '42501', NULL, 'I4: owner cannot call residency.record_evaluation (the implementation)');
SELECT throws_ok($$UPDATE residency.evaluation_results SET overall_score = 100 WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                 '42501', NULL, 'I4: owner cannot re-score their own evaluation');
SELECT throws_ok($$DELETE FROM residency.evaluation_results WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                 '42501', NULL, 'I4: owner cannot delete their own evaluation (to be graded again)');
SELECT throws_ok($$UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000d4'$$,
                 '42501', NULL, 'I4: owner cannot move their own session to PROCESSING');
SELECT throws_ok($$SELECT * FROM residency_api.claim_submissions(1)$$,
                 '42501', NULL, 'I4: owner cannot claim submissions (the worker''s queue)');
SELECT throws_ok($$SELECT residency_api.fail_evaluation('00000000-0000-0000-0000-0000000000d2', 'retry me')$$,
                 '42501', NULL, 'I4: owner cannot fail their own evaluation (to retry it)');
SELECT throws_ok($$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d2')$$,
                 'PT409', NULL, 'I4: owner cannot run the scorer on their session the worker has claimed (PT409)');
SELECT throws_ok($$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d1')$$,
                 'PT409', NULL, 'I4: owner cannot have a completed session evaluated again (PT409)');
SELECT throws_ok($$SELECT residency_api.submit_response('00000000-0000-0000-0000-0000000000d4', 'a better answer')$$,
                 'PT409', NULL, 'I4: owner cannot replace a submitted answer (PT409)');

-------------------------------------------------------------------------------
-- I5: the owner (BASIC) never raises their own entitlement
-------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', NULL, 'I5: owner cannot UPDATE their own entitlement_level');
SELECT throws_ok($$UPDATE residency.users SET stripe_customer_id = 'cus_free' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', NULL, 'I5: owner cannot UPDATE their own stripe_customer_id');
SELECT throws_ok($$SELECT residency_api.set_entitlement('00000000-0000-0000-0000-0000000000a1', 'PRO')$$,
                 '42501', NULL, 'I5: owner cannot call residency_api.set_entitlement');
SELECT throws_ok($$SELECT residency.set_entitlement('00000000-0000-0000-0000-0000000000a1', 'PRO')$$,
                 '42501', NULL, 'I5: owner cannot call residency.set_entitlement (the implementation)');
SELECT throws_ok($$UPDATE residency.entitlement_cache SET entitlement_level = 'PRO' WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', NULL, 'I5: owner cannot UPDATE their cached entitlement');
SELECT throws_ok($$DELETE FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', NULL, 'I5: owner cannot DELETE their cached entitlement');
SELECT throws_ok($$INSERT INTO residency.users (email, entitlement_level) VALUES ('second@example.org', 'PRO')$$,
                 '42501', NULL, 'I5: owner cannot INSERT a PRO account');
SELECT throws_ok($$SELECT residency_api.upload_content_pack(pg_temp.pack_text('Owner upload'))$$,
                 '42501', NULL, 'I5: owner (BASIC) cannot use a PRO function');

-------------------------------------------------------------------------------
-- I5 with loosened grants: even with UPDATE on users, rule U3 refuses
-- (42501); the cache has no write policy; users_update_own keeps others'
-- rows out of reach; content_packs_manage_own needs PRO and ownership
-------------------------------------------------------------------------------
SELECT pg_temp.as_superuser();
GRANT INSERT, UPDATE ON residency.users TO authenticated, anon;
GRANT INSERT, UPDATE, DELETE ON residency.entitlement_cache TO authenticated;
GRANT INSERT, UPDATE, DELETE ON residency.content_packs TO authenticated;

SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT throws_ok($$UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', 'permission denied to change entitlement', 'I5 loosened: UPDATE of their own entitlement_level -> rule U3 (42501)');
SELECT throws_ok($$UPDATE residency.users SET stripe_customer_id = 'cus_free' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', 'permission denied to change entitlement', 'I5 loosened: UPDATE of their own stripe_customer_id -> rule U3 (42501)');
SELECT throws_ok($$UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                 '42501', 'permission denied to change entitlement', 'I5 loosened: even lowering their own entitlement_level -> rule U3 (42501)');
SELECT is(pg_temp.row_count($$UPDATE residency.users SET email = 'owner.new@example.org' WHERE id = '00000000-0000-0000-0000-0000000000a1'$$),
          1::bigint, 'I5 loosened: the grant is in force (their own e-mail changes), so the refusals above are U3''s');
SELECT is(pg_temp.row_count($$UPDATE residency.users SET email = 'stolen@example.org' WHERE id = '00000000-0000-0000-0000-0000000000b1'$$),
          0::bigint, 'I5 loosened: another user''s row is out of reach (users_update_own): 0 rows');
-- (an UPDATE that reads no column is filtered by the UPDATE policy alone:
-- the SELECT policy cannot mask a widened users_update_own here)
SELECT is(pg_temp.row_count($$UPDATE residency.users SET last_login_at = now()$$),
          1::bigint, 'I5 loosened: an UPDATE of every row reaches their own row only (users_update_own)');
SELECT throws_ok($$INSERT INTO residency.users (email, entitlement_level) VALUES ('second@example.org', 'PRO')$$,
                 '42501', 'permission denied to change entitlement', 'I5 loosened: INSERT of a PRO account -> 42501');
SELECT throws_ok($$INSERT INTO residency.users (email) VALUES ('second@example.org')$$,
                 '42501', 'new row violates row-level security policy for table "users"', 'I5 loosened: INSERT of any account -> 42501 (no INSERT policy)');
SELECT is(pg_temp.row_count($$UPDATE residency.entitlement_cache SET entitlement_level = 'PRO'
                              WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
          0::bigint, 'I5 loosened: UPDATE of their cache row -> 0 rows (entitlement_cache_own is SELECT only)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
          0::bigint, 'I5 loosened: DELETE of their cache row -> 0 rows');
SELECT throws_ok($$INSERT INTO residency.entitlement_cache (user_id, entitlement_level, expires_at, last_updated)
                   VALUES ('00000000-0000-0000-0000-0000000000a1', 'PRO', 4102444800 + 3600, 4102444800)$$,
                 '42501', 'new row violates row-level security policy for table "entitlement_cache"', 'I5 loosened: INSERT of a PRO cache row -> 42501 (RLS)');
SELECT results_eq($$SELECT entitlement_level FROM residency_api.my_entitlement()$$, ARRAY['BASIC'],
                  'I5 loosened: my_entitlement still says BASIC');
SELECT throws_ok($$INSERT INTO residency.content_packs (version, name, content, uploaded_by)
                   VALUES ('1.0.0', 'Owner pack', pg_temp.pack_text('Owner pack')::jsonb, '00000000-0000-0000-0000-0000000000a1')$$,
                 '42501', 'new row violates row-level security policy for table "content_packs"', 'I5 loosened: a BASIC user cannot INSERT a content pack (content_packs_manage_own needs PRO)');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000b2');
SELECT is(pg_temp.row_count($$UPDATE residency.content_packs SET description = 'mine now' WHERE id = '00000000-0000-0000-0000-0000000000e1'$$),
          0::bigint, 'I5 loosened: a PRO user cannot UPDATE another author''s pack: 0 rows');
SELECT is(pg_temp.row_count($$DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000e1'$$),
          0::bigint, 'I5 loosened: a PRO user cannot DELETE another author''s pack: 0 rows');
SELECT pg_temp.as_anon();
SELECT is(pg_temp.row_count($$UPDATE residency.users SET entitlement_level = 'PRO'$$), 0::bigint,
          'I5 loosened: anon with UPDATE on users reaches no row (no policy is TO anon)');
SELECT pg_temp.as_superuser();
SELECT results_eq($$SELECT u.entitlement_level, u.stripe_customer_id, c.entitlement_level
                    FROM residency.users AS u JOIN residency.entitlement_cache AS c ON c.user_id = u.id
                    WHERE u.id = '00000000-0000-0000-0000-0000000000a1'$$,
                  $$VALUES ('BASIC', NULL::text, 'BASIC')$$,
                  'I5: the owner is still BASIC, in users and in the cache');
SELECT results_eq($$SELECT email FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b1'$$,
                  ARRAY['stranger@example.org'], 'I5: the stranger''s row is unchanged');
REVOKE INSERT, UPDATE ON residency.users FROM authenticated, anon;
REVOKE INSERT, UPDATE, DELETE ON residency.entitlement_cache FROM authenticated;
REVOKE INSERT, UPDATE, DELETE ON residency.content_packs FROM authenticated;

-------------------------------------------------------------------------------
-- I2 / I3 with loosened grants: even with write privileges on the drill
-- tables, the policies keep the stranger away from the owner's rows
-------------------------------------------------------------------------------
GRANT INSERT, UPDATE, DELETE ON residency.drill_sessions, residency.drill_responses, residency.evaluation_results
    TO authenticated;
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000b1');
SELECT is(pg_temp.row_count($$UPDATE residency.drill_sessions SET metadata = '{"x": 1}' WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
          0::bigint, 'I2 loosened: UPDATE of the owner''s sessions -> 0 rows (drill_sessions_own)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.drill_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
          0::bigint, 'I2 loosened: DELETE of the owner''s sessions -> 0 rows (drill_sessions_own)');
SELECT throws_ok($$INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a1', 'q1')$$,
                 '42501', 'new row violates row-level security policy for table "drill_sessions"', 'I2 loosened: INSERT of a session for the owner -> 42501 (drill_sessions_own WITH CHECK)');
SELECT is(pg_temp.row_count($$UPDATE residency.drill_responses SET content = 'mine now' WHERE session_id = '00000000-0000-0000-0000-0000000000d4'$$),
          0::bigint, 'I2 loosened: UPDATE of the owner''s response -> 0 rows (drill_responses_own)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.drill_responses WHERE session_id = '00000000-0000-0000-0000-0000000000d4'$$),
          0::bigint, 'I2 loosened: DELETE of the owner''s response -> 0 rows (drill_responses_own)');
SELECT throws_ok($$INSERT INTO residency.drill_responses (session_id, content)
                   VALUES ('00000000-0000-0000-0000-0000000000d3', 'an answer for them')$$,
                 '42501', 'new row violates row-level security policy for table "drill_responses"', 'I2 loosened: INSERT of a response into the owner''s session -> 42501 (drill_responses_own WITH CHECK)');
SELECT is(pg_temp.row_count($$UPDATE residency.evaluation_results SET overall_score = 0 WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
          0::bigint, 'I3 loosened: UPDATE of the owner''s evaluation -> 0 rows (evaluation_results_own)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.evaluation_results WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
          0::bigint, 'I3 loosened: DELETE of the owner''s evaluation -> 0 rows (evaluation_results_own)');
SELECT throws_ok($$INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
                       categories, what_changed, practice_rule, model_used, processing_time_ms)
                   SELECT * FROM forged_evaluation$$,
                 '42501', 'new row violates row-level security policy for table "evaluation_results"', 'I3 loosened: INSERT of an evaluation of the owner''s session -> 42501 (evaluation_results_own WITH CHECK)');
SELECT pg_temp.as_superuser();
REVOKE INSERT, UPDATE, DELETE ON residency.drill_sessions, residency.drill_responses, residency.evaluation_results
    FROM authenticated;

-- after everything above, the owner's drills are exactly as they were
SELECT set_eq(
    $$SELECT s.id, s.status, s.metadata, r.content, r.audio_url, e.overall_score, e.categories
      FROM residency.drill_sessions AS s
      LEFT JOIN residency.drill_responses AS r ON r.session_id = s.id
      LEFT JOIN residency.evaluation_results AS e ON e.session_id = s.id
      WHERE s.user_id = '00000000-0000-0000-0000-0000000000a1'$$,
    'SELECT * FROM owner_before',
    'I1-I4: the owner''s sessions, responses and evaluations are unchanged');

SELECT * FROM finish();
ROLLBACK;
