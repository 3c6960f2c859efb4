-- B4: the drill API under load. 40 BASIC candidates and the bundled pack,
-- uploaded through the API by a PRO author and activated by service_role; each candidate
-- already has 25 drills behind them, made through the API, and the tables
-- are analyzed with that history in them. (Statistics taken on empty tables
-- would make every cached plan a plan for empty tables: the first run would
-- slow down as the tables grow, until autovacuum analyzes them again.)
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION residency;
INSERT INTO residency.users (id, email)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, 'candidate' || n || '@example.org'
FROM generate_series(1, 40) AS n;
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000aa', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO' WHERE email = 'author@example.org';
BEGIN;
SELECT set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-0000000000aa","role":"authenticated"}', true);
SELECT (residency_api.upload_content_pack(:'pack')).id AS pack_id \gset
COMMIT;
BEGIN;
SELECT set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT (residency_api.activate_content_pack(:'pack_id')).status = 'ACTIVE' AS activated;
COMMIT;
DO $$
BEGIN
    PERFORM set_config('role', 'authenticated', true);
    FOR round IN 1..25 LOOP
        FOR n IN 1..40 LOOP
            PERFORM set_config('request.jwt.claims', pg_catalog.json_build_object(
                'sub', '00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'), 'role', 'authenticated')::text, true);
            PERFORM residency_api.submit_and_evaluate((residency_api.start_drill('conf-nurse-conflict')).id,
                'During my third-year medicine rotation, a nurse paged me about a potassium order. I walked over, '
                'I listened, I reviewed the labs with her and I paged my senior resident, who lowered the dose. '
                'As a result, the repeat potassium was normal the next morning.', NULL, 30);
        END LOOP;
    END LOOP;
END
$$;
ANALYZE;
