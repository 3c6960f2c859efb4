// utterance_cuts(): pure arithmetic, apart from the decoder so that it is
// tested without a model.
#include "pocketsphinx_recognizer.hpp"

#include <cstdint>
#include <limits>

namespace residency::worker {

std::vector<std::size_t> utterance_cuts(const Audio& audio, double min_s, double max_s)
{
    constexpr std::size_t step = Audio::sample_rate / 100;  // 10 ms
    constexpr std::size_t window = 10 * step;               // 100 ms
    const std::size_t min_len = static_cast<std::size_t>(min_s * Audio::sample_rate);
    const std::size_t max_len = static_cast<std::size_t>(max_s * Audio::sample_rate);
    const std::vector<std::int16_t>& s = audio.samples;
    std::vector<std::size_t> cuts;
    if (min_len == 0 || max_len < min_len + window)
        return cuts;
    std::size_t start = 0;
    while (s.size() - start > max_len) {
        // energies of 10 ms steps from start + min_len to start + max_len
        std::size_t from = start + min_len, to = start + max_len;
        std::vector<double> energy;
        for (std::size_t at = from; at + step <= to; at += step) {
            double e = 0;
            for (std::size_t i = at; i < at + step; ++i)
                e += static_cast<double>(s[i]) * s[i];
            energy.push_back(e);
        }
        // the quietest run of 10 steps, cut in its middle
        const std::size_t run = window / step;
        double best = std::numeric_limits<double>::infinity(), sum = 0;
        std::size_t best_at = from + (to - from) / 2;
        for (std::size_t i = 0; i < energy.size(); ++i) {
            sum += energy[i];
            if (i >= run)
                sum -= energy[i - run];
            if (i + 1 >= run && sum < best) {
                best = sum;
                best_at = from + (i + 1 - run) * step + window / 2;
            }
        }
        cuts.push_back(best_at);
        start = best_at;
    }
    return cuts;
}

}  // namespace residency::worker
