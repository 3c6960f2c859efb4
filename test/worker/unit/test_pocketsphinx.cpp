// The PocketSphinx recognizer on speech made at test time (espeak-ng) and on
// PocketSphinx's own test recording. The model loads once for the suite.
#include "audio.hpp"
#include "failure.hpp"
#include "pocketsphinx_recognizer.hpp"
#include "worker_test_util.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <sys/stat.h>

namespace residency::worker {
namespace {

using test::TempDir;

bool model_installed()
{
    struct stat st;
    return stat(SphinxModel{}.hmm.c_str(), &st) == 0;
}

class PocketSphinx : public testing::Test {
protected:
    static void SetUpTestSuite()
    {
        if (model_installed())
            recognizer = new PocketSphinxRecognizer(SphinxModel{});
    }
    static void TearDownTestSuite()
    {
        delete recognizer;
        recognizer = nullptr;
    }
    void SetUp() override
    {
        if (!recognizer)
            GTEST_SKIP() << "the PocketSphinx en-us model is not installed";
    }
    static PocketSphinxRecognizer* recognizer;
};

PocketSphinxRecognizer* PocketSphinx::recognizer = nullptr;

TEST_F(PocketSphinx, Name)
{
    EXPECT_EQ(recognizer->name(), "pocketsphinx-5prealpha en-us");
}

TEST_F(PocketSphinx, GoForward)
{
    // 16 kHz raw s16le, "go forward ten meters"
    std::string raw = test::read_file("/usr/share/pocketsphinx/test/data/goforward.raw");
    if (raw.empty())
        GTEST_SKIP() << "pocketsphinx-testdata is not installed";
    Audio a;
    a.samples.resize(raw.size() / 2);
    std::memcpy(a.samples.data(), raw.data(), a.samples.size() * 2);
    Transcript t = recognizer->transcribe(a, {});
    EXPECT_LE(test::word_error_rate("go forward ten meters", t.text), 0.25) << t.text;
    for (const TimedWord& w : t.words) {
        EXPECT_GE(w.start_s, 0);
        EXPECT_LE(w.end_s, a.duration_s() + 0.01);
        EXPECT_LT(w.start_s, w.end_s);
        EXPECT_EQ(w.text.find_first_of("<>[]()+"), std::string::npos) << w.text;
    }
}

TEST_F(PocketSphinx, HumanSpeech)
{
    // two LibriVox sentences of PocketSphinx's test data (16 kHz WAV)
    const std::string dir = "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-";
    struct Case {
        const char* file;
        const char* said;
    };
    for (Case c : {Case{"0870.wav", "and mister john dashwood had then leisure to consider how much there might be "
                                    "prudently in his power to do for them"},
                   Case{"0920.wav", "had he married a more amiable woman he might have been made still more "
                                    "respectable than he was"}}) {
        std::string wav = test::read_file(dir + c.file);
        if (wav.empty())
            GTEST_SKIP() << "pocketsphinx-testdata is not installed";
        Transcript t = recognizer->transcribe(decode_audio(wav, 600), {});
        EXPECT_LE(test::word_error_rate(c.said, t.text), 0.4) << t.text;  // 0.36 and 0.14 measured
    }
}

TEST_F(PocketSphinx, EspeakSentence)
{
    // Synthetic speech is far from the speech the model was trained on:
    // PocketSphinx gets half the words wrong with espeak-ng's best voice for
    // it (0.47 measured here), but the words it hears are where the speech is.
    TempDir dir;
    const std::string said = "I asked both of them what they had seen and we agreed on a plan within an hour.";
    std::string wav = test::espeak_wav(dir, "s.wav", said, 130);
    if (wav.empty())
        GTEST_SKIP() << "espeak-ng is not installed";
    Audio a = decode_audio(wav, 600);
    Transcript t = recognizer->transcribe(a, {});
    EXPECT_LE(test::word_error_rate(said, t.text), 0.65) << t.text;
    ASSERT_GE(t.words.size(), 8u) << t.text;
    EXPECT_LE(t.words.size(), 24u) << t.text;
    EXPECT_LT(t.words.front().start_s, 0.5);
    EXPECT_GT(t.words.back().end_s, a.duration_s() - 1.0);
    for (std::size_t i = 1; i < t.words.size(); ++i)
        EXPECT_GE(t.words[i].start_s, t.words[i - 1].end_s - 1e-9);
}

TEST_F(PocketSphinx, SilenceGivesNoWords)
{
    Audio a;
    a.samples.assign(3 * Audio::sample_rate, 0);
    Transcript t = recognizer->transcribe(a, {});
    EXPECT_TRUE(t.words.empty()) << t.text;
}

TEST_F(PocketSphinx, CancelledBeforeDecoding)
{
    Audio a;
    a.samples.assign(Audio::sample_rate, 0);
    try {
        recognizer->transcribe(a, [] { return true; });
        ADD_FAILURE() << "transcribed";
    } catch (const JobFailure& f) {
        EXPECT_EQ(f.reason(), "internal: the worker stopped");
    }
}

}  // namespace
}  // namespace residency::worker
