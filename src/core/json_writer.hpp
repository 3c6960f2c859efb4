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
        after_key_ = true;
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
        out_ += std::to_string(n);
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
        first_.push_back(true);
        return *this;
    }
    JsonWriter& close(char c)
    {
        out_ += c;
        first_.pop_back();
        return *this;
    }
    void comma()
    {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (!first_.empty()) {
            if (!first_.back())
                out_ += ',';
            first_.back() = false;
        }
    }
    void string(std::string_view s);

    std::string& out_;
    std::vector<bool> first_;
    bool after_key_ = false;
};

}  // namespace residency
