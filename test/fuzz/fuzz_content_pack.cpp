// libFuzzer target: the content-pack validator (rule P1, with its rubric)
// on arbitrary bytes. It either refuses the text with the documented
// SQLSTATEs or reports problems with JSON paths; a pack it accepts gives a
// rubric the scorer can use.
#include "content_pack.hpp"
#include "error.hpp"
#include "rubric.hpp"
#include "scorer.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

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
                scorer.score(spec, "During my rotation I asked the nurse and I paged the senior resident.", 30, nullptr,
                             limits);
                break;
            }
        }
    } catch (const residency::Error& e) {
        std::string_view code = e.sqlstate();
        if (code != "22023" && code != "22P02" && code != "PT413")
            std::abort();
    }
    return 0;
}
