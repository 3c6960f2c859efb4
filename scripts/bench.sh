#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md (make bench). Runs on its own throwaway
# cluster and prints a Markdown report (also written to bench-results/).
#
#   B1  rules cost of a full drill: rules vs identical tables without triggers
#       - server CPU per drill (one function call per drill, no round trips)
#       - client view: pgbench, one client, the drill as separate statements
#   B2  the built-in scorer on 300-word answers: in-process (Google
#       Benchmark) and through SQL (residency.score over a table of answers)
#   B3  a 2,000-question pack: validate + checksum + question rows vs storing
#       the same pack and rows with no validation
#   B4  the drill API under load: pgbench, 4 clients, PostgREST-shaped
#       transactions (role + JWT claims, start_drill, submit_and_evaluate)
#   B5  residency_api.my_evaluations for one user among 1,000,000 evaluations
#   B6  a Stripe webhook delivery: signature verified, event recorded and
#       applied (rule U2, the cache), server CPU per delivery
#   cancel latency: statement_timeout and pg_cancel_backend() against the
#       longest C++ steps on an 8 MB pack (test/bench/cancel_latency.sh)
#   B7  the evaluation worker (build-worker/residency-worker, PocketSphinx) on
#       60-second spoken answers: recognition real-time factor per core,
#       latency SUBMITTED -> COMPLETED with one worker, answers per minute
#       with two (test/bench/b7.sh)
#
# CPU time is the backend's own (from /proc/self/stat), which other load on
# the machine barely changes; wall-clock figures come from pgbench.
. "$(dirname "$0")/lib.sh"
cd "$root"

ROUNDS=${BENCH_ROUNDS:-7}
B1_N=${BENCH_B1_N:-3000}
B3_N=${BENCH_B3_N:-10}
PGBENCH_S=${BENCH_PGBENCH_SECONDS:-15}

scripts/setup.sh >/dev/null
make -s -j"$(nproc)"
sudo_if_needed make -s install
make -s worker
export RESIDENCY_CLUSTER_DIR=${RESIDENCY_CLUSTER_DIR:-/tmp/residency-bench-$$}
cluster_start
trap cluster_stop EXIT

"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench"
"${PSQL[@]}" -d bench -v pack="$(cat packs/default.json)" -f test/bench/setup.sql
"${PSQL[@]}" -d bench -c "SELECT bare.cpu_us_per_call('bare.drill_rules', 1000), bare.cpu_us_per_call('bare.drill_bare', 1000)" -c "ANALYZE" >/dev/null

mkdir -p bench-results
report=bench-results/report.md
summary() {  # fn_rules fn_bare rounds n
    "${PSQL[@]}" -At -F ' ' -d bench -c "
        SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY rules_us)::numeric, 1),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY bare_us)::numeric, 1),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY rules_us / bare_us)::numeric, 3),
               round(min(rules_us / bare_us)::numeric, 3), round(max(rules_us / bare_us)::numeric, 3)
        FROM bare.rounds('$1', '$2', $3, $4)"
}

read -r b1_rules b1_bare b1_ratio b1_min b1_max < <(summary bare.drill_rules bare.drill_bare "$ROUNDS" "$B1_N")

tps_of() { pgbench -n -M prepared -c 1 -T "$PGBENCH_S" -f "test/bench/$1.sql" bench 2>&1 | awk '/^tps/ {print $3}'; }
lat_rules=(); lat_bare=()
for r in 1 2 3; do
    t=$(tps_of b1_rules); lat_rules+=("$(awk -v t="$t" 'BEGIN {printf "%.1f", 1e6 / t}')")
    t=$(tps_of b1_bare); lat_bare+=("$(awk -v t="$t" 'BEGIN {printf "%.1f", 1e6 / t}')")
done
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
c_rules=$(median3 "${lat_rules[@]}"); c_bare=$(median3 "${lat_bare[@]}")
c_ratio=$(awk -v a="$c_rules" -v b="$c_bare" 'BEGIN {printf "%.3f", a / b}')

read -r b3_rules b3_bare b3_ratio b3_min b3_max < <(summary bare.pack_rules bare.pack_bare "$ROUNDS" "$B3_N")

# B2 in-process: Google Benchmark, one core
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRESIDENCY_BENCH=ON -DRESIDENCY_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target residency_bench >/dev/null
build-bench/residency_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_format=json >bench-results/b2.json 2>/dev/null
b2_rate() {  # benchmark name -> median answers per second
    python3 -c "import json,sys; d=json.load(open('bench-results/b2.json'));
print(round([b['items_per_second'] for b in d['benchmarks'] if b['name']==sys.argv[1]+'_median'][0]))" "$1"
}
b2_spoken=$(b2_rate BM_Score300/spoken:1); b2_typed=$(b2_rate BM_Score300/spoken:0)
b2_tokenize=$(b2_rate BM_Tokenize300); b2_json=$(b2_rate BM_Score300Json)
# B2 through SQL: backend CPU per answer over 2,000 answers, median of 3
b2_sql_us=$("${PSQL[@]}" -At -d bench -c "SELECT bare.b2_sql_us(2000)" -c "SELECT bare.b2_sql_us(2000)" -c "SELECT bare.b2_sql_us(2000)" | sort -n | sed -n 2p)
b2_sql=$(awk -v us="$b2_sql_us" 'BEGIN {printf "%.0f", 1e6 / us}')
b2_sql_us=$(awk -v us="$b2_sql_us" 'BEGIN {printf "%.1f", us}')
pack_kb=$("${PSQL[@]}" -At -d bench -c "SELECT octet_length(body) / 1024 FROM bare.pack_source WHERE n = 2000")

# B6: Stripe webhook deliveries, server CPU per delivery over 2,000 customers:
# a subscription's first event, upgrades (BASIC -> PRO) and downgrades (PRO ->
# LOCKED -> BASIC), median of 3 rounds each, and a redelivery
"${PSQL[@]}" -At -d bench -f test/bench/b6_setup.sql >/dev/null
b6_round() { "${PSQL[@]}" -At -d bench -c "SELECT round(bare.b6_us(2000, $1))"; }
b6_created=$(b6_round 1)
b6_ups=(); b6_downs=()
for r in 2 4 6; do  # in order: each upgrade follows a downgrade
    b6_ups+=("$(b6_round "$r")"); b6_downs+=("$(b6_round $((r + 1)))")
done
b6_up=$(median3 "${b6_ups[@]}"); b6_down=$(median3 "${b6_downs[@]}")
b6_again=$(b6_round 7)
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }

# B4: drills per second and latency percentiles of whole drills (both requests).
# PostgREST prepares its statements (db-prepared-statements, on by default):
# -M prepared is the headline; -M extended is a PostgREST with it switched off.
"${PSQL[@]}" -d postgres -c "CREATE DATABASE b4"
"${PSQL[@]}" -At -d b4 -v pack="$(cat packs/default.json)" -f test/bench/b4_setup.sql >/dev/null
b4_run() {  # protocol -> "tps p50 p95 p99"
    local log tps
    log=$(mktemp -d)
    tps=$( (cd "$log" && pgbench -n -M "$1" -c 4 -j 2 -T "${BENCH_B4_SECONDS:-30}" -l --log-prefix=b4 \
        -f "$OLDPWD/test/bench/b4_drill.sql" b4 2>&1) | awk '/^tps/ {printf "%.0f", $3}')
    cat "$log"/b4* | awk '{print $3}' | sort -n | awk -v tps="$tps" '{a[NR] = $1}
        END {printf "%s %.1f %.1f %.1f\n", tps, a[int(NR * 0.50)] / 1000, a[int(NR * 0.95)] / 1000, a[int(NR * 0.99)] / 1000}'
    rm -rf "$log"
}
read -r b4_tps b4_p50 b4_p95 b4_p99 < <(b4_run prepared)
read -r b4x_tps b4x_p50 b4x_p95 b4x_p99 < <(b4_run extended)

# B5: execution time of the RLS read, median of 11 runs, and its plan
"${PSQL[@]}" -d postgres -c "CREATE DATABASE b5"
"${PSQL[@]}" -d b5 -v pack="$(cat packs/default.json)" -f test/bench/b5_setup.sql >/dev/null
b5_runs=$(for i in $(seq 11); do psql -X -q -At -d b5 -f test/bench/b5_query.sql | python3 -c "
import json, sys
print(json.loads(sys.stdin.read())[0]['Execution Time'])"; done | sort -n)
b5_ms=$(sed -n 6p <<<"$b5_runs")
b5_plan=$(psql -X -q -At -d b5 -f test/bench/b5_query.sql | python3 -c "
import json, sys
def walk(n, out):
    out.append(n['Node Type'] + (' on ' + n['Index Name'] if 'Index Name' in n else '')
               + (' (InitPlan)' if n.get('Subplan Name', '').startswith('InitPlan') else ''))
    for c in n.get('Plans', []):
        walk(c, out)
    return out
print(' > '.join(dict.fromkeys(walk(json.loads(sys.stdin.read())[0]['Plan'], []))))")

# Cancel latency on the largest pack the limits allow (target: within 50 ms)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE cancel"
"${PSQL[@]}" -d cancel -f test/bench/cancel_setup.sql >/dev/null
cancel_rows=$(test/bench/cancel_latency.sh | awk '{
    printf "| cancel | %s an 8 MB pack (%.0f ms in full) | statement_timeout: worst %s ms, median %s ms; pg_cancel_backend: worst %s ms, median %s ms (of 5 each) | | | <= 50 ms |\n", \
        ($1 == "validate" ? "check_pack_text() on" : $1 == "store" ? "INSERT (rules P1-P3, P7) of" : "upload_content_pack() of"), $2, $3, $4, $5, $6}')

# B7: the evaluation worker on 60-second answers (test/bench/b7.sh, its own database)
read -r b7_answer b7_runs b7_rtf b7_rtf_worst b7_rec b7_cpu b7_p50 b7_p95 b7_n b7_rate < <(test/bench/b7.sh)

{
    echo "Benchmarks of $(git rev-parse --short HEAD 2>/dev/null || echo 'a work tree') on $(date -u +%Y-%m-%d)"
    echo "($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(psql -X -At -d bench -c 'SHOW server_version'))"
    echo
    echo "| # | what | with rules | without | ratio (median of $ROUNDS; min-max) | target |"
    echo "|---|---|---|---|---|---|"
    echo "| B1 | full drill, server CPU per drill | ${b1_rules} µs | ${b1_bare} µs | ${b1_ratio} (${b1_min}-${b1_max}) | <= 1.15 |"
    echo "| B1 | full drill, pgbench 1 client, latency per drill | ${c_rules} µs | ${c_bare} µs | ${c_ratio} (median of 3) | <= 1.15 |"
    echo "| B2 | scorer in-process, 300-word spoken answer | ${b2_spoken} answers/s | | | >= 100000/s |"
    echo "| B2 | scorer in-process, 300-word typed answer | ${b2_typed} answers/s | | | >= 100000/s |"
    echo "| B2 | ... with the JSON text of the result | ${b2_json} answers/s | | | |"
    echo "| B2 | tokenizer alone, 300 words | ${b2_tokenize} answers/s | | | |"
    echo "| B2 | residency.score() through SQL, backend CPU | ${b2_sql} answers/s (${b2_sql_us} µs) | | | >= 20000/s |"
    echo "| B3 | ${pack_kb} kB pack of 2,000 questions, server CPU | $(awk -v x="$b3_rules" 'BEGIN {printf "%.1f", x / 1000}') ms | $(awk -v x="$b3_bare" 'BEGIN {printf "%.1f", x / 1000}') ms | ${b3_ratio} (${b3_min}-${b3_max}) | <= 1.25 |"
    echo "| B4 | drill API, pgbench 4 clients, PostgREST-shaped (2 requests per drill), prepared statements | ${b4_tps} drills/s; latency per drill p50 ${b4_p50} ms, p95 ${b4_p95} ms, p99 ${b4_p99} ms | | | p95 <= 10 ms |"
    echo "| B4 | ... without prepared statements (db-prepared-statements = false) | ${b4x_tps} drills/s; latency per drill p50 ${b4x_p50} ms, p95 ${b4x_p95} ms, p99 ${b4x_p99} ms | | | |"
    echo "| B5 | my_evaluations, last 20 of one user among 1,000,000 | ${b5_ms} ms (median of 11) | | | <= 1 ms, index scan with InitPlan |"
    echo "| B6 | Stripe webhook, a subscription's first event (LOCKED -> BASIC), server CPU | $(ms "$b6_created") ms | | | <= 0.5 ms |"
    echo "| B6 | ... an upgrade (BASIC -> PRO) | $(ms "$b6_up") ms (median of 3 rounds) | | | <= 0.5 ms |"
    echo "| B6 | ... a downgrade (PRO -> LOCKED -> BASIC, two U2 steps) | $(ms "$b6_down") ms (median of 3 rounds) | | | <= 0.5 ms |"
    echo "| B6 | ... a redelivery (verified, answered from the record) | $(ms "$b6_again") ms | | | |"
    printf '%s\n' "$cancel_rows"
    echo "| B7 | worker, ${b7_answer} s answer, processing time / audio time, one job at a time (PocketSphinx) | ${b7_rtf} (median of ${b7_runs}; worst ${b7_rtf_worst}); recognition alone ${b7_rec}; worker CPU ${b7_cpu} s per audio s | | | <= 0.25 |"
    echo "| B7 | ... latency SUBMITTED -> COMPLETED, one worker | p50 ${b7_p50} s, p95 ${b7_p95} s (${b7_runs} answers) | | | p95 <= 20 s |"
    echo "| B7 | ... throughput, two workers, one job at a time each | ${b7_rate} answers/min (${b7_n} answers) | | | |"
    echo
    echo "B5 plan: $b5_plan"
} | tee "$report"
