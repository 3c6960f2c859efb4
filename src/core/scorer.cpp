#include "scorer.hpp"

#include "error.hpp"
#include "json_writer.hpp"
#include "tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace residency {

namespace {

// ---------------------------------------------------------------------------
// Arithmetic. Scores are rounded half up once, at the end of each check;
// figures in the output are rounded to fixed decimals, so that the JSON text
// is the same on every run.

int round_half_up(double x) { return static_cast<int>(std::floor(x + 0.5)); }
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
    double s = x <= c.ideal ? 100 : x <= c.pass ? lerp(x, c.ideal, 100, c.pass, 70)
                                                : x >= c.zero ? 0 : lerp(x, c.pass, 70, c.zero, 0);
    return std::clamp(round_half_up(s), 0, 100);
}

int floor_score(double x, const Floor& f)
{
    double s = x >= f.ideal ? 100 : x >= f.pass ? lerp(x, f.pass, 70, f.ideal, 100)
                                                : x <= f.zero ? 0 : lerp(x, f.zero, 0, f.pass, 70);
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

std::string whole(double x) { return std::to_string(round_half_up(x)); }

std::string word_count_text(std::int64_t n) { return std::to_string(n) + (n == 1 ? " word" : " words"); }

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

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

struct Scorer::Compiled {
    QuestionKind kind;
    PhraseMatcher matcher;
    std::vector<PatternInfo> patterns;
    std::vector<std::string> criteria;  // texts without their [kw: ...]
    const std::vector<Rubric::Part>* parts;
};

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
    std::size_t kw = criterion.rfind("[kw:");
    if (kw != std::string_view::npos) {
        std::size_t close = criterion.find(']', kw);
        std::string_view list = criterion.substr(kw + 4, close == std::string_view::npos ? close : close - kw - 4);
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t comma = list.find(',', start);
            std::string_view item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
            if (std::string phrase = normalize_phrase(item); !phrase.empty())
                out.push_back(phrase);
            if (comma == std::string_view::npos)
                break;
            start = comma + 1;
        }
        return out;
    }
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

Scorer::Scorer(Rubric rubric) : rubric_(std::move(rubric)) {}
Scorer::~Scorer() = default;

const Scorer::Compiled& Scorer::compiled(const QuestionSpec& q) const
{
    // A question id names one question of the scorer's pack.
    const std::string& key = q.id;
    if (auto it = questions_.find(key); it != questions_.end())
        return *it->second;

    auto c = std::make_unique<Compiled>();
    c->kind = question_kind(q, rubric_);
    auto add = [&](const std::string& phrase, Lexicon lexicon, std::size_t index) {
        std::string normal = normalize_phrase(phrase);
        int id = c->matcher.add(normal);
        if (id >= 0)
            c->patterns.push_back({lexicon, static_cast<std::uint16_t>(index), normal});
    };
    const Rubric& r = rubric_;
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
    auto parts = r.structure.find(c->kind);
    c->parts = parts != r.structure.end() ? &parts->second : nullptr;
    if (c->parts)
        for (std::size_t i = 0; i < c->parts->size(); ++i)
            for (const auto& cue : (*c->parts)[i].cues)
                add(cue, Lexicon::structure_cue, i);
    for (std::size_t i = 0; i < q.evaluation_criteria.size(); ++i) {
        c->criteria.push_back(criterion_text(q.evaluation_criteria[i]));
        for (const std::string& kw : criterion_keywords(q.evaluation_criteria[i], r))
            add(kw, Lexicon::criterion, i);
    }
    c->matcher.compile();
    return *questions_.emplace(key, std::move(c)).first->second;
}

namespace {

// Everything the checks read, gathered in one pass over the answer.
struct Signals {
    std::int64_t words = 0;
    double seconds = 0;
    bool estimated = false;
    double wpm = 0;

    int filler_core = 0, filler_discourse = 0, stutters = 0;
    std::map<std::string, int> filler_counts;  // by word, for "most often"
    int hedges = 0;
    std::vector<std::string> hedge_examples;
    std::vector<std::size_t> flagged;  // indexes into rubric.flagged_terms, first seen first
    int i_words = 0, we_words = 0, you_words = 0, i_actions = 0, plan_frames = 0;
    std::vector<std::vector<std::int64_t>> part_positions;  // token indexes of each structure part's cues
    std::vector<std::int64_t> i_action_positions;
    std::vector<std::string> criterion_match;  // matched keyword per criterion, empty if none
    std::vector<std::string> details;          // distinct concrete details
    bool caps_reliable = false;
};

constexpr const char* stutter_exceptions[] = {"that", "had", "very", "no", "bye", "so"};
constexpr const char* like_not_before[] = {"a", "an", "the", "this", "that", "to", "me", "him", "her",
                                          "them", "us", "it", "my", "your", "our", "his"};
constexpr const char* like_after[] = {"was", "is", "'s", "were", "and", "but", "so", "um", "uh", "just", "it's"};
constexpr const char* you_know_not_before[] = {"that", "how", "why", "where", "when", "if", "whether", "what", "who"};
constexpr const char* kind_of_not_after[] = {"what", "this", "that", "the", "a", "any", "some", "every", "which",
                                            "same", "different", "all"};
constexpr const char* i_think_not_before[] = {"about", "of", "through", "back"};
constexpr const char* action_adverbs[] = {"then", "also", "immediately", "quickly", "personally", "first",
                                         "finally", "eventually", "later", "again", "just", "actually", "really"};

template <std::size_t N>
bool in(const std::string& w, const char* const (&list)[N])
{
    for (const char* x : list)
        if (w == x)
            return true;
    return false;
}

bool is_pause(char c) { return c == ',' || c == '.' || c == ';' || c == ':' || c == '?' || c == '!'; }

// Discourse markers count as fillers only in filler position (DESIGN.md
// section 5; research/rubric-proposal.md 4.3).
bool discourse_is_filler(const std::vector<Token>& t, std::size_t first, std::size_t length, bool prev_is_filler,
                         bool next_is_filler)
{
    const Token& a = t[first];
    const Token& z = t[first + length - 1];
    const std::string* next = first + length < t.size() ? &t[first + length].norm : nullptr;
    const std::string* prev = first > 0 ? &t[first - 1].norm : nullptr;
    bool isolated = is_pause(a.punct_before) || is_pause(z.punct_after) || first == 0 || a.sentence_start;
    const std::string& phrase = a.norm;
    if (length == 1 && phrase == "like") {
        if (is_pause(a.punct_before) && is_pause(a.punct_after))
            return true;  // ", like," whatever follows
        if (next && in(*next, like_not_before))
            return false;
        return (prev && in(*prev, like_after)) || prev_is_filler || next_is_filler;
    }
    if (length == 1 && phrase == "so")  // only as an opener: first, or before a pause or a filler
        return first == 0 || a.punct_after == ',' || next_is_filler;
    if (length == 1 && phrase == "right")
        return a.punct_after == '?';
    if (length == 2 && phrase == "you")  // "you know"
        return !(next && in(*next, you_know_not_before));
    if (length == 2 && phrase == "okay")  // "okay so"
        return isolated;
    return isolated || prev_is_filler || next_is_filler;
}

bool hedge_applies(const std::vector<Token>& t, std::size_t first, std::size_t length)
{
    const std::string* next = first + length < t.size() ? &t[first + length].norm : nullptr;
    const std::string* prev = first > 0 ? &t[first - 1].norm : nullptr;
    const std::string& w0 = t[first].norm;
    if (length == 2 && w0 == "i" && t[first + 1].norm == "think" && next && in(*next, i_think_not_before))
        return false;
    if (length == 2 && (w0 == "kind" || w0 == "sort") && prev && in(*prev, kind_of_not_after))
        return false;
    return true;
}

}  // namespace

ScoreResult Scorer::score(const QuestionSpec& q, std::string_view answer, std::optional<double> duration_s,
                          const Json* previous, const Limits& limits) const
{
    const Rubric& r = rubric_;
    if (answer.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
        throw Error(sqlstate::invalid_parameter_value, "answer is blank", "There is nothing to score.",
                    "Send the answer's text or transcript.");
    if (std::size_t chars = count_chars(answer); chars > limits.max_answer_chars)
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

    const Compiled& c = compiled(q);
    Transcript t = tokenize(answer);
    Signals s;
    s.words = static_cast<std::int64_t>(t.tokens.size());
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
    std::vector<std::uint32_t> symbols;
    symbols.reserve(t.tokens.size());
    for (const Token& tok : t.tokens)
        symbols.push_back(c.matcher.symbol(tok.norm));
    std::vector<PhraseMatcher::Match> matches;
    matches.reserve(t.tokens.size());
    c.matcher.find(symbols, matches);
    std::stable_sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.length > b.length;
    });

    // Consuming lexicons: each word belongs to at most one of them, by
    // priority flagged > hedge > core filler > discourse filler.
    std::vector<std::int8_t> consumed(t.tokens.size(), 0);  // 0 none, 1 flagged, 2 hedge, 3 filler
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
    for (Lexicon pass : {Lexicon::flagged, Lexicon::hedge, Lexicon::filler_core, Lexicon::filler_discourse}) {
        for (const auto& m : matches) {
            const PatternInfo& p = c.patterns[m.pattern];
            if (p.lexicon != pass || !free_span(m))
                continue;
            if (pass == Lexicon::flagged) {
                take(m, 1);
                if (std::find(s.flagged.begin(), s.flagged.end(), p.index) == s.flagged.end())
                    s.flagged.push_back(p.index);
            } else if (pass == Lexicon::hedge) {
                if (!hedge_applies(t.tokens, m.first, m.length))
                    continue;
                take(m, 2);
                ++s.hedges;
                if (s.hedge_examples.size() < 3 &&
                    std::find(s.hedge_examples.begin(), s.hedge_examples.end(), p.phrase) == s.hedge_examples.end())
                    s.hedge_examples.push_back(p.phrase);
            } else {
                bool prev_filler = m.first > 0 && consumed[m.first - 1] == 3;
                bool next_filler = m.first + m.length < t.tokens.size() && consumed[m.first + m.length] == 3;
                if (pass == Lexicon::filler_discourse &&
                    !discourse_is_filler(t.tokens, m.first, m.length, prev_filler, next_filler))
                    continue;
                take(m, 3);
                (pass == Lexicon::filler_core ? s.filler_core : s.filler_discourse) += 1;
                ++s.filler_counts[p.phrase];
            }
        }
    }
    // A word said twice in a row ("I I", "the the") is a stutter.
    for (std::size_t k = 1; k < t.tokens.size(); ++k) {
        const std::string& w = t.tokens[k].norm;
        if (w == t.tokens[k - 1].norm && t.tokens[k].has_letter && !consumed[k] && !consumed[k - 1] &&
            !in(w, stutter_exceptions))
            ++s.stutters;
    }

    // Non-consuming lexicons: pronouns, plan statements, verbs, details,
    // structure cues and criteria keywords.
    std::vector<bool> past(t.tokens.size(), false), i_word(t.tokens.size(), false);
    std::set<std::string> details;
    s.part_positions.assign(c.parts ? c.parts->size() : 0, {});
    s.criterion_match.assign(c.criteria.size(), std::string());
    for (const auto& m : matches) {
        const PatternInfo& p = c.patterns[m.pattern];
        bool filler_word = consumed[m.first] == 3;
        switch (p.lexicon) {
        case Lexicon::i_word:
            if (!filler_word) {
                ++s.i_words;
                i_word[m.first] = true;
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
            past[m.first] = true;
            break;
        case Lexicon::detail_word:
            details.insert(t.tokens[m.first].norm);
            break;
        case Lexicon::structure_cue:
            s.part_positions[p.index].push_back(m.first);
            break;
        case Lexicon::criterion:
            if (s.criterion_match[p.index].empty()) {
                std::string seen;
                for (std::uint32_t k = m.first; k < m.first + m.length; ++k)
                    seen += (seen.empty() ? "" : " ") + t.tokens[k].norm;
                s.criterion_match[p.index] = seen;
            }
            break;
        default:
            break;
        }
    }
    // "I" + (adverb) + past-tense verb: something the candidate did.
    for (std::size_t k = 0; k + 1 < t.tokens.size(); ++k) {
        if (t.tokens[k].norm.size() != 1 || t.tokens[k].norm[0] != 'i')
            continue;
        std::size_t v = k + 1;
        if (v + 1 < t.tokens.size() && in(t.tokens[v].norm, action_adverbs))
            ++v;
        const std::string& w = t.tokens[v].norm;
        if (past[v] || (w.size() >= 5 && w.compare(w.size() - 2, 2, "ed") == 0 && is_ascii_letter(w[0]))) {
            ++s.i_actions;
            s.i_action_positions.push_back(static_cast<std::int64_t>(k));
        }
    }
    // Concrete details: numbers, number and time words, and names
    // (capitalised mid-sentence) when capitalisation means something.
    s.caps_reliable = t.uppercase_letters > 0 && t.lowercase_letters > 4 * t.uppercase_letters;
    for (std::size_t k = 0; k < t.tokens.size(); ++k) {
        const Token& tok = t.tokens[k];
        if (!tok.has_letter)
            details.insert(tok.norm);
        else if (s.caps_reliable && tok.capitalized && !tok.sentence_start && !i_word[k] && !consumed[k])
            details.insert(tok.norm);
    }
    s.details.assign(details.begin(), details.end());

    // -----------------------------------------------------------------------
    ScoreResult out;
    out.duration_s = s.seconds;
    out.duration_estimated = s.estimated;
    out.words = s.words;
    out.wpm = s.wpm;
    out.model_used = "residency-rubric/" + r.version;
    const std::array<int, check_count>& weights =
        r.kind_weights.count(c.kind) ? r.kind_weights.at(c.kind) : r.weights;
    std::string expected = whole(q.expected_duration_s);
    double per100 = s.words > 0 ? 100.0 / static_cast<double>(s.words) : 0;
    bool too_short = s.words < r.short_words;

    auto text = [&](const std::map<std::string, std::string>& texts, const std::string& id,
                    const std::vector<std::pair<std::string, std::string>>& values) {
        auto it = texts.find(id);
        return it == texts.end() ? std::string() : fill_template(it->second, values);
    };
    // Fills what every check has: score, PASS, note, and its details object
    // (the metrics written by `metrics`, then score, outcome and display).
    auto finish = [&](CheckResult& cr, Check check, int score, auto&& metrics) {
        cr.check = check;
        cr.score = std::clamp(score, 0, 100);
        cr.pass = cr.score >= 70;
        cr.values.emplace_back("expected", expected);
        cr.note = text(r.notes, cr.outcome, cr.values);
        JsonWriter w(cr.details);
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
        cr.values = {{"seconds", seconds},
                     {"percent", whole(ratio * 100)},
                     {"words", std::to_string(s.words)},
                     {"word_count", word_count_text(s.words)}};
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
        finish(cr, Check::length, score, [&](JsonWriter& w) {
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
        cr.values = {{"wpm", whole(s.wpm)},
                     {"ideal_lo", whole(r.pace.ideal_lo)},
                     {"ideal_hi", whole(r.pace.ideal_hi)},
                     {"seconds", whole(s.seconds)},
                     {"words", std::to_string(s.words)},
                     {"word_count", word_count_text(s.words)}};
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
        finish(cr, Check::pace, score, [&](JsonWriter& w) { w.field("wpm", s.wpm, 1).field("scored", scored); });
    }
    // Fillers
    {
        CheckResult& cr = out.checks[2];
        cr.weight = weights[2];
        double weighted = r.filler_core_weight * s.filler_core + r.filler_discourse_weight * s.filler_discourse +
                          r.filler_stutter_weight * s.stutters;
        double rate = weighted * per100;
        int score = ceiling_score(round_to(rate, 2), r.fillers);
        std::vector<std::pair<std::string, int>> top(s.filler_counts.begin(), s.filler_counts.end());
        std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::string top_text;
        for (std::size_t k = 0; k < top.size() && k < 3; ++k)
            top_text += (k ? ", '" : "'") + top[k].first + "' x" + std::to_string(top[k].second);
        int count = s.filler_core + s.filler_discourse + s.stutters;
        cr.values = {{"count", std::to_string(count)},
                     {"rate", fixed(rate, 1)},
                     {"top", top_text},
                     {"top1", top.empty() ? std::string("um") : top[0].first}};
        cr.outcome = score >= 70 ? "fillers.pass" : "fillers.flag";
        cr.fix_id = "fillers";
        cr.practice_id = "fillers";
        cr.stretch_id = "stretch.fillers";
        cr.display = fixed(rate, 1) + " per 100 words";
        finish(cr, Check::fillers, score, [&](JsonWriter& w) {
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
        for (std::size_t k = 0; k < s.hedge_examples.size(); ++k)
            examples += (k ? ", '" : "'") + s.hedge_examples[k] + "'";
        cr.values = {{"hedges", std::to_string(s.hedges)}, {"rate", fixed(rate, 1)}, {"examples", examples}};
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
        finish(cr, Check::wording, score, [&](JsonWriter& w) {
            w.field("hedges", s.hedges).field("per_100_words", rate, 2);
            w.key("examples").begin_array();
            for (const std::string& e : s.hedge_examples)
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
        cr.values = {{"i", std::to_string(s.i_words)},         {"we", std::to_string(s.we_words)},
                     {"actions", std::to_string(s.i_actions)}, {"frames", std::to_string(s.plan_frames)},
                     {"you", std::to_string(s.you_words)},     {"rate", fixed(you_rate, 1)}};
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
            cr.outcome = score >= 70                                  ? "ownership.pass"
                         : you && !few                                ? "ownership.you"
                         : share >= r.i_share.pass && past_mode       ? "ownership.actions"
                                                                      : "ownership.flag";
            cr.display = "I-share " + fixed(share, 2);
            cr.fix_id = past_mode ? "ownership.past" : "ownership.self";
        }
        cr.practice_id = "ownership";
        cr.stretch_id = "stretch.ownership";
        finish(cr, Check::ownership, score, [&](JsonWriter& w) {
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
        std::vector<std::vector<std::int64_t>> at = s.part_positions;
        // A past story's actions also show as two or more "I did" statements.
        if (c.kind == QuestionKind::behavioral && s.i_actions >= r.min_i_actions)
            for (std::size_t k = 0; k < parts.size(); ++k)
                if (parts[k].name == "action") {
                    at[k].insert(at[k].end(), s.i_action_positions.begin(), s.i_action_positions.end());
                    std::sort(at[k].begin(), at[k].end());
                }
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
                found += (found.empty() ? "" : ", ") + parts[k].name;
                if (parts[k].required && in_order) {
                    auto next = std::lower_bound(at[k].begin(), at[k].end(), last);
                    if (next == at[k].end())
                        in_order = false;
                    else
                        last = *next;
                }
            } else if (parts[k].required) {
                missing_required = true;
                missing += (missing.empty() ? "" : ", ") + parts[k].name;
                if (first_missing.empty())
                    first_missing = parts[k].name;
            }
        }
        if (missing_required || !in_order)
            score = std::min(score, r.structure_cap);
        cr.values = {{"found", found.empty() ? std::string("none of them") : found}, {"missing", missing}};
        cr.outcome = score >= 70 ? "structure.pass" : missing_required ? "structure.missing" : "structure.order";
        cr.fix_id = missing_required ? "structure." + first_missing : "structure.order";
        cr.practice_id = "structure";
        cr.stretch_id = "stretch.structure";
        cr.display = found.empty() ? std::string("none") : found;
        finish(cr, Check::structure, score, [&](JsonWriter& w) {
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
        cr.values = {{"hit", std::to_string(hit)},
                     {"total", std::to_string(total)},
                     {"details", std::to_string(detail_count)},
                     {"missing", first_missed.empty() ? std::string("a concrete detail") : first_missed}};
        bool covered = first_missed.empty();
        cr.outcome = score >= 70 ? "substance.pass" : covered ? "substance.details" : "substance.flag";
        cr.fix_id = covered ? "substance.details" : "substance";
        cr.practice_id = "substance";
        cr.stretch_id = "stretch.substance";
        cr.display = std::to_string(hit) + "/" + std::to_string(total) + " key points";
        finish(cr, Check::substance, score, [&](JsonWriter& w) {
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
                w.value(s.details[k]);
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
            cr.note = text(r.notes, "short",
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
    std::string improvement = "null";
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
            out.what_changed.push_back(
                text(r.fixes, "improved",
                     {{"check", name},
                      {"before", metric ? best_before : "score " + std::to_string(best_prev)},
                      {"after", metric ? cr.display : "score " + std::to_string(cr.score)}}));
            improvement.clear();
            JsonWriter(improvement)
                .begin_object()
                .field("check", name)
                .field("from", best_prev)
                .field("to", cr.score)
                .end_object();
        }
    }
    for (int k : flagged) {
        if (out.what_changed.size() >= 3)
            break;
        std::string fix = text(r.fixes, out.checks[k].fix_id, out.checks[k].values);
        if (!fix.empty() && std::find(out.what_changed.begin(), out.what_changed.end(), fix) == out.what_changed.end())
            out.what_changed.push_back(fix);
    }
    if (flagged.empty() && out.what_changed.size() < 3) {
        int lowest = -1;
        for (int k : tie_order)
            if (out.checks[k].weight > 0 && out.checks[k].score < 90 &&
                (lowest < 0 || out.checks[k].score < out.checks[lowest].score))
                lowest = k;
        out.what_changed.push_back(lowest >= 0 ? text(r.fixes, out.checks[lowest].stretch_id, out.checks[lowest].values)
                                               : text(r.fixes, "maintain", {{"expected", expected}}));
    }
    out.practice_rule = flagged.empty() ? text(r.practice, "maintain", {{"expected", expected}})
                                        : text(r.practice, out.checks[flagged.front()].practice_id,
                                               out.checks[flagged.front()].values);

    JsonWriter w(out.details);
    w.begin_object().field("rubric_version", r.version).field("kind", to_string(c.kind)).field("question_id", q.id);
    w.key("weights").begin_object();
    for (const CheckResult& cr : out.checks)
        w.field(check_name(cr.check), cr.weight);
    w.end_object();
    w.key("overall").begin_object().field("weighted_mean", mean, 2).key("caps").begin_array();
    for (const std::string& cap : caps)
        w.value(cap);
    w.end_array().end_object();
    w.key("improvement").raw(improvement);
    for (const CheckResult& cr : out.checks)
        w.key(check_name(cr.check)).raw(cr.details);
    w.end_object();
    return out;
}

std::string ScoreResult::to_json_text() const
{
    std::string out;
    out.reserve(details.size() + 1024);
    JsonWriter w(out);
    w.begin_object()
        .field("duration_s", duration_s, 1)
        .field("duration_estimated", duration_estimated)
        .field("words", words)
        .field("wpm", wpm, 1)
        .field("overall_score", overall_score);
    w.key("categories").begin_array();
    for (const CheckResult& cr : checks)
        w.begin_object()
            .field("name", check_name(cr.check))
            .field("passFlag", cr.pass ? "PASS" : "FLAG")
            .field("note", cr.note)
            .field("score", cr.score)
            .end_object();
    w.end_array();
    w.key("what_changed").begin_array();
    for (const std::string& item : what_changed)
        w.value(item);
    w.end_array();
    w.field("practice_rule", practice_rule).field("model_used", model_used);
    w.key("details").raw(details);
    w.end_object();
    return out;
}

}  // namespace residency
