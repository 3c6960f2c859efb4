// The rubric's texts, ready to fill, and the figures written into them.
// Every note, fix and practice rule is cut once at its placeholders when
// the Scorer is made (Scorer::Texts); scoring an answer only appends pieces.
#include "scorer_internal.hpp"

#include "json_input.hpp"

#include <algorithm>

namespace residency {
namespace scoring {

TextTemplate::TextTemplate(std::string_view text) : size_(text.size())
{
    std::size_t done = 0;  // text[0, done) is in pieces_
    std::size_t open = text.find('{');
    while (open != std::string_view::npos) {
        std::size_t close = text.find('}', open + 1);
        if (close == std::string_view::npos)
            break;
        std::string_view name = text.substr(open + 1, close - open - 1);
        // "{a{b}": no value is named "a{b"; the placeholder is "{b}"
        if (name.find('{') != std::string_view::npos) {
            open = text.find('{', open + 1);
            continue;
        }
        pieces_.push_back({text.substr(done, open - done), name, true});
        done = close + 1;
        open = text.find('{', done);
    }
    pieces_.push_back({text.substr(done), {}, false});
}

std::string TextTemplate::fill(const Placeholders& values) const
{
    std::string out;
    out.reserve(size_ + 32);
    for (const Piece& p : pieces_) {
        out += p.literal;
        if (!p.placeholder)
            continue;
        auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == p.name; });
        if (it != values.end()) {
            out += it->second;
        } else {
            out += '{';
            out += p.name;
            out += '}';
        }
    }
    return out;
}

TextTable text_table(const std::map<std::string, std::string>& texts)
{
    TextTable out;
    for (const auto& [id, text] : texts)
        out.emplace(id, TextTemplate(text));
    return out;
}

std::string fill_text(const TextTable& texts, std::string_view id, const Placeholders& values)
{
    auto it = texts.find(id);
    return it == texts.end() ? std::string() : it->second.fill(values);
}

std::string fixed(double x, int decimals)
{
    // the value rounded half up, as an integer of tenths or hundredths
    double rounded = std::floor(x * (decimals == 1 ? 10.0 : 100.0) + 0.5);
    if (!(std::fabs(rounded) < 9.0e15))
        return format_number(x);
    long long scaled = static_cast<long long>(rounded);
    std::string digits = std::to_string(scaled < 0 ? -scaled : scaled);
    if (digits.size() <= static_cast<std::size_t>(decimals))
        digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
    return scaled < 0 ? "-" + digits : digits;
}

std::string whole(double x)
{
    return std::to_string(round_half_up(x));
}

std::string word_count_text(std::int64_t n)
{
    return std::to_string(n) + (n == 1 ? " word" : " words");
}

}  // namespace scoring
}  // namespace residency
