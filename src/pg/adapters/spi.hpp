// SPI from C++: a connection object and statements prepared once per backend.
//
// A Statement is declared static at its call site; its plan is prepared on
// first use and kept (SPI_keepplan), so every later call skips parse and
// plan. The plan cache revalidates it when the tables change.
//
// Rule queries run as the owner of the table whose trigger runs them (pass
// TriggerCall::owner()), with row security off for that owner, the way
// Postgres runs foreign-key checks: a rule must see every row, and a writer
// needs no privilege on the tables the rule reads or moves on.
//
// They are parsed under the caller's search_path, so every name in them is
// qualified: relations (residency.x), functions (pg_catalog.f), casts
// (::pg_catalog.t) and operators (OPERATOR(pg_catalog.=)), as Postgres' own
// foreign-key triggers write theirs. Otherwise a caller's temporary tables
// and types (searched first when pg_temp is not on the path) or operators in
// a schema of its own would run as the owner; sql/search_path.sql plants
// them and checks that none does.
//
// SpiConnection finishes SPI on the normal path. When an exception unwinds
// it, the connection is left to the transaction abort that the boundary's
// ERROR causes (AtEOXact_SPI / AtEOSubXact_SPI clean it up): calling into
// SPI after a Postgres error has been caught would not be safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "postgres.hpp"

namespace residency::pg {

class Statement {
public:
    static constexpr int max_args = 8;

    Statement(const char* sql, std::initializer_list<Oid> arg_types);

    const char* sql() const { return sql_; }
    SPIPlanPtr plan();  // prepared and kept on first use

private:
    const char* sql_;
    Oid types_[max_args];
    int nargs_ = 0;
    SPIPlanPtr plan_ = nullptr;
};

struct Arg {
    Datum value;
    bool null = false;
};

class SpiConnection {
public:
    explicit SpiConnection(Oid run_as = InvalidOid);
    ~SpiConnection();
    SpiConnection(const SpiConnection&) = delete;
    SpiConnection& operator=(const SpiConnection&) = delete;

    // Runs a prepared statement; returns the number of rows processed.
    std::uint64_t execute(Statement& statement, std::initializer_list<Arg> args, bool read_only, long max_rows = 0);

    // Makes a trigger's transition tables visible to the statements run
    // on this connection, under the names the trigger gave them.
    void register_transition_tables(TriggerData* td);
    // Runs SQL that is not prepared (statements that read transition tables
    // cannot keep their plan); returns the number of rows processed.
    std::uint64_t execute_once(const char* sql, bool read_only);

    // Runs a read-only statement under a fresh snapshot instead of the
    // transaction's (a REPEATABLE READ crosscheck, as foreign keys do).
    std::uint64_t execute_latest(Statement& statement, std::initializer_list<Arg> args);

    // Access to the last result, row r, column c (1-based).
    bool is_null(std::uint64_t r, int c) const;
    Datum value(std::uint64_t r, int c) const;
    std::optional<std::string> text(std::uint64_t r, int c) const;
    bool boolean(std::uint64_t r, int c) const;

    void finish();

private:
    std::uint64_t run(Statement& statement, std::initializer_list<Arg> args, bool read_only, long max_rows,
                      bool latest_snapshot);

    bool connected_ = false;
    int uncaught_at_start_;
    Oid run_as_;
};

}  // namespace residency::pg
