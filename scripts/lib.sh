# The shared prelude of residency's scripts: sourced, never run.
#
#   . "$(dirname "$0")/../scripts/lib.sh"     (or the right number of ../)
#
# It sets strict mode, finds the repository's root ($root), and defines:
#   step TEXT...             a heading in the script's output
#   die TEXT...              an error message on stderr, then exit 1
#   sudo_if_needed CMD...    CMD as root: directly when root, else through sudo
#   as_owner CMD...          CMD as the OS user that owns the throwaway
#                            clusters ("residency" when run as root: initdb
#                            refuses root), else as the caller
#   PSQL                     psql for scripts: no psqlrc, quiet, stop on the
#                            first error, unaligned tuples only
#   expect_error DB SQLSTATE WHAT SQL
#                            runs SQL in DB and passes when it fails with
#                            SQLSTATE; prints "ok: WHAT (SQLSTATE)" or sets
#                            fail=1 and says what happened
#   as_postgrest ROLE [CLAIMS]
#                            the SQL PostgREST sends before a request's
#                            statement, inside its transaction: the role and
#                            the JWT claims
#   as_user UUID             as_postgrest for a signed-in user (authenticated,
#                            sub = UUID)
#   sql [PSQL OPTIONS...]    PSQL with the options, on the database of -d or
#                            else $PGDATABASE
#   cluster_start            starts a throwaway cluster (scripts/cluster.sh
#                            start: $RESIDENCY_CLUSTER_DIR, $RESIDENCY_PORT)
#                            and exports its PGHOST, PGPORT, PGUSER,
#                            RESIDENCY_SERVER_LOG...; dies when it does not start
#   cluster_stop             stops it and removes its directory (for the
#                            caller's EXIT trap)
# The SQL tests have the same PostgREST helper as SQL functions:
# residency_test.as_postgrest and as_user (test/modules/residency_test).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RESIDENCY_OS_USER=${RESIDENCY_OS_USER:-residency}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
fail=${fail:-0}

step() { printf '\n==> %s\n' "$*"; }
die() { echo "error: $*" >&2; exit 1; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$RESIDENCY_OS_USER" -- "$@"
    else
        "$@"
    fi
}

expect_error() {  # db sqlstate what sql
    local out
    if out=$("${PSQL[@]}" -d "$1" -c '\set VERBOSITY sqlstate' -c "$4" 2>&1); then
        echo "FAIL: $3: accepted" >&2
        fail=1
    elif ! grep -q "$2" <<<"$out"; then
        echo "FAIL: $3: expected $2, got: $out" >&2
        fail=1
    else
        echo "  ok: $3 ($2)"
    fi
}

as_postgrest() {  # role [claims json]
    local claims=${2:-"{\"role\":\"$1\"}"}
    printf "SET LOCAL ROLE %s; SET LOCAL request.jwt.claims = '%s';\n" "$1" "$claims"
}
as_user() { as_postgrest authenticated "{\"sub\":\"$1\",\"role\":\"authenticated\"}"; }

sql() { "${PSQL[@]}" "$@"; }

cluster_start() {
    local env
    env=$("$root/scripts/cluster.sh" start) || die "the throwaway cluster did not start"
    eval "$env"
}
cluster_stop() { "$root/scripts/cluster.sh" stop; }
