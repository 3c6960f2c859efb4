// PocketSphinx in process. A decoder per worker thread, configured once;
// a recording is decoded in utterances of at most 30 s (utterance_cuts), each
// as a whole utterance (batch cepstral mean normalization, as the model's
// feat.params asks), with a cancellation check between them. Word times come
// from the segment iterator, in frames (-frate, 100 per second).
#include "pocketsphinx_recognizer.hpp"

#include "failure.hpp"
#include "sphinx_tokens.hpp"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <stdexcept>
#include <sys/stat.h>

#ifndef RESIDENCY_POCKETSPHINX_VERSION
#define RESIDENCY_POCKETSPHINX_VERSION "5prealpha"
#endif

namespace residency::worker {

struct PocketSphinxRecognizer::Decoder {
    cmd_ln_t* config = nullptr;
    ps_decoder_t* ps = nullptr;
    int frame_rate = 100;

    Decoder() = default;
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;
    ~Decoder()
    {
        if (ps)
            ps_free(ps);
        if (config)
            cmd_ln_free_r(config);
    }
};

namespace {

void require_path(const std::string& path, const char* flag, bool directory)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
        throw std::runtime_error(std::string("PocketSphinx model: ") + flag + " " + path + " is not a " +
                                 (directory ? "directory" : "file"));
}

std::string basename_of(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

PocketSphinxRecognizer::PocketSphinxRecognizer(const SphinxModel& model) : decoder_(std::make_unique<Decoder>())
{
    require_path(model.hmm, "--ps-hmm", true);
    require_path(model.lm, "--ps-lm", false);
    require_path(model.dict, "--ps-dict", false);
    // Nothing of PocketSphinx's may reach stderr, the worker's JSON log:
    // off before cmd_ln_init (which prints the configuration), and -logfn.
    err_set_logfp(nullptr);
    decoder_->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.hmm.c_str(), "-lm", model.lm.c_str(),
                                   "-dict", model.dict.c_str(), "-logfn", "/dev/null", nullptr);
    if (!decoder_->config)
        throw std::runtime_error("PocketSphinx: the configuration was refused");
    decoder_->ps = ps_init(decoder_->config);
    err_set_logfp(nullptr);
    if (!decoder_->ps)
        throw std::runtime_error("PocketSphinx: the model did not load (" + model.hmm + ")");
    decoder_->frame_rate = cmd_ln_int32_r(decoder_->config, "-frate");
    if (decoder_->frame_rate <= 0)
        decoder_->frame_rate = 100;
    name_ = "pocketsphinx-" RESIDENCY_POCKETSPHINX_VERSION " " + basename_of(model.hmm);
}

PocketSphinxRecognizer::~PocketSphinxRecognizer() = default;

Transcript PocketSphinxRecognizer::transcribe(const Audio& audio, const CancelCheck& cancelled)
{
    Transcript out;
    std::vector<std::size_t> ends = utterance_cuts(audio);
    ends.push_back(audio.samples.size());
    ps_decoder_t* ps = decoder_->ps;
    const double frame_s = 1.0 / decoder_->frame_rate;
    std::size_t start = 0;
    for (std::size_t end : ends) {
        if (cancelled && cancelled())
            throw worker_stopped();
        if (ps_start_utt(ps) < 0)
            throw JobFailure(FailureCode::internal, "the speech recognizer failed", "ps_start_utt failed");
        int processed = ps_process_raw(ps, audio.samples.data() + start, end - start, FALSE, TRUE);
        int ended = ps_end_utt(ps);
        if (processed < 0 || ended < 0)
            throw JobFailure(FailureCode::internal, "the speech recognizer failed", "ps_process_raw failed");
        const double offset = static_cast<double>(start) / Audio::sample_rate;
        // ps_seg_next frees the iterator after the last segment
        for (ps_seg_t* seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
            const char* raw = ps_seg_word(seg);
            if (!raw)
                continue;
            Token token = classify_sphinx_token(raw);
            if (token.kind != TokenKind::word && token.kind != TokenKind::filler)
                continue;
            int first = 0, last = 0;
            ps_seg_frames(seg, &first, &last);
            out.words.push_back({std::move(token.text), offset + first * frame_s, offset + (last + 1) * frame_s,
                                 token.kind == TokenKind::filler});
        }
        start = end;
    }
    out.text = join_words(out.words);
    return out;
}

}  // namespace residency::worker
