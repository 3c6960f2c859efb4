-- plpgsql_check over every PL/pgSQL function of the extension (issue 12):
-- zero errors and zero warnings. Run by test/lint/plpgsql_check.sh in a
-- scratch database holding pg_cron, a Supabase-shaped auth.users, residency
-- and plpgsql_check; every row plpgsql_check_function_tb returns fails the
-- step.
--
-- Every warning class is on: other, extra, performance, security and
-- compatibility; none is turned off. fatal_errors is off so that an error is
-- reported as a row and the other functions are still checked.
-- A warning that is a false positive is silenced next to the function, in
-- src/sql/residency.sql, with plpgsql_check's in-comment options and a
-- comment saying why (use_incomment_options is on, the default).
\set ON_ERROR_STOP 1
\pset footer off

-- What is checked: the extension's PL/pgSQL functions. A trigger function is
-- checked once for every table it is a trigger of (plpgsql_check needs the
-- relation to know NEW and OLD); one that no trigger uses cannot be checked
-- and fails the step.
CREATE TEMP TABLE checked AS
SELECT p.oid::regprocedure AS fn, coalesce(t.tgrelid, 0)::regclass AS rel,
       p.prorettype = 'pg_catalog.trigger'::regtype AS is_trigger
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                              AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
JOIN pg_catalog.pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'residency'
LEFT JOIN LATERAL (SELECT DISTINCT tg.tgrelid FROM pg_catalog.pg_trigger AS tg WHERE tg.tgfoid = p.oid) AS t
       ON p.prorettype = 'pg_catalog.trigger'::regtype
WHERE p.prolang = (SELECT l.oid FROM pg_catalog.pg_language AS l WHERE l.lanname = 'plpgsql');

SELECT fn AS "trigger function without a trigger (cannot be checked)"
FROM checked WHERE is_trigger AND rel = 0::regclass;

CREATE TEMP TABLE findings AS
SELECT c.fn, c.rel, r.lineno, r.level, r.sqlstate, r.message, r.detail, r.hint, r.statement
FROM checked AS c
CROSS JOIN LATERAL plpgsql_check_function_tb(c.fn, c.rel, fatal_errors => false, other_warnings => true,
                                           performance_warnings => true, extra_warnings => true,
                                           security_warnings => true, compatibility_warnings => true) AS r
WHERE NOT (c.is_trigger AND c.rel = 0::regclass);

\echo plpgsql_check findings (none expected):
SELECT fn, nullif(rel, 0::regclass) AS relation, lineno, level, sqlstate, message, detail, hint
FROM findings ORDER BY fn::text, rel::text, lineno;

-- Fails the step: any finding, a trigger function left unchecked, or fewer
-- functions than the extension has (the check must not become vacuous: a
-- wrong extension name or language would check nothing and pass).
DO $$
DECLARE
    n_findings integer := (SELECT count(*) FROM findings);
    n_unchecked integer := (SELECT count(*) FROM checked WHERE is_trigger AND rel = 0::regclass);
    n_functions integer := (SELECT count(DISTINCT fn) FROM checked);
    n_triggers integer := (SELECT count(*) FROM checked WHERE is_trigger);
BEGIN
    RAISE NOTICE 'plpgsql_check: % PL/pgSQL functions (% trigger function/relation pairs), % findings',
        n_functions, n_triggers, n_findings;
    IF n_functions < 40 OR n_triggers < 3 THEN
        RAISE EXCEPTION 'plpgsql_check checked only % functions and % trigger pairs; expected at least 40 and 3',
            n_functions, n_triggers;
    END IF;
    IF n_findings > 0 OR n_unchecked > 0 THEN
        RAISE EXCEPTION 'plpgsql_check: % findings, % trigger functions without a trigger', n_findings, n_unchecked;
    END IF;
END
$$;
