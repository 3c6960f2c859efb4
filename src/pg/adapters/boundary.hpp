// The error boundary between C++ and Postgres, in both directions.
//
// Postgres -> C++: guarded() runs a Postgres call under its own PG_TRY. If
// the call raises an ERROR, the ErrorData is copied, the error state is
// flushed and a PgError is thrown, so C++ frames unwind normally and their
// destructors run. The callable given to guarded() must hold no C++ object
// with a destructor: a longjmp out of it would skip that destructor.
//
// C++ -> Postgres: every function Postgres calls is declared with
// RESIDENCY_FUNCTION, whose body runs inside boundary(). boundary() catches
// every exception in a frame of its own and only after that frame is gone
// raises the Postgres error: a residency::Error keeps its SQLSTATE, message,
// DETAIL and HINT; a PgError is re-thrown unchanged (ReThrowError).
//
// A PgError must never be swallowed: after a Postgres error the transaction
// can only be aborted, so the error always travels on to the boundary.
#pragma once

#include "../../core/error.hpp"

#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "postgres.hpp"

namespace residency::pg {

class PgError : public std::exception {
public:
    explicit PgError(ErrorData* edata) noexcept : edata_(edata) {}
    PgError(PgError&& other) noexcept : edata_(std::exchange(other.edata_, nullptr)) {}
    PgError(const PgError&) = delete;
    PgError& operator=(const PgError&) = delete;

    const char* what() const noexcept override;
    // Hands the ErrorData over to whoever re-raises it.
    ErrorData* release() noexcept { return std::exchange(edata_, nullptr); }

private:
    ErrorData* edata_;  // palloc'd: freed with its memory context, never by us
};

namespace detail {

// Filled by run_caught() when the body failed. Plain data only: it crosses
// into the frame that calls ereport().
struct Failure {
    ErrorData* pg_error;  // a PgError's ErrorData, re-thrown as is
    char sqlstate[6];
    const char* message;
    const char* detail;  // NULL when absent
    const char* hint;
};

[[noreturn]] void raise(const Failure& failure);
void record(Failure& failure, const Error& e) noexcept;
void record(Failure& failure, const char* sqlstate, const char* message) noexcept;
[[noreturn]] void rethrow_pg_error(MemoryContext context);

template <typename Body>
bool run_caught(Body& body, Datum& result, Failure& failure) noexcept
{
    try {
        result = body();
        return true;
    } catch (PgError& e) {
        failure.pg_error = e.release();
    } catch (const Error& e) {
        record(failure, e);
    } catch (const std::bad_alloc&) {
        record(failure, "53200", "out of memory");
    } catch (const std::exception& e) {
        record(failure, "XX000", e.what());
    } catch (...) {
        record(failure, "XX000", "unexpected C++ exception");
    }
    return false;
}

}  // namespace detail

// Runs `body` (returning Datum) and turns any C++ exception into the
// Postgres error it stands for. Nothing in this frame has a destructor.
template <typename Body>
Datum boundary(Body&& body)
{
    Datum result = 0;
    detail::Failure failure{};
    if (!detail::run_caught(body, result, failure))
        detail::raise(failure);
    return result;
}

// Runs a Postgres call from C++; an ERROR it raises comes back as PgError.
template <typename Call>
auto guarded(Call&& call) -> decltype(call())
{
    using R = decltype(call());
    MemoryContext context = CurrentMemoryContext;
    bool failed = false;
    if constexpr (std::is_void_v<R>) {
        PG_TRY();
        {
            call();
        }
        PG_CATCH();
        {
            failed = true;
        }
        PG_END_TRY();
        if (failed)
            detail::rethrow_pg_error(context);
    } else {
        static_assert(std::is_trivially_copyable_v<R>, "guarded() returns plain values only");
        R result{};
        PG_TRY();
        {
            result = call();
        }
        PG_CATCH();
        {
            failed = true;
        }
        PG_END_TRY();
        if (failed)
            detail::rethrow_pg_error(context);
        return result;
    }
}

}  // namespace residency::pg

// Declares a function Postgres can call (V1 calling convention) whose body
// is C++ running inside the boundary:
//   RESIDENCY_FUNCTION(residency_users_guard) { ... return PointerGetDatum(...); }
#define RESIDENCY_FUNCTION(name)                                                                                       \
    extern "C" {                                                                                                       \
    PG_FUNCTION_INFO_V1(name);                                                                                         \
    }                                                                                                                  \
    static Datum name##_body(FunctionCallInfo fcinfo);                                                                 \
    extern "C" Datum name(PG_FUNCTION_ARGS)                                                                            \
    {                                                                                                                  \
        return residency::pg::boundary([fcinfo]() -> Datum { return name##_body(fcinfo); });                           \
    }                                                                                                                  \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
