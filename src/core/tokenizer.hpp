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
    std::string norm;       // normalised text, ASCII letters lower-cased
    std::uint32_t begin;    // byte offsets of the word in the input
    std::uint32_t end;
    bool capitalized;       // starts with an ASCII capital in the input
    bool sentence_start;    // first word, or first after . ? ! and a space
    bool has_letter;        // at least one letter (else a number)
    char punct_before;      // punctuation between the previous word and this
    char punct_after;       // one (',' '.' '?' '!' ';' ':' '"' '(' ')'), or 0
};

struct Transcript {
    std::vector<Token> tokens;
    std::size_t sentences = 0;
    std::size_t uppercase_letters = 0;  // to tell whether capitalisation is
    std::size_t lowercase_letters = 0;  // informative (ASR may drop it)

    std::size_t words() const { return tokens.size(); }
};

Transcript tokenize(std::string_view utf8);

// The word count of rule R3 (the same count tokenize() gives).
std::size_t count_words(std::string_view utf8);

// Number of Unicode code points in valid UTF-8 (the unit of
// residency.max_answer_chars).
std::size_t count_chars(std::string_view utf8);

}  // namespace residency
