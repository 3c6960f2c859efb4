#include "json_writer.hpp"

#include <cmath>
#include <cstdio>

namespace residency {

JsonWriter& JsonWriter::value(double x, int decimals)
{
    comma();
    if (!std::isfinite(x)) {
        out_ += "null";
        return *this;
    }
    // rounded half up, written as an integer with a decimal point put in
    int d = decimals < 1 ? 1 : decimals > 3 ? 3 : decimals;
    double f = d == 1 ? 10.0 : d == 2 ? 100.0 : 1000.0;
    double rounded = std::floor(x * f + 0.5);
    if (!(std::fabs(rounded) < 9.0e15)) {  // beyond exact integers: plain %g
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", x);
        out_ += buf;
        return *this;
    }
    long long scaled = static_cast<long long>(rounded);
    std::string digits = std::to_string(scaled < 0 ? -scaled : scaled);
    if (digits.size() <= static_cast<std::size_t>(d))
        digits.insert(0, static_cast<std::size_t>(d) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(d), 1, '.');
    if (scaled < 0)
        out_ += '-';
    out_ += digits;
    return *this;
}

void JsonWriter::string(std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++run;
            continue;
        }
        out_.append(s.data() + i - run, run);
        run = 0;
        switch (c) {
        case '"':
            out_ += "\\\"";
            break;
        case '\\':
            out_ += "\\\\";
            break;
        case '\n':
            out_ += "\\n";
            break;
        case '\t':
            out_ += "\\t";
            break;
        case '\r':
            out_ += "\\r";
            break;
        default:
            out_ += "\\u00";
            out_ += hex[c >> 4];
            out_ += hex[c & 0xf];
        }
    }
    out_.append(s.data() + s.size() - run, run);
    out_ += '"';
}

}  // namespace residency
