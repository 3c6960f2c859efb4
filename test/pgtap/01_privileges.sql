-- The privileges and policies themselves (docs/data-model.md), read from
-- the catalogs. The behavioural tests (02-04) show what each role can do;
-- these pin the exact grant and policy lists, so that ANY added grant
-- (table, column, function, schema, to a role or to PUBLIC) or any policy
-- added, removed, re-targeted or widened to another command fails here even
-- where the behaviour would not show it yet.
BEGIN;
\ir helpers.psql

SELECT plan(61);

-------------------------------------------------------------------------------
-- RLS is enabled on every table of schema residency (and nothing forces it
-- off). Loosening: ALTER TABLE ... DISABLE ROW LEVEL SECURITY on any table.
-------------------------------------------------------------------------------
SELECT is_empty(
    $$SELECT c.relname::text FROM pg_catalog.pg_class AS c
      WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity$$,
    'RLS is enabled on every table of schema residency');
SELECT set_eq(
    $$SELECT c.relname::text FROM pg_catalog.pg_class AS c
      WHERE c.relnamespace = 'residency'::regnamespace AND c.relkind IN ('r', 'p')$$,
    ARRAY['users', 'content_packs', 'content_pack_questions', 'drill_sessions', 'drill_responses',
          'evaluation_results', 'entitlement_cache', 'content_admins',
          'stripe_webhook_secrets', 'stripe_prices', 'stripe_events', 'stripe_subscriptions'],
    'schema residency has exactly the twelve tables this matrix covers');

-------------------------------------------------------------------------------
-- Table and view privileges of each role: every privilege type, table-wide
-- or on any column. Loosening: any GRANT on a table or view (e.g. GRANT
-- UPDATE ON residency.users TO authenticated, or GRANT UPDATE (email) ...).
-------------------------------------------------------------------------------
CREATE TEMP VIEW relation_privileges AS
SELECT r.rolname::text AS role, c.oid::regclass::text AS relation, p.privilege
FROM pg_catalog.pg_class AS c
CROSS JOIN pg_catalog.pg_roles AS r
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(privilege)
WHERE c.relnamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND r.rolname IN ('anon', 'authenticated', 'service_role')
  AND (pg_catalog.has_table_privilege(r.oid, c.oid, p.privilege)
       OR (p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
           AND pg_catalog.has_any_column_privilege(r.oid, c.oid, p.privilege)));

SELECT is_empty(
    $$SELECT relation || ' ' || privilege FROM relation_privileges WHERE role = 'anon'$$,
    'anon has no privilege on any table or view of residency / residency_api');
SELECT set_eq(
    $$SELECT relation, privilege FROM relation_privileges WHERE role = 'authenticated'$$,
    $$VALUES ('residency.users', 'SELECT'), ('residency.content_packs', 'SELECT'),
             ('residency.content_pack_questions', 'SELECT'), ('residency.drill_sessions', 'SELECT'),
             ('residency.drill_responses', 'SELECT'), ('residency.evaluation_results', 'SELECT'),
             ('residency.entitlement_cache', 'SELECT'), ('residency.content_admins', 'SELECT'),
             ('residency_api.questions', 'SELECT'), ('residency_api.my_sessions', 'SELECT'),
             ('residency_api.my_evaluations', 'SELECT')$$,
    'authenticated may only SELECT (tables filtered by RLS, and the three API views)');
SELECT set_eq(
    $$SELECT relation, privilege FROM relation_privileges WHERE role = 'service_role'$$,
    $$SELECT t, p FROM unnest(ARRAY['residency.users', 'residency.content_packs', 'residency.content_pack_questions',
                                    'residency.drill_sessions', 'residency.drill_responses',
                                    'residency.evaluation_results', 'residency.content_admins']) AS t
                  CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p
      UNION ALL
      SELECT 'residency.stripe_prices', p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p
      UNION ALL
      VALUES ('residency.entitlement_cache', 'SELECT'), ('residency.stripe_events', 'SELECT'),
             ('residency.stripe_subscriptions', 'SELECT')
      UNION ALL
      SELECT v, 'SELECT' FROM unnest(ARRAY['residency_api.questions', 'residency_api.my_sessions',
                                           'residency_api.my_evaluations',
                                           'residency_api.stripe_unapplied_events']) AS v$$,
    'service_role has full DML on the tables and the price table, SELECT only on the cache and the webhook''s own state, which the rules alone write, nothing on the webhook secrets, no TRUNCATE/REFERENCES/TRIGGER, and SELECT on the views');
SELECT is_empty(
    $$SELECT c.oid::regclass::text FROM pg_catalog.pg_class AS c, pg_catalog.aclexplode(c.relacl) AS a
      WHERE c.relnamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace) AND a.grantee = 0
      UNION ALL
      SELECT c.oid::regclass::text || '.' || at.attname
      FROM pg_catalog.pg_attribute AS at JOIN pg_catalog.pg_class AS c ON c.oid = at.attrelid,
           pg_catalog.aclexplode(at.attacl) AS a
      WHERE c.relnamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace) AND a.grantee = 0$$,
    'PUBLIC has no privilege on any table, view or column of residency / residency_api');

-------------------------------------------------------------------------------
-- Schema privileges: USAGE for the three API roles (anon needs it to reach
-- the functions that answer 42501), CREATE for nobody. Loosening: GRANT
-- CREATE ON SCHEMA, or USAGE to PUBLIC.
-------------------------------------------------------------------------------
SELECT schema_privs_are('residency', 'anon', ARRAY['USAGE'], 'anon: USAGE only on schema residency');
SELECT schema_privs_are('residency_api', 'anon', ARRAY['USAGE'], 'anon: USAGE only on schema residency_api');
SELECT schema_privs_are('residency', 'authenticated', ARRAY['USAGE'], 'authenticated: USAGE only on schema residency');
SELECT schema_privs_are('residency_api', 'authenticated', ARRAY['USAGE'], 'authenticated: USAGE only on schema residency_api');
SELECT schema_privs_are('residency', 'service_role', ARRAY['USAGE'], 'service_role: USAGE only on schema residency');
SELECT schema_privs_are('residency_api', 'service_role', ARRAY['USAGE'], 'service_role: USAGE only on schema residency_api');
SELECT is_empty(
    $$SELECT n.nspname::text FROM pg_catalog.pg_namespace AS n, pg_catalog.aclexplode(n.nspacl) AS a
      WHERE n.nspname IN ('residency', 'residency_api') AND a.grantee = 0$$,
    'PUBLIC has no privilege on schema residency or residency_api');

-------------------------------------------------------------------------------
-- EXECUTE: exactly the user-facing API (and the implementations it calls)
-- for anon and authenticated; the worker/billing API only for service_role;
-- nothing for PUBLIC. Loosening: any GRANT EXECUTE (e.g. set_entitlement or
-- record_evaluation to authenticated, current_entitlement to PUBLIC).
-------------------------------------------------------------------------------
CREATE TEMP VIEW function_execute AS
SELECT r.rolname::text AS role, p.oid::regprocedure::text AS function
FROM pg_catalog.pg_proc AS p CROSS JOIN pg_catalog.pg_roles AS r
WHERE p.pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
  AND r.rolname IN ('anon', 'authenticated', 'service_role')
  AND pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE');

CREATE TEMP TABLE user_facing (function text);
INSERT INTO user_facing
SELECT s || '.' || f FROM unnest(ARRAY['residency', 'residency_api']) AS s,
    unnest(ARRAY['start_drill(text)', 'submit_response(uuid,text,text,numeric)', 'evaluate_session(uuid)',
                 'submit_and_evaluate(uuid,text,text,numeric)', 'score_answer(text,text,numeric)',
                 'upload_content_pack(text,text,text)', 'validate_content_pack(text)',
                 'activate_content_pack(uuid)', 'archive_content_pack(uuid)', 'my_entitlement()']) AS f
UNION ALL
-- what the user-facing functions call as the caller: whether the caller is
-- service_role (activate/archive), and the definer paths of a signed-in
-- content admin or PRO uploader, which re-check the user
VALUES ('residency.is_service_role()'), ('residency.activate_pack_as_content_admin(uuid)'),
       ('residency.archive_pack_as_user(uuid)')
UNION ALL
-- Stripe's webhook endpoint: Stripe sends no JWT, so it is anon's (the
-- signature is its only protection)
SELECT s || '.stripe_webhook(json)' FROM unnest(ARRAY['residency', 'residency_api']) AS s;
CREATE TEMP TABLE worker (function text);
INSERT INTO worker
SELECT s || '.' || f FROM unnest(ARRAY['residency', 'residency_api']) AS s,
    unnest(ARRAY['claim_submissions(integer)', 'record_evaluation(uuid,jsonb)', 'fail_evaluation(uuid,text)',
                 'fail_stale_processing(interval)', 'set_entitlement(uuid,text,text)',
                 'set_content_admin(uuid,boolean)', 'stripe_expire_grace()']) AS f;

SELECT set_eq(
    $$SELECT function FROM function_execute WHERE role = 'anon'$$,
    $$SELECT function FROM user_facing
      UNION ALL VALUES ('residency.uid()'), ('residency.is_entitlement_level(text)'), ('residency.entitlement_ttl_s()')$$,
    'anon may execute uid(), the constraints'' functions and the user-facing API only (which then answers 42501)');
SELECT set_eq(
    $$SELECT function FROM function_execute WHERE role = 'authenticated'$$,
    $$SELECT function FROM user_facing
      UNION ALL VALUES ('residency.uid()'), ('residency.criterion_text(text)'), ('residency.is_entitlement_level(text)'),
                       ('residency.entitlement_ttl_s()')$$,
    'authenticated may execute uid(), the functions of the constraints and of the questions view, and the user-facing API only: no worker, billing or scorer function');
SELECT set_eq(
    $$SELECT function FROM function_execute WHERE role = 'service_role'$$,
    $$SELECT function FROM user_facing
      WHERE function NOT IN ('residency.activate_pack_as_content_admin(uuid)', 'residency.archive_pack_as_user(uuid)')
      UNION ALL SELECT function FROM worker
      UNION ALL VALUES ('residency.uid()'), ('residency.score(uuid,text,text,numeric,jsonb)'),
                       ('residency.require_service_role()'), ('residency.require_argument(boolean,text)'),
                       ('residency.cache_subscription(uuid,text)'), ('residency.apply_pack_status(uuid,text)'),
                       ('residency.is_blank(text)'), ('residency.check_evaluation_result(jsonb)'),
                       ('residency.previous_result(uuid,uuid,text,uuid)'), ('residency.insert_evaluation(uuid,jsonb)'),
                       ('residency.is_entitlement_level(text)'), ('residency.entitlement_ttl_s()'),
                       ('residency.criterion_text(text)'),
                       -- scheduled upkeep: the cache purge the cron job runs, and what
                       -- schedule_maintenance calls as its caller (a member of service_role)
                       ('residency.purge_expired_entitlement_cache()'),
                       ('residency.maintenance_jobs(text,interval,text,text)'),
                       ('residency.require_pg_cron()')$$,
    'service_role may execute the user-facing and worker API and the helpers its invoker functions call');
-- Scheduling the upkeep jobs is the owner's (and whom the owner grants it
-- to): no role of the API may, service_role included.
SELECT is_empty(
    $$SELECT role || ' ' || function FROM function_execute
      WHERE function IN ('residency.schedule_maintenance(text,interval,text,text)',
                         'residency.unschedule_maintenance()')$$,
    'no API role may schedule or unschedule the upkeep jobs');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
      WHERE p.pronamespace IN ('residency'::regnamespace, 'residency_api'::regnamespace)
        AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.aclexplode(p.proacl) AS a WHERE a.grantee = 0))$$,
    'PUBLIC may execute no function of residency / residency_api');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
      WHERE p.pronamespace = 'residency_api'::regnamespace AND p.prosecdef$$,
    'every function of residency_api is SECURITY INVOKER');

-------------------------------------------------------------------------------
-- Policies: exactly these, each TO authenticated only (anon and PUBLIC get
-- no policy), each for the command the seed gives it. Loosening: a new
-- policy, a policy TO public/anon, or a SELECT policy widened to ALL.
-------------------------------------------------------------------------------
SELECT policies_are('residency', 'users', ARRAY['users_select_own', 'users_update_own'], 'policies of users');
SELECT policies_are('residency', 'content_packs', ARRAY['content_packs_read', 'content_packs_manage_own'],
                    'policies of content_packs');
SELECT policies_are('residency', 'content_pack_questions', ARRAY['content_pack_questions_read'],
                    'policies of content_pack_questions');
SELECT policies_are('residency', 'drill_sessions', ARRAY['drill_sessions_own'], 'policies of drill_sessions');
SELECT policies_are('residency', 'drill_responses', ARRAY['drill_responses_own'], 'policies of drill_responses');
SELECT policies_are('residency', 'evaluation_results', ARRAY['evaluation_results_own'], 'policies of evaluation_results');
SELECT policies_are('residency', 'entitlement_cache', ARRAY['entitlement_cache_own'], 'policies of entitlement_cache');
SELECT policies_are('residency', 'content_admins', ARRAY['content_admins_own'], 'policies of content_admins');
-- payments: billing (service_role) reads the webhook's state and manages
-- prices; a restrictive policy closes the secrets to every role
SELECT policies_are('residency', 'stripe_webhook_secrets', ARRAY['stripe_webhook_secrets_none'],
                    'policies of stripe_webhook_secrets');
SELECT policies_are('residency', 'stripe_prices', ARRAY['stripe_prices_billing'], 'policies of stripe_prices');
SELECT policies_are('residency', 'stripe_events', ARRAY['stripe_events_billing'], 'policies of stripe_events');
SELECT policies_are('residency', 'stripe_subscriptions', ARRAY['stripe_subscriptions_billing'],
                    'policies of stripe_subscriptions');
SELECT policy_roles_are('residency', t, p, ARRAY['service_role'], format('policy %s on %s is TO service_role only', p, t))
FROM (VALUES ('stripe_prices', 'stripe_prices_billing'), ('stripe_events', 'stripe_events_billing'),
             ('stripe_subscriptions', 'stripe_subscriptions_billing')) AS x(t, p);
SELECT policy_cmd_is('residency', t, p, c, format('policy %s on %s is FOR %s', p, t, c))
FROM (VALUES ('stripe_prices', 'stripe_prices_billing', 'ALL'), ('stripe_events', 'stripe_events_billing', 'SELECT'),
             ('stripe_subscriptions', 'stripe_subscriptions_billing', 'SELECT'),
             ('stripe_webhook_secrets', 'stripe_webhook_secrets_none', 'ALL')) AS x(t, p, c);
SELECT ok((SELECT bool_and(permissive = 'RESTRICTIVE' AND qual = 'false' AND with_check = 'false')
            FROM pg_catalog.pg_policies WHERE schemaname = 'residency' AND tablename = 'stripe_webhook_secrets'),
          'the secrets'' only policy is RESTRICTIVE and lets no row through');

SELECT policy_roles_are('residency', t, p, ARRAY['authenticated'], format('policy %s on %s is TO authenticated only', p, t))
FROM (VALUES ('users', 'users_select_own'), ('users', 'users_update_own'),
             ('content_packs', 'content_packs_read'), ('content_packs', 'content_packs_manage_own'),
             ('content_pack_questions', 'content_pack_questions_read'),
             ('drill_sessions', 'drill_sessions_own'), ('drill_responses', 'drill_responses_own'),
             ('evaluation_results', 'evaluation_results_own'), ('entitlement_cache', 'entitlement_cache_own'),
             ('content_admins', 'content_admins_own'))
     AS x(t, p);

SELECT policy_cmd_is('residency', t, p, c, format('policy %s on %s is FOR %s', p, t, c))
FROM (VALUES ('users', 'users_select_own', 'SELECT'), ('users', 'users_update_own', 'UPDATE'),
             ('content_packs', 'content_packs_read', 'SELECT'), ('content_packs', 'content_packs_manage_own', 'ALL'),
             ('content_pack_questions', 'content_pack_questions_read', 'SELECT'),
             ('drill_sessions', 'drill_sessions_own', 'ALL'), ('drill_responses', 'drill_responses_own', 'ALL'),
             ('evaluation_results', 'evaluation_results_own', 'ALL'),
             ('entitlement_cache', 'entitlement_cache_own', 'SELECT'),
             ('content_admins', 'content_admins_own', 'SELECT'))
     AS x(t, p, c);

-- The write halves of the policies TO authenticated (users_update_own,
-- content_packs_manage_own, the WITH CHECK of the FOR ALL policies) are kept
-- for deployments that grant more (src/sql/residency.sql says why); under
-- the extension's own grants they never apply: authenticated holds no write
-- privilege on any table such a policy is on, not even on one column.
SELECT is_empty(
    $$SELECT p.tablename || ' ' || p.policyname || ' ' || w.privilege
      FROM pg_catalog.pg_policies AS p
      CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) AS w(privilege)
      WHERE p.schemaname = 'residency' AND 'authenticated' = ANY (p.roles)
        AND (p.cmd = 'ALL' OR p.cmd = w.privilege)
        AND (pg_catalog.has_table_privilege('authenticated', pg_catalog.format('residency.%I', p.tablename), w.privilege)
             OR (w.privilege <> 'DELETE'
                 AND pg_catalog.has_any_column_privilege('authenticated',
                                                         pg_catalog.format('residency.%I', p.tablename), w.privilege)))$$,
    'no write half of a policy applies: authenticated has no INSERT, UPDATE or DELETE where one is');

-- every policy that reads the caller's id reads it once per statement
-- (an InitPlan), never per row: uid() only inside (SELECT residency.uid())
SELECT is_empty(
    $$SELECT policyname::text FROM pg_catalog.pg_policies
      WHERE schemaname = 'residency'
        AND pg_catalog.regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''),
                                      '\(\s*SELECT\s+((residency|auth)\.)?uid\(\)(\s+AS\s+\w+)?\s*\)', '', 'g')
            ~ '((residency|auth)\.)?uid\('$$,
    'no policy calls uid() outside a (SELECT ...) sub-select');

SELECT * FROM finish();
ROLLBACK;
