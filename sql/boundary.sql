SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- The C++/Postgres error boundary (DESIGN.md section 1), seen through the
-- superuser-only diagnostics residency._selftest_boundary(mode) and
-- residency._selftest_destructor_runs().
-- A core error keeps its SQLSTATE, message, DETAIL and HINT.

SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('core_error');
\echo :SQLSTATE
-- the C++ object alive in the failed body was destroyed exactly once
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- A Postgres error raised inside SPI (division by zero) comes back unchanged.
SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('postgres_error');
\echo :SQLSTATE
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- An ereport() under guarded() comes back with its SQLSTATE, DETAIL and HINT.
SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('postgres_ereport');
\echo :SQLSTATE
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- A standard C++ exception becomes an internal error (XX000) with its text.
SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('std_exception');
\echo :SQLSTATE
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- An unknown mode is an invalid parameter (22023).
SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('no_such_mode');
\echo :SQLSTATE
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- The normal path: the function returns the counter as it was while its
-- object was still alive; the object is destroyed on the way out.
SELECT residency._selftest_destructor_runs() AS before \gset
SELECT residency._selftest_boundary('ok') - :before AS counted_while_alive;
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- Ten calls, alternating normal and error paths inside one statement's
-- subtransactions, destroy exactly ten objects.
SELECT residency._selftest_destructor_runs() AS before \gset
DO $$
DECLARE
    m text;
BEGIN
    FOREACH m IN ARRAY ARRAY['ok', 'core_error', 'postgres_error', 'postgres_ereport', 'std_exception',
                             'ok', 'core_error', 'postgres_error', 'postgres_ereport', 'std_exception']
    LOOP
        BEGIN
            PERFORM residency._selftest_boundary(m);
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
    END LOOP;
END
$$;
SELECT residency._selftest_destructor_runs() - :before AS destructor_runs;

-- The session is still usable after every error path.
SELECT 1 / 1 AS still_working;

-- STRICT: a NULL mode is not a call.
SELECT residency._selftest_boundary(NULL) IS NULL AS null_mode_returns_null;

-- The diagnostics are superuser-only: service_role may not execute them.
SET ROLE service_role;
SELECT residency._selftest_boundary('ok');
\echo :SQLSTATE
SELECT residency._selftest_destructor_runs();
\echo :SQLSTATE
RESET ROLE;

-- Nor may authenticated or anon.
SELECT has_function_privilege(r, 'residency._selftest_boundary(text)', 'EXECUTE') AS boundary,
       has_function_privilege(r, 'residency._selftest_destructor_runs()', 'EXECUTE') AS destructor_runs,
       r AS role
FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r
ORDER BY r;
