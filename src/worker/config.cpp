// Flags and environment, one table: each option's flag, variable, default
// (as --help prints it), help text and setter.
#include "config.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string_view>
#include <vector>

#ifndef RESIDENCY_WORKER_VERSION
#define RESIDENCY_WORKER_VERSION "1.1"
#endif

namespace residency::worker {

namespace {

struct Option {
    const char* flag;  // without "--"; "name|alias" for a second spelling
    const char* env;   // RESIDENCY_WORKER_...
    const char* arg;   // nullptr: a switch
    const char* default_text;
    const char* help;
    std::function<void(Config&, const std::string&)> set;
};

double number(const std::string& flag, const std::string& v, double min, double max)
{
    errno = 0;
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(d))
        throw ConfigError("--" + flag + ": \"" + v + "\" is not a number");
    if (d < min || d > max) {
        std::ostringstream s;
        s << "--" << flag << ": " << v << " is out of range (" << min << " to " << max << ")";
        throw ConfigError(s.str());
    }
    return d;
}

std::int64_t integer(const std::string& flag, const std::string& v, std::int64_t min, std::int64_t max)
{
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE)
        throw ConfigError("--" + flag + ": \"" + v + "\" is not an integer");
    if (n < min || n > max)
        throw ConfigError("--" + flag + ": " + v + " is out of range (" + std::to_string(min) + " to " +
                          std::to_string(max) + ")");
    return n;
}

bool boolean(const std::string& flag, const std::string& v)
{
    if (v == "1" || v == "true" || v == "yes" || v == "on")
        return true;
    if (v == "0" || v == "false" || v == "no" || v == "off")
        return false;
    throw ConfigError("--" + flag + ": \"" + v + "\" is not yes or no");
}

// name is the option's flag or its alias
bool spelled(const Option& o, const std::string& name)
{
    std::string_view flags = o.flag;
    std::size_t bar = flags.find('|');
    return name == flags.substr(0, bar) || (bar != std::string_view::npos && name == flags.substr(bar + 1));
}

const std::vector<Option>& options()
{
    constexpr double day = 86400;
    static const std::vector<Option> table = {
        {"dsn", "RESIDENCY_WORKER_DSN", "CONNINFO", "libpq's PG* variables",
         "libpq connection string or URI (application_name is set to residency-worker)",
         [](Config& c, const std::string& v) { c.dsn = v; }},
        {"role", "RESIDENCY_WORKER_ROLE", "NAME", "service_role",
         "SET ROLE after connecting (the queue functions check for service_role); '' skips it",
         [](Config& c, const std::string& v) { c.role = v; }},
        {"concurrency", "RESIDENCY_WORKER_CONCURRENCY", "N", "1",
         "worker threads, each with its own connection and recognizer (1 to 64)",
         [](Config& c, const std::string& v) { c.concurrency = static_cast<int>(integer("concurrency", v, 1, 64)); }},
        {"once", "RESIDENCY_WORKER_ONCE", nullptr, "off", "claim and evaluate until the queue is empty, then exit",
         [](Config& c, const std::string& v) { c.once = boolean("once", v); }},
        {"poll-interval-s|poll-interval", "RESIDENCY_WORKER_POLL_INTERVAL_S", "SECONDS", "10",
         "claim at least this often without a notification; fail stale sessions as often",
         [](Config& c, const std::string& v) { c.poll_interval_s = number("poll-interval-s", v, 0.05, day); }},
        {"stale-after-s", "RESIDENCY_WORKER_STALE_AFTER_S", "SECONDS", "900",
         "fail sessions PROCESSING longer than this (fail_stale_processing)",
         [](Config& c, const std::string& v) { c.stale_after_s = number("stale-after-s", v, 1, 30 * day); }},
        {"shutdown-grace-s", "RESIDENCY_WORKER_SHUTDOWN_GRACE_S", "SECONDS", "30",
         "after SIGTERM/SIGINT, time to finish the job in hand before failing it",
         [](Config& c, const std::string& v) { c.shutdown_grace_s = number("shutdown-grace-s", v, 0, day); }},
        {"max-audio-bytes", "RESIDENCY_WORKER_MAX_AUDIO_BYTES", "BYTES", "52428800 (50 MB)",
         "largest recording fetched",
         [](Config& c, const std::string& v) {
             c.fetch.max_bytes = integer("max-audio-bytes", v, 1, std::int64_t(4) << 30);
         }},
        {"fetch-timeout-s", "RESIDENCY_WORKER_FETCH_TIMEOUT_S", "SECONDS", "60", "time to fetch a recording",
         [](Config& c, const std::string& v) { c.fetch.timeout_s = number("fetch-timeout-s", v, 0.1, day); }},
        {"file-urls", "RESIDENCY_WORKER_FILE_URLS", "yes|no", "yes",
         "fetch file:// URLs (the database accepts them only with residency.allow_file_audio_urls)",
         [](Config& c, const std::string& v) { c.fetch.allow_file_urls = boolean("file-urls", v); }},
        {"max-duration-s", "RESIDENCY_WORKER_MAX_DURATION_S", "SECONDS", "600", "longest recording evaluated",
         [](Config& c, const std::string& v) { c.max_duration_s = number("max-duration-s", v, 1, day); }},
        {"pause-threshold-s", "RESIDENCY_WORKER_PAUSE_THRESHOLD_S", "SECONDS", "0.5",
         "a gap between two words longer than this is a pause",
         [](Config& c, const std::string& v) { c.pause_threshold_s = number("pause-threshold-s", v, 0.05, 60); }},
        {"silence-dbfs", "RESIDENCY_WORKER_SILENCE_DBFS", "DBFS", "-45",
         "30 ms frames quieter than this are silence; under 0.25 s louder is a silent recording",
         [](Config& c, const std::string& v) { c.silence_dbfs = number("silence-dbfs", v, -120, 0); }},
        {"recognizer", "RESIDENCY_WORKER_RECOGNIZER", "pocketsphinx|http", "pocketsphinx", "the speech recognizer",
         [](Config& c, const std::string& v) {
             if (v == "pocketsphinx")
                 c.recognizer = RecognizerKind::pocketsphinx;
             else if (v == "http")
                 c.recognizer = RecognizerKind::http;
             else
                 throw ConfigError("--recognizer: \"" + v + "\" is not pocketsphinx or http");
         }},
        {"ps-hmm", "RESIDENCY_WORKER_PS_HMM", "DIR", "/usr/share/pocketsphinx/model/en-us/en-us",
         "PocketSphinx acoustic model", [](Config& c, const std::string& v) { c.sphinx.hmm = v; }},
        {"ps-lm", "RESIDENCY_WORKER_PS_LM", "FILE", "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin",
         "PocketSphinx language model", [](Config& c, const std::string& v) { c.sphinx.lm = v; }},
        {"ps-dict", "RESIDENCY_WORKER_PS_DICT", "FILE", "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict",
         "PocketSphinx pronunciation dictionary", [](Config& c, const std::string& v) { c.sphinx.dict = v; }},
        {"http-url", "RESIDENCY_WORKER_HTTP_URL", "URL", "(none; required with --recognizer http)",
         "OpenAI-compatible transcription endpoint, e.g. http://127.0.0.1:8080/v1/audio/transcriptions",
         [](Config& c, const std::string& v) { c.http.url = v; }},
        {"http-model", "RESIDENCY_WORKER_HTTP_MODEL", "NAME", "whisper-1", "model field of the request",
         [](Config& c, const std::string& v) { c.http.model = v; }},
        {"http-timeout-s", "RESIDENCY_WORKER_HTTP_TIMEOUT_S", "SECONDS", "300", "time for one transcription request",
         [](Config& c, const std::string& v) { c.http.timeout_s = number("http-timeout-s", v, 0.1, day); }},
        {"log-level", "RESIDENCY_WORKER_LOG_LEVEL", "debug|info|warn|error", "info", "least severe level logged",
         [](Config& c, const std::string& v) {
             if (v == "debug")
                 c.log_level = LogLevel::debug;
             else if (v == "info")
                 c.log_level = LogLevel::info;
             else if (v == "warn")
                 c.log_level = LogLevel::warn;
             else if (v == "error")
                 c.log_level = LogLevel::error;
             else
                 throw ConfigError("--log-level: \"" + v + "\" is not debug, info, warn or error");
         }},
    };
    return table;
}

}  // namespace

const char* worker_version()
{
    return RESIDENCY_WORKER_VERSION;
}

Command parse_config(int argc, const char* const* argv, const Getenv& getenv, Config& out)
{
    Config c;
    std::vector<bool> given(options().size(), false);
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h")
            return Command::help;
        if (a == "--version" || a == "-V")
            return Command::version;
        if (a.size() < 3 || a.compare(0, 2, "--") != 0)
            throw ConfigError("unexpected argument \"" + a + "\"");
        std::string name = a.substr(2), value;
        bool has_value = false;
        if (std::size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
            has_value = true;
        }
        std::size_t k = 0;
        while (k < options().size() && !spelled(options()[k], name))
            ++k;
        if (k == options().size())
            throw ConfigError("unknown flag --" + name);
        const Option& o = options()[k];
        if (!o.arg) {
            if (!has_value)
                value = "yes";
        } else if (!has_value) {
            if (i + 1 >= argc)
                throw ConfigError("--" + name + " needs a value (" + o.arg + ")");
            value = argv[++i];
        }
        o.set(c, value);
        given[k] = true;
    }
    for (std::size_t k = 0; k < options().size(); ++k) {
        if (given[k])
            continue;
        if (const char* v = getenv(options()[k].env)) {
            try {
                options()[k].set(c, v);
            } catch (const ConfigError& e) {
                throw ConfigError(std::string(options()[k].env) + ": " + e.what());
            }
        }
    }
    if (const char* key = getenv("RESIDENCY_WORKER_HTTP_API_KEY"))
        c.http.api_key = key;
    if (c.recognizer == RecognizerKind::http && c.http.url.empty())
        throw ConfigError("--recognizer http needs --http-url (RESIDENCY_WORKER_HTTP_URL)");
    out = std::move(c);
    return Command::run;
}

std::string help_text()
{
    std::ostringstream s;
    s << "residency-worker " << worker_version() << ": evaluates the recorded answers of residency drills.\n"
      << "Claims SUBMITTED sessions (residency_api.claim_submissions), fetches and decodes each recording,\n"
      << "transcribes it, scores it with residency.score() and records the evaluation (record_evaluation),\n"
      << "or fails the session with a reason (fail_evaluation). Logs JSON lines on stderr. docs/worker.md.\n\n"
      << "usage: residency-worker [flags]\n\n"
      << "Each flag has an environment variable, used when the flag is not given. Exit status: 0, also after\n"
      << "SIGTERM/SIGINT; 1 when it cannot start (connection, role, extension, model); 2 for bad flags.\n\n";
    for (const Option& o : options()) {
        std::string_view flags = o.flag;
        std::size_t bar = flags.find('|');
        s << "  --" << flags.substr(0, bar);
        if (o.arg)
            s << ' ' << o.arg;
        if (bar != std::string_view::npos)
            s << " (or --" << flags.substr(bar + 1) << ")";
        s << "\n      " << o.help << "\n      env " << o.env << ", default " << o.default_text << "\n";
    }
    s << "  --help, --version\n\n"
      << "Environment only: RESIDENCY_WORKER_HTTP_API_KEY (sent as Authorization: Bearer to --http-url);\n"
      << "libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSERVICE... when --dsn leaves them unset.\n";
    return s.str();
}

}  // namespace residency::worker
