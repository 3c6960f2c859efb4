// PhraseMatcher (src/core/phrase_matcher.hpp): the scorer's lexicons
// (fillers, hedges, cues, criteria keywords) are matched on whole words by one
// Aho-Corasick automaton over word symbols. A phrase never matches inside a
// word ("um" is not in "umbrella"); a word ending in '*' is a prefix
// ("escalat*" matches "escalated").
#include "phrase_matcher.hpp"

#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace residency {

// Matches print as (first, length, pattern) in failure messages.
void PrintTo(const PhraseMatcher::Match& m, std::ostream* os)
{
    *os << "(first " << m.first << ", length " << m.length << ", pattern " << m.pattern << ")";
}

bool operator==(const PhraseMatcher::Match& a, const PhraseMatcher::Match& b)
{
    return std::tie(a.first, a.length, a.pattern) == std::tie(b.first, b.length, b.pattern);
}

namespace {

using Match = PhraseMatcher::Match;
using Matches = std::vector<Match>;

// A compiled matcher of `phrases`; pattern ids are their positions.
PhraseMatcher matcher(const std::vector<std::string>& phrases)
{
    PhraseMatcher m;
    for (std::size_t i = 0; i < phrases.size(); ++i)
        EXPECT_EQ(m.add(phrases[i]), static_cast<int>(i)) << phrases[i];
    m.compile();
    return m;
}

// The symbols of an answer, one per token, as the scorer makes them.
std::vector<std::uint32_t> symbols(const PhraseMatcher& m, std::string_view text)
{
    std::vector<std::uint32_t> out;
    for (const Token& t : tokenize(text).tokens)
        out.push_back(m.symbol(t.norm));
    return out;
}

Matches find(const PhraseMatcher& m, std::string_view text)
{
    Matches out;
    m.find(symbols(m, text), out);
    return out;
}

// The pattern ids found in `text`, in the order reported.
std::vector<std::uint32_t> patterns_in(const PhraseMatcher& m, std::string_view text)
{
    std::vector<std::uint32_t> out;
    for (const Match& x : find(m, text))
        out.push_back(x.pattern);
    return out;
}

using Ids = std::vector<std::uint32_t>;

// ---- whole words --------------------------------------------------------

TEST(PhraseMatcher, MatchesWholeWordsOnly)
{
    PhraseMatcher m = matcher({"um", "like"});
    EXPECT_EQ(patterns_in(m, "um"), Ids({0}));
    EXPECT_EQ(patterns_in(m, "Um, I took my umbrella"), Ids({0}));
    EXPECT_EQ(patterns_in(m, "umbrella"), Ids{});
    EXPECT_EQ(patterns_in(m, "hum drum"), Ids{});
    EXPECT_EQ(patterns_in(m, "I liked it, likely"), Ids{});
    EXPECT_EQ(patterns_in(m, "it was, like, fine"), Ids({1}));
}

TEST(PhraseMatcher, EveryOccurrenceIsReported)
{
    PhraseMatcher m = matcher({"um"});
    EXPECT_EQ(find(m, "um so um then um"), Matches({{0, 1, 0}, {2, 1, 0}, {4, 1, 0}}));
}

TEST(PhraseMatcher, MultiWordPhrases)
{
    PhraseMatcher m = matcher({"you know", "i mean", "on the other hand"});
    EXPECT_EQ(find(m, "It was, you know, hard"), Matches({{2, 2, 0}}));
    EXPECT_EQ(patterns_in(m, "you do know"), Ids{});
    EXPECT_EQ(patterns_in(m, "know you"), Ids{});
    EXPECT_EQ(find(m, "I mean, on the other hand, I mean it"), Matches({{0, 2, 1}, {2, 4, 2}, {6, 2, 1}}));
    // a phrase's words are whole words too
    EXPECT_EQ(patterns_in(m, "you knowledge"), Ids{});
}

TEST(PhraseMatcher, RepeatedWordsInAPhrase)
{
    PhraseMatcher m = matcher({"um um"});
    // "um um um" holds the phrase twice, overlapping
    EXPECT_EQ(find(m, "um um um"), Matches({{0, 2, 0}, {1, 2, 0}}));
}

TEST(PhraseMatcher, OverlappingPhrasesAreAllReported)
{
    PhraseMatcher m = matcher({"you know", "know what", "you know what", "what"});
    // Ordered by end position; among matches that end together, longest first.
    EXPECT_EQ(find(m, "you know what I mean"), Matches({{0, 2, 0}, {0, 3, 2}, {1, 2, 1}, {2, 1, 3}}));
}

TEST(PhraseMatcher, APhraseInsideALongerOneIsReported)
{
    PhraseMatcher m = matcher({"i think", "i think that i", "think"});
    EXPECT_EQ(find(m, "I think that I would"), Matches({{0, 2, 0}, {1, 1, 2}, {0, 4, 1}}));
}

TEST(PhraseMatcher, FailureLinksFindALaterStart)
{
    // "a b c" fails at "d"; "b d" starts inside the failed attempt.
    PhraseMatcher m = matcher({"a b c", "b d"});
    EXPECT_EQ(find(m, "a b d"), Matches({{1, 2, 1}}));
    EXPECT_EQ(find(m, "a a b c"), Matches({{1, 3, 0}}));
}

TEST(PhraseMatcher, PositionsAreTokenIndexes)
{
    PhraseMatcher m = matcher({"paged the senior"});
    // Annotations and punctuation are not tokens; positions count words.
    Matches found = find(m, "[inaudible] At 3 am, I paged the senior, then waited.");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].first, 4u);
    EXPECT_EQ(found[0].length, 3u);
    EXPECT_EQ(found[0].pattern, 0u);
    Transcript t = tokenize("[inaudible] At 3 am, I paged the senior, then waited.");
    EXPECT_EQ(t.tokens[found[0].first].norm, "paged");
    EXPECT_EQ(t.tokens[found[0].first + found[0].length - 1].norm, "senior");
}

TEST(PhraseMatcher, ContractionsAndCurlyApostrophes)
{
    // Phrases are given normalised (' for apostrophes); the tokenizer
    // normalises curly apostrophes in the answer.
    PhraseMatcher m = matcher({"i'm not sure", "don't"});
    EXPECT_EQ(patterns_in(m, "I\xE2\x80\x99m not sure I don\xE2\x80\x99t"), Ids({0, 1}));
    EXPECT_EQ(patterns_in(m, "im not sure"), Ids{});
}

// ---- prefixes -------------------------------------------------------------

TEST(PhraseMatcher, PrefixMatchesEveryWordStartingWithIt)
{
    PhraseMatcher m = matcher({"escalat*"});
    for (const char* word : {"escalate", "escalated", "escalating", "escalation", "escalations", "Escalated"})
        EXPECT_EQ(patterns_in(m, word), Ids({0})) << word;
    for (const char* word : {"escape", "escala", "escalte", "de-escalate", "deescalate"})
        EXPECT_EQ(patterns_in(m, word), Ids{}) << word;
    // the stem itself is a word that starts with the stem
    EXPECT_EQ(patterns_in(m, "escalat"), Ids({0}));
}

TEST(PhraseMatcher, PrefixInsideAPhrase)
{
    PhraseMatcher m = matcher({"i escalat*", "report* to"});
    EXPECT_EQ(find(m, "then I escalated it"), Matches({{1, 2, 0}}));
    EXPECT_EQ(find(m, "I reported it to them, I report to her"), Matches({{6, 2, 1}}));
    EXPECT_EQ(patterns_in(m, "we escalated"), Ids{});
}

TEST(PhraseMatcher, PrefixAndExactWordSharingAStemBothMatch)
{
    // "escalate" gets its own symbol as an exact word; the prefix must still
    // see it.
    PhraseMatcher m = matcher({"escalat*", "escalate"});
    EXPECT_EQ(patterns_in(m, "escalate"), Ids({0, 1}));
    EXPECT_EQ(patterns_in(m, "escalated"), Ids({0}));
    EXPECT_EQ(patterns_in(m, "escalation"), Ids({0}));

    // The same with the exact word in a multi-word phrase and the prefix
    // alone, added in the other order.
    PhraseMatcher n = matcher({"i escalate", "escalat*"});
    EXPECT_EQ(find(n, "I escalate"), Matches({{0, 2, 0}, {1, 1, 1}}));
}

TEST(PhraseMatcher, ShorterAndLongerPrefixesBothMatchALongWord)
{
    PhraseMatcher m = matcher({"esc*", "escalat*"});
    EXPECT_EQ(patterns_in(m, "escalation"), Ids({0, 1}));
    EXPECT_EQ(patterns_in(m, "escalat"), Ids({0, 1}));
    EXPECT_EQ(patterns_in(m, "escape"), Ids({0}));
    EXPECT_EQ(patterns_in(m, "es"), Ids{});

    // and in phrases
    PhraseMatcher n = matcher({"i esc*", "i escalat*"});
    EXPECT_EQ(patterns_in(n, "I escalated"), Ids({0, 1}));
    EXPECT_EQ(patterns_in(n, "I escaped"), Ids({0}));
}

TEST(PhraseMatcher, ExactWordInsideALongerPrefixIsNotAPrefixMatch)
{
    // "rep" is an exact word; "report*" is a prefix. "rep" must not match
    // "report*", "reports" must not match "rep".
    PhraseMatcher m = matcher({"rep", "report*"});
    EXPECT_EQ(patterns_in(m, "rep"), Ids({0}));
    EXPECT_EQ(patterns_in(m, "reports"), Ids({1}));
    EXPECT_EQ(patterns_in(m, "repeat"), Ids{});
}

// ---- symbols and ids ------------------------------------------------------

TEST(PhraseMatcher, AddReturnsSequentialIdsAndMinusOneForNoWord)
{
    PhraseMatcher m;
    EXPECT_EQ(m.add("um"), 0);
    EXPECT_EQ(m.add(""), -1);
    EXPECT_EQ(m.add("   "), -1);
    EXPECT_EQ(m.add("  you   know  "), 1);  // extra spaces are separators
    EXPECT_EQ(m.add("um"), 2);              // the same phrase twice: two ids
    EXPECT_EQ(m.patterns(), 3u);
    m.compile();
    EXPECT_EQ(find(m, "um you know"), Matches({{0, 1, 0}, {0, 1, 2}, {1, 2, 1}}));
}

TEST(PhraseMatcher, CompiledState)
{
    PhraseMatcher m;
    EXPECT_FALSE(m.compiled());
    m.add("um");
    m.compile();
    EXPECT_TRUE(m.compiled());
    m.add("uh");  // adding again needs another compile
    EXPECT_FALSE(m.compiled());
}

// Regression: a second compile() used freed memory (it reset nodes_ but not
// root_next_, so child() answered from the previous automaton's root index
// and insert() read and wrote nodes that no longer existed; ASan reported
// heap-use-after-free in PhraseMatcher::insert, a plain build aborted with
// "free(): double free detected"). Fixed in cd57816. add() after compile()
// clears compiled(), so recompiling is part of the interface. Run in a child
// process so that a crash cannot take the suite down.
TEST(PhraseMatcherDeathTest, CompileAgainAfterAdd)
{
    EXPECT_EXIT(
        {
            PhraseMatcher m;
            m.add("um");
            m.compile();
            m.add("uh");
            m.compile();
            Matches out;
            m.find({m.symbol("um"), m.symbol("uh")}, out);
            std::exit(out == Matches({{0, 1, 0}, {1, 1, 1}}) && m.compiled() ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

// Regression: the same use-after-free with nothing added in between.
TEST(PhraseMatcherDeathTest, CompileTwice)
{
    EXPECT_EXIT(
        {
            PhraseMatcher m;
            m.add("you know");
            m.add("um");
            m.compile();
            m.compile();
            Matches out;
            m.find({m.symbol("um"), m.symbol("you"), m.symbol("know")}, out);
            std::exit(out == Matches({{0, 1, 1}, {1, 2, 0}}) ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST(PhraseMatcher, UnknownWordsAreSymbolZero)
{
    PhraseMatcher m = matcher({"um", "you know", "escalat*"});
    EXPECT_EQ(m.symbol("umbrella"), 0u);
    EXPECT_EQ(m.symbol("u"), 0u);
    EXPECT_EQ(m.symbol(""), 0u);
    EXPECT_EQ(m.symbol("escala"), 0u);
    EXPECT_EQ(m.symbol("patient"), 0u);
    EXPECT_NE(m.symbol("um"), 0u);
    EXPECT_NE(m.symbol("you"), 0u);
    EXPECT_NE(m.symbol("know"), 0u);
    EXPECT_NE(m.symbol("escalation"), 0u);
    // every distinct lexicon word has its own symbol; words with the same
    // longest prefix share it
    EXPECT_NE(m.symbol("you"), m.symbol("know"));
    EXPECT_EQ(m.symbol("escalation"), m.symbol("escalated"));
    // symbols are case-sensitive: tokens arrive normalised
    EXPECT_EQ(m.symbol("UM"), 0u);
}

TEST(PhraseMatcher, SymbolsAndMatchesAreDeterministic)
{
    const std::vector<std::string> lexicon = {"um",       "uh",      "you know", "i mean", "kind of", "sort of",
                                              "escalat*", "report*", "i would",  "i'd",    "maybe",   "i think"};
    const std::string answer =
        "Um, I think I would, you know, escalate it. I'd report it, maybe, I mean kind of sort of escalated.";
    PhraseMatcher a = matcher(lexicon);
    PhraseMatcher b = matcher(lexicon);
    PhraseMatcher c = matcher(lexicon);
    Transcript t = tokenize(answer);
    for (const Token& tok : t.tokens) {
        EXPECT_EQ(a.symbol(tok.norm), b.symbol(tok.norm)) << tok.norm;
        EXPECT_EQ(a.symbol(tok.norm), c.symbol(tok.norm)) << tok.norm;
    }
    Matches ma = find(a, answer);
    EXPECT_EQ(ma, find(b, answer));
    EXPECT_EQ(ma, find(c, answer));
    EXPECT_EQ(ma.size(), 12u);

    // Symbols are given in the order words first appear in the phrases.
    EXPECT_EQ(a.symbol("um"), 1u);
    EXPECT_EQ(a.symbol("uh"), 2u);
    EXPECT_EQ(a.symbol("you"), 3u);
    EXPECT_EQ(a.symbol("know"), 4u);
}

TEST(PhraseMatcher, FindAppendsToTheOutput)
{
    PhraseMatcher m = matcher({"um"});
    Matches out = {{9, 9, 9}};
    m.find(symbols(m, "um"), out);
    EXPECT_EQ(out, Matches({{9, 9, 9}, {0, 1, 0}}));
    m.find({}, out);
    EXPECT_EQ(out.size(), 2u);
}

// ---- expansions: counted, then built ----------------------------------------

// The patterns a phrase list expands to, counted the slow way: a prefix
// stands for itself, every longer prefix and every word that starts with it.
std::uint64_t brute_force_expansions(const std::vector<std::string>& phrases)
{
    std::vector<std::pair<std::string, bool>> vocabulary;
    for (const std::string& p : phrases)
        PhraseMatcher::for_each_word(p, [&](std::string_view w, bool prefix) {
            std::pair<std::string, bool> item(w, prefix);
            if (std::find(vocabulary.begin(), vocabulary.end(), item) == vocabulary.end())
                vocabulary.push_back(item);
        });
    std::uint64_t total = 0;
    for (const std::string& p : phrases) {
        std::uint64_t product = 1;
        PhraseMatcher::for_each_word(p, [&](std::string_view w, bool prefix) {
            if (!prefix)
                return;
            std::uint64_t alternatives = 0;
            for (const auto& [v, is_prefix] : vocabulary)
                alternatives += v.compare(0, w.size(), w) == 0;
            product *= alternatives;
        });
        total += product;
    }
    return total;
}

TEST(PhraseMatcherExpansions, CountedAsBuilt)
{
    const std::vector<std::vector<std::string>> cases = {
        {},
        {"um", "you know"},
        {"escalat*"},
        // nested prefixes and words under them
        {"esc*", "escal*", "escalat*", "escalate", "escalated", "escape", "i esc* to*", "to", "tom*"},
        // a prefix that is also a lexicon word, and a word inside a longer prefix
        {"rep", "rep*", "report*", "reports", "i rep*", "rep* rep*"},
        // the same phrase twice, and combinations of combinations
        {"a* b*", "a* b*", "a", "ab", "abc*", "b", "ba*", "a* a* a*"},
        // prefixes of one letter, and a star that is a word
        {"* x", "x*", "xy", "x* x* x* x*", "y*"},
    };
    for (const auto& phrases : cases) {
        PhraseMatcher m;
        for (const std::string& p : phrases)
            m.add(p);
        const std::uint64_t counted = m.expansions();
        EXPECT_EQ(counted, brute_force_expansions(phrases)) << testing::PrintToString(phrases);
        std::uint64_t by_phrase = 0;
        for (std::uint32_t i = 0; i < phrases.size(); ++i)
            by_phrase += m.expansions(i);
        EXPECT_EQ(by_phrase, counted);
        m.compile(counted);
        EXPECT_EQ(m.built_patterns(), counted) << testing::PrintToString(phrases);
        EXPECT_EQ(m.expansions(), counted);  // still known once compiled
        // every expansion is a path of its phrase's length: at most 1 + L * E nodes
        std::size_t longest = 0;
        for (const std::string& p : phrases) {
            std::size_t words = 0;
            PhraseMatcher::for_each_word(p, [&](std::string_view, bool) { ++words; });
            longest = std::max(longest, words);
        }
        EXPECT_LE(m.nodes(), 1 + longest * counted);
    }
}

TEST(PhraseMatcherExpansions, AddingAfterCountingCountsAgain)
{
    PhraseMatcher m;
    m.add("rep*");
    EXPECT_EQ(m.expansions(), 1u);
    m.add("report");
    EXPECT_EQ(m.expansions(), 3u);  // rep* now also stands for "report"
    m.compile();
    m.add("repeat");
    EXPECT_EQ(m.expansions(), 5u);
}

// Compile is linear: 20,000 prefix keywords (far beyond what P1 lets a
// question hold) compile, and match as they did (the time is measured by
// test/bench/bench_scorer.cpp's BM_CompilePrefixKeywords, not here).
TEST(PhraseMatcherExpansions, TwentyThousandPrefixKeywords)
{
    PhraseMatcher m;
    for (int i = 0; i < 20000; ++i)
        m.add("kw" + std::to_string(i) + "*");
    // kwN* stands for every kwM* whose digits start with N's: each
    // keyword counts once per digit (kw19999 under kw1*, ..., kw19999*)
    EXPECT_EQ(m.expansions(), 10u * 1 + 90u * 2 + 900u * 3 + 9000u * 4 + 10000u * 5);
    m.compile(PhraseMatcher::unlimited - 1);
    EXPECT_EQ(m.built_patterns(), m.expansions());
    Matches out;
    m.find({m.symbol("kw19999"), m.symbol("kw7x"), m.symbol("kw")}, out);
    // kw19999 is kw1*, kw19*, kw199*, kw1999*, kw19999*; kw7x is kw7*
    EXPECT_EQ(out, Matches({{0, 1, 1}, {0, 1, 19}, {0, 1, 199}, {0, 1, 1999}, {0, 1, 19999}, {1, 1, 7}}));
}

// A node with many children (one prefix standing for thousands of words)
// is searched by bisection; it finds what a scan finds.
TEST(PhraseMatcherExpansions, WideNodes)
{
    PhraseMatcher m;
    for (int i = 0; i < 3000; ++i)
        m.add("w" + std::to_string(i));
    const int pattern = m.add("start w* end");
    m.compile();
    for (int i : {0, 1, 17, 1499, 2999}) {
        const std::string w = "w" + std::to_string(i);
        Matches out;
        m.find({m.symbol("start"), m.symbol(w), m.symbol("end")}, out);
        EXPECT_EQ(out, Matches({{1, 1, static_cast<std::uint32_t>(i)}, {0, 3, static_cast<std::uint32_t>(pattern)}}))
            << w;
    }
    Matches out;
    m.find({m.symbol("start"), m.symbol("x"), m.symbol("end")}, out);
    EXPECT_EQ(out, Matches{});
}

TEST(PhraseMatcher, FindStopsAtMaxOut)
{
    PhraseMatcher m = matcher({"um", "um", "um um"});
    Matches out;
    const std::vector<std::uint32_t> ums(10, m.symbol("um"));
    EXPECT_TRUE(m.find(ums, out));
    EXPECT_EQ(out.size(), 29u);
    out.clear();
    EXPECT_FALSE(m.find(ums, out, 20));
    EXPECT_EQ(out.size(), 20u);
    out.clear();
    EXPECT_TRUE(m.find(ums, out, 29));
}

TEST(PhraseMatcher, EmptyMatcherFindsNothing)
{
    PhraseMatcher m;
    m.compile();
    EXPECT_EQ(m.patterns(), 0u);
    EXPECT_EQ(m.symbol("anything"), 0u);
    EXPECT_EQ(find(m, "anything at all"), Matches{});
}

}  // namespace
}  // namespace residency
