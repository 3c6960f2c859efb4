#!/usr/bin/env bash
# Runs every test layer of residency on a fresh Debian 12 machine:
#   1. installs what is missing (scripts/setup.sh; root or sudo)
#   2. checks the C++ formatting (.clang-format), builds the extension
#      (PGXS, warnings are errors) and installs it, with the test-only
#      modules (test/modules: residency_test) that make installcheck needs
#   3. builds the pure core with CMake and runs its unit and golden tests
#      (CTest), then each libFuzzer target (scorer, content pack, Stripe
#      webhook) for a short smoke run
#   4. starts a throwaway cluster (scripts/cluster.sh) and runs
#      plpgsql_check over every PL/pgSQL function (test/lint, in a cluster of
#      its own that preloads pg_cron), pg_regress and the isolation specs
#      (make installcheck), the pgTAP security matrix, the contract check,
#      the dump/restore test, the upgrade from 1.0 (test/upgrade: ALTER
#      EXTENSION UPDATE against a fresh install, schema and data), the
#      scheduled upkeep under pg_cron (test/cron, in a cluster of its own
#      that preloads pg_cron), read replicas (test/standby: a streaming hot
#      standby answers every read as the primary does and refuses every
#      write with 25006; then a failover), the evaluation worker end to end
#      (test/worker/e2e: recordings through the queue, its ASan/UBSan build,
#      built with the release build beforehand and its unit tests run)
#   5. checks the server log: no backend may have died from a signal
#   6. make sanitize (scripts/sanitize.sh): the extension built with ASan
#      and UBSan, pg_regress and the isolation specs again in a private
#      server tree on a cluster of its own; zero sanitizer reports
#   7. in CI (CI=true), the README's first command on a fresh Debian 12 with
#      only git: a throwaway debootstrap --variant=minbase root (test/fresh)
#   8. stops the cluster
# On failure it prints regression.diffs and the end of the server log.
. "$(dirname "$0")/lib.sh"
cd "$root"

step "dependencies"
scripts/setup.sh

step "format (clang-format with .clang-format)"
find src test \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z |
    xargs -0 clang-format --style=file --dry-run --Werror

step "build and install the extension, and the test-only modules"
make -s -j"$(nproc)"
sudo_if_needed make -s install
sudo_if_needed make -s install-test-modules

step "unit and golden tests of the core (CMake + GoogleTest)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure --no-tests=error

step "fuzz smoke run (libFuzzer, ${FUZZ_SECONDS:=30} s per target)"
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DRESIDENCY_FUZZ=ON -DRESIDENCY_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_scorer fuzz_content_pack fuzz_stripe
for target in fuzz_scorer fuzz_content_pack fuzz_stripe; do
    corpus=$(mktemp -d)
    cp -r "test/fuzz/corpus/${target#fuzz_}/." "$corpus/"
    # a crash writes crash-* and exits non-zero; keep it in build-fuzz/ for the report
    (cd build-fuzz && "./$target" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 "$corpus" 2>&1 |
        grep -E "^(Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)") ||
        { echo "FAILED: $target found a crash (build-fuzz/crash-*)"; exit 1; }
    rm -rf "$corpus"
done

step "build the evaluation worker (make worker), and its ASan/UBSan build with its unit tests"
make -s worker
cmake -S . -B build-worker-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESIDENCY_WORKER=ON -DRESIDENCY_WORKER_SANITIZE=ON >/dev/null
cmake --build build-worker-asan -j"$(nproc)" --target residency-worker residency_worker_tests
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 ctest --test-dir build-worker-asan -L worker --output-on-failure --no-tests=error

step "throwaway cluster"
export RESIDENCY_CLUSTER_DIR=${RESIDENCY_CLUSTER_DIR:-/tmp/residency-test-$$}
cluster_start
trap cluster_stop EXIT

on_failure() {
    echo
    echo "==> FAILED: $1"
    for f in regression.diffs output_iso/regression.diffs; do
        if [ -s "$f" ]; then echo "---- $f"; cat "$f"; fi
    done
    if [ -f "$RESIDENCY_SERVER_LOG" ]; then
        echo "---- server log (last 200 lines): $RESIDENCY_SERVER_LOG"
        tail -n 200 "$RESIDENCY_SERVER_LOG"
    fi
    exit 1
}

step "plpgsql_check: every PL/pgSQL function, every warning class (its own cluster, with pg_cron)"
test/lint/plpgsql_check.sh || on_failure "plpgsql_check"

step "pg_regress and isolation specs"
make -s installcheck || on_failure "make installcheck"

step "pgTAP: the row level security and grants matrix"
test/pgtap/run.sh || on_failure "pgTAP"

step "contract check"
contract=${RESIDENCY_CONTRACT_CHECK:-$root/../shared/tools/contract-check.sql}
if [ -f "$contract" ]; then
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS residency_contract" -c "CREATE DATABASE residency_contract"
    psql -X -q -d residency_contract -c "SET client_min_messages = warning" -c "CREATE EXTENSION residency"
    psql -X -v ON_ERROR_STOP=1 -v stage="${RESIDENCY_CONTRACT_STAGE:-4}" -d residency_contract -f "$contract" ||
        on_failure "contract check"
    psql -X -q -d postgres -c "DROP DATABASE residency_contract"
else
    echo "skipped: $contract not found (set RESIDENCY_CONTRACT_CHECK)"
fi

step "dump and restore"
test/dump/dump_restore.sh || on_failure "dump/restore"

step "upgrade from 1.0"
test/upgrade/upgrade.sh || on_failure "upgrade from 1.0"

step "scheduled upkeep under pg_cron (its own cluster)"
test/cron/run.sh || on_failure "scheduled upkeep under pg_cron"

step "read replicas: a hot standby and a failover"
test/standby/run.sh || on_failure "read replicas (test/standby)"

step "evaluation worker end to end"
test/worker/e2e/run.sh || on_failure "evaluation worker end to end"

step "server log"
if grep -E "terminated by signal|was terminated by|server process .* exited with exit code [^0]" "$RESIDENCY_SERVER_LOG"; then
    on_failure "a backend crashed (see the lines above)"
fi
echo "no backend terminated by a signal"

step "ASan and UBSan inside a server (make sanitize)"
scripts/sanitize.sh || { echo; echo "==> FAILED: make sanitize (its reports and diffs are above)"; exit 1; }

# The README's first command on a machine that has nothing but git: a
# throwaway debootstrap --variant=minbase root (make fresh-machine,
# test/fresh/run.sh; about 3 minutes and 370 packages from the mirror). In
# CI only, and never inside such a root (make fresh-machine FRESH_TESTS=1
# runs this script there).
if [ "${CI:-}" = true ] && [ -z "${RESIDENCY_IN_FRESH_ROOT:-}" ]; then
    step "the README's first command on a fresh Debian 12 with only git (make fresh-machine)"
    FRESH_TESTS=0 test/fresh/run.sh || { echo; echo "==> FAILED: make fresh-machine (its output is above)"; exit 1; }
fi

step "all tests passed"
