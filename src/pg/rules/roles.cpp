#include "roles.hpp"

#include "../adapters/boundary.hpp"

namespace residency::pg {

bool current_user_is_client()
{
    return guarded([] {
        Oid me = GetUserId();
        if (superuser_arg(me))
            return false;
        Oid service = get_role_oid("service_role", true);
        if (OidIsValid(service) && has_privs_of_role(me, service))
            return false;
        Oid anon = get_role_oid("anon", true);
        Oid authenticated = get_role_oid("authenticated", true);
        return (OidIsValid(anon) && has_privs_of_role(me, anon)) ||
               (OidIsValid(authenticated) && has_privs_of_role(me, authenticated));
    });
}

}  // namespace residency::pg
