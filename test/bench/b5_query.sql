-- B5: what residency_api.my_evaluations costs one user among 1,000,000
-- evaluations, asked the way PostgREST asks (GET /my_evaluations?order=
-- created_at.desc&limit=20 in a transaction with the JWT claims).
BEGIN;
SELECT set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', '{"sub":"10000000-0000-0000-0000-000000001388","role":"authenticated"}', true) \gset
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
SELECT * FROM residency_api.my_evaluations ORDER BY created_at DESC LIMIT 20;
ROLLBACK;
