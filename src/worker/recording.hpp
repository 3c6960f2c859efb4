// A recording heard: fetched, decoded, checked for silence, transcribed and
// measured. No database: Worker::process() (job.cpp) scores and records what
// this returns.
#pragma once

#include "config.hpp"
#include "evaluation_result.hpp"
#include "recognizer.hpp"

#include <string>

namespace residency::worker {

struct HeardRecording {
    SpeechReport speech;
    std::string source;  // url_for_log(url)
    long recognizer_ms = 0;
    double real_time_factor = 0;  // recognition time / recording length
};

// Throws JobFailure: unreachable, too_large (fetch_audio), undecodable,
// too_long (decode_audio), silence, empty_transcript (no word beside
// hesitations), recognizer, internal (cancelled).
HeardRecording hear_recording(const std::string& url, const Config& config, Recognizer& recognizer,
                              const CancelCheck& cancelled);

}  // namespace residency::worker
