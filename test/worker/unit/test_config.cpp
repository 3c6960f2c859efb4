// parse_config(): flags, RESIDENCY_WORKER_* variables, and which wins.
#include "config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace residency::worker {
namespace {

struct Parsed {
    Command command;
    Config config;
};

Parsed parse(std::vector<const char*> args, std::map<std::string, std::string> env = {})
{
    Parsed p;
    p.command = parse_config(
        static_cast<int>(args.size()), args.data(),
        [&](const char* name) -> const char* {
            auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        },
        p.config);
    return p;
}

std::string error_of(std::vector<const char*> args, std::map<std::string, std::string> env = {})
{
    try {
        parse(std::move(args), std::move(env));
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return {};
}

TEST(Config, Defaults)
{
    Config c = parse({}).config;
    EXPECT_EQ(c.dsn, "");
    EXPECT_EQ(c.role, "service_role");
    EXPECT_EQ(c.concurrency, 1);
    EXPECT_FALSE(c.once);
    EXPECT_EQ(c.poll_interval_s, 10);
    EXPECT_EQ(c.stale_after_s, 900);
    EXPECT_EQ(c.shutdown_grace_s, 30);
    EXPECT_EQ(c.fetch.max_bytes, 50 * 1024 * 1024);
    EXPECT_EQ(c.fetch.timeout_s, 60);
    EXPECT_TRUE(c.fetch.allow_file_urls);
    EXPECT_EQ(c.max_duration_s, 600);
    EXPECT_EQ(c.pause_threshold_s, 0.5);
    EXPECT_EQ(c.recognizer, RecognizerKind::pocketsphinx);
    EXPECT_EQ(c.sphinx.hmm, "/usr/share/pocketsphinx/model/en-us/en-us");
    EXPECT_EQ(c.http.model, "whisper-1");
    EXPECT_EQ(c.log_level, LogLevel::info);
}

TEST(Config, FlagsBothSpellings)
{
    Config c = parse({"--dsn", "host=/tmp port=5", "--concurrency=3", "--once", "--poll-interval", "0.5",
                      "--max-audio-bytes=1000", "--recognizer", "http",
                      "--http-url=http://127.0.0.1:8080/v1/audio/transcriptions", "--role="})
                   .config;
    EXPECT_EQ(c.dsn, "host=/tmp port=5");
    EXPECT_EQ(c.concurrency, 3);
    EXPECT_TRUE(c.once);
    EXPECT_EQ(c.poll_interval_s, 0.5);
    EXPECT_EQ(c.fetch.max_bytes, 1000);
    EXPECT_EQ(c.recognizer, RecognizerKind::http);
    EXPECT_EQ(c.http.url, "http://127.0.0.1:8080/v1/audio/transcriptions");
    EXPECT_EQ(c.role, "");  // --role '' skips SET ROLE
}

TEST(Config, PollIntervalHasTwoSpellings)
{
    EXPECT_EQ(parse({"--poll-interval", "3"}).config.poll_interval_s, 3);
    EXPECT_EQ(parse({"--poll-interval-s=4"}).config.poll_interval_s, 4);
    EXPECT_NE(help_text().find("--poll-interval-s SECONDS (or --poll-interval)"), std::string::npos);
}

TEST(Config, EnvironmentFillsWhatFlagsLeave)
{
    std::map<std::string, std::string> env = {{"RESIDENCY_WORKER_DSN", "dbname=env"},
                                              {"RESIDENCY_WORKER_CONCURRENCY", "2"},
                                              {"RESIDENCY_WORKER_POLL_INTERVAL_S", "7"},
                                              {"RESIDENCY_WORKER_ONCE", "yes"},
                                              {"RESIDENCY_WORKER_ROLE", ""},
                                              {"RESIDENCY_WORKER_FILE_URLS", "no"},
                                              {"RESIDENCY_WORKER_HTTP_API_KEY", "sk-test"},
                                              {"RESIDENCY_WORKER_STALE_AFTER_S", "60"}};
    Config c = parse({"--concurrency", "4"}, env).config;
    EXPECT_EQ(c.dsn, "dbname=env");
    EXPECT_EQ(c.concurrency, 4);  // the flag wins
    EXPECT_EQ(c.poll_interval_s, 7);
    EXPECT_TRUE(c.once);
    EXPECT_EQ(c.role, "");
    EXPECT_FALSE(c.fetch.allow_file_urls);
    EXPECT_EQ(c.http.api_key, "sk-test");
    EXPECT_EQ(c.stale_after_s, 60);
    // a switch given as a flag wins over its variable too
    EXPECT_FALSE(parse({"--once=no"}, env).config.once);
}

TEST(Config, HelpAndVersion)
{
    EXPECT_EQ(parse({"--help"}).command, Command::help);
    EXPECT_EQ(parse({"--concurrency", "2", "-h"}).command, Command::help);
    EXPECT_EQ(parse({"--version"}).command, Command::version);
    std::string help = help_text();
    for (const char* flag : {"--dsn", "--role", "--concurrency", "--once", "--poll-interval", "--stale-after-s",
                             "--shutdown-grace-s", "--max-audio-bytes", "--fetch-timeout-s", "--max-duration-s",
                             "--pause-threshold-s", "--recognizer", "--ps-hmm", "--ps-lm", "--ps-dict", "--http-url",
                             "--http-model", "--http-timeout-s", "RESIDENCY_WORKER_HTTP_API_KEY"})
        EXPECT_NE(help.find(flag), std::string::npos) << flag;
    EXPECT_NE(help.find("env RESIDENCY_WORKER_POLL_INTERVAL_S, default 10"), std::string::npos);
}

TEST(Config, Errors)
{
    EXPECT_NE(error_of({"--nope"}).find("unknown flag --nope"), std::string::npos);
    EXPECT_NE(error_of({"stray"}).find("unexpected argument"), std::string::npos);
    EXPECT_NE(error_of({"--concurrency"}).find("needs a value"), std::string::npos);
    EXPECT_NE(error_of({"--concurrency", "0"}).find("out of range"), std::string::npos);
    EXPECT_NE(error_of({"--concurrency", "2x"}).find("not an integer"), std::string::npos);
    EXPECT_NE(error_of({"--poll-interval", "soon"}).find("not a number"), std::string::npos);
    EXPECT_NE(error_of({"--poll-interval", "nan"}).find("not a number"), std::string::npos);
    EXPECT_NE(error_of({"--recognizer", "whisper"}).find("not pocketsphinx or http"), std::string::npos);
    EXPECT_NE(error_of({"--recognizer", "http"}).find("needs --http-url"), std::string::npos);
    EXPECT_NE(error_of({}, {{"RESIDENCY_WORKER_MAX_DURATION_S", "-1"}}).find("RESIDENCY_WORKER_MAX_DURATION_S"),
              std::string::npos);
    EXPECT_NE(error_of({}, {{"RESIDENCY_WORKER_ONCE", "maybe"}}).find("not yes or no"), std::string::npos);
}

}  // namespace
}  // namespace residency::worker
