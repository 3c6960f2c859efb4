#include "content_pack.hpp"

#include "content_pack_check.hpp"
#include "error.hpp"

namespace residency {

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

PackValidation validate_content_pack(const Json& content, const Limits& limits)
{
    PackValidation out;
    check_content_pack(NlohmannView(content), limits, out.problems, &out.pack);
    if (auto r = content.find("rubric"); r != content.end() && r->is_object())
        out.pack.rubric = *r;
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
    PackValidation v = validate_content_pack(parsed.value, limits);
    release_json(parsed.value);
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
        out.push_back(
            {"schema_version", json_excerpt(std::string(schema_version)) + " is not a semantic version: " + why});
    return out;
}

Error question_not_found(std::string_view sqlstate, std::string_view pack, std::string_view question_id)
{
    return Error(Refusal::question_not_in_pack, sqlstate, "question not found",
                 std::string(pack) + " has no question " + json_excerpt(std::string(question_id.substr(0, 200))) + ".",
                 "Pick a question from residency_api.questions (residency.content_pack_questions of the pack).");
}

Error no_active_pack()
{
    return Error(Refusal::no_active_pack, sqlstate::check_violation, "no content pack is active",
                 "Drills and previews need a question from the ACTIVE content pack, and no pack is ACTIVE.",
                 "Activate a content pack first.");
}

}  // namespace residency
