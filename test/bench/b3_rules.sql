-- B3 with the rules: upload a 2,000-question pack as JSON text; the
-- triggers validate it (P1/P2), compute checksum and file_size (P3) and
-- write its question rows (P7).
SELECT nextval('bare.pack_seq') AS k \gset
INSERT INTO residency.content_packs (version, name, content, uploaded_by)
SELECT '1.0.0', 'bench ' || :k, body::jsonb, '00000000-0000-0000-0000-0000000000b2'
FROM bare.pack_source WHERE n = 2000;
