// residency.evaluation_results: rules E1-E3.
//   BEFORE INSERT OR UPDATE OR DELETE  residency_evaluation_results_guard
//   AFTER INSERT                       residency_evaluation_results_complete  (session -> COMPLETED)
#include "../core/error.hpp"
#include "../core/evaluation.hpp"
#include "../core/transitions.hpp"
#include "boundary.hpp"
#include "datum.hpp"
#include "module.hpp"
#include "rule_writes.hpp"
#include "session_rows.hpp"
#include "spi.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

std::optional<Json> read_json(const Row& row, const char* column)
{
    std::optional<std::string> text = row.jsonb(column);
    if (!text)
        return std::nullopt;
    ParsedJson parsed = parse_json_strict(*text, current_limits(), column);
    return std::move(parsed.value);
}

// E2, E3
void check_row(const Row& row)
{
    std::optional<Json> categories = read_json(row, "categories");
    std::optional<Json> what_changed = read_json(row, "what_changed");
    std::optional<Json> details = read_json(row, "details");
    EvaluationRecord r;
    r.duration_s = row.numeric("duration_s");
    r.words = row.integer("words");
    r.wpm = row.numeric("wpm");
    r.overall_score = row.integer("overall_score");
    r.categories = categories ? &*categories : nullptr;
    r.what_changed = what_changed ? &*what_changed : nullptr;
    r.details = details ? &*details : nullptr;
    if (auto s = row.text("practice_rule"))
        r.practice_rule = std::string(*s);
    if (auto s = row.text("model_used"))
        r.model_used = std::string(*s);
    r.processing_time_ms = row.integer("processing_time_ms");
    check_evaluation(r);
}

Statement lock_session(
    "SELECT s.status, r.session_id = s.id "
    "FROM residency.drill_sessions AS s "
    "LEFT JOIN residency.drill_responses AS r ON r.id = $2 "
    "WHERE s.id = $1 FOR UPDATE OF s",
    {UUIDOID, UUIDOID});
Statement mark_completed("UPDATE residency.drill_sessions SET status = 'COMPLETED' WHERE id = $1", {UUIDOID});

// E1
void check_session(const TriggerCall& ev, const Row& row)
{
    bool session_null = true, response_null = true;
    Datum session = row.datum("session_id", session_null);
    Datum response = row.datum("response_id", response_null);
    if (session_null || response_null)
        return;  // NOT NULL answers

    SpiConnection spi(ev.owner());
    std::uint64_t found = spi.execute(lock_session, {{session}, {response}}, false, 1);
    std::optional<std::string> status = found ? spi.text(0, 1) : std::nullopt;
    bool response_matches = found && spi.boolean(0, 2);
    spi.finish();

    if (!status)
        throw Error(sqlstate::check_violation, "drill session does not exist",
                    "There is no drill session " + uuid_text(session) + ".", "Evaluate an existing session.");
    if (*status != "PROCESSING")
        throw Error(sqlstate::check_violation, "drill session is not being evaluated",
                    "Session " + uuid_text(session) + " is " + *status +
                        "; an evaluation can only be stored for a PROCESSING session.",
                    "Move the session to PROCESSING first (claim it), then store its evaluation once.");
    if (!response_matches)
        throw Error(sqlstate::check_violation, "response does not belong to the session",
                    "Response " + uuid_text(response) + " is not the response of session " + uuid_text(session) +
                        ".",
                    "Use the id of the session's own row in residency.drill_responses.");
}

}  // namespace

RESIDENCY_FUNCTION(residency_evaluation_results_guard)
{
    TriggerCall ev(fcinfo, "residency_evaluation_results_guard");
    if (ev.is_delete())
        return delete_with_session_only(ev, "an evaluation result");
    Row row = ev.new_row();
    if (ev.is_update()) {
        for (const char* column : {"session_id", "response_id"})
            if (ev.changed(column))
                throw Error(sqlstate::check_violation, std::string(column) + " of an evaluation cannot change",
                            "An evaluation stays with the session and response it evaluated.",
                            "Update the figures only, or evaluate the other session separately.");
        check_row(row);
        return ev.unchanged();
    }
    check_row(row);
    check_session(ev, row);
    return ev.unchanged();
}

RESIDENCY_FUNCTION(residency_evaluation_results_complete)
{
    TriggerCall ev(fcinfo, "residency_evaluation_results_complete");
    bool isnull = true;
    Datum session = ev.new_row().datum("session_id", isnull);
    if (isnull)
        return ev.unchanged();
    SessionTransition transition(*DatumGetUUIDP(session), SessionStatus::completed);
    SpiConnection spi(ev.owner());
    spi.execute(mark_completed, {{session}}, false);
    spi.finish();
    return ev.unchanged();
}
