// Fetching a recording from its audio_url: https://, http:// and, unless
// refused, file:// (rule R2 lets the database accept file URLs only where
// residency.allow_file_audio_urls is on).
#pragma once

#include "audio.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace residency::worker {

struct FetchLimits {
    std::int64_t max_bytes = 50LL * 1024 * 1024;
    double timeout_s = 60;
    bool allow_file_urls = true;
};

// The recording's bytes. Throws JobFailure: unreachable (an address that
// is not http(s)/file, DNS, connection, TLS, timeout, an HTTP status of 400
// or more, a missing file), too_large (over max_bytes, announced or
// received), internal (cancelled). Redirects are followed (5 at most), to
// http(s) only.
std::string fetch_audio(const std::string& url, const FetchLimits& limits, const CancelCheck& cancelled = {});

// What the log may say of a URL: its scheme and host (and port), never its
// user, path or query (a signed URL's query is a credential; a path may
// name the user). "file://" for a file URL, "(not a URL)" when it is not one.
std::string url_for_log(std::string_view url);

}  // namespace residency::worker
