#include "sphinx_tokens.hpp"

#include "transcript.hpp"

namespace residency::worker {

namespace {

// "word(2)" -> "word"; a parenthesis at the start is left alone
std::string_view strip_alternative(std::string_view w)
{
    if (w.size() >= 3 && w.back() == ')') {
        std::size_t open = w.rfind('(');
        if (open != std::string_view::npos && open > 0) {
            std::string_view digits = w.substr(open + 1, w.size() - open - 2);
            bool all_digits = !digits.empty();
            for (char c : digits)
                all_digits = all_digits && c >= '0' && c <= '9';
            if (all_digits)
                return w.substr(0, open);
        }
    }
    return w;
}

std::string lower(std::string_view w)
{
    std::string out(w);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

Token classify_sphinx_token(std::string_view raw)
{
    std::string_view w = strip_alternative(raw);
    if (w.empty() || w == "<s>" || w == "</s>" || w == "<sil>")
        return {TokenKind::silence, {}};
    // a filler dictionary's bracketed hesitation, [um] or [UH]
    if (w.size() > 2 && w.front() == '[' && w.back() == ']') {
        std::string inner = lower(w.substr(1, w.size() - 2));
        if (is_hesitation(inner))
            return {TokenKind::filler, inner};
        return {TokenKind::noise, {}};
    }
    // ++NOISE++, ++BREATH++, and any other markup PocketSphinx models use
    if (w.size() > 4 && w.substr(0, 2) == "++" && w.substr(w.size() - 2) == "++")
        return {TokenKind::noise, {}};
    if (w.front() == '<' && w.back() == '>')
        return {TokenKind::silence, {}};
    if (is_hesitation(w))
        return {TokenKind::filler, lower(w)};
    return {TokenKind::word, std::string(w)};
}

}  // namespace residency::worker
