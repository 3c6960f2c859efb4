#!/usr/bin/env bash
# make calibrate: the built-in scorer measured against people.
#
# Loads the calibration half of the MIT Interview Dataset (human-rated mock
# interviews; ../shared/calibration/mit-interview, or $RESIDENCY_CALIBRATION_DIR)
# into a throwaway cluster, scores every answer spoken and typed with
# residency.score() against the data set's own pack.json, and prints how the
# scores agree with the judges' ratings (scripts/calibrate.py): every category
# and the overall score against every rating, the two trivial baselines, and
# the leave-one-student-out figures of what is fitted. docs/scoring.md,
# "Evidence", explains the table.
#
# The data is research data: it is read from where it lies, never copied
# into this repository. Deterministic; well under a minute once built.
. "$(dirname "$0")/lib.sh"
cd "$root"

data=${RESIDENCY_CALIBRATION_DIR:-$root/../shared/calibration/mit-interview}
for f in answers.tsv ratings.csv pack.json; do
    if [ ! -f "$data/$f" ]; then
        cat >&2 <<MSG
calibrate: the calibration data is not there: $data/$f is missing.
  It is the calibration half of the MIT Interview Dataset, kept outside this
  repository (research data is read from where it lies, never copied in).
  Put the folder at ../shared/calibration/mit-interview beside this checkout,
  or point RESIDENCY_CALIBRATION_DIR at it.
MSG
        exit 2
    fi
done

scripts/setup.sh >/dev/null
make -s -j"$(nproc)"
sudo_if_needed make -s install

export RESIDENCY_CLUSTER_DIR=${RESIDENCY_CALIBRATE_CLUSTER_DIR:-/tmp/residency-calibrate-$$}
export RESIDENCY_PORT=${RESIDENCY_CALIBRATE_PORT:-54333}
work=$(mktemp -d)
cleanup() { cluster_stop; rm -rf "$work"; }
trap cleanup EXIT
cluster_start 2>/dev/null

sql -d postgres -c "CREATE DATABASE residency_calibrate"
export PGDATABASE=residency_calibrate
sql -f scripts/calibrate.sql
sql -c "\\copy cal.answers FROM STDIN (FORMAT text, HEADER)" <"$data/answers.tsv"
sql -c "\\copy cal.ratings FROM STDIN (FORMAT csv, HEADER)" <"$data/ratings.csv"
sql -v pack="$(cat "$data/pack.json")" <<'SQL'
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES ('00000000-0000-0000-0000-0000000000c0', '1.0.0', 'calibration', :'pack', '00000000-0000-0000-0000-0000000000ca');
SQL
# The Pace band is fitted: the same answers scored under each band of a grid
# (the pack's rubric overriding thresholds.Pace), for calibrate.py to choose
# from on the other students of each fold.
# The band's shape is fixed (PASS from 20 wpm below the ideal, zero 60 below
# it; an ideal 50 wpm wide, then PASS to 30 and zero 90 wpm above it); its
# place is chosen from the grid.
pace_grid="130 140 150 160 170 180 190 200"
for lo in $pace_grid; do
    band=$(printf '{"zero_lo": %d, "pass_lo": %d, "ideal_lo": %d, "ideal_hi": %d, "pass_hi": %d, "zero_hi": %d}' \
        $((lo - 60)) $((lo - 20)) "$lo" $((lo + 50)) $((lo + 80)) $((lo + 140)))
    sql -v pack="$(cat "$data/pack.json")" -v band="$band" -v lo="$lo" <<'SQL'
INSERT INTO residency.content_packs (id, version, name, content, uploaded_by)
VALUES (('00000000-0000-0000-0000-000000000' || :'lo')::uuid, '1.0.0', 'calibration, Pace from ' || :'lo',
        jsonb_set(:'pack'::jsonb, '{rubric}', jsonb_build_object('thresholds', jsonb_build_object('Pace', :'band'::jsonb))),
        '00000000-0000-0000-0000-0000000000ca');
SQL
done
pace="SELECT a.pid, a.qnum, g.lo AS ideal_lo, (residency.score(('00000000-0000-0000-0000-000000000' || g.lo)::uuid, a.question_id, a.text, a.duration_s) -> 'categories' -> 1 ->> 'score')::int AS pace FROM cal.answers AS a CROSS JOIN unnest('{${pace_grid// /,}}'::int[]) AS g(lo) ORDER BY 1, 2, 3"
sql -c "\\copy ($pace) TO STDOUT (FORMAT csv, HEADER)" >"$work/pace_grid.csv"

score="SELECT a.pid, a.qnum, a.question_id, a.duration_s, a.text, residency.score('00000000-0000-0000-0000-0000000000c0', a.question_id, a.text, a.duration_s) AS spoken, residency.score('00000000-0000-0000-0000-0000000000c0', a.question_id, a.text, NULL) AS typed FROM cal.answers AS a ORDER BY a.pid, a.qnum"
sql -c "\\copy ($score) TO STDOUT (FORMAT csv, HEADER)" >"$work/answers.csv"
sql -c "\\copy (SELECT * FROM cal.ratings ORDER BY pid) TO STDOUT (FORMAT csv, HEADER)" >"$work/ratings.csv"

echo "residency.score() at $(git rev-parse --short HEAD 2>/dev/null || echo 'a work tree') on $(basename "$data") ($data)"
python3 scripts/calibrate.py "$work"
