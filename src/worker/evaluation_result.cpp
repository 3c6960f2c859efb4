#include "evaluation_result.hpp"

#include "failure.hpp"

#include <algorithm>
#include <cmath>

namespace residency::worker {

namespace {

double round_to(double v, int digits)
{
    double scale = std::pow(10.0, digits);
    return std::round(v * scale) / scale;
}

}  // namespace

nlohmann::json speech_details(const SpeechReport& speech)
{
    const SpeechMetrics& m = speech.metrics;
    nlohmann::json words = nlohmann::json::array();
    std::size_t listed = std::min(speech.transcript.words.size(), max_listed_words);
    for (std::size_t i = 0; i < listed; ++i) {
        const TimedWord& w = speech.transcript.words[i];
        words.push_back({{"w", w.text}, {"start", round_to(w.start_s, 2)}, {"end", round_to(w.end_s, 2)}});
    }
    return {
        {"recognizer", speech.recognizer},
        {"transcript", speech.transcript.text},
        {"duration_s", round_to(m.duration_s, 2)},
        {"speaking_s", round_to(m.speaking_s, 2)},
        {"wpm_speaking", round_to(m.wpm_speaking, 1)},
        {"pauses", m.pauses},
        {"longest_pause_s", round_to(m.longest_pause_s, 2)},
        {"pause_total_s", round_to(m.pause_total_s, 2)},
        {"pause_threshold_s", speech.pause_threshold_s},
        {"fillers", m.fillers},
        {"words", std::move(words)},
        {"words_listed", listed < speech.transcript.words.size() ? "first " + std::to_string(listed) : "all"},
    };
}

nlohmann::json evaluation_result(nlohmann::json score, const SpeechReport* speech, long processing_time_ms)
{
    if (!score.is_object())
        throw JobFailure(FailureCode::internal, "the answer could not be scored", "the score is not a JSON object");
    score["processing_time_ms"] = std::max(1L, processing_time_ms);
    if (!speech)
        return score;
    std::string rubric = score.contains("model_used") && score["model_used"].is_string()
                             ? score["model_used"].get<std::string>()
                             : std::string("residency scorer");
    score["model_used"] = speech->recognizer + " + " + rubric;
    nlohmann::json& details = score["details"];
    if (!details.is_object())
        details = nlohmann::json::object();
    details["speech"] = speech_details(*speech);
    return score;
}

}  // namespace residency::worker
