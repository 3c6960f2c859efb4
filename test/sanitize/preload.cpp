// Preloaded beside the ASan runtime into the sanitizer run's server by
// scripts/sanitize.sh, never linked into anything else (docs/sanitizers.md).
// Two definitions the sanitizer runtimes look up, each for a problem of a
// server that was not itself built with the sanitizers.
#include <cstddef>
#include <cstdint>

// The server starts at all. The ASan runtime, preloaded, starts on the first
// malloc. On Debian 12 that malloc happens inside libgpg-error's constructor
// (loaded through libsystemd and libgcrypt), in bindtextdomain(), which holds
// glibc's gettext lock. Among its first steps the runtime looks up the
// optional symbol swift_demangle and clears the failure with dlerror(),
// which translates its message and so takes the same lock again: glibc
// refuses the nested read lock, the unlock that follows corrupts the lock,
// and the next gettext call (postgres' own bindtextdomain in main) waits
// forever. With this definition the lookup succeeds and nothing is
// translated. NULL means "not a Swift name": the runtime then demangles
// names as C++, as it would have.
extern "C" char* swift_demangle(const char* name, std::size_t length, char* out, std::size_t* out_length,
                                std::uint32_t flags)
{
    (void) name;
    (void) length;
    (void) out;
    (void) out_length;
    (void) flags;
    return nullptr;
}

// UBSan's options. Its runtime starts in a backend, at the first report,
// and reads UBSAN_OPTIONS from /proc/self/environ; by then the backend has
// written its process title ("postgres: user db ...") over the memory that
// file shows, so the variable is gone (ASan starts in the postmaster, before
// that, and keeps ASAN_OPTIONS). The runtime asks this function instead.
// Its reports go to stderr, the server log, where scripts/sanitize.sh looks.
extern "C" const char* __ubsan_default_options()
{
    return "print_stacktrace=1";
}
