// Reading JSON from outside (src/core/json_input.hpp): the depth limit runs
// before anything recursive, syntax errors are 22P02 with the path where the
// parser stopped, out-of-range numbers 22023, and what strict input forbids
// (duplicate keys, NUL characters) comes back as problems with exact paths.
#include "json_input.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace residency {
namespace {

using test::thrown;

std::string nested_arrays(int depth)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

// ---- json_nesting_depth --------------------------------------------------

TEST(JsonNestingDepth, CountsArraysAndObjects)
{
    EXPECT_EQ(json_nesting_depth("", 64), 0);
    EXPECT_EQ(json_nesting_depth("42", 64), 0);
    EXPECT_EQ(json_nesting_depth("\"text\"", 64), 0);
    EXPECT_EQ(json_nesting_depth("[]", 64), 1);
    EXPECT_EQ(json_nesting_depth("{}", 64), 1);
    EXPECT_EQ(json_nesting_depth("[[], [], {}]", 64), 2);
    EXPECT_EQ(json_nesting_depth(R"({"a": [1, {"b": []}], "c": {}})", 64), 4);
    EXPECT_EQ(json_nesting_depth(nested_arrays(100), 1000), 100);
}

TEST(JsonNestingDepth, BracketsInsideStringsDoNotCount)
{
    EXPECT_EQ(json_nesting_depth(R"(["[[[{{{"])", 64), 1);
    EXPECT_EQ(json_nesting_depth(R"({"[[[": "]]]{{{"})", 64), 1);
    EXPECT_EQ(json_nesting_depth(R"("[[[[")", 64), 0);
}

TEST(JsonNestingDepth, EscapesAreSkipped)
{
    // \" does not end the string: the brackets after it are still inside
    EXPECT_EQ(json_nesting_depth(R"(["\"[[[", 1])", 64), 1);
    // \\ is an escaped backslash: the quote after it does end the string
    EXPECT_EQ(json_nesting_depth(R"(["\\", [[1]]])", 64), 3);
    // \u escapes are harmless
    EXPECT_EQ(json_nesting_depth(R"(["\u005b\u007b", [2]])", 64), 2);
}

TEST(JsonNestingDepth, TextNeedNotBeValidJson)
{
    EXPECT_EQ(json_nesting_depth("]]]][", 64), 1);  // stray closers never go below 0
    EXPECT_EQ(json_nesting_depth("[[[", 64), 3);    // unclosed
    EXPECT_EQ(json_nesting_depth("[\"unterminated [[[", 64), 1);
    EXPECT_EQ(json_nesting_depth("[\"ends with a backslash\\", 64), 1);
}

TEST(JsonNestingDepth, StopsEarlyAboveTheLimit)
{
    // returns as soon as the depth passes stop_above: a result above the
    // limit, not the full depth
    EXPECT_EQ(json_nesting_depth(nested_arrays(100000), 64), 65);
    EXPECT_EQ(json_nesting_depth(std::string(100000, '['), 10), 11);
    EXPECT_EQ(json_nesting_depth(nested_arrays(10), 10), 10);
}

// ---- parse_json_strict ------------------------------------------------------

TEST(ParseJsonStrict, ParsesAValidDocument)
{
    ParsedJson p =
        parse_json_strict(R"({"version": "1.0.0", "questions": [{"id": "q1"}], "n": 1.5})", Limits{}, "content pack");
    EXPECT_TRUE(p.problems.empty()) << test::dump(p.problems);
    EXPECT_EQ(p.value["version"], "1.0.0");
    EXPECT_EQ(p.value["questions"][0]["id"], "q1");
    EXPECT_DOUBLE_EQ(p.value["n"].get<double>(), 1.5);
}

TEST(ParseJsonStrict, ScalarsAndEmptyContainers)
{
    EXPECT_EQ(parse_json_strict("null", Limits{}, "x").value, Json(nullptr));
    EXPECT_EQ(parse_json_strict("[]", Limits{}, "x").value, Json::array());
    EXPECT_EQ(parse_json_strict("{}", Limits{}, "x").value, Json::object());
    EXPECT_EQ(parse_json_strict(" \"s\" ", Limits{}, "x").value, Json("s"));
    EXPECT_EQ(parse_json_strict("[[1,[2]],{\"a\":[]}]", Limits{}, "x").value, Json::parse("[[1,[2]],{\"a\":[]}]"));
}

TEST(ParseJsonStrict, DepthAtTheLimitIsAccepted)
{
    Limits limits;  // max_json_depth 64
    EXPECT_NO_THROW(parse_json_strict(nested_arrays(64), limits, "content pack"));
}

TEST(ParseJsonStrict, DeeperThanTheLimitIsPT413)
{
    Limits limits;
    auto e = thrown([&] { parse_json_strict(nested_arrays(65), limits, "content pack"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "content pack is nested too deeply");
    EXPECT_NE(e->detail().find("64"), std::string::npos) << e->detail();
    EXPECT_NE(e->detail().find("residency.max_json_depth"), std::string::npos) << e->detail();
    EXPECT_NE(e->hint(), "");
}

TEST(ParseJsonStrict, DepthIsCheckedBeforeParsing)
{
    // deep AND broken: the depth limit answers first, and a million brackets
    // never reach the recursive parser
    Limits limits;
    limits.max_json_depth = 3;
    auto e = thrown([&] { parse_json_strict(std::string(1000000, '[') + "oops", limits, "categories"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "categories is nested too deeply");
}

TEST(ParseJsonStrict, SyntaxErrorIs22P02WithThePath)
{
    auto e = thrown([] { parse_json_strict(R"({"a": [1, 2,]})", Limits{}, "content pack"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22P02");
    EXPECT_EQ(e->message(), "content pack is not valid JSON");
    // the path of the value the parser was reading when it stopped
    EXPECT_EQ(e->detail().rfind("At $.a[2]: ", 0), 0u) << e->detail();
    EXPECT_EQ(e->detail().find("[json.exception"), std::string::npos) << e->detail();
    EXPECT_NE(e->hint(), "");
}

TEST(ParseJsonStrict, SyntaxErrorPathsInNestedDocuments)
{
    auto detail_of = [](const std::string& text) {
        auto e = thrown([&] { parse_json_strict(text, Limits{}, "content pack"); });
        EXPECT_TRUE(e) << text;
        EXPECT_EQ(e ? e->sqlstate() : "", "22P02") << text;
        return e ? e->detail() : std::string();
    };
    EXPECT_EQ(detail_of(R"({"questions": [{"id": "q1"}, {"id": tru}]})").rfind("At $.questions[1].id: ", 0), 0u);
    EXPECT_EQ(detail_of(R"({"metadata": {"title": "x" "description": 1}})").rfind("At $.metadata.title: ", 0), 0u);
    EXPECT_EQ(detail_of(R"({"with space": [1, ]})").rfind(R"(At $["with space"][1]: )", 0), 0u);
}

TEST(ParseJsonStrict, NotJsonAtAllIs22P02AtTheRoot)
{
    for (const char* text : {"", "   ", "{} x", "hello", "{'a': 1}", "[1, 2", "\"\xff\"", "NaN", "01"}) {
        auto e = thrown([&] { parse_json_strict(text, Limits{}, "content pack"); });
        ASSERT_TRUE(e) << "'" << text << "'";
        EXPECT_EQ(e->sqlstate(), "22P02") << "'" << text << "'";
        EXPECT_EQ(e->detail().rfind("At $", 0), 0u) << e->detail();
    }
}

TEST(ParseJsonStrict, NumberOutOfRangeIs22023WithThePathInDetail)
{
    auto e = thrown(
        [] { parse_json_strict(R"({"questions": [{"expected_duration_s": 1e400}]})", Limits{}, "content pack"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22023");
    EXPECT_EQ(e->message(), "content pack has a number out of range");
    EXPECT_EQ(e->detail(), "$.questions[0].expected_duration_s: the number does not fit in a double precision value.");
    EXPECT_NE(e->hint(), "");

    auto negative = thrown([] { parse_json_strict("[1, -1e400]", Limits{}, "categories"); });
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->sqlstate(), "22023");
    EXPECT_EQ(negative->detail().rfind("$[1]: ", 0), 0u) << negative->detail();
}

TEST(ParseJsonStrict, HugeIntegerLiteralIs22023Too)
{
    // 401 digits: too big for any integer type, and infinite as a double
    std::string text = R"({"n": 1)" + std::string(400, '0') + "}";
    auto e = thrown([&] { parse_json_strict(text, Limits{}, "content pack"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22023");
    EXPECT_EQ(e->detail().rfind("$.n: ", 0), 0u) << e->detail();
}

TEST(ParseJsonStrict, LargeButFiniteNumbersAreFine)
{
    ParsedJson p = parse_json_strict("[1e308, -1e308, 18446744073709551615, 1e-400]", Limits{}, "x");
    EXPECT_TRUE(p.problems.empty());
    EXPECT_EQ(p.value.size(), 4u);
}

TEST(ParseJsonStrict, DuplicateKeysAreProblemsWithExactPaths)
{
    ParsedJson p = parse_json_strict(
        R"({"version": "1", "version": "2", "metadata": {"title": "a", "title": "b"}, "questions": [{"id": "q", "id": "r"}]})",
        Limits{}, "content pack");
    std::vector<std::string> expected = {"$.version", "$.metadata.title", "$.questions[0].id"};
    EXPECT_EQ(test::paths(p.problems), expected) << test::dump(p.problems);
    for (const JsonProblem& problem : p.problems)
        EXPECT_EQ(problem.message, "duplicate key");
    // the parse goes on: the document is still built
    EXPECT_TRUE(p.value.contains("questions"));
}

TEST(ParseJsonStrict, NulCharactersAreProblemsWithExactPaths)
{
    ParsedJson p = parse_json_strict(R"({"q": ["ok", "a\u0000b"], "k\u0000": 1, "deep": {"x": [[1, "\u0000"]]}})",
                                     Limits{}, "content pack");
    std::vector<std::string> expected = {"$.q[1]", R"($["k\u0000"])", "$.deep.x[0][1]"};
    EXPECT_EQ(test::paths(p.problems), expected) << test::dump(p.problems);
    EXPECT_EQ(p.problems[0].message, "string contains the NUL character \\u0000");
    EXPECT_EQ(p.problems[1].message, "key contains the NUL character \\u0000");
}

TEST(ParseJsonStrict, ArrayIndexesStayRightAfterNestedContainers)
{
    // an index counts values already read, nested arrays and objects included
    ParsedJson p = parse_json_strict(R"([[1], {"a": 1}, "x", {"b": 1, "b": 2}, [[], ["\u0000"]]])", Limits{}, "x");
    std::vector<std::string> expected = {"$[3].b", "$[4][1][0]"};
    EXPECT_EQ(test::paths(p.problems), expected) << test::dump(p.problems);
}

// ---- paths ----------------------------------------------------------------

TEST(JsonPathKey, IdentifiersUseDotNotation)
{
    EXPECT_EQ(json_path_key("$", "questions"), "$.questions");
    EXPECT_EQ(json_path_key("$.metadata", "title"), "$.metadata.title");
    EXPECT_EQ(json_path_key("$", "_private9"), "$._private9");
    EXPECT_EQ(json_path_key("$", "expected_duration_s"), "$.expected_duration_s");
}

TEST(JsonPathKey, OddKeysAreQuoted)
{
    EXPECT_EQ(json_path_key("$", ""), R"($[""])");
    EXPECT_EQ(json_path_key("$", "with space"), R"($["with space"])");
    EXPECT_EQ(json_path_key("$", "9lives"), R"($["9lives"])");
    EXPECT_EQ(json_path_key("$", "a.b"), R"($["a.b"])");
    EXPECT_EQ(json_path_key("$", "dash-ed"), R"($["dash-ed"])");
    EXPECT_EQ(json_path_key("$", "quo\"te"), R"($["quo\"te"])");
    EXPECT_EQ(json_path_key("$", "back\\slash"), R"($["back\\slash"])");
    EXPECT_EQ(json_path_key("$", "line\nbreak"), R"($["line\nbreak"])");
    EXPECT_EQ(json_path_key("$", "Jos\xC3\xA9"), "$[\"Jos\xC3\xA9\"]");
    EXPECT_EQ(json_path_key("$", "]"), R"($["]"])");
}

TEST(JsonPathKey, InvalidUtf8InAKeyDoesNotThrow)
{
    std::string path;
    EXPECT_NO_THROW(path = json_path_key("$", "bad\xff"));
    EXPECT_EQ(path.rfind("$[\"bad", 0), 0u) << path;
}

TEST(JsonPathIndex, Brackets)
{
    EXPECT_EQ(json_path_index("$", 0), "$[0]");
    EXPECT_EQ(json_path_index("$.questions", 3), "$.questions[3]");
    EXPECT_EQ(json_path_index("categories", 12), "categories[12]");
}

TEST(JsonPath, SpelledOutOnlyWhenAsked)
{
    JsonPath root;
    EXPECT_EQ(root.str(), "$");
    JsonPath questions = root.key("questions");
    JsonPath third = questions.index(3);
    EXPECT_EQ(third.key("category").str(), "$.questions[3].category");
    EXPECT_EQ(third.key("evaluation_criteria").index(0).str(), "$.questions[3].evaluation_criteria[0]");
    EXPECT_EQ(root.key("odd key").index(0).str(), R"($["odd key"][0])");
    EXPECT_EQ(root.index(0).index(1).str(), "$[0][1]");
}

// ---- messages -------------------------------------------------------------

std::vector<JsonProblem> numbered_problems(std::size_t n)
{
    std::vector<JsonProblem> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back({json_path_index("$.questions", i) + ".id", "is required"});
    return out;
}

std::size_t count_lines(const std::string& s)
{
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
}

TEST(FormatProblems, OneProblem)
{
    EXPECT_EQ(format_problems({{"$.version", "is required"}}), "1 problem found:\n$.version: is required");
}

TEST(FormatProblems, ListsEveryProblemUpToTheCap)
{
    std::string text = format_problems(numbered_problems(3));
    EXPECT_EQ(text, "3 problems found:\n$.questions[0].id: is required\n$.questions[1].id: is required\n"
                    "$.questions[2].id: is required");

    std::string exactly_cap = format_problems(numbered_problems(25));
    EXPECT_EQ(count_lines(exactly_cap), 26u);
    EXPECT_EQ(exactly_cap.find("more."), std::string::npos);
}

TEST(FormatProblems, CapsLinesAndSaysHowManyMore)
{
    std::string text = format_problems(numbered_problems(30));
    EXPECT_EQ(text.rfind("30 problems found:\n", 0), 0u);
    EXPECT_EQ(count_lines(text), 1u + 25u + 1u);
    EXPECT_NE(text.find("$.questions[24].id"), std::string::npos);
    EXPECT_EQ(text.find("$.questions[25].id"), std::string::npos);
    EXPECT_EQ(text.substr(text.rfind('\n') + 1), "... and 5 more.");

    std::string small_cap = format_problems(numbered_problems(4), 2);
    EXPECT_EQ(small_cap, "4 problems found:\n$.questions[0].id: is required\n$.questions[1].id: is required\n"
                         "... and 2 more.");
}

TEST(FormatProblems, NoProblems)
{
    EXPECT_EQ(format_problems({}), "0 problems found:");
}

TEST(FormatNumber, SpelledAsPostgresSpellsThem)
{
    EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "Infinity");
    EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Infinity");
    EXPECT_EQ(format_number(0), "0");
    EXPECT_EQ(format_number(90), "90");
    EXPECT_EQ(format_number(3600.5), "3600.5");
    EXPECT_EQ(format_number(-1), "-1");
    EXPECT_EQ(format_number(1.0 / 3.0), "0.333333");
}

TEST(JsonExcerpt, ShortensLongValuesWithoutSplittingCharacters)
{
    EXPECT_EQ(json_excerpt(Json("short")), "\"short\"");
    EXPECT_EQ(json_excerpt(Json::parse("[1,2]")), "[1,2]");

    std::string long_text = json_excerpt(Json(std::string(100, 'a')), 10);
    EXPECT_EQ(long_text, "\"aaaaaaaaa...");

    // "é" is two bytes; a cut in its middle moves back to its start
    std::string accented = json_excerpt(Json("\xC3\xA9\xC3\xA9\xC3\xA9"), 4);
    EXPECT_EQ(accented, "\"\xC3\xA9...");
}

}  // namespace
}  // namespace residency
