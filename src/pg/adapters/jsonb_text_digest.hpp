// Rule P3 computes a content pack's checksum over content::text. For a pack
// of thousands of questions, printing that text only to hash it costs more
// than the whole validation: this writes the same bytes jsonb_out writes
// straight into the SHA-256, counting them and measuring the nesting depth
// on the way. The regression suite checks the result against Postgres' own
// sha256(convert_to(content::text, 'UTF8')) on random documents.
#pragma once

#include <cstdint>
#include <string>

#include "postgres.hpp"

namespace residency::pg {

struct JsonbTextDigest {
    std::string sha256_hex;  // of content::text
    std::int64_t bytes = 0;  // octet_length(content::text)
    int depth = 0;           // deepest nesting of arrays and objects
};

JsonbTextDigest digest_jsonb_text(Datum jsonb);

}  // namespace residency::pg
