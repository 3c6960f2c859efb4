// Input limits. The Postgres layer fills them from the GUCs
// residency.max_pack_bytes, residency.max_json_depth and
// residency.max_answer_chars; the defaults here are the GUC defaults.
// Exceeding any of them is SQLSTATE PT413 (PostgREST answers 413).
#pragma once
#include "pure.hpp"

#include <cstddef>

namespace residency {

struct Limits {
    std::size_t max_pack_bytes = 8 * 1024 * 1024;
    int max_json_depth = 64;
    std::size_t max_answer_chars = 20000;
};

}  // namespace residency
