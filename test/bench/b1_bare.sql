-- B1 without rules: the same rows and the same status updates, written into
-- identical tables without triggers (the client sets what the rules set).
BEGIN;
INSERT INTO bare.drill_sessions (user_id, question_id, content_pack_id, content_pack_version)
VALUES ('00000000-0000-0000-0000-0000000000b1', 'q3', '00000000-0000-0000-0000-0000000000c1', '1.0.0') RETURNING id \gset
INSERT INTO bare.drill_responses (session_id, content, word_count)
VALUES (:id, 'During my third-year surgery rotation a nurse and I disagreed about a pain dose. I asked her to walk me through her concerns, I paged the senior resident, and we adjusted the dose. As a result, the patient''s pain score dropped from 8 to 3 within two hours. I learned to ask before I assume.', 57)
RETURNING id AS response_id \gset
UPDATE bare.drill_sessions SET status = 'SUBMITTED', submitted_at = clock_timestamp() WHERE id = :id;
UPDATE bare.drill_sessions SET status = 'PROCESSING', processing_started_at = clock_timestamp() WHERE id = :id;
INSERT INTO bare.evaluation_results (session_id, response_id, user_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:id, :response_id, '00000000-0000-0000-0000-0000000000b1', 48, 57, 71.25, 82,
    '[{"name":"Length","passFlag":"FLAG","note":"48 s for a ~90 s question","score":57},{"name":"Pace","passFlag":"PASS","note":"71 wpm","score":80},{"name":"Fillers","passFlag":"PASS","note":"0 fillers","score":100},{"name":"Wording","passFlag":"PASS","note":"Direct wording","score":100},{"name":"Ownership","passFlag":"PASS","note":"I x6 vs we x1","score":100},{"name":"Structure","passFlag":"PASS","note":"Context, actions, result, lesson","score":100},{"name":"Substance","passFlag":"PASS","note":"3/3 criteria","score":100}]',
    '["Add one more concrete action"]', 'Aim for ~90 s.', 'residency-rubric/1.0', 3);
UPDATE bare.drill_sessions SET status = 'COMPLETED', completed_at = clock_timestamp(),
    processing_time_ms = greatest(1, ceil(extract(epoch FROM clock_timestamp() - processing_started_at) * 1000))
WHERE id = :id;
COMMIT;
