// The worker's settings: flags, each with an environment variable
// (RESIDENCY_WORKER_*) for what the flags leave unset. Flags win.
#pragma once

#include "fetch.hpp"
#include "http_recognizer.hpp"
#include "pocketsphinx_recognizer.hpp"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace residency::worker {

enum class RecognizerKind { pocketsphinx, http };
enum class LogLevel { debug, info, warn, error };

struct Config {
    std::string dsn;                    // empty: libpq's PG* environment
    std::string role = "service_role";  // empty: no SET ROLE
    int concurrency = 1;
    bool once = false;
    double poll_interval_s = 10;
    double stale_after_s = 900;
    double shutdown_grace_s = 30;
    FetchLimits fetch;  // --max-audio-bytes, --fetch-timeout-s, --file-urls
    double max_duration_s = 600;
    double pause_threshold_s = 0.5;
    double silence_dbfs = -45;
    RecognizerKind recognizer = RecognizerKind::pocketsphinx;
    SphinxModel sphinx;
    HttpRecognizerConfig http;  // api_key from RESIDENCY_WORKER_HTTP_API_KEY only
    LogLevel log_level = LogLevel::info;
};

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Command { run, help, version };

// argv (without argv[0]) then getenv for what argv left unset. Flags take
// "--flag value" or "--flag=value"; switches (--once) take no value, and
// their variables 1/true/yes/on or 0/false/no/off. Throws ConfigError.
using Getenv = std::function<const char*(const char*)>;
Command parse_config(int argc, const char* const* argv, const Getenv& getenv, Config& out);

// Every flag with its variable and default (--help).
std::string help_text();

const char* worker_version();

}  // namespace residency::worker
