// Checks the API's PL/pgSQL functions call, so that each rule is written
// once, in the core:
//   residency.is_blank(text) -> boolean
//       the core's is_blank() (src/core/text.hpp): Unicode white space only
//   residency.check_evaluation_result(result jsonb) -> void
//       the shape of a worker's result (record_evaluation): 22023 listing
//       every key that is missing or of the wrong JSON type, with its path
#include "../../core/error.hpp"
#include "../../core/evaluation_check.hpp"
#include "../../core/text.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/jsonb_view.hpp"
#include "../adapters/module.hpp"

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
