SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency.evaluation_results: rules E1-E3 (docs/data-model.md, docs/rules.md).
-- A BASIC user, an ACTIVE pack, sessions ...201 to ...210 answered by
-- responses ...301 to ...310 and PROCESSING; session ...211 answered by
-- ...311 and SUBMITTED; session ...212 STARTED.

INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'candidate@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Pack',
        '{"version": "1.0.0",
          "metadata": {"title": "Pack", "description": "Test pack",
                       "categories": ["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]},
          "questions": [{"id": "q1", "category": "Teamwork", "prompt": "Tell me about a handover.",
                         "expected_duration_s": 90, "evaluation_criteria": ["Names the risk"]}]}',
        '00000000-0000-0000-0000-0000000000a1');
UPDATE residency.content_packs SET status = 'ACTIVE';
INSERT INTO residency.drill_sessions (id, user_id, question_id)
SELECT ('00000000-0000-0000-0000-000000000' || n)::uuid, '00000000-0000-0000-0000-0000000000a1', 'q1'
FROM generate_series(201, 212) AS n;
INSERT INTO residency.drill_responses (id, session_id, content)
SELECT ('00000000-0000-0000-0000-000000000' || (n + 100))::uuid, ('00000000-0000-0000-0000-000000000' || n)::uuid,
       'I led the handover after a night shift and named the one risk that mattered.'
FROM generate_series(201, 211) AS n;
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id <= '00000000-0000-0000-0000-000000000210';
SELECT status, count(*) FROM residency.drill_sessions GROUP BY status ORDER BY status;

-- The 7 categories, each PASS with a note and a score.
CREATE FUNCTION seven() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', c || ': nothing to fix', 'score', 80) ORDER BY n)
FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) WITH ORDINALITY AS t(c, n)
$$;

\set s '00000000-0000-0000-0000-000000000201'
\set r '00000000-0000-0000-0000-000000000301'

-------------------------------------------------------------------------------
-- E1: a PROCESSING session, its own response; the session moves to COMPLETED
-------------------------------------------------------------------------------
-- E1: a valid evaluation of a PROCESSING session is accepted and completes it
INSERT INTO residency.evaluation_results (id, session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000302',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
SELECT status, completed_at IS NOT NULL AS completed, processing_time_ms >= 1 AS timed
FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-000000000202';
-- E1: a second evaluation of the same session is refused (it is COMPLETED)
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000302',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: a SUBMITTED session (not yet PROCESSING) is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000211', '00000000-0000-0000-0000-000000000311',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: the response of another session is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', '00000000-0000-0000-0000-000000000303',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: a response that does not exist is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', '00000000-0000-0000-0000-0000000003ff',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: a STARTED session has no response to evaluate
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000212', :'r',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: user_id is the session's user, filled in when left out (row level
-- security filters on it)
SELECT user_id FROM residency.evaluation_results WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- E1: a user_id other than the session's user is refused
INSERT INTO residency.evaluation_results (session_id, response_id, user_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', '00000000-0000-0000-0000-0000000000a2',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E1: the session's own user may be given
INSERT INTO residency.evaluation_results (session_id, response_id, user_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000209', '00000000-0000-0000-0000-000000000309', '00000000-0000-0000-0000-0000000000a1',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500)
RETURNING user_id;
-- E1: refused evaluations leave their sessions as they were
SELECT id, status FROM residency.drill_sessions
WHERE id IN (:'s', '00000000-0000-0000-0000-000000000211', '00000000-0000-0000-0000-000000000212') ORDER BY id;
-- E1: service_role is held to the same rules
SET ROLE service_role;
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000211', '00000000-0000-0000-0000-000000000311',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000203', '00000000-0000-0000-0000-000000000303',
        60, 120, 120, 75, seven(), '["Add one number"]', 'One number per story.', 'external-model/2', 1500);
RESET ROLE;

-------------------------------------------------------------------------------
-- E2: the 7 categories
-------------------------------------------------------------------------------
-- E2: FLAG verdicts, scores 0 and 100, and categories without a score are accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000204', '00000000-0000-0000-0000-000000000304', 60, 120, 120, 40,
        jsonb_set(jsonb_set(jsonb_set(seven(), '{0,score}', '0'), '{1,score}', '100'), '{2,passFlag}', '"FLAG"') #- '{3,score}',
        '["Cut the fillers"]', 'Pause instead of saying um.', 'test-model/1', 900);
-- E2: the categories in another order are accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000205', '00000000-0000-0000-0000-000000000305', 60, 120, 120, 75,
        (SELECT jsonb_agg(c ORDER BY c ->> 'name') FROM jsonb_array_elements(seven()) AS c),
        '["Add one number"]', 'One number per story.', 'test-model/1', 1500);
-- E2: six categories are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven() #- '{6}', '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: eight categories are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven() || '[{"name": "Clarity", "passFlag": "PASS", "note": "Clear"}]',
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: a repeated name is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven(), '{6,name}', '"Length"'),
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: a name outside the 7 is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven(), '{6,name}', '"Clarity"'),
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: names are case-sensitive
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven(), '{0,name}', '"length"'),
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: a missing name and a name that is not a string are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven() #- '{0,name}', '{1,name}', '7'),
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: passFlag other than PASS or FLAG is refused (lower case, another word, missing)
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75,
        jsonb_set(jsonb_set(seven(), '{0,passFlag}', '"pass"'), '{1,passFlag}', '"OK"') #- '{2,passFlag}',
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: an empty, blank, missing or non-string note is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75,
        jsonb_set(jsonb_set(jsonb_set(seven(), '{0,note}', '""'), '{1,note}', '"   "'), '{3,note}', '["a"]') #- '{2,note}',
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: a score above 100, below 0, fractional or a string is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75,
        jsonb_set(jsonb_set(jsonb_set(jsonb_set(seven(), '{0,score}', '101'), '{1,score}', '-1'),
                            '{2,score}', '50.5'), '{3,score}', '"80"'),
        '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E2: categories that are not an array, or elements that are not objects, are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, '{"Length": "PASS"}', '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven(), '{6}', '"Substance"'), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- E3: the figures around the categories
-------------------------------------------------------------------------------
-- E3: an empty what_changed, three items, overall_score 0 and 100, and a
-- wpm exactly 0.5 away from words*60/duration_s are accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000206', '00000000-0000-0000-0000-000000000306', 60, 120, 120.5, 100,
        seven(), '[]', 'Keep doing what you do.', 'test-model/1', 1);
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000207', '00000000-0000-0000-0000-000000000307', 45.5, 100, 131.4, 0,
        seven(), '["One", "Two", "Three"]', 'Practise the three fixes.', 'test-model/1', 2000);
-- E3: words 0 with wpm 0 is accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
VALUES ('00000000-0000-0000-0000-000000000208', '00000000-0000-0000-0000-000000000308', 30, 0, 0, 0,
        seven(), '["Say something"]', 'Answer the question.', 'test-model/1', 10, '{"silence": true}');
-- E3: four what_changed items are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '["One", "Two", "Three", "Four"]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: an empty or non-string what_changed item is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '["", 3]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: what_changed that is not an array is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '"Add one number"', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: an empty or blank practice_rule is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', '', 'test-model/1', 1500);
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', E' \t', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: overall_score above 100 is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 101, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: overall_score below 0 is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, -1, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: duration_s of 0 is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 0, 120, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: a negative duration_s is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', -60, 120, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: negative words are refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, -1, 0, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: wpm more than 0.5 away from words*60/duration_s is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120.6, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 45.5, 100, 130, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: a negative wpm is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 0, -0.1, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: processing_time_ms of 0 is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 0);
\echo :SQLSTATE
-- E3: an empty model_used is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', 'One number per story.', '', 1500);
\echo :SQLSTATE
-- E3: a model_used or practice_rule of Unicode white space only (no-break
-- space, em space, zero-width space) is as blank as spaces
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', U&'\2003\200B', U&'\00A0', 1500);
\echo :SQLSTATE
-- E2 and E3: a note or what_changed item of a no-break space is blank too
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 60, 120, 120, 75, jsonb_set(seven(), '{0,note}', to_jsonb(U&'\00A0'::text)), to_jsonb(ARRAY[U&'\3000'::text]),
        'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- E3: details, when given, must be an object
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
VALUES (:'s', :'r', 60, 120, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500, '[1, 2]');
\echo :SQLSTATE
-- E2 and E3: every problem of an evaluation is listed at once
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:'s', :'r', 0, -3, 500, 150, jsonb_set(seven() #- '{6}', '{0,passFlag}', '"MAYBE"'),
        '["a", "b", "c", ""]', ' ', 'test-model/1', 0);
\echo :SQLSTATE
-- E3: the evaluation of a recording has the recording's duration, give or
-- take the larger of 1 s and 5%: session ...213 is a 60 s recording
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-000000000213', '00000000-0000-0000-0000-0000000000a1', 'q1');
INSERT INTO residency.drill_responses (id, session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000313', '00000000-0000-0000-0000-000000000213',
        'https://cdn.example.org/answers/213.m4a', 60);
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-000000000213';
-- 1e308 s with a wpm that agrees with it is refused
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000213', '00000000-0000-0000-0000-000000000313',
        1e308, 120, 0, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
-- 64 s (over 3 s off) is refused; 57 s (within 3 s, 5% of 60) is accepted
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000213', '00000000-0000-0000-0000-000000000313',
        64, 128, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500);
\echo :SQLSTATE
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES ('00000000-0000-0000-0000-000000000213', '00000000-0000-0000-0000-000000000313',
        57, 114, 120, 75, seven(), '[]', 'One number per story.', 'test-model/1', 1500)
RETURNING duration_s;
-- re-scoring it is held to the same recording
UPDATE residency.evaluation_results SET duration_s = 120, wpm = 57
WHERE session_id = '00000000-0000-0000-0000-000000000213';
\echo :SQLSTATE
-- none of the refused evaluations was written; session ...201 is still PROCESSING
SELECT (SELECT count(*) FROM residency.evaluation_results WHERE session_id = :'s') AS evaluations_of_201,
       (SELECT status FROM residency.drill_sessions WHERE id = :'s') AS status_of_201;

-------------------------------------------------------------------------------
-- Re-scoring: an evaluation may be updated while it stays valid
-------------------------------------------------------------------------------
-- a valid re-scoring UPDATE is accepted
UPDATE residency.evaluation_results
SET overall_score = 82, categories = jsonb_set(seven(), '{6,passFlag}', '"FLAG"'),
    what_changed = '["Name the outcome"]', practice_rule = 'End with the result.', model_used = 'test-model/2'
WHERE id = '00000000-0000-0000-0000-0000000000e1';
SELECT overall_score, categories -> 6 ->> 'passFlag' AS substance, what_changed, model_used
FROM residency.evaluation_results WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- words, duration and wpm may change together while they agree
UPDATE residency.evaluation_results SET duration_s = 90, words = 150, wpm = 100
WHERE id = '00000000-0000-0000-0000-0000000000e1';
-- an UPDATE that breaks E2 is refused
UPDATE residency.evaluation_results SET categories = seven() #- '{0}' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- an UPDATE that breaks E3 is refused
UPDATE residency.evaluation_results SET words = 300 WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
UPDATE residency.evaluation_results SET what_changed = '["1", "2", "3", "4"]' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- session_id cannot change
UPDATE residency.evaluation_results SET session_id = :'s' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- response_id cannot change
UPDATE residency.evaluation_results SET response_id = :'r' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- user_id cannot change
UPDATE residency.evaluation_results SET user_id = '00000000-0000-0000-0000-0000000000a2' WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- re-scoring does not move the session
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-000000000202';
SELECT overall_score, duration_s, words, wpm FROM residency.evaluation_results WHERE id = '00000000-0000-0000-0000-0000000000e1';

-------------------------------------------------------------------------------
-- Deleting: an evaluation goes only with its session
-------------------------------------------------------------------------------
-- deleting an evaluation on its own is refused
DELETE FROM residency.evaluation_results WHERE id = '00000000-0000-0000-0000-0000000000e1';
\echo :SQLSTATE
-- TRUNCATE is refused
TRUNCATE residency.evaluation_results;
\echo :SQLSTATE
-- deleting the session deletes its response and its evaluation
DELETE FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-000000000202';
SELECT (SELECT count(*) FROM residency.drill_responses WHERE session_id = '00000000-0000-0000-0000-000000000202') AS responses,
       (SELECT count(*) FROM residency.evaluation_results WHERE id = '00000000-0000-0000-0000-0000000000e1') AS evaluations;
SELECT status, count(*) FROM residency.drill_sessions GROUP BY status ORDER BY status;

DROP FUNCTION seven();
