// Reading JSON that comes from outside: a content pack, an evaluation result.
// The nesting depth is measured by an iterative scan before anything
// recursive runs; the parser then builds the document through a SAX handler
// that knows the JSON path of every value, so that problems it finds
// (duplicate keys, NUL characters, numbers out of range) are reported with a
// path such as $.questions[3].prompt.
#pragma once
#include "pure.hpp"

#include "limits.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace residency {

using Json = nlohmann::json;

// One problem found in a JSON document, located by its path.
struct JsonProblem {
    std::string path;
    std::string message;
};

// Deepest nesting of arrays and objects in `text` (0 for a scalar). Stops and
// returns early once the depth exceeds `stop_above`. Strings and escapes are
// skipped properly; the text need not be valid JSON.
int json_nesting_depth(std::string_view text, int stop_above);

// JSON path helpers: $.key, $["odd key"], $[3].
std::string json_path_key(const std::string& parent, std::string_view key);
std::string json_path_index(const std::string& parent, std::size_t index);

// A JSON path as a chain of references to its parents, spelled out only
// when a problem is reported: validators walk documents of thousands of
// values and report few or none. A JsonPath must not outlive its parent
// (they live on the validator's stack).
class JsonPath {
public:
    JsonPath() = default;  // $
    JsonPath key(std::string_view k) const { return JsonPath(this, k, 0); }
    JsonPath index(std::size_t i) const { return JsonPath(this, {}, i + 1); }
    std::string str() const;

private:
    JsonPath(const JsonPath* parent, std::string_view key, std::size_t index_plus_one)
        : parent_(parent),
          key_(key),
          index_plus_one_(index_plus_one)
    {
    }
    const JsonPath* parent_ = nullptr;
    std::string_view key_;
    std::size_t index_plus_one_ = 0;  // 0: a key (or the root)
};

struct ParsedJson {
    Json value;
    std::vector<JsonProblem> problems;  // duplicate keys, NUL characters
};

// The PT413 error for JSON nested deeper than residency.max_json_depth.
[[noreturn]] void throw_too_deep(std::string_view what, int max_depth);

// Parses `text` strictly. Throws Error:
//   PT413 when nested deeper than limits.max_json_depth,
//   22P02 when it is not JSON (message says where),
//   22023 when a number is out of range (with its path).
// Duplicate keys and NUL characters do not stop the parse: they come back as
// problems, so that a validator can report them with everything else.
// `what` names the document in messages ("content pack", "categories").
ParsedJson parse_json_strict(std::string_view text, const Limits& limits, std::string_view what);

// Frees a document (leaving null), polling for interrupts as it goes:
// freeing a large parsed document takes about a quarter of the time parsing
// it took, too long to do in one piece.
void release_json(Json& document);

// A number for messages, spelled as Postgres spells it: NaN, Infinity,
// -Infinity, else up to 6 significant digits.
std::string format_number(double value);

// Readable rendering of a JSON value for messages, shortened to `max_chars`.
std::string json_excerpt(const Json& value, std::size_t max_chars = 60);

// "3 problems found:\n$.a: ...\n$.b: ..." capped at `cap` lines.
std::string format_problems(const std::vector<JsonProblem>& problems, std::size_t cap = 25);

}  // namespace residency
