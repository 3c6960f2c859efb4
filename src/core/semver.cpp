#include "semver.hpp"

namespace residency {

namespace {

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_ident_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// A numeric core part: digits only, no leading zero unless it is "0".
std::string core_part_problem(std::string_view part, const char* name)
{
    if (part.empty())
        return std::string(name) + " is empty";
    for (char c : part)
        if (!is_digit(c))
            return std::string(name) + " must be digits only";
    if (part.size() > 1 && part[0] == '0')
        return std::string(name) + " has a leading zero";
    return {};
}

// Dot-separated identifiers of [0-9A-Za-z-]; pre-release numeric identifiers
// must not have leading zeros, build identifiers may.
std::string identifiers_problem(std::string_view s, bool prerelease)
{
    const char* what = prerelease ? "pre-release" : "build metadata";
    if (s.empty())
        return std::string(what) + " is empty";
    std::size_t start = 0;
    while (true) {
        std::size_t dot = s.find('.', start);
        std::string_view id = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
        if (id.empty())
            return std::string(what) + " has an empty identifier";
        bool numeric = true;
        for (char c : id) {
            if (!is_ident_char(c))
                return std::string(what) + " may contain only [0-9A-Za-z-] and dots";
            if (!is_digit(c))
                numeric = false;
        }
        if (prerelease && numeric && id.size() > 1 && id[0] == '0')
            return "numeric pre-release identifier has a leading zero";
        if (dot == std::string_view::npos)
            return {};
        start = dot + 1;
    }
}

}  // namespace

std::string semver_problem(std::string_view text)
{
    if (text.empty())
        return "it is empty";
    if (text.size() > 256)
        return "it is longer than 256 characters";

    std::string_view build;
    if (std::size_t plus = text.find('+'); plus != std::string_view::npos) {
        build = text.substr(plus + 1);
        if (auto p = identifiers_problem(build, false); !p.empty())
            return p;
        text = text.substr(0, plus);
    }
    if (std::size_t dash = text.find('-'); dash != std::string_view::npos) {
        if (auto p = identifiers_problem(text.substr(dash + 1), true); !p.empty())
            return p;
        text = text.substr(0, dash);
    }

    const char* names[] = {"major", "minor", "patch"};
    for (int i = 0; i < 3; ++i) {
        std::size_t dot = text.find('.');
        std::string_view part = i < 2 ? text.substr(0, dot) : text;
        if (i < 2 && dot == std::string_view::npos)
            return "expected MAJOR.MINOR.PATCH";
        if (auto p = core_part_problem(part, names[i]); !p.empty())
            return p;
        if (i < 2)
            text = text.substr(dot + 1);
    }
    return {};
}

}  // namespace residency
