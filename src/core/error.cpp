#include "error.hpp"

#include <utility>

namespace residency {

namespace {

bool is_sqlstate(std::string_view s)
{
    if (s.size() != 5)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
            return false;
    return true;
}

}  // namespace

Error::Error(std::string_view sqlstate, std::string message, std::string detail, std::string hint)
    : sqlstate_(is_sqlstate(sqlstate) ? sqlstate : sqlstate::internal_error),
      message_(std::move(message)),
      detail_(std::move(detail)),
      hint_(std::move(hint))
{
}

Error::Error(Refusal refusal, std::string_view sqlstate, std::string message, std::string detail, std::string hint)
    : Error(sqlstate, std::move(message), std::move(detail), std::move(hint))
{
    refusal_ = refusal;
}

}  // namespace residency
