// Semantic Versioning 2.0.0 (https://semver.org): MAJOR.MINOR.PATCH with an
// optional pre-release and build part. Rules P1 and P2 use it.
#pragma once
#include "pure.hpp"

#include <string>
#include <string_view>

namespace residency {

// Empty when `text` is a valid semantic version; otherwise what is wrong, as a
// phrase that fits after "version '1.2' is not a semantic version: ".
std::string semver_problem(std::string_view text);

inline bool is_semver(std::string_view text)
{
    return semver_problem(text).empty();
}

}  // namespace residency
