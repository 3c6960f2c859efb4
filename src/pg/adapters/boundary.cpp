#include "boundary.hpp"

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

}  // namespace

void record(Failure& f, const Error& e) noexcept
{
    set_sqlstate(f, e.sqlstate().c_str());
    f.message = copy_text(e.message(), "residency error (message lost: out of memory)");
    f.detail = copy_text(e.detail(), nullptr);
    f.hint = copy_text(e.hint(), nullptr);
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
