// measure_loudness() and to_wav(): plain arithmetic on the samples.
#include "audio.hpp"

#include <algorithm>
#include <cmath>

namespace residency::worker {

namespace {

constexpr std::size_t frame_samples = Audio::sample_rate * 30 / 1000;

double dbfs(double mean_square)
{
    // full scale: a square wave at 32768 has a mean square of 32768^2
    if (!(mean_square > 0))
        return -120;
    return std::max(-120.0, 10 * std::log10(mean_square / (32768.0 * 32768.0)));
}

}  // namespace

Loudness measure_loudness(const Audio& audio, double threshold_dbfs)
{
    Loudness out;
    const std::vector<std::int16_t>& s = audio.samples;
    double total_square = 0;
    std::size_t total_samples = 0;
    std::size_t voiced_frames = 0;
    for (std::size_t start = 0; start < s.size(); start += frame_samples) {
        std::size_t n = std::min(frame_samples, s.size() - start);
        double mean = 0;
        for (std::size_t i = 0; i < n; ++i)
            mean += s[start + i];
        mean /= static_cast<double>(n);
        double square = 0;
        for (std::size_t i = 0; i < n; ++i) {
            double v = s[start + i] - mean;
            square += v * v;
        }
        total_square += square;
        total_samples += n;
        double level = dbfs(square / static_cast<double>(n));
        out.peak_dbfs = std::max(out.peak_dbfs, level);
        // a short last frame counts for its length
        if (level > threshold_dbfs)
            voiced_frames += n;
    }
    if (total_samples > 0)
        out.rms_dbfs = dbfs(total_square / static_cast<double>(total_samples));
    out.voiced_s = static_cast<double>(voiced_frames) / Audio::sample_rate;
    return out;
}

std::string to_wav(const Audio& audio)
{
    const std::uint32_t data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
    std::string out;
    out.reserve(44 + data_bytes);
    auto u32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    auto u16 = [&](std::uint16_t v) {
        out.push_back(static_cast<char>(v & 0xff));
        out.push_back(static_cast<char>(v >> 8));
    };
    out += "RIFF";
    u32(36 + data_bytes);
    out += "WAVEfmt ";
    u32(16);
    u16(1);  // PCM
    u16(1);  // mono
    u32(Audio::sample_rate);
    u32(Audio::sample_rate * 2);  // bytes per second
    u16(2);                       // bytes per frame
    u16(16);                      // bits per sample
    out += "data";
    u32(data_bytes);
    for (std::int16_t v : audio.samples)
        u16(static_cast<std::uint16_t>(v));
    return out;
}

}  // namespace residency::worker
