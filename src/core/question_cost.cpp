#include "question_cost.hpp"

#include "interrupt.hpp"
#include "phrase_matcher.hpp"
#include "scorer.hpp"

#include <algorithm>
#include <utility>

namespace residency {

namespace {

constexpr std::uint64_t saturated = PhraseMatcher::unlimited;

std::uint64_t add(std::uint64_t a, std::uint64_t b)
{
    return b > saturated - a ? saturated : a + b;
}
std::uint64_t mul(std::uint64_t a, std::uint64_t b)
{
    return a != 0 && b > saturated / a ? saturated : a * b;
}
std::uint64_t power(std::uint64_t base, std::size_t exponent)
{
    std::uint64_t out = 1;
    for (std::size_t k = 0; k < exponent && out != saturated; ++k)
        out = mul(out, base);
    return out;
}

// Byte classes for the scans below: bit 0 an ASCII letter or digit, bit 1
// the first byte of a non-ASCII character, bit 2 '*'.
struct ByteClasses {
    std::uint8_t of[256] = {};
    ByteClasses()
    {
        for (int b = 0; b < 256; ++b)
            of[b] =
                static_cast<std::uint8_t>(((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) |
                                          (b >= 0xC0) << 1 | (b == '*') << 2);
    }
};
const ByteClasses byte_classes;

// Words (at least) and stars of `text`, branch-free per byte.
struct WordsAndStars {
    std::size_t words = 0, stars = 0;
};
WordsAndStars words_and_stars(std::string_view text)
{
    std::size_t runs = 0, leads = 0, stars = 0;
    unsigned prev = 0;
    for (char ch : text) {
        const unsigned t = byte_classes.of[static_cast<unsigned char>(ch)];
        const unsigned alnum = t & 1u;
        runs += alnum & ~prev;  // a run of letters and digits starts
        prev = alnum;
        leads += (t >> 1) & 1u;  // a non-ASCII character
        stars += t >> 2;
    }
    return {runs + leads, stars};
}

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

QuestionKind kind_at(std::size_t k)
{
    return static_cast<QuestionKind>(k);
}

}  // namespace

std::size_t word_bound(std::string_view text)
{
    return words_and_stars(text).words;
}

CriterionScan scan_criterion(std::string_view criterion)
{
    CriterionScan out;
    out.keyword_list = for_each_keyword_item(criterion, [&](std::string_view item) {
        // A word is a prefix only where its part (normalize_phrase() reads
        // parts separated by spaces and tabs) ends in '*': at most as many
        // prefixes as stars, and as words.
        const WordsAndStars ws = words_and_stars(item);
        if (item.size() > out.longest.size())
            if (std::string_view t = trimmed(item); t.size() > out.longest.size())
                out.longest = t;
        ++out.keywords;
        out.words += ws.words;
        if (ws.words > max_phrase_words)
            ++out.long_keywords;
        ++out.by_prefix_words[std::min({ws.stars, ws.words, max_phrase_words})];
    });
    if (!out.keyword_list) {
        // Keywords derived from the text: each one word, a prefix.
        std::size_t words = word_bound(criterion);
        out.keywords = out.words = words;
        out.by_prefix_words[1] = static_cast<std::uint32_t>(std::min<std::size_t>(words, UINT32_MAX));
    }
    return out;
}

std::uint64_t QuestionCost::RubricPart::bound(std::uint64_t words) const
{
    // A phrase with alternatives a1..am has at most (a1 + w)..(am + w):
    // a + w for one prefix, and at most a1..am * (1 + w)^m for more.
    std::uint64_t out = add(plain, add(one_prefix_expansions, mul(one_prefix, words)));
    for (std::size_t m = 2; m < many_prefix_expansions.size(); ++m)
        out = add(out, mul(many_prefix_expansions[m], power(add(words, 1), m)));
    return out;
}

std::uint64_t QuestionCost::RubricPart::starting_with(std::string_view prefix) const
{
    auto first = std::lower_bound(sorted_vocabulary.begin(), sorted_vocabulary.end(), prefix,
                                  [](const std::string& item, std::string_view p) { return item < p; });
    auto last =
        std::upper_bound(first, sorted_vocabulary.end(), prefix, [](std::string_view p, const std::string& item) {
            return item.compare(0, p.size(), p.data(), p.size()) > 0;
        });
    return static_cast<std::uint64_t>(last - first);
}

QuestionCost::QuestionCost(const Rubric& rubric) : rubric_(rubric)
{
}

QuestionCost& QuestionCost::of_default()
{
    static QuestionCost cost(default_rubric());
    return cost;
}

const QuestionCost::RubricPart& QuestionCost::part(QuestionKind kind)
{
    std::optional<RubricPart>& slot = parts_[static_cast<std::size_t>(kind)];
    if (slot)
        return *slot;
    RubricPart p;
    p.phrases = rubric_phrases(rubric_, kind);
    PhraseMatcher matcher;
    std::vector<std::pair<std::string_view, bool>> vocabulary;
    for (const std::string& phrase : p.phrases) {
        matcher.add(phrase);
        PhraseMatcher::for_each_word(phrase,
                                     [&](std::string_view w, bool prefix) { vocabulary.emplace_back(w, prefix); });
    }
    poll_interrupts();
    p.expansions = matcher.expansions();
    for (std::uint32_t i = 0; i < p.phrases.size(); ++i) {
        std::size_t prefixes = 0;
        PhraseMatcher::for_each_word(p.phrases[i], [&](std::string_view, bool prefix) { prefixes += prefix; });
        std::uint64_t e = matcher.expansions(i);
        if (prefixes == 0) {
            p.plain = add(p.plain, e);
        } else if (prefixes == 1) {
            ++p.one_prefix;
            p.one_prefix_expansions = add(p.one_prefix_expansions, e);
        } else {
            if (p.many_prefix_expansions.size() <= prefixes)
                p.many_prefix_expansions.resize(prefixes + 1, 0);
            p.many_prefix_expansions[prefixes] = add(p.many_prefix_expansions[prefixes], e);
        }
    }
    std::sort(vocabulary.begin(), vocabulary.end());
    vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());
    p.vocabulary = vocabulary.size();
    for (const auto& [w, prefix] : vocabulary)
        p.sorted_vocabulary.emplace_back(w);
    std::sort(p.sorted_vocabulary.begin(), p.sorted_vocabulary.end());
    slot = std::move(p);
    return *slot;
}

std::uint64_t QuestionCost::quick_bound(const CriteriaScan& criteria)
{
    if (!worst_) {
        RubricPart w;
        for (std::size_t k = 0; k < parts_.size(); ++k) {
            const RubricPart& p = part(kind_at(k));
            w.vocabulary = std::max(w.vocabulary, p.vocabulary);
            w.plain = std::max(w.plain, p.plain);
            w.one_prefix = std::max(w.one_prefix, p.one_prefix);
            w.one_prefix_expansions = std::max(w.one_prefix_expansions, p.one_prefix_expansions);
            if (w.many_prefix_expansions.size() < p.many_prefix_expansions.size())
                w.many_prefix_expansions.resize(p.many_prefix_expansions.size(), 0);
            for (std::size_t m = 0; m < p.many_prefix_expansions.size(); ++m)
                w.many_prefix_expansions[m] = std::max(w.many_prefix_expansions[m], p.many_prefix_expansions[m]);
        }
        worst_ = std::move(w);
    }
    // A keyword with p prefix words has at most (vocabulary)^p expansions.
    const std::uint64_t words = criteria.words;
    const std::uint64_t vocabulary = add(worst_->vocabulary, words);
    std::uint64_t out = worst_->bound(words);
    for (std::size_t p = 0; p <= max_phrase_words; ++p)
        if (criteria.by_prefix_words[p] > 0)
            out = add(out, mul(criteria.by_prefix_words[p], power(vocabulary, p)));
    return out;
}

QuestionCost::Cost QuestionCost::cost(QuestionKind kind, const std::vector<std::string_view>& criteria,
                                      std::uint64_t limit)
{
    const RubricPart& r = part(kind);
    // The keywords as the Scorer adds them (normalize_phrase() of
    // criterion_keywords(), which are normalised already: normalising is
    // idempotent), by criterion.
    std::vector<std::string> keywords;
    std::vector<std::size_t> of_criterion;
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        poll_interrupts();
        for (std::string& kw : criterion_keywords(criteria[i], rubric_)) {
            keywords.push_back(std::move(kw));
            of_criterion.push_back(i);
        }
    }
    // The words and prefixes they add to the vocabulary.
    std::vector<std::pair<std::string_view, bool>> added;
    for (const std::string& kw : keywords)
        PhraseMatcher::for_each_word(kw, [&](std::string_view w, bool prefix) { added.emplace_back(w, prefix); });
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    const auto words = static_cast<std::uint64_t>(added.size());
    auto added_starting_with = [&](std::string_view prefix) {
        auto first = std::lower_bound(added.begin(), added.end(), std::make_pair(prefix, false));
        auto last = std::upper_bound(first, added.end(), prefix, [](std::string_view p, const auto& item) {
            return item.first.compare(0, p.size(), p) > 0;
        });
        return static_cast<std::uint64_t>(last - first);
    };

    // Step 2: a prefix stands for at most the rubric's words and prefixes it
    // starts plus all the criteria's, and for at least the larger of the
    // two counts; the rubric's phrases make at least what they make alone.
    Cost out;
    out.expansions = r.bound(words);
    std::uint64_t at_least = r.expansions;
    std::vector<std::uint64_t> at_least_by_criterion(criteria.size(), 0);
    for (std::size_t k = 0; k < keywords.size(); ++k) {
        std::uint64_t most = 1, least = 1;
        PhraseMatcher::for_each_word(keywords[k], [&](std::string_view w, bool prefix) {
            if (!prefix)
                return;
            const std::uint64_t rubric_words = r.starting_with(w);
            most = mul(most, add(rubric_words, words));
            least = mul(least, std::max(rubric_words, added_starting_with(w)));
        });
        out.expansions = add(out.expansions, most);
        at_least = add(at_least, least);
        at_least_by_criterion[of_criterion[k]] = add(at_least_by_criterion[of_criterion[k]], least);
    }
    if (out.expansions <= limit)
        return out;
    if (at_least > limit) {  // over, surely: no need to count exactly
        out.expansions = at_least;
        out.over = true;
        out.per_criterion = std::move(at_least_by_criterion);
        return out;
    }
    // Step 3: the exact count.
    out.exact = true;
    out.expansions = question_expansions(r.phrases, criteria, rubric_, &out.per_criterion);
    out.over = out.expansions > limit;
    return out;
}

}  // namespace residency
