// A JsonSink that builds jsonb directly, without JSON text in between.
//
// The scorer hands its result over as events (core/json_sink.hpp). Written
// as text and read back by jsonb_in, a result of a few kB spent a third of
// residency.score()'s time in the JSON lexer and in sorting object keys.
// Here the events are recorded in C++ memory, and finish() turns them into
// one JsonbValue tree with each object's keys already in jsonb's order
// (shorter first, then bytewise; the last of equal keys wins, as in
// jsonb_in), which JsonbValueToJsonb() serializes as it stands.
#pragma once

#include "../../core/json_sink.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "postgres.hpp"

namespace residency::pg {

class JsonbBuilder final : public JsonSink {
public:
    // Room for a score result (a few hundred events, a few kB of text) from
    // the start, so recording does not grow its buffers step by step.
    JsonbBuilder()
    {
        events_.reserve(512);
        text_.reserve(8192);
    }

    void begin_object() override { add(Kind::begin_object); }
    void end_object() override { add(Kind::end_object); }
    void begin_array() override { add(Kind::begin_array); }
    void end_array() override { add(Kind::end_array); }
    void key(std::string_view k) override { add(Kind::key, k); }
    void string(std::string_view s) override { add(Kind::string, s); }
    void number(std::string_view text) override { add(Kind::number, text); }
    void boolean(bool b) override { add(b ? Kind::true_value : Kind::false_value); }
    void null() override { add(Kind::null_value); }

    // The document written, as a jsonb Datum in the current memory context.
    // Throws Error XX000 if the events do not form one JSON value.
    Datum finish();

    // The recorded event kinds (core/json_sink.hpp), used by the serializer in the .cpp.
    using Kind = JsonEventKind;
    struct Event {
        Kind kind;
        std::uint32_t begin;  // its text: text_[begin, begin + size), NUL-terminated
        std::uint32_t size;
        std::uint32_t children;  // containers: members or elements (filled by finish())
    };

private:
    void add(Kind kind, std::string_view text = {});

    std::vector<Event> events_;
    std::string text_;
};

}  // namespace residency::pg
