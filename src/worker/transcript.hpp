// What a recognizer hears: the words with their times, and the speech
// metrics measured from them (measure_speech(), docs/worker.md defines each).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency::worker {

struct TimedWord {
    std::string text;
    double start_s = 0;
    double end_s = 0;
    bool filler = false;  // a hesitation (um, uh, er...): spoken, and a word for the scorer
};

struct Transcript {
    // the text the scorer reads: the recognizer's own (with its casing and
    // punctuation) when it gives one, else the words joined by spaces
    std::string text;
    std::vector<TimedWord> words;
};

// Hesitations, in any spelling of their families (um, umm, uhm, uh, ah,
// er, erm, hm, hmm, mm, mhm): the families the scorer's Fillers check
// counts (docs/scoring.md). Case and surrounding punctuation are ignored.
bool is_hesitation(std::string_view word);

// The words joined by single spaces.
std::string join_words(const std::vector<TimedWord>& words);

struct SpeechMetrics {
    double duration_s = 0;       // the decoded recording
    double speaking_s = 0;       // first word's start to last word's end, less the pauses
    std::size_t words = 0;       // every word, hesitations included
    std::size_t fillers = 0;     // hesitations
    std::size_t pauses = 0;      // gaps between two words longer than the threshold
    double longest_pause_s = 0;  // 0 without pauses
    double pause_total_s = 0;
    double wpm_speaking = 0;  // words per minute of speaking_s; 0 when speaking_s is 0
};

// Words in the order they were said. Times are clamped into [0,
// duration_s] and an end before its start is taken as the start; a gap
// is the next word's start minus the previous word's end (never below 0).
// Silence before the first word and after the last is not a pause.
SpeechMetrics measure_speech(const std::vector<TimedWord>& words, double duration_s, double pause_threshold_s);

}  // namespace residency::worker
