// Compiling the rubric and a question for scoring: the rubric's phrases and
// the question's criteria keywords, normalised, in one phrase automaton per
// question (Scorer::Compiled), kept in a bounded cache of compiled questions.
// Rule P1 counts the same patterns (rubric_phrases, question_expansions).
#include "scorer_internal.hpp"

#include "interrupt.hpp"

#include <algorithm>

namespace residency {

using scoring::Lexicon;
using scoring::PatternInfo;

namespace {

// The phrases a question's automaton holds before its criteria keywords,
// as the rubric writes them, in the order they are added, with what each
// stands for: one list for Scorer::compiled() and rubric_phrases() (rule
// P1's count).
template <class F>
void each_rubric_phrase(const Rubric& r, QuestionKind kind, F&& add)
{
    for (const auto& p : r.filler_core)
        add(p, Lexicon::filler_core, 0);
    for (const auto& p : r.filler_discourse)
        add(p, Lexicon::filler_discourse, 0);
    for (const auto& p : r.hedges_lexicon)
        add(p, Lexicon::hedge, 0);
    for (std::size_t i = 0; i < r.flagged_terms.size(); ++i)
        add(r.flagged_terms[i].first, Lexicon::flagged, i);
    for (const auto& p : r.i_words)
        add(p, Lexicon::i_word, 0);
    for (const auto& p : r.we_words)
        add(p, Lexicon::we_word, 0);
    for (const auto& p : r.you_words)
        add(p, Lexicon::you_word, 0);
    for (const auto& p : r.plan_frames)
        add(p, Lexicon::plan_frame, 0);
    for (const auto& p : r.irregular_past)
        add(p, Lexicon::past_verb, 0);
    for (const auto& p : r.detail_words)
        add(p, Lexicon::detail_word, 0);
    if (auto parts = r.structure.find(kind); parts != r.structure.end())
        for (std::size_t i = 0; i < parts->second.size(); ++i)
            for (const auto& cue : parts->second[i].cues)
                add(cue, Lexicon::structure_cue, i);
}

// Adds question `q`'s patterns to `c`: the rubric's phrases for its kind,
// then the keywords of each of its criteria.
void add_patterns(Scorer::Compiled& c, const QuestionSpec& q, const Rubric& r)
{
    auto add = [&](const std::string& phrase, Lexicon lexicon, std::size_t index) {
        std::string normal = normalize_phrase(phrase);
        int id = c.matcher.add(normal);
        if (id >= 0) {
            c.patterns.push_back({lexicon, static_cast<std::uint16_t>(index), normal});
            c.lexicon_of.push_back(lexicon);
        }
    };
    each_rubric_phrase(r, c.kind, add);
    auto parts = r.structure.find(c.kind);
    c.parts = parts != r.structure.end() ? &parts->second : nullptr;
    for (std::size_t i = 0; i < q.evaluation_criteria.size(); ++i) {
        poll_interrupts();
        c.criteria.push_back(criterion_text(q.evaluation_criteria[i]));
        for (const std::string& kw : criterion_keywords(q.evaluation_criteria[i], r))
            add(kw, Lexicon::criterion, i);
    }
}

// What a compiled question holds, roughly, for the cache's budget (strings
// of up to 15 bytes live inside their std::string).
std::size_t compiled_bytes(const Scorer::Compiled& c, const std::string& key)
{
    std::size_t bytes = sizeof(Scorer::Compiled) + c.matcher.memory_bytes() + key.capacity() +
                        c.lexicon_of.capacity() * sizeof(Lexicon) + c.patterns.capacity() * sizeof(PatternInfo) +
                        c.criteria.capacity() * sizeof(std::string);
    for (const PatternInfo& p : c.patterns)
        bytes += p.phrase.capacity() > 15 ? p.phrase.capacity() + 1 : 0;
    for (const std::string& text : c.criteria)
        bytes += text.capacity() > 15 ? text.capacity() + 1 : 0;
    return bytes;
}

}  // namespace

// ---------------------------------------------------------------------------
// Phrases and criteria

std::string normalize_phrase(std::string_view phrase)
{
    std::string out;
    std::size_t i = 0;
    while (i < phrase.size()) {
        while (i < phrase.size() && (phrase[i] == ' ' || phrase[i] == '\t'))
            ++i;
        std::size_t j = i;
        while (j < phrase.size() && phrase[j] != ' ' && phrase[j] != '\t')
            ++j;
        std::string_view word = phrase.substr(i, j - i);
        bool prefix = !word.empty() && word.back() == '*';
        if (prefix)
            word.remove_suffix(1);
        bool has_words = false;
        for (const Token& t : tokenize(word).tokens) {
            if (!out.empty())
                out += ' ';
            out += t.norm;
            has_words = true;
        }
        // the star marks this part's last word a prefix; a part with no
        // word (punctuation only) has nothing to mark
        if (prefix && has_words)
            out += '*';
        i = j;
    }
    return out;
}

std::string criterion_text(std::string_view criterion)
{
    std::size_t kw = criterion.rfind("[kw:");
    std::string_view text = kw == std::string_view::npos ? criterion : criterion.substr(0, kw);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return std::string(text);
}

std::vector<std::string> criterion_keywords(std::string_view criterion, const Rubric& rubric)
{
    std::vector<std::string> out;
    if (for_each_keyword_item(criterion, [&](std::string_view item) {
            if (std::string phrase = normalize_phrase(item); !phrase.empty())
                out.push_back(phrase);
        }))
        return out;
    // No explicit keywords: the content words of the text, lightly stemmed
    // and matched as prefixes ("Acknowledges the concern" -> acknowledg*, concern*).
    for (const Token& t : tokenize(criterion).tokens) {
        std::string w = t.norm;
        if (w.size() < 4 || !t.has_letter)
            continue;
        if (std::find(rubric.stopwords.begin(), rubric.stopwords.end(), w) != rubric.stopwords.end())
            continue;
        if (std::size_t apostrophe = w.find('\''); apostrophe != std::string::npos)
            w.erase(apostrophe);
        for (const char* suffix : {"ing", "ed", "es", "s", "ly"}) {
            std::size_t n = std::char_traits<char>::length(suffix);
            if (w.size() > n + 3 && w.compare(w.size() - n, n, suffix) == 0) {
                w.erase(w.size() - n);
                break;
            }
        }
        std::string pattern = w + "*";
        if (std::find(out.begin(), out.end(), pattern) == out.end())
            out.push_back(pattern);
    }
    return out;
}

QuestionKind question_kind(const QuestionSpec& q, const Rubric& rubric)
{
    if (q.kind)
        return *q.kind;
    if (auto it = rubric.kinds.find(q.category); it != rubric.kinds.end())
        return it->second;
    return QuestionKind::behavioral;
}

// ---------------------------------------------------------------------------
// The cache of compiled questions

const Scorer::Compiled& Scorer::compiled(const QuestionSpec& q, const Limits& limits) const
{
    // A question id names one question of the scorer's pack.
    const std::string& key = q.id;
    if (auto it = questions_.find(key); it != questions_.end()) {
        it->second->last_used = ++use_clock_;
        return *it->second;
    }
    auto c = std::make_unique<Compiled>();
    c->kind = question_kind(q, rubric_);
    add_patterns(*c, q, rubric_);
    c->matcher.compile(limits.max_question_expansions);
    c->bytes = compiled_bytes(*c, key);
    make_room(c->bytes);
    c->id = ++compiled_count_;  // never 0, never reused: a SymbolMemo entry of an evicted matcher stays stale
    c->last_used = ++use_clock_;
    cached_bytes_ += c->bytes;
    return *questions_.emplace(key, std::move(c)).first->second;
}

void Scorer::make_room(std::size_t bytes) const
{
    // Least recently used first. A linear scan: at most
    // max_cached_questions entries, and only when a question is compiled,
    // which costs far more.
    while (!questions_.empty() &&
           (questions_.size() >= max_cached_questions || cached_bytes_ + bytes > cache_budget_bytes)) {
        auto oldest = questions_.begin();
        for (auto it = questions_.begin(); it != questions_.end(); ++it)
            if (it->second->last_used < oldest->second->last_used)
                oldest = it;
        cached_bytes_ -= oldest->second->bytes;
        questions_.erase(oldest);
    }
}

// ---------------------------------------------------------------------------
// Rule P1's count of the same patterns

std::vector<std::string> rubric_phrases(const Rubric& rubric, QuestionKind kind)
{
    std::vector<std::string> out;
    each_rubric_phrase(rubric, kind, [&](const std::string& phrase, Lexicon, std::size_t) {
        if (std::string normal = normalize_phrase(phrase); !normal.empty())
            out.push_back(std::move(normal));
    });
    return out;
}

std::uint64_t question_expansions(const std::vector<std::string>& rubric_phrases,
                                  const std::vector<std::string_view>& criteria, const Rubric& rubric,
                                  std::vector<std::uint64_t>* per_criterion)
{
    // The phrases Scorer::compiled() adds, in its order (each_rubric_phrase()
    // is rubric_phrases()'s order), counted by the matcher that compiles them.
    PhraseMatcher matcher;
    for (const std::string& p : rubric_phrases)
        matcher.add(p);
    std::vector<std::pair<int, std::size_t>> keywords;  // (pattern, criterion)
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        poll_interrupts();
        for (const std::string& kw : criterion_keywords(criteria[i], rubric))
            if (int id = matcher.add(normalize_phrase(kw)); id >= 0)
                keywords.emplace_back(id, i);
    }
    std::uint64_t total = matcher.expansions();
    if (per_criterion) {
        per_criterion->assign(criteria.size(), 0);
        for (const auto& [id, i] : keywords) {
            std::uint64_t& sum = (*per_criterion)[i];
            std::uint64_t more = matcher.expansions(static_cast<std::uint32_t>(id));
            sum = more > PhraseMatcher::unlimited - sum ? PhraseMatcher::unlimited : sum + more;
        }
    }
    return total;
}

}  // namespace residency
