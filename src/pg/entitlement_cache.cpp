#include "entitlement_cache.hpp"

#include "boundary.hpp"
#include "clock.hpp"
#include "datum.hpp"
#include "spi.hpp"

namespace residency::pg {

namespace {

Statement upsert_cache(
    "INSERT INTO residency.entitlement_cache AS c "
    "  (user_id, entitlement_level, expires_at, last_updated) "
    "VALUES ($1, $2, $3 + 3600, $3) "
    "ON CONFLICT (user_id) DO UPDATE SET entitlement_level = excluded.entitlement_level, "
    "  expires_at = excluded.expires_at, last_updated = excluded.last_updated",
    {UUIDOID, TEXTOID, INT8OID});

Statement read_cache(
    "SELECT c.entitlement_level, c.expires_at > $2 AS fresh, u.entitlement_level "
    "FROM (SELECT 1) AS one "
    "LEFT JOIN residency.entitlement_cache AS c ON c.user_id = $1 "
    "LEFT JOIN residency.users AS u ON u.id = $1 AND (c.user_id IS NULL OR c.expires_at <= $2)",
    {UUIDOID, INT8OID});

}  // namespace

void write_entitlement_cache(Oid run_as, Datum user_id, std::string_view level)
{
    std::int64_t now = unix_seconds(wall_clock());
    SpiConnection spi(run_as);
    spi.execute(upsert_cache, {{user_id}, {text_datum(level)}, {Int64GetDatum(now)}}, false);
    spi.finish();
}

std::optional<std::string> cached_entitlement(Datum user_id)
{
    std::int64_t now = unix_seconds(wall_clock());
    SpiConnection spi;
    spi.execute(read_cache, {{user_id}, {Int64GetDatum(now)}}, true);
    std::optional<std::string> cached = spi.text(0, 1);
    bool fresh = spi.boolean(0, 2);
    std::optional<std::string> level = spi.text(0, 3);
    if (cached && fresh) {
        spi.finish();
        return cached;
    }
    // Missing or expired: the users row is the truth; write it back when
    // this transaction may write (a PostgREST GET runs read-only).
    if (level && !XactReadOnly)
        spi.execute(upsert_cache, {{user_id}, {text_datum(*level)}, {Int64GetDatum(now)}}, false);
    spi.finish();
    return level;
}

}  // namespace residency::pg
