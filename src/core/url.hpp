// Rule R2: the audio URL check. An absolute http(s) URL with a host, no
// whitespace or control characters, at most 2048 bytes. Where the database
// allows it (residency.allow_file_audio_urls: a worker on the same machine,
// the demo, the tests), also a file URL of an absolute local path,
// file:///path or file://localhost/path, with no "." or ".." segment.
#pragma once
#include "pure.hpp"

#include <string>
#include <string_view>

namespace residency {

inline constexpr std::size_t max_url_bytes = 2048;

// Empty when valid; otherwise a sentence fragment saying what is wrong.
std::string audio_url_problem(std::string_view url, bool allow_file = false);

}  // namespace residency
