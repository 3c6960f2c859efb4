-- The table matrix (docs/data-model.md): roles anon, authenticated owner,
-- authenticated stranger and service_role x every table of schema residency
-- x SELECT / INSERT / UPDATE / DELETE, run as PostgREST runs a request.
--
--   anon           no privilege on any table: 42501 for everything
--   owner          SELECT, filtered by RLS to their own rows (all packs and
--                  questions: the seed lets every signed-in user read them);
--                  no INSERT/UPDATE/DELETE: 42501 (writes go through the API)
--   stranger       the same, and none of the owner's rows are visible
--   service_role   full DML, RLS bypassed; the rules (triggers) still apply,
--                  so a refused write fails with the rule's SQLSTATE
--                  (23514), never with 42501
--
-- What loosening makes these fail (besides 01_privileges.sql):
--   any INSERT/UPDATE/DELETE grant to anon or authenticated      -> the 42501 rows
--   any SELECT grant to anon                                      -> anon SELECT rows
--   users_select_own / drill_sessions_own / drill_responses_own /
--   evaluation_results_own / entitlement_cache_own /
--   content_admins_own widened                                    -> the owner/stranger SELECT rows
--   content_packs_read / content_pack_questions_read narrowed     -> "sees every pack" rows
--   a revoked service_role privilege                              -> the service_role rows
BEGIN;
\ir helpers.psql

-- Fixtures: fixed ids, so that the statements below can name the rows.
--   a0 admin (PRO, a content admin): uploads the active pack e0
--   a1 owner (PRO): a DRAFT pack e1, a COMPLETED drill d1
--   b1 stranger (BASIC): a COMPLETED drill d2
--   c9 a LOCKED user nobody refers to (service_role deletes it)
DO $fixtures$
BEGIN
    PERFORM pg_temp.create_user('admin@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a0');
    INSERT INTO residency.content_admins (user_id) VALUES ('00000000-0000-0000-0000-0000000000a0');
    PERFORM pg_temp.create_user('owner@example.org', 'PRO', '00000000-0000-0000-0000-0000000000a1');
    PERFORM pg_temp.create_user('stranger@example.org', 'BASIC', '00000000-0000-0000-0000-0000000000b1');
    PERFORM pg_temp.create_user('idle@example.org', 'LOCKED', '00000000-0000-0000-0000-0000000000c9');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a0', 'Active pack', true, '00000000-0000-0000-0000-0000000000e0');
    PERFORM pg_temp.create_pack('00000000-0000-0000-0000-0000000000a1', 'Owner draft', false, '00000000-0000-0000-0000-0000000000e1');
    PERFORM pg_temp.completed_drill('00000000-0000-0000-0000-0000000000a1', 'q1', '00000000-0000-0000-0000-0000000000d1');
    PERFORM pg_temp.completed_drill('00000000-0000-0000-0000-0000000000b1', 'q2', '00000000-0000-0000-0000-0000000000d2');
END
$fixtures$;

-- One write of each kind per table, each aimed at the owner's rows. For
-- anon and authenticated every one of them must fail on privileges (42501)
-- before any rule or row filter is reached.
CREATE TEMP TABLE writes (ord int, tbl text, op text, sql text);
INSERT INTO writes VALUES
 (1,  'users', 'INSERT', $$INSERT INTO residency.users (email) VALUES ('new@example.org')$$),
 (2,  'users', 'UPDATE', $$UPDATE residency.users SET last_login_at = now() WHERE id = '00000000-0000-0000-0000-0000000000a1'$$),
 (3,  'users', 'DELETE', $$DELETE FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a1'$$),
 (4,  'content_packs', 'INSERT', $$INSERT INTO residency.content_packs (version, name, content, uploaded_by)
                                   VALUES ('2.0.0', 'New', pg_temp.pack_text('New', '2.0.0')::jsonb, '00000000-0000-0000-0000-0000000000a1')$$),
 (5,  'content_packs', 'UPDATE', $$UPDATE residency.content_packs SET description = 'changed' WHERE id = '00000000-0000-0000-0000-0000000000e1'$$),
 (6,  'content_packs', 'DELETE', $$DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000e1'$$),
 (7,  'content_pack_questions', 'INSERT', $$INSERT INTO residency.content_pack_questions
                                   (content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, ordinal)
                                   VALUES ('00000000-0000-0000-0000-0000000000e1', 'q9', 'Teamwork', 'Why?', 60, '{x}', 9)$$),
 (8,  'content_pack_questions', 'UPDATE', $$UPDATE residency.content_pack_questions SET prompt = 'changed'
                                   WHERE content_pack_id = '00000000-0000-0000-0000-0000000000e1'$$),
 (9,  'content_pack_questions', 'DELETE', $$DELETE FROM residency.content_pack_questions
                                   WHERE content_pack_id = '00000000-0000-0000-0000-0000000000e1'$$),
 (10, 'drill_sessions', 'INSERT', $$INSERT INTO residency.drill_sessions (user_id, question_id)
                                   VALUES ('00000000-0000-0000-0000-0000000000a1', 'q1')$$),
 (11, 'drill_sessions', 'UPDATE', $$UPDATE residency.drill_sessions SET metadata = '{"x": 1}' WHERE id = '00000000-0000-0000-0000-0000000000d1'$$),
 (12, 'drill_sessions', 'DELETE', $$DELETE FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000d1'$$),
 (13, 'drill_responses', 'INSERT', $$INSERT INTO residency.drill_responses (session_id, content)
                                   VALUES ('00000000-0000-0000-0000-0000000000d1', 'another answer')$$),
 (14, 'drill_responses', 'UPDATE', $$UPDATE residency.drill_responses SET content = 'changed' WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
 (15, 'drill_responses', 'DELETE', $$DELETE FROM residency.drill_responses WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
 (16, 'evaluation_results', 'INSERT', $$INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm,
                                   overall_score, categories, what_changed, practice_rule, model_used, processing_time_ms)
                                   VALUES ('00000000-0000-0000-0000-0000000000d1', gen_random_uuid(), 60, 140, 140, 100,
                                           '[]', '[]', 'Keep going.', 'me', 1)$$),
 (17, 'evaluation_results', 'UPDATE', $$UPDATE residency.evaluation_results SET overall_score = 100 WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
 (18, 'evaluation_results', 'DELETE', $$DELETE FROM residency.evaluation_results WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
 (19, 'entitlement_cache', 'INSERT', $$INSERT INTO residency.entitlement_cache (user_id, entitlement_level, expires_at, last_updated)
                                   VALUES ('00000000-0000-0000-0000-0000000000c9', 'PRO', 4102444800 + 3600, 4102444800)$$),
 (20, 'entitlement_cache', 'UPDATE', $$UPDATE residency.entitlement_cache SET stripe_subscription_id = 'sub_x'
                                   WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
 (21, 'entitlement_cache', 'DELETE', $$DELETE FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$),
 (22, 'content_admins', 'INSERT', $$INSERT INTO residency.content_admins (user_id) VALUES ('00000000-0000-0000-0000-0000000000a1')$$),
 (23, 'content_admins', 'UPDATE', $$UPDATE residency.content_admins SET granted_at = now()
                                   WHERE user_id = '00000000-0000-0000-0000-0000000000a0'$$),
 (24, 'content_admins', 'DELETE', $$DELETE FROM residency.content_admins WHERE user_id = '00000000-0000-0000-0000-0000000000a0'$$);
GRANT SELECT ON writes TO PUBLIC;
CREATE TEMP TABLE tables (ord int, tbl text);
INSERT INTO tables VALUES (1, 'users'), (2, 'content_packs'), (3, 'content_pack_questions'), (4, 'drill_sessions'),
                          (5, 'drill_responses'), (6, 'evaluation_results'), (7, 'entitlement_cache'),
                          (8, 'content_admins');
GRANT SELECT ON tables TO PUBLIC;

SELECT plan(127);

-------------------------------------------------------------------------------
-- anon: 7 tables x 4 operations, all 42501
-------------------------------------------------------------------------------
SELECT pg_temp.as_anon();
SELECT throws_ok(format('SELECT * FROM residency.%I', tbl), '42501', NULL, format('anon: SELECT %s -> 42501', tbl))
FROM tables ORDER BY ord;
SELECT throws_ok(sql, '42501', NULL, format('anon: %s %s -> 42501', op, tbl)) FROM writes ORDER BY ord;

-------------------------------------------------------------------------------
-- authenticated owner: reads their own rows (and every pack), writes nothing
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000a1');
SELECT results_eq('SELECT id FROM residency.users', ARRAY['00000000-0000-0000-0000-0000000000a1'::uuid],
                  'owner: SELECT users -> their own row only');
SELECT set_eq('SELECT id FROM residency.content_packs',
              ARRAY['00000000-0000-0000-0000-0000000000e0'::uuid, '00000000-0000-0000-0000-0000000000e1'],
              'owner: SELECT content_packs -> every pack');
SELECT set_eq('SELECT content_pack_id, id FROM residency.content_pack_questions',
              $$VALUES ('00000000-0000-0000-0000-0000000000e0'::uuid, 'q1'), ('00000000-0000-0000-0000-0000000000e0', 'q2'),
                       ('00000000-0000-0000-0000-0000000000e1', 'q1'), ('00000000-0000-0000-0000-0000000000e1', 'q2')$$,
              'owner: SELECT content_pack_questions -> the questions of every pack');
SELECT results_eq('SELECT id FROM residency.drill_sessions', ARRAY['00000000-0000-0000-0000-0000000000d1'::uuid],
                  'owner: SELECT drill_sessions -> their one session');
SELECT results_eq('SELECT session_id FROM residency.drill_responses', ARRAY['00000000-0000-0000-0000-0000000000d1'::uuid],
                  'owner: SELECT drill_responses -> the response of their session');
SELECT results_eq('SELECT session_id FROM residency.evaluation_results', ARRAY['00000000-0000-0000-0000-0000000000d1'::uuid],
                  'owner: SELECT evaluation_results -> the evaluation of their session');
SELECT results_eq('SELECT user_id, entitlement_level FROM residency.entitlement_cache',
                  $$VALUES ('00000000-0000-0000-0000-0000000000a1'::uuid, 'PRO')$$,
                  'owner: SELECT entitlement_cache -> their own cache row');
SELECT is_empty('SELECT 1 FROM residency.content_admins',
                'owner: SELECT content_admins -> nothing (not a content admin; the admin''s row is invisible)');
SELECT throws_ok(sql, '42501', NULL, format('owner: %s %s -> 42501', op, tbl)) FROM writes ORDER BY ord;

-------------------------------------------------------------------------------
-- authenticated stranger: sees their own rows, none of the owner's
-------------------------------------------------------------------------------
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000b1');
SELECT results_eq('SELECT id FROM residency.users', ARRAY['00000000-0000-0000-0000-0000000000b1'::uuid],
                  'stranger: SELECT users -> their own row only');
SELECT is_empty($$SELECT 1 FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a1'$$,
                'stranger: the owner''s users row is invisible');
SELECT set_eq('SELECT id FROM residency.content_packs',
              ARRAY['00000000-0000-0000-0000-0000000000e0'::uuid, '00000000-0000-0000-0000-0000000000e1'],
              'stranger: SELECT content_packs -> every pack, the owner''s DRAFT included');
SELECT is((SELECT count(*)::int FROM residency.content_pack_questions), 4,
          'stranger: SELECT content_pack_questions -> the questions of every pack');
SELECT results_eq('SELECT id FROM residency.drill_sessions', ARRAY['00000000-0000-0000-0000-0000000000d2'::uuid],
                  'stranger: SELECT drill_sessions -> their own session only');
SELECT is_empty($$SELECT 1 FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000d1'$$,
                'stranger: the owner''s session is invisible');
SELECT results_eq('SELECT session_id FROM residency.drill_responses', ARRAY['00000000-0000-0000-0000-0000000000d2'::uuid],
                  'stranger: SELECT drill_responses -> their own response only');
SELECT is_empty($$SELECT 1 FROM residency.drill_responses WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                'stranger: the owner''s response is invisible');
SELECT results_eq('SELECT session_id FROM residency.evaluation_results', ARRAY['00000000-0000-0000-0000-0000000000d2'::uuid],
                  'stranger: SELECT evaluation_results -> their own evaluation only');
SELECT is_empty($$SELECT 1 FROM residency.evaluation_results WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$,
                'stranger: the owner''s evaluation is invisible');
SELECT results_eq('SELECT user_id FROM residency.entitlement_cache', ARRAY['00000000-0000-0000-0000-0000000000b1'::uuid],
                  'stranger: SELECT entitlement_cache -> their own row only');
SELECT is_empty($$SELECT 1 FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000a1'$$,
                'stranger: the owner''s cache row is invisible');
SELECT throws_ok(sql, '42501', NULL, format('stranger: %s %s (the owner''s rows) -> 42501', op, tbl))
FROM writes ORDER BY ord;

-- an authenticated request without a user id (a token without sub) sees nothing private
SELECT pg_temp.authenticate_as(NULL);
SELECT is((SELECT count(*)::int FROM residency.users) + (SELECT count(*)::int FROM residency.drill_sessions)
          + (SELECT count(*)::int FROM residency.drill_responses) + (SELECT count(*)::int FROM residency.evaluation_results)
          + (SELECT count(*)::int FROM residency.entitlement_cache) + (SELECT count(*)::int FROM residency.content_admins), 0,
          'authenticated without sub: no user, session, response, evaluation, cache or content admin row is visible');

-------------------------------------------------------------------------------
-- service_role: everything, RLS bypassed; the rules still answer
-------------------------------------------------------------------------------
SELECT pg_temp.as_service_role();
SELECT is(ARRAY[(SELECT count(*)::int FROM residency.users), (SELECT count(*)::int FROM residency.content_packs),
                (SELECT count(*)::int FROM residency.content_pack_questions), (SELECT count(*)::int FROM residency.drill_sessions),
                (SELECT count(*)::int FROM residency.drill_responses), (SELECT count(*)::int FROM residency.evaluation_results),
                (SELECT count(*)::int FROM residency.entitlement_cache), (SELECT count(*)::int FROM residency.content_admins)],
          ARRAY[4, 2, 4, 2, 2, 2, 4, 1],
          'service_role: SELECT sees every row of every table');
SELECT set_eq('SELECT id FROM residency.drill_sessions',
              ARRAY['00000000-0000-0000-0000-0000000000d1'::uuid, '00000000-0000-0000-0000-0000000000d2'],
              'service_role: SELECT drill_sessions -> both users'' sessions');

-- users
SELECT lives_ok($$INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c8', 'new@example.org')$$,
                'service_role: INSERT users');
SELECT is(pg_temp.row_count($$UPDATE residency.users SET last_login_at = now() WHERE id = '00000000-0000-0000-0000-0000000000a1'$$),
          1::bigint, 'service_role: UPDATE users (any user''s row)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000c9'$$),
          1::bigint, 'service_role: DELETE users');
-- content_packs
SELECT lives_ok($$INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
                  VALUES ('00000000-0000-0000-0000-0000000000e9', '2.0.0', 'Service pack',
                          pg_temp.pack_text('Service pack', '2.0.0')::jsonb, '00000000-0000-0000-0000-0000000000a1')$$,
                'service_role: INSERT content_packs');
SELECT is(pg_temp.row_count($$UPDATE residency.content_packs SET description = 'changed' WHERE id = '00000000-0000-0000-0000-0000000000e1'$$),
          1::bigint, 'service_role: UPDATE content_packs (another user''s DRAFT)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000e9'$$),
          1::bigint, 'service_role: DELETE content_packs (an unused DRAFT)');
-- content_pack_questions: allowed by the grants, refused by rule P7 (the
-- rows mirror the pack's content) with 23514, not 42501
SELECT throws_ok(sql, '23514', NULL, format('service_role: %s %s -> rule P7 (23514), not a privilege error', op, tbl))
FROM writes WHERE tbl = 'content_pack_questions' ORDER BY ord;
-- drill_sessions, drill_responses, evaluation_results: a whole drill
SELECT lives_ok($$INSERT INTO residency.drill_sessions (id, user_id, question_id)
                  VALUES ('00000000-0000-0000-0000-0000000000d9', '00000000-0000-0000-0000-0000000000b1', 'q1')$$,
                'service_role: INSERT drill_sessions (for any user)');
SELECT lives_ok($$INSERT INTO residency.drill_responses (session_id, content)
                  VALUES ('00000000-0000-0000-0000-0000000000d9', pg_temp.answer())$$,
                'service_role: INSERT drill_responses');
SELECT is(pg_temp.row_count($$UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000d9'$$),
          1::bigint, 'service_role: UPDATE drill_sessions');
SELECT lives_ok($$INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
                      categories, what_changed, practice_rule, model_used, processing_time_ms, details)
                  SELECT s.id, r.id, (x ->> 'duration_s')::numeric, (x ->> 'words')::integer, (x ->> 'wpm')::numeric,
                         (x ->> 'overall_score')::integer, x -> 'categories', x -> 'what_changed', x ->> 'practice_rule',
                         x ->> 'model_used', 5, x -> 'details'
                  FROM residency.drill_sessions AS s JOIN residency.drill_responses AS r ON r.session_id = s.id
                  CROSS JOIN LATERAL residency.score(s.content_pack_id, s.question_id, r.content) AS x
                  WHERE s.id = '00000000-0000-0000-0000-0000000000d9'$$,
                'service_role: INSERT evaluation_results');
-- a response never changes and goes only with its session (R1); an
-- evaluation goes only with its session, but may be re-scored (E3)
SELECT throws_ok(sql, '23514', NULL, format('service_role: %s %s -> a rule (23514), not a privilege error', op, tbl))
FROM writes WHERE (tbl, op) IN (('drill_responses', 'UPDATE'), ('drill_responses', 'DELETE'), ('evaluation_results', 'DELETE'))
ORDER BY ord;
SELECT is(pg_temp.row_count($$UPDATE residency.evaluation_results SET overall_score = 100
                              WHERE session_id = '00000000-0000-0000-0000-0000000000d1'$$),
          1::bigint, 'service_role: UPDATE evaluation_results (re-scoring)');
SELECT is(pg_temp.row_count($$DELETE FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000d9'$$),
          1::bigint, 'service_role: DELETE drill_sessions (its response and evaluation go with it)');
-- entitlement_cache: written by the rules alone (C1); a direct write could
-- make it disagree with users until the row expires
SELECT throws_ok(sql, '42501', NULL, format('service_role: %s %s -> 42501 (the rules write the cache)', op, tbl))
FROM writes WHERE tbl = 'entitlement_cache' ORDER BY ord;
-- content_admins: service_role names them
SELECT is(pg_temp.row_count(sql), 1::bigint, format('service_role: %s %s', op, tbl))
FROM writes WHERE tbl = 'content_admins' ORDER BY ord;

SELECT * FROM finish();
ROLLBACK;
