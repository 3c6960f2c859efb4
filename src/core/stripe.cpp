#include "stripe.hpp"

#include "error.hpp"
#include "interrupt.hpp"
#include "json_input.hpp"
#include "json_view.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <limits>
#include <memory>

namespace residency::stripe {

namespace {

constexpr std::string_view header_hint =
    "Stripe-Signature is t=<Unix time>,v1=<64 hexadecimal digits>[,v1=...], as Stripe sends it; see "
    "docs/payments.md.";

[[noreturn]] void malformed(std::string detail)
{
    throw Error(bad_request, "malformed Stripe-Signature header", std::move(detail), std::string(header_hint));
}

std::string item_name(std::size_t index)
{
    return "Item " + std::to_string(index + 1);
}

// HTTP's optional white space around an item.
std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Decimal digits, no sign, no leading zero (but "0"), at most 19 digits,
// at most INT64_MAX.
std::optional<std::int64_t> parse_timestamp(std::string_view text)
{
    if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');  // 19 digits fit in uint64
    }
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
    return static_cast<std::int64_t>(value);
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<Signature> parse_hex_signature(std::string_view text)
{
    Signature out{};
    if (text.size() != 2 * out.size())
        return std::nullopt;
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = hex_value(text[2 * i]);
        int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return out;
}

[[noreturn]] void mac_failed()
{
    throw Error(sqlstate::internal_error, "could not compute HMAC-SHA256", "OpenSSL's MAC call failed.");
}

// A large payload is MACed in pieces of this many bytes, with a poll for
// interrupts between them (as sha256.cpp does).
constexpr std::size_t mac_chunk = 256 * 1024;

std::string plural(std::size_t n, std::string_view one, std::string_view many)
{
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// ---- the event envelope ------------------------------------------------------

constexpr std::size_t max_event_text_bytes = 255;

[[noreturn]] void malformed_event(std::string detail)
{
    throw Error(bad_request, "malformed Stripe event", std::move(detail),
                "The body must be a Stripe event object: id \"evt_...\", type, created, livemode and data.object.");
}

void check_text(const NlohmannView& root, std::string_view key, std::string_view prefix, std::string& out,
                std::vector<JsonProblem>& problems)
{
    const std::string path = json_path_key("$", key);
    auto v = root.find(key);
    if (!v) {
        problems.push_back({path, "is required"});
        return;
    }
    const std::string what =
        prefix.empty() ? "a non-empty string" : "a string starting \"" + std::string(prefix) + "\"";
    if (v->type() != JsonType::string) {
        problems.push_back({path, "must be " + what + ", found " + describe_json(*v)});
        return;
    }
    std::string_view s = v->string();
    if (s.size() <= prefix.size() || s.substr(0, prefix.size()) != prefix) {
        problems.push_back({path, "must be " + what + ", found " + describe_json(*v)});
        return;
    }
    if (s.size() > max_event_text_bytes) {
        problems.push_back({path, "must be at most " + std::to_string(max_event_text_bytes) + " bytes, found " +
                                      std::to_string(s.size())});
        return;
    }
    out = std::string(s);
}

}  // namespace

SignatureHeader parse_signature_header(std::string_view header)
{
    if (header.size() > max_header_bytes)
        malformed("The header has " + std::to_string(header.size()) + " bytes; at most " +
                  std::to_string(max_header_bytes) + " are accepted.");
    if (trim(header).empty())
        malformed("The header is empty.");

    SignatureHeader out;
    bool have_timestamp = false;
    std::size_t index = 0;
    for (std::size_t start = 0;; ++index) {
        std::size_t comma = header.find(',', start);
        std::string_view item = trim(header.substr(start, comma == header.npos ? header.npos : comma - start));
        if (item.empty())
            malformed(item_name(index) + " is empty: two commas in a row, or a comma at an end.");
        std::size_t eq = item.find('=');
        if (eq == item.npos)
            malformed(item_name(index) + " is not key=value.");
        if (eq == 0)
            malformed(item_name(index) + " has no key before '='.");
        std::string_view key = item.substr(0, eq);
        std::string_view value = item.substr(eq + 1);
        if (key == "t") {
            if (have_timestamp)
                malformed("The header has more than one t= item.");
            auto t = parse_timestamp(value);
            if (!t)
                malformed(item_name(index) +
                          ": t= must be a Unix time in seconds, decimal digits without a sign or a leading zero, "
                          "at most 9223372036854775807.");
            out.timestamp = *t;
            have_timestamp = true;
        } else if (key == "v1") {
            if (out.v1.size() == max_v1_signatures)
                malformed("The header has more than " + std::to_string(max_v1_signatures) + " v1= signatures.");
            auto signature = parse_hex_signature(value);
            if (!signature)
                malformed(item_name(index) + ": a v1= signature must be 64 hexadecimal digits; it has " +
                          plural(value.size(), "character", "characters") +
                          (value.size() == 64 ? ", not all of them hexadecimal digits." : "."));
            out.v1.push_back(*signature);
        }  // other schemes (v0, ...) are skipped
        if (comma == header.npos)
            break;
        start = comma + 1;
    }
    if (!have_timestamp)
        malformed("The header has no t= item.");
    if (out.v1.empty())
        throw Error(bad_request, "no v1 signature in the Stripe-Signature header",
                    "The header has a timestamp but no v1= item; only v1 (HMAC-SHA256) signatures are accepted.",
                    "Only Stripe's v1 webhook signatures are checked (v0 and others are ignored); see "
                    "docs/payments.md.");
    return out;
}

Signature sign(std::string_view secret, std::int64_t timestamp, std::string_view payload)
{
    std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free};
    if (!mac)
        mac_failed();
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{EVP_MAC_CTX_new(mac.get()), &EVP_MAC_CTX_free};
    if (!ctx)
        mac_failed();
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    // A non-null key even when it is empty: OpenSSL reads a null key as
    // "keep the previous key", of which there is none.
    static const unsigned char no_key = 0;
    const unsigned char* key = secret.empty() ? &no_key : reinterpret_cast<const unsigned char*>(secret.data());
    if (EVP_MAC_init(ctx.get(), key, secret.size(), params) != 1)
        mac_failed();

    const std::string prefix = std::to_string(timestamp) + ".";
    if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size()) != 1)
        mac_failed();
    while (!payload.empty()) {
        std::size_t n = payload.size() < mac_chunk ? payload.size() : mac_chunk;
        if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(payload.data()), n) != 1)
            mac_failed();
        payload.remove_prefix(n);
        if (!payload.empty())
            poll_interrupts();
    }

    Signature out{};
    std::size_t length = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size())
        mac_failed();
    return out;
}

std::string to_hex(const Signature& signature)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(2 * signature.size(), '0');
    for (std::size_t i = 0; i < signature.size(); ++i) {
        out[2 * i] = hex[signature[i] >> 4];
        out[2 * i + 1] = hex[signature[i] & 0x0f];
    }
    return out;
}

std::size_t verify(std::optional<std::string_view> header, std::string_view payload,
                   const std::vector<std::string>& secrets, std::int64_t now, std::int64_t tolerance_s)
{
    if (!header)
        throw Error(bad_request, "missing Stripe-Signature header", "The request has no Stripe-Signature header.",
                    "Only Stripe's webhook deliveries, signed with the endpoint's secret, are accepted here.");
    const SignatureHeader parsed = parse_signature_header(*header);

    const std::string configure_hint =
        "Set the endpoint's signing secret (whsec_..., from the Stripe dashboard); see docs/payments.md.";
    if (secrets.empty())
        throw Error(bad_request, "no webhook secret is configured",
                    "No Stripe webhook signing secret is set, so no delivery can be verified.", configure_hint);
    bool any_usable = false;
    for (const std::string& secret : secrets)
        any_usable = any_usable || !secret.empty();
    if (!any_usable)  // an empty key signs what anyone can compute
        throw Error(bad_request, "no webhook secret is configured",
                    "Every configured Stripe webhook secret is empty, so no delivery can be verified.", configure_hint);

    // stale: more than the tolerance before now; future: more than the
    // tolerance after it. The gaps are computed as uint64, which holds any
    // difference of two int64 exactly, so no clock or tolerance overflows.
    const std::int64_t tolerance = tolerance_s < 0 ? 0 : tolerance_s;
    const std::int64_t t = parsed.timestamp;
    auto gap = [](std::int64_t later, std::int64_t earlier) {
        return static_cast<std::uint64_t>(later) - static_cast<std::uint64_t>(earlier);
    };
    const auto allowed = static_cast<std::uint64_t>(tolerance);
    if (t < now && gap(now, t) > allowed)
        throw Error(bad_request, "stale Stripe-Signature timestamp",
                    "The timestamp is " + std::to_string(gap(now, t)) + " s old; the tolerance is " +
                        std::to_string(tolerance) + " s.",
                    "A delivery is accepted only within the tolerance of its signing (residency.stripe_tolerance): "
                    "a replayed or long-delayed delivery is refused. Check the database server's clock.");
    if (t > now && gap(t, now) > allowed)
        throw Error(bad_request, "Stripe-Signature timestamp in the future",
                    "The timestamp is " + std::to_string(gap(t, now)) +
                        " s ahead of the database server's clock; the tolerance is " + std::to_string(tolerance) +
                        " s.",
                    "Check the database server's clock (NTP).");

    // Every v1 against every usable secret, with no early exit: the time
    // taken does not depend on which pair matched, or whether one did.
    std::size_t matched = secrets.size();  // none yet
    for (std::size_t i = 0; i < secrets.size(); ++i) {
        const Signature expected = sign(secrets[i], t, payload);
        unsigned hit = 0;
        for (const Signature& candidate : parsed.v1)
            hit |= static_cast<unsigned>(CRYPTO_memcmp(expected.data(), candidate.data(), expected.size()) == 0);
        hit &= static_cast<unsigned>(!secrets[i].empty());
        const unsigned first = hit & static_cast<unsigned>(matched == secrets.size());
        matched = first ? i : matched;
    }
    if (matched == secrets.size())
        throw Error(bad_request, "Stripe-Signature does not match",
                    "No v1 signature of the header (" + plural(parsed.v1.size(), "signature", "signatures") +
                        ") is the HMAC-SHA256 of the timestamp and the request body under any of the " +
                        plural(secrets.size(), "configured secret", "configured secrets") + ".",
                    "Check that the configured secret is this endpoint's signing secret (whsec_...), and that the "
                    "body reaches the database byte for byte as Stripe sent it.");
    return matched;
}

Event parse_event(std::string_view body, int max_depth)
{
    if (json_nesting_depth(body, max_depth) > max_depth)
        malformed_event("$: the JSON nests arrays and objects more than " + std::to_string(max_depth) +
                        " levels deep (residency.max_json_depth).");
    Limits limits;
    limits.max_json_depth = max_depth;
    ParsedJson parsed;
    try {
        parsed = parse_json_strict(body, limits, "Stripe event");
    } catch (const Error& e) {
        // not JSON, or a number out of range: the parser's DETAIL has the path
        malformed_event(e.message() + ". " + e.detail());
    }
    if (!parsed.problems.empty())  // duplicate keys, NUL characters
        malformed_event(format_problems(parsed.problems));

    const NlohmannView root(parsed.value);
    if (root.type() != JsonType::object)
        malformed_event("$: must be a JSON object, found " + describe_json(root) + ".");

    Event event;
    std::vector<JsonProblem> problems;
    check_text(root, "id", "evt_", event.id, problems);
    check_text(root, "type", "", event.type, problems);

    // nlohmann reads a non-negative integer as unsigned, a negative one as
    // signed, and a number with a fraction or an exponent as a float.
    if (auto it = parsed.value.find("created"); it == parsed.value.end()) {
        problems.push_back({"$.created", "is required"});
    } else {
        constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        bool positive = false;
        if (it->is_number_unsigned())
            positive = it->get<std::uint64_t>() > 0 && it->get<std::uint64_t>() <= int64_max;
        else if (it->is_number_integer())
            positive = it->get<std::int64_t>() > 0;
        if (positive)
            event.created = it->get<std::int64_t>();
        else
            problems.push_back(
                {"$.created", "must be a positive integer (Unix time), found " + describe_json(NlohmannView(*it))});
    }

    if (auto livemode = root.find("livemode"); !livemode)
        problems.push_back({"$.livemode", "is required"});
    else if (livemode->type() != JsonType::boolean)
        problems.push_back({"$.livemode", "must be a boolean, found " + describe_json(*livemode)});
    else
        event.livemode = livemode->boolean();

    if (auto data = root.find("data"); !data)
        problems.push_back({"$.data", "is required"});
    else if (data->type() != JsonType::object)
        problems.push_back({"$.data", "must be an object, found " + describe_json(*data)});
    else if (auto object = data->find("object"); !object)
        problems.push_back({"$.data.object", "is required"});
    else if (object->type() != JsonType::object)
        problems.push_back({"$.data.object", "must be an object, found " + describe_json(*object)});

    release_json(parsed.value);
    if (!problems.empty())
        malformed_event(format_problems(problems));
    return event;
}

}  // namespace residency::stripe
