#!/usr/bin/env bash
# pg_dump of a database using residency, restored with pg_restore into a
# fresh database, keeps every row of every data table, and every rule fires
# again afterwards.
#
# The restore follows docs/operations.md: the rules stand aside while the
# rows are loaded, because restored rows are rows as they were (COMPLETED
# sessions, ARCHIVED packs), not new writes for the rules to judge. Both
# documented procedures are tested:
#   1. one pg_restore with session_replication_role = replica (superuser);
#   2. pre-data, then data-only with --disable-triggers, then post-data.
#
# Needs PGHOST/PGPORT/PGUSER of a superuser (scripts/cluster.sh env).
. "$(dirname "$0")/../../scripts/lib.sh"
here=$root/test/dump
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src=residency_dump_src
dst=residency_dump_dst
dst2=residency_dump_sections
plain=residency_dump_plain
for db in $src $dst $dst2 $plain; do "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db"; done
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" -c "CREATE DATABASE $dst2" \
    -c "CREATE DATABASE $plain"

"${PSQL[@]}" -d $src -f "$here/fixture.sql" >/dev/null
"${PSQL[@]}" -d $src -f "$here/fingerprint.sql" >"$work/before.txt"

pg_dump -Fc -d $src -f "$work/residency.dump"
PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error -d $dst "$work/residency.dump"
pg_restore --exit-on-error --section=pre-data -d $dst2 "$work/residency.dump"
pg_restore --exit-on-error --data-only --disable-triggers -d $dst2 "$work/residency.dump"
pg_restore --exit-on-error --section=post-data -d $dst2 "$work/residency.dump"
"${PSQL[@]}" -d $dst -f "$here/fingerprint.sql" >"$work/after.txt"
"${PSQL[@]}" -d $dst2 -f "$here/fingerprint.sql" >"$work/after_sections.txt"

fail=0
echo "dump/restore: rows per table: dumped, restored (replica), restored (sections)"
paste -d' ' <(cut -d'|' -f1,2 "$work/before.txt") <(cut -d'|' -f2 "$work/after.txt") \
    <(cut -d'|' -f2 "$work/after_sections.txt") | sed 's/^/  /'
for restored in "$work/after.txt" "$work/after_sections.txt"; do
    if ! diff -u "$work/before.txt" "$restored"; then
        echo "FAIL: restored rows differ from the dumped rows ($restored)" >&2
        fail=1
    fi
done
if grep -q '|0|' "$work/before.txt"; then
    echo "FAIL: the fixture left a data table empty" >&2
    fail=1
fi

# The rule triggers are enabled in both restored databases: as many as
# CREATE EXTENSION made in the dumped database, none disabled ...
rule_triggers="SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'residency' AND NOT t.tgisinternal"
expected_triggers=$("${PSQL[@]}" -d $src -c "$rule_triggers")
for db in $dst $dst2; do
    disabled=$("${PSQL[@]}" -d $db -c "$rule_triggers AND t.tgenabled <> 'O'")
    enabled=$("${PSQL[@]}" -d $db -c "$rule_triggers")
    if [ "$disabled" != 0 ] || [ "$enabled" != "$expected_triggers" ] || [ "$enabled" -lt 10 ]; then
        echo "FAIL: $db: $enabled rule triggers (the dumped database has $expected_triggers), $disabled not enabled" >&2
        fail=1
    fi
done
echo "  rule triggers enabled in both restored databases"

# ... and every rule fires again on the restored database.
echo "  every rule holds after restore:"
expect_error $dst 22023 "U1 e-mail" "INSERT INTO residency.users (email) VALUES ('no-at-sign')"
expect_error $dst 23514 "U2 LOCKED -> PRO" "UPDATE residency.users SET entitlement_level = 'PRO' WHERE email = 'user12@example.org'"
expect_error $dst 22023 "P1 content" "INSERT INTO residency.content_packs (version, name, content, uploaded_by) VALUES ('9.0.0', 'bad', '{}', '00000000-0000-0000-0000-000000000010')"
expect_error $dst 23514 "P4 content frozen" "UPDATE residency.content_packs SET content = jsonb_set(content, '{metadata,title}', '\"changed\"') WHERE status = 'ARCHIVED'"
expect_error $dst 23514 "P4 ARCHIVED -> DRAFT" "UPDATE residency.content_packs SET status = 'DRAFT' WHERE status = 'ARCHIVED'"
expect_error $dst 23514 "P6 delete active" "DELETE FROM residency.content_packs WHERE status = 'ACTIVE'"
expect_error $dst 23514 "P7 questions mirror" "DELETE FROM residency.content_pack_questions AS q WHERE NOT EXISTS
    (SELECT 1 FROM residency.drill_sessions AS s WHERE s.content_pack_id = q.content_pack_id AND s.question_id = q.id)"
expect_error $dst 42501 "S1 LOCKED user" "INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-000000000012', 'q1')"
expect_error $dst 23514 "S2 COMPLETED -> STARTED" "UPDATE residency.drill_sessions SET status = 'STARTED' WHERE status = 'COMPLETED'"
expect_error $dst 23514 "R1 response to a finished session" "INSERT INTO residency.drill_responses (session_id, content) SELECT id, 'late' FROM residency.drill_sessions WHERE status = 'COMPLETED' LIMIT 1"
expect_error $dst 23514 "E2 six categories" "UPDATE residency.evaluation_results SET categories = categories - 0"

# ... and a new drill still goes through, moving its session as it should.
"${PSQL[@]}" -d $dst >"$work/drill.txt" <<'SQL'
INSERT INTO residency.drill_sessions (id, user_id, question_id)
VALUES ('00000000-0000-0000-0000-0000000002aa', '00000000-0000-0000-0000-000000000011', 'q2');
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000002aa', 'I paged the senior resident within ten minutes.');
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-0000000002aa';
SELECT status FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-0000000002aa';
SELECT residency.current_entitlement('00000000-0000-0000-0000-000000000011');
SQL
if [ "$(tr '\n' ' ' <"$work/drill.txt")" != "PROCESSING PRO " ]; then
    echo "FAIL: a new drill after restore: $(cat "$work/drill.txt")" >&2
    fail=1
else
    echo "  a new drill after restore: STARTED -> SUBMITTED -> PROCESSING; cache rebuilt (PRO)"
fi

# Restored the plain way, the rules judge restored rows as new writes and
# refuse them: that is why the procedure says to disable them.
if pg_restore --exit-on-error -d $plain "$work/residency.dump" 2>"$work/plain.err"; then
    echo "FAIL: a restore with the rules active was expected to be refused" >&2
    fail=1
else
    echo "  a plain pg_restore is refused by the rules: $(grep -m1 -o 'ERROR: .*' "$work/plain.err")"
fi

for db in $src $dst $dst2 $plain; do "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db"; done
if [ $fail -ne 0 ]; then
    echo "dump/restore: FAILED" >&2
    exit 1
fi
echo "dump/restore: ok"
