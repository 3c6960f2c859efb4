-- residency.score(): the built-in scorer through SQL (docs/scoring.md).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO';
\set pack `cat packs/default.json`
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'bundled', :'pack', '00000000-0000-0000-0000-0000000000a1');

-- a strong spoken answer to a behavioral question
CREATE TEMP TABLE strong AS
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending',
  'During my internal medicine rotation, the attending wanted to discharge a patient whose potassium was still low. '
  'I was worried, so I asked if we could recheck the lab first. I explained my concern respectfully after rounds, '
  'I showed him the trend over three days, and I suggested a repeat level before discharge. He agreed. As a result, '
  'we caught a drop to 2.9 and held the discharge for one more day, and the patient went home safely 24 hours later. '
  'I learned to raise concerns early, privately and with data, and since then I bring the numbers when I disagree.', 45) AS r;
SELECT r -> 'overall_score' AS overall, r -> 'words' AS words, r -> 'wpm' AS wpm, r -> 'duration_s' AS duration_s,
       r -> 'duration_estimated' AS estimated, r ->> 'model_used' AS model FROM strong;
SELECT c ->> 'name' AS check, c ->> 'passFlag' AS verdict, (c ->> 'score')::int AS score, c ->> 'note' AS note
FROM strong, jsonb_array_elements(r -> 'categories') AS c;
SELECT jsonb_array_length(r -> 'what_changed') AS what_changed, r ->> 'practice_rule' AS practice_rule FROM strong;
-- every metric behind each verdict is in details
SELECT string_agg(k, ', ' ORDER BY k) AS detail_keys FROM strong, jsonb_object_keys(r -> 'details') AS k;
SELECT r #> '{details,Substance,criteria,0}' AS first_criterion FROM strong;

-- a typed answer: duration estimated at 140 wpm, Pace not scored
SELECT r -> 'duration_s' AS duration_s, r -> 'duration_estimated' AS estimated,
       r #>> '{categories,1,note}' AS pace_note, r #> '{details,weights,Pace}' AS pace_weight
FROM (SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'mot-tell-me-about-yourself',
      'I am a fourth-year student who wants to train in a program that values teaching.') AS r) AS t;

-- the result is built as jsonb directly (src/pg/adapters/jsonb_builder.cpp); it is the
-- very jsonb its own text reads back as: keys stored in jsonb's order (the
-- text shows stored order), every key found by ->, equal by =; for every
-- question of the pack, spoken and typed, with and without a previous result
WITH answers(n, answer) AS (VALUES
    (1, 'Um, so I think we kind of handled it as a team, you know, and it was fine.'),
    (2, 'During my surgery rotation I paged the senior resident within 10 minutes; as a result the patient''s pain '
        'score dropped from 8 to 3. I learned to ask early. «Café» — naïve 🙂 [laughs] "quoted" \ back\slash')),
results AS (
    SELECT q.id, a.n, d.duration, residency.score(q.content_pack_id, q.id, a.answer, d.duration) AS r
    FROM residency.content_pack_questions AS q, answers AS a, (VALUES (NULL::numeric), (37.5)) AS d(duration)
    WHERE q.content_pack_id = '00000000-0000-0000-0000-0000000000c1'),
again AS (
    SELECT r, residency.score('00000000-0000-0000-0000-0000000000c1', id, 'I asked the charge nurse first.', 20, r) AS r2
    FROM results)
SELECT count(*) AS results,
       bool_and(r::text = r::text::jsonb::text) AS stored_in_jsonb_order,
       bool_and(r = r::text::jsonb AND r2 = r2::text::jsonb) AS equal_to_reparsed,
       bool_and(r2::text = r2::text::jsonb::text) AS with_previous_too,
       bool_and(NOT EXISTS (SELECT 1 FROM jsonb_each(r) AS e WHERE r -> e.key IS NULL)) AS every_key_found,
       bool_and(r #> '{details,Substance}' IS NOT NULL) AS nested_keys_found
FROM again;

-- same inputs, same output
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', 'I asked the nurse first.', 30)
     = residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', 'I asked the nurse first.', 30)
  AS deterministic;

-- previous: what improved since the last attempt comes first
SELECT r #>> '{what_changed,0}' AS first_item, r #> '{details,improvement}' AS improvement
FROM (SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', s.r #>> '{}', 75,
        residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending',
          'Um, so, like, we kind of disagreed about stuff, you know, and I guess it was fine.', 40)) AS r
      FROM (SELECT to_jsonb('During my internal medicine rotation, the attending wanted to discharge a patient whose potassium was still low. I was worried, so I asked if we could recheck the lab first. I explained my concern respectfully after rounds, I showed him the trend over three days, and I suggested a repeat level before discharge. He agreed. As a result, we caught a drop to 2.9 and held the discharge for one more day, and the patient went home safely 24 hours later. I learned to raise concerns early, privately and with data, and since then I bring the numbers when I disagree.'::text) AS r) AS s) AS t;

-- NULL pack, question or answer: NULL
SELECT residency.score(NULL, 'conf-disagree-attending', 'x') IS NULL AS null_pack,
       residency.score('00000000-0000-0000-0000-0000000000c1', NULL, 'x') IS NULL AS null_question,
       residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', NULL) IS NULL AS null_answer;

-- errors
SELECT residency.score('00000000-0000-0000-0000-0000000000ff', 'conf-disagree-attending', 'I asked.');
\echo :SQLSTATE
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'no-such-question', 'I asked.');
\echo :SQLSTATE
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', '   ');
\echo :SQLSTATE
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', '🎉🎉');
\echo :SQLSTATE
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', 'I asked.', 0);
\echo :SQLSTATE
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', 'I asked.', 'NaN');
\echo :SQLSTATE
SET residency.max_answer_chars = 10;
SELECT residency.score('00000000-0000-0000-0000-0000000000c1', 'conf-disagree-attending', 'I asked the nurse.');
\echo :SQLSTATE
RESET residency.max_answer_chars;

-- the result is a valid evaluation (rules E2/E3): a full drill stores it
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE id = '00000000-0000-0000-0000-0000000000c1';
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000a1', 'conf-disagree-attending');
INSERT INTO residency.drill_responses (id, session_id, content, audio_url, audio_duration_s)
SELECT '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1',
       'I asked the nurse what worried her and I paged the senior resident.', 'https://cdn.example.org/d1.m4a', 12;
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000000d1';
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score, categories,
    what_changed, practice_rule, model_used, processing_time_ms, details)
SELECT s.id, r.id, (x ->> 'duration_s')::numeric, (x ->> 'words')::int, (x ->> 'wpm')::numeric,
       (x ->> 'overall_score')::int, x -> 'categories', x -> 'what_changed', x ->> 'practice_rule',
       x ->> 'model_used', 1, x -> 'details'
FROM residency.drill_sessions AS s JOIN residency.drill_responses AS r ON r.session_id = s.id,
     residency.score(s.content_pack_id, s.question_id, r.content, r.audio_duration_s) AS x
WHERE s.id = '00000000-0000-0000-0000-0000000000d1';
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000000d1';

-- a pack's rubric overrides the defaults; the cache follows a DRAFT's changes
CREATE FUNCTION small_pack(rubric jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('version', '2.0.0',
    'metadata', jsonb_build_object('title', 'Small', 'description', 'Rubric test',
                                   'categories', jsonb_build_array('A', 'B', 'C', 'D', 'E', 'F', 'G')),
    'questions', jsonb_build_array(jsonb_build_object('id', 'q1', 'category', 'A', 'prompt', 'Why medicine?',
        'expected_duration_s', 60, 'evaluation_criteria', jsonb_build_array('Names a reason [kw: because]'))),
    'rubric', rubric)
$$;
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c2', '2.0.0', 'small', small_pack('{}'), '00000000-0000-0000-0000-0000000000a1');
SELECT r #> '{details,weights,Pace}' AS pace_weight, r #>> '{categories,3,note}' AS wording_note
FROM (SELECT residency.score('00000000-0000-0000-0000-0000000000c2', 'q1', 'I reckon I chose medicine because I like people.', 20) AS r) AS t;
UPDATE residency.content_packs
SET content = small_pack('{"weights": {"Pace": 0}, "lexicons": {"hedges": ["i reckon"]}, "notes": {"wording.hedges": "Hedged {hedges} times."}, "kinds": {"A": "motivation"}}')
WHERE id = '00000000-0000-0000-0000-0000000000c2';
SELECT r #> '{details,weights,Pace}' AS pace_weight, r #>> '{categories,3,note}' AS wording_note, r #>> '{details,kind}' AS kind
FROM (SELECT residency.score('00000000-0000-0000-0000-0000000000c2', 'q1', 'I reckon I chose medicine because I like people.', 20) AS r) AS t;

-- P1 checks the rubric, with a JSON path for every problem
UPDATE residency.content_packs
SET content = small_pack('{"weights": {"Pace": 120, "Speed": 1}, "thresholds": {"Pace": {"pass_lo": 190}}, "lexicons": {"hedges": ["!!!"]}, "kinds": {"Z": "motivation"}, "notes": {"pace.pass": "{wpm} at {nowhere}"}, "colour": "blue"}')
WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE

-- Sane bounds on the overrides: no check may decide the score. The pack of
-- the security report weighted one always-passing check at 100% (every
-- answer, "uh um like whatever" included, scored 100); each check now
-- weighs at most 40% of the weights that count, for spoken and for typed
-- answers, and caps stay below the PASS line (70).
UPDATE residency.content_packs
SET content = small_pack('{"weights": {"Length": 0, "Pace": 100, "Fillers": 0, "Wording": 0, "Ownership": 0, "Structure": 0, "Substance": 0}, "thresholds": {"Pace": {"zero_lo": 0, "pass_lo": 0, "ideal_lo": 0, "ideal_hi": 1000, "pass_hi": 1000, "zero_hi": 1000}}}')
WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
UPDATE residency.content_packs
SET content = small_pack('{"kind_weights": {"motivation": {"Substance": 60}}, "thresholds": {"Substance": {"cap": 100}, "overall": {"empty_cap": 70, "short_words": 5000}}}')
WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
-- weights that share the score are accepted
UPDATE residency.content_packs
SET content = small_pack('{"weights": {"Fillers": 20, "Substance": 30}, "thresholds": {"Substance": {"cap": 69}, "Structure": {"concise_pass": 1.4}}}')
WHERE id = '00000000-0000-0000-0000-0000000000c2'
RETURNING content #> '{rubric,weights}' AS weights;

-- batch re-scoring is the backend's: service_role may call it, app users not
BEGIN;
SET LOCAL ROLE service_role;
SELECT residency.score('00000000-0000-0000-0000-0000000000c2', 'q1', 'I chose medicine because I like people.') IS NOT NULL AS service_role_scores;
ROLLBACK;
BEGIN;
SET LOCAL ROLE authenticated;
SELECT residency.score('00000000-0000-0000-0000-0000000000c2', 'q1', 'I chose medicine because I like people.');
\echo :SQLSTATE
ROLLBACK;
