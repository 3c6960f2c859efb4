#include "entitlement_cache.hpp"

#include "boundary.hpp"
#include "clock.hpp"
#include "datum.hpp"
#include "lookup.hpp"
#include "spi.hpp"

namespace residency::pg {

namespace {

Statement upsert_cache("INSERT INTO residency.entitlement_cache AS c "
                       "  (user_id, entitlement_level, expires_at, last_updated) "
                       "VALUES ($1, $2, $3, $4) "
                       "ON CONFLICT (user_id) DO UPDATE SET entitlement_level = excluded.entitlement_level, "
                       "  expires_at = excluded.expires_at, last_updated = excluded.last_updated",
                       {UUIDOID, TEXTOID, INT8OID, INT8OID});

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

std::optional<std::string> cached_entitlement(Datum user_id)
{
    // Every API call reads the caller's level, so both reads go straight to
    // the primary keys (lookup.hpp) rather than through SPI and the executor.
    std::int64_t now = unix_seconds(wall_clock());
    LookupResult cached =
        lookup_row("entitlement_cache", "entitlement_cache_pkey", {user_id}, {"entitlement_level", "expires_at"});
    if (cached.found && !cached.nulls[0] && !cached.nulls[1] && DatumGetInt64(cached.values[1]) > now)
        return std::string(text_view(cached.values[0]));
    // Missing or expired: the users row is the truth; write it back when
    // this transaction may write (a PostgREST GET runs read-only).
    LookupResult user = lookup_row("users", "users_pkey", {user_id}, {"entitlement_level"});
    if (!user.found || user.nulls[0])
        return std::nullopt;
    std::string level(text_view(user.values[0]));
    if (!XactReadOnly) {
        SpiConnection spi;
        spi.execute(upsert_cache,
                    {{user_id}, {text_datum(level)}, {Int64GetDatum(now + entitlement_ttl_s)}, {Int64GetDatum(now)}},
                    false);
        spi.finish();
    }
    return level;
}

}  // namespace residency::pg
