// The HTTP recognizer: an OpenAI-compatible POST /v1/audio/transcriptions
// (OpenAI, whisper.cpp's server, faster-whisper servers...). The recording
// goes as a 16 kHz mono WAV in multipart/form-data with model,
// response_format=verbose_json and timestamp_granularities[]=word. A
// connection failure, 429 or 5xx is tried twice more (1 s, then 3 s later);
// a timeout (--http-timeout-s) is not.
#pragma once

#include "recognizer.hpp"

#include <string>
#include <string_view>

namespace residency::worker {

struct HttpRecognizerConfig {
    std::string url;  // http://127.0.0.1:8080/v1/audio/transcriptions
    std::string model = "whisper-1";
    std::string api_key;  // Authorization: Bearer, when not empty
    double timeout_s = 300;
};

class HttpRecognizer final : public Recognizer {
public:
    explicit HttpRecognizer(HttpRecognizerConfig config) : config_(std::move(config)) {}

    std::string name() const override { return config_.model + " (http)"; }
    Transcript transcribe(const Audio& audio, const CancelCheck& cancelled) override;

private:
    HttpRecognizerConfig config_;
};

// The verbose_json answer: `text` (required), `words[] {word, start, end}`;
// without `words`, the words of each of `segments[] {text, start, end}`
// spread evenly over the segment. Throws JobFailure (recognizer) naming
// what is missing or mistyped: not JSON, nested deeper than 64, an `error`
// object, no text, a word without its times, no timings at all.
Transcript parse_verbose_json(std::string_view body);

}  // namespace residency::worker
