#include "stop.hpp"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <time.h>
#include <unistd.h>

namespace residency::worker {

namespace {

std::atomic<StopState*> installed{nullptr};

std::int64_t monotonic_ns() noexcept
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void on_signal(int sig)
{
    if (StopState* s = installed.load())
        s->request(sig);
}

}  // namespace

StopState::StopState()
{
    if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("pipe2 failed");
}

StopState::~StopState()
{
    StopState* self = this;
    installed.compare_exchange_strong(self, nullptr);
    close(pipe_[0]);
    close(pipe_[1]);
}

void StopState::request(int sig) noexcept
{
    if (requests_.fetch_add(1) == 0) {
        requested_at_ns_.store(monotonic_ns());
        signal_.store(sig);
        char byte = 1;
        ssize_t ignored = write(pipe_[1], &byte, 1);
        (void) ignored;
    }
}

bool StopState::grace_over(double grace_s) const noexcept
{
    int n = requests_.load();
    if (n == 0)
        return false;
    if (n > 1)
        return true;
    std::int64_t at = requested_at_ns_.load();
    // at is 0 for the moment between the count and the time being stored
    return at != 0 && static_cast<double>(monotonic_ns() - at) / 1e9 >= grace_s;
}

bool StopState::sleep_for(double seconds) const
{
    if (requested())
        return false;
    pollfd p{pipe_[0], POLLIN, 0};
    poll(&p, 1, static_cast<int>(seconds * 1000));
    return !requested();
}

void StopState::install_signal_handlers()
{
    installed.store(this);
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, nullptr);
}

}  // namespace residency::worker
