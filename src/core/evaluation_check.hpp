// Rule E2 (the 7 categories) and the JSON parts of E3, written once against
// a JSON View (json_view.hpp): evaluation.cpp runs them on nlohmann values,
// the Postgres layer on the jsonb columns in place.
#pragma once
#include "pure.hpp"

#include "evaluation.hpp"
#include "json_view.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

namespace evaluation_check {

inline bool is_blank(std::string_view s)
{
    return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

template <class View>
bool non_blank_string(const View& v)
{
    return v.type() == JsonType::string && !is_blank(v.string());
}

}  // namespace evaluation_check

// E2. Paths start at `root` (a column name or a JSON path).
template <class View>
void check_categories(const View& categories, const std::string& root, std::vector<JsonProblem>& out)
{
    using namespace evaluation_check;
    std::size_t before = out.size();
    if (categories.type() != JsonType::array) {
        out.push_back({root, "must be an array of 7 category objects"});
        return;
    }
    if (categories.size() != evaluation_categories.size())
        out.push_back({root, "must hold exactly 7 categories, found " + std::to_string(categories.size())});

    std::size_t seen_count = 0;
    bool seen[evaluation_categories.size()] = {};
    for (std::size_t i = 0; i < categories.size(); ++i) {
        View c = categories.at(i);
        if (c.type() != JsonType::object) {
            out.push_back({json_path_index(root, i), "must be an object with name, passFlag and note"});
            continue;
        }
        std::optional<View> name = c.find("name");
        if (!name || name->type() != JsonType::string) {
            out.push_back({json_path_index(root, i) + ".name", "must be one of the 7 category names"});
        } else {
            auto known = std::find(evaluation_categories.begin(), evaluation_categories.end(), name->string());
            if (known == evaluation_categories.end()) {
                out.push_back({json_path_index(root, i) + ".name",
                               name->excerpt(60) + " is not one of Length, Pace, Fillers, Wording, Ownership, "
                                                   "Structure, Substance"});
            } else if (seen[known - evaluation_categories.begin()]) {
                out.push_back({json_path_index(root, i) + ".name", "repeats the category " + name->excerpt(60)});
            } else {
                seen[known - evaluation_categories.begin()] = true;
                ++seen_count;
            }
        }
        std::optional<View> flag = c.find("passFlag");
        if (!flag || flag->type() != JsonType::string || (flag->string() != "PASS" && flag->string() != "FLAG"))
            out.push_back({json_path_index(root, i) + ".passFlag", "must be \"PASS\" or \"FLAG\""});
        std::optional<View> note = c.find("note");
        if (!note || !non_blank_string(*note))
            out.push_back({json_path_index(root, i) + ".note", "must be a non-empty string"});
        if (std::optional<View> score = c.find("score")) {
            bool ok = score->type() == JsonType::number && score->integral() && score->number() >= 0 &&
                      score->number() <= 100;
            if (!ok)
                out.push_back({json_path_index(root, i) + ".score",
                               "must be an integer from 0 to 100, found " + score->excerpt(60)});
        }
    }
    if (out.size() == before && seen_count != evaluation_categories.size())
        out.push_back({root, "must name each of the 7 categories once"});
}

// E3: at most 3 non-empty strings.
template <class View>
void check_what_changed(const View& w, std::vector<JsonProblem>& out)
{
    using namespace evaluation_check;
    if (w.type() != JsonType::array) {
        out.push_back({"what_changed", "must be an array of at most 3 strings"});
        return;
    }
    if (w.size() > max_what_changed)
        out.push_back({"what_changed", "must hold at most 3 items, found " + std::to_string(w.size())});
    for (std::size_t i = 0; i < w.size(); ++i)
        if (!non_blank_string(w.at(i)))
            out.push_back({json_path_index("what_changed", i), "must be a non-empty string"});
}

// details: the scorer's metrics, a JSON object when present.
template <class View>
void check_details(const View& d, std::vector<JsonProblem>& out)
{
    if (d.type() != JsonType::object && d.type() != JsonType::null)
        out.push_back({"details", "must be a JSON object"});
}

}  // namespace residency
