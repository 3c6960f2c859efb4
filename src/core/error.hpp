// The one error type of the core. It carries what a Postgres client needs to
// act on a failure: SQLSTATE, a short message, a DETAIL with the offending
// values and a HINT. The Postgres layer's boundary maps it to ereport; nothing
// else formats Postgres errors.
#pragma once
#include "pure.hpp"

#include <exception>
#include <string>
#include <string_view>

namespace residency {

// SQLSTATEs the rules and the API answer with (docs/rules.md; the HTTP status
// each becomes: docs/postgrest.md, "Errors").
namespace sqlstate {
inline constexpr std::string_view feature_not_supported = "0A000";
inline constexpr std::string_view invalid_parameter_value = "22023";
inline constexpr std::string_view invalid_text_representation = "22P02";
inline constexpr std::string_view check_violation = "23514";
inline constexpr std::string_view unique_violation = "23505";
inline constexpr std::string_view insufficient_privilege = "42501";
inline constexpr std::string_view serialization_failure = "40001";
inline constexpr std::string_view internal_error = "XX000";
// PostgREST maps PTxyz to HTTP status xyz.
inline constexpr std::string_view payment_required = "PT402";
inline constexpr std::string_view not_found = "PT404";
inline constexpr std::string_view conflict = "PT409";
inline constexpr std::string_view payload_too_large = "PT413";
}  // namespace sqlstate

// The refusals of a rule that the API answers with a SQLSTATE of its own
// (api_errors.hpp, docs/postgrest.md "Errors"). A direct table write gets the
// rule's SQLSTATE (docs/rules.md); a write the API makes for its caller gets
// the API's. Every other error is `none` and keeps its SQLSTATE everywhere.
enum class Refusal {
    none,
    drills_locked,           // S1: a LOCKED user starts a drill
    no_active_pack,          // S1: no content pack is ACTIVE
    question_not_in_pack,    // S1: the active pack has no such question
    session_state,           // S2: the session is not in the status the move needs
    nothing_to_evaluate,     // R1: neither content nor audio_url
    entitlement_transition,  // U2: the level cannot change that way
    not_in_enumeration,      // U2, P4, S2: a level or status that does not exist
    evaluation_result,       // E2, E3: the result's categories or figures
};

class Error : public std::exception {
public:
    Error(std::string_view sqlstate, std::string message, std::string detail = {}, std::string hint = {});
    Error(Refusal refusal, std::string_view sqlstate, std::string message, std::string detail = {},
          std::string hint = {});

    const char* what() const noexcept override { return message_.c_str(); }
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }
    Refusal refusal() const noexcept { return refusal_; }

private:
    Refusal refusal_ = Refusal::none;
    std::string sqlstate_;
    std::string message_;
    std::string detail_;
    std::string hint_;
};

}  // namespace residency
