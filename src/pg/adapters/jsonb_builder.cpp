// See jsonb_builder.hpp.
#include "jsonb_builder.hpp"

#include "../../core/error.hpp"
#include "boundary.hpp"

#include <limits>

namespace residency::pg {

void JsonbBuilder::add(Kind kind, std::string_view text)
{
    if (text_.size() + text.size() + 1 > std::numeric_limits<std::uint32_t>::max())
        throw Error(sqlstate::payload_too_large, "result too large for jsonb");
    events_.push_back(
        Event{kind, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(text.size()), 0});
    if (kind == Kind::key || kind == Kind::string || kind == Kind::number) {
        text_.append(text);
        text_.push_back('\0');  // numeric_in reads a C string
    }
}

namespace {

using Kind = JsonbBuilder::Kind;
using Event = JsonbBuilder::Event;

// What the serializer reads, as plain data: nothing below has a destructor,
// because it runs under guarded() and a Postgres error longjmps out of it.
struct Events {
    const Event* events;
    const char* text;
    std::size_t pos;
};

// jsonb's key order (lengthCompareJsonbStringValue): shorter keys first, then
// bytewise; equal keys by when they were written, the later first.
bool key_before(const JsonbPair& a, const JsonbPair& b)
{
    const JsonbValue& ka = a.key;
    const JsonbValue& kb = b.key;
    if (ka.val.string.len != kb.val.string.len)
        return ka.val.string.len < kb.val.string.len;
    int c = std::memcmp(ka.val.string.val, kb.val.string.val, ka.val.string.len);
    return c != 0 ? c < 0 : a.order > b.order;
}

bool same_key(const JsonbPair& a, const JsonbPair& b)
{
    return a.key.val.string.len == b.key.val.string.len &&
           std::memcmp(a.key.val.string.val, b.key.val.string.val, a.key.val.string.len) == 0;
}

void string_value(const Events& in, const Event& e, JsonbValue* out)
{
    out->type = jbvString;
    out->val.string.len = static_cast<int>(e.size);
    out->val.string.val = const_cast<char*>(in.text + e.begin);
}

// The value starting at in.pos, into *out; in.pos moves past it. The events
// were checked to nest properly before (count_children).
void build_value(Events& in, JsonbValue* out)
{
    const Event& e = in.events[in.pos++];
    switch (e.kind) {
    case Kind::begin_object: {
        int n = static_cast<int>(e.children);
        auto* pairs = static_cast<JsonbPair*>(palloc(sizeof(JsonbPair) * (n > 0 ? n : 1)));
        for (int i = 0; i < n; ++i) {
            string_value(in, in.events[in.pos++], &pairs[i].key);
            pairs[i].order = static_cast<uint32>(i);
            build_value(in, &pairs[i].value);
        }
        ++in.pos;  // end_object
        // a result has a dozen keys per object at most: insertion sort
        for (int i = 1; i < n; ++i)
            for (int j = i; j > 0 && key_before(pairs[j], pairs[j - 1]); --j)
                std::swap(pairs[j], pairs[j - 1]);
        int kept = 0;  // of equal keys the first after sorting (the last written)
        for (int i = 0; i < n; ++i)
            if (kept == 0 || !same_key(pairs[i], pairs[kept - 1]))
                pairs[kept++] = pairs[i];
        out->type = jbvObject;
        out->val.object.nPairs = kept;
        out->val.object.pairs = pairs;
        return;
    }
    case Kind::begin_array: {
        int n = static_cast<int>(e.children);
        auto* elems = static_cast<JsonbValue*>(palloc(sizeof(JsonbValue) * (n > 0 ? n : 1)));
        for (int i = 0; i < n; ++i)
            build_value(in, &elems[i]);
        ++in.pos;  // end_array
        out->type = jbvArray;
        out->val.array.nElems = n;
        out->val.array.elems = elems;
        out->val.array.rawScalar = false;
        return;
    }
    case Kind::string:
        string_value(in, e, out);
        return;
    case Kind::number:
        out->type = jbvNumeric;
        out->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(in.text + e.begin),
                                                               ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
        return;
    case Kind::true_value:
    case Kind::false_value:
        out->type = jbvBool;
        out->val.boolean = e.kind == Kind::true_value;
        return;
    case Kind::null_value:
    default:
        out->type = jbvNull;
        return;
    }
}

[[noreturn]] void malformed(const char* what)
{
    throw Error(sqlstate::internal_error, "malformed JSON events", what);
}

// Fills each container's number of members or elements, and checks that the
// events are one value: containers closed in order, a key before each
// member's value and nowhere else.
void count_children(std::vector<Event>& events)
{
    std::vector<std::size_t> open;  // indexes of the open containers
    bool after_key = false;
    std::size_t roots = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        Kind k = events[i].kind;
        bool in_object = !open.empty() && events[open.back()].kind == Kind::begin_object;
        if (k == Kind::end_object || k == Kind::end_array) {
            Kind opener = k == Kind::end_object ? Kind::begin_object : Kind::begin_array;
            if (open.empty() || events[open.back()].kind != opener || after_key)
                malformed("a container closed out of order");
            open.pop_back();
            continue;
        }
        if (k == Kind::key) {
            if (!in_object || after_key)
                malformed("a key outside an object");
            ++events[open.back()].children;
            after_key = true;
            continue;
        }
        // a value
        if (in_object && !after_key)
            malformed("an object member without a key");
        if (open.empty())
            ++roots;
        else if (!in_object)
            ++events[open.back()].children;
        after_key = false;
        if (k == Kind::begin_object || k == Kind::begin_array)
            open.push_back(i);
    }
    if (roots != 1 || !open.empty())
        malformed("not exactly one complete value");
}

}  // namespace

Datum JsonbBuilder::finish()
{
    for (Event& e : events_)
        e.children = 0;
    count_children(events_);
    Events in{events_.data(), text_.data(), 0};
    return guarded([&] {
        JsonbValue root;
        build_value(in, &root);
        return JsonbPGetDatum(JsonbValueToJsonb(&root));
    });
}

}  // namespace residency::pg
