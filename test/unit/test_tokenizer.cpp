// The tokenizer (src/core/tokenizer.hpp): rule R3's word count and every
// scoring signal come from it, so these cases are the definition of a word.
#include "tokenizer.hpp"

#include "test_util.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace residency {
namespace {

// The normalised words of `text`.
std::vector<std::string> words(std::string_view text)
{
    std::vector<std::string> out;
    for (const Token& t : tokenize(text).tokens)
        out.push_back(t.norm);
    return out;
}

using Words = std::vector<std::string>;

// ---- one word each ----------------------------------------------------------

struct WordCase {
    std::string name;
    std::string text;
    std::size_t count;
};

// The case's name only: ctest shows it, and the text may hold control bytes.
void PrintTo(const WordCase& c, std::ostream* os)
{
    *os << c.name;
}

class WordCount : public testing::TestWithParam<WordCase> {};

TEST_P(WordCount, CountsAsSpecified)
{
    const WordCase& c = GetParam();
    EXPECT_EQ(count_words(c.text), c.count) << "'" << c.text << "'";
    // tokenize() and count_words() share one definition of a word
    EXPECT_EQ(tokenize(c.text).words(), c.count) << "'" << c.text << "'";
}

std::vector<WordCase> word_cases()
{
    return {
        // nothing to count
        {"empty", "", 0},
        {"spaces_only", "   ", 0},
        {"whitespace_only", " \t\n\r\f\v ", 0},
        {"nbsp_only", "\xC2\xA0\xE2\x80\xAF\xE3\x80\x80", 0},  // NBSP, narrow NBSP, ideographic space
        {"punctuation_only", "... !!! -- ?", 0},
        {"plain", "I paged the senior resident", 5},
        {"newlines_and_tabs", "I\npaged\tthe\r\nsenior", 4},
        // apostrophes: contractions and names are one word, straight or curly
        {"straight_apostrophe", "don't", 1},
        {"curly_apostrophe", "don\xE2\x80\x99t", 1},  // U+2019
        {"left_curly_apostrophe", "don\xE2\x80\x98t", 1},
        {"modifier_apostrophe", "don\xCA\xBCt", 1},  // U+02BC
        {"contractions", "I'm sure it's what we'd do", 6},
        {"name_with_apostrophe", "Mrs O\xE2\x80\x99Neil", 2},
        {"trailing_apostrophe", "the students' notes", 3},
        {"quoted_word", "\xE2\x80\x9CHello\xE2\x80\x9D", 1},  // curly double quotes
        // hyphens join letters and digits
        {"post_op", "post-op", 1},
        {"twenty_four_hour", "24-hour", 1},
        {"follow_up", "follow-up", 1},
        {"three_parts", "mother-in-law", 1},
        {"unicode_hyphen", "follow\xE2\x80\x90up", 1},  // U+2010
        {"dangling_hyphen", "pre- and post-op", 3},
        {"spaced_hyphen", "yes - no", 2},
        // numbers are words, with their separators and signs
        {"decimal", "3.5", 1},
        {"thousands", "1,000", 1},
        {"time", "7:30", 1},
        {"dollars", "$20", 1},
        {"percent", "45%", 1},
        {"fraction", "24/7", 1},
        {"numbers_in_a_sentence", "I saw 1,000 patients in 3.5 years, at 7:30 for $20 (45% of them)", 14},
        {"number_then_full_stop", "It took 3.5.", 3},
        {"full_width_digits", "\xEF\xBC\x91\xEF\xBC\x92", 1},  // "１２"
        {"lone_dollar", "$ sign", 1},
        // dashes between words split them
        {"em_dash", "yes\xE2\x80\x94no", 2},
        {"en_dash", "yes\xE2\x80\x93no", 2},
        {"spaced_em_dash", "I stopped \xE2\x80\x94 then I called", 5},
        {"en_dash_range",
         "9\xE2\x80\x93"
         "5",
         2},
        // speech-to-text annotations are not words; real parentheses are
        {"inaudible", "I was [inaudible] there", 3},
        {"laughs", "(laughs) Okay, so", 2},
        {"laughs_capitalised", "(Laughs) okay", 1},
        {"annotation_with_spaces", "( laughs ) okay", 1},
        {"two_word_annotation", "[background noise] we started (clears throat) again", 3},
        {"square_brackets_always_dropped", "I [paged] the senior", 3},
        {"real_parentheses_kept", "I worked nights (a 24-hour shift) for a year", 9},
        {"known_annotation_dropped_unknown_kept", "(sighs) then (smiles)", 2},
        {"long_square_brackets_kept", "[this aside is much longer than forty characters in total]", 10},
        {"unclosed_bracket", "[inaudible and then", 3},
        // letters of any script
        {"accented", "Jos\xC3\xA9", 1},
        {"accented_decomposed", "Jose\xCC\x81", 1},  // e + combining acute
        {"greek", "\xCE\xB1\xCE\xB2\xCE\xB3 \xCE\xB4", 2},
        {"cyrillic", "\xD0\xB4\xD0\xB0 \xD0\xBD\xD0\xB5\xD1\x82", 2},
        // CJK: one word per ideograph or kana
        {"japanese", "\xE7\xA7\x81\xE3\x81\xAF\xE5\xAD\xA6\xE7\x94\x9F\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82",
         6},                                                                 // 私は学生です。
        {"katakana", "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88", 3},             // テスト
        {"chinese", "\xE6\x88\x91\xE6\x98\xAF\xE5\x8C\xBB\xE7\x94\x9F", 4},  // 我是医生
        {"mixed_scripts", "I like \xE5\xAF\xBF\xE5\x8F\xB8", 4},             // I like 寿司
        // emoji and symbols are not words, and separate words
        {"emoji_alone", "\xF0\x9F\x98\x80", 0},
        {"emoji_between_words", "great\xF0\x9F\x91\x8Djob", 2},
        {"emoji_after_words", "great job \xF0\x9F\x91\x8D\xF0\x9F\x8E\x89", 2},
        {"heart_with_variation_selector", "\xE2\x9D\xA4\xEF\xB8\x8F", 0},
        {"skin_tone", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok", 1},
        {"symbols", "\xC2\xA9 \xE2\x84\xA2 \xC3\x97 \xE2\x86\x92", 0},
    };
}

INSTANTIATE_TEST_SUITE_P(Tokenizer, WordCount, testing::ValuesIn(word_cases()),
                         [](const testing::TestParamInfo<WordCase>& info) { return info.param.name; });

// ---- normal forms ---------------------------------------------------------

TEST(Tokenize, NormalFormIsLowerCaseWithStraightApostrophes)
{
    EXPECT_EQ(words("Don\xE2\x80\x99t PANIC"), (Words{"don't", "panic"}));
    EXPECT_EQ(words("Jos\xC3\xA9 went"), (Words{"jos\xC3\xA9", "went"}));
    EXPECT_EQ(words("Post-Op follow\xE2\x80\x90up"), (Words{"post-op", "follow-up"}));
    EXPECT_EQ(words("$20 45% 3.5 1,000 7:30 24/7"), (Words{"$20", "45%", "3.5", "1,000", "7:30", "24/7"}));
    EXPECT_EQ(words("\xEF\xBC\x91\xEF\xBC\x92"), (Words{"12"}));
    EXPECT_EQ(words("yes\xE2\x80\x94no"), (Words{"yes", "no"}));
    EXPECT_EQ(words("I was [inaudible] there"), (Words{"i", "was", "there"}));
}

TEST(Tokenize, ByteOffsetsPointIntoTheInput)
{
    std::string text = "Jos\xC3\xA9  don\xE2\x80\x99t";
    Transcript t = tokenize(text);
    ASSERT_EQ(t.words(), 2u);
    EXPECT_EQ(text.substr(t.tokens[0].begin, t.tokens[0].end - t.tokens[0].begin), "Jos\xC3\xA9");
    EXPECT_EQ(text.substr(t.tokens[1].begin, t.tokens[1].end - t.tokens[1].begin), "don\xE2\x80\x99t");
    EXPECT_EQ(t.tokens[1].begin, 7u);
    EXPECT_EQ(t.tokens[1].end, text.size());
}

TEST(Tokenize, NumbersHaveNoLetters)
{
    Transcript t = tokenize("45% of 3 post-op");
    ASSERT_EQ(t.words(), 4u);
    EXPECT_FALSE(t.tokens[0].has_letter);
    EXPECT_TRUE(t.tokens[1].has_letter);
    EXPECT_FALSE(t.tokens[2].has_letter);
    EXPECT_TRUE(t.tokens[3].has_letter);
}

// ---- sentence and punctuation flags -----------------------------------------

TEST(Tokenize, SentenceStartsAndPunctuation)
{
    Transcript t = tokenize("Hello, world. Then I left! Why? ok");
    ASSERT_EQ(t.words(), 7u);
    const auto& k = t.tokens;
    // text                   sentence_start  punct_before  punct_after
    EXPECT_EQ(k[0].norm, "hello");
    EXPECT_TRUE(k[0].sentence_start);
    EXPECT_EQ(k[0].punct_before, 0);
    EXPECT_EQ(k[0].punct_after, ',');

    EXPECT_EQ(k[1].norm, "world");
    EXPECT_FALSE(k[1].sentence_start);
    EXPECT_EQ(k[1].punct_before, ',');
    EXPECT_EQ(k[1].punct_after, '.');

    EXPECT_EQ(k[2].norm, "then");
    EXPECT_TRUE(k[2].sentence_start);
    EXPECT_EQ(k[2].punct_before, '.');
    EXPECT_EQ(k[2].punct_after, 0);

    EXPECT_EQ(k[3].norm, "i");
    EXPECT_FALSE(k[3].sentence_start);
    EXPECT_EQ(k[3].punct_before, 0);

    EXPECT_EQ(k[4].norm, "left");
    EXPECT_EQ(k[4].punct_after, '!');
    EXPECT_TRUE(k[5].sentence_start);  // "Why"
    EXPECT_EQ(k[5].punct_before, '!');
    EXPECT_EQ(k[5].punct_after, '?');
    EXPECT_TRUE(k[6].sentence_start);  // "ok", after "?"
    EXPECT_EQ(t.sentences, 4u);
}

TEST(Tokenize, DotsInsideWordsDoNotEndSentences)
{
    Transcript t = tokenize("It took 3.5 hours. Next");
    ASSERT_EQ(t.words(), 5u);
    EXPECT_FALSE(t.tokens[3].sentence_start);  // "hours"
    EXPECT_TRUE(t.tokens[4].sentence_start);   // "Next"
    EXPECT_EQ(t.sentences, 2u);
}

TEST(Tokenize, NormalisedPunctuation)
{
    // an em dash reads as a pause (','), curly quotes as '"', an ellipsis as '.'
    Transcript t = tokenize("yes\xE2\x80\x94no \xE2\x80\x9Cquote\xE2\x80\x9D then\xE2\x80\xA6 so");
    ASSERT_EQ(t.words(), 5u);
    EXPECT_EQ(t.tokens[0].punct_after, ',');
    EXPECT_EQ(t.tokens[1].punct_before, ',');
    EXPECT_EQ(t.tokens[2].punct_before, '"');
    EXPECT_EQ(t.tokens[2].punct_after, '"');
    EXPECT_EQ(t.tokens[3].punct_after, '.');
    EXPECT_TRUE(t.tokens[4].sentence_start);
}

TEST(Tokenize, CapitalisationIsRecorded)
{
    Transcript t = tokenize("Then I asked Dr Smith");
    ASSERT_EQ(t.words(), 5u);
    EXPECT_TRUE(t.tokens[0].capitalized);
    EXPECT_TRUE(t.tokens[1].capitalized);
    EXPECT_FALSE(t.tokens[2].capitalized);
    EXPECT_TRUE(t.tokens[3].capitalized);
    EXPECT_EQ(t.uppercase_letters, 4u);   // T, I, D, S
    EXPECT_EQ(t.lowercase_letters, 13u);  // hen, asked, r, mith
}

// ---- robustness -------------------------------------------------------------

TEST(Tokenize, InvalidUtf8BytesSeparateWords)
{
    EXPECT_EQ(count_words("abc\xFF"
                          "def"),
              2u);
    EXPECT_EQ(count_words("a\x80"
                          "b"),
              2u);                          // stray continuation byte
    EXPECT_EQ(count_words("caf\xC3"), 1u);  // truncated at the end
    EXPECT_EQ(count_words("x\xE2\x82"
                          "y"),
              2u);  // truncated in the middle
    EXPECT_EQ(count_words("\xC0\xAF"
                          "bad"),
              1u);  // overlong '/'
    EXPECT_EQ(count_words("a\xED\xA0\x80"
                          "b"),
              2u);                                           // UTF-16 surrogate
    EXPECT_EQ(count_words("\xF5\xF6\xF7\xF8\xFE\xFF"), 0u);  // never valid
    EXPECT_EQ(words("abc\xFF"
                    "def"),
              (Words{"abc", "def"}));
}

TEST(Tokenize, ControlCharactersAndNulSeparateWords)
{
    EXPECT_EQ(count_words(std::string("a\0b", 3)), 2u);
    EXPECT_EQ(count_words("a\x01"
                          "b\x7f"
                          "c"),
              3u);
}

TEST(Tokenize, ArbitraryBytesDoNotCrash)
{
    // every byte value, in a few arrangements; the count must agree both ways
    std::string all;
    for (int b = 0; b < 256; ++b)
        all += static_cast<char>(b);
    for (const std::string& text :
         {all, all + all, std::string(all.rbegin(), all.rend()), "[" + all + "]", "(" + all, all.substr(128) + "$"}) {
        Transcript t = tokenize(text);
        EXPECT_EQ(t.words(), count_words(text));
        for (const Token& tok : t.tokens) {
            EXPECT_LT(tok.begin, tok.end);
            EXPECT_LE(tok.end, text.size());
        }
    }
}

TEST(Tokenize, LongTextIsFast)
{
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += "I paged the senior, and we stabilised the patient in 3.5 hours. ";
    EXPECT_EQ(count_words(text), 20000u * 12u);
}

// ---- count_chars --------------------------------------------------------------

TEST(CountChars, CountsCodePointsNotBytes)
{
    EXPECT_EQ(count_chars(""), 0u);
    EXPECT_EQ(count_chars("abc"), 3u);
    EXPECT_EQ(count_chars("Jos\xC3\xA9"), 4u);                           // é: 2 bytes
    EXPECT_EQ(count_chars("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), 3u);  // 日本語: 3 bytes each
    EXPECT_EQ(count_chars("\xF0\x9F\x98\x80"), 1u);                      // emoji: 4 bytes
    EXPECT_EQ(count_chars("e\xCC\x81"), 2u);                             // e + combining acute: 2 code points
    EXPECT_EQ(count_chars("don\xE2\x80\x99t"), 5u);
}

}  // namespace
}  // namespace residency

// ---- the bundled pack's prompts; invalid lead bytes ---------------------------

#include "json_input.hpp"

#include <fstream>
#include <sstream>

namespace residency {
namespace {

TEST(TokenizeBundledPack, CountWordsAgreesWithTokenizeOnEveryText)
{
    std::ifstream in(RESIDENCY_SOURCE_DIR "/packs/default.json", std::ios::binary);
    ASSERT_TRUE(in) << "cannot open " RESIDENCY_SOURCE_DIR "/packs/default.json";
    std::ostringstream text;
    text << in.rdbuf();
    Json pack = Json::parse(text.str());
    std::size_t prompts = 0;
    for (const Json& q : pack.at("questions")) {
        const std::string prompt = q.at("prompt").get<std::string>();
        EXPECT_EQ(count_words(prompt), tokenize(prompt).words()) << prompt;
        EXPECT_GE(count_words(prompt), 4u) << prompt;  // the shortest: "Tell me about yourself."
        ++prompts;
        for (const Json& c : q.at("evaluation_criteria")) {
            const std::string criterion = c.get<std::string>();
            EXPECT_EQ(count_words(criterion), tokenize(criterion).words()) << criterion;
        }
    }
    EXPECT_EQ(prompts, 35u);
}

// Regression: lead bytes 0xF5..0xFF never start a UTF-8 sequence; they were
// read as the lead of a 3-byte one ("\xF5\x80\x80" counted as a CJK word).
// Invalid bytes separate words and are never one.
TEST(TokenizeInvalidUtf8, LeadBytesF5ToFFNeverStartACharacter)
{
    EXPECT_EQ(count_words("\xF5\x80\x80"), 0u);
    EXPECT_EQ(count_words("\xF8\x88\x80"), 0u);
    EXPECT_EQ(count_words("\xFB\xBF\xBF\xBF\xBF"), 0u);
    EXPECT_EQ(count_words("a\xF5\x80\x80"
                          "b"),
              2u);
    std::vector<std::string> norms;
    for (const Token& t : tokenize("a\xF8\x88\x80"
                                   "b")
                              .tokens)
        norms.push_back(t.norm);
    EXPECT_EQ(norms, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace residency
