#include "rule_writes.hpp"

#include <cstring>

namespace residency::pg {

SessionTransition::SessionTransition(const pg_uuid_t& session, SessionStatus to)
    : previous_(current_),
      session_(session),
      to_(to)
{
    current_ = this;
}

SessionTransition::~SessionTransition()
{
    current_ = previous_;
}

bool SessionTransition::is(const pg_uuid_t& session, SessionStatus to)
{
    for (const SessionTransition* t = current_; t != nullptr; t = t->previous_)
        if (t->to_ == to && std::memcmp(t->session_.data, session.data, UUID_LEN) == 0)
            return true;
    return false;
}

}  // namespace residency::pg
