// libFuzzer target: Stripe webhooks (src/core/stripe.hpp) on arbitrary
// bytes. The input is read three ways:
//   - whole, as a Stripe-Signature header;
//   - split at its first '\n' into a header and a body, verified with fixed
//     secrets (at a fixed clock, and at the header's own timestamp), then
//     signed with one of the secrets and verified again, which must accept;
//   - whole, as an event body.
// Every refusal is PT400 with one of the documented messages, and none
// names a secret. The event parse is also run with an interrupt callback
// that throws at one of its polls (interrupt.hpp): the exception comes out
// and nothing leaks (ASan).
#include "error.hpp"
#include "interrupt.hpp"
#include "stripe.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace stripe = residency::stripe;

struct Cancelled {};
long polls_left = 0;  // the callback throws when this reaches 0
void cancel_check()
{
    if (--polls_left == 0)
        throw Cancelled{};
}

const std::vector<std::string> secrets = {"whsec_fuzz_first", "", "whsec_fuzz_second"};

bool starts_with(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// A refusal of the header or of verify(): PT400, a documented message, no
// secret in it.
void check_refusal(const residency::Error& e)
{
    static const std::string_view messages[] = {"missing Stripe-Signature header",
                                                "malformed Stripe-Signature header",
                                                "no v1 signature in the Stripe-Signature header",
                                                "no webhook secret is configured",
                                                "stale Stripe-Signature timestamp",
                                                "Stripe-Signature timestamp in the future",
                                                "Stripe-Signature does not match"};
    if (e.sqlstate() != stripe::bad_request)
        std::abort();
    bool known = false;
    for (std::string_view m : messages)
        known = known || e.message() == m;
    if (!known || e.detail().empty())
        std::abort();
    for (const std::string& text : {e.detail(), e.hint()})
        for (const std::string& s : secrets)
            if (!s.empty() && text.find(s) != std::string::npos)
                std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view input(reinterpret_cast<const char*>(data), size);

    // the whole input as a header
    try {
        stripe::SignatureHeader h = stripe::parse_signature_header(input);
        if (input.size() > stripe::max_header_bytes || h.v1.empty() || h.v1.size() > stripe::max_v1_signatures ||
            h.timestamp < 0)
            std::abort();
    } catch (const residency::Error& e) {
        check_refusal(e);
    }

    // header '\n' body
    const std::size_t newline = input.find('\n');
    const std::string_view header = input.substr(0, newline);
    const std::string_view body = newline == input.npos ? std::string_view() : input.substr(newline + 1);
    const std::int64_t tolerance = static_cast<std::int64_t>(size % 7) - 1;  // -1 .. 5
    for (std::int64_t now : {std::int64_t{1700000000}, std::int64_t{0}}) {
        try {
            std::size_t i = stripe::verify(header, body, secrets, now, tolerance);
            if (i >= secrets.size() || secrets[i].empty())
                std::abort();
        } catch (const residency::Error& e) {
            check_refusal(e);
        }
    }
    try {
        stripe::verify(std::nullopt, body, secrets, 0, 0);
        std::abort();
    } catch (const residency::Error& e) {
        if (e.message() != "missing Stripe-Signature header")
            std::abort();
    }
    std::int64_t t = 1700000000;
    try {
        t = stripe::parse_signature_header(header).timestamp;
        // at its own timestamp, a header is neither stale nor in the future
        std::size_t i = stripe::verify(header, body, secrets, t, tolerance);
        if (i >= secrets.size() || secrets[i].empty())
            std::abort();
    } catch (const residency::Error& e) {
        check_refusal(e);
        if (e.message() == "stale Stripe-Signature timestamp" ||
            e.message() == "Stripe-Signature timestamp in the future")
            std::abort();
    }
    // the body signed with a secret chosen by the input is accepted, with
    // that secret's index (the first one whose signature it carries)
    {
        const std::size_t k = size % 2 == 0 ? 0 : 2;
        const std::string signed_header = "t=" + std::to_string(t) +
                                          ",v1=" + stripe::to_hex(stripe::sign(secrets[k], t, body)) +
                                          ",v0=" + std::string(header.substr(0, 64));
        try {
            if (stripe::verify(signed_header, body, secrets, t, 0) != k)
                std::abort();
        } catch (const residency::Error& e) {
            // only a ',' in the v0 value could make it malformed
            if (e.message() != "malformed Stripe-Signature header" ||
                header.substr(0, 64).find(',') == std::string_view::npos)
                std::abort();
        }
    }

    // the whole input as an event
    try {
        stripe::Event ev = stripe::parse_event(input, 64);
        if (!starts_with(ev.id, "evt_") || ev.id.size() > 255 || ev.type.empty() || ev.type.size() > 255 ||
            ev.created <= 0)
            std::abort();
    } catch (const residency::Error& e) {
        if (e.sqlstate() != stripe::bad_request || e.message() != "malformed Stripe event" || e.detail().empty())
            std::abort();
    }
    polls_left = 1 + static_cast<long>(size % 17);
    residency::set_interrupt_check(&cancel_check);
    try {
        stripe::parse_event(input, 64);
    } catch (const Cancelled&) {
    } catch (const residency::Error&) {
    }
    residency::set_interrupt_check(nullptr);
    return 0;
}
