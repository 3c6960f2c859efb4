// residency.evaluation_results: rules E1-E3, one BEFORE INSERT OR UPDATE OR
// DELETE trigger (residency_evaluation_results_guard).
//
// Inserting an evaluation moves its session to COMPLETED in the same
// trigger: the UPDATE locks the session row and moves it only when the
// response is the session's own, and the session's trigger refuses the move
// unless the session is PROCESSING (see rule_writes.hpp). The same UPDATE
// returns the session's user, which the trigger writes into the row's
// user_id: the column row level security filters on (docs/design-notes.md).
#include "../../core/error.hpp"
#include "../../core/evaluation.hpp"
#include "../../core/evaluation_check.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/jsonb_view.hpp"
#include "../adapters/module.hpp"
#include "../adapters/lookup.hpp"
#include "rule_writes.hpp"
#include "session_rows.hpp"
#include "../adapters/spi.hpp"
#include "trigger_row.hpp"

#include <cstring>

using namespace residency;
using namespace residency::pg;

namespace {

// The evaluated response: its session (E1) and its recording's length (E3
// holds duration_s to it), read once by key.
LookupResult evaluated_response(const Row& row)
{
    bool isnull = true;
    Datum response = row.datum("response_id", isnull);
    if (isnull)
        return {};  // NOT NULL answers
    return lookup_row("drill_responses", "drill_responses_pkey", {response}, {"session_id", "audio_duration_s"});
}

// E2, E3: the figures, and the JSON columns read in place.
void check_row(const Row& row, const LookupResult& response)
{
    EvaluationRecord r;
    r.duration_s = row.numeric("duration_s");
    if (response.found && !response.nulls[1])
        r.audio_duration_s = numeric_double(response.values[1]);
    r.words = row.integer("words");
    r.wpm = row.numeric("wpm");
    r.overall_score = row.integer("overall_score");
    if (auto s = row.text("practice_rule"))
        r.practice_rule = std::string(*s);
    if (auto s = row.text("model_used"))
        r.model_used = std::string(*s);
    r.processing_time_ms = row.integer("processing_time_ms");

    // residency.max_json_depth holds for every JSON column, measured
    // without recursion before anything else reads it
    int max_depth = current_limits().max_json_depth;
    auto document = [&](const char* column) -> std::optional<JsonbView> {
        bool isnull = true;
        Datum d = row.datum(column, isnull);
        if (isnull)
            return std::nullopt;
        if (jsonb_depth(d, max_depth) > max_depth)
            throw_too_deep(column, max_depth);
        return JsonbView::document(d);
    };
    std::vector<JsonProblem> problems;
    if (std::optional<JsonbView> v = document("categories"))
        check_categories(*v, "categories", problems);
    if (std::optional<JsonbView> v = document("what_changed"))
        check_what_changed(*v, problems);
    if (std::optional<JsonbView> v = document("details"))
        check_details(*v, problems);
    figures_problems(r, problems);
    if (!problems.empty())
        throw_evaluation_problems(problems);
}

Statement mark_completed("UPDATE residency.drill_sessions AS s SET status = 'COMPLETED' "
                         "WHERE s.id OPERATOR(pg_catalog.=) $1 RETURNING s.user_id, s.processing_time_ms",
                         {UUIDOID});

// E1: the response must be the session's own; the session must exist and be
// PROCESSING (its trigger checks that), and it moves to COMPLETED. The row's
// user_id is the session's user: set when left NULL, refused when it differs.
// A processing_time_ms left NULL is the session's, which rule S3 has just
// measured from PROCESSING to COMPLETED: the one place it is computed.
Datum complete_session(const TriggerCall& ev, const Row& row, const LookupResult& owner)
{
    bool session_null = true, response_null = true;
    Datum session = row.datum("session_id", session_null);
    Datum response = row.datum("response_id", response_null);
    if (session_null || response_null)
        return ev.unchanged();  // NOT NULL answers

    if (!owner.found || owner.nulls[0] ||
        std::memcmp(DatumGetUUIDP(owner.values[0])->data, DatumGetUUIDP(session)->data, UUID_LEN) != 0)
        throw Error(
            sqlstate::check_violation, "response does not belong to the session",
            "Response " + uuid_text(response) +
                (owner.found ? " is not the response of session " : " does not exist; it cannot answer session ") +
                uuid_text(session) + ".",
            "Use the id of the session's own row in residency.drill_responses.");

    SessionTransition transition(*DatumGetUUIDP(session), SessionStatus::completed);
    SpiConnection spi(ev.owner());
    std::uint64_t moved = spi.execute(mark_completed, {{session}}, false);
    pg_uuid_t session_user{};
    std::int32_t session_ms = 1;
    if (moved == 1) {  // the result lives in SPI's memory: copy it out before finish()
        session_user = *DatumGetUUIDP(spi.value(0, 1));
        if (!spi.is_null(0, 2))
            session_ms = DatumGetInt32(spi.value(0, 2));
    }
    spi.finish();
    if (moved != 1)
        throw Error(sqlstate::check_violation, "drill session does not exist",
                    "There is no drill session " + uuid_text(session) + ".", "Evaluate an existing session.");

    RowEdit edit;
    if (row.is_null("processing_time_ms"))
        edit.set(row, "processing_time_ms", Int32GetDatum(session_ms));
    bool given_null = true;
    Datum given = row.datum("user_id", given_null);
    if (!given_null) {
        if (std::memcmp(DatumGetUUIDP(given)->data, session_user.data, UUID_LEN) != 0)
            throw Error(sqlstate::check_violation, "user_id is not the session's user",
                        "user_id is " + uuid_text(given) + " but session " + uuid_text(session) + " belongs to user " +
                            uuid_text(UUIDPGetDatum(&session_user)) + ".",
                        "Leave user_id NULL; it is taken from the session.");
    } else {
        auto* user = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
        *user = session_user;
        edit.set(row, "user_id", UUIDPGetDatum(user));
    }
    return ev.result(edit.apply(row));
}

}  // namespace

RESIDENCY_FUNCTION(residency_evaluation_results_guard)
{
    TriggerCall ev(fcinfo, "residency_evaluation_results_guard");
    if (ev.is_delete())
        return delete_with_session_only(ev, "an evaluation result");
    Row row = ev.new_row();
    if (ev.is_update()) {
        for (const char* column : {"session_id", "response_id", "user_id"})
            if (ev.changed(column))
                throw Error(sqlstate::check_violation, std::string(column) + " of an evaluation cannot change",
                            "An evaluation stays with the session, response and user it evaluated.",
                            "Update the figures only, or evaluate the other session separately.");
        check_row(row, evaluated_response(row));
        return ev.unchanged();
    }
    LookupResult response = evaluated_response(row);
    check_row(row, response);
    return complete_session(ev, row, response);
}
