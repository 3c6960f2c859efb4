#include "api_errors.hpp"

namespace residency {

std::optional<ApiAnswer> api_answer(Refusal refusal)
{
    switch (refusal) {
    case Refusal::drills_locked:
        return ApiAnswer{sqlstate::payment_required, "Subscribe to unlock drills."};
    case Refusal::no_active_pack:
        return ApiAnswer{sqlstate::not_found, "Ask an operator to activate a content pack."};
    case Refusal::question_not_in_pack:
        return ApiAnswer{sqlstate::not_found, "Pick a question from residency_api.questions."};
    case Refusal::session_state:
        return ApiAnswer{sqlstate::conflict, {}};
    case Refusal::nothing_to_evaluate:
    case Refusal::not_in_enumeration:
        return ApiAnswer{sqlstate::invalid_parameter_value, {}};
    case Refusal::entitlement_transition:
        return ApiAnswer{sqlstate::conflict, "Upgrade one step at a time; cancellation goes to LOCKED."};
    case Refusal::evaluation_result:
        return ApiAnswer{sqlstate::invalid_parameter_value,
                         "Send the 7 categories and figures that agree with each other (docs/rules.md, E2 and E3)."};
    case Refusal::none:
        break;
    }
    return std::nullopt;
}

}  // namespace residency
