// Edge cases of the scorer's input: blank and wordless answers, the size
// limit, durations, non-English text, emoji and broken UTF-8, answers made
// of fillers only; then the context rules that decide when a word is a
// filler or a hedge (research/rubric-proposal.md 4.3).
#include "golden_support.hpp"
#include "tokenizer.hpp"

#include <cmath>
#include <limits>

namespace residency::golden {
namespace {

const char* const nurse = "conf-nurse-conflict";  // behavioral, ~105 s

// A realistic paragraph, for answers that only need to be words.
const std::string paragraph =
    "During my third-year surgery rotation, a nurse told me my pages were not clear. I asked her what "
    "she needed, I rewrote my pages, and as a result the night team called me less. I learned to say "
    "what is urgent first. ";

// The result must be a valid JSON object with the documented keys.
void expect_valid_json(const ScoreResult& r)
{
    Json j;
    ASSERT_NO_THROW(j = Json::parse(r.to_json_text()));
    EXPECT_TRUE(j.is_object());
    EXPECT_EQ(j.size(), 10u);
}

bool has_cap(const ScoreResult& r, const std::string& cap)
{
    const Json j = r.to_json();
    for (const Json& c : j["details"]["overall"]["caps"])
        if (c == cap)
            return true;
    return false;
}

// ---------------------------------------------------------------------------
// Nothing to score: 22023.

TEST(Blank, EmptyAndWhitespaceOnlyAre22023)
{
    for (const char* blank : {"", " ", "   \t\n  \r\n"}) {
        for (std::optional<double> d : {typed, std::optional<double>(30.0)}) {
            auto e = thrown([&] { score(nurse, blank, d); });
            ASSERT_TRUE(e) << "'" << blank << "'";
            EXPECT_EQ(e->sqlstate(), "22023");
            EXPECT_EQ(e->message(), "answer is blank");
        }
    }
}

TEST(Blank, EmojiOnlyTypedAnswerHasNoWords)
{
    auto e = thrown([] {
        score(nurse,
              "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x99\x8F \xE2\x9D\xA4\xEF\xB8\x8F "
              "\xF0\x9F\x8E\x89",  // 👍🏽 🙏 ❤️ 🎉
              typed);
    });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22023");
    EXPECT_EQ(e->message(), "answer has no words");
    auto p = thrown([] { score(nurse, "... !!! ?", typed); });
    ASSERT_TRUE(p);
    EXPECT_EQ(p->message(), "answer has no words");
}

// Keycap emoji are a symbol, a variation selector and U+20E3 COMBINING
// ENCLOSING KEYCAP: no word in "#️⃣ *️⃣", one (the digit) in "1️⃣".
// Was a scorer bug, now fixed: the tokenizer classes combining marks as letters, so a
// U+20E3 that follows a symbol or a digit starts a word of its own: "#️⃣ *️⃣"
// is scored as 2 words instead of 22023, "Step 1️⃣ was ..." has 8 words.
TEST(Blank, KeycapEmojiAreNotWords)
{
    auto e = thrown([] { score(nurse, "#\xEF\xB8\x8F\xE2\x83\xA3 *\xEF\xB8\x8F\xE2\x83\xA3", typed); });
    ASSERT_TRUE(e) << "keycap emoji were counted as words";
    EXPECT_EQ(e->message(), "answer has no words");
    EXPECT_EQ(score(nurse, "Step 1\xEF\xB8\x8F\xE2\x83\xA3 was to page my senior.", typed).words, 7);
}

// ---------------------------------------------------------------------------
// Too little and too much.

TEST(Size, OneTypedWordIsScoredButCannotPass)
{
    ScoreResult r = score(nurse, "Communication.", typed);
    EXPECT_EQ(r.words, 1);
    EXPECT_TRUE(r.duration_estimated);
    EXPECT_DOUBLE_EQ(r.duration_s, 0.4);  // 60 / 140 = 0.43 s
    EXPECT_DOUBLE_EQ(r.wpm, 150.0);       // from the rounded duration
    // every content check FLAGs "too short to evaluate", and Length too
    for (std::size_t k : {0u, 4u, 5u, 6u})
        EXPECT_FALSE(r.checks[k].pass) << describe(r);
    for (std::size_t k : {4u, 5u, 6u})
        EXPECT_EQ(r.checks[k].note.rfind("Only 1 word", 0), 0u) << r.checks[k].note;
    EXPECT_LE(r.overall_score, 20);
    EXPECT_TRUE(has_cap(r, "fewer than 25 words"));
}

TEST(Size, TwentyFourWordsAreCappedTwentyFiveAreNot)
{
    // 24 and 25 words of a tidy story
    const std::string w24 =
        "I asked the nurse what she needed, I paged my senior, and as a result the patient got the new "
        "dose within two hours.";
    ScoreResult r24 = score(nurse, w24, typed);
    ASSERT_EQ(r24.words, 24);
    EXPECT_LE(r24.overall_score, 20);
    EXPECT_TRUE(has_cap(r24, "fewer than 25 words"));
    ScoreResult r25 = score(nurse, w24 + " Good.", typed);
    ASSERT_EQ(r25.words, 25);
    EXPECT_FALSE(has_cap(r25, "fewer than 25 words"));
}

std::string chars(std::size_t n)
{
    std::string s;
    while (s.size() < n)
        s += paragraph;
    s.resize(n);
    return s;
}

TEST(Size, ExactlyTheCharacterLimitIsScored)
{
    const std::string at_limit = chars(20000);
    ASSERT_EQ(count_chars(at_limit), 20000u);
    ScoreResult r;
    ASSERT_NO_THROW(r = score(nurse, at_limit, typed));
    EXPECT_GT(r.words, 3000);
    expect_valid_json(r);
    ASSERT_NO_THROW(score(nurse, at_limit, 3600.0));
}

TEST(Size, OneCharacterOverTheLimitIsPT413)
{
    auto e = thrown([] { score(nurse, chars(20001), typed); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_NE(e->detail().find("20001"), std::string::npos) << e->detail();
    EXPECT_NE(e->detail().find("20000"), std::string::npos) << e->detail();
}

// The limit is in characters (code points), not bytes: 20,000 "é" are
// 40,000 bytes and still within it.
TEST(Size, TheLimitCountsCharactersNotBytes)
{
    std::string accents;
    for (int i = 0; i < 20000; ++i)
        accents += (i % 10 == 9) ? " " : "\xC3\xA9";
    ASSERT_EQ(count_chars(accents), 20000u);
    ASSERT_EQ(accents.size(), 38000u);
    EXPECT_NO_THROW(score(nurse, accents, typed));
    auto e = thrown([&] { score(nurse, accents + "\xC3\xA9", typed); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
}

// ---------------------------------------------------------------------------
// Durations: (0, 3600] seconds.

TEST(Duration, OutsideTheRangeIs22023)
{
    const std::string answer = paragraph;
    for (double d : {0.0, -1.0, std::nan(""), 3600.5, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
        auto e = thrown([&] { score(nurse, answer, d); });
        ASSERT_TRUE(e) << d;
        EXPECT_EQ(e->sqlstate(), "22023") << d;
        EXPECT_EQ(e->message(), "invalid duration_s") << d;
    }
}

TEST(Duration, ExactlyOneHourIsAccepted)
{
    ScoreResult r = score(nurse, paragraph, 3600.0);
    EXPECT_DOUBLE_EQ(r.duration_s, 3600.0);
    EXPECT_FALSE(r.duration_estimated);
    EXPECT_FALSE(r.checks[0].pass);  // 3600 s for a ~105 s question
    EXPECT_EQ(r.checks[0].score, 0);
    expect_valid_json(r);
}

// A spoken transcript without a word (the recording was only noise, or the
// speech-to-text kept only an emoji) is not rejected like a typed one: it
// is scored as 0 words, every content check FLAGs and the overall is capped.
TEST(Size, SpokenTranscriptWithoutWordsIsScoredAsEmpty)
{
    ScoreResult r = score(nurse, "\xF0\x9F\x91\x8D", 10.0);  // 👍
    EXPECT_EQ(r.words, 0);
    EXPECT_DOUBLE_EQ(r.wpm, 0.0);
    EXPECT_EQ(r.checks[1].weight, 0);  // too short to judge pace
    EXPECT_LE(r.overall_score, 20);
    expect_valid_json(r);
}

// ---------------------------------------------------------------------------
// Answers that are all filler.

TEST(Content, OnlyFillersSpoken)
{
    const std::string fillers = "um uh um like you know um uh er hmm um, like, you know, uh um erm uh um like um uh "
                                "um uh um like you know um uh er hmm um, like, you know, uh um erm uh um like um uh";
    ScoreResult r = score(nurse, fillers, 30.0);
    EXPECT_FALSE(r.checks[2].pass) << describe(r);
    EXPECT_EQ(r.checks[2].score, 0);
    EXPECT_FALSE(r.checks[6].pass);
    EXPECT_FALSE(r.checks[5].pass);
    EXPECT_LE(r.overall_score, 59);  // Structure and Substance both FLAG
    ASSERT_FALSE(r.what_changed.empty());
    expect_valid_json(r);
}

// ---------------------------------------------------------------------------
// Other languages and scripts: scored, never a crash.

TEST(Text, SpanishAnswerCountsAccentedWordsWhole)
{
    const std::string spanish =
        "Durante mi rotación de cirugía, hablé con la enfermera y le pregunté qué le preocupaba. "
        "Después llamé al residente y ajustamos la dosis en dos horas.";
    ScoreResult r = score(nurse, spanish, 12.0);
    EXPECT_EQ(r.words, 26);
    EXPECT_DOUBLE_EQ(r.wpm, 130.0);
    expect_valid_json(r);
}

TEST(Text, JapaneseCountsOneWordPerCharacter)
{
    // 61 kanji and kana; the commas 、 and full stops 。 are not words
    const std::string japanese = "私は三年生の実習で、患者さんの痛みが強いことに気づき、すぐに上級医に連絡しました。"
                                 "そのあと看護師と話して、鎮痛薬の量を調整しました。";
    ScoreResult r = score(nurse, japanese, typed);
    EXPECT_EQ(r.words, 61);
    expect_valid_json(r);
    ScoreResult spoken = score(nurse, japanese, 25.0);
    EXPECT_EQ(spoken.words, 61);
}

TEST(Text, EmojiInsideAnAnswerAreNotWords)
{
    const std::string plain = "I paged my senior and we fixed the dose within 2 hours. The nurse was relieved.";
    const std::string with_emoji =
        "I paged my senior \xF0\x9F\x99\x8F and we fixed the dose \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD within 2 hours "
        "\xE2\x8F\xB0. The nurse \xF0\x9F\xA7\x91\xE2\x80\x8D\xE2\x9A\x95\xEF\xB8\x8F was relieved "
        "\xE2\x9D\xA4\xEF\xB8\x8F\xF0\x9F\x8E\x89.";  // 🙏 👍🏽 ⏰ 🧑‍⚕️ ❤️🎉
    ScoreResult a = score(nurse, plain, typed);
    ScoreResult b = score(nurse, with_emoji, typed);
    EXPECT_EQ(a.words, 16);
    EXPECT_EQ(b.words, a.words);
    EXPECT_EQ(b.overall_score, a.overall_score);
    expect_valid_json(b);
}

TEST(Text, InvalidUtf8IsScoredWithoutCrashing)
{
    // a stray continuation byte, 0xFF/0xFE, a lead byte before a space, an
    // encoded surrogate, a code point above U+10FFFF, a truncated sequence
    const std::string broken =
        "I paged \x80 my senior \xFF\xFE and \xC3 we fixed \xED\xA0\x80 the dose \xF4\x90\x80\x80 within two "
        "hours \xE2\x82";
    for (std::optional<double> d : {typed, std::optional<double>(8.0)}) {
        ScoreResult r;
        ASSERT_NO_THROW(r = score(nurse, broken, d));
        EXPECT_EQ(r.words, 12);  // the broken bytes separate words, none is a word
        expect_valid_json(r);
    }
}

// ---------------------------------------------------------------------------
// Context rules (research/rubric-proposal.md 4.3): whole words only, and
// discourse markers and hedges only where they work as such.

Json metrics(const std::string& answer)
{
    return score(nurse, answer, typed).to_json()["details"];
}

TEST(ContextRules, FillersAreWholeWords)
{
    Json d = metrics("I brought an umbrella, a summary and a humming pump to the meeting with the nurse.");
    EXPECT_EQ(d["Fillers"]["core"], 0);
    EXPECT_EQ(d["Fillers"]["discourse"], 0);
}

TEST(ContextRules, LikeAsAVerbOrComparisonIsNotAFiller)
{
    Json d = metrics("I would like to thank her. It felt like a long night, and I like my team.");
    EXPECT_EQ(d["Fillers"]["discourse"], 0) << d["Fillers"].dump();
    Json e = metrics("She was like really upset, and I was, like, not sure what to say.");
    EXPECT_EQ(e["Fillers"]["discourse"], 2) << e["Fillers"].dump();
}

// "like" set off by commas is a filler (rubric 4.3: "punctuation-isolated
// (`, like,`), or preceded by {was, is, ...} and not followed by {a, an,
// the, ...}"): the "not followed by" applies to the second case only.
// Was a scorer bug, now fixed: discourse_is_filler() rejects any "like" before a/an/the/...
// first, so ", like, a really long night" counts no filler.
TEST(ContextRules, LikeBetweenCommasIsAFillerEvenBeforeAnArticle)
{
    Json d = metrics("It was, like, a really long night on the ward with the nurse.");
    EXPECT_EQ(d["Fillers"]["discourse"], 1) << d["Fillers"].dump();
}

TEST(ContextRules, YouKnowBeforeAClauseIsNotAFiller)
{
    Json d = metrics("I wanted her to feel, you know, heard. Do you know that the dose was wrong?");
    EXPECT_EQ(d["Fillers"]["discourse"], 1) << d["Fillers"].dump();
}

// "so" is a filler only as the first word or followed by a comma or
// another filler (rubric 4.3).
// Was a scorer bug, now fixed: discourse_is_filler() tests whether the word BEFORE "so" is a
// filler: "and so um I" counts no "so", "and um so I" counts one.
TEST(ContextRules, SoCountsOnlyFirstOrBeforeACommaOrFiller)
{
    EXPECT_EQ(metrics("So I paged my senior and the nurse.")["Fillers"]["discourse"], 1);
    EXPECT_EQ(metrics("I paged him, so, I waited for the call.")["Fillers"]["discourse"], 1);
    EXPECT_EQ(metrics("I was worried so I paged my senior.")["Fillers"]["discourse"], 0);
    // followed by another filler: counts
    Json a = metrics("The dose was high and so um I paged my senior.");
    EXPECT_EQ(a["Fillers"]["core"], 1);
    EXPECT_EQ(a["Fillers"]["discourse"], 1) << a["Fillers"].dump();
    // after a filler but followed by a word: does not count
    Json b = metrics("The dose was high and um so I paged my senior.");
    EXPECT_EQ(b["Fillers"]["core"], 1);
    EXPECT_EQ(b["Fillers"]["discourse"], 0) << b["Fillers"].dump();
}

TEST(ContextRules, RightCountsOnlyAsATag)
{
    EXPECT_EQ(metrics("I gave the right dose at the right time.")["Fillers"]["discourse"], 0);
    EXPECT_EQ(metrics("You check the dose first, right? Then you page.")["Fillers"]["discourse"], 1);
}

TEST(ContextRules, StutterRepeatIsHalfAFiller)
{
    Json d = metrics("I I paged the the senior resident about the dose.");
    EXPECT_EQ(d["Fillers"]["stutters"], 2);
    EXPECT_DOUBLE_EQ(d["Fillers"]["weighted"].get<double>(), 1.0);
}

TEST(ContextRules, IThinkAboutIsNotAHedge)
{
    Json d = metrics("I think about that night often. I think the dose was wrong.");
    EXPECT_EQ(d["Wording"]["hedges"], 1) << d["Wording"].dump();
}

// Structure needs the parts in order. A plan told backwards (report first,
// then weigh the risks, and only at the end ask what happened) FLAGs even
// though every part is there.
TEST(StructureOrder, SituationalPlanToldBackwardsIsFlagged)
{
    const std::string backwards =
        "I would report him to the program director and the attending right away. I would weigh his "
        "career against patient safety, because the risks to patients come first. Then I would ask him "
        "privately whether something medical is going on.";
    ScoreResult r = score("eth-impaired-colleague", backwards, typed);
    const CheckResult& structure = r.checks[5];
    EXPECT_FALSE(structure.pass) << describe(r);
    EXPECT_EQ(structure.outcome, "structure.order");
    EXPECT_FALSE(r.to_json()["details"]["Structure"]["in_order"].get<bool>());

    // the same plan in order passes
    const std::string in_order =
        "First I would ask him privately whether something medical is going on. I would weigh his "
        "career against patient safety, because the risks to patients come first. So I would take him "
        "off patient care and report it to the program director and the attending right away.";
    ScoreResult ok = score("eth-impaired-colleague", in_order, typed);
    EXPECT_TRUE(ok.checks[5].pass) << describe(ok);
}

TEST(ContextRules, ModalVerbsAreNotHedges)
{
    Json d = metrics("I would page the senior, I could call the attending, and I should document it.");
    EXPECT_EQ(d["Wording"]["hedges"], 0) << d["Wording"].dump();
}

}  // namespace
}  // namespace residency::golden
