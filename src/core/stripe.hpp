// Stripe webhooks: the signature of a delivery and the envelope of its event
// (docs/payments.md). Pure C++; the HMAC is OpenSSL's.
//
// A delivery is trusted only if its Stripe-Signature header carries a v1
// signature that is the HMAC-SHA256, keyed by one of the endpoint's secrets,
// of "<t>.<exact request body>", and its timestamp t is within the tolerance
// of now. Every failure is an Error with SQLSTATE PT400 (PostgREST answers
// 400, which Stripe treats as "not delivered") whose message says which check
// failed; no message names a secret or a computed signature.
#pragma once
#include "pure.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency::stripe {

inline constexpr std::string_view bad_request = "PT400";  // PostgREST: HTTP 400

// Stripe's default tolerance, and the bounds of residency.stripe_tolerance_s.
inline constexpr std::int64_t default_tolerance_s = 300;

using Signature = std::array<unsigned char, 32>;  // HMAC-SHA256

// Bounds of a Stripe-Signature header: the work of parsing and checking one
// does not grow with what a sender puts in it. Stripe sends one t= and one
// v1= per active secret of the endpoint (two while a secret is rolled).
inline constexpr std::size_t max_header_bytes = 8192;  // a longer header is malformed
inline constexpr std::size_t max_v1_signatures = 16;   // more v1= items make it malformed

// A parsed Stripe-Signature header: "t=<unix s>,v1=<64 hex>[,v1=...]".
// Items are separated by ','; spaces and tabs around an item are trimmed;
// keys are case-sensitive. t is decimal digits only (no sign, no space, no
// leading zero but "0" itself), at most 9223372036854775807. A v1 is 64
// hexadecimal digits, either case. Items of other schemes (v0, ...) are
// skipped unread. Malformed: an empty header, an empty item (",,", a
// leading or trailing ','), an item without '=' or with nothing before it,
// no t=, a repeated t=, a bad t or v1 value, a header longer than
// max_header_bytes, more than max_v1_signatures v1= items.
struct SignatureHeader {
    std::int64_t timestamp = 0;
    std::vector<Signature> v1;
};

// Throws PT400 "malformed Stripe-Signature header" (DETAIL: what is wrong:
// no t=, t= not a number, a v1= that is not 64 hex digits..., naming the
// item by its position, never quoting a value), or PT400 "no v1 signature
// in the Stripe-Signature header" when it has a t= but no v1=.
SignatureHeader parse_signature_header(std::string_view header);

// HMAC-SHA256 of "<timestamp>.<payload>" keyed by `secret`, the timestamp in
// canonical decimal (as Stripe's libraries sign it). A payload over 256 KiB
// is MACed in pieces, polling for interrupts between them (interrupt.hpp).
Signature sign(std::string_view secret, std::int64_t timestamp, std::string_view payload);

// Lowercase hex of a signature, as a header carries it (for tests and
// tools; never logged).
std::string to_hex(const Signature& signature);

// Checks a delivery. `header` is the Stripe-Signature header, absent when
// the request had none; `secrets` are the endpoint's active secrets.
// Returns the index in `secrets` of the secret that signed it. Throws PT400,
// checking in this order:
//   "missing Stripe-Signature header"
//   "malformed Stripe-Signature header" / "no v1 signature ..." (above)
//   "no webhook secret is configured" (secrets empty, or every secret the
//       empty string; HINT: docs/payments.md)
//   "stale Stripe-Signature timestamp" (timestamp < now - tolerance_s;
//       DETAIL: how old it is)
//   "Stripe-Signature timestamp in the future" (timestamp > now + tolerance_s)
//   "Stripe-Signature does not match" (no v1 matches any secret)
// A bound outside the range of int64 excludes nothing; a negative
// tolerance_s counts as 0. An empty secret never matches (anyone can compute
// its signatures). Every v1 is compared with every secret's signature in
// constant time (CRYPTO_memcmp), and all of them are compared: the time
// taken does not depend on which one matched. When several secrets match,
// the first one's index is returned.
std::size_t verify(std::optional<std::string_view> header, std::string_view payload,
                   const std::vector<std::string>& secrets, std::int64_t now, std::int64_t tolerance_s);

// The envelope of a Stripe event: what idempotency, ordering and the mode
// check need. The event's data.object is left to the caller.
struct Event {
    std::string id;            // "evt_..."
    std::string type;          // "customer.subscription.updated", ...
    std::int64_t created = 0;  // unix s
    bool livemode = false;
};

// Parses the (verified) body. Throws PT400 "malformed Stripe event" with a
// DETAIL naming the JSON path: not JSON, nesting deeper than max_depth, a
// duplicate key or a \u0000 anywhere, not a JSON object, no string id of
// "evt_" and at least one more byte (at most 255 bytes), no non-empty string
// type (at most 255 bytes), no positive integer created (a float such as
// 1.0 or 1e9 is refused), no boolean livemode, no object data.object. Every
// problem of the envelope is listed (format_problems in json_input.hpp).
Event parse_event(std::string_view body, int max_depth);

}  // namespace residency::stripe
