// residency.content_packs: rules P1-P7.
//   BEFORE INSERT OR UPDATE  residency_content_packs_guard   P1-P5
//   AFTER INSERT OR UPDATE   residency_content_packs_mirror  P7
//   BEFORE DELETE            residency_content_packs_delete  P6
#include "../../core/content_pack.hpp"
#include "../../core/content_pack_check.hpp"
#include "../../core/error.hpp"
#include "../../core/sha256.hpp"
#include "../../core/transitions.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/clock.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/jsonb_text_digest.hpp"
#include "../adapters/jsonb_view.hpp"
#include "../adapters/module.hpp"
#include "rule_writes.hpp"
#include "../adapters/spi.hpp"
#include "trigger_row.hpp"

using namespace residency;
using namespace residency::pg;

namespace {

// P1-P3 on the row's content. The document is validated in place, through
// a view of the jsonb; a NULL checksum or file_size is computed over
// content::text without printing it (jsonb_text_digest.hpp). The size limit
// applies to file_size, the size of what was uploaded.
void check_content(const TriggerCall& ev, const Row& row, RowEdit& edit)
{
    bool isnull = true;
    Datum content = row.datum("content", isnull);
    if (isnull)
        return;  // NOT NULL answers
    Limits limits = current_limits();

    // P3. On INSERT a NULL checksum/file_size is computed over content::text
    // (the API passes both, computed over the exact uploaded bytes). On an
    // UPDATE of a DRAFT's content they are recomputed unless the UPDATE sets
    // them itself.
    bool content_changed = ev.is_insert() || ev.changed("content");
    bool fill_checksum = ev.is_insert() ? row.is_null("checksum") : content_changed && !ev.sets("checksum");
    bool fill_size = ev.is_insert() ? row.is_null("file_size") : content_changed && !ev.sets("file_size");
    std::optional<std::int64_t> file_size = row.integer("file_size");
    int depth = 0;
    if (fill_checksum || fill_size) {
        JsonbTextDigest text = digest_jsonb_text(content);
        if (fill_size)
            file_size = text.bytes;
        check_pack_size(static_cast<std::size_t>(*file_size > 0 ? *file_size : 0), limits);
        depth = text.depth;
        if (fill_checksum)
            edit.set(row, "checksum", text_datum(text.sha256_hex));
        if (fill_size)
            edit.set(row, "file_size", Int32GetDatum(static_cast<std::int32_t>(text.bytes)));
    } else {
        if (file_size && *file_size > 0)
            check_pack_size(static_cast<std::size_t>(*file_size), limits);
        depth = jsonb_depth(content, limits.max_json_depth);
    }
    if (depth > limits.max_json_depth)
        throw_too_deep("content pack", limits.max_json_depth);

    std::vector<JsonProblem> problems;
    std::string content_version = check_content_pack(JsonbView::document(content), limits, problems, nullptr);
    std::optional<std::string_view> version = row.text("version");
    std::optional<std::string_view> schema_version = row.text("schema_version");
    if (version && schema_version && !content_version.empty()) {
        std::vector<JsonProblem> row_problems = pack_row_problems(*version, *schema_version, content_version);
        problems.insert(problems.end(), row_problems.begin(), row_problems.end());
    }
    if (!problems.empty())
        throw_pack_problems(problems);
}

void check_checksum_and_size(const Row& row)
{
    if (std::optional<std::string_view> sum = row.text("checksum"); sum && !is_sha256_hex(*sum))
        throw Error(sqlstate::invalid_parameter_value, "invalid content pack checksum",
                    "The checksum \"" + std::string(sum->substr(0, 80)) + "\" is not 64 lowercase hexadecimal digits.",
                    "Send the SHA-256 of the uploaded bytes in lowercase hex, or leave it NULL to have it "
                    "computed.");
    if (std::optional<std::int64_t> size = row.integer("file_size"); size && *size <= 0)
        throw Error(sqlstate::invalid_parameter_value, "invalid content pack file_size",
                    "file_size is " + std::to_string(*size) + "; it must be greater than 0.",
                    "Send the size of the uploaded file in bytes, or leave it NULL to have it computed.");
}

[[noreturn]] void throw_frozen(std::string_view column, PackStatus status)
{
    throw Error(sqlstate::check_violation, "content pack is not a draft",
                "Column " + std::string(column) + " cannot change while the pack is " + std::string(to_string(status)) +
                    ".",
                "Upload the changed content as a new pack with a new version.");
}

Statement archive_active("UPDATE residency.content_packs AS p SET status = 'ARCHIVED' "
                         "WHERE p.status OPERATOR(pg_catalog.=) 'ACTIVE' AND p.id OPERATOR(pg_catalog.<>) $1",
                         {UUIDOID});

Statement other_active("SELECT p.id FROM residency.content_packs AS p "
                       "WHERE p.status OPERATOR(pg_catalog.=) 'ACTIVE' AND p.id OPERATOR(pg_catalog.<>) $1",
                       {UUIDOID});

// P5: make room for the pack being activated. One activation at a time
// (a transaction-scoped advisory lock keyed on the table), so that at READ
// COMMITTED a second activation waits and then archives the first one's
// pack. Under REPEATABLE READ and SERIALIZABLE the waiting transaction's
// snapshot cannot see that pack; it gets a serialization failure instead
// of a unique violation. The partial unique index stays the final guard.
void make_room_for_activation(const TriggerCall& ev, Datum pack_id)
{
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(ev.relid()), 0, 2);
    guarded([&] { (void) LockAcquire(&tag, ExclusiveLock, false, false); });

    SpiConnection spi(ev.owner());
    if (IsolationUsesXactSnapshot()) {
        std::uint64_t latest = spi.execute_latest(other_active, {{pack_id}});
        std::uint64_t visible = spi.execute(other_active, {{pack_id}}, true);
        if (latest > visible)
            throw Error(sqlstate::serialization_failure,
                        "could not serialize access due to a concurrent content pack activation",
                        "Another transaction activated a content pack after this transaction's snapshot "
                        "was taken.",
                        "Retry the transaction.");
    }
    spi.execute(archive_active, {{pack_id}}, false);
    spi.finish();
}

}  // namespace

RESIDENCY_FUNCTION(residency_content_packs_guard)
{
    TriggerCall ev(fcinfo, "residency_content_packs_guard");
    Row row = ev.new_row();
    RowEdit edit;

    std::optional<std::string_view> status_text = row.text("status");
    if (!status_text)
        return ev.unchanged();
    PackStatus status = require_pack_status(*status_text);

    if (ev.is_insert()) {
        if (status != PackStatus::draft)
            throw Error(sqlstate::check_violation, "a new content pack must be a draft",
                        "The new pack has status " + std::string(*status_text) + ".",
                        "Insert it as DRAFT, then activate it with an UPDATE of status.");
        if (!row.is_null("activated_at"))
            throw Error(sqlstate::check_violation, "a new content pack has no activation time",
                        "activated_at is set by activation.", "Leave activated_at NULL.");
        check_checksum_and_size(row);
        check_content(ev, row, edit);
        return ev.result(edit.apply(row));
    }

    Row old = ev.old_row();
    PackStatus from = require_pack_status(*old.text("status"));
    check_pack_transition(from, status);

    if (ev.changed("uploaded_by"))
        throw Error(sqlstate::check_violation, "uploaded_by cannot change",
                    "A content pack keeps the user who uploaded it.", "Upload the pack again as the other user.");
    bool content_changed = ev.changed("content");
    for (const char* column : {"content", "version", "schema_version", "checksum", "file_size"})
        if (from != PackStatus::draft && ev.changed(column))
            throw_frozen(column, from);
    if (ev.sets("activated_at"))
        throw Error(sqlstate::check_violation, "activated_at is set by activation",
                    "An UPDATE may not set activated_at.", "Set status to ACTIVE instead.");

    check_checksum_and_size(row);
    if (content_changed || ev.changed("version") || ev.changed("schema_version"))
        check_content(ev, row, edit);

    if (status == PackStatus::active && from != PackStatus::active) {
        bool isnull = true;
        Datum id = row.datum("id", isnull);
        make_room_for_activation(ev, id);
        edit.set(row, "activated_at", TimestampTzGetDatum(transaction_now()));
    }
    edit.set(row, "updated_at", TimestampTzGetDatum(transaction_now()));
    return ev.result(edit.apply(row));
}

namespace {

Statement delete_questions("DELETE FROM residency.content_pack_questions AS q "
                           "WHERE q.content_pack_id OPERATOR(pg_catalog.=) $1",
                           {UUIDOID});

// P7: the question rows are the pack's $.questions, one row each, in order.
Statement insert_questions(
    "INSERT INTO residency.content_pack_questions "
    "  (content_pack_id, id, category, prompt, expected_duration_s, evaluation_criteria, kind, ordinal) "
    "SELECT $1, q OPERATOR(pg_catalog.->>) 'id'::pg_catalog.text, q OPERATOR(pg_catalog.->>) "
    "'category'::pg_catalog.text, q OPERATOR(pg_catalog.->>) 'prompt'::pg_catalog.text, "
    "  (q OPERATOR(pg_catalog.->>) 'expected_duration_s'::pg_catalog.text)::pg_catalog.numeric, "
    "  ARRAY(SELECT pg_catalog.jsonb_array_elements_text(q OPERATOR(pg_catalog.->) "
    "'evaluation_criteria'::pg_catalog.text)), "
    "  q OPERATOR(pg_catalog.->>) 'kind'::pg_catalog.text, n::pg_catalog.int4 "
    "FROM pg_catalog.jsonb_array_elements($2 OPERATOR(pg_catalog.->) 'questions'::pg_catalog.text) "
    "  WITH ORDINALITY AS t(q, n)",
    {UUIDOID, JSONBOID});

}  // namespace

RESIDENCY_FUNCTION(residency_content_packs_mirror)
{
    TriggerCall ev(fcinfo, "residency_content_packs_mirror");
    if (ev.is_update() && !ev.changed("content"))
        return ev.unchanged();
    Row row = ev.new_row();
    bool id_null = true, content_null = true;
    Datum id = row.datum("id", id_null);
    Datum content = row.datum("content", content_null);
    if (id_null || content_null)
        return ev.unchanged();

    QuestionRebuild rebuild;
    SpiConnection spi(ev.owner());
    if (ev.is_update())
        spi.execute(delete_questions, {{id}}, false);
    spi.execute(insert_questions, {{id}, {content}}, false);
    spi.finish();
    return ev.unchanged();
}

namespace {

Statement pack_in_use("SELECT EXISTS (SELECT 1 FROM residency.drill_sessions AS s "
                      "WHERE s.content_pack_id OPERATOR(pg_catalog.=) $1)",
                      {UUIDOID});

}  // namespace

RESIDENCY_FUNCTION(residency_content_packs_delete)
{
    TriggerCall ev(fcinfo, "residency_content_packs_delete");
    Row row = ev.old_row();
    PackStatus status = require_pack_status(*row.text("status"));
    if (status != PackStatus::draft)
        throw Error(sqlstate::check_violation, "only draft content packs can be deleted",
                    "The pack is " + std::string(to_string(status)) + ".",
                    "Archive it instead: UPDATE residency.content_packs SET status = 'ARCHIVED'.");
    bool isnull = true;
    Datum id = row.datum("id", isnull);
    SpiConnection spi(ev.owner());
    spi.execute(pack_in_use, {{id}}, true);
    bool used = spi.boolean(0, 1);
    spi.finish();
    if (used)
        throw Error(sqlstate::check_violation, "content pack is used by drill sessions",
                    "Sessions reference pack " + uuid_text(id) + ".", "Archive it instead of deleting it.");
    return ev.unchanged();
}

// BEFORE TRUNCATE on the tables whose rows may not simply vanish
// (content_packs, content_pack_questions, drill_responses, evaluation_results).
RESIDENCY_FUNCTION(residency_forbid_truncate)
{
    TriggerCall ev(fcinfo, "residency_forbid_truncate", true);
    (void) ev;
    throw Error(sqlstate::check_violation, "TRUNCATE would bypass the residency rules",
                "Rows of this table are deleted one by one so that the rules can check each deletion.",
                "Use DELETE, or delete the owning users or sessions.");
}
