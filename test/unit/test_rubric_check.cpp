// Rule P1 for a content pack's optional "rubric" object
// (src/core/rubric_check.hpp), and rubric_with_overrides() (rubric.cpp),
// which applies a rubric that passed to the compiled-in default_rubric().
// Each case breaks one field of an otherwise valid pack and names the one
// JSON path that must be reported.
#include "rubric_check.hpp"

#include "content_pack.hpp"
#include "rubric.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace residency {
namespace {

using test::dump;
using test::paths;

const std::vector<std::string> categories = {
    "Motivation",           "Teamwork",   "Conflict",    "Ethics & Professionalism",
    "Resilience & Failure", "Leadership", "Patient Care"};

// A valid pack with `rubric` as its "rubric" member.
Json pack_with(const Json& rubric)
{
    Json pack = {{"version", "1.0.0"},
                 {"metadata", {{"title", "Rubric test"}, {"description", "One question."}, {"categories", categories}}},
                 {"questions", Json::array({{{"id", "q1"},
                                             {"category", "Teamwork"},
                                             {"prompt", "Tell me about a time you worked in a team."},
                                             {"expected_duration_s", 90},
                                             {"evaluation_criteria", {"Names own role"}}}})},
                 {"rubric", rubric}};
    return pack;
}

std::vector<JsonProblem> problems_of(const Json& rubric)
{
    return validate_content_pack(pack_with(rubric), Limits{}).problems;
}

// A structure part that passes.
Json part(const char* name, bool required = true, int weight = 30)
{
    return {{"name", name}, {"required", required}, {"weight", weight}, {"cues", {"during"}}};
}

// Every kind of override at once, each valid.
Json full_valid_rubric()
{
    return Json::parse(R"({
      "version": "2.0-local",
      "weights": {"Length": 20, "Pace": 10, "Fillers": 10, "Wording": 8, "Ownership": 10, "Structure": 20, "Substance": 22},
      "kind_weights": {"motivation": {"Substance": 30, "Structure": 14}, "situational": {"Ownership": 0}},
      "thresholds": {
        "Length": {"pass_lo": 0.5, "ideal_lo": 0.75, "min_words": 30, "typed_wpm": 150},
        "Pace": {"pass_lo": 150, "ideal_lo": 170, "min_seconds": 15},
        "Fillers": {"ideal": 1, "pass": 2.5, "zero": 7, "discourse_weight": 0.25},
        "Wording": {"flagged_term_cap": 50},
        "Ownership": {"pass": 0.45, "min_i_words": 2, "max_you_per_100_words": 4},
        "Structure": {"concise_pass": 1.4, "clutter_zero": 9},
        "Substance": {"coverage_full": 0.7, "details_full": 2},
        "overall": {"short_words": 20, "short_cap": 25, "empty_cap": 55, "intercept": 10, "slope": 0.8}
      },
      "lexicons": {
        "hedges": ["i think", "maybe", "kind of"],
        "filler_core": ["um", "uh"],
        "flagged_terms": {"crazy": "distressing", "frequent flyer": "patient with frequent visits"},
        "plan_frames": ["i would", "first i*"]
      },
      "structure": {
        "behavioral": [
          {"name": "context", "required": true, "weight": 25, "cues": ["during", "rotation*"]},
          {"name": "action", "required": true, "weight": 40, "cues": ["i decided"]},
          {"name": "result", "required": true, "weight": 25, "cues": ["in the end"]},
          {"name": "lesson", "required": false, "weight": 10, "cues": ["i learned"]}
        ]
      },
      "kinds": {"Motivation": "motivation", "Ethics & Professionalism": "situational"},
      "notes": {"length.pass": "{seconds} s of ~{expected} s.", "pace.typed": "Typed: no pace."},
      "fixes": {"substance": "Say more about '{missing}'.", "maintain": "Keep it near {expected} s."},
      "practice": {"length": "Aim for ~{expected} s.", "fillers": "Pause instead."}
    })");
}

// ---- valid rubrics --------------------------------------------------------

TEST(RubricCheck, AbsentOrEmptyRubricPasses)
{
    Json pack = pack_with(Json::object());
    EXPECT_TRUE(validate_content_pack(pack, Limits{}).ok()) << dump(validate_content_pack(pack, Limits{}).problems);
    pack.erase("rubric");
    EXPECT_TRUE(validate_content_pack(pack, Limits{}).ok()) << dump(validate_content_pack(pack, Limits{}).problems);
}

TEST(RubricCheck, FullValidOverridePasses)
{
    PackValidation v = validate_content_pack(pack_with(full_valid_rubric()), Limits{});
    EXPECT_TRUE(v.ok()) << dump(v.problems);
    EXPECT_EQ(v.pack.rubric, full_valid_rubric());
}

TEST(RubricCheck, CheckRubricDirectlyUsesTheGivenRoot)
{
    Json rubric = {{"weights", {{"Length", 101}}}, {"colour", "red"}};
    std::vector<std::string_view> cats(categories.begin(), categories.end());
    std::vector<JsonProblem> problems;
    JsonPath root;
    JsonPath pack = root.key("pack");  // a JsonPath refers to its parent: keep each alive
    JsonPath at = pack.key("rubric");
    check_rubric(NlohmannView(rubric), at, cats, problems);
    EXPECT_EQ(paths(problems), std::vector<std::string>({"$.pack.rubric.colour", "$.pack.rubric.weights.Length"}))
        << dump(problems);
}

// The compiled-in texts, structure and lexicons pass their own checks: a
// pack may copy any of them as a starting point.
TEST(RubricCheck, DefaultsWrittenAsAnOverridePass)
{
    const Rubric& d = default_rubric();
    Json rubric = Json::object();
    rubric["notes"] = d.notes;
    rubric["fixes"] = d.fixes;
    rubric["practice"] = d.practice;
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"filler_core", &d.filler_core},   {"filler_discourse", &d.filler_discourse},
        {"hedges", &d.hedges_lexicon},     {"i_words", &d.i_words},
        {"we_words", &d.we_words},         {"you_words", &d.you_words},
        {"plan_frames", &d.plan_frames},   {"irregular_past", &d.irregular_past},
        {"detail_words", &d.detail_words}, {"stopwords", &d.stopwords}};
    for (const auto& [name, list] : lists)
        rubric["lexicons"][name] = *list;
    for (const auto& [term, alternative] : d.flagged_terms)
        rubric["lexicons"]["flagged_terms"][term] = alternative;
    for (const auto& [kind, parts] : d.structure) {
        Json array = Json::array();
        for (const Rubric::Part& p : parts)
            array.push_back({{"name", p.name}, {"required", p.required}, {"weight", p.weight}, {"cues", p.cues}});
        rubric["structure"][std::string(to_string(kind))] = array;
    }
    EXPECT_EQ(d.structure.size(), 3u);
    std::vector<JsonProblem> problems = problems_of(rubric);
    EXPECT_TRUE(problems.empty()) << dump(problems);
}

TEST(RubricCheck, DefaultThresholdsAreInRangeAndInOrder)
{
    for (const rubric_check::Section& s : rubric_check::threshold_sections())
        for (const rubric_check::NumberField& f : s.fields) {
            double value = rubric_check::default_threshold(s.name, f.name);
            EXPECT_GE(value, f.min) << s.name << "." << f.name;
            EXPECT_LE(value, f.max) << s.name << "." << f.name;
        }
    for (const auto& [section, fields] : rubric_check::threshold_orders()) {
        std::vector<double> values;
        for (const char* f : fields)
            values.push_back(rubric_check::default_threshold(section, f));
        EXPECT_TRUE(std::is_sorted(values.begin(), values.end())) << section;
    }
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("Pace", "ideal_lo"), 180);
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("Structure", "concise_pass"), 1.2);
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("Structure", "clutter_pass"), 2.5);
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("overall", "intercept"), 14.8);
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("overall", "slope"), 0.782);
    EXPECT_DOUBLE_EQ(rubric_check::default_threshold("Length", "min_words"), 40);
}

TEST(RubricCheck, DefaultWeightsAddUpTo100)
{
    const Rubric& d = default_rubric();
    // rubric 2.0: fitted on the judges' ratings; Wording and Ownership coach at weight 0
    EXPECT_EQ(d.weights, (std::array<int, check_count>{3, 39, 16, 0, 0, 17, 25}));
    // and every kind weighs the checks alike
    EXPECT_TRUE(d.kind_weights.empty());
    int sum = 0;
    for (int w : d.weights)
        sum += w;
    EXPECT_EQ(sum, 100);
    for (const auto& [kind, weights] : d.kind_weights) {
        int kind_sum = 0;
        for (int w : weights)
            kind_sum += w;
        EXPECT_EQ(kind_sum, 100) << to_string(kind);
    }
}

// ---- one problem, at one path ---------------------------------------------

struct RubricCase {
    std::string name;
    std::string rubric;   // JSON text of the "rubric" member
    std::string path;     // the one path reported
    std::string message;  // a part of its message
};

void PrintTo(const RubricCase& c, std::ostream* os)
{
    *os << c.name;
}

class RubricProblem : public testing::TestWithParam<RubricCase> {};

TEST_P(RubricProblem, ReportedAtItsPath)
{
    const RubricCase& c = GetParam();
    std::vector<JsonProblem> problems = problems_of(Json::parse(c.rubric));
    ASSERT_EQ(paths(problems), std::vector<std::string>({c.path})) << c.rubric << dump(problems);
    EXPECT_NE(problems[0].message.find(c.message), std::string::npos)
        << "message: " << problems[0].message << "\nexpected to contain: " << c.message;
}

const std::string long_phrase(101, 'a');
const std::string long_text(401, 'a');

std::vector<RubricCase> rubric_cases()
{
    const std::string ok_part = part("context").dump();
    return {
        // the rubric itself
        {"not_an_object", R"([])", "$.rubric", "must be an object, not array"},
        {"null", R"(null)", "$.rubric", "must be an object, not null"},
        {"string", R"("strict")", "$.rubric", "must be an object, not the string \"strict\""},
        {"unknown_top_level_key", R"({"weight": {"Length": 10}})", "$.rubric.weight", "is not a known rubric key"},
        {"version_blank", R"({"version": "  "})", "$.rubric.version", "must not be empty"},
        {"version_number", R"({"version": 2})", "$.rubric.version", "must be a string, not the number 2"},
        // weights
        {"weights_not_object", R"({"weights": [14, 12]})", "$.rubric.weights", "must be an object, not array"},
        {"weights_unknown_check", R"({"weights": {"Clarity": 10}})", "$.rubric.weights.Clarity",
         "is not a known check (Length, Pace, Fillers, Wording, Ownership, Structure, Substance)"},
        {"weights_lower_case_check", R"({"weights": {"length": 10}})", "$.rubric.weights.length",
         "is not a known check"},
        {"weights_not_integer", R"({"weights": {"Length": 12.5}})", "$.rubric.weights.Length",
         "must be an integer, found 12.5"},
        {"weights_integral_float", R"({"weights": {"Length": 12.0}})", "$.rubric.weights.Length", "must be an integer"},
        {"weights_101", R"({"weights": {"Substance": 101}})", "$.rubric.weights.Substance",
         "must be from 0 to 100, found 101"},
        {"weights_negative", R"({"weights": {"Pace": -1}})", "$.rubric.weights.Pace",
         "must be from 0 to 100, found -1"},
        {"weights_string", R"({"weights": {"Pace": "12"}})", "$.rubric.weights.Pace",
         "must be a number, not the string \"12\""},
        {"weights_null", R"({"weights": {"Pace": null}})", "$.rubric.weights.Pace", "must be a number, not null"},
        // no check may decide the score: at most 40% of the weights of spoken
        // answers, 50% of those of typed answers (no Pace)
        {"weights_one_check_decides", R"({"weights": {"Substance": 100}})", "$.rubric.weights",
         "gives Substance 100 of 175 for spoken answers (57%); no check may weigh more than 40% of the score"},
        {"weights_always_passing_check_at_100_percent",
         R"({"weights": {"Length": 0, "Pace": 100, "Fillers": 0, "Wording": 0, "Ownership": 0, "Structure": 0,
             "Substance": 0}})",
         "$.rubric.weights", "gives Pace 100 of 100 for spoken answers (100%)"},
        {"weights_all_zero",
         R"({"weights": {"Length": 0, "Pace": 0, "Fillers": 0, "Wording": 0, "Ownership": 0, "Structure": 0,
             "Substance": 0}})",
         "$.rubric.weights", "gives no weight to any check of spoken answers"},
        {"weights_typed_answers_without_pace",
         R"({"weights": {"Length": 0, "Pace": 40, "Fillers": 0, "Wording": 0, "Ownership": 0, "Structure": 35,
             "Substance": 25}})",
         "$.rubric.weights",
         "gives Structure 35 of 60 for typed answers (Pace does not count) (58%); no check may weigh more than 50%"},
        {"weights_typed_answers_only_pace",
         R"({"weights": {"Length": 0, "Pace": 40, "Fillers": 35, "Wording": 25, "Ownership": 0, "Structure": 0,
             "Substance": 0}})",
         "$.rubric.weights", "gives Fillers 35 of 60 for typed answers"},
        {"kind_weights_one_check_decides", R"({"kind_weights": {"motivation": {"Substance": 60}}})",
         "$.rubric.kind_weights.motivation", "gives Substance 60 of 135 for spoken answers (44%)"},
        // 40 of the default weights' 115 passes for spoken answers (35%), not
        // 40 of 76 for typed ones (Pace's 39 does not count)
        {"kind_weights_start_from_the_weights", R"({"kind_weights": {"behavioral": {"Substance": 40}}})",
         "$.rubric.kind_weights.behavioral", "gives Substance 40 of 76 for typed answers (Pace does not count) (53%)"},
        {"kind_weights_start_from_the_overridden_weights",
         R"({"weights": {"Structure": 30, "Substance": 31}, "kind_weights": {"situational": {"Length": 0, "Fillers": 0, "Wording": 0}}})",
         "$.rubric.kind_weights.situational", "gives Substance 31 of 61 for typed answers"},
        // kind_weights
        {"kind_weights_not_object", R"({"kind_weights": []})", "$.rubric.kind_weights", "must be an object"},
        {"kind_weights_unknown_kind", R"({"kind_weights": {"narrative": {"Length": 10}}})",
         "$.rubric.kind_weights.narrative", "is not a known kind (behavioral, situational, motivation)"},
        {"kind_weights_kind_not_object", R"({"kind_weights": {"behavioral": 10}})", "$.rubric.kind_weights.behavioral",
         "must be an object, not the number 10"},
        {"kind_weights_unknown_check", R"({"kind_weights": {"situational": {"Tone": 10}}})",
         "$.rubric.kind_weights.situational.Tone", "is not a known check"},
        {"kind_weights_101", R"({"kind_weights": {"motivation": {"Substance": 101}}})",
         "$.rubric.kind_weights.motivation.Substance", "must be from 0 to 100"},
        // thresholds
        {"thresholds_not_object", R"({"thresholds": [1]})", "$.rubric.thresholds", "must be an object"},
        {"thresholds_unknown_section", R"({"thresholds": {"Volume": {"pass": 1}}})", "$.rubric.thresholds.Volume",
         "is not a known threshold section"},
        {"thresholds_section_not_object", R"({"thresholds": {"Pace": 120}})", "$.rubric.thresholds.Pace",
         "must be an object, not the number 120"},
        {"thresholds_unknown_field", R"({"thresholds": {"Pace": {"fast": 180}}})", "$.rubric.thresholds.Pace.fast",
         "is not a known threshold"},
        {"thresholds_field_of_another_section", R"({"thresholds": {"Pace": {"typed_wpm": 150}}})",
         "$.rubric.thresholds.Pace.typed_wpm", "is not a known threshold"},
        {"thresholds_above_range", R"({"thresholds": {"Ownership": {"ideal": 1.5}}})",
         "$.rubric.thresholds.Ownership.ideal", "must be from 0 to 1, found 1.5"},
        {"thresholds_below_range", R"({"thresholds": {"Length": {"typed_wpm": 0}}})",
         "$.rubric.thresholds.Length.typed_wpm", "must be from 1 to 1000, found 0"},
        {"thresholds_pace_above_1000", R"({"thresholds": {"Pace": {"zero_hi": 1001}}})",
         "$.rubric.thresholds.Pace.zero_hi", "must be from 0 to 1000, found 1001"},
        {"thresholds_coverage_full_zero", R"({"thresholds": {"Substance": {"coverage_full": 0}}})",
         "$.rubric.thresholds.Substance.coverage_full", "must be from 0.01 to 1"},
        {"thresholds_integer_field_fraction", R"({"thresholds": {"Length": {"min_words": 10.5}}})",
         "$.rubric.thresholds.Length.min_words", "must be an integer, found 10.5"},
        {"thresholds_string", R"({"thresholds": {"overall": {"short_cap": "20"}}})",
         "$.rubric.thresholds.overall.short_cap", "must be a number"},
        // caps stay below the PASS line, "short" stays short
        {"cap_flagged_term_at_pass", R"({"thresholds": {"Wording": {"flagged_term_cap": 70}}})",
         "$.rubric.thresholds.Wording.flagged_term_cap", "must be from 0 to 69, found 70"},
        {"cap_ownership_100", R"({"thresholds": {"Ownership": {"cap": 100}}})", "$.rubric.thresholds.Ownership.cap",
         "must be from 0 to 69, found 100"},
        // rubric 2.0: Structure no longer caps a missing or misplaced part
        {"structure_cap_is_gone", R"({"thresholds": {"Structure": {"cap": 60}}})", "$.rubric.thresholds.Structure.cap",
         "is not a known threshold"},
        {"cap_substance_80", R"({"thresholds": {"Substance": {"cap": 80}}})", "$.rubric.thresholds.Substance.cap",
         "must be from 0 to 69, found 80"},
        {"cap_short_100", R"({"thresholds": {"overall": {"short_cap": 100}}})", "$.rubric.thresholds.overall.short_cap",
         "must be from 0 to 69, found 100"},
        {"cap_empty_70", R"({"thresholds": {"overall": {"empty_cap": 70}}})", "$.rubric.thresholds.overall.empty_cap",
         "must be from 0 to 69, found 70"},
        {"short_words_201", R"({"thresholds": {"overall": {"short_words": 201}}})",
         "$.rubric.thresholds.overall.short_words", "must be from 0 to 200, found 201"},
        // Structure's and overall's numbers
        {"thresholds_structure_concise_zero_11", R"({"thresholds": {"Structure": {"concise_zero": 11}}})",
         "$.rubric.thresholds.Structure.concise_zero", "must be from 0.05 to 10, found 11"},
        {"thresholds_structure_clutter_zero_101", R"({"thresholds": {"Structure": {"clutter_zero": 101}}})",
         "$.rubric.thresholds.Structure.clutter_zero", "must be from 0 to 100, found 101"},
        {"thresholds_overall_slope_0", R"({"thresholds": {"overall": {"slope": 0}}})",
         "$.rubric.thresholds.overall.slope", "must be from 0.05 to 5, found 0"},
        {"thresholds_overall_intercept_101", R"({"thresholds": {"overall": {"intercept": 101}}})",
         "$.rubric.thresholds.overall.intercept", "must be from -100 to 100, found 101"},
        // order, after merging with the defaults (Pace ideal_lo is 180)
        {"thresholds_pace_pass_lo_above_default_ideal_lo", R"({"thresholds": {"Pace": {"pass_lo": 185}}})",
         "$.rubric.thresholds.Pace",
         "must keep zero_lo <= pass_lo <= ideal_lo <= ideal_hi <= pass_hi <= zero_hi (with the defaults for what it "
         "leaves out)"},
        {"thresholds_length_ideal_reversed", R"({"thresholds": {"Length": {"ideal_lo": 1.3, "ideal_hi": 1.1}}})",
         "$.rubric.thresholds.Length", "must keep zero_lo <= pass_lo"},
        {"thresholds_fillers_ideal_above_default_pass", R"({"thresholds": {"Fillers": {"ideal": 4}}})",
         "$.rubric.thresholds.Fillers", "must keep ideal <= pass <= zero"},
        {"thresholds_wording_zero_below_pass", R"({"thresholds": {"Wording": {"pass": 3, "zero": 2.5}}})",
         "$.rubric.thresholds.Wording", "must keep ideal <= pass <= zero"},
        {"thresholds_ownership_zero_above_default_pass", R"({"thresholds": {"Ownership": {"zero": 0.55}}})",
         "$.rubric.thresholds.Ownership", "must keep zero <= pass <= ideal"},
        {"thresholds_structure_concise_ideal_above_default_pass",
         R"({"thresholds": {"Structure": {"concise_ideal": 1.5}}})", "$.rubric.thresholds.Structure",
         "must keep concise_ideal <= concise_pass <= concise_zero"},
        {"thresholds_structure_clutter_zero_below_default_pass",
         R"({"thresholds": {"Structure": {"clutter_zero": 2}}})", "$.rubric.thresholds.Structure",
         "must keep clutter_ideal <= clutter_pass <= clutter_zero"},
        // lexicons
        {"lexicons_not_object", R"({"lexicons": ["um"]})", "$.rubric.lexicons", "must be an object"},
        {"lexicons_unknown_name", R"({"lexicons": {"fillers": ["um"]}})", "$.rubric.lexicons.fillers",
         "is not a known lexicon"},
        {"lexicon_not_array", R"({"lexicons": {"hedges": "maybe"}})", "$.rubric.lexicons.hedges",
         "must be an array of phrases, not the string \"maybe\""},
        {"lexicon_blank_phrase", R"({"lexicons": {"hedges": ["maybe", "  "]}})", "$.rubric.lexicons.hedges[1]",
         "must not be empty"},
        {"lexicon_phrase_without_word", R"({"lexicons": {"hedges": ["!!!"]}})", "$.rubric.lexicons.hedges[0]",
         "has no word to match"},
        {"lexicon_phrase_only_a_star", R"({"lexicons": {"filler_core": ["um", "*"]}})",
         "$.rubric.lexicons.filler_core[1]", "has no word to match"},
        {"lexicon_phrase_not_string", R"({"lexicons": {"i_words": ["i", 1]}})", "$.rubric.lexicons.i_words[1]",
         "must be a string, not the number 1"},
        {"lexicon_phrase_too_long", R"({"lexicons": {"stopwords": [")" + long_phrase + R"("]}})",
         "$.rubric.lexicons.stopwords[0]", "is longer than 100 bytes"},
        {"lexicon_phrase_of_9_words",
         R"({"lexicons": {"hedges": ["maybe", "one two three four five six seven eight nine"]}})",
         "$.rubric.lexicons.hedges[1]", "has 9 words; a phrase may have at most 8"},
        {"flagged_term_of_9_words",
         R"({"lexicons": {"flagged_terms": {"one two three four five six seven eight nine": "calm"}}})",
         R"($.rubric.lexicons.flagged_terms["one two three four five six seven eight nine"])",
         "has 9 words; a phrase may have at most 8"},
        {"flagged_terms_not_object", R"({"lexicons": {"flagged_terms": ["crazy"]}})", "$.rubric.lexicons.flagged_terms",
         "must be an object, not array"},
        {"flagged_term_without_word", R"({"lexicons": {"flagged_terms": {"!!!": "calm"}}})",
         R"($.rubric.lexicons.flagged_terms["!!!"])", "has no word to match"},
        {"flagged_term_blank_alternative", R"({"lexicons": {"flagged_terms": {"crazy": " "}}})",
         "$.rubric.lexicons.flagged_terms.crazy", "must not be empty"},
        {"flagged_term_alternative_not_string", R"({"lexicons": {"flagged_terms": {"frequent flyer": true}}})",
         R"($.rubric.lexicons.flagged_terms["frequent flyer"])", "must be a string, not boolean"},
        // structure
        {"structure_not_object", R"({"structure": []})", "$.rubric.structure", "must be an object"},
        {"structure_unknown_kind", R"({"structure": {"narrative": [)" + ok_part + R"(]}})",
         "$.rubric.structure.narrative", "is not a known kind"},
        {"structure_kind_not_array", R"({"structure": {"behavioral": {}}})", "$.rubric.structure.behavioral",
         "must be an array of 1 to 8 parts"},
        {"structure_kind_empty", R"({"structure": {"behavioral": []}})", "$.rubric.structure.behavioral",
         "must be an array of 1 to 8 parts"},
        {"structure_kind_nine_parts",
         R"({"structure": {"situational": [)" + ok_part + "," + ok_part + "," + ok_part + "," + ok_part + "," +
             ok_part + "," + ok_part + "," + ok_part + "," + ok_part + "," + ok_part + "]}}",
         "$.rubric.structure.situational", "must be an array of 1 to 8 parts"},
        {"structure_part_not_object", R"({"structure": {"behavioral": [)" + ok_part + R"(, "result"]}})",
         "$.rubric.structure.behavioral[1]", "must be an object, not the string \"result\""},
        {"structure_part_unknown_name",
         R"({"structure": {"behavioral": [{"name": "setup", "required": true, "weight": 30, "cues": ["during"]}]}})",
         "$.rubric.structure.behavioral[0].name", "is not a known part"},
        {"structure_part_name_missing",
         R"({"structure": {"behavioral": [{"required": true, "weight": 30, "cues": ["during"]}]}})",
         "$.rubric.structure.behavioral[0].name", "is required"},
        {"structure_part_name_blank",
         R"({"structure": {"behavioral": [{"name": "", "required": true, "weight": 30, "cues": ["during"]}]}})",
         "$.rubric.structure.behavioral[0].name", "must not be empty"},
        {"structure_part_unknown_key",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 30, "cues": ["during"],
             "order": 1}]}})",
         "$.rubric.structure.behavioral[0].order", "is not a known part key (name, required, weight, cues)"},
        {"structure_no_required_part",
         R"({"structure": {"motivation": [{"name": "claim", "required": false, "weight": 50, "cues": ["i want"]},
             {"name": "fit", "weight": 50, "cues": ["this program"]}]}})",
         "$.rubric.structure.motivation", "needs at least one required part"},
        {"structure_required_not_boolean",
         R"({"structure": {"behavioral": [)" + ok_part +
             R"(, {"name": "lesson", "required": "no", "weight": 10, "cues": ["i learned"]}]}})",
         "$.rubric.structure.behavioral[1].required", "must be true or false"},
        {"structure_weight_missing",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "cues": ["during"]}]}})",
         "$.rubric.structure.behavioral[0].weight", "is required"},
        {"structure_weight_101",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 101, "cues": ["during"]}]}})",
         "$.rubric.structure.behavioral[0].weight", "must be from 0 to 100"},
        {"structure_cues_missing",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 30}]}})",
         "$.rubric.structure.behavioral[0].cues", "is required"},
        {"structure_cues_not_array",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 30, "cues": "during"}]}})",
         "$.rubric.structure.behavioral[0].cues", "must be an array of phrases"},
        {"structure_cue_of_9_words",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 30, "cues": ["during",
             "a b c d e f g h i"]}]}})",
         "$.rubric.structure.behavioral[0].cues[1]", "has 9 words; a phrase may have at most 8"},
        {"structure_cue_without_word",
         R"({"structure": {"behavioral": [{"name": "context", "required": true, "weight": 30, "cues": ["during", "..."]}]}})",
         "$.rubric.structure.behavioral[0].cues[1]", "has no word to match"},
        // kinds
        {"kinds_not_object", R"({"kinds": ["behavioral"]})", "$.rubric.kinds", "must be an object"},
        {"kinds_category_not_in_metadata", R"({"kinds": {"Surgery": "behavioral"}})", "$.rubric.kinds.Surgery",
         "is not one of $.metadata.categories"},
        {"kinds_category_case_differs", R"({"kinds": {"teamwork": "behavioral"}})", "$.rubric.kinds.teamwork",
         "is not one of $.metadata.categories"},
        {"kinds_invalid_kind", R"({"kinds": {"Ethics & Professionalism": "story"}})",
         R"($.rubric.kinds["Ethics & Professionalism"])", "must be behavioral, situational or motivation"},
        {"kinds_kind_not_string", R"({"kinds": {"Teamwork": 1}})", "$.rubric.kinds.Teamwork",
         "must be behavioral, situational or motivation"},
        // notes, fixes, practice
        {"notes_not_object", R"({"notes": "short"})", "$.rubric.notes", "must be an object"},
        {"notes_unknown_id", R"({"notes": {"length.medium": "{seconds} s."}})", R"($.rubric.notes["length.medium"])",
         "is not a known text id"},
        {"notes_placeholder_not_allowed", R"({"notes": {"length.pass": "{seconds} s at {wpm} wpm."}})",
         R"($.rubric.notes["length.pass"])", "uses {wpm}; this text may use {seconds}, {expected}, {percent}, {words}"},
        {"notes_no_placeholder_allowed", R"({"notes": {"pace.typed": "Typed at {wpm} wpm."}})",
         R"($.rubric.notes["pace.typed"])", "uses {wpm}; this text may use none"},
        {"notes_blank", R"({"notes": {"short": " "}})", "$.rubric.notes.short", "must not be empty"},
        {"notes_not_string", R"({"notes": {"short": ["Only {words} words."]}})", "$.rubric.notes.short",
         "must be a string, not array"},
        {"notes_too_long", R"({"notes": {"short": ")" + long_text + R"("}})", "$.rubric.notes.short",
         "is longer than 400 bytes"},
        {"fixes_unknown_id", R"({"fixes": {"structure.setup": "Set the scene."}})",
         R"($.rubric.fixes["structure.setup"])", "is not a known text id"},
        {"fixes_placeholder_not_allowed", R"({"fixes": {"substance": "Add {seconds} s on '{missing}'."}})",
         "$.rubric.fixes.substance", "uses {seconds}"},
        {"practice_unknown_id", R"({"practice": {"timing": "Aim for {expected} s."}})", "$.rubric.practice.timing",
         "is not a known text id"},
        {"practice_placeholder_not_allowed", R"({"practice": {"length": "Aim for {words} words."}})",
         "$.rubric.practice.length", "uses {words}; this text may use {expected}"},
    };
}

INSTANTIATE_TEST_SUITE_P(P1, RubricProblem, testing::ValuesIn(rubric_cases()),
                         [](const testing::TestParamInfo<RubricCase>& info) { return info.param.name; });

TEST(RubricCheck, TextsWithOnlyAllowedPlaceholdersPass)
{
    Json rubric = {{"notes", {{"ownership.you", "'you' x{you} ({rate} per 100 words)."}, {"pace.typed", "No pace."}}},
                   {"fixes", {{"improved", "{check}: {before} -> {after}."}, {"fillers", "Drop '{top1}'."}}},
                   {"practice", {{"maintain", "Same shape, ~{expected} s."}}}};
    EXPECT_TRUE(problems_of(rubric).empty()) << dump(problems_of(rubric));
    // A lone brace is text, not a placeholder.
    EXPECT_TRUE(problems_of({{"notes", {{"short", "Only {words} words :-{ ..."}}}}).empty());
}

TEST(RubricCheck, ThresholdOrderAcceptsEqualAndExplicitlyOrderedValues)
{
    // Merged with the defaults, these stay in order: Pace 120 <= 150 <= 170 <= 230 <= 260 <= 320.
    EXPECT_TRUE(problems_of({{"thresholds", {{"Pace", {{"pass_lo", 150}, {"ideal_lo", 170}}}}}}).empty());
    // Equal neighbours are in order.
    EXPECT_TRUE(problems_of({{"thresholds", {{"Fillers", {{"ideal", 3}, {"pass", 3}}}}}}).empty());
    // Moving a whole band together is fine even where each value alone would
    // not be: rubric 1.0's band, each of whose values but zero_lo is out of
    // order with rubric 2.0's others.
    Json pace = {{"zero_lo", 70},   {"pass_lo", 110}, {"ideal_lo", 120},
                 {"ideal_hi", 160}, {"pass_hi", 170}, {"zero_hi", 230}};
    EXPECT_TRUE(problems_of({{"thresholds", {{"Pace", pace}}}}).empty())
        << dump(problems_of({{"thresholds", {{"Pace", pace}}}}));
}

TEST(RubricCheck, KindsAcceptEveryCategoryAndKind)
{
    Json kinds = Json::object();
    const char* kind_names[] = {"behavioral", "situational", "motivation"};
    for (std::size_t i = 0; i < categories.size(); ++i)
        kinds[categories[i]] = kind_names[i % 3];
    EXPECT_TRUE(problems_of({{"kinds", kinds}}).empty()) << dump(problems_of({{"kinds", kinds}}));
}

// The weights a pack may set: no check over 40% of a spoken answer's
// weights nor 50% of a typed one's, as rubric_with_overrides() merges them.
TEST(RubricCheck, WeightsWhereNoCheckDecidesPass)
{
    const Rubric& d = default_rubric();
    Json defaults = {{"weights", Json::object()}, {"kind_weights", Json::object()}};
    for (std::size_t k = 0; k < check_count; ++k)
        defaults["weights"][std::string(check_name(static_cast<Check>(k)))] = d.weights[k];
    for (const auto& [kind, weights] : d.kind_weights)
        for (std::size_t k = 0; k < check_count; ++k)
            defaults["kind_weights"][std::string(to_string(kind))][std::string(check_name(static_cast<Check>(k)))] =
                weights[k];
    EXPECT_TRUE(problems_of(defaults).empty()) << dump(problems_of(defaults));
    // exactly 40% passes for spoken answers; exactly 50% for typed ones
    Json fifty = Json::parse(R"({"weights": {"Length": 0, "Pace": 40, "Fillers": 0, "Wording": 0, "Ownership": 0,
        "Structure": 30, "Substance": 30}})");
    EXPECT_TRUE(problems_of(fifty).empty()) << dump(problems_of(fifty));
    Json forty = Json::parse(R"({"weights": {"Length": 0, "Pace": 0, "Fillers": 0, "Wording": 0, "Ownership": 20,
        "Structure": 40, "Substance": 40}})");
    EXPECT_TRUE(problems_of(forty).empty()) << dump(problems_of(forty));
    // Pace's weight counts for spoken answers only
    Json pace = Json::parse(R"({"weights": {"Length": 20, "Pace": 40, "Fillers": 20, "Wording": 0, "Ownership": 0,
        "Structure": 20, "Substance": 20}})");
    EXPECT_TRUE(problems_of(pace).empty()) << dump(problems_of(pace));
    // a kind with weights of its own does not start from the weights
    Json own = Json::parse(R"({"weights": {"Substance": 40, "Structure": 40},
        "kind_weights": {"motivation": {"Fillers": 20}}})");
    EXPECT_TRUE(problems_of(own).empty()) << dump(problems_of(own));
}

TEST(RubricCheck, CapsBelowThePassLinePass)
{
    Json caps = Json::parse(R"({"thresholds": {"Wording": {"flagged_term_cap": 69}, "Ownership": {"cap": 0},
        "Substance": {"cap": 69}, "overall": {"short_cap": 69, "empty_cap": 69, "short_words": 200}}})");
    EXPECT_TRUE(problems_of(caps).empty()) << dump(problems_of(caps));
    // the compiled-in caps are below it
    const Rubric& d = default_rubric();
    for (int cap : {d.flagged_term_cap, d.ownership_cap, d.substance_cap, d.short_cap, d.empty_cap})
        EXPECT_LT(cap, 70);
    EXPECT_LE(d.short_words, 200);
}

TEST(RubricCheck, PhrasesOfAtMost8WordsPass)
{
    EXPECT_TRUE(problems_of({{"lexicons", {{"hedges", {"one two three four five six seven eight"}}}}}).empty());
    // counted once normalised: "don't" is one word, "a-b" one
    EXPECT_TRUE(problems_of({{"lexicons", {{"hedges", {"don't don't don't don't a-b a-b a-b a-b"}}}}}).empty());
}

TEST(RubricCheck, MoreThan64KiBOfPhrasesIsRefused)
{
    // 700 phrases of 100 bytes: 70,000 bytes in every question's automaton
    Json many = Json::array();
    for (int i = 0; i < 700; ++i) {
        std::string p = "w" + std::to_string(i);
        many.push_back(p + std::string(100 - p.size(), 'x'));
    }
    std::vector<JsonProblem> problems = problems_of({{"lexicons", {{"detail_words", many}}}});
    ASSERT_EQ(paths(problems), std::vector<std::string>({"$.rubric"})) << dump(problems);
    EXPECT_EQ(problems[0].message, "its lexicons, flagged terms and structure cues hold 70000 bytes of phrases; a "
                                   "rubric may hold at most 65536 (every question's automaton holds them all)");
    // stopwords are not matched: they do not count
    EXPECT_TRUE(problems_of({{"lexicons", {{"stopwords", many}}}}).empty());
    // 655 of them fit
    many.erase(many.begin() + 655, many.end());
    EXPECT_TRUE(problems_of({{"lexicons", {{"detail_words", many}}}}).empty());
}

TEST(RubricCheck, LexiconOfMoreThan1000PhrasesIsRefused)
{
    Json many = Json::array();
    for (int i = 0; i < 1001; ++i)
        many.push_back("word" + std::to_string(i));
    std::vector<JsonProblem> problems = problems_of({{"lexicons", {{"detail_words", many}}}});
    ASSERT_EQ(paths(problems), std::vector<std::string>({"$.rubric.lexicons.detail_words"})) << dump(problems);
    EXPECT_EQ(problems[0].message, "holds more than 1000 phrases");
    many.erase(many.size() - 1);
    EXPECT_TRUE(problems_of({{"lexicons", {{"detail_words", many}}}}).empty());
}

TEST(RubricCheck, EveryProblemIsReportedInOrder)
{
    Json rubric = Json::parse(R"({
      "weights": {"Length": 101, "Tone": 5},
      "thresholds": {"Pace": {"pass_lo": 185}},
      "lexicons": {"hedges": ["maybe", ""]},
      "kinds": {"Surgery": "story"},
      "practice": {"length": "{words}"},
      "extra": 1
    })");
    std::vector<JsonProblem> problems = problems_of(rubric);
    EXPECT_EQ(paths(problems), std::vector<std::string>({
                                   "$.rubric.extra",
                                   "$.rubric.weights.Tone",
                                   "$.rubric.weights.Length",
                                   "$.rubric.thresholds.Pace",
                                   "$.rubric.lexicons.hedges[1]",
                                   "$.rubric.kinds.Surgery",
                                   "$.rubric.kinds.Surgery",
                                   "$.rubric.practice.length",
                               }))
        << dump(problems);
}

TEST(RubricCheck, RubricProblemsComeWithTheRestOfThePack)
{
    Json pack = pack_with({{"weights", {{"Length", 101}}}});
    pack["questions"][0]["category"] = "Surgery";
    std::vector<JsonProblem> problems = validate_content_pack(pack, Limits{}).problems;
    EXPECT_EQ(paths(problems), std::vector<std::string>({"$.questions[0].category", "$.rubric.weights.Length"}))
        << dump(problems);
}

// Regression: a structure part named "order" used to pass, although it is
// not a part: the check accepted any name with a fix text "structure.<name>",
// and "structure.order" is the fix for parts told out of order. Fixed while
// these tests were written: rubric_check.hpp now lists part_names.
TEST(RubricCheck, OrderIsNotAStructurePart)
{
    std::vector<JsonProblem> problems = problems_of(Json::parse(R"({"structure": {"behavioral": [
        {"name": "context", "required": true, "weight": 50, "cues": ["during"]},
        {"name": "order", "required": true, "weight": 50, "cues": ["then"]}]}})"));
    EXPECT_EQ(paths(problems), std::vector<std::string>({"$.rubric.structure.behavioral[1].name"})) << dump(problems);
}

TEST(RubricCheck, EveryDocumentedPartNameIsAccepted)
{
    for (const char* name : {"context", "action", "result", "lesson", "clarify", "options", "act", "follow_up", "claim",
                             "evidence", "fit"}) {
        Json rubric = {{"structure", {{"situational", Json::array({part(name)})}}}};
        EXPECT_TRUE(problems_of(rubric).empty()) << name << dump(problems_of(rubric));
    }
}

// ---- rubric_with_overrides -------------------------------------------------

// Every field where two rubrics differ, one per line ("" when equal).
std::string differences(const Rubric& a, const Rubric& b)
{
    std::ostringstream out;
    auto field = [&](const char* name, bool same) {
        if (!same)
            out << name << "\n";
    };
    auto band = [](const Band& x, const Band& y) {
        return x.zero_lo == y.zero_lo && x.pass_lo == y.pass_lo && x.ideal_lo == y.ideal_lo &&
               x.ideal_hi == y.ideal_hi && x.pass_hi == y.pass_hi && x.zero_hi == y.zero_hi;
    };
    auto parts = [](const std::vector<Rubric::Part>& x, const std::vector<Rubric::Part>& y) {
        if (x.size() != y.size())
            return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x[i].name != y[i].name || x[i].required != y[i].required || x[i].weight != y[i].weight ||
                x[i].cues != y[i].cues)
                return false;
        return true;
    };
    field("version", a.version == b.version);
    field("weights", a.weights == b.weights);
    field("kind_weights", a.kind_weights == b.kind_weights);
    field("length", band(a.length, b.length));
    field("length_min_words", a.length_min_words == b.length_min_words);
    field("typed_wpm", a.typed_wpm == b.typed_wpm);
    field("pace", band(a.pace, b.pace));
    field("pace_min_seconds", a.pace_min_seconds == b.pace_min_seconds);
    field("pace_min_words", a.pace_min_words == b.pace_min_words);
    field("fillers",
          a.fillers.ideal == b.fillers.ideal && a.fillers.pass == b.fillers.pass && a.fillers.zero == b.fillers.zero);
    field("filler_core_weight", a.filler_core_weight == b.filler_core_weight);
    field("filler_discourse_weight", a.filler_discourse_weight == b.filler_discourse_weight);
    field("filler_stutter_weight", a.filler_stutter_weight == b.filler_stutter_weight);
    field("hedges",
          a.hedges.ideal == b.hedges.ideal && a.hedges.pass == b.hedges.pass && a.hedges.zero == b.hedges.zero);
    field("flagged_term_cap", a.flagged_term_cap == b.flagged_term_cap);
    field("i_share",
          a.i_share.zero == b.i_share.zero && a.i_share.pass == b.i_share.pass && a.i_share.ideal == b.i_share.ideal);
    field("min_i_words", a.min_i_words == b.min_i_words);
    field("min_i_actions", a.min_i_actions == b.min_i_actions);
    field("plan_min_frames", a.plan_min_frames == b.plan_min_frames);
    field("max_you_per_100", a.max_you_per_100 == b.max_you_per_100);
    field("ownership_cap", a.ownership_cap == b.ownership_cap);
    field("concise",
          a.concise.ideal == b.concise.ideal && a.concise.pass == b.concise.pass && a.concise.zero == b.concise.zero);
    field("clutter",
          a.clutter.ideal == b.clutter.ideal && a.clutter.pass == b.clutter.pass && a.clutter.zero == b.clutter.zero);
    field("overall_intercept", a.overall_intercept == b.overall_intercept);
    field("overall_slope", a.overall_slope == b.overall_slope);
    field("coverage_full", a.coverage_full == b.coverage_full);
    field("details_full", a.details_full == b.details_full);
    field("coverage_floor", a.coverage_floor == b.coverage_floor);
    field("substance_cap", a.substance_cap == b.substance_cap);
    field("short_words", a.short_words == b.short_words);
    field("short_cap", a.short_cap == b.short_cap);
    field("empty_cap", a.empty_cap == b.empty_cap);
    field("filler_core", a.filler_core == b.filler_core);
    field("filler_discourse", a.filler_discourse == b.filler_discourse);
    field("hedges_lexicon", a.hedges_lexicon == b.hedges_lexicon);
    field("flagged_terms", a.flagged_terms == b.flagged_terms);
    field("i_words", a.i_words == b.i_words);
    field("we_words", a.we_words == b.we_words);
    field("you_words", a.you_words == b.you_words);
    field("plan_frames", a.plan_frames == b.plan_frames);
    field("irregular_past", a.irregular_past == b.irregular_past);
    field("detail_words", a.detail_words == b.detail_words);
    field("stopwords", a.stopwords == b.stopwords);
    bool same_structure = a.structure.size() == b.structure.size();
    for (const auto& [kind, p] : a.structure)
        same_structure = same_structure && b.structure.count(kind) && parts(p, b.structure.at(kind));
    field("structure", same_structure);
    field("kinds", a.kinds == b.kinds);
    field("notes", a.notes == b.notes);
    field("fixes", a.fixes == b.fixes);
    field("practice", a.practice == b.practice);
    return out.str();
}

TEST(RubricWithOverrides, NoOverrideIsTheDefault)
{
    EXPECT_EQ(differences(rubric_with_overrides(Json::object()), default_rubric()), "");
    EXPECT_EQ(differences(rubric_with_overrides(Json()), default_rubric()), "");
    EXPECT_EQ(differences(rubric_with_overrides(Json::array()), default_rubric()), "");
}

TEST(RubricWithOverrides, Version)
{
    Rubric expected = default_rubric();
    expected.version = "2.0-local";
    EXPECT_EQ(differences(rubric_with_overrides({{"version", "2.0-local"}}), expected), "");
}

TEST(RubricWithOverrides, WeightsReplaceOnlyTheNamedChecks)
{
    Rubric expected = default_rubric();
    expected.weights[static_cast<int>(Check::length)] = 20;
    expected.weights[static_cast<int>(Check::substance)] = 16;
    Rubric r = rubric_with_overrides({{"weights", {{"Length", 20}, {"Substance", 16}}}});
    EXPECT_EQ(differences(r, expected), "");
    EXPECT_EQ(r.weights, (std::array<int, check_count>{20, 39, 16, 0, 0, 17, 16}));
}

TEST(RubricWithOverrides, KindWeightsStartFromThatKindsWeights)
{
    Rubric r = rubric_with_overrides(Json::parse(
        R"({"weights": {"Length": 20}, "kind_weights": {"behavioral": {"Pace": 5}, "motivation": {"Length": 10}}})"));
    Rubric expected = default_rubric();
    expected.weights[0] = 20;
    // A kind without weights of its own starts from the (overridden) weights:
    // since rubric 2.0, no kind has compiled-in weights (motivation had).
    ASSERT_TRUE(default_rubric().kind_weights.empty());
    expected.kind_weights[QuestionKind::behavioral] = {20, 5, 16, 0, 0, 17, 25};
    expected.kind_weights[QuestionKind::motivation] = {10, 39, 16, 0, 0, 17, 25};
    EXPECT_EQ(differences(r, expected), "");
    EXPECT_EQ(r.kind_weights.count(QuestionKind::situational), 0u);
}

TEST(RubricWithOverrides, ThresholdsLandInTheirFields)
{
    Json o = full_valid_rubric();
    ASSERT_TRUE(problems_of(o).empty()) << dump(problems_of(o));
    Rubric r = rubric_with_overrides({{"thresholds", o["thresholds"]}});
    Rubric expected = default_rubric();
    expected.length.pass_lo = 0.5;
    expected.length.ideal_lo = 0.75;
    expected.length_min_words = 30;
    expected.typed_wpm = 150;
    expected.pace.pass_lo = 150;
    expected.pace.ideal_lo = 170;
    expected.pace_min_seconds = 15;
    expected.fillers = {1, 2.5, 7};
    expected.filler_discourse_weight = 0.25;
    expected.flagged_term_cap = 50;
    expected.i_share.pass = 0.45;
    expected.min_i_words = 2;
    expected.max_you_per_100 = 4;
    expected.concise.pass = 1.4;
    expected.clutter.zero = 9;
    expected.overall_intercept = 10;
    expected.overall_slope = 0.8;
    expected.coverage_full = 0.7;
    expected.details_full = 2;
    expected.short_words = 20;
    expected.short_cap = 25;
    expected.empty_cap = 55;
    EXPECT_EQ(differences(r, expected), "");
}

TEST(RubricWithOverrides, EveryValidatedThresholdChangesTheRubric)
{
    // A threshold the check accepts but the rubric ignores would be silently
    // lost: each field must change something.
    for (const rubric_check::Section& s : rubric_check::threshold_sections())
        for (const rubric_check::NumberField& f : s.fields) {
            double value = rubric_check::default_threshold(s.name, f.name) == f.max ? f.min : f.max;
            Json o = {{"thresholds", {{s.name, {{f.name, f.integer ? Json(static_cast<int>(value)) : Json(value)}}}}}};
            EXPECT_NE(differences(rubric_with_overrides(o), default_rubric()), "") << s.name << "." << f.name;
        }
}

TEST(RubricWithOverrides, LexiconsReplaceTheWholeList)
{
    Rubric r = rubric_with_overrides(
        Json::parse(R"({"lexicons": {"hedges": ["maybe", "i reckon"], "flagged_terms": {"crazy": "distressing"}}})"));
    Rubric expected = default_rubric();
    expected.hedges_lexicon = {"maybe", "i reckon"};
    expected.flagged_terms = {{"crazy", "distressing"}};
    EXPECT_EQ(differences(r, expected), "");
}

TEST(RubricWithOverrides, EachListLexiconHasItsField)
{
    const std::pair<const char*, std::vector<std::string> Rubric::*> lists[] = {
        {"filler_core", &Rubric::filler_core},   {"filler_discourse", &Rubric::filler_discourse},
        {"hedges", &Rubric::hedges_lexicon},     {"i_words", &Rubric::i_words},
        {"we_words", &Rubric::we_words},         {"you_words", &Rubric::you_words},
        {"plan_frames", &Rubric::plan_frames},   {"irregular_past", &Rubric::irregular_past},
        {"detail_words", &Rubric::detail_words}, {"stopwords", &Rubric::stopwords}};
    for (const auto& [name, member] : lists) {
        Rubric expected = default_rubric();
        expected.*member = {"zebra"};
        EXPECT_EQ(differences(rubric_with_overrides({{"lexicons", {{name, {"zebra"}}}}}), expected), "") << name;
    }
}

TEST(RubricWithOverrides, StructureReplacesOneKind)
{
    Rubric r = rubric_with_overrides(Json::parse(R"({"structure": {"situational": [
        {"name": "act", "required": true, "weight": 70, "cues": ["i would", "i'd"]},
        {"name": "follow_up", "required": false, "weight": 30, "cues": ["escalat*"]}]}})"));
    Rubric expected = default_rubric();
    expected.structure[QuestionKind::situational] = {{"act", true, 70, {"i would", "i'd"}},
                                                     {"follow_up", false, 30, {"escalat*"}}};
    EXPECT_EQ(differences(r, expected), "");
}

TEST(RubricWithOverrides, KindsByCategory)
{
    Rubric r = rubric_with_overrides(
        Json::parse(R"({"kinds": {"Motivation": "motivation", "Ethics & Professionalism": "situational"}})"));
    Rubric expected = default_rubric();
    expected.kinds["Motivation"] = QuestionKind::motivation;
    expected.kinds["Ethics & Professionalism"] = QuestionKind::situational;
    EXPECT_EQ(differences(r, expected), "");
}

TEST(RubricWithOverrides, TextsReplaceOnlyTheirIds)
{
    Rubric r = rubric_with_overrides(Json::parse(R"({
        "notes": {"length.pass": "{seconds} s of ~{expected} s."},
        "fixes": {"substance": "Say more about '{missing}'."},
        "practice": {"fillers": "Pause instead."}})"));
    Rubric expected = default_rubric();
    expected.notes["length.pass"] = "{seconds} s of ~{expected} s.";
    expected.fixes["substance"] = "Say more about '{missing}'.";
    expected.practice["fillers"] = "Pause instead.";
    EXPECT_EQ(differences(r, expected), "");
}

TEST(RubricWithOverrides, FullOverride)
{
    Rubric r = rubric_with_overrides(full_valid_rubric());
    EXPECT_EQ(r.version, "2.0-local");
    EXPECT_EQ(r.weights, (std::array<int, check_count>{20, 10, 10, 8, 10, 20, 22}));
    // motivation has no compiled-in weights: it starts from the pack's weights
    EXPECT_EQ(r.kind_weights.at(QuestionKind::motivation), (std::array<int, check_count>{20, 10, 10, 8, 10, 14, 30}));
    EXPECT_EQ(r.kind_weights.at(QuestionKind::situational), (std::array<int, check_count>{20, 10, 10, 8, 0, 20, 22}));
    EXPECT_EQ(r.hedges_lexicon, (std::vector<std::string>{"i think", "maybe", "kind of"}));
    EXPECT_EQ(r.filler_discourse, default_rubric().filler_discourse);
    EXPECT_EQ(r.structure.at(QuestionKind::behavioral).size(), 4u);
    EXPECT_EQ(r.structure.at(QuestionKind::behavioral)[1].cues, (std::vector<std::string>{"i decided"}));
    EXPECT_EQ(r.structure.at(QuestionKind::situational).size(),
              default_rubric().structure.at(QuestionKind::situational).size());
    EXPECT_EQ(r.kinds.at("Ethics & Professionalism"), QuestionKind::situational);
    EXPECT_EQ(r.notes.at("pace.typed"), "Typed: no pace.");
    EXPECT_EQ(r.notes.at("pace.fast"), default_rubric().notes.at("pace.fast"));
}

// ---- lexicon phrases ---------------------------------------------------------

// normalize_phrase() (scorer.cpp, declared in rubric_check.hpp) decides
// whether a lexicon phrase "has no word to match" and how it is matched.
TEST(NormalizePhrase, TokenizerNormalForm)
{
    EXPECT_EQ(normalize_phrase("I'm"), "i'm");
    EXPECT_EQ(normalize_phrase("Don\xE2\x80\x99t"), "don't");  // curly apostrophe
    EXPECT_EQ(normalize_phrase("  You   know "), "you know");
    EXPECT_EQ(normalize_phrase("post-op"), "post-op");
    EXPECT_EQ(normalize_phrase("well, actually"), "well actually");
}

TEST(NormalizePhrase, TrailingStarMakesAPrefix)
{
    EXPECT_EQ(normalize_phrase("escalat*"), "escalat*");
    EXPECT_EQ(normalize_phrase("I escalat*"), "i escalat*");
    EXPECT_EQ(normalize_phrase("report* to"), "report* to");
    // a star inside a word is punctuation: it splits the word
    EXPECT_EQ(normalize_phrase("a*b"), "a b");
}

TEST(NormalizePhrase, NoWordIsEmpty)
{
    EXPECT_EQ(normalize_phrase(""), "");
    EXPECT_EQ(normalize_phrase("   "), "");
    EXPECT_EQ(normalize_phrase("!!!"), "");
    EXPECT_EQ(normalize_phrase("*"), "");
    EXPECT_EQ(normalize_phrase("... ?!*"), "");
}

// Regression: a trailing '*' on a part with no word was attached to the
// word before it ("um !!!*" became "um*", a prefix matching "umbrella").
TEST(NormalizePhrase, StarOnAPartWithoutWordsDoesNotMoveToThePreviousWord)
{
    EXPECT_EQ(normalize_phrase("um !!!*"), "um");
    EXPECT_EQ(normalize_phrase("i escalated ...*"), "i escalated");
}

TEST(CheckName, InEvaluationOrder)
{
    const char* names[] = {"Length", "Pace", "Fillers", "Wording", "Ownership", "Structure", "Substance"};
    for (std::size_t i = 0; i < check_count; ++i)
        EXPECT_EQ(check_name(static_cast<Check>(i)), names[i]);
}

}  // namespace
}  // namespace residency
