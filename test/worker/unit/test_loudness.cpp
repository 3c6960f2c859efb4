// measure_loudness() and is_silence(): what "silence only" means.
#include "audio.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace residency::worker {
namespace {

Audio make(double seconds, const std::function<double(double)>& signal)
{
    Audio a;
    a.samples.resize(static_cast<std::size_t>(seconds * Audio::sample_rate));
    for (std::size_t i = 0; i < a.samples.size(); ++i)
        a.samples[i] = static_cast<std::int16_t>(std::lround(signal(static_cast<double>(i) / Audio::sample_rate)));
    return a;
}

TEST(Loudness, DigitalSilence)
{
    Loudness l = measure_loudness(make(5, [](double) { return 0; }), -45);
    EXPECT_LE(l.peak_dbfs, -120);
    EXPECT_EQ(l.voiced_s, 0);
    EXPECT_TRUE(is_silence(l));
}

TEST(Loudness, EmptyRecordingIsSilence)
{
    EXPECT_TRUE(is_silence(measure_loudness(Audio{}, -45)));
}

TEST(Loudness, RoomNoiseAndDcOffsetAreSilence)
{
    std::mt19937 random(7);
    std::normal_distribution<double> noise(0, 60);  // about -55 dBFS
    Loudness l = measure_loudness(make(5, [&](double) { return 3000 + noise(random); }), -45);
    EXPECT_LT(l.peak_dbfs, -50);
    EXPECT_TRUE(is_silence(l));
}

TEST(Loudness, HalfASecondOfToneIsNotSilence)
{
    auto tone = [](double t) { return (t > 2 && t < 2.5) ? 6000 * std::sin(2 * M_PI * 300 * t) : 0.0; };
    Loudness l = measure_loudness(make(5, tone), -45);
    EXPECT_NEAR(l.voiced_s, 0.5, 0.07);
    EXPECT_FALSE(is_silence(l));
    // a click is not speech
    auto click = [](double t) { return (t > 2 && t < 2.05) ? 20000.0 : 0.0; };
    EXPECT_TRUE(is_silence(measure_loudness(make(5, click), -45)));
}

TEST(Loudness, FullScaleSquareIsZeroDbfs)
{
    Loudness l = measure_loudness(make(1, [](double t) { return std::fmod(t * 100, 1) < 0.5 ? 32767 : -32767; }), -45);
    EXPECT_NEAR(l.rms_dbfs, 0, 0.1);
}

TEST(Wav, Header)
{
    Audio a;
    a.samples = {0, 1, -1, 32767};
    std::string w = to_wav(a);
    ASSERT_EQ(w.size(), 44u + 8);
    EXPECT_EQ(w.substr(0, 4), "RIFF");
    EXPECT_EQ(w.substr(8, 8), "WAVEfmt ");
    EXPECT_EQ(w.substr(36, 4), "data");
    EXPECT_EQ(static_cast<unsigned char>(w[24]) | static_cast<unsigned char>(w[25]) << 8, 16000 & 0xffff);
}

}  // namespace
}  // namespace residency::worker
