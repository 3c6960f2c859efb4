SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- Bad input never crashes the server: each kind is refused with its SQLSTATE,
-- by PostgreSQL's own input functions or by the rules.

INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'candidate@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
\set u '00000000-0000-0000-0000-0000000000a1'
CREATE FUNCTION test_pack(p_version text DEFAULT '1.0.0') RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object(
    'version', p_version,
    'metadata', jsonb_build_object(
        'title', 'Pack', 'description', 'Test pack',
        'categories', '["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]'::jsonb),
    'questions', '[{"id": "q1", "category": "Teamwork", "prompt": "Tell me about a handover.",
                    "expected_duration_s": 90, "evaluation_criteria": ["Names the risk"], "kind": "behavioral"}]'::jsonb)
$$;

-------------------------------------------------------------------------------
-- Not JSON, or JSON that jsonb itself refuses
-------------------------------------------------------------------------------
-- invalid JSON: the jsonb cast answers 22P02
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'Broken', '{"version": ', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'Broken', '{version: "1.0.0"}', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'Broken', '[1, 2,]', :'u');
\echo :SQLSTATE
-- 100,000 levels of nesting: PostgreSQL's recursive jsonb parser stops at its
-- stack depth limit (54001) before any trigger runs
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Abyss', (repeat('[', 100000) || repeat(']', 100000))::jsonb, :'u');
\echo :SQLSTATE
-- 5,000 levels is valid jsonb; the trigger walks it iteratively and answers PT413
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Deep', (repeat('[', 5000) || repeat(']', 5000))::jsonb, :'u');
\echo :SQLSTATE
-- '\u0000' has no text form: jsonb refuses it (22P05)
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'NUL', jsonb_set(test_pack(), '{metadata,title}', '"a\u0000b"'), :'u');
\echo :SQLSTATE
-- an invalid UTF-8 byte sequence never reaches a table (22021)
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Bad UTF-8', convert_from('\xc328'::bytea, 'UTF8')::jsonb, :'u');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- Numbers at the edges
-------------------------------------------------------------------------------
-- 1e400 is valid jsonb (numeric) but out of range: 22023 with its JSON path
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Huge number', jsonb_set(test_pack(), '{questions,0,expected_duration_s}', '1e400'), :'u');
\echo :SQLSTATE
-- -1e400 likewise
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Huge negative', jsonb_set(test_pack(), '{questions,0,expected_duration_s}', '-1e400'), :'u');
\echo :SQLSTATE
-- 2^70 as expected_duration_s is a number, far over 3600
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', '2^70 duration', jsonb_set(test_pack(), '{questions,0,expected_duration_s}', to_jsonb(2::numeric ^ 70)), :'u');
\echo :SQLSTATE
-- 2^70 as a question id is a number, not a string
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', '2^70 id', jsonb_set(test_pack(), '{questions,0,id}', to_jsonb(2::numeric ^ 70)), :'u');
\echo :SQLSTATE
-- a number as text in an integer column is PostgreSQL's 22P02, and 2^70 is out of range for it (22003)
INSERT INTO residency.content_packs (version, name, content, uploaded_by, file_size)
VALUES ('1.0.0', 'Text size', test_pack(), :'u', 'big');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by, file_size)
VALUES ('1.0.0', '2^70 size', test_pack(), :'u', 2::numeric ^ 70);
\echo :SQLSTATE
-- a uuid that is a number is PostgreSQL's 22P02
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('1180591620717411303424', '1.0.0', '2^70 uuid', test_pack(), :'u');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- Duplicate keys: jsonb keeps the last one, and the pack is validated on that
-------------------------------------------------------------------------------
SELECT '{"version": "not semver", "version": "1.0.0"}'::jsonb ->> 'version' AS version_kept;
-- the last "version" is valid semver, so the pack is accepted
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'Duplicate keys',
        ('{"version": "not semver", "questions": [], "version": "1.0.0",
           "metadata": {"title": "", "title": "Pack", "description": "Test pack",
                        "categories": ["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]},
           "questions": ' || (test_pack() -> 'questions')::text || '}')::jsonb,
        :'u');
SELECT content ->> 'version' AS version, content -> 'metadata' ->> 'title' AS title,
       jsonb_array_length(content -> 'questions') AS questions
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- the last "version" is not semver, so the pack is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Duplicate keys, bad last',
        ('{"version": "1.0.0", "metadata": ' || (test_pack() -> 'metadata')::text || ',
           "questions": ' || (test_pack() -> 'questions')::text || ', "version": "one"}')::jsonb,
        :'u');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- Size and shape
-------------------------------------------------------------------------------
-- a pack over the size limit is PT413
SET residency.max_pack_bytes = 1024;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Too big', jsonb_set(test_pack(), '{metadata,description}', to_jsonb(repeat('long ', 300))), :'u');
\echo :SQLSTATE
RESET residency.max_pack_bytes;
-- six categories
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Six', test_pack() #- '{metadata,categories,6}', :'u');
\echo :SQLSTATE
-- eight categories
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Eight', jsonb_insert(test_pack(), '{metadata,categories,7}', '"Surgery"', true), :'u');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- Wrong JSON types at every level of a pack
-------------------------------------------------------------------------------
-- the document: null, a string, a number, a boolean, an array
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'null', 'null', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'string', '"a pack"', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'number', '42', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'boolean', 'true', :'u');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('1.0.0', 'array', '[{"version": "1.0.0"}]', :'u');
\echo :SQLSTATE
-- SQL NULL is left to NOT NULL
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by, created_at, updated_at)
VALUES ('00000000-0000-0000-0000-0000000000c9', '1.0.0', 'SQL NULL', NULL, :'u', '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00');
\echo :SQLSTATE
-- the top-level members
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Top level', '{"version": 1, "metadata": [], "questions": {}, "rubric": "strict"}', :'u');
\echo :SQLSTATE
-- the metadata members
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Metadata', jsonb_set(test_pack(), '{metadata}', '{"title": 5, "description": null, "categories": "all"}'), :'u');
\echo :SQLSTATE
-- the categories' elements
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Category types', jsonb_set(test_pack(), '{metadata,categories}', '[1, null, true, [], {}, "Teamwork", 7.5]'), :'u');
\echo :SQLSTATE
-- a question that is an array, a number or null
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Question types', jsonb_set(test_pack(), '{questions}', '[[], 3, null]'), :'u');
\echo :SQLSTATE
-- every member of a question
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Question members',
        jsonb_set(test_pack(), '{questions,0}',
                  '{"id": 5, "category": null, "prompt": ["Tell me"], "expected_duration_s": "90",
                    "evaluation_criteria": {"a": 1}, "kind": 1}'),
        :'u');
\echo :SQLSTATE
-- booleans and null where numbers and criteria belong
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Booleans',
        jsonb_set(jsonb_set(test_pack(), '{questions,0,expected_duration_s}', 'true'),
                  '{questions,0,evaluation_criteria}', '[null, false, 3, ["x"]]'),
        :'u');
\echo :SQLSTATE
-- odd keys are named in the path with JSON quoting
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Odd keys', test_pack() || '{"": 1, "with \"quote\"": 2, "ключ": 3}', :'u');
\echo :SQLSTATE
SELECT count(*) AS packs FROM residency.content_packs;

-------------------------------------------------------------------------------
-- Bad input on the other tables
-------------------------------------------------------------------------------
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
INSERT INTO residency.drill_sessions (id, user_id, question_id) VALUES
    ('00000000-0000-0000-0000-0000000000e1', :'u', 'q1'),
    ('00000000-0000-0000-0000-0000000000e2', :'u', 'q1');
-- a question id with a NUL byte cannot even be written as text (22021 from PostgreSQL)
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u', E'q1\x00');
\echo :SQLSTATE
-- an overlong question id is simply not in the pack (and is cut in the DETAIL)
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES (:'u', repeat('q', 10000));
\echo :SQLSTATE
-- audio_duration_s of 1e400 (valid numeric, infinite as a double) is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-0000000000e1', 'https://cdn.example.org/e1.m4a', 1e400);
\echo :SQLSTATE
-- audio_duration_s of Infinity is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-0000000000e1', 'https://cdn.example.org/e1.m4a', 'Infinity');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (id, session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000e1', 'I named the risk.');
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- an evaluation whose JSON columns are JSON null, scalars or deep
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 60, 4, 4, 50,
        'null', '7', 'Keep going.', 'test-model/1', 5, '"text"');
\echo :SQLSTATE
-- a category score of 2^70 and of 1e400
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 60, 4, 4, 50,
       jsonb_set((SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', 'ok'))
                  FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
                 '{0,score}', to_jsonb(2::numeric ^ 70)),
       '[]', 'Keep going.', 'test-model/1', 5;
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 60, 4, 4, 50,
       jsonb_set((SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', 'ok'))
                  FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
                 '{3,score}', '1e400'),
       '[]', 'Keep going.', 'test-model/1', 5;
\echo :SQLSTATE
-- duration_s and wpm of 1e400 and NaN
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 1e400, 4, 'NaN', 50,
       (SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', 'ok'))
        FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
       '[]', 'Keep going.', 'test-model/1', 5;
\echo :SQLSTATE
-- an e-mail with a NUL byte cannot be written as text either, and one with
-- a DEL or a line break is refused by U1
INSERT INTO residency.users (email) VALUES (E'a\x7fb@example.org');
\echo :SQLSTATE
INSERT INTO residency.users (email) VALUES (E'a@example.org\nBcc: b@example.org');
\echo :SQLSTATE

DROP FUNCTION test_pack(text);
-- the backend survived every statement
SELECT 1 AS still_alive;
