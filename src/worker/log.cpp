#include "log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace residency::worker {

namespace {

std::atomic<int> threshold{static_cast<int>(LogLevel::info)};
std::mutex write_lock;

const char* level_name(LogLevel level)
{
    switch (level) {
    case LogLevel::debug:
        return "debug";
    case LogLevel::info:
        return "info";
    case LogLevel::warn:
        return "warn";
    case LogLevel::error:
        return "error";
    }
    return "info";
}

std::string utc_now()
{
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    long ms =
        static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[40];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03ldZ", ms);
    return buf;
}

}  // namespace

void set_log_level(LogLevel level)
{
    threshold = static_cast<int>(level);
}

bool log_enabled(LogLevel level)
{
    return static_cast<int>(level) >= threshold.load();
}

std::string log_line(LogLevel level, std::string_view event, std::initializer_list<LogField> fields)
{
    // the first three keys in a fixed order, then the fields as given
    std::string line = "{\"ts\":\"" + utc_now() + "\",\"level\":\"" + level_name(level) + "\",\"event\":";
    line += nlohmann::json(std::string(event)).dump();
    for (const LogField& f : fields) {
        if (f.second.is_null())
            continue;
        line += ',';
        line += nlohmann::json(f.first).dump();
        line += ':';
        // invalid UTF-8 (an error text from a library) is replaced, not thrown
        line += f.second.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    line += '}';
    return line;
}

void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields)
{
    if (!log_enabled(level))
        return;
    std::string line = log_line(level, event, fields);
    line += '\n';
    std::lock_guard<std::mutex> guard(write_lock);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace residency::worker
