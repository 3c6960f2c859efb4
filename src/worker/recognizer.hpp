// A speech recognizer: audio in, timed words out. One instance per worker
// thread (PocketSphinx's decoder is not shared; it is expensive to make, so
// it is made once, at start-up).
#pragma once

#include "audio.hpp"
#include "transcript.hpp"

#include <string>

namespace residency::worker {

class Recognizer {
public:
    virtual ~Recognizer() = default;
    // For model_used and details.speech.recognizer: "pocketsphinx-5prealpha en-us"
    virtual std::string name() const = 0;
    // Throws JobFailure (recognizer: the HTTP service failed; internal:
    // cancelled). An empty transcript is not an error here.
    virtual Transcript transcribe(const Audio& audio, const CancelCheck& cancelled) = 0;
};

}  // namespace residency::worker
