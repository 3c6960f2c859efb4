// What a row trigger sees: the event, the OLD and NEW rows, and the columns
// an UPDATE named in its SET list. The rules read rows through this and hand
// back a modified NEW row built with RowEdit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../adapters/postgres.hpp"

namespace residency::pg {

// One tuple of the trigger's relation, read by column name.
class Row {
public:
    Row(HeapTuple tuple, TupleDesc desc) : tuple_(tuple), desc_(desc) {}

    int attnum(const char* column) const;  // throws when the column is missing
    Datum datum(const char* column, bool& isnull) const;
    bool is_null(const char* column) const;

    std::optional<std::string_view> text(const char* column) const;
    std::optional<std::string> jsonb(const char* column) const;  // as JSON text
    std::optional<double> numeric(const char* column) const;
    std::optional<std::int64_t> integer(const char* column) const;  // int2/int4/int8
    std::optional<TimestampTz> timestamptz(const char* column) const;
    std::optional<std::string> uuid_text(const char* column) const;

    HeapTuple tuple() const { return tuple_; }
    TupleDesc desc() const { return desc_; }

private:
    HeapTuple tuple_;
    TupleDesc desc_;
};

class TriggerCall {
public:
    // Checks that the function was called as a trigger (a row trigger unless
    // `statement_level`); `name` is for the error if it was not.
    TriggerCall(FunctionCallInfo fcinfo, const char* name, bool statement_level = false);

    bool is_insert() const { return TRIGGER_FIRED_BY_INSERT(td_->tg_event); }
    bool is_update() const { return TRIGGER_FIRED_BY_UPDATE(td_->tg_event); }
    bool is_delete() const { return TRIGGER_FIRED_BY_DELETE(td_->tg_event); }
    bool is_truncate() const { return TRIGGER_FIRED_BY_TRUNCATE(td_->tg_event); }
    bool is_before() const { return TRIGGER_FIRED_BEFORE(td_->tg_event); }

    // INSERT: the new row; UPDATE: the new version; DELETE: the old row.
    Row new_row() const;
    Row old_row() const;  // UPDATE and DELETE
    TupleDesc desc() const { return td_->tg_relation->rd_att; }
    Oid relid() const { return RelationGetRelid(td_->tg_relation); }
    TriggerData* data() const { return td_; }
    // The table's owner: rule queries run as this role (see spi.hpp).
    Oid owner() const { return td_->tg_relation->rd_rel->relowner; }

    // Whether an UPDATE's SET list names the column (tg_updatedcols).
    bool sets(const char* column) const;
    // Whether the column's value differs between OLD and NEW (UPDATE).
    bool changed(const char* column) const;

    // The Datum a row trigger returns to leave the row as it is.
    Datum unchanged() const;
    Datum result(HeapTuple tuple) const { return PointerGetDatum(tuple); }

private:
    TriggerData* td_;
};

// Replacement values for some columns of a row.
class RowEdit {
public:
    void set(const Row& row, const char* column, Datum value, bool isnull = false);
    void set_null(const Row& row, const char* column) { set(row, column, 0, true); }
    bool empty() const { return columns_.empty(); }
    HeapTuple apply(const Row& row) const;  // a new tuple; the row itself is untouched

private:
    std::vector<int> columns_;
    std::vector<Datum> values_;
    std::vector<bool> nulls_;
};

}  // namespace residency::pg
