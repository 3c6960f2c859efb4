-- B6 (make bench): a Stripe webhook delivery, verified and applied, in the
-- benchmark database. N customers, each with a subscription whose events
-- are signed here with pgcrypto's HMAC-SHA256 before the clock starts.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
INSERT INTO residency.users (id, email, stripe_customer_id)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(1048576 + i), 12, '0'))::uuid, 'b6-' || i || '@example.org',
       'cus_b6_' || i
FROM generate_series(1, 4000) AS i;
INSERT INTO residency.stripe_prices (price_id, entitlement_level)
VALUES ('price_b6_basic', 'BASIC'), ('price_b6_pro', 'PRO');
INSERT INTO residency.stripe_webhook_secrets (secret) VALUES ('whsec_bench_b6_secret');

-- The event body Stripe sends for customer.subscription.updated (about 2 kB,
-- pretty-printed like Stripe's).
CREATE FUNCTION bare.b6_body(customer int, round int) RETURNS text LANGUAGE sql AS $$
    SELECT jsonb_pretty(jsonb_build_object(
        'id', format('evt_b6_%s_%s', round, customer), 'object', 'event', 'api_version', '2024-06-20',
        'created', 1800000000 + round, 'livemode', false, 'pending_webhooks', 1,
        'request', jsonb_build_object('id', format('req_b6_%s_%s', round, customer), 'idempotency_key', NULL),
        'type', CASE WHEN round = 1 THEN 'customer.subscription.created' ELSE 'customer.subscription.updated' END,
        'data', jsonb_build_object('object', jsonb_build_object(
            'id', 'sub_b6_' || customer, 'object', 'subscription', 'cancel_at_period_end', false,
            'created', 1800000000, 'currency', 'usd', 'current_period_start', 1800000000 + round,
            'current_period_end', 1802592000 + round, 'customer', 'cus_b6_' || customer, 'livemode', false,
            'metadata', '{}'::jsonb, 'status', 'active',
            'items', jsonb_build_object('object', 'list', 'has_more', false,
                'url', '/v1/subscription_items?subscription=sub_b6_' || customer,
                'data', jsonb_build_array(jsonb_build_object(
                    'id', 'si_b6_' || customer, 'object', 'subscription_item', 'quantity', 1,
                    'subscription', 'sub_b6_' || customer,
                    'price', jsonb_build_object(
                        'id', CASE WHEN round % 2 = 1 THEN 'price_b6_basic' ELSE 'price_b6_pro' END,
                        'object', 'price', 'active', true, 'currency', 'usd', 'type', 'recurring',
                        'unit_amount', CASE WHEN round % 2 = 1 THEN 1900 ELSE 4900 END,
                        'recurring', jsonb_build_object('interval', 'month', 'interval_count', 1)))))))))
$$;

-- Server CPU per delivery, in µs, of `n` deliveries (one per customer,
-- from customer `first`) of round `round`'s events: each moves its user
-- (round 1 LOCKED -> BASIC, then PRO, then back to BASIC through LOCKED...).
-- The same round again is a redelivery: verified, then answered from the
-- record.
CREATE FUNCTION bare.b6_us(n int, round int, first int DEFAULT 1) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    t text := extract(epoch FROM clock_timestamp())::bigint::text;
    d record;
    c0 float8;
    c1 float8;
    answer json;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS b6_delivery (customer int, body text, headers text);
    TRUNCATE b6_delivery;
    INSERT INTO b6_delivery
    SELECT i, b.body, json_build_object('content-type', 'application/json', 'stripe-signature',
               't=' || t || ',v1=' || encode(hmac(t || '.' || b.body, 'whsec_bench_b6_secret', 'sha256'), 'hex'))::text
    FROM generate_series(first, first + n - 1) AS i, LATERAL (SELECT bare.b6_body(i, round) AS body) AS b;
    c0 := bare.cpu_seconds();
    FOR d IN SELECT * FROM b6_delivery ORDER BY customer LOOP
        PERFORM set_config('request.headers', d.headers, true);
        answer := residency.stripe_webhook(d.body::json);
        IF answer ->> 'outcome' <> 'applied' THEN
            RAISE EXCEPTION 'B6: delivery % of round % was %', d.customer, round, answer;
        END IF;
    END LOOP;
    c1 := bare.cpu_seconds();
    RETURN (c1 - c0) * 1e6 / n;
END
$$;

-- Earlier traffic: customers 2001-4000 have had their subscriptions for a
-- while, and autovacuum has analyzed the tables since (the plans are those
-- of a running system, not of empty tables).
SELECT bare.b6_us(2000, 1, 2001) IS NOT NULL AS warmed_up;
SELECT bare.b6_us(2000, 2, 2001) IS NOT NULL AS warmed_up;
ANALYZE residency.users, residency.entitlement_cache, residency.stripe_events, residency.stripe_subscriptions,
        residency.stripe_prices, residency.stripe_webhook_secrets;
