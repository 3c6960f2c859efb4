-- make calibrate (scripts/calibrate.sh): the calibration half of the MIT
-- Interview Dataset in a throwaway database, scored by residency.score(). The
-- data is read from ../shared/calibration/mit-interview by the shell script
-- (\copy ... FROM STDIN); nothing of it is kept in the repository.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION residency;
CREATE SCHEMA cal;
CREATE TABLE cal.answers (pid text, qnum int, question_id text, duration_s numeric, text text,
                          PRIMARY KEY (pid, qnum));
CREATE TABLE cal.ratings (pid text PRIMARY KEY, "Overall" float8, "RecommendHiring" float8, "Colleague" float8,
    "Engaged" float8, "Excited" float8, "EyeContact" float8, "Smiled" float8, "SpeakingRate" float8,
    "NoFillers" float8, "Friendly" float8, "Paused" float8, "EngagingTone" float8, "StructuredAnswers" float8,
    "Calm" float8, "NotStressed" float8, "Focused" float8, "Authentic" float8, "NotAwkward" float8, "Total" float8);
INSERT INTO residency.users (id, email) VALUES ('00000000-0000-0000-0000-0000000000ca', 'calibration@example.org');
