#include "url.hpp"

namespace residency {

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

// file:///path or file://localhost/path: an absolute local path without
// "." or ".." segments (the worker opens it as it is).
std::string file_url_problem(std::string_view rest)
{
    if (starts_with_ci(rest, "localhost/"))
        rest.remove_prefix(9);
    if (rest.empty() || rest.front() != '/')
        return "a file URL must name an absolute local path: file:///path";
    for (std::size_t start = 1; start <= rest.size();) {
        std::size_t end = rest.find('/', start);
        std::string_view segment =
            rest.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (segment == "." || segment == "..")
            return "its path has a \".\" or \"..\" segment";
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    if (rest.back() == '/')
        return "its path names a directory";
    return {};
}

}  // namespace

std::string audio_url_problem(std::string_view url, bool allow_file)
{
    if (url.empty())
        return "it is empty";
    if (url.size() > max_url_bytes)
        return "it is longer than 2048 bytes";
    for (unsigned char c : url) {
        if (c <= 0x20 || c == 0x7f)
            return "it contains whitespace or a control character";
    }

    std::string_view rest;
    if (starts_with_ci(url, "https://"))
        rest = url.substr(8);
    else if (starts_with_ci(url, "http://"))
        rest = url.substr(7);
    else if (allow_file && starts_with_ci(url, "file://"))
        return file_url_problem(url.substr(7));
    else
        return allow_file ? "it is not an absolute http://, https:// or file:/// URL"
                          : "it is not an absolute http:// or https:// URL";

    // authority = [userinfo@]host[:port], ends at the first '/', '?' or '#'
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
        authority = authority.substr(at + 1);

    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {
        std::size_t close = host.find(']');
        if (close == std::string_view::npos || close == 1)
            return "its IPv6 host is malformed";
        std::string_view after = host.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return "its IPv6 host is malformed";
        host = host.substr(0, close + 1);
        authority = after;
    } else {
        std::size_t colon = host.find(':');
        authority = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
        host = host.substr(0, colon);
    }
    if (host.empty())
        return "it has no host";
    if (host.front() != '[') {
        if (host.front() == '.' || host.find("..") != std::string_view::npos)
            return "its host has an empty label";
    }
    if (!authority.empty()) {  // ":port"
        std::string_view port = authority.substr(1);
        if (port.empty() || port.size() > 5)
            return "its port is not a number from 1 to 65535";
        unsigned value = 0;
        for (char c : port) {
            if (c < '0' || c > '9')
                return "its port is not a number from 1 to 65535";
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value == 0 || value > 65535)
            return "its port is not a number from 1 to 65535";
    }
    return {};
}

}  // namespace residency
