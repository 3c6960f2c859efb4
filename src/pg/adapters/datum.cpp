#include "datum.hpp"

#include "boundary.hpp"

#include <cstring>

namespace residency::pg {

std::string_view text_view(Datum value)
{
    struct varlena* v =
        guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(value))); });
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
    char* s =
        guarded([&] { return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(value))); });
    return std::string(s);
}

bool same_value(Datum a, Datum b, Form_pg_attribute attribute)
{
    if (attribute->attlen != -1)
        return datumIsEqual(a, b, attribute->attbyval, attribute->attlen);
    struct varlena* va =
        guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(a))); });
    struct varlena* vb =
        guarded([&] { return pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(b))); });
    std::size_t la = VARSIZE_ANY_EXHDR(va);
    return la == VARSIZE_ANY_EXHDR(vb) && std::memcmp(VARDATA_ANY(va), VARDATA_ANY(vb), la) == 0;
}

}  // namespace residency::pg
