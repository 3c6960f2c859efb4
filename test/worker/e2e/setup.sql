-- The evaluation worker's end-to-end test (run.sh) and benchmark B7: the
-- extension, a PRO author who uploads the bundled pack, its activation by
-- service_role, and BASIC candidates; every step through the API as PostgREST
-- calls it (role and JWT claims set locally in the request's transaction:
-- as_author and as_service, from scripts/lib.sh's as_user and as_postgrest).
--   psql -v pack64=<packs/default.json, base64> -v author=<uuid>
--        -v candidates=<uuid,uuid,...> -v as_author="$(as_user <uuid>)"
--        -v as_service="$(as_postgrest service_role)" -f setup.sql
\set ON_ERROR_STOP 1
SET client_min_messages = error;  -- the first CREATE EXTENSION in a cluster announces the roles it creates
CREATE EXTENSION residency;
SELECT convert_from(decode(:'pack64', 'base64'), 'UTF8') AS pack \gset

-- users, created as the sign-up service would (superuser here), LOCKED
INSERT INTO residency.users (id, email)
SELECT u::uuid, 'user-' || u || '@example.org'
FROM unnest(string_to_array(:'author' || ',' || :'candidates', ',')) AS u;

-- billing (service_role): the author PRO, the candidates BASIC
BEGIN;
:as_service
SELECT count(*) FROM residency_api.set_entitlement(:'author', 'BASIC') \g /dev/null
SELECT count(*) FROM residency_api.set_entitlement(:'author', 'PRO') \g /dev/null
SELECT count(residency_api.set_entitlement(u::uuid, 'BASIC'))
FROM unnest(string_to_array(:'candidates', ',')) AS u \g /dev/null
COMMIT;

-- the author uploads the bundled pack
BEGIN;
:as_author
SELECT id AS pack_id FROM residency_api.upload_content_pack(:'pack') \gset
COMMIT;

-- an operator activates it
BEGIN;
:as_service
SELECT status FROM residency_api.activate_content_pack(:'pack_id') \g /dev/null
COMMIT;

