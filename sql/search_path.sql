SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- Nothing a caller puts on its own search_path runs as another role
-- (docs/data-model.md; docs/architecture.md, "Names in privileged code").
--
-- The caller is a login role that can reach the API, as PostgREST's
-- authenticator can (docs/postgrest.md). Before it calls anything it plants:
--   * temporary domains named like the types the extension's SQL and C++
--     name (jsonb, uuid, text, timestamptz...), whose CHECK reports who ran it;
--   * temporary views named like the extension's tables, whose WHERE clause
--     reports who read them, with INSTEAD OF triggers that report writes;
--   * in a schema of its own, put before pg_catalog on its search_path,
--     operators and functions that shadow the built-in ones the extension's
--     queries use (=, <>, +, ->, ->>, now(), jsonb_array_elements()...).
-- Then it calls every API function and fires every rule. pg_temp.spy()
-- raises a WARNING whenever one of them runs as a role the caller cannot
-- become (the extension's owner): the expected output has none. Temporary
-- objects are searched first for types and relations whenever pg_temp is not
-- named on the path, which is why definer functions pin
-- search_path = pg_catalog, pg_temp and every rule query qualifies its names.

CREATE ROLE residency_attacker LOGIN NOINHERIT;
GRANT anon, authenticated, service_role TO residency_attacker;
-- the caller becomes a PostgREST role through the tests' helper, as PostgREST's
-- login role does (a plain function: it runs as the caller)
GRANT USAGE ON SCHEMA residency_test TO residency_attacker;
GRANT EXECUTE ON FUNCTION residency_test.as_postgrest(text, jsonb, jsonb, boolean),
                          residency_test.as_user(uuid, boolean) TO residency_attacker;
CREATE SCHEMA attacker AUTHORIZATION residency_attacker;

\set u_basic  '00000000-0000-0000-0000-00000000a0b1'
\set u_author '00000000-0000-0000-0000-00000000a0b4'
\set u_gone   '00000000-0000-0000-0000-00000000a0b7'
\set as_basic   'SELECT residency_test.as_user(''00000000-0000-0000-0000-00000000a0b1'')'
\set as_author  'SELECT residency_test.as_user(''00000000-0000-0000-0000-00000000a0b4'')'
\set as_service 'SELECT residency_test.as_postgrest(''service_role'')'
\set pack `cat packs/default.json`
\set small '{"version": "1.0.0", "metadata": {"title": "Small", "description": "D", "categories": ["A", "B", "C", "D", "E", "F", "G"]}, "questions": [{"id": "q1", "category": "A", "prompt": "Why?", "expected_duration_s": 90, "evaluation_criteria": ["motivation"]}]}'
\set answer 'When our attending and I disagreed about discharging a patient, I asked to talk after rounds. I explained the lab trend I had seen, and we agreed to repeat the test. It came back worse, so we kept her two more days. I learned to raise concerns early and with data.'

INSERT INTO residency.users (id, email) VALUES
    (:'u_basic', 'basic@example.org'), (:'u_author', 'author@example.org'), (:'u_gone', 'gone@example.org');
-- a lost cache row (the table is UNLOGGED), rebuilt by the caller's first request (C1)
DELETE FROM residency.entitlement_cache WHERE user_id = :'u_basic';

-------------------------------------------------------------------------------
-- The caller plants its objects.
-------------------------------------------------------------------------------
\c - residency_attacker
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE TEMP TABLE spy_log (what pg_catalog.text, ran_as pg_catalog.name, caller pg_catalog.name);
GRANT ALL ON spy_log TO PUBLIC;
-- Records every run; warns when it ran as a role the caller cannot become.
CREATE FUNCTION pg_temp.spy(what pg_catalog.text) RETURNS pg_catalog.bool
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.spy_log VALUES (what, current_user, session_user);
    IF NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
        RAISE WARNING 'the caller''s % ran as %', what, current_user;
    END IF;
    RETURN true;
END
$$;
CREATE FUNCTION pg_temp.spy_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.spy(pg_catalog.format('view %s (%s)', TG_TABLE_NAME, TG_OP));
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.spy(pg_catalog.text), pg_temp.spy_write() TO PUBLIC;

-- Domains named like types. Some of these names are keywords that always
-- mean the built-in type (integer, numeric...); they are planted anyway.
DO $plant$
DECLARE
    pair pg_catalog.text[];
BEGIN
    FOREACH pair SLICE 1 IN ARRAY ARRAY[['jsonb', 'jsonb'], ['json', 'json'], ['uuid', 'uuid'], ['text', 'text'],
                                        ['name', 'name'], ['timestamptz', 'timestamptz'], ['timestamp', 'timestamp'],
                                        ['interval', 'interval'], ['numeric', 'numeric'], ['integer', 'int4'],
                                        ['int4', 'int4'], ['int8', 'int8'], ['bigint', 'int8'], ['int2', 'int2'],
                                        ['boolean', 'bool'], ['bool', 'bool'], ['float8', 'float8'],
                                        ['regclass', 'regclass'], ['oid', 'oid'], ['varchar', 'varchar'],
                                        ['bytea', 'bytea']]
    LOOP
        EXECUTE pg_catalog.format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I CHECK (pg_temp.spy(%L))',
                                  pair[1], pair[2], 'domain ' || pair[1]);
    END LOOP;
END
$plant$;

-- Views named like the extension's tables (made as service_role, which may
-- read them), each reporting reads and writes.
SET ROLE service_role;
DO $plant$
DECLARE
    t pg_catalog.text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'content_packs', 'content_pack_questions', 'drill_sessions', 'drill_responses',
                             'evaluation_results', 'entitlement_cache']
    LOOP
        EXECUTE pg_catalog.format('CREATE TEMP VIEW %I AS SELECT * FROM residency.%I WHERE pg_temp.spy(%L)',
                                  t, t, 'view ' || t);
        EXECUTE pg_catalog.format('CREATE TRIGGER spy INSTEAD OF INSERT OR UPDATE OR DELETE ON pg_temp.%I '
                                  'FOR EACH ROW EXECUTE FUNCTION pg_temp.spy_write()', t);
    END LOOP;
END
$plant$;
RESET ROLE;

-- Operators and functions that shadow the built-in ones, in a schema put
-- before pg_catalog. Each reports, then does what the built-in one does.
CREATE FUNCTION attacker.text_eq(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql
    AS $$ SELECT pg_temp.spy('operator = (text, text)') AND $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR attacker.= (FUNCTION = attacker.text_eq, LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text);
CREATE FUNCTION attacker.text_ne(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.bool LANGUAGE sql
    AS $$ SELECT pg_temp.spy('operator <> (text, text)') AND $1 OPERATOR(pg_catalog.<>) $2 $$;
CREATE OPERATOR attacker.<> (FUNCTION = attacker.text_ne, LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text);
CREATE FUNCTION attacker.uuid_eq(pg_catalog.uuid, pg_catalog.uuid) RETURNS pg_catalog.bool LANGUAGE sql
    AS $$ SELECT pg_temp.spy('operator = (uuid, uuid)') AND $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR attacker.= (FUNCTION = attacker.uuid_eq, LEFTARG = pg_catalog.uuid, RIGHTARG = pg_catalog.uuid);
CREATE FUNCTION attacker.uuid_ne(pg_catalog.uuid, pg_catalog.uuid) RETURNS pg_catalog.bool LANGUAGE sql
    AS $$ SELECT pg_temp.spy('operator <> (uuid, uuid)') AND $1 OPERATOR(pg_catalog.<>) $2 $$;
CREATE OPERATOR attacker.<> (FUNCTION = attacker.uuid_ne, LEFTARG = pg_catalog.uuid, RIGHTARG = pg_catalog.uuid);
CREATE FUNCTION attacker.int8_plus(pg_catalog.int8, pg_catalog.int4) RETURNS pg_catalog.int8 LANGUAGE sql
    AS $$ SELECT CASE WHEN pg_temp.spy('operator + (bigint, integer)') THEN $1 OPERATOR(pg_catalog.+) $2 END $$;
CREATE OPERATOR attacker.+ (FUNCTION = attacker.int8_plus, LEFTARG = pg_catalog.int8, RIGHTARG = pg_catalog.int4);
CREATE FUNCTION attacker.int8_plus8(pg_catalog.int8, pg_catalog.int8) RETURNS pg_catalog.int8 LANGUAGE sql
    AS $$ SELECT CASE WHEN pg_temp.spy('operator + (bigint, bigint)') THEN $1 OPERATOR(pg_catalog.+) $2 END $$;
CREATE OPERATOR attacker.+ (FUNCTION = attacker.int8_plus8, LEFTARG = pg_catalog.int8, RIGHTARG = pg_catalog.int8);
CREATE FUNCTION attacker.jsonb_get(pg_catalog.jsonb, pg_catalog.text) RETURNS pg_catalog.jsonb LANGUAGE sql
    AS $$ SELECT CASE WHEN pg_temp.spy('operator -> (jsonb, text)') THEN $1 OPERATOR(pg_catalog.->) $2 END $$;
CREATE OPERATOR attacker.-> (FUNCTION = attacker.jsonb_get, LEFTARG = pg_catalog.jsonb, RIGHTARG = pg_catalog.text);
CREATE FUNCTION attacker.jsonb_get_text(pg_catalog.jsonb, pg_catalog.text) RETURNS pg_catalog.text LANGUAGE sql
    AS $$ SELECT CASE WHEN pg_temp.spy('operator ->> (jsonb, text)') THEN $1 OPERATOR(pg_catalog.->>) $2 END $$;
CREATE OPERATOR attacker.->> (FUNCTION = attacker.jsonb_get_text, LEFTARG = pg_catalog.jsonb, RIGHTARG = pg_catalog.text);
CREATE FUNCTION attacker.now() RETURNS pg_catalog.timestamptz LANGUAGE sql
    AS $$ SELECT CASE WHEN pg_temp.spy('function now()') THEN pg_catalog.now() END $$;
CREATE FUNCTION attacker.jsonb_array_elements(pg_catalog.jsonb) RETURNS SETOF pg_catalog.jsonb LANGUAGE sql
    AS $$ SELECT e FROM pg_catalog.jsonb_array_elements($1) AS e WHERE pg_temp.spy('function jsonb_array_elements()') $$;
CREATE FUNCTION attacker.jsonb_array_elements_text(pg_catalog.jsonb) RETURNS SETOF pg_catalog.text LANGUAGE sql
    AS $$ SELECT e FROM pg_catalog.jsonb_array_elements_text($1) AS e WHERE pg_temp.spy('function jsonb_array_elements_text()') $$;
GRANT USAGE ON SCHEMA attacker TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA attacker TO PUBLIC;

SET search_path = attacker, pg_catalog, public;
-- the plants work: the caller's own query runs its own objects, as itself
SELECT 'x'::text = 'x' AS own_operator;
SELECT pg_catalog.array_agg(DISTINCT what ORDER BY what) AS spied_on_itself FROM pg_temp.spy_log;
DELETE FROM pg_temp.spy_log;
SET client_min_messages = notice;

-- The first request rebuilds the lost cache row (C1).
BEGIN; :as_basic \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;

-------------------------------------------------------------------------------
-- Every rule, fired by direct writes as service_role (U1-U4, C1, P1-P7,
-- S1-S3, R1-R3, E1-E3): the rule queries run as the tables' owner.
-------------------------------------------------------------------------------
SET ROLE service_role;
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-00000000a0b8', 'direct@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = :'u_basic';
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = :'u_author';
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = :'u_author';
UPDATE residency.users SET email = 'not an e-mail' WHERE id = :'u_basic';
\echo :SQLSTATE
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-00000000a0b8';
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Direct', :'pack'::jsonb, :'u_author') RETURNING status, file_size > 0 AS sized;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Broken', '{"version": "1.0.0"}', :'u_author');
\echo :SQLSTATE
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE name = 'Direct' RETURNING status;
SELECT count(*) AS questions FROM residency.content_pack_questions AS q
JOIN residency.content_packs AS p ON p.id = q.content_pack_id AND p.name = 'Direct';
UPDATE residency.content_pack_questions SET prompt = 'changed';
\echo :SQLSTATE
DELETE FROM residency.content_packs WHERE name = 'Direct';
\echo :SQLSTATE
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u_basic', 'conf-disagree-attending')
RETURNING id AS s1 \gset
INSERT INTO residency.drill_sessions (user_id, question_id)
VALUES ('00000000-0000-0000-0000-00000000a0b8', 'conf-disagree-attending');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, content) VALUES (:'s1', :'answer') RETURNING word_count;
UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = :'s1';
\echo :SQLSTATE
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = :'s1' RETURNING status;
SELECT residency.score(d.content_pack_id, d.question_id, :'answer', 42) AS result
FROM residency.drill_sessions AS d WHERE d.id = :'s1' \gset
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score, categories,
    what_changed, practice_rule, model_used, processing_time_ms)
SELECT :'s1', r.id, 42, (:'result'::jsonb ->> 'words')::int, (:'result'::jsonb ->> 'wpm')::numeric,
       (:'result'::jsonb ->> 'overall_score')::int, :'result'::jsonb -> 'categories', :'result'::jsonb -> 'what_changed',
       :'result'::jsonb ->> 'practice_rule', :'result'::jsonb ->> 'model_used', 5
FROM residency.drill_responses AS r WHERE r.session_id = :'s1';
SELECT status FROM residency.drill_sessions WHERE id = :'s1';
\set VERBOSITY terse
DELETE FROM residency.evaluation_results WHERE session_id = :'s1';
\echo :SQLSTATE
\set VERBOSITY default
DELETE FROM residency.users WHERE id = :'u_gone';
RESET ROLE;

-------------------------------------------------------------------------------
-- Every API function, called the way PostgREST calls it.
-------------------------------------------------------------------------------
BEGIN; :as_basic \gset
SELECT entitlement_level FROM residency_api.my_entitlement();
COMMIT;
BEGIN; :as_service \gset
SELECT entitlement_level FROM residency_api.set_entitlement(user_id => :'u_basic', level => 'BASIC',
                                                             stripe_subscription_id => 'sub_1');
COMMIT;
BEGIN; :as_author \gset
SELECT id AS small_id FROM residency_api.upload_content_pack(pack => :'small', name => 'Small') \gset
SELECT (residency_api.validate_content_pack(pack => :'small')) ->> 'valid' AS valid;
COMMIT;
BEGIN; :as_author \gset
SELECT status FROM residency_api.archive_content_pack(pack_id => :'small_id');
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT count(*) > 0 AS questions FROM residency_api.questions;
SELECT (residency_api.score_answer(question_id => 'conf-disagree-attending', content => :'answer')) ->> 'words' AS words;
COMMIT;
BEGIN; :as_basic \gset
SELECT id AS s2 FROM residency_api.start_drill(question_id => 'conf-disagree-attending') \gset
SELECT count(*) AS started FROM residency_api.my_sessions WHERE status = 'STARTED';
SELECT word_count FROM residency_api.submit_response(session_id => :'s2', content => :'answer');
SELECT overall_score BETWEEN 0 AND 100 AS scored FROM residency_api.evaluate_session(session_id => :'s2');
COMMIT;
BEGIN; :as_basic \gset
SELECT id AS s3 FROM residency_api.start_drill(question_id => 'conf-disagree-attending') \gset
SELECT overall_score BETWEEN 0 AND 100 AS scored
FROM residency_api.submit_and_evaluate(session_id => :'s3', content => :'answer');
SELECT id AS s4 FROM residency_api.start_drill(question_id => 'conf-disagree-attending') \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s4', audio_url => 'https://cdn.example.org/a.m4a',
                                                     audio_duration_s => 40);
SELECT id AS s5 FROM residency_api.start_drill(question_id => 'conf-disagree-attending') \gset
SELECT word_count FROM residency_api.submit_response(session_id => :'s5', audio_url => 'https://cdn.example.org/b.m4a',
                                                     audio_duration_s => 40);
COMMIT;
BEGIN READ ONLY; :as_basic \gset
SELECT count(*) AS evaluations FROM residency_api.my_evaluations;
COMMIT;
BEGIN; :as_service \gset
SELECT count(*) AS claimed FROM residency_api.claim_submissions(max_count => 2);
SELECT overall_score BETWEEN 0 AND 100 AS recorded
FROM residency_api.record_evaluation(session_id => :'s4', result => :'result'::jsonb);
SELECT status FROM residency_api.fail_evaluation(session_id => :'s5', reason => 'audio could not be decoded');
SELECT residency_api.fail_stale_processing(older_than => '1 second') AS stale;
COMMIT;

-------------------------------------------------------------------------------
-- Nothing of the caller's ran as another role (no WARNING above), and the
-- caller's objects were there to be found.
-------------------------------------------------------------------------------
SET search_path = pg_catalog, public;
SELECT what, ran_as FROM pg_temp.spy_log WHERE NOT pg_has_role(caller, ran_as, 'MEMBER') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT rolsuper AS caller_is_superuser FROM pg_roles WHERE rolname = 'residency_attacker';

\c - postgres
SELECT entitlement_level FROM residency.users WHERE id = :'u_basic';
SET client_min_messages = warning;
DROP SCHEMA attacker CASCADE;
DROP OWNED BY residency_attacker;
DROP ROLE residency_attacker;
