// Module entry: PG_MODULE_MAGIC and the GUCs of DESIGN.md section 3.
#include "module.hpp"

#include "postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace {

int max_pack_bytes = 8 * 1024 * 1024;
int max_json_depth = 64;
int max_answer_chars = 20000;

}  // namespace

namespace residency::pg {

Limits current_limits()
{
    Limits l;
    l.max_pack_bytes = static_cast<std::size_t>(max_pack_bytes);
    l.max_json_depth = max_json_depth;
    l.max_answer_chars = static_cast<std::size_t>(max_answer_chars);
    return l;
}

}  // namespace residency::pg

// Runs when the library is loaded; no C++ object is alive here, and the
// Define* calls may raise ERROR as any Postgres code may.
void _PG_init(void)
{
    DefineCustomIntVariable("residency.max_pack_bytes", "Largest content pack accepted, in bytes of its JSON text.",
                            "Larger packs are refused with SQLSTATE PT413.", &max_pack_bytes, 8 * 1024 * 1024, 1024,
                            MaxAllocSize / 4, PGC_SUSET, GUC_UNIT_BYTE, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_json_depth", "Deepest nesting of arrays and objects accepted in JSON input.",
                            "Checked before any recursive processing; deeper input is refused with "
                            "SQLSTATE PT413.",
                            &max_json_depth, 64, 2, 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_answer_chars", "Longest answer text accepted, in characters.",
                            "Longer answers are refused with SQLSTATE PT413.", &max_answer_chars, 20000, 1,
                            10 * 1000 * 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("residency");
}
