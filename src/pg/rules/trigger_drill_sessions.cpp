// residency.drill_sessions: rules S1 (BEFORE INSERT) and S2-S3 (BEFORE UPDATE).
#include "../../core/content_pack.hpp"
#include "../../core/error.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/clock.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/lookup.hpp"
#include "rule_writes.hpp"
#include "../adapters/spi.hpp"
#include "trigger_row.hpp"

#include <cmath>
#include <cstring>

using namespace residency;
using namespace residency::pg;

namespace {

// Columns the status transitions own (S3).
constexpr const char* transition_columns[] = {"submitted_at", "processing_started_at", "completed_at",
                                              "processing_time_ms"};
// Columns fixed when the session starts (S3).
constexpr const char* immutable_columns[] = {"user_id", "question_id", "content_pack_id", "content_pack_version",
                                             "started_at"};

Datum insert_session(const TriggerCall& ev)
{
    Row row = ev.new_row();
    std::optional<std::string_view> status = row.text("status");
    if (status && require_session_status(*status) != SessionStatus::started)
        throw Error(sqlstate::check_violation, "a new drill session must be STARTED",
                    "The new session has status " + std::string(*status) + ".",
                    "Insert it as STARTED; the status moves on as the drill proceeds.");
    for (const char* column : transition_columns)
        if (!row.is_null(column))
            throw Error(sqlstate::check_violation, std::string(column) + " is set by the status transitions",
                        "A new session has no " + std::string(column) + ".", "Leave it NULL.");

    bool user_null = true, question_null = true;
    Datum user_id = row.datum("user_id", user_null);
    Datum question_id = row.datum("question_id", question_null);
    if (user_null || question_null)
        return ev.unchanged();  // NOT NULL answers
    std::string question(text_view(question_id));

    // S1 reads three rows by key: the user's level, the active pack (the
    // partial unique index holds only it), and the question in that pack.
    LookupResult user = lookup_row("users", "users_pkey", {user_id}, {"entitlement_level"});
    LookupResult pack =
        lookup_row("content_packs", "content_packs_one_active", {BoolGetDatum(true)}, {"id", "version"});
    LookupResult in_pack;
    if (pack.found)
        in_pack = lookup_row("content_pack_questions", "content_pack_questions_pkey", {pack.values[0], question_id},
                             {"ordinal"});
    std::optional<std::string> level;
    if (user.found)
        level = std::string(text_view(user.values[0]));
    bool has_pack = pack.found;
    std::optional<std::string> pack_version;
    if (has_pack)
        pack_version = std::string(text_view(pack.values[1]));
    bool has_question = in_pack.found;

    if (!level)
        throw Error(sqlstate::check_violation, "drill session user does not exist",
                    "There is no residency.users row with id " + uuid_text(user_id) + ".",
                    "Create the user first (with Supabase, sign-up creates it).");
    check_drills_allowed(require_entitlement(*level, "entitlement_level"), uuid_text(user_id));
    if (!has_pack)
        throw no_active_pack();
    if (!has_question)
        throw question_not_found(
            sqlstate::check_violation,
            "The ACTIVE content pack " + uuid_text(pack.values[0]) + " (version " + *pack_version + ")", question);

    RowEdit edit;
    Datum pack_datum = pack.values[0];
    bool given_null = true;
    Datum given = row.datum("content_pack_id", given_null);
    if (!given_null && std::memcmp(DatumGetUUIDP(given)->data, DatumGetUUIDP(pack_datum)->data, UUID_LEN) != 0)
        throw Error(sqlstate::check_violation, "content_pack_id is not the active pack",
                    "content_pack_id is " + uuid_text(given) + " but the ACTIVE pack is " + uuid_text(pack_datum) + ".",
                    "Leave content_pack_id and content_pack_version NULL; they are taken from the active pack.");
    if (std::optional<std::string_view> given = row.text("content_pack_version"); given && *given != *pack_version)
        throw Error(sqlstate::check_violation, "content_pack_version is not the active pack's version",
                    "content_pack_version is \"" + std::string(given->substr(0, 80)) +
                        "\" but the ACTIVE pack has version " + *pack_version + ".",
                    "Leave content_pack_id and content_pack_version NULL; they are taken from the active pack.");
    edit.set(row, "content_pack_id", pack_datum);
    edit.set(row, "content_pack_version", text_datum(*pack_version));
    return ev.result(edit.apply(row));
}

Statement response_exists("SELECT EXISTS (SELECT 1 FROM residency.drill_responses AS r "
                          "WHERE r.session_id OPERATOR(pg_catalog.=) $1)",
                          {UUIDOID});
Statement evaluation_exists("SELECT EXISTS (SELECT 1 FROM residency.evaluation_results AS e "
                            "WHERE e.session_id OPERATOR(pg_catalog.=) $1)",
                            {UUIDOID});

bool row_exists(const TriggerCall& ev, Statement& statement, Datum session_id)
{
    SpiConnection spi(ev.owner());
    spi.execute(statement, {{session_id}}, true);
    bool exists = spi.boolean(0, 1);
    spi.finish();
    return exists;
}

// R1 and E1 move the session themselves right after inserting the response
// or the evaluation; when the session is not in the state they need, say so
// in their terms rather than as a bare transition error.
void check_rule_transition(const pg_uuid_t& uuid, Datum id, SessionStatus from, SessionStatus to)
{
    if (to == SessionStatus::submitted && from != SessionStatus::started && SessionTransition::is(uuid, to))
        throw Error(Refusal::session_state, sqlstate::check_violation, "drill session is not waiting for a response",
                    "Session " + uuid_text(id) + " is " + std::string(to_string(from)) +
                        "; a response can only be added to a STARTED session.",
                    "Each session takes one response; start a new session to answer again.");
    if (to == SessionStatus::completed && from != SessionStatus::processing && SessionTransition::is(uuid, to))
        throw Error(Refusal::session_state, sqlstate::check_violation, "drill session is not being evaluated",
                    "Session " + uuid_text(id) + " is " + std::string(to_string(from)) +
                        "; an evaluation can only be stored for a PROCESSING session.",
                    "Move the session to PROCESSING first (claim it), then store its evaluation once.");
}

Datum update_session(const TriggerCall& ev)
{
    Row row = ev.new_row();
    Row old = ev.old_row();

    for (const char* column : immutable_columns)
        if (ev.changed(column))
            throw Error(sqlstate::check_violation, std::string(column) + " of a drill session cannot change",
                        "A session keeps its user, question, pack and start time.", "Start a new session instead.");
    for (const char* column : transition_columns)
        if (ev.sets(column))
            throw Error(sqlstate::check_violation, std::string(column) + " is set by the status transitions",
                        "An UPDATE may not set " + std::string(column) + ".",
                        "Change status; the transition sets the time stamps.");

    std::optional<std::string_view> to_text = row.text("status");
    if (!to_text)
        return ev.unchanged();
    SessionStatus from = require_session_status(*old.text("status"));
    SessionStatus to = require_session_status(*to_text);
    if (from == to && !ev.sets("status"))
        return ev.unchanged();  // not a transition: metadata only
    bool isnull = true;
    Datum id = row.datum("id", isnull);
    const pg_uuid_t& uuid = *DatumGetUUIDP(id);
    check_rule_transition(uuid, id, from, to);
    check_session_transition(from, to);

    TimestampTz now = wall_clock();
    RowEdit edit;
    switch (to) {
    case SessionStatus::submitted:
        if (!SessionTransition::is(uuid, to) && !row_exists(ev, response_exists, id))
            throw Error(sqlstate::check_violation, "a submitted drill session needs a response",
                        "Session " + uuid_text(id) + " has no row in residency.drill_responses.",
                        "Insert the response; that moves the session to SUBMITTED.");
        edit.set(row, "submitted_at", TimestampTzGetDatum(now));
        break;
    case SessionStatus::processing:
        edit.set(row, "processing_started_at", TimestampTzGetDatum(now));
        break;
    case SessionStatus::completed:
        if (!SessionTransition::is(uuid, to) && !row_exists(ev, evaluation_exists, id))
            throw Error(sqlstate::check_violation, "a completed drill session needs an evaluation",
                        "Session " + uuid_text(id) + " has no row in residency.evaluation_results.",
                        "Insert the evaluation result; that moves the session to COMPLETED.");
        [[fallthrough]];
    case SessionStatus::failed: {
        edit.set(row, "completed_at", TimestampTzGetDatum(now));
        std::optional<TimestampTz> started = old.timestamptz("processing_started_at");
        double ms = started ? std::ceil(static_cast<double>(now - *started) / 1000.0) : 1.0;
        std::int32_t clamped = ms < 1 ? 1 : ms > 2147483647.0 ? 2147483647 : static_cast<std::int32_t>(ms);
        edit.set(row, "processing_time_ms", Int32GetDatum(clamped));
        break;
    }
    case SessionStatus::started:
        break;
    }
    return ev.result(edit.apply(row));
}

}  // namespace

RESIDENCY_FUNCTION(residency_drill_sessions_guard)
{
    TriggerCall ev(fcinfo, "residency_drill_sessions_guard");
    return ev.is_insert() ? insert_session(ev) : update_session(ev);
}
