// Input limits. The Postgres layer fills them from the GUCs
// residency.max_pack_bytes, residency.max_json_depth,
// residency.max_answer_chars, residency.max_criterion_keywords and
// residency.max_question_expansions; the defaults here are the GUC defaults.
// Exceeding a size limit is SQLSTATE PT413 (PostgREST answers 413); a pack
// over a P1 bound (keywords, expansions, the constants below) is a P1
// problem (22023) with its JSON path.
#pragma once
#include "pure.hpp"

#include <cstddef>
#include <cstdint>

namespace residency {

struct Limits {
    std::size_t max_pack_bytes = 8 * 1024 * 1024;
    int max_json_depth = 64;
    std::size_t max_answer_chars = 20000;
    // Keywords of one evaluation criterion (its [kw: ...] items, or the
    // words derived from its text).
    std::size_t max_criterion_keywords = 25;
    // Patterns of one question's phrase automaton (PhraseMatcher::
    // expansions(): the rubric's lexicons, the structure cues of the
    // question's kind and its criteria keywords, every prefix spelled out).
    // The bundled pack's largest question makes 322 with the compiled-in
    // rubric; a question at this limit compiles in about 10 ms and 3 MB at
    // worst (PhraseMatcher::compile).
    std::uint64_t max_question_expansions = 10000;
    // Rule R2: file:/// audio URLs, for an evaluation worker on the database's
    // machine (residency.allow_file_audio_urls; off: a client could name any
    // file the worker can read).
    bool allow_file_audio_urls = false;
};

// Bounds of rule P1 that are not settings.
inline constexpr std::size_t max_question_criteria = 32;  // evaluation criteria of one question
inline constexpr std::size_t max_keyword_bytes = 100;     // one keyword phrase, like a rubric phrase
inline constexpr std::size_t max_phrase_words = 8;        // words of any phrase: keyword, lexicon or cue

}  // namespace residency
