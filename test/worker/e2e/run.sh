#!/usr/bin/env bash
# The evaluation worker (residency-worker, src/worker; docs/worker.md) end to
# end, against the database: real recordings through the real queue.
#
#   eval "$(scripts/cluster.sh env)"; test/worker/e2e/run.sh
#
# Creates database worker_e2e (the extension, the bundled pack uploaded by a
# PRO author and activated by service_role, BASIC candidates) and a LOGIN role
# granted service_role, as the worker runs in production (docs/worker.md), and
# drops both at the end. Candidates submit recordings through the API as
# PostgREST would (start_drill, submit_response with audio_url and
# audio_duration_s); the worker evaluates them. Cases:
#
#   synth     espeak-ng speaks two known answers at 130 and 190 wpm (nominal);
#             the sessions COMPLETE with one evaluation each; duration_s within
#             0.2 s of the file's length; details.speech.wpm_speaking within
#             15% of the words of the text over the file's speaking time
#             (measured here, independently: audio.py speech); word error rate
#             reported, < 0.65 asserted
#   real      PocketSphinx's own test recordings (LibriVox, "go forward ten
#             meters"): COMPLETED, word error rate reported
#   failures  a file:// URL that does not exist, HTTP 404, a refused
#             connection, random bytes, an empty file, 30 s of silence, an
#             audio_duration_s that disagrees with the recording (rule E3), an
#             answer over --max-duration-s, a file over --max-audio-bytes, a
#             file:// URL with --file-urls no: each session FAILED with
#             metadata.failure_reason "<code>: ..." and a "failed" log line
#   sigkill   the worker killed -9 while it evaluates; the next worker's poll
#             (--stale-after-s 1) fails the session: FAILED, never left PROCESSING
#   two       two --once workers on one queue of 6: each session COMPLETED
#             exactly once
#   http      --recognizer http against a fake OpenAI-compatible server
#             (servers.py stt): the request's form, the transcript and model;
#             an endpoint answering 404 fails the session with "recognizer"
#   notify    a long-running worker (polling every 60 s) evaluates a new
#             submission within 10 s (the NOTIFY, not the poll); SIGTERM while
#             it evaluates a 73 s answer: the job COMPLETED, exit 0, a "stop"
#             log line
# Also: --help lists every flag and variable of the contract, every stderr
# line is a JSON object with an "event", no session is left SUBMITTED or
# PROCESSING.
#
# The worker: $WORKER_E2E_BIN, else build-worker-asan/residency-worker (ASan
# and UBSan; any report fails the test), else build-worker/residency-worker.
# Audio URLs are file:// (the database is set residency.allow_file_audio_urls
# = on, which rule R2 needs for them); when submit_response still refuses
# them, the audio is served by servers.py over http://127.0.0.1 and the
# file:// cases are skipped (SKIP in the table).
# Prints a table (case, expected, got) and exits non-zero on any failure;
# the logs and audio of a failed run are kept (the path is printed).
# Needs PGHOST/PGPORT/PGUSER of a superuser, espeak-ng, python3,
# pocketsphinx-testdata. About 2-4 minutes on 2 cores.
. "$(dirname "$0")/../../../scripts/lib.sh"
here=$root/test/worker/e2e
db=${WORKER_E2E_DB:-worker_e2e}
login=${WORKER_E2E_ROLE:-residency_worker_e2e}
[[ $db =~ ^[a-z_][a-z0-9_]*$ && $login =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "run.sh: bad name: $db / $login" >&2; exit 2; }
testdata=${WORKER_E2E_TESTDATA:-/usr/share/pocketsphinx/test/data}
run_timeout=${WORKER_E2E_TIMEOUT:-150}  # seconds for one --once run

# The worker reads RESIDENCY_WORKER_* from its environment: only what a case sets.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^RESIDENCY_WORKER_' || true)

if [ -n "${WORKER_E2E_BIN:-}" ]; then
    bin=$WORKER_E2E_BIN
elif [ -x "$root/build-worker-asan/residency-worker" ]; then
    bin=$root/build-worker-asan/residency-worker
elif [ -x "$root/build-worker/residency-worker" ]; then
    bin=$root/build-worker/residency-worker
else
    echo "worker e2e: no residency-worker (make worker; or set WORKER_E2E_BIN)" >&2
    exit 1
fi
sanitized=$( (grep -aq __asan_init "$bin" && echo ASan; grep -aq __ubsan_handle "$bin" && echo UBSan) | paste -sd+) || true
sanitized=${sanitized:-none}
for tool in espeak-ng python3 timeout; do
    command -v "$tool" >/dev/null || { echo "worker e2e: $tool is missing" >&2; exit 1; }
done
[ -d "$testdata/librivox" ] || { echo "worker e2e: $testdata/librivox is missing (pocketsphinx-testdata)" >&2; exit 1; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

work=$(mktemp -d /tmp/worker-e2e.XXXXXX)
chmod 755 "$work"
audio=$work/audio
mkdir -p "$audio"
summary=$work/summary.tsv
: >"$summary"
pids=()  # background processes this script started
failures=0
started_at=$SECONDS

cleanup() {
    local rc=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres \
        -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $login" >/dev/null 2>&1 || true
    if [ "$rc" -eq 0 ]; then rm -rf "$work"; else echo "worker e2e: logs and audio kept in $work" >&2; fi
}
trap cleanup EXIT

sql() { "${PSQL[@]}" -d "$db" "$@"; }  # lib.sh's sql, on the test's database
py() { python3 "$here/check.py" "$@"; }
get() { python3 "$here/check.py" get "$1" "$2"; }
is_true() { python3 "$here/check.py" true "$1"; }
aud() { python3 "$here/audio.py" "$@"; }

# record CASE EXPECTED GOT ok|fail|info|skip
record() {
    local verdict=$4 got=${3//$'\n'/ | }
    got=${got//$'\t'/ }
    case "$verdict" in ok) verdict=PASS ;; fail) verdict=FAIL; failures=$((failures + 1)) ;; info) verdict=INFO ;; skip) verdict=SKIP ;; esac
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$got" "$verdict" >>"$summary"
    printf '  %-4s %s: %s (expected %s)\n' "$verdict" "$1" "$got" "$2"
}
verdict() { if "$@"; then echo ok; else echo fail; fi; }  # verdict COMMAND... -> ok|fail

stage() { step "worker e2e: $* ($((SECONDS - started_at)) s)"; }

# ---- database, users, the worker's role ------------------------------------
stage "database $db, role $login, worker $bin (sanitizers: $sanitized)"
PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d postgres \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $login" -c "CREATE DATABASE $db"
AUTHOR=a0000000-0000-4000-8000-00000000e2e0
CANDIDATE=a0000000-0000-4000-8000-00000000e2e1
CANDIDATE2=a0000000-0000-4000-8000-00000000e2e2
sql -v pack64="$(base64 -w0 "$root/packs/default.json")" -v author="$AUTHOR" \
    -v candidates="$CANDIDATE,$CANDIDATE2" -v as_author="$(as_user "$AUTHOR")" \
    -v as_service="$(as_postgrest service_role)" -f "$here/setup.sql"
# file:// audio URLs, which rule R2 accepts where residency.allow_file_audio_urls
# is on (the probe below says whether this server's R2 does)
"${PSQL[@]}" -d postgres -c "ALTER DATABASE $db SET residency.allow_file_audio_urls = on"
# a LOGIN role with service_role's privileges: the worker runs SET ROLE service_role
"${PSQL[@]}" -d postgres -c "CREATE ROLE $login LOGIN" -c "GRANT service_role TO $login"

# submit URL DURATION_S [CANDIDATE]: start_drill, then submit_response with the
# recording, two requests as PostgREST runs them; prints the session id
submit() {
    sql -v as_candidate="$(as_user "${3:-$CANDIDATE}")" -v url="$1" -v duration="$2" <"$here/submit_recording.sql"
}

# state SID: the session and its evaluation as one JSON object
state() {
    sql -v sid="$1" <<'SQL'
SELECT jsonb_build_object(
    'status', s.status, 'reason', s.metadata ->> 'failure_reason',
    'evaluations', (SELECT count(*) FROM residency.evaluation_results AS x WHERE x.session_id = s.id),
    'duration_s', e.duration_s, 'words', e.words, 'wpm', e.wpm, 'overall_score', e.overall_score,
    'model_used', e.model_used, 'processing_time_ms', e.processing_time_ms, 'speech', e.details -> 'speech',
    'latency_s', round(extract(epoch FROM s.completed_at - s.submitted_at)::numeric, 3))
FROM residency.drill_sessions AS s LEFT JOIN residency.evaluation_results AS e ON e.session_id = s.id
WHERE s.id = :'sid';
SQL
}

queue_count() { sql -c "SELECT count(*) FROM residency.drill_sessions WHERE status IN ('SUBMITTED', 'PROCESSING')"; }

worker_env=(PGHOST="$PGHOST" PGPORT="${PGPORT:-5432}" PGUSER="$login" PGDATABASE="$db")

# sanitizer_check NAME: a sanitizer report in NAME's log fails the case
sanitizer_check() {
    if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: [A-Za-z]+Sanitizer' "$work/$1.log"; then
        record "$1: sanitizers" "no report" "$(grep -m1 -E 'ERROR: |runtime error:' "$work/$1.log" | cut -c1-120)" fail
        return 1
    fi
}

# run_once NAME [ENV=VALUE...] -- [FLAGS...]: a --once run in the foreground,
# its log in $work/NAME.log; sets $rc
run_once() {
    local name=$1 extra_env=()
    shift
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do extra_env+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    local t0=$SECONDS
    rc=0
    timeout -k 5 "$run_timeout" env "${worker_env[@]}" "${extra_env[@]}" "$bin" --once "$@" \
        >"$work/$name.out" 2>"$work/$name.log" || rc=$?
    printf '  (%s: exit %s in %d s)\n' "$name" "$rc" $((SECONDS - t0))
    sanitizer_check "$name" || true
}

# start_bg NAME [ENV=VALUE...] -- [FLAGS...]: a worker in the background; sets $bg_pid
start_bg() {
    local name=$1 extra_env=()
    shift
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do extra_env+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    env "${worker_env[@]}" "${extra_env[@]}" "$bin" "$@" >"$work/$name.out" 2>"$work/$name.log" &
    bg_pid=$!
    pids+=("$bg_pid")
}

# wait_bounded PID SECONDS: wait for a background worker, at most SECONDS
# (then kill -9, status 124); sets $rc
wait_bounded() {
    local deadline=$((SECONDS + $2))
    while kill -0 "$1" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$1" 2>/dev/null; then
        kill -KILL "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
        rc=124
        return
    fi
    rc=0
    wait "$1" || rc=$?
}

# wait_log NAME EVENT SECONDS [SESSION_ID]: until the log has the event
wait_log() {
    local deadline=$((SECONDS + $3))
    until py log-has "$work/$1.log" "$2" ${4:+"$4"}; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

# ---- the command line of the contract (docs/worker.md) ----------------------
help=$("$bin" --help 2>&1) || true
missing=()
for flag in dsn role once concurrency recognizer http-url http-model max-audio-bytes max-duration-s \
    fetch-timeout-s poll-interval-s pause-threshold-s stale-after-s shutdown-grace-s; do
    env_name=RESIDENCY_WORKER_$(tr 'a-z-' 'A-Z_' <<<"$flag")
    grep -qE -- "--$flag( |\$)" <<<"$help" || missing+=("--$flag")
    grep -qw -- "$env_name" <<<"$help" || missing+=("$env_name")
done
grep -qw RESIDENCY_WORKER_HTTP_API_KEY <<<"$help" || missing+=(RESIDENCY_WORKER_HTTP_API_KEY)
record "--help: every flag and variable of the contract" "all" "${missing[*]:-all}" "$(verdict [ "${#missing[@]}" -eq 0 ])"

# ---- audio: URLs ------------------------------------------------------------
python3 "$here/servers.py" files "$audio" "$work/files.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/files.port" ] && break; sleep 0.1; done
files_port=$(cat "$work/files.port")
probe_ok=no
if sql >/dev/null 2>&1 <<SQL; then probe_ok=yes; fi
BEGIN;
$(as_user "$CANDIDATE")
SELECT id AS sid FROM residency_api.start_drill('conf-nurse-conflict') \gset
SELECT count(*) FROM residency_api.submit_response(session_id => :'sid', audio_url => 'file:///tmp/probe.wav', audio_duration_s => 1);
ROLLBACK;
SQL
if [ "$probe_ok" = yes ]; then
    url_of() { echo "file://$1"; }
    record "file:// audio_url accepted by submit_response" "yes" "yes" ok
else
    url_of() { echo "http://127.0.0.1:$files_port/${1#"$audio"/}"; }
    record "file:// audio_url accepted by submit_response" "yes" "no (rule R2 refuses them); audio served over http://127.0.0.1:$files_port" skip
fi

# speak NAME RATE: answers/NAME.txt at RATE words per minute (espeak-ng's
# nominal rate) into $audio/NAME-RATE.wav. The voice is American English with
# the Klatt synthesizer: PocketSphinx's en-us model hears it far better than
# espeak-ng's default formant voice (word error rate about 0.5 against 0.9).
voice=en-us+klatt2
speak() {
    espeak-ng -v "$voice" -s "$2" -w "$audio/$1-$2.wav" -f "$here/answers/$1.txt"
}

# ---- synth: known answers, synthesized --------------------------------------
stage "synthesized answers (espeak-ng)"
declare -A sid_of=()
for spec in "nurse 130" "mistake 190"; do
    read -r name rate <<<"$spec"
    speak "$name" "$rate"
    f=$audio/$name-$rate.wav
    sid_of[$name]=$(submit "$(url_of "$f")" "$(aud duration "$f")")
done
run_once synth -- --concurrency 2
record "synth: worker --once" "exit 0" "exit $rc" "$(verdict [ "$rc" -eq 0 ])"
for spec in "nurse 130" "mistake 190"; do
    read -r name rate <<<"$spec"
    f=$audio/$name-$rate.wav
    text=$(cat "$here/answers/$name.txt")
    s=$(state "${sid_of[$name]}")
    dur=$(aud duration "$f")
    vad=$(aud speech "$f" 0.5)
    speaking=$(get "$vad" speaking_s)
    words=$(aud words "$text")
    want=$(python3 -c "print(round($words * 60 / $speaking, 1))")
    status="$(get "$s" status), $(get "$s" evaluations) evaluation(s)"
    record "synth $name @$rate: session" "COMPLETED, 1 evaluation(s)" "$status$([ -n "$(get "$s" reason)" ] && echo ": $(get "$s" reason)")" \
        "$(verdict [ "$status" = "COMPLETED, 1 evaluation(s)" ])"
    got_dur=$(get "$s" duration_s)
    record "synth $name @$rate: duration_s" "$dur s +- 0.2" "${got_dur:-none}" \
        "$(verdict is_true "${got_dur:-0} != 0 and abs(${got_dur:-0} - $dur) <= 0.2")"
    wpm_sp=$(get "$s" speech.wpm_speaking)
    record "synth $name @$rate: wpm over speaking time" \
        "$want +- 15% ($words words / $speaking s speaking; espeak-ng nominal $rate)" \
        "${wpm_sp:-none} (speaking_s $(get "$s" speech.speaking_s), $(get "$s" speech.pauses) pauses; evaluation wpm $(get "$s" wpm) over $(get "$s" words) words)" \
        "$(verdict is_true "${wpm_sp:-0} != 0 and abs(${wpm_sp:-0} - $want) <= 0.15 * $want")"
    transcript=$(get "$s" speech.transcript)
    w=$(aud wer "$text" "$transcript")
    record "synth $name @$rate: word error rate" "< 0.65" \
        "$(get "$w" wer) ($(get "$w" substitutions) sub, $(get "$w" deletions) del, $(get "$w" insertions) ins of $(get "$w" reference_words))" \
        "$(verdict is_true "$(get "$w" wer) < 0.65")"
done
# the candidate reads the transcript through the API (my_evaluations)
api_read=$(sql -v sid="${sid_of[nurse]}" <<SQL
BEGIN READ ONLY;
$(as_user "$CANDIDATE")
SELECT coalesce(details -> 'speech' ->> 'recognizer', '') || ' / ' || left(details -> 'speech' ->> 'transcript', 40)
FROM residency_api.my_evaluations WHERE session_id = :'sid';
COMMIT;
SQL
)
record "synth: details.speech through my_evaluations (candidate)" "recognizer / transcript" "${api_read:-nothing}" \
    "$(verdict [ -n "${api_read#' / '}" ])"

# ---- real: PocketSphinx's test recordings -----------------------------------
stage "real speech (pocketsphinx-testdata)"
declare -A ref_of=()
real_ids=()
while read -r line; do
    id=$(sed -E 's/.*\(([^)]*)\)[[:space:]]*$/\1/' <<<"$line")
    ref_of[$id]=$(sed -E 's/<\/?s>//g; s/\([^)]*\)[[:space:]]*$//' <<<"$line")
    cp "$testdata/librivox/$id.wav" "$audio/$id.wav"
    real_ids+=("$id")
done <"$testdata/librivox/transcription"
aud raw2wav "$testdata/goforward.raw" "$audio/goforward.wav" 16000
ref_of[goforward]="go forward ten meters"
real_ids+=(goforward)
declare -A real_sid=()
for id in "${real_ids[@]}"; do
    real_sid[$id]=$(submit "$(url_of "$audio/$id.wav")" "$(aud duration "$audio/$id.wav")")
done
run_once real -- --concurrency 2
record "real: worker --once" "exit 0" "exit $rc" "$(verdict [ "$rc" -eq 0 ])"
errors=0; ref_words=0
for id in "${real_ids[@]}"; do
    s=$(state "${real_sid[$id]}")
    hyp=$(get "$s" speech.transcript)
    w=$(aud wer "${ref_of[$id]}" "$hyp")
    errors=$((errors + $(get "$w" substitutions) + $(get "$w" deletions) + $(get "$w" insertions)))
    ref_words=$((ref_words + $(get "$w" reference_words)))
    record "real $id ($(aud duration "$audio/$id.wav") s)" "COMPLETED; WER reported" \
        "$(get "$s" status); WER $(get "$w" wer): \"$(cut -c1-60 <<<"$hyp")\"" \
        "$(verdict [ "$(get "$s" status)" = COMPLETED ])"
done
record "real: word error rate, all clips" "reported" \
    "$(python3 -c "print(round($errors / $ref_words, 3))") ($errors errors in $ref_words words)" info

# ---- failures ---------------------------------------------------------------
stage "failures"
closed_port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
head -c 65536 /dev/urandom >"$audio/random.m4a"
: >"$audio/empty.wav"
aud silence "$audio/silence.wav" 30
declare -A fail_sid=() fail_want=() fail_url=()
fail_cases=()
add_failure() {  # NAME URL DURATION EXPECTED_CODE
    fail_cases+=("$1")
    fail_url[$1]=$2
    fail_want[$1]=$4
    fail_sid[$1]=$(submit "$2" "$3")
}
if [ "$probe_ok" = yes ]; then
    add_failure "missing file" "file://$audio/does-not-exist.wav" 10 unreachable
else
    record "failures: missing file (file://)" "unreachable" "not submitted: R2 refuses file://" skip
fi
add_failure "HTTP 404" "http://127.0.0.1:$files_port/does-not-exist.wav" 10 unreachable
add_failure "connection refused" "http://127.0.0.1:$closed_port/answer.wav" 10 unreachable
add_failure "random bytes" "$(url_of "$audio/random.m4a")" 10 undecodable
add_failure "zero-length file" "$(url_of "$audio/empty.wav")" 10 undecodable
add_failure "30 s of silence" "$(url_of "$audio/silence.wav")" 30 silence
add_failure "audio_duration_s 10 for a 24 s recording (rule E3)" "$(url_of "$audio/mistake-190.wav")" 10 rejected
run_once failures -- --concurrency 2
record "failures: worker --once" "exit 0" "exit $rc" "$(verdict [ "$rc" -eq 0 ])"
# the limits, one run each
add_failure "over --max-duration-s 5" "$(url_of "$audio/mistake-190.wav")" "$(aud duration "$audio/mistake-190.wav")" too_long
run_once too_long -- --max-duration-s 5
add_failure "over --max-audio-bytes 100000" "$(url_of "$audio/nurse-130.wav")" "$(aud duration "$audio/nurse-130.wav")" too_large
run_once too_large -- --max-audio-bytes 100000
if [ "$probe_ok" = yes ]; then
    add_failure "file:// with --file-urls no" "$(url_of "$audio/nurse-130.wav")" "$(aud duration "$audio/nurse-130.wav")" unreachable
    run_once file_urls_no -- --file-urls no
fi
for name in "${fail_cases[@]}"; do
    s=$(state "${fail_sid[$name]}")
    reason=$(get "$s" reason)
    got="$(get "$s" status): ${reason:-no reason}"
    v=fail
    [[ "$(get "$s" status)" = FAILED && "$reason" == "${fail_want[$name]}: "?* ]] && v=ok
    record "failures: $name" "FAILED: ${fail_want[$name]}: ..." "$(cut -c1-110 <<<"$got")" "$v"
    logged=no
    for f in "$work"/*.log; do py log-has "$f" failed "${fail_sid[$name]}" && logged=yes; done
    [ "$logged" = yes ] || record "failures: $name: log" '"event":"failed" with its session_id' "no such line" fail
done

# ---- sigkill: a worker killed mid-job ---------------------------------------
stage "SIGKILL mid-job, then fail_stale_processing"
aud concat "$audio/long.wav" "$audio/nurse-130.wav" "$audio/nurse-130.wav"
kill_sid=$(submit "$(url_of "$audio/long.wav")" "$(aud duration "$audio/long.wav")")
start_bg killed -- --once
if wait_log killed claimed 30 "$kill_sid"; then
    mid=$(get "$(state "$kill_sid")" status)
    kill -KILL "$bg_pid"
    wait "$bg_pid" 2>/dev/null || true
    sleep 2
    run_once stale -- --stale-after-s 1
    s=$(state "$kill_sid")
    v=fail
    [[ "$(get "$s" status)" = FAILED && "$mid" = PROCESSING ]] && v=ok
    record "sigkill: session after kill -9 and the next worker's poll (--stale-after-s 1)" \
        "FAILED: processing took longer than 1 seconds" "$(get "$s" status): $(get "$s" reason) (was $mid when killed)" "$v"
    if py log-has "$work/stale.log" stale; then
        record "sigkill: log" '"event":"stale"' "$(grep -m1 '"stale"' "$work/stale.log" | cut -c1-100)" ok
    else
        record "sigkill: log" '"event":"stale"' "no stale line" fail
    fi
else
    kill -KILL "$bg_pid" 2>/dev/null || true
    wait "$bg_pid" 2>/dev/null || true
    record "sigkill: worker claimed the 73 s answer" '"event":"claimed" within 30 s' "not seen" fail
fi

# ---- two workers, one queue -------------------------------------------------
stage "two workers on one queue"
speak short 170
two_sids=()
for i in 1 2 3 4 5 6; do  # two candidates, alternately
    two_sids+=("$(submit "$(url_of "$audio/short-170.wav")" "$(aud duration "$audio/short-170.wav")" \
        "$([ $((i % 2)) -eq 0 ] && echo "$CANDIDATE2" || echo "$CANDIDATE")")")
done
start_bg two_a -- --once
pid_a=$bg_pid
start_bg two_b -- --once
pid_b=$bg_pid
wait_bounded "$pid_a" "$run_timeout"
rc_a=$rc
wait_bounded "$pid_b" "$run_timeout"
rc_b=$rc
sanitizer_check two_a || true
sanitizer_check two_b || true
record "two: both workers --once" "exit 0, exit 0" "exit $rc_a, exit $rc_b" "$(verdict is_true "$rc_a == 0 and $rc_b == 0")"
done_count=$(sql -v ids="{$(IFS=,; echo "${two_sids[*]}")}" <<'SQL'
SELECT count(*) FILTER (WHERE s.status = 'COMPLETED'
                          AND (SELECT count(*) FROM residency.evaluation_results AS e WHERE e.session_id = s.id) = 1)
FROM residency.drill_sessions AS s WHERE s.id = ANY (:'ids'::uuid[]);
SQL
)
claims_a=$(py log-sessions "$work/two_a.log" claimed | sort)
claims_b=$(py log-sessions "$work/two_b.log" claimed | sort)
twice=$(comm -12 <(echo "$claims_a") <(echo "$claims_b") | grep -c . || true)
record "two: 6 sessions" "6 COMPLETED with 1 evaluation each, none claimed twice" \
    "$done_count; claimed by A $(grep -c . <<<"$claims_a" || true), by B $(grep -c . <<<"$claims_b" || true), by both $twice" \
    "$(verdict is_true "$done_count == 6 and $twice == 0")"
failed_lines=$( (py log-sessions "$work/two_a.log" failed; py log-sessions "$work/two_b.log" failed) | grep -c . || true)
record "two: failed events" "0" "$failed_lines" "$(verdict [ "$failed_lines" = 0 ])"

# ---- http: an OpenAI-compatible recognizer ----------------------------------
stage "--recognizer http (fake OpenAI-compatible server)"
http_text=$(cat "$here/answers/short.txt")
python3 "$here/servers.py" stt "$work/stt.port" "$work/stt-requests.jsonl" "$http_text" "$(aud duration "$audio/short-170.wav")" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/stt.port" ] && break; sleep 0.1; done
stt_port=$(cat "$work/stt.port")
http_sid=$(submit "$(url_of "$audio/short-170.wav")" "$(aud duration "$audio/short-170.wav")")
run_once http RESIDENCY_WORKER_HTTP_API_KEY=e2e-secret -- \
    --recognizer http --http-url "http://127.0.0.1:$stt_port/v1/audio/transcriptions" --http-model whisper-e2e
s=$(state "$http_sid")
v=fail
[ "$(get "$s" status)" = COMPLETED ] && [ "$(get "$s" speech.transcript)" = "$http_text" ] && v=ok
record "http: session" "COMPLETED, transcript of the server" \
    "$(get "$s" status): \"$(get "$s" speech.transcript | cut -c1-50)...\"$([ -n "$(get "$s" reason)" ] && echo " $(get "$s" reason)")" "$v"
v=fail
[[ "$(get "$s" model_used)" == *whisper-e2e* ]] && v=ok
record "http: model_used, recognizer" "names the http recognizer and whisper-e2e" \
    "$(get "$s" model_used); $(get "$s" speech.recognizer)" "$v"
req=$(tail -n 1 "$work/stt-requests.jsonl" 2>/dev/null || true)
form="path $(get "$req" path); model=$(get "$req" fields.model.0), response_format=$(get "$req" fields.response_format.0), timestamp_granularities[]=$(get "$req" 'fields.timestamp_granularities[].0'), file part $(get "$req" files.0.field) $(get "$req" files.0.bytes) bytes, $(get "$req" headers.Authorization)"
v=fail
[[ "$(get "$req" path)" = /v1/audio/transcriptions && "$(get "$req" fields.model.0)" = whisper-e2e &&
    "$(get "$req" fields.response_format.0)" = verbose_json && "$(get "$req" 'fields.timestamp_granularities[].0')" = word &&
    "$(get "$req" files.0.bytes)" -gt 0 && "$(get "$req" headers.Authorization)" = "Bearer e2e-secret" ]] && v=ok
record "http: the request" "POST /v1/audio/transcriptions; model=whisper-e2e, response_format=verbose_json, timestamp_granularities[]=word, a file part, Bearer key" \
    "$form" "$v"

# the endpoint answers 404: the session fails with "recognizer"
http_fail_sid=$(submit "$(url_of "$audio/short-170.wav")" "$(aud duration "$audio/short-170.wav")")
run_once http_404 -- --recognizer http --http-url "http://127.0.0.1:$stt_port/v1/no-such-endpoint"
s=$(state "$http_fail_sid")
v=fail
[[ "$(get "$s" status)" = FAILED && "$(get "$s" reason)" == "recognizer: "?* ]] && v=ok
record "http: the endpoint answers 404" "FAILED: recognizer: ..." "$(get "$s" status): $(get "$s" reason)" "$v"

# ---- notify: the NOTIFY wakes a waiting worker -------------------------------
stage "NOTIFY residency_evaluation wakes a worker (polling every 60 s)"
record "notify: queue empty before" "0" "$(queue_count)" "$(verdict [ "$(queue_count)" = 0 ])"
# the interval as its variable: this case is about the notification (the
# flags are checked against --help above)
start_bg notify RESIDENCY_WORKER_POLL_INTERVAL_S=60 -- --shutdown-grace-s 120
notify_pid=$bg_pid
if wait_log notify listening 30; then
    t0=$(date +%s.%N)
    notify_sid=$(submit "$(url_of "$audio/short-170.wav")" "$(aud duration "$audio/short-170.wav")")
    while :; do
        st=$(get "$(state "$notify_sid")" status)
        elapsed=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
        { [ "$st" = COMPLETED ] || [ "$st" = FAILED ] || is_true "$elapsed > 20"; } && break
        sleep 0.2
    done
    record "notify: submitted -> evaluated" "COMPLETED within 10 s" "$st after $elapsed s" \
        "$(verdict is_true "'$st' == 'COMPLETED' and $elapsed <= 10")"
else
    record "notify: worker listening" '"event":"listening" within 30 s' "not seen" fail
fi
# SIGTERM while it evaluates the 73 s answer: it finishes that job, then exits 0
term_sid=$(submit "$(url_of "$audio/long.wav")" "$(aud duration "$audio/long.wav")")
if wait_log notify claimed 30 "$term_sid"; then
    kill -TERM "$notify_pid" 2>/dev/null || true
else
    record "notify: worker claimed the 73 s answer" '"event":"claimed" within 30 s' "not seen" fail
    kill -TERM "$notify_pid" 2>/dev/null || true
fi
wait_bounded "$notify_pid" "$run_timeout"
sanitizer_check notify || true
s=$(state "$term_sid")
v=fail
[ "$rc" -eq 0 ] && py log-has "$work/notify.log" stop && [ "$(get "$s" status)" = COMPLETED ] && v=ok
record "notify: SIGTERM during a job" 'the job COMPLETED, exit 0, "event":"stop"' \
    "$(get "$s" status)$([ -n "$(get "$s" reason)" ] && echo ": $(get "$s" reason)"), exit $rc, $(py log-has "$work/notify.log" stop && echo 'stop logged' || echo 'no stop line')" "$v"

# ---- everything ---------------------------------------------------------------
stage "logs and queue"
bad=$(for f in "$work"/*.log; do py log-bad "$f" | sed "s|^|$(basename "$f"): |"; done | head -n 3)
record "logs: every stderr line a JSON object with \"event\"" "yes" "${bad:-yes}" "$(verdict [ -z "$bad" ])"
events=$(cat "$work"/*.log | python3 -c "
import json, sys
seen = set()
for line in sys.stdin:
    try: seen.add(json.loads(line).get('event'))
    except Exception: pass
print(' '.join(sorted(e for e in seen if isinstance(e, str))))")
record "logs: events seen" "start listening claimed completed failed stale stop" "$events" \
    "$(verdict is_true "set('start listening claimed completed failed stale stop'.split()) <= set('$events'.split())")"
left=$(queue_count)
record "queue: nothing left SUBMITTED or PROCESSING" "0" "$left" "$(verdict [ "$left" = 0 ])"

printf '\n==> worker e2e: summary (%s, sanitizers: %s, %d s)\n\n' "$bin" "$sanitized" $((SECONDS - started_at))
{
    printf 'case\texpected\tgot\tresult\n'
    cat "$summary"
} | python3 -c "
import sys
rows = [l.rstrip('\n').split('\t') for l in sys.stdin]
w = [min(60, max(len(r[i]) for r in rows)) for i in range(3)]
def cut(s, n): return s if len(s) <= n else s[:n - 3] + '...'
for r in rows:
    print('  '.join(cut(r[i], w[i]).ljust(w[i]) for i in range(3)) + '  ' + r[3])"
if [ "$failures" -gt 0 ]; then
    printf '\nworker e2e: %d check(s) failed\n' "$failures"
    exit 1
fi
printf '\nworker e2e: all checks passed\n'
