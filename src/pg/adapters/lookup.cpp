#include "lookup.hpp"

#include "../../core/error.hpp"
#include "boundary.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/stratnum.h"
#include "executor/tuptable.h"
#include "parser/parse_relation.h"
#include "utils/inval.h"
}

namespace residency::pg {

namespace {

constexpr int max_keys = 4;

// Relation OIDs by name, looked up once per backend. Any relcache
// invalidation of a cached relation (DROP EXTENSION, ALTER TABLE...) empties
// the cache, so a stale OID is never used.
struct CachedRelid {
    const char* name;  // the string literals of the callers
    Oid relid;
};
CachedRelid relid_cache[16];
int relid_cache_size = 0;
bool callback_registered = false;

void forget_relids(Datum, Oid relid)
{
    if (!OidIsValid(relid)) {
        relid_cache_size = 0;
        return;
    }
    for (int i = 0; i < relid_cache_size; ++i)
        if (relid_cache[i].relid == relid) {
            relid_cache_size = 0;
            return;
        }
}

Oid lookup_relid(const char* name)
{
    return guarded([&] {
        Oid nsp = get_namespace_oid("residency", false);
        Oid relid = get_relname_relid(name, nsp);
        if (!OidIsValid(relid))
            ereport(ERROR,
                    (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation \"residency.%s\" does not exist", name)));
        return relid;
    });
}

Oid residency_relid(const char* name)
{
    for (int i = 0; i < relid_cache_size; ++i)
        if (relid_cache[i].name == name)
            return relid_cache[i].relid;
    if (!callback_registered) {
        guarded([] { CacheRegisterRelcacheCallback(forget_relids, 0); });
        callback_registered = true;
    }
    Oid relid = lookup_relid(name);
    if (relid_cache_size < static_cast<int>(sizeof relid_cache / sizeof relid_cache[0]))
        relid_cache[relid_cache_size++] = CachedRelid{name, relid};
    return relid;
}

}  // namespace

Oid residency_table_owner(const char* table)
{
    Oid relid = residency_relid(table);
    return guarded([&] {
        Relation rel = table_open(relid, AccessShareLock);
        Oid owner = rel->rd_rel->relowner;
        table_close(rel, NoLock);
        return owner;
    });
}

LookupResult lookup_row(const char* table, const char* index, std::initializer_list<Datum> keys,
                        std::initializer_list<const char*> columns)
{
    Oid relid = residency_relid(table);
    Oid indexid = residency_relid(index);
    Datum key_values[max_keys];
    int nkeys = 0;
    for (Datum k : keys)
        if (nkeys < max_keys)
            key_values[nkeys++] = k;
    const char* names[LookupResult::max_columns];
    int ncolumns = 0;
    for (const char* c : columns)
        if (ncolumns < LookupResult::max_columns)
            names[ncolumns++] = c;

    LookupResult result;
    LookupResult* out = &result;
    // Plain Postgres from here on: no C++ object is alive inside the call.
    guarded([&] {
        Relation rel = table_open(relid, AccessShareLock);
        Relation idx = index_open(indexid, AccessShareLock);
        if (!idx->rd_index->indisunique || IndexRelationGetNumberOfKeyAttributes(idx) != nkeys)
            elog(ERROR, "index \"%s\" is not a unique index on %d columns", index, nkeys);

        ScanKeyData skey[max_keys];
        for (int i = 0; i < nkeys; ++i) {
            Oid type = idx->rd_opcintype[i];
            Oid op = get_opfamily_member(idx->rd_opfamily[i], type, type, BTEqualStrategyNumber);
            if (!OidIsValid(op))
                elog(ERROR, "no equality operator for column %d of index \"%s\"", i + 1, index);
            ScanKeyEntryInitialize(&skey[i], 0, static_cast<AttrNumber>(i + 1), BTEqualStrategyNumber, InvalidOid,
                                   idx->rd_indcollation[i], get_opcode(op), key_values[i]);
        }

        IndexScanDesc scan = index_beginscan(rel, idx, GetActiveSnapshot(), nkeys, 0);
        index_rescan(scan, skey, nkeys, nullptr, 0);
        TupleTableSlot* slot = table_slot_create(rel, nullptr);
        if (index_getnext_slot(scan, ForwardScanDirection, slot)) {
            TupleDesc desc = RelationGetDescr(rel);
            out->found = true;
            for (int c = 0; c < ncolumns; ++c) {
                AttrNumber att = attnameAttNum(rel, names[c], false);
                if (att == InvalidAttrNumber)
                    elog(ERROR, "column \"%s\" of \"%s\" does not exist", names[c], table);
                Form_pg_attribute a = TupleDescAttr(desc, att - 1);
                Datum d = slot_getattr(slot, att, &out->nulls[c]);
                out->values[c] = out->nulls[c] ? 0 : datumCopy(d, a->attbyval, a->attlen);
            }
        }
        ExecDropSingleTupleTableSlot(slot);
        index_endscan(scan);
        index_close(idx, NoLock);
        table_close(rel, NoLock);  // the lock is kept to the end of the transaction
    });
    return result;
}

}  // namespace residency::pg
