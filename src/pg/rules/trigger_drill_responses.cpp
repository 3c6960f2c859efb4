// residency.drill_responses: rules R1-R3, one BEFORE INSERT OR UPDATE OR
// DELETE trigger (residency_drill_responses_guard).
//
// Inserting a response moves its session to SUBMITTED in the same trigger:
// the UPDATE locks the session row, and the session's own trigger refuses
// the move unless the session is STARTED (see rule_writes.hpp). Both rows
// change in one statement, so either both are written or neither is.
#include "../../core/drill_response.hpp"
#include "../../core/error.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/module.hpp"
#include "rule_writes.hpp"
#include "session_rows.hpp"
#include "../adapters/spi.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

constexpr const char* answer_columns[] = {"session_id", "content", "audio_url", "audio_duration_s"};

DrillResponse read_response(const Row& row)
{
    DrillResponse r;
    r.content = row.text("content");
    r.audio_url = row.text("audio_url");
    r.audio_duration_s = row.numeric("audio_duration_s");
    return r;
}

// R3: word_count follows content; without content it may be NULL or >= 0.
void set_word_count(const Row& row, const DrillResponse& r, RowEdit& edit)
{
    if (std::optional<std::int64_t> words = response_word_count(r)) {
        edit.set(row, "word_count", Int32GetDatum(static_cast<std::int32_t>(*words)));
        return;
    }
    if (std::optional<std::int64_t> given = row.integer("word_count"); given && *given < 0)
        throw Error(sqlstate::check_violation, "word_count must not be negative",
                    "word_count is " + std::to_string(*given) + ".",
                    "Leave word_count NULL; it is computed from content when there is content.");
}

Statement mark_submitted("UPDATE residency.drill_sessions AS s SET status = 'SUBMITTED' "
                         "WHERE s.id OPERATOR(pg_catalog.=) $1",
                         {UUIDOID});

// R1: the session must exist and be STARTED; it moves to SUBMITTED.
void submit_session(const TriggerCall& ev, Datum session)
{
    SessionTransition transition(*DatumGetUUIDP(session), SessionStatus::submitted);
    SpiConnection spi(ev.owner());
    std::uint64_t moved = spi.execute(mark_submitted, {{session}}, false);
    spi.finish();
    if (moved != 1)
        throw Error(sqlstate::check_violation, "drill session does not exist",
                    "There is no drill session " + uuid_text(session) + ".", "Start a drill session first.");
}

Datum insert_response(const TriggerCall& ev)
{
    Row row = ev.new_row();
    DrillResponse r = read_response(row);
    check_drill_response(r, current_limits());
    RowEdit edit;
    set_word_count(row, r, edit);
    bool isnull = true;
    Datum session = row.datum("session_id", isnull);
    if (!isnull)  // else NOT NULL answers
        submit_session(ev, session);
    return ev.result(edit.apply(row));
}

Datum update_response(const TriggerCall& ev)
{
    for (const char* column : answer_columns)
        if (ev.changed(column))
            throw Error(sqlstate::check_violation, "a submitted response cannot change",
                        "Column " + std::string(column) + " of a drill response is fixed once it is submitted.",
                        "Start a new drill session to answer again.");
    Row row = ev.new_row();
    RowEdit edit;
    set_word_count(row, read_response(row), edit);
    return ev.result(edit.apply(row));
}

}  // namespace

RESIDENCY_FUNCTION(residency_drill_responses_guard)
{
    TriggerCall ev(fcinfo, "residency_drill_responses_guard");
    if (ev.is_insert())
        return insert_response(ev);
    if (ev.is_update())
        return update_response(ev);
    return delete_with_session_only(ev, "a drill response");
}
