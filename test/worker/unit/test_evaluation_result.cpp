// evaluation_result(): the scorer's result, as record_evaluation takes it
// from the worker.
#include "evaluation_result.hpp"
#include "failure.hpp"

#include <gtest/gtest.h>

namespace residency::worker {
namespace {

using Json = nlohmann::json;

Json score()
{
    return Json::parse(R"({"duration_s": 12.3, "duration_estimated": false, "words": 30, "wpm": 146.3,
        "overall_score": 61, "categories": [], "what_changed": ["x"], "practice_rule": "y",
        "model_used": "residency rubric 2.0", "details": {"rubric_version": "2.0", "Pace": {"wpm": 146.3}}})");
}

SpeechReport speech(std::size_t words)
{
    SpeechReport s;
    s.recognizer = "pocketsphinx-5prealpha en-us";
    for (std::size_t i = 0; i < words; ++i)
        s.transcript.words.push_back({"w" + std::to_string(i), i * 0.4, i * 0.4 + 0.3, i == 1});
    s.transcript.text = join_words(s.transcript.words);
    s.metrics = measure_speech(s.transcript.words, 12.3, 0.5);
    return s;
}

TEST(EvaluationResult, TypedAnswerKeepsTheScore)
{
    Json r = evaluation_result(score(), nullptr, 0);
    EXPECT_EQ(r["processing_time_ms"], 1);  // at least 1 (rule E3)
    EXPECT_EQ(r["model_used"], "residency rubric 2.0");
    EXPECT_FALSE(r["details"].contains("speech"));
    EXPECT_EQ(r["overall_score"], 61);
    EXPECT_TRUE(r["overall_score"].is_number_integer());
}

TEST(EvaluationResult, RecordingAddsSpeech)
{
    SpeechReport s = speech(30);
    Json r = evaluation_result(score(), &s, 1234);
    EXPECT_EQ(r["processing_time_ms"], 1234);
    EXPECT_EQ(r["model_used"], "pocketsphinx-5prealpha en-us + residency rubric 2.0");
    EXPECT_EQ(r["details"]["rubric_version"], "2.0");  // the scorer's details stay
    EXPECT_EQ(r["details"]["Pace"]["wpm"], 146.3);
    const Json& sp = r["details"]["speech"];
    EXPECT_EQ(sp["recognizer"], "pocketsphinx-5prealpha en-us");
    EXPECT_EQ(sp["transcript"], s.transcript.text);
    EXPECT_EQ(sp["fillers"], 1);
    EXPECT_EQ(sp["pauses"], 0);
    EXPECT_EQ(sp["duration_s"], 12.3);
    EXPECT_EQ(sp["words"].size(), 30u);
    EXPECT_EQ(sp["words"][2], Json::parse(R"({"w": "w2", "start": 0.8, "end": 1.1})"));
    EXPECT_EQ(sp["words_listed"], "all");
    for (const char* key : {"speaking_s", "wpm_speaking", "longest_pause_s", "pause_total_s", "pause_threshold_s"})
        EXPECT_TRUE(sp[key].is_number()) << key;
    // the figures record_evaluation checks are the scorer's, untouched
    EXPECT_EQ(r["duration_s"], 12.3);
    EXPECT_EQ(r["wpm"], 146.3);
    EXPECT_EQ(r["words"], 30);
}

TEST(EvaluationResult, WordListIsCapped)
{
    SpeechReport s = speech(max_listed_words + 5);
    Json sp = speech_details(s);
    EXPECT_EQ(sp["words"].size(), max_listed_words);
    EXPECT_EQ(sp["words_listed"], "first " + std::to_string(max_listed_words));
}

TEST(EvaluationResult, NotAnObject)
{
    EXPECT_THROW(evaluation_result(Json::array(), nullptr, 5), JobFailure);
    EXPECT_THROW(evaluation_result(Json(), nullptr, 5), JobFailure);
}

}  // namespace
}  // namespace residency::worker
