// The one map from a rule's refusal to the API's answer (src/core/api_errors.hpp),
// and the refusals the rules' checks carry.
#include "api_errors.hpp"
#include "drill_response.hpp"
#include "transitions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

template <class F>
Error caught(F&& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no Error thrown";
    return Error(sqlstate::internal_error, "none");
}

TEST(ApiErrors, EachRefusalHasTheApiSqlstate)
{
    struct Case {
        Refusal refusal;
        std::string_view sqlstate;
    };
    for (Case c : {Case{Refusal::drills_locked, "PT402"}, Case{Refusal::no_active_pack, "PT404"},
                   Case{Refusal::question_not_in_pack, "PT404"}, Case{Refusal::session_state, "PT409"},
                   Case{Refusal::nothing_to_evaluate, "22023"}, Case{Refusal::entitlement_transition, "PT409"},
                   Case{Refusal::not_in_enumeration, "22023"}, Case{Refusal::evaluation_result, "22023"}}) {
        std::optional<ApiAnswer> a = api_answer(c.refusal);
        ASSERT_TRUE(a.has_value());
        EXPECT_EQ(a->sqlstate, c.sqlstate);
    }
    EXPECT_FALSE(api_answer(Refusal::none).has_value());
}

TEST(ApiErrors, TheRulesTagTheirRefusals)
{
    Error locked = caught([] { check_drills_allowed(Entitlement::locked, "u1"); });
    EXPECT_EQ(locked.sqlstate(), "42501");
    EXPECT_EQ(locked.refusal(), Refusal::drills_locked);
    EXPECT_NO_THROW(check_drills_allowed(Entitlement::basic, "u1"));
    EXPECT_NO_THROW(check_drills_allowed(Entitlement::pro, "u1"));

    Error u2 = caught([] { check_entitlement_transition(Entitlement::locked, Entitlement::pro); });
    EXPECT_EQ(u2.sqlstate(), "23514");
    EXPECT_EQ(u2.refusal(), Refusal::entitlement_transition);

    Error s2 = caught([] { check_session_transition(SessionStatus::submitted, SessionStatus::submitted); });
    EXPECT_EQ(s2.refusal(), Refusal::session_state);

    Error level = caught([] { require_entitlement("GOLD", "entitlement_level"); });
    EXPECT_EQ(level.refusal(), Refusal::not_in_enumeration);

    Error empty = caught([] { check_drill_response(DrillResponse{}, Limits{}); });
    EXPECT_EQ(empty.sqlstate(), "23514");
    EXPECT_EQ(empty.refusal(), Refusal::nothing_to_evaluate);

    // a transition of a content pack is no API refusal: activation and
    // archiving answer their own errors
    Error p4 = caught([] { check_pack_transition(PackStatus::archived, PackStatus::draft); });
    EXPECT_EQ(p4.refusal(), Refusal::none);
}

}  // namespace
}  // namespace residency
