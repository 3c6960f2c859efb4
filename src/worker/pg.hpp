// libpq in RAII: a connection, statements with text parameters, errors as
// DbError with their SQLSTATE, and LISTEN/NOTIFY waiting on the socket.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace residency::worker {

class DbError : public std::runtime_error {
public:
    DbError(std::string message, std::string sqlstate, std::string detail, bool connection_lost)
        : std::runtime_error(std::move(message)),
          sqlstate_(std::move(sqlstate)),
          detail_(std::move(detail)),
          connection_lost_(connection_lost)
    {
    }

    const std::string& sqlstate() const noexcept { return sqlstate_; }
    const std::string& detail() const noexcept { return detail_; }
    // the connection is gone: reconnect, then try again
    bool connection_lost() const noexcept { return connection_lost_; }

private:
    std::string sqlstate_;
    std::string detail_;
    bool connection_lost_;
};

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};

class Rows {
public:
    explicit Rows(PGresult* r) : result_(r) {}

    int count() const { return PQntuples(result_.get()); }
    bool is_null(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
    std::string text(int row, int col) const { return PQgetvalue(result_.get(), row, col); }
    std::optional<std::string> optional_text(int row, int col) const
    {
        if (is_null(row, col))
            return std::nullopt;
        return text(row, col);
    }

private:
    std::unique_ptr<PGresult, ResultDeleter> result_;
};

using Param = std::optional<std::string>;  // nullopt is SQL NULL

class Connection {
public:
    // conninfo: a libpq connection string or URI; empty for the PG*
    // environment. application_name is set to residency-worker. Throws
    // DbError (connection_lost) when the server cannot be reached.
    explicit Connection(const std::string& conninfo);

    // One statement, its parameters as text; throws DbError.
    Rows exec(const char* sql, const std::vector<Param>& params = {});

    bool ok() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

    // A name quoted for SQL (SET ROLE "name"); throws DbError.
    std::string quote_identifier(const std::string& name);

    // Notifications on any channel LISTENed to, read from what has arrived
    // without waiting. False when the connection is gone.
    bool drain_notifications(int& count);

    // Waits up to timeout_ms for the socket or for wake_fd (the stop pipe)
    // to become readable. Returns the notifications read (0 on timeout or
    // wake); throws DbError (connection_lost) when the connection broke.
    int wait(int timeout_ms, int wake_fd);

private:
    struct ConnDeleter {
        void operator()(PGconn* c) const { PQfinish(c); }
    };
    std::unique_ptr<PGconn, ConnDeleter> conn_;
};

}  // namespace residency::worker
