// What scoring a pack may cost, bounded by rule P1 (content_pack_check.hpp,
// question_cost.hpp): criteria per question, keywords per criterion, words
// and bytes per keyword, and the patterns of each question's phrase
// automaton (Limits::max_question_expansions), counted as the Scorer
// counts them. The security report behind these: a 373-byte pack whose one
// criterion made the automaton spell out 21+^5 combinations passed P1 and
// took minutes and gigabytes to score.
#include "content_pack.hpp"
#include "error.hpp"
#include "phrase_matcher.hpp"
#include "question_cost.hpp"
#include "rubric.hpp"
#include "scorer.hpp"
#include "test_util.hpp"
#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace residency {
namespace {

using test::dump;
using test::paths;
using test::thrown;

// A pack of one question with these criteria (and kind).
Json pack_of(const std::vector<std::string>& criteria, const char* kind = "behavioral")
{
    return {{"version", "1.0.0"},
            {"metadata",
             {{"title", "Cost test"},
              {"description", "One question."},
              {"categories", {"A", "B", "C", "D", "E", "F", "G"}}}},
            {"questions", Json::array({{{"id", "q1"},
                                        {"category", "A"},
                                        {"prompt", "Tell me about a time you led a team."},
                                        {"expected_duration_s", 90},
                                        {"evaluation_criteria", criteria},
                                        {"kind", kind}}})}};
}

std::vector<JsonProblem> problems_of(const Json& pack, const Limits& limits = Limits{})
{
    return validate_content_pack(pack, limits).problems;
}

// "c [kw: a* a* a* a* a*, a0*, a1*, ..., a19*]": the criterion of the report.
std::string report_criterion()
{
    std::string kw = "a* a* a* a* a*";
    for (int i = 0; i < 20; ++i)
        kw += ", a" + std::to_string(i) + "*";
    return "c [kw: " + kw + "]";
}

std::string keyword_list(int count, const std::string& stem = "k")
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out += (i ? ", " : "") + stem + std::to_string(i);
    return out;
}

// ---- the report's pack ------------------------------------------------------

TEST(PackCost, TheReportedPackIsRefusedAtItsCriterion)
{
    const std::string text = R"({"version":"1.0.0","metadata":{"title":"t","description":"d",)"
                             R"("categories":["A","B","C","D","E","F","G"]},"questions":[{"id":"q","category":"A",)"
                             R"("prompt":"p","expected_duration_s":60,"evaluation_criteria":[")" +
                             report_criterion() + R"("]}]})";
    EXPECT_LE(text.size(), 373u);
    PackValidation v = check_content_pack_text(text, Limits{});
    ASSERT_EQ(paths(v.problems), std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"}))
        << dump(v.problems);
    const std::string& m = v.problems[0].message;
    EXPECT_EQ(m.rfind("makes the question too costly to score: its keywords expand to at least ", 0), 0u) << m;
    EXPECT_NE(m.find("; the limit is 10000 (residency.max_question_expansions)"), std::string::npos) << m;
    // and the figure is the Scorer's own: what its compile refuses
    Scorer scorer(default_rubric());
    QuestionSpec q{"q1", "A", 60, {report_criterion()}, std::nullopt};
    std::optional<Error> e = thrown([&] { scorer.score(q, "a a a a a", 30, nullptr, Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "question too costly to score");
    std::uint64_t exact = question_expansions(rubric_phrases(default_rubric(), QuestionKind::behavioral),
                                              {report_criterion()}, default_rubric());
    EXPECT_NE(e->detail().find("would hold " + std::to_string(exact) + " patterns; the limit is 10000"),
              std::string::npos)
        << e->detail();
    // P1 need not count it all: "a* a* a* a* a*" alone makes at least 21^5
    EXPECT_NE(m.find("the question's automaton to at least "), std::string::npos) << m;
    EXPECT_GT(exact, 4084101u);
    EXPECT_NE(e->hint().find("residency.max_question_expansions"), std::string::npos);
}

TEST(PackCost, RaisingTheLimitAcceptsWhatItRefused)
{
    Limits raised;
    raised.max_question_expansions = PhraseMatcher::unlimited - 1;
    EXPECT_TRUE(problems_of(pack_of({report_criterion()}), raised).empty());
    Limits low;
    low.max_question_expansions = 400;  // above the compiled-in rubric's ~280
    std::vector<JsonProblem> p = problems_of(pack_of({"Plain [kw: escalat*, a*, b*]"}), low);
    EXPECT_TRUE(p.empty()) << dump(p);
    p = problems_of(pack_of({"Plain [kw: escalat*]", "Costly [kw: a* a*, b* b*]"}), low);
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[1]"})) << dump(p);
    EXPECT_NE(p[0].message.find("the limit is 400"), std::string::npos);
}

// The cost is reported at the criterion that costs the most.
TEST(PackCost, ReportedAtTheCostliestCriterion)
{
    std::vector<JsonProblem> p =
        problems_of(pack_of({"Fine [kw: escalat*, senior]", report_criterion(), "Also fine [kw: outcome]"}));
    EXPECT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[1]"})) << dump(p);
}

// ---- bounds of a question's criteria -----------------------------------------

TEST(PackCost, TooManyCriteria)
{
    std::vector<std::string> criteria(32, "Names own role [kw: role]");
    EXPECT_TRUE(problems_of(pack_of(criteria)).empty());
    criteria.push_back("One more [kw: more]");
    std::vector<JsonProblem> p = problems_of(pack_of(criteria));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria"})) << dump(p);
    EXPECT_EQ(p[0].message, "holds 33 criteria; a question may have at most 32");
}

TEST(PackCost, TooManyKeywordsInAList)
{
    EXPECT_TRUE(problems_of(pack_of({"c [kw: " + keyword_list(25) + "]"})).empty());
    std::vector<JsonProblem> p = problems_of(pack_of({"ok [kw: a]", "c [kw: " + keyword_list(26) + "]"}));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[1]"})) << dump(p);
    EXPECT_EQ(p[0].message, "lists 26 keywords; a criterion may have at most 25 (residency.max_criterion_keywords)");
    // items without a word are not keywords
    EXPECT_TRUE(problems_of(pack_of({"c [kw: " + keyword_list(25) + ", , !!, ...]"})).empty());
    // the limit is a setting
    Limits five;
    five.max_criterion_keywords = 5;
    EXPECT_EQ(paths(problems_of(pack_of({"c [kw: " + keyword_list(6) + "]"}), five)),
              std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"}));
}

TEST(PackCost, TooManyKeywordsDerivedFromTheText)
{
    // Without a [kw: ...] list, each word of 4 letters or more (not a
    // stopword) is a keyword.
    std::string text = "Describes";  // a stopword
    for (int i = 0; i < 26; ++i)
        text += " word" + std::string(1, static_cast<char>('a' + i));
    std::vector<JsonProblem> p = problems_of(pack_of({text}));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"})) << dump(p);
    EXPECT_EQ(p[0].message, "gives 26 keywords (its words of 4 or more letters, without a [kw: ...] list); a "
                            "criterion may have at most 25 (residency.max_criterion_keywords)");
    // repeated words, short words and stopwords are not counted twice or at all
    std::string repeated;
    for (int i = 0; i < 40; ++i)
        repeated += "patient safety and the team with them ";
    EXPECT_TRUE(problems_of(pack_of({repeated})).empty()) << dump(problems_of(pack_of({repeated})));
}

TEST(PackCost, KeywordOfMoreThan100Bytes)
{
    const std::string hundred(100, 'k');
    EXPECT_TRUE(problems_of(pack_of({"c [kw: ok, " + hundred + "]"})).empty());
    std::vector<JsonProblem> p = problems_of(pack_of({"c [kw: ok, " + hundred + "k ]"}));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"})) << dump(p);
    EXPECT_EQ(p[0].message.rfind("has a keyword longer than 100 bytes: \"kkkk", 0), 0u) << p[0].message;
}

TEST(PackCost, KeywordOfMoreThan8Words)
{
    EXPECT_TRUE(problems_of(pack_of({"c [kw: one two three four five six seven eight]"})).empty());
    std::vector<JsonProblem> p = problems_of(pack_of({"c [kw: ok, one two three four five six seven eight nine]"}));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"})) << dump(p);
    EXPECT_EQ(p[0].message,
              "has a keyword of 9 words: \"one two three four five six seven eight nine\"; a keyword may have at "
              "most 8");
    // counted as the tokenizer counts: "don't" and "24/7" are one word each
    EXPECT_TRUE(problems_of(pack_of({"c [kw: don't don't don't don't 24/7 24/7 post-op post-op]"})).empty());
    // and "a.b" two
    EXPECT_EQ(paths(problems_of(pack_of({"c [kw: a.b a.b a.b a.b a.b]"}))),
              std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"}));
}

TEST(PackCost, TheBundledPackPasses)
{
    // Its largest question, with the compiled-in rubric, makes 297 patterns:
    // the default limit is 33 times that. (Rubric 1.0 made 322: its filler
    // and hedge lexicons held 25 phrases more; hesitations are now recognised
    // by their spelling, outside the automaton.)
    std::ifstream file(RESIDENCY_SOURCE_DIR "/packs/default.json");
    std::stringstream text;
    text << file.rdbuf();
    PackValidation v = validate_content_pack(Json::parse(text.str()), Limits{});
    ASSERT_TRUE(v.ok()) << dump(v.problems);
    std::uint64_t largest = 0;
    for (const Question& q : v.pack.questions) {
        QuestionSpec spec{q.id, q.category, q.expected_duration_s, q.evaluation_criteria, q.kind};
        std::vector<std::string_view> criteria(q.evaluation_criteria.begin(), q.evaluation_criteria.end());
        largest = std::max(largest,
                           question_expansions(rubric_phrases(default_rubric(), question_kind(spec, default_rubric())),
                                               criteria, default_rubric()));
    }
    EXPECT_EQ(largest, 297u);
    EXPECT_GE(Limits{}.max_question_expansions, 4 * largest);
}

// ---- the bounds P1 uses are bounds, and the count is the matcher's ------------

// P1's bounds read criterion_keywords() without normalising them again,
// where the Scorer does: normalising must change nothing the second time.
TEST(NormalizePhrase, IsIdempotent)
{
    for (const char* phrase : {"Escalat*", "don\xE2\x80\x99t*", "post-op*", "24/7", "$5", "50%", "3.5 mg",
                               "(laughs) okay", "[inaudible] yes", "a*b*", "*", "a **", "Jos\xC3\xA9*",
                               "\xE6\x97\xA5\xE6\x9C\xAC", "x*", "O'Neil's", "\xff x"}) {
        std::string once = normalize_phrase(phrase);
        EXPECT_EQ(normalize_phrase(once), once) << phrase;
    }
}

TEST(WordBound, IsAtLeastTheTokenizersCount)
{
    for (const char* text : {"",
                             "one",
                             "one two",
                             "don't",
                             "post-op",
                             "24/7",
                             "3.5",
                             "$40",
                             "50%",
                             "a.b",
                             "a-",
                             "-a",
                             "José",
                             "日本語",
                             "emoji 😀 here",
                             "(laughs) okay",
                             "[inaudible] yes",
                             "O'Neil's",
                             "a*b*c",
                             "\xff\xfe broken",
                             "x\xe2\x80\x99s"})
        EXPECT_GE(word_bound(text), count_words(text)) << text;
}

TEST(CriterionScan, BoundsTheKeywords)
{
    for (const char* criterion :
         {"Describes the situation [kw: rotation, shift*, my role, escalat*]", "No list: acknowledges the concern",
          "c [kw: a* b*, c* d e*, , x]", "c [kw: don't*, 24/7, post-op*]", "c [kw: a*b*, *, a **]",
          "two [kw: a] lists [kw: b, c]", "unclosed [kw: a, b"}) {
        CriterionScan s = scan_criterion(criterion);
        std::vector<std::string> kws = criterion_keywords(criterion, default_rubric());
        EXPECT_GE(s.keywords, kws.size()) << criterion;
        std::size_t words = 0;
        std::size_t prefixes_at_least[max_phrase_words + 1] = {};
        for (const std::string& kw : kws) {
            std::size_t prefixes = 0;
            PhraseMatcher::for_each_word(normalize_phrase(kw), [&](std::string_view, bool prefix) {
                ++words;
                prefixes += prefix;
            });
            for (std::size_t p = 0; p <= prefixes && p <= max_phrase_words; ++p)
                ++prefixes_at_least[p];
        }
        EXPECT_GE(s.words, words) << criterion;
        // as many keywords with p prefix words or more as there are
        for (std::size_t p = 0; p <= max_phrase_words; ++p) {
            std::size_t scanned = 0;
            for (std::size_t q = p; q <= max_phrase_words; ++q)
                scanned += s.by_prefix_words[q];
            EXPECT_GE(scanned, prefixes_at_least[p]) << criterion << " p=" << p;
        }
    }
}

// The three steps of P1's count on questions of every shape: each bound is
// at least the exact count, and the exact count is what compile() builds.
TEST(QuestionCost, BoundsAreBoundsAndTheCountIsWhatIsBuilt)
{
    const std::vector<std::vector<std::string>> questions = {
        {},
        {"Names own role [kw: role]"},
        {"Acknowledges the concern", "Escalates to the attending [kw: escalat*, senior, attending]"},
        {report_criterion()},
        {"c [kw: a* b*, a b, ab*, abc*, abcd]", "d [kw: rotat*, rotation, clerk*, i*]"},
        {"c [kw: i* would*, we*, you*, so*]"},  // prefixes of rubric words
        {"c [kw: x* x* x*, xa, xb, xc*, xcd*, xcde]"},
    };
    QuestionCost& cost = QuestionCost::of_default();
    for (const auto& criteria : questions)
        for (QuestionKind kind : {QuestionKind::behavioral, QuestionKind::situational, QuestionKind::motivation}) {
            std::vector<std::string_view> views(criteria.begin(), criteria.end());
            CriteriaScan scans;
            for (const std::string& c : criteria)
                scans.add(scan_criterion(c));
            std::vector<std::uint64_t> per;
            std::uint64_t exact = question_expansions(cost.part(kind).phrases, views, default_rubric(), &per);
            EXPECT_GE(cost.quick_bound(scans), exact);
            QuestionCost::Cost bound = cost.cost(kind, views, PhraseMatcher::unlimited);
            EXPECT_FALSE(bound.exact);
            EXPECT_FALSE(bound.over);
            EXPECT_GE(bound.expansions, exact);
            // over a limit below what it surely makes: a lower bound
            QuestionCost::Cost over = cost.cost(kind, views, 0);
            EXPECT_TRUE(over.over);
            EXPECT_LE(over.expansions, exact);
            if (!over.exact) {
                ASSERT_EQ(over.per_criterion.size(), criteria.size());
                for (std::size_t i = 0; i < criteria.size(); ++i)
                    EXPECT_LE(over.per_criterion[i], per[i]);
            }
            // between the lower and the upper bound: counted
            QuestionCost::Cost counted = cost.cost(kind, views, over.expansions);
            if (counted.exact) {
                EXPECT_EQ(counted.expansions, exact);
                EXPECT_EQ(counted.per_criterion, per);
                EXPECT_EQ(counted.over, exact > over.expansions);
            }
            // what the Scorer compiles for such a question
            if (exact <= 100000) {
                PhraseMatcher m;
                for (const std::string& p : cost.part(kind).phrases)
                    m.add(p);
                for (const std::string& c : criteria)
                    for (const std::string& kw : criterion_keywords(c, default_rubric()))
                        m.add(normalize_phrase(kw));
                m.compile(exact);
                EXPECT_EQ(m.built_patterns(), exact);
            }
        }
}

// ---- the rubric's own part -----------------------------------------------------

Json pack_with_rubric(const Json& rubric, const std::vector<std::string>& criteria = {"Names own role [kw: role]"})
{
    Json pack = pack_of(criteria);
    pack["rubric"] = rubric;
    return pack;
}

TEST(PackCost, RubricOverTheLimitIsReportedOnceAtTheRubric)
{
    // 10 lexicons of phrases sharing one prefix: "z* z*" stands for every pair
    Json words = Json::array();
    for (int i = 0; i < 120; ++i)
        words.push_back("z" + std::to_string(i));
    words.push_back("z* z*");
    Json rubric = {{"lexicons", {{"detail_words", words}}}};
    std::vector<JsonProblem> p = problems_of(pack_with_rubric(rubric, {"a [kw: one]", "b [kw: two]"}));
    ASSERT_EQ(paths(p), std::vector<std::string>({"$.rubric"})) << dump(p);
    EXPECT_EQ(p[0].message.rfind("its lexicons and structure cues expand to ", 0), 0u) << p[0].message;
    EXPECT_NE(p[0].message.find("; the limit is 10000 (residency.max_question_expansions)"), std::string::npos);
    // under the limit it passes, and the questions are checked against it
    words.erase(words.size() - 1);
    words.push_back("z*");
    EXPECT_TRUE(problems_of(pack_with_rubric({{"lexicons", {{"detail_words", words}}}})).empty());
    // "z* z* z*" in a criterion: 121^3 with this rubric, 1^3 without
    EXPECT_TRUE(problems_of(pack_of({"c [kw: z* z* z*]"})).empty());
    EXPECT_EQ(paths(problems_of(pack_with_rubric({{"lexicons", {{"detail_words", words}}}}, {"c [kw: z* z* z*]"}))),
              std::vector<std::string>({"$.questions[0].evaluation_criteria[0]"}));
}

TEST(PackCost, ACompiledInRubricOverTheLimitIsReportedAtTheRoot)
{
    Limits tiny;
    tiny.max_question_expansions = 100;
    std::vector<JsonProblem> p = problems_of(pack_of({"a [kw: one]"}), tiny);
    ASSERT_EQ(paths(p), std::vector<std::string>({"$"})) << dump(p);
    EXPECT_EQ(p[0].message.rfind("the compiled-in rubric's lexicons and structure cues expand to ", 0), 0u);
}

// ---- compile() counts before it builds -------------------------------------------

TEST(PhraseMatcherLimit, OverTheLimitIsPT413BeforeBuilding)
{
    PhraseMatcher m;
    for (int i = 0; i < 9; ++i)
        m.add("a" + std::to_string(i));
    m.add("a* a* a*");  // 10^3
    EXPECT_EQ(m.expansions(), 1009u);
    std::optional<Error> e = thrown([&] { m.compile(1008); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "question too costly to score");
    EXPECT_NE(e->detail().find("would hold 1009 patterns; the limit is 1008 (residency.max_question_expansions)"),
              std::string::npos)
        << e->detail();
    EXPECT_NE(e->hint().find("residency.max_question_expansions"), std::string::npos);
    EXPECT_FALSE(m.compiled());
    m.compile(1009);  // at the limit
    EXPECT_TRUE(m.compiled());
    EXPECT_EQ(m.built_patterns(), 1009u);
}

TEST(PhraseMatcherLimit, CountsSaturateInsteadOfWrapping)
{
    PhraseMatcher m;
    for (int i = 0; i < 99; ++i)
        m.add("a" + std::to_string(i));
    std::string phrase;
    for (int i = 0; i < 10; ++i)
        phrase += "a* ";
    m.add(phrase);  // 100^10 = 1e20 > 2^64
    EXPECT_EQ(m.expansions(), PhraseMatcher::unlimited);
    std::optional<Error> e = thrown([&] { m.compile(); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_NE(e->detail().find("more than 18446744073709551614 patterns"), std::string::npos) << e->detail();
}

}  // namespace
}  // namespace residency
