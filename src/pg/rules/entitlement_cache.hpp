// Rule C1: residency.entitlement_cache, the seed's Redis entity as an
// UNLOGGED table. Written through on every entitlement change; readers get
// the cached level and rebuild a missing or expired row from users.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "../adapters/postgres.hpp"

namespace residency::pg {

inline constexpr std::int64_t entitlement_ttl_s = 3600;

// Writes the level through to the cache (keeps stripe_subscription_id);
// runs as `run_as` (the users table's owner, see spi.hpp).
void write_entitlement_cache(Oid run_as, Datum user_id, std::string_view level);

// The user's level from the cache, rebuilt from residency.users when the
// row is missing or expired (the rebuild is written only when the
// transaction may write). During recovery (a hot standby) the cache is
// neither read nor written: the level comes from residency.users. nullopt
// when the user does not exist.
std::optional<std::string> cached_entitlement(Datum user_id);

}  // namespace residency::pg
