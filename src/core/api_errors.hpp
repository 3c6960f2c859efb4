// How the API answers a rule's refusal: the one table that maps the errors
// of the rules (docs/rules.md) to the errors of the API (docs/postgrest.md,
// "Errors"). A rule refuses a direct table write with its own SQLSTATE, 23514
// or 42501; when the API made the write for its caller, the client gets the
// API's SQLSTATE instead (PostgREST turns PTxyz into HTTP xyz), with the
// rule's message and DETAIL and, where the API knows better, its HINT.
//
// The API's functions turn the mapping on for their duration
// (SET residency.api_errors = on); the Postgres layer's error boundary
// applies it to the Error it raises.
#pragma once
#include "pure.hpp"

#include "error.hpp"

#include <optional>
#include <string_view>

namespace residency {

struct ApiAnswer {
    std::string_view sqlstate;
    std::string_view hint;  // empty: the rule's own hint stands
};

std::optional<ApiAnswer> api_answer(Refusal refusal);

}  // namespace residency
