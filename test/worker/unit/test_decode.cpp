// decode_audio(): WAV made by espeak-ng and by hand in several shapes,
// other containers encoded at test time with FFmpeg's own encoders (m4a/AAC,
// FLAC, Ogg/Opus, MP3, when the build has them), and bad input (random
// bytes, nothing, a truncated file, a text file) that must be undecodable,
// never a crash.
#include "audio.hpp"
#include "failure.hpp"
#include "worker_test_util.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <cmath>
#include <cstring>
#include <random>

namespace residency::worker {
namespace {

using test::TempDir;

FailureCode failure_of(const std::string& bytes, double max_s = 600)
{
    try {
        decode_audio(bytes, max_s);
    } catch (const JobFailure& f) {
        return f.code();
    }
    ADD_FAILURE() << "decoded";
    return FailureCode::internal;
}

// A PCM WAV by hand: format 1 (integer) or 3 (float), any rate and channels.
std::string pcm_wav(int rate, int channels, int bits, bool is_float, double seconds, double freq = 440)
{
    std::size_t frames = static_cast<std::size_t>(seconds * rate);
    std::string data;
    for (std::size_t i = 0; i < frames; ++i) {
        double v = 0.5 * std::sin(2 * M_PI * freq * static_cast<double>(i) / rate);
        for (int c = 0; c < channels; ++c) {
            if (is_float) {
                float f = static_cast<float>(v);
                data.append(reinterpret_cast<const char*>(&f), 4);
            } else if (bits == 8) {
                data.push_back(static_cast<char>(static_cast<std::uint8_t>(128 + v * 127)));
            } else {
                std::int16_t s = static_cast<std::int16_t>(v * 32767);
                data.append(reinterpret_cast<const char*>(&s), 2);
            }
        }
    }
    std::string out = "RIFF";
    auto u32 = [&](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); };
    u32(static_cast<std::uint32_t>(36 + data.size()));
    out += "WAVEfmt ";
    u32(16);
    u16(is_float ? 3 : 1);
    u16(static_cast<std::uint16_t>(channels));
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate * channels * bits / 8));
    u16(static_cast<std::uint16_t>(channels * bits / 8));
    u16(static_cast<std::uint16_t>(bits));
    out += "data";
    u32(static_cast<std::uint32_t>(data.size()));
    return out + data;
}

TEST(Decode, EspeakWav)
{
    TempDir dir;
    std::string wav = test::espeak_wav(dir, "hello.wav", "Hello, I am applying for internal medicine.");
    if (wav.empty())
        GTEST_SKIP() << "espeak-ng is not installed";
    Audio a = decode_audio(wav, 600);
    // espeak-ng writes 22050 Hz: the length survives the resampling
    std::size_t data_bytes = wav.size() - 44;
    double expected = static_cast<double>(data_bytes / 2) / 22050.0;
    EXPECT_NEAR(a.duration_s(), expected, 0.01);
    EXPECT_GT(a.duration_s(), 1.0);
}

TEST(Decode, WavShapes)
{
    struct Shape {
        int rate, channels, bits;
        bool is_float;
    };
    for (Shape s : {Shape{16000, 1, 16, false}, Shape{44100, 2, 16, false}, Shape{48000, 1, 32, true},
                    Shape{8000, 1, 8, false}, Shape{22050, 6, 16, false}}) {
        Audio a = decode_audio(pcm_wav(s.rate, s.channels, s.bits, s.is_float, 2.0), 600);
        EXPECT_NEAR(a.duration_s(), 2.0, 0.01) << s.rate << " Hz, " << s.channels << " channels";
        // a sine at half scale: the mix-down keeps it audible, not clipped to nothing
        Loudness l = measure_loudness(a, -45);
        EXPECT_GT(l.rms_dbfs, -20) << s.rate << " Hz, " << s.channels << " channels";
        EXPECT_FALSE(is_silence(l));
    }
}

TEST(Decode, OwnWavRoundTrip)
{
    Audio a;
    for (int i = 0; i < 16000; ++i)
        a.samples.push_back(static_cast<std::int16_t>((i * 37) % 2000 - 1000));
    Audio b = decode_audio(to_wav(a), 600);
    EXPECT_EQ(a.samples, b.samples);
}

TEST(Decode, BadInputIsUndecodable)
{
    EXPECT_EQ(failure_of(""), FailureCode::undecodable);
    EXPECT_EQ(failure_of(std::string(1, '\0')), FailureCode::undecodable);
    EXPECT_EQ(failure_of("this is not audio, it is a text file\n"), FailureCode::undecodable);
    EXPECT_EQ(failure_of("RIFF"), FailureCode::undecodable);
    std::mt19937 random(20261205);
    for (std::size_t size : {1, 100, 4096, 100000, 1000000}) {
        std::string bytes(size, '\0');
        for (char& c : bytes)
            c = static_cast<char>(random() & 0xff);
        EXPECT_EQ(failure_of(bytes), FailureCode::undecodable) << size << " random bytes";
    }
    // a WAV header with no samples
    EXPECT_EQ(failure_of(pcm_wav(16000, 1, 16, false, 0)), FailureCode::undecodable);
}

TEST(Decode, TruncatedFileKeepsWhatIsThere)
{
    std::string wav = pcm_wav(16000, 1, 16, false, 2.0);
    Audio a = decode_audio(wav.substr(0, 44 + 16000), 600);  // half a second of its 2 s
    EXPECT_NEAR(a.duration_s(), 0.5, 0.01);
}

TEST(Decode, TooLong)
{
    EXPECT_EQ(failure_of(pcm_wav(8000, 1, 16, false, 12.0), 10), FailureCode::too_long);
    EXPECT_NO_THROW(decode_audio(pcm_wav(8000, 1, 16, false, 9.5), 10));
}

TEST(Decode, Cancelled)
{
    try {
        decode_audio(pcm_wav(16000, 1, 16, false, 3.0), 600, [] { return true; });
        ADD_FAILURE() << "decoded";
    } catch (const JobFailure& f) {
        EXPECT_EQ(f.code(), FailureCode::internal);
        EXPECT_EQ(f.reason(), "internal: the worker stopped");
    }
}

// Encodes a sine with FFmpeg's encoder `codec` into `path` (the container
// from its extension); false when this build has no such encoder.
bool encode_file(const std::string& path, const char* codec_name, double seconds)
{
    const AVCodec* codec = avcodec_find_encoder_by_name(codec_name);
    if (!codec)
        return false;
    AVFormatContext* oc = nullptr;
    if (avformat_alloc_output_context2(&oc, nullptr, nullptr, path.c_str()) < 0 || !oc)
        return false;
    AVCodecContext* enc = avcodec_alloc_context3(codec);
    const AVSampleFormat format = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    int rate = 48000;
    if (codec->supported_samplerates) {
        rate = codec->supported_samplerates[0];
        for (const int* r = codec->supported_samplerates; *r; ++r)
            if (*r == 44100 || *r == 48000)
                rate = *r;
    }
    enc->sample_fmt = format;
    enc->sample_rate = rate;
    av_channel_layout_default(&enc->ch_layout, 2);
    enc->bit_rate = 64000;
    enc->time_base = AVRational{1, rate};
    if (oc->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    bool ok = avcodec_open2(enc, codec, nullptr) >= 0;
    AVStream* st = ok ? avformat_new_stream(oc, nullptr) : nullptr;
    ok = ok && st && avcodec_parameters_from_context(st->codecpar, enc) >= 0;
    if (ok)
        st->time_base = enc->time_base;
    ok = ok && avio_open(&oc->pb, path.c_str(), AVIO_FLAG_WRITE) >= 0 && avformat_write_header(oc, nullptr) >= 0;

    SwrContext* swr = nullptr;
    AVChannelLayout mono;
    av_channel_layout_default(&mono, 1);
    ok = ok &&
         swr_alloc_set_opts2(&swr, &enc->ch_layout, format, rate, &mono, AV_SAMPLE_FMT_S16, rate, 0, nullptr) >= 0 &&
         swr_init(swr) >= 0;
    AVFrame* frame = av_frame_alloc();
    AVPacket* pkt = av_packet_alloc();
    const int frame_size = enc->frame_size > 0 ? enc->frame_size : 1024;
    const long total = static_cast<long>(seconds * rate);
    auto drain = [&] {
        while (avcodec_receive_packet(enc, pkt) >= 0) {
            av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
            pkt->stream_index = st->index;
            av_interleaved_write_frame(oc, pkt);
        }
    };
    for (long at = 0; ok && at < total; at += frame_size) {
        int n = static_cast<int>(std::min<long>(frame_size, total - at));
        std::vector<std::int16_t> in(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            in[static_cast<std::size_t>(i)] =
                static_cast<std::int16_t>(12000 * std::sin(2 * M_PI * 330 * static_cast<double>(at + i) / rate));
        av_frame_unref(frame);
        frame->format = format;
        frame->sample_rate = rate;
        av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
        frame->nb_samples = frame_size;  // the last frame padded (the encoders want full frames)
        ok = av_frame_get_buffer(frame, 0) >= 0;
        const std::uint8_t* src = reinterpret_cast<const std::uint8_t*>(in.data());
        int made = ok ? swr_convert(swr, frame->extended_data, frame_size, &src, n) : -1;
        ok = made >= 0;
        if (ok && made < frame_size)
            frame->nb_samples = std::max(made, 1);
        frame->pts = at;
        ok = ok && avcodec_send_frame(enc, frame) >= 0;
        drain();
    }
    if (ok) {
        avcodec_send_frame(enc, nullptr);
        drain();
        ok = av_write_trailer(oc) >= 0;
    }
    av_packet_free(&pkt);
    av_frame_free(&frame);
    swr_free(&swr);
    avcodec_free_context(&enc);
    if (oc->pb)
        avio_closep(&oc->pb);
    avformat_free_context(oc);
    return ok;
}

TEST(Decode, OtherContainersAndCodecs)
{
    TempDir dir;
    struct Case {
        const char* file;
        const char* encoder;
    };
    int tried = 0;
    for (Case c : {Case{"a.m4a", "aac"}, Case{"a.flac", "flac"}, Case{"a.ogg", "libopus"}, Case{"b.ogg", "libvorbis"},
                   Case{"a.mp3", "libmp3lame"}}) {
        std::string path = dir.file(c.file);
        if (!encode_file(path, c.encoder, 3.0))
            continue;  // not in this FFmpeg build
        ++tried;
        std::string bytes = test::read_file(path);
        ASSERT_GT(bytes.size(), 100u) << c.file;
        Audio a = decode_audio(bytes, 600);
        // encoders add priming samples and pad the last frame
        EXPECT_NEAR(a.duration_s(), 3.0, 0.15) << c.file << " (" << c.encoder << ")";
        EXPECT_FALSE(is_silence(measure_loudness(a, -45))) << c.file;
        // cut in half: still decodes what is there, or says undecodable; never a crash
        try {
            decode_audio(std::string_view(bytes).substr(0, bytes.size() / 2), 600);
        } catch (const JobFailure& f) {
            EXPECT_EQ(f.code(), FailureCode::undecodable) << c.file;
        }
    }
    EXPECT_GE(tried, 2) << "FFmpeg's native aac and flac encoders should be there";
}

}  // namespace
}  // namespace residency::worker
