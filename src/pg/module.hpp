// Module-wide state: the GUCs that hold the input limits.
#pragma once

#include "../core/limits.hpp"

namespace residency::pg {

// The limits in force for this backend (residency.max_* GUCs).
Limits current_limits();

}  // namespace residency::pg
