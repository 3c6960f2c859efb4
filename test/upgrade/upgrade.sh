#!/usr/bin/env bash
# ALTER EXTENSION residency UPDATE from 1.0 gives the same database as a
# fresh CREATE EXTENSION residency of the current version, and keeps the
# data (docs/operations.md, "Upgrading").
#
#   1. upg_old: CREATE EXTENSION residency VERSION '1.0', filled with rows in
#      every state (test/dump/fixture.sql), entitlement cache rows among them
#      (one with a subscription id, one expired, one missing); then
#      ALTER EXTENSION residency UPDATE. Checked: the version, that PostgREST
#      is told to reload, every row of every data table and of the cache kept,
#      the self-tests gone, rules refusing bad writes, a new drill, the cache
#      rebuilt and read through the new my_entitlement, a Stripe event applied
#      to a user who existed before the update.
#   2. upg_new: a fresh CREATE EXTENSION residency.
#   3. pg_dump --schema-only --binary-upgrade of both, which dumps every
#      member of the extension one by one (a plain dump shows only
#      CREATE EXTENSION), with OIDs, XIDs and LSNs masked: any difference
#      fails, printed. The same for a Supabase-shaped pair (auth.users exists
#      at install time: the foreign key, the sign-up trigger).
#
# The extension must be installed (make install): the script fails when the
# installed scripts differ from the repository's. Needs PGHOST/PGPORT/PGUSER
# of a superuser (scripts/cluster.sh env). Its databases are named upg_*;
# they are dropped before, and after a run that passed.
. "$(dirname "$0")/../../scripts/lib.sh"
here=$root/test/upgrade
work=$(mktemp -d)
# keep the dumps of a failed run for a look
# shellcheck disable=SC2154  # rc is assigned inside the trap
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$work"; else echo "upgrade: files kept in $work" >&2; fi' EXIT

from=1.0
old=upg_old
new=upg_new
old_sb=upg_old_supabase
new_sb=upg_new_supabase
databases=("$old" "$new" "$old_sb" "$new_sb")
fail=0
failed() { echo "FAIL: $*" >&2; fail=1; }

# ---- what is installed ---------------------------------------------------
# The test runs what the server finds in its share directory: it must be
# what this repository builds.
current=$(sed -nE "s/^default_version = '([^']+)'/\1/p" "$root/residency.control")
if sharedir=$(pg_config --sharedir 2>/dev/null) && [ -f "$sharedir/extension/residency.control" ]; then
    for pair in "residency--$from.sql:residency--$from.sql" \
                "residency--$from--$current.sql:residency--$from--$current.sql" \
                "src/sql/residency.sql:residency--$current.sql" \
                "residency.control:residency.control"; do
        if ! cmp -s "$root/${pair%%:*}" "$sharedir/extension/${pair#*:}"; then
            echo "FAIL: $sharedir/extension/${pair#*:} is not $root/${pair%%:*}: run make install" >&2
            exit 1
        fi
    done
else
    echo "  (pg_config --sharedir has no residency.control: the installed scripts are not compared)"
fi
read -r default_version update_path < <("${PSQL[@]}" -F' ' -d postgres -c "
    SELECT (SELECT default_version FROM pg_available_extensions WHERE name = 'residency'),
           (SELECT path FROM pg_extension_update_paths('residency') WHERE source = '$from' AND target = '$current')")
if [ "$default_version" != "$current" ] || [ "$update_path" != "$from--$current" ]; then
    echo "FAIL: the server offers residency $default_version, update path '$update_path' (expected $current, $from--$current)" >&2
    exit 1
fi
echo "upgrade: residency $from -> $current (update path $update_path)"

for db in "${databases[@]}"; do
    "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db"
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"
done

# ---- 1. version 1.0, with data -------------------------------------------
# fixture.sql creates the current version: here it creates 1.0.
fixture=$(sed "s/^CREATE EXTENSION residency;\$/CREATE EXTENSION residency VERSION '$from';/" "$here/../dump/fixture.sql")
if ! grep -q "^CREATE EXTENSION residency VERSION '$from';\$" <<<"$fixture"; then
    echo "FAIL: test/dump/fixture.sql no longer has the line CREATE EXTENSION residency;" >&2
    exit 1
fi
"${PSQL[@]}" -d $old <<<"$fixture" >/dev/null

# Cache rows of 1.0 for the update to carry: the write-through rows of the
# fixture, one with a subscription id (set_entitlement), one expired, one
# missing.
u_sub=00000000-0000-0000-0000-000000000002      # BASIC -> PRO with a subscription id
u_expired=00000000-0000-0000-0000-000000000003  # BASIC, cache row expired
u_missing=00000000-0000-0000-0000-000000000004  # BASIC, no cache row
u_stripe=00000000-0000-0000-0000-000000000001   # PRO, Stripe customer cus_000000000001
u_drill=00000000-0000-0000-0000-000000000011    # PRO
"${PSQL[@]}" -d $old >/dev/null <<SQL
SELECT entitlement_level FROM residency.set_entitlement('$u_sub', 'PRO', 'sub_upg_legacy');
UPDATE residency.entitlement_cache SET last_updated = last_updated - 7200, expires_at = expires_at - 7200
WHERE user_id = '$u_expired';
DELETE FROM residency.entitlement_cache WHERE user_id = '$u_missing';
SQL

version() { "${PSQL[@]}" -d "$1" -c "SELECT extversion FROM pg_extension WHERE extname = 'residency'"; }
[ "$(version $old)" = "$from" ] || failed "$old: residency $(version $old) installed, expected $from"

# 1.0's self-tests are still declared by its frozen script; their C symbols
# are shims (src/pg/entry/removed.cpp) that say what to do.
out=$("${PSQL[@]}" -d $old -c "\\set VERBOSITY default" -c "SELECT residency._selftest_boundary('ok')" 2>&1) &&
    failed "1.0: residency._selftest_boundary ran"
if grep -q "removed in residency" <<<"$out" && grep -q "ALTER EXTENSION residency UPDATE" <<<"$out"; then
    echo "  1.0: residency._selftest_boundary answers: $(grep -m1 -o 'ERROR: .*' <<<"$out")"
else
    failed "1.0: residency._selftest_boundary: $out"
fi

cache_fingerprint="SELECT user_id, entitlement_level, expires_at, stripe_subscription_id, last_updated
    FROM residency.entitlement_cache ORDER BY user_id"
"${PSQL[@]}" -d $old -f "$here/../dump/fingerprint.sql" >"$work/before.txt"
"${PSQL[@]}" -d $old -c "$cache_fingerprint" >"$work/cache_before.txt"

# ---- the update ----------------------------------------------------------
# In the session that listens for PostgREST's channel: the update script
# tells PostgREST to reload its schema cache.
"${PSQL[@]}" -d $old -c "LISTEN pgrst" -c "ALTER EXTENSION residency UPDATE" >"$work/update.txt"
[ "$(version $old)" = "$current" ] || failed "$old: residency $(version $old) after the update, expected $current"
if grep -q 'notification "pgrst" with payload "reload schema"' "$work/update.txt"; then
    echo "  update: NOTIFY pgrst, 'reload schema' sent"
else
    failed "the update did not NOTIFY pgrst, 'reload schema': $(cat "$work/update.txt")"
fi

# ---- 2. a fresh install --------------------------------------------------
"${PSQL[@]}" -d $new -c "SET client_min_messages = warning" -c "CREATE EXTENSION residency"
[ "$(version $new)" = "$current" ] || failed "$new: residency $(version $new), expected $current"

# ---- 3. the schemas, object by object --------------------------------------
# --binary-upgrade dumps every member of the extension with its
# ALTER EXTENSION ... ADD, its ACL and initial privileges. Masked: the OIDs,
# relfilenodes, XIDs and LSNs it pins, and the \restrict key.
schema_dump() {  # db file
    pg_dump --schema-only --binary-upgrade -d "$1" |
        sed -E -e "s/'[0-9]+'::pg_catalog\.oid/'OID'::pg_catalog.oid/g" \
            -e "s/^(WHERE oid = )'[0-9]+';\$/\1'OID';/" \
            -e "s/relfrozenxid = '[0-9]+', relminmxid = '[0-9]+'/relfrozenxid = 'XID', relminmxid = 'MXID'/" \
            -e "/binary_upgrade_set_next_attribute_versions/ s#[0-9A-F]+/[0-9A-F]+#LSN#g" \
            -e "s/(binary_upgrade_create_empty_extension\('[^']*', '[^']*', (true|false), '[^']*', )'\{[0-9,]*\}'/\1'{OIDS}'/" \
            -e 's/^\\(restrict|unrestrict) .*/\\\1 KEY/' >"$2"
}
# pg_extension_config_dump's tables, by name, in order (masked above).
extconfig="SELECT c.oid::regclass, x.condition
    FROM pg_extension AS e, unnest(e.extconfig, e.extcondition) WITH ORDINALITY AS x(reloid, condition, n)
    JOIN pg_class AS c ON c.oid = x.reloid WHERE e.extname = 'residency' ORDER BY x.n"
compare_schemas() {  # label upgraded fresh
    local label=$1 a=$2 b=$3
    schema_dump "$a" "$work/$a.sql"
    schema_dump "$b" "$work/$b.sql"
    "${PSQL[@]}" -d "$a" -c "$extconfig" >>"$work/$a.sql"
    "${PSQL[@]}" -d "$b" -c "$extconfig" >>"$work/$b.sql"
    # not vacuous: the dump shows every member, old and new ones
    local lines members expected_members
    lines=$(wc -l <"$work/$b.sql")
    members=$(grep -c '^ALTER EXTENSION residency ADD ' "$work/$b.sql" || true)
    expected_members=$("${PSQL[@]}" -d "$b" -c "SELECT count(*) FROM pg_depend WHERE deptype = 'e'
        AND refclassid = 'pg_extension'::regclass
        AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'residency')")
    for needle in 'CREATE TABLE residency.users (' 'CREATE TABLE residency.stripe_events (' \
                  'ALTER EXTENSION residency ADD TABLE residency.stripe_events;' \
                  'CREATE FUNCTION residency_api.my_entitlement() RETURNS TABLE(entitlement_level text, expires_at bigint, subscription_status text' \
                  'residency.stripe_events|'; do
        grep -qF "$needle" "$work/$b.sql" || failed "$label: the dump of $b has no '$needle'"
    done
    if [ "$lines" -lt 2000 ] || [ "$members" -lt 90 ] || [ "$members" != "$expected_members" ]; then
        failed "$label: the dump of $b has $lines lines and $members of the $expected_members members of residency"
    fi
    if grep -q '_selftest' "$work/$a.sql" "$work/$b.sql"; then
        failed "$label: a _selftest function is still there"
    fi
    if diff -u --label "$a (updated from $from)" --label "$b (created at $current)" "$work/$a.sql" "$work/$b.sql" \
        >"$work/$label.diff"; then
        echo "  $label: updated and fresh schemas identical ($lines lines, $members extension members)"
    else
        cat "$work/$label.diff"
        failed "$label: the schema updated from $from differs from a fresh $current (diff above: - updated, + fresh)"
    fi
}
compare_schemas schema $old $new

# ---- the data, kept ---------------------------------------------------------
"${PSQL[@]}" -d $old -f "$here/../dump/fingerprint.sql" >"$work/after.txt"
"${PSQL[@]}" -d $old -c "$cache_fingerprint" >"$work/cache_after.txt"
echo "  rows per table, before and after the update:"
paste -d' ' <(cut -d'|' -f1,2 "$work/before.txt") <(cut -d'|' -f2 "$work/after.txt") | sed 's/^/    /'
diff -u "$work/before.txt" "$work/after.txt" || failed "the rows differ after the update"
diff -u "$work/cache_before.txt" "$work/cache_after.txt" || failed "the entitlement cache differs after the update"
if grep -q '|0|' "$work/before.txt" || [ "$(wc -l <"$work/cache_before.txt")" -ne 11 ]; then
    failed "the fixture left a data table empty, or the cache has not 11 rows"
else
    echo "    entitlement_cache $(wc -l <"$work/cache_before.txt") $(wc -l <"$work/cache_after.txt")"
fi

gone=$("${PSQL[@]}" -d $old -c "SELECT count(*) FROM pg_proc WHERE proname LIKE '\\_selftest%'
    AND pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)")
if [ "$gone" = 0 ]; then
    echo "  residency._selftest_boundary and _selftest_destructor_runs dropped"
else
    failed "$gone _selftest function(s) left after the update"
fi

# ---- the rules, firing ------------------------------------------------------
echo "  every rule holds after the update:"
expect_error $old 22023 "U1 e-mail" "INSERT INTO residency.users (email) VALUES ('no-at-sign')"
expect_error $old 23514 "U2 LOCKED -> PRO" "UPDATE residency.users SET entitlement_level = 'PRO' WHERE email = 'user12@example.org'"
expect_error $old 23514 "P6 delete active" "DELETE FROM residency.content_packs WHERE status = 'ACTIVE'"
expect_error $old 23514 "S2 COMPLETED -> STARTED" "UPDATE residency.drill_sessions SET status = 'STARTED' WHERE status = 'COMPLETED'"
expect_error $old 23514 "R1 response to a finished session" "INSERT INTO residency.drill_responses (session_id, content) SELECT id, 'late' FROM residency.drill_sessions WHERE status = 'COMPLETED' LIMIT 1"

# ---- the cache and the new API on rows of 1.0 ---------------------------------
# as_user (scripts/lib.sh): PostgREST's settings for a signed-in user, in the transaction
"${PSQL[@]}" -d $old >"$work/api.txt" <<SQL
-- a new drill: STARTED -> SUBMITTED -> PROCESSING
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000003aa', '$u_drill', 'q2');
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000003aa', 'I paged the senior resident within ten minutes.');
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000003aa';
SELECT 'drill', status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000003aa';
-- the cache row with a subscription id, read through the new my_entitlement
BEGIN;
$(as_user $u_sub)
SELECT 'sub', m.entitlement_level, m.expires_at = c.expires_at, c.stripe_subscription_id,
       m.subscription_status IS NULL, m.in_grace_period
FROM residency_api.my_entitlement() AS m, residency.entitlement_cache AS c WHERE c.user_id = '$u_sub';
COMMIT;
-- the expired and the missing rows, rebuilt through 1.1's cache trigger
SELECT 'expired', residency.current_entitlement('$u_expired');
SELECT 'missing', residency.current_entitlement('$u_missing');
SELECT 'rebuilt', count(*) FROM residency.entitlement_cache
WHERE user_id IN ('$u_expired', '$u_missing') AND expires_at > extract(epoch FROM clock_timestamp());
-- a Stripe subscription of a user of 1.0 (linked to cus_000000000001 by
-- the fixture): applied, recorded on the cache row, shown by my_entitlement
INSERT INTO residency.stripe_prices (price_id, entitlement_level) VALUES ('price_upg_pro', 'PRO');
SELECT 'event', residency.stripe_apply_event('evt_upg_1', 'customer.subscription.updated',
    extract(epoch FROM now())::bigint, false,
    '{"id": "evt_upg_1", "type": "customer.subscription.updated", "data": {"object": {"id": "sub_upg_1",
      "object": "subscription", "customer": "cus_000000000001", "status": "active", "cancel_at_period_end": false,
      "current_period_end": 4102444800, "items": {"data": [{"price": {"id": "price_upg_pro"}}]}}}}', 86400)->>'outcome';
BEGIN;
$(as_user $u_stripe)
SELECT 'stripe', m.entitlement_level, m.subscription_status, m.current_period_end, c.stripe_subscription_id
FROM residency_api.my_entitlement() AS m, residency.entitlement_cache AS c WHERE c.user_id = '$u_stripe';
COMMIT;
SQL
expected_api="drill|PROCESSING
sub|PRO|t|sub_upg_legacy|t|f
expired|BASIC
missing|BASIC
rebuilt|2
event|applied
stripe|PRO|active|4102444800|sub_upg_1"
if [ "$(grep '|' "$work/api.txt")" = "$expected_api" ]; then
    echo "  after the update: a new drill goes through; the cache rows of $from are read by the new"
    echo "  my_entitlement, rebuilt when expired or missing; a Stripe event applies to a user of $from"
else
    diff -u <(echo "$expected_api") <(grep '|' "$work/api.txt") || true
    failed "the drill, the cache or the Stripe event after the update (diff above: - expected, + got)"
fi

# ---- Supabase: auth.users exists when residency is installed -----------------
auth_schema="CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'early@example.org');"
for db in $old_sb $new_sb; do "${PSQL[@]}" -d "$db" -c "$auth_schema"; done
"${PSQL[@]}" -d $old_sb -c "SET client_min_messages = warning" -c "CREATE EXTENSION residency VERSION '$from'"
"${PSQL[@]}" -d $new_sb -c "SET client_min_messages = warning" -c "CREATE EXTENSION residency"
"${PSQL[@]}" -d $old_sb -c "ALTER EXTENSION residency UPDATE"
compare_schemas supabase $old_sb $new_sb
signups=$("${PSQL[@]}" -d $old_sb \
    -c "INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b1', 'new@example.org')" \
    -c "SELECT string_agg(email || ':' || entitlement_level, ' ' ORDER BY email) FROM residency.users")
if [ "$signups" = "early@example.org:LOCKED new@example.org:LOCKED" ]; then
    echo "  supabase: the user copied by $from kept, a sign-up after the update creates its user"
else
    failed "supabase: residency.users after a sign-up: $signups"
fi

if [ $fail -ne 0 ]; then
    echo "upgrade: FAILED (databases ${databases[*]} kept)" >&2
    exit 1
fi
for db in "${databases[@]}"; do "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db"; done
echo "upgrade: ok"
