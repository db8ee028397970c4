/*
 * The host's stand-in for the machine: a "physical memory" arena of 2^FAKEHAL_BITS bytes at
 * physical address FAKEHAL_BASE, reached through hal_phys_to_virt like the kernel's direct
 * map. An address outside the arena aborts the test: the core must never make one up.
 */
#pragma once

#include <hal/hal.h>

#define FAKEHAL_BASE 0x40000000ull
#define FAKEHAL_BITS 24

/* Allocates the arena on first use and fills it with a junk pattern, so a test that relies
 * on memory the core forgot to clear fails. The fuzz target turns the fill off (speed):
 * the core clears what it creates, so stale bytes are as good as junk. */
void fakehal_init(void);
extern bool fakehal_fill_junk;

/* Everything hal_console_write received since fakehal_init. */
const char *fakehal_console(void);

/* The arena itself (for snapshots: a failed call must leave it byte for byte unchanged). */
void *fakehal_arena(void);
#define FAKEHAL_SIZE (1ull << FAKEHAL_BITS)

/* Preemption (fakearch.c): with fakearch_preempt_every = k > 0, every k-th call of
 * hal_interrupt_pending says an interrupt is pending; 0 (the default) never. Counters of
 * the questions asked and answered yes. harness_setup resets all three. */
extern unsigned fakearch_preempt_every;
extern unsigned long fakearch_preempt_asked;
extern unsigned long fakearch_preempt_fired;
/* Called at each question when set (a test's probe of the work done between two). */
extern void (*fakearch_on_question)(void);
