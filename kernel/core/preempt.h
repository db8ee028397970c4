/*
 * Preemption points: how a long kernel operation lets a pending interrupt in.
 *
 * The kernel runs with interrupts off. An operation whose cost grows with its arguments
 * (CONVERT clearing memory, REVOKE, REMOVE of a Node, the reaper) calls preempt_point after
 * each bounded unit of work, with that unit's rough cost in instructions. Every
 * PREEMPT_BUDGET units it asks the HAL whether an interrupt (a device line or the timer) is
 * pending. If one is, the operation stops where it is and returns A9N_PREEMPTED:
 *
 *   - its progress is already recorded in the objects themselves (the derivation tree, a
 *     Node's emptying cursor, a Generic's cleared mark, a zombie capability), never on the
 *     kernel stack, and every object is either fully usable or unreachable;
 *   - cap_call returns A9N_PREEMPTED without touching the message registers;
 *   - the system-call layer winds the caller's instruction pointer back onto its `syscall`
 *     instruction (hal_syscall_restart) and returns to user mode, where the pending
 *     interrupt is taken at once; when the caller runs again, it re-executes the same call
 *     with the same registers, which continues from the recorded progress.
 *
 * A9N_PREEMPTED never reaches user mode. Each call does at least one unit of work before
 * its first preemption point, so every restart makes progress.
 */
#pragma once

#include <a9n/error.h>
#include <stdbool.h>
#include <stdint.h>

/* Kernel-internal status: the call stopped at a preemption point and must be restarted.
 * Not an ABI error code (a9n/error.h): it is far above A9N_ERROR_COUNT. */
#define A9N_PREEMPTED ((a9n_error)0x10000)

/* Units of work (about one instruction each) between two questions to the HAL. Small
 * enough that work between checks stays far below the latency target of 20,000 guest
 * instructions, large enough that the check itself costs nothing measurable. */
#define PREEMPT_BUDGET 2048u

/* Work done since the HAL was last asked, and how much makes it ask (preempt.c). */
extern uint32_t preempt_work;
extern uint32_t preempt_budget;

/* Asks the HAL (the rare path of preempt_point). */
bool preempt_ask(void);

/* Records `cost` units of work just done; true if the operation must stop now because an
 * interrupt is pending. Inline: on most calls it only adds and compares. */
static inline bool preempt_point(uint32_t cost)
{
    preempt_work += cost;
    if (preempt_work < preempt_budget)
        return false;
    return preempt_ask();
}

/* Records `cost` units of work done where the operation cannot stop (it has just finished
 * a part): the next preempt_point then asks sooner. */
static inline void preempt_charge(uint32_t cost)
{
    preempt_work += cost;
}

/* Host tests only: ask the HAL every `budget` units (PREEMPT_BUDGET by default), and start
 * counting afresh, so a test can stop an operation at every unit of work. */
void preempt_set_budget(uint32_t budget);
