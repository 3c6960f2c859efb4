-- B1 with the rules: a full drill as an app writes it by direct SQL. The
-- triggers fill the pack columns, count the words, and move the session to
-- SUBMITTED and COMPLETED.
BEGIN;
INSERT INTO residency.drill_sessions (user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000000b1', 'q3') RETURNING id \gset
INSERT INTO residency.drill_responses (session_id, content)
VALUES (:id, 'During my third-year surgery rotation a nurse and I disagreed about a pain dose. I asked her to walk me through her concerns, I paged the senior resident, and we adjusted the dose. As a result, the patient''s pain score dropped from 8 to 3 within two hours. I learned to ask before I assume.')
RETURNING id AS response_id \gset
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = :id;
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms)
VALUES (:id, :response_id, 48, 57, 71.25, 82,
    '[{"name":"Length","passFlag":"FLAG","note":"48 s for a ~90 s question","score":57},{"name":"Pace","passFlag":"PASS","note":"71 wpm","score":80},{"name":"Fillers","passFlag":"PASS","note":"0 fillers","score":100},{"name":"Wording","passFlag":"PASS","note":"Direct wording","score":100},{"name":"Ownership","passFlag":"PASS","note":"I x6 vs we x1","score":100},{"name":"Structure","passFlag":"PASS","note":"Context, actions, result, lesson","score":100},{"name":"Substance","passFlag":"PASS","note":"3/3 criteria","score":100}]',
    '["Add one more concrete action"]', 'Aim for ~90 s.', 'residency-rubric/1.0', 3);
COMMIT;
