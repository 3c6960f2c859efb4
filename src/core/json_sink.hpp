// A JSON document as events: an abstract sink the events are written to,
// and JsonEvents, a document recorded as its events to be written to any
// sink later. The scorer records its result's `details` this way, so that
// ScoreResult::write() can hand the whole result to the Postgres layer as
// events (to build jsonb directly) and to_json_text() writes the very same
// events as text: the two cannot disagree.
#pragma once
#include "pure.hpp"

#include "json_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

// The events of a JSON document, as JsonEvents and the Postgres layer's
// jsonb builder record them.
enum class JsonEventKind : std::uint8_t {
    begin_object,
    end_object,
    begin_array,
    end_array,
    key,
    string,
    number,
    true_value,
    false_value,
    null_value
};

class JsonSink {
public:
    virtual ~JsonSink() = default;
    virtual void begin_object() = 0;
    virtual void end_object() = 0;
    virtual void begin_array() = 0;
    virtual void end_array() = 0;
    virtual void key(std::string_view k) = 0;
    virtual void string(std::string_view s) = 0;
    // A number, as the exact text the JSON text has ("3.50", "42").
    virtual void number(std::string_view text) = 0;
    virtual void boolean(bool b) = 0;
    virtual void null() = 0;
};

// Writes the events as JSON text, the same text JsonWriter writes (the
// same escaping and separators), into a buffer of its own that grows in
// steps: a result is a few kB written in a few hundred pieces, and
// appending each piece to a std::string cost more than writing it.
class JsonTextSink final : public JsonSink {
public:
    explicit JsonTextSink(std::size_t expected_size = 4096) { buf_.resize(expected_size); }

    void begin_object() override { open('{'); }
    void end_object() override { close('}'); }
    void begin_array() override { open('['); }
    void end_array() override { close(']'); }
    void key(std::string_view k) override;
    void string(std::string_view s) override;
    void number(std::string_view text) override { put(text); }
    void boolean(bool b) override { put(b ? "true" : "false"); }
    void null() override { put("null"); }

    // The text written so far; the sink is empty afterwards.
    std::string take();

private:
    char* room(std::size_t n)  // where the next n bytes go
    {
        if (buf_.size() - len_ < n)
            buf_.resize(std::max(2 * buf_.size(), len_ + n));
        return buf_.data() + len_;
    }
    void separator()
    {
        if (sep_.before_member())
            *room(1) = ',', ++len_;
    }
    void put(std::string_view text);
    void open(char c);
    void close(char c);

    std::string buf_;  // [0, len_) written, the rest room to grow
    std::size_t len_ = 0;
    JsonSeparators sep_;
};

// A JSON value recorded as events, built with JsonWriter's calls (numbers
// get the same text JsonWriter would write). Texts are kept back to back in
// one buffer; recording allocates only when the buffers grow, and clear()
// keeps them.
class JsonEvents {
public:
    JsonEvents& begin_object() { return add(Kind::begin_object); }
    JsonEvents& end_object() { return add(Kind::end_object); }
    JsonEvents& begin_array() { return add(Kind::begin_array); }
    JsonEvents& end_array() { return add(Kind::end_array); }
    JsonEvents& key(std::string_view k) { return add(Kind::key, k); }
    JsonEvents& value(std::string_view s) { return add(Kind::string, s); }
    JsonEvents& value(const char* s) { return value(std::string_view(s)); }
    JsonEvents& value(const std::string& s) { return value(std::string_view(s)); }
    JsonEvents& value(bool b) { return add(b ? Kind::true_value : Kind::false_value); }
    JsonEvents& value(std::int64_t n)
    {
        char buf[32];
        return add(Kind::number, std::string_view(buf, integer_text(n, buf)));
    }
    JsonEvents& value(int n) { return value(static_cast<std::int64_t>(n)); }
    // A number rounded half up to `decimals` (1..3); null when not finite.
    JsonEvents& value(double x, int decimals)
    {
        char buf[32];
        std::size_t n = fixed_decimal_text(x, decimals, buf);
        return n == 0 ? null() : add(Kind::number, std::string_view(buf, n));
    }
    JsonEvents& null() { return add(Kind::null_value); }
    template <class T>
    JsonEvents& field(std::string_view k, const T& v)
    {
        key(k);
        return value(v);
    }
    JsonEvents& field(std::string_view k, double x, int decimals)
    {
        key(k);
        return value(x, decimals);
    }
    // Another recorded value, as the next value here.
    JsonEvents& append(const JsonEvents& other);

    void write(JsonSink& sink) const { replay(sink); }
    // The same events into a text sink, called directly rather than through
    // the vtable (a result is a few hundred events).
    void write(JsonTextSink& sink) const { replay(sink); }
    std::string to_json_text() const;

    bool empty() const { return events_.empty(); }
    std::size_t events() const { return events_.size(); }
    std::size_t text_size() const { return text_len_; }  // the bytes of its keys, strings and numbers
    void clear()
    {
        events_.clear();
        text_len_ = 0;
    }
    void reserve(std::size_t events, std::size_t text_bytes)
    {
        events_.reserve(events);
        if (text_.size() < text_bytes)
            text_.resize(text_bytes);
    }

private:
    using Kind = JsonEventKind;
    struct Event {
        Kind kind;
        std::uint32_t begin;  // the text: text_[begin, begin + size)
        std::uint32_t size;
    };
    // Texts are copied into text_[0, text_len_), the rest of text_ being room
    // to grow: one memcpy per event, where std::string::append was a call
    // into the library.
    JsonEvents& add(Kind kind, std::string_view text = {})
    {
        events_.push_back(Event{kind, static_cast<std::uint32_t>(text_len_), static_cast<std::uint32_t>(text.size())});
        if (!text.empty()) {
            if (text_.size() - text_len_ < text.size())
                text_.resize(std::max(2 * text_.size(), text_len_ + text.size()));
            std::memcpy(text_.data() + text_len_, text.data(), text.size());
            text_len_ += text.size();
        }
        return *this;
    }

    template <class Sink>
    void replay(Sink& sink) const;

    std::vector<Event> events_;
    std::string text_;
    std::size_t text_len_ = 0;
};

}  // namespace residency
