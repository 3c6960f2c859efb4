SET client_min_messages = warning;
DROP EXTENSION IF EXISTS residency CASCADE;
CREATE EXTENSION residency;
RESET client_min_messages;
\set SHOW_CONTEXT never

-- residency.drill_responses: rules R1-R3 (docs/data-model.md, docs/rules.md).
-- A BASIC user, an ACTIVE pack with question q1, and STARTED sessions
-- ...0100 (used by every refused insert) and ...0101 to ...0130.

INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000a1', 'candidate@example.org');
UPDATE residency.users SET entitlement_level = 'BASIC';
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c1', '1.0.0', 'Pack',
        '{"version": "1.0.0",
          "metadata": {"title": "Pack", "description": "Test pack",
                       "categories": ["Motivation", "Teamwork", "Conflict", "Ethics", "Resilience", "Leadership", "Patient Care"]},
          "questions": [{"id": "q1", "category": "Teamwork", "prompt": "Tell me about a handover.",
                         "expected_duration_s": 90, "evaluation_criteria": ["Names the risk"]}]}',
        '00000000-0000-0000-0000-0000000000a1');
UPDATE residency.content_packs SET status = 'ACTIVE';
INSERT INTO residency.drill_sessions (id, user_id, question_id)
SELECT ('00000000-0000-0000-0000-000000000' || (100 + n))::uuid, '00000000-0000-0000-0000-0000000000a1', 'q1'
FROM generate_series(0, 30) AS n;

-------------------------------------------------------------------------------
-- R1: something to evaluate, a STARTED session, which moves to SUBMITTED
-------------------------------------------------------------------------------
-- R1: a typed answer is accepted, and the session moves to SUBMITTED
INSERT INTO residency.drill_responses (id, session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-000000000101', 'I led the handover after a night shift.');
SELECT status, submitted_at IS NOT NULL AS submitted FROM residency.drill_sessions
WHERE id = '00000000-0000-0000-0000-000000000101';
-- R1: an audio-only answer is accepted
INSERT INTO residency.drill_responses (id, session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-000000000102', 'https://cdn.example.org/answers/102.m4a', 84.2);
-- R1: content and audio together are accepted
INSERT INTO residency.drill_responses (session_id, content, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000103', 'Transcript of the recording.', 'https://cdn.example.org/answers/103.m4a', 12);
-- R1: neither content nor audio_url is refused
INSERT INTO residency.drill_responses (session_id, audio_duration_s) VALUES ('00000000-0000-0000-0000-000000000100', 30);
\echo :SQLSTATE
-- R1: a second response to the same session is refused (the session is SUBMITTED)
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-000000000101', 'Second thoughts.');
\echo :SQLSTATE
-- R1: a response to a PROCESSING session is refused
UPDATE residency.drill_sessions SET status = 'PROCESSING' WHERE id = '00000000-0000-0000-0000-000000000102';
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-000000000102', 'Too late.');
\echo :SQLSTATE
-- R1: a response to a session that does not exist is refused
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-0000000000ff', 'Nobody asked.');
\echo :SQLSTATE
-- R1: a refused response leaves the session STARTED
SELECT status, submitted_at IS NULL AS not_submitted FROM residency.drill_sessions
WHERE id = '00000000-0000-0000-0000-000000000100';
-- R1: service_role is held to the same rules
SET ROLE service_role;
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-000000000101', 'Second thoughts.');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, content)
VALUES ('00000000-0000-0000-0000-000000000104', 'Written by the API on behalf of the user.');
RESET ROLE;
SELECT id, status FROM residency.drill_sessions WHERE id BETWEEN '00000000-0000-0000-0000-000000000100' AND '00000000-0000-0000-0000-000000000104'
ORDER BY id;

-------------------------------------------------------------------------------
-- R2: audio_url, audio_duration_s and content are well-formed
-------------------------------------------------------------------------------
-- R2: accepted URL forms: upper-case scheme, plain http, a port, user info,
-- an IPv6 host, a query and a fragment, and exactly 2048 bytes
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES
    ('00000000-0000-0000-0000-000000000105', 'HTTPS://CDN.EXAMPLE.ORG/A.M4A'),
    ('00000000-0000-0000-0000-000000000106', 'http://example.org'),
    ('00000000-0000-0000-0000-000000000107', 'https://cdn.example.org:8443/a.m4a'),
    ('00000000-0000-0000-0000-000000000108', 'https://user:secret@cdn.example.org/a.m4a'),
    ('00000000-0000-0000-0000-000000000109', 'https://[2001:db8::1]:443/a.m4a'),
    ('00000000-0000-0000-0000-000000000110', 'https://cdn.example.org/a.m4a?sig=abc%20def#t=10'),
    ('00000000-0000-0000-0000-000000000111', 'https://cdn.example.org/' || repeat('a', 2048 - 24));
SELECT octet_length(audio_url) AS longest_url_bytes FROM residency.drill_responses
WHERE session_id = '00000000-0000-0000-0000-000000000111';
-- R2: 2049 bytes is refused
INSERT INTO residency.drill_responses (session_id, audio_url)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/' || repeat('a', 2049 - 24));
\echo :SQLSTATE
-- R2: a relative URL is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', '/answers/100.m4a');
\echo :SQLSTATE
-- R2: a scheme other than http(s) is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'ftp://example.org/a.m4a');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'javascript:alert(1)');
\echo :SQLSTATE
-- R2: a file URL is refused, unless residency.allow_file_audio_urls is on
-- (a worker on the database's machine: the demo, the worker's tests); then
-- only an absolute path without . or .. segments
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'file:///tmp/answer.wav');
BEGIN;
SET LOCAL residency.allow_file_audio_urls = on;
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'file:///tmp/../etc/passwd');
ROLLBACK;
BEGIN;
SET LOCAL residency.allow_file_audio_urls = on;
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'file://server/share/a.wav');
ROLLBACK;
BEGIN;
SET LOCAL residency.allow_file_audio_urls = on;
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'file:///tmp/answer.wav')
RETURNING audio_url;
ROLLBACK;
-- R2: a URL without a host is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https:///a.m4a');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://');
\echo :SQLSTATE
-- R2: a host with an empty label is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn..example.org/a.m4a');
\echo :SQLSTATE
-- R2: a malformed IPv6 host is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://[2001:db8::1/a.m4a');
\echo :SQLSTATE
-- R2: a port outside 1..65535 is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org:0/a.m4a');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org:65536/a.m4a');
\echo :SQLSTATE
-- R2: whitespace in the URL is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/my answer.m4a');
\echo :SQLSTATE
-- R2: a control character in the URL is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', E'https://cdn.example.org/a.m4a\n');
\echo :SQLSTATE
-- R2: an empty URL is refused
INSERT INTO residency.drill_responses (session_id, audio_url) VALUES ('00000000-0000-0000-0000-000000000100', '');
\echo :SQLSTATE
-- R2: audio_duration_s of 3600 is accepted
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000112', 'https://cdn.example.org/112.m4a', 3600);
-- R2: a fraction of a second is accepted
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000113', 'https://cdn.example.org/113.m4a', 0.25);
-- R2: audio_duration_s of 0 is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/100.m4a', 0);
\echo :SQLSTATE
-- R2: a negative audio_duration_s is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/100.m4a', -1);
\echo :SQLSTATE
-- R2: audio_duration_s of 3600.5 is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/100.m4a', 3600.5);
\echo :SQLSTATE
-- R2: audio_duration_s NaN is refused
INSERT INTO residency.drill_responses (session_id, audio_url, audio_duration_s)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/100.m4a', 'NaN');
\echo :SQLSTATE
-- R2: a blank content is refused
INSERT INTO residency.drill_responses (session_id, content) VALUES ('00000000-0000-0000-0000-000000000100', '   ');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, content) VALUES ('00000000-0000-0000-0000-000000000100', E'\n\t \r\n');
\echo :SQLSTATE
-- R2: no-break spaces, punctuation or emoji alone are blank too: no word to evaluate
INSERT INTO residency.drill_responses (session_id, content) VALUES ('00000000-0000-0000-0000-000000000100', E'\u00a0\u3000\u00a0');
\echo :SQLSTATE
INSERT INTO residency.drill_responses (session_id, content) VALUES ('00000000-0000-0000-0000-000000000100', '... 🎉 !!');
\echo :SQLSTATE
-- R2: an empty content is refused
INSERT INTO residency.drill_responses (session_id, content) VALUES ('00000000-0000-0000-0000-000000000100', '');
\echo :SQLSTATE
-- R2: a blank content is refused even with an audio_url
INSERT INTO residency.drill_responses (session_id, content, audio_url)
VALUES ('00000000-0000-0000-0000-000000000100', ' ', 'https://cdn.example.org/100.m4a');
\echo :SQLSTATE

-------------------------------------------------------------------------------
-- R3: word_count
-------------------------------------------------------------------------------
-- R3: word_count is computed from content by the tokenizer
SELECT content, word_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d1';
-- R3: a given word_count is overridden by the computed one
INSERT INTO residency.drill_responses (id, session_id, content, word_count)
VALUES ('00000000-0000-0000-0000-0000000000d3', '00000000-0000-0000-0000-000000000114', 'Three words here', 99);
SELECT word_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d3';
-- R3: the tokenizer keeps contractions, hyphenated words and numbers whole
-- (don't, post-op, 24-hour, 7:30, 3.5, $200, 15%), drops punctuation and
-- bracketed annotations ([inaudible]), and counts accented words once
INSERT INTO residency.drill_responses (id, session_id, content) VALUES
    ('00000000-0000-0000-0000-0000000000d4', '00000000-0000-0000-0000-000000000115',
     'I don''t rush post-op checks — 24-hour cover, at 7:30, 3.5 hours, $200, 15% [inaudible] José… “fine”.');
SELECT word_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d4';
-- R3: without content, word_count may be NULL ...
SELECT word_count IS NULL AS no_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d2';
-- R3: ... or a given count >= 0 (say, from a transcription service)
INSERT INTO residency.drill_responses (id, session_id, audio_url, word_count)
VALUES ('00000000-0000-0000-0000-0000000000d5', '00000000-0000-0000-0000-000000000116', 'https://cdn.example.org/116.m4a', 0);
INSERT INTO residency.drill_responses (id, session_id, audio_url, word_count)
VALUES ('00000000-0000-0000-0000-0000000000d6', '00000000-0000-0000-0000-000000000117', 'https://cdn.example.org/117.m4a', 212);
SELECT id, word_count FROM residency.drill_responses
WHERE id IN ('00000000-0000-0000-0000-0000000000d5', '00000000-0000-0000-0000-0000000000d6') ORDER BY id;
-- R3: a negative word_count without content is refused
INSERT INTO residency.drill_responses (session_id, audio_url, word_count)
VALUES ('00000000-0000-0000-0000-000000000100', 'https://cdn.example.org/100.m4a', -1);
\echo :SQLSTATE
-- R3: an audio-only response's word_count may be updated to a count >= 0
UPDATE residency.drill_responses SET word_count = 180 WHERE id = '00000000-0000-0000-0000-0000000000d2';
SELECT word_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d2';
-- R3: ... but not to a negative one
UPDATE residency.drill_responses SET word_count = -5 WHERE id = '00000000-0000-0000-0000-0000000000d2';
\echo :SQLSTATE
-- R3: a response with content keeps its computed word_count whatever an UPDATE says
UPDATE residency.drill_responses SET word_count = 1000 WHERE id = '00000000-0000-0000-0000-0000000000d3';
SELECT word_count FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d3';

-------------------------------------------------------------------------------
-- A submitted response is fixed
-------------------------------------------------------------------------------
-- content cannot change
UPDATE residency.drill_responses SET content = 'A better answer.' WHERE id = '00000000-0000-0000-0000-0000000000d1';
\echo :SQLSTATE
-- audio_url cannot change
UPDATE residency.drill_responses SET audio_url = 'https://cdn.example.org/other.m4a' WHERE id = '00000000-0000-0000-0000-0000000000d2';
\echo :SQLSTATE
-- audio_duration_s cannot change
UPDATE residency.drill_responses SET audio_duration_s = 60 WHERE id = '00000000-0000-0000-0000-0000000000d2';
\echo :SQLSTATE
-- session_id cannot change
UPDATE residency.drill_responses SET session_id = '00000000-0000-0000-0000-000000000130' WHERE id = '00000000-0000-0000-0000-0000000000d1';
\echo :SQLSTATE
-- content cannot be added to an audio-only response either
UPDATE residency.drill_responses SET content = 'Late transcript.' WHERE id = '00000000-0000-0000-0000-0000000000d2';
\echo :SQLSTATE
SELECT content, audio_url, audio_duration_s FROM residency.drill_responses
WHERE id IN ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d2') ORDER BY id;

-------------------------------------------------------------------------------
-- Deleting: a response goes only with its session
-------------------------------------------------------------------------------
-- deleting a response on its own is refused
DELETE FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d1';
\echo :SQLSTATE
-- TRUNCATE is refused too
TRUNCATE residency.drill_responses CASCADE;
\echo :SQLSTATE
-- deleting the session deletes its response
DELETE FROM residency.drill_sessions WHERE id = '00000000-0000-0000-0000-000000000101';
SELECT count(*) AS responses FROM residency.drill_responses WHERE id = '00000000-0000-0000-0000-0000000000d1';
