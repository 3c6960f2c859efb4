// One worker thread: its connection, its recognizer, and the loop that
// waits (LISTEN residency_evaluation, and a poll every --poll-interval),
// claims one session at a time, evaluates it and records the result or the
// failure. docs/worker.md describes the loop; job.cpp holds one job.
#pragma once

#include "config.hpp"
#include "pg.hpp"
#include "recognizer.hpp"
#include "stop.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace residency::worker {

// The database refuses the worker (no such role, no extension, no
// privilege), or --once lost its connection for good: exit 1.
class FatalError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct WorkerStats {
    long claimed = 0;
    long completed = 0;
    long failed = 0;
};

// A claimed session (a row of claim_submissions).
struct Claimed {
    std::string session_id;
    std::string user_id;
    std::string question_id;
    std::string pack_id;
};

class Worker {
public:
    Worker(int index, const Config& config, std::unique_ptr<Recognizer> recognizer, StopState& stop);

    // The first connection; throws DbError (unreachable) or FatalError.
    void connect();
    // Until a stop is requested, or (--once) the queue is empty. Throws
    // FatalError.
    void run();

    const WorkerStats& stats() const { return stats_; }
    int index() const { return index_; }

private:
    void open_connection();
    // with backoff, 1 s doubling to 30 s, logged; false when stopping (for
    // the job in hand: when the grace period is over) or when --once gives up
    bool reconnect(std::string why, bool for_job);
    // f, again after reconnecting whenever the connection was lost (every
    // statement of a job can be repeated); other DbErrors are f's to throw.
    void with_db(const std::function<void()>& f);

    std::optional<Claimed> claim();
    void fail_stale();
    void process(const Claimed& session);  // job.cpp

    int index_;
    const Config& config_;
    std::unique_ptr<Recognizer> recognizer_;
    StopState& stop_;
    std::unique_ptr<Connection> conn_;
    WorkerStats stats_;
};

}  // namespace residency::worker
