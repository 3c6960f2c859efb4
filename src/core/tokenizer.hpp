// Turns an answer (a transcript or typed text) into words. Rule R3's
// word_count and every scoring signal come from here, so the counting rules
// are in one place:
//  - curly apostrophes, quotes, dashes, NBSP and ellipses are normalised;
//  - a word is a run of letters/digits; an apostrophe between letters
//    (don't, O'Neil), a hyphen between letters or digits (post-op, 24-hour)
//    and . , : / between digits (3.5, 1,000, 7:30, 24/7) keep it whole;
//    a leading $ and a trailing % stay with their number;
//  - any non-ASCII code point that is not punctuation or a symbol (emoji)
//    is a letter, so "José" is one word; CJK ideographs and kana have no
//    spaces between words and count one word each;
//  - bracketed speech-to-text annotations ([inaudible], (laughs)) are not
//    words.
#pragma once
#include "pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

struct Token {
    std::string norm;     // normalised text, ASCII letters lower-cased
    std::uint32_t begin;  // byte offsets of the word in the input
    std::uint32_t end;
    bool capitalized;     // starts with an ASCII capital in the input
    bool sentence_start;  // first word, or first after . ? ! and a space
    bool has_letter;      // at least one letter (else a number)
    char punct_before;    // punctuation between the previous word and this
    char punct_after;     // one (',' '.' '?' '!' ';' ':' '"' '(' ')'), or 0
};

struct Transcript {
    std::vector<Token> tokens;
    std::size_t sentences = 0;
    std::size_t uppercase_letters = 0;  // to tell whether capitalisation is
    std::size_t lowercase_letters = 0;  // informative (ASR may drop it)

    std::size_t words() const { return tokens.size(); }
};

Transcript tokenize(std::string_view utf8);

// The same words without a string each: their normalised texts lie back to
// back in one buffer. This is what the scorer reads; reusing one Words for
// many answers reuses its buffers, so tokenizing allocates nothing once
// they have grown.
struct WordSpan {
    std::uint32_t norm_begin;  // the normalised text: Words::norm[norm_begin, +norm_size)
    std::uint32_t norm_size;
    std::uint32_t begin;  // byte offsets of the word in the input
    std::uint32_t end;
    bool capitalized;  // the flags of Token
    bool sentence_start;
    bool has_letter;
    char punct_before;
    char punct_after;
};

struct Words {
    std::vector<WordSpan> spans;
    std::string norm;                           // the texts back to back, then `padding` zero bytes
    static constexpr std::size_t padding = 16;  // so a word's first 16 bytes can always be loaded
    std::size_t sentences = 0;
    std::size_t uppercase_letters = 0;
    std::size_t lowercase_letters = 0;
    std::string scratch;  // tokenize()'s own: the answer with its annotations blanked, when it has any

    std::size_t size() const { return spans.size(); }
    std::string_view text(std::size_t k) const { return {norm.data() + spans[k].norm_begin, spans[k].norm_size}; }
};

// Fills `out` (its previous words are dropped) with the words of `utf8`.
void tokenize(std::string_view utf8, Words& out);

// The word count of rule R3 (the same count tokenize() gives).
std::size_t count_words(std::string_view utf8);

// Number of Unicode code points in valid UTF-8 (the unit of
// residency.max_answer_chars).
std::size_t count_chars(std::string_view utf8);

}  // namespace residency
