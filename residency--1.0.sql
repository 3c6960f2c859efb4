-- residency 1.0: the data model, its rules and the Supabase integration.
-- DESIGN.md section 2 is the contract for every object here.

\echo Use "CREATE EXTENSION residency" to load this file. \quit

CREATE SCHEMA residency_api;
-- Schema residency is the extension's own schema (the control file's
-- schema = residency, pg_extension.extnamespace); Postgres does not let the
-- schema that contains an extension also be its member, so DROP EXTENSION
-- leaves it behind, empty (docs/operations.md). residency_api, created here,
-- is a member.
COMMENT ON SCHEMA residency IS 'residency: tables, rules and privileged implementations (not exposed to PostgREST)';
COMMENT ON SCHEMA residency_api IS 'residency: the API PostgREST exposes (db-schemas = residency_api)';

-------------------------------------------------------------------------------
-- Roles. PostgREST and Supabase use anon, authenticated and service_role.
-- They are never altered or dropped here; where one is missing (plain
-- PostgreSQL) it is created NOLOGIN, as Supabase creates it, and the install
-- says so in a WARNING: CREATE EXTENSION raises client_min_messages to
-- WARNING while the script runs, so a NOTICE would reach no one.
-------------------------------------------------------------------------------
DO $roles$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('anon', false), ('authenticated', false), ('service_role', true)) AS v(name, bypass)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT%s', r.name, CASE WHEN r.bypass THEN ' BYPASSRLS' ELSE '' END);
            RAISE WARNING 'residency: created role % (NOLOGIN%)', r.name, CASE WHEN r.bypass THEN ', BYPASSRLS' ELSE '' END;
        END IF;
    END LOOP;
END
$roles$;

-------------------------------------------------------------------------------
-- Identity
-------------------------------------------------------------------------------
-- The caller's user id, read the way Supabase's auth.uid() reads it, without
-- depending on the auth schema: PostgREST puts the JWT claims in
-- request.jwt.claims (and older versions in request.jwt.claim.sub).
CREATE FUNCTION residency.uid() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- nullif and coalesce are SQL syntax, not functions: they need no schema.
    -- Types and operators are qualified: this runs under the caller's
    -- search_path, whose temporary schema would otherwise come first.
    SELECT nullif(
        coalesce(
            nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
            nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::pg_catalog.jsonb
                OPERATOR(pg_catalog.->>) 'sub'),
        '')::pg_catalog.uuid
$$;
COMMENT ON FUNCTION residency.uid() IS 'The signed-in user''s id from the PostgREST JWT claims (sub), or NULL';

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------
CREATE TABLE residency.users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text NOT NULL,
    entitlement_level  text NOT NULL DEFAULT 'LOCKED'
                       CHECK (entitlement_level IN ('BASIC', 'PRO', 'LOCKED')),
    stripe_customer_id text UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_login_at      timestamptz,
    CONSTRAINT users_created_before_updated CHECK (created_at <= updated_at)
);
CREATE UNIQUE INDEX users_email_lower_key ON residency.users (lower(email));
CREATE INDEX idx_users_entitlement ON residency.users (entitlement_level);
COMMENT ON TABLE residency.users IS 'Candidates and their entitlement (rules U1-U4; C1 keeps entitlement_cache in step)';

CREATE TABLE residency.content_packs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version        text NOT NULL,
    name           text NOT NULL,
    description    text,
    schema_version text NOT NULL DEFAULT '1.0.0',
    content        jsonb NOT NULL,
    metadata       jsonb,
    status         text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'ARCHIVED')),
    uploaded_by    uuid NOT NULL REFERENCES residency.users (id),
    file_size      integer NOT NULL CHECK (file_size > 0),
    checksum       text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    activated_at   timestamptz,
    UNIQUE (version, name)
);
-- P5's final guard: at most one ACTIVE pack, whatever the isolation level.
CREATE UNIQUE INDEX content_packs_one_active ON residency.content_packs ((true)) WHERE status = 'ACTIVE';
CREATE INDEX idx_content_packs_status ON residency.content_packs (status);
CREATE INDEX idx_content_packs_version ON residency.content_packs (version);
CREATE INDEX content_packs_uploaded_by_idx ON residency.content_packs (uploaded_by);
COMMENT ON TABLE residency.content_packs IS 'Question packs; one is ACTIVE (rules P1-P6)';

CREATE TABLE residency.content_pack_questions (
    content_pack_id     uuid NOT NULL REFERENCES residency.content_packs (id) ON DELETE CASCADE,
    id                  text NOT NULL,
    category            text NOT NULL,
    prompt              text NOT NULL,
    expected_duration_s numeric NOT NULL CHECK (expected_duration_s > 0),
    evaluation_criteria text[] NOT NULL,
    kind                text CHECK (kind IN ('behavioral', 'situational', 'motivation')),
    ordinal             integer NOT NULL,
    PRIMARY KEY (content_pack_id, id)
);
COMMENT ON TABLE residency.content_pack_questions IS 'The questions of each pack, mirrored from content_packs.content (rule P7); ordinal is the 1-based position in $.questions';

CREATE TABLE residency.drill_sessions (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL REFERENCES residency.users (id) ON DELETE CASCADE,
    question_id           text NOT NULL,
    content_pack_id       uuid NOT NULL,
    content_pack_version  text NOT NULL,
    status                text NOT NULL DEFAULT 'STARTED'
                          CHECK (status IN ('STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'FAILED')),
    started_at            timestamptz NOT NULL DEFAULT now(),
    submitted_at          timestamptz,
    processing_started_at timestamptz,
    completed_at          timestamptz,
    processing_time_ms    integer CHECK (processing_time_ms > 0),
    metadata              jsonb,
    FOREIGN KEY (content_pack_id, question_id)
        REFERENCES residency.content_pack_questions (content_pack_id, id)
);
CREATE INDEX idx_drill_sessions_user_id ON residency.drill_sessions (user_id);
CREATE INDEX idx_drill_sessions_status ON residency.drill_sessions (status);
CREATE INDEX idx_drill_sessions_started_at ON residency.drill_sessions (started_at);
CREATE INDEX drill_sessions_pack_question_idx ON residency.drill_sessions (content_pack_id, question_id);
COMMENT ON TABLE residency.drill_sessions IS 'One attempt at one question (rules S1-S3)';

CREATE TABLE residency.drill_responses (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id       uuid NOT NULL UNIQUE REFERENCES residency.drill_sessions (id) ON DELETE CASCADE,
    content          text,
    audio_url        text,
    audio_duration_s numeric CHECK (audio_duration_s > 0),
    word_count       integer CHECK (word_count >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (content IS NOT NULL OR audio_url IS NOT NULL)
);
COMMENT ON TABLE residency.drill_responses IS 'The answer of a session, typed or spoken (rules R1-R3)';

CREATE TABLE residency.evaluation_results (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id         uuid NOT NULL REFERENCES residency.drill_sessions (id) ON DELETE CASCADE,
    response_id        uuid NOT NULL REFERENCES residency.drill_responses (id) ON DELETE CASCADE,
    -- the session's user, set by rule E1; row level security filters on it
    -- (not in the seed: see docs/design-notes.md)
    user_id            uuid NOT NULL REFERENCES residency.users (id) ON DELETE CASCADE,
    duration_s         numeric NOT NULL CHECK (duration_s > 0),
    words              integer NOT NULL CHECK (words >= 0),
    wpm                numeric NOT NULL CHECK (wpm >= 0),
    overall_score      integer NOT NULL CHECK (overall_score BETWEEN 0 AND 100),
    categories         jsonb NOT NULL,
    what_changed       jsonb NOT NULL,
    practice_rule      text NOT NULL,
    model_used         text NOT NULL,
    processing_time_ms integer NOT NULL CHECK (processing_time_ms > 0),
    details            jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- the seed's idx_evaluation_results_session_id is this unique index
    CONSTRAINT idx_evaluation_results_session_id UNIQUE (session_id),
    CONSTRAINT evaluation_results_response_id_key UNIQUE (response_id)
);
COMMENT ON TABLE residency.evaluation_results IS 'The evaluation of a session (rules E1-E3)';
CREATE INDEX evaluation_results_user_created ON residency.evaluation_results (user_id, created_at DESC);

-- The users who may activate and archive content packs for everyone
-- (operators, alongside service_role), named by service_role.
CREATE TABLE residency.content_admins (
    user_id    uuid PRIMARY KEY REFERENCES residency.users (id) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE residency.content_admins IS
    'Users who may activate and archive content packs for everyone (set by service_role with set_content_admin)';

-- The seed's Redis entity. UNLOGGED: it is a cache, rebuilt from users when
-- a row is missing or expired (rule C1), and not dumped.
CREATE UNLOGGED TABLE residency.entitlement_cache (
    user_id                uuid PRIMARY KEY REFERENCES residency.users (id) ON DELETE CASCADE,
    entitlement_level      text NOT NULL CHECK (entitlement_level IN ('BASIC', 'PRO', 'LOCKED')),
    expires_at             bigint NOT NULL,
    stripe_subscription_id text,
    last_updated           bigint NOT NULL,
    CONSTRAINT entitlement_cache_ttl CHECK (expires_at = last_updated + 3600)
);
COMMENT ON TABLE residency.entitlement_cache IS 'Entitlement cache, TTL 3600 s, unix seconds (rule C1)';

-------------------------------------------------------------------------------
-- Rules: C++ trigger functions (src/pg/trigger_*.cpp)
-------------------------------------------------------------------------------
CREATE FUNCTION residency.users_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_users_guard';
CREATE FUNCTION residency.users_cache_sync() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_users_cache_sync';
CREATE FUNCTION residency.content_packs_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_content_packs_guard';
CREATE FUNCTION residency.content_packs_mirror() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_content_packs_mirror';
CREATE FUNCTION residency.content_packs_delete() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_content_packs_delete';
CREATE FUNCTION residency.content_pack_questions_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_content_pack_questions_guard';
CREATE FUNCTION residency.drill_sessions_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_drill_sessions_guard';
CREATE FUNCTION residency.drill_responses_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_drill_responses_guard';
CREATE FUNCTION residency.evaluation_results_guard() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_evaluation_results_guard';
CREATE FUNCTION residency.forbid_truncate() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'residency_forbid_truncate';

CREATE TRIGGER users_guard BEFORE INSERT OR UPDATE ON residency.users
    FOR EACH ROW EXECUTE FUNCTION residency.users_guard();
CREATE TRIGGER users_cache_sync AFTER INSERT OR UPDATE OF entitlement_level ON residency.users
    FOR EACH ROW EXECUTE FUNCTION residency.users_cache_sync();

CREATE TRIGGER content_packs_guard BEFORE INSERT OR UPDATE ON residency.content_packs
    FOR EACH ROW EXECUTE FUNCTION residency.content_packs_guard();
CREATE TRIGGER content_packs_mirror AFTER INSERT OR UPDATE OF content ON residency.content_packs
    FOR EACH ROW EXECUTE FUNCTION residency.content_packs_mirror();
CREATE TRIGGER content_packs_delete BEFORE DELETE ON residency.content_packs
    FOR EACH ROW EXECUTE FUNCTION residency.content_packs_delete();
CREATE TRIGGER content_packs_no_truncate BEFORE TRUNCATE ON residency.content_packs
    FOR EACH STATEMENT EXECUTE FUNCTION residency.forbid_truncate();

CREATE TRIGGER content_pack_questions_guard BEFORE INSERT OR UPDATE ON residency.content_pack_questions
    FOR EACH STATEMENT EXECUTE FUNCTION residency.content_pack_questions_guard();
CREATE TRIGGER content_pack_questions_delete AFTER DELETE ON residency.content_pack_questions
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION residency.content_pack_questions_guard();
CREATE TRIGGER content_pack_questions_no_truncate BEFORE TRUNCATE ON residency.content_pack_questions
    FOR EACH STATEMENT EXECUTE FUNCTION residency.forbid_truncate();

CREATE TRIGGER drill_sessions_guard BEFORE INSERT OR UPDATE ON residency.drill_sessions
    FOR EACH ROW EXECUTE FUNCTION residency.drill_sessions_guard();

CREATE TRIGGER drill_responses_guard BEFORE INSERT OR UPDATE OR DELETE ON residency.drill_responses
    FOR EACH ROW EXECUTE FUNCTION residency.drill_responses_guard();
CREATE TRIGGER drill_responses_no_truncate BEFORE TRUNCATE ON residency.drill_responses
    FOR EACH STATEMENT EXECUTE FUNCTION residency.forbid_truncate();

CREATE TRIGGER evaluation_results_guard BEFORE INSERT OR UPDATE OR DELETE ON residency.evaluation_results
    FOR EACH ROW EXECUTE FUNCTION residency.evaluation_results_guard();
CREATE TRIGGER evaluation_results_no_truncate BEFORE TRUNCATE ON residency.evaluation_results
    FOR EACH STATEMENT EXECUTE FUNCTION residency.forbid_truncate();

-- C1: the cached level of a user, rebuilt from users when missing or expired.
CREATE FUNCTION residency.current_entitlement(user_id uuid) RETURNS text
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'residency_current_entitlement';
COMMENT ON FUNCTION residency.current_entitlement(uuid) IS
    'Entitlement level from residency.entitlement_cache; a missing or expired row is rebuilt from residency.users (rule C1)';

-- The built-in scorer (DESIGN.md section 5, docs/scoring.md). Reads the
-- pack's rubric and the question; writes nothing. STABLE: a DRAFT pack's
-- content may change between statements.
CREATE FUNCTION residency.score(pack_id uuid, question_id text, content text,
                                duration_s numeric DEFAULT NULL, previous jsonb DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_score';
COMMENT ON FUNCTION residency.score(uuid, text, text, numeric, jsonb) IS
    'Scores an answer to a question of a content pack with the built-in rubric: duration_s NULL means typed; previous is an earlier result for the same question';

-- Diagnostics of the C++ error boundary (superuser only).
CREATE FUNCTION residency._selftest_boundary(mode text) RETURNS integer
    LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'residency_selftest_boundary';
CREATE FUNCTION residency._selftest_destructor_runs() RETURNS integer
    LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'residency_selftest_destructor_runs';
COMMENT ON FUNCTION residency._selftest_boundary(text) IS
    'Diagnostic: raises a core error, a Postgres error or a C++ exception through the error boundary';

-------------------------------------------------------------------------------
-- API (DESIGN.md section 4). PostgREST exposes schema residency_api: SECURITY
-- INVOKER wrappers and views. The privileged work is done by the SECURITY
-- DEFINER functions of the same names in schema residency, which re-check
-- the caller (residency.uid(), ownership, entitlement) and pin search_path.
-- Errors (section 4.1): 42501 not signed in / not allowed, PT402 LOCKED,
-- PT404 not found or not the caller's, PT409 wrong state, PT413 too large,
-- 22023 / 22P02 malformed argument, 23505 uniqueness.
-------------------------------------------------------------------------------

-- Whether the caller is service_role (or has its privileges), or a
-- superuser. SECURITY INVOKER and only called from invoker functions:
-- current_user is then the caller (inside a definer it would be the owner).
CREATE FUNCTION residency.is_service_role() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.pg_has_role(current_user, 'service_role', 'USAGE')
           OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user), false)
$$;

-- The check for the worker's functions: the caller is service_role (or has
-- its privileges), or a superuser.
CREATE FUNCTION residency.require_service_role() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT residency.is_service_role() THEN
        RAISE EXCEPTION 'permission denied: service_role only'
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('Role %s may not call the evaluation worker''s functions.', current_user),
                  HINT = 'Call it with the service_role key (the evaluation worker, the billing service).';
    END IF;
END
$$;

-- The signed-in caller and their entitlement; 42501 when not signed in or
-- without an account, PT402 when LOCKED (unless allow_locked).
CREATE FUNCTION residency.require_user(allow_locked boolean DEFAULT false, OUT user_id uuid, OUT level text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
    IF level = 'LOCKED' AND NOT allow_locked THEN
        RAISE EXCEPTION 'entitlement is LOCKED'
            USING ERRCODE = 'PT402', DETAIL = 'Drills need a BASIC or PRO subscription.',
                  HINT = 'Subscribe to unlock drills.';
    END IF;
END
$$;

-- The caller's session, locked; PT404 when missing or another user's.
-- A required argument that is NULL: 22023 (HTTP 400), before any lookup
-- would turn it into "not found".
CREATE FUNCTION residency.require_argument(is_null boolean, name text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF is_null THEN
        RAISE EXCEPTION '% is required', name USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('%s was null.', name),
            HINT = pg_catalog.format('Pass %s.', name);
    END IF;
END
$$;

CREATE FUNCTION residency.own_session(session_id uuid, caller uuid) RETURNS residency.drill_sessions
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s residency.drill_sessions;
BEGIN
    PERFORM residency.require_argument(session_id IS NULL, 'session_id');
    SELECT * INTO s FROM residency.drill_sessions AS d
    WHERE d.id = own_session.session_id AND d.user_id = caller FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'drill session not found'
            USING ERRCODE = 'PT404', DETAIL = pg_catalog.format('You have no drill session %s.', session_id),
                  HINT = 'Use the id returned by start_drill.';
    END IF;
    RETURN s;
END
$$;

-- The latest completed evaluation of the caller for the same question, in
-- the shape residency.score() reads as "previous".
-- Served by drill_sessions_last_completed: the newest matching session is
-- the first index entry, and only its evaluation is read.
CREATE INDEX drill_sessions_last_completed ON residency.drill_sessions
    (user_id, content_pack_id, question_id, completed_at DESC) WHERE status = 'COMPLETED';
-- PL/pgSQL rather than SQL so that the plan is cached for the backend, not
-- made again in every drill's transaction.
CREATE FUNCTION residency.previous_result(caller uuid, pack_id uuid, question_id text, before_session uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (SELECT pg_catalog.jsonb_build_object('categories', e.categories, 'details', e.details)
            FROM (SELECT s.id FROM residency.drill_sessions AS s
                  WHERE s.user_id = caller AND s.content_pack_id = pack_id
                    AND s.question_id = previous_result.question_id
                    AND s.status = 'COMPLETED' AND s.id <> before_session
                  ORDER BY s.completed_at DESC LIMIT 1) AS last
            JOIN residency.evaluation_results AS e ON e.session_id = last.id);
END
$$;

CREATE FUNCTION residency.start_drill(question_id text) RETURNS residency.drill_sessions
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions;
BEGIN
    PERFORM residency.require_argument(question_id IS NULL, 'question_id');
    -- One statement: the question check and rule S1's choice of the active
    -- pack read the same snapshot, so an activation committing in between
    -- cannot turn a PT404 into the trigger's 23514.
    INSERT INTO residency.drill_sessions (user_id, question_id)
    SELECT caller, start_drill.question_id
    WHERE EXISTS (SELECT 1 FROM residency.content_pack_questions AS q
                  JOIN residency.content_packs AS p ON p.id = q.content_pack_id AND p.status = 'ACTIVE'
                  WHERE q.id = start_drill.question_id)
    RETURNING * INTO s;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'question not found'
            USING ERRCODE = 'PT404',
                  DETAIL = pg_catalog.format('The active content pack has no question %L.', question_id),
                  HINT = 'Pick a question from residency_api.questions.';
    END IF;
    RETURN s;
END
$$;

CREATE FUNCTION residency.submit_response(session_id uuid, content text DEFAULT NULL, audio_url text DEFAULT NULL,
                                          audio_duration_s numeric DEFAULT NULL)
RETURNS residency.drill_responses
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions := residency.own_session(session_id, caller);
    r residency.drill_responses;
BEGIN
    IF content IS NULL AND audio_url IS NULL THEN
        RAISE EXCEPTION 'response has nothing to evaluate'
            USING ERRCODE = '22023', DETAIL = 'Both content and audio_url are NULL.',
                  HINT = 'Send the typed answer or transcript as content, or the recording as audio_url.';
    END IF;
    IF s.status <> 'STARTED' THEN
        RAISE EXCEPTION 'drill session already has a response'
            USING ERRCODE = 'PT409', DETAIL = pg_catalog.format('Session %s is %s.', s.id, s.status),
                  HINT = 'Each session takes one response; start a new drill to answer again.';
    END IF;
    INSERT INTO residency.drill_responses (session_id, content, audio_url, audio_duration_s)
    VALUES (s.id, submit_response.content, submit_response.audio_url, submit_response.audio_duration_s)
    RETURNING * INTO r;
    RETURN r;
END
$$;

CREATE FUNCTION residency.evaluate_session(session_id uuid) RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    caller uuid := (residency.require_user()).user_id;
    s residency.drill_sessions := residency.own_session(session_id, caller);
    r residency.drill_responses;
    result jsonb;
    started timestamptz;
    e residency.evaluation_results;
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
    started := pg_catalog.clock_timestamp();
    result := residency.score(s.content_pack_id, s.question_id, r.content, r.audio_duration_s,
                              residency.previous_result(caller, s.content_pack_id, s.question_id, s.id));
    INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
        categories, what_changed, practice_rule, model_used, processing_time_ms, details)
    VALUES (s.id, r.id, (result ->> 'duration_s')::numeric, (result ->> 'words')::integer,
            (result ->> 'wpm')::numeric, (result ->> 'overall_score')::integer, result -> 'categories',
            result -> 'what_changed', result ->> 'practice_rule', result ->> 'model_used',
            greatest(1, ceil(extract(epoch FROM pg_catalog.clock_timestamp() - started) * 1000))::integer,
            result -> 'details')
    RETURNING * INTO e;
    RETURN e;
END
$$;

CREATE FUNCTION residency.submit_and_evaluate(session_id uuid, content text DEFAULT NULL, audio_url text DEFAULT NULL,
                                              audio_duration_s numeric DEFAULT NULL)
RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_user();  -- who is calling comes before what they sent
    IF content IS NULL THEN
        RAISE EXCEPTION 'audio-only responses are evaluated by the worker'
            USING ERRCODE = 'PT409', DETAIL = 'submit_and_evaluate needs the transcript or typed answer (content).',
                  HINT = 'Use submit_response for audio only; the evaluation appears in my_evaluations.';
    END IF;
    PERFORM residency.submit_response(session_id, content, audio_url, audio_duration_s);
    RETURN residency.evaluate_session(session_id);
END
$$;

CREATE FUNCTION residency.score_answer(question_id text, content text, duration_s numeric DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pack uuid;
BEGIN
    PERFORM residency.require_user();
    SELECT p.id INTO pack FROM residency.content_packs AS p
    JOIN residency.content_pack_questions AS q ON q.content_pack_id = p.id AND q.id = score_answer.question_id
    WHERE p.status = 'ACTIVE';
    IF pack IS NULL THEN
        RAISE EXCEPTION 'question not found'
            USING ERRCODE = 'PT404',
                  DETAIL = pg_catalog.format('The active content pack has no question %L.', question_id),
                  HINT = 'Pick a question from residency_api.questions.';
    END IF;
    IF content IS NULL THEN
        RAISE EXCEPTION 'content is required' USING ERRCODE = '22023', DETAIL = 'The answer text is NULL.',
            HINT = 'Send the answer to preview its score.';
    END IF;
    RETURN residency.score(pack, question_id, content, duration_s);
END
$$;

-- The uploader of a pack may manage it only while PRO; PT404 hides other
-- users' packs.
CREATE FUNCTION residency.own_pack(pack_id uuid, caller uuid) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p residency.content_packs;
BEGIN
    PERFORM residency.require_argument(pack_id IS NULL, 'pack_id');
    SELECT * INTO p FROM residency.content_packs AS c
    WHERE c.id = own_pack.pack_id AND c.uploaded_by = caller FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'content pack not found'
            USING ERRCODE = 'PT404', DETAIL = pg_catalog.format('You have no content pack %s.', pack_id),
                  HINT = 'Use the id returned by upload_content_pack.';
    END IF;
    RETURN p;
END
$$;

CREATE FUNCTION residency.require_pro() RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u record := residency.require_user();
BEGIN
    IF u.level <> 'PRO' THEN
        RAISE EXCEPTION 'content packs are managed by PRO users'
            USING ERRCODE = '42501', DETAIL = pg_catalog.format('Your entitlement is %s.', u.level),
                  HINT = 'Upgrade to PRO to upload and activate content packs.';
    END IF;
    RETURN u.user_id;
END
$$;

CREATE FUNCTION residency.check_pack_text(pack text, raise_errors boolean) RETURNS jsonb
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_check_pack_text';

CREATE FUNCTION residency.upload_content_pack(pack text, name text DEFAULT NULL, description text DEFAULT NULL)
RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    caller uuid := residency.require_pro();
    report jsonb := residency.check_pack_text(pack, true);  -- raises 22023 / 22P02 / PT413 for a bad pack
    p residency.content_packs;
BEGIN
    INSERT INTO residency.content_packs (version, name, description, content, uploaded_by, checksum, file_size)
    VALUES (report ->> 'version', coalesce(upload_content_pack.name, report ->> 'title'),
            coalesce(upload_content_pack.description, (pack::jsonb) #>> '{metadata,description}'),
            pack::jsonb, caller, report ->> 'checksum', (report ->> 'file_size')::integer)
    RETURNING * INTO p;
    RETURN p;
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'content pack already uploaded'
        USING ERRCODE = '23505',
              DETAIL = pg_catalog.format('A pack named %L with version %s exists.',
                                         coalesce(upload_content_pack.name, report ->> 'title'), report ->> 'version'),
              HINT = 'Bump $.version, or upload under another name.';
END
$$;

CREATE FUNCTION residency.validate_content_pack(pack text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_user(allow_locked => true);
    RETURN residency.check_pack_text(pack, false) - 'checksum' - 'file_size' - 'sqlstate' - 'title' - 'version';
END
$$;

-- Activating and archiving the ACTIVE pack are operator actions: the ACTIVE
-- pack is the one every user drills and is scored against. Operators are
-- service_role and the content admins it names (residency.content_admins);
-- PRO users upload and validate their own drafts and may archive their own
-- packs that are not ACTIVE (docs/design-notes.md). No call leaves the
-- product without an ACTIVE pack: the ACTIVE pack is archived only by
-- activating another.
--
-- The status change itself, run as the caller: service_role writes the
-- table directly (the rules still check it); a content admin, who as
-- authenticated has no privilege on the table, reaches it through the
-- definer functions below. PT404 for a missing pack, PT409 for archiving the
-- ACTIVE one; activating the ACTIVE pack or archiving an ARCHIVED one
-- returns it unchanged (a retried request).
CREATE FUNCTION residency.apply_pack_status(pack_id uuid, status text) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p residency.content_packs;
BEGIN
    PERFORM residency.require_argument(pack_id IS NULL, 'pack_id');
    SELECT * INTO p FROM residency.content_packs AS c WHERE c.id = apply_pack_status.pack_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'content pack not found'
            USING ERRCODE = 'PT404', DETAIL = pg_catalog.format('There is no content pack %s.', pack_id),
                  HINT = 'Use the id of a pack in residency.content_packs.';
    END IF;
    IF p.status = apply_pack_status.status THEN
        RETURN p;
    END IF;
    IF p.status = 'ACTIVE' AND apply_pack_status.status = 'ARCHIVED' THEN
        RAISE EXCEPTION 'the active content pack cannot be archived'
            USING ERRCODE = 'PT409',
                  DETAIL = pg_catalog.format('Pack %s is the ACTIVE pack; archiving it would leave no questions to drill.',
                                             p.id),
                  HINT = 'Activate another pack instead: activation archives the active one.';
    END IF;
    UPDATE residency.content_packs AS c SET status = apply_pack_status.status WHERE c.id = p.id RETURNING * INTO p;
    RETURN p;
END
$$;

-- The signed-in caller, who must be a content admin; 42501 otherwise.
CREATE FUNCTION residency.require_content_admin(action text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u record := residency.require_user(allow_locked => true);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM residency.content_admins AS a WHERE a.user_id = u.user_id) THEN
        RAISE EXCEPTION '% content packs is an operator action', action
            USING ERRCODE = '42501',
                  DETAIL = 'The ACTIVE pack is what every user drills; it is changed by service_role or a content admin.',
                  HINT = 'Ask an operator to make you a content admin (residency_api.set_content_admin), or to do it.';
    END IF;
    RETURN u.user_id;
END
$$;

CREATE FUNCTION residency.activate_pack_as_content_admin(pack_id uuid) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_content_admin('activating');
    RETURN residency.apply_pack_status(pack_id, 'ACTIVE');
END
$$;

-- A content admin archives any pack; a PRO uploader their own (PT404 hides
-- other users' packs).
CREATE FUNCTION residency.archive_pack_as_user(pack_id uuid) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u record := residency.require_user(allow_locked => true);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM residency.content_admins AS a WHERE a.user_id = u.user_id) THEN
        PERFORM residency.own_pack(pack_id, residency.require_pro());
    END IF;
    RETURN residency.apply_pack_status(pack_id, 'ARCHIVED');
END
$$;

CREATE FUNCTION residency.activate_content_pack(pack_id uuid) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF residency.is_service_role() THEN
        RETURN residency.apply_pack_status(pack_id, 'ACTIVE');
    END IF;
    RETURN residency.activate_pack_as_content_admin(pack_id);
END
$$;

CREATE FUNCTION residency.archive_content_pack(pack_id uuid) RETURNS residency.content_packs
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF residency.is_service_role() THEN
        RETURN residency.apply_pack_status(pack_id, 'ARCHIVED');
    END IF;
    RETURN residency.archive_pack_as_user(pack_id);
END
$$;

-- service_role names the content admins.
CREATE FUNCTION residency.set_content_admin(user_id uuid, content_admin boolean DEFAULT true) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_service_role();
    PERFORM residency.require_argument(user_id IS NULL, 'user_id');
    PERFORM residency.require_argument(content_admin IS NULL, 'content_admin');
    IF NOT EXISTS (SELECT 1 FROM residency.users AS u WHERE u.id = set_content_admin.user_id) THEN
        RAISE EXCEPTION 'user not found' USING ERRCODE = 'PT404',
            DETAIL = pg_catalog.format('There is no user %s.', user_id);
    END IF;
    IF content_admin THEN
        INSERT INTO residency.content_admins (user_id) VALUES (set_content_admin.user_id) ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM residency.content_admins AS a WHERE a.user_id = set_content_admin.user_id;
    END IF;
    RETURN content_admin;
END
$$;

CREATE FUNCTION residency.my_entitlement() RETURNS TABLE (entitlement_level text, expires_at bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u record := residency.require_user(allow_locked => true);
BEGIN
    -- current_entitlement rebuilt a missing or expired cache row when the
    -- transaction may write. This STABLE function's snapshot predates that
    -- rebuild, and a read-only transaction (a PostgREST GET) cannot write it:
    -- either way a row that is missing or expired here is reported as rebuilt.
    RETURN QUERY
    SELECT u.level, coalesce((SELECT c.expires_at FROM residency.entitlement_cache AS c
                              WHERE c.user_id = u.user_id
                                AND c.expires_at > extract(epoch FROM pg_catalog.clock_timestamp())),
                             extract(epoch FROM pg_catalog.clock_timestamp())::bigint + 3600);
END
$$;

-- Evaluation worker (service_role) ------------------------------------------
CREATE INDEX drill_sessions_submitted_queue ON residency.drill_sessions (submitted_at, id) WHERE status = 'SUBMITTED';
CREATE INDEX drill_sessions_processing ON residency.drill_sessions (processing_started_at) WHERE status = 'PROCESSING';

CREATE FUNCTION residency.claim_submissions(max_count integer DEFAULT 1) RETURNS SETOF residency.drill_sessions
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM residency.require_service_role();
    IF max_count IS NULL OR max_count < 1 OR max_count > 100 THEN
        RAISE EXCEPTION 'invalid max_count' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('max_count is %s; it must be from 1 to 100.', coalesce(max_count::text, 'NULL'));
    END IF;
    RETURN QUERY
    WITH next AS (
        SELECT d.id FROM residency.drill_sessions AS d WHERE d.status = 'SUBMITTED'
        ORDER BY d.submitted_at, d.id LIMIT max_count FOR UPDATE SKIP LOCKED)
    UPDATE residency.drill_sessions AS s SET status = 'PROCESSING' FROM next WHERE s.id = next.id RETURNING s.*;
END
$$;

-- Checks the worker's functions share with the rules (src/pg/api_checks.cpp):
-- blank is Unicode white space only (a no-break space is blank too), and the
-- shape of a worker's result (numbers as numbers, texts as texts).
CREATE FUNCTION residency.is_blank(value text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_is_blank';
CREATE FUNCTION residency.check_evaluation_result(result jsonb) RETURNS void
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_check_evaluation_result';

CREATE FUNCTION residency.record_evaluation(session_id uuid, result jsonb) RETURNS residency.evaluation_results
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s residency.drill_sessions;
    e residency.evaluation_results;
    message text;
    detail text;
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
    BEGIN
        INSERT INTO residency.evaluation_results (session_id, response_id, duration_s, words, wpm, overall_score,
            categories, what_changed, practice_rule, model_used, processing_time_ms, details)
        SELECT s.id, r.id, (result ->> 'duration_s')::numeric, (result ->> 'words')::integer,
               (result ->> 'wpm')::numeric, (result ->> 'overall_score')::integer, result -> 'categories',
               result -> 'what_changed', result ->> 'practice_rule', result ->> 'model_used',
               coalesce((result ->> 'processing_time_ms')::integer,
                        greatest(1, ceil(extract(epoch FROM pg_catalog.clock_timestamp() - s.processing_started_at) * 1000))::integer),
               result -> 'details'
        FROM residency.drill_responses AS r WHERE r.session_id = s.id
        RETURNING * INTO e;
    EXCEPTION
        WHEN check_violation THEN
            -- rules E2/E3 refused it: for the API that is a malformed argument
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
            RAISE EXCEPTION '%', message USING ERRCODE = '22023', DETAIL = detail,
                HINT = 'Send the 7 categories and figures that agree with each other (docs/rules.md, E2 and E3).';
    END;
    RETURN e;
END
$$;

CREATE FUNCTION residency.fail_evaluation(session_id uuid, reason text) RETURNS residency.drill_sessions
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s residency.drill_sessions;
BEGIN
    PERFORM residency.require_service_role();
    PERFORM residency.require_argument(session_id IS NULL, 'session_id');
    IF reason IS NULL OR residency.is_blank(reason) THEN
        RAISE EXCEPTION 'reason is required' USING ERRCODE = '22023',
            HINT = 'Say why the evaluation failed; it is kept in the session''s metadata.';
    END IF;
    SELECT * INTO s FROM residency.drill_sessions AS d WHERE d.id = fail_evaluation.session_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'drill session not found' USING ERRCODE = 'PT404',
            DETAIL = pg_catalog.format('There is no drill session %s.', session_id);
    END IF;
    IF s.status <> 'PROCESSING' THEN
        RAISE EXCEPTION 'drill session is not being evaluated' USING ERRCODE = 'PT409',
            DETAIL = pg_catalog.format('Session %s is %s.', s.id, s.status);
    END IF;
    UPDATE residency.drill_sessions
    SET status = 'FAILED',
        metadata = coalesce(metadata, '{}'::jsonb) || pg_catalog.jsonb_build_object('failure_reason', reason)
    WHERE id = s.id RETURNING * INTO s;
    RETURN s;
END
$$;

CREATE FUNCTION residency.fail_stale_processing(older_than interval DEFAULT '15 minutes') RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    failed integer;
BEGIN
    PERFORM residency.require_service_role();
    IF older_than IS NULL OR older_than <= interval '0' THEN
        RAISE EXCEPTION 'invalid older_than' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('older_than is %s; it must be positive.', older_than);
    END IF;
    WITH stale AS (
        SELECT d.id FROM residency.drill_sessions AS d
        WHERE d.status = 'PROCESSING' AND d.processing_started_at < pg_catalog.clock_timestamp() - older_than
        FOR UPDATE SKIP LOCKED)
    UPDATE residency.drill_sessions AS s
    SET status = 'FAILED',
        metadata = coalesce(s.metadata, '{}'::jsonb)
                   || pg_catalog.jsonb_build_object('failure_reason',
                                                    pg_catalog.format('processing took longer than %s seconds',
                                                                      extract(epoch FROM older_than)::float8))
    FROM stale WHERE s.id = stale.id;
    GET DIAGNOSTICS failed = ROW_COUNT;
    RETURN failed;
END
$$;

-- The subscription id set_entitlement records on the cache row. The cache
-- is written only by the rules (C1) and by this: service_role has no direct
-- INSERT, UPDATE or DELETE on it.
CREATE FUNCTION residency.cache_subscription(user_id uuid, stripe_subscription_id text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    UPDATE residency.entitlement_cache AS c SET stripe_subscription_id = cache_subscription.stripe_subscription_id
    WHERE c.user_id = cache_subscription.user_id
$$;

CREATE FUNCTION residency.set_entitlement(user_id uuid, level text, stripe_subscription_id text DEFAULT NULL)
RETURNS residency.users
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    u residency.users;
BEGIN
    PERFORM residency.require_service_role();
    PERFORM residency.require_argument(user_id IS NULL, 'user_id');
    IF level IS NULL OR level NOT IN ('LOCKED', 'BASIC', 'PRO') THEN
        RAISE EXCEPTION 'invalid entitlement level' USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('%L is not one of LOCKED, BASIC, PRO.', level);
    END IF;
    SELECT * INTO u FROM residency.users AS x WHERE x.id = set_entitlement.user_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user not found' USING ERRCODE = 'PT404',
            DETAIL = pg_catalog.format('There is no user %s.', user_id);
    END IF;
    BEGIN
        UPDATE residency.users SET entitlement_level = level WHERE id = u.id RETURNING * INTO u;
    EXCEPTION WHEN check_violation THEN
        -- rule U2: the user's current level does not allow this change
        RAISE EXCEPTION 'entitlement cannot change from % to %', u.entitlement_level, level
            USING ERRCODE = 'PT409', DETAIL = 'Allowed: LOCKED -> BASIC, BASIC -> PRO, any level -> LOCKED.',
                  HINT = 'Upgrade one step at a time; cancellation goes to LOCKED.';
    END;
    IF stripe_subscription_id IS NOT NULL THEN
        PERFORM residency.cache_subscription(u.id, stripe_subscription_id);
    END IF;
    RETURN u;
END
$$;

-- residency_api: what PostgREST exposes ------------------------------------
CREATE FUNCTION residency_api.start_drill(question_id text) RETURNS residency.drill_sessions
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.start_drill(question_id) $$;
CREATE FUNCTION residency_api.submit_response(session_id uuid, content text DEFAULT NULL, audio_url text DEFAULT NULL,
                                              audio_duration_s numeric DEFAULT NULL)
RETURNS residency.drill_responses
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$
    SELECT * FROM residency.submit_response(session_id, content, audio_url, audio_duration_s) $$;
CREATE FUNCTION residency_api.evaluate_session(session_id uuid) RETURNS residency.evaluation_results
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.evaluate_session(session_id) $$;
CREATE FUNCTION residency_api.submit_and_evaluate(session_id uuid, content text DEFAULT NULL,
                                                  audio_url text DEFAULT NULL, audio_duration_s numeric DEFAULT NULL)
RETURNS residency.evaluation_results
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$
    SELECT * FROM residency.submit_and_evaluate(session_id, content, audio_url, audio_duration_s) $$;
CREATE FUNCTION residency_api.score_answer(question_id text, content text, duration_s numeric DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql STABLE SECURITY INVOKER AS $$ SELECT residency.score_answer(question_id, content, duration_s) $$;
CREATE FUNCTION residency_api.upload_content_pack(pack text, name text DEFAULT NULL, description text DEFAULT NULL)
RETURNS residency.content_packs
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.upload_content_pack(pack, name, description) $$;
CREATE FUNCTION residency_api.validate_content_pack(pack text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY INVOKER AS $$ SELECT residency.validate_content_pack(pack) $$;
CREATE FUNCTION residency_api.activate_content_pack(pack_id uuid) RETURNS residency.content_packs
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.activate_content_pack(pack_id) $$;
CREATE FUNCTION residency_api.archive_content_pack(pack_id uuid) RETURNS residency.content_packs
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.archive_content_pack(pack_id) $$;
CREATE FUNCTION residency_api.my_entitlement() RETURNS TABLE (entitlement_level text, expires_at bigint)
LANGUAGE sql STABLE SECURITY INVOKER AS $$ SELECT * FROM residency.my_entitlement() $$;
CREATE FUNCTION residency_api.set_content_admin(user_id uuid, content_admin boolean DEFAULT true) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT residency.set_content_admin(user_id, content_admin) $$;
CREATE FUNCTION residency_api.claim_submissions(max_count integer DEFAULT 1) RETURNS SETOF residency.drill_sessions
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.claim_submissions(max_count) $$;
CREATE FUNCTION residency_api.record_evaluation(session_id uuid, result jsonb) RETURNS residency.evaluation_results
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.record_evaluation(session_id, result) $$;
CREATE FUNCTION residency_api.fail_evaluation(session_id uuid, reason text) RETURNS residency.drill_sessions
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT * FROM residency.fail_evaluation(session_id, reason) $$;
CREATE FUNCTION residency_api.fail_stale_processing(older_than interval DEFAULT '15 minutes') RETURNS integer
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$ SELECT residency.fail_stale_processing(older_than) $$;
CREATE FUNCTION residency_api.set_entitlement(user_id uuid, level text, stripe_subscription_id text DEFAULT NULL)
RETURNS residency.users
LANGUAGE sql VOLATILE SECURITY INVOKER AS $$
    SELECT * FROM residency.set_entitlement(user_id, level, stripe_subscription_id) $$;

COMMENT ON FUNCTION residency_api.start_drill(text) IS
    'Starts a drill on a question of the active content pack. 402 when the entitlement is LOCKED, 404 for an unknown question.';
COMMENT ON FUNCTION residency_api.submit_response(uuid, text, text, numeric) IS
    'Stores the answer of one of your sessions (typed text or transcript as content, and/or audio_url with audio_duration_s); the session becomes SUBMITTED. 409 when it already has one.';
COMMENT ON FUNCTION residency_api.evaluate_session(uuid) IS
    'Scores a SUBMITTED session with the built-in rubric and stores the evaluation; the session becomes COMPLETED. 409 for audio-only responses (the worker evaluates those).';
COMMENT ON FUNCTION residency_api.submit_and_evaluate(uuid, text, text, numeric) IS
    'submit_response and evaluate_session in one round trip (needs content).';
COMMENT ON FUNCTION residency_api.score_answer(text, text, numeric) IS
    'Previews the built-in scorer on a question of the active pack; stores nothing. duration_s NULL means typed.';
COMMENT ON FUNCTION residency_api.upload_content_pack(text, text, text) IS
    'PRO only: stores a content pack (JSON text) as DRAFT, with the checksum and size of the exact text. 400 lists every problem with its JSON path; 409 for a duplicate name and version; 413 over the size limit.';
COMMENT ON FUNCTION residency_api.validate_content_pack(text) IS
    'Dry run of a content pack: {"valid", "errors": [{"path", "message"}], "questions", "categories"}. Never fails for a bad pack.';
COMMENT ON FUNCTION residency_api.activate_content_pack(uuid) IS
    'Operators only (service_role, content admins): makes the pack ACTIVE for everyone and archives the previously active one.';
COMMENT ON FUNCTION residency_api.archive_content_pack(uuid) IS
    'Operators archive any pack, PRO uploaders their own; never the ACTIVE pack (409): activate another instead.';
COMMENT ON FUNCTION residency_api.set_content_admin(uuid, boolean) IS
    'Operators (service_role): makes a user a content admin, who may activate and archive packs, or (false) no longer.';
COMMENT ON FUNCTION residency_api.my_entitlement() IS
    'Your entitlement level and when its cached value expires (unix seconds).';
COMMENT ON FUNCTION residency_api.claim_submissions(integer) IS
    'Evaluation worker (service_role): claims up to max_count SUBMITTED sessions, oldest first, and moves them to PROCESSING. Concurrent workers never get the same session.';
COMMENT ON FUNCTION residency_api.record_evaluation(uuid, jsonb) IS
    'Evaluation worker (service_role): stores the evaluation of a PROCESSING session (the keys of residency.score()''s result); the session becomes COMPLETED.';
COMMENT ON FUNCTION residency_api.fail_evaluation(uuid, text) IS
    'Evaluation worker (service_role): marks a PROCESSING session FAILED, keeping the reason in its metadata.';
COMMENT ON FUNCTION residency_api.fail_stale_processing(interval) IS
    'Evaluation worker (service_role): fails sessions PROCESSING for longer than older_than; returns how many.';
COMMENT ON FUNCTION residency_api.set_entitlement(uuid, text, text) IS
    'Billing (service_role): sets a user''s entitlement (LOCKED -> BASIC -> PRO, any -> LOCKED) and subscription id.';

CREATE VIEW residency_api.questions WITH (security_invoker = true) AS
SELECT q.id, q.category, q.prompt, q.expected_duration_s, q.kind, q.ordinal,
       ARRAY(SELECT pg_catalog.regexp_replace(c, '\s*\[kw:[^]]*\]\s*$', '')
             FROM pg_catalog.unnest(q.evaluation_criteria) AS c) AS evaluation_criteria,
       p.id AS content_pack_id, p.version AS content_pack_version
FROM residency.content_pack_questions AS q
JOIN residency.content_packs AS p ON p.id = q.content_pack_id AND p.status = 'ACTIVE';
COMMENT ON VIEW residency_api.questions IS 'The questions of the active content pack, in pack order (criteria without their keywords).';

CREATE VIEW residency_api.my_sessions WITH (security_invoker = true) AS
SELECT s.* FROM residency.drill_sessions AS s WHERE s.user_id = (SELECT residency.uid());
COMMENT ON VIEW residency_api.my_sessions IS 'Your drill sessions.';

-- The session's columns come from a LATERAL sub-select fenced with OFFSET 0,
-- so it stays a per-row primary-key probe: "newest 20" then walks
-- evaluation_results_user_created in order and stops after 20 rows. As a
-- plain join the planner, misjudging the join of both tables' per-user rows,
-- read all of the user's evaluations and sessions and sorted them (B5).
CREATE VIEW residency_api.my_evaluations WITH (security_invoker = true) AS
SELECT e.*, s.question_id, s.content_pack_id
FROM residency.evaluation_results AS e
CROSS JOIN LATERAL (SELECT d.question_id, d.content_pack_id FROM residency.drill_sessions AS d
                    WHERE d.id = e.session_id OFFSET 0) AS s
WHERE e.user_id = (SELECT residency.uid());
COMMENT ON VIEW residency_api.my_evaluations IS 'Your evaluations, with the question they answer.';

-------------------------------------------------------------------------------
-- Row level security, in Supabase's performant shape: TO a role, identity
-- calls wrapped in (SELECT ...) so they run once per statement (InitPlan).
-------------------------------------------------------------------------------
ALTER TABLE residency.users                  ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.content_packs          ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.content_pack_questions ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.drill_sessions         ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.drill_responses        ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.evaluation_results     ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.entitlement_cache      ENABLE ROW LEVEL SECURITY;
ALTER TABLE residency.content_admins         ENABLE ROW LEVEL SECURITY;

CREATE POLICY users_select_own ON residency.users
    FOR SELECT TO authenticated
    USING (id = (SELECT residency.uid()));
CREATE POLICY users_update_own ON residency.users
    FOR UPDATE TO authenticated
    USING (id = (SELECT residency.uid()))
    WITH CHECK (id = (SELECT residency.uid()));

CREATE POLICY content_packs_read ON residency.content_packs
    FOR SELECT TO authenticated
    USING (true);
CREATE POLICY content_packs_manage_own ON residency.content_packs
    FOR ALL TO authenticated
    USING (uploaded_by = (SELECT residency.uid())
           AND EXISTS (SELECT 1 FROM residency.users AS u
                       WHERE u.id = (SELECT residency.uid()) AND u.entitlement_level = 'PRO'))
    WITH CHECK (uploaded_by = (SELECT residency.uid())
           AND EXISTS (SELECT 1 FROM residency.users AS u
                       WHERE u.id = (SELECT residency.uid()) AND u.entitlement_level = 'PRO'));

CREATE POLICY content_pack_questions_read ON residency.content_pack_questions
    FOR SELECT TO authenticated
    USING (true);

CREATE POLICY drill_sessions_own ON residency.drill_sessions
    FOR ALL TO authenticated
    USING (user_id = (SELECT residency.uid()))
    WITH CHECK (user_id = (SELECT residency.uid()));

CREATE POLICY drill_responses_own ON residency.drill_responses
    FOR ALL TO authenticated
    USING (session_id IN (SELECT s.id FROM residency.drill_sessions AS s
                          WHERE s.user_id = (SELECT residency.uid())))
    WITH CHECK (session_id IN (SELECT s.id FROM residency.drill_sessions AS s
                               WHERE s.user_id = (SELECT residency.uid())));

CREATE POLICY evaluation_results_own ON residency.evaluation_results
    FOR ALL TO authenticated
    USING (user_id = (SELECT residency.uid()))
    WITH CHECK (user_id = (SELECT residency.uid()));

CREATE POLICY content_admins_own ON residency.content_admins
    FOR SELECT TO authenticated
    USING (user_id = (SELECT residency.uid()));

CREATE POLICY entitlement_cache_own ON residency.entitlement_cache
    FOR SELECT TO authenticated
    USING (user_id = (SELECT residency.uid()));

-------------------------------------------------------------------------------
-- Grants. authenticated reads (RLS filters rows) and writes only through the
-- API; service_role writes directly, and the triggers still check it.
-------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA residency, residency_api FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA residency, residency_api FROM PUBLIC;

GRANT USAGE ON SCHEMA residency, residency_api TO authenticated, service_role;
-- anon may reach the API functions (they answer 42501 "not signed in"); it
-- has no privilege on any table.
GRANT USAGE ON SCHEMA residency, residency_api TO anon;
GRANT SELECT ON ALL TABLES IN SCHEMA residency TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA residency TO service_role;
-- The entitlement cache is written by the rules only (C1): a direct write
-- could make it disagree with users until the row expires.
REVOKE INSERT, UPDATE, DELETE ON residency.entitlement_cache FROM service_role;
-- Policies call uid() as the querying role.
GRANT EXECUTE ON FUNCTION residency.uid() TO anon, authenticated, service_role;
-- Batch re-scoring by the backend (the app reaches the scorer through the API).
GRANT EXECUTE ON FUNCTION residency.score(uuid, text, text, numeric, jsonb) TO service_role;

-- The API: the wrappers run as the caller and call the implementations of
-- the same name, which then re-check the caller. anon may reach the
-- user-facing functions, which answer 42501 "not signed in".
GRANT EXECUTE ON FUNCTION
    residency_api.start_drill(text), residency.start_drill(text),
    residency_api.submit_response(uuid, text, text, numeric), residency.submit_response(uuid, text, text, numeric),
    residency_api.evaluate_session(uuid), residency.evaluate_session(uuid),
    residency_api.submit_and_evaluate(uuid, text, text, numeric), residency.submit_and_evaluate(uuid, text, text, numeric),
    residency_api.score_answer(text, text, numeric), residency.score_answer(text, text, numeric),
    residency_api.upload_content_pack(text, text, text), residency.upload_content_pack(text, text, text),
    residency_api.validate_content_pack(text), residency.validate_content_pack(text),
    residency_api.activate_content_pack(uuid), residency.activate_content_pack(uuid),
    residency_api.archive_content_pack(uuid), residency.archive_content_pack(uuid),
    residency_api.my_entitlement(), residency.my_entitlement(),
    residency.is_service_role()
TO anon, authenticated, service_role;
-- activation and archiving by a signed-in user (a content admin; a PRO
-- uploader archiving their own pack): the definer paths re-check the user
GRANT EXECUTE ON FUNCTION
    residency.activate_pack_as_content_admin(uuid), residency.archive_pack_as_user(uuid)
TO anon, authenticated;
GRANT EXECUTE ON FUNCTION
    residency_api.claim_submissions(integer), residency.claim_submissions(integer),
    residency_api.record_evaluation(uuid, jsonb), residency.record_evaluation(uuid, jsonb),
    residency_api.fail_evaluation(uuid, text), residency.fail_evaluation(uuid, text),
    residency_api.fail_stale_processing(interval), residency.fail_stale_processing(interval),
    residency_api.set_entitlement(uuid, text, text), residency.set_entitlement(uuid, text, text),
    residency_api.set_content_admin(uuid, boolean), residency.set_content_admin(uuid, boolean),
    residency.apply_pack_status(uuid, text),
    residency.cache_subscription(uuid, text), residency.require_service_role(), residency.require_argument(boolean, text),
    residency.is_blank(text), residency.check_evaluation_result(jsonb)
TO service_role;
GRANT SELECT ON residency_api.questions, residency_api.my_sessions, residency_api.my_evaluations TO authenticated, service_role;

-------------------------------------------------------------------------------
-- pg_dump keeps the rows of every data table (not the cache: it rebuilds).
-------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('residency.users', '');
SELECT pg_catalog.pg_extension_config_dump('residency.content_packs', '');
SELECT pg_catalog.pg_extension_config_dump('residency.content_pack_questions', '');
SELECT pg_catalog.pg_extension_config_dump('residency.drill_sessions', '');
SELECT pg_catalog.pg_extension_config_dump('residency.drill_responses', '');
SELECT pg_catalog.pg_extension_config_dump('residency.evaluation_results', '');
SELECT pg_catalog.pg_extension_config_dump('residency.content_admins', '');

-------------------------------------------------------------------------------
-- Supabase: when auth.users exists, residency.users follows it.
-------------------------------------------------------------------------------
-- Creates the residency.users row (LOCKED) for a new auth user. Never blocks
-- the sign-up: a row that cannot be created (no e-mail, an e-mail the rules
-- refuse, a clash) is reported as a WARNING and the auth insert goes on.
CREATE FUNCTION residency.handle_auth_user_created() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.email IS NULL THEN
        RAISE WARNING 'residency: auth user % has no e-mail; no residency.users row was created', NEW.id;
        RETURN NEW;
    END IF;
    BEGIN
        INSERT INTO residency.users (id, email) VALUES (NEW.id, NEW.email)
        ON CONFLICT (id) DO NOTHING;
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'residency: no residency.users row for auth user %: % (SQLSTATE %)',
            NEW.id, SQLERRM, SQLSTATE;
    END;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION residency.handle_auth_user_created() FROM PUBLIC;
COMMENT ON FUNCTION residency.handle_auth_user_created() IS
    'AFTER INSERT trigger on auth.users (Supabase): creates the residency.users row, LOCKED';

DO $supabase$
DECLARE
    u record;
    created integer := 0;
    skipped integer := 0;
BEGIN
    IF pg_catalog.to_regclass('auth.users') IS NULL THEN
        RETURN;
    END IF;
    ALTER TABLE residency.users
        ADD CONSTRAINT users_id_fkey FOREIGN KEY (id) REFERENCES auth.users (id) ON DELETE CASCADE;
    CREATE TRIGGER residency_on_auth_user_created AFTER INSERT ON auth.users
        FOR EACH ROW EXECUTE FUNCTION residency.handle_auth_user_created();
    -- Back-fill the users who signed up before the extension was installed.
    FOR u IN SELECT a.id, a.email FROM auth.users AS a ORDER BY a.id LOOP
        BEGIN
            INSERT INTO residency.users (id, email) VALUES (u.id, u.email) ON CONFLICT (id) DO NOTHING;
            created := created + 1;
        EXCEPTION WHEN OTHERS THEN
            skipped := skipped + 1;
            RAISE WARNING 'residency: auth user % not copied: % (SQLSTATE %)', u.id, SQLERRM, SQLSTATE;
        END;
    END LOOP;
    RAISE NOTICE 'residency: linked to auth.users (% users copied, % skipped)', created, skipped;
END
$supabase$;

NOTIFY pgrst, 'reload schema';
