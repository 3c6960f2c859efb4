// Helpers for the worker's unit tests: a temporary directory, files,
// speech made at test time with espeak-ng, and a word error rate.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace residency::worker::test {

class TempDir {
public:
    TempDir()
    {
        char pattern[] = "/tmp/residency-worker-test-XXXXXX";
        const char* made = mkdtemp(pattern);
        path_ = made ? made : "";
    }
    ~TempDir()
    {
        if (!path_.empty())
            std::system(("rm -rf '" + path_ + "'").c_str());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// espeak-ng's WAV (22050 Hz mono s16) of text at words_per_minute; empty
// when espeak-ng is missing. PocketSphinx's en-us model hears the en-us+f2
// voice best of espeak-ng's voices (docs/worker.md, measured figures).
inline std::string espeak_wav(const TempDir& dir, const std::string& name, const std::string& text,
                              int words_per_minute = 130, const std::string& voice = "en-us+f2")
{
    std::string path = dir.file(name);
    std::string text_path = dir.file(name + ".txt");
    write_file(text_path, text);
    std::string command = "espeak-ng -v " + voice + " -s " + std::to_string(words_per_minute) + " -w '" + path +
                          "' -f '" + text_path + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
        return {};
    return read_file(path);
}

inline std::vector<std::string> words_of(const std::string& text)
{
    std::vector<std::string> out;
    std::string word;
    for (char c : text + " ") {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || c == '\'' || (c >= '0' && c <= '9')) {
            word.push_back(c);
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    return out;
}

// Word error rate: (substitutions + deletions + insertions) / reference words.
inline double word_error_rate(const std::string& reference, const std::string& hypothesis)
{
    std::vector<std::string> r = words_of(reference), h = words_of(hypothesis);
    std::vector<std::size_t> previous(h.size() + 1), current(h.size() + 1);
    for (std::size_t j = 0; j <= h.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= r.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= h.size(); ++j)
            current[j] =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1)});
        std::swap(previous, current);
    }
    return r.empty() ? 0 : static_cast<double>(previous[h.size()]) / static_cast<double>(r.size());
}

}  // namespace residency::worker::test
