// Rule R2's audio URL (src/core/url.hpp): an absolute http(s) URL with a
// host, at most 2048 bytes, no whitespace or control characters.
#include "url.hpp"

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

using test::StringParamName;

class UrlValid : public testing::TestWithParam<std::string> {};

TEST_P(UrlValid, Accepted)
{
    EXPECT_EQ(audio_url_problem(GetParam()), "") << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Url, UrlValid,
    testing::Values("https://example.com", "http://example.com/", "https://cdn.example.com/a.m4a",
                    "HTTPS://EXAMPLE.COM/A.MP3",  // the scheme is case-insensitive
                    "https://example.com:8443/audio/1.m4a", "https://example.com/audio.mp3?sig=abc&expires=1700000000",
                    "https://example.com#t=10", "https://example.com?x=1", "https://[2001:db8::1]/a.mp3",
                    "https://[::1]:8443/a.mp3", "https://user:secret@storage.example.com/a.mp3",
                    "https://user@storage.example.com:443/a.mp3", "http://localhost/a", "http://127.0.0.1:1/a",
                    "http://example.com:65535/a", "https://example.com/caf%C3%A9.mp3",
                    // an '@' or ':' after the authority is not user info or a port
                    "https://example.com/a@b:c.mp3", "https://example.com?next=http://x@y:0"),
    StringParamName());

class UrlInvalid : public testing::TestWithParam<std::string> {};

TEST_P(UrlInvalid, RejectedWithAReason)
{
    EXPECT_NE(audio_url_problem(GetParam()), "") << "'" << GetParam() << "' should be rejected";
}

INSTANTIATE_TEST_SUITE_P(Url, UrlInvalid,
                         testing::Values(
                             // not http(s), or not absolute
                             "", "ftp://example.com/a.mp3", "file:///tmp/a.mp3", "mailto:a@example.com",
                             "//example.com/a.mp3", "/audio/a.mp3", "audio/a.mp3", "example.com/a.mp3",
                             "https:example.com/a.mp3", "https:/example.com/a.mp3", "httpx://example.com",
                             // no host
                             "https://", "http:///a.mp3", "https://:443/a.mp3", "https://user@/a.mp3", "https://?x=1",
                             "https://.example.com/", "https://example..com/",
                             // malformed IPv6 literal
                             "https://[::1/a", "https://[]/a", "https://[::1]x/a",
                             // whitespace and control characters
                             "https://exa mple.com/a.mp3", "https://example.com/a b.mp3", " https://example.com",
                             "https://example.com/a.mp3 ", "https://example.com/\ta", "https://example.com/\na",
                             "https://example.com/\x01", "https://example.com/\x7f",
                             // bad ports
                             "https://example.com:0/a", "https://example.com:65536/a", "https://example.com:abc/a",
                             "https://example.com:/a", "https://example.com:-1/a", "https://example.com:123456/a",
                             "https://[::1]:0/a"),
                         StringParamName());

TEST(Url, ProblemTexts)
{
    EXPECT_EQ(audio_url_problem("ftp://example.com/a.mp3"), "it is not an absolute http:// or https:// URL");
    EXPECT_EQ(audio_url_problem("/audio/a.mp3"), "it is not an absolute http:// or https:// URL");
    EXPECT_EQ(audio_url_problem("https:///a.mp3"), "it has no host");
    EXPECT_EQ(audio_url_problem("https://example.com/a b"), "it contains whitespace or a control character");
    EXPECT_EQ(audio_url_problem("https://example.com:0/a"), "its port is not a number from 1 to 65535");
    EXPECT_EQ(audio_url_problem("https://example.com:65536/a"), "its port is not a number from 1 to 65535");
    EXPECT_EQ(audio_url_problem("https://example.com:abc/a"), "its port is not a number from 1 to 65535");
}

TEST(Url, At2048BytesAcceptedAt2049Rejected)
{
    std::string prefix = "https://example.com/";
    std::string at_limit = prefix + std::string(2048 - prefix.size(), 'a');
    ASSERT_EQ(at_limit.size(), 2048u);
    EXPECT_EQ(audio_url_problem(at_limit), "");

    std::string over = at_limit + "a";
    EXPECT_EQ(audio_url_problem(over), "it is longer than 2048 bytes");
}

TEST(Url, UserInfoIsNotTheHost)
{
    // the host and port are what follows the user info's '@'
    EXPECT_EQ(audio_url_problem("https://user:pass@/a"), "it has no host");
    EXPECT_EQ(audio_url_problem("https://user:pass@example.com:99999/a"), "its port is not a number from 1 to 65535");
}

// residency.allow_file_audio_urls: file:/// URLs of absolute local paths.
TEST(AudioUrl, FileUrlsOnlyWhereAllowed)
{
    EXPECT_EQ(audio_url_problem("file:///var/lib/residency/a.m4a"), "it is not an absolute http:// or https:// URL");
    EXPECT_EQ(audio_url_problem("file:///var/lib/residency/a.m4a", true), "");
    EXPECT_EQ(audio_url_problem("FILE://localhost/tmp/a.wav", true), "");
    EXPECT_EQ(audio_url_problem("https://example.com/a.mp3", true), "");
    EXPECT_EQ(audio_url_problem("ftp://example.com/a.mp3", true),
              "it is not an absolute http://, https:// or file:/// URL");
    EXPECT_EQ(audio_url_problem("file://", true), "a file URL must name an absolute local path: file:///path");
    EXPECT_EQ(audio_url_problem("file://host/a.wav", true),
              "a file URL must name an absolute local path: file:///path");
    EXPECT_EQ(audio_url_problem("file:///tmp/../etc/passwd", true), "its path has a \".\" or \"..\" segment");
    EXPECT_EQ(audio_url_problem("file:///tmp/./a.wav", true), "its path has a \".\" or \"..\" segment");
    EXPECT_EQ(audio_url_problem("file:///tmp/", true), "its path names a directory");
    EXPECT_EQ(audio_url_problem("file:///tmp/a b.wav", true), "it contains whitespace or a control character");
}

}  // namespace
}  // namespace residency
