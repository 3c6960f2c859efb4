// The core's one error type (src/core/error.hpp): it carries what the
// Postgres boundary turns into ereport, unchanged.
#include "error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

TEST(Error, KeepsSqlstateMessageDetailAndHint)
{
    Error e(sqlstate::check_violation, "invalid entitlement level transition",
            "The entitlement level cannot change from PRO to BASIC.", "Allowed transitions: ...");
    EXPECT_EQ(e.sqlstate(), "23514");
    EXPECT_EQ(e.message(), "invalid entitlement level transition");
    EXPECT_EQ(e.detail(), "The entitlement level cannot change from PRO to BASIC.");
    EXPECT_EQ(e.hint(), "Allowed transitions: ...");
    EXPECT_STREQ(e.what(), "invalid entitlement level transition");
}

TEST(Error, DetailAndHintDefaultToEmpty)
{
    Error e(sqlstate::not_found, "drill session not found");
    EXPECT_EQ(e.sqlstate(), "PT404");
    EXPECT_EQ(e.detail(), "");
    EXPECT_EQ(e.hint(), "");
}

TEST(Error, KeepsEveryWellFormedSqlstate)
{
    for (std::string_view s : {sqlstate::invalid_parameter_value, sqlstate::invalid_text_representation,
                               sqlstate::check_violation, sqlstate::unique_violation, sqlstate::insufficient_privilege,
                               sqlstate::serialization_failure, sqlstate::internal_error, sqlstate::payment_required,
                               sqlstate::not_found, sqlstate::conflict, sqlstate::payload_too_large})
        EXPECT_EQ(Error(s, "m").sqlstate(), s);
}

TEST(Error, InvalidSqlstateBecomesInternalError)
{
    // Five characters of [0-9A-Z]; anything else cannot reach a client.
    for (const char* bad : {"", "2351", "235144", "pt413", "23 14", "2351-", "ÄÄ"})
        EXPECT_EQ(Error(bad, "m").sqlstate(), "XX000") << "sqlstate '" << bad << "'";
}

TEST(Error, InvalidSqlstateKeepsTheRestOfTheError)
{
    Error e("nope", "something failed", "the detail", "the hint");
    EXPECT_EQ(e.sqlstate(), "XX000");
    EXPECT_EQ(e.message(), "something failed");
    EXPECT_EQ(e.detail(), "the detail");
    EXPECT_EQ(e.hint(), "the hint");
}

TEST(Error, IsAStdException)
{
    try {
        throw Error(sqlstate::conflict, "session already submitted");
    } catch (const std::exception& e) {
        EXPECT_STREQ(e.what(), "session already submitted");
        return;
    }
    ADD_FAILURE() << "Error was not caught as std::exception";
}

}  // namespace
}  // namespace residency
