// Diagnostics for the error boundary, in the test-only module residency_test
// (never installed in production; see this directory's Makefile). The
// regression suite (sql/boundary.sql) uses them to show that a core error
// reaches the client with its SQLSTATE, message, DETAIL and HINT; that a
// Postgres error raised under guarded() comes back unchanged; and that C++
// destructors run on the normal path and on both error paths. One more,
// sanitizer_probe(), is for the sanitizer run alone (scripts/sanitize.sh).
//
// The boundary, SPI and Datum code below is residency's own, compiled from
// src/ into this module's objects; none of it is exported (exports.txt), so
// these copies and residency.so's never stand in for each other.
#include "core/error.hpp"
#include "pg/adapters/boundary.hpp"
#include "pg/adapters/datum.hpp"
#include "pg/adapters/spi.hpp"

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "pg/adapters/postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

using namespace residency;
using namespace residency::pg;

namespace {

int destructor_runs = 0;

struct Counted {
    Counted() = default;
    Counted(const Counted&) = delete;
    Counted& operator=(const Counted&) = delete;
    ~Counted() { ++destructor_runs; }
};

Statement divide_by_zero("SELECT 1 OPERATOR(pg_catalog./) 0", {});

}  // namespace

// residency_test.boundary(mode text) -> integer
RESIDENCY_FUNCTION(residency_test_boundary)
{
    std::string mode(text_view(PG_GETARG_DATUM(0)));
    Counted alive;  // destroyed however this body ends
    if (mode == "core_error")
        throw Error(sqlstate::conflict, "selftest core error", "Selftest detail: the DETAIL of a core error.",
                    "Selftest hint: the HINT of a core error.");
    if (mode == "postgres_error") {
        SpiConnection spi;
        spi.execute(divide_by_zero, {}, true);
        spi.finish();
    }
    if (mode == "postgres_ereport")
        guarded([] {
            ereport(ERROR,
                    (errcode(ERRCODE_DATA_EXCEPTION), errmsg("selftest postgres error"),
                     errdetail("Selftest detail of a Postgres error."), errhint("Selftest hint of a Postgres error.")));
        });
    if (mode == "std_exception")
        throw std::runtime_error("selftest standard exception");
    if (mode != "ok")
        throw Error(sqlstate::invalid_parameter_value, "unknown selftest mode",
                    "Modes: ok, core_error, postgres_error, postgres_ereport, std_exception.");
    return Int32GetDatum(destructor_runs);
}

// residency_test.destructor_runs() -> integer
RESIDENCY_FUNCTION(residency_test_destructor_runs)
{
    (void) fcinfo;
    return Int32GetDatum(destructor_runs);
}

// residency_test.sanitizer_probe(kind text) -> text
// Commits, on purpose, the error kind names, in a build with the sanitizers
// (scripts/sanitize.sh, docs/sanitizers.md), so that the sanitizer run shows
// that a report from inside a backend reaches its report files before it
// trusts "no report": "heap-buffer-overflow" reads one byte past a C++
// allocation (ASan: the backend aborts), "shift-exponent" shifts an int by
// 40 (UBSan: reported, the call goes on). Any other build refuses to.
RESIDENCY_FUNCTION(residency_test_sanitizer_probe)
{
    std::string kind(text_view(PG_GETARG_DATUM(0)));
#if defined(__SANITIZE_ADDRESS__)
    if (kind == "heap-buffer-overflow") {
        std::unique_ptr<char[]> bytes(new char[8]());
        volatile std::size_t past_the_end = 8;
        volatile char read = bytes[past_the_end];
        (void) read;
    } else if (kind == "shift-exponent") {
        volatile int exponent = 40;
        volatile int shifted = 1 << exponent;
        (void) shifted;
    } else {
        throw Error(sqlstate::invalid_parameter_value, "unknown sanitizer probe",
                    "Probes: heap-buffer-overflow, shift-exponent.");
    }
    return text_datum("survived " + kind);
#else
    throw Error(sqlstate::feature_not_supported, "residency_test was built without sanitizers",
                "The probe \"" + kind + "\" needs the build of scripts/sanitize.sh.");
#endif
}
