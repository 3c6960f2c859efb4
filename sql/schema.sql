SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- The objects of docs/data-model.md: schemas, tables, row level security,
-- grants, dump registration and residency.uid().

-------------------------------------------------------------------------------
-- The extension and its schemas
-------------------------------------------------------------------------------
SELECT extname, extnamespace::regnamespace AS schema, extrelocatable AS relocatable, extversion AS version
FROM pg_extension WHERE extname = 'residency';
-- both schemas belong to the extension: residency is its own schema
-- (extnamespace, which Postgres never records as a member), residency_api
-- is a member
SELECT n.nspname AS schema,
       n.oid = (SELECT extnamespace FROM pg_extension WHERE extname = 'residency') AS extension_schema,
       EXISTS (SELECT 1 FROM pg_depend AS d
               WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                 AND d.refclassid = 'pg_extension'::regclass
                 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'residency')
                 AND d.deptype = 'e') AS member_of_extension
FROM pg_namespace AS n WHERE n.nspname IN ('residency', 'residency_api') ORDER BY 1;
-- the tables, each with row level security enabled
SELECT c.relname AS table_name, c.relpersistence AS persistence, c.relrowsecurity AS rls_enabled
FROM pg_class AS c
WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind = 'r'
ORDER BY 1;
-- every table belongs to the extension
SELECT count(*) AS tables_outside_extension
FROM pg_class AS c
WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');
-- plain PostgreSQL has no auth.users, so residency.users has no foreign key to it
SELECT count(*) AS foreign_keys_of_users FROM pg_constraint
WHERE conrelid = 'residency.users'::regclass AND contype = 'f';

-------------------------------------------------------------------------------
-- Constraints (docs/data-model.md)
-------------------------------------------------------------------------------
SELECT conrelid::regclass AS table_name, conname, pg_get_constraintdef(oid) AS definition
FROM pg_constraint
WHERE connamespace = 'residency'::regnamespace AND contype IN ('c', 'u', 'f')
ORDER BY 1, 2;
-- unique indexes: case-insensitive e-mail, one ACTIVE pack
SELECT indexrelid::regclass AS index_name, pg_get_indexdef(indexrelid) AS definition
FROM pg_index
WHERE indexrelid IN ('residency.users_email_lower_key'::regclass, 'residency.content_packs_one_active'::regclass)
ORDER BY 1;
-- every foreign-key column set and every column a policy filters on leads a btree index
SELECT t.table_name, t.columns,
       EXISTS (SELECT 1 FROM pg_index AS i
               WHERE i.indrelid = t.relid
                 AND (i.indkey::int2[])[0:cardinality(t.attnums) - 1] = t.attnums) AS indexed
FROM (SELECT c.conrelid AS relid, c.conrelid::regclass AS table_name, c.conkey AS attnums,
             (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
      FROM pg_constraint AS c
      WHERE c.connamespace = 'residency'::regnamespace AND c.contype = 'f'
      UNION
      SELECT p.relid, p.relid::regclass, ARRAY[a.attnum], a.attname::text
      FROM (VALUES ('residency.users'::regclass, 'id'), ('residency.content_packs'::regclass, 'uploaded_by'),
                   ('residency.drill_sessions'::regclass, 'user_id'), ('residency.drill_responses'::regclass, 'session_id'),
                   ('residency.evaluation_results'::regclass, 'session_id'),
                   ('residency.entitlement_cache'::regclass, 'user_id')) AS p(relid, col)
      JOIN pg_attribute AS a ON a.attrelid = p.relid AND a.attname = p.col) AS t
ORDER BY 1, 2;

-------------------------------------------------------------------------------
-- Row level security policies: TO authenticated, identity calls wrapped in
-- (SELECT residency.uid()) so that they run once per statement
-------------------------------------------------------------------------------
SELECT tablename, policyname, roles, cmd,
       regexp_replace(qual, '\s+', ' ', 'g') AS using_expression,
       regexp_replace(with_check, '\s+', ' ', 'g') AS check_expression
FROM pg_policies WHERE schemaname = 'residency'
ORDER BY tablename, policyname;
-- no bare uid() call: every call is the subquery form
SELECT policyname,
       (SELECT count(*) FROM regexp_matches(coalesce(qual, '') || coalesce(with_check, ''), 'uid\(\)', 'g')) AS uid_calls,
       (SELECT count(*) FROM regexp_matches(coalesce(qual, '') || coalesce(with_check, ''),
                                            '\( SELECT residency\.uid\(\) AS uid\)', 'g')) AS wrapped_calls
FROM pg_policies WHERE schemaname = 'residency'
ORDER BY policyname;

-------------------------------------------------------------------------------
-- Roles and grants
-------------------------------------------------------------------------------
-- the PostgREST roles exist (created NOLOGIN here; service_role bypasses RLS)
SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles
WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY rolname;
-- schema usage
SELECT r AS role, has_schema_privilege(r, 'residency', 'USAGE') AS residency,
       has_schema_privilege(r, 'residency_api', 'USAGE') AS residency_api
FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r ORDER BY r;
-- table privileges, per role: authenticated reads, service_role reads and writes, anon nothing
SELECT r AS role, c.relname AS table_name,
       has_table_privilege(r, c.oid, 'SELECT') AS sel,
       has_table_privilege(r, c.oid, 'INSERT') AS ins,
       has_table_privilege(r, c.oid, 'UPDATE') AS upd,
       has_table_privilege(r, c.oid, 'DELETE') AS del,
       has_table_privilege(r, c.oid, 'TRUNCATE') AS trunc,
       has_table_privilege(r, c.oid, 'REFERENCES') AS refs,
       has_table_privilege(r, c.oid, 'TRIGGER') AS trig
FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r,
     pg_class AS c
WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind = 'r'
ORDER BY 1, 2;
-- the same grants as information_schema lists them
SELECT grantee, privilege_type, count(*) AS tables
FROM information_schema.role_table_grants
WHERE table_schema = 'residency' AND grantee IN ('anon', 'authenticated', 'service_role', 'PUBLIC')
GROUP BY grantee, privilege_type ORDER BY 1, 2;
-- functions: only uid() is executable by the client roles; nothing by PUBLIC
SELECT p.oid::regprocedure AS function,
       has_function_privilege('anon', p.oid, 'EXECUTE') AS anon,
       has_function_privilege('authenticated', p.oid, 'EXECUTE') AS authenticated,
       has_function_privilege('service_role', p.oid, 'EXECUTE') AS service_role,
       EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
               WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS public
FROM pg_proc AS p WHERE p.pronamespace = 'residency'::regnamespace
ORDER BY p.oid::regprocedure::text;

-------------------------------------------------------------------------------
-- pg_dump keeps the rows of the 6 data tables, not the cache
-------------------------------------------------------------------------------
SELECT t.config AS table_name, t.condition = '' AS all_rows
FROM pg_extension AS e, unnest(e.extconfig::regclass[], e.extcondition) AS t(config, condition)
WHERE e.extname = 'residency'
ORDER BY t.config::text;
SELECT 'residency.entitlement_cache'::regclass = ANY (extconfig) AS cache_dumped
FROM pg_extension WHERE extname = 'residency';

-------------------------------------------------------------------------------
-- residency.uid(): request.jwt.claim.sub, else request.jwt.claims ->> 'sub';
-- empty strings are NULL
-------------------------------------------------------------------------------
SELECT provolatile AS volatility, proparallel AS parallel, prosecdef AS security_definer
FROM pg_proc WHERE oid = 'residency.uid()'::regprocedure;
-- nobody signed in: NULL
SELECT residency.uid() IS NULL AS no_user;
BEGIN;
-- request.jwt.claims (PostgREST 10 and later)
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a1", "role": "authenticated"}', true) IS NOT NULL AS claims_set;
SELECT residency.uid();
-- request.jwt.claim.sub (older PostgREST) wins over request.jwt.claims
SELECT set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-0000000000a2', true) IS NOT NULL AS claim_sub_set;
SELECT residency.uid();
-- an empty request.jwt.claim.sub falls back to request.jwt.claims
SELECT set_config('request.jwt.claim.sub', '', true) IS NOT NULL AS claim_sub_emptied;
SELECT residency.uid();
-- an empty sub in the claims is NULL
SELECT set_config('request.jwt.claims', '{"sub": "", "role": "anon"}', true) IS NOT NULL AS claims_set;
SELECT residency.uid() IS NULL AS no_user;
-- claims without a sub are NULL
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true) IS NOT NULL AS claims_set;
SELECT residency.uid() IS NULL AS no_user;
-- empty claims are NULL
SELECT set_config('request.jwt.claims', '', true) IS NOT NULL AS claims_set;
SELECT residency.uid() IS NULL AS no_user;
-- a sub that is not a uuid is an error
SELECT set_config('request.jwt.claim.sub', 'user-1', true) IS NOT NULL AS claim_sub_set;
SELECT residency.uid();
\echo :SQLSTATE
ROLLBACK;
-- uid() does not depend on the caller's search_path
BEGIN;
SET LOCAL search_path = pg_temp;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a3"}', true) IS NOT NULL AS claims_set;
SELECT residency.uid();
ROLLBACK;

-------------------------------------------------------------------------------
-- Row level security at work, as PostgREST's authenticated role
-------------------------------------------------------------------------------
INSERT INTO residency.users (id, email) VALUES
    ('00000000-0000-0000-0000-0000000000a1', 'one@example.org'),
    ('00000000-0000-0000-0000-0000000000a2', 'two@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
VALUES ('1.0.0', 'Pack',
        '{"version": "1.0.0",
          "metadata": {"title": "Pack", "description": "Test pack",
                       "categories": ["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]},
          "questions": [{"id": "q1", "category": "Teamwork", "prompt": "Tell me about a handover.",
                         "expected_duration_s": 90, "evaluation_criteria": ["Names the risk"]}]}',
        '00000000-0000-0000-0000-0000000000a1');
UPDATE residency.content_packs SET status = 'ACTIVE';
INSERT INTO residency.drill_sessions (id, user_id, question_id) VALUES
    ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'q1'),
    ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000a2', 'q1');
INSERT INTO residency.drill_responses (session_id, content) VALUES
    ('00000000-0000-0000-0000-0000000000e1', 'Answer of user one.'),
    ('00000000-0000-0000-0000-0000000000e2', 'Answer of user two.');
BEGIN;
SELECT residency_test.as_user('00000000-0000-0000-0000-0000000000a1');
-- user one sees their own user row, cache row, session and response, and every pack and question
SELECT (SELECT count(*) FROM residency.users) AS users,
       (SELECT count(*) FROM residency.entitlement_cache) AS cache_rows,
       (SELECT count(*) FROM residency.drill_sessions) AS sessions,
       (SELECT count(*) FROM residency.drill_responses) AS responses,
       (SELECT count(*) FROM residency.content_packs) AS packs,
       (SELECT count(*) FROM residency.content_pack_questions) AS questions;
SELECT email FROM residency.users;
SELECT content FROM residency.drill_responses;
-- and may not write directly
INSERT INTO residency.drill_sessions (user_id, question_id) VALUES ('00000000-0000-0000-0000-0000000000a1', 'q1');
\echo :SQLSTATE
ROLLBACK;
-- anon sees nothing: it has no privilege on the tables at all
BEGIN;
SET LOCAL ROLE anon;
SELECT count(*) FROM residency.users;
\echo :SQLSTATE
ROLLBACK;
-- service_role bypasses RLS and sees every row
BEGIN;
SET LOCAL ROLE service_role;
SELECT (SELECT count(*) FROM residency.users) AS users, (SELECT count(*) FROM residency.drill_sessions) AS sessions;
ROLLBACK;
