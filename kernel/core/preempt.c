/* Preemption points (see preempt.h). */
#include <core/preempt.h>

#include <hal/hal_irq.h>

/* Work done since the HAL was last asked. Global, not per call: a restarted call goes on
 * counting where the preempted one stopped, which keeps the checks evenly spaced. */
uint32_t preempt_work;
uint32_t preempt_budget = PREEMPT_BUDGET;

void preempt_set_budget(uint32_t budget)
{
    preempt_budget = budget;
    preempt_work = 0;
}

bool preempt_ask(void)
{
    preempt_work = 0;
    return hal_interrupt_pending();
}
