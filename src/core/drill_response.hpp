// Rules R1 (a response has something to evaluate) and R2 (its fields are
// well-formed), and R3's word count, for residency.drill_responses.
#pragma once
#include "pure.hpp"

#include "limits.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace residency {

inline constexpr double max_audio_duration_s = 3600;

struct DrillResponse {
    std::optional<std::string_view> content;
    std::optional<std::string_view> audio_url;
    std::optional<double> audio_duration_s;
};

// Throws Error: 23514 when neither content nor audio_url is given (R1),
// 22023 for a malformed URL, duration or blank content (R2), PT413 when the
// content is longer than limits.max_answer_chars.
void check_drill_response(const DrillResponse& response, const Limits& limits);

// R3: word_count from the tokenizer when there is content, else nullopt.
std::optional<std::int64_t> response_word_count(const DrillResponse& response);

}  // namespace residency
