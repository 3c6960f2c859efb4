#include "evaluation.hpp"

#include "error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace residency {

namespace {

bool is_blank(std::string_view s)
{
    return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

std::string number_text(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

std::vector<JsonProblem> categories_problems(const Json& categories, const std::string& root)
{
    std::vector<JsonProblem> out;
    if (!categories.is_array()) {
        out.push_back({root, "must be an array of 7 category objects"});
        return out;
    }
    if (categories.size() != evaluation_categories.size())
        out.push_back({root, "must hold exactly 7 categories, found " + std::to_string(categories.size())});

    std::vector<std::string> seen;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const Json& c = categories[i];
        std::string path = json_path_index(root, i);
        if (!c.is_object()) {
            out.push_back({path, "must be an object with name, passFlag and note"});
            continue;
        }
        auto name = c.find("name");
        if (name == c.end() || !name->is_string()) {
            out.push_back({path + ".name", "must be one of the 7 category names"});
        } else {
            const std::string& n = name->get_ref<const std::string&>();
            bool known = std::find(evaluation_categories.begin(), evaluation_categories.end(), n) !=
                         evaluation_categories.end();
            if (!known)
                out.push_back({path + ".name", json_excerpt(n) +
                                                   " is not one of Length, Pace, Fillers, Wording, "
                                                   "Ownership, Structure, Substance"});
            else if (std::find(seen.begin(), seen.end(), n) != seen.end())
                out.push_back({path + ".name", "repeats the category " + json_excerpt(n)});
            else
                seen.push_back(n);
        }
        auto flag = c.find("passFlag");
        if (flag == c.end() || !flag->is_string() ||
            (flag->get_ref<const std::string&>() != "PASS" && flag->get_ref<const std::string&>() != "FLAG"))
            out.push_back({path + ".passFlag", "must be \"PASS\" or \"FLAG\""});
        auto note = c.find("note");
        if (note == c.end() || !note->is_string() || is_blank(note->get_ref<const std::string&>()))
            out.push_back({path + ".note", "must be a non-empty string"});
        if (auto score = c.find("score"); score != c.end()) {
            bool ok = score->is_number_integer() && score->get<std::int64_t>() >= 0 &&
                      score->get<std::int64_t>() <= 100;
            if (!ok)
                out.push_back({path + ".score", "must be an integer from 0 to 100, found " + json_excerpt(*score)});
        }
    }
    if (out.empty() && seen.size() != evaluation_categories.size())
        out.push_back({root, "must name each of the 7 categories once"});
    return out;
}

std::vector<JsonProblem> evaluation_problems(const EvaluationRecord& r)
{
    std::vector<JsonProblem> out;
    if (r.categories)
        out = categories_problems(*r.categories);

    if (r.what_changed) {
        const Json& w = *r.what_changed;
        if (!w.is_array()) {
            out.push_back({"what_changed", "must be an array of at most 3 strings"});
        } else {
            if (w.size() > max_what_changed)
                out.push_back({"what_changed", "must hold at most 3 items, found " + std::to_string(w.size())});
            for (std::size_t i = 0; i < w.size(); ++i)
                if (!w[i].is_string() || is_blank(w[i].get_ref<const std::string&>()))
                    out.push_back({json_path_index("what_changed", i), "must be a non-empty string"});
        }
    }
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
        if (!duration_ok)
            out.push_back({"duration_s", "must be greater than 0, found " + number_text(*r.duration_s)});
    }
    if (r.words && *r.words < 0)
        out.push_back({"words", "must be at least 0, found " + std::to_string(*r.words)});
    if (r.wpm) {
        if (!std::isfinite(*r.wpm) || *r.wpm < 0) {
            out.push_back({"wpm", "must be at least 0, found " + number_text(*r.wpm)});
        } else if (duration_ok && r.words && *r.words >= 0) {
            double expected = static_cast<double>(*r.words) * 60.0 / *r.duration_s;
            if (std::fabs(*r.wpm - expected) > wpm_tolerance)
                out.push_back({"wpm", "must be words*60/duration_s = " + number_text(expected) +
                                          " (within 0.5), found " + number_text(*r.wpm)});
        }
    }
    if (r.details && !r.details->is_object() && !r.details->is_null())
        out.push_back({"details", "must be a JSON object"});
    return out;
}

void check_evaluation(const EvaluationRecord& record)
{
    std::vector<JsonProblem> problems = evaluation_problems(record);
    if (!problems.empty())
        throw Error(sqlstate::check_violation, "evaluation result is not valid", format_problems(problems),
                    "An evaluation needs the 7 categories (Length, Pace, Fillers, Wording, Ownership, "
                    "Structure, Substance), each with passFlag PASS or FLAG and a note, and figures "
                    "that agree with each other.");
}

}  // namespace residency
