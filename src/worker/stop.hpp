// SIGTERM/SIGINT: stop claiming, finish the job in hand within the grace
// period (--shutdown-grace-s), then exit 0. The signal handler only sets an
// atomic and writes one byte to a pipe that is never read: the pipe stays
// readable, so every thread's poll() wakes up, now and later.
#pragma once

#include <atomic>
#include <cstdint>

namespace residency::worker {

class StopState {
public:
    StopState();
    ~StopState();
    StopState(const StopState&) = delete;
    StopState& operator=(const StopState&) = delete;

    // Async-signal-safe. A second request ends the grace period at once.
    void request(int signal = 0) noexcept;
    bool requested() const noexcept { return requests_.load() > 0; }
    int signal() const noexcept { return signal_.load(); }
    // Readable once a stop was requested: poll() on it with the socket.
    int fd() const noexcept { return pipe_[0]; }

    // The job in hand must stop now: a stop was requested more than
    // grace_s ago, or twice.
    bool grace_over(double grace_s) const noexcept;

    // Sleeps up to seconds; false when a stop was requested (at once).
    bool sleep_for(double seconds) const;

    // SIGTERM and SIGINT call request() on this; SIGPIPE is ignored.
    void install_signal_handlers();

private:
    int pipe_[2] = {-1, -1};
    std::atomic<int> requests_{0};
    std::atomic<int> signal_{0};
    std::atomic<std::int64_t> requested_at_ns_{0};
};

}  // namespace residency::worker
