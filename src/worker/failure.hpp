// Why a job failed: a code an operator can count and a sentence the
// candidate reads. fail_evaluation's reason is "<code>: <sentence>"
// (docs/worker.md lists the codes).
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace residency::worker {

enum class FailureCode {
    unreachable,       // the recording could not be fetched (URL, network, HTTP status)
    too_large,         // over --max-audio-bytes
    undecodable,       // not audio FFmpeg can decode
    too_long,          // over --max-duration-s
    silence,           // no speech to hear
    empty_transcript,  // speech, but no word recognized
    recognizer,        // the HTTP recognizer failed
    rejected,          // the database refused the evaluation (record_evaluation, the scorer)
    internal,          // anything else, and a job cut short by a stop
};

std::string_view to_string(FailureCode code) noexcept;

class JobFailure : public std::exception {
public:
    // sentence: for the candidate, lower case, no final period.
    // detail: the technical cause, for the log (never personal data).
    JobFailure(FailureCode code, std::string sentence, std::string detail = {})
        : code_(code),
          sentence_(std::move(sentence)),
          detail_(std::move(detail))
    {
    }

    const char* what() const noexcept override { return sentence_.c_str(); }
    FailureCode code() const noexcept { return code_; }
    const std::string& sentence() const noexcept { return sentence_; }
    const std::string& detail() const noexcept { return detail_; }
    // "<code>: <sentence>", what fail_evaluation keeps
    std::string reason() const { return std::string(to_string(code_)) + ": " + sentence_; }

private:
    FailureCode code_;
    std::string sentence_;
    std::string detail_;
};

// A job cut short by SIGTERM/SIGINT after the shutdown grace period.
inline JobFailure worker_stopped()
{
    return JobFailure(FailureCode::internal, "the worker stopped", "stopped during the job");
}

}  // namespace residency::worker
