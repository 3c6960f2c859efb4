#include "spi.hpp"

#include "../../core/error.hpp"
#include "boundary.hpp"
#include "datum.hpp"

#include <exception>

namespace residency::pg {

namespace {

// Runs an SPI call as `run_as` (when valid), restoring the user on every
// path. Called inside guarded(); holds no C++ object.
template <typename Call>
int as_user(Oid run_as, Call&& call)
{
    if (!OidIsValid(run_as))
        return call();
    Oid saved_user;
    int saved_context;
    volatile int result = 0;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(run_as, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
    PG_TRY();
    {
        result = call();
    }
    PG_FINALLY();
    {
        SetUserIdAndSecContext(saved_user, saved_context);
    }
    PG_END_TRY();
    return result;
}

}  // namespace

Statement::Statement(const char* sql, std::initializer_list<Oid> arg_types) : sql_(sql)
{
    for (Oid t : arg_types)
        if (nargs_ < max_args)
            types_[nargs_++] = t;
}

SPIPlanPtr Statement::plan()
{
    if (plan_ != nullptr)
        return plan_;
    const char* sql = sql_;
    int nargs = nargs_;
    Oid* argtypes = types_;
    SPIPlanPtr plan = guarded([&] {
        SPIPlanPtr p = SPI_prepare(sql, nargs, argtypes);
        if (p == nullptr)
            elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
        if (SPI_keepplan(p) != 0)
            elog(ERROR, "SPI_keepplan failed");
        return p;
    });
    plan_ = plan;
    return plan;
}

SpiConnection::SpiConnection(Oid run_as) : uncaught_at_start_(std::uncaught_exceptions()), run_as_(run_as)
{
    guarded([] {
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
    });
    connected_ = true;
}

SpiConnection::~SpiConnection()
{
    // Only on the normal path; see the header.
    if (connected_ && std::uncaught_exceptions() == uncaught_at_start_)
        SPI_finish();
}

void SpiConnection::finish()
{
    if (!connected_)
        return;
    connected_ = false;
    guarded([] { SPI_finish(); });
}

std::uint64_t SpiConnection::execute(Statement& statement, std::initializer_list<Arg> args, bool read_only,
                                     long max_rows)
{
    return run(statement, args, read_only, max_rows, false);
}

std::uint64_t SpiConnection::execute_latest(Statement& statement, std::initializer_list<Arg> args)
{
    return run(statement, args, true, 0, true);
}

std::uint64_t SpiConnection::run(Statement& statement, std::initializer_list<Arg> args, bool read_only, long max_rows,
                                 bool latest_snapshot)
{
    SPIPlanPtr plan = statement.plan();
    Datum values[Statement::max_args];
    char nulls[Statement::max_args];
    if (args.size() > Statement::max_args)
        throw Error(sqlstate::internal_error, "too many SPI arguments");
    int i = 0;
    for (const Arg& a : args) {
        values[i] = a.value;
        nulls[i] = a.null ? 'n' : ' ';
        ++i;
    }
    Datum* v = values;
    char* n = nulls;
    Oid run_as = run_as_;
    auto exec = [=] {
        if (latest_snapshot)
            return SPI_execute_snapshot(plan, v, n, GetLatestSnapshot(), InvalidSnapshot, read_only, false, max_rows);
        return SPI_execute_plan(plan, v, n, read_only, max_rows);
    };
    int rc = guarded([&] { return as_user(run_as, exec); });
    if (rc < 0)
        throw Error(sqlstate::internal_error, "SPI_execute_plan failed",
                    std::string("Statement: ") + statement.sql() + " (" + SPI_result_code_string(rc) + ")");
    return SPI_processed;
}

void SpiConnection::register_transition_tables(TriggerData* td)
{
    guarded([&] {
        if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
            elog(ERROR, "SPI_register_trigger_data failed");
    });
}

std::uint64_t SpiConnection::execute_once(const char* sql, bool read_only)
{
    Oid run_as = run_as_;
    int rc = guarded([&] { return as_user(run_as, [&] { return SPI_execute(sql, read_only, 0); }); });
    if (rc < 0)
        throw Error(sqlstate::internal_error, "SPI_execute failed",
                    std::string("Statement: ") + sql + " (" + SPI_result_code_string(rc) + ")");
    return SPI_processed;
}

bool SpiConnection::is_null(std::uint64_t r, int c) const
{
    bool isnull = true;
    SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c, &isnull);
    return isnull;
}

Datum SpiConnection::value(std::uint64_t r, int c) const
{
    bool isnull = true;
    return SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c, &isnull);
}

std::optional<std::string> SpiConnection::text(std::uint64_t r, int c) const
{
    if (is_null(r, c))
        return std::nullopt;
    return std::string(text_view(value(r, c)));
}

bool SpiConnection::boolean(std::uint64_t r, int c) const
{
    return !is_null(r, c) && DatumGetBool(value(r, c));
}

}  // namespace residency::pg
