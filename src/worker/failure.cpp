#include "failure.hpp"

namespace residency::worker {

std::string_view to_string(FailureCode code) noexcept
{
    switch (code) {
    case FailureCode::unreachable:
        return "unreachable";
    case FailureCode::too_large:
        return "too_large";
    case FailureCode::undecodable:
        return "undecodable";
    case FailureCode::too_long:
        return "too_long";
    case FailureCode::silence:
        return "silence";
    case FailureCode::empty_transcript:
        return "empty_transcript";
    case FailureCode::recognizer:
        return "recognizer";
    case FailureCode::rejected:
        return "rejected";
    case FailureCode::internal:
        return "internal";
    }
    return "internal";
}

}  // namespace residency::worker
