-- B4: the drill API under load. 40 BASIC candidates and the bundled pack,
-- uploaded and activated through the API by a PRO author.
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
SELECT (residency_api.activate_content_pack((residency_api.upload_content_pack(:'pack')).id)).status = 'ACTIVE' AS activated;
COMMIT;
ANALYZE;
