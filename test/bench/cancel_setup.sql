-- Cancel latency: the largest inputs the limits allow. An 8 MB pack (as
-- large as residency.max_pack_bytes lets it be; 19,000 questions) as text
-- and as jsonb, and a PRO author to upload it through the API.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION residency;
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'author@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
UPDATE residency.users SET entitlement_level = 'PRO';
CREATE TABLE big AS
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
