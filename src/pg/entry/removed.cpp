// Entry points of C functions that a released version declared and a later
// one removed. PostgreSQL resolves a C function's symbol when CREATE FUNCTION
// runs, so the frozen install script of an old version (CREATE EXTENSION
// residency VERSION '1.0') and the update scripts that start from it need
// every symbol it names to be in the current library. Each one here only
// raises feature_not_supported (0A000) with what to do instead; none is
// reachable from a database on the current version, whose update script
// dropped the SQL function (docs/operations.md, "Upgrading").
#include "../../core/error.hpp"
#include "../adapters/boundary.hpp"

#include <string>

namespace {

[[noreturn]] void removed(const char* function, const char* version, const char* hint)
{
    throw residency::Error(residency::sqlstate::feature_not_supported,
                           std::string(function) + " was removed in residency " + version, {}, hint);
}

constexpr const char* selftest_hint =
    "Run ALTER EXTENSION residency UPDATE; the self-tests are in the test-only module residency_test.";

}  // namespace

// residency._selftest_boundary(mode text) of 1.0; removed in 1.1.
RESIDENCY_FUNCTION(residency_selftest_boundary)
{
    removed("residency._selftest_boundary", "1.1", selftest_hint);
}

// residency._selftest_destructor_runs() of 1.0; removed in 1.1.
RESIDENCY_FUNCTION(residency_selftest_destructor_runs)
{
    removed("residency._selftest_destructor_runs", "1.1", selftest_hint);
}
