// Rule U1 (src/core/email.hpp): one '@', a non-empty local part, a dotted
// domain, no spaces or control characters, at most 254 bytes.
#include "email.hpp"

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

using test::StringParamName;

// An address of exactly `bytes` bytes (at least 194): a 64-byte local part
// and a domain of three labels ending in ".com".
std::string email_of_size(std::size_t bytes)
{
    const std::string label(61, 'd');
    const std::size_t fixed = 64 + 1 + label.size() + 1 + label.size() + 1 + 4;
    return std::string(64, 'l') + "@" + label + "." + label + "." + std::string(bytes - fixed, 'd') + ".com";
}

class EmailValid : public testing::TestWithParam<std::string> {};

TEST_P(EmailValid, Accepted)
{
    EXPECT_EQ(email_problem(GetParam()), "") << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Email, EmailValid,
                         testing::Values("a@b.co", "resident@example.com", "first.last@example.org",
                                         "first.last+drills@mail.example.co.uk", "o'neil@example.ie",
                                         "x_y-z@sub-domain.example.com", "UPPER@EXAMPLE.COM",
                                         "jos\xC3\xA9@example.es"),  // UTF-8 local part is not garbage
                         StringParamName());

class EmailInvalid : public testing::TestWithParam<std::string> {};

TEST_P(EmailInvalid, RejectedWithAReason)
{
    EXPECT_NE(email_problem(GetParam()), "") << "'" << GetParam() << "' should be rejected";
}

INSTANTIATE_TEST_SUITE_P(Email, EmailInvalid,
                         testing::Values(
                             // no '@', or more than one
                             "", "resident.example.com", "a@b@example.com", "a@@example.com",
                             // empty local part or domain
                             "@example.com", "resident@",
                             // the domain is not dotted, or has an empty label
                             "resident@localhost", "resident@.example.com", "resident@example.com.",
                             "resident@example..com", "resident@-example.com", "resident@example-.com",
                             // spaces and control characters
                             "res ident@example.com", " resident@example.com", "resident@example.com ",
                             "res\tident@example.com", "resident@exam\nple.com", "res\x7fident@example.com",
                             "res\x01ident@example.com", std::string("res\0ident@example.com", 21)),
                         StringParamName());

TEST(Email, TwoAtSignsNamed)
{
    EXPECT_EQ(email_problem("a@b@example.com"), "it has more than one '@'");
}

TEST(Email, ProblemTexts)
{
    EXPECT_EQ(email_problem(""), "it is empty");
    EXPECT_EQ(email_problem("resident.example.com"), "it has no '@'");
    EXPECT_EQ(email_problem("@example.com"), "the part before '@' is empty");
    EXPECT_EQ(email_problem("resident@"), "the domain after '@' is empty");
    EXPECT_EQ(email_problem("resident@localhost"), "the domain has no dot");
    EXPECT_EQ(email_problem("res ident@example.com"), "it contains a space or a control character");
}

TEST(Email, At254BytesAcceptedAt255Rejected)
{
    std::string at_limit = email_of_size(254);
    ASSERT_EQ(at_limit.size(), 254u);
    EXPECT_EQ(email_problem(at_limit), "") << at_limit;

    std::string over = email_of_size(255);
    ASSERT_EQ(over.size(), 255u);
    EXPECT_EQ(email_problem(over), "it is longer than 254 bytes");
}

TEST(Email, LocalPartAtMost64Bytes)
{
    EXPECT_EQ(email_problem(std::string(64, 'l') + "@example.com"), "");
    EXPECT_EQ(email_problem(std::string(65, 'l') + "@example.com"), "the part before '@' is longer than 64 bytes");
}

}  // namespace
}  // namespace residency
