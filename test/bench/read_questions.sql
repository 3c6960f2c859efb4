-- One GET of questions as PostgREST makes it for a signed-in candidate of
-- b4_setup.sql: a READ ONLY transaction that sets the role and the JWT
-- claims first (test/standby/bench.sh, on the primary and on a standby).
\set user random(1, 40)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-' || lpad(to_hex((:user)::int), 12, '0') || '","role":"authenticated"}', true);
SELECT * FROM residency_api.questions;
COMMIT;
