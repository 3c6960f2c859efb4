// Rule E2 (the 7 categories) and the JSON parts of E3, written once against
// a JSON View (json_view.hpp): evaluation.cpp runs them on nlohmann values,
// the Postgres layer on the jsonb columns in place.
#pragma once
#include "pure.hpp"

#include "evaluation.hpp"
#include "json_view.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

namespace evaluation_check {

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

// The shape of an evaluation result sent by a worker (record_evaluation):
// the keys of residency.score()'s result, each of its JSON type. A number
// sent as a string ("42") or an integer with a fraction (100.4) is refused
// here, with its path, before anything converts it. Keys beyond these are
// ignored; the values themselves are rules E2 and E3.
template <class View>
void check_result_shape(const View& result, std::vector<JsonProblem>& out)
{
    if (result.type() != JsonType::object) {
        out.push_back(
            {"$", "must be a JSON object (the keys of residency.score()'s result), not " + describe_json(result)});
        return;
    }
    enum class Kind { number, integer, string, array, object, boolean };
    struct Key {
        const char* name;
        Kind kind;
        bool required;
    };
    static constexpr Key keys[] = {
        {"duration_s", Kind::number, true},
        {"words", Kind::integer, true},
        {"wpm", Kind::number, true},
        {"overall_score", Kind::integer, true},
        {"categories", Kind::array, true},
        {"what_changed", Kind::array, true},
        {"practice_rule", Kind::string, true},
        {"model_used", Kind::string, true},
        {"processing_time_ms", Kind::integer, false},
        {"details", Kind::object, false},
        {"duration_estimated", Kind::boolean, false},
    };
    JsonPath root;
    for (const Key& k : keys) {
        std::optional<View> v = result.find(k.name);
        if (!v || v->type() == JsonType::null) {
            if (k.required)
                out.push_back({root.key(k.name).str(), "is required"});
            continue;
        }
        const char* expected = nullptr;
        switch (k.kind) {
        case Kind::number:
            if (v->type() != JsonType::number || !std::isfinite(v->number()))
                expected = "a number";
            break;
        case Kind::integer:
            // the columns are integer (int4)
            if (v->type() != JsonType::number || !v->integral() || !(v->number() >= -2147483648.0) ||
                !(v->number() <= 2147483647.0))
                expected = "an integer";
            break;
        case Kind::string:
            if (v->type() != JsonType::string)
                expected = "a string";
            break;
        case Kind::array:
            if (v->type() != JsonType::array)
                expected = "an array";
            break;
        case Kind::object:
            if (v->type() != JsonType::object)
                expected = "an object";
            break;
        case Kind::boolean:
            if (v->type() != JsonType::boolean)
                expected = "true or false";
            break;
        }
        if (expected)
            out.push_back({root.key(k.name).str(), std::string("must be ") + expected + ", not " + describe_json(*v)});
    }
}

// details: the scorer's metrics, a JSON object when present.
template <class View>
void check_details(const View& d, std::vector<JsonProblem>& out)
{
    if (d.type() != JsonType::object && d.type() != JsonType::null)
        out.push_back({"details", "must be a JSON object"});
}

}  // namespace residency
