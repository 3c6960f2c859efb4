// Time as the rules use it.
#pragma once

#include <cstdint>

#include "postgres.hpp"

namespace residency::pg {

// now(): the transaction's start, for updated_at and activated_at.
inline TimestampTz transaction_now()
{
    return GetCurrentTransactionStartTimestamp();
}

// clock_timestamp(): status transitions of one transaction (evaluate_session
// goes SUBMITTED -> PROCESSING -> COMPLETED in one call) need distinct,
// increasing times so that processing_time_ms measures something.
inline TimestampTz wall_clock()
{
    return GetCurrentTimestamp();
}

// Unix seconds of a timestamp (entitlement_cache keeps unix seconds).
inline std::int64_t unix_seconds(TimestampTz t)
{
    return t / USECS_PER_SEC + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

}  // namespace residency::pg
