-- B4: one drill as the mobile app makes it through PostgREST: two requests,
-- each a transaction that sets the role and the JWT claims first.
\set user random(1, 40)
BEGIN;
SELECT set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-' || lpad(to_hex((:user)::int), 12, '0') || '","role":"authenticated"}', true);
SELECT id AS session FROM residency_api.start_drill('conf-nurse-conflict') \gset
COMMIT;
BEGIN;
SELECT set_config('role', 'authenticated', true),
       set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-' || lpad(to_hex((:user)::int), 12, '0') || '","role":"authenticated"}', true);
SELECT overall_score FROM residency_api.submit_and_evaluate(:session, 'During my third-year medicine rotation, a nurse paged me three times about a patient''s potassium order, and she was frustrated that I had not answered. I walked over, I apologized for the delay, and I asked her to walk me through her concern. She was worried the replacement dose was too high for a patient with kidney disease. I reviewed the labs with her, I agreed, and I paged my senior resident, who lowered the dose. As a result, the repeat potassium was 4.1 the next morning. I learned to close the loop in person when a page is urgent.', NULL, 55);
COMMIT;
