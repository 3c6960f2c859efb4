// Module entry: PG_MODULE_MAGIC, the GUCs (the input limits of docs/rules.md,
// "Limits", rule P1's cost bounds, R2's file URLs, the Stripe webhook's
// settings: docs/operations.md, "Settings"), and the core's interrupt check.
#include "module.hpp"

#include "../../core/interrupt.hpp"
#include "../adapters/boundary.hpp"

#include "../adapters/postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

namespace {

int max_pack_bytes = 8 * 1024 * 1024;
int max_json_depth = 64;
int max_answer_chars = 20000;
int max_criterion_keywords = 25;
int max_question_expansions = 10000;
bool allow_file_audio_urls = false;
int stripe_tolerance_s = 300;
bool stripe_livemode = false;
int stripe_grace_period_s = 7 * 24 * 3600;
int stripe_max_body_bytes = 256 * 1024;
bool api_errors = false;

// The core's long loops poll this (src/core/interrupt.hpp). A cancel,
// statement_timeout or termination sets InterruptPending from a signal
// handler; only then does the check enter Postgres, whose
// CHECK_FOR_INTERRUPTS() raises the real error ("canceling statement due to
// statement timeout"...). guarded() turns that ERROR into a PgError thrown
// through the core's frames, and the boundary raises it again. (A
// termination is FATAL: the backend exits from inside the call.)
void check_postgres_interrupts()
{
    if (!InterruptPending)
        return;
    residency::pg::guarded([] { CHECK_FOR_INTERRUPTS(); });
}

}  // namespace

namespace residency::pg {

Limits current_limits()
{
    Limits l;
    l.max_pack_bytes = static_cast<std::size_t>(max_pack_bytes);
    l.max_json_depth = max_json_depth;
    l.max_answer_chars = static_cast<std::size_t>(max_answer_chars);
    l.max_criterion_keywords = static_cast<std::size_t>(max_criterion_keywords);
    l.max_question_expansions = static_cast<std::uint64_t>(max_question_expansions);
    l.allow_file_audio_urls = allow_file_audio_urls;
    return l;
}

StripeSettings stripe_settings()
{
    return StripeSettings{stripe_tolerance_s, stripe_livemode, stripe_grace_period_s,
                          static_cast<std::size_t>(stripe_max_body_bytes)};
}

}  // namespace residency::pg

// Runs when the library is loaded; no C++ object is alive here, and the
// Define* calls may raise ERROR as any Postgres code may.
void _PG_init(void)
{
    DefineCustomIntVariable("residency.max_pack_bytes", "Largest content pack accepted, in bytes of its JSON text.",
                            "Larger packs are refused with SQLSTATE PT413.", &max_pack_bytes, 8 * 1024 * 1024, 1024,
                            MaxAllocSize / 4, PGC_SUSET, GUC_UNIT_BYTE, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_json_depth", "Deepest nesting of arrays and objects accepted in JSON input.",
                            "Checked before any recursive processing; deeper input is refused with "
                            "SQLSTATE PT413.",
                            &max_json_depth, 64, 2, 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_answer_chars", "Longest answer text accepted, in characters.",
                            "Longer answers are refused with SQLSTATE PT413.", &max_answer_chars, 20000, 1,
                            10 * 1000 * 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_criterion_keywords", "Most keywords one evaluation criterion may have.",
                            "A content pack with more is refused by rule P1 (SQLSTATE 22023), with the "
                            "criterion's JSON path.",
                            &max_criterion_keywords, 25, 1, 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.max_question_expansions",
                            "Most patterns one question's phrase automaton may hold, every prefix keyword "
                            "spelled out.",
                            "Bounds the time and memory of scoring against a pack: rule P1 refuses a pack "
                            "whose question would exceed it (22023), and scoring refuses such a question "
                            "of a pack stored earlier (PT413).",
                            &max_question_expansions, 10000, 1000, 100000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    // The Stripe webhook (docs/payments.md). PGC_SUSET like the limits: a
    // client that could SET them could widen the replay window or take
    // events of the other mode.
    DefineCustomIntVariable("residency.stripe_tolerance",
                            "How far a Stripe-Signature timestamp may be from now, in seconds.",
                            "Older or newer deliveries are refused with SQLSTATE PT400 (stale, or in the future).",
                            &stripe_tolerance_s, 300, 1, 24 * 3600, PGC_SUSET, GUC_UNIT_S, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable("residency.allow_file_audio_urls",
                             "Whether a response's audio_url may be a file:/// URL (rule R2).",
                             "For an evaluation worker on the database's machine, the demo and the tests: the worker "
                             "opens the path it names, so leave it off where clients are not trusted with that.",
                             &allow_file_audio_urls, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable("residency.stripe_livemode", "Whether this database takes live-mode Stripe events.",
                             "Off: test-mode events only. An event of the other mode is refused with PT400.",
                             &stripe_livemode, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "residency.stripe_grace_period", "How long a past_due Stripe subscription keeps its entitlement, in seconds.",
        "Counted from the event that made it past_due; after it the subscription entitles "
        "nothing (residency_api.stripe_expire_grace applies that).",
        &stripe_grace_period_s, 7 * 24 * 3600, 0, 90 * 24 * 3600, PGC_SUSET, GUC_UNIT_S, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("residency.stripe_max_body_bytes", "Largest Stripe event accepted, in bytes.",
                            "Larger bodies are refused with SQLSTATE PT413 before anything else is read.",
                            &stripe_max_body_bytes, 256 * 1024, 1024, 64 * 1024 * 1024, PGC_SUSET, GUC_UNIT_BYTE,
                            nullptr, nullptr, nullptr);
    // Not a setting for people: the API's functions set it for their own
    // duration (SET residency.api_errors = on in their definitions), so that
    // a rule refusing a write made for the API's caller is answered with the
    // API's SQLSTATE (src/core/api_errors.hpp). Anyone may set it; it changes
    // which SQLSTATE a refusal carries, never whether a write is refused.
    DefineCustomBoolVariable("residency.api_errors", "Answer rule refusals with the API's SQLSTATEs.", nullptr,
                             &api_errors, false, PGC_USERSET, GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, nullptr, nullptr,
                             nullptr);
    MarkGUCPrefixReserved("residency");
    residency::set_interrupt_check(&check_postgres_interrupts);
}
