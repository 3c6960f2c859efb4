// The scoring rubric (docs/scoring.md): thresholds, weights, lexicons,
// note templates, fixes and practice rules, and the answer kind per
// question category. Everything has a compiled-in default (rubric.cpp,
// sources in docs/scoring.md) that a content pack's optional "rubric"
// object may override; rubric_check.hpp validates that object (rule P1).
#pragma once
#include "pure.hpp"

#include "content_pack.hpp"
#include "json_input.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace residency {

// The 7 checks, in the order of evaluation_categories.
enum class Check { length, pace, fillers, wording, ownership, structure, substance };
inline constexpr std::size_t check_count = 7;
std::string_view check_name(Check c);  // "Length", "Pace", ...

// A two-sided trapezoid: 0 at or beyond the zero limits, 70 at the PASS
// limits, 100 inside the ideal band, linear in between.
struct Band {
    double zero_lo, pass_lo, ideal_lo, ideal_hi, pass_hi, zero_hi;
};
// One-sided, lower is better: 100 up to ideal, 70 at pass, 0 at zero.
struct Ceiling {
    double ideal, pass, zero;
};
// One-sided, higher is better: 0 up to zero, 70 at pass, 100 from ideal.
struct Floor {
    double zero, pass, ideal;
};

struct Rubric {
    std::string version = "2.0";

    // weights per check, and per kind where a kind differs. Fitted on the
    // calibration half of the MIT Interview Dataset (make calibrate,
    // docs/scoring.md, Evidence): each check's agreement with the judges'
    // Overall rating, none over 40% (P1). Wording, Ownership and Substance
    // did not agree with it: they coach, at weight 0.
    std::array<int, check_count> weights{3, 39, 16, 0, 0, 17, 25};
    std::map<QuestionKind, std::array<int, check_count>> kind_weights;

    // Length: duration / expected_duration_s. Long enough to answer; an
    // answer that runs long is Structure's concern (docs/scoring.md, Evidence)
    Band length{0.10, 0.20, 0.30, 1.20, 1.80, 3.00};
    int length_min_words = 40;  // fewer words: Length is capped below PASS
    double typed_wpm = 140;     // typed answers' estimated speaking rate
    // Pace: words per minute, spoken answers only; the band the judges
    // rated highest (fitted, as the weights)
    Band pace{120, 160, 180, 230, 260, 320};
    double pace_min_seconds = 20;
    int pace_min_words = 40;
    // Fillers: weighted fillers per 100 words
    Ceiling fillers{1.5, 3.0, 8.0};
    double filler_core_weight = 1.0, filler_discourse_weight = 1.0, filler_stutter_weight = 0.0;
    // Wording: hedges per 100 words; any flagged term caps the score
    Ceiling hedges{1.0, 2.0, 6.0};
    int flagged_term_cap = 60;
    // Ownership: share of I-words among I + we words (past, self); plan
    // statements (plan); generic "you" per 100 words (self)
    Floor i_share{0.20, 0.50, 0.60};
    int min_i_words = 3;
    int min_i_actions = 0;  // "I did" statements a past story needs (evidence: none; docs/scoring.md)
    int plan_min_frames = 2;
    double max_you_per_100 = 3.0;
    int ownership_cap = 60;
    // Structure: to the point. The answer's length against the question's
    // (duration / expected_duration_s) and its clutter (discourse fillers
    // such as 'like', and words said twice in a row, per 100 words), each a
    // sub-score; Structure is their mean. The story parts (below) are
    // reported and coached, not scored.
    Ceiling concise{0.60, 1.20, 2.00};
    Ceiling clutter{0.5, 2.5, 7.0};
    // Substance: 60 * min(1, coverage / coverage_full) + 40 * min(1, details / details_full)
    double coverage_full = 0.67;
    int details_full = 3;
    double coverage_floor = 0.34;  // below it, Substance is capped below PASS
    int substance_cap = 60;
    // overall score caps
    int short_words = 25;
    int short_cap = 20;
    int empty_cap = 59;  // Structure and Substance both FLAG
    // The overall score predicts a listener's rating on the 1-7 scale of the
    // MIT Interview Dataset mapped to 0..100: intercept + slope x the
    // weighted mean of the checks (fitted: docs/scoring.md, Evidence)
    double overall_intercept = 14.8, overall_slope = 0.782;

    // Lexicons (normalised phrases; a trailing * on a word is a prefix)
    std::vector<std::string> filler_core;
    std::vector<std::string> filler_discourse;
    std::vector<std::string> hedges_lexicon;
    std::vector<std::pair<std::string, std::string>> flagged_terms;  // term, alternative
    std::vector<std::string> i_words, we_words, you_words;
    std::vector<std::string> plan_frames;
    std::vector<std::string> irregular_past;
    std::vector<std::string> detail_words;  // number words, time words
    std::vector<std::string> stopwords;     // ignored when criteria keywords are derived
    // structure templates: part names in order, required flags, weights, cues
    struct Part {
        std::string name;
        bool required;
        int weight;
        std::vector<std::string> cues;
    };
    std::map<QuestionKind, std::vector<Part>> structure;

    // kind of answer expected per question category (when a question has none)
    std::map<std::string, QuestionKind> kinds;

    // texts, by id (see rubric.cpp for the ids and their placeholders)
    std::map<std::string, std::string> notes, fixes, practice;
};

// The compiled-in rubric.
const Rubric& default_rubric();

// The default rubric with a pack's validated "rubric" object applied.
Rubric rubric_with_overrides(const Json& overrides);

// Template ids and the placeholders each may use, for validation.
const std::map<std::string, std::vector<std::string>>& note_templates();
const std::map<std::string, std::vector<std::string>>& fix_templates();
const std::map<std::string, std::vector<std::string>>& practice_templates();

}  // namespace residency
