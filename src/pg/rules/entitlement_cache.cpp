#include "entitlement_cache.hpp"

#include "../adapters/boundary.hpp"
#include "../adapters/clock.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/lookup.hpp"
#include "../adapters/spi.hpp"

extern "C" {
#include "access/xlog.h"
}

namespace residency::pg {

namespace {

Statement upsert_cache("INSERT INTO residency.entitlement_cache AS c "
                       "  (user_id, entitlement_level, expires_at, last_updated) "
                       "VALUES ($1, $2, $3, $4) "
                       "ON CONFLICT (user_id) DO UPDATE SET entitlement_level = excluded.entitlement_level, "
                       "  expires_at = excluded.expires_at, last_updated = excluded.last_updated",
                       {UUIDOID, TEXTOID, INT8OID, INT8OID});

Statement lock_user_level("SELECT u.entitlement_level FROM residency.users AS u "
                          "WHERE u.id OPERATOR(pg_catalog.=) $1 FOR SHARE",
                          {UUIDOID});

}  // namespace

void write_entitlement_cache(Oid run_as, Datum user_id, std::string_view level)
{
    std::int64_t now = unix_seconds(wall_clock());
    SpiConnection spi(run_as);
    spi.execute(upsert_cache,
                {{user_id}, {text_datum(level)}, {Int64GetDatum(now + entitlement_ttl_s)}, {Int64GetDatum(now)}},
                false);
    spi.finish();
}

namespace {

// The level as residency.users has it, the truth the cache copies.
std::optional<std::string> users_entitlement(Datum user_id)
{
    LookupResult user = lookup_row("users", "users_pkey", {user_id}, {"entitlement_level"});
    if (!user.found || user.nulls[0])
        return std::nullopt;
    return std::string(text_view(user.values[0]));
}

}  // namespace

std::optional<std::string> cached_entitlement(Datum user_id)
{
    // A hot standby has no cache to read or write: an UNLOGGED table's rows
    // are not replicated, and during recovery only its empty init fork
    // exists (reading it fails with 58P01). The users row is replicated and
    // is the truth, so the standby answers from it alone, as the primary
    // answers a missing row in a read-only transaction.
    if (RecoveryInProgress())
        return users_entitlement(user_id);

    // Every API call reads the caller's level, so the cache is read straight
    // from its primary key (lookup.hpp) rather than through SPI.
    std::int64_t now = unix_seconds(wall_clock());
    LookupResult cached =
        lookup_row("entitlement_cache", "entitlement_cache_pkey", {user_id}, {"entitlement_level", "expires_at"});
    if (cached.found && !cached.nulls[0] && !cached.nulls[1] && DatumGetInt64(cached.values[1]) > now)
        return std::string(text_view(cached.values[0]));

    // Missing or expired: the users row is the truth. A read-only
    // transaction (a PostgREST GET) only reads it.
    if (XactReadOnly)
        return users_entitlement(user_id);
    // Otherwise the level is written back, read under a share lock on the
    // users row: a level change in flight (set_entitlement, which also
    // writes the cache) finishes first and this reads its result. Read from
    // the statement's snapshot instead, the rebuild would wait on the cache
    // row that change wrote and then overwrite it with the old level.
    // REPEATABLE READ and SERIALIZABLE get a serialization failure there.
    std::optional<std::string> level;
    {
        SpiConnection spi(residency_table_owner("users"));
        if (spi.execute(lock_user_level, {{user_id}}, false, 1) == 1)
            level = spi.text(0, 1);
        spi.finish();
    }
    if (level)
        write_entitlement_cache(residency_table_owner("entitlement_cache"), user_id, *level);
    return level;
}

}  // namespace residency::pg
