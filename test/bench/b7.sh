#!/usr/bin/env bash
# B7: the evaluation worker (residency-worker, docs/worker.md) on 60-second
# spoken answers, with its embedded recognizer (PocketSphinx):
#
#   1. one worker, one job at a time (--concurrency 1), BENCH_B7_RUNS answers
#      (default 10) submitted one after the other, each when the previous one
#      is evaluated: the recognition real-time factor per core (the
#      evaluation's processing_time_ms over the recording's length: fetch,
#      decode, recognition and scoring), and the latency SUBMITTED ->
#      COMPLETED (completed_at - submitted_at) as a candidate sees it, woken by
#      NOTIFY; also the worker process's CPU time per second of audio
#      (/proc/PID/stat, from "listening" to the last evaluation)
#   2. two workers (one job at a time each) and BENCH_B7_N answers (default 8)
#      submitted at once: answers per minute, from the first submission to the
#      last evaluation
#
# The answer is test/bench/b7_answer.txt (202 words) spoken by espeak-ng
# (en-us+klatt2, the voice of the end-to-end test) at -s 168: 60.6 s. Run by scripts/bench.sh against its cluster, or alone:
#
#   eval "$(scripts/cluster.sh env)"; test/bench/b7.sh
#
# Needs PGHOST/PGPORT/PGUSER of a superuser, espeak-ng, python3 and the
# worker (make worker: build-worker/residency-worker, or BENCH_B7_WORKER).
# Creates database b7 and role b7_worker, drops both at the end
# (BENCH_B7_KEEP=1 keeps the workers' logs). Prints one
# line: answer_s runs rtf_median rtf_worst recognition_rtf_median cpu_rtf
# latency_p50_s latency_p95_s n_answers answers_per_minute; the details go
# to stderr.
. "$(dirname "$0")/../../scripts/lib.sh"
e2e=$root/test/worker/e2e
bin=${BENCH_B7_WORKER:-$root/${WORKER_BUILD:-build-worker}/residency-worker}
RUNS=${BENCH_B7_RUNS:-10}
N=${BENCH_B7_N:-8}
db=b7
login=b7_worker
[ -x "$bin" ] || { echo "b7: $bin is missing (make worker)" >&2; exit 1; }
while read -r name; do unset "$name"; done < <(compgen -e | grep '^RESIDENCY_WORKER_' || true)

work=$(mktemp -d /tmp/b7.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres \
        -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $login" >/dev/null 2>&1 || true
    if [ "${BENCH_B7_KEEP:-0}" = 1 ]; then echo "b7: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
say() { echo "b7: $*" >&2; }

sql() { "${PSQL[@]}" -d "$db" "$@"; }  # lib.sh's sql, on the benchmark's database
PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d postgres \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $login" -c "CREATE DATABASE $db"
AUTHOR=b7000000-0000-4000-8000-000000000000
CANDIDATE=b7000000-0000-4000-8000-000000000001
sql -v pack64="$(base64 -w0 "$root/packs/default.json")" -v author="$AUTHOR" -v candidates="$CANDIDATE" \
    -v as_author="$(as_user "$AUTHOR")" -v as_service="$(as_postgrest service_role)" -f "$e2e/setup.sql"
"${PSQL[@]}" -d postgres -c "CREATE ROLE $login LOGIN" -c "GRANT service_role TO $login" \
    -c "ALTER DATABASE $db SET residency.allow_file_audio_urls = on"
worker_env=(PGHOST="${PGHOST:-}" PGPORT="${PGPORT:-5432}" PGUSER="$login" PGDATABASE="$db")

espeak-ng -v en-us+klatt2 -s 168 -w "$work/answer.wav" -f "$root/test/bench/b7_answer.txt"
answer_s=$(python3 "$e2e/audio.py" duration "$work/answer.wav")

# file:// when rule R2 takes it, else served over http://127.0.0.1
url="file://$work/answer.wav"
if ! sql -v url="$url" >/dev/null 2>&1 <<SQL; then
BEGIN;
$(as_user "$CANDIDATE")
SELECT id AS sid FROM residency_api.start_drill('conf-nurse-conflict') \gset
SELECT count(*) FROM residency_api.submit_response(session_id => :'sid', audio_url => :'url', audio_duration_s => 1);
ROLLBACK;
SQL
    python3 "$e2e/servers.py" files "$work" "$work/files.port" &
    pids+=($!)
    for _ in $(seq 50); do [ -s "$work/files.port" ] && break; sleep 0.1; done
    url="http://127.0.0.1:$(cat "$work/files.port")/answer.wav"
fi
say "answer ${answer_s} s at $url; worker $bin"

# submit COUNT: COUNT drills of the answer, one transaction each for start_drill
# and submit_response (as PostgREST runs them), in one psql session
submit() {
    local i
    for ((i = 0; i < $1; i++)); do
        cat "$root/test/worker/e2e/submit_recording.sql"
    done | sql -v as_candidate="$(as_user "$CANDIDATE")" -v url="$url" -v duration="$answer_s"
}
pending() { sql -c "SELECT count(*) FROM residency.drill_sessions WHERE status IN ('SUBMITTED', 'PROCESSING')"; }
wait_done() {  # SECONDS: until nothing is pending
    local deadline=$((SECONDS + $1))
    while [ "$(pending)" != 0 ]; do
        [ "$SECONDS" -ge "$deadline" ] && { say "timed out waiting for the evaluations"; exit 1; }
        sleep 0.1
    done
}
start_worker() {  # NAME: a long-running worker, one job at a time; sets $wpid once it listens
    # (the poll interval by its variable, which the flag's spelling does not change)
    env "${worker_env[@]}" RESIDENCY_WORKER_POLL_INTERVAL_S=60 "$bin" --concurrency 1 >/dev/null 2>"$work/$1.log" &
    wpid=$!
    pids+=("$wpid")
    local deadline=$((SECONDS + 60))
    until python3 "$e2e/check.py" log-has "$work/$1.log" listening; do
        if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$wpid" 2>/dev/null; then
            say "$1 never listened:"; cat "$work/$1.log" >&2; exit 1
        fi
        sleep 0.1
    done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
stop_worker() { kill -TERM "$1"; wait "$1" || { say "worker exit status $?"; exit 1; }; }

# ---- 1. one worker, one answer at a time ------------------------------------
start_worker single
cpu0=$(cpu_ticks "$wpid")
sids=()
for ((r = 1; r <= RUNS; r++)); do
    sids+=("$(submit 1)")
    wait_done 300
done
cpu1=$(cpu_ticks "$wpid")
stop_worker "$wpid"
failed=$(sql -c "SELECT count(*) FROM residency.drill_sessions WHERE status <> 'COMPLETED'")
[ "$failed" = 0 ] || { say "$failed session(s) not COMPLETED:"; sql -c "SELECT status, metadata FROM residency.drill_sessions WHERE status <> 'COMPLETED'" >&2; exit 1; }
single=$(sql -c "
    SELECT round(e.processing_time_ms / 1000.0 / e.duration_s, 4), round(extract(epoch FROM s.completed_at - s.submitted_at)::numeric, 3)
    FROM residency.drill_sessions AS s JOIN residency.evaluation_results AS e ON e.session_id = s.id
    ORDER BY s.submitted_at" | tr '|' ' ')
say "one worker: real-time factor and latency (s) of each answer: $(tr '\n' ';' <<<"$single")"
read -r rtf_median rtf_worst lat_p50 lat_p95 < <(python3 - "$single" <<'PY'
import math, statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.argv[1].splitlines() if l.strip()]
rtf = sorted(r[0] for r in rows)
lat = sorted(r[1] for r in rows)
rank = lambda xs, p: xs[max(0, math.ceil(p * len(xs)) - 1)]  # nearest rank
print(f"{statistics.median(rtf):.3f} {rtf[-1]:.3f} {statistics.median(lat):.1f} {rank(lat, 0.95):.1f}")
PY
)
cpu_rtf=$(python3 -c "print(f'{($cpu1 - $cpu0) / $(getconf CLK_TCK) / ($RUNS * $answer_s):.3f}')")
# recognition alone: the "completed" lines' recognizer_ms over the duration
rec_rtf=$(python3 - "$work/single.log" <<'PY'
import json, statistics, sys
r = []
for line in open(sys.argv[1]):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("event") == "completed" and o.get("recognizer_ms") and o.get("duration_s"):
        r.append(o["recognizer_ms"] / 1000 / o["duration_s"])
print(f"{statistics.median(r):.3f}" if r else "n/a")
PY
)

# ---- 2. two workers, a queue of N -------------------------------------------
start_worker a
pid_a=$wpid
start_worker b
pid_b=$wpid
t_start=$(sql -c "SELECT clock_timestamp()")
submit "$N" >/dev/null
wait_done 900
stop_worker "$pid_a"
stop_worker "$pid_b"
read -r done_n span_s < <(sql -v t="$t_start" -F ' ' <<'SQL'
SELECT count(*) FILTER (WHERE status = 'COMPLETED'),
       round(extract(epoch FROM max(completed_at) - min(submitted_at))::numeric, 1)
FROM residency.drill_sessions WHERE submitted_at >= :'t'::timestamptz;
SQL
)
[ "$done_n" = "$N" ] || { say "two workers: $done_n of $N COMPLETED"; exit 1; }
per_minute=$(python3 -c "print(f'{$N * 60 / $span_s:.1f}')")
say "two workers: $N answers in $span_s s"

echo "$answer_s $RUNS $rtf_median $rtf_worst $rec_rtf $cpu_rtf $lat_p50 $lat_p95 $N $per_minute"
