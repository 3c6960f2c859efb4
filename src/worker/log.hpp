// The worker's log: one JSON object per line on stderr,
//   {"ts":"2026-12-05T01:02:03.456Z","level":"info","event":"claimed","session_id":"...",...}
// Events: start, listening, claimed, completed, failed, reconnect, stale,
// stop (and error, for what stops the worker from starting). Never a
// transcript, never a URL beyond its scheme and host (url_for_log).
#pragma once

#include "config.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace residency::worker {

using LogField = std::pair<const char*, nlohmann::json>;

void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// The line log_event() writes, without the newline (for the tests).
std::string log_line(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);

}  // namespace residency::worker
