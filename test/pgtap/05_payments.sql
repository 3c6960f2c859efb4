-- Payments (docs/payments.md): who may read and write the webhook's tables.
-- The secrets are no role's, not even service_role's; the event log and the
-- subscriptions are billing's (service_role) to read and the webhook's alone
-- to write; anon may call the endpoint, which then needs a signature.
BEGIN;
\ir helpers.psql

SELECT pg_temp.create_user('payer@example.org', 'BASIC', '00000000-0000-0000-0000-0000000000f1');
INSERT INTO residency.stripe_webhook_secrets (secret) VALUES ('whsec_pgtap_matrix_secret');
INSERT INTO residency.stripe_prices (price_id, entitlement_level) VALUES ('price_pgtap', 'PRO');
INSERT INTO residency.stripe_events (id, type, created, livemode, outcome, payload, user_id)
VALUES ('evt_pgtap', 'invoice.paid', 1, false, 'recorded', '{}', '00000000-0000-0000-0000-0000000000f1');
INSERT INTO residency.stripe_subscriptions (id, user_id, customer_id, status, entitlement_level, last_event_id,
                                            last_event_created, last_event_type)
VALUES ('sub_pgtap', '00000000-0000-0000-0000-0000000000f1', 'cus_pgtap', 'active', 'BASIC', 'evt_pgtap', 1,
        'customer.subscription.created');

CREATE TEMP TABLE reads (ord int, relation text);
INSERT INTO reads VALUES (1, 'residency.stripe_webhook_secrets'), (2, 'residency.stripe_events'),
                         (3, 'residency.stripe_subscriptions'), (4, 'residency.stripe_prices'),
                         (5, 'residency_api.stripe_unapplied_events');
GRANT SELECT ON reads TO PUBLIC;
CREATE TEMP TABLE writes (ord int, relation text, sql text);
INSERT INTO writes VALUES
 (1, 'stripe_webhook_secrets', $$INSERT INTO residency.stripe_webhook_secrets (secret) VALUES ('whsec_attacker_chosen')$$),
 (2, 'stripe_webhook_secrets', $$UPDATE residency.stripe_webhook_secrets SET expires_at = now()$$),
 (3, 'stripe_webhook_secrets', $$DELETE FROM residency.stripe_webhook_secrets$$),
 (4, 'stripe_events', $$INSERT INTO residency.stripe_events (id, type, created, livemode, outcome, payload)
                        VALUES ('evt_forged', 'x', 1, false, 'applied', '{}')$$),
 (5, 'stripe_events', $$UPDATE residency.stripe_events SET outcome = 'applied'$$),
 (6, 'stripe_events', $$DELETE FROM residency.stripe_events$$),
 (7, 'stripe_subscriptions', $$UPDATE residency.stripe_subscriptions SET entitlement_level = 'PRO'$$),
 (8, 'stripe_subscriptions', $$DELETE FROM residency.stripe_subscriptions$$);
GRANT SELECT ON writes TO PUBLIC;

SELECT plan(32);

-- anon and a signed-in user: nothing of it, not even the price table
SELECT pg_temp.as_anon();
SELECT throws_ok(format('SELECT * FROM %s', relation), '42501', NULL, format('anon: SELECT %s -> 42501', relation))
FROM reads ORDER BY ord;
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000f1');
SELECT throws_ok(format('SELECT * FROM %s', relation), '42501', NULL,
                 format('authenticated: SELECT %s -> 42501', relation))
FROM reads ORDER BY ord;
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000f1');
SELECT throws_ok(sql, '42501', NULL, format('authenticated: %s -> 42501', left(sql, 40))) FROM writes ORDER BY ord;

-- billing (service_role): reads the event log, the subscriptions and the
-- unapplied events, manages prices; never reads or writes a secret, never
-- writes what the webhook alone writes
SELECT pg_temp.as_service_role();
SELECT throws_ok('SELECT * FROM residency.stripe_webhook_secrets', '42501', NULL,
                 'service_role: SELECT the secrets -> 42501');
SELECT results_eq('SELECT id FROM residency.stripe_events', $$VALUES ('evt_pgtap'::text)$$,
                  'service_role reads the event log');
SELECT results_eq('SELECT id, entitlement_level FROM residency.stripe_subscriptions',
                  $$VALUES ('sub_pgtap'::text, 'BASIC'::text)$$, 'service_role reads the subscriptions');
SELECT lives_ok($$INSERT INTO residency.stripe_prices (price_id, entitlement_level) VALUES ('price_new', 'BASIC')$$,
                'service_role adds a price');
SELECT pg_temp.as_service_role();
SELECT throws_ok(sql, '42501', NULL, format('service_role: %s -> 42501', left(sql, 40))) FROM writes ORDER BY ord;

-- the endpoint: anon may call it, and without a signature it refuses (PT400)
SELECT pg_temp.as_anon();
SELECT throws_ok($$SELECT residency_api.stripe_webhook('{"id": "evt_x"}')$$, 'PT400',
                 'missing Stripe-Signature header', 'anon calls the endpoint; no signature: PT400');
SELECT pg_temp.authenticate_as('00000000-0000-0000-0000-0000000000f1');
SELECT throws_ok('SELECT residency_api.stripe_expire_grace()', '42501', NULL,
                 'authenticated: stripe_expire_grace -> 42501');

SELECT * FROM finish();
ROLLBACK;
