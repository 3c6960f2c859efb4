SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency_api as PostgREST calls it (docs/data-model.md; docs/postgrest.md, "Endpoints" and "Errors").
--
-- Every request is one transaction, the way PostgREST runs it: BEGIN, the
-- role and the JWT claims as transaction-local settings, the call, then
-- COMMIT (ROLLBACK after an error). Functions declared STABLE and GET
-- requests on views run READ ONLY (PostgREST's access mode). The settings
-- come from psql variables such as :as_basic, which call the tests' helper
-- (residency_test.as_postgrest, as_user: test/modules/residency_test):
-- role authenticated, claims {"sub": "<uuid>", "role": "authenticated"}.
-- anon has no sub; the evaluation worker and billing use service_role.
-- Ids made by the extension are random: they are kept in psql variables and
-- never printed; errors whose DETAIL would show one are printed terse.

\set u_basic  '00000000-0000-0000-0000-0000000000b1'
\set u_other  '00000000-0000-0000-0000-0000000000b2'
\set u_locked '00000000-0000-0000-0000-0000000000b3'
\set u_author '00000000-0000-0000-0000-0000000000b4'
\set u_rival  '00000000-0000-0000-0000-0000000000b5'
\set u_lapsed '00000000-0000-0000-0000-0000000000b6'
\set u_editor '00000000-0000-0000-0000-0000000000b7'
\set u_ghost  '00000000-0000-0000-0000-0000000000b9'
\set no_such  '00000000-0000-0000-0000-0000000000ff'

\set as_basic   'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b1'')'
\set as_other   'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b2'')'
\set as_locked  'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b3'')'
\set as_author  'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b4'')'
\set as_rival   'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b5'')'
\set as_lapsed  'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b6'')'
\set as_editor  'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b7'')'
\set as_ghost   'SELECT residency_test.as_user(''00000000-0000-0000-0000-0000000000b9'')'
\set as_anon    'SELECT residency_test.as_postgrest(''anon'')'
\set as_service 'SELECT residency_test.as_postgrest(''service_role'')'
-- the request settings of a signed-in user
\echo :as_basic

-- Accounts are created at sign-up (LOCKED); billing sets the level.
INSERT INTO residency.users (id, email) VALUES
    (:'u_basic', 'basic@example.org'),
    (:'u_other', 'other@example.org'),
    (:'u_locked', 'locked@example.org'),
    (:'u_author', 'author@example.org'),
    (:'u_rival', 'rival@example.org'),
    (:'u_lapsed', 'lapsed@example.org'),
    (:'u_editor', 'editor@example.org');
\set pack `cat packs/default.json`
-- a small valid pack, and the same padded to 2 kB
\set small '{"version": "1.0.0", "metadata": {"title": "Small", "description": "D", "categories": ["A", "B", "C", "D", "E", "F", "G"]}, "questions": [{"id": "q1", "category": "A", "prompt": "Why?", "expected_duration_s": 90, "evaluation_criteria": ["motivation"]}]}'
SELECT replace(:'small', '"description": "D"', '"description": "' || repeat('x', 1800) || '"') AS big \gset
SELECT octet_length(:'small') AS small_bytes, octet_length(:'big') AS big_bytes;

-------------------------------------------------------------------------------
-- set_entitlement (billing, service_role): LOCKED -> BASIC -> PRO, any -> LOCKED
-------------------------------------------------------------------------------
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => 'BASIC');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_other', level => 'BASIC', stripe_subscription_id => 'sub_other');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_lapsed', level => 'BASIC');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_author', level => 'BASIC');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_author', level => 'PRO', stripe_subscription_id => 'sub_author');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'BASIC');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'PRO');
COMMIT;
-- the same level again is a no-op that may record the subscription
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'PRO', stripe_subscription_id => 'sub_rival');
COMMIT;
-- the cache follows every change and keeps the subscription id (C1)
SELECT u.email, c.entitlement_level, c.stripe_subscription_id, c.expires_at = c.last_updated + 3600 AS ttl_3600
FROM residency.entitlement_cache AS c JOIN residency.users AS u ON u.id = c.user_id ORDER BY u.email;
-- a lost cache row (the table is UNLOGGED) comes back with the next change
DELETE FROM residency.entitlement_cache WHERE user_id = :'u_other';
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_other', level => 'BASIC', stripe_subscription_id => 'sub_other_2');
COMMIT;
SELECT entitlement_level, stripe_subscription_id, expires_at = last_updated + 3600 AS ttl_3600
FROM residency.entitlement_cache WHERE user_id = :'u_other';
-- LOCKED -> PRO skips a step: 409
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_locked', level => 'PRO');
\echo :SQLSTATE
ROLLBACK;
-- unknown user: 404
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'no_such', level => 'BASIC');
\echo :SQLSTATE
ROLLBACK;
-- not a level: 400
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => 'GOLD');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => NULL);
\echo :SQLSTATE
ROLLBACK;
-- only service_role: a signed-in user cannot raise their own level
BEGIN; :as_basic \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => 'PRO');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => 'PRO');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- No pack is active yet: start_drill finds no question (404); questions is empty
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_basic \gset
SELECT count(*) AS questions FROM residency_api.questions;
COMMIT;

-------------------------------------------------------------------------------
-- upload_content_pack (PRO): DRAFT, checksum and file_size of the exact text
-------------------------------------------------------------------------------
BEGIN; :as_author \gset
SELECT status, name, version, description IS NOT NULL AS has_description, schema_version,
       uploaded_by = :'u_author' AS uploaded_by_caller, activated_at IS NULL AS not_activated,
       checksum = encode(sha256(convert_to(:'pack', 'UTF8')), 'hex') AS checksum_of_text,
       file_size = octet_length(:'pack') AS file_size_of_text
FROM residency_api.upload_content_pack(pack => :'pack');
COMMIT;
SELECT id AS pack_a FROM residency.content_packs WHERE name = 'Residency Interview Essentials' AND version = '1.0.0' \gset
-- the question rows mirror the pack (P7)
SELECT count(*) AS question_rows FROM residency.content_pack_questions WHERE content_pack_id = :'pack_a';
-- a compact copy (version 1.1.0, one more question), name and description given:
-- checksum and size are those of this text
SELECT jsonb_insert(jsonb_set(:'pack'::jsonb, '{version}', '"1.1.0"'), '{questions,-1}',
                 '{"id": "b-only", "category": "Teamwork", "prompt": "Only in B?", "expected_duration_s": 60, "evaluation_criteria": ["teamwork"]}',
                 true)::text AS pack_b \gset
BEGIN; :as_author \gset
SELECT status, name, version, description,
       checksum = encode(sha256(convert_to(:'pack_b', 'UTF8')), 'hex') AS checksum_of_text,
       file_size = octet_length(:'pack_b') AS file_size_of_text, file_size < octet_length(:'pack') AS compact
FROM residency_api.upload_content_pack(pack => :'pack_b', name => 'Pack B', description => 'Compact copy');
COMMIT;
SELECT id AS pack_b_id FROM residency.content_packs WHERE name = 'Pack B' \gset
-- a small pack, uploaded under its title
BEGIN; :as_author \gset
SELECT status, name, version, description, file_size = octet_length(:'small') AS file_size_of_text
FROM residency_api.upload_content_pack(pack => :'small');
COMMIT;
-- the same name and version again: 409 (23505)
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'pack');
\echo :SQLSTATE
ROLLBACK;
-- BASIC users cannot upload: 403 (42501)
BEGIN; :as_basic \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'pack', name => 'Mine');
\echo :SQLSTATE
ROLLBACK;
-- LOCKED: 402
BEGIN; :as_locked \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'pack', name => 'Mine');
\echo :SQLSTATE
ROLLBACK;
-- not signed in, or no account: 42501
BEGIN; :as_anon \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'pack', name => 'Mine');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_ghost \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'pack', name => 'Mine');
\echo :SQLSTATE
ROLLBACK;
-- not JSON: 22P02
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => '{"version": "1.0.0", "metadata": ');
\echo :SQLSTATE
ROLLBACK;
-- duplicate keys, which jsonb would silently drop: 22023 with their paths
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => '{"version": "1.0.0", "metadata": {"title": "T", "title": "T2", "description": "D", "categories": ["A", "B", "C", "D", "E", "F", "G"]}, "questions": [{"id": "q1", "category": "A", "prompt": "Why?", "prompt": "Why not?", "expected_duration_s": 90, "evaluation_criteria": ["motivation"]}]}');
\echo :SQLSTATE
ROLLBACK;
-- a \u0000 in a string, which jsonb cannot hold: 22023 with its path
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => '{"version": "1.0.0", "metadata": {"title": "T", "description": "D", "categories": ["A", "B", "C", "D", "E", "F", "G"]}, "questions": [{"id": "q1", "category": "A", "prompt": "Why\u0000?", "expected_duration_s": 90, "evaluation_criteria": ["motivation"]}]}');
\echo :SQLSTATE
ROLLBACK;
-- rule P1: every problem with its path, in one error
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => '{"version": "1.0", "metadata": {"title": "T", "description": "", "categories": ["A", "B", "C", "D", "E", "F"]}, "questions": [{"id": "q1", "category": "Surgery", "prompt": "", "expected_duration_s": 0, "evaluation_criteria": ["motivation", ""]}, {"id": "q1", "category": "A", "promt": "Why?", "expected_duration_s": 90, "evaluation_criteria": [], "kind": "hypothetical"}]}');
\echo :SQLSTATE
ROLLBACK;
-- with the 7 categories given, a question's category is checked against them
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => replace(:'small', '"category": "A"', '"category": "Surgery"'));
\echo :SQLSTATE
ROLLBACK;
-- not an object at all
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => '[1, 2, 3]');
\echo :SQLSTATE
ROLLBACK;
-- NULL pack
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => NULL);
\echo :SQLSTATE
ROLLBACK;
-- nested deeper than residency.max_json_depth (64): 413
SELECT '{"version": "1.0.0", "metadata": {"title": "T", "description": "D", "x": ' || repeat('[', 70) || repeat(']', 70) || '}}' AS deep \gset
BEGIN; :as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'deep');
\echo :SQLSTATE
ROLLBACK;
-- larger than residency.max_pack_bytes (a superuser setting, lowered for this request): 413
BEGIN;
SELECT set_config('residency.max_pack_bytes', '1kB', true) AS max_pack_bytes \gset
:as_author \gset
SELECT status FROM residency_api.upload_content_pack(pack => :'big');
\echo :SQLSTATE
ROLLBACK;
-- nothing was stored by the failed uploads
SELECT name, version, status FROM residency.content_packs ORDER BY name;

-------------------------------------------------------------------------------
-- validate_content_pack: a dry run that reports, never raises for a bad pack
-- (STABLE: PostgREST runs it READ ONLY)
-------------------------------------------------------------------------------
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.validate_content_pack(pack => :'pack') AS report;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT r -> 'valid' AS valid, jsonb_array_length(r -> 'errors') AS errors, r -> 'questions' AS questions,
       jsonb_array_length(r -> 'categories') AS categories
FROM residency_api.validate_content_pack(pack => :'pack') AS r;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT jsonb_pretty(residency_api.validate_content_pack(pack => '{"version": "1.0", "metadata": {"title": "T", "description": "D", "categories": ["A", "B", "C", "D", "E", "F"]}, "questions": [{"id": "q1", "category": "Surgery", "prompt": "Why?", "prompt": "Why not?", "expected_duration_s": 90, "evaluation_criteria": ["motivation"]}]}')) AS report;
COMMIT;
-- not JSON, too deep and too large are reported too
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.validate_content_pack(pack => '{"version": ') AS report;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.validate_content_pack(pack => :'deep') AS report;
COMMIT;
BEGIN READ ONLY;
SELECT set_config('residency.max_pack_bytes', '1kB', true) AS max_pack_bytes \gset
:as_basic \gset
SELECT residency_api.validate_content_pack(pack => :'big') AS report;
COMMIT;
-- no pack at all is a malformed argument
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.validate_content_pack(pack => NULL);
\echo :SQLSTATE
ROLLBACK;
-- a LOCKED user may check a pack too; anon and users without an account may not
BEGIN READ ONLY; :as_locked \gset
SELECT residency_api.validate_content_pack(pack => '[]') -> 'valid' AS valid;
COMMIT;
BEGIN READ ONLY; :as_anon \gset
SELECT residency_api.validate_content_pack(pack => :'pack');
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_ghost \gset
SELECT residency_api.validate_content_pack(pack => :'pack');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- set_content_admin (service_role): content admins may activate and archive
-- packs for everyone; the editor is staff, with no subscription (LOCKED)
-------------------------------------------------------------------------------
BEGIN; :as_service \gset
SELECT residency_api.set_content_admin(user_id => :'u_editor') AS content_admin;
COMMIT;
-- again: no change
BEGIN; :as_service \gset
SELECT residency_api.set_content_admin(user_id => :'u_editor', content_admin => true) AS content_admin;
COMMIT;
SELECT u.email FROM residency.content_admins AS a JOIN residency.users AS u ON u.id = a.user_id;
-- the editor sees their own row; others see none
BEGIN READ ONLY; :as_editor \gset
SELECT count(*) AS own_row FROM residency.content_admins;
COMMIT;
BEGIN READ ONLY; :as_author \gset
SELECT count(*) AS rows_seen FROM residency.content_admins;
COMMIT;
-- unknown user: 404; NULL: 400; only service_role: a PRO user cannot name themselves
BEGIN; :as_service \gset
SELECT residency_api.set_content_admin(user_id => :'no_such');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT residency_api.set_content_admin(user_id => :'u_author', content_admin => NULL);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_author \gset
SELECT residency_api.set_content_admin(user_id => :'u_author');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- activate_content_pack: operators only (service_role, content admins)
-------------------------------------------------------------------------------
-- a PRO user cannot activate a pack, not even their own: the ACTIVE pack is
-- what every user drills and is scored against (42501)
BEGIN; :as_author \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
-- a content admin activates any pack
BEGIN; :as_editor \gset
SELECT name, version, status, activated_at IS NOT NULL AS activated FROM residency_api.activate_content_pack(pack_id => :'pack_a');
COMMIT;
SELECT activated_at AS pack_a_activated_at FROM residency.content_packs WHERE id = :'pack_a' \gset
-- again: the ACTIVE pack comes back unchanged
BEGIN; :as_editor \gset
SELECT name, status, activated_at = :'pack_a_activated_at' AS same_activated_at FROM residency_api.activate_content_pack(pack_id => :'pack_a');
COMMIT;
-- a pack that does not exist: 404
\set VERBOSITY terse
BEGIN; :as_editor \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'no_such');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- BASIC, LOCKED, anon: 42501
BEGIN; :as_basic \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_b_id');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_locked \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_b_id');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_b_id');
\echo :SQLSTATE
ROLLBACK;
SELECT name, version, status, activated_at IS NOT NULL AS activated FROM residency.content_packs ORDER BY name;

-------------------------------------------------------------------------------
-- The questions view (GET /questions): the active pack, criteria without keywords
-------------------------------------------------------------------------------
BEGIN READ ONLY; :as_basic \gset
SELECT count(*) AS questions, count(DISTINCT category) AS categories,
       bool_and(content_pack_id = :'pack_a') AS all_active_pack,
       count(*) FILTER (WHERE array_to_string(evaluation_criteria, ' ') LIKE '%[kw:%') AS criteria_with_keywords
FROM residency_api.questions;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT ordinal, id, category, kind, expected_duration_s, content_pack_version, evaluation_criteria[1] AS first_criterion
FROM residency_api.questions ORDER BY ordinal LIMIT 3;
COMMIT;
-- the stored criteria keep them (the scorer reads them)
SELECT evaluation_criteria[1] FROM residency.content_pack_questions
WHERE content_pack_id = :'pack_a' AND id = 'mot-tell-me-about-yourself';
BEGIN READ ONLY; :as_anon \gset
SELECT count(*) FROM residency_api.questions;
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- start_drill
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT user_id = :'u_basic' AS own, question_id, status, content_pack_id = :'pack_a' AS active_pack, content_pack_version,
       submitted_at IS NULL AND processing_started_at IS NULL AND completed_at IS NULL AS no_transitions
FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
COMMIT;
SELECT id AS s_typed FROM residency.drill_sessions WHERE user_id = :'u_basic' ORDER BY started_at DESC LIMIT 1 \gset
-- unknown question: 404 (terse: the DETAIL names the active pack's id)
\set VERBOSITY terse
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'no-such-question');
\echo :SQLSTATE
ROLLBACK;
-- a question of a DRAFT pack only: 404
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'b-only');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => NULL);
\echo :SQLSTATE
ROLLBACK;
-- a NULL id is a bad request (22023, HTTP 400), not "not found"
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => NULL, content => 'I paged the senior.');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => NULL);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_editor \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => NULL);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => NULL, result => '{}');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT status FROM residency_api.fail_evaluation(session_id => NULL, reason => 'speech-to-text timed out');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT email FROM residency_api.set_entitlement(user_id => NULL, level => 'BASIC');
\echo :SQLSTATE
ROLLBACK;
-- LOCKED: 402
BEGIN; :as_locked \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
\echo :SQLSTATE
ROLLBACK;
-- not signed in, signed in without an account: 42501
BEGIN; :as_anon \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_ghost \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
\echo :SQLSTATE
ROLLBACK;
-- a JWT with an empty sub is not signed in either
BEGIN;
SELECT residency_test.as_postgrest('authenticated', '{"sub":"","role":"authenticated"}') \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- submit_response
-------------------------------------------------------------------------------
-- a typed answer (a weak first attempt)
BEGIN; :as_basic \gset
SELECT session_id = :'s_typed' AS this_session, content, audio_url, audio_duration_s, word_count
FROM residency_api.submit_response(session_id => :'s_typed',
    content => 'Um, so, like, we kind of disagreed about stuff, you know, and I guess it was fine.');
COMMIT;
SELECT status, submitted_at IS NOT NULL AS submitted FROM residency.drill_sessions WHERE id = :'s_typed';
-- a second response: 409
\set VERBOSITY terse
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_typed', content => 'Another answer.');
\echo :SQLSTATE
ROLLBACK;
-- another user's session: 404, as if it did not exist
BEGIN; :as_other \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_typed', content => 'My answer.');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'no_such', content => 'My answer.');
\echo :SQLSTATE
ROLLBACK;
-- an audio-only answer
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'team-interprofessional');
COMMIT;
SELECT id AS s_audio FROM residency.drill_sessions WHERE user_id = :'u_basic' ORDER BY started_at DESC LIMIT 1 \gset
-- neither content nor audio: 400 (22023)
\set VERBOSITY terse
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- a bad audio_url or duration: 22023 (R2)
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'ftp://cdn.example.org/a.m4a', audio_duration_s => 60);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'https:///a.m4a', audio_duration_s => 60);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'https://cdn.example.org/my answer.m4a', audio_duration_s => 60);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'https://cdn.example.org/a.m4a', audio_duration_s => 0);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'https://cdn.example.org/a.m4a', audio_duration_s => 3601);
\echo :SQLSTATE
ROLLBACK;
-- blank content: 22023
BEGIN; :as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', content => '   ');
\echo :SQLSTATE
ROLLBACK;
-- over residency.max_answer_chars (a superuser setting, lowered for this request): 413
BEGIN;
SELECT set_config('residency.max_answer_chars', '20', true) AS max_answer_chars \gset
:as_basic \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_audio', content => 'I spoke to the nurse in charge first.');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT content, audio_url, audio_duration_s, word_count
FROM residency_api.submit_response(session_id => :'s_audio', audio_url => 'https://cdn.example.org/answers/1.m4a', audio_duration_s => 42.5);
COMMIT;
SELECT status FROM residency.drill_sessions WHERE id = :'s_audio';
-- LOCKED users cannot answer: 402 (a session started while BASIC)
BEGIN; :as_lapsed \gset
SELECT status FROM residency_api.start_drill(question_id => 'mot-why-specialty');
COMMIT;
SELECT id AS s_lapsed FROM residency.drill_sessions WHERE user_id = :'u_lapsed' \gset
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_lapsed', level => 'LOCKED');
COMMIT;
BEGIN; :as_lapsed \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_lapsed', content => 'Because I like it.');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_lapsed', content => 'Because I like it.');
\echo :SQLSTATE
ROLLBACK;
SELECT status FROM residency.drill_sessions WHERE id = :'s_lapsed';

-------------------------------------------------------------------------------
-- evaluate_session: SUBMITTED -> PROCESSING -> scored -> COMPLETED in one call
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT session_id = :'s_typed' AS this_session, overall_score BETWEEN 0 AND 100 AS score_0_100, words,
       duration_s > 0 AS has_duration, (details #>> '{weights,Pace}')::numeric = 0 AS typed_pace_unweighted,
       jsonb_array_length(categories) AS categories, jsonb_array_length(what_changed) BETWEEN 1 AND 3 AS what_changed_1_to_3,
       practice_rule <> '' AS has_practice_rule, model_used, processing_time_ms >= 1 AS timed, details IS NOT NULL AS has_details
FROM residency_api.evaluate_session(session_id => :'s_typed');
COMMIT;
SELECT status, processing_started_at IS NOT NULL AS processing_started, completed_at IS NOT NULL AS completed,
       processing_time_ms >= 1 AS timed
FROM residency.drill_sessions WHERE id = :'s_typed';
SELECT string_agg(c ->> 'name', ', ' ORDER BY n) AS names, bool_and(c ->> 'passFlag' IN ('PASS', 'FLAG')) AS verdicts,
       bool_and(c ->> 'note' <> '') AS notes
FROM residency.evaluation_results AS e, jsonb_array_elements(e.categories) WITH ORDINALITY AS x(c, n) WHERE e.session_id = :'s_typed';
-- already COMPLETED: 409
\set VERBOSITY terse
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_typed');
\echo :SQLSTATE
ROLLBACK;
-- audio only: 409, the worker evaluates it
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_audio');
\echo :SQLSTATE
ROLLBACK;
-- STARTED, nothing submitted: 409
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'eth-impaired-colleague');
COMMIT;
SELECT id AS s_started FROM residency.drill_sessions WHERE user_id = :'u_basic' ORDER BY started_at DESC LIMIT 1 \gset
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_started');
\echo :SQLSTATE
ROLLBACK;
-- another user's session: 404
BEGIN; :as_other \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_typed');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'no_such');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_started');
\echo :SQLSTATE
ROLLBACK;
-- a LOCKED user: 402
BEGIN; :as_lapsed \gset
SELECT overall_score FROM residency_api.evaluate_session(session_id => :'s_lapsed');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- submit_and_evaluate: both in one round trip; a second, stronger attempt at
-- the same question says what improved since the first
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
COMMIT;
SELECT id AS s_second FROM residency.drill_sessions WHERE user_id = :'u_basic' ORDER BY started_at DESC LIMIT 1 \gset
BEGIN; :as_basic \gset
SELECT session_id = :'s_second' AS this_session, words, jsonb_array_length(categories) AS categories,
       jsonb_array_length(what_changed) BETWEEN 1 AND 3 AS what_changed_1_to_3, model_used,
       details -> 'improvement' IS NOT NULL AS improvement_noted,
       what_changed ->> 0 LIKE (details #>> '{improvement,check}') || '%->%' AS first_item_is_the_improvement
FROM residency_api.submit_and_evaluate(session_id => :'s_second',
    content => 'During my internal medicine rotation, the attending wanted to discharge a patient whose potassium was still low. '
               'I was worried, so I asked if we could recheck the lab first. I explained my concern respectfully after rounds, '
               'I showed him the trend over three days, and I suggested a repeat level before discharge. He agreed. As a result, '
               'we caught a drop to 2.9 and held the discharge for one more day, and the patient went home safely 24 hours later. '
               'I learned to raise concerns early, privately and with data, and since then I bring the numbers when I disagree.');
COMMIT;
SELECT e2.overall_score > e1.overall_score AS better_than_first,
       (e2.details #>> '{improvement,to}')::numeric > (e2.details #>> '{improvement,from}')::numeric AS improved,
       jsonb_typeof(e1.details -> 'improvement') = 'null' AS first_had_none
FROM residency.evaluation_results AS e1, residency.evaluation_results AS e2
WHERE e1.session_id = :'s_typed' AND e2.session_id = :'s_second';
-- the result a third attempt is compared with is the newest completed one
SELECT residency.previous_result(s.user_id, s.content_pack_id, s.question_id, gen_random_uuid())
         = jsonb_build_object('categories', e2.categories, 'details', e2.details) AS compares_with_newest
FROM residency.drill_sessions AS s JOIN residency.evaluation_results AS e2 ON e2.session_id = s.id
WHERE s.id = :'s_second';
SELECT s.status, r.word_count, r.audio_url IS NULL AS typed
FROM residency.drill_sessions AS s JOIN residency.drill_responses AS r ON r.session_id = s.id WHERE s.id = :'s_second';
-- no content (audio only): 409, and nothing is stored
\set VERBOSITY terse
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started',
    audio_url => 'https://cdn.example.org/answers/2.m4a', audio_duration_s => 30);
\echo :SQLSTATE
ROLLBACK;
SELECT s.status, (SELECT count(*) FROM residency.drill_responses AS r WHERE r.session_id = s.id) AS responses
FROM residency.drill_sessions AS s WHERE s.id = :'s_started';
-- a session that already has a response: 409
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_second', content => 'Again.');
\echo :SQLSTATE
ROLLBACK;
-- another user's session: 404
BEGIN; :as_other \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started', content => 'Mine now.');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- blank content: 22023, nothing stored
BEGIN; :as_basic \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started', content => ' ');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_lapsed \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_lapsed', content => 'Because I like it.');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started', content => 'Because I like it.');
\echo :SQLSTATE
ROLLBACK;
-- the caller is checked before the arguments: not signed in 42501, LOCKED 402
BEGIN; :as_anon \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_locked \gset
SELECT overall_score FROM residency_api.submit_and_evaluate(session_id => :'s_started', audio_url => 'https://cdn.example.org/answers/2.m4a', audio_duration_s => 30);
\echo :SQLSTATE
ROLLBACK;
SELECT s.status, (SELECT count(*) FROM residency.drill_responses AS r WHERE r.session_id = s.id) AS responses
FROM residency.drill_sessions AS s WHERE s.id = :'s_started';

-------------------------------------------------------------------------------
-- score_answer: a preview that stores nothing (STABLE: READ ONLY)
-------------------------------------------------------------------------------
SELECT (SELECT count(*) FROM residency.drill_sessions) AS sessions, (SELECT count(*) FROM residency.drill_responses) AS responses,
       (SELECT count(*) FROM residency.evaluation_results) AS evaluations \gset before_
BEGIN READ ONLY; :as_basic \gset
SELECT (r ->> 'overall_score')::int <= 20 AS capped_under_25_words, r -> 'words' AS words, r -> 'duration_estimated' AS estimated,
       jsonb_array_length(r -> 'categories') AS categories, r ->> 'model_used' AS model_used
FROM residency_api.score_answer(question_id => 'conf-disagree-attending',
    content => 'I asked the attending privately whether we could recheck the potassium before discharge.') AS r;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT r -> 'duration_s' AS duration_s, r -> 'duration_estimated' AS estimated, r -> 'wpm' AS wpm
FROM residency_api.score_answer(question_id => 'conf-disagree-attending',
    content => 'I asked the attending privately whether we could recheck the potassium before discharge.', duration_s => 6) AS r;
COMMIT;
SELECT (SELECT count(*) FROM residency.drill_sessions) = :before_sessions AS same_sessions,
       (SELECT count(*) FROM residency.drill_responses) = :before_responses AS same_responses,
       (SELECT count(*) FROM residency.evaluation_results) = :before_evaluations AS same_evaluations;
-- unknown question: 404 (terse: the DETAIL names the active pack's id)
\set VERBOSITY terse
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.score_answer(question_id => 'no-such-question', content => 'I asked.');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- blank or missing answer: 22023
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.score_answer(question_id => 'conf-disagree-attending', content => '  ');
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.score_answer(question_id => 'conf-disagree-attending', content => NULL);
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_basic \gset
SELECT residency_api.score_answer(question_id => 'conf-disagree-attending', content => 'I asked.', duration_s => 0);
\echo :SQLSTATE
ROLLBACK;
-- anon: 42501; LOCKED: 402
BEGIN READ ONLY; :as_anon \gset
SELECT residency_api.score_answer(question_id => 'conf-disagree-attending', content => 'I asked.');
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_locked \gset
SELECT residency_api.score_answer(question_id => 'conf-disagree-attending', content => 'I asked.');
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- my_sessions and my_evaluations (GET, READ ONLY): only the caller's rows
-------------------------------------------------------------------------------
BEGIN READ ONLY; :as_basic \gset
SELECT question_id, status FROM residency_api.my_sessions ORDER BY started_at;
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT question_id, content_pack_id = :'pack_a' AS active_pack, overall_score BETWEEN 0 AND 100 AS score_0_100, model_used
FROM residency_api.my_evaluations ORDER BY created_at;
COMMIT;
-- another user sees none of them
BEGIN READ ONLY; :as_other \gset
SELECT count(*) AS sessions, count(*) FILTER (WHERE user_id = :'u_basic') AS basics FROM residency_api.my_sessions;
COMMIT;
BEGIN READ ONLY; :as_other \gset
SELECT count(*) AS evaluations FROM residency_api.my_evaluations;
COMMIT;
-- a LOCKED user still sees their own history
BEGIN READ ONLY; :as_lapsed \gset
SELECT question_id, status FROM residency_api.my_sessions;
COMMIT;
-- the tables, read directly, are filtered the same way (RLS)
BEGIN READ ONLY; :as_other \gset
SELECT (SELECT count(*) FROM residency.drill_sessions) AS sessions, (SELECT count(*) FROM residency.drill_responses) AS responses,
       (SELECT count(*) FROM residency.evaluation_results) AS evaluations;
COMMIT;
-- anon cannot read them
BEGIN READ ONLY; :as_anon \gset
SELECT count(*) FROM residency_api.my_sessions;
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_anon \gset
SELECT count(*) FROM residency_api.my_evaluations;
\echo :SQLSTATE
ROLLBACK;

-------------------------------------------------------------------------------
-- The evaluation worker (service_role)
-------------------------------------------------------------------------------
-- two more audio answers, by another user, after basic's
BEGIN; :as_other \gset
SELECT status FROM residency_api.start_drill(question_id => 'lead-led-team');
COMMIT;
SELECT id AS s_other1 FROM residency.drill_sessions WHERE user_id = :'u_other' ORDER BY started_at DESC LIMIT 1 \gset
BEGIN; :as_other \gset
SELECT status FROM residency_api.start_drill(question_id => 'pc-bad-news');
COMMIT;
SELECT id AS s_other2 FROM residency.drill_sessions WHERE user_id = :'u_other' ORDER BY started_at DESC LIMIT 1 \gset
BEGIN; :as_other \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_other1', audio_url => 'https://cdn.example.org/answers/3.m4a', audio_duration_s => 75);
COMMIT;
BEGIN; :as_other \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s_other2', audio_url => 'https://cdn.example.org/answers/4.m4a', audio_duration_s => 80);
COMMIT;
-- the queue: SUBMITTED sessions, oldest first
SELECT s.question_id, u.email FROM residency.drill_sessions AS s JOIN residency.users AS u ON u.id = s.user_id
WHERE s.status = 'SUBMITTED' ORDER BY s.submitted_at;
-- the worker claims the two oldest: PROCESSING
BEGIN; :as_service \gset
SELECT question_id, status, processing_started_at IS NOT NULL AS processing_started
FROM residency_api.claim_submissions(max_count => 2) ORDER BY submitted_at;
COMMIT;
BEGIN; :as_service \gset
SELECT question_id, status FROM residency_api.claim_submissions();
COMMIT;
-- an empty queue: no rows
BEGIN; :as_service \gset
SELECT count(*) AS claimed FROM residency_api.claim_submissions(max_count => 5);
COMMIT;
-- max_count out of range: 22023
BEGIN; :as_service \gset
SELECT count(*) FROM residency_api.claim_submissions(max_count => 0);
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT count(*) FROM residency_api.claim_submissions(max_count => NULL);
\echo :SQLSTATE
ROLLBACK;
-- the worker's functions are service_role's only
BEGIN; :as_basic \gset
SELECT count(*) FROM residency_api.claim_submissions();
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT count(*) FROM residency_api.claim_submissions();
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT count(*) FROM residency_api.record_evaluation(session_id => :'s_audio', result => '{}');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT count(*) FROM residency_api.fail_evaluation(session_id => :'s_audio', reason => 'no');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_basic \gset
SELECT residency_api.fail_stale_processing();
\echo :SQLSTATE
ROLLBACK;
-- the calls below bypass the wrappers: the implementations check the caller too
BEGIN; :as_basic \gset
SELECT count(*) FROM residency.claim_submissions(1);
\echo :SQLSTATE
ROLLBACK;
-- record_evaluation: the worker's result (here the built-in scorer's, on the transcript)
SELECT residency.score(:'pack_a', 'team-interprofessional',
    'On my surgery rotation I noticed the night nurse and the resident disagreed about a patient''s pain plan. '
    'I asked both what they had seen, I paged the senior with a summary, and we agreed on a plan within an hour. '
    'As a result the patient slept, and I learned to bring people together early.', 42.5) AS worker_result \gset
-- the same answer as a 75 s recording (s_other1's)
SELECT residency.score(:'pack_a', 'team-interprofessional',
    'On my surgery rotation I noticed the night nurse and the resident disagreed about a patient''s pain plan. '
    'I asked both what they had seen, I paged the senior with a summary, and we agreed on a plan within an hour. '
    'As a result the patient slept, and I learned to bring people together early.', 75) AS worker_result75 \gset
BEGIN; :as_service \gset
SELECT session_id = :'s_audio' AS this_session, overall_score = (:'worker_result'::jsonb ->> 'overall_score')::int AS score_kept,
       jsonb_array_length(categories) AS categories, duration_s, model_used, processing_time_ms >= 1 AS timed
FROM residency_api.record_evaluation(session_id => :'s_audio', result => :'worker_result');
COMMIT;
SELECT status, completed_at IS NOT NULL AS completed, processing_time_ms >= 1 AS timed FROM residency.drill_sessions WHERE id = :'s_audio';
-- the owner sees it
BEGIN READ ONLY; :as_basic \gset
SELECT question_id, overall_score = (:'worker_result'::jsonb ->> 'overall_score')::int AS score_kept FROM residency_api.my_evaluations
WHERE session_id = :'s_audio';
COMMIT;
-- recorded once: the session is COMPLETED now (409)
\set VERBOSITY terse
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_audio', result => :'worker_result');
\echo :SQLSTATE
ROLLBACK;
-- not PROCESSING (STARTED): 409
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_started', result => :'worker_result');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- unknown session: 404
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'no_such', result => :'worker_result');
\echo :SQLSTATE
ROLLBACK;
-- a key missing: 22023
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1', result => :'worker_result75'::jsonb - 'practice_rule' - 'wpm');
\echo :SQLSTATE
ROLLBACK;
-- not an object: 22023
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1', result => '[]');
\echo :SQLSTATE
ROLLBACK;
-- 6 categories: 22023 with rule E2's problems in DETAIL
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => jsonb_set(:'worker_result75'::jsonb, '{categories}', (:'worker_result75'::jsonb -> 'categories') - 6));
\echo :SQLSTATE
ROLLBACK;
-- figures that disagree (E3): 22023
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || '{"overall_score": 101, "what_changed": ["a", "b", "c", "d"]}');
\echo :SQLSTATE
ROLLBACK;
-- The worker is trusted, but what it sends is checked against what it
-- evaluates. s_other1's recording is 75 s long.
-- a duration that is not the recording's, with a wpm that agrees with it: 22023
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || '{"duration_s": 1e308, "wpm": 0}');
\echo :SQLSTATE
ROLLBACK;
-- the recording's length give or take 1 s or 5% (decoders and phones measure
-- differently): 73 s is accepted
BEGIN; :as_service \gset
SELECT duration_s, wpm FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || jsonb_build_object(
        'duration_s', 73, 'wpm', round((:'worker_result75'::jsonb ->> 'words')::numeric * 60 / 73, 2)));
ROLLBACK;
-- numbers sent as JSON strings: 22023, each with its path
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || '{"overall_score": "42", "duration_s": "42.5"}');
\echo :SQLSTATE
ROLLBACK;
-- an integer with a fraction: 22023, and the DETAIL says where
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || '{"overall_score": 100.4}');
\echo :SQLSTATE
ROLLBACK;
-- texts of Unicode white space only are as blank as spaces: a no-break space,
-- an ideographic space, a zero-width space (22023)
BEGIN; :as_service \gset
SELECT overall_score FROM residency_api.record_evaluation(session_id => :'s_other1',
    result => :'worker_result75'::jsonb || jsonb_build_object('model_used', U&'\00A0', 'practice_rule', U&'\3000\200B'));
\echo :SQLSTATE
ROLLBACK;
SELECT status FROM residency.drill_sessions WHERE id = :'s_other1';
-- fail_evaluation: FAILED, the reason kept in metadata
BEGIN; :as_service \gset
SELECT question_id, status, metadata ->> 'failure_reason' AS failure_reason, processing_time_ms >= 1 AS timed
FROM residency_api.fail_evaluation(session_id => :'s_other1', reason => 'speech-to-text timed out');
COMMIT;
-- a blank reason: 22023
BEGIN; :as_service \gset
SELECT status FROM residency_api.fail_evaluation(session_id => :'s_other2', reason => '  ');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT status FROM residency_api.fail_evaluation(session_id => :'s_other2', reason => U&'\00A0\2003');
\echo :SQLSTATE
ROLLBACK;
-- unknown session: 404
BEGIN; :as_service \gset
SELECT status FROM residency_api.fail_evaluation(session_id => :'no_such', reason => 'lost');
\echo :SQLSTATE
ROLLBACK;
-- not PROCESSING (FAILED already): 409
\set VERBOSITY terse
BEGIN; :as_service \gset
SELECT status FROM residency_api.fail_evaluation(session_id => :'s_other1', reason => 'again');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- fail_stale_processing: s_other2 has been PROCESSING for longer than 1 ms
SELECT pg_sleep(0.01);
BEGIN; :as_service \gset
SELECT residency_api.fail_stale_processing(older_than => '1 millisecond') AS failed;
COMMIT;
SELECT status, metadata ->> 'failure_reason' AS failure_reason FROM residency.drill_sessions WHERE id = :'s_other2';
-- nothing left to fail; the default is 15 minutes
BEGIN; :as_service \gset
SELECT residency_api.fail_stale_processing(older_than => '1 millisecond') AS failed;
COMMIT;
BEGIN; :as_service \gset
SELECT residency_api.fail_stale_processing() AS failed;
COMMIT;
BEGIN; :as_service \gset
SELECT residency_api.fail_stale_processing(older_than => '0');
\echo :SQLSTATE
ROLLBACK;
-- the other user's history
BEGIN READ ONLY; :as_other \gset
SELECT question_id, status, metadata ->> 'failure_reason' AS failure_reason FROM residency_api.my_sessions ORDER BY started_at;
COMMIT;

-------------------------------------------------------------------------------
-- my_entitlement (STABLE: READ ONLY), from the cache
-------------------------------------------------------------------------------
BEGIN READ ONLY; :as_basic \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later,
       expires_at <= extract(epoch FROM now()) + 3600 AS within_ttl
FROM residency_api.my_entitlement();
COMMIT;
BEGIN READ ONLY; :as_author \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;
-- LOCKED users still see their level
BEGIN READ ONLY; :as_locked \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency_api.my_entitlement();
COMMIT;
BEGIN READ ONLY; :as_lapsed \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;
-- older PostgREST versions set request.jwt.claim.sub instead
BEGIN READ ONLY;
SELECT set_config('role', 'authenticated', true) AS pgrst_role, set_config('request.jwt.claim.sub', :'u_author', true) AS pgrst_sub \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;
-- anon, or no account: 42501
BEGIN READ ONLY; :as_anon \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
\echo :SQLSTATE
ROLLBACK;
BEGIN READ ONLY; :as_ghost \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
\echo :SQLSTATE
ROLLBACK;
-- a missing cache row is rebuilt from users (C1): a READ ONLY request answers
-- from users, the next request that may write stores the row again
DELETE FROM residency.entitlement_cache WHERE user_id = :'u_basic';
BEGIN READ ONLY; :as_basic \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency_api.my_entitlement();
COMMIT;
SELECT count(*) AS cache_rows FROM residency.entitlement_cache WHERE user_id = :'u_basic';
BEGIN; :as_basic \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency_api.my_entitlement();
COMMIT;
SELECT entitlement_level, expires_at = last_updated + 3600 AS ttl_3600 FROM residency.entitlement_cache WHERE user_id = :'u_basic';
-- an expired row is not trusted: the level comes from users again
UPDATE residency.entitlement_cache SET entitlement_level = 'PRO', last_updated = 1000, expires_at = 4600 WHERE user_id = :'u_basic';
BEGIN READ ONLY; :as_basic \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency_api.my_entitlement();
COMMIT;
BEGIN; :as_basic \gset
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency_api.my_entitlement();
COMMIT;
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency.entitlement_cache WHERE user_id = :'u_basic';
UPDATE residency.entitlement_cache SET entitlement_level = 'PRO', last_updated = 1000, expires_at = 4600 WHERE user_id = :'u_basic';
BEGIN; :as_basic \gset
SELECT status FROM residency_api.start_drill(question_id => 'mot-why-program');
COMMIT;
SELECT entitlement_level, expires_at > extract(epoch FROM now()) AS expires_later FROM residency.entitlement_cache WHERE user_id = :'u_basic';
-- set_entitlement to LOCKED from any level, subscription kept in the cache
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'LOCKED', stripe_subscription_id => 'sub_rival_cancelled');
COMMIT;
SELECT entitlement_level, stripe_subscription_id FROM residency.entitlement_cache WHERE user_id = :'u_rival';
BEGIN READ ONLY; :as_rival \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'BASIC');
COMMIT;
BEGIN; :as_service \gset
SELECT email, entitlement_level FROM residency_api.set_entitlement(user_id => :'u_rival', level => 'PRO');
COMMIT;

-------------------------------------------------------------------------------
-- Activating another pack archives the active one; archive_content_pack
-------------------------------------------------------------------------------
SELECT jsonb_set(:'pack'::jsonb, '{version}', '"2.0.0"')::text AS pack_r \gset
BEGIN; :as_rival \gset
SELECT name, version, status FROM residency_api.upload_content_pack(pack => :'pack_r', name => 'Rival pack');
COMMIT;
SELECT id AS pack_r_id FROM residency.content_packs WHERE name = 'Rival pack' \gset
-- its PRO uploader cannot put it in front of every user
BEGIN; :as_rival \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_r_id');
\echo :SQLSTATE
ROLLBACK;
-- service_role can
BEGIN; :as_service \gset
SELECT name, version, status, activated_at IS NOT NULL AS activated FROM residency_api.activate_content_pack(pack_id => :'pack_r_id');
COMMIT;
SELECT name, version, status FROM residency.content_packs ORDER BY name;
-- new drills use the new pack; the earlier sessions keep theirs
BEGIN; :as_basic \gset
SELECT status, content_pack_id = :'pack_r_id' AS new_pack, content_pack_version FROM residency_api.start_drill(question_id => 'conf-disagree-attending');
COMMIT;
-- a session of the now ARCHIVED pack is still answered and scored against its own pack
BEGIN; :as_basic \gset
SELECT words, jsonb_array_length(categories) AS categories
FROM residency_api.submit_and_evaluate(session_id => :'s_started', content => 'I would speak to my colleague privately first, then tell the program director.');
COMMIT;
SELECT s.status, s.content_pack_id = :'pack_a' AS own_pack FROM residency.drill_sessions AS s WHERE s.id = :'s_started';
-- an ARCHIVED pack may be activated again
BEGIN; :as_editor \gset
SELECT name, status, activated_at > :'pack_a_activated_at' AS activated_again FROM residency_api.activate_content_pack(pack_id => :'pack_a');
COMMIT;
SELECT name, version, status FROM residency.content_packs ORDER BY name;
-- archive_content_pack: a PRO uploader archives their own DRAFT
BEGIN; :as_author \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_b_id');
COMMIT;
-- again: unchanged
BEGIN; :as_author \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_b_id');
COMMIT;
-- not the uploader: 404
\set VERBOSITY terse
BEGIN; :as_author \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'pack_r_id');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
BEGIN; :as_author \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'no_such');
\echo :SQLSTATE
ROLLBACK;
-- not PRO: 42501; LOCKED: 402; anon: 42501
BEGIN; :as_basic \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_locked \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_anon \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
-- the ACTIVE pack is never archived on its own, whoever asks: that would
-- leave no questions to drill (409); activating another pack archives it
\set VERBOSITY terse
BEGIN; :as_author \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_editor \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
BEGIN; :as_service \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_a');
\echo :SQLSTATE
ROLLBACK;
\set VERBOSITY default
-- a content admin archives a pack that is not theirs; service_role too
BEGIN; :as_editor \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_r_id');
COMMIT;
BEGIN; :as_service \gset
SELECT name, status FROM residency_api.archive_content_pack(pack_id => :'pack_r_id');
COMMIT;
-- drills go on
BEGIN READ ONLY; :as_basic \gset
SELECT count(*) AS questions FROM residency_api.questions;
COMMIT;
-- a content admin who is no longer one: 42501
BEGIN; :as_service \gset
SELECT residency_api.set_content_admin(user_id => :'u_editor', content_admin => false) AS content_admin;
COMMIT;
BEGIN; :as_editor \gset
SELECT status FROM residency_api.activate_content_pack(pack_id => :'pack_r_id');
\echo :SQLSTATE
ROLLBACK;
SELECT name, version, status FROM residency.content_packs ORDER BY name;
-- every session's pack and question still exist
SELECT count(*) AS sessions, count(q.id) AS with_question FROM residency.drill_sessions AS s
LEFT JOIN residency.content_pack_questions AS q ON q.content_pack_id = s.content_pack_id AND q.id = s.question_id;

-------------------------------------------------------------------------------
-- The shape of the API (docs/postgrest.md, "Endpoints"): SECURITY INVOKER wrappers, no
-- overloads, writers VOLATILE and readers STABLE, snake_case arguments;
-- user-facing functions for authenticated (anon reaches them and gets
-- 42501), the worker's for service_role only, nothing for PUBLIC
-------------------------------------------------------------------------------
SELECT p.proname, pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS result,
       p.provolatile AS volatility, p.prosecdef AS definer
FROM pg_proc AS p WHERE p.pronamespace = 'residency_api'::regnamespace ORDER BY p.proname;
SELECT count(*) AS functions, count(DISTINCT proname) AS names FROM pg_proc WHERE pronamespace = 'residency_api'::regnamespace;
SELECT p.proname, has_function_privilege('anon', p.oid, 'EXECUTE') AS anon,
       has_function_privilege('authenticated', p.oid, 'EXECUTE') AS authenticated,
       has_function_privilege('service_role', p.oid, 'EXECUTE') AS service_role,
       coalesce(bool_or(a.grantee = 0), false) AS public
FROM pg_proc AS p LEFT JOIN LATERAL aclexplode(p.proacl) AS a ON true
WHERE p.pronamespace = 'residency_api'::regnamespace GROUP BY p.oid, p.proname ORDER BY p.proname;
-- the implementations they call pin search_path; the user-facing ones are SECURITY
-- DEFINER, except activate and archive, which run as the caller and take a
-- definer path only for a signed-in user (service_role writes the table itself)
SELECT p.proname, p.prosecdef AS definer, p.proconfig
FROM pg_proc AS p
WHERE p.pronamespace = 'residency'::regnamespace
  AND p.proname IN (SELECT proname FROM pg_proc WHERE pronamespace = 'residency_api'::regnamespace)
ORDER BY p.proname;
SELECT c.relname, c.reloptions, has_table_privilege('anon', c.oid, 'SELECT') AS anon,
       has_table_privilege('authenticated', c.oid, 'SELECT') AS authenticated,
       has_table_privilege('authenticated', c.oid, 'INSERT') AS authenticated_insert
FROM pg_class AS c WHERE c.relnamespace = 'residency_api'::regnamespace ORDER BY c.relname;
