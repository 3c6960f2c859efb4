// The result the worker records (record_evaluation): residency.score()'s
// result, with model_used naming the recognizer and the rubric,
// processing_time_ms and, for a recording, details.speech.
#pragma once

#include "transcript.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace residency::worker {

// The words listed in details.speech.words; the metrics count them all.
inline constexpr std::size_t max_listed_words = 2000;

struct SpeechReport {
    std::string recognizer;
    Transcript transcript;
    SpeechMetrics metrics;
    double pause_threshold_s = 0.5;
};

// The scorer's keys and details are kept; model_used becomes
// "<recognizer> + <scorer's model_used>" for a recording, and
// details.speech = {recognizer, transcript, duration_s, speaking_s,
// wpm_speaking, pauses, longest_pause_s, pause_total_s, pause_threshold_s,
// fillers, words: [{w, start, end}], words_listed}. Throws JobFailure
// (internal) when the score is not an object.
nlohmann::json evaluation_result(nlohmann::json score, const SpeechReport* speech, long processing_time_ms);

// details.speech alone.
nlohmann::json speech_details(const SpeechReport& speech);

}  // namespace residency::worker
