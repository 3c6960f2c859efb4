SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency.content_packs and residency.content_pack_questions: rules P1-P7
-- (docs/data-model.md, docs/rules.md).

\set pro '00000000-0000-0000-0000-0000000000a1'
INSERT INTO residency.users (id, email) VALUES (:'pro', 'author@example.org');

-- A valid pack: version, metadata (title, description, 7 categories) and
-- `questions` questions spread over the categories and the three kinds.
CREATE FUNCTION test_pack(p_version text DEFAULT '1.0.0', p_questions int DEFAULT 3) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object(
    'version', p_version,
    'metadata', jsonb_build_object(
        'title', 'Residency interviews',
        'description', 'Questions typical of residency interviews',
        'categories', '["Motivation", "Teamwork", "Conflict", "Ethics & Professionalism",
                        "Resilience & Failure", "Leadership", "Patient Care"]'::jsonb),
    'questions', (
        SELECT jsonb_agg(jsonb_build_object(
                   'id', 'q' || n,
                   'category', ('["Motivation", "Teamwork", "Conflict", "Ethics & Professionalism",
                                  "Resilience & Failure", "Leadership", "Patient Care"]'::jsonb) ->> ((n - 1) % 7),
                   'prompt', 'Question ' || n || ': tell me about a time you had to adapt.',
                   'expected_duration_s', 60 + 30 * n,
                   'evaluation_criteria', jsonb_build_array('Names the situation', 'States what they did'),
                   'kind', (ARRAY['behavioral', 'situational', 'motivation'])[1 + (n - 1) % 3])
               ORDER BY n)
        FROM generate_series(1, p_questions) AS n))
$$;

-------------------------------------------------------------------------------
-- P1: the content is a valid pack
-------------------------------------------------------------------------------
-- P1: a valid pack is accepted as a DRAFT
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'Core pack', test_pack('1.0.0', 7), :'pro');
SELECT name, version, schema_version, status, activated_at IS NULL AS not_activated
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P1: questions without the optional kind, with a fractional duration and
-- with the largest duration (3600 s) are accepted
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Optional fields',
        jsonb_set(jsonb_set(test_pack() #- '{questions,0,kind}',
                            '{questions,1,expected_duration_s}', '90.5'),
                  '{questions,2,expected_duration_s}', '3600'),
        :'pro');
-- P1: an optional rubric object is accepted
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'With rubric', test_pack() || '{"rubric": {}}', :'pro');
-- P1: content that is not an object is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Array', '[1, 2, 3]', :'pro');
\echo :SQLSTATE
-- P1: an empty object lists every missing member
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Empty', '{}', :'pro');
\echo :SQLSTATE
-- P1: a version that is not semver is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0', 'Bad semver', test_pack('1.0'), :'pro');
\echo :SQLSTATE
-- P1: metadata must be an object
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Bad metadata', jsonb_set(test_pack(), '{metadata}', '"none"'), :'pro');
\echo :SQLSTATE
-- P1: a blank title and a missing description are refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Bad title', jsonb_set(test_pack(), '{metadata,title}', '"   "') #- '{metadata,description}', :'pro');
\echo :SQLSTATE
-- P1: six categories are refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Six', test_pack() #- '{metadata,categories,6}', :'pro');
\echo :SQLSTATE
-- P1: a repeated category and an empty category are refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Repeated',
        jsonb_set(jsonb_set(test_pack(), '{metadata,categories,6}', '"Teamwork"'), '{metadata,categories,5}', '""'),
        :'pro');
\echo :SQLSTATE
-- P1: categories must be an array
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Categories object', jsonb_set(test_pack(), '{metadata,categories}', '{"a": 1}'), :'pro');
\echo :SQLSTATE
-- P1: an empty questions array is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'No questions', jsonb_set(test_pack(), '{questions}', '[]'), :'pro');
\echo :SQLSTATE
-- P1: questions must be an array
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Questions object', jsonb_set(test_pack(), '{questions}', '{"q1": {}}'), :'pro');
\echo :SQLSTATE
-- P1: a question that is not an object is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Question string', jsonb_set(test_pack(), '{questions,1}', '"q2"'), :'pro');
\echo :SQLSTATE
-- P1: a repeated question id is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Repeated id', jsonb_set(test_pack(), '{questions,2,id}', '"q1"'), :'pro');
\echo :SQLSTATE
-- P1: a category outside the 7 is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Unknown category', jsonb_set(test_pack(), '{questions,1,category}', '"Surgery"'), :'pro');
\echo :SQLSTATE
-- P1: an empty prompt is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Empty prompt', jsonb_set(test_pack(), '{questions,0,prompt}', '""'), :'pro');
\echo :SQLSTATE
-- P1: expected_duration_s of 0, above 3600, negative or a string is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Durations',
        jsonb_set(jsonb_set(jsonb_set(test_pack('1.0.0', 4), '{questions,0,expected_duration_s}', '0'),
                            '{questions,1,expected_duration_s}', '3600.5'),
                  '{questions,2,expected_duration_s}', '"90"') #- '{questions,3,expected_duration_s}',
        :'pro');
\echo :SQLSTATE
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Negative', jsonb_set(test_pack(), '{questions,0,expected_duration_s}', '-30'), :'pro');
\echo :SQLSTATE
-- P1: evaluation_criteria must be an array of non-empty strings
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Criteria',
        jsonb_set(jsonb_set(test_pack(), '{questions,0,evaluation_criteria}', '"be concise"'),
                  '{questions,1,evaluation_criteria}', '["ok", "", 7]'),
        :'pro');
\echo :SQLSTATE
-- P1: kind outside behavioral/situational/motivation is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Kind', jsonb_set(jsonb_set(test_pack(), '{questions,0,kind}', '"hypothetical"'),
                                   '{questions,1,kind}', 'true'), :'pro');
\echo :SQLSTATE
-- P1: unknown keys (at the top and in a question) and a rubric that is not an object are refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Unknown keys',
        jsonb_set(test_pack(), '{questions,0,answer}', '"42"') || '{"author": "me", "rubric": [1], "odd key": 1}',
        :'pro');
\echo :SQLSTATE
-- P1: several problems at once are all listed, each with its JSON path
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Many problems',
        jsonb_set(jsonb_set(jsonb_set(test_pack(), '{questions,2,category}', '"Surgery"'),
                            '{questions,0,expected_duration_s}', '0'),
                  '{metadata,title}', '""'),
        :'pro');
\echo :SQLSTATE
-- P1: a long list of problems is capped in the DETAIL
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Capped',
        jsonb_set(test_pack(), '{questions}',
                  (SELECT jsonb_agg(jsonb_build_object('id', 'x' || n)) FROM generate_series(1, 10) AS n)),
        :'pro');
\echo :SQLSTATE
-- P1: an invalid content pack is not written (no row, no question rows)
SELECT count(*) AS packs FROM residency.content_packs;

-------------------------------------------------------------------------------
-- P2: the row's version and schema_version
-------------------------------------------------------------------------------
-- P2: a pre-release version with build metadata is accepted when it equals content.version
INSERT INTO residency.content_packs (version, name, schema_version, content, uploaded_by)
VALUES ('2.0.0-rc.1+build.5', 'Pre-release', '1.1.0', test_pack('2.0.0-rc.1+build.5'), :'pro');
-- P2: a row version that differs from content.version is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.1', 'Mismatch', test_pack('1.0.0'), :'pro');
\echo :SQLSTATE
-- P2: a row version that is not semver is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('v1', 'Row not semver', test_pack('1.0.0'), :'pro');
\echo :SQLSTATE
-- P2: a schema_version that is not semver is refused
INSERT INTO residency.content_packs (version, name, schema_version, content, uploaded_by)
VALUES ('1.0.0', 'Schema', '1', test_pack('1.0.0'), :'pro');
\echo :SQLSTATE
-- P2: leading zeros are not semver
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('01.0.0', 'Leading zero', test_pack('01.0.0'), :'pro');
\echo :SQLSTATE
-- P2: changing the row version of a DRAFT away from content.version is refused
UPDATE residency.content_packs SET version = '9.9.9' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P2: changing schema_version of a DRAFT to a non-semver is refused
UPDATE residency.content_packs SET schema_version = 'latest' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- P3: checksum and file_size
-------------------------------------------------------------------------------
-- P3: a NULL checksum is computed: SHA-256 of content::text, lowercase hex;
-- a NULL file_size is the byte length of content::text
SELECT checksum = encode(sha256(convert_to(content::text, 'UTF8')), 'hex') AS checksum_is_sha256,
       checksum ~ '^[0-9a-f]{64}$' AS lowercase_hex,
       file_size = octet_length(content::text) AS file_size_is_bytes,
       file_size > 0 AS positive
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P3: a given 64-digit lowercase hex checksum and a given file_size are kept
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by, checksum, file_size)
VALUES ('00000000-0000-0000-0000-0000000000c2', '1.0.0', 'Given checksum', test_pack(), :'pro', repeat('0123456789abcdef', 4), 4321);
SELECT checksum, file_size FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c2';
-- P3: an upper-case checksum is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by, checksum)
VALUES ('1.0.0', 'Upper', test_pack(), :'pro', repeat('0123456789ABCDEF', 4));
\echo :SQLSTATE
-- P3: a checksum of 63 digits is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by, checksum)
VALUES ('1.0.0', 'Short', test_pack(), :'pro', repeat('a', 63));
\echo :SQLSTATE
-- P3: a checksum that is not hex is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by, checksum)
VALUES ('1.0.0', 'Not hex', test_pack(), :'pro', repeat('z', 64));
\echo :SQLSTATE
-- P3: a file_size of 0 is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by, file_size)
VALUES ('1.0.0', 'Zero size', test_pack(), :'pro', 0);
\echo :SQLSTATE
-- P3: a negative file_size is refused
INSERT INTO residency.content_packs (version, name, content, uploaded_by, file_size)
VALUES ('1.0.0', 'Negative size', test_pack(), :'pro', -5);
\echo :SQLSTATE
-- P3: a DRAFT whose content changes gets a new checksum and file_size
UPDATE residency.content_packs SET content = test_pack('1.0.0', 8) WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT checksum = encode(sha256(convert_to(content::text, 'UTF8')), 'hex') AS checksum_is_sha256,
       file_size = octet_length(content::text) AS file_size_is_bytes
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c2';
-- P3: ... unless the UPDATE sets them itself (the bytes uploaded)
UPDATE residency.content_packs SET content = test_pack('1.0.0', 7), checksum = repeat('ab', 32), file_size = 999
WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT checksum = repeat('ab', 32) AS checksum_given, file_size FROM residency.content_packs
WHERE id = '00000000-0000-0000-0000-0000000000c2';
-- P3: an UPDATE to a bad checksum is refused
UPDATE residency.content_packs SET checksum = 'abc' WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
-- P3: the computed checksum equals PostgreSQL's sha256() for 50 packs with
-- random descriptions and prompts: ASCII (quotes, backslashes, control
-- characters), Latin-1, Greek, CJK and emoji
SELECT setseed(0.42);
CREATE FUNCTION random_text(len int) RETURNS text LANGUAGE sql VOLATILE AS $$
SELECT string_agg(chr(CASE floor(random() * 5)::int
                          WHEN 0 THEN 1 + floor(random() * 127)::int
                          WHEN 1 THEN 160 + floor(random() * 96)::int
                          WHEN 2 THEN 913 + floor(random() * 57)::int
                          WHEN 3 THEN 19968 + floor(random() * 20000)::int
                          ELSE 128512 + floor(random() * 80)::int
                      END), '')
FROM generate_series(1, len)
$$;
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
SELECT '1.0.0', 'random pack ' || n,
       jsonb_set(jsonb_set(test_pack(), '{metadata,description}', to_jsonb('d ' || random_text(10 + n))),
                 '{questions,0,prompt}', to_jsonb('p ' || random_text(60 - n))),
       :'pro'
FROM generate_series(1, 50) AS n;
SELECT count(*) AS packs,
       count(*) FILTER (WHERE checksum = encode(sha256(convert_to(content::text, 'UTF8')), 'hex')) AS checksum_matches,
       count(*) FILTER (WHERE file_size = octet_length(content::text)) AS file_size_matches,
       count(DISTINCT checksum) AS distinct_checksums
FROM residency.content_packs WHERE name LIKE 'random pack %';
DELETE FROM residency.content_packs WHERE name LIKE 'random pack %';
DROP FUNCTION random_text(int);

-------------------------------------------------------------------------------
-- P7: content_pack_questions mirror the content exactly
-------------------------------------------------------------------------------
-- P7: one row per question, in order, with every field
SELECT ordinal, id, category, prompt, expected_duration_s, evaluation_criteria, kind
FROM residency.content_pack_questions
WHERE content_pack_id = (SELECT id FROM residency.content_packs WHERE name = 'Optional fields')
ORDER BY ordinal;
-- P7: every pack's rows equal its $.questions (symmetric difference is empty)
CREATE VIEW questions_from_content AS
SELECT p.id AS content_pack_id, q ->> 'id' AS id, q ->> 'category' AS category, q ->> 'prompt' AS prompt,
       (q ->> 'expected_duration_s')::numeric AS expected_duration_s,
       ARRAY(SELECT jsonb_array_elements_text(q -> 'evaluation_criteria')) AS evaluation_criteria,
       q ->> 'kind' AS kind, n::int AS ordinal
FROM residency.content_packs AS p, jsonb_array_elements(p.content -> 'questions') WITH ORDINALITY AS t(q, n);
CREATE VIEW mirror_differences AS
SELECT count(*) AS differences FROM (
    (SELECT content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal
     FROM residency.content_pack_questions
     EXCEPT SELECT * FROM questions_from_content)
    UNION ALL
    (SELECT * FROM questions_from_content
     EXCEPT SELECT content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal
     FROM residency.content_pack_questions)) AS d;
SELECT (SELECT count(*) FROM residency.content_pack_questions) AS question_rows, differences FROM mirror_differences;
-- P7: changing a DRAFT's content rebuilds its questions
UPDATE residency.content_packs
SET content = jsonb_set(test_pack('1.0.0', 2), '{questions,1,evaluation_criteria}', '["Only one criterion"]')
WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT ordinal, id, category, expected_duration_s, evaluation_criteria, kind
FROM residency.content_pack_questions WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c2'
ORDER BY ordinal;
SELECT differences FROM mirror_differences;
-- P7: an UPDATE that leaves the content alone keeps the question rows
UPDATE residency.content_packs SET description = 'Two questions' WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT count(*) AS questions FROM residency.content_pack_questions
WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c2';
-- P7: a direct INSERT into content_pack_questions is refused
INSERT INTO residency.content_pack_questions
    (content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal)
VALUES ('00000000-0000-0000-0000-0000000000c2', 'q99', 'Teamwork', 'Sneaked in?', 60, '{}', NULL, 99);
\echo :SQLSTATE
-- P7: a direct UPDATE is refused
UPDATE residency.content_pack_questions SET prompt = 'Edited'
WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c2' AND id = 'q1';
\echo :SQLSTATE
-- P7: a direct DELETE is refused
DELETE FROM residency.content_pack_questions
WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c2' AND id = 'q1';
\echo :SQLSTATE
-- P7: TRUNCATE of the questions is refused (with CASCADE, which the
-- foreign key from drill_sessions requires)
TRUNCATE residency.content_pack_questions CASCADE;
\echo :SQLSTATE
-- P7: even service_role cannot write the questions
SET ROLE service_role;
UPDATE residency.content_pack_questions SET prompt = 'Edited'
WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c2' AND id = 'q1';
\echo :SQLSTATE
RESET ROLE;
SELECT differences FROM mirror_differences;

-------------------------------------------------------------------------------
-- P4: status transitions; content frozen unless DRAFT; new packs are DRAFT
-------------------------------------------------------------------------------
-- P4: a new pack must be a DRAFT
INSERT INTO residency.content_packs (version, name, content, uploaded_by, status)
VALUES ('1.0.0', 'Born active', test_pack(), :'pro', 'ACTIVE');
\echo :SQLSTATE
-- P4: a new pack has no activation time
INSERT INTO residency.content_packs (version, name, content, uploaded_by, activated_at)
VALUES ('1.0.0', 'Born activated', test_pack(), :'pro', '2024-01-01 00:00:00+00');
\echo :SQLSTATE
-- P4: a status outside the enumeration is refused
UPDATE residency.content_packs SET status = 'PUBLISHED' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: DRAFT -> DRAFT is a no-op, allowed
UPDATE residency.content_packs SET status = 'DRAFT' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: DRAFT -> ACTIVE is allowed
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: ACTIVE -> ACTIVE is a no-op, allowed
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: ACTIVE -> DRAFT is refused
UPDATE residency.content_packs SET status = 'DRAFT' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: the content of an ACTIVE pack cannot change
UPDATE residency.content_packs SET content = test_pack('1.0.0', 2) WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: nor its version, checksum or file_size
UPDATE residency.content_packs SET checksum = repeat('cd', 32) WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
UPDATE residency.content_packs SET file_size = 1 WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: name, description and metadata of an ACTIVE pack may change
UPDATE residency.content_packs SET name = 'Core pack (2024)', description = 'The default pack', metadata = '{"source": "test"}'
WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: uploaded_by never changes
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a2', 'other@example.org');
UPDATE residency.content_packs SET uploaded_by = '00000000-0000-0000-0000-0000000000a2'
WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
-- P4: activated_at is set by activation only
UPDATE residency.content_packs SET activated_at = '2024-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: ACTIVE -> ARCHIVED is allowed
UPDATE residency.content_packs SET status = 'ARCHIVED' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: ARCHIVED -> DRAFT is refused
UPDATE residency.content_packs SET status = 'DRAFT' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: the content of an ARCHIVED pack cannot change
UPDATE residency.content_packs SET content = test_pack('1.0.0', 2) WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: nor its schema_version
UPDATE residency.content_packs SET schema_version = '2.0.0' WHERE id = '00000000-0000-0000-0000-0000000000c1';
\echo :SQLSTATE
-- P4: ARCHIVED -> ACTIVE is allowed
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
-- P4: DRAFT -> ARCHIVED is allowed
UPDATE residency.content_packs SET status = 'ARCHIVED' WHERE name = 'With rubric';
-- P4: a DRAFT's content may change (rebuilding its questions, P7) while it stays valid
UPDATE residency.content_packs SET content = test_pack('1.0.0', 4) WHERE id = '00000000-0000-0000-0000-0000000000c2';
-- P4: an invalid new content for a DRAFT is refused (P1)
UPDATE residency.content_packs SET content = content #- '{metadata,categories}' WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
-- P4: a DRAFT's version may change together with its content
UPDATE residency.content_packs SET version = '1.1.0', content = test_pack('1.1.0', 4)
WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT name, version, status FROM residency.content_packs ORDER BY name;

-------------------------------------------------------------------------------
-- P5: one ACTIVE pack; activating one archives the other
-------------------------------------------------------------------------------
SELECT name, status FROM residency.content_packs WHERE status = 'ACTIVE';
-- P5: activating pack c2 archives pack c1 in the same statement
BEGIN;
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT name, status, activated_at = now() AS activated_now
FROM residency.content_packs WHERE id IN ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000c2')
ORDER BY id;
COMMIT;
-- P5: at most one ACTIVE pack
SELECT count(*) AS active_packs FROM residency.content_packs WHERE status = 'ACTIVE';
-- P5: re-activating an ARCHIVED pack archives the current one, and sets a new activated_at
BEGIN;
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
SELECT name, status, activated_at = now() AS activated_now
FROM residency.content_packs WHERE id IN ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000c2')
ORDER BY id;
COMMIT;
-- P5: activating two packs in one statement still leaves one ACTIVE pack
BEGIN;
UPDATE residency.content_packs SET status = 'ACTIVE'
WHERE id IN ('00000000-0000-0000-0000-0000000000c2', (SELECT id FROM residency.content_packs WHERE name = 'Optional fields'));
SELECT count(*) AS active_packs FROM residency.content_packs WHERE status = 'ACTIVE';
ROLLBACK;
-- P5: a second ACTIVE row is refused by the partial unique index (23505),
-- the final guard: shown with the rules switched off (superuser, inside a
-- rolled-back transaction), as a lost race would meet it
BEGIN;
ALTER TABLE residency.content_packs DISABLE TRIGGER content_packs_guard;
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE name = 'Pre-release';
\echo :SQLSTATE
ROLLBACK;
SELECT count(*) AS active_packs FROM residency.content_packs WHERE status = 'ACTIVE';

-------------------------------------------------------------------------------
-- P6: only unreferenced DRAFT packs may be deleted
-------------------------------------------------------------------------------
-- P6: deleting a DRAFT pack is allowed, and its questions go with it (P7)
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c3', '3.0.0', 'Short-lived', test_pack('3.0.0', 5), :'pro');
SELECT count(*) AS questions FROM residency.content_pack_questions WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c3';
DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c3';
SELECT count(*) AS questions FROM residency.content_pack_questions WHERE content_pack_id = '00000000-0000-0000-0000-0000000000c3';
-- P6: deleting the ACTIVE pack is refused
DELETE FROM residency.content_packs WHERE status = 'ACTIVE';
\echo :SQLSTATE
-- P6: deleting an ARCHIVED pack is refused
DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c1' AND status = 'ARCHIVED';
\echo :SQLSTATE
-- P6: a DRAFT that a session references cannot be deleted. Through the
-- rules this cannot happen: a session takes its question from the ACTIVE
-- pack (S1) and a pack never returns to DRAFT (P4). Built here with the
-- session rule switched off (superuser, rolled back), P6 still refuses.
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c4', '4.0.0', 'Referenced draft', test_pack('4.0.0'), :'pro');
BEGIN;
ALTER TABLE residency.drill_sessions DISABLE TRIGGER drill_sessions_guard;
INSERT INTO residency.drill_sessions (id, user_id, question_id, content_pack_id, content_pack_version)
VALUES ('00000000-0000-0000-0000-0000000000e1', :'pro', 'q1', '00000000-0000-0000-0000-0000000000c4', '4.0.0');
ALTER TABLE residency.drill_sessions ENABLE TRIGGER drill_sessions_guard;
DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c4';
\echo :SQLSTATE
ROLLBACK;
-- P6: TRUNCATE is refused (CASCADE would otherwise take every dependent table)
TRUNCATE residency.content_packs CASCADE;
\echo :SQLSTATE
-- P6: service_role is held to the same rule
SET ROLE service_role;
DELETE FROM residency.content_packs WHERE status = 'ARCHIVED';
\echo :SQLSTATE
DELETE FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c4';
RESET ROLE;
SELECT name, status FROM residency.content_packs ORDER BY name;

-------------------------------------------------------------------------------
-- The lifecycle DRAFT -> ACTIVE -> ARCHIVED -> ACTIVE of one pack
-------------------------------------------------------------------------------
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c5', '5.0.0', 'Lifecycle', test_pack('5.0.0', 2), :'pro');
SELECT status, activated_at IS NULL AS never_activated FROM residency.content_packs
WHERE id = '00000000-0000-0000-0000-0000000000c5';
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c5';
SELECT status, activated_at IS NOT NULL AS activated FROM residency.content_packs
WHERE id = '00000000-0000-0000-0000-0000000000c5';
UPDATE residency.content_packs SET status = 'ARCHIVED' WHERE id = '00000000-0000-0000-0000-0000000000c5';
SELECT status, (SELECT count(*) FROM residency.content_packs WHERE status = 'ACTIVE') AS active_packs
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c5';
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c5';
SELECT status, (SELECT count(*) FROM residency.content_packs WHERE status = 'ACTIVE') AS active_packs
FROM residency.content_packs WHERE id = '00000000-0000-0000-0000-0000000000c5';
-- the question rows of every pack still mirror its content
SELECT differences FROM mirror_differences;

DROP VIEW mirror_differences;
DROP VIEW questions_from_content;
DROP FUNCTION test_pack(text, int);
