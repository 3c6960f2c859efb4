// The built-in evaluation scorer (docs/scoring.md): a deterministic
// rubric over the words of an answer. Same inputs, same output, byte for
// byte. docs/scoring.md explains every check with worked examples.
#pragma once
#include "pure.hpp"

#include "content_pack.hpp"
#include "json_input.hpp"
#include "json_sink.hpp"
#include "limits.hpp"
#include "phrase_matcher.hpp"
#include "rubric.hpp"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

// What the scorer needs of a question (a content_pack_questions row).
struct QuestionSpec {
    std::string id;
    std::string category;
    double expected_duration_s = 90;
    std::vector<std::string> evaluation_criteria;
    std::optional<QuestionKind> kind;
};

struct CheckResult {
    Check check = Check::length;
    int score = 0;        // 0..100
    bool pass = false;    // score >= 70
    int weight = 0;       // 0: not scored (typed pace)
    std::string outcome;  // note template id, e.g. "length.short"
    std::string note;
    std::string fix_id;                                       // what_changed text when FLAGged
    std::string practice_id;                                  // practice rule when this is the top FLAG
    std::string stretch_id;                                   // what_changed text when nothing is FLAGged
    std::string display;                                      // the metric, for "what improved" ("48 s")
    std::vector<std::pair<std::string, std::string>> values;  // template placeholders
    // This check's metrics are the object details[check_name(check)] of the
    // ScoreResult.
};

struct ScoreResult {
    double duration_s = 0;
    bool duration_estimated = false;
    std::int64_t words = 0;
    double wpm = 0;
    int overall_score = 0;
    std::array<CheckResult, check_count> checks;
    std::vector<std::string> what_changed;
    std::string practice_rule;
    std::string model_used;
    JsonEvents details;  // every metric behind each verdict, a JSON object (one member per check)

    // The result as the JSON object residency.score() returns: keys
    // duration_s, duration_estimated, words, wpm, overall_score,
    // categories, what_changed, practice_rule, model_used, details.
    // write() gives it as events (for building jsonb directly);
    // to_json_text() is write() into a JsonTextSink.
    void write(JsonSink& sink) const;
    std::string to_json_text() const;
    Json to_json() const { return Json::parse(to_json_text()); }
};

// A rubric compiled for scoring: one phrase automaton per question (the
// rubric's lexicons plus that question's criteria keywords), built on first
// use and kept, and the buffers score() works in, kept between calls so
// that scoring allocates little. Not thread-safe, even score() on a const
// Scorer; a Postgres backend has one thread.
//
// The automata kept are bounded: at most max_cached_questions of them and
// cache_budget_bytes in all (Compiled::bytes), the least recently used
// evicted first (the one just compiled is always kept, and one question is
// at most a few MB: limits.max_question_expansions bounds it).
class Scorer {
public:
    explicit Scorer(Rubric rubric);
    ~Scorer();
    Scorer(const Scorer&) = delete;
    Scorer& operator=(const Scorer&) = delete;

    const Rubric& rubric() const { return rubric_; }

    // Scores an answer. `duration_s` is the audio duration of a spoken
    // answer; nullopt means typed (estimated at rubric.typed_wpm). `previous`
    // is an earlier result for the same question (for what_changed).
    // Throws Error 22023 for a blank answer, a typed answer without words or
    // a duration outside (0, 3600]; PT413 over limits.max_answer_chars,
    // when the question's automaton would hold more than
    // limits.max_question_expansions patterns, and when the answer matches
    // the question's phrases more than max_matches_per_word times per word.
    // Polls for interrupts.
    ScoreResult score(const QuestionSpec& question, std::string_view answer, std::optional<double> duration_s,
                      const Json* previous, const Limits& limits) const;

    static constexpr std::size_t max_cached_questions = 256;
    static constexpr std::size_t cache_budget_bytes = 8 * 1024 * 1024;
    // Phrase matches allowed per word of an answer, on average (PT413 past
    // them): a usual answer has fewer than one.
    static constexpr std::size_t max_matches_per_word = 128;

    // The automata kept now: how many, their bytes, whether a question's.
    std::size_t cached_questions() const { return questions_.size(); }
    std::size_t cached_bytes() const { return cached_bytes_; }
    bool cached(const std::string& question_id) const { return questions_.count(question_id) > 0; }

    // The phases' types (scorer_internal.hpp).
    struct Compiled;
    struct Scratch;
    struct Texts;

private:
    const Compiled& compiled(const QuestionSpec& question, const Limits& limits) const;
    void make_room(std::size_t bytes) const;

    Rubric rubric_;
    std::unique_ptr<const Texts> texts_;  // the rubric's notes, fixes and practice rules, cut at their placeholders
    mutable std::map<std::string, std::unique_ptr<Compiled>> questions_;
    mutable std::size_t cached_bytes_ = 0;      // Compiled::bytes of questions_
    mutable std::uint64_t use_clock_ = 0;       // stamps Compiled::last_used
    mutable std::unique_ptr<Scratch> scratch_;  // buffers reused by score()
    mutable std::uint32_t compiled_count_ = 0;
};

// The phrases of a question's automaton that come from the rubric, in the
// order the Scorer adds them (its lexicons, then the structure cues of
// `kind`), normalised (normalize_phrase), those without a word left out.
std::vector<std::string> rubric_phrases(const Rubric& rubric, QuestionKind kind);

// The patterns of the automaton the Scorer builds for a question
// (PhraseMatcher::expansions()): `rubric_phrases` (as rubric_phrases()
// gives them for the question's kind), then the keywords of each of
// `criteria`. `per_criterion`, when given, receives each criterion's own
// patterns. The one count both rule P1 and the Scorer apply.
std::uint64_t question_expansions(const std::vector<std::string>& rubric_phrases,
                                  const std::vector<std::string_view>& criteria, const Rubric& rubric,
                                  std::vector<std::uint64_t>* per_criterion = nullptr);

// The keywords of one evaluation criterion: its "[kw: a, b*, c d]" suffix
// when it has one, else the content words of its text (prefix-matched).
std::vector<std::string> criterion_keywords(std::string_view criterion, const Rubric& rubric);

// f(item) for each item of a criterion's "[kw: ...]" list as written (the
// text between commas, not normalised; an item may have no word). Returns
// false, calling nothing, when the criterion has no such list.
template <class F>
bool for_each_keyword_item(std::string_view criterion, F&& f)
{
    std::size_t kw = criterion.rfind("[kw:");
    if (kw == std::string_view::npos)
        return false;
    std::size_t close = criterion.find(']', kw);
    std::string_view list = criterion.substr(kw + 4, close == std::string_view::npos ? close : close - kw - 4);
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        f(list.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return true;
}

// The criterion without its "[kw: ...]" suffix, for notes.
std::string criterion_text(std::string_view criterion);

// A lexicon phrase in the tokenizer's normal form ("I'm" -> "i'm"), keeping
// a trailing * on words. Empty when the phrase has no word.
std::string normalize_phrase(std::string_view phrase);

// The kind of answer a question expects: its own kind, else the rubric's
// kind for its category, else behavioral.
QuestionKind question_kind(const QuestionSpec& question, const Rubric& rubric);

}  // namespace residency
