// libFuzzer target: the content-pack validator (rule P1, with its rubric)
// on arbitrary bytes. It either refuses the text with the documented
// SQLSTATEs or reports problems with JSON paths; a pack it accepts gives a
// rubric the scorer can use, and questions it can compile (P1 bounds their
// cost: no PT413 from a pack it accepted). Each input is also checked with
// an interrupt callback that throws at one of its polls (interrupt.hpp), as
// the Postgres layer's does on a cancel: the exception comes out and
// nothing leaks (ASan).
#include "content_pack.hpp"
#include "error.hpp"
#include "interrupt.hpp"
#include "rubric.hpp"
#include "scorer.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

struct Cancelled {};
long polls_left = 0;  // the callback throws when this reaches 0
void cancel_check()
{
    if (--polls_left == 0)
        throw Cancelled{};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    residency::Limits limits;
    limits.max_pack_bytes = 1 << 20;
    try {
        residency::PackValidation v = residency::check_content_pack_text(text, limits);
        for (const residency::JsonProblem& p : v.problems)
            if (p.path.empty() || p.path[0] != '$' || p.message.empty())
                std::abort();
        if (v.ok()) {
            residency::Scorer scorer(residency::rubric_with_overrides(v.pack.rubric));
            for (const residency::Question& q : v.pack.questions) {
                residency::QuestionSpec spec{q.id, q.category, q.expected_duration_s, q.evaluation_criteria, q.kind};
                try {
                    scorer.score(spec, "During my rotation I asked the nurse and I paged the senior resident.", 30,
                                 nullptr, limits);
                } catch (const residency::Error& e) {
                    if (e.message() == "question too costly to score")
                        std::abort();  // P1 accepted what the scorer refuses
                    throw;
                }
                break;
            }
        }
    } catch (const residency::Error& e) {
        std::string_view code = e.sqlstate();
        if (code != "22023" && code != "22P02" && code != "PT413")
            std::abort();
    }
    // cancelled at a poll chosen by the input
    polls_left = 1 + static_cast<long>(size % 17);
    residency::set_interrupt_check(&cancel_check);
    try {
        residency::check_content_pack_text(text, limits);
    } catch (const Cancelled&) {
    } catch (const residency::Error&) {
    }
    residency::set_interrupt_check(nullptr);
    return 0;
}
