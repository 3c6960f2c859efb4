-- Every function of residency_api (docs/postgrest.md, "Endpoints") for each role, run
-- as PostgREST runs a request.
--
--   anon                  42501 everywhere (user-facing: "not signed in";
--                         worker/billing: no EXECUTE), the views included
--   authenticated owner   every user-facing function succeeds, but
--                         activation: the ACTIVE pack is an operator's
--                         (service_role, a content admin)
--   authenticated stranger  PT404 on the owner's session or pack (never
--                         leak existence), and nothing changes
--   authenticated         42501 on every worker/billing function, and on
--                         their implementations in schema residency
--   service_role          the worker/billing functions work
--
-- What loosening makes these fail (besides 01_privileges.sql):
--   GRANT EXECUTE on a worker/billing function (or its implementation) to
--   authenticated or anon                     -> "authenticated: ... -> 42501" / anon rows
--   own_session / own_pack no longer checking the caller -> the stranger PT404 rows
--   require_user letting a NULL uid through   -> the anon rows
--   require_service_role accepting authenticated -> the "authenticated: residency.* -> 42501" rows
--   require_pro accepting BASIC               -> the BASIC rows
--   activation open to PRO users again        -> the "owner (PRO): activate" and stranger rows
--   archiving the ACTIVE pack allowed         -> the PT409 rows
BEGIN;
\ir helpers.psql

-- Fixtures (fixed ids):
--   a0 admin (PRO, a content admin): the active pack e0
--   a1 owner (PRO): DRAFT packs e1, e2; sessions d1 STARTED, d2 SUBMITTED
--      (typed), d3 SUBMITTED (audio only), d4 STARTED, d5 STARTED
--   b1 stranger (PRO, so that pack calls get past require_pro to the
--      ownership check); c1 a BASIC user; c2 a LOCKED user
DO $fixtures$
BEGIN
    PERFORM pg_temp.create_user('admin@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a0');
    INSERT INTO residency.content_admins (user_id) VALUES ('00000000-0000-0000-0000-0000000000a0');
    PERFORM pg_temp.create_user('owner@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a1');
    PERFORM pg_temp.create_user('stranger@example.org', 'PRO', '00000000-0000-0000-0000-0000000000b1');
    PERFORM pg_temp.create_user('basic@example.org', 'BASIC', '00000000-0000-0000-0000-0000000000c1');
    PERFORM pg_temp.create_user('locked@example.org', 'LOCKED', '00000000-0000-0000-0000-0000000000c2');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a0', 'Active pack', true, '00000000-0000-0000-0000-0000000000e0');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a1', 'Owner draft one', false, '00000000-0000-0000-0000-0000000000e1');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a1', 'Owner draft two', false, '00000000-0000-0000-0000-0000000000e2');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q1', '00000000-0000-0000-0000-0000000000d1');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q2', '00000000-0000-0000-0000-0000000000d2');
    PERFORM pg_temp.answer_session('00000000-0000-0000-0000-0000000000d2');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q1', '00000000-0000-0000-0000-0000000000d3');
    PERFORM pg_temp.answer_session('00000000-0000-0000-0000-0000000000d3', NULL, 'https://cdn.example.org/answers/d3.m4a', 42);
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q2', '00000000-0000-0000-0000-0000000000d4');
    PERFORM pg_temp.start_session('00000000-0000-0000-0000-0000000000a1', 'q2', '00000000-0000-0000-0000-0000000000d5');
END
$fixtures$;

-- One call of every API function, with arguments aimed at the owner's
-- objects; kind 'user' = user-facing, 'worker' = evaluation worker/billing.
CREATE TEMP TABLE api_calls (ord int, kind text, fn text, sql text);
INSERT INTO api_calls VALUES
 (1,  'user', 'start_drill', $$SELECT residency_api.start_drill('q1')$$),
 (2,  'user', 'submit_response', $$SELECT residency_api.submit_response('00000000-0000-0000-0000-0000000000d5', 'An answer.')$$),
 (3,  'user', 'evaluate_session', $$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d2')$$),
 (4,  'user', 'submit_and_evaluate', $$SELECT residency_api.submit_and_evaluate('00000000-0000-0000-0000-0000000000d5', 'An answer.')$$),
 (5,  'user', 'score_answer', $$SELECT residency_api.score_answer('q1', 'An answer.')$$),
 (6,  'user', 'upload_content_pack', $$SELECT residency_api.upload_content_pack(pg_temp.pack_text('Uploaded'))$$),
 (7,  'user', 'validate_content_pack', $$SELECT residency_api.validate_content_pack(pg_temp.pack_text('Checked'))$$),
 (8,  'user', 'activate_content_pack', $$SELECT residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e1')$$),
 (9,  'user', 'archive_content_pack', $$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$),
 (10, 'user', 'my_entitlement', $$SELECT * FROM residency_api.my_entitlement()$$),
 (11, 'worker', 'claim_submissions', $$SELECT * FROM residency_api.claim_submissions(10)$$),
 (12, 'worker', 'record_evaluation', $$SELECT residency_api.record_evaluation('00000000-0000-0000-0000-0000000000d3',
                                              '{"overall_score": 100}')$$),
 (13, 'worker', 'fail_evaluation', $$SELECT residency_api.fail_evaluation('00000000-0000-0000-0000-0000000000d3', 'no reason')$$),
 (14, 'worker', 'fail_stale_processing', $$SELECT residency_api.fail_stale_processing()$$),
 (15, 'worker', 'set_entitlement', $$SELECT residency_api.set_entitlement('00000000-0000-0000-0000-0000000000c2', 'BASIC')$$),
 (16, 'worker', 'set_content_admin', $$SELECT residency_api.set_content_admin('00000000-0000-0000-0000-0000000000a1')$$);
GRANT SELECT ON api_calls TO PUBLIC;

SELECT plan(92);

-------------------------------------------------------------------------------
-- anon: 42501 everywhere
-------------------------------------------------------------------------------
SELECT pg_temp.as_anon();
SELECT throws_ok(sql, '42501', NULL, format('anon: %s -> 42501', fn)) FROM api_calls ORDER BY ord;
SELECT throws_ok(format('SELECT * FROM residency_api.%I', v), '42501', NULL, format('anon: view %s -> 42501', v))
FROM unnest(ARRAY['questions', 'my_sessions', 'my_evaluations']) AS v;

-------------------------------------------------------------------------------
-- authenticated owner: every user-facing function works
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT results_eq($$SELECT user_id, question_id, status, content_pack_id FROM residency_api.start_drill('q1')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000a1'::uuid, 'q1', 'STARTED', '00000000-0000-0000-0000-0000000000e0'::uuid)$$,
                  'owner: start_drill creates their STARTED session on the active pack');
SELECT results_eq($$SELECT session_id, word_count > 0 FROM residency_api.submit_response('00000000-0000-0000-0000-0000000000d1', pg_temp.answer())$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000d1'::uuid, true)$$,
                  'owner: submit_response stores the response of their session');
SELECT results_eq($$SELECT session_id, overall_score BETWEEN 0 AND 100 FROM residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d1')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000d1'::uuid, true)$$,
                  'owner: evaluate_session scores their session');
SELECT results_eq($$SELECT session_id, jsonb_array_length(categories) FROM residency_api.submit_and_evaluate('00000000-0000-0000-0000-0000000000d4', pg_temp.answer())$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000d4'::uuid, 7)$$,
                  'owner: submit_and_evaluate answers and scores their session in one call');
SELECT results_eq($$SELECT status FROM residency_api.my_sessions
                    WHERE id IN ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d4')$$,
                  ARRAY['COMPLETED', 'COMPLETED'],
                  'owner: both sessions are COMPLETED');
SELECT ok((SELECT (residency_api.score_answer('q1', pg_temp.answer())) ? 'overall_score'),
          'owner: score_answer previews a score');
SELECT is((SELECT (residency_api.validate_content_pack(pg_temp.pack_text('Checked'))) -> 'valid'), 'true'::jsonb,
          'owner: validate_content_pack checks a pack');
SELECT results_eq($$SELECT status, uploaded_by, name FROM residency_api.upload_content_pack(pg_temp.pack_text('Uploaded'))$$,
                  $$VALUES ('DRAFT', '00000000-0000-0000-0000-0000000000a1'::uuid, 'Uploaded')$$,
                  'owner (PRO): upload_content_pack stores a DRAFT pack of theirs');
SELECT throws_ok($$SELECT residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                 '42501', NULL, 'owner (PRO): activate_content_pack on their own pack -> 42501 (an operator action)');
SELECT results_eq($$SELECT id, status FROM residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e2')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000e2'::uuid, 'ARCHIVED')$$,
                  'owner (PRO): archive_content_pack archives their pack');
SELECT results_eq($$SELECT entitlement_level, expires_at > extract(epoch FROM now()) FROM residency_api.my_entitlement()$$,
                  $$VALUES ('PRO', true)$$,
                  'owner: my_entitlement reports their level');
SELECT is_empty('SELECT 1 FROM residency.content_admins', 'owner: not a content admin, sees no content_admins row');
-- a content admin activates the owner's pack for everyone
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a0');
SELECT results_eq('SELECT user_id FROM residency.content_admins', ARRAY['00000000-0000-0000-0000-0000000000a0'::uuid],
                  'content admin: sees their own content_admins row');
SELECT results_eq($$SELECT id, status FROM residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000e1'::uuid, 'ACTIVE')$$,
                  'content admin: activate_content_pack activates any pack');
SELECT throws_ok($$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                 'PT409', NULL, 'content admin: archive_content_pack on the ACTIVE pack -> PT409');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT throws_ok($$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                 'PT409', NULL, 'owner (PRO): archive_content_pack on their pack once it is ACTIVE -> PT409');
SELECT set_eq('SELECT id FROM residency_api.questions', ARRAY['q1', 'q2'],
              'owner: view questions lists the active pack''s questions');
SELECT is((SELECT count(*)::int FROM residency_api.my_sessions
           WHERE user_id = '00000000-0000-0000-0000-0000000000a1'), 6,
          'owner: view my_sessions lists their six sessions');
SELECT set_eq('SELECT session_id FROM residency_api.my_evaluations',
              ARRAY['00000000-0000-0000-0000-0000000000d1'::uuid, '00000000-0000-0000-0000-0000000000d4'],
              'owner: view my_evaluations lists their two evaluations');

-------------------------------------------------------------------------------
-- authenticated stranger: PT404 on the owner's session or pack
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000b1');
SELECT throws_ok($$SELECT residency_api.submit_response('00000000-0000-0000-0000-0000000000d5', pg_temp.answer())$$,
                 'PT404', NULL, 'stranger: submit_response on the owner''s session -> PT404');
SELECT throws_ok($$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-0000000000d2')$$,
                 'PT404', NULL, 'stranger: evaluate_session on the owner''s session -> PT404');
SELECT throws_ok($$SELECT residency_api.submit_and_evaluate('00000000-0000-0000-0000-0000000000d5', pg_temp.answer())$$,
                 'PT404', NULL, 'stranger: submit_and_evaluate on the owner''s session -> PT404');
SELECT throws_ok($$SELECT residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e2')$$,
                 '42501', NULL, 'stranger (PRO): activate_content_pack on the owner''s pack -> 42501 (an operator action)');
SELECT throws_ok($$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                 'PT404', NULL, 'stranger (PRO): archive_content_pack on the owner''s pack -> PT404');
SELECT throws_ok($$SELECT residency_api.evaluate_session('00000000-0000-0000-0000-00000000dead')$$,
                 'PT404', NULL, 'stranger: a session that does not exist -> the same PT404');
SELECT is_empty($$SELECT 1 FROM residency_api.my_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                'stranger: view my_sessions shows none of the owner''s sessions');
SELECT is_empty($$SELECT 1 FROM residency_api.my_evaluations
                  WHERE session_id IN ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d4')$$,
                'stranger: view my_evaluations shows none of the owner''s evaluations');
SELECT results_eq($$SELECT user_id FROM residency_api.start_drill('q2')$$,
                  ARRAY['00000000-0000-0000-0000-0000000000b1'::uuid],
                  'stranger: start_drill works for their own drills');
SELECT pg_temp.as_superuser();
SELECT results_eq($$SELECT id, status FROM residency.drill_sessions
                    WHERE id IN ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000d5') ORDER BY id$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000d2'::uuid, 'SUBMITTED'), ('00000000-0000-0000-0000-0000000000d5', 'STARTED')$$,
                  'the stranger''s calls changed none of the owner''s sessions');
SELECT results_eq($$SELECT id, status FROM residency.content_packs
                    WHERE id IN ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e2') ORDER BY id$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000e1'::uuid, 'ACTIVE'), ('00000000-0000-0000-0000-0000000000e2', 'ARCHIVED')$$,
                  'the stranger''s calls changed none of the owner''s packs');

-------------------------------------------------------------------------------
-- entitlement gates: BASIC cannot manage packs, LOCKED cannot drill, a
-- token for a user without an account gets nothing
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000c1');
SELECT throws_ok($$SELECT residency_api.upload_content_pack(pg_temp.pack_text('Basic upload'))$$,
                 '42501', NULL, 'BASIC: upload_content_pack -> 42501 (PRO only)');
SELECT throws_ok($$SELECT residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e2')$$,
                 '42501', NULL, 'BASIC: activate_content_pack -> 42501 (operators only)');
SELECT throws_ok($$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                 '42501', NULL, 'BASIC: archive_content_pack -> 42501 (PRO only)');
SELECT lives_ok($$SELECT residency_api.start_drill('q1')$$, 'BASIC: start_drill works');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000c2');
SELECT throws_ok($$SELECT residency_api.start_drill('q1')$$, 'PT402', NULL, 'LOCKED: start_drill -> PT402');
SELECT throws_ok($$SELECT residency_api.score_answer('q1', 'An answer.')$$, 'PT402', NULL, 'LOCKED: score_answer -> PT402');
SELECT results_eq($$SELECT entitlement_level FROM residency_api.my_entitlement()$$, ARRAY['LOCKED'],
                  'LOCKED: my_entitlement still answers');
SELECT lives_ok($$SELECT residency_api.validate_content_pack(pg_temp.pack_text('Checked'))$$,
                'LOCKED: validate_content_pack still answers');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-00000000beef');
SELECT throws_ok($$SELECT residency_api.start_drill('q1')$$, '42501', NULL,
                 'a token for a user without an account: start_drill -> 42501');

-------------------------------------------------------------------------------
-- authenticated on the worker/billing API, and on the implementations
-- behind it (schema residency is reachable too): 42501
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT throws_ok(sql, '42501', NULL, format('authenticated: %s -> 42501', fn)) FROM api_calls WHERE kind = 'worker' ORDER BY ord;
SELECT throws_ok(replace(sql, 'residency_api.', 'residency.'), '42501', NULL, format('authenticated: residency.%s -> 42501', fn))
FROM api_calls WHERE kind = 'worker' ORDER BY ord;
SELECT throws_ok($$SELECT residency.score('00000000-0000-0000-0000-0000000000e0', 'q1', 'An answer.')$$,
                 '42501', NULL, 'authenticated: residency.score (the scorer, for batch re-scoring) -> 42501');
SELECT throws_ok($$SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000a1')$$,
                 '42501', NULL, 'authenticated: residency.current_entitlement (internal) -> 42501');
SELECT throws_ok($$SELECT residency.own_session('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000a1')$$,
                 '42501', NULL, 'authenticated: residency.own_session (internal SECURITY DEFINER) -> 42501');

-------------------------------------------------------------------------------
-- service_role: the worker and billing functions work; the user-facing
-- ones need a signed-in user (42501 without one)
-------------------------------------------------------------------------------
SELECT pg_temp.as_service_role();
SELECT set_eq($$SELECT id FROM residency_api.claim_submissions(10) WHERE status = 'PROCESSING'$$,
              ARRAY['00000000-0000-0000-0000-0000000000d2'::uuid, '00000000-0000-0000-0000-0000000000d3'],
              'service_role: claim_submissions claims the SUBMITTED sessions');
SELECT results_eq($$SELECT session_id, overall_score BETWEEN 0 AND 100
                    FROM residency_api.record_evaluation('00000000-0000-0000-0000-0000000000d3',
                                                         pg_temp.worker_result('00000000-0000-0000-0000-0000000000d3'))$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000d3'::uuid, true)$$,
                  'service_role: record_evaluation stores the evaluation of a claimed session');
SELECT results_eq($$SELECT status, metadata ->> 'failure_reason'
                    FROM residency_api.fail_evaluation('00000000-0000-0000-0000-0000000000d2', 'transcription failed')$$,
                  $$VALUES ('FAILED', 'transcription failed')$$,
                  'service_role: fail_evaluation fails a claimed session');
SELECT is(residency_api.fail_stale_processing('15 minutes'), 0, 'service_role: fail_stale_processing (nothing stale)');
SELECT results_eq($$SELECT id, entitlement_level FROM residency_api.set_entitlement('00000000-0000-0000-0000-0000000000c1', 'PRO', 'sub_123')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000c1'::uuid, 'PRO')$$,
                  'service_role: set_entitlement raises a user''s level');
SELECT results_eq($$SELECT status FROM residency.drill_sessions
                    WHERE id IN ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000d3') ORDER BY id$$,
                  ARRAY['FAILED', 'COMPLETED'],
                  'service_role: the worker''s sessions ended FAILED and COMPLETED');
SELECT throws_ok(sql, '42501', NULL, format('service_role without a user: %s -> 42501', fn))
FROM api_calls WHERE kind = 'user' AND fn NOT IN ('activate_content_pack', 'archive_content_pack') ORDER BY ord;
-- activation and archiving are operator actions: service_role needs no user
SELECT results_eq($$SELECT id, status FROM residency_api.activate_content_pack('00000000-0000-0000-0000-0000000000e2')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000e2'::uuid, 'ACTIVE')$$,
                  'service_role: activate_content_pack activates a pack (and archives the active one)');
SELECT results_eq($$SELECT id, status FROM residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e1')$$,
                  $$VALUES ('00000000-0000-0000-0000-0000000000e1'::uuid, 'ARCHIVED')$$,
                  'service_role: archive_content_pack on a pack that is not ACTIVE');
SELECT throws_ok($$SELECT residency_api.archive_content_pack('00000000-0000-0000-0000-0000000000e2')$$,
                 'PT409', NULL, 'service_role: archive_content_pack on the ACTIVE pack -> PT409');
SELECT is(residency_api.set_content_admin('00000000-0000-0000-0000-0000000000a1'), true,
          'service_role: set_content_admin makes a user a content admin');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000c1');
SELECT results_eq($$SELECT entitlement_level FROM residency_api.my_entitlement()$$, ARRAY['PRO'],
                  'the user sees the level set by billing at once (cache written through)');

SELECT * FROM finish();
ROLLBACK;
