// JsonWriter (src/core/json_writer.hpp): the scorer writes its result as
// JSON text directly, with a fixed key order and numbers with fixed
// decimals, so that the same result is the same bytes. Every output here is
// also parsed back with nlohmann to prove it is JSON and means what it says.
#include "json_writer.hpp"

#include "json_input.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace residency {
namespace {

// Parses `text` or fails the test with the text in the message.
Json parsed(const std::string& text)
{
    Json out;
    EXPECT_NO_THROW(out = Json::parse(text)) << "not JSON: " << text;
    return out;
}

// A string written on its own, as JSON text.
std::string written(std::string_view s)
{
    std::string out;
    JsonWriter(out).value(s);
    return out;
}

// A number written on its own with `decimals`.
std::string written(double x, int decimals)
{
    std::string out;
    JsonWriter(out).value(x, decimals);
    return out;
}

// ---- structure -----------------------------------------------------------

TEST(JsonWriter, EmptyContainers)
{
    std::string out;
    JsonWriter w(out);
    w.begin_array().begin_object().end_object().begin_array().end_array().end_array();
    EXPECT_EQ(out, "[{},[]]");
    EXPECT_EQ(parsed(out), Json::parse("[{}, []]"));
}

TEST(JsonWriter, ObjectKeepsKeyOrderAndCommas)
{
    std::string out;
    JsonWriter w(out);
    w.begin_object()
        .field("b", "text")
        .field("a", 42)
        .field("t", true)
        .field("f", false)
        .field("x", 1.5, 1)
        .key("n")
        .null()
        .end_object();
    // Keys come out in the order written, not sorted.
    EXPECT_EQ(out, R"({"b":"text","a":42,"t":true,"f":false,"x":1.5,"n":null})");
    EXPECT_EQ(parsed(out), Json({{"b", "text"}, {"a", 42}, {"t", true}, {"f", false}, {"x", 1.5}, {"n", nullptr}}));
}

TEST(JsonWriter, NestedValuesAfterKeys)
{
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("categories").begin_array();
    for (const char* name : {"Length", "Pace"}) {
        w.begin_object().field("name", name).field("score", 70).end_object();
    }
    w.end_array();
    w.key("empty").begin_object().end_object();
    w.key("list").begin_array().value(1).value(std::int64_t{2}).value("three").null().end_array();
    w.field("last", std::string("end"));
    w.end_object();
    EXPECT_EQ(out, R"({"categories":[{"name":"Length","score":70},{"name":"Pace","score":70}],"empty":{},)"
                   R"("list":[1,2,"three",null],"last":"end"})");
    Json expected = {
        {"categories", Json::array({{{"name", "Length"}, {"score", 70}}, {{"name", "Pace"}, {"score", 70}}})},
        {"empty", Json::object()},
        {"list", Json::array({1, 2, "three", nullptr})},
        {"last", "end"}};
    EXPECT_EQ(parsed(out), expected);
}

TEST(JsonWriter, RawIsInsertedAsIs)
{
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("details").raw(R"({"a":[1,2]})").field("b", 1).end_object();
    w.begin_array().raw("1").raw("2").end_array();
    EXPECT_EQ(out, R"({"details":{"a":[1,2]},"b":1}[1,2])");
}

TEST(JsonWriter, AppendsToTheGivenString)
{
    std::string out = "prefix:";
    JsonWriter(out).begin_array().value(1).end_array();
    EXPECT_EQ(out, "prefix:[1]");
}

TEST(JsonWriter, Integers)
{
    std::string out;
    JsonWriter w(out);
    w.begin_array()
        .value(0)
        .value(-7)
        .value(std::numeric_limits<std::int64_t>::max())
        .value(std::numeric_limits<std::int64_t>::min())
        .end_array();
    EXPECT_EQ(out, "[0,-7,9223372036854775807,-9223372036854775808]");
    Json j = parsed(out);
    EXPECT_EQ(j[2].get<std::int64_t>(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(j[3].get<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
}

// ---- strings ---------------------------------------------------------------

TEST(JsonWriterString, PlainTextIsQuoted)
{
    EXPECT_EQ(written(""), R"("")");
    EXPECT_EQ(written("Found context, action, result."), R"("Found context, action, result.")");
}

TEST(JsonWriterString, QuotesAndBackslashesAreEscaped)
{
    EXPECT_EQ(written(R"(say "I")"), R"("say \"I\"")");
    EXPECT_EQ(written(R"(C:\path\)"), R"("C:\\path\\")");
    EXPECT_EQ(written(R"("\")"), R"("\"\\\"")");
    // a slash needs no escape
    EXPECT_EQ(written("24/7"), R"("24/7")");
}

TEST(JsonWriterString, ControlCharactersAreEscaped)
{
    EXPECT_EQ(written("a\nb"), R"("a\nb")");
    EXPECT_EQ(written("a\tb"), R"("a\tb")");
    EXPECT_EQ(written("a\rb"), R"("a\rb")");
    EXPECT_EQ(written(std::string_view("a\0b", 3)), R"("a\u0000b")");
    EXPECT_EQ(written("\x01\x08\x0c\x1f"), R"("\u0001\u0008\u000c\u001f")");
    // DEL (0x7f) is not a control character in JSON: passed through
    EXPECT_EQ(written("\x7f"), "\"\x7f\"");
}

TEST(JsonWriterString, EveryControlCharacterRoundTrips)
{
    std::string all;
    for (int c = 0; c < 0x20; ++c)
        all += static_cast<char>(c);
    all += "\"\\ plain";
    std::string out = written(all);
    for (char c : out)
        EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << "a raw control character in " << out;
    EXPECT_EQ(parsed(out).get<std::string>(), all);
}

TEST(JsonWriterString, Utf8PassesThroughUnchanged)
{
    const std::string text =
        "Jos\xC3\xA9 \xE2\x80\x94 \xE7\xA7\x81 \xF0\x9F\x91\x8D don\xE2\x80\x99t";  // José — 私 👍 don’t
    std::string out = written(text);
    EXPECT_EQ(out, "\"" + text + "\"");
    EXPECT_EQ(parsed(out).get<std::string>(), text);
}

TEST(JsonWriterString, KeysAreEscapedLikeValues)
{
    std::string out;
    JsonWriter(out).begin_object().field("a\"b\n", "v").end_object();
    EXPECT_EQ(out, R"({"a\"b\n":"v"})");
    EXPECT_EQ(parsed(out), Json({{"a\"b\n", "v"}}));
}

// ---- numbers with fixed decimals --------------------------------------------

TEST(JsonWriterNumber, WrittenWithExactlyTheDecimalsAsked)
{
    EXPECT_EQ(written(2.5, 1), "2.5");
    EXPECT_EQ(written(2.5, 2), "2.50");
    EXPECT_EQ(written(2.5, 3), "2.500");
    EXPECT_EQ(written(0, 1), "0.0");
    EXPECT_EQ(written(120, 1), "120.0");
    EXPECT_EQ(written(12345.6789, 3), "12345.679");
    EXPECT_EQ(written(0.004, 3), "0.004");
    EXPECT_EQ(written(-0.25, 2), "-0.25");
    EXPECT_EQ(written(-3, 1), "-3.0");
}

TEST(JsonWriterNumber, RoundsHalfUp)
{
    // Exactly representable halves go up...
    EXPECT_EQ(written(0.125, 2), "0.13");
    EXPECT_EQ(written(0.25, 1), "0.3");
    EXPECT_EQ(written(1.5, 1), "1.5");
    EXPECT_EQ(written(0.0625, 3), "0.063");
    // ... and so does everything at or past the half.
    EXPECT_EQ(written(2.449, 1), "2.4");
    EXPECT_EQ(written(2.45, 1), "2.5");
    EXPECT_EQ(written(2.96, 1), "3.0");
    EXPECT_EQ(written(99.995, 2), "100.00");
    EXPECT_EQ(written(0.05, 1), "0.1");
}

TEST(JsonWriterNumber, NegativeHalvesRoundTowardPositiveInfinity)
{
    // "Half up" is floor(x * 10^d + 0.5): a negative half goes toward +inf,
    // so -1.25 becomes -1.2 (not -1.3, which half-away-from-zero would give).
    EXPECT_EQ(written(-1.25, 1), "-1.2");
    EXPECT_EQ(written(-0.125, 2), "-0.12");
    EXPECT_EQ(written(-1.26, 1), "-1.3");
    EXPECT_EQ(written(-2.5, 1), "-2.5");
    // No negative zero: small negatives round to a plain 0.
    EXPECT_EQ(written(-0.04, 1), "0.0");
    EXPECT_EQ(written(-0.05, 1), "0.0");
    EXPECT_EQ(written(-0.06, 1), "-0.1");
    EXPECT_EQ(written(-0.0, 2), "0.00");
}

TEST(JsonWriterNumber, BinaryFractionsRoundByTheirStoredValue)
{
    // 1.005 is stored as 1.00499999999999989..., below the half: it rounds
    // down. The writer rounds the double it is given, not its decimal spelling.
    EXPECT_EQ(written(1.005, 2), "1.00");
    EXPECT_EQ(written(1.0051, 2), "1.01");
}

TEST(JsonWriterNumber, DecimalsAreClampedToOneToThree)
{
    EXPECT_EQ(written(2.46, 0), "2.5");
    EXPECT_EQ(written(2.46, -5), "2.5");
    EXPECT_EQ(written(1.23456, 4), "1.235");
    EXPECT_EQ(written(1.23456, 10), "1.235");
}

TEST(JsonWriterNumber, NonFiniteIsNull)
{
    EXPECT_EQ(written(std::numeric_limits<double>::quiet_NaN(), 1), "null");
    EXPECT_EQ(written(std::numeric_limits<double>::infinity(), 2), "null");
    EXPECT_EQ(written(-std::numeric_limits<double>::infinity(), 3), "null");

    std::string out;
    JsonWriter(out).begin_object().field("wpm", std::nan(""), 1).field("words", 3).end_object();
    EXPECT_EQ(out, R"({"wpm":null,"words":3})");
    EXPECT_TRUE(parsed(out)["wpm"].is_null());
}

TEST(JsonWriterNumber, ParsesBackToTheRoundedValue)
{
    for (double x : {0.0, 0.1, 0.5, 1.0 / 3.0, 2.0 / 3.0, 59.95, 119.999, 142.857142, 3600.0}) {
        for (int d = 1; d <= 3; ++d) {
            std::string out = written(x, d);
            double scale = std::pow(10.0, d);
            double expected = std::floor(x * scale + 0.5) / scale;
            EXPECT_DOUBLE_EQ(parsed(out).get<double>(), expected) << x << " at " << d << " decimals: " << out;
            EXPECT_EQ(out.size() - out.find('.') - 1, static_cast<std::size_t>(d)) << out;
        }
    }
}

// Regression: value(double, decimals) used to convert x * 10^d to long long
// with no range check, undefined behaviour for |x| * 10^d above 9.2e18 (1e20,
// -1e20 and 1e300 all came out as "-0.0"). Fixed in cd57816: such numbers
// are written with %.17g. The scorer's own figures stay far below that.
TEST(JsonWriterNumber, LargeFiniteNumbersKeepTheirValue)
{
    for (double x : {1e17, 1e20, -1e20, 1e300}) {
        std::string out = written(x, 1);
        Json j = parsed(out);
        ASSERT_TRUE(j.is_number()) << x << " written as " << out;
        EXPECT_DOUBLE_EQ(j.get<double>(), x) << x << " written as " << out;
    }
}

}  // namespace
}  // namespace residency
