// Datum <-> C++ values. Every Postgres call that can raise an error runs
// under guarded(). Returned views point into palloc'd memory of the current
// memory context and live as long as it does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "postgres.hpp"

namespace residency::pg {

std::string_view text_view(Datum value);
Datum text_datum(std::string_view s);

// jsonb as JSON text (the output of jsonb_out), and JSON text as jsonb.
std::string jsonb_text(Datum value);
Datum jsonb_datum(std::string_view json_text);

// numeric as double: NaN stays NaN, values beyond double range become
// +-infinity instead of an error, so that range checks can report them.
double numeric_double(Datum value);
Datum numeric_from_double(double value);
Datum numeric_from_text(std::string_view text);

std::string uuid_text(Datum value);
std::string timestamptz_text(TimestampTz value);

// Binary equality of two values of one column, detoasting varlena values
// (an unchanged toasted value and the same value written anew compare equal).
bool same_value(Datum a, Datum b, Form_pg_attribute attribute);

}  // namespace residency::pg
