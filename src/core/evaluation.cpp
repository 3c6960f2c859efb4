#include "evaluation.hpp"

#include "error.hpp"
#include "evaluation_check.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>

namespace residency {

std::vector<JsonProblem> categories_problems(const Json& categories, const std::string& root)
{
    std::vector<JsonProblem> out;
    check_categories(NlohmannView(categories), root, out);
    return out;
}

std::vector<JsonProblem> evaluation_problems(const EvaluationRecord& r)
{
    std::vector<JsonProblem> out;
    if (r.categories)
        check_categories(NlohmannView(*r.categories), "categories", out);
    if (r.what_changed)
        check_what_changed(NlohmannView(*r.what_changed), out);
    if (r.details)
        check_details(NlohmannView(*r.details), out);
    figures_problems(r, out);
    return out;
}

void figures_problems(const EvaluationRecord& r, std::vector<JsonProblem>& out)
{
    if (r.practice_rule && is_blank(*r.practice_rule))
        out.push_back({"practice_rule", "must not be empty"});
    if (r.model_used && is_blank(*r.model_used))
        out.push_back({"model_used", "must not be empty"});
    if (r.overall_score && (*r.overall_score < 0 || *r.overall_score > 100))
        out.push_back({"overall_score", "must be from 0 to 100, found " + std::to_string(*r.overall_score)});
    if (r.processing_time_ms && *r.processing_time_ms < 1)
        out.push_back({"processing_time_ms", "must be at least 1, found " + std::to_string(*r.processing_time_ms)});

    bool duration_ok = false;
    if (r.duration_s) {
        duration_ok = std::isfinite(*r.duration_s) && *r.duration_s > 0;
        if (!duration_ok) {
            out.push_back({"duration_s", "must be greater than 0, found " + format_number(*r.duration_s)});
        } else if (r.audio_duration_s) {
            double tolerance = duration_tolerance(*r.audio_duration_s);
            if (std::fabs(*r.duration_s - *r.audio_duration_s) > tolerance) {
                out.push_back({"duration_s", "must be the recording's length, " + format_number(*r.audio_duration_s) +
                                                 " s (audio_duration_s of the response, within " +
                                                 format_number(tolerance) + " s), found " +
                                                 format_number(*r.duration_s)});
                duration_ok = false;
            }
        }
    }
    if (r.words && *r.words < 0)
        out.push_back({"words", "must be at least 0, found " + std::to_string(*r.words)});
    if (r.wpm) {
        if (!std::isfinite(*r.wpm) || *r.wpm < 0) {
            out.push_back({"wpm", "must be at least 0, found " + format_number(*r.wpm)});
        } else if (duration_ok && r.words && *r.words >= 0) {
            double expected = static_cast<double>(*r.words) * 60.0 / *r.duration_s;
            if (std::fabs(*r.wpm - expected) > wpm_tolerance)
                out.push_back({"wpm", "must be words*60/duration_s = " + format_number(expected) +
                                          " (within 0.5), found " + format_number(*r.wpm)});
        }
    }
}

double duration_tolerance(double audio_duration_s)
{
    return std::max(duration_tolerance_s, duration_tolerance_ratio * audio_duration_s);
}

void throw_evaluation_problems(const std::vector<JsonProblem>& problems)
{
    throw Error(Refusal::evaluation_result, sqlstate::check_violation, "evaluation result is not valid",
                format_problems(problems),
                "An evaluation needs the 7 categories (Length, Pace, Fillers, Wording, Ownership, "
                "Structure, Substance), each with passFlag PASS or FLAG and a note, and figures "
                "that agree with each other.");
}

void check_evaluation(const EvaluationRecord& record)
{
    std::vector<JsonProblem> problems = evaluation_problems(record);
    if (!problems.empty())
        throw_evaluation_problems(problems);
}

}  // namespace residency
