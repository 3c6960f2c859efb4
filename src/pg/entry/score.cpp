// residency.score(pack_id uuid, question_id text, content text,
//                 duration_s numeric DEFAULT NULL, previous jsonb DEFAULT NULL) -> jsonb
//
// The built-in scorer on a question of a given pack (docs/scoring.md).
// A backend keeps the pack's compiled rubric (and the phrase automaton of
// each question it has scored), keyed by pack id and checked against the
// pack's checksum on every call, so a DRAFT whose content changes is
// compiled again.
#include "../../core/content_pack.hpp"
#include "../../core/error.hpp"
#include "../../core/json_input.hpp"
#include "../../core/scorer.hpp"
#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/jsonb_builder.hpp"
#include "../adapters/lookup.hpp"
#include "../adapters/module.hpp"
#include "../adapters/spi.hpp"

#include <cstring>
#include <list>
#include <memory>

extern "C" {
#include "utils/array.h"
}

using namespace residency;
using namespace residency::pg;

namespace {

struct CachedScorer {
    pg_uuid_t pack;
    std::string checksum;
    std::unique_ptr<Scorer> scorer;
};

// Most recently used first; a handful of packs is plenty (one is ACTIVE).
std::list<CachedScorer> scorers;
constexpr std::size_t max_cached_packs = 8;

Statement pack_rubric("SELECT p.content OPERATOR(pg_catalog.->) 'rubric'::pg_catalog.text "
                      "FROM residency.content_packs AS p WHERE p.id OPERATOR(pg_catalog.=) $1",
                      {UUIDOID});

const Scorer& scorer_for(Datum pack_id)
{
    const pg_uuid_t& id = *DatumGetUUIDP(pack_id);
    LookupResult pack = lookup_row("content_packs", "content_packs_pkey", {pack_id}, {"checksum"});
    if (!pack.found)
        throw Error(sqlstate::not_found, "content pack not found",
                    "There is no content pack " + uuid_text(pack_id) + ".",
                    "Use the id of a row in residency.content_packs.");
    std::string checksum(text_view(pack.values[0]));
    for (auto it = scorers.begin(); it != scorers.end(); ++it)
        if (std::memcmp(it->pack.data, id.data, UUID_LEN) == 0) {
            if (it->checksum == checksum) {
                scorers.splice(scorers.begin(), scorers, it);
                return *scorers.front().scorer;
            }
            scorers.erase(it);
            break;
        }

    // Not cached: compile the pack's rubric (validated by rule P1 when the
    // pack was stored).
    SpiConnection spi;
    spi.execute(pack_rubric, {{pack_id}}, true);
    std::string rubric_text = spi.is_null(0, 1) ? std::string() : jsonb_text(spi.value(0, 1));
    spi.finish();
    Rubric rubric = rubric_text.empty()
                        ? default_rubric()
                        : rubric_with_overrides(parse_json_strict(rubric_text, current_limits(), "rubric").value);
    scorers.push_front(CachedScorer{id, checksum, std::make_unique<Scorer>(std::move(rubric))});
    if (scorers.size() > max_cached_packs)
        scorers.pop_back();
    return *scorers.front().scorer;
}

QuestionSpec question_of(Datum pack_id, Datum question_id)
{
    LookupResult q = lookup_row("content_pack_questions", "content_pack_questions_pkey", {pack_id, question_id},
                                {"category", "expected_duration_s", "evaluation_criteria", "kind"});
    if (!q.found)
        throw question_not_found(sqlstate::not_found, "Content pack " + uuid_text(pack_id), text_view(question_id));
    QuestionSpec spec;
    spec.id = std::string(text_view(question_id));
    spec.category = std::string(text_view(q.values[0]));
    spec.expected_duration_s = numeric_double(q.values[1]);
    Datum criteria = q.values[2];
    Datum* items = nullptr;
    bool* nulls = nullptr;
    int count = 0;
    guarded([&] {
        deconstruct_array(DatumGetArrayTypeP(criteria), TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &count);
    });
    for (int i = 0; i < count; ++i)
        if (!nulls[i])
            spec.evaluation_criteria.emplace_back(text_view(items[i]));
    if (!q.nulls[3])
        spec.kind = parse_question_kind(text_view(q.values[3]));
    return spec;
}

}  // namespace

RESIDENCY_FUNCTION(residency_score)
{
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
        PG_RETURN_NULL();
    Datum pack_id = PG_GETARG_DATUM(0);
    Datum question_id = PG_GETARG_DATUM(1);
    std::string_view content = text_view(PG_GETARG_DATUM(2));
    std::optional<double> duration;
    if (!PG_ARGISNULL(3))
        duration = numeric_double(PG_GETARG_DATUM(3));
    Limits limits = current_limits();
    std::optional<Json> previous;
    if (!PG_ARGISNULL(4))
        previous = parse_json_strict(jsonb_text(PG_GETARG_DATUM(4)), limits, "previous").value;

    const Scorer& scorer = scorer_for(pack_id);
    QuestionSpec question = question_of(pack_id, question_id);
    ScoreResult result = scorer.score(question, content, duration, previous ? &*previous : nullptr, limits);
    JsonbBuilder jsonb;  // the result straight into jsonb: no JSON text to parse again
    result.write(jsonb);
    return jsonb.finish();
}
