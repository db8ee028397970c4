/* The IDT: CPU exceptions go to the stubs in isr.asm. Traps that may arrive on a broken
 * stack (double fault, NMI, machine check) switch to their own IST stack. */
#include "arch.h"

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};

struct __attribute__((packed)) idt_pointer {
    uint16_t limit;
    uint64_t base;
};

enum {
    GATE_INTERRUPT_DPL0 = 0x8E,
    GATE_INTERRUPT_DPL3 = 0xEE, /* user code may raise it with INT n */
    VECTOR_BREAKPOINT = 3,
};

extern const uint64_t trap_stub_table[256];
static struct idt_gate idt[256];

static void idt_set(int vector, uint64_t handler, uint8_t ist)
{
    /* Only the breakpoint may be raised from user mode (int3, for debuggers); any other
     * INT n from user mode is a general protection fault. */
    idt[vector] = (struct idt_gate){
        .offset_low = handler & 0xFFFF,
        .selector = SEL_KERNEL_CODE,
        .ist = ist,
        .type_attr = vector == VECTOR_BREAKPOINT ? GATE_INTERRUPT_DPL3 : GATE_INTERRUPT_DPL0,
        .offset_mid = (handler >> 16) & 0xFFFF,
        .offset_high = handler >> 32,
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint8_t ist = 0;
        if (v == 2)
            ist = IST_NMI;
        else if (v == 8)
            ist = IST_DOUBLE_FAULT;
        else if (v == 18)
            ist = IST_MACHINE_CHECK;
        idt_set(v, trap_stub_table[v], ist);
    }
    struct idt_pointer ptr = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}
