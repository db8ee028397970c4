/*
 * The first process. At boot the kernel turns the first boot module (an ELF executable)
 * into a running process that holds every capability there is (a9n/boot.h): its own root
 * Node, Process, Address Space, IPC buffer and boot info frames, the Interrupt Region, the
 * whole IO Port range, Debug, every free byte of RAM as Generics, the frames of its image
 * and stack, and its page tables.
 */
#pragma once

#include <kernel/bootinfo.h>

/* Virtual addresses in the first process (besides its ELF image). */
#define ROOT_BOOT_INFO_ADDRESS  0x00007FFFFFE00000ull
#define ROOT_IPC_BUFFER_ADDRESS 0x00007FFFFFE01000ull
#define ROOT_STACK_BOTTOM       0x00007FFFFFE10000ull
#define ROOT_STACK_PAGES        32
#define ROOT_PRIORITY           255

/* Builds the first process from `boot` (its first module) and makes it ready; panics with
 * the reason if that is impossible (no module, a bad ELF, not enough memory). */
void root_create(const struct boot_info *boot);
