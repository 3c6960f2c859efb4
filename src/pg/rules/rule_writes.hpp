// Writes the rules make themselves. A trigger that writes another table
// through SPI marks the extent of that write, so that the target table's
// trigger can tell it from a client's write:
//  - QuestionRebuild: P7 rebuilding content_pack_questions, the only writer
//    that table accepts;
//  - SessionTransition: R1/E1 moving a session to SUBMITTED/COMPLETED while
//    inserting the row that transition needs. S2 then knows that row is
//    being written (it need not look it up), and refuses a session in the
//    wrong state with R1's or E1's message.
// The marks are C++ state that SQL cannot reach; RAII clears them on every
// path, including a Postgres error (guarded() turns it into an exception).
#pragma once

#include "../../core/transitions.hpp"

#include "../adapters/postgres.hpp"

namespace residency::pg {

class QuestionRebuild {
public:
    QuestionRebuild() { ++depth_; }
    ~QuestionRebuild() { --depth_; }
    QuestionRebuild(const QuestionRebuild&) = delete;
    QuestionRebuild& operator=(const QuestionRebuild&) = delete;

    static bool active() { return depth_ > 0; }

private:
    static inline int depth_ = 0;
};

class SessionTransition {
public:
    SessionTransition(const pg_uuid_t& session, SessionStatus to);
    ~SessionTransition();
    SessionTransition(const SessionTransition&) = delete;
    SessionTransition& operator=(const SessionTransition&) = delete;

    // Whether the rules themselves are moving `session` to `to` right now.
    static bool is(const pg_uuid_t& session, SessionStatus to);

private:
    const SessionTransition* previous_;
    pg_uuid_t session_;
    SessionStatus to_;
    static inline const SessionTransition* current_ = nullptr;
};

}  // namespace residency::pg
