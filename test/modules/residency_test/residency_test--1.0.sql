-- residency_test 1.0: diagnostics of residency's C++ error boundary, for the
-- regression suite (sql/boundary.sql). Test-only: never install it in a
-- database that serves traffic. Schema residency_test is created by
-- CREATE EXTENSION (the control file's schema) and only its owner, a
-- superuser, may use it; EXECUTE is revoked from PUBLIC as well.

\echo Use "CREATE EXTENSION residency_test" to load this file. \quit

COMMENT ON SCHEMA residency_test IS 'residency_test: test-only diagnostics of residency (never in production)';

CREATE FUNCTION residency_test.boundary(mode text) RETURNS integer
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'residency_test_boundary';
CREATE FUNCTION residency_test.destructor_runs() RETURNS integer
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'residency_test_destructor_runs';
CREATE FUNCTION residency_test.sanitizer_probe(kind text) RETURNS text
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'residency_test_sanitizer_probe';
COMMENT ON FUNCTION residency_test.boundary(text) IS
    'Diagnostic: raises a core error, a Postgres error or a C++ exception through the error boundary; '
    'returns destructor_runs() as counted while its C++ object is alive';
COMMENT ON FUNCTION residency_test.destructor_runs() IS
    'Diagnostic: how many C++ objects boundary() has destroyed in this backend';

COMMENT ON FUNCTION residency_test.sanitizer_probe(text) IS
    'Diagnostic: commits the memory error or undefined behaviour kind names on purpose, in the sanitizer build only '
    '(scripts/sanitize.sh); refuses in any other build';

REVOKE ALL ON SCHEMA residency_test FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA residency_test FROM PUBLIC;
