/* GDT and TSS. Long mode ignores segment bases and limits; the GDT exists for the privilege
 * levels and the TSS for the ring-0 stack and the interrupt stack table. */
#include "arch.h"

#include <stddef.h>
#include <string.h>

struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

struct __attribute__((packed)) descriptor_pointer {
    uint16_t limit;
    uint64_t base;
};

enum { IST_STACK_SIZE = 8192 };

static uint64_t gdt[7];
/* Global: syscall_entry (isr.asm) reads rsp0 from it (offset 4, asserted below). */
struct tss arch_tss;
_Static_assert(offsetof(struct tss, rsp) == 4, "isr.asm: TSS_RSP0");
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[SEL_KERNEL_CODE / 8] = 0x00AF9A000000FFFFull; /* present, DPL0, code, long */
    gdt[SEL_KERNEL_DATA / 8] = 0x00CF92000000FFFFull; /* present, DPL0, data */
    gdt[SEL_USER_DATA / 8] = 0x00CFF2000000FFFFull;   /* present, DPL3, data */
    gdt[SEL_USER_CODE / 8] = 0x00AFFA000000FFFFull;   /* present, DPL3, code, long */

    memset(&arch_tss, 0, sizeof arch_tss);
    for (int i = 0; i < 3; i++)
        arch_tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    arch_tss.iomap_base = sizeof arch_tss; /* no IO bitmap: ring 3 has no direct port access */

    uint64_t base = (uint64_t)&arch_tss;
    uint64_t limit = sizeof arch_tss - 1;
    gdt[SEL_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
                       (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[SEL_TSS / 8 + 1] = base >> 32;

    struct descriptor_pointer ptr = {sizeof gdt - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     "ltr %w3\n\t"
                     :
                     : "m"(ptr), "i"(SEL_KERNEL_CODE), "r"(SEL_KERNEL_DATA), "r"(SEL_TSS)
                     : "rax", "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
    arch_tss.rsp[0] = rsp0;
}
