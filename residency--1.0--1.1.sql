-- residency 1.0 -> 1.1 (ALTER EXTENSION residency UPDATE; docs/operations.md).
-- Payments: Stripe webhooks verified and applied inside the database
-- (docs/payments.md). A recorded answer wakes the evaluation worker
-- (NOTIFY residency_evaluation; docs/worker.md). The error boundary's
-- self-test functions leave the production install: they belong to the
-- test-only module residency_test. Scheduled upkeep: the expired entitlement
-- cache rows are purged, and the upkeep jobs can be scheduled with pg_cron
-- (schedule_maintenance; docs/operations.md).

\echo Use "ALTER EXTENSION residency UPDATE TO '1.1'" to load this file. \quit

DROP FUNCTION residency._selftest_boundary(text);
DROP FUNCTION residency._selftest_destructor_runs();

-- my_entitlement() tells the app about the subscription too: a new result
-- type, so the functions are replaced (the API's wrapper first).
DROP FUNCTION residency_api.my_entitlement();
DROP FUNCTION residency.my_entitlement();

-- What rules U2 and C1 know, for the constraints: the entitlement levels and
-- the cache's TTL, written once, in C++ (src/pg/entry/api_checks.cpp).
CREATE FUNCTION residency.is_entitlement_level(level text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_is_entitlement_level';
COMMENT ON FUNCTION residency.is_entitlement_level(text) IS 'Whether the text is an entitlement level: LOCKED, BASIC or PRO';
CREATE FUNCTION residency.entitlement_rank(level text) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_entitlement_rank';
COMMENT ON FUNCTION residency.entitlement_rank(text) IS 'The order of the levels, LOCKED 0 < BASIC 1 < PRO 2 (NULL for no level)';
CREATE FUNCTION residency.entitlement_ttl_s() RETURNS integer
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_entitlement_ttl_s';
COMMENT ON FUNCTION residency.entitlement_ttl_s() IS 'How long a row of residency.entitlement_cache lives, in seconds (rule C1)';
REVOKE EXECUTE ON FUNCTION residency.is_entitlement_level(text), residency.entitlement_ttl_s(),
    residency.entitlement_rank(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION residency.is_entitlement_level(text), residency.entitlement_ttl_s()
    TO anon, authenticated, service_role;
ALTER TABLE residency.users
    DROP CONSTRAINT users_entitlement_level_check,
    ADD CONSTRAINT users_entitlement_level_check CHECK (residency.is_entitlement_level(entitlement_level));
ALTER TABLE residency.entitlement_cache
    DROP CONSTRAINT entitlement_cache_entitlement_level_check,
    ADD CONSTRAINT entitlement_cache_entitlement_level_check CHECK (residency.is_entitlement_level(entitlement_level)),
    DROP CONSTRAINT entitlement_cache_ttl,
    ADD CONSTRAINT entitlement_cache_ttl CHECK (expires_at = last_updated + residency.entitlement_ttl_s());
COMMENT ON TABLE residency.entitlement_cache IS
    'Entitlement cache, unix seconds, rows live residency.entitlement_ttl_s() (rule C1)';

-------------------------------------------------------------------------------
-- Payments (docs/payments.md): Stripe delivers events to
-- residency_api.stripe_webhook; the signature is checked in C++ against the
-- endpoint's secrets, and a verified event is recorded by id and applied at
-- most once. Subscriptions set the entitlement through rule U2 and the
-- write-through cache, as set_entitlement does.
-------------------------------------------------------------------------------

-- The endpoint's signing secrets (whsec_...). Readable by the extension's
-- owner only: no role has a privilege on this table, no policy opens it, and
-- no function returns a secret. Several may be active while Stripe rolls a
-- secret over: give the old one an expires_at. Supabase Vault may hold them
-- instead (docs/payments.md).
CREATE TABLE residency.stripe_webhook_secrets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret      text NOT NULL,
    fingerprint text NOT NULL,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    expires_at  timestamptz
);
COMMENT ON TABLE residency.stripe_webhook_secrets IS
    'Stripe webhook signing secrets, owner only; active while expires_at is NULL or in the future';
COMMENT ON COLUMN residency.stripe_webhook_secrets.fingerprint IS
    'First 12 hex digits of the SHA-256 of the secret: names a secret without showing it';

-- Checks a secret and sets its fingerprint. Its errors never quote the row:
-- a constraint's "Failing row contains (...)" would put the secret in the
-- error and the server log, so no CHECK or UNIQUE constraint reads it.
CREATE FUNCTION residency.stripe_secret_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.secret IS NULL OR NOT pg_catalog.starts_with(NEW.secret, 'whsec_')
       OR pg_catalog.length(NEW.secret) NOT BETWEEN 14 AND 200 OR NEW.secret ~ '\s' THEN
        RAISE EXCEPTION 'not a Stripe webhook signing secret'
            USING ERRCODE = '22023',
                  DETAIL = 'A signing secret begins with whsec_, has 14 to 200 characters and no white space.',
                  HINT = 'Copy it from the endpoint''s page in the Stripe dashboard ("Signing secret").';
    END IF;
    NEW.fingerprint := pg_catalog.left(pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(NEW.secret, 'UTF8')),
                                                         'hex'), 12);
    RETURN NEW;
END
$$;
CREATE TRIGGER stripe_webhook_secrets_guard BEFORE INSERT OR UPDATE ON residency.stripe_webhook_secrets
    FOR EACH ROW EXECUTE FUNCTION residency.stripe_secret_guard();

-- Which Stripe price gives which level (managed by service_role).
CREATE TABLE residency.stripe_prices (
    price_id          text PRIMARY KEY
                      CHECK (pg_catalog.length(price_id) BETWEEN 1 AND 255 AND price_id !~ '\s'),
    entitlement_level text NOT NULL CONSTRAINT stripe_prices_entitlement_level_check
                      CHECK (residency.is_entitlement_level(entitlement_level) AND entitlement_level <> 'LOCKED'),
    description       text,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE residency.stripe_prices IS
    'Stripe price id -> the entitlement level an active subscription to it gives (service_role manages it)';

-- Every verified event, by its id: what it was, and what came of it.
--   applied    it changed what it describes (a link, a subscription's state)
--   recorded   kept for the record (invoices)
--   stale      older than what was already applied to its subscription
--   ignored    a type this endpoint does not handle
--   unapplied  it could not apply (reason says why): answered 200 all the same,
--              so that Stripe does not retry it forever
CREATE TABLE residency.stripe_events (
    id              text PRIMARY KEY CHECK (pg_catalog.starts_with(id, 'evt_')),
    type            text NOT NULL,
    created         bigint NOT NULL,
    livemode        boolean NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    outcome         text NOT NULL CHECK (outcome IN ('applied', 'recorded', 'stale', 'ignored', 'unapplied')),
    reason          text,
    user_id         uuid REFERENCES residency.users (id) ON DELETE SET NULL,
    customer_id     text,
    subscription_id text,
    payload         jsonb NOT NULL
);
CREATE INDEX stripe_events_unapplied ON residency.stripe_events (customer_id, created)
    WHERE outcome = 'unapplied';
CREATE INDEX stripe_events_user ON residency.stripe_events (user_id);
COMMENT ON TABLE residency.stripe_events IS
    'Stripe events received, verified, by id: outcome applied, recorded, stale, ignored or unapplied (with the reason)';

-- What the webhook knows of each subscription: its state as of the newest
-- event applied to it, and the level it gives now (LOCKED: none).
CREATE TABLE residency.stripe_subscriptions (
    id                   text PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES residency.users (id) ON DELETE CASCADE,
    customer_id          text NOT NULL,
    status               text NOT NULL,
    price_ids            text[] NOT NULL DEFAULT '{}',
    entitlement_level    text NOT NULL CONSTRAINT stripe_subscriptions_entitlement_level_check
                         CHECK (residency.is_entitlement_level(entitlement_level)),
    current_period_end   bigint,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    past_due_since       bigint,
    grace_until          bigint,
    last_event_id        text NOT NULL,
    last_event_created   bigint NOT NULL,
    last_event_type      text NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX stripe_subscriptions_user ON residency.stripe_subscriptions (user_id);
CREATE INDEX stripe_subscriptions_grace ON residency.stripe_subscriptions (grace_until)
    WHERE status = 'past_due' AND entitlement_level <> 'LOCKED';
COMMENT ON TABLE residency.stripe_subscriptions IS
    'Stripe subscriptions as of the newest event applied to each, and the level each gives now';

ALTER TABLE residency.stripe_webhook_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.stripe_prices          ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.stripe_events          ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.stripe_subscriptions   ENABLE ROW LEVEL SECURITY;

-- An integer of a Stripe object (unix seconds), or NULL when it is not one.
CREATE FUNCTION residency.stripe_bigint(value jsonb) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE WHEN pg_catalog.jsonb_typeof(value) = 'number' AND (value #>> '{}') ~ '^-?[0-9]{1,18}$'
                THEN (value #>> '{}')::pg_catalog.int8 END;
END
$$;

-- The id of an object that Stripe sends either as an id or expanded.
CREATE FUNCTION residency.stripe_id(value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE pg_catalog.jsonb_typeof(value)
               WHEN 'string' THEN value #>> '{}'
               WHEN 'object' THEN CASE WHEN pg_catalog.jsonb_typeof(value -> 'id') = 'string'
                                       THEN value ->> 'id' END
           END;
END
$$;

-- A user id as the app sends it (client_reference_id, metadata.user_id),
-- or NULL when the text is not a uuid.
CREATE FUNCTION residency.stripe_user_ref(value text) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE WHEN value ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
                THEN value::pg_catalog.uuid END;
END
$$;

-- The level a user's subscriptions give now: the highest of them; a
-- past_due one only until its grace period ends. With the subscription
-- that gives it (the newest, of several).
CREATE FUNCTION residency.stripe_entitled_level(user_id uuid, OUT level text, OUT subscription_id text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT best.level, best.id INTO level, subscription_id
    FROM (SELECT s.id,
                 CASE WHEN s.status = 'past_due' AND s.grace_until <= extract(epoch FROM pg_catalog.now())
                      THEN 'LOCKED' ELSE s.entitlement_level END AS level,
                 s.last_event_created
          FROM residency.stripe_subscriptions AS s
          WHERE s.user_id = stripe_entitled_level.user_id) AS best
    ORDER BY residency.entitlement_rank(best.level) DESC,
             best.last_event_created DESC, best.id
    LIMIT 1;
    level := coalesce(level, 'LOCKED');
END
$$;

-- Moves a user to `level` along the arrows of rule U2, each an UPDATE of
-- residency.users: the users trigger checks it and writes the cache
-- through, as for set_entitlement. LOCKED -> PRO goes by BASIC; a downgrade
-- PRO -> BASIC (a real Stripe event the rule has no arrow for) goes by
-- LOCKED, inside the transaction, so no reader sees the LOCKED step
-- (docs/payments.md). Returns the path taken ('PRO -> LOCKED -> BASIC'), or
-- NULL when the level is already `level`. The caller holds the users row.
CREATE FUNCTION residency.stripe_set_level(user_id uuid, level text, subscription_id text) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    from_level text;
    steps text[];
    step text;
BEGIN
    SELECT u.entitlement_level INTO STRICT from_level FROM residency.users AS u
    WHERE u.id = stripe_set_level.user_id;
    IF from_level = level THEN
        -- the cache row names the subscription (as cache_subscription does,
        -- without its per-call parse of a SQL function)
        UPDATE residency.entitlement_cache AS c SET stripe_subscription_id = stripe_set_level.subscription_id
        WHERE c.user_id = stripe_set_level.user_id AND stripe_set_level.subscription_id IS NOT NULL
          AND c.stripe_subscription_id IS DISTINCT FROM stripe_set_level.subscription_id;
        RETURN NULL;
    END IF;
    steps := CASE
        WHEN from_level = 'LOCKED' AND level = 'PRO' THEN ARRAY['BASIC', 'PRO']
        WHEN from_level = 'PRO' AND level = 'BASIC' THEN ARRAY['LOCKED', 'BASIC']
        ELSE ARRAY[level] END;
    FOREACH step IN ARRAY steps LOOP
        UPDATE residency.users AS u SET entitlement_level = step WHERE u.id = stripe_set_level.user_id;
    END LOOP;
    UPDATE residency.entitlement_cache AS c SET stripe_subscription_id = stripe_set_level.subscription_id
    WHERE c.user_id = stripe_set_level.user_id AND stripe_set_level.subscription_id IS NOT NULL
      AND c.stripe_subscription_id IS DISTINCT FROM stripe_set_level.subscription_id;
    RETURN from_level || ' -> ' || pg_catalog.array_to_string(steps, ' -> ');
END
$$;

-- A customer.subscription.* event: who it is for, whether it is newer than
-- what was applied to its subscription, what the subscription gives now,
-- and the user's level that follows. Returns outcome and reason.
CREATE FUNCTION residency.stripe_apply_subscription(event_id text, event_type text, created bigint, payload jsonb,
                                                    grace_period_s integer,
                                                    OUT outcome text, OUT reason text, OUT user_id uuid,
                                                    OUT customer_id text, OUT subscription_id text)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    obj jsonb := payload #> '{data,object}';
    status text := obj ->> 'status';
    prices text[];
    level text;
    known residency.stripe_subscriptions;
    rank integer := pg_catalog.array_position(ARRAY['customer.subscription.created', 'customer.subscription.updated',
                                                    'customer.subscription.deleted'], event_type);
    since bigint;
    path text;
    linked uuid;
    entitled record;
BEGIN
    subscription_id := residency.stripe_id(obj -> 'id');
    customer_id := residency.stripe_id(obj -> 'customer');
    IF subscription_id IS NULL OR customer_id IS NULL OR pg_catalog.jsonb_typeof(obj -> 'status') <> 'string' THEN
        outcome := 'unapplied';
        reason := 'the subscription object has no id, customer or status';
        RETURN;
    END IF;
    IF event_type = 'customer.subscription.deleted' THEN
        status := 'canceled';
    END IF;

    -- who: the user linked to the customer (checkout.session.completed), or
    -- the subscription's metadata.user_id, which then links them
    SELECT u.id INTO user_id FROM residency.users AS u WHERE u.stripe_customer_id = customer_id FOR UPDATE;
    IF user_id IS NULL THEN
        linked := residency.stripe_user_ref(obj #>> '{metadata,user_id}');
        UPDATE residency.users AS u SET stripe_customer_id = customer_id
        WHERE u.id = linked AND u.stripe_customer_id IS NULL
        RETURNING u.id INTO user_id;
        IF user_id IS NULL THEN
            outcome := 'unapplied';
            reason := pg_catalog.format('unknown customer %s: no user is linked to it yet (checkout.session.completed '
                                        'with client_reference_id links it, and then applies this event)', customer_id);
            RETURN;
        END IF;
    END IF;

    -- order: only what is newer than the newest event applied to it (within
    -- one second, created < updated < deleted)
    SELECT * INTO known FROM residency.stripe_subscriptions AS s WHERE s.id = subscription_id FOR UPDATE;
    IF FOUND THEN
        IF known.user_id <> user_id THEN
            outcome := 'unapplied';
            reason := pg_catalog.format('subscription %s belongs to another user', subscription_id);
            RETURN;
        END IF;
        IF created < known.last_event_created
           OR (created = known.last_event_created
               AND rank < pg_catalog.array_position(ARRAY['customer.subscription.created',
                                                          'customer.subscription.updated',
                                                          'customer.subscription.deleted'], known.last_event_type)) THEN
            outcome := 'stale';
            reason := pg_catalog.format('older than %s (%s), already applied to %s', known.last_event_id,
                                        known.last_event_type, subscription_id);
            RETURN;
        END IF;
    END IF;

    -- what it gives: the highest level of its prices while active or
    -- trialing; while past_due, what it gave, until the grace period ends
    SELECT pg_catalog.array_agg(DISTINCT p ORDER BY p) INTO prices
    FROM (SELECT residency.stripe_id(i -> 'price') AS p
          FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(obj #> '{items,data}') = 'array'
                                                    THEN obj #> '{items,data}' ELSE '[]' END) AS i
          UNION ALL SELECT residency.stripe_id(obj -> 'plan')) AS x
    WHERE p IS NOT NULL;
    prices := coalesce(prices, '{}');
    IF status = 'past_due' THEN
        since := CASE WHEN known.status = 'past_due' THEN known.past_due_since ELSE created END;
    END IF;
    IF status IN ('active', 'trialing') OR (status = 'past_due' AND known.id IS NULL) THEN
        SELECT p.entitlement_level INTO level FROM residency.stripe_prices AS p
        WHERE p.price_id = ANY (prices)
        ORDER BY residency.entitlement_rank(p.entitlement_level) DESC LIMIT 1;
        IF level IS NULL THEN
            outcome := 'unapplied';
            reason := pg_catalog.format('no price of subscription %s is in residency.stripe_prices (%s)',
                                        subscription_id, pg_catalog.array_to_string(prices, ', '));
            RETURN;
        END IF;
    ELSIF status = 'past_due' THEN
        level := known.entitlement_level;
    ELSE
        -- canceled, unpaid, incomplete_expired; and incomplete, paused:
        -- nothing paid for
        level := 'LOCKED';
    END IF;
    IF status = 'past_due' AND since + grace_period_s <= extract(epoch FROM pg_catalog.now()) THEN
        level := 'LOCKED';
    END IF;

    INSERT INTO residency.stripe_subscriptions AS s
        (id, user_id, customer_id, status, price_ids, entitlement_level, current_period_end, cancel_at_period_end,
         past_due_since, grace_until, last_event_id, last_event_created, last_event_type)
    VALUES (subscription_id, user_id, customer_id, status, prices, level,
            coalesce(residency.stripe_bigint(obj -> 'current_period_end'),
                     (SELECT max(residency.stripe_bigint(i -> 'current_period_end'))
                      FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(obj #> '{items,data}') = 'array'
                                                                THEN obj #> '{items,data}' ELSE '[]' END) AS i)),
            CASE WHEN pg_catalog.jsonb_typeof(obj -> 'cancel_at_period_end') = 'boolean'
                 THEN (obj ->> 'cancel_at_period_end')::boolean ELSE false END,
            since, since + grace_period_s, event_id, created, event_type)
    ON CONFLICT (id) DO UPDATE SET
        status = excluded.status, price_ids = excluded.price_ids, entitlement_level = excluded.entitlement_level,
        current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end,
        past_due_since = excluded.past_due_since, grace_until = excluded.grace_until,
        last_event_id = excluded.last_event_id, last_event_created = excluded.last_event_created,
        last_event_type = excluded.last_event_type, updated_at = pg_catalog.now();

    entitled := residency.stripe_entitled_level(user_id);
    path := residency.stripe_set_level(user_id, entitled.level, entitled.subscription_id);
    outcome := 'applied';
    reason := pg_catalog.format('subscription %s %s: gives %s; user %s', subscription_id, status, level,
                                coalesce(path, 'stays ' || entitled.level));
END
$$;

-- checkout.session.completed: links the Stripe customer to the user the app
-- named in client_reference_id (or metadata.user_id); never by e-mail. Then
-- applies the customer's subscription events that arrived first.
CREATE FUNCTION residency.stripe_link_checkout(payload jsonb, grace_period_s integer,
                                               OUT outcome text, OUT reason text, OUT user_id uuid,
                                               OUT customer_id text, OUT subscription_id text)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    obj jsonb := payload #> '{data,object}';
    ref text := coalesce(obj ->> 'client_reference_id', obj #>> '{metadata,user_id}');
    linked_to text;
    pending record;
    applied record;
    replayed integer := 0;
BEGIN
    customer_id := residency.stripe_id(obj -> 'customer');
    subscription_id := residency.stripe_id(obj -> 'subscription');
    user_id := residency.stripe_user_ref(ref);
    outcome := 'unapplied';
    IF ref IS NULL THEN
        reason := 'no client_reference_id or metadata.user_id: the app sets client_reference_id to the user''s id';
        RETURN;
    ELSIF user_id IS NULL THEN
        reason := pg_catalog.format('client_reference_id %s is not a user id', pg_catalog.left(ref, 100));
        RETURN;
    ELSIF customer_id IS NULL THEN
        reason := 'the checkout session has no customer';
        RETURN;
    END IF;
    SELECT u.stripe_customer_id INTO linked_to FROM residency.users AS u WHERE u.id = user_id FOR UPDATE;
    IF NOT FOUND THEN
        reason := pg_catalog.format('unknown user %s', user_id);
        user_id := NULL;
        RETURN;
    ELSIF linked_to IS NOT NULL AND linked_to <> customer_id THEN
        reason := pg_catalog.format('user %s is linked to another customer (%s)', user_id, linked_to);
        RETURN;
    END IF;
    PERFORM FROM residency.users AS u WHERE u.stripe_customer_id = customer_id AND u.id <> user_id;
    IF FOUND THEN
        reason := pg_catalog.format('customer %s is linked to another user', customer_id);
        RETURN;
    END IF;
    IF linked_to IS NULL THEN
        UPDATE residency.users AS u SET stripe_customer_id = customer_id WHERE u.id = user_id;
    END IF;

    FOR pending IN
        SELECT e.id, e.type, e.created, e.payload FROM residency.stripe_events AS e
        WHERE e.outcome = 'unapplied' AND e.customer_id = stripe_link_checkout.customer_id
          AND e.user_id IS NULL AND e.type LIKE 'customer.subscription.%'
        ORDER BY e.created, e.id FOR UPDATE
    LOOP
        applied := residency.stripe_apply_subscription(pending.id, pending.type, pending.created, pending.payload,
                                                       grace_period_s);
        UPDATE residency.stripe_events AS e
        SET outcome = applied.outcome, user_id = applied.user_id,
            reason = applied.reason || pg_catalog.format(' (after checkout linked %s)',
                                                         stripe_link_checkout.customer_id)
        WHERE e.id = pending.id;
        replayed := replayed + 1;
    END LOOP;
    outcome := 'applied';
    reason := pg_catalog.format('customer %s %s user %s%s', customer_id,
                                CASE WHEN linked_to IS NULL THEN 'linked to' ELSE 'already linked to' END, user_id,
                                CASE WHEN replayed > 0
                                     THEN pg_catalog.format('; %s earlier subscription event(s) applied', replayed)
                                     ELSE '' END);
END
$$;

-- Past_due subscriptions whose grace period has ended give nothing any
-- more: their users' levels follow. Returns how many subscriptions ended
-- their grace. Schedule it (pg_cron, docs/payments.md): a delivery applies
-- the end of a grace period only to the user its event is for. A definer that
-- only service_role may execute: it writes the webhook's own state, which
-- no role writes directly.
CREATE FUNCTION residency.stripe_expire_grace() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
    ended integer := 0;
    entitled record;
BEGIN
    FOR s IN
        SELECT x.id, x.user_id FROM residency.stripe_subscriptions AS x
        WHERE x.status = 'past_due' AND x.entitlement_level <> 'LOCKED'
          AND x.grace_until <= extract(epoch FROM pg_catalog.now())
        ORDER BY x.user_id, x.id
    LOOP
        PERFORM FROM residency.users AS u WHERE u.id = s.user_id FOR UPDATE;
        UPDATE residency.stripe_subscriptions AS x SET entitlement_level = 'LOCKED', updated_at = pg_catalog.now()
        WHERE x.id = s.id AND x.status = 'past_due' AND x.grace_until <= extract(epoch FROM pg_catalog.now());
        IF FOUND THEN
            entitled := residency.stripe_entitled_level(s.user_id);
            PERFORM residency.stripe_set_level(s.user_id, entitled.level, entitled.subscription_id);
            ended := ended + 1;
        END IF;
    END LOOP;
    RETURN ended;
END
$$;

-- A verified event (residency.stripe_webhook checked its signature,
-- envelope and mode): recorded by id, applied at most once. A redelivery,
-- or a delivery concurrent with the first (it waits for the first to
-- commit), changes nothing and gets the first delivery's answer.
CREATE FUNCTION residency.stripe_apply_event(event_id text, event_type text, created bigint, livemode boolean,
                                             payload jsonb, grace_period_s integer) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result record;
    ev residency.stripe_events;
BEGIN
    INSERT INTO residency.stripe_events AS e (id, type, created, livemode, outcome, payload)
    VALUES (event_id, event_type, created, livemode, 'ignored', payload)
    ON CONFLICT (id) DO NOTHING;
    IF FOUND THEN
        BEGIN
            IF event_type IN ('customer.subscription.created', 'customer.subscription.updated',
                              'customer.subscription.deleted') THEN
                result := residency.stripe_apply_subscription(event_id, event_type, created, payload, grace_period_s);
            ELSIF event_type = 'checkout.session.completed' THEN
                result := residency.stripe_link_checkout(payload, grace_period_s);
            ELSIF event_type IN ('invoice.paid', 'invoice.payment_failed') THEN
                SELECT 'recorded' AS outcome, NULL::text AS reason, u.id AS user_id, c.customer_id,
                       residency.stripe_id(payload #> '{data,object,subscription}') AS subscription_id
                INTO result
                FROM (SELECT residency.stripe_id(payload #> '{data,object,customer}') AS customer_id) AS c
                LEFT JOIN residency.users AS u ON u.stripe_customer_id = c.customer_id;
            ELSE
                SELECT 'ignored' AS outcome, 'event type not handled' AS reason, NULL::uuid AS user_id,
                       NULL::text AS customer_id, NULL::text AS subscription_id
                INTO result;
            END IF;
        EXCEPTION WHEN check_violation OR insufficient_privilege OR raise_exception
                       OR invalid_text_representation OR string_data_right_truncation OR unique_violation
                       OR foreign_key_violation OR not_null_violation OR SQLSTATE 'PT409' THEN
            -- a rule refused the change (U2...): nothing of it is kept
            SELECT 'unapplied' AS outcome,
                   pg_catalog.format('refused: %s (SQLSTATE %s)', SQLERRM, SQLSTATE) AS reason,
                   NULL::uuid AS user_id, residency.stripe_id(payload #> '{data,object,customer}') AS customer_id,
                   NULL::text AS subscription_id
            INTO result;
        END;
        UPDATE residency.stripe_events AS e
        SET outcome = result.outcome, reason = result.reason, user_id = result.user_id,
            customer_id = result.customer_id, subscription_id = result.subscription_id
        WHERE e.id = event_id;
    END IF;
    SELECT * INTO STRICT ev FROM residency.stripe_events AS e WHERE e.id = event_id;
    RETURN pg_catalog.jsonb_build_object('received', true, 'id', ev.id, 'type', ev.type,
                                         'outcome', ev.outcome, 'reason', ev.reason);
END
$$;

-- The endpoint: the C function checks the signature with the secrets it
-- alone reads, then calls stripe_apply_event.
CREATE FUNCTION residency.stripe_webhook(json) RETURNS json
    LANGUAGE c VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'residency_stripe_webhook';
COMMENT ON FUNCTION residency.stripe_webhook(json) IS
    'Stripe webhook: verifies the Stripe-Signature of the exact body and applies the event once (docs/payments.md)';

-- A rebuilt cache row (C1: a missing row; an unlogged table is emptied by
-- a crash) takes the subscription id from the subscription that gives the
-- user's level. A definer: the webhook's state is not the inserting
-- role's to read, and a row that RLS refuses is refused all the same.
CREATE FUNCTION residency.entitlement_cache_subscription() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.stripe_subscription_id IS NULL THEN
        NEW.stripe_subscription_id := (residency.stripe_entitled_level(NEW.user_id)).subscription_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER entitlement_cache_subscription BEFORE INSERT ON residency.entitlement_cache
    FOR EACH ROW EXECUTE FUNCTION residency.entitlement_cache_subscription();

-- The signed-in user's entitlement, with what the app shows of their
-- subscription: its status, the end of the paid period, and whether it is
-- in the grace period of a failed payment (past_due).
CREATE FUNCTION residency.my_entitlement()
RETURNS TABLE (entitlement_level text, expires_at bigint, subscription_status text, current_period_end bigint,
               cancel_at_period_end boolean, in_grace_period boolean, grace_until bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u record := residency.require_user(allow_locked => true);
    now_s bigint := extract(epoch FROM pg_catalog.clock_timestamp())::bigint;
    cached_expiry bigint;
BEGIN
    -- current_entitlement rebuilt a missing or expired cache row when the
    -- transaction may write. This STABLE function's snapshot predates that
    -- rebuild, and a read-only transaction (a PostgREST GET) cannot write it:
    -- either way a row that is missing or expired here is reported as rebuilt.
    -- A hot standby has no cache rows (UNLOGGED), and the planner refuses the
    -- table during recovery: there every row is reported as rebuilt, and
    -- this statement, planned only when it runs, is never planned.
    IF NOT pg_catalog.pg_is_in_recovery() THEN
        SELECT c.expires_at INTO cached_expiry FROM residency.entitlement_cache AS c
        WHERE c.user_id = u.user_id AND c.expires_at > now_s;
    END IF;
    RETURN QUERY
    SELECT u.level,
           coalesce(cached_expiry, now_s + residency.entitlement_ttl_s()),
           s.status, s.current_period_end, s.cancel_at_period_end,
           coalesce(s.status = 'past_due' AND s.entitlement_level <> 'LOCKED' AND s.grace_until > now_s, false),
           CASE WHEN s.status = 'past_due' THEN s.grace_until END
    FROM (SELECT NULL) AS one
    LEFT JOIN LATERAL (SELECT x.* FROM residency.stripe_subscriptions AS x
                       WHERE x.user_id = u.user_id
                       ORDER BY (x.entitlement_level = u.level) DESC, x.last_event_created DESC, x.id
                       LIMIT 1) AS s ON true;
END
$$;

CREATE FUNCTION residency_api.my_entitlement()
RETURNS TABLE (entitlement_level text, expires_at bigint, subscription_status text, current_period_end bigint,
               cancel_at_period_end boolean, in_grace_period boolean, grace_until bigint)
LANGUAGE sql STABLE SECURITY INVOKER AS $$ SELECT * FROM residency.my_entitlement() $$;
CREATE FUNCTION residency_api.stripe_webhook(json) RETURNS json
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT residency.stripe_webhook($1) $$;
CREATE FUNCTION residency_api.stripe_expire_grace() RETURNS integer
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT residency.stripe_expire_grace() $$;

-- The events that could not apply, newest first, for whoever runs billing.
CREATE VIEW residency_api.stripe_unapplied_events WITH (security_invoker = true) AS
SELECT e.id, e.type, e.created, e.received_at, e.reason, e.customer_id, e.subscription_id, e.user_id
FROM residency.stripe_events AS e
WHERE e.outcome = 'unapplied'
ORDER BY e.received_at DESC, e.id;

COMMENT ON FUNCTION residency_api.my_entitlement() IS
    'Your entitlement level, when its cached value expires (unix seconds), and your subscription: status, end of the paid period, cancellation at period end, grace period of a failed payment.';
COMMENT ON FUNCTION residency_api.stripe_webhook(json) IS
    'Stripe webhook endpoint (POST the event unchanged with its Stripe-Signature header): 400 for a missing, malformed, stale or wrong signature or a malformed event, 413 over the size limit, otherwise 200 with the outcome.';
COMMENT ON FUNCTION residency_api.stripe_expire_grace() IS
    'Billing (service_role): ends the grace period of past_due subscriptions whose time is up; returns how many. Schedule it (pg_cron).';
COMMENT ON VIEW residency_api.stripe_unapplied_events IS
    'Billing (service_role): Stripe events that could not apply (unknown customer, unknown price, a rule refused), with the reason.';

REVOKE ALL ON residency.stripe_webhook_secrets, residency.stripe_prices, residency.stripe_events,
    residency.stripe_subscriptions, residency_api.stripe_unapplied_events FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON residency.stripe_prices TO service_role;
GRANT SELECT ON residency.stripe_events, residency.stripe_subscriptions TO service_role;
GRANT SELECT ON residency_api.stripe_unapplied_events TO service_role;
-- The policies name who may see rows; no one may see a secret.
CREATE POLICY stripe_webhook_secrets_none ON residency.stripe_webhook_secrets AS RESTRICTIVE
    FOR ALL TO PUBLIC
    USING (false) WITH CHECK (false);
CREATE POLICY stripe_prices_billing ON residency.stripe_prices
    FOR ALL TO service_role
    USING (true) WITH CHECK (true);
CREATE POLICY stripe_events_billing ON residency.stripe_events
    FOR SELECT TO service_role
    USING (true);
CREATE POLICY stripe_subscriptions_billing ON residency.stripe_subscriptions
    FOR SELECT TO service_role
    USING (true);

REVOKE EXECUTE ON FUNCTION
    residency.stripe_secret_guard(), residency.stripe_bigint(jsonb), residency.stripe_id(jsonb),
    residency.stripe_user_ref(text), residency.stripe_entitled_level(uuid), residency.stripe_set_level(uuid, text, text),
    residency.stripe_apply_subscription(text, text, bigint, jsonb, integer),
    residency.stripe_link_checkout(jsonb, integer), residency.stripe_expire_grace(),
    residency.stripe_apply_event(text, text, bigint, boolean, jsonb, integer), residency.stripe_webhook(json),
    residency.entitlement_cache_subscription(), residency.my_entitlement(),
    residency_api.my_entitlement(), residency_api.stripe_webhook(json), residency_api.stripe_expire_grace()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION residency_api.my_entitlement(), residency.my_entitlement()
TO anon, authenticated, service_role;
-- Stripe sends no JWT: the endpoint is anon's, and only the signature
-- protects it.
GRANT EXECUTE ON FUNCTION residency_api.stripe_webhook(json), residency.stripe_webhook(json)
TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION residency_api.stripe_expire_grace(), residency.stripe_expire_grace() TO service_role;

-- pg_dump keeps the secrets (a dump is as secret as the database), the
-- price table, the event log and the subscriptions.
SELECT pg_catalog.pg_extension_config_dump('residency.stripe_webhook_secrets', '');
SELECT pg_catalog.pg_extension_config_dump('residency.stripe_prices', '');
SELECT pg_catalog.pg_extension_config_dump('residency.stripe_events', '');
SELECT pg_catalog.pg_extension_config_dump('residency.stripe_subscriptions', '');

-------------------------------------------------------------------------------
-- The evaluation worker's wake-up (docs/worker.md): a response with a
-- recording, once committed, NOTIFYs channel residency_evaluation. The
-- payload is empty: the notification carries no personal data, and the
-- worker learns what to do from claim_submissions. The worker also polls, so
-- a notification lost (no listener at the time) delays nothing for long.
-------------------------------------------------------------------------------
CREATE FUNCTION residency.notify_evaluation_worker() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('residency_evaluation', '');
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION residency.notify_evaluation_worker() FROM PUBLIC;
-- The worker scores a recording as evaluate_session scores a typed answer:
-- with the candidate's previous result for the same question.
GRANT EXECUTE ON FUNCTION residency.previous_result(uuid, uuid, text, uuid) TO service_role;
COMMENT ON FUNCTION residency.notify_evaluation_worker() IS
    'AFTER INSERT trigger on drill_responses: NOTIFY residency_evaluation (empty payload) for a recorded answer';
CREATE TRIGGER notify_evaluation_worker AFTER INSERT ON residency.drill_responses
    FOR EACH ROW WHEN (NEW.audio_url IS NOT NULL) EXECUTE FUNCTION residency.notify_evaluation_worker();

-------------------------------------------------------------------------------
-- One home for each rule (docs/rules.md, docs/postgrest.md "Errors"): the
-- API's functions leave the checks to the rules, which they run with
-- residency.api_errors on, so that a rule's refusal reaches the client with
-- the API's SQLSTATE; the LOCKED check is rule S1's; the result-to-row
-- mapping is insert_evaluation's; processing_time_ms is rule S3's; the
-- questions view cuts criteria where the scorer does.
-------------------------------------------------------------------------------
CREATE FUNCTION residency.check_drills_allowed(level text, user_id uuid) RETURNS void
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_check_drills_allowed';
CREATE FUNCTION residency.require_active_pack() RETURNS uuid
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_require_active_pack';

CREATE FUNCTION residency.criterion_text(criterion text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_criterion_text';

CREATE FUNCTION residency.insert_evaluation(session_id uuid, result jsonb) RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e residency.evaluation_results;
BEGIN
    INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
        categories, what_changed, practice_rule, model_used, processing_time_ms, details)
    SELECT r.session_id, r.id, (result ->> 'duration_s')::numeric, (result ->> 'words')::integer,
           (result ->> 'wpm')::numeric, (result ->> 'overall_score')::integer, result -> 'categories',
           result -> 'what_changed', result ->> 'practice_rule', result ->> 'model_used',
           (result ->> 'processing_time_ms')::integer, result -> 'details'
    FROM residency.drill_responses AS r WHERE r.session_id = insert_evaluation.session_id
    RETURNING * INTO e;
    RETURN e;
END
$$;

CREATE OR REPLACE FUNCTION residency.require_user(allow_locked boolean DEFAULT false, OUT user_id uuid, OUT level text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
BEGIN
    user_id := residency.uid();
    IF user_id IS NULL THEN
        RAISE EXCEPTION 'not signed in'
            USING ERRCODE = '42501', DETAIL = 'The request carries no user id (JWT claim sub).',
                  HINT = 'Sign in and send the access token (Authorization: Bearer ...).';
    END IF;
    level := residency.current_entitlement(user_id);
    IF level IS NULL THEN
        RAISE EXCEPTION 'no account for this user'
            USING ERRCODE = '42501', DETAIL = pg_catalog.format('There is no residency.users row for %s.', user_id),
                  HINT = 'The account is created at sign-up; contact support if it is missing.';
    END IF;
    IF NOT allow_locked THEN
        PERFORM residency.check_drills_allowed(level, user_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION residency.start_drill(question_id text) RETURNS residency.drill_sessions
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions;
BEGIN
    PERFORM residency.require_argument(question_id IS NULL, 'question_id');
    INSERT INTO residency.drill_sessions (user_id, question_id)
    VALUES (caller, start_drill.question_id)
    RETURNING * INTO s;
    RETURN s;
END
$$;

CREATE OR REPLACE FUNCTION residency.submit_response(session_id uuid, content text DEFAULT NULL, audio_url text DEFAULT NULL,
                                          audio_duration_s numeric DEFAULT NULL)
RETURNS residency.drill_responses
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions := residency.own_session(session_id, caller);
    r residency.drill_responses;
BEGIN
    INSERT INTO residency.drill_responses (session_id, content, audio_url, audio_duration_s)
    VALUES (s.id, submit_response.content, submit_response.audio_url, submit_response.audio_duration_s)
    RETURNING * INTO r;
    RETURN r;
END
$$;

CREATE OR REPLACE FUNCTION residency.evaluate_session(session_id uuid) RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions := residency.own_session(session_id, caller);
    r residency.drill_responses;
BEGIN
    IF s.status <> 'SUBMITTED' THEN
        RAISE EXCEPTION 'drill session cannot be evaluated now'
            USING ERRCODE = 'PT409', DETAIL = pg_catalog.format('Session %s is %s.', s.id, s.status),
                  HINT = CASE s.status WHEN 'STARTED' THEN 'Submit a response first.'
                                       WHEN 'PROCESSING' THEN 'It is being evaluated; read it from my_evaluations.'
                                       ELSE 'It has been evaluated already; read it from my_evaluations.' END;
    END IF;
    SELECT * INTO r FROM residency.drill_responses AS d WHERE d.session_id = s.id;
    IF r.content IS NULL THEN
        RAISE EXCEPTION 'audio-only responses are evaluated by the worker'
            USING ERRCODE = 'PT409', DETAIL = 'The response has an audio_url but no transcript (content).',
                  HINT = 'Wait for the evaluation to appear in my_evaluations.';
    END IF;
    UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = s.id;
    RETURN residency.insert_evaluation(s.id,
        residency.score(s.content_pack_id, s.question_id, r.content, r.audio_duration_s,
                        residency.previous_result(caller, s.content_pack_id, s.question_id, s.id)));
END
$$;

CREATE OR REPLACE FUNCTION residency.score_answer(question_id text, content text, duration_s numeric DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    pack uuid;
BEGIN
    PERFORM residency.require_user();
    PERFORM residency.require_argument(question_id IS NULL, 'question_id');
    pack := residency.require_active_pack();
    IF content IS NULL THEN
        RAISE EXCEPTION 'content is required' USING ERRCODE = '22023', DETAIL = 'The answer text is NULL.',
            HINT = 'Send the answer to preview its score.';
    END IF;
    RETURN residency.score(pack, question_id, content, duration_s);
END
$$;

CREATE OR REPLACE FUNCTION residency.record_evaluation(session_id uuid, result jsonb) RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    s residency.drill_sessions;
BEGIN
    PERFORM residency.require_service_role();
    PERFORM residency.require_argument(session_id IS NULL, 'session_id');
    SELECT * INTO s FROM residency.drill_sessions AS d WHERE d.id = record_evaluation.session_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'drill session not found' USING ERRCODE = 'PT404',
            DETAIL = pg_catalog.format('There is no drill session %s.', session_id);
    END IF;
    IF s.status <> 'PROCESSING' THEN
        RAISE EXCEPTION 'drill session is not being evaluated' USING ERRCODE = 'PT409',
            DETAIL = pg_catalog.format('Session %s is %s.', s.id, s.status),
            HINT = 'Claim it with claim_submissions first; an evaluation is recorded once.';
    END IF;
    -- every key present and of its JSON type (22023 with each path), before
    -- anything converts it: "42" is not a number, 100.4 not an integer
    PERFORM residency.check_evaluation_result(result);
    RETURN residency.insert_evaluation(s.id, result);
END
$$;

CREATE OR REPLACE FUNCTION residency.set_entitlement(user_id uuid, level text, stripe_subscription_id text DEFAULT NULL)
RETURNS residency.users
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET residency.api_errors = on AS $$
DECLARE
    u residency.users;
BEGIN
    PERFORM residency.require_service_role();
    PERFORM residency.require_argument(user_id IS NULL, 'user_id');
    PERFORM residency.require_argument(level IS NULL, 'level');
    SELECT * INTO u FROM residency.users AS x WHERE x.id = set_entitlement.user_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user not found' USING ERRCODE = 'PT404',
            DETAIL = pg_catalog.format('There is no user %s.', user_id);
    END IF;
    -- rule U2 refuses a change the level does not allow (PT409 through the API)
    UPDATE residency.users SET entitlement_level = level WHERE id = u.id RETURNING * INTO u;
    IF stripe_subscription_id IS NOT NULL THEN
        PERFORM residency.cache_subscription(u.id, stripe_subscription_id);
    END IF;
    RETURN u;
END
$$;

CREATE OR REPLACE VIEW residency_api.questions WITH (security_invoker = true) AS
SELECT q.id, q.category, q.prompt, q.expected_duration_s, q.kind, q.ordinal,
       ARRAY(SELECT residency.criterion_text(c) FROM pg_catalog.unnest(q.evaluation_criteria) AS c)
           AS evaluation_criteria,
       p.id AS content_pack_id, p.version AS content_pack_version
FROM residency.content_pack_questions AS q
JOIN residency.content_packs AS p ON p.id = q.content_pack_id AND p.status = 'ACTIVE';
REVOKE EXECUTE ON FUNCTION residency.check_drills_allowed(text, uuid), residency.require_active_pack(),
    residency.criterion_text(text),
    residency.insert_evaluation(uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION residency.criterion_text(text) TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION residency.insert_evaluation(uuid, jsonb) TO service_role;

-------------------------------------------------------------------------------
-- Scheduled upkeep (docs/operations.md, "Scheduled upkeep"): three jobs to
-- run on a schedule, and their scheduling with pg_cron where it is
-- installed. residency does not depend on pg_cron: cron's objects are named
-- only in dynamic SQL, when a scheduling function is called.
-------------------------------------------------------------------------------

-- Drops the expired rows of the entitlement cache and returns how many. A
-- read rebuilds a missing row from users exactly as it rebuilds an expired
-- one (rule C1), so no reader sees a difference: this only keeps the table
-- from growing with users who do not come back. A row rebuilt meanwhile is
-- fresh again when the DELETE rechecks it, and is kept. A definer (the
-- cache is written by the rules only: service_role may not delete from it)
-- that only service_role may execute, and that deletes expired rows only.
CREATE FUNCTION residency.purge_expired_entitlement_cache() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    purged integer;
BEGIN
    DELETE FROM residency.entitlement_cache AS c
    WHERE c.expires_at <= extract(epoch FROM pg_catalog.clock_timestamp())::bigint;
    GET DIAGNOSTICS purged = ROW_COUNT;
    RETURN purged;
END
$$;
COMMENT ON FUNCTION residency.purge_expired_entitlement_cache() IS
    'Upkeep (service_role): deletes the expired rows of entitlement_cache, which reads rebuild on demand (rule C1); returns how many';

-- The upkeep jobs of this database: a job name that names the database (a
-- pg_cron job name is unique per role across the cluster's databases), the
-- schedule (cron syntax; NULL: not scheduled) and the command. What
-- schedule_maintenance schedules, and what to schedule with
-- cron.schedule_in_database from the database that holds pg_cron when it is
-- another one. Each command first becomes service_role, as the evaluation
-- worker does: a member of service_role inherits its privileges but not its
-- BYPASSRLS, and fail_stale_processing, which runs as its caller, would
-- see no session through the row level security policies. The interval is
-- written in ISO 8601 whatever the caller's IntervalStyle: read back the
-- same in every style.
CREATE FUNCTION residency.maintenance_jobs(fail_stale_schedule text DEFAULT '*/5 * * * *',
                                           stale_after interval DEFAULT '15 minutes',
                                           purge_cache_schedule text DEFAULT '17 * * * *',
                                           expire_grace_schedule text DEFAULT '*/10 * * * *')
RETURNS TABLE (job_name text, schedule text, command text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp SET IntervalStyle = iso_8601 AS $$
    SELECT pg_catalog.format('residency:%s:%s', pg_catalog.current_database(), j.job), j.schedule, j.command
    FROM (VALUES (1, 'fail_stale_processing', fail_stale_schedule,
                  pg_catalog.format('SET ROLE service_role; SELECT residency.fail_stale_processing(%L::interval)',
                                    stale_after)),
                 (2, 'purge_expired_entitlement_cache', purge_cache_schedule,
                  'SET ROLE service_role; SELECT residency.purge_expired_entitlement_cache()'),
                 (3, 'stripe_expire_grace', expire_grace_schedule,
                  'SET ROLE service_role; SELECT residency.stripe_expire_grace()'))
         AS j(ord, job, schedule, command)
    ORDER BY j.ord
$$;
COMMENT ON FUNCTION residency.maintenance_jobs(text, interval, text, text) IS
    'Upkeep: the jobs schedule_maintenance schedules in this database (name, cron schedule, command)';

-- pg_cron must be installed in this database; otherwise an error that says
-- what to do (SQLSTATE 55000): install it, or schedule from the database
-- that holds it (cron.database_name), or use cron or a systemd timer. A
-- definer: cron.database_name is readable by superusers only, and the
-- scheduling roles need not be (Supabase's postgres is not).
CREATE FUNCTION residency.require_pg_cron() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cron_database text;
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron') THEN
        RETURN;
    END IF;
    cron_database := pg_catalog.current_setting('cron.database_name', true);
    IF cron_database IS NOT NULL AND cron_database <> pg_catalog.current_database() THEN
        RAISE EXCEPTION 'pg_cron is installed for database %, not this one', cron_database
            USING ERRCODE = '55000',
                  DETAIL = pg_catalog.format('pg_cron schedules jobs from database %s (cron.database_name) only.',
                                             cron_database),
                  HINT = pg_catalog.format('In database %s, schedule each row of residency.maintenance_jobs() '
                                           '(read in database %s) with cron.schedule_in_database(job_name, '
                                           'schedule, command, %L); docs/operations.md, "Scheduled upkeep".',
                                           cron_database, pg_catalog.current_database(),
                                           pg_catalog.current_database());
    END IF;
    RAISE EXCEPTION 'pg_cron is not installed in this database'
        USING ERRCODE = '55000',
              DETAIL = 'residency schedules its upkeep with pg_cron; it does not require it.',
              HINT = 'Install pg_cron (shared_preload_libraries = ''pg_cron'', then CREATE EXTENSION pg_cron), '
                     'or run the jobs from cron or a systemd timer; docs/operations.md, "Scheduled upkeep".';
END
$$;

-- Schedules the upkeep jobs with pg_cron, in this database, as the calling
-- role (pg_cron runs a job as the role that scheduled it): failing sessions
-- left PROCESSING (the evaluation worker's crash recovery), dropping expired
-- cache rows, ending Stripe grace periods. Idempotent: pg_cron replaces a
-- job of the same name and role, so calling it again changes the schedules
-- and never adds a job. A NULL schedule unschedules that job. Returns the
-- jobs scheduled. The caller must be able to run the jobs: a superuser or a
-- member of service_role (on Supabase, postgres). Executable by the
-- extension's owner only, who may grant it (docs/operations.md).
CREATE FUNCTION residency.schedule_maintenance(fail_stale_schedule text DEFAULT '*/5 * * * *',
                                               stale_after interval DEFAULT '15 minutes',
                                               purge_cache_schedule text DEFAULT '17 * * * *',
                                               expire_grace_schedule text DEFAULT '*/10 * * * *')
RETURNS TABLE (job_name text, schedule text, command text, jobid bigint)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    job record;
    gone bigint;
BEGIN
    IF NOT residency.is_service_role() THEN
        RAISE EXCEPTION 'permission denied: the upkeep jobs would run as %', current_user
            USING ERRCODE = '42501',
                  DETAIL = 'pg_cron runs a job as the role that scheduled it, and the jobs are service_role''s.',
                  HINT = 'Call it as a superuser or as a member of service_role (on Supabase, postgres).';
    END IF;
    IF stale_after IS NULL OR stale_after <= interval '0' THEN
        RAISE EXCEPTION 'invalid stale_after' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('stale_after is %s; it must be positive.', coalesce(stale_after::text, 'NULL'));
    END IF;
    PERFORM residency.require_pg_cron();
    FOR job IN
        SELECT j.job_name, j.schedule, j.command
        FROM residency.maintenance_jobs(fail_stale_schedule, stale_after, purge_cache_schedule,
                                        expire_grace_schedule) AS j
    LOOP
        IF job.schedule IS NULL THEN
            FOR gone IN EXECUTE 'SELECT j.jobid FROM cron.job AS j WHERE j.jobname = $1 AND j.username = $2'
                USING job.job_name, current_user
            LOOP
                EXECUTE 'SELECT cron.unschedule($1)' USING gone;
            END LOOP;
            CONTINUE;
        END IF;
        job_name := job.job_name;
        schedule := job.schedule;
        command := job.command;
        EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO jobid USING job.job_name, job.schedule, job.command;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION residency.schedule_maintenance(text, interval, text, text) IS
    'Upkeep: schedules fail_stale_processing, purge_expired_entitlement_cache and stripe_expire_grace with pg_cron in this database, as the caller; idempotent; a NULL schedule unschedules that job (docs/operations.md)';

-- Unschedules the calling role's upkeep jobs of this database (a superuser:
-- every role's) and returns them.
CREATE FUNCTION residency.unschedule_maintenance()
RETURNS TABLE (job_name text, jobid bigint)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_pg_cron();
    -- cron.job shows a role its own jobs (row level security), a superuser all
    FOR job_name, jobid IN EXECUTE
        'SELECT j.jobname::text, j.jobid FROM cron.job AS j WHERE j.jobname = ANY ($1) ORDER BY j.jobid'
        USING ARRAY(SELECT j.job_name FROM residency.maintenance_jobs() AS j)
    LOOP
        EXECUTE 'SELECT cron.unschedule($1)' USING jobid;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION residency.unschedule_maintenance() IS
    'Upkeep: unschedules the upkeep jobs of this database that schedule_maintenance scheduled (docs/operations.md)';

REVOKE EXECUTE ON FUNCTION residency.purge_expired_entitlement_cache(),
    residency.maintenance_jobs(text, interval, text, text), residency.require_pg_cron(),
    residency.schedule_maintenance(text, interval, text, text), residency.unschedule_maintenance()
FROM PUBLIC;
-- The jobs are service_role's. Scheduling them is the owner's, and of the
-- roles the owner grants schedule_maintenance and unschedule_maintenance to
-- (on Supabase, postgres), which must be members of service_role: so the
-- helpers those invoker functions call are service_role's too.
GRANT EXECUTE ON FUNCTION residency.purge_expired_entitlement_cache(),
    residency.maintenance_jobs(text, interval, text, text), residency.require_pg_cron()
TO service_role;

NOTIFY pgrst, 'reload schema';
