#include "transitions.hpp"

#include "error.hpp"

#include <string>

namespace residency {

namespace {

template <typename E, std::size_t N>
std::optional<E> parse(std::string_view text, const std::string_view (&names)[N])
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text)
            return static_cast<E>(i);
    return std::nullopt;
}

constexpr std::string_view entitlement_names[] = {"LOCKED", "BASIC", "PRO"};
constexpr std::string_view pack_status_names[] = {"DRAFT", "ACTIVE", "ARCHIVED"};
constexpr std::string_view session_status_names[] = {"STARTED", "SUBMITTED", "PROCESSING", "COMPLETED", "FAILED"};

template <std::size_t N>
[[noreturn]] void throw_not_in_enum(std::string_view text, std::string_view column, const std::string_view (&names)[N])
{
    std::string list;
    for (std::string_view n : names)
        list += (list.empty() ? "" : ", ") + std::string(n);
    throw Error(Refusal::not_in_enumeration, sqlstate::check_violation, "invalid " + std::string(column) + " value",
                "\"" + std::string(text) + "\" is not one of " + list + ".",
                "Use one of the listed values, in upper case.");
}

[[noreturn]] void throw_transition(Refusal refusal, std::string_view subject, std::string_view from,
                                   std::string_view to, std::string_view allowed)
{
    throw Error(refusal, sqlstate::check_violation, "invalid " + std::string(subject) + " transition",
                "The " + std::string(subject) + " cannot change from " + std::string(from) + " to " + std::string(to) +
                    ".",
                "Allowed transitions: " + std::string(allowed) + ".");
}

}  // namespace

std::optional<Entitlement> parse_entitlement(std::string_view text)
{
    return parse<Entitlement>(text, entitlement_names);
}
std::optional<PackStatus> parse_pack_status(std::string_view text)
{
    return parse<PackStatus>(text, pack_status_names);
}
std::optional<SessionStatus> parse_session_status(std::string_view text)
{
    return parse<SessionStatus>(text, session_status_names);
}

std::string_view to_string(Entitlement e)
{
    return entitlement_names[static_cast<int>(e)];
}
std::string_view to_string(PackStatus s)
{
    return pack_status_names[static_cast<int>(s)];
}
std::string_view to_string(SessionStatus s)
{
    return session_status_names[static_cast<int>(s)];
}

Entitlement require_entitlement(std::string_view text, std::string_view column)
{
    if (auto e = parse_entitlement(text))
        return *e;
    throw_not_in_enum(text, column, entitlement_names);
}

PackStatus require_pack_status(std::string_view text)
{
    if (auto s = parse_pack_status(text))
        return *s;
    throw_not_in_enum(text, "content pack status", pack_status_names);
}

SessionStatus require_session_status(std::string_view text)
{
    if (auto s = parse_session_status(text))
        return *s;
    throw_not_in_enum(text, "drill session status", session_status_names);
}

void check_drills_allowed(Entitlement level, std::string_view user)
{
    if (level == Entitlement::locked)
        throw Error(Refusal::drills_locked, sqlstate::insufficient_privilege, "entitlement is LOCKED",
                    "User " + std::string(user) + " has entitlement LOCKED; drills need a BASIC or PRO subscription.",
                    "A BASIC or PRO subscription unlocks drills.");
}

void check_entitlement_transition(Entitlement from, Entitlement to)
{
    using E = Entitlement;
    bool ok =
        from == to || to == E::locked || (from == E::locked && to == E::basic) || (from == E::basic && to == E::pro);
    if (!ok)
        throw_transition(Refusal::entitlement_transition, "entitlement level", to_string(from), to_string(to),
                         "LOCKED -> BASIC, BASIC -> PRO, and any level -> LOCKED");
}

void check_pack_transition(PackStatus from, PackStatus to)
{
    using P = PackStatus;
    bool ok = from == to || (from == P::draft && to == P::active) || (from == P::active && to == P::archived) ||
              (from == P::draft && to == P::archived) || (from == P::archived && to == P::active);
    if (!ok)
        throw_transition(Refusal::none, "content pack status", to_string(from), to_string(to),
                         "DRAFT -> ACTIVE, ACTIVE -> ARCHIVED, DRAFT -> ARCHIVED, ARCHIVED -> ACTIVE");
}

void check_session_transition(SessionStatus from, SessionStatus to)
{
    using S = SessionStatus;
    bool ok = (from == S::started && to == S::submitted) || (from == S::submitted && to == S::processing) ||
              (from == S::processing && (to == S::completed || to == S::failed));
    if (ok)
        return;
    if (from == to)
        throw Error(Refusal::session_state, sqlstate::check_violation, "invalid drill session status transition",
                    "The drill session is already " + std::string(to_string(from)) + ".",
                    "Read the session's current status before moving it on.");
    throw_transition(Refusal::session_state, "drill session status", to_string(from), to_string(to),
                     "STARTED -> SUBMITTED -> PROCESSING -> COMPLETED, and PROCESSING -> FAILED");
}

}  // namespace residency
