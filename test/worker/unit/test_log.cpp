// The log line: one JSON object, ts/level/event first.
#include "log.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency::worker {
namespace {

TEST(Log, Line)
{
    std::string line = log_line(LogLevel::warn, "failed",
                                {{"session_id", "6ac4"}, {"ms", 12}, {"skipped", nlohmann::json()}, {"bad", "\xff"}});
    // {"ts":"2026-12-05T01:02:03.456Z","level":"warn","event":"failed",...}
    ASSERT_EQ(line.rfind("{\"ts\":\"", 0), 0u) << line;
    std::string ts = line.substr(7, 24);
    for (std::size_t i = 0; i < ts.size(); ++i) {
        char want = "0000-00-00T00:00:00.000Z"[i];
        EXPECT_TRUE(want == '0' ? (ts[i] >= '0' && ts[i] <= '9') : ts[i] == want) << ts;
    }
    EXPECT_EQ(line.substr(31, 34), "\",\"level\":\"warn\",\"event\":\"failed\",") << line;
    nlohmann::json j = nlohmann::json::parse(line);
    EXPECT_EQ(j["session_id"], "6ac4");
    EXPECT_EQ(j["ms"], 12);
    EXPECT_FALSE(j.contains("skipped"));
    EXPECT_TRUE(j["bad"].is_string());  // invalid UTF-8 replaced, not thrown
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Log, Levels)
{
    set_log_level(LogLevel::warn);
    EXPECT_FALSE(log_enabled(LogLevel::info));
    EXPECT_TRUE(log_enabled(LogLevel::error));
    set_log_level(LogLevel::info);
    EXPECT_TRUE(log_enabled(LogLevel::info));
    EXPECT_FALSE(log_enabled(LogLevel::debug));
}

}  // namespace
}  // namespace residency::worker
