// Rule R2: the audio URL check. An absolute http(s) URL with a host, no
// whitespace or control characters, at most 2048 bytes.
#pragma once
#include "pure.hpp"

#include <string>
#include <string_view>

namespace residency {

inline constexpr std::size_t max_url_bytes = 2048;

// Empty when valid; otherwise a sentence fragment saying what is wrong.
std::string audio_url_problem(std::string_view url);

}  // namespace residency
