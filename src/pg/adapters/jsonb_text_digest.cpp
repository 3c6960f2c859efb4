#include "jsonb_text_digest.hpp"

#include "../../core/sha256.hpp"
#include "boundary.hpp"

#include <algorithm>
#include <cstring>

namespace residency::pg {

namespace {

// Buffers output and hands it to the digest in large pieces.
class DigestWriter {
public:
    explicit DigestWriter(JsonbTextDigest& out) : out_(out) {}

    void put(char c)
    {
        if (used_ == sizeof buffer_)
            flush();
        buffer_[used_++] = c;
    }
    void put(const char* s, std::size_t n)
    {
        while (n > 0) {
            if (used_ == sizeof buffer_)
                flush();
            std::size_t take = std::min(n, sizeof buffer_ - used_);
            std::memcpy(buffer_ + used_, s, take);
            used_ += take;
            s += take;
            n -= take;
        }
    }
    // A JSON string as jsonb_out escapes it: \" \\ \b \f \n \r \t, other
    // control characters as \u00XX, everything else as is.
    void put_string(const char* s, std::size_t n)
    {
        put('"');
        std::size_t run = 0;  // unescaped bytes waiting to be copied
        for (std::size_t i = 0; i < n; ++i) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            const char* escape = nullptr;
            char unicode[7];
            switch (c) {
            case '"':
                escape = "\\\"";
                break;
            case '\\':
                escape = "\\\\";
                break;
            case '\b':
                escape = "\\b";
                break;
            case '\f':
                escape = "\\f";
                break;
            case '\n':
                escape = "\\n";
                break;
            case '\r':
                escape = "\\r";
                break;
            case '\t':
                escape = "\\t";
                break;
            default:
                if (c < 0x20) {
                    static constexpr char hex[] = "0123456789abcdef";
                    unicode[0] = '\\', unicode[1] = 'u', unicode[2] = '0', unicode[3] = '0';
                    unicode[4] = hex[c >> 4], unicode[5] = hex[c & 0xf], unicode[6] = '\0';
                    escape = unicode;
                }
                break;
            }
            if (escape == nullptr) {
                ++run;
                continue;
            }
            put(s + i - run, run);
            run = 0;
            put(escape, std::strlen(escape));
        }
        put(s + n - run, run);
        put('"');
    }
    void finish()
    {
        flush();
        out_.sha256_hex = sha_.hex();
    }

private:
    void flush()
    {
        sha_.update(std::string_view(buffer_, used_));
        out_.bytes += static_cast<std::int64_t>(used_);
        used_ = 0;
    }

    JsonbTextDigest& out_;
    Sha256 sha_;
    char buffer_[64 * 1024];
    std::size_t used_ = 0;
};

void put_scalar(DigestWriter& w, const JsonbValue& v)
{
    switch (v.type) {
    case jbvNull:
        w.put("null", 4);
        break;
    case jbvBool:
        v.val.boolean ? w.put("true", 4) : w.put("false", 5);
        break;
    case jbvString:
        w.put_string(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
        break;
    case jbvNumeric: {
        Datum n = NumericGetDatum(v.val.numeric);
        const char* text = guarded([&] { return DatumGetCString(DirectFunctionCall1(numeric_out, n)); });
        w.put(text, std::strlen(text));
        break;
    }
    default:
        break;
    }
}

}  // namespace

JsonbTextDigest digest_jsonb_text(Datum jsonb)
{
    JsonbTextDigest out;
    auto writer = std::make_unique<DigestWriter>(out);  // 64 kB: not on the stack
    Jsonb* jb = guarded([&] { return DatumGetJsonbP(jsonb); });
    JsonbContainer* root = &jb->root;
    JsonbIterator* it = guarded([&] { return JsonbIteratorInit(root); });
    JsonbValue v;
    bool first = true;       // no ", " before the next element or member
    bool after_key = false;  // the next value follows "key": directly
    bool raw_scalar = false;
    int depth = 0;
    while (true) {
        JsonbIteratorToken token = guarded([&] { return JsonbIteratorNext(&it, &v, false); });
        if (token == WJB_DONE)
            break;
        bool separate = !first && !after_key;
        after_key = false;
        switch (token) {
        case WJB_BEGIN_ARRAY:
        case WJB_BEGIN_OBJECT:
            if (token == WJB_BEGIN_ARRAY && v.val.array.rawScalar) {
                raw_scalar = true;
                break;
            }
            if (separate)
                writer->put(", ", 2);
            writer->put(token == WJB_BEGIN_ARRAY ? '[' : '{');
            out.depth = std::max(out.depth, ++depth);
            first = true;
            break;
        case WJB_KEY:
            if (separate)
                writer->put(", ", 2);
            writer->put_string(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
            writer->put(": ", 2);
            after_key = true;
            break;
        case WJB_VALUE:
            put_scalar(*writer, v);
            first = false;
            break;
        case WJB_ELEM:
            if (separate)
                writer->put(", ", 2);
            put_scalar(*writer, v);
            first = false;
            break;
        case WJB_END_ARRAY:
        case WJB_END_OBJECT:
            if (token == WJB_END_ARRAY && raw_scalar)
                break;
            writer->put(token == WJB_END_ARRAY ? ']' : '}');
            --depth;
            first = false;
            break;
        default:
            break;
        }
    }
    writer->finish();
    return out;
}

}  // namespace residency::pg
