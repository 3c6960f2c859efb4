// Module-wide state: the GUCs that hold the input limits and the Stripe
// webhook's settings.
#pragma once

#include "../../core/limits.hpp"

#include <cstddef>
#include <cstdint>

namespace residency::pg {

// The limits in force for this backend (residency.max_* GUCs).
Limits current_limits();

// The Stripe webhook's settings (residency.stripe_* GUCs; docs/payments.md).
struct StripeSettings {
    std::int64_t tolerance_s;    // residency.stripe_tolerance
    bool livemode;               // residency.stripe_livemode
    int grace_period_s;          // residency.stripe_grace_period
    std::size_t max_body_bytes;  // residency.stripe_max_body_bytes
};
StripeSettings stripe_settings();

}  // namespace residency::pg
