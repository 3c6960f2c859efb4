// One-row lookups through a unique index, without the executor: the rules
// read single rows by key (the user's level, the active pack, a question, a
// response's session), and planning and starting an executor for each would
// cost more than the rule itself. This is how Postgres' own foreign-key
// checks read in their fast path.
//
// A lookup reads under the active snapshot, like a read-only query in the
// same trigger would, as the table's owner would: no privilege check and no
// row security (the rules must see every row).
#pragma once

#include <initializer_list>

#include "postgres.hpp"

namespace residency::pg {

struct LookupResult {
    static constexpr int max_columns = 4;
    bool found = false;
    Datum values[max_columns] = {};  // copied into the current memory context
    bool nulls[max_columns] = {};
};

// Reads `columns` of the row of residency.<table> whose unique index
// residency.<index> has exactly `keys` (one Datum per index column).
LookupResult lookup_row(const char* table, const char* index, std::initializer_list<Datum> keys,
                        std::initializer_list<const char*> columns);

// The owner of residency.<table>: rule queries outside a trigger run as it.
Oid residency_table_owner(const char* table);

}  // namespace residency::pg
