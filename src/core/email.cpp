#include "email.hpp"

namespace residency {

std::string email_problem(std::string_view email)
{
    if (email.empty())
        return "it is empty";
    if (email.size() > max_email_bytes)
        return "it is longer than 254 bytes";
    for (unsigned char c : email) {
        if (c <= 0x20 || c == 0x7f)
            return "it contains a space or a control character";
    }
    std::size_t at = email.find('@');
    if (at == std::string_view::npos)
        return "it has no '@'";
    if (email.find('@', at + 1) != std::string_view::npos)
        return "it has more than one '@'";
    if (at == 0)
        return "the part before '@' is empty";
    if (at > 64)
        return "the part before '@' is longer than 64 bytes";

    std::string_view domain = email.substr(at + 1);
    if (domain.empty())
        return "the domain after '@' is empty";
    if (domain.find('.') == std::string_view::npos)
        return "the domain has no dot";
    if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
        return "the domain has an empty label";
    if (domain.front() == '-' || domain.find("-.") != std::string_view::npos ||
        domain.find(".-") != std::string_view::npos || domain.back() == '-')
        return "a domain label starts or ends with '-'";
    return {};
}

}  // namespace residency
