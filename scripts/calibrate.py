#!/usr/bin/env python3
"""make calibrate: the scorer against people (docs/scoring.md, "Evidence").

Reads what scripts/calibrate.sh exported from a throwaway database:
  answers.csv   pid, qnum, question_id, duration_s, text, spoken, typed
                (spoken and typed: residency.score()'s result as JSON)
  ratings.csv   pid and the 18 traits of ../shared/calibration/mit-interview
and prints, as the data's README prescribes (answers averaged per interview,
correlations across interviews):
  1. every category and the overall score against every rating, Pearson and
     Spearman, spoken and typed, beside the two trivial baselines (total word
     count, and a one-line regex's filler rate);
  2. the targets of issue 9;
  3. what is fitted, cross-validated by leaving whole students out (both
     interviews of a student in the same fold): the overall score's weights,
     intercept and slope, refitted on the other 34 students for each student.
Python's standard library only; deterministic.
"""
import csv
import json
import math
import re
import sys

TRAITS = ["Overall", "RecommendHiring", "Colleague", "Engaged", "Excited", "EyeContact", "Smiled", "SpeakingRate",
          "NoFillers", "Friendly", "Paused", "EngagingTone", "StructuredAnswers", "Calm", "NotStressed", "Focused",
          "Authentic", "NotAwkward", "Total"]
CHECKS = ["Length", "Pace", "Fillers", "Wording", "Ownership", "Structure", "Substance"]
FILLER_REGEX = re.compile(r"\b(?:u+h*m+|u+h+|a+h+|e+r+m*|h+m+|m+h*m+)\b", re.IGNORECASE)
WORD_REGEX = re.compile(r"\S+")


# ---- statistics --------------------------------------------------------------

def pearson(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return float("nan")
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sxx * syy)


def ranks(x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    r = [0.0] * len(x)
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return r


def spearman(x, y):
    return pearson(ranks(x), ranks(y))


def nonnegative_fit(X, y, ridge):
    """y ~ a + sum(b_k x_k) with every b_k >= 0, by least squares with a
    small ridge penalty on the standardized b (so that correlated checks share
    their weight instead of one taking it at random). Coordinate descent on
    standardized columns with a fixed order and number of sweeps: the same
    data gives the same coefficients. Returns (a, [b_k]) on the raw scale."""
    n, k = len(X), len(X[0])
    mu = [sum(r[j] for r in X) / n for j in range(k)]
    sd = [math.sqrt(sum((r[j] - mu[j]) ** 2 for r in X) / n) or 1.0 for j in range(k)]
    Z = [[(r[j] - mu[j]) / sd[j] for j in range(k)] for r in X]
    my = sum(y) / n
    resid = [v - my for v in y]
    beta = [0.0] * k
    for _ in range(500):
        for j in range(k):
            zj = [Z[i][j] for i in range(n)]
            rho = sum(zj[i] * (resid[i] + zj[i] * beta[j]) for i in range(n))
            new = max(0.0, rho / (n + ridge * n))
            if new != beta[j]:
                for i in range(n):
                    resid[i] -= zj[i] * (new - beta[j])
                beta[j] = new
    b = [beta[j] / sd[j] for j in range(k)]
    a = my - sum(b[j] * mu[j] for j in range(k))
    return a, b


# ---- data --------------------------------------------------------------------

def load(folder):
    answers = []
    with open(folder + "/answers.csv", newline="") as f:
        for row in csv.DictReader(f):
            row["spoken"] = json.loads(row["spoken"])
            row["typed"] = json.loads(row["typed"])
            answers.append(row)
    ratings = {}
    with open(folder + "/ratings.csv", newline="") as f:
        for row in csv.DictReader(f):
            ratings[row["pid"]] = {t: float(row[t]) for t in TRAITS}
    return answers, ratings


def student(pid):
    return pid.lstrip("p")  # p12 and pp12 are the same student


def category_score(result, name):
    for c in result["categories"]:
        if c["name"] == name:
            return c.get("score")
    return None


def per_interview(answers, pids, value):
    out = {}
    for p in pids:
        vals = [value(a) for a in answers if a["pid"] == p]
        vals = [v for v in vals if v is not None]
        out[p] = sum(vals) / len(vals) if vals else float("nan")
    return out


# ---- report ------------------------------------------------------------------

def matrix(title, rows, ratings, pids, measure):
    print(f"\n{title}")
    cols = TRAITS
    print(f"{'':22s}" + "".join(f"{c[:9]:>10s}" for c in cols))
    for name, values in rows:
        xs = [values[p] for p in pids]
        cells = []
        for c in cols:
            v = measure(xs, [ratings[p][c] for p in pids])
            cells.append(f"{'-':>10s}" if v != v else f"{v:+10.2f}")  # a constant (typed Pace): no correlation
        print(f"{name:22s}" + "".join(cells))


def main(folder):
    answers, ratings = load(folder)
    pids = sorted(ratings)
    students = sorted({student(p) for p in pids}, key=lambda s: int(s))
    print(f"calibration half: {len(answers)} answers, {len(pids)} interviews, {len(students)} students")

    def scorer_rows(mode):
        rows = [("overall_score", per_interview(answers, pids, lambda a: a[mode]["overall_score"]))]
        for c in CHECKS:
            rows.append((c, per_interview(answers, pids, lambda a, c=c: category_score(a[mode], c))))
        return rows

    words = {p: sum(len(WORD_REGEX.findall(a["text"])) for a in answers if a["pid"] == p) for p in pids}
    filler_rate = {p: 100 * sum(len(FILLER_REGEX.findall(a["text"])) for a in answers if a["pid"] == p) /
                   max(1, words[p]) for p in pids}
    baselines = [("baseline: word count", words), ("baseline: regex fillers", filler_rate)]

    spoken = scorer_rows("spoken")
    typed = scorer_rows("typed")
    for measure_name, measure in (("Pearson r", pearson), ("Spearman rho", spearman)):
        matrix(f"Spoken answers (duration_s given), {measure_name}, per interview", spoken + baselines,
               ratings, pids, measure)
        matrix(f"Typed answers (duration_s NULL), {measure_name}, per interview", typed, ratings, pids, measure)

    sp = dict(spoken)
    def r(values, trait):
        return pearson([values[p] for p in pids], [ratings[p][trait] for p in pids])
    print("\nTargets (issue 9; the held-out half is measured the same way), spoken, Pearson r:")
    checks = [
        ("overall_score vs Overall", r(sp["overall_score"], "Overall"), ">= 0.50"),
        ("overall_score vs RecommendHiring", r(sp["overall_score"], "RecommendHiring"), ">= 0.45"),
        ("  baseline word count vs Overall", r(words, "Overall"), "below overall_score"),
        ("  baseline regex fillers vs Overall (sign flipped)", -r(filler_rate, "Overall"), "below overall_score"),
        ("Fillers vs NoFillers", r(sp["Fillers"], "NoFillers"), ">= 0.67"),
        ("  baseline regex fillers vs NoFillers (sign flipped)", -r(filler_rate, "NoFillers"), ""),
        ("Structure vs StructuredAnswers", r(sp["Structure"], "StructuredAnswers"), ">= 0.30"),
        ("Pace vs SpeakingRate", r(sp["Pace"], "SpeakingRate"), ""),
    ]
    for c in CHECKS:
        checks.append((f"{c} vs Overall", r(sp[c], "Overall"), ">= -0.10"))
    for name, value, target in checks:
        print(f"  {name:52s} {value:+.2f}   {target}")

    # --- what is fitted: the overall score's weights, intercept and slope ---
    # The overall score is intercept + slope * (weighted mean of the checks'
    # scores), a prediction of the Overall rating on a 0..100 scale (1 -> 0,
    # 7 -> 100). Fitted on the interviews' mean check scores, spoken.
    X = {p: [sp[c][p] for c in CHECKS] for p in pids}
    y = {p: (ratings[p]["Overall"] - 1) / 6 * 100 for p in pids}
    ridge = 0.05

    def fit(train):
        return nonnegative_fit([X[p] for p in train], [y[p] for p in train], ridge)

    def predict(model, p):
        a, b = model
        return a + sum(bk * xk for bk, xk in zip(b, X[p]))

    out_of_fold = {}
    for s in students:
        train = [p for p in pids if student(p) != s]
        model = fit(train)
        for p in pids:
            if student(p) == s:
                out_of_fold[p] = predict(model, p)
    full = fit(pids)
    in_sample = {p: predict(full, p) for p in pids}
    a, b = full
    slope = sum(b)
    weights = [100 * bk / slope if slope else 0 for bk in b]
    print("\nThe overall score's model, fitted on all 35 students (spoken):")
    print("  weights (% of the weighted mean): " +
          ", ".join(f"{c} {w:.1f}" for c, w in zip(CHECKS, weights)))
    print(f"  overall = {a:.1f} + {slope:.3f} x weighted mean of the check scores (0..100 scale of the 1-7 rating)")
    print("Leave-one-student-out (each student's two interviews predicted by a model fitted on the other 34):")
    for trait in ("Overall", "RecommendHiring"):
        print(f"  predicted vs {trait:16s} out-of-fold r = {r(out_of_fold, trait):+.2f}   "
              f"in-sample r = {r(in_sample, trait):+.2f} (flatters)")
    mae = sum(abs(out_of_fold[p] - y[p]) for p in pids) / len(pids)
    print(f"  out-of-fold mean absolute error: {mae:.1f} points of 100 ({mae * 6 / 100:.2f} points of the 1-7 scale)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: calibrate.py <folder with answers.csv and ratings.csv>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
