SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;

-- Lints on our own schemas (residency, residency_api) in the style of
-- Supabase's database linter (splinter): each query prints the objects that
-- break the rule, so an empty result means the lint passes.
-- docs/data-model.md and docs/postgrest.md are the rules.

-- auth_rls_initplan (Supabase lint 0003): a policy that reads the caller's
-- id wraps it in a sub-select, (SELECT residency.uid()), so it runs once per
-- statement as an InitPlan instead of once per row.
SELECT p.tablename, p.policyname, c.clause
FROM pg_policies AS p
CROSS JOIN LATERAL (VALUES ('USING', p.qual), ('WITH CHECK', p.with_check)) AS c(clause, expr)
WHERE p.schemaname = 'residency'
  AND regexp_replace(c.expr, '\(\s*SELECT\s+((residency|auth)\.)?uid\(\)(\s+AS\s+\w+)?\s*\)', '', 'gi')
      ~* '((residency|auth)\.)?uid\s*\('
ORDER BY 1, 2, 3;
-- (the lint above is not vacuous: it does see the wrapped calls)
SELECT count(*) > 0 AS policies_read_uid
FROM pg_policies
WHERE schemaname = 'residency'
  AND coalesce(qual, '') || coalesce(with_check, '') ~* '\(\s*SELECT\s+((residency|auth)\.)?uid\(\)';

-- unindexed_foreign_keys (Supabase lint 0001), and docs/data-model.md: the
-- leading column of every foreign key, and every column a policy filters
-- on (read from the policy's dependencies, sub-selects included), is the
-- leading column of a (non-partial) btree index.
WITH needed AS (
    SELECT c.conrelid AS relid, c.conkey[1] AS attnum, 'foreign key ' || c.conname AS why
    FROM pg_constraint AS c
    JOIN pg_class AS t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relnamespace = 'residency'::regnamespace
    UNION
    SELECT d.refobjid, d.refobjsubid, 'policy ' || p.polname
    FROM pg_policy AS p
    JOIN pg_class AS pt ON pt.oid = p.polrelid
    JOIN pg_depend AS d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid
    WHERE pt.relnamespace = 'residency'::regnamespace
      AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
)
SELECT n.relid::regclass AS table_name, a.attname AS column_name, string_agg(n.why, ', ' ORDER BY n.why) AS needed_by
FROM needed AS n
JOIN pg_attribute AS a ON a.attrelid = n.relid AND a.attnum = n.attnum
WHERE NOT EXISTS (
    SELECT 1
    FROM pg_index AS i
    JOIN pg_class AS ic ON ic.oid = i.indexrelid
    JOIN pg_am AS am ON am.oid = ic.relam
    WHERE i.indrelid = n.relid AND i.indkey[0] = n.attnum AND am.amname = 'btree' AND i.indpred IS NULL)
GROUP BY 1, 2
ORDER BY 1, 2;

-- No SECURITY DEFINER function in the exposed schema: the API runs as the
-- caller; privileged work is done in schema residency (docs/postgrest.md).
SELECT p.oid::regprocedure AS security_definer_api_function
FROM pg_proc AS p
WHERE p.pronamespace = 'residency_api'::regnamespace AND p.prosecdef
ORDER BY 1::text;

-- function_search_path_mutable (Supabase lint 0011), made stricter where it
-- matters most: every SECURITY DEFINER function pins
-- search_path = pg_catalog, pg_temp. Supabase's advice, search_path = '',
-- is not enough: with pg_temp left off the path, the caller's temporary
-- schema is searched first for types and relations (sql/search_path.sql).
SELECT p.oid::regprocedure AS definer_without_pg_catalog_pg_temp, p.proconfig
FROM pg_proc AS p
WHERE p.pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
  AND p.prosecdef
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS s WHERE s = 'search_path=pg_catalog, pg_temp')
ORDER BY 1::text;
-- (the lint above is not vacuous: there are definer functions to check)
SELECT count(*) >= 10 AS definer_functions_checked
FROM pg_proc
WHERE pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace) AND prosecdef;
-- Every other function that sets a search_path sets the same one.
SELECT p.oid::regprocedure AS function_with_other_search_path, s AS setting
FROM pg_proc AS p CROSS JOIN LATERAL unnest(p.proconfig) AS s
WHERE p.pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
  AND s LIKE 'search_path=%' AND s <> 'search_path=pg_catalog, pg_temp'
ORDER BY 1::text;

-- rls_disabled_in_public (Supabase lint 0013): RLS on every table of
-- residency; rls_enabled_no_policy (0008): and at least one policy each.
SELECT c.oid::regclass AS table_name,
       CASE WHEN NOT c.relrowsecurity THEN 'RLS disabled' ELSE 'RLS enabled, no policy' END AS problem
FROM pg_class AS c
WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind IN ('r', 'p')
  AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy AS p WHERE p.polrelid = c.oid))
ORDER BY 1::text;

-- Every function and view of residency_api has a COMMENT (PostgREST shows
-- it in its OpenAPI description).
SELECT p.oid::regprocedure::text AS api_object_without_comment
FROM pg_proc AS p
WHERE p.pronamespace = 'residency_api'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT c.oid::regclass::text
FROM pg_class AS c
WHERE c.relnamespace = 'residency_api'::regnamespace AND c.relkind IN ('v', 'm')
  AND obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1;

-- security_definer_view (Supabase lint 0010): the views of residency_api
-- run with the caller's privileges and RLS (security_invoker).
SELECT c.oid::regclass AS view_without_security_invoker
FROM pg_class AS c
WHERE c.relnamespace = 'residency_api'::regnamespace AND c.relkind = 'v'
  AND NOT EXISTS (SELECT 1 FROM unnest(c.reloptions) AS o
                  WHERE o ~* '^security_invoker=(true|on|yes|1)$')
ORDER BY 1::text;

-- docs/data-model.md: EXECUTE is revoked from PUBLIC on every function of both
-- schemas (a NULL proacl means the default, EXECUTE for PUBLIC).
SELECT p.oid::regprocedure AS executable_by_public
FROM pg_proc AS p
WHERE p.pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
  AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) AS a WHERE a.grantee = 0))
ORDER BY 1::text;

-------------------------------------------------------------------------------
-- B5 (docs/benchmarks.md), the plan only: one user's last 20 evaluations,
-- read through RLS, must use the indexes and read uid() once (an InitPlan).
-- 200 users x 50 completed drills = 10,000 evaluations, written as the
-- superuser through the tables so that every rule holds: session ->
-- response -> PROCESSING -> evaluation built by residency.score() on the
-- bundled pack.
-------------------------------------------------------------------------------
\set pack `cat packs/default.json`
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a0', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO';
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c0', :'pack'::jsonb ->> 'version', 'bundled', :'pack',
        '00000000-0000-0000-0000-0000000000a0');
UPDATE residency.content_packs SET status = 'ACTIVE';

INSERT INTO residency.users (email) SELECT format('user%s@example.org', g) FROM generate_series(1, 200) AS g;
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE email LIKE 'user%';
INSERT INTO residency.drill_sessions (user_id, question_id)
SELECT u.id, q.id
FROM residency.users AS u
CROSS JOIN generate_series(0, 49) AS g
JOIN residency.content_pack_questions AS q
  ON q.content_pack_id = '00000000-0000-0000-0000-0000000000c0'
 AND q.ordinal = g % (SELECT count(*) FROM residency.content_pack_questions) + 1
WHERE u.email LIKE 'user%';
INSERT INTO residency.drill_responses (session_id, content, audio_duration_s)
SELECT s.id,
       'During my medicine rotation a handover missed a potassium result, so I wrote a short checklist, '
       'I trained the night team in two weeks, and as a result missed results fell by half over three '
       'months. I learned to name the risk early and to measure what changed afterwards.',
       45
FROM residency.drill_sessions AS s;
UPDATE residency.drill_sessions SET status = 'PROCESSING';
INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
    categories, what_changed, practice_rule, model_used, processing_time_ms, details)
SELECT s.id, r.id, (x ->> 'duration_s')::numeric, (x ->> 'words')::integer, (x ->> 'wpm')::numeric,
       (x ->> 'overall_score')::integer, x -> 'categories', x -> 'what_changed', x ->> 'practice_rule',
       x ->> 'model_used', 1, x -> 'details'
FROM residency.drill_sessions AS s
JOIN residency.drill_responses AS r ON r.session_id = s.id
CROSS JOIN LATERAL residency.score(s.content_pack_id, s.question_id, r.content, r.audio_duration_s) AS x;
SELECT count(*) AS evaluations, count(DISTINCT s.user_id) AS users,
       bool_and(s.status = 'COMPLETED') AS all_completed
FROM residency.evaluation_results AS e JOIN residency.drill_sessions AS s ON s.id = e.session_id;
VACUUM ANALYZE residency.users, residency.drill_sessions, residency.drill_responses, residency.evaluation_results;

-- The plan as PostgREST's request for one signed-in user gets it; the
-- checks print booleans, not the plan, so the output does not depend on
-- plan details that do not matter.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END
$$;
BEGIN;
SELECT residency_test.as_user(id) FROM residency.users WHERE email = 'user7@example.org';
CREATE TEMP TABLE b5_plan AS
SELECT ordinality AS n, line
FROM pg_temp.plan_of('SELECT * FROM residency_api.my_evaluations ORDER BY created_at DESC LIMIT 20')
     WITH ORDINALITY AS p(line, ordinality);
SELECT
    -- uid() runs once: an InitPlan, and no filter calls it (or reads the claims) per row
    bool_or(line ~ '^\s*InitPlan \d+ \(returns \$\d+\)') AS uid_in_initplan,
    NOT bool_or(line ~ 'current_setting|uid\(') AS uid_not_per_row,
    -- the user's evaluations are found by an index on evaluation_results(user_id, ...)
    bool_or(EXISTS (
        SELECT 1
        FROM regexp_matches(line, '(?:Index Scan|Index Only Scan)(?: Backward)? using (\S+) on|Bitmap Index Scan on (\S+)') AS m
        JOIN pg_class AS ic ON ic.relname = coalesce(m[1], m[2]) AND ic.relnamespace = 'residency'::regnamespace
        JOIN pg_index AS i ON i.indexrelid = ic.oid
        JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = 'residency.evaluation_results'::regclass AND a.attname = 'user_id')) AS evaluations_by_user_index,
    -- walked newest first: no sort of all the user's rows
    NOT bool_or(line ~ '^\s*(->\s*)?Sort\M') AS newest_first_without_sort,
    -- and no table is read whole
    NOT bool_or(line ~ 'Seq Scan on drill_sessions') AS no_seq_scan_drill_sessions,
    NOT bool_or(line ~ 'Seq Scan on evaluation_results') AS no_seq_scan_evaluation_results
FROM b5_plan;
-- the query answers with the user's own evaluations only
SELECT count(*) AS shown,
       count(*) FILTER (WHERE e.session_id IN (SELECT s.id FROM residency.drill_sessions AS s
                                               WHERE s.user_id = residency.uid())) AS own
FROM (SELECT * FROM residency_api.my_evaluations ORDER BY created_at DESC LIMIT 20) AS e;
SELECT count(*) AS all_own_evaluations FROM residency_api.my_evaluations;
ROLLBACK;

-------------------------------------------------------------------------------
-- Every evaluation reads the caller's previous attempt at the question
-- (residency.previous_result). Its query, taken from the function itself and
-- planned generically as PL/pgSQL plans it after a few calls, must take the
-- first entry of drill_sessions_last_completed: no sort of the user's
-- history, however long it is.
-------------------------------------------------------------------------------
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           substring(prosrc FROM 'RETURN \((.*)\);'),
           '\mprevious_result\.question_id\M', '$3', 'g'), '\mcaller\M', '$1', 'g'),
           '\mpack_id\M', '$2', 'g'), '\mbefore_session\M', '$4', 'g') AS previous_query
FROM pg_proc WHERE oid = 'residency.previous_result(uuid, uuid, text, uuid)'::regprocedure \gset
PREPARE previous(uuid, uuid, text, uuid) AS :previous_query;
SET plan_cache_mode = force_generic_plan;
CREATE TEMP TABLE previous_plan AS
SELECT line FROM pg_temp.plan_of(format('EXECUTE previous(%L, %L, %L, %L)',
    (SELECT id FROM residency.users WHERE email = 'user7@example.org'), '00000000-0000-0000-0000-0000000000c0',
    (SELECT question_id FROM residency.drill_sessions ORDER BY id LIMIT 1), gen_random_uuid())) AS line;
RESET plan_cache_mode;
SELECT bool_or(line ~ 'Index Scan using drill_sessions_last_completed on drill_sessions') AS newest_attempt_by_index,
       NOT bool_or(line ~ '^\s*(->\s*)?Sort\M') AS previous_without_sort,
       NOT bool_or(line ~ 'Seq Scan') AS previous_without_seq_scan
FROM previous_plan;
DEALLOCATE previous;
