// The scorer's public entry: Scorer::score() runs the phases of
// scorer_internal.hpp in order. Each phase has its own file.
#include "scorer.hpp"

#include "error.hpp"
#include "scorer_internal.hpp"
#include "text.hpp"
#include "tokenizer.hpp"

namespace residency {

namespace {

// The input score() refuses before reading the answer.
void check_input(const QuestionSpec& q, std::string_view answer, std::optional<double> duration_s, const Limits& limits)
{
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
}

// The result's measurements, before the checks.
ScoreResult measured(const scoring::Signals& s, const Rubric& r)
{
    ScoreResult out;
    out.duration_s = s.seconds;
    out.duration_estimated = s.estimated;
    out.words = s.words;
    out.wpm = s.wpm;
    out.model_used = "residency-rubric/" + r.version;
    return out;
}

// The weights of a kind of question: its own when the rubric has them.
const std::array<int, check_count>& weights(const Rubric& r, QuestionKind kind)
{
    auto it = r.kind_weights.find(kind);
    return it != r.kind_weights.end() ? it->second : r.weights;
}

}  // namespace

Scorer::Scorer(Rubric rubric)
    : rubric_(std::move(rubric)),
      texts_(std::make_unique<Texts>(Texts{scoring::text_table(rubric_.notes), scoring::text_table(rubric_.fixes),
                                           scoring::text_table(rubric_.practice)}))
{
}
Scorer::~Scorer() = default;

ScoreResult Scorer::score(const QuestionSpec& q, std::string_view answer, std::optional<double> duration_s,
                          const Json* previous, const Limits& limits) const
{
    check_input(q, answer, duration_s, limits);
    const Compiled& c = compiled(q, limits);
    if (!scratch_)
        scratch_ = std::make_unique<Scratch>();
    Scratch& x = *scratch_;
    Scratch::Trim trim{x};
    const scoring::Signals& s = scoring::read_answer(x, c, rubric_, answer, duration_s);
    ScoreResult out = measured(s, rubric_);
    scoring::run_checks({s, rubric_, c, q, weights(rubric_, c.kind)}, texts_->notes, out.checks, x.check_details);
    const scoring::Summary summary = scoring::summarise(out, s, rubric_, q, previous, *texts_);
    scoring::write_details(out, summary, x.check_details, rubric_, c, q);
    return out;
}

}  // namespace residency
