#!/usr/bin/env bash
# Cancel latency (issue 8): how long the longest C++ steps take to stop once
# a cancel arrives, on the largest inputs the limits allow. Run by
# scripts/bench.sh against its cluster (PGHOST... in the environment), in
# database "cancel" (test/bench/cancel_setup.sql). Prints one line per
# workload: name, its full duration, then the worst and median latency of
# statement_timeout (100 ms) and of pg_cancel_backend() (sent 60 ms in), in ms.
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$root"
RUNS=${CANCEL_RUNS:-5}
# not lib.sh's PSQL: the cancelled statements fail on purpose, and \timing is read
PSQL=(psql -X -q -d cancel)

declare -A WORK=(
    [validate]="SELECT residency.check_pack_text(pack, false) IS NOT NULL FROM big"
    [store]="INSERT INTO residency.content_packs (version, name, content, uploaded_by) SELECT '1.0.0', 'Largest', content, '00000000-0000-0000-0000-0000000000a1' FROM big"
    [upload]="SELECT set_config('request.jwt.claims', '{\"sub\": \"00000000-0000-0000-0000-0000000000a1\"}', true); SELECT (residency_api.upload_content_pack(pack)).status FROM big"
)

# psql's \timing of the last statement of a transaction that is rolled back
timed() {  # sql [settings] -> ms
    printf '\\timing on\nBEGIN;\n%s\n%s;\nROLLBACK;\n' "${2:-}" "$1" | "${PSQL[@]}" 2>&1 |
        awk '/^Time:/ {p = t; t = $2} END {print p}'
}
stats() { sort -n | awk '{a[NR] = $1} END {printf "%.1f %.1f", a[NR], a[int((NR + 1) / 2)]}'; }

for name in validate store upload; do
    sql=${WORK[$name]}
    full=$(for i in $(seq 3); do timed "$sql"; done | sort -n | sed -n 2p)
    timeout_lat=$(for i in $(seq "$RUNS"); do
        t=$(timed "$sql" "SET LOCAL statement_timeout = 100;")
        awk -v t="$t" 'BEGIN {print t - 100}'
    done | stats)
    cancel_lat=$(for i in $(seq "$RUNS"); do
        out=$(mktemp)
        (printf '\\timing on\nSET application_name = cancel_target;\nBEGIN;\n%s;\nROLLBACK;\n' "$sql" |
            "${PSQL[@]}" >"$out" 2>&1) &
        bg=$!
        sent=$("${PSQL[@]}" -At -c "
            DO \$\$ BEGIN
                WHILE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'cancel_target'
                                  AND state = 'active' AND query NOT LIKE 'SET%'
                                  AND clock_timestamp() - query_start > interval '60 ms') LOOP
                    PERFORM pg_sleep(0.002);
                    PERFORM pg_stat_clear_snapshot();
                END LOOP;
            END \$\$;" \
            -c "SELECT 1000 * extract(epoch FROM clock_timestamp() - query_start), pg_cancel_backend(pid)
                FROM pg_stat_activity WHERE application_name = 'cancel_target' AND state = 'active'" | cut -d'|' -f1)
        wait "$bg" || true
        t=$(awk '/^Time:/ {p = t; t = $2} END {print p}' "$out")
        rm -f "$out"
        awk -v t="$t" -v s="$sent" 'BEGIN {print t - s}'
    done | stats)
    echo "$name $full $timeout_lat $cancel_lat"
done
