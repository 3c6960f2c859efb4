#!/usr/bin/env bash
# The README's commands on a fresh Debian 12 machine that has only git
# (make fresh-machine; needs root, or sudo):
#   1. installs debootstrap on this machine when it is missing
#   2. makes a throwaway root (debootstrap --variant=minbase bookworm) in
#      RESIDENCY_FRESH_ROOT (default: a new directory under /tmp), with the
#      apt sources of a fresh Debian 12 install (bookworm, bookworm-updates,
#      bookworm-security), and installs git there, alone
#   3. mounts what a machine has: /proc, /sys (read-only), /dev/pts (a new
#      devpts instance) and /dev/shm (a tmpfs); nothing of this machine's
#      /dev is bound into the root
#   4. clones this repository there with git, at this repository's HEAD
#      (a git bundle of HEAD; what is not committed is not tested)
#   5. checks the machine is bare (no make, g++, cmake, pg_config, psql),
#      then runs the README's first command (scripts/demo.sh) in it, as root,
#      without standard input, with CI=true and no variable of this shell,
#      and checks that it prints the demo's four evaluations and the LOCKED
#      user's refusal; with FRESH_TESTS=1, then the README's second command
#      (scripts/test.sh, about 20 minutes) too
#   6. prints each phase's duration and the root's package count before and
#      after
# On any exit it stops what still runs in the root, unmounts everything under
# it, checks that nothing is mounted there any more and only then removes it.
# The root's own throwaway clusters listen on no TCP address and keep their
# sockets in the root's /tmp: they do not collide with clusters of this
# machine on the same ports.
#
#   RESIDENCY_FRESH_ROOT     the throwaway root: must not exist, or be empty
#   RESIDENCY_FRESH_MIRROR   the Debian mirror (default http://deb.debian.org/debian)
#   FRESH_TESTS=1            also run scripts/test.sh in the root
. "$(dirname "$0")/../../scripts/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "fresh-machine: needs root (debootstrap, mount, chroot), and there is no sudo"
    exec sudo RESIDENCY_FRESH_ROOT="${RESIDENCY_FRESH_ROOT:-}" RESIDENCY_FRESH_MIRROR="${RESIDENCY_FRESH_MIRROR:-}" \
        FRESH_TESTS="${FRESH_TESTS:-0}" bash "$0" "$@"
fi

mirror=${RESIDENCY_FRESH_MIRROR:-http://deb.debian.org/debian}
security_mirror=${mirror%/debian}/debian-security
[ "$security_mirror" = "$mirror/debian-security" ] && security_mirror=http://deb.debian.org/debian-security
fresh_tests=${FRESH_TESTS:-0}
commit=$(git -C "$root" rev-parse HEAD)

# --- phases and their durations ---------------------------------------------
phase_names=()
phase_seconds=()
phase_start=0
phase() {
    phase_end
    phase_names+=("$*")
    phase_start=$(date +%s)
    step "$*"
}
phase_end() {
    if [ ${#phase_names[@]} -gt ${#phase_seconds[@]} ]; then
        phase_seconds+=($(($(date +%s) - phase_start)))
    fi
}
summary() {
    local i
    phase_end
    printf '\n==> fresh machine: durations (commit %s)\n' "${commit:0:12}"
    for i in "${!phase_seconds[@]}"; do
        printf '  %-62s %4d min %02d s\n' "${phase_names[$i]}" $((phase_seconds[i] / 60)) $((phase_seconds[i] % 60))
    done
    [ -n "${packages_bare:-}" ] && printf '  packages in the root: %s with git alone' "$packages_bare"
    [ -n "${packages_after:-}" ] && printf ', %s after the README'\''s commands' "$packages_after"
    [ -n "${packages_bare:-}" ] && echo
    return 0
}

# --- the throwaway root and its removal --------------------------------------
if [ -n "${RESIDENCY_FRESH_ROOT:-}" ]; then
    fresh=$RESIDENCY_FRESH_ROOT
    case $fresh in /*) ;; *) die "RESIDENCY_FRESH_ROOT must be an absolute path" ;; esac
    if [ -e "$fresh" ]; then
        [ -d "$fresh" ] && [ -z "$(ls -A "$fresh")" ] || die "RESIDENCY_FRESH_ROOT=$fresh exists and is not an empty directory"
    else
        mkdir -p "$fresh"
    fi
    fresh=$(cd "$fresh" && pwd -P)
    [ "$fresh" != / ] || die "RESIDENCY_FRESH_ROOT cannot be /"
else
    fresh=$(mktemp -d /tmp/residency-fresh.XXXXXX)
fi
# a machine's / is 755: apt's _apt user and the clusters' OS user go through it
chmod 755 "$fresh"
output=$(mktemp /tmp/residency-fresh-output.XXXXXX)

# mounted_under: every mount point at or below the root, deepest first
mounted_under() {
    findmnt -rn -o TARGET | sed 's/\\x20/ /g' | awk -v r="$fresh" '$0 == r || index($0, r "/") == 1' | sort -r
}

cleanup() {
    local rc=$? pids p pass
    trap - EXIT INT TERM
    set +e
    summary
    # processes still running in the root (a cluster the failed command left
    # behind): by their id, TERM, then KILL
    for pass in TERM KILL; do
        pids=()
        for p in /proc/[0-9]*; do
            [ "$(readlink "$p/root" 2>/dev/null)" = "$fresh" ] && pids+=("${p#/proc/}")
        done
        [ ${#pids[@]} -eq 0 ] && break
        echo "fresh-machine: stopping what still runs in the root ($pass): ${pids[*]}"
        kill -s "$pass" "${pids[@]}" 2>/dev/null
        sleep 3
    done
    mounted_under | while IFS= read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
    if [ -n "$(mounted_under)" ]; then
        echo "fresh-machine: still mounted, so $fresh is NOT removed:" >&2
        mounted_under >&2
        rc=1
    else
        # --one-file-system: even so, never descend into another file system
        rm -rf --one-file-system "$fresh"
        [ -e "$fresh" ] && { echo "fresh-machine: could not remove $fresh" >&2; rc=1; }
        [ -e "$fresh" ] || echo "fresh-machine: root unmounted and removed ($fresh)"
    fi
    rm -f "$output"
    [ "$rc" -eq 0 ] && echo "fresh-machine: passed" || echo "fresh-machine: FAILED (exit $rc)" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# in_root CMD...: CMD in the root as root, without standard input, with
# nothing of this shell's environment but what a login shell there would have
# (and NODE_EXTRA_CA_CERTS, above)
in_root() {
    chroot "$fresh" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb CI=true RESIDENCY_IN_FRESH_ROOT=1 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${extra_ca[@]}" "$@" </dev/null
}
package_count() { in_root dpkg-query -W -f='${db:Status-Abbrev}\n' | grep -c '^ii'; }

# --- 1. debootstrap ----------------------------------------------------------
phase "debootstrap on this machine"
if command -v debootstrap >/dev/null; then
    echo "debootstrap: present ($(dpkg-query -W -f='${Version}' debootstrap 2>/dev/null || echo '?'))"
else
    echo "debootstrap: installing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends debootstrap debian-archive-keyring >/dev/null
fi

# --- 2. a minimal Debian 12 with git ----------------------------------------
phase "debootstrap --variant=minbase bookworm"
echo "root: $fresh (mirror $mirror)"
keyring=()
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
debootstrap --variant=minbase "${keyring[@]}" bookworm "$fresh" "$mirror" >"$output" 2>&1 ||
    { tail -n 40 "$output" >&2; die "debootstrap failed"; }
tail -n 1 "$output"

# What a fresh Debian 12 install has: its apt sources in deb822 form, a
# resolver. And what a throwaway root needs: no service started by a package.
rm -f "$fresh/etc/apt/sources.list"
cat >"$fresh/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cp -L /etc/resolv.conf "$fresh/etc/resolv.conf"
# The network's certificate authorities that this machine adds to Debian's
# (/usr/local/share/ca-certificates: a proxy's, a company's) are the
# network's, as its resolver is: the root trusts them too. ca-certificates
# (which nodejs and npm depend on) adds them to its store when it is
# installed there; Node.js, which npm ci runs on, also reads them from
# NODE_EXTRA_CA_CERTS.
extra_ca=()
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$fresh/usr/local/share/ca-certificates"
    cp -L /usr/local/share/ca-certificates/*.crt "$fresh/usr/local/share/ca-certificates/"
    cat /usr/local/share/ca-certificates/*.crt >"$fresh/usr/local/share/ca-certificates.pem"
    extra_ca=(NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates.pem)
    echo "certificate authorities added to Debian's: $(cd /usr/local/share/ca-certificates && echo *.crt)"
fi
printf '#!/bin/sh\n# a throwaway root: packages start no service\nexit 101\n' >"$fresh/usr/sbin/policy-rc.d"
chmod 755 "$fresh/usr/sbin/policy-rc.d"

# --- 3. what a machine has mounted ------------------------------------------
phase "mounts: /proc, /sys, /dev/pts, /dev/shm"
mount -t proc proc "$fresh/proc"
mount -t sysfs -o ro sysfs "$fresh/sys"
mkdir -p "$fresh/dev/pts" "$fresh/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$fresh/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$fresh/dev/shm"
for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    [ -c "$fresh/dev/$name" ] || { rm -f "$fresh/dev/$name"; mknod -m 666 "$fresh/dev/$name" c "$major" "$minor"; }
done
ln -sfn /proc/self/fd "$fresh/dev/fd"
mounted_under | sed 's/^/  /'

phase "apt-get install git (alone) in the root"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git >/dev/null
in_root git --version
packages_bare=$(package_count)
echo "packages: $packages_bare"

# --- 4. the clone -------------------------------------------------------------
phase "git clone of $(git -C "$root" rev-parse --short HEAD) in the root"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "note: this work tree has uncommitted changes; the root gets the commit $commit alone"
fi
git -C "$root" bundle create "$fresh/tmp/residency.bundle" HEAD 2>&1 | tail -n 1
in_root git -c advice.detachedHead=false clone -q /tmp/residency.bundle /root/residency
rm -f "$fresh/tmp/residency.bundle"
cloned=$(in_root git -C /root/residency rev-parse HEAD)
[ "$cloned" = "$commit" ] || die "the clone is at $cloned, not $commit"
echo "/root/residency at $cloned"

# --- 5. the README's commands -----------------------------------------------
# The machine is bare: nothing the commands need to build is there before them.
for tool in make g++ cc cmake pg_config psql; do
    if in_root sh -c "command -v $tool" >/dev/null; then
        die "the root is not bare: $tool is already there"
    fi
done
echo "bare: no make, g++, cc, cmake, pg_config or psql; git is there"

phase "scripts/demo.sh in the root (README's first command)"
in_root bash -c 'cd /root/residency && scripts/demo.sh' 2>&1 | tee "$output" ||
    die "scripts/demo.sh failed in the fresh root"
# four evaluations (three typed, one recording transcribed by the worker),
# the refusal of the LOCKED user, the end, and the cluster removed
evaluations=$(grep -cE '^[0-9]+ words, [0-9.]+ s, [0-9]+ wpm  ->  overall [0-9]+/100: ' "$output" || true)
rules=$(grep -c '^practice rule: ' "$output" || true)
[ "$evaluations" -eq 4 ] && [ "$rules" -eq 4 ] ||
    die "the demo printed $evaluations evaluations and $rules practice rules, not 4 and 4"
grep -q '^transcript (' "$output" || die "the demo printed no transcript of the recording"
grep -q 'SQLSTATE PT402: PostgREST answers HTTP 402 Payment Required' "$output" ||
    die "the demo did not show the LOCKED user's refusal"
grep -qx '==> done' "$output" || die "the demo did not reach its end"
grep -qx 'cluster: stopped and removed' "$output" || die "the demo did not remove its cluster"
echo "demo: 4 evaluations (one from the worker's transcript), the refusal (PT402), cluster removed"

if [ "$fresh_tests" = 1 ]; then
    phase "scripts/test.sh in the root (README's second command)"
    in_root bash -c 'cd /root/residency && scripts/test.sh' 2>&1 | tee "$output" ||
        die "scripts/test.sh failed in the fresh root"
    grep -qx '==> all tests passed' "$output" || die "scripts/test.sh did not reach its end"
fi
phase_end
packages_after=$(package_count)
