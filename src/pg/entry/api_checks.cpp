// Checks the API's PL/pgSQL functions call, so that each rule is written
// once, in the core:
//   residency.is_blank(text) -> boolean
//       the core's is_blank() (src/core/text.hpp): Unicode white space only
//   residency.check_evaluation_result(result jsonb) -> void
//       the shape of a worker's result (record_evaluation): 22023 listing
//       every key that is missing or of the wrong JSON type, with its path
//   residency.check_drills_allowed(level text, user_id uuid) -> void
//       rule S1's entitlement check (src/core/transitions.hpp): 42501 for
//       LOCKED, PT402 through the API; require_user calls it
//   residency.is_entitlement_level(text) -> boolean
//       the entitlement levels, as rule U2 knows them: the CHECK constraints
//       of every entitlement_level column and set_entitlement use it
//   residency.entitlement_rank(text) -> integer
//       the levels' order, LOCKED 0 < BASIC 1 < PRO 2: the payments code
//       picks the best of a user's subscriptions with it
//   residency.entitlement_ttl_s() -> integer
//       rule C1's TTL: the cache's CHECK constraint and my_entitlement use it
//   residency.require_active_pack() -> uuid
//       the ACTIVE content pack, or rule S1's "no content pack is active"
//       (PT404 through the API): score_answer previews against it
//   residency.criterion_text(text) -> text
//       an evaluation criterion without its "[kw: ...]" list, as the scorer
//       reads it (src/core/scorer.hpp): the questions view shows it
#include "../../core/content_pack.hpp"
#include "../../core/error.hpp"
#include "../../core/evaluation_check.hpp"
#include "../../core/scorer.hpp"
#include "../../core/text.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/jsonb_view.hpp"
#include "../adapters/lookup.hpp"
#include "../adapters/module.hpp"
#include "../rules/entitlement_cache.hpp"

using namespace residency;
using namespace residency::pg;

RESIDENCY_FUNCTION(residency_is_blank)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    return BoolGetDatum(is_blank(text_view(PG_GETARG_DATUM(0))));
}

RESIDENCY_FUNCTION(residency_check_evaluation_result)
{
    if (PG_ARGISNULL(0))
        throw Error(sqlstate::invalid_parameter_value, "result is required", "result was null.",
                    "Send the evaluation: the keys of residency.score()'s result.");
    Datum result = PG_GETARG_DATUM(0);
    int max_depth = current_limits().max_json_depth;
    if (jsonb_depth(result, max_depth) > max_depth)
        throw_too_deep("result", max_depth);
    std::vector<JsonProblem> problems;
    check_result_shape(JsonbView::document(result), problems);
    if (!problems.empty())
        throw Error(sqlstate::invalid_parameter_value, "evaluation result is malformed", format_problems(problems),
                    "Send the keys of residency.score()'s result, numbers as JSON numbers (words, overall_score "
                    "and processing_time_ms as integers), texts as strings.");
    PG_RETURN_VOID();
}

RESIDENCY_FUNCTION(residency_check_drills_allowed)
{
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
        throw Error(sqlstate::invalid_parameter_value, "level and user_id are required");
    check_drills_allowed(require_entitlement(text_view(PG_GETARG_DATUM(0)), "entitlement_level"),
                         uuid_text(PG_GETARG_DATUM(1)));
    PG_RETURN_VOID();
}

RESIDENCY_FUNCTION(residency_is_entitlement_level)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    return BoolGetDatum(parse_entitlement(text_view(PG_GETARG_DATUM(0))).has_value());
}

RESIDENCY_FUNCTION(residency_entitlement_rank)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    std::optional<Entitlement> level = parse_entitlement(text_view(PG_GETARG_DATUM(0)));
    if (!level)
        PG_RETURN_NULL();
    return Int32GetDatum(static_cast<std::int32_t>(*level));
}

RESIDENCY_FUNCTION(residency_entitlement_ttl_s)
{
    return Int32GetDatum(static_cast<std::int32_t>(entitlement_ttl_s));
}

RESIDENCY_FUNCTION(residency_criterion_text)
{
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    return text_datum(criterion_text(text_view(PG_GETARG_DATUM(0))));
}

RESIDENCY_FUNCTION(residency_require_active_pack)
{
    LookupResult pack = lookup_row("content_packs", "content_packs_one_active", {BoolGetDatum(true)}, {"id"});
    if (!pack.found)
        throw no_active_pack();
    return pack.values[0];
}
