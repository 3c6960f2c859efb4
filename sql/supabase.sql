SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- A Supabase-shaped database (DESIGN.md section 2.2): when auth.users exists
-- at install time, residency.users references it, follows its inserts and
-- deletes, and is back-filled with the users who signed up before.

-- (a database left behind by an interrupted run is dropped first)
SET client_min_messages = warning;
DROP DATABASE IF EXISTS residency_supabase;
RESET client_min_messages;
CREATE DATABASE residency_supabase;
-- back to the regression database afterwards, whatever its name (--dbname)
\set regress_db :DBNAME
\c residency_supabase
\set SHOW_CONTEXT never

-- A minimal auth schema with two users who signed up before the install;
-- the second one has an e-mail address that rule U1 refuses.
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
INSERT INTO auth.users (id, email) VALUES
    ('00000000-0000-0000-0000-0000000000a1', 'early@example.org'),
    ('00000000-0000-0000-0000-0000000000a2', 'not-an-address');

-- The install back-fills residency.users; the user it cannot copy is
-- reported as a WARNING and does not stop the install.
SET client_min_messages = warning;
CREATE EXTENSION residency;
RESET client_min_messages;

-- the valid user was copied, LOCKED, with its cache row
SELECT u.id, u.email, u.entitlement_level, c.entitlement_level AS cached
FROM residency.users AS u LEFT JOIN residency.entitlement_cache AS c ON c.user_id = u.id
ORDER BY u.id;

-- residency.users.id references auth.users(id) ON DELETE CASCADE
SELECT conname, confrelid::regclass AS references_table, confdeltype = 'c' AS on_delete_cascade
FROM pg_constraint
WHERE conrelid = 'residency.users'::regclass AND contype = 'f';

-- the AFTER INSERT trigger on auth.users, and its SECURITY DEFINER function
-- with an empty search_path
SELECT tgname, tgtype & 1 = 1 AS for_each_row, tgtype & 2 = 0 AS after, tgfoid::regproc AS function
FROM pg_trigger WHERE tgrelid = 'auth.users'::regclass AND NOT tgisinternal;
SELECT prosecdef AS security_definer, proconfig AS settings
FROM pg_proc WHERE oid = 'residency.handle_auth_user_created()'::regprocedure;
SELECT has_function_privilege(r, 'residency.handle_auth_user_created()', 'EXECUTE') AS can_execute, r AS role
FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r ORDER BY r;

-- a new sign-up creates the residency.users row (LOCKED)
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b1', 'new@example.org');
SELECT id, email, entitlement_level FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b1';

-- ... also when the auth service writes as a role of its own (the trigger
-- function is SECURITY DEFINER)
BEGIN;
CREATE ROLE residency_test_auth_admin NOLOGIN;
GRANT USAGE ON SCHEMA auth TO residency_test_auth_admin;
GRANT INSERT ON auth.users TO residency_test_auth_admin;
SET LOCAL ROLE residency_test_auth_admin;
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b2', 'via-auth-admin@example.org');
RESET ROLE;
SELECT id, email, entitlement_level FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b2';
ROLLBACK;

-- a sign-up without an e-mail (phone sign-up) still succeeds, with a WARNING
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b3', NULL);
\echo :SQLSTATE
-- a sign-up with an e-mail that U1 refuses still succeeds, with a WARNING
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b4', 'two@@example.org');
\echo :SQLSTATE
-- a sign-up whose e-mail clashes (case-insensitively) with another user still succeeds, with a WARNING
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b5', 'NEW@example.org');
\echo :SQLSTATE
SELECT a.id, a.email, u.id IS NOT NULL AS has_residency_row
FROM auth.users AS a LEFT JOIN residency.users AS u ON u.id = a.id
ORDER BY a.id;

-- the trigger is idempotent: running it twice for one sign-up (a second
-- trigger with the same function, in a rolled-back transaction) creates one
-- row and raises nothing
BEGIN;
CREATE TRIGGER residency_on_auth_user_created_again AFTER INSERT ON auth.users
    FOR EACH ROW EXECUTE FUNCTION residency.handle_auth_user_created();
INSERT INTO auth.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000b6', 'twice@example.org');
SELECT count(*) AS residency_rows FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b6';
ROLLBACK;

-- residency.users cannot hold a user that auth.users does not know
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000c1', 'orphan@example.org');
\echo :SQLSTATE

-- deleting the auth user deletes the residency user, its cache row and its data
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000b1';
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Pack',
        '{"version": "1.0.0",
          "metadata": {"title": "Pack", "description": "Test pack",
                       "categories": ["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]},
          "questions": [{"id": "q1", "category": "Teamwork", "prompt": "Tell me about a handover.",
                         "expected_duration_s": 90, "evaluation_criteria": ["Names the risk"]}]}',
        '00000000-0000-0000-0000-0000000000a1');
UPDATE residency.content_packs SET status = 'ACTIVE';
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000b1', 'q1');
DELETE FROM auth.users WHERE id = '00000000-0000-0000-0000-0000000000b1';
SELECT (SELECT count(*) FROM residency.users WHERE id = '00000000-0000-0000-0000-0000000000b1') AS users,
       (SELECT count(*) FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000b1') AS cache_rows,
       (SELECT count(*) FROM residency.drill_sessions WHERE user_id = '00000000-0000-0000-0000-0000000000b1') AS sessions;
-- the user who uploaded a pack cannot simply vanish: the pack keeps them (P6 keeps the pack)
DELETE FROM auth.users WHERE id = '00000000-0000-0000-0000-0000000000a1';
\echo :SQLSTATE

\c :regress_db
DROP DATABASE residency_supabase;
