#include "tokenizer.hpp"

#include <algorithm>
#include <array>

namespace residency {

namespace {

enum class Cls : std::uint32_t {
    space,       // whitespace, control characters
    letter,      // letters of any script, combining marks
    digit,
    cjk,         // ideographs and kana: one word each
    apostrophe,  // ' and its curly forms
    hyphen,      // - and U+2010/U+2011
    dot,
    comma,
    colon,
    slash,
    dollar,
    percent,
    punct,       // other ASCII punctuation, kept in `ascii`
    symbol,      // emoji, symbols, non-ASCII punctuation: separate words
};

// Fields are 32 bits wide on purpose: GCC packed byte-wide len and cls
// into %al/%ah, and reading %ah back stalled the hot loop.
struct Cp {
    char32_t cp;
    std::uint32_t off;  // byte offset in the input
    std::uint32_t len;  // byte length in the input
    Cls cls;
    char ascii;  // normalised ASCII form for punctuation, digits and apostrophes; 0 otherwise
};

bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

Cp classify_ascii_slow(char c)
{
    Cp out{static_cast<char32_t>(c), 0, 1, Cls::punct, c};
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        out.cls = Cls::letter, out.ascii = 0;
    else if (c >= '0' && c <= '9')
        out.cls = Cls::digit;
    else if (c == ' ' || (c >= 0 && c < 0x20) || c == 0x7f)
        out.cls = Cls::space, out.ascii = 0;
    else if (c == '\'')
        out.cls = Cls::apostrophe;
    else if (c == '-')
        out.cls = Cls::hyphen;
    else if (c == '.')
        out.cls = Cls::dot;
    else if (c == ',')
        out.cls = Cls::comma;
    else if (c == ':')
        out.cls = Cls::colon;
    else if (c == '/')
        out.cls = Cls::slash;
    else if (c == '$')
        out.cls = Cls::dollar;
    else if (c == '%')
        out.cls = Cls::percent;
    return out;
}

// ASCII classes by table: most answers are mostly ASCII. Separate byte
// arrays, so that reading a class is one byte load (a packed Cp entry made
// the compiler extract bytes through partial registers, which stalls).
struct AsciiTable {
    Cls cls[128];
    char ascii[128];
    AsciiTable()
    {
        for (int c = 0; c < 128; ++c) {
            Cp p = classify_ascii_slow(static_cast<char>(c));
            cls[c] = p.cls;
            ascii[c] = p.ascii;
        }
    }
};
const AsciiTable ascii_table;

// Normalisation and classes of non-ASCII code points.
void classify_unicode(Cp& p)
{
    char32_t c = p.cp;
    p.ascii = 0;
    switch (c) {
    case 0x2018: case 0x2019: case 0x02BC: case 0xFF07:
        p.cls = Cls::apostrophe, p.ascii = '\'';
        return;
    case 0x201C: case 0x201D: case 0x00AB: case 0x00BB:
        p.cls = Cls::punct, p.ascii = '"';
        return;
    case 0x2013: case 0x2014: case 0x2015:  // dashes between words read as a pause
        p.cls = Cls::punct, p.ascii = ',';
        return;
    case 0x2010: case 0x2011:
        p.cls = Cls::hyphen, p.ascii = '-';
        return;
    case 0x2026:
        p.cls = Cls::punct, p.ascii = '.';
        return;
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
        p.cls = Cls::space;
        return;
    default:
        break;
    }
    if (in(c, 0xFF10, 0xFF19)) {  // full-width digits
        p.cls = Cls::digit, p.ascii = static_cast<char>('0' + (c - 0xFF10));
        return;
    }
    if (in(c, 0x0080, 0x009F) || in(c, 0x2000, 0x200B) || in(c, 0x2028, 0x2029)) {
        p.cls = Cls::space;
        return;
    }
    if (in(c, 0x0300, 0x036F) || in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF) || in(c, 0xFE20, 0xFE2F)) {
        p.cls = Cls::letter;  // combining marks belong to their letter
        return;
    }
    if (in(c, 0x20D0, 0x20FF) || c == 0x30FB) {
        p.cls = Cls::symbol;  // marks for symbols (the emoji keycap), katakana middle dot
        return;
    }
    if (in(c, 0x3040, 0x30FF) || in(c, 0x3400, 0x4DBF) || in(c, 0x4E00, 0x9FFF) || in(c, 0xF900, 0xFAFF) ||
        in(c, 0x20000, 0x2FFFF)) {
        p.cls = Cls::cjk;
        return;
    }
    if (in(c, 0x00A1, 0x00BF) || c == 0x00D7 || c == 0x00F7 || in(c, 0x2000, 0x2BFF) ||
        in(c, 0x3000, 0x303F) || in(c, 0xFE00, 0xFE1F) || in(c, 0xFE30, 0xFE4F) || in(c, 0xFF00, 0xFF0F) ||
        in(c, 0xFF1A, 0xFF20) || in(c, 0xFF3B, 0xFF40) || in(c, 0xFF5B, 0xFF65) || in(c, 0xFFF0, 0xFFFF) ||
        in(c, 0x1F000, 0x1FAFF) || in(c, 0xE0000, 0xE007F)) {
        p.cls = Cls::symbol;
        return;
    }
    p.cls = Cls::letter;
}

// The non-ASCII code point at byte `i` of `s`, classified and normalised;
// a malformed UTF-8 sequence is one separating symbol byte.
[[gnu::noinline]] Cp decode_utf8_at(std::string_view s, std::size_t i)
{
    unsigned char b = static_cast<unsigned char>(s[i]);
    int len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
    char32_t cp = len == 4 ? (b & 0x07) : len == 3 ? (b & 0x0F) : (b & 0x1F);
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
        unsigned char cb = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((cb & 0xC0) != 0x80)
            ok = false;
        cp = (cp << 6) | (cb & 0x3F);
    }
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || in(cp, 0xD800, 0xDFFF)))
        ok = false;
    Cp p{ok ? cp : 0xFFFD, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(ok ? len : 1), Cls::symbol, 0};
    if (ok)
        classify_unicode(p);
    return p;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_annotation(std::string_view word)
{
    static constexpr std::array<std::string_view, 19> words = {
        "laughs", "laughing", "laughter", "inaudible", "unintelligible", "crosstalk", "pause", "pauses",
        "silence", "cough", "coughs", "coughing", "sigh", "sighs", "music", "noise", "applause",
        "clears throat", "background noise"};
    for (std::string_view w : words)
        if (w == word)
            return true;
    return false;
}

// Speech-to-text engines mark non-speech in brackets: "[inaudible]",
// "(laughs)". Square brackets of up to 40 characters are always
// annotations; parentheses only when they hold a known annotation word,
// because typed answers use parentheses for real words. Returns the bytes to
// skip (empty when the text has no bracket, the usual case).
std::vector<bool> annotation_mask(std::string_view s)
{
    std::vector<bool> mask;
    if (s.find('[') == std::string_view::npos && s.find('(') == std::string_view::npos)
        return mask;  // two memchr scans; the usual case
    mask.assign(s.size(), false);
    for (std::size_t i = 0; i < s.size(); ++i) {
        char open = s[i];
        if (open != '[' && open != '(')
            continue;
        char close = open == '[' ? ']' : ')';
        std::size_t limit = open == '[' ? 40 : 30;  // characters
        std::size_t j = i + 1, chars = 1;
        while (j < s.size() && chars <= limit && s[j] != close && s[j] != open && s[j] != '\n') {
            if ((static_cast<unsigned char>(s[j]) & 0xC0) != 0x80)
                ++chars;
            ++j;
        }
        if (j >= s.size() || s[j] != close || chars > limit)
            continue;
        bool drop = open == '[';
        if (!drop) {
            std::string inner;
            for (std::size_t k = i + 1; k < j; ++k) {
                if (static_cast<unsigned char>(s[k]) >= 0x80) {
                    inner.clear();
                    break;
                }
                inner += ascii_lower(s[k]);
            }
            std::size_t a = inner.find_first_not_of(' ');
            std::size_t b = inner.find_last_not_of(' ');
            drop = a != std::string::npos && is_annotation(std::string_view(inner).substr(a, b - a + 1));
        }
        if (drop) {
            for (std::size_t k = i; k <= j; ++k)
                mask[k] = true;
            i = j;
        }
    }
    return mask;
}

// Code points of the answer, read in place.
struct Reader {
    std::string_view s;
    std::vector<bool> skip;

    Cp at(std::size_t i) const
    {
        if (i >= s.size())
            return Cp{' ', static_cast<std::uint32_t>(s.size()), 1, Cls::space, 0};
        if (!skip.empty() && skip[i])
            return Cp{' ', static_cast<std::uint32_t>(i), 1, Cls::space, 0};
        unsigned char b = static_cast<unsigned char>(s[i]);
        if (b < 0x80)
            return Cp{b, static_cast<std::uint32_t>(i), 1, ascii_table.cls[b], ascii_table.ascii[b]};
        return decode_utf8_at(s, i);
    }
};

bool is_wordish(Cls c) { return c == Cls::letter || c == Cls::digit; }

bool ends_sentence(char c) { return c == '.' || c == '?' || c == '!'; }

void append_norm(std::string& out, const Cp& p, std::string_view input)
{
    if (p.cls == Cls::apostrophe || p.cls == Cls::hyphen || p.cls == Cls::digit || p.cls == Cls::dot ||
        p.cls == Cls::comma || p.cls == Cls::colon || p.cls == Cls::slash || p.cls == Cls::percent ||
        p.cls == Cls::dollar)
        out += p.ascii ? p.ascii : static_cast<char>(p.cp);
    else if (p.cp < 0x80)
        out += ascii_lower(static_cast<char>(p.cp));
    else
        out.append(input.substr(p.off, p.len));
}

// The one definition of a word. With Build, fills `t` with tokens and their
// flags; without, only counts (rule R3's count runs on every response
// insert). The text is read once, in place.
template <bool Build>
std::size_t scan(std::string_view input, Transcript& t)
{
    const Reader in{input, annotation_mask(input)};
    const std::size_t n = input.size();
    if constexpr (Build)
        t.tokens.reserve(n / 5 + 4);

    std::size_t words = 0;
    bool next_starts_sentence = true;
    char gap_punct = 0;  // last punctuation since the previous word
    std::size_t i = 0;
    while (i < n) {
        const Cp c = in.at(i);
        bool starts_word = is_wordish(c.cls) || c.cls == Cls::cjk ||
                           (c.cls == Cls::dollar && in.at(i + 1).cls == Cls::digit);
        if (!starts_word) {
            if constexpr (Build) {
                if (c.ascii != 0 && c.cls != Cls::digit) {
                    if (!t.tokens.empty() && t.tokens.back().punct_after == 0 && gap_punct == 0)
                        t.tokens.back().punct_after = c.ascii;
                    gap_punct = c.ascii;
                    if (ends_sentence(c.ascii)) {
                        Cls next = in.at(i + c.len).cls;
                        if (!is_wordish(next) && next != Cls::cjk)
                            next_starts_sentence = true;
                    }
                }
            }
            i += c.len;
            continue;
        }

        Token tok{};
        if constexpr (Build) {
            tok.begin = c.off;
            tok.sentence_start = next_starts_sentence;
            tok.punct_before = gap_punct;
            tok.capitalized = c.cp >= 'A' && c.cp <= 'Z';
        }
        std::size_t j = i;
        bool ascii = true;  // then the norm is the input's bytes, lower-cased
        if (c.cls == Cls::cjk) {
            if constexpr (Build) {
                append_norm(tok.norm, c, input);
                tok.has_letter = true;
            }
            j = i + c.len;
        } else {
            Cls prev = Cls::space;
            if (c.cls == Cls::dollar) {
                prev = Cls::dollar;
                ++j;
            }
            while (j < n) {
                const Cp cur = in.at(j);
                bool take = is_wordish(cur.cls);
                bool joiner = false;
                if (cur.cls == Cls::apostrophe)
                    joiner = prev == Cls::letter && in.at(j + cur.len).cls == Cls::letter;
                else if (cur.cls == Cls::hyphen)
                    joiner = is_wordish(prev) && is_wordish(in.at(j + cur.len).cls);
                else if (cur.cls == Cls::dot || cur.cls == Cls::comma || cur.cls == Cls::colon ||
                         cur.cls == Cls::slash)
                    joiner = prev == Cls::digit && in.at(j + cur.len).cls == Cls::digit;
                if (cur.cls == Cls::percent && prev == Cls::digit) {
                    ++j;
                    break;
                }
                if (!take && !joiner)
                    break;
                if constexpr (Build) {
                    if (cur.cls == Cls::letter) {
                        tok.has_letter = true;
                        if (cur.cp >= 'A' && cur.cp <= 'Z')
                            ++t.uppercase_letters;
                        else if (cur.cp >= 'a' && cur.cp <= 'z')
                            ++t.lowercase_letters;
                    }
                    ascii = ascii && cur.cp < 0x80;
                }
                prev = cur.cls;
                j += cur.len;
            }
            if constexpr (Build) {
                if (ascii) {
                    tok.norm.assign(input.data() + i, j - i);
                    for (char& ch : tok.norm)
                        ch = ascii_lower(ch);
                } else {
                    for (std::size_t k = i; k < j;) {
                        Cp p = in.at(k);
                        append_norm(tok.norm, p, input);
                        k += p.len;
                    }
                }
            }
        }
        ++words;
        if constexpr (Build) {
            tok.end = static_cast<std::uint32_t>(j);
            if (tok.sentence_start)
                ++t.sentences;
            t.tokens.push_back(std::move(tok));
            next_starts_sentence = false;
            gap_punct = 0;
        }
        i = j;
    }
    return words;
}

}  // namespace

Transcript tokenize(std::string_view utf8)
{
    Transcript t;
    scan<true>(utf8, t);
    return t;
}

std::size_t count_words(std::string_view utf8)
{
    Transcript unused;
    return scan<false>(utf8, unused);
}

std::size_t count_chars(std::string_view utf8)
{
    std::size_t n = 0;
    for (char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

}  // namespace residency
