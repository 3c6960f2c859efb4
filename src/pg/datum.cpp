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
// (rule E2 wants an integer score), others become double.
Json json_number(Numeric n, const std::string& path, std::string_view what)
{
    Datum value = NumericGetDatum(n);
    int scale = guarded([&] { return DatumGetInt32(DirectFunctionCall1(numeric_scale, value)); });
    double d = guarded([&] { return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value)); });
    if (!std::isfinite(d))
        throw Error(sqlstate::invalid_parameter_value, std::string(what) + " has a number out of range",
                    path + ": the number does not fit in a double precision value.",
                    "Use numbers between -1e308 and 1e308.");
    if (scale == 0 && std::fabs(d) < 9.0e15)  // exactly representable
        return Json(static_cast<std::int64_t>(d));
    return Json(d);
}

Json json_scalar(const JsonbValue& v, const std::string& path, std::string_view what)
{
    switch (v.type) {
    case jbvNull:
        return Json(nullptr);
    case jbvBool:
        return Json(v.val.boolean);
    case jbvNumeric:
        return json_number(v.val.numeric, path, what);
    case jbvString:
        return Json(std::string(v.val.string.val, static_cast<std::size_t>(v.val.string.len)));
    default:
        throw Error(sqlstate::internal_error, "unexpected jsonb value type",
                    "Type " + std::to_string(static_cast<int>(v.type)) + " at " + path + ".");
    }
}

}  // namespace

Json jsonb_json(Datum value, int max_depth, std::string_view what)
{
    Jsonb* jb = guarded([&] { return DatumGetJsonbP(value); });
    JsonbContainer* root = &jb->root;

    struct Frame {
        Json* container;
        std::string path;
        std::string key;
        std::size_t index = 0;
    };
    Json out;
    std::vector<Frame> stack;
    auto here = [&]() -> std::string {
        if (stack.empty())
            return "$";
        const Frame& f = stack.back();
        return f.container->is_object() ? json_path_key(f.path, f.key) : json_path_index(f.path, f.index);
    };
    auto place = [&](Json&& v) -> Json* {
        if (stack.empty()) {
            out = std::move(v);
            return &out;
        }
        Frame& f = stack.back();
        if (f.container->is_object()) {
            Json& slot = (*f.container)[f.key];
            slot = std::move(v);
            return &slot;
        }
        f.container->push_back(std::move(v));
        ++f.index;
        return &f.container->back();
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
                throw Error(sqlstate::payload_too_large, std::string(what) + " is nested too deeply",
                            "The JSON nests arrays and objects more than " + std::to_string(max_depth) +
                                " levels deep (residency.max_json_depth).",
                            "Flatten the document, or ask an administrator to raise residency.max_json_depth.");
            std::string path = here();
            Json* c = place(token == WJB_BEGIN_OBJECT ? Json::object() : Json::array());
            stack.push_back(Frame{c, std::move(path), {}, 0});
            break;
        }
        case WJB_END_ARRAY:
        case WJB_END_OBJECT:
            if (!stack.empty())  // empty only at the end of a raw scalar
                stack.pop_back();
            break;
        case WJB_KEY:
            stack.back().key.assign(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
            break;
        case WJB_VALUE:
        case WJB_ELEM:
            place(json_scalar(v, here(), what));
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
