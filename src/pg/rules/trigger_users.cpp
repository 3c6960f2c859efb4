// residency.users: rules U1-U4 (BEFORE INSERT OR UPDATE) and the C1
// write-through (AFTER INSERT OR UPDATE OF entitlement_level).
#include "../../core/email.hpp"
#include "../../core/error.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/clock.hpp"
#include "../adapters/datum.hpp"
#include "entitlement_cache.hpp"
#include "roles.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

// U1
void check_email(const Row& row)
{
    std::optional<std::string_view> email = row.text("email");
    if (!email)
        return;  // NOT NULL answers for a missing e-mail
    if (std::string why = email_problem(*email); !why.empty())
        throw Error(sqlstate::invalid_parameter_value, "invalid e-mail address",
                    "The e-mail address \"" + std::string(email->substr(0, 300)) + "\" is not usable: " + why + ".",
                    "Use an address of the form name@example.org, at most 254 bytes.");
}

// U3: entitlement and billing are the server's business.
void check_client_write(const TriggerCall& ev, const Row& row, Entitlement level)
{
    if (!current_user_is_client())
        return;
    bool touches = ev.is_insert() ? (level != Entitlement::locked || !row.is_null("stripe_customer_id"))
                                  : (ev.changed("entitlement_level") || ev.changed("stripe_customer_id"));
    if (touches)
        throw Error(sqlstate::insufficient_privilege, "permission denied to change entitlement",
                    "Roles anon and authenticated cannot set entitlement_level or stripe_customer_id.",
                    "Entitlements change through the billing service (residency_api.set_entitlement as "
                    "service_role).");
}

// U4
void check_times(const Row& row, std::optional<TimestampTz> updated_at)
{
    std::optional<TimestampTz> created_at = row.timestamptz("created_at");
    if (created_at && updated_at && *created_at > *updated_at)
        throw Error(sqlstate::check_violation, "created_at is later than updated_at",
                    "created_at " + timestamptz_text(*created_at) + " is after updated_at " +
                        timestamptz_text(*updated_at) + ".",
                    "Leave both to their defaults; updated_at is set on every update.");
}

}  // namespace

RESIDENCY_FUNCTION(residency_users_guard)
{
    TriggerCall ev(fcinfo, "residency_users_guard");
    Row row = ev.new_row();

    std::optional<std::string_view> level_text = row.text("entitlement_level");
    if (!level_text)
        return ev.unchanged();  // NOT NULL answers
    Entitlement level = require_entitlement(*level_text, "entitlement_level");

    check_client_write(ev, row, level);
    if (ev.is_insert() || ev.changed("email"))
        check_email(row);
    if (ev.is_update()) {
        std::optional<std::string_view> old_text = ev.old_row().text("entitlement_level");
        if (old_text)
            check_entitlement_transition(require_entitlement(*old_text, "entitlement_level"), level);
    }

    if (ev.is_insert()) {
        check_times(row, row.timestamptz("updated_at"));
        return ev.unchanged();
    }
    TimestampTz now = transaction_now();
    check_times(row, now);
    RowEdit edit;
    edit.set(row, "updated_at", TimestampTzGetDatum(now));
    return ev.result(edit.apply(row));
}

RESIDENCY_FUNCTION(residency_users_cache_sync)
{
    TriggerCall ev(fcinfo, "residency_users_cache_sync");
    Row row = ev.new_row();
    bool isnull = true;
    Datum id = row.datum("id", isnull);
    std::optional<std::string_view> level = row.text("entitlement_level");
    if (!isnull && level)
        write_entitlement_cache(ev.owner(), id, *level);
    return ev.unchanged();
}

// residency.current_entitlement(user_id uuid) -> text
RESIDENCY_FUNCTION(residency_current_entitlement)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    std::optional<std::string> level = cached_entitlement(PG_GETARG_DATUM(0));
    if (!level)
        PG_RETURN_NULL();
    return text_datum(*level);
}
