#include "interrupt.hpp"

namespace residency {

namespace detail {
InterruptCheck interrupt_check = nullptr;
}

void set_interrupt_check(InterruptCheck check)
{
    detail::interrupt_check = check;
}

}  // namespace residency
