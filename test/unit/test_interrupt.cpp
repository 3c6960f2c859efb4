// Cancellation (src/core/interrupt.hpp): the Postgres layer installs a
// callback that throws when a cancel is pending; every long loop of the
// core polls it. Each test counts the polls of one operation on a large
// input, then makes the callback throw at several of them and checks that
// the exception comes out, and that the objects involved still give the
// same answers afterwards (the unit and fuzz builds run under ASan in CI:
// nothing may leak on the way out).
#include "interrupt.hpp"

#include "content_pack.hpp"
#include "json_input.hpp"
#include "phrase_matcher.hpp"
#include "rubric.hpp"
#include "scorer.hpp"
#include "sha256.hpp"
#include "test_util.hpp"
#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace residency {
namespace {

struct Cancelled {};  // what the Postgres layer's callback would throw

long polls = 0;     // calls of the callback so far
long throw_at = 0;  // throw at this call (0: never)

void check()
{
    if (++polls == throw_at)
        throw Cancelled{};
}

// Installs check() for the test's duration.
class InterruptTest : public testing::Test {
protected:
    void SetUp() override
    {
        polls = 0;
        throw_at = 0;
        set_interrupt_check(&check);
    }
    void TearDown() override { set_interrupt_check(nullptr); }

    // Calls of the callback `f` makes; then, for calls at a few places from
    // the first to the last, a throw there comes out of `f`. A first call,
    // not counted, does what is done once (compiled-in rubric figures, a
    // Scorer's compile of the question).
    template <class F>
    long polls_and_cancels(F&& f)
    {
        throw_at = 0;
        f();
        polls = 0;
        f();
        const long total = polls;
        for (long at : {1L, (total + 1) / 2, total}) {
            if (at < 1)
                continue;
            polls = 0;
            throw_at = at;
            EXPECT_THROW(f(), Cancelled) << "throwing at poll " << at << " of " << total;
        }
        throw_at = 0;
        return total;
    }
};

TEST_F(InterruptTest, NoCallbackNoPoll)
{
    set_interrupt_check(nullptr);
    poll_interrupts();
    EXPECT_EQ(polls, 0);
    set_interrupt_check(&check);
    poll_interrupts();
    EXPECT_EQ(polls, 1);
}

std::vector<std::string> prefix_keywords(int n)
{
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i)
        out.push_back("k" + std::to_string(i * 7919 % 100003) + "*");
    return out;
}

TEST_F(InterruptTest, CompilePolls)
{
    const std::vector<std::string> phrases = prefix_keywords(20000);
    std::vector<PhraseMatcher::Match> expected;
    {
        PhraseMatcher m;
        for (const auto& p : phrases)
            m.add(p);
        m.compile();
        m.find({m.symbol("k7919"), m.symbol("k15838x")}, expected);
    }
    PhraseMatcher reused;
    for (const auto& p : phrases)
        reused.add(p);
    long total = polls_and_cancels([&] {
        PhraseMatcher m;
        for (const auto& p : phrases)
            m.add(p);
        m.compile();
    });
    EXPECT_GE(total, 10);
    // a matcher whose compile() was cancelled compiles again, to the same
    polls = 0;
    throw_at = total / 2;
    EXPECT_THROW(reused.compile(), Cancelled);
    throw_at = 0;
    reused.compile();
    std::vector<PhraseMatcher::Match> found;
    reused.find({reused.symbol("k7919"), reused.symbol("k15838x")}, found);
    ASSERT_EQ(found.size(), expected.size());
    EXPECT_GE(found.size(), 2u);  // k7919* and k15838*, and any shorter prefix of them
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_EQ(found[i].first, expected[i].first);
        EXPECT_EQ(found[i].length, expected[i].length);
        EXPECT_EQ(found[i].pattern, expected[i].pattern);
    }
}

// A pack of `n` questions, as JSON text.
std::string big_pack(int n)
{
    Json questions = Json::array();
    for (int i = 0; i < n; ++i)
        questions.push_back(
            {{"id", "q" + std::to_string(i)},
             {"category", "Teamwork"},
             {"prompt", "Tell me about a time you disagreed with a colleague (" + std::to_string(i) + ")."},
             {"expected_duration_s", 90},
             {"evaluation_criteria",
              {"Describes the situation [kw: rotation, shift, role]",
               "Explains the actions taken [kw: paged, asked, escalat*]", "Acknowledges the other view"}},
             {"kind", "behavioral"}});
    Json pack = {{"version", "1.0.0"},
                 {"metadata",
                  {{"title", "Big"},
                   {"description", "Many questions."},
                   {"categories",
                    {"Motivation", "Teamwork", "Conflict", "Ethics & Professionalism", "Resilience & Failure",
                     "Leadership", "Patient Care"}}}},
                 {"questions", questions}};
    return pack.dump();
}

TEST_F(InterruptTest, ValidationPolls)
{
    const Json pack = Json::parse(big_pack(2000));
    long total = polls_and_cancels([&] { EXPECT_TRUE(validate_content_pack(pack, Limits{}).ok()); });
    EXPECT_GE(total, 2000);  // once per question at least
    EXPECT_TRUE(validate_content_pack(pack, Limits{}).ok());
}

TEST_F(InterruptTest, ValidationOfACostlyQuestionPolls)
{
    // the exact count of a question over the limit builds a vocabulary
    std::string kw = "a* a* a* a* a*";
    for (int i = 0; i < 20; ++i)
        kw += ", a" + std::to_string(i) + "*";
    Json pack = Json::parse(big_pack(1));
    pack["questions"][0]["evaluation_criteria"] = {"c [kw: " + kw + "]"};
    long total = polls_and_cancels([&] { EXPECT_FALSE(validate_content_pack(pack, Limits{}).ok()); });
    EXPECT_GE(total, 2);
}

TEST_F(InterruptTest, JsonParsePolls)
{
    const std::string text = big_pack(2000);  // about 850 kB
    long total = polls_and_cancels([&] { parse_json_strict(text, Limits{}, "content pack"); });
    EXPECT_GE(total, 13);  // the depth scan and the reader, once per 64 KiB each, and the events
    EXPECT_EQ(parse_json_strict(text, Limits{}, "content pack").value, Json::parse(text));

    // one long string is one event: the reader polls inside it
    const std::string one_string = "\"" + std::string(4 * 1024 * 1024, 'x') + "\"";
    polls = 0;
    parse_json_strict(one_string, Limits{}, "text");
    EXPECT_GE(polls, 2 * 64);  // the depth scan and the reader, each once per 64 KiB

    // the whole upload: parse and P1
    total = polls_and_cancels([&] { EXPECT_TRUE(check_content_pack_text(text, Limits{}).ok()); });
    EXPECT_GE(total, 2013);
}

TEST_F(InterruptTest, Sha256Polls)
{
    const std::string bytes(4 * 1024 * 1024, 'r');
    const std::string expected = [&] {
        set_interrupt_check(nullptr);
        std::string h = sha256_hex(bytes);
        set_interrupt_check(&check);
        return h;
    }();
    long total = polls_and_cancels([&] { sha256_hex(bytes); });
    EXPECT_GE(total, 15);  // 16 chunks of 256 KiB
    EXPECT_EQ(sha256_hex(bytes), expected);

    // the same in small pieces
    total = polls_and_cancels([&] {
        Sha256 sha;
        for (std::size_t at = 0; at < bytes.size(); at += 1000)
            sha.update(std::string_view(bytes).substr(at, 1000));
        EXPECT_EQ(sha.hex(), expected);
    });
    EXPECT_GE(total, 15);
}

TEST_F(InterruptTest, ScoringPolls)
{
    QuestionSpec q{"q", "Teamwork", 90, {"Describes the situation [kw: rotation, shift, role]"}, std::nullopt};
    std::string answer;
    while (answer.size() < 19000)
        answer += "During my rotation I asked the nurse, um, and we paged the senior resident. ";
    Scorer reference(default_rubric());
    const std::string expected = reference.score(q, answer, 600, nullptr, Limits{}).to_json_text();

    Scorer scorer(default_rubric());
    long total = polls_and_cancels([&] { scorer.score(q, answer, 600, nullptr, Limits{}); });
    EXPECT_GE(total, 3);
    // cancelled at every poll in turn, the scorer still scores the same
    for (long at = 1; at <= total; ++at) {
        polls = 0;
        throw_at = at;
        EXPECT_THROW(scorer.score(q, answer, 600, nullptr, Limits{}), Cancelled) << at;
    }
    throw_at = 0;
    EXPECT_EQ(scorer.score(q, answer, 600, nullptr, Limits{}).to_json_text(), expected);

    // and a question's first score (its compile) too, wherever it stops
    polls = 0;
    Scorer(default_rubric()).score(q, answer, 600, nullptr, Limits{});
    const long first = polls;
    EXPECT_GT(first, total);
    for (long at : {1L, total + 1, first - total}) {
        Scorer fresh(default_rubric());
        polls = 0;
        throw_at = at;
        EXPECT_THROW(fresh.score(q, answer, 600, nullptr, Limits{}), Cancelled);
        throw_at = 0;
        EXPECT_EQ(fresh.score(q, answer, 600, nullptr, Limits{}).to_json_text(), expected);
    }
}

TEST_F(InterruptTest, TokenizerPolls)
{
    std::string text;
    while (text.size() < 300 * 1024)
        text += "one two three four. ";
    const std::size_t words = count_words(text);
    long total = polls_and_cancels([&] { count_words(text); });
    EXPECT_GE(total, 4);  // once per 64 KiB
    EXPECT_EQ(count_words(text), words);
}

}  // namespace
}  // namespace residency
