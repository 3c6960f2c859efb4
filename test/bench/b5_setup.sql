-- B5: one user's last 20 evaluations among 1,000,000. The rows are loaded
-- with the rule triggers off (session_replication_role = replica): B5
-- measures reading, and a million drills through the rules would only
-- measure B1 again. 10,000 users x 100 completed drills.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION residency;
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000aa', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO';
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000cc', '1.0.0', 'bundled', :'pack', '00000000-0000-0000-0000-0000000000aa');
UPDATE residency.content_packs SET status = 'ACTIVE';

SET session_replication_role = replica;
INSERT INTO residency.users (id, email, entitlement_level)
SELECT ('10000000-0000-0000-0000-' || lpad(to_hex(u), 12, '0'))::uuid, 'user' || u || '@example.org', 'BASIC'
FROM generate_series(1, 10000) AS u;
INSERT INTO residency.drill_sessions (id, user_id, question_id, content_pack_id, content_pack_version, status,
    started_at, submitted_at, processing_started_at, completed_at, processing_time_ms)
SELECT ('20000000-0000-0000-' || lpad(to_hex(u), 4, '0') || '-' || lpad(to_hex(d), 12, '0'))::uuid,
       ('10000000-0000-0000-0000-' || lpad(to_hex(u), 12, '0'))::uuid, 'conf-nurse-conflict',
       '00000000-0000-0000-0000-0000000000cc', '1.0.0', 'COMPLETED',
       t, t + interval '60 s', t + interval '61 s', t + interval '61.2 s', 200
FROM generate_series(1, 10000) AS u, generate_series(1, 100) AS d,
     LATERAL (SELECT timestamptz '2026-01-01' + (d * 10000 + u) * interval '1 s' AS t) AS ts;
INSERT INTO residency.drill_responses (id, session_id, content, word_count, created_at)
SELECT ('30000000' || substr(s.id::text, 9))::uuid, s.id, 'I asked the nurse and I paged the senior resident.', 10,
       s.submitted_at
FROM residency.drill_sessions AS s WHERE s.user_id <> '00000000-0000-0000-0000-0000000000aa';
INSERT INTO residency.evaluation_results (session_id, response_id, user_id, duration_s, words, wpm, overall_score, categories,
    what_changed, practice_rule, model_used, processing_time_ms, created_at)
SELECT s.id, ('30000000' || substr(s.id::text, 9))::uuid, s.user_id, 60, 150, 150, 50 + abs(hashtext(s.id::text)) % 40,
       '[{"name":"Length","passFlag":"PASS","note":"n","score":80},{"name":"Pace","passFlag":"PASS","note":"n","score":80},{"name":"Fillers","passFlag":"PASS","note":"n","score":80},{"name":"Wording","passFlag":"PASS","note":"n","score":80},{"name":"Ownership","passFlag":"PASS","note":"n","score":80},{"name":"Structure","passFlag":"PASS","note":"n","score":80},{"name":"Substance","passFlag":"PASS","note":"n","score":80}]',
       '["Add one number."]', 'One number per story.', 'residency-rubric/1.0', 200, s.completed_at
FROM residency.drill_sessions AS s WHERE s.user_id <> '00000000-0000-0000-0000-0000000000aa';
RESET session_replication_role;
VACUUM ANALYZE;
