#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, benchmarks and the demo.
#
#   scripts/cluster.sh start   initdb + start; prints the environment to use
#   scripts/cluster.sh stop    stop and remove it
#   scripts/cluster.sh env     print PGHOST/PGPORT/PGUSER/... for `eval`
#   scripts/cluster.sh standby PRIMARY_DIR PRIMARY_PORT
#                              a streaming hot standby of the running
#                              cluster in PRIMARY_DIR (pg_basebackup -R),
#                              started in RESIDENCY_CLUSTER_DIR on
#                              RESIDENCY_PORT; `stop` stops and removes it
#                              like any other, `pg_ctl promote` promotes it
#
# initdb refuses to run as root, so as root the cluster runs as the
# unprivileged OS user "residency" (created when missing). Clients connect
# over a Unix socket in the cluster's directory, trust authentication,
# database user postgres.
#
#   RESIDENCY_CLUSTER_DIR    where the cluster lives (default /tmp/residency-cluster)
#   RESIDENCY_PORT           its port (default 54329)
#   RESIDENCY_CLUSTER_CONF   more postgresql.conf lines, appended after the
#                            defaults below (a later line wins), e.g.
#                            "shared_preload_libraries = 'pg_cron'"; none by default
#   PGBIN                    the server's bin directory (pg_config's by default)
#   RESIDENCY_SERVER_ENV     VAR=value words put into the server's environment
#                            at start (scripts/sanitize.sh: the ASan runtime and
#                            the sanitizers' options; no value may contain
#                            white space)
. "$(dirname "$0")/lib.sh"

PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
CLUSTER_DIR=${RESIDENCY_CLUSTER_DIR:-/tmp/residency-cluster}
PORT=${RESIDENCY_PORT:-54329}
DATA=$CLUSTER_DIR/data
SOCK=$CLUSTER_DIR/sock
LOG=$CLUSTER_DIR/server.log
OS_USER=$RESIDENCY_OS_USER
read -r -a SERVER_ENV <<<"${RESIDENCY_SERVER_ENV:-}"

print_env() {
    cat <<ENV
export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
export RESIDENCY_SERVER_LOG=$LOG PGBIN=$PGBIN
ENV
}

start() {
    if [ -f "$DATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        echo "cluster: already running in $CLUSTER_DIR" >&2
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && ! id "$OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$OS_USER"
    fi
    rm -rf "$CLUSTER_DIR"
    mkdir -p "$SOCK"
    [ "$(id -u)" -eq 0 ] && chown -R "$OS_USER" "$CLUSTER_DIR"
    chmod 755 "$CLUSTER_DIR"
    as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 ||
        { cat "$CLUSTER_DIR/initdb.log" >&2; exit 1; }
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 60
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
log_line_prefix = '%m [%p] %e '
wal_level = replica
hot_standby = on
CONF
    if [ -n "${RESIDENCY_CLUSTER_CONF:-}" ]; then
        printf '# RESIDENCY_CLUSTER_CONF\n%s\n' "$RESIDENCY_CLUSTER_CONF" >>"$DATA/postgresql.conf"
    fi
    as_owner env "${SERVER_ENV[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
    echo "cluster: started on socket $SOCK port $PORT (log $LOG)" >&2
}

standby() {
    local primary_dir=${1:?usage: $0 standby PRIMARY_DIR PRIMARY_PORT} primary_port=${2:?usage: $0 standby PRIMARY_DIR PRIMARY_PORT}
    if [ -f "$DATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        echo "cluster: already running in $CLUSTER_DIR" >&2
        return 0
    fi
    rm -rf "$CLUSTER_DIR"
    mkdir -p "$SOCK"
    [ "$(id -u)" -eq 0 ] && chown -R "$OS_USER" "$CLUSTER_DIR"
    chmod 755 "$CLUSTER_DIR"
    # -R writes standby.signal and primary_conninfo (the primary's socket
    # and port); -X stream takes the WAL written during the copy.
    as_owner "$PGBIN/pg_basebackup" -h "$primary_dir/sock" -p "$primary_port" -U postgres -D "$DATA" \
        -R -X stream --checkpoint=fast >"$CLUSTER_DIR/basebackup.log" 2>&1 ||
        { cat "$CLUSTER_DIR/basebackup.log" >&2; exit 1; }
    # the copied postgresql.conf is the primary's: the last setting wins
    cat >>"$DATA/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$SOCK'
hot_standby = on
CONF
    as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
    echo "cluster: standby of $primary_dir started on socket $SOCK port $PORT (log $LOG)" >&2
}

stop() {
    if [ -d "$DATA" ]; then
        as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$CLUSTER_DIR"
}

case "${1:-}" in
start) start; print_env ;;
stop) stop ;;
env) print_env ;;
standby) shift; standby "$@"; print_env ;;
*) echo "usage: $0 start|stop|env|standby PRIMARY_DIR PRIMARY_PORT" >&2; exit 2 ;;
esac
