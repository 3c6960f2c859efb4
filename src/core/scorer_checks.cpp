// The 7 checks (docs/scoring.md, "The 7 checks"), one function each: it
// reads the answer's Signals and the rubric, and returns the check's result
// (sub-score, weight, outcome, the ids of its texts, the values of their
// placeholders, its metric for "what improved"), having written its metrics
// for details. run_checks() adds what every check has: PASS iff the score is
// at least 70, the note, and the score, outcome and display in details.
#include "scorer_internal.hpp"

#include <algorithm>

namespace residency {
namespace scoring {
namespace {

// ---------------------------------------------------------------------------
// Sub-scores: 100 in the ideal band, 70 at the PASS limits, 0 at the zero
// limits, linear in between.

double lerp(double x, double x0, double y0, double x1, double y1)
{
    if (x1 == x0)
        return x >= x1 ? y1 : y0;
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

int trapezoid(double x, const Band& b)
{
    double s;
    if (x <= b.zero_lo || x >= b.zero_hi)
        s = 0;
    else if (x < b.pass_lo)
        s = lerp(x, b.zero_lo, 0, b.pass_lo, 70);
    else if (x < b.ideal_lo)
        s = lerp(x, b.pass_lo, 70, b.ideal_lo, 100);
    else if (x <= b.ideal_hi)
        s = 100;
    else if (x <= b.pass_hi)
        s = lerp(x, b.ideal_hi, 100, b.pass_hi, 70);
    else
        s = lerp(x, b.pass_hi, 70, b.zero_hi, 0);
    return std::clamp(round_half_up(s), 0, 100);
}

int ceiling_score(double x, const Ceiling& c)
{
    double s = x <= c.ideal  ? 100
               : x <= c.pass ? lerp(x, c.ideal, 100, c.pass, 70)
               : x >= c.zero ? 0
                             : lerp(x, c.pass, 70, c.zero, 0);
    return std::clamp(round_half_up(s), 0, 100);
}

int floor_score(double x, const Floor& f)
{
    double s = x >= f.ideal  ? 100
               : x >= f.pass ? lerp(x, f.pass, 70, f.ideal, 100)
               : x <= f.zero ? 0
                             : lerp(x, f.zero, 0, f.pass, 70);
    return std::clamp(round_half_up(s), 0, 100);
}

// ---------------------------------------------------------------------------
// Building a result

// A check's result before its checks: the check, its weight, room for its
// placeholders (plus "expected", which run_checks() adds).
CheckResult new_result(Check check, const CheckInput& in)
{
    CheckResult cr;
    cr.check = check;
    cr.weight = in.weights[static_cast<std::size_t>(check)];
    cr.values.reserve(8);
    return cr;
}

// A check's template placeholders, from name, value, name, value...: each
// value is moved in (an initializer list would copy every string).
inline void add_values(Placeholders&)
{
}
template <class... Rest>
void add_values(Placeholders& out, const char* name, std::string value, Rest&&... rest)
{
    out.emplace_back(name, std::move(value));
    add_values(out, std::forward<Rest>(rest)...);
}

// "'um' x2, 'like' x1": the first `most` items of `list`, each opened with
// a quote and written by `item`.
template <class List, class Item>
std::string quoted_list(const List& list, std::size_t most, Item&& item)
{
    std::string out;
    for (std::size_t k = 0; k < list.size() && k < most; ++k) {
        out += k ? ", '" : "'";
        item(out, list[k]);
    }
    return out;
}

// ---------------------------------------------------------------------------
// The checks

// Length: the duration against the question's expected duration.
CheckResult length_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::length, in);
    double ratio = s.seconds / in.q.expected_duration_s;
    cr.score = trapezoid(ratio, r.length);
    std::string seconds = (s.estimated ? "~" : "") + whole(s.seconds);
    cr.display = seconds + " s";
    add_values(cr.values, "seconds", std::move(seconds), "percent", whole(ratio * 100), "words",
               std::to_string(s.words), "word_count", word_count_text(s.words));
    if (s.words < r.length_min_words) {
        cr.score = std::min(cr.score, 60);
        cr.outcome = "length.few_words";
    } else {
        cr.outcome = cr.score >= 70 ? "length.pass" : ratio < 1 ? "length.short" : "length.long";
    }
    cr.fix_id = cr.outcome == "length.pass" ? (ratio < 1 ? "length.short" : "length.long") : cr.outcome;
    cr.practice_id = "length";
    cr.stretch_id = "stretch.length";
    w.field("seconds", s.seconds, 1)
        .field("expected_s", in.q.expected_duration_s, 1)
        .field("ratio", ratio, 2)
        .field("estimated", s.estimated)
        .field("words", s.words)
        .field("min_words", r.length_min_words);
    return cr;
}

// Pace: words per minute, for spoken answers long enough to judge; others
// pass with weight 0.
CheckResult pace_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::pace, in);
    bool scored = !s.estimated && s.seconds >= r.pace_min_seconds && s.words >= r.pace_min_words;
    cr.score = 100;
    add_values(cr.values, "wpm", whole(s.wpm), "ideal_lo", whole(r.pace.ideal_lo), "ideal_hi", whole(r.pace.ideal_hi),
               "pass_lo", whole(r.pace.pass_lo), "pass_hi", whole(r.pace.pass_hi), "seconds", whole(s.seconds), "words",
               std::to_string(s.words), "word_count", word_count_text(s.words));
    if (s.estimated) {
        cr.outcome = "pace.typed";
    } else if (!scored) {
        cr.outcome = "pace.short";
    } else {
        cr.score = trapezoid(s.wpm, r.pace);
        cr.outcome = cr.score >= 70 ? "pace.pass" : s.wpm > r.pace.ideal_hi ? "pace.fast" : "pace.slow";
    }
    if (!scored)
        cr.weight = 0;
    bool fast = s.wpm > r.pace.ideal_hi;
    cr.fix_id = fast ? "pace.fast" : "pace.slow";
    cr.practice_id = fast ? "pace.fast" : "pace.slow";
    cr.stretch_id = "stretch.pace";
    cr.display = whole(s.wpm) + " wpm";
    w.field("wpm", s.wpm, 1).field("scored", scored);
    return cr;
}

// Fillers: weighted fillers per 100 words.
CheckResult fillers_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::fillers, in);
    double weighted = r.filler_core_weight * s.filler_core + r.filler_discourse_weight * s.filler_discourse +
                      r.filler_stutter_weight * s.stutters;
    double rate = weighted * s.per100;
    cr.score = ceiling_score(round_to(rate, 2), r.fillers);
    const auto& top = s.filler_counts;  // most often first
    std::string top_text = quoted_list(top, 3, [](std::string& out, const auto& f) {
        out += f.first;
        out += "' x";
        out += std::to_string(f.second);
    });
    if (top_text.empty())  // only repeats were counted (a pack weighs them)
        top_text = "words said twice";
    // what the rate counts: repeats only when they weigh something
    int count = s.filler_core + s.filler_discourse + (r.filler_stutter_weight > 0 ? s.stutters : 0);
    std::string rate_text = fixed(rate, 1);
    cr.display = rate_text + " per 100 words";
    add_values(cr.values, "count", std::to_string(count), "rate", std::move(rate_text), "top", std::move(top_text),
               "top1", top.empty() ? std::string("um") : std::string(top[0].first));
    cr.outcome = cr.score >= 70 ? "fillers.pass" : "fillers.flag";
    cr.fix_id = "fillers";
    cr.practice_id = "fillers";
    cr.stretch_id = "stretch.fillers";
    w.field("core", s.filler_core)
        .field("discourse", s.filler_discourse)
        .field("stutters", s.stutters)
        .field("weighted", weighted, 2)
        .field("per_100_words", rate, 2);
    w.key("per_minute");
    s.estimated ? w.null() : w.value(weighted * 60.0 / s.seconds, 2);
    w.key("top").begin_array();
    for (std::size_t k = 0; k < top.size() && k < 3; ++k)
        w.begin_object().field("word", top[k].first).field("count", top[k].second).end_object();
    w.end_array();
    return cr;
}

// Wording: hedges per 100 words; a flagged term caps the score.
CheckResult wording_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::wording, in);
    double rate = s.hedges * s.per100;
    cr.score = ceiling_score(round_to(rate, 2), r.hedges);
    std::string examples =
        quoted_list(s.hedge_examples, s.hedge_examples.size(), [](std::string& out, std::string_view e) {
            out += e;
            out += '\'';
        });
    std::string rate_text = fixed(rate, 1);
    cr.display = rate_text + " hedges per 100 words";
    add_values(cr.values, "hedges", std::to_string(s.hedges), "rate", std::move(rate_text), "examples",
               std::move(examples));
    if (!s.flagged.empty()) {
        cr.score = std::min(cr.score, r.flagged_term_cap);
        const auto& [term, alt] = r.flagged_terms[s.flagged.front()];
        add_values(cr.values, "term", term, "alternative", alt);
        cr.outcome = "wording.term";
        cr.fix_id = "wording.term";
    } else {
        cr.outcome = cr.score >= 70 ? "wording.pass" : "wording.hedges";
        cr.fix_id = "wording.hedges";
    }
    cr.practice_id = "wording";
    cr.stretch_id = "stretch.wording";
    w.field("hedges", s.hedges).field("per_100_words", rate, 2);
    w.key("examples").begin_array();
    for (std::string_view e : s.hedge_examples)
        w.value(e);
    w.end_array();
    w.key("flagged_terms").begin_array();
    for (std::size_t idx : s.flagged)
        w.begin_object()
            .field("term", r.flagged_terms[idx].first)
            .field("alternative", r.flagged_terms[idx].second)
            .end_object();
    w.end_array();
    return cr;
}

// Ownership: plans count "I would..." statements; past stories and
// motivation answers the share of I-words among I + we.
CheckResult ownership_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::ownership, in);
    int pronouns = s.i_words + s.we_words;
    double share = pronouns > 0 ? static_cast<double>(s.i_words) / pronouns : 0;
    double you_rate = s.you_words * s.per100;
    add_values(cr.values, "i", std::to_string(s.i_words), "we", std::to_string(s.we_words), "actions",
               std::to_string(s.i_actions), "frames", std::to_string(s.plan_frames), "you", std::to_string(s.you_words),
               "rate", fixed(you_rate, 1));
    const char* mode;
    if (in.c.kind == QuestionKind::situational) {
        mode = "plan";
        cr.score = s.plan_frames >= r.plan_min_frames
                       ? 100
                       : std::min(60, round_half_up(50.0 * s.plan_frames / std::max(1, r.plan_min_frames - 1)));
        cr.outcome = cr.score >= 70 ? "ownership.plan_pass" : "ownership.plan_flag";
        cr.display = std::to_string(s.plan_frames) + " plan statements";
        cr.fix_id = "ownership.plan";
    } else {
        bool past_mode = in.c.kind != QuestionKind::motivation;
        mode = past_mode ? "past" : "self";
        cr.score = floor_score(round_to(share, 2), r.i_share);
        bool few = s.i_words < r.min_i_words || (past_mode && s.i_actions < r.min_i_actions);
        bool you = !past_mode && you_rate > r.max_you_per_100;
        if (few || you)
            cr.score = std::min(cr.score, r.ownership_cap);
        cr.outcome = cr.score >= 70                         ? "ownership.pass"
                     : you && !few                          ? "ownership.you"
                     : share >= r.i_share.pass && past_mode ? "ownership.actions"
                                                            : "ownership.flag";
        cr.display = "I-share " + fixed(share, 2);
        cr.fix_id = past_mode ? "ownership.past" : "ownership.self";
    }
    cr.practice_id = "ownership";
    cr.stretch_id = "stretch.ownership";
    w.field("mode", mode)
        .field("i_words", s.i_words)
        .field("we_words", s.we_words)
        .field("i_share", share, 2)
        .field("i_actions", s.i_actions)
        .field("plan_frames", s.plan_frames)
        .field("you_words", s.you_words)
        .field("you_per_100_words", you_rate, 2);
    return cr;
}

// The structure parts an answer shows: found when any cue was seen;
// required parts in order when they can be read one after the other, each
// at some cue after the previous part's (not only at its first cue: "I
// would" opens most sentences of a plan).
struct PartsRead {
    int score = 0;  // the weights of the parts found
    bool missing_required = false, in_order = true;
    std::string found, missing, first_missing;  // part names, ", " between
};

PartsRead read_parts(const std::vector<Rubric::Part>& parts, const std::vector<std::vector<std::int64_t>>& at)
{
    PartsRead p;
    std::int64_t last = -1;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (!at[k].empty()) {
            p.score += parts[k].weight;
            p.found += p.found.empty() ? "" : ", ";
            p.found += parts[k].name;
            if (parts[k].required && p.in_order) {
                auto next = std::lower_bound(at[k].begin(), at[k].end(), last);
                if (next == at[k].end())
                    p.in_order = false;
                else
                    last = *next;
            }
        } else if (parts[k].required) {
            p.missing_required = true;
            p.missing += p.missing.empty() ? "" : ", ";
            p.missing += parts[k].name;
            if (p.first_missing.empty())
                p.first_missing = parts[k].name;
        }
    }
    return p;
}

// Structure: to the point (docs/scoring.md, Evidence). Judges called an
// answer structured when it made its point in fewer words than the question
// allows and without clutter: the mean of a conciseness score (the answer's
// length against the question's) and a clarity score ('like' as a filler,
// and words said twice in a row, per 100 words). The parts of the answer's
// kind (context, action, result...) are reported and coached, not scored:
// their cues did not agree with the judges.
CheckResult structure_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    CheckResult cr = new_result(Check::structure, in);
    const double ratio = s.seconds / in.q.expected_duration_s;
    const double clutter = (s.filler_discourse + s.stutters) * s.per100;
    const int concise = ceiling_score(round_to(ratio, 2), r.concise);
    const int clear = ceiling_score(round_to(clutter, 2), r.clutter);
    cr.score = round_half_up((concise + clear) / 2.0);
    static const std::vector<Rubric::Part> no_parts;
    const auto& parts = in.c.parts ? *in.c.parts : no_parts;
    const auto& at = s.part_positions;
    PartsRead p = read_parts(parts, at);
    std::string clutter_text = fixed(clutter, 1);
    std::string examples;  // " (2 filler words, 1 word said twice)": what was counted
    auto counted = [&](int n, const char* one, const char* many) {
        if (n > 0)
            examples += (examples.empty() ? " (" : ", ") + std::to_string(n) + (n == 1 ? one : many);
    };
    counted(s.filler_discourse, " filler word", " filler words");
    counted(s.stutters, " word said twice", " words said twice");
    if (!examples.empty())
        examples += ")";
    cr.display = clutter_text + " clutter, " + whole(ratio * 100) + "% length";
    add_values(cr.values, "seconds", (s.estimated ? "~" : "") + whole(s.seconds), "percent", whole(ratio * 100),
               "clutter", std::move(clutter_text), "examples", std::move(examples), "target",
               whole(r.concise.ideal * in.q.expected_duration_s), "found",
               p.found.empty() ? std::string("none of them") : std::move(p.found), "missing", std::move(p.missing));
    const bool too_long = concise <= clear;
    cr.outcome = cr.score >= 70 ? "structure.pass" : too_long ? "structure.long" : "structure.cluttered";
    cr.fix_id = too_long ? "structure.long" : "structure.cluttered";
    cr.practice_id = "structure";
    // Passing, the stretch is the story's first missing part, if any.
    cr.stretch_id = p.missing_required ? "structure." + p.first_missing : "stretch.structure";
    w.field("ratio", ratio, 2)
        .field("concise", concise)
        .field("discourse_fillers", s.filler_discourse)
        .field("repeated_words", s.stutters)
        .field("clutter_per_100_words", clutter, 2)
        .field("clear", clear);
    w.field("template", to_string(in.c.kind));
    w.key("parts").begin_array();
    for (std::size_t k = 0; k < parts.size(); ++k) {
        w.begin_object().field("name", parts[k].name).field("required", parts[k].required);
        w.field("found", !at[k].empty()).key("position");
        !at[k].empty() ? w.value(at[k].front()) : w.null();
        w.end_object();
    }
    w.end_array();
    w.field("in_order", p.in_order).field("parts_weight_found", p.score);
    return cr;
}

// Substance: coverage of the question's criteria and concrete details.
CheckResult substance_check(const CheckInput& in, JsonEvents& w)
{
    const Signals& s = in.s;
    const Rubric& r = in.r;
    const std::vector<std::string>& criteria = in.c.criteria;
    CheckResult cr = new_result(Check::substance, in);
    int total = static_cast<int>(criteria.size());
    int hit = 0;
    std::string first_missed;
    for (std::size_t k = 0; k < criteria.size(); ++k) {
        if (!s.criterion_match[k].empty())
            ++hit;
        else if (first_missed.empty())
            first_missed = criteria[k];
    }
    double coverage = total > 0 ? static_cast<double>(hit) / total : 1.0;
    int detail_count = static_cast<int>(s.details.size());
    double raw = 60.0 * std::min(1.0, coverage / r.coverage_full) +
                 40.0 * std::min(1.0, static_cast<double>(detail_count) / r.details_full);
    cr.score = std::clamp(round_half_up(raw), 0, 100);
    if (coverage < r.coverage_floor)
        cr.score = std::min(cr.score, r.substance_cap);
    bool covered = first_missed.empty();
    add_values(cr.values, "hit", std::to_string(hit), "total", std::to_string(total), "details",
               std::to_string(detail_count), "missing",
               covered ? std::string("a concrete detail") : std::move(first_missed));
    cr.outcome = cr.score >= 70 ? "substance.pass" : covered ? "substance.details" : "substance.flag";
    cr.fix_id = covered ? "substance.details" : "substance";
    cr.practice_id = "substance";
    cr.stretch_id = "stretch.substance";
    cr.display = std::to_string(hit) + "/" + std::to_string(total) + " key points";
    w.key("criteria").begin_array();
    for (std::size_t k = 0; k < criteria.size(); ++k) {
        bool ok = !s.criterion_match[k].empty();
        w.begin_object().field("criterion", criteria[k]).field("hit", ok).key("matched");
        ok ? w.value(s.criterion_match[k]) : w.null();
        w.end_object();
    }
    w.end_array();
    w.field("hit", hit).field("total", total).field("coverage", coverage, 2);
    w.field("concrete_details", detail_count).key("detail_examples").begin_array();
    for (std::size_t k = 0; k < s.details.size() && k < 5; ++k)
        w.value(s.details[k].word);
    w.end_array();
    w.field("caps_reliable", s.caps_reliable);
    return cr;
}

// In Check order (evaluation_categories).
constexpr CheckResult (*checks[check_count])(const CheckInput&, JsonEvents&) = {
    length_check, pace_check, fillers_check, wording_check, ownership_check, structure_check, substance_check};

}  // namespace

void run_checks(const CheckInput& in, const TextTable& notes, std::array<CheckResult, check_count>& out,
                std::array<JsonEvents, check_count>& details)
{
    const std::string expected = whole(in.q.expected_duration_s);
    for (std::size_t k = 0; k < check_count; ++k) {
        JsonEvents& w = details[k];
        w.clear();
        w.begin_object();
        CheckResult& cr = out[k] = checks[k](in, w);
        cr.score = std::clamp(cr.score, 0, 100);
        cr.pass = cr.score >= 70;
        cr.values.emplace_back("expected", expected);
        cr.note = fill_text(notes, cr.outcome, cr.values);
        w.field("score", cr.score).field("outcome", cr.outcome).field("display", cr.display);
        w.end_object();
    }
}

}  // namespace scoring
}  // namespace residency
