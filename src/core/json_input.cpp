#include "json_input.hpp"

#include "error.hpp"
#include "interrupt.hpp"
#include "json_view.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <utility>

namespace residency {

int json_nesting_depth(std::string_view text, int stop_above)
{
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    constexpr std::size_t chunk = 64 * 1024;  // interrupts are polled once per chunk
    for (std::size_t i = 0; i < text.size();) {
        poll_interrupts();
        const std::size_t end = text.size() - i > chunk ? i + chunk : text.size();
        for (; i < end; ++i) {
            char c = text[i];
            if (in_string) {
                if (c == '\\')
                    ++i;  // skip the escaped character; \uXXXX digits are harmless
                else if (c == '"')
                    in_string = false;
                continue;
            }
            switch (c) {
            case '"':
                in_string = true;
                break;
            case '[':
            case '{':
                if (++depth > deepest) {
                    deepest = depth;
                    if (deepest > stop_above)
                        return deepest;
                }
                break;
            case ']':
            case '}':
                if (depth > 0)
                    --depth;
                break;
            default:
                break;
            }
        }
    }
    return deepest;
}

namespace {

bool is_identifier(std::string_view key)
{
    if (key.empty())
        return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        char c = key[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        bool digit = c >= '0' && c <= '9';
        if (!(alpha || (digit && i > 0)))
            return false;
    }
    return true;
}

// The text as nlohmann's parser reads it, one character at a time, polling
// for interrupts once per 64 KiB read: the handler below also polls, but
// one long string is one event however long it takes to read.
class PollingReader {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    explicit PollingReader(const char* p) : p_(p) {}
    const char& operator*() const { return *p_; }
    PollingReader& operator++()
    {
        ++p_;
        if (--left_ == 0) {
            left_ = every;
            poll_interrupts();
        }
        return *this;
    }
    PollingReader operator++(int)
    {
        PollingReader before = *this;
        ++*this;
        return before;
    }
    bool operator==(const PollingReader& o) const { return p_ == o.p_; }
    bool operator!=(const PollingReader& o) const { return p_ != o.p_; }

private:
    static constexpr std::uint32_t every = 64 * 1024;
    const char* p_;
    std::uint32_t left_ = every;
};

// Builds the document like nlohmann's own DOM parser, and records what
// strict input forbids. The path of a value is spelled out only for a
// problem: each frame keeps its key or index, not its path.
class StrictSax : public nlohmann::json_sax<Json> {
public:
    explicit StrictSax(Json& root) : root_(root) {}

    std::vector<JsonProblem> problems;
    std::string error_path;    // where a fatal parse error happened
    std::string error_detail;  // nlohmann's description of it
    bool overflow = false;     // the fatal error was a number out of range

    bool null() override { return put(Json(nullptr)); }
    bool boolean(bool v) override { return put(Json(v)); }
    bool number_integer(number_integer_t v) override { return put(Json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return put(Json(v)); }
    bool binary(binary_t&) override { return put(Json(nullptr)); }

    bool string(string_t& v) override
    {
        if (v.find('\0') != string_t::npos)
            problems.push_back({current_path(), "string contains the NUL character \\u0000"});
        return put(Json(std::move(v)));
    }

    bool start_object(std::size_t) override { return open(Json::object()); }
    bool start_array(std::size_t) override { return open(Json::array()); }

    bool key(string_t& k) override
    {
        tick();
        Frame& f = stack_.back();
        auto& object = f.value->get_ref<Json::object_t&>();
        auto [slot, inserted] = object.emplace(std::move(k), nullptr);
        f.slot = &slot->second;
        f.key = &slot->first;
        if (!inserted)
            problems.push_back({current_path(), "duplicate key"});
        if (slot->first.find('\0') != string_t::npos)
            problems.push_back({current_path(), "key contains the NUL character \\u0000"});
        return true;
    }

    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override
    {
        error_path = current_path();
        // drop nlohmann's "[json.exception.parse_error.101] " prefix
        std::string_view what = ex.what();
        if (std::size_t close = what.find("] "); what.rfind("[json.exception.", 0) == 0 && close != what.npos)
            what.remove_prefix(close + 2);
        error_detail = std::string(what);
        // nlohmann reports "number overflow" as out_of_range.406
        overflow = ex.id == 406;
        return false;
    }

private:
    struct Frame {
        Json* value;
        Json* slot = nullptr;              // objects: where the next value goes
        const std::string* key = nullptr;  // objects: its key
        std::size_t index = 0;             // arrays: the index being read
    };

    // Where the parser is: the path of the value being read.
    std::string current_path() const
    {
        std::string path = "$";
        for (const Frame& f : stack_) {
            if (f.value->is_object())
                path = f.key ? json_path_key(path, *f.key) : path;
            else
                path = json_path_index(path, f.index);
        }
        return path;
    }

    Json* place(Json&& v)
    {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        Frame& f = stack_.back();
        if (f.value->is_object()) {
            *f.slot = std::move(v);
            return f.slot;
        }
        f.value->push_back(std::move(v));
        ++f.index;
        return &f.value->back();
    }

    // Interrupts are polled once per 4096 events.
    void tick()
    {
        if (++events_ % 4096 == 0)
            poll_interrupts();
    }

    bool put(Json&& v)
    {
        tick();
        place(std::move(v));
        return true;
    }

    bool open(Json&& container)
    {
        tick();
        Json* where = place(std::move(container));
        // an array's index counts the values already placed; step back to
        // the container itself while it is being read
        if (!stack_.empty() && stack_.back().value->is_array())
            --stack_.back().index;
        stack_.push_back(Frame{where});
        return true;
    }

    bool close()
    {
        stack_.pop_back();
        if (!stack_.empty() && stack_.back().value->is_array())
            ++stack_.back().index;
        return true;
    }

    Json& root_;
    std::vector<Frame> stack_;
    std::uint32_t events_ = 0;
};

}  // namespace

std::string json_path_key(const std::string& parent, std::string_view key)
{
    if (is_identifier(key))
        return parent + "." + std::string(key);
    return parent + "[" + Json(std::string(key)).dump(-1, ' ', false, Json::error_handler_t::replace) + "]";
}

std::string json_path_index(const std::string& parent, std::size_t index)
{
    return parent + "[" + std::to_string(index) + "]";
}

std::string JsonPath::str() const
{
    if (parent_ == nullptr)
        return "$";
    std::string parent = parent_->str();
    return index_plus_one_ ? json_path_index(parent, index_plus_one_ - 1) : json_path_key(parent, key_);
}

void throw_too_deep(std::string_view what, int max_depth)
{
    throw Error(sqlstate::payload_too_large, std::string(what) + " is nested too deeply",
                "The JSON nests arrays and objects more than " + std::to_string(max_depth) +
                    " levels deep (residency.max_json_depth).",
                "Flatten the document, or ask an administrator to raise residency.max_json_depth.");
}

ParsedJson parse_json_strict(std::string_view text, const Limits& limits, std::string_view what)
{
    if (json_nesting_depth(text, limits.max_json_depth) > limits.max_json_depth)
        throw_too_deep(what, limits.max_json_depth);

    ParsedJson out;
    StrictSax sax(out.value);
    bool ok = Json::sax_parse(PollingReader(text.data()), PollingReader(text.data() + text.size()), &sax,
                              nlohmann::detail::input_format_t::json,
                              /*strict=*/true);
    if (!ok) {
        if (sax.overflow)
            throw Error(sqlstate::invalid_parameter_value, std::string(what) + " has a number out of range",
                        sax.error_path + ": the number does not fit in a double precision value.",
                        "Use numbers between -1e308 and 1e308.");
        throw Error(sqlstate::invalid_text_representation, std::string(what) + " is not valid JSON",
                    "At " + sax.error_path + ": " + sax.error_detail, "Send a single JSON value encoded as UTF-8.");
    }
    out.problems = std::move(sax.problems);
    return out;
}

void release_json(Json& document)
{
    // Iteratively: each container is emptied of its containers (moved onto
    // the stack) and then freed with its scalars.
    std::vector<Json> pending;
    pending.push_back(std::move(document));
    document = nullptr;
    for (std::size_t freed = 1; !pending.empty(); ++freed) {
        if (freed % 1024 == 0)
            poll_interrupts();
        Json v = std::move(pending.back());
        pending.pop_back();
        if (v.is_array()) {
            for (Json& child : v)
                if (child.is_structured())
                    pending.push_back(std::move(child));
        } else if (v.is_object()) {
            for (auto& member : v.items())
                if (member.value().is_structured())
                    pending.push_back(std::move(member.value()));
        }
    }
}

const char* json_type_name(JsonType type)
{
    switch (type) {
    case JsonType::null:
        return "null";
    case JsonType::boolean:
        return "boolean";
    case JsonType::number:
        return "number";
    case JsonType::string:
        return "string";
    case JsonType::array:
        return "array";
    case JsonType::object:
        return "object";
    }
    return "null";
}

std::string format_number(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "Infinity" : "-Infinity";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    return buf;
}

std::string json_excerpt(const Json& value, std::size_t max_chars)
{
    std::string s = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (s.size() > max_chars) {
        std::size_t cut = max_chars;
        // do not cut a UTF-8 sequence in half
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut;
        s = s.substr(0, cut) + "...";
    }
    return s;
}

std::string format_problems(const std::vector<JsonProblem>& problems, std::size_t cap)
{
    std::string out = std::to_string(problems.size()) + (problems.size() == 1 ? " problem found:" : " problems found:");
    std::size_t shown = 0;
    for (const JsonProblem& p : problems) {
        if (shown == cap) {
            out += "\n... and " + std::to_string(problems.size() - cap) + " more.";
            break;
        }
        out += "\n" + p.path + ": " + p.message;
        ++shown;
    }
    return out;
}

}  // namespace residency
