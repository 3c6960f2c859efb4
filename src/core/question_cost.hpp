// What a question's phrase automaton costs to build, for rule P1
// (content_pack_check.hpp): the automaton the Scorer compiles for a
// question holds the rubric's lexicons, the structure cues of the
// question's kind and the question's criteria keywords, each prefix word
// spelled out (PhraseMatcher::expansions()), and a question over
// Limits::max_question_expansions is refused.
//
// Counting exactly means normalising every keyword and building the
// vocabulary, too slow for every question of a large pack. So P1 counts in
// three steps, each only when the one before is over the limit:
//  1. quick_bound(): an upper bound from the raw criteria texts alone (how
//     many keywords, words and prefix words they can have) and figures of
//     the rubric computed once (per rubric; for the compiled-in rubric,
//     once per process): a few arithmetic operations per criterion;
//  2. a tighter bound from the normalised keywords, counting the rubric
//     words each prefix can stand for, and a lower bound (what the prefix
//     surely stands for): over the limit, the question is refused without
//     counting exactly;
//  3. the exact count: question_expansions() (scorer.hpp), the Scorer's
//     own phrases counted by PhraseMatcher::expansions().
// The bounds rest on this: the criteria add at most as many words and
// prefixes to the vocabulary as they have words (w), so a prefix has at
// most (rubric words and prefixes it starts) + w alternatives, and a
// rubric phrase with alternatives a1..am now has at most (a1 + w)..(am + w).
#pragma once
#include "pure.hpp"

#include "content_pack.hpp"
#include "limits.hpp"
#include "rubric.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

// At least the number of words tokenize() finds in `text`, from its bytes
// alone: every word holds a run of ASCII letters and digits, or a non-ASCII
// character, and no such run is shared by two words.
std::size_t word_bound(std::string_view text);

// What the raw text of one evaluation criterion allows its keywords to be,
// read without normalising it. Counts are upper bounds (criterion_keywords()
// may find fewer); `longest` is exact.
struct CriterionScan {
    bool keyword_list = false;      // it has a "[kw: ...]" list
    std::size_t keywords = 0;       // the list's items, else the words of its text
    std::size_t words = 0;          // the words of all its keywords
    std::size_t long_keywords = 0;  // list items that may have more than max_phrase_words words
    std::string_view longest;       // its longest list item, trimmed
    // Keywords by the prefix words they may have (more than
    // max_phrase_words: counted at max_phrase_words, and long_keywords).
    std::array<std::uint32_t, max_phrase_words + 1> by_prefix_words{};
};
CriterionScan scan_criterion(std::string_view criterion);

// The scans of a question's criteria, added up: what quick_bound() reads.
struct CriteriaScan {
    std::uint64_t words = 0;
    std::array<std::uint64_t, max_phrase_words + 1> by_prefix_words{};

    void add(const CriterionScan& s)
    {
        words += s.words;
        for (std::size_t p = 0; p <= max_phrase_words; ++p)
            by_prefix_words[p] += s.by_prefix_words[p];
    }
};

class QuestionCost {
public:
    // Keeps a reference to `rubric`.
    explicit QuestionCost(const Rubric& rubric);

    // The cost model of default_rubric(), shared by every check (one
    // backend thread).
    static QuestionCost& of_default();

    const Rubric& rubric() const { return rubric_; }

    // The rubric's part of the automaton of every question of a kind.
    struct RubricPart {
        std::vector<std::string> phrases;  // rubric_phrases(rubric, kind)
        std::uint64_t expansions = 0;      // of these phrases alone
        std::uint64_t vocabulary = 0;      // their distinct words and prefixes
        std::vector<std::string> sorted_vocabulary;
        // For bound(): phrases with no prefix word, with one (and their
        // expansions), and the expansions of those with m >= 2, by m.
        std::uint64_t plain = 0, one_prefix = 0, one_prefix_expansions = 0;
        std::vector<std::uint64_t> many_prefix_expansions;

        // At least the expansions of these phrases once criteria have added
        // up to `words` words and prefixes to the vocabulary.
        std::uint64_t bound(std::uint64_t words) const;
        // Words and prefixes of the vocabulary that start with `prefix`.
        std::uint64_t starting_with(std::string_view prefix) const;
    };
    const RubricPart& part(QuestionKind kind);

    // Step 1: at least the expansions of a question whose criteria add up
    // to `criteria`, whatever its kind.
    std::uint64_t quick_bound(const CriteriaScan& criteria);

    // Steps 2 and 3 for a question of `kind`. Within `limit`: `expansions`
    // is an upper bound (or, `exact`, the count). Over it (`over`):
    // `expansions` is a lower bound that is over the limit, or the exact
    // count; `per_criterion` holds each criterion's own share of it (the
    // same kind of figure).
    struct Cost {
        std::uint64_t expansions = 0;
        bool exact = false;
        bool over = false;
        std::vector<std::uint64_t> per_criterion;
    };
    Cost cost(QuestionKind kind, const std::vector<std::string_view>& criteria, std::uint64_t limit);

private:
    const Rubric& rubric_;
    std::array<std::optional<RubricPart>, 3> parts_;
    std::optional<RubricPart> worst_;  // the largest figures of the three kinds, for quick_bound()
};

}  // namespace residency
