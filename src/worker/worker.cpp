// The loop of a worker thread: connect, wait, claim, and reconnect with
// backoff when the connection is lost.
#include "worker.hpp"

#include "log.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace residency::worker {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* channel = "residency_evaluation";

std::string seconds_interval(double s)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f seconds", s);
    return buf;
}

// Refusals that retrying will not cure: the role, the extension, privileges.
bool refuses_the_worker(const DbError& e)
{
    const std::string& s = e.sqlstate();
    return s.compare(0, 2, "42") == 0 || s.compare(0, 2, "3F") == 0 || s.compare(0, 2, "28") == 0 || s == "3D000" ||
           s == "0LP01";
}

}  // namespace

Worker::Worker(int index, const Config& config, std::unique_ptr<Recognizer> recognizer, StopState& stop)
    : index_(index),
      config_(config),
      recognizer_(std::move(recognizer)),
      stop_(stop)
{
}

void Worker::open_connection()
{
    conn_.reset();
    auto conn = std::make_unique<Connection>(config_.dsn);
    try {
        if (!config_.role.empty())
            conn->exec(("SET ROLE " + conn->quote_identifier(config_.role)).c_str());
        Rows r = conn->exec(
            "SELECT pg_catalog.has_function_privilege('residency_api.claim_submissions(integer)', 'EXECUTE')");
        if (r.text(0, 0) != "t")
            throw FatalError("role " + (config_.role.empty() ? std::string("(the login role)") : config_.role) +
                             " may not call residency_api.claim_submissions (it needs service_role's privileges)");
        if (!config_.once)
            conn->exec((std::string("LISTEN ") + channel).c_str());
    } catch (const DbError& e) {
        if (e.connection_lost())
            throw;
        if (e.sqlstate() == "3F000" || e.sqlstate() == "42883")
            throw FatalError("the residency extension is not installed in this database (" + std::string(e.what()) +
                             ")");
        throw FatalError(std::string(e.what()) + (config_.role.empty() ? "" : " (SET ROLE " + config_.role + ")"));
    }
    conn_ = std::move(conn);
}

void Worker::connect()
{
    open_connection();
    if (!config_.once)
        log_event(LogLevel::info, "listening", {{"worker", index_}, {"channel", channel}});
}

bool Worker::reconnect(std::string why, bool for_job)
{
    conn_.reset();
    for (int attempt = 1;; ++attempt) {
        double delay = std::min(30.0, static_cast<double>(1 << std::min(attempt - 1, 5)));
        log_event(LogLevel::warn, "reconnect",
                  {{"worker", index_}, {"attempt", attempt}, {"delay_s", delay}, {"error", why}});
        if (for_job) {
            // the job in hand may still be recorded until the grace period ends
            auto until = Clock::now() + std::chrono::duration<double>(delay);
            while (Clock::now() < until) {
                if (stop_.grace_over(config_.shutdown_grace_s))
                    return false;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        } else if (!stop_.sleep_for(delay)) {
            return false;
        }
        try {
            open_connection();
            log_event(LogLevel::info, "reconnect", {{"worker", index_}, {"attempt", attempt}, {"connected", true}});
            if (!config_.once)
                log_event(LogLevel::info, "listening", {{"worker", index_}, {"channel", channel}});
            return true;
        } catch (const std::exception& e) {
            conn_.reset();
            why = e.what();
        }
        // --once gives up at the end of the ladder (1+2+4+8+16+30 s)
        if (config_.once && attempt >= 6)
            return false;
    }
}

void Worker::with_db(const std::function<void()>& f)
{
    for (;;) {
        if (!conn_ && !reconnect("no connection", true))
            throw DbError("no connection to the server", "08006", "", true);
        try {
            f();
            return;
        } catch (const DbError& e) {
            if (!e.connection_lost())
                throw;
            if (!reconnect(e.what(), true))
                throw;
        }
    }
}

std::optional<Claimed> Worker::claim()
{
    Rows r = conn_->exec("SELECT id, user_id, question_id, content_pack_id FROM residency_api.claim_submissions(1)");
    if (r.count() == 0)
        return std::nullopt;
    ++stats_.claimed;
    return Claimed{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3)};
}

void Worker::fail_stale()
{
    Rows r = conn_->exec("SELECT residency_api.fail_stale_processing($1::interval)",
                         {seconds_interval(config_.stale_after_s)});
    long failed = std::atol(r.text(0, 0).c_str());
    if (failed > 0)
        log_event(LogLevel::warn, "stale",
                  {{"worker", index_}, {"failed", failed}, {"older_than_s", config_.stale_after_s}});
}

void Worker::run()
{
    const auto poll_every =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(config_.poll_interval_s));
    // one thread sweeps stale sessions: at start, then every poll interval
    auto next_sweep = Clock::now();
    auto next_poll = Clock::now();
    while (!stop_.requested()) {
        try {
            if (!conn_ && !reconnect("no connection", false))
                break;
            if (index_ == 0 && Clock::now() >= next_sweep) {
                next_sweep = Clock::now() + poll_every;
                fail_stale();
            }
            // notifications that came before this claim are answered by it
            int ignored = 0;
            if (!conn_->drain_notifications(ignored))
                throw DbError("the connection was lost", "08006", "", true);
            if (std::optional<Claimed> c = claim()) {
                process(*c);
                continue;
            }
            if (config_.once)
                break;
            next_poll = Clock::now() + poll_every;
            while (!stop_.requested()) {
                auto now = Clock::now();
                auto until = std::min(next_poll, index_ == 0 ? next_sweep : next_poll);
                if (now >= until)
                    break;
                int ms =
                    static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1);
                int notified = conn_->wait(ms, stop_.fd());
                if (notified > 0) {
                    log_event(LogLevel::debug, "notified", {{"worker", index_}, {"notifications", notified}});
                    break;
                }
            }
        } catch (const DbError& e) {
            if (e.connection_lost()) {
                if (!reconnect(e.what(), false)) {
                    if (config_.once && !stop_.requested())
                        throw FatalError("lost the connection to the database: " + std::string(e.what()));
                    break;
                }
                continue;
            }
            if (refuses_the_worker(e))
                throw FatalError(std::string(e.what()) + " (SQLSTATE " + e.sqlstate() + ")");
            log_event(LogLevel::error, "error", {{"worker", index_}, {"sqlstate", e.sqlstate()}, {"error", e.what()}});
            if (!stop_.sleep_for(config_.poll_interval_s))
                break;
        }
    }
}

}  // namespace residency::worker
