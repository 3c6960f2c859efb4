// The three status machines (src/core/transitions.hpp): entitlement (U2),
// content-pack status (P4) and drill-session status (S2). Every from x to
// pair is tried; exactly the allowed set of docs/rules.md passes, and
// every other pair is 23514 with a HINT listing the allowed transitions.
#include "transitions.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace residency {
namespace {

using test::thrown;

constexpr Entitlement entitlements[] = {Entitlement::locked, Entitlement::basic, Entitlement::pro};
constexpr PackStatus pack_statuses[] = {PackStatus::draft, PackStatus::active, PackStatus::archived};
constexpr SessionStatus session_statuses[] = {SessionStatus::started, SessionStatus::submitted,
                                              SessionStatus::processing, SessionStatus::completed,
                                              SessionStatus::failed};

using Pair = std::pair<std::string, std::string>;

// Runs `check` on every pair; returns the pairs that passed, and checks the
// error of every pair that did not.
template <class E, std::size_t N, class Check>
std::set<Pair> allowed_pairs(const E (&values)[N], Check check, const std::string& subject, const std::string& hint)
{
    std::set<Pair> allowed;
    for (E from : values) {
        for (E to : values) {
            std::string f(to_string(from)), t(to_string(to));
            auto e = thrown([&] { check(from, to); });
            if (!e) {
                allowed.insert({f, t});
                continue;
            }
            EXPECT_EQ(e->sqlstate(), "23514") << f << " -> " << t;
            EXPECT_EQ(e->message(), "invalid " + subject + " transition") << f << " -> " << t;
            if (from == to)
                continue;  // a session's same -> same has its own DETAIL (below)
            EXPECT_EQ(e->detail(), "The " + subject + " cannot change from " + f + " to " + t + ".");
            EXPECT_EQ(e->hint(), hint) << f << " -> " << t;
        }
    }
    return allowed;
}

// ---- U2 -------------------------------------------------------------------

TEST(EntitlementTransition, ExactlyTheAllowedSet)
{
    std::set<Pair> allowed =
        allowed_pairs(entitlements, check_entitlement_transition, "entitlement level",
                      "Allowed transitions: LOCKED -> BASIC, BASIC -> PRO, and any level -> LOCKED.");
    std::set<Pair> expected = {
        {"LOCKED", "LOCKED"}, {"BASIC", "BASIC"}, {"PRO", "PRO"},  // same -> same: no-op
        {"LOCKED", "BASIC"},  {"BASIC", "PRO"},                    // upgrades, one step
        {"BASIC", "LOCKED"},  {"PRO", "LOCKED"},                   // any -> LOCKED
    };
    EXPECT_EQ(allowed, expected);
}

TEST(EntitlementTransition, RejectedExamples)
{
    auto skip = thrown([] { check_entitlement_transition(Entitlement::locked, Entitlement::pro); });
    ASSERT_TRUE(skip);
    EXPECT_EQ(skip->sqlstate(), "23514");
    EXPECT_EQ(skip->detail(), "The entitlement level cannot change from LOCKED to PRO.");

    auto downgrade = thrown([] { check_entitlement_transition(Entitlement::pro, Entitlement::basic); });
    ASSERT_TRUE(downgrade);
    EXPECT_EQ(downgrade->detail(), "The entitlement level cannot change from PRO to BASIC.");
}

// ---- P4 -------------------------------------------------------------------

TEST(PackTransition, ExactlyTheAllowedSet)
{
    std::set<Pair> allowed = allowed_pairs(
        pack_statuses, check_pack_transition, "content pack status",
        "Allowed transitions: DRAFT -> ACTIVE, ACTIVE -> ARCHIVED, DRAFT -> ARCHIVED, ARCHIVED -> ACTIVE.");
    std::set<Pair> expected = {
        {"DRAFT", "DRAFT"},  {"ACTIVE", "ACTIVE"},   {"ARCHIVED", "ARCHIVED"},  // no-op
        {"DRAFT", "ACTIVE"}, {"ACTIVE", "ARCHIVED"}, {"DRAFT", "ARCHIVED"},    {"ARCHIVED", "ACTIVE"},
    };
    EXPECT_EQ(allowed, expected);
}

TEST(PackTransition, NothingGoesBackToDraft)
{
    for (PackStatus from : {PackStatus::active, PackStatus::archived}) {
        auto e = thrown([&] { check_pack_transition(from, PackStatus::draft); });
        ASSERT_TRUE(e) << to_string(from);
        EXPECT_EQ(e->sqlstate(), "23514");
    }
}

// ---- S2 -------------------------------------------------------------------

TEST(SessionTransition, ExactlyTheAllowedSet)
{
    std::set<Pair> allowed = allowed_pairs(
        session_statuses, check_session_transition, "drill session status",
        "Allowed transitions: STARTED -> SUBMITTED -> PROCESSING -> COMPLETED, and PROCESSING -> FAILED.");
    std::set<Pair> expected = {
        {"STARTED", "SUBMITTED"},
        {"SUBMITTED", "PROCESSING"},
        {"PROCESSING", "COMPLETED"},
        {"PROCESSING", "FAILED"},
    };
    EXPECT_EQ(allowed, expected);
}

TEST(SessionTransition, SameStatusIsRejectedAsAlreadyThere)
{
    // A session never "moves" to the status it has (the caller decides
    // whether an unchanged status is an attempt at all).
    for (SessionStatus s : session_statuses) {
        auto e = thrown([&] { check_session_transition(s, s); });
        ASSERT_TRUE(e) << to_string(s);
        EXPECT_EQ(e->sqlstate(), "23514");
        EXPECT_EQ(e->detail(), "The drill session is already " + std::string(to_string(s)) + ".");
        EXPECT_NE(e->hint(), "");
    }
}

TEST(SessionTransition, FinalStatesAreFinal)
{
    for (SessionStatus done : {SessionStatus::completed, SessionStatus::failed})
        for (SessionStatus to : session_statuses)
            EXPECT_TRUE(thrown([&] { check_session_transition(done, to); }))
                << to_string(done) << " -> " << to_string(to);
}

TEST(SessionTransition, NoSkippingSteps)
{
    auto e = thrown([] { check_session_transition(SessionStatus::started, SessionStatus::completed); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->detail(), "The drill session status cannot change from STARTED to COMPLETED.");
}

// ---- parsing and names ------------------------------------------------------

TEST(StatusNames, ParseAndToStringRoundTrip)
{
    for (Entitlement e : entitlements)
        EXPECT_EQ(parse_entitlement(to_string(e)), e);
    for (PackStatus s : pack_statuses)
        EXPECT_EQ(parse_pack_status(to_string(s)), s);
    for (SessionStatus s : session_statuses)
        EXPECT_EQ(parse_session_status(to_string(s)), s);
}

TEST(StatusNames, SpelledInUpperCase)
{
    EXPECT_EQ(to_string(Entitlement::locked), "LOCKED");
    EXPECT_EQ(to_string(Entitlement::basic), "BASIC");
    EXPECT_EQ(to_string(Entitlement::pro), "PRO");
    EXPECT_EQ(to_string(PackStatus::draft), "DRAFT");
    EXPECT_EQ(to_string(PackStatus::active), "ACTIVE");
    EXPECT_EQ(to_string(PackStatus::archived), "ARCHIVED");
    EXPECT_EQ(to_string(SessionStatus::started), "STARTED");
    EXPECT_EQ(to_string(SessionStatus::submitted), "SUBMITTED");
    EXPECT_EQ(to_string(SessionStatus::processing), "PROCESSING");
    EXPECT_EQ(to_string(SessionStatus::completed), "COMPLETED");
    EXPECT_EQ(to_string(SessionStatus::failed), "FAILED");
}

TEST(StatusNames, ParseRejectsOtherSpellings)
{
    for (const char* text : {"", "locked", "Pro", " PRO", "PRO ", "PREMIUM"})
        EXPECT_FALSE(parse_entitlement(text).has_value()) << "'" << text << "'";
    for (const char* text : {"", "draft", "DELETED", "ARCHIVE"})
        EXPECT_FALSE(parse_pack_status(text).has_value()) << "'" << text << "'";
    for (const char* text : {"", "started", "DONE", "CANCELLED"})
        EXPECT_FALSE(parse_session_status(text).has_value()) << "'" << text << "'";
}

TEST(RequireStatus, KnownValuesAreReturned)
{
    EXPECT_EQ(require_entitlement("PRO", "entitlement_level"), Entitlement::pro);
    EXPECT_EQ(require_pack_status("ARCHIVED"), PackStatus::archived);
    EXPECT_EQ(require_session_status("PROCESSING"), SessionStatus::processing);
}

TEST(RequireStatus, UnknownEntitlementIs23514)
{
    auto e = thrown([] { require_entitlement("premium", "entitlement_level"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "23514");
    EXPECT_EQ(e->message(), "invalid entitlement_level value");
    EXPECT_EQ(e->detail(), "\"premium\" is not one of LOCKED, BASIC, PRO.");
    EXPECT_NE(e->hint(), "");
}

TEST(RequireStatus, UnknownPackStatusIs23514)
{
    auto e = thrown([] { require_pack_status("draft"); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "23514");
    EXPECT_EQ(e->message(), "invalid content pack status value");
    EXPECT_EQ(e->detail(), "\"draft\" is not one of DRAFT, ACTIVE, ARCHIVED.");
}

TEST(RequireStatus, UnknownSessionStatusIs23514)
{
    auto e = thrown([] { require_session_status(""); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "23514");
    EXPECT_EQ(e->message(), "invalid drill session status value");
    EXPECT_EQ(e->detail(), "\"\" is not one of STARTED, SUBMITTED, PROCESSING, COMPLETED, FAILED.");
}

}  // namespace
}  // namespace residency
