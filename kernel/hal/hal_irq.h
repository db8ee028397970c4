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
