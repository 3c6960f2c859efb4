// Small helpers shared by the unit tests: catching the core's Error to look
// at its SQLSTATE, message, DETAIL and HINT, and readable names for
// parameterised cases (ctest lists each one).
#pragma once

#include "error.hpp"
#include "json_input.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace residency::test {

// The Error `f` throws, or nullopt when it throws nothing. Any other
// exception escapes and fails the test.
template <class F>
std::optional<Error> thrown(F&& f)
{
    try {
        std::forward<F>(f)();
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}

// A gtest name for a case: "i<index>_<text with non-alphanumerics as _>".
inline std::string case_name(std::size_t index, const std::string& text)
{
    std::string out = "i" + std::to_string(index) + "_";
    for (char c : text.substr(0, 40))
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

struct StringParamName {
    std::string operator()(const testing::TestParamInfo<std::string>& info) const
    {
        return case_name(info.index, info.param);
    }
};

// Paths of a problem list, in order, for one-line comparisons.
inline std::vector<std::string> paths(const std::vector<JsonProblem>& problems)
{
    std::vector<std::string> out;
    for (const JsonProblem& p : problems)
        out.push_back(p.path);
    return out;
}

// Every problem, one per line, for failure messages.
inline std::string dump(const std::vector<JsonProblem>& problems)
{
    std::string out;
    for (const JsonProblem& p : problems)
        out += "\n  " + p.path + ": " + p.message;
    return out.empty() ? " (none)" : out;
}

}  // namespace residency::test
