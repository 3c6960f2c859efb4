#!/usr/bin/env bash
# Read replicas: a primary and a streaming hot standby on this machine
# (docs/operations.md, "Read replicas").
#
#   1. a primary (scripts/cluster.sh start, its own directory and port) with
#      database residency_standby, filled through the API as the app, the
#      billing service and the evaluation worker fill it: users at LOCKED,
#      BASIC and PRO (one without a cache row), the bundled pack uploaded by
#      a PRO author and activated, sessions STARTED, SUBMITTED (typed and
#      recorded), PROCESSING, FAILED and COMPLETED with their responses and
#      evaluations, a Stripe webhook secret
#   2. a standby (scripts/cluster.sh standby: pg_basebackup -R), started; a
#      drill written on the primary afterwards must reach it (replay LSN)
#   3. every read endpoint, as PostgREST sends a GET (READ ONLY transaction,
#      role and JWT claims), as anon, service_role and several signed-in
#      users, on both: the outputs, refusals' SQLSTATEs included, must be the
#      same bytes (my_entitlement's expires_at, a TTL, is checked apart), the
#      reads must find rows, the standby's log must hold the same errors as
#      the primary's, and the standby must not have touched the entitlement
#      cache
#   4. every write endpoint on the standby, and a direct INSERT: 25006
#      (read_only_sql_transaction, HTTP 405 from PostgREST) each, and no other
#      error in the standby's log
#   5. the primary is stopped and the standby promoted (pg_ctl promote):
#      drills go on through the API (start, answer, the worker's claim and
#      record, a recorded answer's NOTIFY), the rules fire, the entitlement
#      cache is rebuilt on demand, and the invariants hold
#
# Needs the extension installed (make install) and root or the clusters'
# OS user. Both clusters are removed on exit. RESIDENCY_STANDBY_PORT sets
# the primary's port (the standby takes the next one).
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$root"

base=${RESIDENCY_STANDBY_DIR:-/tmp/residency-standby-$$}
primary_port=${RESIDENCY_STANDBY_PORT:-54420}
standby_port=$((primary_port + 1))
primary_dir=$base/primary
standby_dir=$base/standby
db=residency_standby
P="host=$primary_dir/sock port=$primary_port user=postgres dbname=$db"
S="host=$standby_dir/sock port=$standby_port user=postgres dbname=$db"
PRIMARY_LOG=$primary_dir/server.log
STANDBY_LOG=$standby_dir/server.log

cleanup() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        for log in "$PRIMARY_LOG" "$STANDBY_LOG"; do
            [ -f "$log" ] && { echo "---- $log (last 40 lines)"; tail -n 40 "$log"; }
        done
    fi
    RESIDENCY_CLUSTER_DIR=$standby_dir scripts/cluster.sh stop
    RESIDENCY_CLUSTER_DIR=$primary_dir scripts/cluster.sh stop
    rm -f "$base/recorded.sql"
    rmdir "$base" 2>/dev/null || true
    return "$rc"
}
trap cleanup EXIT
mkdir -p "$base"
chmod 755 "$base"

check() {  # what, then a command that must succeed
    local what=$1
    shift
    if "$@"; then echo "  ok: $what"; else echo "FAIL: $what" >&2; fail=1; fi
}
same() {  # what expected actual
    if [ "$2" = "$3" ]; then echo "  ok: $1 ($3)"; else echo "FAIL: $1: expected '$2', got '$3'" >&2; fail=1; fi
}
sql() { "${PSQL[@]}" "$@"; }

# Fixed ids. The author is PRO, A and B are BASIC candidates, C is BASIC
# without a cache row on the primary, L is LOCKED, X has no account.
AUTHOR=5b000000-0000-4000-8000-0000000000a0
A=5b000000-0000-4000-8000-0000000000a1
B=5b000000-0000-4000-8000-0000000000b1
C=5b000000-0000-4000-8000-0000000000c1
L=5b000000-0000-4000-8000-0000000000f1
X=5b000000-0000-4000-8000-0000000000ff
QUESTION=conf-nurse-conflict
ANSWER="During my third-year medicine rotation, a nurse paged me three times about the potassium order of a patient. \
I walked over, I listened, I reviewed the labs with her and I paged my senior resident, who lowered the dose. \
As a result, the repeat potassium was 4.1 the next morning. I learned to close the loop in person."
STRIPE_SECRET=whsec_standby_test_secret

# The bundled pack as a psql variable :pack, its exact bytes (base64, so
# that no trailing newline is lost), and an invalid one as :bad_pack.
pack_prelude="\\set pack64 \`base64 -w0 '$root/packs/default.json'\`
SELECT pg_catalog.convert_from(pg_catalog.decode(:'pack64', 'base64'), 'UTF8') AS pack \\gset
\\set bad_pack '{\"version\": \"one\", \"metadata\": {\"title\": \"\"}, \"questions\": [{\"id\": \"q1\"}]}'"

# api CONN MODE PRELUDE SQL: one PostgREST request: its own transaction
# (MODE is "READ ONLY" for a GET, "READ WRITE" or empty for a POST), the
# role and claims (PRELUDE, from as_postgrest / as_user), the statement.
# Prints the rows, or the SQLSTATE of the error; fails when there is one.
api() {
    { printf '\\set VERBOSITY sqlstate\n%s\n' "$pack_prelude"
      printf 'BEGIN ISOLATION LEVEL READ COMMITTED %s;\n%s\n%s\nCOMMIT;\n' "$2" "$3" "$4"
    } | "${PSQL[@]}" -d "$1" 2>&1
}
# log_mark LOG: the size of a server log, to read what a phase added to it
log_mark() { stat -c %s "$1"; }
# log_errors LOG MARK: the SQLSTATEs of the ERROR lines written since MARK
# (log_line_prefix '%m [%p] %e '), sorted
log_errors() { tail -c +"$(($2 + 1))" "$1" | awk '$6 == "ERROR:" { print $5 }' | sort; }

step "primary on port $primary_port"
RESIDENCY_CLUSTER_DIR=$primary_dir RESIDENCY_PORT=$primary_port scripts/cluster.sh start >/dev/null
sql -d "${P/dbname=$db/dbname=postgres}" -c "CREATE DATABASE $db"
sql -d "$P" -c "SET client_min_messages = warning" -c "CREATE EXTENSION residency"

step "fixtures on the primary, through the API"
# Accounts are created at sign-up (the superuser here); levels are set by
# the billing service (service_role).
sql -d "$P" -v author="$AUTHOR" -v a="$A" -v b="$B" -v c="$C" -v l="$L" -v secret="$STRIPE_SECRET" <<'SQL'
INSERT INTO residency.users (id, email) VALUES
    (:'author', 'author@example.org'), (:'a', 'candidate-a@example.org'), (:'b', 'candidate-b@example.org'),
    (:'c', 'candidate-c@example.org'), (:'l', 'locked@example.org');
INSERT INTO residency.stripe_webhook_secrets (secret, note) VALUES (:'secret', 'standby test');
UPDATE residency.users SET stripe_customer_id = 'cus_standby_b' WHERE id = :'b';
-- B's subscription as the webhook leaves a failed payment whose grace
-- period is over: stripe_expire_grace has work to do
INSERT INTO residency.stripe_subscriptions (id, user_id, customer_id, status, entitlement_level, current_period_end,
    past_due_since, grace_until, last_event_id, last_event_created, last_event_type)
SELECT 'sub_standby_b', :'b', 'cus_standby_b', 'past_due', 'BASIC', t + 86400, t - 8 * 86400, t - 86400,
       'evt_fixture', t - 8 * 86400, 'customer.subscription.updated'
FROM (SELECT extract(epoch FROM now())::bigint AS t) AS now;
SQL
for change in "$AUTHOR BASIC" "$AUTHOR PRO" "$A BASIC" "$B BASIC" "$C BASIC"; do
    read -r user_id level <<<"$change"
    api "$P" "READ WRITE" "$(as_postgrest service_role)" \
        "SELECT entitlement_level FROM residency_api.set_entitlement('$user_id', '$level');" >/dev/null
done
pack_id=$(api "$P" "READ WRITE" "$(as_user "$AUTHOR")" "SELECT id FROM residency_api.upload_content_pack(:'pack');")
api "$P" "READ WRITE" "$(as_postgrest service_role)" \
    "SELECT status FROM residency_api.activate_content_pack('$pack_id');" >/dev/null

# drill USER [how]: start a drill; typed: answer and evaluate it;
# submitted: a typed answer left for the worker; recorded: an audio URL
start() { api "$P" "READ WRITE" "$(as_user "$1")" "SELECT id FROM residency_api.start_drill('$QUESTION');"; }
drill() {
    local user=$1 how=$2 sid
    sid=$(start "$user")
    case $how in
    typed) api "$P" "READ WRITE" "$(as_user "$user")" \
        "SELECT overall_score FROM residency_api.submit_and_evaluate('$sid', '$ANSWER', NULL, 55);" >/dev/null ;;
    submitted) api "$P" "READ WRITE" "$(as_user "$user")" \
        "SELECT id FROM residency_api.submit_response('$sid', '$ANSWER');" >/dev/null ;;
    recorded) api "$P" "READ WRITE" "$(as_user "$user")" \
        "SELECT id FROM residency_api.submit_response('$sid', NULL, 'https://cdn.example.org/a/$sid.m4a', 48);" >/dev/null ;;
    esac
    echo "$sid"
}
drill "$A" typed >/dev/null
drill "$A" typed >/dev/null
started_a=$(start "$A")
drill "$A" recorded >/dev/null
drill "$B" typed >/dev/null
drill "$B" submitted >/dev/null
drill "$C" typed >/dev/null
# the worker claims the oldest two SUBMITTED sessions (A's recording, B's
# typed answer): one fails, the other stays PROCESSING
claimed=$(api "$P" "READ WRITE" "$(as_postgrest service_role)" \
    "SELECT id FROM residency_api.claim_submissions(2) ORDER BY submitted_at;")
api "$P" "READ WRITE" "$(as_postgrest service_role)" \
    "SELECT status FROM residency_api.fail_evaluation('${claimed%%$'\n'*}', 'could not fetch the recording');" >/dev/null
processing=${claimed##*$'\n'}
drill "$A" submitted >/dev/null
# C's cache row is gone (an unlogged table loses its rows in a crash):
# the primary answers C from users, as the standby answers everyone
sql -d "$P" -c "DELETE FROM residency.entitlement_cache WHERE user_id = '$C'"
summary=$(sql -d "$P" -c "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status)
    FROM (SELECT status, count(*) AS n FROM residency.drill_sessions GROUP BY status) AS s")
echo "  sessions on the primary: $summary"
same "every session state in the fixtures" \
    "COMPLETED 4, FAILED 1, PROCESSING 1, STARTED 1, SUBMITTED 1" "$summary"

step "standby on port $standby_port (pg_basebackup -R)"
RESIDENCY_CLUSTER_DIR=$standby_dir RESIDENCY_PORT=$standby_port \
    scripts/cluster.sh standby "$primary_dir" "$primary_port" >/dev/null
same "the standby is in recovery" t "$(sql -d "$S" -c "SELECT pg_is_in_recovery()")"
# written after the base backup: only streaming brings it to the standby
late=$(drill "$B" typed)
lsn=$(sql -d "$P" -c "SELECT pg_current_wal_insert_lsn()")
for _ in $(seq 1 100); do
    [ "$(sql -d "$S" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
    sleep 0.1
done
same "the standby replayed the primary's LSN $lsn" t "$(sql -d "$S" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")"
same "the drill written after the backup is on the standby" COMPLETED \
    "$(sql -d "$S" -c "SELECT status FROM residency.drill_sessions WHERE id = '$late'")"
same "the primary streams to it" streaming \
    "$(sql -d "$P" -c "SELECT state FROM pg_stat_replication")"

step "the read endpoints, as each role, on the primary and on the standby"
# The reads of a GET: the views (ordered, as a client asks for them) and
# the STABLE functions. my_entitlement's expires_at is the cache row's on
# the primary and "now + 1 h" where there is none (C's row, the standby):
# it is compared as "within the next hour".
reads=(
    "SELECT count(*), count(DISTINCT category) FROM residency_api.questions;"
    "SELECT q.* FROM residency_api.questions AS q ORDER BY q.ordinal, q.id;"
    "SELECT count(*) FROM residency_api.my_sessions;"
    "SELECT s.* FROM residency_api.my_sessions AS s ORDER BY s.started_at, s.id;"
    "SELECT count(*) FROM residency_api.my_evaluations;"
    "SELECT e.* FROM residency_api.my_evaluations AS e ORDER BY e.created_at, e.id;"
    "SELECT e.entitlement_level, e.subscription_status, e.current_period_end, e.cancel_at_period_end,
            e.in_grace_period, e.grace_until,
            e.expires_at BETWEEN extract(epoch FROM now())::bigint AND extract(epoch FROM now())::bigint + 3601
     FROM residency_api.my_entitlement() AS e;"
    "SELECT residency_api.score_answer('$QUESTION', '$ANSWER', 55);"
    "SELECT residency_api.score_answer('$QUESTION', 'Short.');"
    "SELECT residency_api.score_answer('no-such-question', 'Short.');"
    "SELECT residency_api.validate_content_pack(:'pack');"
    "SELECT residency_api.validate_content_pack(:'bad_pack');"
)
roles=(anon service_role "$AUTHOR" "$A" "$B" "$C" "$L" "$X")
primary_mark=$(log_mark "$PRIMARY_LOG")
standby_mark=$(log_mark "$STANDBY_LOG")
work=$(mktemp -d)
for role in "${roles[@]}"; do
    case $role in
    anon | service_role) prelude=$(as_postgrest "$role") ;;
    *) prelude=$(as_user "$role") ;;
    esac
    for i in "${!reads[@]}"; do
        printf '%s #%s\n' "$role" "$i" | tee -a "$work/primary" >>"$work/standby"
        api "$P" "READ ONLY" "$prelude" "${reads[$i]}" >>"$work/primary" || true
        api "$S" "READ ONLY" "$prelude" "${reads[$i]}" >>"$work/standby" || true
    done
done
if cmp -s "$work/primary" "$work/standby"; then
    echo "  ok: ${#roles[@]} roles x ${#reads[@]} reads: the standby answers byte for byte as the primary ($(wc -c <"$work/standby") bytes)"
else
    echo "FAIL: the standby answers differently:" >&2
    diff "$work/primary" "$work/standby" | head -n 40 >&2 || true
    fail=1
fi
# answer ROLE N: what read N gave ROLE on the standby
answer() { awk -v h="$1 #$2" '$0 == h { on = 1; next } / #[0-9]+$/ { on = 0 } on' "$work/standby"; }
same "questions on the standby (questions, categories)" "35|7" "$(answer "$A" 0)"
same "A's sessions on the standby" 5 "$(answer "$A" 2)"
same "B's sessions on the standby (one written after the backup)" 3 "$(answer "$B" 2)"
check "B's entitlement on the standby shows the subscription past due, grace over" grep -qE '^BASIC\|past_due\|[0-9]+\|f\|f\|[0-9]+\|t$' <(answer "$B" 6)
same "A's evaluations on the standby" 2 "$(answer "$A" 4)"
same "A's entitlement on the standby" "BASIC||||f||t" "$(answer "$A" 6)"
same "C's entitlement (no cache row) on the standby" "BASIC||||f||t" "$(answer "$C" 6)"
same "the author's entitlement on the standby" "PRO||||f||t" "$(answer "$AUTHOR" 6)"
same "the LOCKED user's entitlement on the standby" "LOCKED||||f||t" "$(answer "$L" 6)"
check "score_answer on the standby scores the answer" grep -q '"overall_score"' <(answer "$B" 7)
same "validate_content_pack of the bundled pack on the standby" true \
    "$(answer "$AUTHOR" 10 | sed -nE 's/.*"valid": (true|false).*/\1/p')"
same "validate_content_pack of a bad pack on the standby" false \
    "$(answer "$AUTHOR" 11 | sed -nE 's/.*"valid": (true|false).*/\1/p')"
check "the LOCKED user may validate a pack on the standby" grep -q '"valid": true' <(answer "$L" 10)
# error: the SQLSTATE of an answer that is an error
error() { sed -nE 's/^ERROR:  (.*)$/\1/p'; }
same "anon's my_entitlement on the standby" 42501 "$(answer anon 6 | error)"
same "anon's my_sessions on the standby" 42501 "$(answer anon 2 | error)"
same "the LOCKED user's score_answer on the standby" PT402 "$(answer "$L" 7 | error)"
same "an unknown user's my_sessions on the standby" 0 "$(answer "$X" 2)"
same "an unknown user's my_entitlement on the standby" 42501 "$(answer "$X" 6 | error)"
same "a missing question on the standby" PT404 "$(answer "$A" 9 | error)"
rm -rf "$work"
primary_errors=$(log_errors "$PRIMARY_LOG" "$primary_mark" | tr '\n' ' ')
standby_errors=$(log_errors "$STANDBY_LOG" "$standby_mark" | tr '\n' ' ')
check "the primary's log holds the refusals ($(wc -w <<<"$primary_errors") ERRORs)" test -n "$primary_errors"
same "the refusals are 42501, PT402 and PT404 only" "" "$(tr ' ' '\n' <<<"$primary_errors" | grep -vxE '42501|PT402|PT404|' || true)"
same "the standby's log holds the same ERRORs as the primary's" "$primary_errors" "$standby_errors"
# Statistics reach the shared counters when a backend ends: wait for the
# reads of users to show, then the cache must have had none.
for _ in $(seq 1 50); do
    [ "$(sql -d "$S" -c "SELECT coalesce(idx_scan, 0) > 0 FROM pg_stat_user_tables
                         WHERE relid = 'residency.users'::regclass")" = t ] && break
    sleep 0.1
done
same "the standby read residency.users" t \
    "$(sql -d "$S" -c "SELECT idx_scan > 0 FROM pg_stat_user_tables WHERE relid = 'residency.users'::regclass")"
same "the standby never read the entitlement cache (scans)" 0 \
    "$(sql -d "$S" -c "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables
                       WHERE relid = 'residency.entitlement_cache'::regclass")"

step "writes on the standby: 25006 (PostgREST: 405)"
standby_mark=$(log_mark "$STANDBY_LOG")
writes=0
write() {  # what prelude sql
    writes=$((writes + 1))
    expect_error "$S" 25006 "$1" "BEGIN; $2 $3 COMMIT;"
}
signed_event() {  # a Stripe event, its request.headers signed with the secret
    local body t sig
    t=$(date +%s)
    body="{\"id\":\"evt_standby\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":$t,\"livemode\":false,\"data\":{\"object\":{\"object\":\"invoice\",\"customer\":\"cus_standby\",\"subscription\":\"sub_standby\"}}}"
    sig=$(printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$STRIPE_SECRET" -r | cut -d' ' -f1)
    printf "SELECT set_config('request.headers', '{\"stripe-signature\": \"t=%s,v1=%s\"}', true); SELECT residency_api.stripe_webhook('%s');" \
        "$t" "$sig" "$body"
}
# PostgREST starts a POST with BEGIN ... READ WRITE, which PostgreSQL
# refuses during recovery with 0A000 before any of the request runs: POSTs
# must go to the primary (docs/operations.md, "Read replicas")
expect_error "$S" 0A000 "BEGIN READ WRITE (how PostgREST starts a POST)" "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE; COMMIT;"
write "start_drill" "$(as_user "$A")" "SELECT residency_api.start_drill('$QUESTION');"
write "submit_response" "$(as_user "$A")" "SELECT residency_api.submit_response('$started_a', '$ANSWER');"
write "submit_response, a recording (would NOTIFY)" "$(as_user "$A")" \
    "SELECT residency_api.submit_response('$started_a', NULL, 'https://cdn.example.org/a/x.m4a', 30);"
write "submit_and_evaluate" "$(as_user "$A")" "SELECT residency_api.submit_and_evaluate('$started_a', '$ANSWER');"
write "evaluate_session" "$(as_user "$A")" \
    "SELECT residency_api.evaluate_session(id) FROM residency.drill_sessions WHERE user_id = '$A' AND status = 'SUBMITTED';"
write "upload_content_pack" "$(as_user "$AUTHOR")" \
    "SELECT residency_api.upload_content_pack(\$pack\$$(cat packs/default.json)\$pack\$, 'Another name');"
write "activate_content_pack" "$(as_postgrest service_role)" "SELECT residency_api.activate_content_pack('$pack_id');"
write "archive_content_pack" "$(as_postgrest service_role)" "SELECT residency_api.archive_content_pack('$pack_id');"
write "set_entitlement" "$(as_postgrest service_role)" "SELECT residency_api.set_entitlement('$L', 'BASIC');"
write "set_content_admin" "$(as_postgrest service_role)" "SELECT residency_api.set_content_admin('$B');"
write "claim_submissions" "$(as_postgrest service_role)" "SELECT residency_api.claim_submissions(1);"
write "record_evaluation" "$(as_postgrest service_role)" \
    "SELECT residency_api.record_evaluation('$processing', residency.score('$pack_id', '$QUESTION', '$ANSWER', 55));"
write "fail_evaluation" "$(as_postgrest service_role)" "SELECT residency_api.fail_evaluation('$processing', 'x');"
write "fail_stale_processing" "$(as_postgrest service_role)" "SELECT residency_api.fail_stale_processing('1 second');"
write "stripe_webhook, a signed event" "$(as_postgrest anon)" "$(signed_event)"
write "stripe_expire_grace" "$(as_postgrest service_role)" "SELECT residency_api.stripe_expire_grace();"
write "a direct INSERT as service_role" "$(as_postgrest service_role)" \
    "INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('$A', '$QUESTION');"
write "a direct UPDATE as service_role" "$(as_postgrest service_role)" \
    "UPDATE residency.users SET email = 'changed@example.org' WHERE id = '$A';"
writes=$((writes + 1))
expect_error "$S" 25006 "LISTEN residency_evaluation (the worker)" "LISTEN residency_evaluation;"
check "$writes writes refused" test "$writes" -ge 19
others=$(log_errors "$STANDBY_LOG" "$standby_mark" | grep -vx 25006 | tr '\n' ' ' || true)
same "the standby's log holds no other ERROR for the writes" "0A000 " "$others"
same "the standby's log holds a 25006 for each write" "$writes" \
    "$(log_errors "$STANDBY_LOG" "$standby_mark" | grep -cx 25006)"
check "the signed event was valid: the primary accepts it" grep -q '"outcome"' \
    <(api "$P" "" "$(as_postgrest anon)" "$(signed_event)")

step "failover: the primary stops, the standby is promoted"
RESIDENCY_CLUSTER_DIR=$primary_dir scripts/cluster.sh stop
as_owner "$(pg_config --bindir)/pg_ctl" -D "$standby_dir/data" -w -t 60 promote >/dev/null
same "the promoted standby is out of recovery" f "$(sql -d "$S" -c "SELECT pg_is_in_recovery()")"
same "its entitlement cache is empty (unlogged)" 0 "$(sql -d "$S" -c "SELECT count(*) FROM residency.entitlement_cache")"
same "a GET of my_entitlement reads the level and writes nothing" "BASIC|0" \
    "$(api "$S" "READ ONLY" "$(as_user "$A")" "SELECT entitlement_level FROM residency_api.my_entitlement();
       RESET ROLE; SELECT count(*) FROM residency.entitlement_cache;" | paste -sd'|')"

step "drills go on on the promoted standby"
P=$S  # start and drill now write here
sid=$(start "$A")
same "the first write rebuilt A's cache row" "BASIC" \
    "$(sql -d "$S" -c "SELECT entitlement_level FROM residency.entitlement_cache WHERE user_id = '$A'")"
api "$S" "READ WRITE" "$(as_user "$A")" "SELECT id FROM residency_api.submit_response('$sid', '$ANSWER', NULL, 55);" >/dev/null
same "the answer is SUBMITTED" SUBMITTED "$(sql -d "$S" -c "SELECT status FROM residency.drill_sessions WHERE id = '$sid'")"
# the worker: claim the oldest SUBMITTED sessions, score, record
claimed=$(api "$S" "READ WRITE" "$(as_postgrest service_role)" "SELECT id FROM residency_api.claim_submissions(5);" | sort)
check "the worker claims the new answer" grep -qx "$sid" <<<"$claimed"
for id in $claimed; do
    api "$S" "READ WRITE" "$(as_postgrest service_role)" "
        SELECT e.overall_score > 0 FROM residency.drill_sessions AS s
        JOIN residency.drill_responses AS r ON r.session_id = s.id
        CROSS JOIN LATERAL residency_api.record_evaluation(s.id,
            residency.score(s.content_pack_id, s.question_id, coalesce(r.content, '$ANSWER'), 55)) AS e
        WHERE s.id = '$id';" >/dev/null
done
same "the worker's evaluation is A's to read" 1 \
    "$(api "$S" "READ ONLY" "$(as_user "$A")" "SELECT count(*) FROM residency_api.my_evaluations WHERE session_id = '$sid';")"
same "a session claimed before the failover is failed as stale" 1 \
    "$(api "$S" "READ WRITE" "$(as_postgrest service_role)" "SELECT residency_api.fail_stale_processing('1 millisecond');")"
# a recorded answer wakes a listening worker at its commit
sid=$(start "$B")
printf 'BEGIN;\n%s\nSELECT 1 FROM residency_api.submit_response(%s, NULL, %s, 40);\nCOMMIT;\n' \
    "$(as_user "$B")" "'$sid'" "'https://cdn.example.org/a/$sid.m4a'" >"$base/recorded.sql"
notified=$(printf '%s\n' "LISTEN residency_evaluation;" \
    "\\! psql -X -q -At -v ON_ERROR_STOP=1 -d '$S' -f '$base/recorded.sql' >/dev/null" \
    "SELECT 1;" | "${PSQL[@]}" -d "$S" 2>&1)
check "a recorded answer NOTIFYs residency_evaluation" grep -q 'notification "residency_evaluation"' <<<"$notified"
same "a typed drill through submit_and_evaluate" t \
    "$(api "$S" "READ WRITE" "$(as_user "$C")" "SELECT overall_score > 0 FROM residency_api.submit_and_evaluate(
        (residency_api.start_drill('$QUESTION')).id, '$ANSWER', NULL, 55);")"
same "C's cache row is rebuilt by the drill" BASIC \
    "$(sql -d "$S" -c "SELECT entitlement_level FROM residency.entitlement_cache WHERE user_id = '$C'")"

step "the rules still fire"
expect_error "$S" PT402 "a LOCKED user starts a drill" "BEGIN; $(as_user "$L") SELECT residency_api.start_drill('$QUESTION'); COMMIT;"
expect_error "$S" 42501 "anon starts a drill" "BEGIN; $(as_postgrest anon) SELECT residency_api.start_drill('$QUESTION'); COMMIT;"
expect_error "$S" 42501 "an unknown user starts a drill" "BEGIN; $(as_user "$X") SELECT residency_api.start_drill('$QUESTION'); COMMIT;"
expect_error "$S" PT404 "B answers A's session" "BEGIN; $(as_user "$B") SELECT residency_api.submit_response('$started_a', 'mine'); COMMIT;"
expect_error "$S" PT409 "a second answer to a session" "BEGIN; $(as_user "$B") SELECT residency_api.submit_response('$sid', 'again'); COMMIT;"
expect_error "$S" 42501 "a user records their own evaluation" \
    "BEGIN; $(as_user "$B") SELECT residency_api.record_evaluation('$sid', '{}'); COMMIT;"
expect_error "$S" 42501 "a user raises their own level" \
    "BEGIN; $(as_user "$B") UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '$B'; COMMIT;"
expect_error "$S" PT409 "set_entitlement skips a step (U2)" \
    "BEGIN; $(as_postgrest service_role) SELECT residency_api.set_entitlement('$L', 'PRO'); COMMIT;"
expect_error "$S" 23514 "a session moved back (S2)" \
    "UPDATE residency.drill_sessions SET status = 'STARTED' WHERE status = 'COMPLETED';"
same "service_role lifts the LOCKED user; the cache follows" "BASIC|BASIC" \
    "$(api "$S" "READ WRITE" "$(as_postgrest service_role)" "SELECT entitlement_level FROM residency_api.set_entitlement('$L', 'BASIC');
       RESET ROLE; SELECT entitlement_level FROM residency.entitlement_cache WHERE user_id = '$L';" | paste -sd'|')"
same "the lifted user drills" STARTED \
    "$(api "$S" "READ WRITE" "$(as_user "$L")" "SELECT status FROM residency_api.start_drill('$QUESTION');")"

step "the invariants on the promoted standby"
# (test/pgtap/04_invariants.sql holds the full matrix; these are its
# consequences for the rows, after the failover)
invariant() {  # what sql-that-counts-violations
    same "$1" 0 "$(sql -d "$S" -c "$2")"
}
invariant "I1: B sees none of A's sessions or evaluations" \
    "BEGIN; $(as_user "$B") SELECT (SELECT count(*) FROM residency_api.my_sessions WHERE user_id <> '$B')
        + (SELECT count(*) FROM residency_api.my_evaluations WHERE user_id <> '$B')
        + (SELECT count(*) FROM residency.drill_sessions WHERE user_id = '$A'); COMMIT;"
invariant "every evaluation is its session's user's, of a COMPLETED session, for its response" \
    "SELECT count(*) FROM residency.evaluation_results AS e JOIN residency.drill_sessions AS s ON s.id = e.session_id
     JOIN residency.drill_responses AS r ON r.id = e.response_id
     WHERE e.user_id <> s.user_id OR s.status <> 'COMPLETED' OR r.session_id <> s.id"
invariant "every COMPLETED session has one evaluation; SUBMITTED and later have a response" \
    "SELECT count(*) FROM residency.drill_sessions AS s
     WHERE (s.status = 'COMPLETED') <> EXISTS (SELECT 1 FROM residency.evaluation_results AS e WHERE e.session_id = s.id)
        OR (s.status <> 'STARTED') <> EXISTS (SELECT 1 FROM residency.drill_responses AS r WHERE r.session_id = s.id)"
invariant "no LOCKED user has a session started after the failover" \
    "SELECT count(*) FROM residency.drill_sessions AS s JOIN residency.users AS u ON u.id = s.user_id
     WHERE u.entitlement_level = 'LOCKED'"
invariant "one ACTIVE pack" "SELECT count(*) - 1 FROM residency.content_packs WHERE status = 'ACTIVE'"
invariant "every cache row agrees with users" \
    "SELECT count(*) FROM residency.entitlement_cache AS c JOIN residency.users AS u ON u.id = c.user_id
     WHERE c.entitlement_level <> u.entitlement_level"
same "the sessions after the failover" "COMPLETED 8, FAILED 2, STARTED 2, SUBMITTED 1" \
    "$(sql -d "$S" -c "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status)
        FROM (SELECT status, count(*) AS n FROM residency.drill_sessions GROUP BY status) AS s")"

step "server logs"
if grep -E "terminated by signal|was terminated by|server process .* exited with exit code [^0]" "$PRIMARY_LOG" "$STANDBY_LOG"; then
    echo "FAIL: a backend crashed (see the lines above)" >&2
    fail=1
else
    echo "  ok: no backend terminated by a signal"
fi

[ "$fail" -eq 0 ] || die "standby: some checks failed"
echo
echo "standby: all checks passed"
