-- B3 without rules: store the same pack and its question rows, no
-- validation at all (checksum and file_size supplied by the client).
SELECT nextval('bare.pack_seq') AS k \gset
BEGIN;
INSERT INTO bare.content_packs (version, name, content, uploaded_by, checksum, file_size)
SELECT '1.0.0', 'bench ' || :k, body::jsonb, '00000000-0000-0000-0000-0000000000b2',
       'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', octet_length(body)
FROM bare.pack_source WHERE n = 2000
RETURNING id \gset
INSERT INTO bare.content_pack_questions
    (content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal)
SELECT :id, q ->> 'id', q ->> 'category', q ->> 'prompt', (q ->> 'expected_duration_s')::numeric,
       ARRAY(SELECT jsonb_array_elements_text(q -> 'evaluation_criteria')), q ->> 'kind', n::int
FROM bare.content_packs AS p, jsonb_array_elements(p.content -> 'questions') WITH ORDINALITY AS t(q, n)
WHERE p.id = :id;
COMMIT;
