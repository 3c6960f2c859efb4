SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency.users: rules U1-U4, the case-insensitive unique e-mail, and the
-- entitlement cache C1 (docs/data-model.md, docs/rules.md).

-------------------------------------------------------------------------------
-- U1: the e-mail address
-------------------------------------------------------------------------------
-- U1: a plain address is accepted
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'ada@example.org');
-- U1: plus addressing and a multi-label domain are accepted
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a2', 'grace+drills@mail.example.co.uk');
-- U1: exactly 254 bytes is accepted (64-byte local part, 189-byte domain)
INSERT INTO residency.users (id, email)
VALUES ('00000000-0000-0000-0000-0000000000a3',
        repeat('l', 64) || '@' || repeat('b', 63) || '.' || repeat('c', 63) || '.' || repeat('d', 57) || '.org');
SELECT octet_length(email) AS bytes FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a3';
-- U1: 255 bytes is refused
INSERT INTO residency.users (email)
VALUES (repeat('l', 64) || '@' || repeat('b', 63) || '.' || repeat('c', 63) || '.' || repeat('d', 58) || '.org');
\echo :SQLSTATE
-- U1: no '@' is refused
INSERT INTO residency.users (email) VALUES ('ada.example.org');
\echo :SQLSTATE
-- U1: two '@' are refused
INSERT INTO residency.users (email) VALUES ('ada@lovelace@example.org');
\echo :SQLSTATE
-- U1: a space is refused
INSERT INTO residency.users (email) VALUES ('ada lovelace@example.org');
\echo :SQLSTATE
-- U1: a leading space is refused (no silent trimming)
INSERT INTO residency.users (email) VALUES (' ada@example.org');
\echo :SQLSTATE
-- U1: a control character (tab) is refused
INSERT INTO residency.users (email) VALUES (E'ada\t@example.org');
\echo :SQLSTATE
-- U1: an empty address is refused
INSERT INTO residency.users (email) VALUES ('');
\echo :SQLSTATE
-- U1: an empty local part is refused
INSERT INTO residency.users (email) VALUES ('@example.org');
\echo :SQLSTATE
-- U1: an empty domain is refused
INSERT INTO residency.users (email) VALUES ('ada@');
\echo :SQLSTATE
-- U1: a domain without a dot is refused
INSERT INTO residency.users (email) VALUES ('ada@localhost');
\echo :SQLSTATE
-- U1: a domain with an empty label is refused
INSERT INTO residency.users (email) VALUES ('ada@example..org');
\echo :SQLSTATE
-- U1: NULL is left to NOT NULL
INSERT INTO residency.users (id, email, created_at, updated_at)
VALUES ('00000000-0000-0000-0000-0000000000e1', NULL, '2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00');
\echo :SQLSTATE
-- U1: an UPDATE of the e-mail is checked too
UPDATE residency.users SET email = 'ada@nowhere' WHERE id = '00000000-0000-0000-0000-0000000000a1';
\echo :SQLSTATE
-- U1: an UPDATE to another valid address is accepted
UPDATE residency.users SET email = 'ada.lovelace@example.org' WHERE id = '00000000-0000-0000-0000-0000000000a1';
SELECT email FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a1';

-------------------------------------------------------------------------------
-- The e-mail is unique case-insensitively
-------------------------------------------------------------------------------
INSERT INTO residency.users (email) VALUES ('ADA.LOVELACE@EXAMPLE.ORG');
\echo :SQLSTATE
UPDATE residency.users SET email = 'Ada.Lovelace@Example.org' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
-- the same user may change the case of their own address
UPDATE residency.users SET email = 'Ada.Lovelace@Example.org' WHERE id = '00000000-0000-0000-0000-0000000000a1';
SELECT email FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a1';

-------------------------------------------------------------------------------
-- U2: entitlement transitions
-------------------------------------------------------------------------------
-- a new user is LOCKED by default
SELECT entitlement_level FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: LOCKED -> LOCKED is a no-op, allowed
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: LOCKED -> PRO is refused
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a1';
\echo :SQLSTATE
-- U2: LOCKED -> BASIC is allowed
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: BASIC -> BASIC is a no-op, allowed
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: BASIC -> PRO is allowed
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: PRO -> PRO is a no-op, allowed
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: PRO -> BASIC is refused (a downgrade goes through LOCKED)
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a1';
\echo :SQLSTATE
-- U2: PRO -> LOCKED is allowed
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000a1';
-- U2: BASIC -> LOCKED is allowed
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a2';
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000a2';
-- U2: a value outside the enumeration is refused
UPDATE residency.users SET entitlement_level = 'GOLD' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
-- U2: a refused transition inside a multi-row UPDATE refuses the whole statement
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a3';
UPDATE residency.users SET entitlement_level = 'PRO'
WHERE id IN ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000a3');
\echo :SQLSTATE
SELECT id, entitlement_level FROM residency.users ORDER BY id;

-------------------------------------------------------------------------------
-- The full lifecycle LOCKED -> BASIC -> PRO -> LOCKED, with the cache (C1)
-- following every change: expires_at = last_updated + 3600, last_updated now
-------------------------------------------------------------------------------
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b1', 'lifecycle@example.org');
CREATE VIEW cache_state AS
SELECT u.entitlement_level AS users_level,
       c.entitlement_level AS cache_level,
       c.expires_at - c.last_updated AS ttl_s,
       c.last_updated BETWEEN extract(epoch FROM clock_timestamp())::bigint - 60
                          AND extract(epoch FROM clock_timestamp())::bigint + 1 AS written_just_now
FROM residency.users AS u
LEFT JOIN residency.entitlement_cache AS c ON c.user_id = u.id
WHERE u.id = '00000000-0000-0000-0000-0000000000b1';
-- C1: inserting a user writes its cache row
SELECT * FROM cache_state;
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000b1';
-- C1: the cache follows LOCKED -> BASIC
SELECT * FROM cache_state;
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000b1';
-- C1: the cache follows BASIC -> PRO
SELECT * FROM cache_state;
UPDATE residency.users SET entitlement_level = 'LOCKED' WHERE id = '00000000-0000-0000-0000-0000000000b1';
-- C1: the cache follows PRO -> LOCKED
SELECT * FROM cache_state;
-- C1: a refused transition leaves the cache as it was
UPDATE residency.users SET entitlement_level = 'PRO' WHERE id = '00000000-0000-0000-0000-0000000000b1';
\echo :SQLSTATE
SELECT * FROM cache_state;
-- C1: every user has exactly one cache row with the 3600 s TTL
SELECT count(*) AS users,
       count(c.user_id) AS cached,
       bool_and(c.entitlement_level = u.entitlement_level) AS levels_agree,
       bool_and(c.expires_at = c.last_updated + 3600) AS ttl_3600
FROM residency.users AS u LEFT JOIN residency.entitlement_cache AS c ON c.user_id = u.id;

-------------------------------------------------------------------------------
-- C1: residency.current_entitlement(id) reads the cache and rebuilds a
-- missing or expired row from users
-------------------------------------------------------------------------------
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000b1';
-- C1: a fresh row is read as it is
SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000b1');
-- C1: a deleted row is rebuilt from users
DELETE FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000b1';
SELECT count(*) AS cache_rows FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000b1';
SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000b1');
SELECT * FROM cache_state;
-- C1: an expired row is rebuilt from users (the stale level is not returned)
UPDATE residency.entitlement_cache
SET entitlement_level = 'PRO', last_updated = last_updated - 7200, expires_at = expires_at - 7200
WHERE user_id = '00000000-0000-0000-0000-0000000000b1';
SELECT cache_level, written_just_now FROM cache_state;
SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000b1');
SELECT * FROM cache_state;
-- C1: the cache keeps its TTL invariant (expires_at = last_updated + 3600)
UPDATE residency.entitlement_cache SET last_updated = 1700000000, expires_at = 1700003601
WHERE user_id = '00000000-0000-0000-0000-0000000000b1';
\echo :SQLSTATE
-- C1: an unknown user has no entitlement (NULL), and no cache row is made
SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000ff') IS NULL AS unknown_is_null;
SELECT count(*) AS cache_rows FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000ff';
-- C1: a NULL id is NULL (STRICT)
SELECT residency.current_entitlement(NULL) IS NULL AS null_is_null;
-- C1: deleting a user deletes its cache row
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b2', 'short-lived@example.org');
DELETE FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b2';
SELECT count(*) AS cache_rows FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000b2';
DROP VIEW cache_state;

-------------------------------------------------------------------------------
-- U3: clients (authenticated, anon) never change entitlement_level or
-- stripe_customer_id, even if a grant were loosened
-------------------------------------------------------------------------------
-- authenticated has no UPDATE grant at all by design
BEGIN;
SELECT residency_test.as_user('00000000-0000-0000-0000-0000000000a2');
UPDATE residency.users SET last_login_at = now() WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK;

-- with UPDATE granted (inside the transaction only), the trigger still holds
BEGIN;
GRANT UPDATE ON residency.users TO authenticated;
SELECT residency_test.as_user('00000000-0000-0000-0000-0000000000a2');
-- U3: authenticated may update a column of its own row that is not entitlement
UPDATE residency.users SET last_login_at = now() WHERE id = '00000000-0000-0000-0000-0000000000a2';
SELECT last_login_at IS NOT NULL AS logged_in FROM residency.users;
SAVEPOINT s;
-- U3: authenticated changing its own entitlement_level is refused
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: authenticated changing its own stripe_customer_id is refused
UPDATE residency.users SET stripe_customer_id = 'cus_self_made' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: writing the current values back is not a change, so it is allowed
UPDATE residency.users SET entitlement_level = entitlement_level, stripe_customer_id = stripe_customer_id
WHERE id = '00000000-0000-0000-0000-0000000000a2';
ROLLBACK;

-- U3 on INSERT, with INSERT granted and an INSERT policy (transaction only)
BEGIN;
GRANT INSERT ON residency.users TO authenticated;
CREATE POLICY users_insert_tmp ON residency.users FOR INSERT TO authenticated WITH CHECK (true);
SELECT residency_test.as_user('00000000-0000-0000-0000-0000000000c1');
SAVEPOINT s;
-- U3: authenticated inserting a PRO user is refused
INSERT INTO residency.users (id, email, entitlement_level)
VALUES ('00000000-0000-0000-0000-0000000000c1', 'self-made-pro@example.org', 'PRO');
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: authenticated inserting a user with a stripe_customer_id is refused
INSERT INTO residency.users (id, email, stripe_customer_id)
VALUES ('00000000-0000-0000-0000-0000000000c1', 'self-made-pro@example.org', 'cus_self_made');
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: authenticated inserting a LOCKED user without billing data is allowed
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c1', 'self-made@example.org');
ROLLBACK;

-- U3 for anon, with UPDATE granted and a permissive policy (transaction only)
BEGIN;
GRANT USAGE ON SCHEMA residency TO anon;
GRANT SELECT, UPDATE ON residency.users TO anon;
CREATE POLICY users_anon_tmp ON residency.users FOR ALL TO anon USING (true) WITH CHECK (true);
SET LOCAL ROLE anon;
SAVEPOINT s;
-- U3: anon changing entitlement_level is refused
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: anon changing stripe_customer_id is refused
UPDATE residency.users SET stripe_customer_id = 'cus_anon' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- U3: anon updating another column is allowed by the trigger
UPDATE residency.users SET last_login_at = now() WHERE id = '00000000-0000-0000-0000-0000000000a2';
ROLLBACK;

-- U3: a login role that is a member of authenticated is a client too
BEGIN;
CREATE ROLE residency_test_client NOLOGIN IN ROLE authenticated;
GRANT UPDATE ON residency.users TO authenticated;
SELECT residency_test.as_postgrest('residency_test_client', '{"sub":"00000000-0000-0000-0000-0000000000a2","role":"authenticated"}');
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE
ROLLBACK;

-- U3: service_role may change entitlement_level and stripe_customer_id
SET ROLE service_role;
UPDATE residency.users SET entitlement_level = 'BASIC', stripe_customer_id = 'cus_0000a2'
WHERE id = '00000000-0000-0000-0000-0000000000a2';
INSERT INTO residency.users (id, email, entitlement_level, stripe_customer_id)
VALUES ('00000000-0000-0000-0000-0000000000c2', 'billed@example.org', 'PRO', 'cus_0000c2');
-- service_role is still held to U2
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000c2';
\echo :SQLSTATE
RESET ROLE;
SELECT id, entitlement_level, stripe_customer_id FROM residency.users
WHERE id IN ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000c2') ORDER BY id;
-- stripe_customer_id is unique
UPDATE residency.users SET stripe_customer_id = 'cus_0000c2' WHERE id = '00000000-0000-0000-0000-0000000000a2';
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- U4: updated_at is set on every update; created_at <= updated_at
-------------------------------------------------------------------------------
INSERT INTO residency.users (id, email, created_at, updated_at)
VALUES ('00000000-0000-0000-0000-0000000000d1', 'clock@example.org', '2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00');
SELECT created_at = updated_at AS same_at_insert FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000d1';
-- U4: any update moves updated_at to the transaction's time; created_at stays
BEGIN;
UPDATE residency.users SET last_login_at = '2020-06-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000d1';
SELECT updated_at = now() AS updated_now, created_at = '2020-01-01 00:00:00+00' AS created_kept
FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000d1';
COMMIT;
-- U4: an update that sets updated_at itself still gets the transaction's time
BEGIN;
UPDATE residency.users SET updated_at = '1999-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000d1';
SELECT updated_at = now() AS updated_now FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000d1';
COMMIT;
-- U4: a no-op entitlement update is still an update
BEGIN;
UPDATE residency.users SET entitlement_level = entitlement_level WHERE id = '00000000-0000-0000-0000-0000000000d1';
SELECT updated_at = now() AS updated_now FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000d1';
COMMIT;
-- U4: an insert with created_at later than updated_at is refused
INSERT INTO residency.users (email, created_at, updated_at)
VALUES ('backwards@example.org', '2021-01-01 00:00:00+00', '2020-01-01 00:00:00+00');
\echo :SQLSTATE
-- U4: moving created_at into the future (after the new updated_at) is refused;
-- the error is re-raised unchanged except for the current time in its DETAIL
DO $$
DECLARE
    state text; msg text; det text; hnt text;
BEGIN
    UPDATE residency.users SET created_at = '2999-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000d1';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = msg, HINT = hnt,
        DETAIL = regexp_replace(det, 'updated_at .*\.$', 'updated_at <now>.');
END
$$;
\echo :SQLSTATE
-- U4: moving created_at into the past is allowed
UPDATE residency.users SET created_at = '2019-01-01 00:00:00+00' WHERE id = '00000000-0000-0000-0000-0000000000d1';
SELECT created_at <= updated_at AS ordered FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000d1';
