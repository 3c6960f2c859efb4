#!/usr/bin/env bash
# Installs what building and testing residency needs on Debian 12, and only
# what is missing: safe to run again. Needs root (or sudo) when something is
# missing; prints what it installs. Then Stripe's Node library, which signs
# the webhook fixtures of sql/stripe.sql (test/stripe, npm ci from the npm
# registry, pinned by its package-lock.json).
#
#   scripts/setup.sh            build + test dependencies (the tests, make bench)
#   scripts/setup.sh demo       what the demo needs, and nothing for the tests
#
# It runs first on a fresh machine: it and scripts/lib.sh need only bash.
. "$(dirname "$0")/lib.sh"

# Stripe's library for the webhook fixtures: installed once, as pinned.
node_modules() {
    if [ "$profile" != test ] || [ -f "$root/test/stripe/node_modules/stripe/package.json" ]; then
        return 0
    fi
    echo "setup: npm ci in test/stripe (Stripe's Node library for the webhook fixtures)"
    (cd "$root/test/stripe" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# What the demo needs: the server and its headers, the C++ build of the
# extension and of the evaluation worker, and what the worker runs on
# (FFmpeg's decoders, PocketSphinx and its model, espeak-ng to speak the demo's
# recorded answer). No test tool.
demo_packages=(
    postgresql-15 postgresql-server-dev-15 postgresql-client-15
    g++ make cmake pkg-config nlohmann-json3-dev libssl-dev
    libpq-dev libcurl4-openssl-dev libavformat-dev libavcodec-dev libavutil-dev libswresample-dev
    libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us espeak-ng
    util-linux procps python3
)
# And for the tests and the benchmarks.
test_packages=(
    # unit tests and benchmarks of the core
    googletest libgtest-dev libgmock-dev libbenchmark-dev
    # pgTAP and pg_prove
    postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
    # fuzzing (libFuzzer comes with clang's runtime) and the format check
    clang libclang-rt-dev clang-format
    # real speech for the worker's end-to-end test
    pocketsphinx-testdata
    # the scheduled upkeep under pg_cron (test/cron), and the PL/pgSQL lint
    # (test/lint/plpgsql_check.sh, which needs pg_cron too)
    postgresql-15-cron postgresql-15-plpgsql-check
)

profile=${1:-test}
case $profile in
demo) packages=("${demo_packages[@]}") ;;
test) packages=("${demo_packages[@]}" "${test_packages[@]}") ;;
*) echo "usage: scripts/setup.sh [demo|test]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Node.js and npm run Stripe's library (test/stripe; the tests only).
# Debian's packages when there is no node or npm at all; a Node.js installed
# otherwise (NodeSource's bundles npm and conflicts with Debian's) is used as
# it is.
if [ "$profile" = test ]; then
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    node_modules
    exit 0
fi

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    die "setup: missing packages (${missing[*]}) and no sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup: installing ${missing[*]}"

# The tests start their own throwaway cluster; do not let the package create
# and start a default one on port 5432.
if ! dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null | grep -q "install ok installed"; then
    sudo_if_needed apt-get update -qq
    sudo_if_needed apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
fi
conf=/etc/postgresql-common/createcluster.conf
if [ -f "$conf" ] && ! grep -q '^create_main_cluster = false' "$conf"; then
    sudo_if_needed sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' "$conf"
    grep -q '^create_main_cluster = false' "$conf" || echo 'create_main_cluster = false' | sudo_if_needed tee -a "$conf" >/dev/null
fi

sudo_if_needed apt-get update -qq
sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
node_modules
echo "setup: done"
