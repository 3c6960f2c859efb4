// PocketSphinx's tokens read as words, hesitations, silences and noises;
// where a long recording is cut into utterances.
#include "pocketsphinx_recognizer.hpp"
#include "sphinx_tokens.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace residency::worker {
namespace {

TEST(SphinxTokens, Words)
{
    Token t = classify_sphinx_token("patient");
    EXPECT_EQ(t.kind, TokenKind::word);
    EXPECT_EQ(t.text, "patient");
    t = classify_sphinx_token("read(2)");
    EXPECT_EQ(t.kind, TokenKind::word);
    EXPECT_EQ(t.text, "read");
    t = classify_sphinx_token("the(10)");
    EXPECT_EQ(t.text, "the");
    // not a pronunciation suffix: kept as it is
    EXPECT_EQ(classify_sphinx_token("x(a)").text, "x(a)");
    EXPECT_EQ(classify_sphinx_token("(2)").text, "(2)");
}

TEST(SphinxTokens, SilencesAndNoises)
{
    for (const char* s : {"<s>", "</s>", "<sil>", "<sil>(2)", "<unk>", ""})
        EXPECT_EQ(classify_sphinx_token(s).kind, TokenKind::silence) << s;
    for (const char* n : {"[NOISE]", "[SPEECH]", "++NOISE++", "++BREATH++", "[laugh]"})
        EXPECT_EQ(classify_sphinx_token(n).kind, TokenKind::noise) << n;
}

TEST(SphinxTokens, HesitationsAreKeptAsFillers)
{
    for (const char* raw : {"um", "uh", "uh(2)", "[um]", "[UH]", "hmm", "er"}) {
        Token t = classify_sphinx_token(raw);
        EXPECT_EQ(t.kind, TokenKind::filler) << raw;
        EXPECT_FALSE(t.text.empty());
        EXPECT_EQ(t.text.find_first_of("[]()"), std::string::npos) << t.text;
    }
    EXPECT_EQ(classify_sphinx_token("[UM]").text, "um");
}

Audio tone_with_gaps(double seconds, double gap_every_s)
{
    Audio a;
    a.samples.resize(static_cast<std::size_t>(seconds * Audio::sample_rate));
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        double t = static_cast<double>(i) / Audio::sample_rate;
        bool gap = std::fmod(t, gap_every_s) > gap_every_s - 0.3;
        a.samples[i] = gap ? 0 : static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 220 * t));
    }
    return a;
}

TEST(UtteranceCuts, ShortRecordingIsOneUtterance)
{
    EXPECT_TRUE(utterance_cuts(tone_with_gaps(29.9, 7)).empty());
}

TEST(UtteranceCuts, CutsFallInQuietGapsAndBoundTheLength)
{
    Audio a = tone_with_gaps(95, 7);  // 0.3 s of silence ending every 7 s
    std::vector<std::size_t> cuts = utterance_cuts(a);
    ASSERT_GE(cuts.size(), 3u);
    std::size_t previous = 0;
    for (std::size_t c : cuts) {
        EXPECT_GT(c, previous);
        EXPECT_LE(c - previous, static_cast<std::size_t>(30 * Audio::sample_rate));
        EXPECT_GE(c - previous, static_cast<std::size_t>(20 * Audio::sample_rate));
        EXPECT_EQ(a.samples[c], 0) << "cut at " << c << " is not in a gap";
        previous = c;
    }
    EXPECT_LE(a.samples.size() - previous, static_cast<std::size_t>(30 * Audio::sample_rate));
}

}  // namespace
}  // namespace residency::worker
