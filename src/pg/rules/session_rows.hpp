// Rows that hang off a drill session (its response, its evaluation) may be
// deleted only together with the session: the session's status says they
// exist. ON DELETE CASCADE runs after the session row is gone, so a row
// whose session no longer exists may go.
#pragma once

#include "trigger_row.hpp"

namespace residency::pg {

// For a BEFORE DELETE trigger: the unchanged result when the session is
// gone, else Error 23514. `what` names the row ("a drill response").
Datum delete_with_session_only(const TriggerCall& ev, const char* what);

}  // namespace residency::pg
