SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
-- The diagnostics live in the test-only extension residency_test
-- (test/modules/residency_test; make install-test-modules), never in
-- residency itself: residency 1.1 dropped its _selftest_* functions.
CREATE EXTENSION residency_test;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- The C++/Postgres error boundary (docs/architecture.md), seen through the
-- superuser-only diagnostics residency_test.boundary(mode) and
-- residency_test.destructor_runs(). They run residency's own boundary,
-- SPI and Datum code (src/pg), compiled into the test module.
-- A core error keeps its SQLSTATE, message, DETAIL and HINT.

SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('core_error');
\echo :SQLSTATE
-- the C++ object alive in the failed body was destroyed exactly once
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- A Postgres error raised inside SPI (division by zero) comes back unchanged.
SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('postgres_error');
\echo :SQLSTATE
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- An ereport() under guarded() comes back with its SQLSTATE, DETAIL and HINT.
SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('postgres_ereport');
\echo :SQLSTATE
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- A standard C++ exception becomes an internal error (XX000) with its text.
SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('std_exception');
\echo :SQLSTATE
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- An unknown mode is an invalid parameter (22023).
SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('no_such_mode');
\echo :SQLSTATE
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- The normal path: the function returns the counter as it was while its
-- object was still alive; the object is destroyed on the way out.
SELECT residency_test.destructor_runs() AS before \gset
SELECT residency_test.boundary('ok') - :before AS counted_while_alive;
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- Ten calls, alternating normal and error paths inside one statement's
-- subtransactions, destroy exactly ten objects.
SELECT residency_test.destructor_runs() AS before \gset
DO $$
DECLARE
    m text;
BEGIN
    FOREACH m IN ARRAY ARRAY['ok', 'core_error', 'postgres_error', 'postgres_ereport', 'std_exception',
                             'ok', 'core_error', 'postgres_error', 'postgres_ereport', 'std_exception']
    LOOP
        BEGIN
            PERFORM residency_test.boundary(m);
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
    END LOOP;
END
$$;
SELECT residency_test.destructor_runs() - :before AS destructor_runs;

-- The session is still usable after every error path.
SELECT 1 / 1 AS still_working;

-- STRICT: a NULL mode is not a call.
SELECT residency_test.boundary(NULL) IS NULL AS null_mode_returns_null;

-- The diagnostics are superuser-only: service_role may not execute them,
-- nor even look into their schema.
SET ROLE service_role;
SELECT residency_test.boundary('ok');
\echo :SQLSTATE
SELECT residency_test.destructor_runs();
\echo :SQLSTATE
RESET ROLE;
-- ... and with USAGE on the schema, the functions themselves still refuse.
BEGIN;
GRANT USAGE ON SCHEMA residency_test TO service_role;
SET LOCAL ROLE service_role;
SELECT residency_test.boundary('ok');
\echo :SQLSTATE
ROLLBACK;

-- Nor may authenticated or anon: no EXECUTE on the functions, no USAGE on
-- the schema.
SELECT has_function_privilege(r, 'residency_test.boundary(text)', 'EXECUTE') AS boundary,
       has_function_privilege(r, 'residency_test.destructor_runs()', 'EXECUTE') AS destructor_runs,
       has_function_privilege(r, 'residency_test.sanitizer_probe(text)', 'EXECUTE') AS sanitizer_probe,
       has_schema_privilege(r, 'residency_test', 'USAGE') AS schema_usage,
       r AS role
FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r
ORDER BY r;

-- residency itself no longer has the diagnostics (1.1 dropped them).
SELECT p.oid::regprocedure AS residency_selftest_function
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname IN ('residency', 'residency_api') AND p.proname LIKE '%selftest%';

-- The test module goes with its schema, leaving residency as it was.
DROP EXTENSION residency_test;
DROP SCHEMA residency_test;
