// PocketSphinx's segment words, read: what is a word, a hesitation, a
// silence or a noise. Pure, so that the rules are tested without a model.
#pragma once

#include <string>
#include <string_view>

namespace residency::worker {

enum class TokenKind {
    word,     // an LM word: kept
    filler,   // a hesitation (um, uh, [um]...): kept, so the scorer's Fillers check sees it
    silence,  // <s>, </s>, <sil>: a pause, measured from the words' times
    noise,    // [NOISE], [SPEECH], ++BREATH++...: dropped
};

struct Token {
    TokenKind kind;
    std::string text;  // the word as the transcript spells it (no "(2)" suffix, no brackets)
};

// "word(2)" is the dictionary's second pronunciation of "word".
Token classify_sphinx_token(std::string_view raw);

}  // namespace residency::worker
