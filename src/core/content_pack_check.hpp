// Rule P1, written once against a JSON View (json_view.hpp). Included by
// content_pack.cpp (nlohmann documents) and by the Postgres layer (jsonb
// rows); callers use check_content_pack() below, or validate_content_pack()
// in content_pack.hpp.
#pragma once
#include "pure.hpp"

#include "content_pack.hpp"
#include "json_view.hpp"
#include "rubric_check.hpp"
#include "semver.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

namespace pack_check {

inline bool is_blank(std::string_view s)
{
    return s.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos;
}

template <class View>
std::string describe(const View& v)
{
    return describe_json(v);
}

inline std::string quoted(std::string_view s, std::size_t max_chars = 60)
{
    return json_excerpt(Json(std::string(s.substr(0, max_chars * 4))), max_chars);
}

// Collects problems while walking the document.
template <class View>
class Checker {
public:
    std::vector<JsonProblem>& problems;

    void problem(const JsonPath& path, std::string message) { problems.push_back({path.str(), std::move(message)}); }

    // A required, non-blank string member.
    std::optional<std::string_view> text(const View& obj, const JsonPath& path, const char* key)
    {
        std::optional<View> v = obj.find(key);
        if (!v) {
            problem(path.key(key), "is required");
            return std::nullopt;
        }
        return text_value(*v, path.key(key));
    }

    std::optional<std::string_view> text_value(const View& v, const JsonPath& where)
    {
        if (v.type() != JsonType::string) {
            problem(where, "must be a string, not " + describe(v));
            return std::nullopt;
        }
        std::string_view s = v.string();
        if (is_blank(s)) {
            problem(where, "must not be empty");
            return std::nullopt;
        }
        return s;
    }

    void unknown_keys(const View& obj, const JsonPath& path, std::initializer_list<const char*> known)
    {
        obj.for_each_key([&](std::string_view key) {
            if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
                std::string list;
                for (const char* k : known)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                problem(path.key(key), "is not a known key (expected one of: " + list + ")");
            }
        });
    }
};

template <class View>
void check_metadata(Checker<View>& c, const View& content, const JsonPath& root,
                    std::vector<std::string_view>& categories, ContentPack* model)
{
    JsonPath path = root.key("metadata");
    std::optional<View> meta = content.find("metadata");
    if (!meta) {
        c.problem(path, "is required");
        return;
    }
    if (meta->type() != JsonType::object) {
        c.problem(path, "must be an object, not " + describe(*meta));
        return;
    }
    std::optional<std::string_view> title = c.text(*meta, path, "title");
    std::optional<std::string_view> description = c.text(*meta, path, "description");
    if (model && title)
        model->title = std::string(*title);
    if (model && description)
        model->description = std::string(*description);

    JsonPath cats_path = path.key("categories");
    std::optional<View> cats = meta->find("categories");
    if (!cats) {
        c.problem(cats_path, "is required");
        return;
    }
    if (cats->type() != JsonType::array) {
        c.problem(cats_path, "must be an array of 7 strings, not " + describe(*cats));
        return;
    }
    if (cats->size() != pack_category_count)
        c.problem(cats_path, "must hold exactly 7 categories, found " + std::to_string(cats->size()));
    for (std::size_t i = 0; i < cats->size(); ++i) {
        JsonPath where = cats_path.index(i);
        std::optional<std::string_view> name = c.text_value(cats->at(i), where);
        if (!name)
            continue;
        if (std::find(categories.begin(), categories.end(), *name) != categories.end()) {
            c.problem(where, "repeats the category " + quoted(*name));
            continue;
        }
        categories.push_back(*name);
    }
    if (model)
        model->categories.assign(categories.begin(), categories.end());
}

template <class View>
void check_question(Checker<View>& c, const View& q, const JsonPath& path,
                    const std::vector<std::string_view>& categories, bool categories_known,
                    std::set<std::string_view>& ids, Question* out)
{
    if (q.type() != JsonType::object) {
        c.problem(path, "must be an object, not " + describe(q));
        return;
    }
    c.unknown_keys(q, path, {"id", "category", "prompt", "expected_duration_s", "evaluation_criteria", "kind"});

    if (std::optional<std::string_view> id = c.text(q, path, "id")) {
        if (!ids.insert(*id).second)
            c.problem(path.key("id"), "repeats the question id " + quoted(*id));
        if (out)
            out->id = std::string(*id);
    }
    if (std::optional<std::string_view> cat = c.text(q, path, "category")) {
        if (categories_known && std::find(categories.begin(), categories.end(), *cat) == categories.end())
            c.problem(path.key("category"), quoted(*cat) + " is not one of $.metadata.categories");
        if (out)
            out->category = std::string(*cat);
    }
    if (std::optional<std::string_view> prompt = c.text(q, path, "prompt"); prompt && out)
        out->prompt = std::string(*prompt);

    std::optional<View> dur = q.find("expected_duration_s");
    if (!dur) {
        c.problem(path.key("expected_duration_s"), "is required");
    } else if (dur->type() != JsonType::number) {
        c.problem(path.key("expected_duration_s"), "must be a number of seconds, not " + describe(*dur));
    } else {
        double s = dur->number();
        if (!(s > 0) || !(s <= max_expected_duration_s))
            c.problem(path.key("expected_duration_s"),
                      "must be greater than 0 and at most 3600 seconds, found " + dur->excerpt(60));
        else if (out)
            out->expected_duration_s = s;
    }

    JsonPath crit_path = path.key("evaluation_criteria");
    std::optional<View> crit = q.find("evaluation_criteria");
    if (!crit) {
        c.problem(crit_path, "is required");
    } else if (crit->type() != JsonType::array) {
        c.problem(crit_path, "must be an array of strings, not " + describe(*crit));
    } else {
        for (std::size_t i = 0; i < crit->size(); ++i)
            if (std::optional<std::string_view> s = c.text_value(crit->at(i), crit_path.index(i)); s && out)
                out->evaluation_criteria.emplace_back(*s);
    }

    if (std::optional<View> kind = q.find("kind")) {
        if (kind->type() != JsonType::string)
            c.problem(path.key("kind"), "must be a string, not " + describe(*kind));
        else if (std::optional<QuestionKind> k = parse_question_kind(kind->string()))
            out ? (void) (out->kind = *k) : (void) 0;
        else
            c.problem(path.key("kind"), "must be one of behavioral, situational, motivation, not " + kind->excerpt(60));
    }
}

}  // namespace pack_check

// Rule P1 on any View: appends every problem found to `problems`; fills
// `model` (when given) with what is valid. Returns content.version when it
// is a valid semantic version (rule P2 compares the row's version to it).
template <class View>
std::string check_content_pack(const View& content, std::vector<JsonProblem>& problems, ContentPack* model)
{
    using namespace pack_check;
    Checker<View> c{problems};
    JsonPath root;
    if (content.type() != JsonType::object) {
        c.problem(root, "a content pack must be a JSON object, not " + describe(content));
        return {};
    }
    c.unknown_keys(content, root, {"version", "metadata", "questions", "rubric"});

    std::string version;
    if (std::optional<std::string_view> v = c.text(content, root, "version")) {
        if (std::string why = semver_problem(*v); !why.empty())
            c.problem(root.key("version"), quoted(*v) + " is not a semantic version: " + why);
        else
            version = std::string(*v);
    }
    if (model)
        model->version = version;

    std::vector<std::string_view> categories;
    check_metadata(c, content, root, categories, model);
    bool categories_known = categories.size() == pack_category_count;

    JsonPath qs_path = root.key("questions");
    std::optional<View> qs = content.find("questions");
    if (!qs) {
        c.problem(qs_path, "is required");
    } else if (qs->type() != JsonType::array) {
        c.problem(qs_path, "must be an array of questions, not " + describe(*qs));
    } else if (qs->size() == 0) {
        c.problem(qs_path, "must hold at least one question");
    } else {
        std::set<std::string_view> ids;
        if (model)
            model->questions.resize(qs->size());
        for (std::size_t i = 0; i < qs->size(); ++i)
            check_question(c, qs->at(i), qs_path.index(i), categories, categories_known, ids,
                           model ? &model->questions[i] : nullptr);
    }

    if (std::optional<View> r = content.find("rubric"))
        check_rubric(*r, root.key("rubric"), categories, problems);
    return version;
}

}  // namespace residency
