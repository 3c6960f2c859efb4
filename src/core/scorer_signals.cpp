// Reading an answer into Signals, once: its duration, its words and their
// symbols, one pass of the question's automaton, then the counting passes.
// Fillers, hedges and flagged terms consume their words (docs/scoring.md,
// "Who gets which word"); pronouns, plan statements, verbs, details,
// structure cues and criteria keywords do not.
#include "scorer_internal.hpp"

#include "error.hpp"
#include "interrupt.hpp"

#include <algorithm>

namespace residency {
namespace scoring {

void Signals::reset()
{
    words = 0;
    seconds = wpm = per100 = 0;
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

namespace {

using Match = PhraseMatcher::Match;

// What took a word (Scratch::consumed).
constexpr std::int8_t free_word = 0, by_flagged = 1, by_hedge = 2, by_filler = 3;

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

bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_pause(char c)
{
    return c == ',' || c == '.' || c == ';' || c == ':' || c == '?' || c == '!';
}

// Discourse markers count as fillers only in filler position (docs/scoring.md,
// "Fillers in filler position").
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
const Match* polled_chunk(const Match* begin, const Match* end)
{
    poll_interrupts();
    return end - begin > 4096 ? begin + 4096 : end;
}

// f(match) for each of `matches`, polling once per chunk.
template <class F>
void each_match(const std::vector<Match>& matches, F&& f)
{
    const Match* const end = matches.data() + matches.size();
    for (const Match* at = matches.data(); at != end;)
        for (const Match* chunk_end = polled_chunk(at, end); at != chunk_end; ++at)
            f(*at);
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

[[gnu::noinline]] void counting_sort_by_first_word(std::vector<Match>& matches, std::size_t words)
{
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

void sort_by_first_word(std::vector<Match>& matches, std::size_t words)
{
    if (matches.size() > insertion_sort_max) {
        counting_sort_by_first_word(matches, words);
        return;
    }
    for (std::size_t k = 1; k < matches.size(); ++k) {
        Match m = matches[k];
        std::size_t j = k;
        for (; j > 0; --j) {
            const Match& p = matches[j - 1];
            if (p.first < m.first || (p.first == m.first && p.length >= m.length))
                break;
            matches[j] = p;
        }
        matches[j] = m;
    }
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

// ---------------------------------------------------------------------------
// The passes, in the order read_answer() runs them.

// The recording's duration, or a typed answer's estimate at typed_wpm.
void measure_time(Signals& s, std::optional<double> duration_s, const Rubric& r)
{
    if (duration_s) {
        s.seconds = round_to(*duration_s, 1) > 0 ? round_to(*duration_s, 1) : 0.1;
    } else {
        s.estimated = true;
        s.seconds = std::max(0.1, round_to(static_cast<double>(s.words) * 60.0 / r.typed_wpm, 1));
    }
    s.wpm = round_to(static_cast<double>(s.words) * 60.0 / s.seconds, 1);
    s.per100 = s.words > 0 ? 100.0 / static_cast<double>(s.words) : 0;
}

// One pass of the automaton over the answer's word symbols: x.matches,
// sorted by first word.
void match_phrases(Scorer::Scratch& x, const Scorer::Compiled& c)
{
    poll_interrupts();
    const Words& t = x.words;
    const std::size_t n = t.size();
    std::vector<std::uint32_t>& symbols = x.symbols;
    symbols.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        symbols[k] = x.memo.symbol(t.text(k), c.matcher, c.id);
    x.matches.clear();
    // An answer's words match a few patterns each; a pack whose phrases
    // repeat the same words could make every word match thousands.
    const std::size_t max_matches = Scorer::max_matches_per_word * n + 4096;
    if (!c.matcher.find(symbols, x.matches, max_matches))
        throw Error(sqlstate::payload_too_large, "answer too costly to score",
                    "The question's phrases match the answer's " + word_count_text(static_cast<std::int64_t>(n)) +
                        " more than " + std::to_string(max_matches) + " times.",
                    "The pack's lexicons or keywords repeat the same words many times over: ask its author to "
                    "remove the repetitions.");
    sort_by_first_word(x.matches, n);
}

// The consuming passes' matches, by priority: flagged > hedge > core filler
// > discourse filler. Most matches are of other lexicons: they are gathered,
// in order, in one scan, rather than each pass scanning every match.
constexpr Lexicon consuming_passes[] = {Lexicon::flagged, Lexicon::hedge, Lexicon::filler_core,
                                        Lexicon::filler_discourse};

void gather_consuming(Scorer::Scratch& x, const Scorer::Compiled& c)
{
    for (auto& list : x.consuming)
        list.clear();
    each_match(x.matches, [&](const Match& m) {
        for (std::size_t k = 0; k < x.consuming.size(); ++k)
            if (c.lexicon_of[m.pattern] == consuming_passes[k])
                x.consuming[k].push_back(m);
    });
}

// A flagged term: each is listed once, first seen first.
std::int8_t count_flagged(Signals& s, const PatternInfo& p)
{
    if (std::find(s.flagged.begin(), s.flagged.end(), p.index) == s.flagged.end())
        s.flagged.push_back(p.index);
    return by_flagged;
}

// A hedge, unless its context says otherwise ("I think about", "the kind of").
std::int8_t count_hedge(Signals& s, const Words& t, const Match& m, const PatternInfo& p)
{
    if (!hedge_applies(t, m.first, m.length))
        return free_word;
    ++s.hedges;
    if (s.hedge_examples.size() < 3 &&
        std::find(s.hedge_examples.begin(), s.hedge_examples.end(), p.phrase) == s.hedge_examples.end())
        s.hedge_examples.push_back(p.phrase);
    return by_hedge;
}

// A filler: core fillers always, discourse markers in filler position.
std::int8_t count_filler(Signals& s, const Words& t, const std::vector<std::int8_t>& consumed, const Match& m,
                         const PatternInfo& p)
{
    const bool prev_filler = m.first > 0 && consumed[m.first - 1] == by_filler;
    const bool next_filler = m.first + m.length < t.size() && consumed[m.first + m.length] == by_filler;
    if (p.lexicon == Lexicon::filler_discourse && !discourse_is_filler(t, m.first, m.length, prev_filler, next_filler))
        return free_word;
    (p.lexicon == Lexicon::filler_core ? s.filler_core : s.filler_discourse) += 1;
    auto seen = std::find_if(s.filler_counts.begin(), s.filler_counts.end(),
                             [&](const auto& f) { return f.first == p.phrase; });
    if (seen == s.filler_counts.end())
        s.filler_counts.emplace_back(p.phrase, 1);
    else
        ++seen->second;
    return by_filler;
}

// Whether a word (normalised: lower case) is a hesitation sound, however
// the transcript spells it: the families um (u+h*m+: um, uhm, ummm), uh
// (u+h+), ah (a+h+), er (e+r+m*: er, err, erm), hm (h+m+) and mm (m+h*m+:
// mm, mhm). These are the spellings of the calibration transcripts
// (docs/scoring.md, Evidence), which a word list kept missing.
bool is_hesitation(std::string_view w)
{
    const std::size_t n = w.size();
    auto run = [&](std::size_t i, char ch) {
        while (i < n && w[i] == ch)
            ++i;
        return i;
    };
    if (n == 0)
        return false;
    std::size_t a = run(0, w[0]);  // the first letter's run
    switch (w[0]) {
    case 'u': {
        std::size_t h = run(a, 'h'), m = run(h, 'm');
        return m == n && (m > h || h > a);  // u+h*m+ or u+h+
    }
    case 'a':
        return a < n && run(a, 'h') == n;  // a+h+
    case 'e': {
        std::size_t r = run(a, 'r');
        return r > a && run(r, 'm') == n;  // e+r+m*
    }
    case 'h':
        return a < n && run(a, 'm') == n;  // h+m+
    case 'm': {
        if (a == n)
            return n >= 2;  // mm, mmm
        std::size_t h = run(a, 'h');
        return h > a && h < n && run(h, 'm') == n;  // m+h+m+
    }
    default:
        return false;
    }
}

// Hesitations are core fillers whatever the lexicon holds. A word written
// in capitals ("ER", "UH" as the names of things) is not one.
void mark_hesitations(Scorer::Scratch& x, std::string_view answer)
{
    const Words& t = x.words;
    Signals& s = x.signals;
    for (std::size_t k = 0; k < t.size(); ++k) {
        const std::string_view w = t.text(k);
        if (w.size() > 12 || !is_hesitation(w))
            continue;
        const WordSpan& span = t.spans[k];
        const std::string_view written = answer.substr(span.begin, span.end - span.begin);
        if (written.size() >= 2 &&
            std::all_of(written.begin(), written.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            continue;
        x.consumed[k] = by_filler;
        ++s.filler_core;
        auto seen =
            std::find_if(s.filler_counts.begin(), s.filler_counts.end(), [&](const auto& f) { return f.first == w; });
        if (seen == s.filler_counts.end())
            s.filler_counts.emplace_back(w, 1);
        else
            ++seen->second;
    }
}

// Flagged terms, hedges and fillers: each word belongs to at most one of
// them, the first pass to claim all of a match's words taking them.
// Hesitations are taken first, so that a discourse marker next to one is
// in filler position.
void count_consuming(Scorer::Scratch& x, const Scorer::Compiled& c, std::string_view answer)
{
    const Words& t = x.words;
    Signals& s = x.signals;
    std::vector<std::int8_t>& consumed = x.consumed;
    consumed.assign(t.size(), free_word);
    mark_hesitations(x, answer);
    gather_consuming(x, c);
    for (std::size_t k = 0; k < x.consuming.size(); ++k)
        each_match(x.consuming[k], [&](const Match& m) {
            for (std::uint32_t w = m.first; w < m.first + m.length; ++w)
                if (consumed[w])
                    return;
            const PatternInfo& p = c.patterns[m.pattern];
            const std::int8_t as = consuming_passes[k] == Lexicon::flagged ? count_flagged(s, p)
                                   : consuming_passes[k] == Lexicon::hedge ? count_hedge(s, t, m, p)
                                                                           : count_filler(s, t, consumed, m, p);
            if (as != free_word)
                std::fill(consumed.begin() + m.first, consumed.begin() + m.first + m.length, as);
        });
}

// "Most often" lists fillers by count, ties in the phrases' byte order.
void order_fillers(Signals& s)
{
    auto& top = s.filler_counts;
    std::sort(top.begin(), top.end());
    // then most often first (a stable insertion sort: a handful of fillers)
    for (std::size_t k = 1; k < top.size(); ++k)
        for (std::size_t j = k; j > 0 && top[j - 1].second < top[j].second; --j)
            std::swap(top[j - 1], top[j]);
}

// A word said twice in a row ("I I", "the the") is a stutter. Sizes, then
// first bytes: most pairs differ there, before a call to memcmp (comparing
// symbols first was slower: most words have symbol 0).
void count_stutters(Scorer::Scratch& x)
{
    const Words& t = x.words;
    const std::vector<std::int8_t>& consumed = x.consumed;
    for (std::size_t k = 1; k < t.size(); ++k) {
        std::string_view w = t.text(k);
        std::string_view before = t.text(k - 1);
        if (w.size() == before.size() && w[0] == before[0] && w == before && t.spans[k].has_letter && !consumed[k] &&
            !consumed[k - 1] && !in(w, stutter_exceptions))
            ++x.signals.stutters;
    }
}

// The words a criterion's keyword matched, for details.
void note_criterion(std::string& seen, const Words& t, const Match& m)
{
    for (std::uint32_t k = m.first; k < m.first + m.length; ++k) {
        if (k != m.first)
            seen += ' ';
        seen += t.text(k);
    }
}

// Pronouns, plan statements, verbs, details, structure cues and criteria
// keywords. A pronoun inside a filler ("I mean") is not counted.
void count_non_consuming(Scorer::Scratch& x, const Scorer::Compiled& c)
{
    const Words& t = x.words;
    Signals& s = x.signals;
    x.past.assign(t.size(), 0);
    x.i_word.assign(t.size(), 0);
    s.part_positions.resize(c.parts ? c.parts->size() : 0);
    s.criterion_match.assign(c.criteria.size(), std::string());
    each_match(x.matches, [&](const Match& m) {
        const PatternInfo& p = c.patterns[m.pattern];
        const bool filler_word = x.consumed[m.first] == by_filler;
        switch (p.lexicon) {
        case Lexicon::i_word:
            if (!filler_word) {
                ++s.i_words;
                x.i_word[m.first] = 1;
            }
            break;
        case Lexicon::we_word:
            s.we_words += !filler_word;
            break;
        case Lexicon::you_word:
            s.you_words += !filler_word;
            break;
        case Lexicon::plan_frame:
            ++s.plan_frames;
            break;
        case Lexicon::past_verb:
            x.past[m.first] = 1;
            break;
        case Lexicon::detail_word:
            s.details.emplace_back(t.text(m.first));
            break;
        case Lexicon::structure_cue:
            s.part_positions[p.index].push_back(m.first);
            break;
        case Lexicon::criterion:
            if (s.criterion_match[p.index].empty())
                note_criterion(s.criterion_match[p.index], t, m);
            break;
        default:
            break;
        }
    });
}

// "I" + (adverb) + past-tense verb: something the candidate did. The I's
// are found first, without a branch per word: one taken at random for a
// tenth of the words was mispredicted at most of them.
void count_actions(Scorer::Scratch& x)
{
    const Words& t = x.words;
    const std::size_t n = t.size();
    Signals& s = x.signals;
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
        if (x.past[v] || (w.size() >= 5 && w.compare(w.size() - 2, 2, "ed") == 0 && is_ascii_letter(w[0]))) {
            ++s.i_actions;
            s.i_action_positions.push_back(static_cast<std::int64_t>(k));
        }
    }
}

// Concrete details: numbers, number and time words (found by
// count_non_consuming), and names (capitalised mid-sentence) when
// capitalisation means something; distinct, in byte order.
void collect_details(Scorer::Scratch& x)
{
    const Words& t = x.words;
    const std::size_t n = t.size();
    Signals& s = x.signals;
    s.caps_reliable = t.uppercase_letters > 0 && t.lowercase_letters > 4 * t.uppercase_letters;
    // Picked without a branch per word, as the I's of count_actions().
    std::vector<std::uint32_t>& picked = x.picked;
    picked.resize(n);
    std::size_t picked_count = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const WordSpan& tok = t.spans[k];
        const bool name = s.caps_reliable & tok.capitalized & !tok.sentence_start & !x.i_word[k] & !x.consumed[k];
        picked[picked_count] = static_cast<std::uint32_t>(k);
        picked_count += !tok.has_letter | name;
    }
    std::vector<Detail>& details = s.details;
    for (std::size_t j = 0; j < picked_count; ++j)
        details.emplace_back(t.text(picked[j]));
    // as a std::set<std::string> would hold them
    std::sort(details.begin(), details.end());
    details.erase(std::unique(details.begin(), details.end()), details.end());
}

// A past story's actions also show as two or more "I did" statements: they
// count as cues of its action part.
void add_action_statements(Signals& s, const Scorer::Compiled& c, const Rubric& r)
{
    if (c.kind != QuestionKind::behavioral || s.i_actions < r.min_i_actions || !c.parts)
        return;
    for (std::size_t k = 0; k < c.parts->size(); ++k)
        if ((*c.parts)[k].name == "action")
            merge_into(s.part_positions[k], s.i_action_positions);  // both in word order
}

}  // namespace

const Signals& read_answer(Scorer::Scratch& x, const Scorer::Compiled& c, const Rubric& r, std::string_view answer,
                           std::optional<double> duration_s)
{
    Signals& s = x.signals;
    s.reset();
    tokenize(answer, x.words);
    s.words = static_cast<std::int64_t>(x.words.size());
    if (s.words == 0 && !duration_s)
        throw Error(sqlstate::invalid_parameter_value, "answer has no words",
                    "The typed answer holds no word to score (only symbols or punctuation).",
                    "Send the answer's text.");
    measure_time(s, duration_s, r);
    match_phrases(x, c);
    count_consuming(x, c, answer);
    order_fillers(s);
    count_stutters(x);
    count_non_consuming(x, c);
    count_actions(x);
    collect_details(x);
    add_action_statements(s, c, r);
    return s;
}

}  // namespace scoring
}  // namespace residency
