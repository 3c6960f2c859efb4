// What the scorer's phases hand each other, behind one internal header (as
// pgvector's hnsw.h serves hnswbuild.c, hnswinsert.c and hnswscan.c).
// Scorer::score() (scorer.cpp) runs the phases in order:
//
//   scorer_compile.cpp  the rubric and a question compiled: phrases, criteria
//                       keywords, one automaton, the bounded cache of them
//   scorer_signals.cpp  the answer read once into Signals: words, symbols,
//                       matches, and the counting passes
//   scorer_checks.cpp   the 7 checks, one function each: Signals -> CheckResult
//   scorer_summary.cpp  the overall score and its caps, what_changed, the
//                       practice rule
//   scorer_output.cpp   the result's details, and the result as JSON
//   scorer_texts.cpp    the rubric's texts cut at their placeholders, and the
//                       figures written into them
//
// Only those files (and unit tests) include it; scorer.hpp is the interface.
#pragma once
#include "pure.hpp"

#include "json_input.hpp"
#include "json_sink.hpp"
#include "phrase_matcher.hpp"
#include "rubric.hpp"
#include "scorer.hpp"
#include "tokenizer.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace residency {
namespace scoring {

// ---------------------------------------------------------------------------
// Arithmetic. Scores are rounded half up once, at the end of each check;
// figures in the output are rounded to fixed decimals, so that the JSON text
// is the same on every run.

inline int round_half_up(double x)
{
    return static_cast<int>(std::floor(x + 0.5));
}
inline double round_to(double x, int decimals)
{
    double f = decimals == 1 ? 10.0 : decimals == 2 ? 100.0 : 1000.0;
    return std::floor(x * f + 0.5) / f;
}

// ---------------------------------------------------------------------------
// Texts (scorer_texts.cpp)

using Placeholders = std::vector<std::pair<std::string, std::string>>;

// A note, fix or practice text cut once at its "{name}" placeholders, so
// that filling it appends its pieces rather than searching the text for
// braces on every call. A placeholder without a value stays as it is, a
// '{' without a '}' is text, and values are not searched again. Holds views
// of `text`, which must outlive it.
class TextTemplate {
public:
    explicit TextTemplate(std::string_view text);
    std::string fill(const Placeholders& values) const;

private:
    struct Piece {
        std::string_view literal;  // the text before the placeholder
        std::string_view name;
        bool placeholder;  // false for the text after the last one
    };
    std::vector<Piece> pieces_;
    std::size_t size_;  // of the whole text
};

// Templates by id; views of the Scorer's rubric, which never changes.
using TextTable = std::unordered_map<std::string_view, TextTemplate>;
TextTable text_table(const std::map<std::string, std::string>& texts);
// The text `id` filled from `values`; empty when the table has no such id.
std::string fill_text(const TextTable& texts, std::string_view id, const Placeholders& values);

std::string fixed(double x, int decimals);    // "7.4": rounded half up to 1 or 2 decimals
std::string whole(double x);                  // "105": rounded half up
std::string word_count_text(std::int64_t n);  // "1 word", "47 words"

// ---------------------------------------------------------------------------
// The compiled question (scorer_compile.cpp)

// What a pattern of the automaton stands for.
enum class Lexicon : std::uint8_t {
    filler_core,
    filler_discourse,
    hedge,
    flagged,
    i_word,
    we_word,
    you_word,
    plan_frame,
    past_verb,
    detail_word,
    structure_cue,
    criterion,
};

struct PatternInfo {
    Lexicon lexicon;
    std::uint16_t index;  // flagged term, structure part, criterion
    std::string phrase;
};

// ---------------------------------------------------------------------------
// Signals (scorer_signals.cpp)

// The bytes of a word of n <= 16 bytes in each of the two integers that
// SymbolMemo holds it as: one load each, where computing them branched on n.
struct WordMasks {
    std::uint64_t first[17] = {}, second[17] = {};
    constexpr WordMasks()
    {
        for (std::size_t n = 0; n <= 16; ++n) {
            first[n] = n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
            second[n] = n >= 16 ? ~std::uint64_t{0} : n <= 8 ? 0 : (std::uint64_t{1} << (8 * (n - 8))) - 1;
        }
    }
};
inline constexpr WordMasks word_masks{};

// The symbols of the words seen lately: answers repeat their words ("I",
// "the", "patient"), and a lookup here is a hash and one compare where the
// matcher's trie walk branched at every character. A direct-mapped table of
// words up to 16 bytes, each held as two integers (a word has no zero byte,
// so the zero padding tells its length), tagged with the compiled question
// whose matcher gave the symbol; a word that collides replaces the one
// before. One table per Scorer (24 kB, within L1), whatever the number of
// questions: with 512 entries a 300-word answer's vocabulary collided often
// enough that the misses cost more than the larger table.
// Little-endian machines only (the integers must hold a word's bytes in
// order); elsewhere every word goes to the matcher.
class SymbolMemo {
public:
    // `word` must have 16 readable bytes (Words::padding); `owner` > 0
    // names the matcher. Inline: it runs for every word.
    std::uint32_t symbol(std::string_view word, const PhraseMatcher& matcher, std::uint32_t owner)
    {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        const std::size_t n = word.size();
        if (n > 16)
            return matcher.symbol(word);
        std::uint64_t a, b;
        std::memcpy(&a, word.data(), 8);
        std::memcpy(&b, word.data() + 8, 8);
        a &= word_masks.first[n];
        b &= word_masks.second[n];
        std::uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15u) ^ owner) * 0xBF58476D1CE4E5B9u;
        Entry& e = entries_[h >> (64 - bits)];
        if (e.owner == owner && e.a == a && e.b == b)
            return e.symbol;
        e = Entry{a, b, owner, matcher.symbol(word)};
        return e.symbol;
#else
        (void) owner;
        return matcher.symbol(word);
#endif
    }

private:
    static constexpr int bits = 10;
    struct Entry {
        std::uint64_t a = 0, b = 0;
        std::uint32_t owner = 0;  // 0: empty
        std::uint32_t symbol = 0;
    };
    std::array<Entry, std::size_t{1} << bits> entries_{};
};

// A concrete detail, with its first 16 bytes as two big-endian integers
// (zero past its end): sorting the details in byte order is then mostly
// integer compares, not a call to memcmp each. A word has no zero byte, so
// two words of up to 16 bytes are equal exactly when their keys are.
struct Detail {
    std::uint64_t hi, lo;
    std::string_view word;

    explicit Detail(std::string_view w)
        : hi(big_endian_prefix(w)),
          lo(w.size() > 8 ? big_endian_prefix(w.substr(8)) : 0),
          word(w)
    {
    }
    bool operator<(const Detail& o) const
    {
        if (hi != o.hi)
            return hi < o.hi;
        if (lo != o.lo)
            return lo < o.lo;
        return (word.size() > 16 || o.word.size() > 16) && word < o.word;
    }
    bool operator==(const Detail& o) const
    {
        return hi == o.hi && lo == o.lo && ((word.size() <= 16 && o.word.size() <= 16) || word == o.word);
    }

private:
    // The first 8 bytes of `w`, zero-filled, the first byte highest.
    static std::uint64_t big_endian_prefix(std::string_view w)
    {
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < 8; ++k)
            v = v << 8 | (k < w.size() ? static_cast<unsigned char>(w[k]) : 0u);
        return v;
    }
};

// Everything the checks read, gathered in one pass over the answer. A new
// measurement goes here, filled by read_answer().
struct Signals {
    std::int64_t words = 0;
    double seconds = 0;
    bool estimated = false;
    double wpm = 0;
    double per100 = 0;  // 100 / words (0 without words): a count times it is a rate per 100 words

    int filler_core = 0, filler_discourse = 0, stutters = 0;
    std::vector<std::pair<std::string_view, int>> filler_counts;  // by phrase, most often first, ties in byte order
    int hedges = 0;
    std::vector<std::string_view> hedge_examples;
    std::vector<std::size_t> flagged;  // indexes into rubric.flagged_terms, first seen first
    int i_words = 0, we_words = 0, you_words = 0, i_actions = 0, plan_frames = 0;
    // token indexes where each structure part shows, in word order: its
    // cues, and for a past story's action part its "I did" statements too
    std::vector<std::vector<std::int64_t>> part_positions;
    std::vector<std::int64_t> i_action_positions;
    std::vector<std::string> criterion_match;  // matched keyword per criterion, empty if none
    std::vector<Detail> details;               // distinct concrete details, views of the answer's words
    bool caps_reliable = false;

    // Ready for the next answer, keeping the vectors' buffers.
    void reset();
};

// Reads the answer into x.signals: its duration, its words and what its
// phrases show. Throws Error 22023 for a typed answer without words, PT413
// when the question's phrases match it too often. Polls for interrupts.
const Signals& read_answer(Scorer::Scratch& x, const Scorer::Compiled& c, const Rubric& r, std::string_view answer,
                           std::optional<double> duration_s);

// ---------------------------------------------------------------------------
// Checks (scorer_checks.cpp)

// What each check reads.
struct CheckInput {
    const Signals& s;
    const Rubric& r;
    const Scorer::Compiled& c;  // the question's kind, structure parts and criteria
    const QuestionSpec& q;
    const std::array<int, check_count>& weights;  // of the question's kind
};

// Runs the 7 checks into `out`, each with its note, and writes each one's
// metrics, score, outcome and display as the object details[k].
void run_checks(const CheckInput& in, const TextTable& notes, std::array<CheckResult, check_count>& out,
                std::array<JsonEvents, check_count>& details);

// ---------------------------------------------------------------------------
// Summary (scorer_summary.cpp)

// What the summary found besides the result's fields, for details.overall
// and details.improvement.
struct Summary {
    double mean = 0;                // the weighted mean of the checks that count
    double predicted = 0;           // intercept + slope x mean: the predicted rating, 0..100, before the caps
    std::vector<std::string> caps;  // the caps that applied, in words
    JsonEvents improvement;         // {check, from, to}; empty when nothing improved
};

// Fills out.overall_score, what_changed and practice_rule from the checks
// (capping the content checks of an answer too short to evaluate).
// `previous` is an earlier result for the same question, or null.
Summary summarise(ScoreResult& out, const Signals& s, const Rubric& r, const QuestionSpec& q, const Json* previous,
                  const Scorer::Texts& texts);

// ---------------------------------------------------------------------------
// Output (scorer_output.cpp)

// out.details: the rubric, the weights, the overall mean and its caps, the
// improvement, then each check's object of `check_details`.
void write_details(ScoreResult& out, const Summary& summary, const std::array<JsonEvents, check_count>& check_details,
                   const Rubric& r, const Scorer::Compiled& c, const QuestionSpec& q);

}  // namespace scoring

// The rubric's notes, fixes and practice rules, cut at their placeholders.
struct Scorer::Texts {
    scoring::TextTable notes, fixes, practice;
};

// A question compiled for scoring, kept in the Scorer's cache.
struct Scorer::Compiled {
    QuestionKind kind;
    PhraseMatcher matcher;
    std::uint32_t id;                          // > 0, distinct per Scorer: names its matcher in the SymbolMemo
    std::vector<scoring::Lexicon> lexicon_of;  // patterns[p].lexicon, packed: the consuming passes read only this
    std::vector<scoring::PatternInfo> patterns;
    std::vector<std::string> criteria;  // texts without their [kw: ...]
    const std::vector<Rubric::Part>* parts;
    std::uint64_t last_used = 0;  // Scorer::use_clock_ when last scored
    std::size_t bytes = 0;        // what it holds, roughly (for the Scorer's cache budget)
};

// What one call of score() works in, kept between calls so that scoring an
// answer allocates almost nothing once the buffers have grown.
struct Scorer::Scratch {
    scoring::SymbolMemo memo;
    Words words;
    std::vector<std::uint32_t> symbols;
    std::vector<PhraseMatcher::Match> matches;
    std::array<std::vector<PhraseMatcher::Match>, 4> consuming;  // matches of each consuming lexicon, by priority
    std::vector<std::int8_t> consumed;                           // what took each word (scorer_signals.cpp)
    std::vector<std::uint8_t> past, i_word;
    std::vector<std::uint32_t> i_at;    // positions of the word "i"
    std::vector<std::uint32_t> picked;  // positions of concrete details
    scoring::Signals signals;
    std::array<JsonEvents, check_count> check_details;  // each check's metrics, spliced into the result's details

    // After an answer that matched very often, the buffers that grew with
    // the matches are given back: a Scorer keeps what a usual answer needs.
    void trim()
    {
        constexpr std::size_t keep = 1 << 14;  // elements
        auto shrink = [&](auto& v) {
            if (v.capacity() > keep)
                std::decay_t<decltype(v)>().swap(v);
        };
        shrink(matches);
        for (auto& list : consuming)
            shrink(list);
        shrink(signals.details);
        for (auto& positions : signals.part_positions)
            shrink(positions);
    }
    // Trims on every way out of score().
    struct Trim {
        Scratch& x;
        ~Trim() { x.trim(); }
    };
};

}  // namespace residency
