// Postgres' binary jsonb seen through the core's JSON View interface
// (src/core/json_view.hpp), so that the core's validators read a jsonb
// column in place: keys are found by the container's binary search, nothing
// is copied into a DOM. Every Postgres call runs under guarded().
#pragma once

#include "../../core/json_view.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "boundary.hpp"
#include "postgres.hpp"

namespace residency::pg {

class JsonbView {
public:
    // The whole document of a jsonb Datum (detoasted once, here).
    static JsonbView document(Datum jsonb);

    JsonType type() const;
    std::string_view string() const { return {value_.val.string.val, static_cast<std::size_t>(value_.val.string.len)}; }
    double number() const;
    bool integral() const;
    bool boolean() const { return value_.val.boolean; }
    std::size_t size() const;
    JsonbView at(std::size_t i) const;
    std::optional<JsonbView> find(std::string_view key) const;
    std::string excerpt(std::size_t max_chars) const;

    template <class F>
    void for_each_key(F&& f) const
    {
        JsonbContainer* c = container();
        JsonbIterator* it = guarded([&] { return JsonbIteratorInit(c); });
        JsonbValue v;
        while (true) {
            JsonbIteratorToken token = guarded([&] { return JsonbIteratorNext(&it, &v, true); });
            if (token == WJB_DONE)
                break;
            if (token == WJB_KEY)
                f(std::string_view(v.val.string.val, static_cast<std::size_t>(v.val.string.len)));
        }
    }

private:
    explicit JsonbView(const JsonbValue& v) : value_(v) {}
    JsonbContainer* container() const { return value_.val.binary.data; }

    JsonbValue value_;  // a scalar, or jbvBinary for an array or object
};

// Deepest nesting of arrays and objects in a jsonb value, measured without
// recursion; stops early once it exceeds `stop_above`.
int jsonb_depth(Datum jsonb, int stop_above);

}  // namespace residency::pg
