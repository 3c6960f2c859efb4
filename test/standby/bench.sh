#!/usr/bin/env bash
# Read replicas under load (make bench-standby; docs/scaling.md, "Read
# replicas, measured"). Not a test: it prints figures and asserts none.
#
# A primary filled by test/bench/b4_setup.sql (40 BASIC candidates with 25
# drills each, the bundled pack) and a streaming hot standby of it
# (pg_basebackup -R), both on this machine. The reads are the GETs of A8
# (test/bench/read_*.sql: questions, my_sessions and my_evaluations newest
# 20, my_entitlement), one PostgREST-shaped READ ONLY transaction each,
# picked at random, pgbench -M prepared, 2 clients. Four runs of
# BENCH_STANDBY_SECONDS (10) each:
#   1. reads on the primary, nothing else
#   2. reads on the standby, nothing else
#   3. B4's drills (test/bench/b4_drill.sql, 2 clients) on the primary alone
#   4. B4 on the primary and, at the same time, the reads on the standby
#   5. B4 on the primary and, at the same time, the reads on the primary
# During 4 the primary's pg_stat_replication is sampled every 0.5 s:
# replay_lag and the bytes of WAL the standby has not replayed yet.
#
# Needs the extension installed (make install). The clusters take ports
# BENCH_STANDBY_PORT (54422) and the next, and are removed on exit; the
# report is also written to bench-results/standby.md.
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$root"

seconds=${BENCH_STANDBY_SECONDS:-10}
base=/tmp/residency-standby-bench-$$
primary_port=${BENCH_STANDBY_PORT:-54422}
standby_port=$((primary_port + 1))
P="host=$base/primary/sock port=$primary_port user=postgres dbname=b4"
S="host=$base/standby/sock port=$standby_port user=postgres dbname=b4"
cleanup() {
    RESIDENCY_CLUSTER_DIR=$base/standby scripts/cluster.sh stop
    RESIDENCY_CLUSTER_DIR=$base/primary scripts/cluster.sh stop
    rm -rf "$base/runs"
    rmdir "$base" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$base/runs"
chmod 755 "$base"

step "primary (b4_setup.sql) and standby"
RESIDENCY_CLUSTER_DIR=$base/primary RESIDENCY_PORT=$primary_port scripts/cluster.sh start >/dev/null
"${PSQL[@]}" -d "${P/dbname=b4/dbname=postgres}" -c "CREATE DATABASE b4"
"${PSQL[@]}" -d "$P" -v pack="$(cat packs/default.json)" -f test/bench/b4_setup.sql >/dev/null
RESIDENCY_CLUSTER_DIR=$base/standby RESIDENCY_PORT=$standby_port \
    scripts/cluster.sh standby "$base/primary" "$primary_port" >/dev/null
lsn=$("${PSQL[@]}" -d "$P" -c "SELECT pg_current_wal_insert_lsn()")
until [ "$("${PSQL[@]}" -d "$S" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do sleep 0.2; done
"${PSQL[@]}" -d "$S" -c "SELECT count(*) FROM residency.evaluation_results" |
    xargs printf '  the standby has replayed the setup: %s evaluations\n'

reads=()
for f in "$root"/test/bench/read_*.sql; do reads+=(-f "$f"); done
# run NAME CONN SCRIPT...: pgbench for $seconds s, 2 clients; prints
# "tps p50 p95" (ms, from the per-transaction log) and keeps the output
run() {
    local name=$1 conn=$2 dir=$base/runs/$1
    shift 2
    mkdir -p "$dir"
    (cd "$dir" && pgbench -n -M prepared -c 2 -j 1 -T "$seconds" -l --log-prefix=tx "$@" "$conn" >out 2>&1) ||
        { cat "$dir/out" >&2; die "pgbench $name failed"; }
    if grep -qE "aborted|number of failed transactions: [1-9]" "$dir/out"; then
        cat "$dir/out" >&2
        die "pgbench $name: transactions failed"
    fi
    local tps
    tps=$(awk '/^tps/ {printf "%.0f", $3}' "$dir/out")
    cat "$dir"/tx* | awk '{print $3}' | sort -n | awk -v tps="$tps" '{a[NR] = $1}
        END {printf "%s %.2f %.2f\n", tps, a[int(NR * 0.50)] / 1000, a[int(NR * 0.95)] / 1000}'
}
# sample_lag: every 0.5 s until killed, "replay_lag_ms bytes_behind"
sample_lag() {
    while :; do
        "${PSQL[@]}" -F' ' -d "${P/dbname=b4/dbname=postgres}" -c "
            SELECT coalesce(round(extract(epoch FROM replay_lag) * 1000, 1), 0),
                   pg_wal_lsn_diff(pg_current_wal_insert_lsn(), replay_lsn)
            FROM pg_stat_replication" 2>/dev/null || true
        sleep 0.5
    done
}

step "1. reads on the primary alone"
read -r r1 r1_p50 r1_p95 < <(run reads-primary "$P" "${reads[@]}")
step "2. reads on the standby alone"
read -r r2 r2_p50 r2_p95 < <(run reads-standby "$S" "${reads[@]}")
step "3. B4 drills on the primary alone"
read -r d3 d3_p50 d3_p95 < <(run drills-alone "$P" -f "$root/test/bench/b4_drill.sql")
step "4. B4 on the primary, reads on the standby"
sample_lag >"$base/runs/lag" &
sampler=$!
run drills-with-standby-reads "$P" -f "$root/test/bench/b4_drill.sql" >"$base/runs/d4" &
drills=$!
read -r r4 r4_p50 r4_p95 < <(run reads-standby-under-drills "$S" "${reads[@]}")
wait "$drills"
kill "$sampler"
wait "$sampler" 2>/dev/null || true
read -r d4 d4_p50 d4_p95 <"$base/runs/d4"
read -r lag_med lag_max bytes_max < <(sort -n "$base/runs/lag" | awk '{l[NR] = $1; if ($2 > b) b = $2}
    END {printf "%.1f %.1f %d\n", l[int((NR + 1) / 2)], l[NR], b}')
lag_samples=$(wc -l <"$base/runs/lag")
step "5. B4 on the primary, reads on the primary"
run drills-with-primary-reads "$P" -f "$root/test/bench/b4_drill.sql" >"$base/runs/d5" &
drills=$!
read -r r5 r5_p50 r5_p95 < <(run reads-primary-under-drills "$P" "${reads[@]}")
wait "$drills"
read -r d5 d5_p50 d5_p95 <"$base/runs/d5"
per_script=$(awk '/^SQL script/ {name = $4} /latency average/ && name {sub(/.*\/read_/, "", name); sub(/\.sql$/, "", name); printf "%s %s ms; ", name, $5; name = ""}' \
    "$base/runs/reads-standby/out")

mkdir -p bench-results
{
    echo "## Read replicas ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $("${PSQL[@]}" -d "$P" -c 'SHOW server_version'))"
    echo
    echo "pgbench -M prepared, 2 clients each, ${seconds} s per run; reads: the four GETs of test/bench/read_*.sql at random; drills: B4 (b4_drill.sql). Both clusters and pgbench share the machine."
    echo
    echo "| run | reads/s (p50 / p95 ms) | drills/s (p50 / p95 ms) |"
    echo "|---|---|---|"
    echo "| 1. reads on the primary alone | $r1 ($r1_p50 / $r1_p95) | |"
    echo "| 2. reads on the standby alone | $r2 ($r2_p50 / $r2_p95) | |"
    echo "| 3. drills on the primary alone | | $d3 ($d3_p50 / $d3_p95) |"
    echo "| 4. drills on the primary, reads on the standby | $r4 ($r4_p50 / $r4_p95) | $d4 ($d4_p50 / $d4_p95) |"
    echo "| 5. drills and reads on the primary | $r5 ($r5_p50 / $r5_p95) | $d5 ($d5_p50 / $d5_p95) |"
    echo
    echo "Replay lag during run 4 ($lag_samples samples of pg_stat_replication): replay_lag median $lag_med ms, max $lag_max ms; WAL not yet replayed at most $bytes_max bytes."
    echo
    echo "Latency per GET on the standby alone (run 2): $per_script"
} | tee bench-results/standby.md
