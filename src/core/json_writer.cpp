#include "json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace residency {

std::size_t integer_text(std::int64_t n, char (&buf)[32])
{
    return static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, n).ptr - buf);
}

std::size_t fixed_decimal_text(double x, int decimals, char (&buf)[32])
{
    if (!std::isfinite(x))
        return 0;
    // rounded half up, written as an integer with a decimal point put in
    int d = decimals < 1 ? 1 : decimals > 3 ? 3 : decimals;
    double f = d == 1 ? 10.0 : d == 2 ? 100.0 : 1000.0;
    double rounded = std::floor(x * f + 0.5);
    if (!(std::fabs(rounded) < 9.0e15))  // beyond exact integers: plain %g
        return static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.17g", x));
    long long scaled = static_cast<long long>(rounded);
    char digits[24];
    std::size_t n = static_cast<std::size_t>(
        std::to_chars(digits, digits + sizeof digits, scaled < 0 ? -scaled : scaled).ptr - digits);
    const std::size_t dec = static_cast<std::size_t>(d);
    std::size_t len = 0;
    if (scaled < 0)
        buf[len++] = '-';
    if (n <= dec) {  // 0.05, not .05
        buf[len++] = '0';
        buf[len++] = '.';
        for (std::size_t pad = n; pad < dec; ++pad)
            buf[len++] = '0';
        std::memcpy(buf + len, digits, n);
        return len + n;
    }
    std::memcpy(buf + len, digits, n - dec);
    len += n - dec;
    buf[len++] = '.';
    std::memcpy(buf + len, digits + (n - dec), dec);
    return len + dec;
}

JsonWriter& JsonWriter::value(double x, int decimals)
{
    comma();
    char buf[32];
    std::size_t n = fixed_decimal_text(x, decimals, buf);
    if (n == 0)
        out_ += "null";
    else
        out_.append(buf, n);
    return *this;
}

namespace {

// Whether any of the 8 bytes of `v` must be escaped: a control character
// (below 0x20), '"' or '\'. A byte below n is one where subtracting n
// borrows into its high bit while the byte's own high bit was clear; a byte
// equal to c is a byte of v ^ c below 1.
bool any_to_escape(std::uint64_t v)
{
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    auto below = [&](std::uint64_t x, std::uint64_t n) { return (x - n * ones) & ~x & highs; };
    return (below(v, 0x20) | below(v ^ ('"' * ones), 1) | below(v ^ ('\\' * ones), 1)) != 0;
}

}  // namespace

char* write_json_string(char* out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    *out++ = '"';
    std::size_t i = 0;
    while (i < s.size()) {
        // Most text needs no escaping: copied 8 bytes at a time, one load
        // and one store (`out` has room for far more).
        if (i + 8 <= s.size()) {
            std::uint64_t v;
            std::memcpy(&v, s.data() + i, 8);
            if (!any_to_escape(v)) {
                std::memcpy(out, &v, 8);
                out += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = static_cast<unsigned char>(s[i++]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = static_cast<char>(c);
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"':
            *out++ = '"';
            break;
        case '\\':
            *out++ = '\\';
            break;
        case '\n':
            *out++ = 'n';
            break;
        case '\t':
            *out++ = 't';
            break;
        case '\r':
            *out++ = 'r';
            break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0xf];
        }
    }
    *out++ = '"';
    return out;
}

void JsonWriter::string(std::string_view s)
{
    // escaped on the stack when short (one append), else in place
    char buf[256];
    if (json_string_room(s.size()) <= sizeof buf) {
        out_.append(buf, static_cast<std::size_t>(write_json_string(buf, s) - buf));
        return;
    }
    std::size_t at = out_.size();
    out_.resize(at + json_string_room(s.size()));
    out_.resize(static_cast<std::size_t>(write_json_string(out_.data() + at, s) - out_.data()));
}

}  // namespace residency
