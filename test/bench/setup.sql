-- Benchmark database: the extension's tables (rules on) and identical tables
-- in schema bare (same columns, defaults, CHECKs, indexes, foreign keys; no
-- rule triggers), plus the rows both need.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bare CASCADE;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE SCHEMA bare;
CREATE TABLE bare.users (LIKE residency.users INCLUDING ALL);
CREATE TABLE bare.content_packs (LIKE residency.content_packs INCLUDING ALL);
CREATE TABLE bare.content_pack_questions (LIKE residency.content_pack_questions INCLUDING ALL);
CREATE TABLE bare.drill_sessions (LIKE residency.drill_sessions INCLUDING ALL);
CREATE TABLE bare.drill_responses (LIKE residency.drill_responses INCLUDING ALL);
CREATE TABLE bare.evaluation_results (LIKE residency.evaluation_results INCLUDING ALL);
ALTER TABLE bare.content_packs ADD FOREIGN KEY (uploaded_by) REFERENCES bare.users (id);
ALTER TABLE bare.content_pack_questions ADD FOREIGN KEY (content_pack_id) REFERENCES bare.content_packs (id) ON DELETE CASCADE;
ALTER TABLE bare.drill_sessions ADD FOREIGN KEY (user_id) REFERENCES bare.users (id) ON DELETE CASCADE;
ALTER TABLE bare.drill_sessions ADD FOREIGN KEY (content_pack_id, question_id) REFERENCES bare.content_pack_questions (content_pack_id, id);
ALTER TABLE bare.drill_responses ADD FOREIGN KEY (session_id) REFERENCES bare.drill_sessions (id) ON DELETE CASCADE;
ALTER TABLE bare.evaluation_results ADD FOREIGN KEY (session_id) REFERENCES bare.drill_sessions (id) ON DELETE CASCADE;
ALTER TABLE bare.evaluation_results ADD FOREIGN KEY (response_id) REFERENCES bare.drill_responses (id) ON DELETE CASCADE;

-- One BASIC candidate and one PRO author in both schemas.
INSERT INTO residency.users (id, email) VALUES
    ('00000000-0000-0000-0000-0000000000b1', 'candidate@example.org'),
    ('00000000-0000-0000-0000-0000000000b2', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO' WHERE email = 'author@example.org';
INSERT INTO bare.users SELECT * FROM residency.users;

-- Packs of n questions as JSON text (what a client uploads).
CREATE FUNCTION bare.pack_text(n int, version text) RETURNS text LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'version', version,
        'metadata', jsonb_build_object(
            'title', 'Benchmark pack', 'description', 'Generated for benchmarks B1 and B3',
            'categories', jsonb_build_array('Motivation', 'Teamwork', 'Conflict', 'Ethics & Professionalism',
                                            'Resilience & Failure', 'Leadership', 'Patient Care')),
        'questions', (SELECT jsonb_agg(jsonb_build_object(
            'id', 'q' || i,
            'category', (ARRAY['Motivation', 'Teamwork', 'Conflict', 'Ethics & Professionalism',
                               'Resilience & Failure', 'Leadership', 'Patient Care'])[1 + i % 7],
            'prompt', 'Tell me about a time you had to balance patient safety against team pressure (' || i || ').',
            'expected_duration_s', 60 + i % 90,
            'evaluation_criteria', jsonb_build_array(
                'Describes the situation and their own role [kw: rotation, shift, role]',
                'Explains the concrete actions they took [kw: paged, asked, escalat*]',
                'States the outcome with a concrete detail [kw: result, outcome, patient]'),
            'kind', (ARRAY['behavioral', 'situational', 'motivation'])[1 + i % 3]) ORDER BY i)
          FROM generate_series(1, n) AS i))::text
$$;
CREATE TABLE bare.pack_source (n int PRIMARY KEY, body text NOT NULL);
INSERT INTO bare.pack_source VALUES (8, bare.pack_text(8, '1.0.0')), (2000, bare.pack_text(2000, '1.0.0'));

-- The drill pack, active in both schemas.
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
SELECT '00000000-0000-0000-0000-0000000000c1', '1.0.0', 'drill pack', body::jsonb, '00000000-0000-0000-0000-0000000000b2'
FROM bare.pack_source WHERE n = 8;
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
INSERT INTO bare.content_packs SELECT * FROM residency.content_packs;
INSERT INTO bare.content_pack_questions SELECT * FROM residency.content_pack_questions;

CREATE SEQUENCE bare.pack_seq;
VACUUM ANALYZE;

-- B1 server-side: the same drills as test/bench/b1_*.sql, one function call
-- each, so that round trips do not hide the cost of the rules.
CREATE FUNCTION bare.drill_rules() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    sid uuid;
    rid uuid;
BEGIN
    INSERT INTO residency.drill_sessions (user_id, question_id)
    VALUES ('00000000-0000-0000-0000-0000000000b1', 'q3') RETURNING id INTO sid;
    INSERT INTO residency.drill_responses (session_id, content)
    VALUES (sid, 'During my third-year surgery rotation a nurse and I disagreed about a pain dose. I asked her to walk me through her concerns, I paged the senior resident, and we adjusted the dose. As a result, the patient''s pain score dropped from 8 to 3 within two hours. I learned to ask before I assume.')
    RETURNING id INTO rid;
    UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = sid;
    INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
        categories, what_changed, practice_rule, model_used, processing_time_ms)
    VALUES (sid, rid, 48, 57, 71.25, 82,
        '[{"name":"Length","passFlag":"FLAG","note":"48 s for a ~90 s question","score":57},{"name":"Pace","passFlag":"PASS","note":"71 wpm","score":80},{"name":"Fillers","passFlag":"PASS","note":"0 fillers","score":100},{"name":"Wording","passFlag":"PASS","note":"Direct wording","score":100},{"name":"Ownership","passFlag":"PASS","note":"I x6 vs we x1","score":100},{"name":"Structure","passFlag":"PASS","note":"Context, actions, result, lesson","score":100},{"name":"Substance","passFlag":"PASS","note":"3/3 criteria","score":100}]',
        '["Add one more concrete action"]', 'Aim for ~90 s.', 'residency-rubric/1.0', 3);
END
$$;

CREATE FUNCTION bare.drill_bare() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    sid uuid;
    rid uuid;
BEGIN
    INSERT INTO bare.drill_sessions (user_id, question_id, content_pack_id, content_pack_version)
    VALUES ('00000000-0000-0000-0000-0000000000b1', 'q3', '00000000-0000-0000-0000-0000000000c1', '1.0.0')
    RETURNING id INTO sid;
    INSERT INTO bare.drill_responses (session_id, content, word_count)
    VALUES (sid, 'During my third-year surgery rotation a nurse and I disagreed about a pain dose. I asked her to walk me through her concerns, I paged the senior resident, and we adjusted the dose. As a result, the patient''s pain score dropped from 8 to 3 within two hours. I learned to ask before I assume.', 57)
    RETURNING id INTO rid;
    UPDATE bare.drill_sessions SET status = 'SUBMITTED', submitted_at = clock_timestamp() WHERE id = sid;
    UPDATE bare.drill_sessions SET status = 'PROCESSING', processing_started_at = clock_timestamp() WHERE id = sid;
    INSERT INTO bare.evaluation_results (session_id, response_id, user_id, duration_s, words, wpm, overall_score,
        categories, what_changed, practice_rule, model_used, processing_time_ms)
    VALUES (sid, rid, '00000000-0000-0000-0000-0000000000b1', 48, 57, 71.25, 82,
        '[{"name":"Length","passFlag":"FLAG","note":"48 s for a ~90 s question","score":57},{"name":"Pace","passFlag":"PASS","note":"71 wpm","score":80},{"name":"Fillers","passFlag":"PASS","note":"0 fillers","score":100},{"name":"Wording","passFlag":"PASS","note":"Direct wording","score":100},{"name":"Ownership","passFlag":"PASS","note":"I x6 vs we x1","score":100},{"name":"Structure","passFlag":"PASS","note":"Context, actions, result, lesson","score":100},{"name":"Substance","passFlag":"PASS","note":"3/3 criteria","score":100}]',
        '["Add one more concrete action"]', 'Aim for ~90 s.', 'residency-rubric/1.0', 3);
    UPDATE bare.drill_sessions SET status = 'COMPLETED', completed_at = clock_timestamp(),
        processing_time_ms = greatest(1, ceil(extract(epoch FROM clock_timestamp() - processing_started_at) * 1000))
    WHERE id = sid;
END
$$;

-- CPU seconds this backend has used (user + system), from /proc/self/stat
-- (Linux, USER_HZ = 100). Other processes on the machine barely change it,
-- unlike wall-clock time.
CREATE FUNCTION bare.cpu_seconds() RETURNS float8 LANGUAGE sql VOLATILE AS $$
    SELECT (f[12]::bigint + f[13]::bigint) / 100.0
    FROM (SELECT regexp_split_to_array(substring(pg_read_file('/proc/self/stat') FROM '\) (.*)$'), ' ') AS f) AS s
$$;

-- Microseconds of backend CPU per call of `fn` over n calls.
CREATE FUNCTION bare.cpu_us_per_call(fn text, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    c0 float8;
    c1 float8;
BEGIN
    c0 := bare.cpu_seconds();
    FOR i IN 1 .. n LOOP
        EXECUTE 'SELECT ' || fn || '()';
    END LOOP;
    c1 := bare.cpu_seconds();
    RETURN (c1 - c0) * 1e6 / n;
END
$$;

-- B3 as functions: one 2,000-question pack stored with and without the rules.
CREATE FUNCTION bare.pack_rules() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO residency.content_packs (version, name, content, uploaded_by)
    SELECT '1.0.0', 'bench ' || nextval('bare.pack_seq'), body::jsonb, '00000000-0000-0000-0000-0000000000b2'
    FROM bare.pack_source WHERE n = 2000;
END
$$;
CREATE FUNCTION bare.pack_bare() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pid uuid;
BEGIN
    INSERT INTO bare.content_packs (version, name, content, uploaded_by, checksum, file_size)
    SELECT '1.0.0', 'bench ' || nextval('bare.pack_seq'), body::jsonb, '00000000-0000-0000-0000-0000000000b2',
           'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', octet_length(body)
    FROM bare.pack_source WHERE n = 2000
    RETURNING id INTO pid;
    INSERT INTO bare.content_pack_questions
        (content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal)
    SELECT pid, q ->> 'id', q ->> 'category', q ->> 'prompt', (q ->> 'expected_duration_s')::numeric,
           ARRAY(SELECT jsonb_array_elements_text(q -> 'evaluation_criteria')), q ->> 'kind', n::int
    FROM bare.content_packs AS p, jsonb_array_elements(p.content -> 'questions') WITH ORDINALITY AS t(q, n)
    WHERE p.id = pid;
END
$$;

-- Alternating rounds of two measurements (the order flips every round, so
-- that table growth and cache warmth favour neither): microseconds of
-- backend CPU per call, per round.
CREATE FUNCTION bare.rounds(fn_rules text, fn_bare text, rounds int, n int)
RETURNS TABLE (round int, rules_us float8, bare_us float8) LANGUAGE plpgsql AS $$
BEGIN
    FOR r IN 1 .. rounds LOOP
        round := r;
        IF r % 2 = 1 THEN
            rules_us := bare.cpu_us_per_call(fn_rules, n);
            bare_us := bare.cpu_us_per_call(fn_bare, n);
        ELSE
            bare_us := bare.cpu_us_per_call(fn_bare, n);
            rules_us := bare.cpu_us_per_call(fn_rules, n);
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- B2 through SQL: the bundled pack (psql variable :pack, loaded by
-- scripts/bench.sh) and 2,000 generated answers of 300 words.
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000d1', '1.0.0', 'bundled', :'pack', '00000000-0000-0000-0000-0000000000b2');
CREATE TABLE bare.answers (id int PRIMARY KEY, content text NOT NULL);
INSERT INTO bare.answers
SELECT a, (SELECT string_agg(s, ' ') FROM (
          SELECT (ARRAY[
            'During my third-year surgery rotation at Mercy Hospital, a nurse and I disagreed about a pain dose.',
            'I asked her to walk me through her concerns, and I listened without interrupting.',
            'I reviewed the chart and I paged the senior resident within ten minutes.',
            'Um, so, I think we kind of figured it out as a team in the end, you know.',
            'As a result, the patient''s pain score dropped from 8 to 3 within two hours.',
            'I learned to ask before I assume, and now I check in with nurses early.',
            'Basically we had a situation where, like, everyone was busy and stuff.',
            'My role was to coordinate the discharge plan with the family and the case manager.',
            'I would first clarify what happened, then weigh patient safety against autonomy, and escalate to the attending.',
            'I guess it was fine, maybe, but I am not sure what I would do differently.'])[1 + (hashint4(a * 100 + k) & 2147483647) % 10] AS s
          FROM generate_series(1, 21) AS k) AS t)
FROM generate_series(1, 2000) AS a;

-- Microseconds of backend CPU per answer scored through residency.score().
CREATE FUNCTION bare.b2_sql_us(n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    c0 float8;
    c1 float8;
    scored bigint;
BEGIN
    c0 := bare.cpu_seconds();
    SELECT count(residency.score('00000000-0000-0000-0000-0000000000d1', 'conf-nurse-conflict', content, 130))
    INTO scored FROM bare.answers WHERE id <= n;
    c1 := bare.cpu_seconds();
    RETURN (c1 - c0) * 1e6 / scored;
END
$$;
