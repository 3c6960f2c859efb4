// Who is writing: rule U3 treats the client roles of PostgREST/Supabase
// (anon, authenticated) differently from service_role and table owners.
#pragma once

namespace residency::pg {

// True when the current user is anon or authenticated, or inherits their
// privileges without being a superuser or having service_role's. Inside a
// SECURITY DEFINER function the current user is the function's owner.
bool current_user_is_client();

}  // namespace residency::pg
