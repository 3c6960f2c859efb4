#!/usr/bin/env bash
# Installs what building and testing residency needs on Debian 12, and only
# what is missing: safe to run again. Needs root (or sudo) when something is
# missing; prints what it installs.
#
#   scripts/setup.sh            build + test dependencies
set -euo pipefail

packages=(
    # server, headers and PGXS
    postgresql-15 postgresql-server-dev-15 postgresql-client-15
    # C++ toolchain and libraries
    g++ make cmake pkg-config nlohmann-json3-dev libssl-dev
    # unit tests and benchmarks of the core
    googletest libgtest-dev libgmock-dev libbenchmark-dev
    # pgTAP and pg_prove
    postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
    # fuzzing (libFuzzer comes with clang's runtime) and the format check
    clang libclang-rt-dev clang-format
    # the scripts themselves (python3: make bench and make calibrate)
    util-linux procps python3
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: missing packages (${missing[*]}) and no sudo" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup: installing ${missing[*]}"

# The tests start their own throwaway cluster; do not let the package create
# and start a default one on port 5432.
if ! dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null | grep -q "install ok installed"; then
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
fi
conf=/etc/postgresql-common/createcluster.conf
if [ -f "$conf" ] && ! grep -q '^create_main_cluster = false' "$conf"; then
    $sudo sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' "$conf"
    grep -q '^create_main_cluster = false' "$conf" || echo 'create_main_cluster = false' | $sudo tee -a "$conf" >/dev/null
fi

$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
