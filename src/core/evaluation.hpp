// An evaluation result as stored in residency.evaluation_results, and rules
// E2 (the 7 categories) and E3 (the figures around them). The built-in scorer
// and external evaluators are held to the same checks.
#pragma once
#include "pure.hpp"

#include "json_input.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

// The 7 evaluation categories, in the order the scorer reports them
// (docs/scoring.md, "The 7 checks"). Their names are fixed: rule E2 checks them.
inline constexpr std::array<std::string_view, 7> evaluation_categories = {
    "Length", "Pace", "Fillers", "Wording", "Ownership", "Structure", "Substance"};

inline constexpr std::size_t max_what_changed = 3;
inline constexpr double wpm_tolerance = 0.5;
// An evaluation of a recording is of that recording: its duration_s is the
// response's audio_duration_s, give or take what decoding and the client's
// own measurement may differ by (the larger of 1 s and 5%).
inline constexpr double duration_tolerance_s = 1.0;
inline constexpr double duration_tolerance_ratio = 0.05;
double duration_tolerance(double audio_duration_s);

// The row's values; a column that is NULL is absent here and left to its
// NOT NULL constraint.
struct EvaluationRecord {
    std::optional<double> duration_s;
    std::optional<double> audio_duration_s;  // the evaluated response's, when it has a recording
    std::optional<std::int64_t> words;
    std::optional<double> wpm;
    std::optional<std::int64_t> overall_score;
    const Json* categories = nullptr;
    const Json* what_changed = nullptr;
    std::optional<std::string> practice_rule;
    std::optional<std::string> model_used;
    std::optional<std::int64_t> processing_time_ms;
    const Json* details = nullptr;
};

// E2: exactly 7 objects with unique `name`s equal to the 7 categories,
// `passFlag` PASS or FLAG, a non-empty `note`, an optional integer `score`
// 0..100. Paths start at `root` (a column name or a JSON path).
std::vector<JsonProblem> categories_problems(const Json& categories, const std::string& root = "categories");

// E3 (and E2 for the categories), every problem found.
std::vector<JsonProblem> evaluation_problems(const EvaluationRecord& record);

// E3's checks of the scalar columns only (the JSON columns of `record`
// are ignored), appended to `out`.
void figures_problems(const EvaluationRecord& record, std::vector<JsonProblem>& out);

// Throws Error 23514 listing every problem when there is any.
void check_evaluation(const EvaluationRecord& record);

// The 23514 error for a non-empty problem list.
[[noreturn]] void throw_evaluation_problems(const std::vector<JsonProblem>& problems);

}  // namespace residency
