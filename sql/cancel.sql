SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- The C++ steps can be cancelled (src/core/interrupt.hpp): their long loops
-- poll Postgres' interrupt flag, so statement_timeout and pg_cancel_backend()
-- stop them in the middle of the work, with the real cause. Without the
-- polls the step ran to its end and only then did Postgres notice the
-- cancel. Each statement below runs one such step, then takes a number from
-- a sequence (sequences ignore rollbacks): a step stopped in its middle
-- never gets there. (How soon a cancel takes effect is measured by make
-- bench: docs/benchmarks.md, "Cancel latency".)
CREATE SEQUENCE after_step;

INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'author@example.org');
-- A pack as large as residency.max_pack_bytes allows (8 MB): 19,000 questions.
CREATE TEMP TABLE big AS
SELECT jsonb_build_object(
    'version', '1.0.0',
    'metadata', jsonb_build_object('title', 'Largest pack', 'description', 'As large as the limit allows',
                                   'categories', jsonb_build_array('A', 'B', 'C', 'D', 'E', 'F', 'G')),
    'questions', (SELECT jsonb_agg(jsonb_build_object(
        'id', 'q' || i, 'category', (ARRAY['A', 'B', 'C', 'D', 'E', 'F', 'G'])[1 + i % 7],
        'prompt', 'Tell me about a time you had to balance patient safety against team pressure (' || i || ').',
        'expected_duration_s', 60 + i % 90,
        'evaluation_criteria', jsonb_build_array(
            'Describes the situation and their own role [kw: rotation, shift, role]',
            'Explains the concrete actions they took [kw: paged, asked, escalat*]',
            'States the outcome with a concrete detail [kw: result, outcome, patient]'))
        ORDER BY i) FROM generate_series(1, 19000) AS i))::text AS pack;
ALTER TABLE big ADD COLUMN content jsonb;
UPDATE big SET content = pack::jsonb;
SELECT octet_length(pack) BETWEEN 7500000 AND pg_size_bytes(current_setting('residency.max_pack_bytes')) AS at_the_limit
FROM big;

-- Checking its text (syntax, duplicate keys, P1, SHA-256) takes far longer
-- than 10 ms: the timeout stops it in the middle.
SET statement_timeout = '10ms';
SELECT (residency.check_pack_text(pack, false)) ->> 'valid' AS valid, nextval('after_step') FROM big;
RESET statement_timeout;
-- the same through the API
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "00000000-0000-0000-0000-0000000000a1"}', true) IS NOT NULL AS signed_in;
SET LOCAL statement_timeout = '10ms';
SELECT (residency_api.validate_content_pack(pack)) ->> 'valid' AS valid, nextval('after_step') FROM big;
ROLLBACK;
-- Storing it runs P1-P3 in the trigger, on the jsonb in place.
SET statement_timeout = '10ms';
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
SELECT '1.0.0', 'Largest pack', content, '00000000-0000-0000-0000-0000000000a1' FROM big
RETURNING nextval('after_step');
RESET statement_timeout;
-- no step reached its end; nothing was stored; the next statement runs
SELECT is_called AS a_step_ran_to_its_end FROM after_step;
SELECT count(*) AS packs FROM residency.content_packs;
-- without a timeout the same work completes
SELECT (residency.check_pack_text(pack, false)) ->> 'valid' AS valid, nextval('after_step') FROM big;
