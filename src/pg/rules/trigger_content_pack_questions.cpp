// residency.content_pack_questions: rule P7's other half. The rows mirror
// their pack's content, so the only writes accepted are the rebuild the
// content_packs trigger makes and the cascade of a pack's deletion.
//
// The guard is statement-level: a 2,000-question rebuild fires it once, not
// 2,000 times.
//   BEFORE INSERT OR UPDATE (statement)           refused unless it is the rebuild
//   AFTER DELETE (statement, OLD TABLE AS gone)   refused while a deleted row's pack exists
#include "../../core/error.hpp"
#include "../adapters/boundary.hpp"
#include "rule_writes.hpp"
#include "../adapters/spi.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

// ON DELETE CASCADE from content_packs runs after the pack row is gone: a
// deletion is the cascade when none of the deleted rows' packs exists.
constexpr const char* packs_still_there =
    "SELECT 1 FROM gone JOIN residency.content_packs AS p ON p.id OPERATOR(pg_catalog.=) gone.content_pack_id "
    "LIMIT 1";

[[noreturn]] void refuse()
{
    throw Error(sqlstate::check_violation, "content pack questions mirror their pack",
                "Rows of residency.content_pack_questions are derived from content_packs.content and cannot be "
                "written directly.",
                "Change the pack's content while it is DRAFT; its questions are rebuilt from it.");
}

}  // namespace

RESIDENCY_FUNCTION(residency_content_pack_questions_guard)
{
    TriggerCall ev(fcinfo, "residency_content_pack_questions_guard", true);
    if (QuestionRebuild::active())
        return ev.unchanged();
    if (!ev.is_delete())
        refuse();
    if (ev.data()->tg_oldtable == nullptr)
        throw Error(sqlstate::internal_error, "residency_content_pack_questions_guard needs OLD TABLE AS gone");
    SpiConnection spi(ev.owner());
    spi.register_transition_tables(ev.data());
    // not read-only: a fresh snapshot, which sees the cascade's own
    // deletion of the packs (the trigger's statement snapshot does not)
    std::uint64_t found = spi.execute_once(packs_still_there, false);
    spi.finish();
    if (found > 0)
        refuse();
    return ev.unchanged();
}
