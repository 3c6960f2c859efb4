#include "transcript.hpp"

#include <algorithm>
#include <cmath>

namespace residency::worker {

bool is_hesitation(std::string_view word)
{
    // lower case, letters only, runs of a letter collapsed: "Ummm," -> "um"
    std::string folded;
    for (char c : word) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c < 'a' || c > 'z') {
            // punctuation around the word is ignored, inside it is not a hesitation
            if (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == '"' || c == '-' ||
                c == '\'' || c == '(' || c == ')' || c == '[' || c == ']')
                continue;
            return false;
        }
        if (folded.empty() || folded.back() != c)
            folded.push_back(c);
    }
    static constexpr std::string_view families[] = {"um", "uhm", "uh", "ah", "er", "erm", "hm", "m", "mhm"};
    return std::find(std::begin(families), std::end(families), folded) != std::end(families);
}

std::string join_words(const std::vector<TimedWord>& words)
{
    std::string out;
    for (const TimedWord& w : words) {
        if (!out.empty())
            out.push_back(' ');
        out += w.text;
    }
    return out;
}

SpeechMetrics measure_speech(const std::vector<TimedWord>& words, double duration_s, double pause_threshold_s)
{
    SpeechMetrics m;
    m.duration_s = std::isfinite(duration_s) && duration_s > 0 ? duration_s : 0;
    m.words = words.size();
    auto clamp = [&](double t) { return std::isfinite(t) ? std::clamp(t, 0.0, m.duration_s) : 0.0; };
    double first_start = 0, last_end = 0, previous_end = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const TimedWord& w = words[i];
        double start = clamp(w.start_s);
        double end = std::max(start, clamp(w.end_s));
        if (w.filler)
            ++m.fillers;
        if (i == 0) {
            first_start = start;
        } else {
            double gap = start - previous_end;
            if (gap > pause_threshold_s) {
                ++m.pauses;
                m.pause_total_s += gap;
                m.longest_pause_s = std::max(m.longest_pause_s, gap);
            }
        }
        // a word that starts before the previous one ended does not move the end back
        previous_end = std::max(previous_end, end);
        last_end = std::max(last_end, end);
    }
    if (!words.empty())
        m.speaking_s = std::max(0.0, last_end - first_start - m.pause_total_s);
    if (m.speaking_s > 0)
        m.wpm_speaking = static_cast<double>(m.words) * 60.0 / m.speaking_s;
    return m;
}

}  // namespace residency::worker
