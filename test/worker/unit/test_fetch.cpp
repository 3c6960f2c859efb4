// fetch_audio() on file:// URLs (no network in unit tests) and
// url_for_log(): what of a URL the log may show.
#include "failure.hpp"
#include "fetch.hpp"
#include "worker_test_util.hpp"

#include <gtest/gtest.h>

namespace residency::worker {
namespace {

using test::TempDir;

FailureCode failure_of(const std::string& url, const FetchLimits& limits = {})
{
    try {
        fetch_audio(url, limits);
    } catch (const JobFailure& f) {
        return f.code();
    }
    ADD_FAILURE() << "fetched " << url;
    return FailureCode::internal;
}

TEST(Fetch, FileUrl)
{
    TempDir dir;
    test::write_file(dir.file("a.wav"), "RIFF....WAVE");
    EXPECT_EQ(fetch_audio("file://" + dir.file("a.wav"), {}), "RIFF....WAVE");
    EXPECT_EQ(failure_of("file://" + dir.file("missing.wav")), FailureCode::unreachable);
}

TEST(Fetch, TooLarge)
{
    TempDir dir;
    test::write_file(dir.file("big.wav"), std::string(5000, 'x'));
    FetchLimits limits;
    limits.max_bytes = 4999;
    EXPECT_EQ(failure_of("file://" + dir.file("big.wav"), limits), FailureCode::too_large);
    limits.max_bytes = 5000;
    EXPECT_EQ(fetch_audio("file://" + dir.file("big.wav"), limits).size(), 5000u);
}

TEST(Fetch, RefusedAddresses)
{
    TempDir dir;
    test::write_file(dir.file("a.wav"), "x");
    FetchLimits no_files;
    no_files.allow_file_urls = false;
    EXPECT_EQ(failure_of("file://" + dir.file("a.wav"), no_files), FailureCode::unreachable);
    EXPECT_EQ(failure_of("ftp://example.org/a.wav"), FailureCode::unreachable);
    EXPECT_EQ(failure_of("gopher://example.org/a.wav"), FailureCode::unreachable);
    EXPECT_EQ(failure_of("/tmp/a.wav"), FailureCode::unreachable);
    EXPECT_EQ(failure_of(""), FailureCode::unreachable);
    // nothing listens on port 9 of localhost (discard): connection refused
    FetchLimits quick;
    quick.timeout_s = 5;
    EXPECT_EQ(failure_of("http://127.0.0.1:9/a.wav", quick), FailureCode::unreachable);
}

TEST(UrlForLog, SchemeAndHostOnly)
{
    EXPECT_EQ(url_for_log("https://media.example.org/drills/6ac4.m4a?X-Amz-Signature=secret"),
              "https://media.example.org");
    EXPECT_EQ(url_for_log("HTTPS://user:password@media.example.org:8443/a?b#c"), "https://media.example.org:8443");
    EXPECT_EQ(url_for_log("http://[::1]:8080/x"), "http://[::1]:8080");
    EXPECT_EQ(url_for_log("http://host?token=1"), "http://host");
    EXPECT_EQ(url_for_log("file:///home/candidate/answer.wav"), "file://");
    EXPECT_EQ(url_for_log("not a url"), "(not a URL)");
    EXPECT_EQ(url_for_log(""), "(not a URL)");
}

}  // namespace
}  // namespace residency::worker
