// Stripe webhooks (src/core/stripe.hpp): the Stripe-Signature header, the
// HMAC-SHA256 of "<t>.<body>", the timestamp tolerance, the order of the
// checks, and the event envelope. Every failure is PT400 with a fixed
// message; no message, DETAIL or HINT names a secret or a signature.
//
// The known answers were computed outside this code, with OpenSSL's command
// line (and checked with Python's hmac module), e.g.
//   printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac 'whsec_test'
#include "stripe.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace residency::stripe {
namespace {

using test::thrown;

constexpr std::int64_t t0 = 1700000000;
constexpr const char* secret = "whsec_test";
constexpr const char* body = R"({"id":"evt_1"})";

// HMAC-SHA256, hex, of the message under the key (openssl dgst -sha256 -hmac KEY).
// whsec_test, '1700000000.{"id":"evt_1"}'
constexpr const char* sig_test = "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925";
// whsec_test, '1700000000.{"id":"evt_2"}'
constexpr const char* sig_test_evt2 = "6117c560528bc8ca7cd766cd74138be13d065b9b3474effed916fb60de338c09";
// whsec_other, '1700000000.{"id":"evt_1"}'
constexpr const char* sig_other = "d8d091c76b586cff4dbd317fc47ebddff4b86de3ce18d3c03753c3c1901d475a";
// whsec_new, '1700000000.{"id":"evt_1"}'
constexpr const char* sig_new = "f3ac0c93c23f69e2e6046d7f0e2c82c93d0403de0f8651457189ab70fbbfcaae";
// whsec_test, '1700000000.{"id": "evt_1"}' (a space after the colon)
constexpr const char* sig_test_spaced = "a0c091828640f0b68061abc7c03981ad1100ff7160c5dba6b656239494a2b537";
// whsec_test, '0.' (timestamp 0, empty body)
constexpr const char* sig_test_t0_empty = "a2fa7a43c6a1cf2e784eaf3327d65c65b3d2b790320ebed9aa5661bc42a8cccd";
// whsec_test, '9223372036854775807.x'
constexpr const char* sig_test_tmax = "7f4f3d25b3aefd03db4a43298d74cf657e99adff9b0390c8d51f562c8b2d718c";
// empty key, '1700000000.{"id":"evt_1"}' (Python: hmac.new(b"", msg, hashlib.sha256))
constexpr const char* sig_empty_key = "0544cee61c7f21c4f8ddaa03818d769214fe1cee99d6a47c009139d400184359";
// whsec_test, '1700000000.' followed by 614400 'a' (600 KiB: several MAC pieces)
constexpr const char* sig_test_600k = "9ac37c974fc94c0c603af1f50c98ed50bb476da601bcda6e6e86ed1cb17a7cda";

std::string upper(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string header(std::int64_t t, const std::vector<std::string>& v1)
{
    std::string out = "t=" + std::to_string(t);
    for (const std::string& s : v1)
        out += ",v1=" + s;
    return out;
}

Signature bytes(const std::string& hex)
{
    Signature out{};
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

// The Error of parse_signature_header, which must be PT400 "malformed...".
void expect_malformed(const std::string& text, const std::string& detail_part = "")
{
    auto e = thrown([&] { parse_signature_header(text); });
    ASSERT_TRUE(e) << "accepted: '" << text << "'";
    EXPECT_EQ(e->sqlstate(), "PT400") << text;
    EXPECT_EQ(e->message(), "malformed Stripe-Signature header") << text << "\n" << e->detail();
    EXPECT_FALSE(e->detail().empty()) << text;
    EXPECT_NE(e->detail().find(detail_part), std::string::npos) << text << "\n" << e->detail();
}

std::optional<Error> verify_error(std::optional<std::string_view> h, std::string_view payload,
                                  const std::vector<std::string>& secrets, std::int64_t now,
                                  std::int64_t tolerance = default_tolerance_s)
{
    return thrown([&] { verify(h, payload, secrets, now, tolerance); });
}

// ---- known answers -------------------------------------------------------------

TEST(StripeSign, KnownAnswers)
{
    EXPECT_EQ(to_hex(sign(secret, t0, body)), sig_test);
    EXPECT_EQ(to_hex(sign(secret, t0, R"({"id":"evt_2"})")), sig_test_evt2);
    EXPECT_EQ(to_hex(sign("whsec_other", t0, body)), sig_other);
    EXPECT_EQ(to_hex(sign("whsec_new", t0, body)), sig_new);
    EXPECT_EQ(to_hex(sign(secret, t0, R"({"id": "evt_1"})")), sig_test_spaced);
    EXPECT_EQ(to_hex(sign(secret, 0, "")), sig_test_t0_empty);
    EXPECT_EQ(to_hex(sign(secret, std::numeric_limits<std::int64_t>::max(), "x")), sig_test_tmax);
    EXPECT_EQ(to_hex(sign("", t0, body)), sig_empty_key);
}

TEST(StripeSign, LargePayloadInPieces)
{
    EXPECT_EQ(to_hex(sign(secret, t0, std::string(600 * 1024, 'a'))), sig_test_600k);
}

TEST(StripeSign, BytesNotCString)
{
    // a NUL in the body is signed like any other byte
    std::string with_nul("a\0b", 3);
    EXPECT_NE(sign(secret, t0, with_nul), sign(secret, t0, "a"));
}

TEST(StripeToHex, LowercaseTwoDigitsPerByte)
{
    Signature s{};
    s[0] = 0x00;
    s[1] = 0x0f;
    s[2] = 0xa0;
    s[31] = 0xff;
    std::string hex = to_hex(s);
    ASSERT_EQ(hex.size(), 64u);
    EXPECT_EQ(hex.substr(0, 6), "000fa0");
    EXPECT_EQ(hex.substr(62), "ff");
    EXPECT_EQ(to_hex(bytes(sig_test)), sig_test);
}

// ---- parse_signature_header -------------------------------------------------------

TEST(StripeHeader, OneSignature)
{
    SignatureHeader h = parse_signature_header(header(t0, {sig_test}));
    EXPECT_EQ(h.timestamp, t0);
    ASSERT_EQ(h.v1.size(), 1u);
    EXPECT_EQ(h.v1[0], bytes(sig_test));
}

TEST(StripeHeader, SeveralSignaturesInOrder)
{
    SignatureHeader h = parse_signature_header(header(t0, {sig_test, sig_other, sig_new}));
    ASSERT_EQ(h.v1.size(), 3u);
    EXPECT_EQ(h.v1[0], bytes(sig_test));
    EXPECT_EQ(h.v1[1], bytes(sig_other));
    EXPECT_EQ(h.v1[2], bytes(sig_new));
    // t need not come first
    h = parse_signature_header(std::string("v1=") + sig_test + ",t=42,v1=" + sig_other);
    EXPECT_EQ(h.timestamp, 42);
    ASSERT_EQ(h.v1.size(), 2u);
    EXPECT_EQ(h.v1[1], bytes(sig_other));
}

TEST(StripeHeader, OtherSchemesAreIgnored)
{
    // Stripe's own example: a v0 beside the v1; v0's value is not read at all
    SignatureHeader h = parse_signature_header(std::string("t=") + std::to_string(t0) + ",v1=" + sig_test +
                                               ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39");
    ASSERT_EQ(h.v1.size(), 1u);
    EXPECT_EQ(h.v1[0], bytes(sig_test));
    h = parse_signature_header(std::string("t=1,v0=not hex at all,v2=,V1=xyz,T=abc,x=y=z,v1=") + sig_test);
    EXPECT_EQ(h.timestamp, 1);
    ASSERT_EQ(h.v1.size(), 1u);
}

TEST(StripeHeader, WhitespaceAroundItemsIsTrimmed)
{
    SignatureHeader h =
        parse_signature_header(std::string(" t=1700000000 ,\tv1=") + sig_test + "\t, v1=" + sig_new + "  ");
    EXPECT_EQ(h.timestamp, t0);
    ASSERT_EQ(h.v1.size(), 2u);
    EXPECT_EQ(h.v1[0], bytes(sig_test));
    EXPECT_EQ(h.v1[1], bytes(sig_new));
}

TEST(StripeHeader, UppercaseAndMixedCaseHex)
{
    SignatureHeader h = parse_signature_header(header(t0, {upper(sig_test)}));
    ASSERT_EQ(h.v1.size(), 1u);
    EXPECT_EQ(h.v1[0], bytes(sig_test));
    std::string mixed = sig_test;
    for (std::size_t i = 0; i < mixed.size(); i += 2)
        mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
    EXPECT_EQ(parse_signature_header(header(t0, {mixed})).v1[0], bytes(sig_test));
}

TEST(StripeHeader, TimestampRange)
{
    EXPECT_EQ(parse_signature_header(header(0, {sig_test})).timestamp, 0);
    EXPECT_EQ(parse_signature_header(std::string("t=9223372036854775807,v1=") + sig_test).timestamp,
              std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(parse_signature_header(std::string("t=1000000000000000000,v1=") + sig_test).timestamp,
              1000000000000000000);
}

TEST(StripeHeader, MissingTimestamp)
{
    expect_malformed(std::string("v1=") + sig_test, "no t=");
    expect_malformed(std::string("T=1700000000,v1=") + sig_test, "no t=");  // keys are case-sensitive
    expect_malformed(std::string("t =1700000000,v1=") + sig_test, "no t=");
}

TEST(StripeHeader, RepeatedTimestamp)
{
    expect_malformed(std::string("t=1700000000,t=1700000000,v1=") + sig_test, "more than one t=");
    expect_malformed(std::string("t=1700000000,v1=") + sig_test + ",t=1", "more than one t=");
}

TEST(StripeHeader, BadTimestamp)
{
    for (const char* t : {"", "abc", "-1", "+1", " 1", "1 2", "1.5", "1e9", "0x10", "01", "00", "9223372036854775808",
                          "18446744073709551616", "99999999999999999999", "00000000000000000001", "１"})
        expect_malformed(std::string("t=") + t + ",v1=" + sig_test, "Item 1: t= must be a Unix time");
}

TEST(StripeHeader, BadSignatureLengthOrDigits)
{
    std::string hex = sig_test;
    expect_malformed(header(t0, {hex.substr(0, 63)}), "it has 63 characters.");
    expect_malformed(header(t0, {hex + "0"}), "it has 65 characters.");
    expect_malformed(header(t0, {hex + hex}), "it has 128 characters.");
    expect_malformed(header(t0, {""}), "Item 2: a v1= signature must be 64 hexadecimal digits; it has 0 characters.");
    expect_malformed(header(t0, {hex.substr(0, 63) + "g"}), "not all of them hexadecimal digits");
    expect_malformed(header(t0, {"0x" + hex.substr(2)}), "not all of them hexadecimal digits");
    expect_malformed(header(t0, {hex.substr(0, 32) + " " + hex.substr(33)}), "not all of them");
    expect_malformed(header(t0, {std::string(hex).replace(5, 1, 1, '\0')}), "not all of them");
    // one good and one bad: the whole header is malformed
    expect_malformed(header(t0, {hex, hex.substr(1)}), "Item 3");
}

TEST(StripeHeader, EmptyHeaderAndEmptyItems)
{
    expect_malformed("", "empty");
    expect_malformed("   \t ", "empty");
    expect_malformed(",", "Item 1 is empty");
    expect_malformed(std::string(",t=1,v1=") + sig_test, "Item 1 is empty");
    expect_malformed(std::string("t=1,,v1=") + sig_test, "Item 2 is empty");
    expect_malformed(std::string("t=1, ,v1=") + sig_test, "Item 2 is empty");
    expect_malformed(std::string("t=1,v1=") + sig_test + ",", "Item 3 is empty");
}

TEST(StripeHeader, ItemWithoutEqualsOrKey)
{
    expect_malformed(std::string("t=1,v1") + sig_test, "Item 2 is not key=value");
    expect_malformed(std::string("t=1,v1=") + sig_test + ",garbage", "Item 3 is not key=value");
    expect_malformed(std::string("t=1;v1=") + sig_test, "Item 1: t= must be");
    expect_malformed(std::string("=1,t=1,v1=") + sig_test, "Item 1 has no key");
}

TEST(StripeHeader, OnlyOtherSchemesMeansNoV1)
{
    for (const std::string& text : {std::string("t=1700000000,v0=") + sig_test, std::string("t=1700000000"),
                                    std::string("t=1700000000,v2=") + sig_test + ",V1=" + sig_test}) {
        auto e = thrown([&] { parse_signature_header(text); });
        ASSERT_TRUE(e) << text;
        EXPECT_EQ(e->sqlstate(), "PT400");
        EXPECT_EQ(e->message(), "no v1 signature in the Stripe-Signature header") << text;
        EXPECT_FALSE(e->detail().empty());
        EXPECT_FALSE(e->hint().empty());
    }
    // no t= and no v1: the missing t= is reported
    expect_malformed(std::string("v0=") + sig_test, "no t=");
}

TEST(StripeHeader, LengthBound)
{
    // exactly max_header_bytes is read; one byte more is malformed
    std::string base = header(t0, {sig_test}) + ",v0=";
    std::string at_limit = base + std::string(max_header_bytes - base.size(), 'x');
    ASSERT_EQ(at_limit.size(), 8192u);
    EXPECT_EQ(parse_signature_header(at_limit).v1.size(), 1u);
    expect_malformed(at_limit + "x", "The header has 8193 bytes; at most 8192 are accepted.");
    expect_malformed(std::string(1 << 20, ','), "1048576 bytes");
}

TEST(StripeHeader, SignatureCountBound)
{
    std::vector<std::string> sixteen(max_v1_signatures, sig_test);
    ASSERT_EQ(sixteen.size(), 16u);
    EXPECT_EQ(parse_signature_header(header(t0, sixteen)).v1.size(), 16u);
    sixteen.push_back(sig_other);
    expect_malformed(header(t0, sixteen), "more than 16 v1= signatures");
}

TEST(StripeHeader, DetailNeverQuotesAValue)
{
    // a v1 of the wrong length, a bad t: the DETAIL says what, not the bytes
    std::string hex = sig_test;
    for (const std::string& text :
         {header(t0, {hex.substr(0, 62)}), header(t0, {hex + "ab"}), "t=1700000000x,v1=" + hex, "t=1,t=2,v1=" + hex}) {
        auto e = thrown([&] { parse_signature_header(text); });
        ASSERT_TRUE(e);
        for (const std::string& s : {e->message(), e->detail(), e->hint()}) {
            EXPECT_EQ(s.find(hex.substr(0, 16)), std::string::npos) << s;
            EXPECT_EQ(s.find("1700000000x"), std::string::npos) << s;
        }
    }
}

// ---- verify -----------------------------------------------------------------

TEST(StripeVerify, RightSecret)
{
    EXPECT_EQ(verify(header(t0, {sig_test}), body, {secret}, t0, default_tolerance_s), 0u);
    EXPECT_EQ(verify(header(t0, {upper(sig_test)}), body, {secret}, t0 + 10, default_tolerance_s), 0u);
    EXPECT_EQ(verify(header(0, {sig_test_t0_empty}), "", {secret}, 0, 0), 0u);
}

TEST(StripeVerify, WrongSecret)
{
    auto e = verify_error(header(t0, {sig_test}), body, {"whsec_other"}, t0);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "Stripe-Signature does not match");
    EXPECT_NE(e->detail().find("1 signature"), std::string::npos) << e->detail();
    EXPECT_NE(e->detail().find("1 configured secret"), std::string::npos) << e->detail();
    EXPECT_FALSE(e->hint().empty());
    // a signature of another body, or of another timestamp
    EXPECT_EQ(verify_error(header(t0, {sig_test_evt2}), body, {secret}, t0)->message(),
              "Stripe-Signature does not match");
    EXPECT_EQ(verify_error(header(t0 + 1, {sig_test}), body, {secret}, t0)->message(),
              "Stripe-Signature does not match");
    // a case variant of the secret is another secret
    EXPECT_EQ(verify_error(header(t0, {sig_test}), body, {"WHSEC_TEST"}, t0)->message(),
              "Stripe-Signature does not match");
}

TEST(StripeVerify, SecondSecretMatches)
{
    EXPECT_EQ(verify(header(t0, {sig_test}), body, {"whsec_other", secret}, t0, 300), 1u);
    EXPECT_EQ(verify(header(t0, {sig_test}), body, {"whsec_a", "whsec_b", secret}, t0, 300), 2u);
    auto e = verify_error(header(t0, {sig_test}), body, {"whsec_a", "whsec_b"}, t0);
    ASSERT_TRUE(e);
    EXPECT_NE(e->detail().find("2 configured secrets"), std::string::npos) << e->detail();
}

TEST(StripeVerify, RotatedSecret)
{
    // While a secret is rolled Stripe signs with both: one v1 per secret.
    const std::string both = header(t0, {sig_new, sig_test});
    EXPECT_EQ(verify(both, body, {"whsec_new"}, t0, 300), 0u);          // new secret only
    EXPECT_EQ(verify(both, body, {secret}, t0, 300), 0u);               // old secret only
    EXPECT_EQ(verify(both, body, {"whsec_new", secret}, t0, 300), 0u);  // both: the first one
    EXPECT_EQ(verify(both, body, {secret, "whsec_new"}, t0, 300), 0u);  // both, the other way round
    EXPECT_EQ(verify(both, body, {"whsec_other", "whsec_new"}, t0, 300), 1u);
    // the server has rotated, Stripe still signs with the old one only
    EXPECT_EQ(verify(header(t0, {sig_test}), body, {"whsec_new", secret}, t0, 300), 1u);
    // an expired secret no longer configured
    EXPECT_EQ(verify_error(header(t0, {sig_test}), body, {"whsec_new"}, t0)->message(),
              "Stripe-Signature does not match");
    auto e = verify_error(both, body, {"whsec_other"}, t0);
    ASSERT_TRUE(e);
    EXPECT_NE(e->detail().find("2 signatures"), std::string::npos) << e->detail();
}

TEST(StripeVerify, ASignatureAmongOthersMatches)
{
    // a v1 at any position, among v1s of other secrets and a v0
    std::string h =
        std::string("t=1700000000,v1=") + sig_other + ",v0=" + sig_new + ",v1=" + sig_test_evt2 + ",v1=" + sig_test;
    EXPECT_EQ(verify(h, body, {secret}, t0, 300), 0u);
    // the v0 is not a signature
    EXPECT_EQ(
        verify_error(std::string("t=1700000000,v1=") + sig_other + ",v0=" + sig_test, body, {secret}, t0)->message(),
        "Stripe-Signature does not match");
}

TEST(StripeVerify, OneChangedByteOfThePayload)
{
    const std::string h = header(t0, {sig_test});
    const std::string original = body;
    ASSERT_EQ(verify(h, original, {secret}, t0, 300), 0u);
    for (std::size_t i = 0; i < original.size(); ++i) {
        std::string changed = original;
        changed[i] = static_cast<char>(changed[i] ^ 0x01);
        auto e = verify_error(h, changed, {secret}, t0);
        ASSERT_TRUE(e) << changed;
        EXPECT_EQ(e->message(), "Stripe-Signature does not match") << changed;
    }
    // white space is part of the body
    for (const std::string& changed :
         {std::string(R"({"id": "evt_1"})"), std::string(R"( {"id":"evt_1"})"), std::string(R"({"id":"evt_1"} )"),
          original + "\n", original + "\r\n", std::string(R"({"id":"evt_1"	})"), original.substr(1),
          original.substr(0, original.size() - 1), std::string(original).append(1, '\0')}) {
        auto e = verify_error(h, changed, {secret}, t0);
        ASSERT_TRUE(e) << changed;
        EXPECT_EQ(e->message(), "Stripe-Signature does not match") << changed;
    }
    // and that body with its own signature is accepted
    EXPECT_EQ(verify(header(t0, {sig_test_spaced}), R"({"id": "evt_1"})", {secret}, t0, 300), 0u);
}

TEST(StripeVerify, StaleBoundary)
{
    const std::string h = header(t0, {sig_test});
    EXPECT_EQ(verify(h, body, {secret}, t0 + 300, 300), 0u);  // exactly the tolerance old
    auto e = verify_error(h, body, {secret}, t0 + 301, 300);  // one second more
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "stale Stripe-Signature timestamp");
    EXPECT_EQ(e->detail(), "The timestamp is 301 s old; the tolerance is 300 s.");
    EXPECT_FALSE(e->hint().empty());
    e = verify_error(h, body, {secret}, t0 + 412, 300);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->detail(), "The timestamp is 412 s old; the tolerance is 300 s.");
    // tolerance 0: only the very second
    EXPECT_EQ(verify(h, body, {secret}, t0, 0), 0u);
    EXPECT_EQ(verify_error(h, body, {secret}, t0 + 1, 0)->message(), "stale Stripe-Signature timestamp");
}

TEST(StripeVerify, FutureBoundary)
{
    const std::string h = header(t0, {sig_test});
    EXPECT_EQ(verify(h, body, {secret}, t0 - 300, 300), 0u);  // exactly the tolerance ahead
    auto e = verify_error(h, body, {secret}, t0 - 301, 300);  // one second more
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "Stripe-Signature timestamp in the future");
    EXPECT_EQ(e->detail(), "The timestamp is 301 s ahead of the database server's clock; the tolerance is 300 s.");
    EXPECT_FALSE(e->hint().empty());
    EXPECT_EQ(verify_error(h, body, {secret}, t0 - 1, 0)->message(), "Stripe-Signature timestamp in the future");
}

TEST(StripeVerify, NegativeToleranceCountsAsZero)
{
    const std::string h = header(t0, {sig_test});
    EXPECT_EQ(verify(h, body, {secret}, t0, -5), 0u);
    auto e = verify_error(h, body, {secret}, t0 + 1, -5);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->detail(), "The timestamp is 1 s old; the tolerance is 0 s.");
}

TEST(StripeVerify, ExtremeClocksAndTolerancesDoNotOverflow)
{
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const std::string h = header(t0, {sig_test});
    const std::string h0 = header(0, {sig_test_t0_empty});
    const std::string hmax = std::string("t=9223372036854775807,v1=") + sig_test_tmax;
    // the largest tolerance accepts any gap up to INT64_MAX s
    EXPECT_EQ(verify(h, body, {secret}, 0, max), 0u);
    EXPECT_EQ(verify(h, body, {secret}, max, max), 0u);
    EXPECT_EQ(verify(h0, "", {secret}, max, max), 0u);
    EXPECT_EQ(verify(hmax, "x", {secret}, 0, max), 0u);
    // beyond any tolerance: the gap from INT64_MIN to INT64_MAX is 2^64 - 1 s
    EXPECT_EQ(verify_error(hmax, "x", {secret}, min, max)->message(), "Stripe-Signature timestamp in the future");
    EXPECT_EQ(verify(hmax, "x", {secret}, max, 0), 0u);
    EXPECT_EQ(verify(hmax, "x", {secret}, max - 300, 300), 0u);
    // the largest gaps there are, reported exactly
    auto e = verify_error(h0, "", {secret}, max, 300);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->detail(), "The timestamp is 9223372036854775807 s old; the tolerance is 300 s.");
    e = verify_error(hmax, "x", {secret}, min, 300);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message(), "Stripe-Signature timestamp in the future");
    EXPECT_EQ(e->detail(),
              "The timestamp is 18446744073709551615 s ahead of the database server's clock; the tolerance is 300 s.");
    e = verify_error(h, body, {secret}, min, 0);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message(), "Stripe-Signature timestamp in the future");
    // a clock before 1970: every header is ahead of it
    EXPECT_EQ(verify_error(h0, "", {secret}, -301, 300)->message(), "Stripe-Signature timestamp in the future");
    EXPECT_EQ(verify(h0, "", {secret}, -300, 300), 0u);
}

TEST(StripeVerify, NoSecrets)
{
    auto e = verify_error(header(t0, {sig_test}), body, {}, t0);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "no webhook secret is configured");
    EXPECT_FALSE(e->detail().empty());
    EXPECT_NE(e->hint().find("docs/payments.md"), std::string::npos) << e->hint();
}

TEST(StripeVerify, EmptySecretsNeverMatch)
{
    // anyone can compute an empty key's signature
    const std::string h = header(t0, {sig_empty_key});
    auto e = verify_error(h, body, {""}, t0);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message(), "no webhook secret is configured");
    EXPECT_NE(e->detail().find("empty"), std::string::npos) << e->detail();
    EXPECT_EQ(verify_error(h, body, {"", ""}, t0)->message(), "no webhook secret is configured");
    EXPECT_EQ(verify_error(h, body, {"", secret}, t0)->message(), "Stripe-Signature does not match");
    EXPECT_EQ(verify(header(t0, {sig_empty_key, sig_test}), body, {"", secret}, t0, 300), 1u);
}

TEST(StripeVerify, MissingHeader)
{
    auto e = verify_error(std::nullopt, body, {secret}, t0);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "missing Stripe-Signature header");
    EXPECT_FALSE(e->detail().empty());
    // present but empty is malformed, not missing
    EXPECT_EQ(verify_error(std::string_view(), body, {secret}, t0)->message(), "malformed Stripe-Signature header");
}

TEST(StripeVerify, OrderOfChecks)
{
    const std::string stale = header(t0 - 1000, {sig_test});
    // missing header first, whatever else is wrong
    EXPECT_EQ(verify_error(std::nullopt, body, {}, t0)->message(), "missing Stripe-Signature header");
    // then the header
    EXPECT_EQ(verify_error("t=x", body, {}, t0)->message(), "malformed Stripe-Signature header");
    EXPECT_EQ(verify_error("t=1", body, {}, t0)->message(), "no v1 signature in the Stripe-Signature header");
    // then the secrets, before the timestamp
    EXPECT_EQ(verify_error(stale, body, {}, t0)->message(), "no webhook secret is configured");
    EXPECT_EQ(verify_error(stale, body, {""}, t0)->message(), "no webhook secret is configured");
    // then the timestamp, before the signature (here it does not match either)
    EXPECT_EQ(verify_error(stale, body, {secret}, t0)->message(), "stale Stripe-Signature timestamp");
    EXPECT_EQ(verify_error(header(t0 + 1000, {sig_test}), body, {"whsec_other"}, t0)->message(),
              "Stripe-Signature timestamp in the future");
    // a correct signature does not excuse a stale timestamp
    EXPECT_EQ(verify_error(header(t0, {sig_test}), body, {secret}, t0 + 301)->message(),
              "stale Stripe-Signature timestamp");
}

TEST(StripeVerify, NoErrorNamesASecretOrASignature)
{
    const std::vector<std::string> secrets = {secret, "whsec_other", "whsec_new"};
    const std::vector<std::string> forbidden = {
        secret, "whsec_other", "whsec_new", sig_test, upper(sig_test), sig_other, sig_new, sig_test_evt2,
        // the signatures the code computes for these deliveries
        to_hex(sign(secret, t0, "tampered")), to_hex(sign(secret, t0 + 5, body)),
        to_hex(sign(secret, t0 - 1000, body))};
    std::vector<Error> errors;
    auto collect = [&](auto&& f) {
        auto e = thrown(f);
        ASSERT_TRUE(e);
        errors.push_back(*e);
    };
    collect([&] { verify(header(t0, {sig_test}), "tampered", secrets, t0, 300); });
    collect([&] { verify(header(t0, {sig_test}), body, {"whsec_x"}, t0, 300); });
    collect([&] { verify(header(t0 + 5, {sig_test}), body, secrets, t0, 300); });
    collect([&] { verify(header(t0 - 1000, {sig_test, sig_new}), body, secrets, t0, 300); });
    collect([&] { verify(header(t0 + 1000, {sig_other}), body, secrets, t0, 300); });
    collect([&] { verify(header(t0, {sig_test}), body, {}, t0, 300); });
    collect([&] { verify(std::nullopt, body, secrets, t0, 300); });
    collect([&] { verify(header(t0, {std::string(sig_test) + "0"}), body, secrets, t0, 300); });
    collect([&] { verify(header(t0, {std::string(sig_test).substr(1)}), body, secrets, t0, 300); });
    collect([&] { verify(std::string("t=1700000000,v0=") + sig_test, body, secrets, t0, 300); });
    collect([&] { verify(std::string("t=1700000000,v1=") + sig_test + ",t=1", body, secrets, t0, 300); });
    collect([&] { verify(std::string("t=1700000000,") + sig_test, body, secrets, t0, 300); });
    ASSERT_EQ(errors.size(), 12u);
    for (const Error& e : errors) {
        EXPECT_EQ(e.sqlstate(), "PT400");
        for (const std::string& text : {e.message(), e.detail(), e.hint()}) {
            for (const std::string& f : forbidden) {
                EXPECT_EQ(text.find(f), std::string::npos) << "'" << f << "' in: " << text;
                // nor a recognisable piece of one
                if (f.size() == 64) {
                    EXPECT_EQ(text.find(f.substr(0, 12)), std::string::npos) << "'" << f << "' in: " << text;
                }
            }
        }
    }
}

// ---- parse_event ----------------------------------------------------------------

constexpr const char* good_event = R"({
  "id": "evt_1NG8Du2eZvKYlo2CUI3Xhmfs",
  "object": "event",
  "api_version": "2023-10-16",
  "created": 1700000000,
  "livemode": false,
  "pending_webhooks": 1,
  "request": {"id": null, "idempotency_key": null},
  "type": "customer.subscription.updated",
  "data": {
    "object": {"id": "sub_1", "object": "subscription", "status": "active", "items": {"data": [{"price": {"id": "price_1"}}]}},
    "previous_attributes": {"status": "trialing"}
  }
})";

// An envelope with the given JSON for each field; an empty string leaves
// the field out.
std::string event(const std::string& id, const std::string& type, const std::string& created,
                  const std::string& livemode, const std::string& data)
{
    std::string out = "{";
    auto add = [&](const char* key, const std::string& json) {
        if (json.empty())
            return;
        if (out.size() > 1)
            out += ",";
        out += "\"" + std::string(key) + "\":" + json;
    };
    add("id", id);
    add("object", "\"event\"");
    add("type", type);
    add("created", created);
    add("livemode", livemode);
    add("data", data);
    return out + "}";
}

const std::string ok_id = R"("evt_1")";
const std::string ok_type = R"("invoice.paid")";
const std::string ok_created = "1700000000";
const std::string ok_data = R"({"object":{"id":"in_1"}})";

TEST(StripeEvent, Good)
{
    Event e = parse_event(good_event, 64);
    EXPECT_EQ(e.id, "evt_1NG8Du2eZvKYlo2CUI3Xhmfs");
    EXPECT_EQ(e.type, "customer.subscription.updated");
    EXPECT_EQ(e.created, 1700000000);
    EXPECT_FALSE(e.livemode);

    e = parse_event(event(ok_id, ok_type, ok_created, "true", ok_data), 64);
    EXPECT_EQ(e.id, "evt_1");
    EXPECT_EQ(e.type, "invoice.paid");
    EXPECT_TRUE(e.livemode);
    // bounds that are accepted
    EXPECT_EQ(parse_event(event(ok_id, ok_type, "1", "false", ok_data), 64).created, 1);
    EXPECT_EQ(parse_event(event(ok_id, ok_type, "9223372036854775807", "false", ok_data), 64).created,
              std::numeric_limits<std::int64_t>::max());
    const std::string id255 = "evt_" + std::string(251, 'a');
    EXPECT_EQ(parse_event(event("\"" + id255 + "\"", ok_type, ok_created, "false", ok_data), 64).id, id255);
    const std::string type255(255, 't');
    EXPECT_EQ(parse_event(event(ok_id, "\"" + type255 + "\"", ok_created, "false", ok_data), 64).type, type255);
    EXPECT_EQ(parse_event(event(ok_id, R"("x")", ok_created, "false", R"({"object":{}})"), 64).type, "x");
    // non-ASCII is bytes, and escapes are decoded
    EXPECT_EQ(parse_event(event(R"("evt_\u00e9")", ok_type, ok_created, "false", ok_data), 64).id, "evt_\xc3\xa9");
}

TEST(StripeEvent, DepthLimit)
{
    // the good event nests 7 levels: { data{ object{ items{ data[ { price{
    EXPECT_NO_THROW(parse_event(good_event, 7));
    auto e = thrown([] { parse_event(good_event, 6); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT400");
    EXPECT_EQ(e->message(), "malformed Stripe event");
    EXPECT_NE(e->detail().find("more than 6 levels"), std::string::npos) << e->detail();
    // a deep data.object is refused before anything recursive runs
    std::string deep = event(ok_id, ok_type, ok_created, "false",
                             R"({"object":)" + std::string(100000, '[') + std::string(100000, ']') + "}");
    e = thrown([&] { parse_event(deep, 64); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->message(), "malformed Stripe event");
    EXPECT_NE(e->detail().find("more than 64 levels"), std::string::npos) << e->detail();
}

struct BadEvent {
    std::string body;
    std::string detail_part;  // the path, and what it says
};

class StripeBadEvent : public testing::TestWithParam<BadEvent> {};

TEST_P(StripeBadEvent, RefusedWithThePath)
{
    const BadEvent& c = GetParam();
    auto e = thrown([&] { parse_event(c.body, 64); });
    ASSERT_TRUE(e) << "accepted: " << c.body;
    EXPECT_EQ(e->sqlstate(), "PT400") << c.body;
    EXPECT_EQ(e->message(), "malformed Stripe event") << c.body;
    EXPECT_NE(e->detail().find(c.detail_part), std::string::npos) << c.body << "\nDETAIL: " << e->detail();
    EXPECT_FALSE(e->hint().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Stripe, StripeBadEvent,
    testing::Values(
        // not JSON, not an object
        BadEvent{"", "not valid JSON"}, BadEvent{"{", "not valid JSON"}, BadEvent{"{\"id\":\"evt_1\"", "At $"},
        BadEvent{good_event + std::string(" x"), "not valid JSON"}, BadEvent{"\xff", "not valid JSON"},
        BadEvent{"[]", "$: must be a JSON object, found array"}, BadEvent{"null", "$: must be a JSON object"},
        BadEvent{"\"evt_1\"", "$: must be a JSON object, found the string"},
        BadEvent{"42", "$: must be a JSON object, found the number 42"},
        // strict JSON: duplicate keys and NUL characters, anywhere
        BadEvent{R"({"id":"evt_1","id":"evt_2","type":"x","created":1,"livemode":false,"data":{"object":{}}})",
                 "$.id: duplicate key"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":{"status":"a","status":"b"}})"),
                 "$.data.object.status: duplicate key"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":{"x":"a\u0000b"}})"),
                 "$.data.object.x: string contains the NUL character"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":{"x":1e400}})"),
                 "$.data.object.x: the number does not fit"},
        // id
        BadEvent{event("", ok_type, ok_created, "false", ok_data), "$.id: is required"},
        BadEvent{event("null", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting \"evt_\""},
        BadEvent{event("42", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting \"evt_\", "
                                                                     "found the number 42"},
        BadEvent{event(R"("cus_1")", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting"},
        BadEvent{event(R"("EVT_1")", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting"},
        BadEvent{event(R"(" evt_1")", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting"},
        BadEvent{event(R"("evt_")", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting"},
        BadEvent{event(R"("")", ok_type, ok_created, "false", ok_data), "$.id: must be a string starting"},
        BadEvent{event("\"evt_" + std::string(252, 'a') + "\"", ok_type, ok_created, "false", ok_data),
                 "$.id: must be at most 255 bytes, found 256"},
        BadEvent{event(R"(["evt_1"])", ok_type, ok_created, "false", ok_data), "$.id: must be a string"},
        // type
        BadEvent{event(ok_id, "", ok_created, "false", ok_data), "$.type: is required"},
        BadEvent{event(ok_id, R"("")", ok_created, "false", ok_data), "$.type: must be a non-empty string"},
        BadEvent{event(ok_id, "1", ok_created, "false", ok_data), "$.type: must be a non-empty string"},
        BadEvent{event(ok_id, "\"" + std::string(256, 't') + "\"", ok_created, "false", ok_data),
                 "$.type: must be at most 255 bytes, found 256"},
        // created
        BadEvent{event(ok_id, ok_type, "", "false", ok_data), "$.created: is required"},
        BadEvent{event(ok_id, ok_type, "1700000000.0", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "1.7e9", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "1e3", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "0.5", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "0", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "-0", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "-1", "false", ok_data), "found the number -1"},
        BadEvent{event(ok_id, ok_type, "-9223372036854775808", "false", ok_data), "$.created: must be"},
        BadEvent{event(ok_id, ok_type, R"("1700000000")", "false", ok_data), "found the string \"1700000000\""},
        BadEvent{event(ok_id, ok_type, "9223372036854775808", "false", ok_data), "$.created: must be a positive"},
        BadEvent{event(ok_id, ok_type, "18446744073709551615", "false", ok_data), "$.created: must be a positive"},
        BadEvent{event(ok_id, ok_type, "18446744073709551616", "false", ok_data), "$.created: must be a positive"},
        BadEvent{event(ok_id, ok_type, "true", "false", ok_data), "$.created: must be a positive integer"},
        BadEvent{event(ok_id, ok_type, "null", "false", ok_data), "$.created: must be a positive integer"},
        // livemode
        BadEvent{event(ok_id, ok_type, ok_created, "", ok_data), "$.livemode: is required"},
        BadEvent{event(ok_id, ok_type, ok_created, R"("true")", ok_data), "$.livemode: must be a boolean"},
        BadEvent{event(ok_id, ok_type, ok_created, "1", ok_data), "$.livemode: must be a boolean"},
        BadEvent{event(ok_id, ok_type, ok_created, "null", ok_data), "$.livemode: must be a boolean, found null"},
        // data.object
        BadEvent{event(ok_id, ok_type, ok_created, "false", ""), "$.data: is required"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", "[]"), "$.data: must be an object, found array"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", "null"), "$.data: must be an object"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", "{}"), "$.data.object: is required"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"Object":{}})"), "$.data.object: is required"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":null})"),
                 "$.data.object: must be an object, found null"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":[{}]})"),
                 "$.data.object: must be an object, found array"},
        BadEvent{event(ok_id, ok_type, ok_created, "false", R"({"object":"sub_1"})"),
                 "$.data.object: must be an object, found the string"},
        // everything wrong at once: every path is listed
        BadEvent{"{}", "5 problems found:\n$.id: is required\n$.type: is required\n$.created: is required\n"
                       "$.livemode: is required\n$.data: is required"}),
    [](const testing::TestParamInfo<BadEvent>& info) { return test::case_name(info.index, info.param.body); });

}  // namespace
}  // namespace residency::stripe
