// measure_speech(): the timing metrics of details.speech (docs/worker.md).
#include "transcript.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace residency::worker {
namespace {

TimedWord w(const char* text, double start, double end, bool filler = false)
{
    return {text, start, end, filler};
}

TEST(SpeechMetrics, NoWords)
{
    SpeechMetrics m = measure_speech({}, 12.5, 0.5);
    EXPECT_EQ(m.duration_s, 12.5);
    EXPECT_EQ(m.words, 0u);
    EXPECT_EQ(m.speaking_s, 0);
    EXPECT_EQ(m.wpm_speaking, 0);
    EXPECT_EQ(m.pauses, 0u);
    EXPECT_EQ(m.longest_pause_s, 0);
}

TEST(SpeechMetrics, SpeakingTimeIsFirstStartToLastEndLessPauses)
{
    // 1.0-1.4, 1.5-2.0 (gap 0.1), 3.0-3.5 (gap 1.0: a pause), 3.6-4.0 (gap 0.1)
    std::vector<TimedWord> words = {w("i", 1.0, 1.4), w("paged", 1.5, 2.0), w("um", 3.0, 3.5, true),
                                    w("him", 3.6, 4.0)};
    SpeechMetrics m = measure_speech(words, 5.0, 0.5);
    EXPECT_EQ(m.words, 4u);
    EXPECT_EQ(m.fillers, 1u);
    EXPECT_EQ(m.pauses, 1u);
    EXPECT_NEAR(m.longest_pause_s, 1.0, 1e-9);
    EXPECT_NEAR(m.pause_total_s, 1.0, 1e-9);
    EXPECT_NEAR(m.speaking_s, 2.0, 1e-9);  // 4.0 - 1.0 - 1.0
    EXPECT_NEAR(m.wpm_speaking, 120.0, 1e-9);
}

TEST(SpeechMetrics, GapAtTheThresholdIsNotAPause)
{
    std::vector<TimedWord> words = {w("a", 0, 1), w("b", 1.5, 2), w("c", 2.75, 3)};
    SpeechMetrics m = measure_speech(words, 3, 0.5);
    EXPECT_EQ(m.pauses, 1u);  // 0.5 is not longer than 0.5; 0.75 is
    EXPECT_NEAR(m.longest_pause_s, 0.75, 1e-9);
}

TEST(SpeechMetrics, LeadingAndTrailingSilenceAreNotPauses)
{
    std::vector<TimedWord> words = {w("hello", 4, 5)};
    SpeechMetrics m = measure_speech(words, 20, 0.5);
    EXPECT_EQ(m.pauses, 0u);
    EXPECT_NEAR(m.speaking_s, 1, 1e-9);
    EXPECT_NEAR(m.wpm_speaking, 60, 1e-9);
}

TEST(SpeechMetrics, OverlapsAndBadTimesAreClamped)
{
    double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<TimedWord> words = {w("a", 0, 2), w("b", 1, 1.5),  // inside a: no negative gap
                                    w("c", 3, 2.5),                // end before start: a point
                                    w("d", nan, 50)};              // starts at 0, ends at the duration
    SpeechMetrics m = measure_speech(words, 4, 0.5);
    EXPECT_EQ(m.words, 4u);
    EXPECT_EQ(m.pauses, 1u);  // 2 -> 3
    EXPECT_NEAR(m.longest_pause_s, 1, 1e-9);
    EXPECT_TRUE(std::isfinite(m.speaking_s));
    EXPECT_GE(m.speaking_s, 0);
    EXPECT_LE(m.speaking_s, 4);
}

TEST(Hesitations, Families)
{
    for (const char* h : {"um", "Umm", "uhm", "uh", "uhh", "ah", "er", "erm", "hm", "hmm", "mm", "mhm", "[um]", "um,"})
        EXPECT_TRUE(is_hesitation(h)) << h;
    for (const char* word : {"I", "a", "umbrella", "her", "ahead", "m2", "", "uh-huh"})
        EXPECT_FALSE(is_hesitation(word)) << word;
}

}  // namespace
}  // namespace residency::worker
