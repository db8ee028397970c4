/*
 * The rest of the host's stand-in machine: what the core reaches of the CPU beyond memory.
 * There is no CPU state to load here: page-table roots are remembered, not activated;
 * port I/O goes to a small array of fake ports. Entering user mode, idling and the timer
 * belong to the scheduler's kernel entries, which no unit test reaches (they test
 * capability calls): reaching one aborts the test.
 */
#include "fakehal.h"

#include <hal/hal_io.h>
#include <hal/hal_irq.h>
#include <hal/hal_user.h>
#include <hal/hal_vspace.h>
#include <kernel/panic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

paddr_t vspace_hw_active(void);
void vspace_hw_load(paddr_t root);
void vspace_hw_flush_page(uint64_t va);
paddr_t vspace_hw_kernel_root(void);

static paddr_t active_root;
uint32_t fakearch_ports[0x10000];

paddr_t vspace_hw_active(void)
{
    return active_root;
}

void vspace_hw_load(paddr_t root)
{
    active_root = root;
}

void vspace_hw_flush_page(uint64_t va) {}

/* arch/x86_64/paging.c's, which the host does not build: the scheduler's CR3 load. */
void hal_vspace_load(paddr_t root)
{
    vspace_hw_load(root);
}

paddr_t vspace_hw_kernel_root(void)
{
    /* Any arena page will do: a new Address Space copies its upper half, which nothing on
     * the host ever walks (user addresses are all in the lower half). */
    return FAKEHAL_BASE;
}

uint32_t hal_io_read(uint16_t port, unsigned width)
{
    return fakearch_ports[port];
}

void hal_io_write(uint16_t port, unsigned width, uint32_t value)
{
    fakearch_ports[port] = value;
}

static _Noreturn void unreachable(const char *what)
{
    fprintf(stderr, "fakearch: %s is not reachable from a capability call\n", what);
    abort();
}

void hal_context_tls_changed(struct hal_user_context *ctx) {}

void hal_context_switch(struct hal_user_context *next)
{
    unreachable("hal_context_switch");
}

void hal_context_switch_from(struct hal_user_context *prev, struct hal_user_context *next)
{
    unreachable("hal_context_switch_from");
}

/* No context is ever loaded on the host: destroying a process forgets nothing. */
struct hal_user_context *hal_context_loaded(void)
{
    return NULL;
}

void hal_context_forget(struct hal_user_context *ctx) {}

_Noreturn void hal_context_resume(struct hal_user_context *ctx)
{
    unreachable("hal_context_resume");
}

void hal_idle(void)
{
    unreachable("hal_idle");
}

void hal_timer_start(uint32_t period_us)
{
    unreachable("hal_timer_start");
}

uint64_t hal_timer_ticks_per_us(void)
{
    return 0;
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fakearch: panic: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* Interrupt lines: all 24 exist; masking is remembered so tests can look. */
bool fakearch_irq_masked[HAL_IRQ_LINES];

bool hal_irq_valid(unsigned line)
{
    return line < HAL_IRQ_LINES;
}

void hal_irq_mask(unsigned line)
{
    if (line < HAL_IRQ_LINES)
        fakearch_irq_masked[line] = true;
}

void hal_irq_unmask(unsigned line)
{
    if (line < HAL_IRQ_LINES)
        fakearch_irq_masked[line] = false;
}

/* Interrupts for preemption points: with fakearch_preempt_every = k > 0, every k-th
 * question finds an interrupt pending (0: never, the default). The tests count the
 * questions and the yeses. */
unsigned fakearch_preempt_every;
unsigned long fakearch_preempt_asked;
unsigned long fakearch_preempt_fired;
void (*fakearch_on_question)(void);

bool hal_interrupt_pending(void)
{
    if (fakearch_on_question != NULL)
        fakearch_on_question();
    fakearch_preempt_asked++;
    if (fakearch_preempt_every == 0 || fakearch_preempt_asked % fakearch_preempt_every != 0)
        return false;
    fakearch_preempt_fired++;
    return true;
}
