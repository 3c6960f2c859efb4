-- residency_test 1.0: diagnostics of residency's C++ error boundary, for the
-- regression suite (sql/boundary.sql), and the tests' one way of acting as a
-- PostgREST request (as_postgrest, as_user: pg_regress, the isolation specs
-- and pgTAP). Test-only: never install it in a database that serves traffic. Schema residency_test is created by
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

-- What PostgREST does at the start of each request, inside the request's
-- transaction: the JWT claims (and, when given, the request's headers, names
-- in lowercase) as transaction-local settings, then the role. A plain
-- function, not SECURITY DEFINER (which may not set role), callable by the
-- superuser only: call it before the role is switched, e.g. right after
-- BEGIN. Without claims, the claims are {"role": <role>}, as for a request
-- whose JWT has no sub (anon, service_role). is_local => false sets them for
-- the session instead, as SET ROLE does.
--   SELECT residency_test.as_postgrest('service_role');
--   SELECT residency_test.as_postgrest('anon', headers => '{"stripe-signature": "..."}');
CREATE FUNCTION residency_test.as_postgrest(role text, claims jsonb DEFAULT NULL, headers jsonb DEFAULT NULL,
                                            is_local boolean DEFAULT true) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF headers IS NOT NULL THEN
        PERFORM pg_catalog.set_config('request.headers', headers::pg_catalog.text, is_local);
    END IF;
    PERFORM pg_catalog.set_config('request.jwt.claims',
                                  coalesce(claims, pg_catalog.jsonb_build_object('role', role))::pg_catalog.text, is_local);
    PERFORM pg_catalog.set_config('role', role, is_local);
END
$$;
-- A signed-in user: authenticated, with sub = the user's id.
--   BEGIN; SELECT residency_test.as_user('00000000-0000-0000-0000-0000000000b1');
CREATE FUNCTION residency_test.as_user(sub uuid, is_local boolean DEFAULT true) RETURNS void
    LANGUAGE sql VOLATILE AS $$
    SELECT residency_test.as_postgrest('authenticated',
                                       pg_catalog.jsonb_build_object('sub', sub, 'role', 'authenticated'),
                                       NULL, is_local)
$$;
COMMENT ON FUNCTION residency_test.as_postgrest(text, jsonb, jsonb, boolean) IS
    'Test helper: sets the role, the JWT claims (and the headers) as PostgREST does for a request';
COMMENT ON FUNCTION residency_test.as_user(uuid, boolean) IS
    'Test helper: as_postgrest for a signed-in user (authenticated, sub = the id)';
COMMENT ON FUNCTION residency_test.sanitizer_probe(text) IS
    'Diagnostic: commits the memory error or undefined behaviour kind names on purpose, in the sanitizer build only '
    '(scripts/sanitize.sh); refuses in any other build';

REVOKE ALL ON SCHEMA residency_test FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA residency_test FROM PUBLIC;
