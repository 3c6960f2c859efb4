#include "boundary.hpp"

#include "../../core/api_errors.hpp"

#include <cstring>

namespace residency::pg {

const char* PgError::what() const noexcept
{
    return edata_ && edata_->message ? edata_->message : "postgres error";
}

namespace detail {

namespace {

// Copies `s` into the current memory context without ever raising an
// error: this runs inside a catch block, where a longjmp must not happen.
const char* copy_text(const std::string& s, const char* fallback) noexcept
{
    if (s.empty())
        return fallback;
    void* p = MemoryContextAllocExtended(CurrentMemoryContext, s.size() + 1, MCXT_ALLOC_NO_OOM);
    if (p == nullptr)
        return fallback;
    std::memcpy(p, s.c_str(), s.size() + 1);
    return static_cast<const char*>(p);
}

void set_sqlstate(Failure& f, const char* code) noexcept
{
    std::memcpy(f.sqlstate, code, 5);
    f.sqlstate[5] = '\0';
}

// Whether the API's functions are on the stack: they set
// residency.api_errors (defined in module.cpp) for their duration. Read by
// name, on the error path only; GetConfigOption with missing_ok never raises.
bool api_errors_on() noexcept
{
    const char* value = GetConfigOption("residency.api_errors", true, false);
    return value != nullptr && std::strcmp(value, "on") == 0;
}

}  // namespace

// A rule's refusal of a write the API made for its caller is answered with
// the API's SQLSTATE (and HINT, where the API has one): the one place that
// maps them is api_answer().
void record(Failure& f, const Error& e) noexcept
{
    std::optional<ApiAnswer> api;
    if (e.refusal() != Refusal::none && api_errors_on())
        api = api_answer(e.refusal());
    set_sqlstate(f, api ? api->sqlstate.data() : e.sqlstate().c_str());
    f.message = copy_text(e.message(), "residency error (message lost: out of memory)");
    f.detail = copy_text(e.detail(), nullptr);
    f.hint = api && !api->hint.empty() ? api->hint.data() : copy_text(e.hint(), nullptr);
}

void record(Failure& f, const char* sqlstate, const char* message) noexcept
{
    set_sqlstate(f, sqlstate);
    std::string text;
    try {
        text = message;
    } catch (...) {
    }
    f.message = copy_text(text, "unexpected C++ exception");
    f.detail = nullptr;
    f.hint = nullptr;
}

void raise(const Failure& f)
{
    if (f.pg_error != nullptr)
        ReThrowError(f.pg_error);
    ereport(ERROR, (errcode(MAKE_SQLSTATE(f.sqlstate[0], f.sqlstate[1], f.sqlstate[2], f.sqlstate[3], f.sqlstate[4])),
                    errmsg_internal("%s", f.message), f.detail ? errdetail_internal("%s", f.detail) : 0,
                    f.hint ? errhint("%s", f.hint) : 0));
    pg_unreachable();
}

void rethrow_pg_error(MemoryContext context)
{
    // The error left us in ErrorContext: copy the ErrorData out of it into
    // the caller's context, then clear the error state.
    MemoryContextSwitchTo(context);
    ErrorData* edata = CopyErrorData();
    FlushErrorState();
    throw PgError(edata);
}

}  // namespace detail

}  // namespace residency::pg
