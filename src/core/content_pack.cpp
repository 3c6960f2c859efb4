#include "content_pack.hpp"

#include "error.hpp"
#include "semver.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace residency {

namespace {

bool is_blank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    });
}

// Collects problems while walking the document.
class Checker {
public:
    std::vector<JsonProblem> problems;

    void problem(std::string path, std::string message)
    {
        problems.push_back({std::move(path), std::move(message)});
    }

    // A required, non-blank string member; returns it when valid.
    std::optional<std::string> text(const Json& obj, const std::string& path, const char* key)
    {
        std::string where = json_path_key(path, key);
        auto it = obj.find(key);
        if (it == obj.end()) {
            problem(where, "is required");
            return std::nullopt;
        }
        return text_value(*it, where);
    }

    std::optional<std::string> text_value(const Json& v, const std::string& where)
    {
        if (!v.is_string()) {
            problem(where, "must be a string, not " + describe(v));
            return std::nullopt;
        }
        const std::string& s = v.get_ref<const std::string&>();
        if (is_blank(s)) {
            problem(where, "must not be empty");
            return std::nullopt;
        }
        return s;
    }

    void unknown_keys(const Json& obj, const std::string& path, std::initializer_list<const char*> known)
    {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = std::any_of(known.begin(), known.end(),
                                  [&](const char* k) { return it.key() == k; });
            if (!ok) {
                std::string list;
                for (const char* k : known)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                problem(json_path_key(path, it.key()), "is not a known key (expected one of: " + list + ")");
            }
        }
    }

    static std::string describe(const Json& v)
    {
        if (v.is_number())
            return "the number " + json_excerpt(v, 30);
        if (v.is_string())
            return "the string " + json_excerpt(v, 30);
        return std::string(v.is_null() ? "null" : v.type_name());
    }
};

void check_metadata(Checker& c, const Json& content, ContentPack& pack)
{
    auto it = content.find("metadata");
    if (it == content.end()) {
        c.problem("$.metadata", "is required");
        return;
    }
    const Json& meta = *it;
    if (!meta.is_object()) {
        c.problem("$.metadata", "must be an object, not " + Checker::describe(meta));
        return;
    }
    if (auto t = c.text(meta, "$.metadata", "title"))
        pack.title = *t;
    if (auto d = c.text(meta, "$.metadata", "description"))
        pack.description = *d;

    auto cats = meta.find("categories");
    if (cats == meta.end()) {
        c.problem("$.metadata.categories", "is required");
        return;
    }
    if (!cats->is_array()) {
        c.problem("$.metadata.categories", "must be an array of 7 strings, not " + Checker::describe(*cats));
        return;
    }
    if (cats->size() != pack_category_count)
        c.problem("$.metadata.categories",
                  "must hold exactly 7 categories, found " + std::to_string(cats->size()));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < cats->size(); ++i) {
        std::string where = json_path_index("$.metadata.categories", i);
        auto name = c.text_value((*cats)[i], where);
        if (!name)
            continue;
        if (!seen.insert(*name).second) {
            c.problem(where, "repeats the category " + json_excerpt(*name));
            continue;
        }
        pack.categories.push_back(*name);
    }
}

void check_question(Checker& c, const Json& q, const std::string& path, const ContentPack& pack,
                    bool categories_known, std::set<std::string>& ids, Question& out)
{
    if (!q.is_object()) {
        c.problem(path, "must be an object, not " + Checker::describe(q));
        return;
    }
    c.unknown_keys(q, path, {"id", "category", "prompt", "expected_duration_s", "evaluation_criteria", "kind"});

    if (auto id = c.text(q, path, "id")) {
        if (!ids.insert(*id).second)
            c.problem(json_path_key(path, "id"), "repeats the question id " + json_excerpt(*id));
        out.id = *id;
    }
    if (auto cat = c.text(q, path, "category")) {
        bool listed = std::find(pack.categories.begin(), pack.categories.end(), *cat) !=
                      pack.categories.end();
        if (categories_known && !listed)
            c.problem(json_path_key(path, "category"),
                      json_excerpt(*cat) + " is not one of $.metadata.categories");
        out.category = *cat;
    }
    if (auto prompt = c.text(q, path, "prompt"))
        out.prompt = *prompt;

    std::string dur_path = json_path_key(path, "expected_duration_s");
    auto dur = q.find("expected_duration_s");
    if (dur == q.end()) {
        c.problem(dur_path, "is required");
    } else if (!dur->is_number()) {
        c.problem(dur_path, "must be a number of seconds, not " + Checker::describe(*dur));
    } else {
        double s = dur->get<double>();
        if (!(s > 0) || !(s <= max_expected_duration_s))
            c.problem(dur_path, "must be greater than 0 and at most 3600 seconds, found " + json_excerpt(*dur));
        else
            out.expected_duration_s = s;
    }

    std::string crit_path = json_path_key(path, "evaluation_criteria");
    auto crit = q.find("evaluation_criteria");
    if (crit == q.end()) {
        c.problem(crit_path, "is required");
    } else if (!crit->is_array()) {
        c.problem(crit_path, "must be an array of strings, not " + Checker::describe(*crit));
    } else {
        for (std::size_t i = 0; i < crit->size(); ++i)
            if (auto s = c.text_value((*crit)[i], json_path_index(crit_path, i)))
                out.evaluation_criteria.push_back(*s);
    }

    if (auto kind = q.find("kind"); kind != q.end()) {
        std::string kind_path = json_path_key(path, "kind");
        if (!kind->is_string()) {
            c.problem(kind_path, "must be a string, not " + Checker::describe(*kind));
        } else if (auto k = parse_question_kind(kind->get_ref<const std::string&>())) {
            out.kind = *k;
        } else {
            c.problem(kind_path, "must be one of behavioral, situational, motivation, not " +
                                     json_excerpt(*kind));
        }
    }
}

}  // namespace

std::optional<QuestionKind> parse_question_kind(std::string_view text)
{
    if (text == "behavioral")
        return QuestionKind::behavioral;
    if (text == "situational")
        return QuestionKind::situational;
    if (text == "motivation")
        return QuestionKind::motivation;
    return std::nullopt;
}

std::string_view to_string(QuestionKind kind)
{
    switch (kind) {
    case QuestionKind::behavioral:
        return "behavioral";
    case QuestionKind::situational:
        return "situational";
    case QuestionKind::motivation:
        return "motivation";
    }
    return "behavioral";
}

const Question* ContentPack::find_question(std::string_view id) const
{
    for (const Question& q : questions)
        if (q.id == id)
            return &q;
    return nullptr;
}

PackValidation validate_content_pack(const Json& content)
{
    PackValidation out;
    Checker c;
    if (!content.is_object()) {
        c.problem("$", "a content pack must be a JSON object, not " + Checker::describe(content));
        out.problems = std::move(c.problems);
        return out;
    }
    c.unknown_keys(content, "$", {"version", "metadata", "questions", "rubric"});

    if (auto v = c.text(content, "$", "version")) {
        if (auto why = semver_problem(*v); !why.empty())
            c.problem("$.version", json_excerpt(*v) + " is not a semantic version: " + why);
        else
            out.pack.version = *v;
    }

    check_metadata(c, content, out.pack);
    bool categories_known = out.pack.categories.size() == pack_category_count;

    auto qs = content.find("questions");
    if (qs == content.end()) {
        c.problem("$.questions", "is required");
    } else if (!qs->is_array()) {
        c.problem("$.questions", "must be an array of questions, not " + Checker::describe(*qs));
    } else if (qs->empty()) {
        c.problem("$.questions", "must hold at least one question");
    } else {
        std::set<std::string> ids;
        out.pack.questions.reserve(qs->size());
        for (std::size_t i = 0; i < qs->size(); ++i) {
            Question q;
            check_question(c, (*qs)[i], json_path_index("$.questions", i), out.pack, categories_known,
                           ids, q);
            out.pack.questions.push_back(std::move(q));
        }
    }

    if (auto r = content.find("rubric"); r != content.end()) {
        if (!r->is_object())
            c.problem("$.rubric", "must be an object, not " + Checker::describe(*r));
        else
            out.pack.rubric = *r;
    }

    out.problems = std::move(c.problems);
    return out;
}

void check_pack_size(std::size_t bytes, const Limits& limits)
{
    if (bytes > limits.max_pack_bytes)
        throw Error(sqlstate::payload_too_large, "content pack is too large",
                    "The pack has " + std::to_string(bytes) + " bytes; the limit is " +
                        std::to_string(limits.max_pack_bytes) + " bytes (residency.max_pack_bytes).",
                    "Split the questions into smaller packs, or ask an administrator to raise "
                    "residency.max_pack_bytes.");
}

PackValidation check_content_pack_text(std::string_view text, const Limits& limits)
{
    check_pack_size(text.size(), limits);
    ParsedJson parsed = parse_json_strict(text, limits, "content pack");
    PackValidation v = validate_content_pack(parsed.value);
    // Problems the parser saw (duplicate keys, NUL) come first: they are
    // where the document itself is ambiguous.
    if (!parsed.problems.empty())
        v.problems.insert(v.problems.begin(), parsed.problems.begin(), parsed.problems.end());
    return v;
}

void throw_pack_problems(const std::vector<JsonProblem>& problems)
{
    throw Error(sqlstate::invalid_parameter_value, "content pack is not valid", format_problems(problems),
                "Fix every listed path, then send the whole pack again.");
}

std::vector<JsonProblem> pack_row_problems(std::string_view row_version, std::string_view schema_version,
                                           std::string_view content_version)
{
    std::vector<JsonProblem> out;
    if (auto why = semver_problem(row_version); !why.empty())
        out.push_back({"version", json_excerpt(std::string(row_version)) + " is not a semantic version: " + why});
    else if (row_version != content_version)
        out.push_back({"version", json_excerpt(std::string(row_version)) + " differs from $.version " +
                                      json_excerpt(std::string(content_version))});
    if (auto why = semver_problem(schema_version); !why.empty())
        out.push_back({"schema_version",
                       json_excerpt(std::string(schema_version)) + " is not a semantic version: " + why});
    return out;
}

}  // namespace residency
