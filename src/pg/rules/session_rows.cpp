#include "session_rows.hpp"

#include "../../core/error.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/spi.hpp"

namespace residency::pg {

namespace {

Statement session_exists("SELECT EXISTS (SELECT 1 FROM residency.drill_sessions AS s "
                         "WHERE s.id OPERATOR(pg_catalog.=) $1)",
                         {UUIDOID});

}  // namespace

Datum delete_with_session_only(const TriggerCall& ev, const char* what)
{
    bool isnull = true;
    Datum session = ev.old_row().datum("session_id", isnull);
    if (isnull)
        return ev.unchanged();
    SpiConnection spi(ev.owner());
    spi.execute(session_exists, {{session}}, true);
    bool exists = spi.boolean(0, 1);
    spi.finish();
    if (exists)
        throw Error(sqlstate::check_violation, std::string(what) + " cannot be deleted on its own",
                    "Session " + uuid_text(session) + " still exists and its status depends on this row.",
                    "Delete the drill session; its response and evaluation go with it.");
    return ev.unchanged();
}

}  // namespace residency::pg
