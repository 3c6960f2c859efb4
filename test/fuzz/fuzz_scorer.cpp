// libFuzzer target: the tokenizer and the scorer on arbitrary bytes.
// Whatever the input, scoring either refuses it with a residency::Error or
// returns a result that is valid JSON and passes rules E2/E3. Each input is
// also scored with an interrupt callback that throws at one of its polls
// (interrupt.hpp), as the Postgres layer's does on a cancel: the exception
// comes out, nothing leaks (ASan), and the next score is the same.
#include "error.hpp"
#include "evaluation.hpp"
#include "interrupt.hpp"
#include "scorer.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const residency::Scorer& scorer()
{
    static residency::Scorer s(residency::default_rubric());
    return s;
}

const residency::QuestionSpec& question(std::uint8_t selector)
{
    using residency::QuestionKind;
    static const residency::QuestionSpec questions[] = {
        {"b",
         "Conflict",
         90,
         {"Acknowledges the concern [kw: concern*, worried, listen*]", "Escalates [kw: senior, attending, escalat*]",
          "Describes the outcome"},
         QuestionKind::behavioral},
        {"s",
         "Ethics",
         105,
         {"Puts patient safety first [kw: safe*, patient safety]", "Escalates"},
         QuestionKind::situational},
        {"m",
         "Motivation",
         75,
         {"Names a specific reason", "Links to the program [kw: program, fit]"},
         QuestionKind::motivation},
        {"n", "Other", 60, {}, std::nullopt},
    };
    return questions[selector % 4];
}

struct Cancelled {};
long polls_left = 0;  // the callback throws when this reaches 0
void cancel_check()
{
    if (--polls_left == 0)
        throw Cancelled{};
}

// Scores with the callback set to throw at poll `at`; true when it threw.
bool cancelled_at(long at, const residency::QuestionSpec& q, std::string_view answer, std::optional<double> duration)
{
    polls_left = at;
    residency::set_interrupt_check(&cancel_check);
    bool cancelled = false;
    try {
        scorer().score(q, answer, duration, nullptr, residency::Limits{});
    } catch (const Cancelled&) {
        cancelled = true;
    } catch (const residency::Error&) {
    }
    residency::set_interrupt_check(nullptr);
    return cancelled;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    // first byte: question; second: typed (0) or a duration of 1..255 seconds
    const residency::QuestionSpec& q = question(data[0]);
    std::optional<double> duration;
    if (data[1] != 0)
        duration = data[1];
    std::string_view answer(reinterpret_cast<const char*>(data + 2), size - 2);
    try {
        residency::ScoreResult r = scorer().score(q, answer, duration, nullptr, residency::Limits{});
        residency::Json json = r.to_json();
        residency::Json previous = json;
        residency::ScoreResult again = scorer().score(q, answer, duration, &previous, residency::Limits{});
        if (again.overall_score != r.overall_score)
            std::abort();  // the same answer scores the same
        residency::EvaluationRecord record;
        record.duration_s = json["duration_s"].get<double>();
        record.words = json["words"].get<std::int64_t>();
        record.wpm = json["wpm"].get<double>();
        record.overall_score = json["overall_score"].get<std::int64_t>();
        record.categories = &json["categories"];
        record.what_changed = &json["what_changed"];
        record.practice_rule = json["practice_rule"].get<std::string>();
        record.model_used = json["model_used"].get<std::string>();
        record.processing_time_ms = 1;
        record.details = &json["details"];
        residency::check_evaluation(record);  // throws (and so aborts) if E2/E3 fail
        // cancelled at a poll chosen by the input, then scored again
        cancelled_at(1 + static_cast<long>(size % 13), q, answer, duration);
        if (scorer().score(q, answer, duration, nullptr, residency::Limits{}).to_json_text() != r.to_json_text())
            std::abort();
    } catch (const residency::Error& e) {
        std::string_view code = e.sqlstate();
        if (code != "22023" && code != "PT413")
            std::abort();
    }
    return 0;
}
