// What "blank" means for the texts people read: a note, a practice rule, a
// model name, a failure reason, a pack's title or prompt. One definition, so
// that a rule does not refuse spaces in one column and accept no-break
// spaces in the next.
#pragma once
#include "pure.hpp"

#include <string_view>

namespace residency {

// True when `utf8` holds nothing but white space: the characters with
// Unicode's White_Space property (ASCII spaces and controls \t \n \v \f \r,
// U+0085, U+00A0 NO-BREAK SPACE, U+1680, U+2000..U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000) and the invisible U+200B ZERO WIDTH SPACE,
// U+200C, U+200D, U+2060 WORD JOINER and U+FEFF. A byte that is not part of
// such a character (any other text, or invalid UTF-8) makes it not blank.
bool is_blank(std::string_view utf8);

}  // namespace residency
