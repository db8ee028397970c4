/*
 * The hardware abstraction layer: the only door from A9N's arch-independent code to the
 * machine. kernel/arch/<arch>/ implements it for real hardware; the host unit tests
 * implement it over plain memory (test/unit/fakehal/).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;

/* The verdict a kernel leaves the machine with (QEMU: isa-debug-exit's status). */
enum hal_verdict {
    HAL_VERDICT_SUCCESS,
    HAL_VERDICT_FAILURE,
};

/* Console output: bytes go out as given; "\n" becomes a line break the terminal shows. */
void hal_console_write(const char *s, size_t len);

/* Leaves the machine with a verdict; on hardware without an exit device, halts forever. */
_Noreturn void hal_exit(enum hal_verdict verdict);

/* Physical memory is reached through the kernel's direct map. */
void *hal_phys_to_virt(paddr_t pa);
paddr_t hal_virt_to_phys(const void *va);
