SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- Input limits (docs/rules.md): the GUCs residency.max_pack_bytes,
-- residency.max_json_depth and residency.max_answer_chars; over a limit the
-- answer is SQLSTATE PT413 (PostgREST: HTTP 413).

-------------------------------------------------------------------------------
-- The GUCs, their defaults, and who may set them
-------------------------------------------------------------------------------
SHOW residency.max_pack_bytes;
SHOW residency.max_json_depth;
SHOW residency.max_answer_chars;
SELECT name, setting, unit, context, min_val, max_val FROM pg_settings WHERE name LIKE 'residency.%' ORDER BY name;
-- a superuser may change them
SET residency.max_pack_bytes = '1MB';
SET residency.max_json_depth = 32;
SET residency.max_answer_chars = 5000;
SELECT current_setting('residency.max_pack_bytes') AS max_pack_bytes,
       current_setting('residency.max_json_depth') AS max_json_depth,
       current_setting('residency.max_answer_chars') AS max_answer_chars;
RESET residency.max_pack_bytes;
RESET residency.max_json_depth;
RESET residency.max_answer_chars;
SHOW residency.max_pack_bytes;
-- values outside the range are refused
SET residency.max_pack_bytes = 10;
\echo :SQLSTATE
SET residency.max_json_depth = 1;
\echo :SQLSTATE
-- the prefix is reserved: a misspelt name is an error, not a new variable
SET residency.max_pack_size = 1;
\echo :SQLSTATE
-- authenticated may not change them
BEGIN;
SET LOCAL ROLE authenticated;
SET residency.max_answer_chars = 1000000;
\echo :SQLSTATE
ROLLBACK;
-- nor may service_role
BEGIN;
SET LOCAL ROLE service_role;
SET LOCAL residency.max_pack_bytes = '1GB';
\echo :SQLSTATE
ROLLBACK;
-- but both may read them
BEGIN;
SET LOCAL ROLE authenticated;
SHOW residency.max_json_depth;
ROLLBACK;

-- A user, and a small valid pack with two questions.
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'candidate@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
CREATE FUNCTION test_pack(p_version text, p_prompt text DEFAULT 'Tell me about a handover.') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object(
    'version', p_version,
    'metadata', jsonb_build_object(
        'title', 'Pack ' || p_version, 'description', 'Test pack',
        'categories', '["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]'::jsonb),
    'questions', jsonb_build_array(
        jsonb_build_object('id', 'q1', 'category', 'Teamwork', 'prompt', p_prompt,
                           'expected_duration_s', 90, 'evaluation_criteria', '["Names the risk"]'::jsonb),
        jsonb_build_object('id', 'q2', 'category', 'Conflict', 'prompt', 'Tell me about a disagreement.',
                           'expected_duration_s', 120, 'evaluation_criteria', '["Listens first"]'::jsonb)))
$$;
SELECT octet_length(test_pack('1.0.0')::text) AS small_pack_bytes;

-------------------------------------------------------------------------------
-- residency.max_pack_bytes
-------------------------------------------------------------------------------
SET residency.max_pack_bytes = 1024;
-- a pack under the limit is accepted
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'Small', test_pack('1.0.0'), '00000000-0000-0000-0000-0000000000a1');
-- a pack whose content::text is over the limit is refused with PT413
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.1', 'Large', test_pack('1.0.1', repeat('Describe the handover in detail. ', 40)), '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- a small content with a given file_size over the limit is refused: the
-- limit applies to the size of what was uploaded
INSERT INTO residency.content_packs (version, name, content, uploaded_by, file_size)
VALUES ('1.0.2', 'Declared large', test_pack('1.0.2'), '00000000-0000-0000-0000-0000000000a1', 5000);
\echo :SQLSTATE
-- a DRAFT whose content grows over the limit is refused
UPDATE residency.content_packs SET content = test_pack('1.0.0', repeat('Describe the handover in detail. ', 40))
WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- the oversized pack is accepted again under the default limit (8MB)
RESET residency.max_pack_bytes;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.1', 'Large', test_pack('1.0.1', repeat('Describe the handover in detail. ', 40)), '00000000-0000-0000-0000-0000000000a1');
-- the default limit itself: a pack of more than 8MB is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.3', 'Huge', test_pack('1.0.3', repeat('x', 8 * 1024 * 1024)), '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- residency.max_json_depth
-------------------------------------------------------------------------------
-- a pack nests 4 levels: $ -> questions -> question -> evaluation_criteria
SET residency.max_json_depth = 4;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.1.0', 'Depth 4', test_pack('1.1.0'), '00000000-0000-0000-0000-0000000000a1');
-- one level less is over the limit
SET residency.max_json_depth = 3;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.1.1', 'Depth 4 again', test_pack('1.1.1'), '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
RESET residency.max_json_depth;
-- 100 levels inside a question's extra field are refused with PT413 before
-- the pack is validated (the extra field would be a P1 problem)
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.2.0', 'Deep', jsonb_set(test_pack('1.2.0'), '{questions,0,extra}',
                                   (repeat('[', 100) || '1' || repeat(']', 100))::jsonb),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- with the limit raised, the same pack reaches validation and fails P1 (22023)
SET residency.max_json_depth = 200;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.2.0', 'Deep', jsonb_set(test_pack('1.2.0'), '{questions,0,extra}',
                                   (repeat('[', 100) || '1' || repeat(']', 100))::jsonb),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
RESET residency.max_json_depth;
-- 100 levels of objects are refused the same way
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.2.1', 'Deep objects', jsonb_set(test_pack('1.2.1'), '{questions,0,extra}',
                                           (repeat('{"a": ', 100) || '1' || repeat('}', 100))::jsonb),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- 64 levels in all are accepted by the limit (and refused by P1 for the unknown key)
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.2.2', 'Depth 64', jsonb_set(test_pack('1.2.2'), '{questions,0,extra}',
                                       (repeat('[', 61) || repeat(']', 61))::jsonb),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- ... and 65 levels by the limit
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.2.2', 'Depth 65', jsonb_set(test_pack('1.2.2'), '{questions,0,extra}',
                                       (repeat('[', 62) || repeat(']', 62))::jsonb),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- residency.max_json_depth on an evaluation's JSON
-------------------------------------------------------------------------------
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
INSERT INTO residency.drill_sessions (id, user_id, question_id) VALUES
    ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'q1'),
    ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000a1', 'q1'),
    ('00000000-0000-0000-0000-0000000000e3', '00000000-0000-0000-0000-0000000000a1', 'q1'),
    ('00000000-0000-0000-0000-0000000000e4', '00000000-0000-0000-0000-0000000000a1', 'q2');
INSERT INTO residency.drill_responses (id, session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000e1', 'I named the one risk that mattered.');
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- details nested 100 levels deep are refused with PT413
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 60, 7, 7, 50,
       (SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', 'ok'))
        FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
       '[]', 'Keep going.', 'test-model/1', 5,
       ('{"trace": ' || repeat('[', 100) || repeat(']', 100) || '}')::jsonb;
\echo :SQLSTATE
-- the same evaluation with shallow details is accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', 60, 7, 7, 50,
       (SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', 'ok'))
        FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
       '[]', 'Keep going.', 'test-model/1', 5, '{"trace": [[]]}';
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000e1';

-------------------------------------------------------------------------------
-- residency.max_answer_chars
-------------------------------------------------------------------------------
SET residency.max_answer_chars = 10;
-- 11 characters are refused with PT413
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e2', 'eleven char');
\echo :SQLSTATE
-- 10 characters are accepted; the limit counts characters, not bytes (20 bytes here)
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e2', 'éééééééééé');
SELECT length(content) AS chars, octet_length(content) AS bytes FROM residency.drill_responses
WHERE session_id = '00000000-0000-0000-0000-0000000000e2';
-- an audio-only response has no content to measure
INSERT INTO residency.drill_responses (session_id, audio_url)
VALUES ('00000000-0000-0000-0000-0000000000e3', 'https://cdn.example.org/e3.m4a');
RESET residency.max_answer_chars;
-- the default limit: 20001 characters are refused ...
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e4', repeat('a', 20001));
\echo :SQLSTATE
-- ... and 20000 accepted
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000e4', repeat('a', 20000));
SELECT length(content) AS chars, word_count FROM residency.drill_responses
WHERE session_id = '00000000-0000-0000-0000-0000000000e4';

-------------------------------------------------------------------------------
-- What a pack may cost to score (rule P1): residency.max_criterion_keywords,
-- residency.max_question_expansions, and the fixed bounds of docs/rules.md
-------------------------------------------------------------------------------
-- The pack of the security report (a few hundred bytes): one criterion whose
-- keywords, spelled out as patterns, ran for minutes and past 10 GB. It is
-- refused where the cost is, with the criterion's path.
SELECT '{"version": "1.0.0", "metadata": {"title": "T", "description": "D", "categories": ["A", "B", "C", "D", "E", "F", "G"]}, "questions": [{"id": "q", "category": "A", "prompt": "P", "expected_duration_s": 60, "evaluation_criteria": ["c [kw: a* a* a* a* a*, a0*, a1*, a2*, a3*, a4*, a5*, a6*, a7*, a8*, a9*, a10*, a11*, a12*, a13*, a14*, a15*, a16*, a17*, a18*, a19*]"]}]}' AS costly \gset
SELECT octet_length(:'costly') AS bytes;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Costly', :'costly', '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
SELECT (residency.check_pack_text(:'costly', false)) -> 'errors' AS errors;
-- more keywords in a criterion than residency.max_criterion_keywords (25)
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('9.0.1', 'Many keywords',
        jsonb_set(test_pack('9.0.1'), '{questions,0,evaluation_criteria}',
                  jsonb_build_array('Names the risk [kw: ' || (SELECT string_agg('word' || i, ', ') FROM generate_series(1, 26) AS i) || ']')),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- ... which a superuser may raise
SET residency.max_criterion_keywords = 26;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('9.0.1', 'Many keywords',
        jsonb_set(test_pack('9.0.1'), '{questions,0,evaluation_criteria}',
                  jsonb_build_array('Names the risk [kw: ' || (SELECT string_agg('word' || i, ', ') FROM generate_series(1, 26) AS i) || ']')),
        '00000000-0000-0000-0000-0000000000a1')
RETURNING status;
RESET residency.max_criterion_keywords;
-- more criteria than a question may have (32), a keyword phrase of more than
-- 8 words or 100 bytes
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('9.0.2', 'Bounds',
        jsonb_set(jsonb_set(test_pack('9.0.2'), '{questions,0,evaluation_criteria}',
                            (SELECT jsonb_agg('Criterion ' || i) FROM generate_series(1, 33) AS i)),
                  '{questions,1}', '{"id": "q2", "category": "Teamwork", "prompt": "Why?", "expected_duration_s": 60,
                                     "evaluation_criteria": ["Long keywords [kw: one two three four five six seven eight nine]",
                                                             "A long keyword [kw: antidisestablishmentarianism-antidisestablishmentarianism-antidisestablishmentarianism-antidisestablishmentarianism]"]}'),
        '00000000-0000-0000-0000-0000000000a1');
\echo :SQLSTATE
-- A pack stored under a higher limit, scored once the limit is lower: the
-- scorer refuses the question (PT413) rather than build an automaton past it.
SET residency.max_question_expansions = 100000;
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c9', '9.1.0', 'Wide prefixes',
        jsonb_set(test_pack('9.1.0'), '{questions,0,evaluation_criteria}',
                  jsonb_build_array('Names the risk [kw: ' || (SELECT string_agg('ab' || i || '*', ', ') FROM generate_series(1, 25) AS i) || ']',
                                    'Names the rest [kw: ab*, ab* ab* ab*]')),
        '00000000-0000-0000-0000-0000000000a1')
RETURNING status;
RESET residency.max_question_expansions;
SELECT residency.score('00000000-0000-0000-0000-0000000000c9', 'q1', 'I named the risk.') IS NOT NULL AS scored;
\echo :SQLSTATE
SET residency.max_question_expansions = 100000;
SELECT residency.score('00000000-0000-0000-0000-0000000000c9', 'q1', 'I named the risk.') IS NOT NULL AS scored;
RESET residency.max_question_expansions;

DROP FUNCTION test_pack(text, text);
