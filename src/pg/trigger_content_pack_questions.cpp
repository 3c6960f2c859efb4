// residency.content_pack_questions: rule P7's other half. The rows mirror
// their pack's content, so the only writes accepted are the rebuild the
// content_packs trigger makes and the cascade of a pack's deletion.
#include "../core/error.hpp"
#include "boundary.hpp"
#include "rule_writes.hpp"
#include "spi.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

Statement pack_exists("SELECT EXISTS (SELECT 1 FROM residency.content_packs WHERE id = $1)", {UUIDOID});

}  // namespace

RESIDENCY_FUNCTION(residency_content_pack_questions_guard)
{
    TriggerCall ev(fcinfo, "residency_content_pack_questions_guard");
    if (QuestionRebuild::active())
        return ev.unchanged();
    if (ev.is_delete()) {
        // ON DELETE CASCADE from content_packs runs after the pack row is
        // gone: a question whose pack no longer exists may go with it.
        bool isnull = true;
        Datum pack = ev.old_row().datum("content_pack_id", isnull);
        SpiConnection spi(ev.owner());
        spi.execute(pack_exists, {{pack}}, true);
        bool exists = spi.boolean(0, 1);
        spi.finish();
        if (!exists)
            return ev.unchanged();
    }
    throw Error(sqlstate::check_violation, "content pack questions mirror their pack",
                "Rows of residency.content_pack_questions are derived from content_packs.content and "
                "cannot be written directly.",
                "Change the pack's content while it is DRAFT; its questions are rebuilt from it.");
}
