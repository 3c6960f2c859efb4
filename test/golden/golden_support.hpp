// Shared by the golden tests: the bundled pack's questions as the scorer
// sees them, one Scorer over the compiled-in rubric, and small helpers to
// read a result (verdicts, bands, errors).
#pragma once

#include "content_pack.hpp"
#include "error.hpp"
#include "evaluation.hpp"
#include "json_input.hpp"
#include "limits.hpp"
#include "rubric.hpp"
#include "scorer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#ifndef RESIDENCY_SOURCE_DIR
#error "RESIDENCY_SOURCE_DIR must name the repository (CMakeLists.txt defines it)"
#endif

namespace residency::golden {

// packs/default.json, validated by rule P1 and turned into the scorer's
// QuestionSpec, by question id. Loaded once.
inline const std::map<std::string, QuestionSpec>& bundled_questions()
{
    static const std::map<std::string, QuestionSpec> questions = [] {
        const std::string path = std::string(RESIDENCY_SOURCE_DIR) + "/packs/default.json";
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw std::runtime_error("cannot read " + path);
        std::stringstream text;
        text << in.rdbuf();
        PackValidation v = validate_content_pack(Json::parse(text.str()), Limits{});
        if (!v.ok())
            throw std::runtime_error("the bundled pack fails P1 at " + v.problems.front().path + ": " +
                                     v.problems.front().message);
        std::map<std::string, QuestionSpec> out;
        for (const Question& q : v.pack.questions)
            out[q.id] = QuestionSpec{q.id, q.category, q.expected_duration_s, q.evaluation_criteria, q.kind};
        return out;
    }();
    return questions;
}

inline const QuestionSpec& question(const std::string& id)
{
    const auto& all = bundled_questions();
    auto it = all.find(id);
    if (it == all.end())
        throw std::runtime_error("no question " + id + " in packs/default.json");
    return it->second;
}

// A spoken answer carries its recording's length; a typed one has none.
inline constexpr std::optional<double> typed = std::nullopt;

// The scorer every golden test uses unless it needs a fresh one.
inline const Scorer& shared_scorer()
{
    static const Scorer scorer(default_rubric());
    return scorer;
}

inline ScoreResult score(const std::string& question_id, const std::string& answer, std::optional<double> duration_s,
                         const Json* previous = nullptr)
{
    return shared_scorer().score(question(question_id), answer, duration_s, previous, Limits{});
}

// The 7 checks in the order of the categories array.
enum class Verdict { PASS, FLAG };
inline constexpr Verdict P = Verdict::PASS;
inline constexpr Verdict F = Verdict::FLAG;
using Verdicts = std::array<Verdict, check_count>;

inline std::string verdict_line(const Verdicts& v)
{
    std::string out;
    for (std::size_t k = 0; k < v.size(); ++k)
        out += std::string(k ? " " : "") + std::string(check_name(static_cast<Check>(k))) + "=" +
               (v[k] == Verdict::PASS ? "PASS" : "FLAG");
    return out;
}

inline Verdicts verdicts_of(const ScoreResult& r)
{
    Verdicts v{};
    for (std::size_t k = 0; k < check_count; ++k)
        v[k] = r.checks[k].pass ? Verdict::PASS : Verdict::FLAG;
    return v;
}

// The UI bands of research/rubric-proposal.md 6.1.
enum class Band { interview_ready, solid, developing, rebuild };

inline Band band_of(int overall)
{
    return overall >= 85   ? Band::interview_ready
           : overall >= 70 ? Band::solid
           : overall >= 50 ? Band::developing
                           : Band::rebuild;
}

inline const char* band_name(Band b)
{
    switch (b) {
    case Band::interview_ready:
        return "interview-ready";
    case Band::solid:
        return "solid";
    case Band::developing:
        return "developing";
    case Band::rebuild:
        return "rebuild";
    }
    return "?";
}

// Every check's score and note, for failure messages.
inline std::string describe(const ScoreResult& r)
{
    std::string out = "overall " + std::to_string(r.overall_score) + ", words " + std::to_string(r.words) + "\n";
    for (const CheckResult& c : r.checks)
        out += "  " + std::string(check_name(c.check)) + " " + (c.pass ? "PASS " : "FLAG ") + std::to_string(c.score) +
               " (w" + std::to_string(c.weight) + "): " + c.note + "\n";
    for (const std::string& w : r.what_changed)
        out += "  what_changed: " + w + "\n";
    out += "  practice_rule: " + r.practice_rule + "\n";
    return out;
}

// The Error `f` throws, or nullopt. Any other exception fails the test.
template <class Fn>
std::optional<Error> thrown(Fn&& f)
{
    try {
        std::forward<Fn>(f)();
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}

// A gtest-safe name.
inline std::string test_name(const std::string& text)
{
    std::string out;
    for (char c : text)
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

}  // namespace residency::golden
