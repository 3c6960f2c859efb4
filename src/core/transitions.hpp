// The three status machines of the data model: user entitlement (rule U2),
// content-pack status (P4) and drill-session status (S2). Each check throws
// Error 23514 naming the transition and listing the allowed ones.
#pragma once
#include "pure.hpp"

#include <optional>
#include <string_view>

namespace residency {

// In ascending order: residency.entitlement_rank() is the enumerator's value.
enum class Entitlement { locked, basic, pro };
enum class PackStatus { draft, active, archived };
enum class SessionStatus { started, submitted, processing, completed, failed };

std::optional<Entitlement> parse_entitlement(std::string_view text);
std::optional<PackStatus> parse_pack_status(std::string_view text);
std::optional<SessionStatus> parse_session_status(std::string_view text);

std::string_view to_string(Entitlement e);
std::string_view to_string(PackStatus s);
std::string_view to_string(SessionStatus s);

// U2: LOCKED->BASIC, BASIC->PRO, any->LOCKED; same->same is a no-op.
void check_entitlement_transition(Entitlement from, Entitlement to);

// P4: DRAFT->ACTIVE, ACTIVE->ARCHIVED, DRAFT->ARCHIVED, ARCHIVED->ACTIVE;
// same->same is a no-op.
void check_pack_transition(PackStatus from, PackStatus to);

// S2: STARTED->SUBMITTED->PROCESSING->COMPLETED, PROCESSING->FAILED. A
// session never "moves" to the status it has: the caller decides whether an
// unchanged status is a transition attempt (then this throws) or none.
void check_session_transition(SessionStatus from, SessionStatus to);

// S1: drills need BASIC or PRO. Throws 42501 for LOCKED (PT402 through the
// API); `user` names the user in the DETAIL.
void check_drills_allowed(Entitlement level, std::string_view user);

// Throws 23514 for a value outside the enumeration; `column` names it.
Entitlement require_entitlement(std::string_view text, std::string_view column);
PackStatus require_pack_status(std::string_view text);
SessionStatus require_session_status(std::string_view text);

}  // namespace residency
