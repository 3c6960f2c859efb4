SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- Scheduled upkeep (docs/operations.md, "Scheduled upkeep"): what needs no
-- pg_cron. test/cron/run.sh runs the jobs under pg_cron itself. This suite
-- runs on a server without pg_cron loaded.

-------------------------------------------------------------------------------
-- purge_expired_entitlement_cache: drops expired rows only, and a read
-- rebuilds a dropped row (rule C1)
-------------------------------------------------------------------------------
INSERT INTO residency.users (id, email)
SELECT ('00000000-0000-0000-0000-0000000000d' || n)::uuid, 'upkeep' || n || '@example.org'
FROM generate_series(1, 5) AS n;
UPDATE residency.users SET entitlement_level = 'BASIC' WHERE id = '00000000-0000-0000-0000-0000000000d1';
-- d1 and d2 expired an hour ago, d3 a second ago, d4 and d5 fresh
UPDATE residency.entitlement_cache SET last_updated = last_updated - 7200, expires_at = expires_at - 7200
WHERE user_id IN ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d2');
UPDATE residency.entitlement_cache SET last_updated = extract(epoch FROM now())::bigint - 3601,
                                       expires_at = extract(epoch FROM now())::bigint - 1
WHERE user_id = '00000000-0000-0000-0000-0000000000d3';
SELECT user_id, entitlement_level, expires_at > extract(epoch FROM now()) AS fresh
FROM residency.entitlement_cache ORDER BY user_id;

-- service_role may run it (the cron job's role); it returns how many rows went
BEGIN;
SET LOCAL ROLE service_role;
SELECT residency.purge_expired_entitlement_cache() AS purged;
COMMIT;
SELECT user_id, entitlement_level FROM residency.entitlement_cache ORDER BY user_id;
-- nothing left to purge
BEGIN;
SET LOCAL ROLE service_role;
SELECT residency.purge_expired_entitlement_cache() AS purged;
COMMIT;
-- a purged row is rebuilt on the next read, with the level users holds
SELECT residency.current_entitlement('00000000-0000-0000-0000-0000000000d1');
SELECT user_id, entitlement_level, expires_at = last_updated + 3600 AS ttl
FROM residency.entitlement_cache WHERE user_id = '00000000-0000-0000-0000-0000000000d1';
-- service_role still cannot delete cache rows itself
BEGIN;
SET LOCAL ROLE service_role;
DELETE FROM residency.entitlement_cache;
ROLLBACK;
-- nor may a user or anon purge
BEGIN;
SET LOCAL ROLE authenticated;
SELECT residency.purge_expired_entitlement_cache();
ROLLBACK;
BEGIN;
SET LOCAL ROLE anon;
SELECT residency.purge_expired_entitlement_cache();
ROLLBACK;

-------------------------------------------------------------------------------
-- maintenance_jobs: the job names (with the database's name, shown as
-- <db>), schedules and commands; defaults, then every parameter overridden
-------------------------------------------------------------------------------
SELECT replace(job_name, current_database(), '<db>') AS job_name, schedule, command
FROM residency.maintenance_jobs();
-- the interval is written in ISO 8601 whatever the session's IntervalStyle
SET IntervalStyle = sql_standard;
SELECT replace(job_name, current_database(), '<db>') AS job_name, schedule, command
FROM residency.maintenance_jobs('*/2 * * * *', '20 minutes', NULL, '0 * * * *');
RESET IntervalStyle;
SELECT 'PT20M'::interval = '20 minutes'::interval AS reads_back;

-------------------------------------------------------------------------------
-- schedule_maintenance / unschedule_maintenance without pg_cron: 55000,
-- with what to do
-------------------------------------------------------------------------------
SELECT * FROM residency.schedule_maintenance();
\echo :SQLSTATE
SELECT * FROM residency.unschedule_maintenance();
\echo :SQLSTATE
-- an invalid stale_after is refused before pg_cron is looked for
SELECT * FROM residency.schedule_maintenance(stale_after => '0');
\echo :SQLSTATE
SELECT * FROM residency.schedule_maintenance(stale_after => NULL);
-- the owner's functions: no role may call them unless granted
BEGIN;
SET LOCAL ROLE service_role;
SELECT * FROM residency.schedule_maintenance();
ROLLBACK;
BEGIN;
SET LOCAL ROLE service_role;
SELECT * FROM residency.unschedule_maintenance();
ROLLBACK;
-- granted to a role that is not service_role: the jobs would run as that
-- role and fail, so it is refused
BEGIN;
GRANT EXECUTE ON FUNCTION residency.schedule_maintenance(text, interval, text, text) TO authenticated;
SET LOCAL ROLE authenticated;
SELECT * FROM residency.schedule_maintenance();
\echo :SQLSTATE
ROLLBACK;
-- granted to a member of service_role: it gets as far as pg_cron
CREATE ROLE upkeep_admin IN ROLE service_role;
GRANT EXECUTE ON FUNCTION residency.schedule_maintenance(text, interval, text, text) TO upkeep_admin;
SET ROLE upkeep_admin;
SELECT * FROM residency.schedule_maintenance();
RESET ROLE;
REVOKE EXECUTE ON FUNCTION residency.schedule_maintenance(text, interval, text, text) FROM upkeep_admin;
DROP ROLE upkeep_admin;

DELETE FROM residency.users WHERE email LIKE 'upkeep%@example.org';
