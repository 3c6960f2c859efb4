// Rule U1: the e-mail address check. Deliberately structural (RFC 5321 size
// limit, one '@', dotted domain) rather than a full RFC 5322 grammar: the
// address was already verified by the sign-up flow; this catches garbage.
#pragma once
#include "pure.hpp"

#include <string>
#include <string_view>

namespace residency {

inline constexpr std::size_t max_email_bytes = 254;

// Empty when valid; otherwise a sentence fragment saying what is wrong.
std::string email_problem(std::string_view email);

}  // namespace residency
