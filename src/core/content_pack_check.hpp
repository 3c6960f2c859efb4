// Rule P1, written once against a JSON View (json_view.hpp). Included by
// content_pack.cpp (nlohmann documents) and by the Postgres layer (jsonb
// rows); callers use check_content_pack() below, or validate_content_pack()
// in content_pack.hpp.
#pragma once
#include "pure.hpp"

#include "content_pack.hpp"
#include "interrupt.hpp"
#include "json_view.hpp"
#include "limits.hpp"
#include "phrase_matcher.hpp"
#include "question_cost.hpp"
#include "rubric_check.hpp"
#include "scorer.hpp"
#include "semver.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

namespace pack_check {

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

// What bounds the cost of scoring the pack's questions: the limits, the
// cost model of the rubric the questions are scored with, and buffers
// reused from question to question.
struct CostCheck {
    CostCheck(const Limits& l, QuestionCost& c) : limits(l), cost(c) {}

    const Limits& limits;
    QuestionCost& cost;
    std::array<bool, 3> rubric_over{};  // kinds whose rubric part alone is over the limit (reported once)
    // The question's criteria: scanned, then (only when they may cost too
    // much) gathered with their indexes in evaluation_criteria.
    CriteriaScan scans;
    std::vector<std::string_view> criteria;
    std::vector<std::size_t> criteria_index;
};

inline std::string keyword_excerpt(std::string_view keyword)
{
    while (!keyword.empty() && (keyword.front() == ' ' || keyword.front() == '\t'))
        keyword.remove_prefix(1);
    while (!keyword.empty() && (keyword.back() == ' ' || keyword.back() == '\t'))
        keyword.remove_suffix(1);
    return quoted(keyword, 60);
}

// The bounds of one criterion's keywords; false when one is exceeded.
template <class View>
bool check_keywords(Checker<View>& c, std::string_view criterion, const CriterionScan& scan, const JsonPath& where,
                    CostCheck& cc)
{
    bool ok = true;
    if (scan.keywords > cc.limits.max_criterion_keywords) {
        // the scan's count is a bound: count them
        std::size_t keywords = criterion_keywords(criterion, cc.cost.rubric()).size();
        if (keywords > cc.limits.max_criterion_keywords) {
            c.problem(where,
                      (scan.keyword_list ? "lists " + std::to_string(keywords) + " keywords"
                                         : "gives " + std::to_string(keywords) +
                                               " keywords (its words of 4 or more letters, without a [kw: ...] list)") +
                          "; a criterion may have at most " + std::to_string(cc.limits.max_criterion_keywords) +
                          " (residency.max_criterion_keywords)");
            ok = false;
        }
    }
    if (scan.longest.size() > max_keyword_bytes) {
        c.problem(where, "has a keyword longer than " + std::to_string(max_keyword_bytes) +
                             " bytes: " + keyword_excerpt(scan.longest));
        ok = false;
    }
    if (scan.long_keywords > 0) {
        for_each_keyword_item(criterion, [&](std::string_view item) {
            if (!ok || word_bound(item) <= max_phrase_words)
                return;
            std::string normal = normalize_phrase(item);
            std::size_t words =
                normal.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(normal.begin(), normal.end(), ' '));
            if (words > max_phrase_words) {
                c.problem(where, "has a keyword of " + std::to_string(words) + " words: " + keyword_excerpt(item) +
                                     "; a keyword may have at most " + std::to_string(max_phrase_words));
                ok = false;
            }
        });
    }
    return ok;
}

// Whether scoring the question stays within limits.max_question_expansions;
// a question over it is reported at the criterion that costs the most.
template <class View>
void check_question_cost(Checker<View>& c, const View& crit, const JsonPath& crit_path, QuestionKind kind,
                         CostCheck& cc)
{
    const std::uint64_t limit = cc.limits.max_question_expansions;
    if (cc.rubric_over[static_cast<std::size_t>(kind)])
        return;  // reported once, at the rubric
    cc.criteria.clear();
    cc.criteria_index.clear();
    for (std::size_t i = 0; i < crit.size(); ++i)
        if (View v = crit.at(i); v.type() == JsonType::string) {
            cc.criteria.push_back(v.string());
            cc.criteria_index.push_back(i);
        }
    QuestionCost::Cost cost = cc.cost.cost(kind, cc.criteria, limit);
    if (!cost.over)
        return;
    std::size_t worst = 0;
    for (std::size_t k = 1; k < cost.per_criterion.size(); ++k)
        if (cost.per_criterion[k] > cost.per_criterion[worst])
            worst = k;
    auto figure = [](std::uint64_t n) {
        return n == PhraseMatcher::unlimited ? "more than " + std::to_string(n - 1) : std::to_string(n);
    };
    c.problem(crit_path.index(cc.criteria_index[worst]),
              "makes the question too costly to score: its keywords expand to at least " +
                  figure(cost.per_criterion.empty() ? 0 : cost.per_criterion[worst]) +
                  " phrase patterns, the question's automaton to at least " + figure(cost.expansions) +
                  "; the limit is " + std::to_string(limit) +
                  " (residency.max_question_expansions). Each prefix keyword (ending in *) stands for every word "
                  "it starts, and a keyword of several such words for every combination of them: use fewer or "
                  "longer prefixes");
}

template <class View>
void check_question(Checker<View>& c, const View& q, const JsonPath& path,
                    const std::vector<std::string_view>& categories, bool categories_known,
                    std::set<std::string_view>& ids, Question* out, CostCheck& cc)
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
    std::optional<std::string_view> cat = c.text(q, path, "category");
    if (cat) {
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
    cc.scans = CriteriaScan{};
    bool bounded = false;  // every criterion within its bounds: the question's cost can be checked
    bool any = false;      // and there is one
    if (!crit) {
        c.problem(crit_path, "is required");
    } else if (crit->type() != JsonType::array) {
        c.problem(crit_path, "must be an array of strings, not " + describe(*crit));
    } else {
        bounded = crit->size() <= max_question_criteria;
        if (!bounded)
            c.problem(crit_path, "holds " + std::to_string(crit->size()) + " criteria; a question may have at most " +
                                     std::to_string(max_question_criteria));
        for (std::size_t i = 0; i < crit->size(); ++i) {
            if (i % 64 == 63)
                poll_interrupts();
            std::optional<std::string_view> s = c.text_value(crit->at(i), crit_path.index(i));
            if (!s)
                continue;
            if (out)
                out->evaluation_criteria.emplace_back(*s);
            const CriterionScan scan = scan_criterion(*s);
            cc.scans.add(scan);
            bounded = check_keywords(c, *s, scan, crit_path.index(i), cc) && bounded;
            any = true;
        }
    }

    std::optional<QuestionKind> question_kind;
    if (std::optional<View> kind = q.find("kind")) {
        if (kind->type() != JsonType::string) {
            c.problem(path.key("kind"), "must be a string, not " + describe(*kind));
        } else if (std::optional<QuestionKind> k = parse_question_kind(kind->string())) {
            question_kind = *k;
            if (out)
                out->kind = *k;
        } else {
            c.problem(path.key("kind"), "must be one of behavioral, situational, motivation, not " + kind->excerpt(60));
        }
    }

    if (bounded && any && cc.cost.quick_bound(cc.scans) > cc.limits.max_question_expansions) {
        // May cost too much: count for the kind the scorer will use
        // (question_kind() in scorer.hpp).
        const Rubric& rubric = cc.cost.rubric();
        if (!question_kind && cat)
            if (auto k = rubric.kinds.find(std::string(*cat)); k != rubric.kinds.end())
                question_kind = k->second;
        check_question_cost(c, *crit, crit_path, question_kind.value_or(QuestionKind::behavioral), cc);
    }
}

}  // namespace pack_check

// Rule P1 on any View: appends every problem found to `problems`; fills
// `model` (when given) with what is valid. Returns content.version when it
// is a valid semantic version (rule P2 compares the row's version to it).
// `limits` bound what scoring the pack may cost: keywords per criterion and
// patterns per question (max_criterion_keywords, max_question_expansions).
// Polls for interrupts (interrupt.hpp).
template <class View>
std::string check_content_pack(const View& content, const Limits& limits, std::vector<JsonProblem>& problems,
                               ContentPack* model)
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

    // The rubric first: the questions' cost depends on it. Its problems are
    // reported last, as they always were.
    JsonPath rubric_path = root.key("rubric");
    std::optional<View> rubric = content.find("rubric");
    std::vector<JsonProblem> rubric_problems;
    std::optional<Rubric> own_rubric;
    std::optional<QuestionCost> own_cost;
    if (rubric) {
        check_rubric(*rubric, rubric_path, categories, rubric_problems);
        if (rubric_problems.empty()) {
            own_rubric = rubric_with_overrides(rubric_check::to_json(*rubric));
            own_cost.emplace(*own_rubric);
        }
        // else the questions are checked against the compiled-in rubric
    }
    CostCheck cc(limits, own_cost ? *own_cost : QuestionCost::of_default());
    std::uint64_t over = 0;
    std::size_t over_kind = 0;
    for (std::size_t k = 0; k < cc.rubric_over.size(); ++k) {
        std::uint64_t e = cc.cost.part(static_cast<QuestionKind>(k)).expansions;
        cc.rubric_over[k] = e > limits.max_question_expansions;
        if (cc.rubric_over[k] && e > over) {
            over = e;
            over_kind = k;
        }
    }

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
        for (std::size_t i = 0; i < qs->size(); ++i) {
            poll_interrupts();
            check_question(c, qs->at(i), qs_path.index(i), categories, categories_known, ids,
                           model ? &model->questions[i] : nullptr, cc);
        }
    }

    problems.insert(problems.end(), rubric_problems.begin(), rubric_problems.end());
    if (over > 0)
        c.problem(own_cost ? rubric_path : root,
                  std::string(own_cost ? "its lexicons" : "the compiled-in rubric's lexicons") +
                      " and structure cues expand to " + std::to_string(over) + " phrase patterns for " +
                      std::string(rubric_check::kind_names[over_kind]) + " questions; the limit is " +
                      std::to_string(limits.max_question_expansions) + " (residency.max_question_expansions)" +
                      (own_cost ? ": use fewer prefixes (words ending in *) and fewer phrases"
                                : ": ask an administrator to raise it"));
    return version;
}

}  // namespace residency
