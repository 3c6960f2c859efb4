#include "trigger_row.hpp"

#include "../../core/error.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"

#include <memory>

namespace residency::pg {

namespace {

// Column numbers by (tuple descriptor type, column name literal): the rules
// name columns with string literals, so the pointer identifies the name. A
// table's row type id changes when its columns change (tdtypeid plus the
// descriptor's attribute count guard against reuse).
struct CachedAttnum {
    Oid type;
    int natts;
    const char* column;
    int attnum;
};
CachedAttnum attnum_cache[64];
unsigned attnum_cache_next = 0;

}  // namespace

int Row::attnum(const char* column) const
{
    for (const CachedAttnum& c : attnum_cache)
        if (c.column == column && c.type == desc_->tdtypeid && c.natts == desc_->natts && OidIsValid(c.type))
            return c.attnum;
    int n = SPI_fnumber(desc_, column);
    if (n <= 0)
        throw Error(sqlstate::internal_error, std::string("column \"") + column + "\" is missing",
                    "The residency trigger expects this column; the table was altered.",
                    "Reinstall the extension's tables with ALTER EXTENSION residency UPDATE.");
    attnum_cache[attnum_cache_next++ % 64] = CachedAttnum{desc_->tdtypeid, desc_->natts, column, n};
    return n;
}

Datum Row::datum(const char* column, bool& isnull) const
{
    return heap_getattr(tuple_, attnum(column), desc_, &isnull);
}

bool Row::is_null(const char* column) const
{
    bool isnull = true;
    datum(column, isnull);
    return isnull;
}

std::optional<std::string_view> Row::text(const char* column) const
{
    bool isnull = true;
    Datum d = datum(column, isnull);
    if (isnull)
        return std::nullopt;
    return text_view(d);
}

std::optional<std::string> Row::jsonb(const char* column) const
{
    bool isnull = true;
    Datum d = datum(column, isnull);
    if (isnull)
        return std::nullopt;
    return jsonb_text(d);
}

std::optional<double> Row::numeric(const char* column) const
{
    bool isnull = true;
    Datum d = datum(column, isnull);
    if (isnull)
        return std::nullopt;
    return numeric_double(d);
}

std::optional<std::int64_t> Row::integer(const char* column) const
{
    int n = attnum(column);
    bool isnull = true;
    Datum d = heap_getattr(tuple_, n, desc_, &isnull);
    if (isnull)
        return std::nullopt;
    switch (TupleDescAttr(desc_, n - 1)->atttypid) {
    case INT2OID:
        return DatumGetInt16(d);
    case INT4OID:
        return DatumGetInt32(d);
    default:
        return DatumGetInt64(d);
    }
}

std::optional<TimestampTz> Row::timestamptz(const char* column) const
{
    bool isnull = true;
    Datum d = datum(column, isnull);
    if (isnull)
        return std::nullopt;
    return DatumGetTimestampTz(d);
}

std::optional<std::string> Row::uuid_text(const char* column) const
{
    bool isnull = true;
    Datum d = datum(column, isnull);
    if (isnull)
        return std::nullopt;
    return pg::uuid_text(d);
}

TriggerCall::TriggerCall(FunctionCallInfo fcinfo, const char* name, bool statement_level)
{
    if (!CALLED_AS_TRIGGER(fcinfo))
        throw Error("39P01", std::string(name) + " must be called as a trigger");
    td_ = reinterpret_cast<TriggerData*>(fcinfo->context);
    if (TRIGGER_FIRED_FOR_ROW(td_->tg_event) == statement_level)
        throw Error("39P01",
                    std::string(name) + (statement_level ? " must be a statement trigger" : " must be a row trigger"));
}

Row TriggerCall::new_row() const
{
    HeapTuple t = is_update() ? td_->tg_newtuple : td_->tg_trigtuple;
    return Row(t, desc());
}

Row TriggerCall::old_row() const
{
    return Row(td_->tg_trigtuple, desc());
}

bool TriggerCall::sets(const char* column) const
{
    if (!is_update())
        return false;
    int n = Row(td_->tg_trigtuple, desc()).attnum(column);
    return bms_is_member(n - FirstLowInvalidHeapAttributeNumber, td_->tg_updatedcols);
}

bool TriggerCall::changed(const char* column) const
{
    if (!is_update())
        return false;
    Row o = old_row();
    Row n = new_row();
    int att = o.attnum(column);
    bool onull = true, nnull = true;
    Datum od = heap_getattr(o.tuple(), att, desc(), &onull);
    Datum nd = heap_getattr(n.tuple(), att, desc(), &nnull);
    if (onull || nnull)
        return onull != nnull;
    return !same_value(od, nd, TupleDescAttr(desc(), att - 1));
}

Datum TriggerCall::unchanged() const
{
    if (!is_before())
        return PointerGetDatum(nullptr);
    if (is_delete())
        return PointerGetDatum(td_->tg_trigtuple);
    return PointerGetDatum(is_update() ? td_->tg_newtuple : td_->tg_trigtuple);
}

void RowEdit::set(const Row& row, const char* column, Datum value, bool isnull)
{
    columns_.push_back(row.attnum(column));
    values_.push_back(value);
    nulls_.push_back(isnull);
}

HeapTuple RowEdit::apply(const Row& row) const
{
    if (columns_.empty())
        return row.tuple();
    int n = static_cast<int>(columns_.size());
    // heap_modify_tuple_by_cols wants a plain bool array
    std::unique_ptr<bool[]> flags = std::make_unique<bool[]>(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i)
        flags[i] = nulls_[i];
    const int* cols = columns_.data();
    const Datum* vals = values_.data();
    bool* isnull = flags.get();
    HeapTuple tuple = row.tuple();
    TupleDesc desc = row.desc();
    return guarded([&] {
        return heap_modify_tuple_by_cols(tuple, desc, n, const_cast<int*>(cols), const_cast<Datum*>(vals), isnull);
    });
}

}  // namespace residency::pg
