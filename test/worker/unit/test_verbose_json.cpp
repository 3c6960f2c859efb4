// parse_verbose_json(): the answer of an OpenAI-compatible transcription
// endpoint, read without trusting it.
#include "failure.hpp"
#include "http_recognizer.hpp"

#include <gtest/gtest.h>

namespace residency::worker {
namespace {

std::string failure_detail(const std::string& body)
{
    try {
        parse_verbose_json(body);
    } catch (const JobFailure& f) {
        EXPECT_EQ(f.code(), FailureCode::recognizer);
        EXPECT_EQ(f.reason().rfind("recognizer: ", 0), 0u) << f.reason();
        return f.detail();
    }
    ADD_FAILURE() << "parsed: " << body;
    return {};
}

TEST(VerboseJson, OpenAiShape)
{
    Transcript t = parse_verbose_json(R"({
        "task": "transcribe", "language": "english", "duration": 3.5,
        "text": " Um, I paged the senior.",
        "words": [{"word": " Um", "start": 0.0, "end": 0.4}, {"word": "I", "start": 0.9, "end": 1.0},
                  {"word": "paged", "start": 1.0, "end": 1.4}, {"word": "the", "start": 1.4, "end": 1.5},
                  {"word": "senior", "start": 1.5, "end": 2.1}],
        "segments": [{"id": 0, "start": 0.0, "end": 2.1, "text": " Um, I paged the senior."}]})");
    EXPECT_EQ(t.text, "Um, I paged the senior.");
    ASSERT_EQ(t.words.size(), 5u);
    EXPECT_EQ(t.words[0].text, "Um");
    EXPECT_TRUE(t.words[0].filler);
    EXPECT_FALSE(t.words[1].filler);
    EXPECT_DOUBLE_EQ(t.words[4].start_s, 1.5);
    EXPECT_DOUBLE_EQ(t.words[4].end_s, 2.1);
}

TEST(VerboseJson, SegmentsWithoutWordsAreSpreadEvenly)
{
    Transcript t = parse_verbose_json(
        R"({"text": "one two three four", "segments": [{"start": 1, "end": 3, "text": " one two"},
                                                        {"start": 4, "end": 5, "text": "three four "}]})");
    ASSERT_EQ(t.words.size(), 4u);
    EXPECT_DOUBLE_EQ(t.words[0].start_s, 1);
    EXPECT_DOUBLE_EQ(t.words[1].start_s, 2);
    EXPECT_DOUBLE_EQ(t.words[1].end_s, 3);
    EXPECT_DOUBLE_EQ(t.words[3].start_s, 4.5);
}

TEST(VerboseJson, NothingSaid)
{
    Transcript t = parse_verbose_json(R"({"text": "", "words": []})");
    EXPECT_TRUE(t.words.empty());
    EXPECT_TRUE(parse_verbose_json(R"({"text": "  "})").words.empty());
}

TEST(VerboseJson, Refused)
{
    EXPECT_NE(failure_detail("").find("not JSON"), std::string::npos);
    EXPECT_NE(failure_detail("<html>502 Bad Gateway</html>").find("not JSON"), std::string::npos);
    EXPECT_NE(failure_detail("[1, 2]").find("array"), std::string::npos);
    EXPECT_NE(failure_detail(R"({"error": {"message": "model not found", "type": "invalid_request_error"}})")
                  .find("model not found"),
              std::string::npos);
    EXPECT_NE(failure_detail(R"({"words": []})").find("text is missing"), std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": 42})").find("text is not a string"), std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi", "words": {}})").find("words is not an array"), std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi", "words": [{"word": "hi", "start": "0", "end": 1}]})").find("words[0]"),
              std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi", "words": [{"word": "hi", "start": -1, "end": 1}]})").find("words[0]"),
              std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi", "words": [{"start": 0, "end": 1}]})").find("words[0].word"),
              std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi there"})").find("no timings"), std::string::npos);
    EXPECT_NE(failure_detail(R"({"text": "hi", "segments": [{"text": "hi"}]})").find("segments[0]"), std::string::npos);
    // deep nesting is refused before the recursive parser sees it
    std::string deep = R"({"text": "x", "extra": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    EXPECT_NE(failure_detail(deep).find("nested deeper"), std::string::npos);
    // brackets inside strings do not count
    EXPECT_NO_THROW(parse_verbose_json(
        R"({"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "words": []})"));
}

}  // namespace
}  // namespace residency::worker
