// decode_audio(): FFmpeg's libraries read the recording from memory (a
// custom AVIOContext), decode its best audio stream and libswresample turns
// each frame into 16 kHz mono s16. Every FFmpeg object is held by RAII; any
// error becomes a JobFailure, never a crash: the bytes come from anyone.
#include "audio.hpp"
#include "failure.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace residency::worker {

namespace {

// What the candidate reads for every kind of unreadable input.
constexpr const char* unreadable = "the recording could not be read as audio";

JobFailure undecodable(std::string detail)
{
    return JobFailure(FailureCode::undecodable, unreadable, std::move(detail));
}

std::string av_error_text(int error)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(error, buf, sizeof buf);
    return buf;
}

// The recording in memory, read through AVIOContext's callbacks.
struct MemoryReader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
};

int read_memory(void* opaque, std::uint8_t* buf, int buf_size)
{
    auto* m = static_cast<MemoryReader*>(opaque);
    std::size_t n = std::min(m->size - m->pos, static_cast<std::size_t>(std::max(buf_size, 0)));
    if (n == 0)
        return AVERROR_EOF;
    std::memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return static_cast<int>(n);
}

std::int64_t seek_memory(void* opaque, std::int64_t offset, int whence)
{
    auto* m = static_cast<MemoryReader*>(opaque);
    std::int64_t size = static_cast<std::int64_t>(m->size);
    std::int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return size;
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = static_cast<std::int64_t>(m->pos);
        break;
    case SEEK_END:
        base = size;
        break;
    default:
        return AVERROR(EINVAL);
    }
    if (offset > size || offset < -size)
        return AVERROR(EINVAL);
    std::int64_t target = base + offset;
    if (target < 0 || target > size)
        return AVERROR(EINVAL);
    m->pos = static_cast<std::size_t>(target);
    return target;
}

struct IoDeleter {
    void operator()(AVIOContext* io) const
    {
        av_freep(&io->buffer);
        avio_context_free(&io);
    }
};
struct FormatDeleter {
    void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecDeleter {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameDeleter {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct SwrDeleter {
    void operator()(SwrContext* s) const { swr_free(&s); }
};
struct LayoutGuard {
    AVChannelLayout layout{};
    ~LayoutGuard() { av_channel_layout_uninit(&layout); }
};

// FFmpeg's own messages would go to stderr, which is the worker's JSON log.
void quiet_ffmpeg()
{
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

// Frames of any layout, format and rate, into 16 kHz mono s16. The
// resampler is made for the first frame and made again when a frame
// differs (a stream may change mid-way).
class Resampler {
public:
    explicit Resampler(std::vector<std::int16_t>& out) : out_(out) { av_channel_layout_default(&mono_.layout, 1); }

    void push(const AVFrame& frame)
    {
        if (frame.sample_rate <= 0 || frame.ch_layout.nb_channels <= 0 || frame.nb_samples < 0)
            throw undecodable("a frame without sample rate or channels");
        if (!swr_ || frame.format != in_format_ || frame.sample_rate != in_rate_ ||
            av_channel_layout_compare(&frame.ch_layout, &in_layout_.layout) != 0) {
            flush();
            open(frame);
        }
        convert(const_cast<const std::uint8_t**>(frame.extended_data), frame.nb_samples);
    }

    void flush()
    {
        if (swr_)
            convert(nullptr, 0);
    }

private:
    void open(const AVFrame& frame)
    {
        av_channel_layout_uninit(&in_layout_.layout);
        int rc = av_channel_layout_copy(&in_layout_.layout, &frame.ch_layout);
        if (rc < 0)
            throw undecodable("channel layout: " + av_error_text(rc));
        // an unspecified order (a WAV without a channel mask) is mixed down
        // as the default layout of its channel count
        LayoutGuard mix;
        rc = frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC
                 ? (av_channel_layout_default(&mix.layout, frame.ch_layout.nb_channels), 0)
                 : av_channel_layout_copy(&mix.layout, &frame.ch_layout);
        if (rc < 0)
            throw undecodable("channel layout: " + av_error_text(rc));
        SwrContext* raw = nullptr;
        rc = swr_alloc_set_opts2(&raw, &mono_.layout, AV_SAMPLE_FMT_S16, Audio::sample_rate, &mix.layout,
                                 static_cast<AVSampleFormat>(frame.format), frame.sample_rate, 0, nullptr);
        std::unique_ptr<SwrContext, SwrDeleter> swr(raw);
        if (rc < 0 || !swr || (rc = swr_init(swr.get())) < 0)
            throw undecodable("resampler: " + av_error_text(rc));
        swr_ = std::move(swr);
        in_format_ = frame.format;
        in_rate_ = frame.sample_rate;
    }

    void convert(const std::uint8_t** in, int in_samples)
    {
        int room = swr_get_out_samples(swr_.get(), in_samples);
        if (room < 0)
            throw undecodable("resampler: " + av_error_text(room));
        if (room == 0)
            return;
        std::size_t at = out_.size();
        out_.resize(at + static_cast<std::size_t>(room));
        std::uint8_t* dst = reinterpret_cast<std::uint8_t*>(out_.data() + at);
        int n = swr_convert(swr_.get(), &dst, room, in, in_samples);
        if (n < 0) {
            out_.resize(at);
            throw undecodable("resampler: " + av_error_text(n));
        }
        out_.resize(at + static_cast<std::size_t>(n));
    }

    std::vector<std::int16_t>& out_;
    LayoutGuard mono_;
    LayoutGuard in_layout_;
    int in_format_ = -1;
    int in_rate_ = 0;
    std::unique_ptr<SwrContext, SwrDeleter> swr_;
};

// "10 minutes", "90 s": a limit as the candidate reads it
std::string describe_seconds(double s)
{
    long whole = static_cast<long>(s);
    if (whole >= 60 && whole % 60 == 0 && static_cast<double>(whole) == s)
        return std::to_string(whole / 60) + (whole == 60 ? " minute" : " minutes");
    return std::to_string(whole) + " s";
}

int interrupt_callback(void* opaque)
{
    const CancelCheck* cancelled = static_cast<const CancelCheck*>(opaque);
    return (*cancelled && (*cancelled)()) ? 1 : 0;
}

}  // namespace

Audio decode_audio(std::string_view bytes, double max_duration_s, const CancelCheck& cancelled)
{
    quiet_ffmpeg();
    if (bytes.empty())
        throw undecodable("empty file");

    MemoryReader reader{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
    constexpr int io_buffer_size = 64 * 1024;
    auto* io_buffer = static_cast<unsigned char*>(av_malloc(io_buffer_size));
    if (!io_buffer)
        throw std::bad_alloc();
    AVIOContext* io_raw = avio_alloc_context(io_buffer, io_buffer_size, 0, &reader, read_memory, nullptr, seek_memory);
    if (!io_raw) {
        av_free(io_buffer);
        throw std::bad_alloc();
    }
    std::unique_ptr<AVIOContext, IoDeleter> io(io_raw);

    // A format must be recognized with some confidence: random bytes can
    // look like a few MPEG audio frames at a low probe score.
    const AVInputFormat* input_format = nullptr;
    int score = av_probe_input_buffer2(io.get(), &input_format, "", nullptr, 0, 0);
    if (score < 0 || !input_format)
        throw undecodable("unknown format: " + (score < 0 ? av_error_text(score) : std::string("no match")));
    if (score <= AVPROBE_SCORE_RETRY)
        throw undecodable("format " + std::string(input_format->name) + " recognized with a low score (" +
                          std::to_string(score) + ")");

    AVFormatContext* format_raw = avformat_alloc_context();
    if (!format_raw)
        throw std::bad_alloc();
    format_raw->pb = io.get();
    format_raw->interrupt_callback.callback = interrupt_callback;
    format_raw->interrupt_callback.opaque = const_cast<CancelCheck*>(&cancelled);
    // avformat_open_input frees the context when it fails
    int rc = avformat_open_input(&format_raw, "", input_format, nullptr);
    if (rc < 0)
        throw undecodable(std::string(input_format->name) + ": " + av_error_text(rc));
    std::unique_ptr<AVFormatContext, FormatDeleter> format(format_raw);
    if ((rc = avformat_find_stream_info(format.get(), nullptr)) < 0)
        throw undecodable(std::string(input_format->name) + ": stream info: " + av_error_text(rc));

    const AVCodec* codec = nullptr;
    int stream_index = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream_index < 0 || !codec)
        throw undecodable(std::string(input_format->name) + ": no audio stream that can be decoded");
    AVStream* stream = format->streams[stream_index];

    std::unique_ptr<AVCodecContext, CodecDeleter> decoder(avcodec_alloc_context3(codec));
    if (!decoder)
        throw std::bad_alloc();
    if ((rc = avcodec_parameters_to_context(decoder.get(), stream->codecpar)) < 0)
        throw undecodable(std::string(codec->name) + ": parameters: " + av_error_text(rc));
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = 1;  // the worker runs one job per thread
    if ((rc = avcodec_open2(decoder.get(), codec, nullptr)) < 0)
        throw undecodable(std::string(codec->name) + ": " + av_error_text(rc));

    std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
    if (!packet || !frame)
        throw std::bad_alloc();

    Audio audio;
    Resampler resampler(audio.samples);
    const double max_samples = max_duration_s * Audio::sample_rate;
    long good_packets = 0, bad_packets = 0;
    auto check_length = [&] {
        if (static_cast<double>(audio.samples.size()) > max_samples)
            throw JobFailure(FailureCode::too_long, "the recording is longer than " + describe_seconds(max_duration_s),
                             "decoded past the limit");
    };
    auto receive_frames = [&] {
        for (;;) {
            int r = avcodec_receive_frame(decoder.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
                return;
            if (r < 0) {
                ++bad_packets;
                return;
            }
            resampler.push(*frame);
            av_frame_unref(frame.get());
            check_length();
        }
    };

    for (;;) {
        if (cancelled && cancelled())
            throw worker_stopped();
        rc = av_read_frame(format.get(), packet.get());
        if (rc == AVERROR_EXIT)
            throw worker_stopped();
        if (rc < 0)
            break;  // the end, or a truncated file: what was read is kept
        if (packet->stream_index == stream_index) {
            int sent = avcodec_send_packet(decoder.get(), packet.get());
            if (sent == AVERROR(EAGAIN)) {
                // the decoder's output is full: take its frames, then send again
                receive_frames();
                sent = avcodec_send_packet(decoder.get(), packet.get());
            }
            sent < 0 ? ++bad_packets : ++good_packets;
            receive_frames();
        }
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(decoder.get(), nullptr);
    receive_frames();
    resampler.flush();
    check_length();

    if (audio.samples.empty())
        throw undecodable(std::string(codec->name) + ": no audio decoded (" + std::to_string(bad_packets) +
                          " packets refused)");
    if (bad_packets >= 3 && bad_packets > good_packets)
        throw undecodable(std::string(codec->name) + ": mostly corrupt (" + std::to_string(bad_packets) + " of " +
                          std::to_string(bad_packets + good_packets) + " packets refused)");
    return audio;
}

}  // namespace residency::worker
