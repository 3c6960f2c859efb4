// The content pack: the questions candidates drill, and their evaluation
// criteria. Rule P1 is validate_content_pack(); rule P2 is
// pack_row_problems(). Every problem is reported with its JSON path.
#pragma once
#include "pure.hpp"

#include "error.hpp"
#include "json_input.hpp"
#include "limits.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

inline constexpr std::size_t pack_category_count = 7;
inline constexpr double max_expected_duration_s = 3600;

// How an answer to the question is judged (docs/scoring.md, "Kinds"): a past
// story (behavioral), a plan (situational) or a case for oneself (motivation).
enum class QuestionKind { behavioral, situational, motivation };

std::optional<QuestionKind> parse_question_kind(std::string_view text);
std::string_view to_string(QuestionKind kind);

struct Question {
    std::string id;
    std::string category;
    std::string prompt;
    double expected_duration_s = 0;
    std::vector<std::string> evaluation_criteria;
    std::optional<QuestionKind> kind;
};

struct ContentPack {
    std::string version;
    std::string title;
    std::string description;
    std::vector<std::string> categories;
    std::vector<Question> questions;
    Json rubric;  // the optional "rubric" object; null when absent

    const Question* find_question(std::string_view id) const;
};

struct PackValidation {
    std::vector<JsonProblem> problems;
    ContentPack pack;  // complete only when problems is empty

    bool ok() const { return problems.empty(); }
};

// Rule P1 on a parsed document. Collects every problem rather than stopping
// at the first, so that an author can fix a pack in one round. `limits`
// bound what scoring the pack may cost (check_content_pack()).
PackValidation validate_content_pack(const Json& content, const Limits& limits);

// Limits, JSON syntax and P1 together: the whole check of an uploaded pack.
// Problems P1 finds are returned, not thrown; the limits (PT413) and a text
// that is not JSON (22P02) throw Error.
PackValidation check_content_pack_text(std::string_view text, const Limits& limits);

// Throws the 22023 error for a failed validation, DETAIL listing every
// problem with its path.
[[noreturn]] void throw_pack_problems(const std::vector<JsonProblem>& problems);

// Rule P2: the row's version must be semver and equal content.version; the
// row's schema_version must be semver. Problems are located by column name.
std::vector<JsonProblem> pack_row_problems(std::string_view row_version, std::string_view schema_version,
                                           std::string_view content_version);

// Over residency.max_pack_bytes: PT413.
void check_pack_size(std::size_t bytes, const Limits& limits);

// "question not found", the one wording for a question id a pack lacks: rule
// S1 (23514 on a direct write, PT404 through the API) and the scorer (PT404).
// `pack` names the pack as the DETAIL's subject ("Content pack <id>").
[[nodiscard]] Error question_not_found(std::string_view sqlstate, std::string_view pack, std::string_view question_id);

// "no content pack is active", rule S1's refusal when no pack is ACTIVE
// (23514 on a direct write, PT404 through the API): for a new session and
// for the API's preview of the scorer alike.
[[nodiscard]] Error no_active_pack();

}  // namespace residency
