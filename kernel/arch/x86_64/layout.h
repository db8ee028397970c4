/* Where things live in the x86_64 kernel's virtual address space. Shared by C and NASM
 * (NASM reads it through %include-friendly defines only: keep it to plain #defines). */
#pragma once

/* The kernel image is linked at -2 GiB (so -mcmodel=kernel can use 32-bit addresses). */
#define KERNEL_VMA       0xFFFFFFFF80000000
/* All of physical memory is mapped here (first half-slot of the upper canonical half). */
#define DIRECT_MAP_BASE  0xFFFF800000000000
/* Physical address the kernel image is loaded at by GRUB. */
#define KERNEL_LOAD_PHYS 0x100000
/* User addresses are the lower canonical half, minus its last page (so that no user
 * mapping touches the non-canonical hole and sysret/iret edge cases cannot arise). */
#define USER_TOP         0x00007FFFFFFFF000

/* User segment selectors with RPL 3 (gdt.c: user data 0x18, user code 0x20). */
#define USER_DATA_SELECTOR (0x18 | 3)
#define USER_CODE_SELECTOR (0x20 | 3)
