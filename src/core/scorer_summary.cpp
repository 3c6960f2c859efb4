// The summary of the checks (docs/scoring.md, "Overall, what changed,
// practice rule"): the overall score and its caps, what_changed (what
// improved since an earlier result, then the fixes of the FLAGged checks,
// else one stretch tip) and the practice rule.
#include "scorer_internal.hpp"

#include <algorithm>

namespace residency {
namespace scoring {
namespace {

using Checks = std::array<CheckResult, check_count>;

// Where weight x (100 - score) ties: Structure, Substance, Length,
// Ownership, Fillers, Pace, Wording.
constexpr int tie_order[] = {5, 6, 0, 4, 2, 1, 3};

// Too short to evaluate: the content checks cannot pass, and what they
// would coach (stop sooner, name your part...) does not apply yet: their fix
// is to answer in full, as Length's. Their details keep what they measured.
void cap_too_short(Checks& checks, std::int64_t words, const TextTable& notes)
{
    const std::string note =
        fill_text(notes, "short", {{"words", std::to_string(words)}, {"word_count", word_count_text(words)}});
    for (std::size_t k : {4u, 5u, 6u}) {
        CheckResult& cr = checks[k];
        cr.score = std::min(cr.score, 40);
        cr.pass = false;
        cr.outcome = "short";
        cr.note = note;
        cr.fix_id = "length.few_words";
    }
}

// The predicted rating: intercept + slope x the weighted mean of the
// checks that count (slope > 0: a better check never lowers it), rounded
// half up into 0..100, then the caps: an answer too short to evaluate, and
// one fluent but empty (Structure and Substance both FLAG).
int overall_score(const Checks& checks, bool too_short, const Rubric& r, Summary& summary)
{
    long weighted_sum = 0, weight_total = 0;
    for (const CheckResult& cr : checks) {
        weighted_sum += static_cast<long>(cr.weight) * cr.score;
        weight_total += cr.weight;
    }
    summary.mean = weight_total > 0 ? static_cast<double>(weighted_sum) / static_cast<double>(weight_total) : 0;
    summary.predicted = r.overall_intercept + r.overall_slope * summary.mean;
    int overall = std::clamp(round_half_up(summary.predicted), 0, 100);
    if (too_short) {
        overall = std::min(overall, r.short_cap);
        summary.caps.push_back("fewer than " + std::to_string(r.short_words) + " words");
    }
    if (!checks[5].pass && !checks[6].pass) {
        overall = std::min(overall, r.empty_cap);
        summary.caps.push_back("Structure and Substance both FLAG");
    }
    return std::clamp(overall, 0, 100);
}

// The FLAGged checks, what lowers the predicted rating most first: weight x
// (100 - score), the points the check's shortfall costs the weighted mean.
// Checks that do not count (weight 0: Pace of a typed answer, the checks the
// judges' ratings gave no weight) follow, as coaching, in tie order.
std::vector<int> ranked_flags(const Checks& checks)
{
    std::vector<int> flagged;
    for (int k : tie_order)
        if (!checks[k].pass)
            flagged.push_back(k);
    std::stable_sort(flagged.begin(), flagged.end(), [&](int a, int b) {
        return checks[a].weight * (100 - checks[a].score) > checks[b].weight * (100 - checks[b].score);
    });
    return flagged;
}

// A check's score and metric in an earlier result: from its details when
// it has them (a score() result), else its score from its categories (an
// evaluation row). A score of -1: not there.
struct Earlier {
    int score = -1;
    std::string display;
};

Earlier earlier(const Json& previous, const Json* previous_details, const std::string& name)
{
    Earlier e;
    if (previous_details && previous_details->contains(name) && (*previous_details)[name].is_object()) {
        const Json& pd = (*previous_details)[name];
        if (pd.contains("score") && pd["score"].is_number_integer())
            e.score = pd["score"].get<int>();
        if (pd.contains("display") && pd["display"].is_string())
            e.display = pd["display"].get<std::string>();
    } else if (previous.contains("categories") && previous["categories"].is_array()) {
        for (const Json& cat : previous["categories"])
            if (cat.is_object() && cat.contains("name") && cat["name"] == name && cat.contains("score") &&
                cat["score"].is_number_integer())
                e.score = cat["score"].get<int>();
    }
    return e;
}

// The check that improved most since `previous`, by 10 points or more, as
// the first what_changed item ("Fillers: 7.4 per 100 words -> 0.0 per 100
// words.") and as details.improvement.
void add_improvement(ScoreResult& out, const Json& previous, const TextTable& fixes, JsonEvents& improvement)
{
    const Json* previous_details =
        previous.contains("details") && previous["details"].is_object() ? &previous["details"] : nullptr;
    int best = -1, best_delta = 9;
    Earlier before;
    for (int k : tie_order) {
        const CheckResult& cr = out.checks[k];
        Earlier e = earlier(previous, previous_details, std::string(check_name(cr.check)));
        if (e.score < 0 || cr.weight == 0)
            continue;
        if (cr.score - e.score > best_delta) {
            best = k;
            best_delta = cr.score - e.score;
            before = std::move(e);
        }
    }
    if (best < 0)
        return;
    const CheckResult& cr = out.checks[best];
    bool metric = !before.display.empty() && !cr.display.empty();
    std::string name(check_name(cr.check));
    out.what_changed.push_back(fill_text(fixes, "improved",
                                         {{"check", name},
                                          {"before", metric ? before.display : "score " + std::to_string(before.score)},
                                          {"after", metric ? cr.display : "score " + std::to_string(cr.score)}}));
    improvement.begin_object().field("check", name).field("from", before.score).field("to", cr.score).end_object();
}

// what_changed after the improvement: the fixes of the FLAGged checks, at
// most 3 items and no text twice; when nothing is FLAGged, the stretch tip
// of the lowest check under 90, else a maintenance tip.
void add_fixes(ScoreResult& out, const std::vector<int>& flagged, const QuestionSpec& q, const TextTable& fixes)
{
    for (int k : flagged) {
        if (out.what_changed.size() >= 3)
            break;
        std::string fix = fill_text(fixes, out.checks[k].fix_id, out.checks[k].values);
        if (!fix.empty() && std::find(out.what_changed.begin(), out.what_changed.end(), fix) == out.what_changed.end())
            out.what_changed.push_back(std::move(fix));
    }
    if (!flagged.empty() || out.what_changed.size() >= 3)
        return;
    int lowest = -1;
    for (int k : tie_order)
        if (out.checks[k].weight > 0 && out.checks[k].score < 90 &&
            (lowest < 0 || out.checks[k].score < out.checks[lowest].score))
            lowest = k;
    out.what_changed.push_back(lowest >= 0
                                   ? fill_text(fixes, out.checks[lowest].stretch_id, out.checks[lowest].values)
                                   : fill_text(fixes, "maintain", {{"expected", whole(q.expected_duration_s)}}));
}

// The rule of the top-ranked FLAGged check, or a maintenance rule.
std::string practice_rule(const Checks& checks, const std::vector<int>& flagged, const QuestionSpec& q,
                          const TextTable& practice)
{
    if (flagged.empty())
        return fill_text(practice, "maintain", {{"expected", whole(q.expected_duration_s)}});
    const CheckResult& top = checks[flagged.front()];
    return fill_text(practice, top.practice_id, top.values);
}

}  // namespace

Summary summarise(ScoreResult& out, const Signals& s, const Rubric& r, const QuestionSpec& q, const Json* previous,
                  const Scorer::Texts& texts)
{
    Summary summary;
    const bool too_short = s.words < r.short_words;
    if (too_short)
        cap_too_short(out.checks, s.words, texts.notes);
    out.overall_score = overall_score(out.checks, too_short, r, summary);
    const std::vector<int> flagged = ranked_flags(out.checks);
    if (previous && previous->is_object())
        add_improvement(out, *previous, texts.fixes, summary.improvement);
    add_fixes(out, flagged, q, texts.fixes);
    out.practice_rule = practice_rule(out.checks, flagged, q, texts.practice);
    return summary;
}

}  // namespace scoring
}  // namespace residency
