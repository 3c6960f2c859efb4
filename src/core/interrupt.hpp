// Cancellation of long-running core work. The core cannot see Postgres, so
// the Postgres layer installs a callback (set_interrupt_check) that looks at
// InterruptPending and, when a cancel or termination is pending, throws a
// C++ exception; the error boundary turns it back into the Postgres error.
// Every core loop that can run long (phrase automaton compile, rule P1, the
// JSON parse and depth scan, SHA-256 over large buffers, scoring) calls
// poll_interrupts() every so often: often enough that no more than about
// 10 ms pass between two polls on the largest inputs the limits allow, and
// seldom enough to cost nothing measurable (once per chunk of thousands of
// tokens, events or bytes, never per byte).
//
// So the callback may throw from any poll: every loop that polls holds its
// state in RAII objects only (as it already must, for residency::Error).
#pragma once
#include "pure.hpp"

namespace residency {

// Returns normally when nothing is pending; throws to cancel.
using InterruptCheck = void (*)();

// Process-wide; nullptr (the default) switches polling off. A Postgres
// backend has one thread: no synchronisation.
void set_interrupt_check(InterruptCheck check);

namespace detail {
extern InterruptCheck interrupt_check;
}

// One load and a predictable branch when no callback is installed.
inline void poll_interrupts()
{
    if (InterruptCheck check = detail::interrupt_check)
        check();
}

}  // namespace residency
