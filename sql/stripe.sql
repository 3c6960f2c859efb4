SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
CREATE EXTENSION residency_test;  -- as_postgrest(), as_user(): a request as PostgREST makes it
RESET client_min_messages;
\set SHOW_CONTEXT never

-- Stripe webhooks (docs/payments.md): residency_api.stripe_webhook(json).
--
-- The fixtures are signed by Stripe's own Node library
-- (stripe.webhooks.generateTestHeaderString) when this test runs:
-- test/stripe/sign-fixtures.js writes the SQL that fills the temporary
-- table stripe_fixture (name, body, header), which runs here. Headers and
-- times differ from run to run and are never printed.
\set fixtures `node test/stripe/sign-fixtures.js`
\set ECHO none
:fixtures
\set ECHO all
\unset fixtures
SELECT count(*) AS fixtures, count(*) FILTER (WHERE header LIKE 't=%,v1=%') AS signed FROM stripe_fixture;

-- A delivery as PostgREST makes it: POST /rpc/stripe_webhook with no JWT,
-- so role anon; the body is the function's single json argument, and the
-- request's headers are in request.headers (names in lowercase). One
-- statement is one transaction, as one request is.
CREATE FUNCTION pg_temp.deliver(fixture text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    f record;
BEGIN
    SELECT * INTO STRICT f FROM stripe_fixture AS x WHERE x.name = fixture;
    PERFORM residency_test.as_postgrest('anon', headers => jsonb_build_object(
        'content-type', 'application/json', 'user-agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature', f.header));
    RETURN residency_api.stripe_webhook(f.body::json);
END
$$;
GRANT SELECT ON stripe_fixture TO anon;

\set c_alice '00000000-0000-0000-0000-00000000c001'
\set c_bob   '00000000-0000-0000-0000-00000000c002'
\set c_carol '00000000-0000-0000-0000-00000000c003'
\set c_dave  '00000000-0000-0000-0000-00000000c004'
\set c_erin  '00000000-0000-0000-0000-00000000c005'
\set c_frank '00000000-0000-0000-0000-00000000c006'
INSERT INTO residency.users (id, email) VALUES
    (:'c_alice', 'alice@example.org'), (:'c_bob', 'bob@example.org'), (:'c_carol', 'carol@example.org'),
    (:'c_dave', 'dave@example.org'), (:'c_erin', 'erin@example.org'), (:'c_frank', 'frank@example.org');

-- who has what, and what the cache says
CREATE VIEW pg_temp.levels AS
SELECT split_part(u.email, '@', 1) AS name, u.entitlement_level AS level, u.stripe_customer_id AS customer,
       c.entitlement_level AS cached, c.stripe_subscription_id AS cached_subscription
FROM residency.users AS u LEFT JOIN residency.entitlement_cache AS c ON c.user_id = u.id
WHERE u.email LIKE '%@example.org' ORDER BY u.email;

-------------------------------------------------------------------------------
-- Configuration: no secret yet; then the endpoint's secret and the prices
-------------------------------------------------------------------------------
SHOW residency.stripe_tolerance;
SHOW residency.stripe_livemode;
SHOW residency.stripe_grace_period;
SHOW residency.stripe_max_body_bytes;
SELECT pg_temp.deliver('signature');
-- a secret must look like one; the error never shows it
INSERT INTO residency.stripe_webhook_secrets (secret) VALUES ('sk_live_not_a_webhook_secret');
INSERT INTO residency.stripe_webhook_secrets (secret) VALUES ('whsec_with space');
INSERT INTO residency.stripe_webhook_secrets (secret, note) VALUES ('whsec_residency_test_primary', 'test endpoint');
SELECT fingerprint, note, expires_at FROM residency.stripe_webhook_secrets;
SELECT fingerprint = left(encode(sha256('whsec_residency_test_primary'), 'hex'), 12) AS fingerprint_is_sha256
FROM residency.stripe_webhook_secrets;
-- the price table is service_role's
BEGIN;
SELECT set_config('role', 'service_role', true);
INSERT INTO residency.stripe_prices (price_id, entitlement_level, description) VALUES
    ('price_residency_basic', 'BASIC', 'Basic, monthly'), ('price_residency_pro', 'PRO', 'Pro, monthly');
COMMIT;
\set VERBOSITY terse
INSERT INTO residency.stripe_prices (price_id, entitlement_level) VALUES ('price_gold', 'GOLD');
\set VERBOSITY default

-------------------------------------------------------------------------------
-- Signatures (PT400, nothing recorded)
-------------------------------------------------------------------------------
SELECT pg_temp.deliver('sig_tampered');
SELECT pg_temp.deliver('sig_whitespace');
SELECT pg_temp.deliver('sig_wrong_secret');
SELECT pg_temp.deliver('sig_none');
SELECT pg_temp.deliver('sig_v0_only');
SELECT pg_temp.deliver('sig_garbage');
SELECT pg_temp.deliver('sig_several_v1_none_right');
-- the gap in seconds is in the DETAIL; terse shows which check failed
\set VERBOSITY terse
SELECT pg_temp.deliver('sig_stale');
SELECT pg_temp.deliver('sig_future');
\set VERBOSITY default
-- no header at all (not even request.headers)
BEGIN;
SELECT set_config('role', 'anon', true);
SELECT residency_api.stripe_webhook(body::json) FROM stripe_fixture WHERE name = 'signature';
ROLLBACK;
-- a header name in any case
BEGIN;
SELECT set_config('request.headers', json_build_object('Stripe-Signature', header)::text, true),
       set_config('role', 'anon', true)
FROM stripe_fixture WHERE name = 'signature' \gset
SELECT residency_api.stripe_webhook(body::json)->>'outcome' AS outcome FROM stripe_fixture WHERE name = 'signature';
ROLLBACK;
SELECT count(*) AS events_recorded FROM residency.stripe_events;
-- several v1, one of them right
SELECT pg_temp.deliver('sig_several_v1');
-- the same body, rightly signed: the same answer (a redelivery)
SELECT pg_temp.deliver('signature');
SELECT id, type, outcome, reason, livemode FROM residency.stripe_events;

-- A rolled secret: Stripe signs with the new one while the old one expires.
SELECT pg_temp.deliver('rotation_new');
INSERT INTO residency.stripe_webhook_secrets (secret, note) VALUES ('whsec_residency_test_rotated', 'rolled');
UPDATE residency.stripe_webhook_secrets SET expires_at = now() - interval '1 second'
WHERE secret = 'whsec_residency_test_primary';
SELECT pg_temp.deliver('rotation_old');
SELECT pg_temp.deliver('rotation_new');
UPDATE residency.stripe_webhook_secrets SET expires_at = NULL WHERE secret = 'whsec_residency_test_primary';
DELETE FROM residency.stripe_webhook_secrets WHERE secret = 'whsec_residency_test_rotated';

-- Supabase Vault: where vault.decrypted_secrets exists, the secrets named
-- residency.stripe_webhook_secret and residency.stripe_webhook_secret.<suffix>
-- are used too (a stand-in for Vault's view here)
CREATE SCHEMA vault;
CREATE TABLE vault.decrypted_secrets (name text, decrypted_secret text);
INSERT INTO vault.decrypted_secrets VALUES ('another.secret', 'whsec_residency_test_rotated');
SELECT pg_temp.deliver('rotation_new');
UPDATE vault.decrypted_secrets SET name = 'residency.stripe_webhook_secret.next';
SELECT pg_temp.deliver('rotation_new') ->> 'outcome' AS outcome;
UPDATE vault.decrypted_secrets SET name = 'residency.stripe_webhook_secret';
SELECT pg_temp.deliver('rotation_new') ->> 'outcome' AS outcome;
-- ... beside the table's own, which still verifies its deliveries
SELECT pg_temp.deliver('signature') ->> 'outcome' AS outcome;
DROP SCHEMA vault CASCADE;
SELECT pg_temp.deliver('rotation_new');

-------------------------------------------------------------------------------
-- Bad input
-------------------------------------------------------------------------------
SELECT pg_temp.deliver('no_id');
SELECT pg_temp.deliver('no_type');
SELECT pg_temp.deliver('not_an_object');
SELECT pg_temp.deliver('live');
SELECT pg_temp.deliver('large') ->> 'outcome' AS outcome;
SET residency.stripe_max_body_bytes = '1kB';
SELECT pg_temp.deliver('large');
RESET residency.stripe_max_body_bytes;
SELECT residency_api.stripe_webhook(NULL);
-- the limits are the superuser's to set
BEGIN;
SET LOCAL role anon;
SET residency.stripe_tolerance = '1d';
ROLLBACK;
SELECT count(*) AS events_recorded FROM residency.stripe_events;

-------------------------------------------------------------------------------
-- Events to entitlements
-------------------------------------------------------------------------------
-- alice: checkout links her customer (client_reference_id); her subscription
-- gives BASIC, then PRO; an older update delivered late is stale
SELECT * FROM levels WHERE name = 'alice';
SELECT pg_temp.deliver('alice_checkout');
SELECT * FROM levels WHERE name = 'alice';
SELECT pg_temp.deliver('alice_created');
SELECT pg_temp.deliver('alice_invoice_paid');
SELECT * FROM levels WHERE name = 'alice';
SELECT pg_temp.deliver('alice_upgrade');
SELECT * FROM levels WHERE name = 'alice';
SELECT pg_temp.deliver('alice_late');
SELECT * FROM levels WHERE name = 'alice';
-- a replay answers as the first delivery did, and changes nothing
SELECT pg_temp.deliver('alice_upgrade');
SELECT pg_temp.deliver('alice_late');
-- past_due keeps PRO for the grace period; the app sees it
SELECT pg_temp.deliver('alice_past_due');
SELECT pg_temp.deliver('alice_payment_failed');
SELECT * FROM levels WHERE name = 'alice';
BEGIN READ ONLY;
SELECT residency_test.as_user('00000000-0000-0000-0000-00000000c001') \gset
SELECT entitlement_level, subscription_status, current_period_end > extract(epoch FROM now()) AS period_ahead,
       cancel_at_period_end, in_grace_period,
       grace_until - extract(epoch FROM now())::bigint BETWEEN 6 * 86400 AND 7 * 86400 AS grace_about_7_days
FROM residency_api.my_entitlement();
COMMIT;
SELECT pg_temp.deliver('alice_recovered');
-- PRO -> BASIC: applied through LOCKED, in one transaction
SELECT pg_temp.deliver('alice_downgrade');
SELECT * FROM levels WHERE name = 'alice';
SELECT pg_temp.deliver('alice_deleted');
SELECT * FROM levels WHERE name = 'alice';
BEGIN READ ONLY;
SELECT residency_test.as_user('00000000-0000-0000-0000-00000000c001') \gset
SELECT entitlement_level, subscription_status, cancel_at_period_end, in_grace_period, grace_until
FROM residency_api.my_entitlement();
COMMIT;

-- bob: metadata.user_id links him; a trial of PRO goes LOCKED -> BASIC -> PRO;
-- unpaid locks him
SELECT pg_temp.deliver('bob_checkout');
SELECT pg_temp.deliver('bob_created');
SELECT * FROM levels WHERE name = 'bob';
SELECT pg_temp.deliver('bob_unpaid');
SELECT * FROM levels WHERE name = 'bob';

-- carol: subscription events before the checkout cannot apply (unknown
-- customer) and are listed for billing; the checkout applies them in order
SELECT pg_temp.deliver('carol_created');
SELECT pg_temp.deliver('carol_updated');
BEGIN;
SELECT set_config('role', 'service_role', true);
SELECT id, type, reason, customer_id, subscription_id, user_id FROM residency_api.stripe_unapplied_events ORDER BY id;
COMMIT;
SELECT pg_temp.deliver('carol_checkout');
SELECT * FROM levels WHERE name = 'carol';
SELECT id, outcome, reason FROM residency.stripe_events WHERE id LIKE 'evt_carol%' ORDER BY id;

-- dave: a checkout with his e-mail but no user id links no one; a price that
-- is not in the price table gives nothing, and says so
SELECT pg_temp.deliver('dave_checkout_email');
SELECT pg_temp.deliver('dave_unknown_price');
SELECT * FROM levels WHERE name = 'dave';

-- erin: past_due past the grace period
SELECT pg_temp.deliver('erin_created');
SELECT pg_temp.deliver('erin_past_due');
SELECT * FROM levels WHERE name = 'erin';
UPDATE residency.stripe_subscriptions SET grace_until = extract(epoch FROM now())::bigint - 1 WHERE id = 'sub_erin';
BEGIN;
SELECT residency_test.as_user('00000000-0000-0000-0000-00000000c005') \gset
SELECT residency_api.stripe_expire_grace();
ROLLBACK;
BEGIN;
SELECT set_config('role', 'service_role', true);
SELECT residency_api.stripe_expire_grace() AS grace_ended;
SELECT residency_api.stripe_expire_grace() AS grace_ended_again;
COMMIT;
SELECT * FROM levels WHERE name = 'erin';
SELECT pg_temp.deliver('erin_incomplete_expired');
SELECT * FROM levels WHERE name = 'erin';

-- frank: a rule refuses the change (a stand-in for a rule of the users
-- table): the event is recorded as unapplied with the reason, answered 200,
-- and nothing of it is kept
CREATE FUNCTION pg_temp.refuse_frank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'frank may not change level' USING ERRCODE = '23514';
END
$$;
CREATE TRIGGER refuse_frank BEFORE UPDATE OF entitlement_level ON residency.users
    FOR EACH ROW WHEN (OLD.email = 'frank@example.org') EXECUTE FUNCTION pg_temp.refuse_frank();
SELECT pg_temp.deliver('frank_created');
DROP TRIGGER refuse_frank ON residency.users;
SELECT * FROM levels WHERE name = 'frank';
SELECT count(*) AS frank_subscriptions FROM residency.stripe_subscriptions WHERE id = 'sub_frank';

-- an event type the endpoint does not handle: recorded as ignored, 200
SELECT pg_temp.deliver('charge');

-- every verified event, once
SELECT id, type, outcome, user_id IS NOT NULL AS has_user, customer_id, subscription_id
FROM residency.stripe_events ORDER BY created, id;
SELECT s.id, s.user_id = u.id AS owner_ok, s.status, s.price_ids, s.entitlement_level, s.cancel_at_period_end,
       s.last_event_id
FROM residency.stripe_subscriptions AS s LEFT JOIN residency.users AS u ON u.stripe_customer_id = s.customer_id
ORDER BY s.id;
-- a rebuilt cache row takes the subscription id back (C1)
DELETE FROM residency.entitlement_cache WHERE user_id = :'c_bob';
SELECT residency.current_entitlement(:'c_bob');
SELECT cached, cached_subscription FROM levels WHERE name = 'bob';

-------------------------------------------------------------------------------
-- A checkout for a customer already linked to another user links nothing
-- (stripe_link_checkout, called as the webhook calls it)
-------------------------------------------------------------------------------
BEGIN;
INSERT INTO residency.users (id, email, stripe_customer_id)
VALUES ('00000000-0000-0000-0000-00000000c0a1', 'first-payer@example.org', 'cus_shared');
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-00000000c0a2', 'second-payer@example.org');
SELECT outcome, reason, user_id, customer_id
FROM residency.stripe_link_checkout(
    '{"data": {"object": {"client_reference_id": "00000000-0000-0000-0000-00000000c0a2", "customer": "cus_shared"}}}',
    604800);
SELECT id, stripe_customer_id FROM residency.users
WHERE id IN ('00000000-0000-0000-0000-00000000c0a1', '00000000-0000-0000-0000-00000000c0a2') ORDER BY id;
ROLLBACK;

-------------------------------------------------------------------------------
-- Who may see what: the secrets and the event log are not anon's or a user's
-------------------------------------------------------------------------------
BEGIN;
SET LOCAL role anon;
SELECT count(*) FROM residency.stripe_webhook_secrets;
ROLLBACK;
BEGIN;
SET LOCAL role authenticated;
SELECT count(*) FROM residency.stripe_events;
ROLLBACK;
BEGIN;
SET LOCAL role service_role;
SELECT count(*) FROM residency.stripe_webhook_secrets;
ROLLBACK;
BEGIN;
SET LOCAL role service_role;
SELECT count(*) > 0 AS billing_sees_events FROM residency.stripe_events;
ROLLBACK;
-- EXPLAIN of the endpoint shows no secret; neither does any error above
EXPLAIN (VERBOSE, COSTS OFF) SELECT residency_api.stripe_webhook('{}');
SELECT p.proname, has_function_privilege('anon', p.oid, 'EXECUTE') AS anon,
       has_function_privilege('authenticated', p.oid, 'EXECUTE') AS authenticated,
       has_function_privilege('service_role', p.oid, 'EXECUTE') AS service_role
FROM pg_proc AS p WHERE p.pronamespace = 'residency'::regnamespace AND p.proname LIKE 'stripe%' ORDER BY p.proname;
