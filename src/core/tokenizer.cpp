#include "tokenizer.hpp"

#include "interrupt.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace residency {

namespace {

enum class Cls : std::uint32_t {
    space,   // whitespace, control characters
    letter,  // letters of any script, combining marks
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
    punct,   // other ASCII punctuation, kept in `ascii`
    symbol,  // emoji, symbols, non-ASCII punctuation: separate words
    utf8,    // in the byte table only: a byte of a multi-byte sequence
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

bool in(char32_t c, char32_t lo, char32_t hi)
{
    return c >= lo && c <= hi;
}

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

// One table for every byte: the class and normalised form of each ASCII
// character, and `utf8` for the bytes of multi-byte sequences, which are
// decoded. Separate byte arrays, so that reading a class is one byte load
// (a packed Cp entry made the compiler extract bytes through partial
// registers, which stalls).
struct ByteTable {
    Cls cls[256];
    char ascii[256];
    char lower[256];
    ByteTable()
    {
        for (int c = 0; c < 256; ++c) {
            Cp p = classify_ascii_slow(static_cast<char>(c));
            cls[c] = c < 0x80 ? p.cls : Cls::utf8;
            ascii[c] = c < 0x80 ? p.ascii : 0;
            lower[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
};
const ByteTable byte_table;

// Normalisation and classes of non-ASCII code points.
void classify_unicode(Cp& p)
{
    char32_t c = p.cp;
    p.ascii = 0;
    switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0xFF07:
        p.cls = Cls::apostrophe, p.ascii = '\'';
        return;
    case 0x201C:
    case 0x201D:
    case 0x00AB:
    case 0x00BB:
        p.cls = Cls::punct, p.ascii = '"';
        return;
    case 0x2013:
    case 0x2014:
    case 0x2015:  // dashes between words read as a pause
        p.cls = Cls::punct, p.ascii = ',';
        return;
    case 0x2010:
    case 0x2011:
        p.cls = Cls::hyphen, p.ascii = '-';
        return;
    case 0x2026:
        p.cls = Cls::punct, p.ascii = '.';
        return;
    case 0x00A0:
    case 0x1680:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
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
    if (in(c, 0x00A1, 0x00BF) || c == 0x00D7 || c == 0x00F7 || in(c, 0x2000, 0x2BFF) || in(c, 0x3000, 0x303F) ||
        in(c, 0xFE00, 0xFE1F) || in(c, 0xFE30, 0xFE4F) || in(c, 0xFF00, 0xFF0F) || in(c, 0xFF1A, 0xFF20) ||
        in(c, 0xFF3B, 0xFF40) || in(c, 0xFF5B, 0xFF65) || in(c, 0xFFF0, 0xFFFF) || in(c, 0x1F000, 0x1FAFF) ||
        in(c, 0xE0000, 0xE007F)) {
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

char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_annotation(std::string_view word)
{
    static constexpr std::array<std::string_view, 19> words = {
        "laughs", "laughing", "laughter", "inaudible",     "unintelligible",  "crosstalk", "pause",
        "pauses", "silence",  "cough",    "coughs",        "coughing",        "sigh",      "sighs",
        "music",  "noise",    "applause", "clears throat", "background noise"};
    for (std::string_view w : words)
        if (w == word)
            return true;
    return false;
}

// Speech-to-text engines mark non-speech in brackets: "[inaudible]",
// "(laughs)". Square brackets of up to 40 characters are always
// annotations; parentheses only when they hold a known annotation word,
// because typed answers use parentheses for real words. Annotations are
// blanked out of `s` (a copy of the answer), byte for byte, so that the
// scan reads them as spaces and every offset stays the input's: the
// brackets are ASCII, so no UTF-8 sequence is cut by the blanking.
void blank_annotations(std::string& s)
{
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
                s[k] = ' ';
            i = j;
        }
    }
}

// Code points of the answer, read in place; past the end reads as a space.
struct Reader {
    std::string_view s;

    Cp at(std::size_t i) const
    {
        if (i >= s.size())
            return Cp{' ', static_cast<std::uint32_t>(s.size()), 1, Cls::space, 0};
        unsigned char b = static_cast<unsigned char>(s[i]);
        if (b < 0x80)
            return Cp{b, static_cast<std::uint32_t>(i), 1, byte_table.cls[b], byte_table.ascii[b]};
        return decode_utf8_at(s, i);
    }
};

bool is_wordish(Cls c)
{
    return c == Cls::letter || c == Cls::digit;
}

bool ends_sentence(char c)
{
    return c == '.' || c == '?' || c == '!';
}

// Writes the normal form of one code point of a word at `out`: joiners,
// digits, $ and % in their ASCII form, ASCII letters lower-cased, other
// letters as they are. Never longer than the input's bytes.
char* put_norm(char* out, const Cp& p, std::string_view input)
{
    switch (p.cls) {
    case Cls::apostrophe:
    case Cls::hyphen:
    case Cls::digit:
    case Cls::dot:
    case Cls::comma:
    case Cls::colon:
    case Cls::slash:
    case Cls::percent:
    case Cls::dollar:
        *out++ = p.ascii ? p.ascii : static_cast<char>(p.cp);
        return out;
    default:
        break;
    }
    if (p.cp < 0x80) {
        *out++ = ascii_lower(static_cast<char>(p.cp));
        return out;
    }
    std::memcpy(out, input.data() + p.off, p.len);
    return out + p.len;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
#define RESIDENCY_SWAR 1
#endif

// Bytes classified 8 at a time (SWAR), for the little-endian fast paths
// below: each byte's class is computed in its own byte lane, in bit 7.
struct Lanes {
    static constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    std::uint64_t v, x, ascii;
    explicit Lanes(const char* p)
    {
        std::memcpy(&v, p, 8);
        x = v & ~highs;      // the low 7 bits of each byte
        ascii = ~v & highs;  // lanes of ASCII bytes
    }
    // Lanes of the ASCII bytes from lo to hi: adding 0x80 - lo to a 7-bit
    // byte reaches bit 7 exactly when the byte is >= lo, and no sum carries
    // into the next lane.
    std::uint64_t in(std::uint64_t lo, std::uint64_t hi) const
    {
        return (x + (0x80 - lo) * ones) & ~(x + (0x7F - hi) * ones) & ascii;
    }
};

#ifdef RESIDENCY_SWAR
// The sum of the 8 byte lanes of `counts`, each at most 255: the sum may
// not fit a byte, so the lanes are first added in pairs into 16-bit lanes.
std::size_t sum_byte_lanes(std::uint64_t counts)
{
    const std::uint64_t even = 0x00FF00FF00FF00FFu;
    const std::uint64_t pairs = (counts & even) + ((counts >> 8) & even);
    return static_cast<std::size_t>((pairs * 0x0001000100010001u) >> 48);
}
#endif

// Up to 8 ASCII letters and digits at `p`. With Build, writes the 8 bytes
// lower-cased at `out` (the norm buffer has room to spare; only the bytes
// taken count) and notes whether a letter was taken. Returns how many bytes
// from `p` are letters or digits. Where SWAR is not available it takes
// nothing and the byte loop does the work.
template <bool Build>
std::size_t take_ascii_alnum(const char* p, char*& out, bool& has_letter)
{
#ifdef RESIDENCY_SWAR
    const Lanes l(p);
    const std::uint64_t upper_lanes = l.in('A', 'Z'), letters = upper_lanes | l.in('a', 'z');
    const std::uint64_t stop = ~(letters | l.in('0', '9')) & Lanes::highs;
    const std::size_t taken = stop ? static_cast<std::size_t>(__builtin_ctzll(stop)) / 8 : 8;
    if constexpr (Build) {
        const std::uint64_t lowered = l.v | (upper_lanes >> 2);  // bit 7 -> bit 5 (0x20) of the same byte
        std::memcpy(out, &lowered, 8);
        out += taken;
        const std::uint64_t kept = taken == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * taken)) - 1;
        has_letter |= (letters & kept) != 0;
    }
    return taken;
#else
    (void) p, (void) out, (void) has_letter;
    return 0;
#endif
}

// How many ASCII capitals and small letters `s` has. With SWAR, each lane
// counts its bytes (up to 255, then the lanes are summed).
void count_letters(std::string_view s, std::size_t& upper, std::size_t& lower)
{
    upper = lower = 0;
    std::size_t i = 0;
#ifdef RESIDENCY_SWAR
    while (i + 8 <= s.size()) {
        std::uint64_t up = 0, low = 0;
        for (int k = 0; k < 255 && i + 8 <= s.size(); ++k, i += 8) {
            const Lanes l(s.data() + i);
            up += l.in('A', 'Z') >> 7;
            low += l.in('a', 'z') >> 7;
        }
        upper += sum_byte_lanes(up);
        lower += sum_byte_lanes(low);
    }
#endif
    for (; i < s.size(); ++i) {
        upper += static_cast<unsigned char>(s[i] - 'A') < 26;
        lower += static_cast<unsigned char>(s[i] - 'a') < 26;
    }
}

// The one definition of a word. With Build, fills `w` with the words and
// their flags; without, only counts (rule R3's count runs on every response
// insert). The text is read once, in place.
template <bool Build>
std::size_t scan(std::string_view input, Words& w)
{
    std::string_view s = input;
    if (input.find('[') != std::string_view::npos || input.find('(') != std::string_view::npos) {
        w.scratch.assign(input);  // two memchr scans; the usual case has no bracket
        blank_annotations(w.scratch);
        s = w.scratch;
    }
    const Reader in{s};
    const std::size_t n = s.size();

    // The normal forms are written straight into `w.norm`, which is never
    // longer than the input (normalising only shortens: ’ -> '), plus the
    // padding.
    char* norm = nullptr;
    char* out = nullptr;
    if constexpr (Build) {
        w.spans.clear();
        w.spans.reserve(n / 5 + 4);
        w.norm.resize(n + Words::padding);  // take_ascii_alnum() writes 8 bytes at a time
        norm = out = w.norm.data();
        w.sentences = w.uppercase_letters = w.lowercase_letters = 0;
    }

    std::size_t words = 0;
    bool next_starts_sentence = true;
    char gap_punct = 0;  // last punctuation since the previous word
    std::size_t i = 0;
    // Interrupts are polled once per 64 KiB of text (well under a
    // millisecond of scanning): an answer is one chunk or a few.
    constexpr std::size_t chunk = 64 * 1024;
    for (std::size_t chunk_end = 0; i < n;) {
        if (i >= chunk_end) {
            poll_interrupts();
            chunk_end = n - i > chunk ? i + chunk : n;
        }
        while (i < chunk_end) {
            if (s[i] == ' ') {  // the usual gap between words: nothing to note
                ++i;
                continue;
            }
            const Cp c = in.at(i);
            bool starts_word =
                is_wordish(c.cls) || c.cls == Cls::cjk || (c.cls == Cls::dollar && in.at(i + 1).cls == Cls::digit);
            if (!starts_word) {
                if constexpr (Build) {
                    if (c.ascii != 0 && c.cls != Cls::digit) {
                        if (!w.spans.empty() && w.spans.back().punct_after == 0 && gap_punct == 0)
                            w.spans.back().punct_after = c.ascii;
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

            // The word's fields are kept in registers and stored once at its end:
            // a WordSpan filled byte by byte on the stack and then copied as a
            // whole stalled on store forwarding.
            const char* word_norm = out;
            bool has_letter = false;
            std::size_t j = i;
            if (c.cls == Cls::cjk) {
                if constexpr (Build) {
                    out = put_norm(out, c, s);
                    has_letter = true;
                }
                j = i + c.len;
            } else {
                Cls prev = Cls::space;
                if (c.cls == Cls::dollar) {
                    if constexpr (Build)
                        *out++ = '$';
                    prev = Cls::dollar;
                    ++j;
                }
                while (j < n) {
                    // The bulk of a word is ASCII letters and digits: 8 bytes
                    // at a time where the machine allows, so that where a word
                    // ends is computed rather than branched on byte by byte.
                    if (j + 8 <= n) {
                        std::size_t taken = take_ascii_alnum<Build>(s.data() + j, out, has_letter);
                        if (taken > 0) {
                            j += taken;
                            prev = byte_table.cls[static_cast<unsigned char>(s[j - 1])];
                            if (taken == 8)
                                continue;
                            if (s[j] == ' ')  // the usual end of a word
                                break;
                        }
                    }
                    // Then byte by byte: one table load each for ASCII letters
                    // and digits, no decoding, no look-ahead.
                    unsigned char b = static_cast<unsigned char>(s[j]);
                    Cls k = byte_table.cls[b];
                    if (k == Cls::letter || k == Cls::digit) {
                        if constexpr (Build) {
                            *out++ = byte_table.lower[b];
                            has_letter = has_letter || k == Cls::letter;
                        }
                        prev = k;
                        ++j;
                        continue;
                    }
                    // Anything else is decoded: a joiner decides by its
                    // neighbours, other characters end the word.
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
                        if constexpr (Build)
                            *out++ = '%';
                        ++j;
                        break;
                    }
                    if (!take && !joiner)
                        break;
                    if constexpr (Build) {
                        out = put_norm(out, cur, s);
                        if (cur.cls == Cls::letter)
                            has_letter = true;
                    }
                    prev = cur.cls;
                    j += cur.len;
                }
            }
            ++words;
            if constexpr (Build) {
                WordSpan& tok = w.spans.emplace_back();
                tok.norm_begin = static_cast<std::uint32_t>(word_norm - norm);
                tok.norm_size = static_cast<std::uint32_t>(out - word_norm);
                tok.begin = c.off;
                tok.end = static_cast<std::uint32_t>(j);
                tok.capitalized = c.cp >= 'A' && c.cp <= 'Z';
                tok.sentence_start = next_starts_sentence;
                tok.has_letter = has_letter;
                tok.punct_before = gap_punct;
                tok.punct_after = 0;
                w.sentences += next_starts_sentence;
                next_starts_sentence = false;
                gap_punct = 0;
            }
            i = j;
        }
    }
    if constexpr (Build) {
        // the texts, then Words::padding zero bytes
        w.norm.resize(static_cast<std::size_t>(out - norm));
        w.norm.append(Words::padding, '\0');
        // Every ASCII letter of the text is in a word (a letter starts one
        // or continues one), so the letters of the words are counted in one
        // pass over the text.
        std::size_t upper, lower;
        count_letters(s, upper, lower);
        w.uppercase_letters = upper;
        w.lowercase_letters = lower;
    }
    return words;
}

}  // namespace

void tokenize(std::string_view utf8, Words& out)
{
    scan<true>(utf8, out);
}

Transcript tokenize(std::string_view utf8)
{
    Words w;
    scan<true>(utf8, w);
    Transcript t;
    t.tokens.reserve(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
        const WordSpan& x = w.spans[k];
        t.tokens.push_back(Token{std::string(w.text(k)), x.begin, x.end, x.capitalized, x.sentence_start, x.has_letter,
                                 x.punct_before, x.punct_after});
    }
    t.sentences = w.sentences;
    t.uppercase_letters = w.uppercase_letters;
    t.lowercase_letters = w.lowercase_letters;
    return t;
}

std::size_t count_words(std::string_view utf8)
{
    Words unused;
    return scan<false>(utf8, unused);
}

std::size_t count_chars(std::string_view utf8)
{
    // Code points are the bytes that are not continuation bytes (10xxxxxx);
    // the continuation bytes are counted 8 at a time where SWAR is available.
    std::size_t continuations = 0, i = 0;
#ifdef RESIDENCY_SWAR
    while (i + 8 <= utf8.size()) {
        std::uint64_t lanes = 0;  // per byte lane, up to 255
        for (int k = 0; k < 255 && i + 8 <= utf8.size(); ++k, i += 8) {
            const Lanes l(utf8.data() + i);
            lanes += (l.v & ~(l.v << 1) & Lanes::highs) >> 7;  // bit 7 set, bit 6 clear
        }
        continuations += sum_byte_lanes(lanes);
    }
#endif
    for (; i < utf8.size(); ++i)
        continuations += (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80;
    return utf8.size() - continuations;
}

}  // namespace residency
