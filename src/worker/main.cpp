// residency-worker: evaluates the recorded answers of residency drills.
// docs/worker.md; --help lists every flag.
#include "config.hpp"
#include "curl_util.hpp"
#include "log.hpp"
#include "pocketsphinx_recognizer.hpp"
#include "stop.hpp"
#include "worker.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace residency::worker;

namespace {

std::unique_ptr<Recognizer> make_recognizer(const Config& config)
{
    if (config.recognizer == RecognizerKind::http)
        return std::make_unique<HttpRecognizer>(config.http);
    return std::make_unique<PocketSphinxRecognizer>(config.sphinx);
}

const char* signal_name(int sig)
{
    switch (sig) {
    case SIGTERM:
        return "SIGTERM";
    case SIGINT:
        return "SIGINT";
    default:
        return nullptr;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    Config config;
    try {
        Command command = parse_config(
            argc - 1, argv + 1, [](const char* name) { return std::getenv(name); }, config);
        if (command == Command::help) {
            std::fputs(help_text().c_str(), stdout);
            return 0;
        }
        if (command == Command::version) {
            std::printf("residency-worker %s\n", worker_version());
            return 0;
        }
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "residency-worker: %s\nTry residency-worker --help.\n", e.what());
        return 2;
    }
    set_log_level(config.log_level);
    curl_global_once();

    StopState stop;
    stop.install_signal_handlers();

    // Recognizers and connections are made here, one by one, so that a bad
    // model, connection, role or database stops the worker before it claims.
    std::vector<std::unique_ptr<Worker>> workers;
    try {
        for (int i = 0; i < config.concurrency; ++i) {
            auto worker = std::make_unique<Worker>(i, config, make_recognizer(config), stop);
            worker->connect();
            workers.push_back(std::move(worker));
        }
    } catch (const std::exception& e) {
        log_event(LogLevel::error, "error", {{"error", e.what()}, {"phase", "start"}});
        return 1;
    }
    log_event(LogLevel::info, "start",
              {{"version", worker_version()},
               {"recognizer", config.recognizer == RecognizerKind::http ? "http" : "pocketsphinx"},
               {"concurrency", config.concurrency},
               {"once", config.once},
               {"poll_interval_s", config.poll_interval_s},
               {"stale_after_s", config.stale_after_s},
               {"pid", static_cast<long>(getpid())}});

    int running = config.concurrency;
    std::mutex running_lock;
    std::condition_variable finished;
    std::atomic<bool> fatal{false};
    std::vector<std::thread> threads;
    for (auto& w : workers) {
        threads.emplace_back([&, worker = w.get()] {
            try {
                worker->run();
            } catch (const std::exception& e) {
                log_event(LogLevel::error, "error", {{"worker", worker->index()}, {"error", e.what()}});
                fatal = true;
                stop.request();  // the others stop too
            }
            std::lock_guard<std::mutex> guard(running_lock);
            --running;
            finished.notify_all();
        });
    }
    // Waits for the threads, saying when a stop was asked for.
    bool announced = false;
    auto announce = [&] {
        if (!stop.requested() || announced || fatal)
            return;
        announced = true;
        const char* name = signal_name(stop.signal());
        log_event(LogLevel::info, "stop",
                  {{"phase", "requested"},
                   {"signal", name ? nlohmann::json(name) : nlohmann::json()},
                   {"grace_s", config.shutdown_grace_s}});
    };
    for (;;) {
        announce();
        std::unique_lock<std::mutex> lock(running_lock);
        if (finished.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; }))
            break;
    }
    announce();
    for (std::thread& t : threads)
        t.join();
    WorkerStats total;
    for (auto& w : workers) {
        total.claimed += w->stats().claimed;
        total.completed += w->stats().completed;
        total.failed += w->stats().failed;
    }
    int status = fatal ? 1 : 0;
    log_event(fatal ? LogLevel::error : LogLevel::info, "stop",
              {{"phase", "exit"},
               {"exit_status", status},
               {"claimed", total.claimed},
               {"completed", total.completed},
               {"failed", total.failed}});
    return status;
}
