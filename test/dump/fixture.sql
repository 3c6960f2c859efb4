-- Rows in every state, for the dump/restore test: users at every level,
-- packs DRAFT/ACTIVE/ARCHIVED, sessions STARTED/SUBMITTED/PROCESSING/
-- COMPLETED/FAILED with their responses and evaluations.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION residency;

INSERT INTO residency.users (id, email)
SELECT ('00000000-0000-0000-0000-0000000000' || lpad(n::text, 2, '0'))::uuid, 'user' || n || '@example.org'
FROM generate_series(1, 12) AS n;
UPDATE residency.users SET entitlement_level = 'BASIC';
-- a content admin (an operator who activates packs)
INSERT INTO residency.content_admins (user_id) VALUES ('00000000-0000-0000-0000-000000000012');
UPDATE residency.users SET entitlement_level = 'PRO' WHERE email LIKE 'user1%';
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE email = 'user12@example.org';
UPDATE residency.users SET stripe_customer_id = 'cus_' || right(id::text, 12) WHERE entitlement_level = 'PRO';

INSERT INTO residency.content_packs (version, name, content, uploaded_by, metadata)
SELECT v || '.0.0', 'Residency pack',
       jsonb_build_object(
         'version', v || '.0.0',
         'metadata', jsonb_build_object('title', 'Pack ' || v, 'description', 'Dump test pack',
                                        'categories', jsonb_build_array('Motivation', 'Teamwork', 'Conflict',
                                          'Ethics', 'Resilience', 'Leadership', 'Patient Care')),
         'questions', (SELECT jsonb_agg(jsonb_build_object(
             'id', 'q' || q, 'category', 'Teamwork', 'prompt', 'Question ' || q || ' of pack ' || v,
             'expected_duration_s', 60 + q, 'evaluation_criteria', jsonb_build_array('criterion a', 'criterion b'),
             'kind', 'behavioral')) FROM generate_series(1, 5) AS q)),
       '00000000-0000-0000-0000-000000000010', jsonb_build_object('source', 'dump test')
FROM generate_series(1, 3) AS v;
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE version = '1.0.0';
UPDATE residency.content_packs SET status = 'ACTIVE' WHERE version = '2.0.0';  -- archives 1.0.0

-- sessions of users 1..9 on the active pack, walked to different states
INSERT INTO residency.drill_sessions (id, user_id, question_id)
SELECT ('00000000-0000-0000-0000-0000000001' || lpad(n::text, 2, '0'))::uuid,
       ('00000000-0000-0000-0000-0000000000' || lpad(n::text, 2, '0'))::uuid, 'q' || (1 + n % 5)
FROM generate_series(1, 9) AS n;
INSERT INTO residency.drill_responses (session_id, content, audio_url, audio_duration_s)
SELECT id, 'During my third-year rotation I noticed a dosing error and I paged the senior resident.',
       CASE WHEN right(id::text, 1)::int % 2 = 0 THEN 'https://cdn.example.org/a/' || id || '.m4a' END,
       CASE WHEN right(id::text, 1)::int % 2 = 0 THEN 42.5 END
FROM residency.drill_sessions WHERE right(id::text, 2)::int BETWEEN 2 AND 9;
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE right(id::text, 2)::int BETWEEN 3 AND 9;
UPDATE residency.drill_sessions SET status = 'FAILED', metadata = '{"reason": "transcription failed"}'
WHERE right(id::text, 2)::int = 4;
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
SELECT s.id, r.id, coalesce(r.audio_duration_s, 45), 15, round(15 * 60 / coalesce(r.audio_duration_s, 45), 2), 71,
       (SELECT jsonb_agg(jsonb_build_object('name', c, 'passFlag', 'PASS', 'note', c || ' looks fine', 'score', 80))
        FROM unnest(ARRAY['Length', 'Pace', 'Fillers', 'Wording', 'Ownership', 'Structure', 'Substance']) AS c),
       '["Add one number"]', 'One number per story.', 'external-model/1', 1200, '{"source": "fixture"}'
FROM residency.drill_sessions AS s JOIN residency.drill_responses AS r ON r.session_id = s.id
WHERE right(s.id::text, 2)::int BETWEEN 5 AND 9;
