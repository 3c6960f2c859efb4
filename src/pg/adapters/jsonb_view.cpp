#include "jsonb_view.hpp"

#include "../../core/error.hpp"

namespace residency::pg {

JsonbView JsonbView::document(Datum jsonb)
{
    Jsonb* jb = guarded([&] { return DatumGetJsonbP(jsonb); });
    JsonbValue v;
    if (JB_ROOT_IS_SCALAR(jb)) {
        guarded([&] { (void) JsonbExtractScalar(&jb->root, &v); });
        return JsonbView(v);
    }
    v.type = jbvBinary;
    v.val.binary.data = &jb->root;
    v.val.binary.len = static_cast<int>(VARSIZE(jb) - VARHDRSZ);
    return JsonbView(v);
}

JsonType JsonbView::type() const
{
    switch (value_.type) {
    case jbvNull:
        return JsonType::null;
    case jbvBool:
        return JsonType::boolean;
    case jbvNumeric:
        return JsonType::number;
    case jbvString:
        return JsonType::string;
    case jbvBinary:
        return JsonContainerIsArray(container()) ? JsonType::array : JsonType::object;
    default:
        throw Error(sqlstate::internal_error, "unexpected jsonb value type");
    }
}

double JsonbView::number() const
{
    Datum n = NumericGetDatum(value_.val.numeric);
    return guarded([&] { return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, n)); });
}

bool JsonbView::integral() const
{
    Datum n = NumericGetDatum(value_.val.numeric);
    return guarded([&] { return DatumGetInt32(DirectFunctionCall1(numeric_scale, n)); }) == 0;
}

std::size_t JsonbView::size() const
{
    return value_.type == jbvBinary ? JsonContainerSize(container()) : 0;
}

JsonbView JsonbView::at(std::size_t i) const
{
    JsonbContainer* c = container();
    uint32 index = static_cast<uint32>(i);
    JsonbValue* v = guarded([&] { return getIthJsonbValueFromContainer(c, index); });
    if (v == nullptr)
        throw Error(sqlstate::internal_error, "jsonb array index out of range");
    return JsonbView(*v);
}

std::optional<JsonbView> JsonbView::find(std::string_view key) const
{
    JsonbContainer* c = container();
    JsonbValue k;
    k.type = jbvString;
    k.val.string.val = const_cast<char*>(key.data());
    k.val.string.len = static_cast<int>(key.size());
    JsonbValue* v = guarded([&] { return findJsonbValueFromContainer(c, JB_FOBJECT, &k); });
    if (v == nullptr)
        return std::nullopt;
    return JsonbView(*v);
}

std::string JsonbView::excerpt(std::size_t max_chars) const
{
    switch (value_.type) {
    case jbvNull:
        return "null";
    case jbvBool:
        return value_.val.boolean ? "true" : "false";
    case jbvString:
        return json_excerpt(Json(std::string(string())), max_chars);
    default:
        break;
    }
    std::string text;
    if (value_.type == jbvNumeric) {
        Datum n = NumericGetDatum(value_.val.numeric);
        text = guarded([&] { return DatumGetCString(DirectFunctionCall1(numeric_out, n)); });
    } else {
        JsonbContainer* c = container();
        int len = value_.val.binary.len;
        text = guarded([&] { return JsonbToCString(nullptr, c, len); });
    }
    if (text.size() > max_chars)
        text = text.substr(0, max_chars) + "...";
    return text;
}

int jsonb_depth(Datum jsonb, int stop_above)
{
    Jsonb* jb = guarded([&] { return DatumGetJsonbP(jsonb); });
    JsonbContainer* root = &jb->root;
    JsonbIterator* it = guarded([&] { return JsonbIteratorInit(root); });
    JsonbValue v;
    int depth = 0, deepest = 0;
    while (true) {
        JsonbIteratorToken token = guarded([&] { return JsonbIteratorNext(&it, &v, false); });
        if (token == WJB_DONE)
            break;
        if (token == WJB_BEGIN_ARRAY || token == WJB_BEGIN_OBJECT) {
            if (token == WJB_BEGIN_ARRAY && v.val.array.rawScalar)
                continue;
            deepest = std::max(deepest, ++depth);
            if (deepest > stop_above)
                return deepest;
        } else if (token == WJB_END_ARRAY || token == WJB_END_OBJECT) {
            if (depth > 0)
                --depth;
        }
    }
    return deepest;
}

}  // namespace residency::pg
