#!/usr/bin/env bash
# The product's main job on its embedded default, end to end, on a fresh
# Debian 12 machine (root or a sudo user), non-interactive:
#   1. installs what is missing for the demo alone (scripts/setup.sh demo:
#      make and the compilers included, so it runs where make is not there
#      yet), builds and installs the extension
#   2. starts a throwaway cluster (scripts/cluster.sh) on its own directory
#      and port, creates database residency_demo and the extension
#   3. creates three users (PRO author, BASIC candidate, LOCKED candidate);
#      the billing service (service_role) sets their entitlements
#   4. the PRO author validates, uploads and activates the bundled content
#      pack (packs/default.json)
#   5. the BASIC candidate drills one question three times (weak, average,
#      strong spoken answers, sent with their transcripts) and reads each
#      evaluation back; then submits a recording alone (espeak-ng speaks an
#      answer into a file:// URL), which the evaluation worker
#      (build-worker/residency-worker --once; make worker) transcribes and
#      evaluates
#   6. the LOCKED candidate is refused (PT402: PostgREST answers HTTP 402)
#   7. stops the cluster
# Every API call runs in its own transaction shaped like PostgREST's: the
# role and the JWT claims are set locally (as_postgrest, scripts/lib.sh), then
# the function is called; STABLE functions and views run READ ONLY, as
# PostgREST runs them.
# Exits non-zero on any failure. RESIDENCY_DEMO_KEEP=1 leaves the cluster
# running afterwards (it prints how to connect and how to stop it).
. "$(dirname "$0")/lib.sh"
cd "$root"

step "dependencies (the demo's only: scripts/setup.sh demo)"
scripts/setup.sh demo

step "build and install the extension, build the evaluation worker"
make -s -j"$(nproc)"
sudo_if_needed make -s install
make -s worker WORKER_TESTS=OFF

step "throwaway cluster"
# Its own directory and port: never the test cluster's (54329).
export RESIDENCY_CLUSTER_DIR=${RESIDENCY_DEMO_CLUSTER_DIR:-/tmp/residency-demo-$$}
export RESIDENCY_PORT=${RESIDENCY_DEMO_PORT:-54331}
cleanup() {
    local rc=$?
    if [ "$rc" -ne 0 ] && [ -f "${RESIDENCY_SERVER_LOG:-}" ]; then
        echo "==> FAILED (exit $rc); server log (last 40 lines):" >&2
        tail -n 40 "$RESIDENCY_SERVER_LOG" >&2
    fi
    if [ "$rc" -eq 0 ] && [ "${RESIDENCY_DEMO_KEEP:-0}" = 1 ]; then
        printf '\nThe cluster keeps running (RESIDENCY_DEMO_KEEP=1):\n'
        printf '  eval "$(RESIDENCY_CLUSTER_DIR=%s RESIDENCY_PORT=%s scripts/cluster.sh env)"; psql -d residency_demo\n' \
            "$RESIDENCY_CLUSTER_DIR" "$RESIDENCY_PORT"
        printf '  RESIDENCY_CLUSTER_DIR=%s scripts/cluster.sh stop\n' "$RESIDENCY_CLUSTER_DIR"
        return 0
    fi
    cluster_stop
    [ "$rc" -eq 0 ] && echo "cluster: stopped and removed"
    return "$rc"
}
trap cleanup EXIT
cluster_start

# sql (scripts/lib.sh): as the database superuser.

sql -d postgres -c "CREATE DATABASE residency_demo"
export PGDATABASE=residency_demo
sql -c "CREATE EXTENSION residency"
echo "database residency_demo: extension residency $(sql -c "SELECT extversion FROM pg_extension WHERE extname = 'residency'")"

# api ro|rw ROLE SUB [psql options] <<SQL
# One request, run the way PostgREST runs it: one transaction (READ ONLY for
# GET requests and STABLE functions), the role and request.jwt.claims set
# locally, then the call. $API_PRELUDE (psql commands) runs before it.
api() {
    local mode=$1 role=$2 sub=$3 claims begin=BEGIN
    shift 3
    if [ -n "$sub" ]; then
        claims=$(printf '{"sub":"%s","role":"%s"}' "$sub" "$role")
    else
        claims=$(printf '{"role":"%s"}' "$role")
    fi
    [ "$mode" = ro ] && begin="BEGIN READ ONLY"
    {
        printf '%s\n' "${API_PRELUDE:-}"
        echo "$begin;"
        as_postgrest "$role" "$claims"
        cat
        echo "COMMIT;"
    } | sql "$@"
}

# Fixed ids, so every run prints the same thing.
AUTHOR=a0000000-0000-4000-8000-000000000001
CANDIDATE=a0000000-0000-4000-8000-000000000002
LOCKED=a0000000-0000-4000-8000-000000000003
QUESTION=conf-nurse-conflict

step "users (as the database superuser), entitlements (as service_role, the billing service)"
sql -v author="$AUTHOR" -v candidate="$CANDIDATE" -v locked="$LOCKED" <<'SQL'
INSERT INTO residency.users (id, email) VALUES
    (:'author', 'author@example.org'),
    (:'candidate', 'candidate@example.org'),
    (:'locked', 'locked@example.org');
SQL
for change in "$AUTHOR BASIC" "$AUTHOR PRO" "$CANDIDATE BASIC"; do
    read -r user_id level <<<"$change"
    api rw service_role "" -v user_id="$user_id" -v level="$level" <<'SQL'
SELECT format('POST /rpc/set_entitlement {"user_id": ..., "level": "%s"}  ->  %s is %s',
              :'level', email, entitlement_level)
FROM residency_api.set_entitlement(:'user_id', :'level');
SQL
done
echo "locked@example.org stays LOCKED (every new user starts LOCKED)"

step "the PRO author uploads the bundled content pack (packs/default.json); an operator activates it"
# The pack is read into a psql variable as base64 and decoded, so that the
# functions get the file's exact bytes (psql's backquotes would drop the final
# newline), as a client sending the file as a JSON string would.
pack_prelude="\\set packfile '$root/packs/default.json'
\\set pack64 \`base64 -w0 :'packfile'\`
SELECT convert_from(decode(:'pack64', 'base64'), 'UTF8') AS pack \\gset"
API_PRELUDE=$pack_prelude api ro authenticated "$AUTHOR" <<'SQL'
SELECT format('POST /rpc/validate_content_pack {"pack": "..."}  ->  valid: %s, %s questions, %s errors, categories: %s',
              r -> 'valid', r -> 'questions', jsonb_array_length(r -> 'errors'),
              (SELECT string_agg(c, ', ') FROM jsonb_array_elements_text(r -> 'categories') AS c))
FROM residency_api.validate_content_pack(:'pack') AS r;
SQL
uploaded=$(API_PRELUDE=$pack_prelude api rw authenticated "$AUTHOR" <<'SQL'
SELECT format('POST /rpc/upload_content_pack {"pack": "..."}  ->  "%s" %s, %s, %s bytes, sha256 %s',
              name, version, status, file_size, checksum) AS line, id AS pack_id
FROM residency_api.upload_content_pack(:'pack') \gset
\echo :line
\echo :pack_id
SQL
)
pack_id=${uploaded##*$'\n'}
echo "${uploaded%$'\n'*}"
echo "  (sha256sum packs/default.json: $(sha256sum packs/default.json | cut -c1-64))"
# Activation puts a pack in front of every user: an operator action
# (service_role, or a content admin it names), not the uploader's.
api rw service_role "" -v pack_id="$pack_id" <<'SQL'
SELECT format('POST /rpc/activate_content_pack {"pack_id": "..."} (service_role)  ->  %s, %s questions', p.status,
              (SELECT count(*) FROM residency.content_pack_questions AS q WHERE q.content_pack_id = p.id))
FROM residency_api.activate_content_pack(:'pack_id') AS p;
SQL

step "the BASIC candidate drills '$QUESTION' three times"
api ro authenticated "$CANDIDATE" <<'SQL'
SELECT format('GET /rpc/my_entitlement  ->  %s', entitlement_level) FROM residency_api.my_entitlement();
SQL
api ro authenticated "$CANDIDATE" <<'SQL'
SELECT format('GET /questions  ->  %s questions in %s categories', count(*), count(DISTINCT category))
FROM residency_api.questions;
SQL
api ro authenticated "$CANDIDATE" -v question="$QUESTION" <<'SQL'
SELECT format(E'GET /questions?id=eq.%s\n  [%s, %s, ~%s s] %s', id, category, kind, expected_duration_s, prompt)
FROM residency_api.questions WHERE id = :'question';
SQL

# report SID HOW [ANSWER]: read the evaluation back from my_evaluations (GET)
# and print it; HOW says which requests made it. A recording's evaluation
# shows the transcript the worker heard (details.speech) instead of ANSWER.
report() {
    local sid=$1 how=$2 answer=${3:-} out
    out=$(api ro authenticated "$CANDIDATE" -v sid="$sid" -v how="$how" -v answer="$answer" <<'SQL'
WITH e AS (SELECT e.*, s.status FROM residency_api.my_evaluations AS e
           JOIN residency_api.my_sessions AS s ON s.id = e.session_id
           WHERE e.session_id = :'sid'),
sp AS (SELECT e.details -> 'speech' AS x FROM e WHERE e.details ? 'speech'),
words AS (SELECT regexp_split_to_array(btrim(coalesce(nullif(:'answer', ''), (SELECT x ->> 'transcript' FROM sp), '')),
                                       '\s+') AS w)
SELECT line FROM (
    SELECT 0 AS part, 0::bigint AS n, :'how' || '  ->  session ' || status AS line
    FROM e
    UNION ALL
    SELECT 1, 0,
           format('"%s%s"', array_to_string(w[1:14], ' '), CASE WHEN cardinality(w) > 14 THEN ' ...' END)
    FROM words WHERE :'answer' <> ''
    UNION ALL
    SELECT 1, 0, format('transcript (%s, %s words): "%s"', x ->> 'recognizer', jsonb_array_length(x -> 'words'),
                        x ->> 'transcript')
    FROM sp
    UNION ALL
    SELECT 1, 1, format('speech: %s s recorded, %s s speaking, %s wpm while speaking, %s pauses (longest %s s), %s fillers',
                        round((x ->> 'duration_s')::numeric, 1), round((x ->> 'speaking_s')::numeric, 1),
                        round((x ->> 'wpm_speaking')::numeric), x ->> 'pauses',
                        round((x ->> 'longest_pause_s')::numeric, 1), x ->> 'fillers')
    FROM sp
    UNION ALL
    SELECT 2, 0, format('%s words, %s s, %s wpm  ->  overall %s/100: %s', words, duration_s, round(wpm),
                        overall_score,
                        CASE WHEN overall_score >= 85 THEN 'interview-ready'
                             WHEN overall_score >= 70 THEN 'solid'
                             WHEN overall_score >= 50 THEN 'developing'
                             ELSE 'rebuild' END)
    FROM e
    UNION ALL
    SELECT 3, c.n, format('  %-9s  %-4s %3s  %s', c.x ->> 'name', c.x ->> 'passFlag', c.x ->> 'score', c.x ->> 'note')
    FROM e, jsonb_array_elements(e.categories) WITH ORDINALITY AS c(x, n)
    UNION ALL
    SELECT 4, 0, 'what changed:' FROM e
    UNION ALL
    SELECT 5, w.n, format('  %s. %s', w.n, w.x)
    FROM e, jsonb_array_elements_text(e.what_changed) WITH ORDINALITY AS w(x, n)
    UNION ALL
    SELECT 6, 0, 'practice rule: ' || practice_rule FROM e
) AS lines
ORDER BY part, n;
SQL
)
    case "$out" in
    *"practice rule: "*) echo "$out" ;;
    *) echo "demo: no evaluation found for session $sid" >&2; return 1 ;;
    esac
}

# drill LABEL DURATION_S ANSWER: start_drill, submit_and_evaluate (POST), then
# the evaluation as the candidate reads it.
attempt=0
drill() {
    local label=$1 duration=$2 answer=$3 sid
    attempt=$((attempt + 1))
    printf '\n--- attempt %d: %s answer, spoken, %s s\n' "$attempt" "$label" "$duration"
    sid=$(api rw authenticated "$CANDIDATE" -v question="$QUESTION" <<'SQL'
SELECT id FROM residency_api.start_drill(:'question');
SQL
)
    api rw authenticated "$CANDIDATE" -v sid="$sid" -v answer="$answer" -v duration="$duration" >/dev/null <<'SQL'
SELECT id FROM residency_api.submit_and_evaluate(session_id => :'sid', content => :'answer', audio_duration_s => :'duration');
SQL
    report "$sid" "POST /rpc/start_drill, POST /rpc/submit_and_evaluate" "$answer"
}

drill weak 32 "Um, so there was this one time on my surgery rotation where, like, a nurse and I \
kind of had a disagreement about a patient's pain medication. I think she was, um, upset that we \
didn't, you know, get back to her fast enough. So we basically talked it out as a team and I guess \
it got sorted out eventually. It was fine in the end, I think."

drill average 68 "On my internal medicine sub-internship, a night nurse called me about a patient \
whose blood pressure was dropping, and she was frustrated because she felt we were ignoring her \
pages. Um, honestly, we were really busy with an admission at the time. So I went to the bedside \
and listened to her concerns. We looked at the patient together, and we agreed that the fluids \
should be given sooner. We called the senior resident and, uh, we started the bolus. The patient's \
pressure got better, and afterwards the nurse and I had a better working relationship. I think the \
main thing is that communication is really important on a team, and, you know, everyone wants \
what's best for the patient."

drill strong 104 "During my sub-internship in internal medicine, a night nurse paged me twice in \
twenty minutes about the furosemide order I had written for a patient with heart failure. When I \
called back, she was clearly frustrated and told me the order did not make sense. His creatinine \
had risen from 1.1 to 1.8 that afternoon, and she was worried the dose would push him into kidney \
injury. Rather than defend the order over the phone, I went to the unit and spoke with her in \
person. I apologized for the delay, and I asked her to walk me through her concern. I listened, I \
reviewed the labs and the urine output with her, and I realized she had seen a trend I had missed. \
I held the evening dose, I paged my senior resident, and we agreed on a lower dose with a repeat \
chemistry at six in the morning. As a result, his creatinine was back to 1.3 the next day, and he \
went home two days later. The nurse and I worked well together for the rest of the rotation, and she started \
calling me early when something worried her. I learned that when a nurse pushes back, she is \
usually seeing something at the bedside that I am not. Since then, I go in person when a page is \
urgent, and I ask what they are seeing before I explain my reasoning."

step "a recorded answer, evaluated by the worker (residency-worker, docs/worker.md)"
# espeak-ng speaks an answer into a WAV file. The candidate submits only the
# recording: its URL (file://, which rule R2 accepts where
# residency.allow_file_audio_urls is on, as in this database; in production an
# https:// URL of the storage) and its length. The worker, connected as a LOGIN
# role granted service_role, claims the session, decodes and transcribes the
# recording (PocketSphinx, in-process), scores the transcript with
# residency.score() and records the evaluation; --once: until the queue is empty.
sql -c "ALTER DATABASE residency_demo SET residency.allow_file_audio_urls = on"
sql -d postgres -c "CREATE ROLE residency_worker LOGIN" -c "GRANT service_role TO residency_worker"
spoken="During my sub-internship in internal medicine, a night nurse paged me twice in twenty minutes \
about a diuretic order I had written for a patient with heart failure. When I called back, she was \
clearly frustrated and told me the order did not make sense. His kidney function had worsened that \
afternoon, and she was worried the dose would push him into kidney injury. Rather than defend the order \
over the phone, I went to the unit and spoke with her in person. I apologized for the delay, and I asked \
her to walk me through her concern. I listened, I reviewed the labs and the urine output with her, and I \
realized she had seen a trend I had missed. I held the evening dose, I paged my senior resident, and we \
agreed on a lower dose with repeat labs in the morning. His kidney function was better the next day, and \
he went home two days later. I learned that when a nurse pushes back, she is usually seeing something at \
the bedside that I am not."
recording=$RESIDENCY_CLUSTER_DIR/attempt-recording.wav
# American English with the Klatt synthesizer, which PocketSphinx's en-us
# model hears far better than espeak-ng's default voice
espeak-ng -v en-us+klatt2 -s 165 -w "$recording" "$spoken"
recorded_s=$(python3 -c "import sys, wave; w = wave.open(sys.argv[1]); print(round(w.getnframes() / w.getframerate(), 2))" "$recording")
attempt=$((attempt + 1))
printf '\n--- attempt %d: a recording, %s s (espeak-ng), no transcript\n' "$attempt" "$recorded_s"
sid=$(api rw authenticated "$CANDIDATE" -v question="$QUESTION" <<'SQL'
SELECT id FROM residency_api.start_drill(:'question');
SQL
)
api rw authenticated "$CANDIDATE" -v sid="$sid" -v url="file://$recording" -v duration="$recorded_s" <<'SQL'
SELECT audio_url, audio_duration_s FROM residency_api.submit_response(session_id => :'sid', audio_url => :'url',
                                                                      audio_duration_s => :'duration') \gset
SELECT format('POST /rpc/start_drill, POST /rpc/submit_response {"audio_url": "%s", "audio_duration_s": %s}  ->  session %s',
              :'audio_url', :'audio_duration_s', status)
FROM residency_api.my_sessions WHERE id = :'sid';
SQL
echo "residency-worker --once (PGUSER=residency_worker; its log, one JSON object a line):"
PGUSER=residency_worker "${WORKER_BUILD:-build-worker}/residency-worker" --once 2>&1 | sed 's/^/  /'
report "$sid" "GET /my_evaluations"

step "the LOCKED candidate tries to start a drill"
echo "POST /rpc/start_drill {\"question_id\":\"$QUESTION\"} as locked@example.org"
refused=$(api rw authenticated "$LOCKED" -v ON_ERROR_STOP=0 -v question="$QUESTION" 2>&1 <<'SQL'
\set SHOW_CONTEXT never
SELECT id FROM residency_api.start_drill(:'question');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SQL
) || true
echo "$refused" | sed -e 's/^psql:<stdin>:[0-9]*: //' -e '/^SQLSTATE /d' -e 's/^/  /'
if ! echo "$refused" | grep -qx "SQLSTATE PT402"; then
    echo "demo: expected SQLSTATE PT402 for the LOCKED user" >&2
    exit 1
fi
echo "  SQLSTATE PT402: PostgREST answers HTTP 402 Payment Required"

step "done"
