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
-- PostgreSQL) it is created NOLOGIN, as Supabase creates it.
-------------------------------------------------------------------------------
DO $roles$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('anon', false), ('authenticated', false), ('service_role', true)) AS v(name, bypass)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT%s', r.name, CASE WHEN r.bypass THEN ' BYPASSRLS' ELSE '' END);
            RAISE NOTICE 'residency: created role % (NOLOGIN%)', r.name, CASE WHEN r.bypass THEN ', BYPASSRLS' ELSE '' END;
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
    -- nullif and coalesce are SQL syntax, not functions: they need no schema
    SELECT nullif(
        coalesce(
            nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
            nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'),
        '')::uuid
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
    USING (session_id IN (SELECT s.id FROM residency.drill_sessions AS s
                          WHERE s.user_id = (SELECT residency.uid())))
    WITH CHECK (session_id IN (SELECT s.id FROM residency.drill_sessions AS s
                               WHERE s.user_id = (SELECT residency.uid())));

CREATE POLICY entitlement_cache_own ON residency.entitlement_cache
    FOR SELECT TO authenticated
    USING (user_id = (SELECT residency.uid()));

-------------------------------------------------------------------------------
-- Grants. authenticated reads (RLS filters rows) and writes only through the
-- API; service_role writes directly, and the triggers still check it.
-------------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA residency FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA residency FROM PUBLIC;

GRANT USAGE ON SCHEMA residency, residency_api TO authenticated, service_role;
GRANT USAGE ON SCHEMA residency_api TO anon;
GRANT SELECT ON ALL TABLES IN SCHEMA residency TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA residency TO service_role;
-- Policies call uid() as the querying role.
GRANT EXECUTE ON FUNCTION residency.uid() TO anon, authenticated, service_role;
-- Batch re-scoring by the backend (the app reaches the scorer through the API).
GRANT EXECUTE ON FUNCTION residency.score(uuid, text, text, numeric, jsonb) TO service_role;

-------------------------------------------------------------------------------
-- pg_dump keeps the rows of every data table (not the cache: it rebuilds).
-------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('residency.users', '');
SELECT pg_catalog.pg_extension_config_dump('residency.content_packs', '');
SELECT pg_catalog.pg_extension_config_dump('residency.content_pack_questions', '');
SELECT pg_catalog.pg_extension_config_dump('residency.drill_sessions', '');
SELECT pg_catalog.pg_extension_config_dump('residency.drill_responses', '');
SELECT pg_catalog.pg_extension_config_dump('residency.evaluation_results', '');

-------------------------------------------------------------------------------
-- Supabase: when auth.users exists, residency.users follows it.
-------------------------------------------------------------------------------
-- Creates the residency.users row (LOCKED) for a new auth user. Never blocks
-- the sign-up: a row that cannot be created (no e-mail, an e-mail the rules
-- refuse, a clash) is reported as a WARNING and the auth insert goes on.
CREATE FUNCTION residency.handle_auth_user_created() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
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
