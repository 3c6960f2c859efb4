// A recording as the recognizers take it: 16 kHz, mono, signed 16-bit
// samples. decode_audio() makes one from any container and codec FFmpeg's
// libraries know; measure_loudness() says whether anything is in it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace residency::worker {

// Polled by long steps; true when the job must stop (the shutdown grace
// period is over). Empty: never.
using CancelCheck = std::function<bool()>;

struct Audio {
    static constexpr int sample_rate = 16000;
    std::vector<std::int16_t> samples;

    double duration_s() const { return static_cast<double>(samples.size()) / sample_rate; }
};

// The bytes of a recording (any container and codec FFmpeg knows: m4a/AAC,
// wav, flac, ogg/opus, mp3...), decoded, mixed down to mono and resampled.
// Throws JobFailure: undecodable (not audio, no audio stream, nothing
// decoded, mostly corrupt), too_long (over max_duration_s; decoding stops
// there), internal (cancelled).
Audio decode_audio(std::string_view bytes, double max_duration_s, const CancelCheck& cancelled = {});

// How loud a recording is, in dBFS (0 is a full-scale square wave), over
// frames of 30 ms with their mean removed (a DC offset is not sound).
struct Loudness {
    double rms_dbfs = -120;   // the whole recording
    double peak_dbfs = -120;  // the loudest frame
    double voiced_s = 0;      // the frames louder than the threshold
};

Loudness measure_loudness(const Audio& audio, double threshold_dbfs);

// Silence-only: less than this much sound above the threshold.
inline constexpr double min_voiced_s = 0.25;

inline bool is_silence(const Loudness& l)
{
    return l.voiced_s < min_voiced_s;
}

// A RIFF/WAVE file of the samples (PCM s16le, 16 kHz, mono): what the HTTP
// recognizer uploads.
std::string to_wav(const Audio& audio);

}  // namespace residency::worker
