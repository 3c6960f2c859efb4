// Writes JSON text directly, for outputs built on every call (the scorer's
// result): no DOM, fixed key order, numbers with fixed decimals, so the
// same result is the same bytes.
#pragma once
#include "pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

// The text of a number rounded half up to `decimals` (1..3, clamped) and
// written with exactly that many, as JsonWriter::value(x, decimals) writes
// it ("3.50", "-0.1"); beyond exact integers (|x| * 10^decimals >= 9e15),
// %.17g. Returns the length written to `buf`, 0 when x is not finite
// (written as null).
std::size_t fixed_decimal_text(double x, int decimals, char (&buf)[32]);

// The text of an integer, as JsonWriter::value(n) writes it. Returns the
// length written to `buf`.
std::size_t integer_text(std::int64_t n, char (&buf)[32]);

// Writes `s` as a JSON string (quoted, escaped) at `out`, which must have
// room for json_string_room(s.size()) bytes. Returns the end of what was
// written. The one definition of string escaping, for every text writer.
char* write_json_string(char* out, std::string_view s);
constexpr std::size_t json_string_room(std::size_t size)
{
    return 6 * size + 2;
}

// Where the commas go, for the text writers: whether each open container
// has a member yet, one bit per level (the scorer's documents are 4 levels
// deep, so this allocates nothing; levels past 64 go to a vector).
class JsonSeparators {
public:
    // Before a key, or a value not after a key: whether a comma goes first.
    bool before_member()
    {
        if (after_key_) {
            after_key_ = false;
            return false;
        }
        if (depth_ == 0)
            return false;
        if (depth_ <= 64) {
            std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
            bool comma = !(first_ & bit);
            first_ &= ~bit;
            return comma;
        }
        bool comma = !deep_.back();
        deep_.back() = false;
        return comma;
    }
    void after_key() { after_key_ = true; }
    void opened()  // after '{' or '['
    {
        if (depth_ < 64)
            first_ |= std::uint64_t{1} << depth_;
        else
            deep_.push_back(true);
        ++depth_;
    }
    void closed()  // after '}' or ']'
    {
        --depth_;
        if (depth_ >= 64)
            deep_.pop_back();
    }

private:
    std::uint64_t first_ = 0;
    std::size_t depth_ = 0;
    std::vector<bool> deep_;
    bool after_key_ = false;
};

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }

    JsonWriter& key(std::string_view k)
    {
        comma();
        string(k);
        out_ += ':';
        sep_.after_key();
        return *this;
    }
    JsonWriter& value(std::string_view s)
    {
        comma();
        string(s);
        return *this;
    }
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b)
    {
        comma();
        out_ += b ? "true" : "false";
        return *this;
    }
    JsonWriter& value(std::int64_t n)
    {
        comma();
        char buf[32];
        out_.append(buf, integer_text(n, buf));
        return *this;
    }
    JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
    // A number rounded half up to `decimals` (1..3) and written with them.
    JsonWriter& value(double x, int decimals);
    JsonWriter& null()
    {
        comma();
        out_ += "null";
        return *this;
    }
    // Already-rendered JSON.
    JsonWriter& raw(std::string_view json)
    {
        comma();
        out_ += json;
        return *this;
    }
    template <class T>
    JsonWriter& field(std::string_view k, const T& v)
    {
        key(k);
        return value(v);
    }
    JsonWriter& field(std::string_view k, double x, int decimals)
    {
        key(k);
        return value(x, decimals);
    }

private:
    JsonWriter& open(char c)
    {
        comma();
        out_ += c;
        sep_.opened();
        return *this;
    }
    JsonWriter& close(char c)
    {
        out_ += c;
        sep_.closed();
        return *this;
    }
    void comma()
    {
        if (sep_.before_member())
            out_ += ',';
    }
    void string(std::string_view s);

    std::string& out_;
    JsonSeparators sep_;
};

}  // namespace residency
