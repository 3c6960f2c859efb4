#include "drill_response.hpp"

#include "error.hpp"
#include "json_input.hpp"
#include "tokenizer.hpp"
#include "url.hpp"

#include <cmath>
#include <string>

namespace residency {

void check_drill_response(const DrillResponse& r, const Limits& limits)
{
    if (!r.content && !r.audio_url)
        throw Error(Refusal::nothing_to_evaluate, sqlstate::check_violation, "drill response has nothing to evaluate",
                    "Both content and audio_url are NULL.",
                    "Send the typed answer or transcript as content, or the recording as audio_url.");

    if (r.audio_url) {
        if (std::string why = audio_url_problem(*r.audio_url, limits.allow_file_audio_urls); !why.empty())
            throw Error(sqlstate::invalid_parameter_value, "invalid audio_url",
                        "The audio_url is not usable: " + why + ".",
                        limits.allow_file_audio_urls
                            ? "Send an absolute http:// or https:// URL with a host, or file:///path, at most 2048 "
                              "bytes."
                            : "Send an absolute http:// or https:// URL with a host, at most 2048 bytes.");
    }
    if (r.audio_duration_s) {
        double d = *r.audio_duration_s;
        if (!(d > 0) || !(d <= max_audio_duration_s)) {
            throw Error(sqlstate::invalid_parameter_value, "invalid audio_duration_s",
                        "audio_duration_s is " + format_number(d) + "; it must be greater than 0 and at most 3600.",
                        "Send the length of the recording in seconds.");
        }
    }
    if (r.content) {
        std::string_view c = *r.content;
        // Blank means no word at all: whitespace of any script (no-break
        // spaces, ideographic space), punctuation or symbols only.
        if (count_words(c) == 0)
            throw Error(sqlstate::invalid_parameter_value, "drill response content is blank",
                        "The content holds no word (only whitespace, punctuation or symbols).",
                        "Send the answer's text, or leave content NULL for an audio-only response.");
        std::size_t chars = count_chars(c);
        if (chars > limits.max_answer_chars)
            throw Error(sqlstate::payload_too_large, "drill response content is too long",
                        "The content has " + std::to_string(chars) + " characters; the limit is " +
                            std::to_string(limits.max_answer_chars) + " (residency.max_answer_chars).",
                        "Shorten the answer; interview answers rarely need more than 3 minutes of speech.");
    }
}

std::optional<std::int64_t> response_word_count(const DrillResponse& r)
{
    if (!r.content)
        return std::nullopt;
    return static_cast<std::int64_t>(count_words(*r.content));
}

}  // namespace residency
