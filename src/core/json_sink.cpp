#include "json_sink.hpp"

#include <cstring>

namespace residency {

void JsonTextSink::key(std::string_view k)
{
    separator();
    char* at = room(json_string_room(k.size()) + 1);
    at = write_json_string(at, k);
    *at++ = ':';
    len_ = static_cast<std::size_t>(at - buf_.data());
    sep_.after_key();
}

void JsonTextSink::string(std::string_view s)
{
    separator();
    char* at = write_json_string(room(json_string_room(s.size())), s);
    len_ = static_cast<std::size_t>(at - buf_.data());
}

void JsonTextSink::put(std::string_view text)
{
    separator();
    std::memcpy(room(text.size()), text.data(), text.size());
    len_ += text.size();
}

void JsonTextSink::open(char c)
{
    separator();
    *room(1) = c;
    ++len_;
    sep_.opened();
}

void JsonTextSink::close(char c)
{
    *room(1) = c;
    ++len_;
    sep_.closed();
}

std::string JsonTextSink::take()
{
    buf_.resize(len_);
    len_ = 0;
    return std::move(buf_);
}

JsonEvents& JsonEvents::append(const JsonEvents& other)
{
    const std::uint32_t shift = static_cast<std::uint32_t>(text_len_);
    const std::size_t first = events_.size();
    events_.insert(events_.end(), other.events_.begin(), other.events_.end());
    for (std::size_t k = first; k < events_.size(); ++k)
        events_[k].begin += shift;
    if (text_.size() - text_len_ < other.text_len_)
        text_.resize(std::max(2 * text_.size(), text_len_ + other.text_len_));
    if (other.text_len_ > 0)
        std::memcpy(text_.data() + text_len_, other.text_.data(), other.text_len_);
    text_len_ += other.text_len_;
    return *this;
}

template <class Sink>
void JsonEvents::replay(Sink& sink) const
{
    for (const Event& e : events_) {
        std::string_view text(text_.data() + e.begin, e.size);
        switch (e.kind) {
        case Kind::begin_object:
            sink.begin_object();
            break;
        case Kind::end_object:
            sink.end_object();
            break;
        case Kind::begin_array:
            sink.begin_array();
            break;
        case Kind::end_array:
            sink.end_array();
            break;
        case Kind::key:
            sink.key(text);
            break;
        case Kind::string:
            sink.string(text);
            break;
        case Kind::number:
            sink.number(text);
            break;
        case Kind::true_value:
            sink.boolean(true);
            break;
        case Kind::false_value:
            sink.boolean(false);
            break;
        case Kind::null_value:
            sink.null();
            break;
        }
    }
}

template void JsonEvents::replay(JsonSink&) const;
template void JsonEvents::replay(JsonTextSink&) const;

std::string JsonEvents::to_json_text() const
{
    JsonTextSink sink(text_len_ + 4 * events_.size() + 16);
    write(sink);
    return sink.take();
}

}  // namespace residency
