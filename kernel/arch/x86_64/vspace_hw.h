/* The CPU side of address spaces, kept apart so vspace.c is pure table logic. */
#pragma once

#include <hal/hal.h>

/* The physical address of the active root table. */
paddr_t vspace_hw_active(void);
/* Makes `root` the active root table (and flushes all non-global TLB entries). */
void vspace_hw_load(paddr_t root);
/* Flushes the TLB entry of one page. */
void vspace_hw_flush_page(uint64_t va);
/* The kernel's own root table, whose upper half every address space shares. */
paddr_t vspace_hw_kernel_root(void);
