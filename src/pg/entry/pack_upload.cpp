// residency.check_pack_text(pack text, raise_errors boolean) -> jsonb
//
// The checks of an uploaded content pack on its exact text, before it
// becomes jsonb (which would silently keep the last of duplicate keys and
// refuse \u0000): size and depth limits (PT413), JSON syntax (22P02),
// duplicate keys, NUL characters and rule P1 (22023), each problem with its
// JSON path. Returns {"valid", "errors": [{"path", "message"}], "questions",
// "categories", "version", "title", "checksum", "file_size"}; checksum and
// file_size are over the exact bytes (rule P3). With raise_errors it raises
// the first failing check's error instead of reporting it; without, it never
// raises for a bad pack (residency_api.validate_content_pack's dry run).
#include "../../core/content_pack.hpp"
#include "../../core/error.hpp"
#include "../../core/json_writer.hpp"
#include "../../core/sha256.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/module.hpp"

using namespace residency;
using namespace residency::pg;

RESIDENCY_FUNCTION(residency_check_pack_text)
{
    if (PG_ARGISNULL(0))
        throw Error(sqlstate::invalid_parameter_value, "pack is required", "The pack argument is NULL.",
                    "Send the content pack as JSON text.");
    std::string_view text = text_view(PG_GETARG_DATUM(0));
    bool raise_errors = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
    Limits limits = current_limits();

    PackValidation v;
    std::string fatal_sqlstate;
    try {
        v = check_content_pack_text(text, limits);
    } catch (const Error& e) {
        // limits and syntax: nothing further can be checked
        if (raise_errors)
            throw;
        fatal_sqlstate = e.sqlstate();
        v.problems.push_back({"$", e.message() + (e.detail().empty() ? "" : ": " + e.detail())});
    }
    if (raise_errors && !v.ok())
        throw_pack_problems(v.problems);

    std::string out;
    JsonWriter w(out);
    w.begin_object().field("valid", v.ok());
    w.key("errors").begin_array();
    for (const JsonProblem& p : v.problems)
        w.begin_object().field("path", p.path).field("message", p.message).end_object();
    w.end_array();
    w.field("questions", static_cast<std::int64_t>(v.pack.questions.size()));
    w.key("categories").begin_array();
    for (const std::string& c : v.pack.categories)
        w.value(c);
    w.end_array();
    w.key("version");
    v.pack.version.empty() ? w.null() : w.value(v.pack.version);
    w.key("title");
    v.pack.title.empty() ? w.null() : w.value(v.pack.title);
    w.field("checksum", sha256_hex(text)).field("file_size", static_cast<std::int64_t>(text.size()));
    if (!fatal_sqlstate.empty())
        w.field("sqlstate", fatal_sqlstate);
    w.end_object();
    return jsonb_datum(out);
}
