// Semantic Versioning 2.0.0 (src/core/semver.hpp), used by rules P1 and P2.
// The accepted and rejected examples are those of semver.org.
#include "semver.hpp"

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

using test::StringParamName;

class SemverValid : public testing::TestWithParam<std::string> {};

TEST_P(SemverValid, Accepted)
{
    EXPECT_EQ(semver_problem(GetParam()), "") << GetParam();
    EXPECT_TRUE(is_semver(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Semver, SemverValid,
                         testing::Values(
                             // plain versions
                             "0.0.0", "1.0.0", "1.2.3", "10.20.30", "1.0.0-0",
                             // semver.org 2.0.0, items 9 and 10
                             "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
                             "1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
                             "1.0.0+21AF26D3----117B344092BD",
                             // build identifiers may have leading zeros, pre-release
                             // alphanumerics too
                             "1.0.0+001.0002", "1.0.0-0a.01a", "1.0.0-rc.1+build.1-2",
                             // very large numbers are still digits
                             "99999999999999999999.0.0"),
                         StringParamName());

class SemverInvalid : public testing::TestWithParam<std::string> {};

TEST_P(SemverInvalid, RejectedWithAReason)
{
    std::string why = semver_problem(GetParam());
    EXPECT_NE(why, "") << "'" << GetParam() << "' should not be a semantic version";
    EXPECT_FALSE(is_semver(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Semver, SemverInvalid,
                         testing::Values(
                             // not MAJOR.MINOR.PATCH
                             "", "1", "1.2", "1.2.3.4", "1..3", "1.2.", ".1.2", "a.b.c",
                             // leading zeros in the core and in numeric pre-release identifiers
                             "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-alpha.01",
                             // empty pre-release / build / identifiers
                             "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3+a..b", "1.2.3-.a", "1.2.3-a.", "1.2.3-+b",
                             // characters outside [0-9A-Za-z-.]
                             "v1.2.3", " 1.2.3", "1.2.3 ", "1.2.3-alpha_1", "1.2.3+b@1", "1.2.3-é", "-1.2.3",
                             "1.2.3-a+b+c"),
                         StringParamName());

TEST(Semver, ProblemTextsSayWhatIsWrong)
{
    EXPECT_EQ(semver_problem(""), "it is empty");
    EXPECT_EQ(semver_problem("1.2"), "expected MAJOR.MINOR.PATCH");
    EXPECT_EQ(semver_problem("01.2.3"), "major has a leading zero");
    EXPECT_EQ(semver_problem("1.02.3"), "minor has a leading zero");
    EXPECT_EQ(semver_problem("1.2.3-01"), "numeric pre-release identifier has a leading zero");
    EXPECT_EQ(semver_problem("1.2.3-"), "pre-release is empty");
    EXPECT_EQ(semver_problem("1.2.3+"), "build metadata is empty");
    EXPECT_EQ(semver_problem("1.2.3-a..b"), "pre-release has an empty identifier");
    EXPECT_EQ(semver_problem("v1.2.3"), "major must be digits only");
}

TEST(Semver, AtMost256Characters)
{
    std::string at_limit = "1.0.0+" + std::string(250, 'a');
    ASSERT_EQ(at_limit.size(), 256u);
    EXPECT_TRUE(is_semver(at_limit));

    std::string over = at_limit + "a";
    EXPECT_EQ(semver_problem(over), "it is longer than 256 characters");
    EXPECT_EQ(semver_problem(std::string(1000, '1')), "it is longer than 256 characters");
}

}  // namespace
}  // namespace residency
