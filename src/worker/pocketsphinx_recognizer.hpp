// The in-process recognizer: PocketSphinx 5prealpha (the cmd_ln/ps_init
// API) with its US English model. Its header is included by
// pocketsphinx_recognizer.cpp only: sphinxbase's include directory has
// files named like system headers (err.h).
#pragma once

#include "recognizer.hpp"

#include <memory>
#include <string>

namespace residency::worker {

struct SphinxModel {
    std::string hmm = "/usr/share/pocketsphinx/model/en-us/en-us";
    std::string lm = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
    std::string dict = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
};

class PocketSphinxRecognizer final : public Recognizer {
public:
    // Loads the model (about a second); throws std::runtime_error when it
    // cannot. PocketSphinx's log goes to /dev/null.
    explicit PocketSphinxRecognizer(const SphinxModel& model);
    ~PocketSphinxRecognizer() override;

    std::string name() const override { return name_; }
    Transcript transcribe(const Audio& audio, const CancelCheck& cancelled) override;

private:
    struct Decoder;
    std::unique_ptr<Decoder> decoder_;
    std::string name_;
};

// Where a long recording is cut into utterances for the decoder: every cut
// is in the quietest 100 ms between min_s and max_s after the previous one
// (a pause, as a rule), so an utterance is at most max_s long. Sample
// offsets, ascending, without 0 and the end.
std::vector<std::size_t> utterance_cuts(const Audio& audio, double min_s = 20, double max_s = 30);

}  // namespace residency::worker
