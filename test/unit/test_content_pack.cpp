// Rules P1 and P2 (src/core/content_pack.hpp): a content pack is checked
// whole, every problem reported with its JSON path, so an author fixes a
// pack in one round. Each case below breaks exactly one thing in an
// otherwise valid pack and names the one path that must be reported.
#include "content_pack.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace residency {
namespace {

using test::thrown;

// A valid pack: 7 categories, 5 questions. Question categories are chosen
// so that categories[2] ("Conflict") and [4] are used by no question.
Json valid_pack()
{
    return Json::parse(R"({
      "version": "1.0.0",
      "metadata": {
        "title": "Residency interview essentials",
        "description": "Questions typical of residency interviews.",
        "categories": ["Motivation", "Teamwork", "Conflict", "Ethics & Professionalism",
                       "Resilience & Failure", "Leadership", "Patient Care"]
      },
      "questions": [
        {"id": "mot-1", "category": "Motivation", "prompt": "Why this specialty?",
         "expected_duration_s": 90, "evaluation_criteria": ["Names a formative experience", "Links it to the specialty"],
         "kind": "motivation"},
        {"id": "team-1", "category": "Teamwork", "prompt": "Tell me about a time you worked in a difficult team.",
         "expected_duration_s": 120, "evaluation_criteria": ["Describes own role"], "kind": "behavioral"},
        {"id": "eth-1", "category": "Ethics & Professionalism",
         "prompt": "A senior asks you to document an exam you did not do. What do you do?",
         "expected_duration_s": 60.5, "evaluation_criteria": ["Refuses clearly", "Escalates appropriately"],
         "kind": "situational"},
        {"id": "care-1", "category": "Patient Care", "prompt": "Describe a patient who changed your practice.",
         "expected_duration_s": 3600, "evaluation_criteria": ["Patient-centred outcome"]},
        {"id": "lead-1", "category": "Leadership", "prompt": "When did you lead without a title?",
         "expected_duration_s": 0.5, "evaluation_criteria": ["Initiative", "Result"]}
      ]
    })");
}

std::vector<JsonProblem> problems_of(const Json& pack)
{
    return validate_content_pack(pack, Limits{}).problems;
}

// ---- the valid pack and its model -----------------------------------------

TEST(ContentPack, ValidPackPasses)
{
    PackValidation v = validate_content_pack(valid_pack(), Limits{});
    EXPECT_TRUE(v.ok()) << test::dump(v.problems);
}

TEST(ContentPack, ValidPackFillsTheModel)
{
    PackValidation v = validate_content_pack(valid_pack(), Limits{});
    ASSERT_TRUE(v.ok()) << test::dump(v.problems);
    const ContentPack& pack = v.pack;
    EXPECT_EQ(pack.version, "1.0.0");
    EXPECT_EQ(pack.title, "Residency interview essentials");
    EXPECT_EQ(pack.description, "Questions typical of residency interviews.");
    std::vector<std::string> categories = {
        "Motivation",           "Teamwork",   "Conflict",    "Ethics & Professionalism",
        "Resilience & Failure", "Leadership", "Patient Care"};
    EXPECT_EQ(pack.categories, categories);

    ASSERT_EQ(pack.questions.size(), 5u);
    const Question& q0 = pack.questions[0];
    EXPECT_EQ(q0.id, "mot-1");
    EXPECT_EQ(q0.category, "Motivation");
    EXPECT_EQ(q0.prompt, "Why this specialty?");
    EXPECT_DOUBLE_EQ(q0.expected_duration_s, 90);
    EXPECT_EQ(q0.evaluation_criteria,
              (std::vector<std::string>{"Names a formative experience", "Links it to the specialty"}));
    EXPECT_EQ(q0.kind, QuestionKind::motivation);

    EXPECT_EQ(pack.questions[1].kind, QuestionKind::behavioral);
    EXPECT_EQ(pack.questions[2].kind, QuestionKind::situational);
    EXPECT_DOUBLE_EQ(pack.questions[2].expected_duration_s, 60.5);
    EXPECT_FALSE(pack.questions[3].kind.has_value());  // kind is optional
    EXPECT_DOUBLE_EQ(pack.questions[3].expected_duration_s, 3600);
    EXPECT_DOUBLE_EQ(pack.questions[4].expected_duration_s, 0.5);

    ASSERT_NE(pack.find_question("eth-1"), nullptr);
    EXPECT_EQ(pack.find_question("eth-1")->category, "Ethics & Professionalism");
    EXPECT_EQ(pack.find_question("nope"), nullptr);
    EXPECT_TRUE(pack.rubric.is_null());  // no "rubric" in the pack
}

TEST(ContentPack, RubricObjectIsKeptInTheModel)
{
    Json pack = valid_pack();
    pack["rubric"] = Json::object();
    PackValidation v = validate_content_pack(pack, Limits{});
    EXPECT_TRUE(v.ok()) << test::dump(v.problems);
    EXPECT_TRUE(v.pack.rubric.is_object());
}

TEST(QuestionKind, ParseAndToStringRoundTrip)
{
    for (QuestionKind k : {QuestionKind::behavioral, QuestionKind::situational, QuestionKind::motivation})
        EXPECT_EQ(parse_question_kind(to_string(k)), k);
    EXPECT_EQ(to_string(QuestionKind::situational), "situational");
    EXPECT_FALSE(parse_question_kind("Behavioral").has_value());
    EXPECT_FALSE(parse_question_kind("").has_value());
    EXPECT_FALSE(parse_question_kind("technical").has_value());
}

// ---- one broken field, one problem at its exact path ------------------------

struct BrokenPack {
    std::string name;
    std::function<void(Json&)> edit;
    std::vector<std::string> paths;  // the problems expected, in order
};

void PrintTo(const BrokenPack& c, std::ostream* os)
{
    *os << c.name;
}

class ContentPackProblem : public testing::TestWithParam<BrokenPack> {};

TEST_P(ContentPackProblem, ReportedAtItsPath)
{
    Json pack = valid_pack();
    GetParam().edit(pack);
    std::vector<JsonProblem> problems = problems_of(pack);
    EXPECT_EQ(test::paths(problems), GetParam().paths) << "problems:" << test::dump(problems);
    for (const JsonProblem& p : problems)
        EXPECT_NE(p.message, "") << p.path;
}

Json& question(Json& pack, std::size_t i)
{
    return pack["questions"][i];
}
Json& categories(Json& pack)
{
    return pack["metadata"]["categories"];
}

std::vector<BrokenPack> broken_packs()
{
    const std::string dur0 = "$.questions[0].expected_duration_s";
    const std::string crit0 = "$.questions[0].evaluation_criteria";
    return {
        // the root must be an object with known keys
        {"root_array", [](Json& p) { p = Json::array(); }, {"$"}},
        {"root_string", [](Json& p) { p = "pack"; }, {"$"}},
        {"root_number", [](Json& p) { p = 42; }, {"$"}},
        {"root_null", [](Json& p) { p = nullptr; }, {"$"}},
        {"root_boolean", [](Json& p) { p = true; }, {"$"}},
        {"root_unknown_key", [](Json& p) { p["author"] = "me"; }, {"$.author"}},
        {"root_unknown_odd_key", [](Json& p) { p["bad key"] = 1; }, {R"($["bad key"])"}},
        // version: a semantic version string
        {"version_missing", [](Json& p) { p.erase("version"); }, {"$.version"}},
        {"version_not_semver", [](Json& p) { p["version"] = "1.0"; }, {"$.version"}},
        {"version_v_prefix", [](Json& p) { p["version"] = "v1.0.0"; }, {"$.version"}},
        {"version_number", [](Json& p) { p["version"] = 1; }, {"$.version"}},
        {"version_blank", [](Json& p) { p["version"] = " "; }, {"$.version"}},
        {"version_null", [](Json& p) { p["version"] = nullptr; }, {"$.version"}},
        // blank is Unicode white space: a no-break space, an em space, a zero-width space
        {"title_no_break_space", [](Json& p) { p["metadata"]["title"] = "\u00a0"; }, {"$.metadata.title"}},
        {"prompt_em_and_zero_width_spaces",
         [](Json& p) { question(p, 0)["prompt"] = "\u2003\u200b"; },
         {"$.questions[0].prompt"}},
        {"criterion_ideographic_space",
         [](Json& p) { question(p, 0)["evaluation_criteria"][0] = "\u3000"; },
         {"$.questions[0].evaluation_criteria[0]"}},
        // metadata: an object with title, description and 7 categories
        {"metadata_missing", [](Json& p) { p.erase("metadata"); }, {"$.metadata"}},
        {"metadata_array", [](Json& p) { p["metadata"] = Json::array(); }, {"$.metadata"}},
        {"metadata_string", [](Json& p) { p["metadata"] = "meta"; }, {"$.metadata"}},
        {"title_missing", [](Json& p) { p["metadata"].erase("title"); }, {"$.metadata.title"}},
        {"title_blank", [](Json& p) { p["metadata"]["title"] = " \t\n"; }, {"$.metadata.title"}},
        {"title_number", [](Json& p) { p["metadata"]["title"] = 3; }, {"$.metadata.title"}},
        {"description_missing", [](Json& p) { p["metadata"].erase("description"); }, {"$.metadata.description"}},
        {"description_empty", [](Json& p) { p["metadata"]["description"] = ""; }, {"$.metadata.description"}},
        {"description_array",
         [](Json& p) { p["metadata"]["description"] = Json::array({"a"}); },
         {"$.metadata.description"}},
        {"categories_missing", [](Json& p) { p["metadata"].erase("categories"); }, {"$.metadata.categories"}},
        {"categories_string", [](Json& p) { categories(p) = "Motivation"; }, {"$.metadata.categories"}},
        {"categories_object", [](Json& p) { categories(p) = Json::object(); }, {"$.metadata.categories"}},
        {"categories_empty", [](Json& p) { categories(p) = Json::array(); }, {"$.metadata.categories"}},
        {"categories_six", [](Json& p) { categories(p).erase(2); }, {"$.metadata.categories"}},
        {"categories_eight", [](Json& p) { categories(p).push_back("Research"); }, {"$.metadata.categories"}},
        {"category_duplicate", [](Json& p) { categories(p)[2] = "Teamwork"; }, {"$.metadata.categories[2]"}},
        {"category_blank", [](Json& p) { categories(p)[2] = ""; }, {"$.metadata.categories[2]"}},
        {"category_number", [](Json& p) { categories(p)[2] = 7; }, {"$.metadata.categories[2]"}},
        {"category_null", [](Json& p) { categories(p)[4] = nullptr; }, {"$.metadata.categories[4]"}},
        // questions: a non-empty array of objects
        {"questions_missing", [](Json& p) { p.erase("questions"); }, {"$.questions"}},
        {"questions_object",
         [](Json& p) {
             p["questions"] = Json::object({{"id", "q"}});
         },
         {"$.questions"}},
        {"questions_string", [](Json& p) { p["questions"] = "q"; }, {"$.questions"}},
        {"questions_empty", [](Json& p) { p["questions"] = Json::array(); }, {"$.questions"}},
        {"question_number", [](Json& p) { question(p, 1) = 5; }, {"$.questions[1]"}},
        {"question_string", [](Json& p) { question(p, 1) = "Why?"; }, {"$.questions[1]"}},
        {"question_null", [](Json& p) { question(p, 1) = nullptr; }, {"$.questions[1]"}},
        {"question_array", [](Json& p) { question(p, 1) = Json::array(); }, {"$.questions[1]"}},
        {"question_unknown_key", [](Json& p) { question(p, 0)["answer"] = "x"; }, {"$.questions[0].answer"}},
        // id: unique, non-empty
        {"id_missing", [](Json& p) { question(p, 0).erase("id"); }, {"$.questions[0].id"}},
        {"id_blank", [](Json& p) { question(p, 0)["id"] = ""; }, {"$.questions[0].id"}},
        {"id_number", [](Json& p) { question(p, 0)["id"] = 1; }, {"$.questions[0].id"}},
        {"id_duplicate", [](Json& p) { question(p, 3)["id"] = "mot-1"; }, {"$.questions[3].id"}},
        // category: one of the 7 (exact spelling)
        {"question_category_missing", [](Json& p) { question(p, 3).erase("category"); }, {"$.questions[3].category"}},
        {"question_category_unknown",
         [](Json& p) { question(p, 3)["category"] = "Surgery"; },
         {"$.questions[3].category"}},
        {"question_category_case",
         [](Json& p) { question(p, 3)["category"] = "patient care"; },
         {"$.questions[3].category"}},
        {"question_category_number", [](Json& p) { question(p, 3)["category"] = 6; }, {"$.questions[3].category"}},
        {"question_category_blank", [](Json& p) { question(p, 3)["category"] = " "; }, {"$.questions[3].category"}},
        // prompt: non-empty string
        {"prompt_missing", [](Json& p) { question(p, 2).erase("prompt"); }, {"$.questions[2].prompt"}},
        {"prompt_blank", [](Json& p) { question(p, 2)["prompt"] = "\n"; }, {"$.questions[2].prompt"}},
        {"prompt_object", [](Json& p) { question(p, 2)["prompt"] = Json::object(); }, {"$.questions[2].prompt"}},
        // expected_duration_s: a number in (0, 3600]
        {"duration_zero", [](Json& p) { question(p, 0)["expected_duration_s"] = 0; }, {dur0}},
        {"duration_negative", [](Json& p) { question(p, 0)["expected_duration_s"] = -1; }, {dur0}},
        {"duration_3601", [](Json& p) { question(p, 0)["expected_duration_s"] = 3601; }, {dur0}},
        {"duration_3600_point_1", [](Json& p) { question(p, 0)["expected_duration_s"] = 3600.1; }, {dur0}},
        {"duration_string", [](Json& p) { question(p, 0)["expected_duration_s"] = "90"; }, {dur0}},
        {"duration_null", [](Json& p) { question(p, 0)["expected_duration_s"] = nullptr; }, {dur0}},
        {"duration_boolean", [](Json& p) { question(p, 0)["expected_duration_s"] = true; }, {dur0}},
        {"duration_missing", [](Json& p) { question(p, 0).erase("expected_duration_s"); }, {dur0}},
        // evaluation_criteria: an array of non-empty strings
        {"criteria_missing", [](Json& p) { question(p, 0).erase("evaluation_criteria"); }, {crit0}},
        {"criteria_string", [](Json& p) { question(p, 0)["evaluation_criteria"] = "Be specific"; }, {crit0}},
        {"criteria_object", [](Json& p) { question(p, 0)["evaluation_criteria"] = Json::object(); }, {crit0}},
        {"criteria_null", [](Json& p) { question(p, 0)["evaluation_criteria"] = nullptr; }, {crit0}},
        {"criterion_number", [](Json& p) { question(p, 0)["evaluation_criteria"][1] = 2; }, {crit0 + "[1]"}},
        {"criterion_blank", [](Json& p) { question(p, 0)["evaluation_criteria"][1] = "  "; }, {crit0 + "[1]"}},
        {"criterion_array",
         [](Json& p) { question(p, 0)["evaluation_criteria"][0] = Json::array({"x"}); },
         {crit0 + "[0]"}},
        // kind: optional, one of behavioral, situational, motivation
        {"kind_unknown", [](Json& p) { question(p, 0)["kind"] = "technical"; }, {"$.questions[0].kind"}},
        {"kind_capitalised", [](Json& p) { question(p, 0)["kind"] = "Behavioral"; }, {"$.questions[0].kind"}},
        {"kind_number", [](Json& p) { question(p, 0)["kind"] = 1; }, {"$.questions[0].kind"}},
        {"kind_null", [](Json& p) { question(p, 0)["kind"] = nullptr; }, {"$.questions[0].kind"}},
        // rubric: optional, an object (its fields are the rubric's own rules)
        {"rubric_string", [](Json& p) { p["rubric"] = "strict"; }, {"$.rubric"}},
        {"rubric_array", [](Json& p) { p["rubric"] = Json::array(); }, {"$.rubric"}},
    };
}

INSTANTIATE_TEST_SUITE_P(P1, ContentPackProblem, testing::ValuesIn(broken_packs()),
                         [](const testing::TestParamInfo<BrokenPack>& info) { return info.param.name; });

// ---- edits that keep a pack valid -------------------------------------------

struct ValidEdit {
    std::string name;
    std::function<void(Json&)> edit;
};

void PrintTo(const ValidEdit& c, std::ostream* os)
{
    *os << c.name;
}

class ContentPackStillValid : public testing::TestWithParam<ValidEdit> {};

TEST_P(ContentPackStillValid, NoProblem)
{
    Json pack = valid_pack();
    GetParam().edit(pack);
    std::vector<JsonProblem> problems = problems_of(pack);
    EXPECT_TRUE(problems.empty()) << "problems:" << test::dump(problems);
}

std::vector<ValidEdit> valid_edits()
{
    return {
        {"version_prerelease_and_build", [](Json& p) { p["version"] = "2.0.0-rc.1+build.5"; }},
        {"duration_3600", [](Json& p) { question(p, 0)["expected_duration_s"] = 3600; }},
        {"duration_fraction", [](Json& p) { question(p, 0)["expected_duration_s"] = 0.001; }},
        {"kind_absent", [](Json& p) { question(p, 0).erase("kind"); }},
        {"kind_situational", [](Json& p) { question(p, 0)["kind"] = "situational"; }},
        // "an array of non-empty strings": zero of them is still such an array
        {"criteria_empty_array", [](Json& p) { question(p, 0)["evaluation_criteria"] = Json::array(); }},
        {"single_question", [](Json& p) { p["questions"] = Json::array({p["questions"][0]}); }},
        {"unicode_category",
         [](Json& p) {
             categories(p)[0] = "\xC3\x89thique";  // "Éthique"
             question(p, 0)["category"] = "\xC3\x89thique";
         }},
        {"empty_rubric_object", [](Json& p) { p["rubric"] = Json::object(); }},
        {"many_questions",
         [](Json& p) {
             for (int i = 0; i < 200; ++i) {
                 Json q = p["questions"][1];
                 q["id"] = "extra-" + std::to_string(i);
                 p["questions"].push_back(q);
             }
         }},
    };
}

INSTANTIATE_TEST_SUITE_P(P1, ContentPackStillValid, testing::ValuesIn(valid_edits()),
                         [](const testing::TestParamInfo<ValidEdit>& info) { return info.param.name; });

// ---- several problems, messages -------------------------------------------

TEST(ContentPack, EveryProblemIsReportedInOneValidation)
{
    Json pack = valid_pack();
    pack["extra"] = true;
    pack["version"] = "1.0";
    pack["metadata"]["title"] = "";
    question(pack, 0)["expected_duration_s"] = 0;
    question(pack, 3)["category"] = "Surgery";
    question(pack, 4)["evaluation_criteria"] = "none";
    std::vector<std::string> expected = {"$.extra",
                                         "$.version",
                                         "$.metadata.title",
                                         "$.questions[0].expected_duration_s",
                                         "$.questions[3].category",
                                         "$.questions[4].evaluation_criteria"};
    EXPECT_EQ(test::paths(problems_of(pack)), expected) << test::dump(problems_of(pack));
}

TEST(ContentPack, OneQuestionCanHaveSeveralProblems)
{
    Json pack = valid_pack();
    question(pack, 1) = Json::object({{"id", ""}, {"category", "Nope"}, {"expected_duration_s", -5}});
    std::vector<std::string> expected = {"$.questions[1].id", "$.questions[1].category", "$.questions[1].prompt",
                                         "$.questions[1].expected_duration_s", "$.questions[1].evaluation_criteria"};
    EXPECT_EQ(test::paths(problems_of(pack)), expected) << test::dump(problems_of(pack));
}

TEST(ContentPack, MessagesShowTheOffendingValue)
{
    Json pack = valid_pack();
    question(pack, 3)["category"] = "Surgery";
    question(pack, 0)["expected_duration_s"] = 3601;
    categories(pack)[2] = "Teamwork";  // categories no longer known: no category check on questions
    std::vector<JsonProblem> problems = problems_of(pack);
    ASSERT_EQ(problems.size(), 2u) << test::dump(problems);
    EXPECT_EQ(problems[0].path, "$.metadata.categories[2]");
    EXPECT_NE(problems[0].message.find("\"Teamwork\""), std::string::npos) << problems[0].message;
    EXPECT_EQ(problems[1].path, "$.questions[0].expected_duration_s");
    EXPECT_NE(problems[1].message.find("3601"), std::string::npos) << problems[1].message;

    pack = valid_pack();
    question(pack, 3)["category"] = "Surgery";
    problems = problems_of(pack);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("\"Surgery\""), std::string::npos) << problems[0].message;
    EXPECT_NE(problems[0].message.find("$.metadata.categories"), std::string::npos) << problems[0].message;
}

TEST(ContentPack, ThrowPackProblemsIs22023ListingEveryProblem)
{
    std::vector<JsonProblem> problems = {{"$.version", "is required"}, {"$.questions[3].category", "is wrong"}};
    auto e = thrown([&] { throw_pack_problems(problems); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22023");
    EXPECT_EQ(e->message(), "content pack is not valid");
    EXPECT_EQ(e->detail(), "2 problems found:\n$.version: is required\n$.questions[3].category: is wrong");
    EXPECT_NE(e->hint(), "");
}

// ---- check_content_pack_text: limits, syntax, then P1 ------------------------

TEST(CheckContentPackText, ValidTextPasses)
{
    PackValidation v = check_content_pack_text(valid_pack().dump(2), Limits{});
    EXPECT_TRUE(v.ok()) << test::dump(v.problems);
    EXPECT_EQ(v.pack.questions.size(), 5u);
}

TEST(CheckContentPackText, OverMaxPackBytesIsPT413)
{
    std::string text = valid_pack().dump();
    Limits limits;
    limits.max_pack_bytes = text.size();
    EXPECT_TRUE(check_content_pack_text(text, limits).ok());  // at the limit

    limits.max_pack_bytes = text.size() - 1;
    auto e = thrown([&] { check_content_pack_text(text, limits); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "content pack is too large");
    EXPECT_NE(e->detail().find(std::to_string(text.size()) + " bytes"), std::string::npos) << e->detail();
    EXPECT_NE(e->detail().find("residency.max_pack_bytes"), std::string::npos) << e->detail();
}

TEST(CheckContentPackText, SizeIsCheckedBeforeSyntax)
{
    Limits limits;
    limits.max_pack_bytes = 10;
    auto e = thrown([&] { check_content_pack_text("this is not JSON at all", limits); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
}

TEST(CheckContentPackText, DeeperThanMaxJsonDepthIsPT413)
{
    std::string text = valid_pack().dump();  // nests 4 deep: {questions: [{criteria: [
    Limits limits;
    limits.max_json_depth = 4;
    EXPECT_TRUE(check_content_pack_text(text, limits).ok());
    limits.max_json_depth = 3;
    auto e = thrown([&] { check_content_pack_text(text, limits); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
}

TEST(CheckContentPackText, NotJsonIs22P02)
{
    auto e = thrown([] { check_content_pack_text(R"({"version": "1.0.0",)", Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "22P02");
    EXPECT_EQ(e->message(), "content pack is not valid JSON");
}

TEST(CheckContentPackText, ParserProblemsComeFirst)
{
    // a duplicate key and a NUL character, plus a P1 problem
    Json pack = valid_pack();
    question(pack, 1)["prompt"] = std::string("Tell me\0 more", 13);
    question(pack, 3)["category"] = "Surgery";
    std::string text = R"({"version": "9.9.9", )" + pack.dump().substr(1);
    PackValidation v = check_content_pack_text(text, Limits{});
    std::vector<std::string> expected = {"$.questions[1].prompt", "$.version", "$.questions[3].category"};
    EXPECT_EQ(test::paths(v.problems), expected) << test::dump(v.problems);
    EXPECT_FALSE(v.ok());
}

TEST(CheckPackSize, DefaultLimitIs8MB)
{
    EXPECT_NO_THROW(check_pack_size(8 * 1024 * 1024, Limits{}));
    auto e = thrown([] { check_pack_size(8 * 1024 * 1024 + 1, Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
}

// ---- P2: the row's version columns ------------------------------------------

TEST(PackRowProblems, MatchingSemverVersionsPass)
{
    EXPECT_TRUE(pack_row_problems("1.0.0", "1.0.0", "1.0.0").empty());
    EXPECT_TRUE(pack_row_problems("2.1.0-rc.1", "1.2.0", "2.1.0-rc.1").empty());
}

TEST(PackRowProblems, RowVersionNotSemver)
{
    std::vector<JsonProblem> problems = pack_row_problems("1.0", "1.0.0", "1.0.0");
    ASSERT_EQ(test::paths(problems), std::vector<std::string>{"version"});
    EXPECT_NE(problems[0].message.find("\"1.0\" is not a semantic version"), std::string::npos) << problems[0].message;
}

TEST(PackRowProblems, RowVersionDiffersFromContent)
{
    std::vector<JsonProblem> problems = pack_row_problems("1.0.1", "1.0.0", "1.0.0");
    ASSERT_EQ(test::paths(problems), std::vector<std::string>{"version"});
    EXPECT_EQ(problems[0].message, "\"1.0.1\" differs from $.version \"1.0.0\"");

    // build metadata is part of the text: versions must be equal, not equivalent
    EXPECT_EQ(test::paths(pack_row_problems("1.0.0+a", "1.0.0", "1.0.0+b")), std::vector<std::string>{"version"});
    // content without a valid version: nothing to equal
    EXPECT_EQ(test::paths(pack_row_problems("1.0.0", "1.0.0", "")), std::vector<std::string>{"version"});
}

TEST(PackRowProblems, SchemaVersionNotSemver)
{
    EXPECT_EQ(test::paths(pack_row_problems("1.0.0", "1", "1.0.0")), std::vector<std::string>{"schema_version"});
    EXPECT_EQ(test::paths(pack_row_problems("1.0.0", "", "1.0.0")), std::vector<std::string>{"schema_version"});
}

TEST(PackRowProblems, BothReportedTogether)
{
    EXPECT_EQ(test::paths(pack_row_problems("x", "y", "1.0.0")),
              (std::vector<std::string>{"version", "schema_version"}));
}

}  // namespace
}  // namespace residency

// ---- the bundled pack ---------------------------------------------------------

#include <fstream>
#include <map>
#include <sstream>

namespace residency {
namespace {

std::string bundled_pack_text()
{
    std::ifstream in(RESIDENCY_SOURCE_DIR "/packs/default.json", std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " RESIDENCY_SOURCE_DIR "/packs/default.json";
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(BundledDefaultPack, ValidatesWithNoProblem)
{
    const std::string text = bundled_pack_text();
    PackValidation v = check_content_pack_text(text, Limits{});
    EXPECT_TRUE(v.ok()) << test::dump(v.problems);
    EXPECT_TRUE(validate_content_pack(Json::parse(text), Limits{}).ok());
    EXPECT_TRUE(pack_row_problems(v.pack.version, "1.0.0", v.pack.version).empty());
}

TEST(BundledDefaultPack, Has35QuestionsIn7Categories)
{
    PackValidation v = check_content_pack_text(bundled_pack_text(), Limits{});
    ASSERT_TRUE(v.ok()) << test::dump(v.problems);
    EXPECT_EQ(v.pack.categories.size(), 7u);
    EXPECT_EQ(v.pack.questions.size(), 35u);
    std::map<std::string, int> per_category;
    for (const Question& q : v.pack.questions) {
        ++per_category[q.category];
        EXPECT_EQ(v.pack.find_question(q.id), &q) << q.id;  // ids are unique
        EXPECT_FALSE(q.evaluation_criteria.empty()) << q.id;
        EXPECT_GT(q.expected_duration_s, 0) << q.id;
    }
    // every category is used
    EXPECT_EQ(per_category.size(), 7u);
    for (const std::string& c : v.pack.categories)
        EXPECT_GE(per_category[c], 4) << c;
}

}  // namespace
}  // namespace residency
