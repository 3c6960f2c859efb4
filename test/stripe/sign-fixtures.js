#!/usr/bin/env node
// Signs the Stripe webhook fixtures of sql/stripe.sql with Stripe's own Node
// library (stripe.webhooks.generateTestHeaderString), at the time it runs,
// and writes them as SQL to standard output: a temporary table
// stripe_fixture (name, body, header). sql/stripe.sql runs it with \! and
// reads the result with \i, so every signature is fresh when it is checked.
//
//   node test/stripe/sign-fixtures.js > fixtures.sql   (after npm ci here)
//
// The events are shaped like the ones Stripe sends (an event object with
// id, created, livemode, data.object; subscriptions with items of prices),
// pretty-printed as Stripe sends them. Their `created` times are relative
// to now, as a live delivery's are, and ordered by the offsets below.
'use strict';

const Stripe = require('stripe');

const stripe = Stripe('sk_test_residency_fixtures_only');
const now = Math.floor(Date.now() / 1000);

// The secrets of the test endpoint (sql/stripe.sql configures them).
const SECRET = 'whsec_residency_test_primary';
const ROTATED = 'whsec_residency_test_rotated';
const WRONG = 'whsec_residency_test_wrong';

// Users of sql/stripe.sql.
const ALICE = '00000000-0000-0000-0000-00000000c001';
const BOB = '00000000-0000-0000-0000-00000000c002';
const CAROL = '00000000-0000-0000-0000-00000000c003';
const DAVE = '00000000-0000-0000-0000-00000000c004';
const ERIN = '00000000-0000-0000-0000-00000000c005';
const FRANK = '00000000-0000-0000-0000-00000000c006';

const created = (offset) => now - 3600 + offset;

function event(id, type, offset, object, overrides = {}) {
  return {
    id,
    object: 'event',
    api_version: '2024-06-20',
    created: created(offset),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${id.slice(4)}`, idempotency_key: null },
    type,
    ...overrides,
  };
}

function price(id, amount) {
  return {
    id,
    object: 'price',
    active: true,
    currency: 'usd',
    product: `prod_${id.slice(6)}`,
    recurring: { interval: 'month', interval_count: 1 },
    type: 'recurring',
    unit_amount: amount,
  };
}

const BASIC_PRICE = price('price_residency_basic', 1900);
const PRO_PRICE = price('price_residency_pro', 4900);
const UNKNOWN_PRICE = price('price_residency_unknown', 999);

function subscription(id, customer, status, prices, offset, extra = {}) {
  return {
    id,
    object: 'subscription',
    cancel_at_period_end: false,
    created: created(0),
    currency: 'usd',
    current_period_end: created(offset) + 30 * 86400,
    current_period_start: created(offset),
    customer,
    items: {
      object: 'list',
      data: prices.map((p, i) => ({
        id: `si_${id.slice(4)}_${i}`,
        object: 'subscription_item',
        price: p,
        quantity: 1,
        subscription: id,
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    livemode: false,
    metadata: {},
    status,
    ...extra,
  };
}

function checkout(id, customer, sub, reference, extra = {}) {
  return {
    id,
    object: 'checkout.session',
    client_reference_id: reference,
    customer,
    customer_details: { email: 'someone@example.org' },
    livemode: false,
    metadata: {},
    mode: 'subscription',
    payment_status: 'paid',
    status: 'complete',
    subscription: sub,
    ...extra,
  };
}

function invoice(id, customer, sub, paid) {
  return {
    id,
    object: 'invoice',
    amount_due: 4900,
    amount_paid: paid ? 4900 : 0,
    attempt_count: 1,
    customer,
    paid,
    status: paid ? 'paid' : 'open',
    subscription: sub,
  };
}

const events = {
  // alice: checkout (client_reference_id), then her subscription's life
  alice_checkout: event('evt_alice_checkout', 'checkout.session.completed', 10,
    checkout('cs_test_alice', 'cus_alice', 'sub_alice', ALICE)),
  alice_created: event('evt_alice_created', 'customer.subscription.created', 20,
    subscription('sub_alice', 'cus_alice', 'active', [BASIC_PRICE], 20)),
  alice_invoice_paid: event('evt_alice_invoice_paid', 'invoice.paid', 21,
    invoice('in_alice_1', 'cus_alice', 'sub_alice', true)),
  alice_upgrade: event('evt_alice_upgrade', 'customer.subscription.updated', 40,
    subscription('sub_alice', 'cus_alice', 'active', [PRO_PRICE], 40),
    { data: { object: subscription('sub_alice', 'cus_alice', 'active', [PRO_PRICE], 40),
              previous_attributes: { items: { data: [{ price: BASIC_PRICE }] } } } }),
  // sent before the upgrade, delivered after it
  alice_late: event('evt_alice_late', 'customer.subscription.updated', 30,
    subscription('sub_alice', 'cus_alice', 'active', [BASIC_PRICE], 30, { cancel_at_period_end: true })),
  alice_past_due: event('evt_alice_past_due', 'customer.subscription.updated', 50,
    subscription('sub_alice', 'cus_alice', 'past_due', [PRO_PRICE], 50)),
  alice_payment_failed: event('evt_alice_payment_failed', 'invoice.payment_failed', 51,
    invoice('in_alice_2', 'cus_alice', 'sub_alice', false)),
  alice_recovered: event('evt_alice_recovered', 'customer.subscription.updated', 60,
    subscription('sub_alice', 'cus_alice', 'active', [PRO_PRICE], 60)),
  alice_downgrade: event('evt_alice_downgrade', 'customer.subscription.updated', 70,
    subscription('sub_alice', 'cus_alice', 'active', [BASIC_PRICE], 70)),
  alice_deleted: event('evt_alice_deleted', 'customer.subscription.deleted', 80,
    subscription('sub_alice', 'cus_alice', 'canceled', [BASIC_PRICE], 80)),

  // bob: linked by metadata.user_id; straight to PRO on a trial, then unpaid
  bob_checkout: event('evt_bob_checkout', 'checkout.session.completed', 100,
    checkout('cs_test_bob', 'cus_bob', 'sub_bob', null, { metadata: { user_id: BOB } })),
  bob_created: event('evt_bob_created', 'customer.subscription.created', 110,
    subscription('sub_bob', 'cus_bob', 'trialing', [PRO_PRICE], 110)),
  bob_unpaid: event('evt_bob_unpaid', 'customer.subscription.updated', 120,
    subscription('sub_bob', 'cus_bob', 'unpaid', [PRO_PRICE], 120)),

  // carol: her subscription's events arrive before the checkout that links her
  carol_created: event('evt_carol_created', 'customer.subscription.created', 200,
    subscription('sub_carol', 'cus_carol', 'incomplete', [PRO_PRICE], 200)),
  carol_updated: event('evt_carol_updated', 'customer.subscription.updated', 201,
    subscription('sub_carol', 'cus_carol', 'active', [PRO_PRICE], 201)),
  carol_checkout: event('evt_carol_checkout', 'checkout.session.completed', 202,
    checkout('cs_test_carol', 'cus_carol', 'sub_carol', CAROL)),

  // dave: a checkout that names him by e-mail only; then a subscription whose
  // price is not in the price table
  dave_checkout_email: event('evt_dave_checkout_email', 'checkout.session.completed', 300,
    checkout('cs_test_dave', 'cus_dave', 'sub_dave', null,
      { customer_details: { email: 'dave@example.org' }, customer_email: 'dave@example.org' })),
  dave_unknown_price: event('evt_dave_unknown_price', 'customer.subscription.created', 301,
    subscription('sub_dave', 'cus_dave', 'active', [UNKNOWN_PRICE], 301, { metadata: { user_id: DAVE } })),

  // erin: past_due until the grace period ends
  erin_created: event('evt_erin_created', 'customer.subscription.created', 400,
    subscription('sub_erin', 'cus_erin', 'active', [BASIC_PRICE], 400, { metadata: { user_id: ERIN } })),
  erin_past_due: event('evt_erin_past_due', 'customer.subscription.updated', 401,
    subscription('sub_erin', 'cus_erin', 'past_due', [BASIC_PRICE], 401)),
  erin_incomplete_expired: event('evt_erin_incomplete_expired', 'customer.subscription.updated', 402,
    subscription('sub_erin', 'cus_erin', 'incomplete_expired', [BASIC_PRICE], 402)),

  // frank: a subscription whose change a rule refuses
  frank_created: event('evt_frank_created', 'customer.subscription.created', 450,
    subscription('sub_frank', 'cus_frank', 'active', [PRO_PRICE], 450, { metadata: { user_id: FRANK } })),

  // an event type the endpoint does not handle
  charge: event('evt_charge_succeeded', 'charge.succeeded', 500,
    { id: 'ch_1', object: 'charge', amount: 1900, customer: 'cus_alice', paid: true }),
  // the wrong mode
  live: event('evt_live_mode', 'customer.subscription.created', 501,
    subscription('sub_live', 'cus_alice', 'active', [PRO_PRICE], 501, { livemode: true }), { livemode: true }),
  // the checks' own fixtures (signed, never applied)
  signature: event('evt_signature_check', 'charge.succeeded', 600, { id: 'ch_2', object: 'charge' }),
  rotation: event('evt_rotation_check', 'charge.succeeded', 601, { id: 'ch_3', object: 'charge' }),
  concurrent: event('evt_concurrent', 'charge.succeeded', 602, { id: 'ch_4', object: 'charge' }),
};

// Bodies that are not Stripe events, signed all the same.
const raw = {
  no_id: JSON.stringify({ object: 'event', type: 'charge.succeeded', created: created(700), livemode: false,
    data: { object: {} } }, null, 2),
  no_type: JSON.stringify({ id: 'evt_no_type', object: 'event', created: created(701), livemode: false,
    data: { object: {} } }, null, 2),
  not_an_object: '["evt_array"]',
  // over 1 kB, the smallest size limit (residency.stripe_max_body_bytes)
  large: JSON.stringify(event('evt_large', 'charge.succeeded', 702,
    { id: 'ch_5', object: 'charge', description: 'x'.repeat(2000) }), null, 2),
};

function sign(payload, secret = SECRET, timestamp = now, scheme = 'v1') {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp, scheme });
}

const rows = [];
for (const [name, e] of Object.entries(events)) {
  const body = JSON.stringify(e, null, 2);
  rows.push([name, body, sign(body)]);
}
for (const [name, body] of Object.entries(raw))
  rows.push([name, body, sign(body)]);

// The signature checks, on one body.
const body = JSON.stringify(events.signature, null, 2);
const right = sign(body);
const wrong = sign(body, WRONG);
const v1 = (header) => header.split(',v1=')[1];
rows.push(['sig_tampered', body.replace('"ch_2"', '"ch_9"'), right]);
rows.push(['sig_whitespace', body.replace('"charge.succeeded"', '"charge.succeeded" '), right]);
rows.push(['sig_wrong_secret', body, wrong]);
rows.push(['sig_stale', body, sign(body, SECRET, now - 600)]);
rows.push(['sig_future', body, sign(body, SECRET, now + 600)]);
rows.push(['sig_none', body, null]);
rows.push(['sig_v0_only', body, sign(body, SECRET, now, 'v0')]);
rows.push(['sig_several_v1', body, `${wrong},v1=${v1(right)},v0=${v1(wrong)}`]);
rows.push(['sig_several_v1_none_right', body, `${wrong},v1=${v1(sign(body, ROTATED))}`]);
rows.push(['sig_garbage', body, 'sha256=' + v1(right)]);

// A rolled secret: the same body under the old and the new secret.
const rotation = JSON.stringify(events.rotation, null, 2);
rows.push(['rotation_old', rotation, sign(rotation, SECRET)]);
rows.push(['rotation_new', rotation, sign(rotation, ROTATED)]);

const quote = (s) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
const dollar = (s) => {
  if (s.includes('$fixture$')) throw new Error('a fixture contains the dollar quote');
  return `$fixture$${s}$fixture$`;
};
const out = [
  '-- generated by test/stripe/sign-fixtures.js; signed at run time',
  'CREATE TEMP TABLE stripe_fixture (name text PRIMARY KEY, body text NOT NULL, header text);',
];
for (const [name, b, header] of rows)
  out.push(`INSERT INTO stripe_fixture VALUES (${quote(name)}, ${dollar(b)}, ${quote(header)});`);
process.stdout.write(out.join('\n') + '\n');
