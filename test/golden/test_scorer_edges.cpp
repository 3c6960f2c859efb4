// Edge cases of the scorer's input: blank and wordless answers, the size
// limit, durations, non-English text, emoji and broken UTF-8, answers made
// of fillers only; then the context rules that decide when a word is a
// filler or a hedge (research/rubric-proposal.md 4.3), Structure (rubric
// 2.0: concise and clear; the story parts reported) and the caps.
#include "golden_support.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

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
//
// Rubric 2.0's default lexicons list only 'like' as a discourse marker and
// six hedges (none of "you know", "so", "right", "I think"): the rules for
// the others are tested with a rubric that lists rubric 1.0's markers and
// hedges, as a pack may.

Json metrics(const std::string& answer)
{
    return score(nurse, answer, typed).to_json()["details"];
}

// The compiled-in rubric with rubric 1.0's discourse markers and hedges.
const Scorer& scorer_with_1_0_lexicons()
{
    static const Scorer scorer(rubric_with_overrides(Json::parse(R"({"lexicons": {
        "filler_discourse": ["like", "you know", "i mean", "basically", "actually", "literally", "so", "right",
                             "okay so"],
        "hedges": ["i think", "i guess", "i feel like", "maybe", "perhaps", "probably", "sort of", "kind of",
                   "i'm not sure", "hopefully", "somewhat", "a little bit", "i suppose", "more or less"]}})")));
    return scorer;
}

Json metrics_1_0(const std::string& answer)
{
    return scorer_with_1_0_lexicons().score(question(nurse), answer, typed, nullptr, Limits{}).to_json()["details"];
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

// Rubric 2.0: of the discourse markers and hedges above, the defaults count
// only 'like' and the six hedges judges held against an answer.
TEST(ContextRules, DefaultLexiconsOfRubric2)
{
    Json d = metrics("So I think, you know, I mean, the dose was basically right, right? Maybe it was kind of "
                     "probably fine, and I guess it was sort of wrong.");
    EXPECT_EQ(d["Fillers"]["discourse"], 0) << d["Fillers"].dump();
    EXPECT_EQ(d["Wording"]["hedges"], 2) << d["Wording"].dump();  // 'i guess', 'sort of'
    Json old = metrics_1_0("So I think, you know, I mean, the dose was basically right, right? Maybe it was kind of "
                           "probably fine, and I guess it was sort of wrong.");
    EXPECT_GT(old["Fillers"]["discourse"].get<int>(), 0) << old["Fillers"].dump();
    EXPECT_GT(old["Wording"]["hedges"].get<int>(), 2) << old["Wording"].dump();
}

TEST(ContextRules, YouKnowBeforeAClauseIsNotAFiller)
{
    Json d = metrics_1_0("I wanted her to feel, you know, heard. Do you know that the dose was wrong?");
    EXPECT_EQ(d["Fillers"]["discourse"], 1) << d["Fillers"].dump();
}

// "so" is a filler only as the first word or followed by a comma or
// another filler (rubric 4.3).
// Was a scorer bug, now fixed: discourse_is_filler() tests whether the word BEFORE "so" is a
// filler: "and so um I" counts no "so", "and um so I" counts one.
TEST(ContextRules, SoCountsOnlyFirstOrBeforeACommaOrFiller)
{
    EXPECT_EQ(metrics_1_0("So I paged my senior and the nurse.")["Fillers"]["discourse"], 1);
    EXPECT_EQ(metrics_1_0("I paged him, so, I waited for the call.")["Fillers"]["discourse"], 1);
    EXPECT_EQ(metrics_1_0("I was worried so I paged my senior.")["Fillers"]["discourse"], 0);
    // followed by another filler: counts ('um' is a hesitation, a core
    // filler whatever the lexicon)
    Json a = metrics_1_0("The dose was high and so um I paged my senior.");
    EXPECT_EQ(a["Fillers"]["core"], 1);
    EXPECT_EQ(a["Fillers"]["discourse"], 1) << a["Fillers"].dump();
    // after a filler but followed by a word: does not count
    Json b = metrics_1_0("The dose was high and um so I paged my senior.");
    EXPECT_EQ(b["Fillers"]["core"], 1);
    EXPECT_EQ(b["Fillers"]["discourse"], 0) << b["Fillers"].dump();
}

TEST(ContextRules, RightCountsOnlyAsATag)
{
    EXPECT_EQ(metrics_1_0("I gave the right dose at the right time.")["Fillers"]["discourse"], 0);
    EXPECT_EQ(metrics_1_0("You check the dose first, right? Then you page.")["Fillers"]["discourse"], 1);
}

// A word said twice in a row is counted as a stutter. Rubric 2.0 gives it
// no weight among the fillers (it is Structure's clutter); a pack that
// weighs it 0.5 makes it half a filler.
TEST(ContextRules, StutterRepeatIsHalfAFiller)
{
    const std::string answer = "I I paged the the senior resident about the dose.";
    const Scorer half(rubric_with_overrides(Json::parse(R"({"thresholds": {"Fillers": {"stutter_weight": 0.5}}})")));
    Json d = half.score(question(nurse), answer, typed, nullptr, Limits{}).to_json()["details"];
    EXPECT_EQ(d["Fillers"]["stutters"], 2);
    EXPECT_DOUBLE_EQ(d["Fillers"]["weighted"].get<double>(), 1.0);
    // the defaults: counted, no weight among the fillers, clutter for Structure
    Json e = metrics(answer);
    EXPECT_EQ(e["Fillers"]["stutters"], 2);
    EXPECT_DOUBLE_EQ(e["Fillers"]["weighted"].get<double>(), 0.0);
    EXPECT_EQ(e["Structure"]["repeated_words"], 2);
    // and the Fillers note counts what the rate counts: no repeats at weight 0
    const Scorer defaults(default_rubric());
    EXPECT_EQ(defaults.score(question(nurse), answer, typed, nullptr, Limits{}).checks[2].note,
              "Fillers: 0 (0.0 per 100 words).");
    EXPECT_EQ(half.score(question(nurse), answer, typed, nullptr, Limits{}).checks[2].note,
              "Fillers: 2 (10.0 per 100 words); most often words said twice.");
}

TEST(ContextRules, IThinkAboutIsNotAHedge)
{
    Json d = metrics_1_0("I think about that night often. I think the dose was wrong.");
    EXPECT_EQ(d["Wording"]["hedges"], 1) << d["Wording"].dump();
}

// "sort of" after what/this/that/the/a... is a noun phrase, not a hedge
// (still a default hedge in rubric 2.0).
TEST(ContextRules, SortOfAfterAnArticleIsNotAHedge)
{
    EXPECT_EQ(metrics("I asked what sort of dose she wanted, and I sort of agreed.")["Wording"]["hedges"], 1);
}

TEST(ContextRules, ModalVerbsAreNotHedges)
{
    Json d = metrics("I would page the senior, I could call the attending, and I should document it.");
    EXPECT_EQ(d["Wording"]["hedges"], 0) << d["Wording"].dump();
}

// ---------------------------------------------------------------------------
// Structure (rubric 2.0): to the point. The mean of conciseness (duration /
// expected: ideal 0.6, PASS 1.2, zero 2.0) and clarity ('like' as a filler
// and words said twice in a row, per 100 words: ideal 0.5, PASS 2.5, zero
// 7). The story parts are found and reported, not scored.

// Round half up of the mean of the two sub-scores, as the details give them.
int mean_of_sub_scores(const Json& structure)
{
    return (structure["concise"].get<int>() + structure["clear"].get<int>() + 1) / 2;
}

// Twice the same story in 105 s for a ~105 s question, one ", like,": 100%
// of the length (concise 100 - 30 x 0.4 / 0.6 = 80) and 1 clutter in 85
// words (1.18 per 100: clear 100 - 30 x 0.68 / 2 = 90): (80 + 90) / 2 = 85.
TEST(Structure, ScoreIsTheMeanOfConcisenessAndClarity)
{
    const std::string once = paragraph;
    const std::string with_like =
        "During my third-year surgery rotation, a nurse told me my pages were, like, not clear. I asked her what "
        "she needed, I rewrote my pages, and as a result the night team called me less. I learned to say what is "
        "urgent first. ";
    ScoreResult r = score(nurse, with_like + once, 105.0);
    Json s = r.to_json()["details"]["Structure"];
    EXPECT_DOUBLE_EQ(s["ratio"].get<double>(), 1.0);
    EXPECT_EQ(s["concise"], 80) << s.dump();
    EXPECT_EQ(s["discourse_fillers"], 1);
    EXPECT_EQ(s["repeated_words"], 0);
    EXPECT_DOUBLE_EQ(s["clutter_per_100_words"].get<double>(), 1.18);
    EXPECT_EQ(s["clear"], 90) << s.dump();
    EXPECT_EQ(r.checks[5].score, 85);
    EXPECT_EQ(s["score"], mean_of_sub_scores(s));
    EXPECT_TRUE(r.checks[5].pass);
    EXPECT_EQ(r.checks[5].outcome, "structure.pass");
    EXPECT_EQ(
        r.checks[5].note,
        "To the point: 105 s for a ~105 s question; filler words such as 'like' and words said twice: 1.2 per 100 "
        "words.");
}

// A long answer FLAGs Structure however tidy it is: the same story told
// four times in 168 s for a ~105 s question (160%: concise 70 x 0.4 / 0.8
// = 35, clear 100): 68.
TEST(Structure, LongAnswerIsStructureLong)
{
    ScoreResult r = score(nurse, paragraph + paragraph + paragraph + paragraph, 168.0);
    const CheckResult& structure = r.checks[5];
    Json s = r.to_json()["details"]["Structure"];
    EXPECT_FALSE(structure.pass) << describe(r);
    EXPECT_EQ(structure.outcome, "structure.long");
    EXPECT_EQ(s["concise"], 35) << s.dump();
    EXPECT_EQ(s["clear"], 100) << s.dump();
    EXPECT_EQ(structure.score, 68);
    EXPECT_EQ(s["score"], mean_of_sub_scores(s));
    EXPECT_EQ(structure.note, "168 s for a ~105 s question (160% of it): the point gets lost in the length.");
    // its fix aims at the ideal 60% of the question's ~105 s
    EXPECT_NE(std::find(r.what_changed.begin(), r.what_changed.end(),
                        "Say your answer in the first sentence, give one example, then stop: aim for ~63 s."),
              r.what_changed.end())
        << describe(r);
    // every part of the story is there, in order: that does not save it
    EXPECT_TRUE(s["in_order"].get<bool>());
    EXPECT_EQ(s["parts_weight_found"], 100);
}

// 'like' as a filler and words said twice FLAG it however short: 2 'like'
// and 2 repeats in 42 words (9.5 per 100, past the zero at 7: clear 0),
// concise 100: 50.
TEST(Structure, LikeAndRepeatedWordsAreStructureCluttered)
{
    const std::string cluttered =
        "I was, like, worried about the order, so I I paged the senior right away. She was, like, upset with me, "
        "and I told her the the dose was wrong. We fixed it within two hours and I learned to page sooner.";
    ScoreResult r = score(nurse, cluttered, typed);
    ASSERT_EQ(r.words, 42);
    const CheckResult& structure = r.checks[5];
    Json s = r.to_json()["details"]["Structure"];
    EXPECT_FALSE(structure.pass) << describe(r);
    EXPECT_EQ(structure.outcome, "structure.cluttered");
    EXPECT_EQ(s["discourse_fillers"], 2) << s.dump();
    EXPECT_EQ(s["repeated_words"], 2) << s.dump();
    EXPECT_EQ(s["clear"], 0);
    EXPECT_EQ(s["concise"], 100);
    EXPECT_EQ(structure.score, 50);
    EXPECT_EQ(s["score"], mean_of_sub_scores(s));
    EXPECT_EQ(
        structure.note,
        "Filler words such as 'like' and words said twice: 9.5 per 100 words (2 filler words, 2 words said twice).");
    EXPECT_NE(std::find(r.what_changed.begin(), r.what_changed.end(),
                        "When you lose the thread, pause and start the sentence again, once, instead of 'like' or "
                        "saying a word twice."),
              r.what_changed.end())
        << describe(r);
}

// The parts of the answer's kind are still read, in order at any of their
// cues, and reported in details: a plan told backwards (report first, then
// weigh the risks, and only at the end ask what happened) is not in order,
// but Structure scores the same as for the plan in order.
TEST(StructureParts, ReportedInDetailsNotScored)
{
    const std::string backwards =
        "I would report him to the program director and the attending right away. I would weigh his "
        "career against patient safety, because the risks to patients come first. Then I would ask him "
        "privately whether something medical is going on.";
    ScoreResult r = score("eth-impaired-colleague", backwards, typed);
    Json s = r.to_json()["details"]["Structure"];
    EXPECT_FALSE(s["in_order"].get<bool>()) << s.dump();
    EXPECT_EQ(s["template"], "situational");
    ASSERT_EQ(s["parts"].size(), 4u);
    for (const Json& part : s["parts"])
        EXPECT_TRUE(part["found"].get<bool>()) << part.dump();
    EXPECT_EQ(s["parts_weight_found"], 100);
    EXPECT_TRUE(r.checks[5].pass) << describe(r);
    EXPECT_EQ(r.checks[5].outcome, "structure.pass");

    // the same plan in order
    const std::string in_order =
        "First I would ask him privately whether something medical is going on. I would weigh his "
        "career against patient safety, because the risks to patients come first. So I would take him "
        "off patient care and report it to the program director and the attending right away.";
    ScoreResult ok = score("eth-impaired-colleague", in_order, typed);
    Json o = ok.to_json()["details"]["Structure"];
    EXPECT_TRUE(o["in_order"].get<bool>()) << o.dump();
    EXPECT_TRUE(ok.checks[5].pass) << describe(ok);
    EXPECT_EQ(ok.checks[5].score, r.checks[5].score);
}

// When nothing FLAGs and Structure is the lowest check under 90, the stretch
// tip is the fix of the story's first missing part. A 98-word conflict story
// at 184 wpm with no result (and three words said twice: Structure 81) is
// told to add the result; with the result, the tip is Structure's own.
TEST(StructureParts, FirstMissingPartIsTheStretchTip)
{
    const std::string start =
        "During my surgery rotation, a nurse paged me three times about a potassium order, and she was "
        "frustrated that I had not answered. I I walked over to her in person and I asked her to walk me "
        "through her concern. She was worried that the the dose was too high for a patient with kidney disease. "
        "I reviewed the labs with her, I agreed with her, and I paged my senior, who lowered the dose within two "
        "hours. ";
    const std::string end = "I learned to close the loop in person, and and now I tell nurses when I will call back.";
    ScoreResult r = score(nurse, start + end, 32.0);
    ASSERT_EQ(r.words, 98);
    for (const CheckResult& c : r.checks)
        ASSERT_TRUE(c.pass) << describe(r);
    Json s = r.to_json()["details"]["Structure"];
    ASSERT_EQ(s["parts"].size(), 4u);
    EXPECT_EQ(s["parts"][2]["name"], "result");
    EXPECT_FALSE(s["parts"][2]["found"].get<bool>()) << s.dump();
    EXPECT_EQ(s["parts_weight_found"], 75);
    EXPECT_EQ(r.checks[5].score, 81) << describe(r);
    EXPECT_EQ(r.what_changed, std::vector<std::string>{"End with the outcome, for the patient or the team, ideally "
                                                       "with a number, then one line on what you learned."});

    ScoreResult whole = score(nurse, start + "As a result the repeat potassium was normal. " + end, 34.0);
    for (const CheckResult& c : whole.checks)
        ASSERT_TRUE(c.pass) << describe(whole);
    EXPECT_EQ(whole.to_json()["details"]["Structure"]["parts_weight_found"], 100);
    EXPECT_LT(whole.checks[5].score, 90) << describe(whole);
    EXPECT_EQ(whole.what_changed, std::vector<std::string>{"Stretch: end with one sentence on what you now do "
                                                           "differently."});
}

// ---------------------------------------------------------------------------
// Caps. Fluent but empty: Structure and Substance both FLAG caps the
// overall at 59. A clean, typed story whose every other sentence repeats a
// word (Structure 50, cluttered) and that covers 2 of 5 key points with one
// detail (Substance 49): (3 x 82 + 16 x 100 + 17 x 50 + 25 x 49) / 61 =
// 64.28, 14.8 + 0.782 x 64.28 = 65.07, capped at 59.
TEST(Caps, StructureAndSubstanceBothFlagCapAt59)
{
    const std::string empty =
        "During my third-year surgery rotation, a nurse told me my my pages were not clear. I I asked her what "
        "she needed, I rewrote my my pages, and the the night team called me less. I learned to to say what is "
        "urgent first, and I I still try to do that on every every rotation I am on.";
    ScoreResult r = score(nurse, empty, typed);
    EXPECT_FALSE(r.checks[5].pass) << describe(r);
    EXPECT_FALSE(r.checks[6].pass) << describe(r);
    Json overall = r.to_json()["details"]["overall"];
    EXPECT_DOUBLE_EQ(overall["predicted"].get<double>(), 65.07) << overall.dump();
    EXPECT_EQ(r.overall_score, 59);
    EXPECT_EQ(overall["caps"], Json::array({"Structure and Substance both FLAG"}));
}

}  // namespace
}  // namespace residency::golden
