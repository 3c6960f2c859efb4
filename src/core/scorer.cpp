#include "scorer.hpp"

#include "error.hpp"
#include "interrupt.hpp"
#include "json_sink.hpp"
#include "json_writer.hpp"
#include "text.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_map>

namespace residency {

namespace {

// ---------------------------------------------------------------------------
// Arithmetic. Scores are rounded half up once, at the end of each check;
// figures in the output are rounded to fixed decimals, so that the JSON text
// is the same on every run.

int round_half_up(double x)
{
    return static_cast<int>(std::floor(x + 0.5));
}
double round_to(double x, int decimals)
{
    double f = decimals == 1 ? 10.0 : decimals == 2 ? 100.0 : 1000.0;
    return std::floor(x * f + 0.5) / f;
}

double lerp(double x, double x0, double y0, double x1, double y1)
{
    if (x1 == x0)
        return x >= x1 ? y1 : y0;
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

int trapezoid(double x, const Band& b)
{
    double s;
    if (x <= b.zero_lo || x >= b.zero_hi)
        s = 0;
    else if (x < b.pass_lo)
        s = lerp(x, b.zero_lo, 0, b.pass_lo, 70);
    else if (x < b.ideal_lo)
        s = lerp(x, b.pass_lo, 70, b.ideal_lo, 100);
    else if (x <= b.ideal_hi)
        s = 100;
    else if (x <= b.pass_hi)
        s = lerp(x, b.ideal_hi, 100, b.pass_hi, 70);
    else
        s = lerp(x, b.pass_hi, 70, b.zero_hi, 0);
    return std::clamp(round_half_up(s), 0, 100);
}

int ceiling_score(double x, const Ceiling& c)
{
    double s = x <= c.ideal  ? 100
               : x <= c.pass ? lerp(x, c.ideal, 100, c.pass, 70)
               : x >= c.zero ? 0
                             : lerp(x, c.pass, 70, c.zero, 0);
    return std::clamp(round_half_up(s), 0, 100);
}

int floor_score(double x, const Floor& f)
{
    double s = x >= f.ideal  ? 100
               : x >= f.pass ? lerp(x, f.pass, 70, f.ideal, 100)
               : x <= f.zero ? 0
                             : lerp(x, f.zero, 0, f.pass, 70);
    return std::clamp(round_half_up(s), 0, 100);
}

std::string fixed(double x, int decimals)
{
    // the value rounded half up, as an integer of tenths or hundredths
    double rounded = std::floor(x * (decimals == 1 ? 10.0 : 100.0) + 0.5);
    if (!(std::fabs(rounded) < 9.0e15))
        return format_number(x);
    long long scaled = static_cast<long long>(rounded);
    std::string digits = std::to_string(scaled < 0 ? -scaled : scaled);
    if (digits.size() <= static_cast<std::size_t>(decimals))
        digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
    return scaled < 0 ? "-" + digits : digits;
}

std::string whole(double x)
{
    return std::to_string(round_half_up(x));
}

std::string word_count_text(std::int64_t n)
{
    return std::to_string(n) + (n == 1 ? " word" : " words");
}

// ---------------------------------------------------------------------------
// Pattern ids of the compiled automaton: what each phrase stands for.

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

bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

namespace {

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
    // names the matcher.
    std::uint32_t symbol(std::string_view word, const PhraseMatcher& matcher, std::uint32_t owner)
    {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (word.size() > 16)
            return matcher.symbol(word);
        std::uint64_t a, b;
        std::memcpy(&a, word.data(), 8);
        std::memcpy(&b, word.data() + 8, 8);
        const std::size_t n = word.size();
        a &= n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
        b &= n >= 16 ? ~std::uint64_t{0} : n <= 8 ? 0 : (std::uint64_t{1} << (8 * (n - 8))) - 1;
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

}  // namespace

struct Scorer::Compiled {
    QuestionKind kind;
    PhraseMatcher matcher;
    std::uint32_t id;                 // > 0, distinct per Scorer: names its matcher in the SymbolMemo
    std::vector<Lexicon> lexicon_of;  // patterns[p].lexicon, packed: the consuming passes read only this
    std::vector<PatternInfo> patterns;
    std::vector<std::string> criteria;  // texts without their [kw: ...]
    const std::vector<Rubric::Part>* parts;
    std::uint64_t last_used = 0;  // Scorer::use_clock_ when last scored
    std::size_t bytes = 0;        // what it holds, roughly (for the Scorer's cache budget)
};

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
// The rubric's texts, ready to fill.

namespace {

using Placeholders = std::vector<std::pair<std::string, std::string>>;

// A note, fix or practice text cut once at its "{name}" placeholders, so
// that filling it appends its pieces: fill_template() searched the text for
// braces on every call. The output is fill_template()'s: a placeholder
// without a value stays as it is, and a '{' without a '}' is text.
class TextTemplate {
public:
    explicit TextTemplate(std::string_view text) : size_(text.size())
    {
        std::size_t done = 0;  // text[0, done) is in pieces_
        std::size_t open = text.find('{');
        while (open != std::string_view::npos) {
            std::size_t close = text.find('}', open + 1);
            if (close == std::string_view::npos)
                break;
            std::string_view name = text.substr(open + 1, close - open - 1);
            // "{a{b}": no value is named "a{b"; the placeholder is "{b}"
            if (name.find('{') != std::string_view::npos) {
                open = text.find('{', open + 1);
                continue;
            }
            pieces_.push_back({text.substr(done, open - done), name, true});
            done = close + 1;
            open = text.find('{', done);
        }
        pieces_.push_back({text.substr(done), {}, false});
    }

    std::string fill(const Placeholders& values) const
    {
        std::string out;
        out.reserve(size_ + 32);
        for (const Piece& p : pieces_) {
            out += p.literal;
            if (!p.placeholder)
                continue;
            auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == p.name; });
            if (it != values.end()) {
                out += it->second;
            } else {
                out += '{';
                out += p.name;
                out += '}';
            }
        }
        return out;
    }

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

TextTable text_table(const std::map<std::string, std::string>& texts)
{
    TextTable out;
    for (const auto& [id, text] : texts)
        out.emplace(id, TextTemplate(text));
    return out;
}

}  // namespace

struct Scorer::Texts {
    TextTable notes, fixes, practice;
};

Scorer::Scorer(Rubric rubric)
    : rubric_(std::move(rubric)),
      texts_(std::make_unique<Texts>(
          Texts{text_table(rubric_.notes), text_table(rubric_.fixes), text_table(rubric_.practice)}))
{
}
Scorer::~Scorer() = default;

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
    auto add = [&](const std::string& phrase, Lexicon lexicon, std::size_t index) {
        std::string normal = normalize_phrase(phrase);
        int id = c->matcher.add(normal);
        if (id >= 0) {
            c->patterns.push_back({lexicon, static_cast<std::uint16_t>(index), normal});
            c->lexicon_of.push_back(lexicon);
        }
    };
    const Rubric& r = rubric_;
    each_rubric_phrase(r, c->kind, add);
    auto parts = r.structure.find(c->kind);
    c->parts = parts != r.structure.end() ? &parts->second : nullptr;
    for (std::size_t i = 0; i < q.evaluation_criteria.size(); ++i) {
        poll_interrupts();
        c->criteria.push_back(criterion_text(q.evaluation_criteria[i]));
        for (const std::string& kw : criterion_keywords(q.evaluation_criteria[i], r))
            add(kw, Lexicon::criterion, i);
    }
    c->matcher.compile(limits.max_question_expansions);

    std::size_t bytes = sizeof(Compiled) + c->matcher.memory_bytes() + key.capacity() +
                        c->lexicon_of.capacity() * sizeof(Lexicon) + c->patterns.capacity() * sizeof(PatternInfo) +
                        c->criteria.capacity() * sizeof(std::string);
    for (const PatternInfo& p : c->patterns)
        bytes += p.phrase.capacity() > 15 ? p.phrase.capacity() + 1 : 0;
    for (const std::string& text : c->criteria)
        bytes += text.capacity() > 15 ? text.capacity() + 1 : 0;
    c->bytes = bytes;
    make_room(bytes);
    c->id = ++compiled_count_;  // never 0, never reused: a SymbolMemo entry of an evicted matcher stays stale
    c->last_used = ++use_clock_;
    cached_bytes_ += bytes;
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

namespace {

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

// Everything the checks read, gathered in one pass over the answer.
struct Signals {
    std::int64_t words = 0;
    double seconds = 0;
    bool estimated = false;
    double wpm = 0;

    int filler_core = 0, filler_discourse = 0, stutters = 0;
    std::vector<std::pair<std::string_view, int>> filler_counts;  // by phrase, for "most often"
    int hedges = 0;
    std::vector<std::string_view> hedge_examples;
    std::vector<std::size_t> flagged;  // indexes into rubric.flagged_terms, first seen first
    int i_words = 0, we_words = 0, you_words = 0, i_actions = 0, plan_frames = 0;
    std::vector<std::vector<std::int64_t>> part_positions;  // token indexes of each structure part's cues
    std::vector<std::int64_t> i_action_positions;
    std::vector<std::string> criterion_match;  // matched keyword per criterion, empty if none
    std::vector<Detail> details;               // distinct concrete details, views of the answer's words
    bool caps_reliable = false;

    // Ready for the next answer, keeping the vectors' buffers.
    void reset()
    {
        words = 0;
        seconds = wpm = 0;
        estimated = caps_reliable = false;
        filler_core = filler_discourse = stutters = hedges = 0;
        i_words = we_words = you_words = i_actions = plan_frames = 0;
        filler_counts.clear();
        hedge_examples.clear();
        flagged.clear();
        for (auto& positions : part_positions)
            positions.clear();
        i_action_positions.clear();
        details.clear();
    }
};

// Word lists as string_views: comparing one is a length check and a
// memcmp, no strlen.
using namespace std::string_view_literals;
constexpr std::string_view stutter_exceptions[] = {"that"sv, "had"sv, "very"sv, "no"sv, "bye"sv, "so"sv};
constexpr std::string_view like_not_before[] = {"a"sv,  "an"sv,   "the"sv, "this"sv, "that"sv, "to"sv,
                                                "me"sv, "him"sv,  "her"sv, "them"sv, "us"sv,   "it"sv,
                                                "my"sv, "your"sv, "our"sv, "his"sv};
constexpr std::string_view like_after[] = {"was"sv, "is"sv, "'s"sv, "were"sv, "and"sv, "but"sv,
                                           "so"sv,  "um"sv, "uh"sv, "just"sv, "it's"sv};
constexpr std::string_view you_know_not_before[] = {"that"sv, "how"sv,     "why"sv,  "where"sv, "when"sv,
                                                    "if"sv,   "whether"sv, "what"sv, "who"sv};
constexpr std::string_view kind_of_not_after[] = {"what"sv, "this"sv,  "that"sv,  "the"sv,  "a"sv,         "any"sv,
                                                  "some"sv, "every"sv, "which"sv, "same"sv, "different"sv, "all"sv};
constexpr std::string_view i_think_not_before[] = {"about"sv, "of"sv, "through"sv, "back"sv};
constexpr std::string_view action_adverbs[] = {"then"sv,  "also"sv,     "immediately"sv, "quickly"sv, "personally"sv,
                                               "first"sv, "finally"sv,  "eventually"sv,  "later"sv,   "again"sv,
                                               "just"sv,  "actually"sv, "really"sv};

template <std::size_t N>
bool in(std::string_view w, const std::string_view (&list)[N])
{
    for (std::string_view x : list)  // the first bytes tell most apart without a call to memcmp
        if (w.size() == x.size() && w[0] == x[0] && w == x)
            return true;
    return false;
}

// A check's template placeholders, from name, value, name, value...: each
// value is moved in (an initializer list would copy every string).
inline void add_values(Placeholders&)
{
}
template <class... Rest>
void add_values(Placeholders& out, const char* name, std::string value, Rest&&... rest)
{
    out.emplace_back(name, std::move(value));
    add_values(out, std::forward<Rest>(rest)...);
}
template <class... Rest>
void set_values(Placeholders& out, Rest&&... rest)
{
    out.clear();
    add_values(out, std::forward<Rest>(rest)...);
}

// Adds the sorted `more` to the sorted `v`, which stays sorted: merged
// from the back, in place (sorting the two together took longer).
void merge_into(std::vector<std::int64_t>& v, const std::vector<std::int64_t>& more)
{
    std::size_t a = v.size(), b = more.size();
    v.resize(a + b);
    for (std::size_t out = v.size(); b > 0;)
        v[--out] = a > 0 && v[a - 1] > more[b - 1] ? v[--a] : more[--b];
}

bool is_pause(char c)
{
    return c == ',' || c == '.' || c == ';' || c == ':' || c == '?' || c == '!';
}

// Discourse markers count as fillers only in filler position (DESIGN.md
// section 5; research/rubric-proposal.md 4.3).
bool discourse_is_filler(const Words& t, std::size_t first, std::size_t length, bool prev_is_filler,
                         bool next_is_filler)
{
    const WordSpan& a = t.spans[first];
    const WordSpan& z = t.spans[first + length - 1];
    const bool has_next = first + length < t.size();
    const std::string_view next = has_next ? t.text(first + length) : std::string_view();
    const std::string_view prev = first > 0 ? t.text(first - 1) : std::string_view();
    bool isolated = is_pause(a.punct_before) || is_pause(z.punct_after) || first == 0 || a.sentence_start;
    const std::string_view phrase = t.text(first);
    if (length == 1 && phrase == "like") {
        if (is_pause(a.punct_before) && is_pause(a.punct_after))
            return true;  // ", like," whatever follows
        if (has_next && in(next, like_not_before))
            return false;
        return (first > 0 && in(prev, like_after)) || prev_is_filler || next_is_filler;
    }
    if (length == 1 && phrase == "so")  // only as an opener: first, or before a pause or a filler
        return first == 0 || a.punct_after == ',' || next_is_filler;
    if (length == 1 && phrase == "right")
        return a.punct_after == '?';
    if (length == 2 && phrase == "you")  // "you know"
        return !(has_next && in(next, you_know_not_before));
    if (length == 2 && phrase == "okay")  // "okay so"
        return isolated;
    return isolated || prev_is_filler || next_is_filler;
}

bool hedge_applies(const Words& t, std::size_t first, std::size_t length)
{
    const bool has_next = first + length < t.size();
    const std::string_view w0 = t.text(first);
    if (length == 2 && w0 == "i" && t.text(first + 1) == "think" && has_next &&
        in(t.text(first + length), i_think_not_before))
        return false;
    if (length == 2 && (w0 == "kind" || w0 == "sort") && first > 0 && in(t.text(first - 1), kind_of_not_after))
        return false;
    return true;
}

// Loops over an answer's matches poll for interrupts once per chunk of
// them: a usual answer has a few hundred, but patterns that all end on the
// same words can make a million. Returns the end of the chunk that starts
// at `begin`, having polled.
const PhraseMatcher::Match* polled_chunk(const PhraseMatcher::Match* begin, const PhraseMatcher::Match* end)
{
    poll_interrupts();
    return end - begin > 4096 ? begin + 4096 : end;
}

// Matches by first word, longest first, in find()'s order where both are
// equal (a stable sort). find() gives them by last word, so only phrases of
// several words move: a stable insertion sort does a few steps where
// std::stable_sort would allocate and merge. Its worst case is quadratic
// (thousands of long patterns overlapping on the same words), so beyond
// insertion_sort_max matches (a long answer has fewer) two stable counting
// sorts do it in linear time instead: by length, longest first, then by
// first word. `words` bounds every first word.
constexpr std::size_t insertion_sort_max = 2048;

[[gnu::noinline]] void counting_sort_by_first_word(std::vector<PhraseMatcher::Match>& matches, std::size_t words)
{
    using Match = PhraseMatcher::Match;
    std::size_t longest = 0;
    for (const Match& m : matches)
        longest = std::max<std::size_t>(longest, m.length);
    std::vector<Match> by_length(matches.size());
    std::vector<std::size_t> start(std::max(longest, words) + 2, 0);
    auto counting_sort = [&](std::vector<Match>& from, std::vector<Match>& to, auto&& key, std::size_t keys) {
        std::fill(start.begin(), start.begin() + static_cast<std::ptrdiff_t>(keys) + 1, 0);
        for (std::size_t i = 0; i < from.size(); ++i) {
            if (i % 65536 == 0)
                poll_interrupts();
            ++start[key(from[i]) + 1];
        }
        for (std::size_t v = 0; v < keys; ++v)
            start[v + 1] += start[v];
        for (std::size_t i = 0; i < from.size(); ++i) {
            if (i % 65536 == 0)
                poll_interrupts();
            to[start[key(from[i])]++] = from[i];
        }
    };
    counting_sort(
        matches, by_length, [&](const Match& m) { return longest - m.length; }, longest + 1);
    counting_sort(
        by_length, matches, [](const Match& m) { return static_cast<std::size_t>(m.first); }, words);
}

void sort_by_first_word(std::vector<PhraseMatcher::Match>& matches, std::size_t words)
{
    if (matches.size() > insertion_sort_max) {
        counting_sort_by_first_word(matches, words);
        return;
    }
    for (std::size_t k = 1; k < matches.size(); ++k) {
        PhraseMatcher::Match m = matches[k];
        std::size_t j = k;
        for (; j > 0; --j) {
            const PhraseMatcher::Match& p = matches[j - 1];
            if (p.first < m.first || (p.first == m.first && p.length >= m.length))
                break;
            matches[j] = p;
        }
        matches[j] = m;
    }
}

}  // namespace

// What one call of score() works in, kept between calls so that scoring an
// answer allocates almost nothing once the buffers have grown.
struct Scorer::Scratch {
    SymbolMemo memo;
    Words words;
    std::vector<std::uint32_t> symbols;
    std::vector<PhraseMatcher::Match> matches;
    std::array<std::vector<PhraseMatcher::Match>, 4> consuming;  // matches of each consuming lexicon, by priority
    std::vector<std::int8_t> consumed;
    std::vector<std::uint8_t> past, i_word;
    std::vector<std::uint32_t> i_at;    // positions of the word "i"
    std::vector<std::uint32_t> picked;  // positions of concrete details
    Signals signals;
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

ScoreResult Scorer::score(const QuestionSpec& q, std::string_view answer, std::optional<double> duration_s,
                          const Json* previous, const Limits& limits) const
{
    const Rubric& r = rubric_;
    if (is_blank(answer))
        throw Error(sqlstate::invalid_parameter_value, "answer is blank", "There is nothing to score.",
                    "Send the answer's text or transcript.");
    // A code point is at least one byte: only an answer of more bytes than
    // the limit can have too many characters, and only then are they counted.
    if (std::size_t chars = answer.size() > limits.max_answer_chars ? count_chars(answer) : 0;
        chars > limits.max_answer_chars)
        throw Error(sqlstate::payload_too_large, "answer is too long",
                    "The answer has " + std::to_string(chars) + " characters; the limit is " +
                        std::to_string(limits.max_answer_chars) + " (residency.max_answer_chars).",
                    "Shorten the answer.");
    if (duration_s && !(*duration_s > 0 && *duration_s <= 3600))
        throw Error(sqlstate::invalid_parameter_value, "invalid duration_s",
                    "duration_s is " + format_number(*duration_s) + "; it must be greater than 0 and at most 3600.",
                    "Send the length of the recording in seconds, or NULL for a typed answer.");
    if (!(q.expected_duration_s > 0))
        throw Error(sqlstate::invalid_parameter_value, "question has no expected duration");

    const Compiled& c = compiled(q, limits);
    if (!scratch_)
        scratch_ = std::make_unique<Scratch>();
    Scratch& x = *scratch_;
    Scratch::Trim trim{x};
    const Words& t = x.words;
    tokenize(answer, x.words);
    const std::size_t n = t.size();
    Signals& s = x.signals;
    s.reset();
    s.words = static_cast<std::int64_t>(n);
    if (s.words == 0 && !duration_s)
        throw Error(sqlstate::invalid_parameter_value, "answer has no words",
                    "The typed answer holds no word to score (only symbols or punctuation).",
                    "Send the answer's text.");

    // Duration: the recording's, or a typed answer's estimate at typed_wpm.
    if (duration_s) {
        s.seconds = round_to(*duration_s, 1) > 0 ? round_to(*duration_s, 1) : 0.1;
    } else {
        s.estimated = true;
        s.seconds = std::max(0.1, round_to(static_cast<double>(s.words) * 60.0 / r.typed_wpm, 1));
    }
    s.wpm = round_to(static_cast<double>(s.words) * 60.0 / s.seconds, 1);

    // One pass of the automaton over the answer's word symbols.
    poll_interrupts();
    std::vector<std::uint32_t>& symbols = x.symbols;
    symbols.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        symbols[k] = x.memo.symbol(t.text(k), c.matcher, c.id);
    std::vector<PhraseMatcher::Match>& matches = x.matches;
    matches.clear();
    // An answer's words match a few patterns each; a pack whose phrases
    // repeat the same words could make every word match thousands.
    const std::size_t max_matches = max_matches_per_word * n + 4096;
    if (!c.matcher.find(symbols, matches, max_matches))
        throw Error(sqlstate::payload_too_large, "answer too costly to score",
                    "The question's phrases match the answer's " + word_count_text(s.words) + " more than " +
                        std::to_string(max_matches) + " times.",
                    "The pack's lexicons or keywords repeat the same words many times over: ask its author to "
                    "remove the repetitions.");
    sort_by_first_word(matches, n);

    // Consuming lexicons: each word belongs to at most one of them, by
    // priority flagged > hedge > core filler > discourse filler.
    std::vector<std::int8_t>& consumed = x.consumed;  // 0 none, 1 flagged, 2 hedge, 3 filler
    consumed.assign(n, 0);
    auto free_span = [&](const PhraseMatcher::Match& m) {
        for (std::uint32_t k = m.first; k < m.first + m.length; ++k)
            if (consumed[k])
                return false;
        return true;
    };
    auto take = [&](const PhraseMatcher::Match& m, std::int8_t as) {
        for (std::uint32_t k = m.first; k < m.first + m.length; ++k)
            consumed[k] = as;
    };
    // Most matches are of other lexicons: the consuming ones are gathered,
    // in order, in one scan, rather than each pass scanning every match.
    constexpr Lexicon passes[] = {Lexicon::flagged, Lexicon::hedge, Lexicon::filler_core, Lexicon::filler_discourse};
    for (auto& list : x.consuming)
        list.clear();
    const PhraseMatcher::Match* const matched = matches.data();
    const PhraseMatcher::Match* const matched_end = matched + matches.size();
    for (const PhraseMatcher::Match* at = matched; at != matched_end;)
        for (const PhraseMatcher::Match* chunk_end = polled_chunk(at, matched_end); at != chunk_end; ++at) {
            const PhraseMatcher::Match& m = *at;
            for (std::size_t k = 0; k < x.consuming.size(); ++k)
                if (c.lexicon_of[m.pattern] == passes[k])
                    x.consuming[k].push_back(m);
        }
    for (std::size_t k = 0; k < x.consuming.size(); ++k) {
        const Lexicon pass = passes[k];
        const PhraseMatcher::Match* const listed_end = x.consuming[k].data() + x.consuming[k].size();
        for (const PhraseMatcher::Match* at = x.consuming[k].data(); at != listed_end;)
            for (const PhraseMatcher::Match* chunk_end = polled_chunk(at, listed_end); at != chunk_end; ++at) {
                const PhraseMatcher::Match& m = *at;
                if (!free_span(m))
                    continue;
                const PatternInfo& p = c.patterns[m.pattern];
                if (pass == Lexicon::flagged) {
                    take(m, 1);
                    if (std::find(s.flagged.begin(), s.flagged.end(), p.index) == s.flagged.end())
                        s.flagged.push_back(p.index);
                } else if (pass == Lexicon::hedge) {
                    if (!hedge_applies(t, m.first, m.length))
                        continue;
                    take(m, 2);
                    ++s.hedges;
                    if (s.hedge_examples.size() < 3 &&
                        std::find(s.hedge_examples.begin(), s.hedge_examples.end(), p.phrase) == s.hedge_examples.end())
                        s.hedge_examples.push_back(p.phrase);
                } else {
                    bool prev_filler = m.first > 0 && consumed[m.first - 1] == 3;
                    bool next_filler = m.first + m.length < n && consumed[m.first + m.length] == 3;
                    if (pass == Lexicon::filler_discourse &&
                        !discourse_is_filler(t, m.first, m.length, prev_filler, next_filler))
                        continue;
                    take(m, 3);
                    (pass == Lexicon::filler_core ? s.filler_core : s.filler_discourse) += 1;
                    auto seen = std::find_if(s.filler_counts.begin(), s.filler_counts.end(),
                                             [&](const auto& f) { return f.first == p.phrase; });
                    if (seen == s.filler_counts.end())
                        s.filler_counts.emplace_back(p.phrase, 1);
                    else
                        ++seen->second;
                }
            }
    }
    // "Most often" lists fillers by count, ties in the phrases' byte order.
    std::sort(s.filler_counts.begin(), s.filler_counts.end());
    // A word said twice in a row ("I I", "the the") is a stutter.
    // Sizes, then first bytes: most pairs differ there, before a call to
    // memcmp (comparing symbols first was slower: most words have symbol 0).
    for (std::size_t k = 1; k < n; ++k) {
        std::string_view w = t.text(k);
        std::string_view before = t.text(k - 1);
        if (w.size() == before.size() && w[0] == before[0] && w == before && t.spans[k].has_letter && !consumed[k] &&
            !consumed[k - 1] && !in(w, stutter_exceptions))
            ++s.stutters;
    }

    // Non-consuming lexicons: pronouns, plan statements, verbs, details,
    // structure cues and criteria keywords.
    std::vector<std::uint8_t>& past = x.past;
    std::vector<std::uint8_t>& i_word = x.i_word;
    past.assign(n, 0);
    i_word.assign(n, 0);
    std::vector<Detail>& details = s.details;
    s.part_positions.resize(c.parts ? c.parts->size() : 0);
    s.criterion_match.assign(c.criteria.size(), std::string());
    for (const PhraseMatcher::Match* at = matched; at != matched_end;)
        for (const PhraseMatcher::Match* chunk_end = polled_chunk(at, matched_end); at != chunk_end; ++at) {
            const PhraseMatcher::Match& m = *at;
            const PatternInfo& p = c.patterns[m.pattern];
            bool filler_word = consumed[m.first] == 3;
            switch (p.lexicon) {
            case Lexicon::i_word:
                if (!filler_word) {
                    ++s.i_words;
                    i_word[m.first] = 1;
                }
                break;
            case Lexicon::we_word:
                if (!filler_word)
                    ++s.we_words;
                break;
            case Lexicon::you_word:
                if (!filler_word)
                    ++s.you_words;
                break;
            case Lexicon::plan_frame:
                ++s.plan_frames;
                break;
            case Lexicon::past_verb:
                past[m.first] = 1;
                break;
            case Lexicon::detail_word:
                details.emplace_back(t.text(m.first));
                break;
            case Lexicon::structure_cue:
                s.part_positions[p.index].push_back(m.first);
                break;
            case Lexicon::criterion:
                if (s.criterion_match[p.index].empty()) {
                    std::string& seen = s.criterion_match[p.index];
                    for (std::uint32_t k = m.first; k < m.first + m.length; ++k) {
                        if (k != m.first)
                            seen += ' ';
                        seen += t.text(k);
                    }
                }
                break;
            default:
                break;
            }
        }
    // "I" + (adverb) + past-tense verb: something the candidate did. The
    // I's are found first, without a branch per word: one taken at random
    // for a tenth of the words was mispredicted at most of them.
    std::vector<std::uint32_t>& i_at = x.i_at;
    i_at.resize(n);
    std::size_t i_count = 0;
    for (std::size_t k = 0; k + 1 < n; ++k) {
        i_at[i_count] = static_cast<std::uint32_t>(k);
        i_count += (t.spans[k].norm_size == 1) & (t.norm[t.spans[k].norm_begin] == 'i');  // norm is padded
    }
    for (std::size_t j = 0; j < i_count; ++j) {
        const std::size_t k = i_at[j];
        std::size_t v = k + 1;
        if (v + 1 < n && in(t.text(v), action_adverbs))
            ++v;
        std::string_view w = t.text(v);
        if (past[v] || (w.size() >= 5 && w.compare(w.size() - 2, 2, "ed") == 0 && is_ascii_letter(w[0]))) {
            ++s.i_actions;
            s.i_action_positions.push_back(static_cast<std::int64_t>(k));
        }
    }
    // Concrete details: numbers, number and time words, and names
    // (capitalised mid-sentence) when capitalisation means something.
    s.caps_reliable = t.uppercase_letters > 0 && t.lowercase_letters > 4 * t.uppercase_letters;
    // Picked without a branch per word, as the I's above.
    std::vector<std::uint32_t>& picked = x.picked;
    picked.resize(n);
    std::size_t picked_count = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const WordSpan& tok = t.spans[k];
        const bool name = s.caps_reliable & tok.capitalized & !tok.sentence_start & !i_word[k] & !consumed[k];
        picked[picked_count] = static_cast<std::uint32_t>(k);
        picked_count += !tok.has_letter | name;
    }
    for (std::size_t j = 0; j < picked_count; ++j)
        details.emplace_back(t.text(picked[j]));
    // distinct, in byte order (as a std::set<std::string> would hold them)
    std::sort(details.begin(), details.end());
    details.erase(std::unique(details.begin(), details.end()), details.end());

    // -----------------------------------------------------------------------
    ScoreResult out;
    for (CheckResult& cr : out.checks)
        cr.values.reserve(8);  // each check's placeholders, plus "expected": one allocation
    out.duration_s = s.seconds;
    out.duration_estimated = s.estimated;
    out.words = s.words;
    out.wpm = s.wpm;
    out.model_used = "residency-rubric/" + r.version;
    const std::array<int, check_count>& weights = r.kind_weights.count(c.kind) ? r.kind_weights.at(c.kind) : r.weights;
    std::string expected = whole(q.expected_duration_s);
    double per100 = s.words > 0 ? 100.0 / static_cast<double>(s.words) : 0;
    bool too_short = s.words < r.short_words;

    auto text = [&](const TextTable& texts, std::string_view id, const Placeholders& values) {
        auto it = texts.find(id);
        return it == texts.end() ? std::string() : it->second.fill(values);
    };
    const Texts& texts = *texts_;
    // Fills what every check has: score, PASS, note, and its details object
    // (the metrics written by `metrics`, then score, outcome and display).
    auto finish = [&](CheckResult& cr, Check check, int score, auto&& metrics) {
        cr.check = check;
        cr.score = std::clamp(score, 0, 100);
        cr.pass = cr.score >= 70;
        cr.values.emplace_back("expected", expected);
        cr.note = text(texts.notes, cr.outcome, cr.values);
        JsonEvents& w = x.check_details[static_cast<std::size_t>(check)];
        w.clear();
        w.begin_object();
        metrics(w);
        w.field("score", cr.score).field("outcome", cr.outcome).field("display", cr.display);
        w.end_object();
    };

    // Length
    {
        CheckResult& cr = out.checks[0];
        cr.weight = weights[0];
        double ratio = s.seconds / q.expected_duration_s;
        int score = trapezoid(ratio, r.length);
        std::string seconds = (s.estimated ? "~" : "") + whole(s.seconds);
        set_values(cr.values, "seconds", seconds, "percent", whole(ratio * 100), "words", std::to_string(s.words),
                   "word_count", word_count_text(s.words));
        if (s.words < r.length_min_words) {
            score = std::min(score, 60);
            cr.outcome = "length.few_words";
        } else {
            cr.outcome = score >= 70 ? "length.pass" : ratio < 1 ? "length.short" : "length.long";
        }
        cr.fix_id = cr.outcome == "length.pass" ? (ratio < 1 ? "length.short" : "length.long") : cr.outcome;
        cr.practice_id = "length";
        cr.stretch_id = "stretch.length";
        cr.display = seconds + " s";
        finish(cr, Check::length, score, [&](JsonEvents& w) {
            w.field("seconds", s.seconds, 1)
                .field("expected_s", q.expected_duration_s, 1)
                .field("ratio", ratio, 2)
                .field("estimated", s.estimated)
                .field("words", s.words)
                .field("min_words", r.length_min_words);
        });
    }
    // Pace (spoken answers long enough to judge)
    {
        CheckResult& cr = out.checks[1];
        bool scored = !s.estimated && s.seconds >= r.pace_min_seconds && s.words >= r.pace_min_words;
        int score = 100;
        set_values(cr.values, "wpm", whole(s.wpm), "ideal_lo", whole(r.pace.ideal_lo), "ideal_hi",
                   whole(r.pace.ideal_hi), "seconds", whole(s.seconds), "words", std::to_string(s.words), "word_count",
                   word_count_text(s.words));
        if (s.estimated) {
            cr.outcome = "pace.typed";
        } else if (!scored) {
            cr.outcome = "pace.short";
        } else {
            score = trapezoid(s.wpm, r.pace);
            cr.outcome = score >= 70 ? "pace.pass" : s.wpm > r.pace.ideal_hi ? "pace.fast" : "pace.slow";
        }
        cr.weight = scored ? weights[1] : 0;
        bool fast = s.wpm > r.pace.ideal_hi;
        cr.fix_id = fast ? "pace.fast" : "pace.slow";
        cr.practice_id = fast ? "pace.fast" : "pace.slow";
        cr.stretch_id = "stretch.pace";
        cr.display = whole(s.wpm) + " wpm";
        finish(cr, Check::pace, score, [&](JsonEvents& w) { w.field("wpm", s.wpm, 1).field("scored", scored); });
    }
    // Fillers
    {
        CheckResult& cr = out.checks[2];
        cr.weight = weights[2];
        double weighted = r.filler_core_weight * s.filler_core + r.filler_discourse_weight * s.filler_discourse +
                          r.filler_stutter_weight * s.stutters;
        double rate = weighted * per100;
        int score = ceiling_score(round_to(rate, 2), r.fillers);
        // most often first, ties in byte order (a stable insertion sort:
        // a handful of fillers)
        auto& top = s.filler_counts;
        for (std::size_t k = 1; k < top.size(); ++k)
            for (std::size_t j = k; j > 0 && top[j - 1].second < top[j].second; --j)
                std::swap(top[j - 1], top[j]);
        std::string top_text;
        for (std::size_t k = 0; k < top.size() && k < 3; ++k) {
            top_text += k ? ", '" : "'";
            top_text += top[k].first;
            top_text += "' x";
            top_text += std::to_string(top[k].second);
        }
        int count = s.filler_core + s.filler_discourse + s.stutters;
        set_values(cr.values, "count", std::to_string(count), "rate", fixed(rate, 1), "top", top_text, "top1",
                   top.empty() ? std::string("um") : std::string(top[0].first));
        cr.outcome = score >= 70 ? "fillers.pass" : "fillers.flag";
        cr.fix_id = "fillers";
        cr.practice_id = "fillers";
        cr.stretch_id = "stretch.fillers";
        cr.display = fixed(rate, 1) + " per 100 words";
        finish(cr, Check::fillers, score, [&](JsonEvents& w) {
            w.field("core", s.filler_core)
                .field("discourse", s.filler_discourse)
                .field("stutters", s.stutters)
                .field("weighted", weighted, 2)
                .field("per_100_words", rate, 2);
            w.key("per_minute");
            s.estimated ? w.null() : w.value(weighted * 60.0 / s.seconds, 2);
            w.key("top").begin_array();
            for (std::size_t k = 0; k < top.size() && k < 3; ++k)
                w.begin_object().field("word", top[k].first).field("count", top[k].second).end_object();
            w.end_array();
        });
    }
    // Wording
    {
        CheckResult& cr = out.checks[3];
        cr.weight = weights[3];
        double rate = s.hedges * per100;
        int score = ceiling_score(round_to(rate, 2), r.hedges);
        std::string examples;
        for (std::size_t k = 0; k < s.hedge_examples.size(); ++k) {
            examples += k ? ", '" : "'";
            examples += s.hedge_examples[k];
            examples += '\'';
        }
        set_values(cr.values, "hedges", std::to_string(s.hedges), "rate", fixed(rate, 1), "examples", examples);
        if (!s.flagged.empty()) {
            score = std::min(score, r.flagged_term_cap);
            const auto& [term, alt] = r.flagged_terms[s.flagged.front()];
            cr.values.emplace_back("term", term);
            cr.values.emplace_back("alternative", alt);
            cr.outcome = "wording.term";
            cr.fix_id = "wording.term";
        } else {
            cr.outcome = score >= 70 ? "wording.pass" : "wording.hedges";
            cr.fix_id = "wording.hedges";
        }
        cr.practice_id = "wording";
        cr.stretch_id = "stretch.wording";
        cr.display = fixed(rate, 1) + " hedges per 100 words";
        finish(cr, Check::wording, score, [&](JsonEvents& w) {
            w.field("hedges", s.hedges).field("per_100_words", rate, 2);
            w.key("examples").begin_array();
            for (std::string_view e : s.hedge_examples)
                w.value(e);
            w.end_array();
            w.key("flagged_terms").begin_array();
            for (std::size_t idx : s.flagged)
                w.begin_object()
                    .field("term", r.flagged_terms[idx].first)
                    .field("alternative", r.flagged_terms[idx].second)
                    .end_object();
            w.end_array();
        });
    }
    // Ownership
    {
        CheckResult& cr = out.checks[4];
        cr.weight = weights[4];
        int score = 0;
        int pronouns = s.i_words + s.we_words;
        double share = pronouns > 0 ? static_cast<double>(s.i_words) / pronouns : 0;
        double you_rate = s.you_words * per100;
        set_values(cr.values, "i", std::to_string(s.i_words), "we", std::to_string(s.we_words), "actions",
                   std::to_string(s.i_actions), "frames", std::to_string(s.plan_frames), "you",
                   std::to_string(s.you_words), "rate", fixed(you_rate, 1));
        const char* mode;
        if (c.kind == QuestionKind::situational) {
            mode = "plan";
            score = s.plan_frames >= r.plan_min_frames
                        ? 100
                        : std::min(60, round_half_up(50.0 * s.plan_frames / std::max(1, r.plan_min_frames - 1)));
            cr.outcome = score >= 70 ? "ownership.plan_pass" : "ownership.plan_flag";
            cr.display = std::to_string(s.plan_frames) + " plan statements";
            cr.fix_id = "ownership.plan";
        } else {
            mode = c.kind == QuestionKind::motivation ? "self" : "past";
            bool past_mode = c.kind != QuestionKind::motivation;
            score = floor_score(round_to(share, 2), r.i_share);
            bool few = s.i_words < r.min_i_words || (past_mode && s.i_actions < r.min_i_actions);
            bool you = !past_mode && you_rate > r.max_you_per_100;
            if (few || you)
                score = std::min(score, r.ownership_cap);
            cr.outcome = score >= 70                            ? "ownership.pass"
                         : you && !few                          ? "ownership.you"
                         : share >= r.i_share.pass && past_mode ? "ownership.actions"
                                                                : "ownership.flag";
            cr.display = "I-share " + fixed(share, 2);
            cr.fix_id = past_mode ? "ownership.past" : "ownership.self";
        }
        cr.practice_id = "ownership";
        cr.stretch_id = "stretch.ownership";
        finish(cr, Check::ownership, score, [&](JsonEvents& w) {
            w.field("mode", mode)
                .field("i_words", s.i_words)
                .field("we_words", s.we_words)
                .field("i_share", share, 2)
                .field("i_actions", s.i_actions)
                .field("plan_frames", s.plan_frames)
                .field("you_words", s.you_words)
                .field("you_per_100_words", you_rate, 2);
        });
    }
    // Structure
    {
        CheckResult& cr = out.checks[5];
        cr.weight = weights[5];
        static const std::vector<Rubric::Part> no_parts;
        const auto& parts = c.parts ? *c.parts : no_parts;
        std::vector<std::vector<std::int64_t>>& at = s.part_positions;  // scratch: changed in place
        // A past story's actions also show as two or more "I did" statements.
        if (c.kind == QuestionKind::behavioral && s.i_actions >= r.min_i_actions)
            for (std::size_t k = 0; k < parts.size(); ++k)
                if (parts[k].name == "action")
                    merge_into(at[k], s.i_action_positions);  // both in word order
        // In order: the required parts can be read one after the other, each
        // at some cue after the previous part's (not only at its first cue:
        // "I would" opens most sentences of a plan).
        int score = 0;
        bool missing_required = false, in_order = true;
        std::string found, missing, first_missing;
        std::int64_t last = -1;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (!at[k].empty()) {
                score += parts[k].weight;
                found += found.empty() ? "" : ", ";
                found += parts[k].name;
                if (parts[k].required && in_order) {
                    auto next = std::lower_bound(at[k].begin(), at[k].end(), last);
                    if (next == at[k].end())
                        in_order = false;
                    else
                        last = *next;
                }
            } else if (parts[k].required) {
                missing_required = true;
                missing += missing.empty() ? "" : ", ";
                missing += parts[k].name;
                if (first_missing.empty())
                    first_missing = parts[k].name;
            }
        }
        if (missing_required || !in_order)
            score = std::min(score, r.structure_cap);
        set_values(cr.values, "found", found.empty() ? std::string("none of them") : found, "missing", missing);
        cr.outcome = score >= 70 ? "structure.pass" : missing_required ? "structure.missing" : "structure.order";
        cr.fix_id = missing_required ? "structure." + first_missing : "structure.order";
        cr.practice_id = "structure";
        cr.stretch_id = "stretch.structure";
        cr.display = found.empty() ? std::string("none") : found;
        finish(cr, Check::structure, score, [&](JsonEvents& w) {
            w.field("template", to_string(c.kind));
            w.key("parts").begin_array();
            for (std::size_t k = 0; k < parts.size(); ++k) {
                w.begin_object().field("name", parts[k].name).field("required", parts[k].required);
                w.field("found", !at[k].empty()).key("position");
                !at[k].empty() ? w.value(at[k].front()) : w.null();
                w.end_object();
            }
            w.end_array();
            w.field("in_order", in_order);
        });
    }
    // Substance
    {
        CheckResult& cr = out.checks[6];
        cr.weight = weights[6];
        int total = static_cast<int>(c.criteria.size());
        int hit = 0;
        std::string first_missed;
        for (std::size_t k = 0; k < c.criteria.size(); ++k) {
            if (!s.criterion_match[k].empty())
                ++hit;
            else if (first_missed.empty())
                first_missed = c.criteria[k];
        }
        double coverage = total > 0 ? static_cast<double>(hit) / total : 1.0;
        int detail_count = static_cast<int>(s.details.size());
        double raw = 60.0 * std::min(1.0, coverage / r.coverage_full) +
                     40.0 * std::min(1.0, static_cast<double>(detail_count) / r.details_full);
        int score = std::clamp(round_half_up(raw), 0, 100);
        if (coverage < r.coverage_floor)
            score = std::min(score, r.substance_cap);
        set_values(cr.values, "hit", std::to_string(hit), "total", std::to_string(total), "details",
                   std::to_string(detail_count), "missing",
                   first_missed.empty() ? std::string("a concrete detail") : first_missed);
        bool covered = first_missed.empty();
        cr.outcome = score >= 70 ? "substance.pass" : covered ? "substance.details" : "substance.flag";
        cr.fix_id = covered ? "substance.details" : "substance";
        cr.practice_id = "substance";
        cr.stretch_id = "stretch.substance";
        cr.display = std::to_string(hit) + "/" + std::to_string(total) + " key points";
        finish(cr, Check::substance, score, [&](JsonEvents& w) {
            w.key("criteria").begin_array();
            for (std::size_t k = 0; k < c.criteria.size(); ++k) {
                bool ok = !s.criterion_match[k].empty();
                w.begin_object().field("criterion", c.criteria[k]).field("hit", ok).key("matched");
                ok ? w.value(s.criterion_match[k]) : w.null();
                w.end_object();
            }
            w.end_array();
            w.field("hit", hit).field("total", total).field("coverage", coverage, 2);
            w.field("concrete_details", detail_count).key("detail_examples").begin_array();
            for (std::size_t k = 0; k < s.details.size() && k < 5; ++k)
                w.value(s.details[k].word);
            w.end_array();
            w.field("caps_reliable", s.caps_reliable);
        });
    }

    // Too short to evaluate: the content checks cannot pass.
    std::vector<std::string> caps;
    if (too_short) {
        for (std::size_t k : {4u, 5u, 6u}) {
            CheckResult& cr = out.checks[k];
            cr.score = std::min(cr.score, 40);
            cr.pass = false;
            cr.outcome = "short";
            cr.note = text(texts.notes, "short",
                           {{"words", std::to_string(s.words)}, {"word_count", word_count_text(s.words)}});
        }
    }

    // Overall: the weighted mean of the scored checks, then the caps.
    long weighted_sum = 0, weight_total = 0;
    for (const CheckResult& cr : out.checks) {
        weighted_sum += static_cast<long>(cr.weight) * cr.score;
        weight_total += cr.weight;
    }
    double mean = weight_total > 0 ? static_cast<double>(weighted_sum) / static_cast<double>(weight_total) : 0;
    int overall = round_half_up(mean);
    if (too_short) {
        overall = std::min(overall, r.short_cap);
        caps.push_back("fewer than " + std::to_string(r.short_words) + " words");
    }
    if (!out.checks[5].pass && !out.checks[6].pass) {
        overall = std::min(overall, r.empty_cap);
        caps.push_back("Structure and Substance both FLAG");
    }
    out.overall_score = std::clamp(overall, 0, 100);

    // What changed: what improved since last time (at most one item), then
    // the FLAGged checks by weight x (100 - score).
    static constexpr int tie_order[] = {5, 6, 0, 4, 2, 1, 3};  // Structure, Substance, Length, ...
    std::vector<int> flagged;
    for (int k : tie_order)
        if (!out.checks[k].pass && out.checks[k].weight > 0)
            flagged.push_back(k);
    std::stable_sort(flagged.begin(), flagged.end(), [&](int a, int b) {
        return out.checks[a].weight * (100 - out.checks[a].score) > out.checks[b].weight * (100 - out.checks[b].score);
    });
    JsonEvents improvement;
    if (previous && previous->is_object()) {
        const Json* prev_details =
            previous->contains("details") && (*previous)["details"].is_object() ? &(*previous)["details"] : nullptr;
        int best = -1, best_delta = 9, best_prev = 0;
        std::string best_before;
        for (int k : tie_order) {
            const CheckResult& cr = out.checks[k];
            std::string name(check_name(cr.check));
            int prev_score = -1;
            std::string before;
            if (prev_details && prev_details->contains(name) && (*prev_details)[name].is_object()) {
                const Json& pd = (*prev_details)[name];
                if (pd.contains("score") && pd["score"].is_number_integer())
                    prev_score = pd["score"].get<int>();
                if (pd.contains("display") && pd["display"].is_string())
                    before = pd["display"].get<std::string>();
            } else if (previous->contains("categories") && (*previous)["categories"].is_array()) {
                for (const Json& cat : (*previous)["categories"])
                    if (cat.is_object() && cat.contains("name") && cat["name"] == name && cat.contains("score") &&
                        cat["score"].is_number_integer())
                        prev_score = cat["score"].get<int>();
            }
            if (prev_score < 0 || cr.weight == 0)
                continue;
            if (cr.score - prev_score > best_delta) {
                best = k;
                best_delta = cr.score - prev_score;
                best_prev = prev_score;
                best_before = before;
            }
        }
        if (best >= 0) {
            const CheckResult& cr = out.checks[best];
            bool metric = !best_before.empty() && !cr.display.empty();
            std::string name(check_name(cr.check));
            out.what_changed.push_back(text(texts.fixes, "improved",
                                            {{"check", name},
                                             {"before", metric ? best_before : "score " + std::to_string(best_prev)},
                                             {"after", metric ? cr.display : "score " + std::to_string(cr.score)}}));
            improvement.begin_object().field("check", name).field("from", best_prev).field("to", cr.score).end_object();
        }
    }
    for (int k : flagged) {
        if (out.what_changed.size() >= 3)
            break;
        std::string fix = text(texts.fixes, out.checks[k].fix_id, out.checks[k].values);
        if (!fix.empty() && std::find(out.what_changed.begin(), out.what_changed.end(), fix) == out.what_changed.end())
            out.what_changed.push_back(fix);
    }
    if (flagged.empty() && out.what_changed.size() < 3) {
        int lowest = -1;
        for (int k : tie_order)
            if (out.checks[k].weight > 0 && out.checks[k].score < 90 &&
                (lowest < 0 || out.checks[k].score < out.checks[lowest].score))
                lowest = k;
        out.what_changed.push_back(lowest >= 0
                                       ? text(texts.fixes, out.checks[lowest].stretch_id, out.checks[lowest].values)
                                       : text(texts.fixes, "maintain", {{"expected", expected}}));
    }
    out.practice_rule = flagged.empty() ? text(texts.practice, "maintain", {{"expected", expected}})
                                        : text(texts.practice, out.checks[flagged.front()].practice_id,
                                               out.checks[flagged.front()].values);

    JsonEvents& w = out.details;
    std::size_t events = 64, bytes = 512;
    for (const CheckResult& cr : out.checks)
        events += x.check_details[static_cast<std::size_t>(cr.check)].events(),
            bytes += x.check_details[static_cast<std::size_t>(cr.check)].text_size();
    w.reserve(events, bytes);
    w.begin_object().field("rubric_version", r.version).field("kind", to_string(c.kind)).field("question_id", q.id);
    w.key("weights").begin_object();
    for (const CheckResult& cr : out.checks)
        w.field(check_name(cr.check), cr.weight);
    w.end_object();
    w.key("overall").begin_object().field("weighted_mean", mean, 2).key("caps").begin_array();
    for (const std::string& cap : caps)
        w.value(cap);
    w.end_array().end_object();
    w.key("improvement");
    improvement.empty() ? w.null() : w.append(improvement);
    for (const CheckResult& cr : out.checks)
        w.key(check_name(cr.check)).append(x.check_details[static_cast<std::size_t>(cr.check)]);
    w.end_object();
    return out;
}

namespace {

// ScoreResult::write() for any sink type: to_json_text() instantiates it
// for the text sink, whose calls are then direct; both are this one body.
template <class Sink>
void write_result(const ScoreResult& r, Sink& sink)
{
    char buf[32];
    auto number = [&](std::size_t n) { n ? sink.number(std::string_view(buf, n)) : sink.null(); };
    sink.begin_object();
    sink.key("duration_s");
    number(fixed_decimal_text(r.duration_s, 1, buf));
    sink.key("duration_estimated");
    sink.boolean(r.duration_estimated);
    sink.key("words");
    number(integer_text(r.words, buf));
    sink.key("wpm");
    number(fixed_decimal_text(r.wpm, 1, buf));
    sink.key("overall_score");
    number(integer_text(r.overall_score, buf));
    sink.key("categories");
    sink.begin_array();
    for (const CheckResult& cr : r.checks) {
        sink.begin_object();
        sink.key("name");
        sink.string(check_name(cr.check));
        sink.key("passFlag");
        sink.string(cr.pass ? "PASS" : "FLAG");
        sink.key("note");
        sink.string(cr.note);
        sink.key("score");
        number(integer_text(cr.score, buf));
        sink.end_object();
    }
    sink.end_array();
    sink.key("what_changed");
    sink.begin_array();
    for (const std::string& item : r.what_changed)
        sink.string(item);
    sink.end_array();
    sink.key("practice_rule");
    sink.string(r.practice_rule);
    sink.key("model_used");
    sink.string(r.model_used);
    sink.key("details");
    r.details.write(sink);
    sink.end_object();
}

}  // namespace

void ScoreResult::write(JsonSink& sink) const
{
    write_result(*this, sink);
}

std::string ScoreResult::to_json_text() const
{
    JsonTextSink sink(details.text_size() + 2048);
    write_result(*this, sink);
    return sink.take();
}

}  // namespace residency
