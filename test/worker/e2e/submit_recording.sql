-- One recorded answer as the app sends it through PostgREST: start_drill, then
-- submit_response with the recording, two requests (each its own
-- transaction, role and JWT claims first). psql variables: as_candidate
-- (the request settings of the candidate: scripts/lib.sh's as_user), url,
-- duration. Prints the session id. Used by test/worker/e2e/run.sh and
-- test/bench/b7.sh.
BEGIN;
:as_candidate
SELECT id AS sid FROM residency_api.start_drill('conf-nurse-conflict') \gset
COMMIT;
BEGIN;
:as_candidate
SELECT count(*) FROM residency_api.submit_response(session_id => :'sid', audio_url => :'url', audio_duration_s => :'duration') \g /dev/null
COMMIT;
\echo :sid
