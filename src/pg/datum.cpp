#include "datum.hpp"

#include "boundary.hpp"

#include "../core/error.hpp"

#include <cmath>
#include <cstring>
#include <vector>

namespace residency::pg {

std::string_view text_view(Datum value)
{
    struct varlena* v = guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(value))); });
    return {VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)};
}

Datum text_datum(std::string_view s)
{
    const char* data = s.data();
    int len = static_cast<int>(s.size());
    return guarded([&] { return PointerGetDatum(cstring_to_text_with_len(data, len)); });
}

std::string jsonb_text(Datum value)
{
    char* out = guarded([&] {
        Jsonb* jb = DatumGetJsonbP(value);
        return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
    });
    return std::string(out);
}

Datum jsonb_datum(std::string_view json_text)
{
    std::string copy(json_text);  // jsonb_in wants a NUL-terminated string
    const char* text = copy.c_str();
    return guarded([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); });
}

namespace {

// A jsonb number as the core's Json number: integral values stay integers
// (rule E2 wants an integer score), others become double. `where` spells out
// the JSON path, for the error only.
template <typename Where>
Json json_number(Numeric n, const Where& where, std::string_view what)
{
    Datum value = NumericGetDatum(n);
    int scale = guarded([&] { return DatumGetInt32(DirectFunctionCall1(numeric_scale, value)); });
    double d = guarded([&] { return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value)); });
    if (!std::isfinite(d))
        throw Error(sqlstate::invalid_parameter_value, std::string(what) + " has a number out of range",
                    where() + ": the number does not fit in a double precision value.",
                    "Use numbers between -1e308 and 1e308.");
    if (scale == 0 && std::fabs(d) < 9.0e15)  // exactly representable
        return Json(static_cast<std::int64_t>(d));
    return Json(d);
}

Json json_scalar(const JsonbValue& v)
{
    switch (v.type) {
    case jbvNull:
        return Json(nullptr);
    case jbvBool:
        return Json(v.val.boolean);
    case jbvString:
        return Json(std::string(v.val.string.val, static_cast<std::size_t>(v.val.string.len)));
    default:
        throw Error(sqlstate::internal_error, "unexpected jsonb value type",
                    "Type " + std::to_string(static_cast<int>(v.type)) + ".");
    }
}

}  // namespace

Json jsonb_json(Datum value, int max_depth, std::string_view what)
{
    Jsonb* jb = guarded([&] { return DatumGetJsonbP(value); });
    JsonbContainer* root = &jb->root;

    // Each frame keeps its key or index; a path is spelled out only for an
    // error (a pack has tens of thousands of values).
    struct Frame {
        Json* container;
        Json* slot = nullptr;   // objects: where the next value goes
        std::string key;        // objects: its key
        std::size_t index = 0;  // arrays: the index being read
    };
    Json out;
    std::vector<Frame> stack;
    auto here = [&]() {
        std::string path = "$";
        for (const Frame& f : stack)
            path = f.container->is_object() ? json_path_key(path, f.key) : json_path_index(path, f.index);
        return path;
    };
    auto place = [&](Json&& v) -> Json* {
        if (stack.empty()) {
            out = std::move(v);
            return &out;
        }
        Frame& f = stack.back();
        if (f.container->is_object()) {
            *f.slot = std::move(v);
            return f.slot;
        }
        f.container->push_back(std::move(v));
        return &f.container->back();
    };
    auto placed = [&]() {  // an array moves on to its next index
        if (!stack.empty() && stack.back().container->is_array())
            ++stack.back().index;
    };

    JsonbIterator* it = guarded([&] { return JsonbIteratorInit(root); });
    JsonbValue v;
    while (true) {
        JsonbIteratorToken token = guarded([&] { return JsonbIteratorNext(&it, &v, false); });
        if (token == WJB_DONE)
            break;
        switch (token) {
        case WJB_BEGIN_ARRAY:
            if (v.val.array.rawScalar)
                break;  // a scalar document comes as a one-element "raw scalar" array
            [[fallthrough]];
        case WJB_BEGIN_OBJECT: {
            if (static_cast<int>(stack.size()) >= max_depth)
                throw_too_deep(what, max_depth);
            Json* c = place(token == WJB_BEGIN_OBJECT ? Json::object() : Json::array());
            stack.push_back(Frame{c, nullptr, {}, 0});
            break;
        }
        case WJB_END_ARRAY:
        case WJB_END_OBJECT:
            if (!stack.empty()) {  // empty only at the end of a raw scalar
                stack.pop_back();
                placed();
            }
            break;
        case WJB_KEY: {
            Frame& f = stack.back();
            f.key.assign(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
            f.slot = &(*f.container)[f.key];
            break;
        }
        case WJB_VALUE:
        case WJB_ELEM:
            if (v.type == jbvNumeric)
                place(json_number(v.val.numeric, here, what));
            else
                place(json_scalar(v));
            placed();
            break;
        default:
            break;
        }
    }
    return out;
}

double numeric_double(Datum value)
{
    return guarded([&] { return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value)); });
}

Datum numeric_from_double(double value)
{
    return guarded([&] { return DirectFunctionCall1(float8_numeric, Float8GetDatum(value)); });
}

Datum numeric_from_text(std::string_view text)
{
    std::string copy(text);
    const char* s = copy.c_str();
    return guarded([&] {
        return DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
    });
}

std::string uuid_text(Datum value)
{
    char* s = guarded([&] { return DatumGetCString(DirectFunctionCall1(uuid_out, value)); });
    return std::string(s);
}

std::string timestamptz_text(TimestampTz value)
{
    char* s = guarded([&] { return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(value))); });
    return std::string(s);
}

bool same_value(Datum a, Datum b, Form_pg_attribute attribute)
{
    if (attribute->attlen != -1)
        return datumIsEqual(a, b, attribute->attbyval, attribute->attlen);
    struct varlena* va = guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(a))); });
    struct varlena* vb = guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(b))); });
    std::size_t la = VARSIZE_ANY_EXHDR(va);
    return la == VARSIZE_ANY_EXHDR(vb) && std::memcmp(VARDATA_ANY(va), VARDATA_ANY(vb), la) == 0;
}

}  // namespace residency::pg
