// residency.stripe_webhook(json) -> json: the endpoint Stripe delivers events
// to (residency_api.stripe_webhook, POST /rpc/stripe_webhook; docs/payments.md).
//
// The request body arrives as PostgREST received it: a single unnamed json
// parameter keeps the exact bytes, which the signature covers. This checks,
// in order, and answers PT413 or PT400 without changing anything:
//   the size of the body (residency.stripe_max_body_bytes);
//   the Stripe-Signature header (from request.headers, as PostgREST sets it)
//   against the endpoint's active secrets, within residency.stripe_tolerance
//   (src/core/stripe.hpp says which failure is which);
//   the event's envelope (id, type, created, livemode, data.object);
//   its livemode against residency.stripe_livemode.
// A verified event is then handed to residency.stripe_apply_event(), which
// records it by id and applies it at most once.
//
// The secrets are read here, as the function's owner, from
// residency.stripe_webhook_secrets and, where Supabase Vault is installed,
// from vault.decrypted_secrets; they appear in no query text or parameter
// (so in no log line or EXPLAIN), are never returned, and their copies are
// wiped when the call ends.
#include "../../core/error.hpp"
#include "../../core/stripe.hpp"

#include <openssl/crypto.h>

#include <string>
#include <vector>

#include "../adapters/boundary.hpp"
#include "../adapters/datum.hpp"
#include "../adapters/lookup.hpp"
#include "../adapters/module.hpp"
#include "../adapters/spi.hpp"

extern "C" {
#include "access/detoast.h"
}

using namespace residency;
using namespace residency::pg;

namespace {

// Vault names the endpoint's secrets may have (docs/payments.md): the secret
// itself, and during a rotation the one being replaced under a suffix.
constexpr const char* vault_name = "residency.stripe_webhook_secret";

Statement active_secrets("SELECT s.secret FROM residency.stripe_webhook_secrets AS s "
                         "WHERE s.expires_at IS NULL OR s.expires_at OPERATOR(pg_catalog.>) pg_catalog.now() "
                         "ORDER BY s.id",
                         {});

Statement vault_installed("SELECT pg_catalog.to_regclass('vault.decrypted_secrets') IS NOT NULL", {});

Statement apply_event("SELECT residency.stripe_apply_event($1, $2, $3, $4, $5::pg_catalog.jsonb, $6)::pg_catalog.text",
                      {TEXTOID, TEXTOID, INT8OID, BOOLOID, TEXTOID, INT4OID});

// The secrets, wiped from memory however the call ends.
struct Secrets {
    std::vector<std::string> values;
    Secrets() = default;
    Secrets(const Secrets&) = delete;
    Secrets& operator=(const Secrets&) = delete;
    ~Secrets()
    {
        for (std::string& s : values)
            if (!s.empty())
                OPENSSL_cleanse(s.data(), s.size());
    }
};

void load_secrets(Secrets& secrets)
{
    SpiConnection spi(residency_table_owner("stripe_webhook_secrets"));
    std::uint64_t n = spi.execute(active_secrets, {}, true);
    for (std::uint64_t r = 0; r < n; ++r)
        if (std::optional<std::string> s = spi.text(r, 1))
            secrets.values.push_back(std::move(*s));
    spi.execute(vault_installed, {}, true);
    if (spi.boolean(0, 1)) {
        // Not prepared: Vault may come and go, and a kept plan would not.
        std::string sql = std::string("SELECT d.decrypted_secret FROM vault.decrypted_secrets AS d "
                                      "WHERE d.name OPERATOR(pg_catalog.=) '") +
                          vault_name + "' OR pg_catalog.starts_with(d.name, '" + vault_name + ".') ORDER BY d.name";
        n = spi.execute_once(sql.c_str(), true);
        for (std::uint64_t r = 0; r < n; ++r)
            if (std::optional<std::string> s = spi.text(r, 1))
                secrets.values.push_back(std::move(*s));
    }
    spi.finish();
}

// The Stripe-Signature header, from the request.headers setting PostgREST
// makes for each request (a JSON object, header names in lowercase).
std::optional<std::string> signature_header()
{
    const char* headers = guarded([] { return GetConfigOption("request.headers", true, false); });
    if (headers == nullptr || *headers == '\0')
        return std::nullopt;
    nlohmann::json parsed = nlohmann::json::parse(headers, nullptr, false);
    if (!parsed.is_object())
        return std::nullopt;
    for (const auto& [name, value] : parsed.items()) {
        if (name.size() != 16 || !value.is_string())
            continue;
        std::string lower = name;
        for (char& c : lower)
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (lower == "stripe-signature")
            return value.get<std::string>();
    }
    return std::nullopt;
}

std::int64_t now_unix_seconds()
{
    return guarded([] {
        TimestampTz now = GetCurrentTimestamp();
        return static_cast<std::int64_t>(now / USECS_PER_SEC) +
               static_cast<std::int64_t>((POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY);
    });
}

}  // namespace

RESIDENCY_FUNCTION(residency_stripe_webhook)
{
    if (PG_ARGISNULL(0))
        throw Error(stripe::bad_request, "empty Stripe event", "The request has no body.",
                    "Stripe posts the event as JSON: Content-Type application/json.");
    StripeSettings settings = stripe_settings();
    // The size first, from the varlena header: nothing is detoasted or
    // copied for a body over the limit.
    std::size_t bytes = guarded([&] { return toast_raw_datum_size(PG_GETARG_DATUM(0)) - VARHDRSZ; });
    if (bytes > settings.max_body_bytes)
        throw Error(sqlstate::payload_too_large, "Stripe event too large",
                    "The body has " + std::to_string(bytes) + " bytes; residency.stripe_max_body_bytes is " +
                        std::to_string(settings.max_body_bytes) + ".");
    std::string_view body = text_view(PG_GETARG_DATUM(0));

    std::optional<std::string> header = signature_header();
    {
        Secrets secrets;
        load_secrets(secrets);
        stripe::verify(header ? std::optional<std::string_view>(*header) : std::nullopt, body, secrets.values,
                       now_unix_seconds(), settings.tolerance_s);
    }
    stripe::Event event = stripe::parse_event(body, current_limits().max_json_depth);
    if (event.livemode != settings.livemode)
        throw Error(stripe::bad_request, "Stripe event in the wrong mode",
                    std::string("Event ") + event.id + " is a " + (event.livemode ? "live" : "test") +
                        "-mode event; this database takes " + (settings.livemode ? "live" : "test") +
                        "-mode events (residency.stripe_livemode).",
                    "Give each mode its own endpoint and secret: test-mode events to a test database.");

    SpiConnection spi(residency_table_owner("stripe_events"));
    spi.execute(apply_event,
                {{text_datum(event.id)},
                 {text_datum(event.type)},
                 {Int64GetDatum(event.created)},
                 {BoolGetDatum(event.livemode)},
                 {text_datum(body)},
                 {Int32GetDatum(settings.grace_period_s)}},
                false);
    std::optional<std::string> answer = spi.text(0, 1);
    spi.finish();
    return text_datum(answer.value_or("{}"));
}
