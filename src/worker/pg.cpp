#include "pg.hpp"

#include "log.hpp"

#include <cerrno>
#include <poll.h>

namespace residency::worker {

namespace {

std::string field(const PGresult* r, int code)
{
    const char* v = PQresultErrorField(r, code);
    return v ? v : "";
}

// libpq's messages on one line: "could not connect...\n\tIs the server..."
std::string trimmed(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' '))
            continue;
        out.push_back(c);
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

// Notices and the server's asynchronous messages ("terminating connection
// due to administrator command") go to the JSON log, never raw to stderr.
void on_notice(void*, const char* message)
{
    log_event(LogLevel::debug, "notice", {{"message", trimmed(message ? message : "")}});
}

}  // namespace

Connection::Connection(const std::string& conninfo)
{
    // later keywords win over the connection string's (expand_dbname)
    std::vector<const char*> keys, values;
    if (!conninfo.empty()) {
        keys.push_back("dbname");
        values.push_back(conninfo.c_str());
    }
    keys.push_back("application_name");
    values.push_back("residency-worker");
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!conn_)
        throw DbError("out of memory", "", "", true);
    if (PQstatus(conn_.get()) != CONNECTION_OK)
        throw DbError(trimmed(PQerrorMessage(conn_.get())), "08001", "", true);
    PQsetNoticeProcessor(conn_.get(), on_notice, nullptr);
}

Rows Connection::exec(const char* sql, const std::vector<Param>& params)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    PGresult* raw =
        PQexecParams(conn_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    Rows rows(raw);
    ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return rows;
    bool lost = PQstatus(conn_.get()) != CONNECTION_OK;
    if (!raw)
        throw DbError(trimmed(PQerrorMessage(conn_.get())), lost ? "08006" : "", "", lost);
    std::string message = field(raw, PG_DIAG_MESSAGE_PRIMARY);
    throw DbError(message.empty() ? trimmed(PQresultErrorMessage(raw)) : message, field(raw, PG_DIAG_SQLSTATE),
                  field(raw, PG_DIAG_MESSAGE_DETAIL), lost);
}

std::string Connection::quote_identifier(const std::string& name)
{
    char* quoted = PQescapeIdentifier(conn_.get(), name.c_str(), name.size());
    if (!quoted)
        throw DbError(trimmed(PQerrorMessage(conn_.get())), "22023", "", false);
    std::string out = quoted;
    PQfreemem(quoted);
    return out;
}

bool Connection::drain_notifications(int& count)
{
    count = 0;
    if (PQconsumeInput(conn_.get()) == 0)
        return false;
    while (PGnotify* n = PQnotifies(conn_.get())) {
        ++count;
        PQfreemem(n);
    }
    return true;
}

int Connection::wait(int timeout_ms, int wake_fd)
{
    int count = 0;
    // what arrived with the last result counts first
    if (!drain_notifications(count))
        throw DbError(trimmed(PQerrorMessage(conn_.get())), "08006", "", true);
    if (count > 0)
        return count;
    pollfd fds[2] = {{PQsocket(conn_.get()), POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (fds[0].fd < 0)
        throw DbError("no connection to the server", "08006", "", true);
    int n = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (n < 0 && errno != EINTR)
        throw DbError("poll failed", "", "", false);
    if (n > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
        if (!drain_notifications(count) || !ok())
            throw DbError(trimmed(PQerrorMessage(conn_.get())), "08006", "", true);
    }
    return count;
}

}  // namespace residency::worker
