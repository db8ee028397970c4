/*
 * The HAL for device interrupts. Lines are numbered 0..HAL_IRQ_LINES-1: the ISA IRQ
 * numbers first (so COM1 is line 4 on a PC), then the interrupt controller's other inputs.
 * When a line's interrupt arrives, the HAL masks the line and reports it to the core
 * (kernel_user_interrupt / kernel_idle_interrupt); it stays masked until unmasked here.
 */
#pragma once

#include <hal/hal_user.h>

/* Whether the line exists on this machine. */
bool hal_irq_valid(unsigned line);
void hal_irq_mask(unsigned line);
void hal_irq_unmask(unsigned line);

/*
 * Whether an interrupt (a device line or the timer) waits to be taken. The kernel runs with
 * interrupts off; long operations ask this at their preemption points (core/preempt.h) and
 * stop if so. Cheap (x86_64: one read of the local APIC's request register) and without
 * side effects: the interrupt stays pending and is taken on the way back to user mode.
 */
bool hal_interrupt_pending(void);
