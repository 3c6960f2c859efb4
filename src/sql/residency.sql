-- residency: the data model, its rules, payments and the Supabase
-- integration. docs/data-model.md describes every object here (schemas,
-- tables, identity, roles, grants, row level security); docs/rules.md the rules.
-- This is the source of the current version's install script
-- (residency--$(EXTVERSION).sql, built by the Makefile); a database on an
-- older version reaches it through the residency--A--B.sql update scripts
-- (docs/operations.md, "Upgrading").

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

-- What rules U2 and C1 know, for the constraints below: the entitlement
-- levels (the C++ enumeration of rule U2, src/core/transitions.hpp) and the
-- entitlement cache's TTL. Each is written once, in C++.
CREATE FUNCTION residency.is_entitlement_level(level text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_is_entitlement_level';
COMMENT ON FUNCTION residency.is_entitlement_level(text) IS 'Whether the text is an entitlement level: LOCKED, BASIC or PRO';
CREATE FUNCTION residency.entitlement_rank(level text) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_entitlement_rank';
COMMENT ON FUNCTION residency.entitlement_rank(text) IS 'The order of the levels, LOCKED 0 < BASIC 1 < PRO 2 (NULL for no level)';
CREATE FUNCTION residency.entitlement_ttl_s() RETURNS integer
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_entitlement_ttl_s';
COMMENT ON FUNCTION residency.entitlement_ttl_s() IS 'How long a row of residency.entitlement_cache lives, in seconds (rule C1)';

-------------------------------------------------------------------------------
-- Tables
-------------------------------------------------------------------------------
CREATE TABLE residency.users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text NOT NULL,
    entitlement_level  text NOT NULL DEFAULT 'LOCKED'
                       CONSTRAINT users_entitlement_level_check CHECK (residency.is_entitlement_level(entitlement_level)),
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
    entitlement_level      text NOT NULL
                           CONSTRAINT entitlement_cache_entitlement_level_check
                           CHECK (residency.is_entitlement_level(entitlement_level)),
    expires_at             bigint NOT NULL,
    stripe_subscription_id text,
    last_updated           bigint NOT NULL,
    CONSTRAINT entitlement_cache_ttl CHECK (expires_at = last_updated + residency.entitlement_ttl_s())
);
COMMENT ON TABLE residency.entitlement_cache IS
    'Entitlement cache, unix seconds, rows live residency.entitlement_ttl_s() (rule C1)';

-------------------------------------------------------------------------------
-- Rules: C++ trigger functions (src/pg/rules/trigger_*.cpp)
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

-- The built-in scorer (docs/scoring.md). Reads the
-- pack's rubric and the question; writes nothing. STABLE: a DRAFT pack's
-- content may change between statements.
CREATE FUNCTION residency.score(pack_id uuid, question_id text, content text,
                                duration_s numeric DEFAULT NULL, previous jsonb DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_score';
COMMENT ON FUNCTION residency.score(uuid, text, text, numeric, jsonb) IS
    'Scores an answer to a question of a content pack with the built-in rubric: duration_s NULL means typed; previous is an earlier result for the same question';

-------------------------------------------------------------------------------
-- API (docs/postgrest.md, "Endpoints"). PostgREST exposes schema
-- residency_api: SECURITY INVOKER wrappers and views. The privileged work is
-- done by the SECURITY DEFINER functions of the same names in schema
-- residency, which re-check the caller (residency.uid(), ownership,
-- entitlement) and pin search_path. Errors (docs/postgrest.md, "Errors"):
-- 42501 not signed in / not allowed, PT402 LOCKED, PT404 not found or not the
-- caller's, PT409 wrong state, PT413 too large, 22023 / 22P02 malformed
-- argument, 23505 uniqueness.
-------------------------------------------------------------------------------

-- Rule errors and API errors. A rule refuses a direct table write with its
-- own SQLSTATE (docs/rules.md); a write the API makes for its caller is
-- refused with the API's (docs/postgrest.md, "Errors"): the functions below
-- that write for a caller run with SET residency.api_errors = on, and the
-- C++ error boundary maps the rule's refusal (src/core/api_errors.cpp, the
-- one place that maps them). The functions below check only what no rule
-- checks: who is calling, whether the object is theirs, what the call needs.

-- Rule S1's entitlement check, for require_user: 42501 for LOCKED (PT402
-- through the API).
CREATE FUNCTION residency.check_drills_allowed(level text, user_id uuid) RETURNS void
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_check_drills_allowed';
-- Rule S1's choice of the pack, for score_answer: the ACTIVE pack's id, or
-- S1's "no content pack is active" (PT404 through the API).
CREATE FUNCTION residency.require_active_pack() RETURNS uuid
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_require_active_pack';

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
-- without an account, PT402 when LOCKED (unless allow_locked): rule S1's
-- check, answered as the API answers it (residency.api_errors).
CREATE FUNCTION residency.require_user(allow_locked boolean DEFAULT false, OUT user_id uuid, OUT level text)
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

-- Rule S1 checks the entitlement, the active pack and the question (PT402,
-- PT404 through the API).
CREATE FUNCTION residency.start_drill(question_id text) RETURNS residency.drill_sessions
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

-- Rules R1-R3 check the response (22023 when there is nothing to
-- evaluate), and S2 that the session is STARTED (PT409 through the API).
CREATE FUNCTION residency.submit_response(session_id uuid, content text DEFAULT NULL, audio_url text DEFAULT NULL,
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

-- An evaluation row from a result in the shape of residency.score()'s (the
-- scorer's, or a worker's): the one mapping from a result's keys to the
-- columns. A processing_time_ms the result leaves out is the session's
-- (rule E1 takes it from S3). Runs as its caller: evaluate_session's owner,
-- or record_evaluation's service_role.
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

CREATE FUNCTION residency.evaluate_session(session_id uuid) RETURNS residency.evaluation_results
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

-- The scorer looks the question up in the active pack (PT404 when it has
-- none, src/core/content_pack.hpp); rule S1's refusal when no pack is ACTIVE.
CREATE FUNCTION residency.score_answer(question_id text, content text, duration_s numeric DEFAULT NULL) RETURNS jsonb
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

-- An evaluation criterion as users see it: without its "[kw: ...]" list,
-- cut where the scorer cuts it (src/core/scorer.hpp).
CREATE FUNCTION residency.criterion_text(criterion text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_criterion_text';

-- Checks the worker's functions share with the rules (src/pg/entry/api_checks.cpp):
-- blank is Unicode white space only (a no-break space is blank too), and the
-- shape of a worker's result (numbers as numbers, texts as texts).
CREATE FUNCTION residency.is_blank(value text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_is_blank';
CREATE FUNCTION residency.check_evaluation_result(result jsonb) RETURNS void
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'residency_check_evaluation_result';

-- Rules E1-E3 check the evaluation (22023 through the API).
CREATE FUNCTION residency.record_evaluation(session_id uuid, result jsonb) RETURNS residency.evaluation_results
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
       ARRAY(SELECT residency.criterion_text(c) FROM pg_catalog.unnest(q.evaluation_criteria) AS c)
           AS evaluation_criteria,
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
--
-- The write halves (users_update_own, content_packs_manage_own, and the
-- WITH CHECK of the FOR ALL policies) do not apply under the grants below:
-- authenticated may only SELECT, and writes on its behalf go through the
-- SECURITY DEFINER API (test/pgtap/01_privileges.sql asserts both). They are
-- kept on purpose, as the seed's data model has them: a deployment that
-- grants authenticated writes on schema residency (Supabase's guide for an
-- exposed custom schema grants ALL on its tables to anon, authenticated and
-- service_role) still confines each user to their own rows, and the rule
-- triggers still check every row (docs/data-model.md).
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
-- What the CHECK constraints call as the writing role (whoever a deployment
-- lets write), and the questions view as the reading one.
GRANT EXECUTE ON FUNCTION residency.is_entitlement_level(text), residency.entitlement_ttl_s()
    TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION residency.criterion_text(text) TO authenticated, service_role;

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
    residency.is_blank(text), residency.check_evaluation_result(jsonb), residency.insert_evaluation(uuid, jsonb)
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
