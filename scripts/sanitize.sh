#!/usr/bin/env bash
# make sanitize: residency's Postgres layer (src/pg) and core, built with
# AddressSanitizer and UndefinedBehaviorSanitizer, inside a real server,
# under pg_regress and the isolation specs (docs/sanitizers.md).
#
#   1. installs what is missing (scripts/setup.sh)
#   2. a private server tree, /tmp/residency-sanitize-PID/tree: a copy of
#      Debian's PostgreSQL 15 (bin, lib, share, server headers). PostgreSQL
#      finds its share and lib directories relative to its binary, so the
#      tree's pg_config and server serve what is installed there; the
#      system's PostgreSQL directories are never written to. Under /tmp,
#      like the cluster, because the server runs as the OS user residency,
#      which may not reach into a clone under /root
#   3. builds residency and the test-only modules (residency_test) with
#      SANITIZE="-fsanitize=address,undefined ..." from a copy of the
#      tracked files (build-sanitize/src: the release build's objects stay
#      apart) and installs them into the tree
#   4. starts a throwaway cluster from the tree (scripts/cluster.sh, its own
#      directory and port) with the ASan runtime preloaded; ASan writes each
#      process's reports to /tmp/residency-sanitize-PID/reports/asan.PID,
#      UBSan to the server log (gcc 12's UBSan runtime ignores log_path
#      beside ASan)
#   5. shows that the sanitizers are live before trusting "no report": a
#      backend maps libasan, libubsan and the tree's residency.so, and
#      residency_test.sanitizer_probe() commits a heap buffer overflow and
#      an invalid shift on purpose; both reports must arrive where the
#      checks below look for them (then the ASan file moves to
#      reports/probe/, and the log is read from after the probes only)
#   6. pg_regress and the isolation specs: make installcheck, against the
#      tree's pg_config
#   7. passes when installcheck passes, and after the probes no ASan report
#      file exists, the server log holds no sanitizer report and no backend
#      was terminated by a signal; the reports and the server log are kept
#      in build-sanitize/ (reports/, server.log), the rest of /tmp's
#      directory is removed
#
# Environment: SANITIZE_BUILD (build-sanitize: the sanitized build, the
# results), SANITIZE_WORK (/tmp/residency-sanitize-PID: the tree, the
# reports, the cluster), SANITIZE_PORT (54339), SANITIZE_KEEP=1 keeps the
# cluster running and the work directory at the end (stop it with
# RESIDENCY_CLUSTER_DIR=$SANITIZE_WORK/cluster scripts/cluster.sh stop).
. "$(dirname "$0")/lib.sh"
cd "$root"
SECONDS=0

step "dependencies"
scripts/setup.sh
asan_runtime=$(readlink -f "$(gcc -print-file-name=libasan.so)")
[ -f "$asan_runtime" ] || die "gcc's ASan runtime (libasan.so, package libgcc-12-dev) is missing"

build=${SANITIZE_BUILD:-$root/build-sanitize}
src=$build/src
work=${SANITIZE_WORK:-/tmp/residency-sanitize-$$}
tree=$work/tree
reports=$work/reports
preload=$work/preload.so
pgbin=$tree/usr/lib/postgresql/15/bin
pgc=$pgbin/pg_config

step "private server tree ($tree)"
system_bin=$(pg_config --bindir)
[ "$system_bin" = /usr/lib/postgresql/15/bin ] || die "expected Debian's PostgreSQL 15, pg_config says $system_bin"
rm -rf "$work"
mkdir -p -m 755 "$work"
[ "${SANITIZE_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT  # until the cluster's cleanup takes over
mkdir -p "$tree/usr/lib/postgresql" "$tree/usr/share/postgresql" "$tree/usr/include/postgresql/15"
cp -a /usr/lib/postgresql/15 "$tree/usr/lib/postgresql/"
cp -a /usr/share/postgresql/15 "$tree/usr/share/postgresql/"
cp -a /usr/include/postgresql/15/server "$tree/usr/include/postgresql/15/"
# whatever a release install left in the system's directories is not ours to test
rm -f "$tree"/usr/share/postgresql/15/extension/residency{,_test}{.control,--*.sql} \
    "$tree"/usr/lib/postgresql/15/lib/residency{,_test}.so
for what in bindir:$pgbin sharedir:$tree/usr/share/postgresql/15 pkglibdir:$tree/usr/lib/postgresql/15/lib \
    includedir-server:$tree/usr/include/postgresql/15/server; do
    [ "$("$pgc" --"${what%%:*}")" = "${what#*:}" ] ||
        die "the tree's pg_config --${what%%:*} is $("$pgc" --"${what%%:*}"), not ${what#*:}: PostgreSQL did not relocate"
done
echo "the tree's pg_config points into the tree (bindir, sharedir, pkglibdir, includedir-server)"

step "build with ASan and UBSan ($src) and install into the tree"
# A copy of the tracked files, with their uncommitted changes.
rm -rf "$src"
mkdir -p "$src"
git ls-files -z | tar --null --ignore-failed-read -T - -cf - | tar -x -C "$src"
ln -s "$root/test/stripe/node_modules" "$src/test/stripe/node_modules"
# -fsanitize at the link as well: libasan and libubsan become NEEDED by
# the modules. UBSan recovers (its default): each finding is written to its
# report file and the test goes on, so one run shows them all; ASan stops
# the process at the first bad access.
sanitize_flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
make -C "$src" -s -j"$(nproc)" PG_CONFIG="$pgc" SANITIZE="$sanitize_flags"
make -C "$src" -s PG_CONFIG="$pgc" SANITIZE="$sanitize_flags" install install-test-modules
# Preloaded with the runtime: without it the server hangs at start, and
# UBSan's reports have no stack (test/sanitize/preload.cpp says why).
g++ -shared -fPIC -O2 -o "$preload" test/sanitize/preload.cpp
for lib in residency residency_test; do
    readelf -d "$tree/usr/lib/postgresql/15/lib/$lib.so" | grep -q 'NEEDED.*libasan' ||
        die "$lib.so does not need libasan: not a sanitized build"
done

step "throwaway cluster from the tree, ASan preloaded"
mkdir -p "$reports/probe"
[ "$(id -u)" -eq 0 ] && id "$RESIDENCY_OS_USER" >/dev/null 2>&1 && chown -R "$RESIDENCY_OS_USER" "$reports"
# detect_leaks=0: PostgreSQL frees by memory context and leaves the rest to
#   process exit; LeakSanitizer would report every backend.
# abort_on_error=1: a backend that ASan stops dies by SIGABRT, so the
#   postmaster logs it and resets, and the tests that follow fail too.
# detect_stack_use_after_return=0: ereport() leaves frames by siglongjmp;
#   kept at the runtime's default (off) on purpose.
# log_path: one file per process, PATH.PID; none may exist at the end.
# UBSan's options (a stack trace with each report) come from preload.so:
#   a backend cannot read UBSAN_OPTIONS. Its reports go to stderr, the
#   server log: with ASan beside it, gcc 12's libubsan never opens a
#   log_path file (a plain -fsanitize=undefined build does).
asan_options="detect_leaks=0:abort_on_error=1:disable_coredump=1:detect_stack_use_after_return=0:log_path=$reports/asan"
export RESIDENCY_CLUSTER_DIR=$work/cluster
export RESIDENCY_PORT=${SANITIZE_PORT:-54339} PGBIN=$pgbin
export RESIDENCY_SERVER_ENV="LD_PRELOAD=$asan_runtime:$preload ASAN_OPTIONS=$asan_options"
cluster_env=$(scripts/cluster.sh start)
eval "$cluster_env"
cleanup() {
    rm -rf "$build/reports" "$build/server.log"
    cp -r "$reports" "$build/reports" 2>/dev/null || true
    cp "$RESIDENCY_SERVER_LOG" "$build/server.log" 2>/dev/null || true
    if [ "${SANITIZE_KEEP:-0}" != 1 ]; then
        scripts/cluster.sh stop
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# ASan's report files, one per process that had a report
reports_now() { find "$reports" -maxdepth 1 -type f -name 'asan.*' | sort; }
# the server log from byte $1 on
log_from() { tail -c +"$1" "$RESIDENCY_SERVER_LOG"; }
# a sanitizer's report in the log: UBSan's "FILE:LINE:COL: runtime error:",
# or any sanitizer's "==PID==ERROR:" had one written to stderr
log_reports() { grep -E ': runtime error: |^==[0-9]+==ERROR: ' || true; }

step "the sanitizers are live in the backends"
"${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS residency_sanitize_probe" \
    -c "CREATE DATABASE residency_sanitize_probe"
maps=$("${PSQL[@]}" -d residency_sanitize_probe <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION residency_test CASCADE;
SELECT residency_test.destructor_runs() >= 0 AS loaded \gset
SELECT line FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS line
WHERE line ~ '(libasan|libubsan|residency)[^/]*\.so';
SELECT 'sharedir ' || setting FROM pg_config WHERE name = 'SHAREDIR';
SELECT 'available ' || name || ' ' || default_version FROM pg_available_extensions WHERE name LIKE 'residency%'
ORDER BY name;
SQL
)
for want in libasan libubsan "$tree/usr/lib/postgresql/15/lib/residency.so" \
    "$tree/usr/lib/postgresql/15/lib/residency_test.so" "sharedir $tree/usr/share/postgresql/15" \
    "available residency 1.1" "available residency_test"; do
    grep -qF -- "$want" <<<"$maps" || die "a backend of the sanitizer cluster lacks $want; it shows: $maps"
done
echo "a backend maps libasan, libubsan and the tree's residency.so and residency_test.so; the server's share directory is the tree's"

[ -z "$(reports_now)" ] || die "ASan reports before the probes: $(reports_now)"
probe_from=$(($(stat -c %s "$RESIDENCY_SERVER_LOG") + 1))
out=$("${PSQL[@]}" -d residency_sanitize_probe -c "SELECT residency_test.sanitizer_probe('shift-exponent')")
[ "$out" = "survived shift-exponent" ] || die "the UBSan probe returned: $out"
log_from "$probe_from" | log_reports | grep -q 'selftest\.cpp:[0-9]*:[0-9]*: runtime error: shift exponent 40 is too large' ||
    die "UBSan's report of the probe did not arrive in the server log $RESIDENCY_SERVER_LOG"
log_from "$probe_from" | grep -q 'in residency_test_sanitizer_probe ' ||
    die "UBSan's report of the probe came without its stack trace (test/sanitize/preload.cpp)"
echo "UBSan probe: reported in the server log with its stack (shift exponent 40 is too large), the backend went on"
if out=$("${PSQL[@]}" -d residency_sanitize_probe -c "SELECT residency_test.sanitizer_probe('heap-buffer-overflow')" 2>&1); then
    die "the ASan probe returned: $out"
fi
probe_reports=$(reports_now)
[ -n "$probe_reports" ] && grep -q 'ERROR: AddressSanitizer: heap-buffer-overflow' $probe_reports ||
    die "ASan's report of the probe did not arrive in $reports"
log_from "$probe_from" | grep -q 'terminated by signal 6' ||
    die "the server log does not show the ASan probe's backend aborting"
echo "ASan probe: reported in $(basename $probe_reports) (heap-buffer-overflow), the backend aborted (signal 6)"
for _ in $(seq 60); do
    "${PSQL[@]}" -d postgres -c "SELECT 1" >/dev/null 2>&1 && break
    sleep 1
done
"${PSQL[@]}" -d postgres -c "DROP DATABASE residency_sanitize_probe"
mv $probe_reports "$reports/probe/"
suite_from=$(($(stat -c %s "$RESIDENCY_SERVER_LOG") + 1))
echo "the server is back; the probes' ASan report is kept in build-sanitize/reports/probe"

step "pg_regress and the isolation specs (make installcheck against the tree)"
regress_ok=1
make -C "$src" -s PG_CONFIG="$pgc" installcheck 2>&1 | tee "$build/installcheck.log" || regress_ok=0
# pg_regress 15 prints "test NAME ... ok|FAILED" per test
tests=$(grep -cE '^test +[[:alnum:]_]+ +\.\.\. ' "$build/installcheck.log" || true)

step "reports"
mapfile -t found < <(reports_now)
for f in "${found[@]}"; do
    echo "---- $f"
    head -n 80 "$f"
done
mapfile -t in_log < <(log_from "$suite_from" | log_reports)
if [ ${#in_log[@]} -gt 0 ]; then
    echo "---- sanitizer reports in the server log (each with its stack there)"
    printf '%s\n' "${in_log[@]}"
fi
crashed=0
if log_from "$suite_from" | grep -E "terminated by signal|was terminated by|server process .* exited with exit code [^0]"; then
    crashed=1
fi
if [ "$regress_ok" = 0 ]; then
    for f in "$src/regression.diffs" "$src/output_iso/regression.diffs"; do
        if [ -s "$f" ]; then echo "---- $f"; cat "$f"; fi
    done
fi

step "summary"
echo "tests run: $tests (pg_regress and isolation specs), installcheck: $([ "$regress_ok" = 1 ] && echo passed || echo FAILED)"
echo "sanitizer reports: ${#found[@]} ASan report files, ${#in_log[@]} reports in the server log (kept in $build: reports/, server.log)"
echo "backends terminated by a signal: $([ "$crashed" = 1 ] && echo "yes (above)" || echo none)"
echo "duration: ${SECONDS} s"
if [ "$regress_ok" = 1 ] && [ "$tests" -gt 0 ] && [ ${#found[@]} -eq 0 ] && [ ${#in_log[@]} -eq 0 ] && [ "$crashed" = 0 ]; then
    echo "sanitize: passed"
else
    echo "sanitize: FAILED"
    exit 1
fi
