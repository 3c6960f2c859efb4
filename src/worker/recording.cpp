#include "recording.hpp"

#include "failure.hpp"
#include "fetch.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace residency::worker {

namespace {

std::string one_decimal(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

HeardRecording hear_recording(const std::string& url, const Config& config, Recognizer& recognizer,
                              const CancelCheck& cancelled)
{
    HeardRecording out;
    out.source = url_for_log(url);
    Audio audio;
    {
        std::string bytes = fetch_audio(url, config.fetch, cancelled);
        audio = decode_audio(bytes, config.max_duration_s, cancelled);
    }
    Loudness loudness = measure_loudness(audio, config.silence_dbfs);
    if (is_silence(loudness))
        throw JobFailure(FailureCode::silence, "no speech could be heard in the recording",
                         "loudest 30 ms: " + one_decimal(loudness.peak_dbfs) + " dBFS, " +
                             one_decimal(loudness.voiced_s) + " s above " + one_decimal(config.silence_dbfs) + " dBFS");

    const auto started = std::chrono::steady_clock::now();
    Transcript transcript = recognizer.transcribe(audio, cancelled);
    out.recognizer_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    out.real_time_factor = out.recognizer_ms / 1000.0 / std::max(0.01, audio.duration_s());
    if (std::none_of(transcript.words.begin(), transcript.words.end(), [](const TimedWord& w) { return !w.filler; }))
        throw JobFailure(FailureCode::empty_transcript, "no words could be recognized in the recording",
                         std::to_string(transcript.words.size()) + " hesitations, no other word");
    if (transcript.text.empty())
        transcript.text = join_words(transcript.words);

    out.speech.recognizer = recognizer.name();
    out.speech.metrics = measure_speech(transcript.words, audio.duration_s(), config.pause_threshold_s);
    out.speech.pause_threshold_s = config.pause_threshold_s;
    out.speech.transcript = std::move(transcript);
    return out;
}

}  // namespace residency::worker
