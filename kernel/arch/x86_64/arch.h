/* Internal interface between the x86_64 arch files (not visible to the core). */
#pragma once

#include <stdint.h>

struct boot_info;

/* What the CPU and the entry stub leave on the stack for every trap (see isr.asm). */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

void serial_init(void);
void gdt_init(void);
void idt_init(void);
void pic_disable(void);
void paging_init(const struct boot_info *boot);
/* The kernel's own page-table root: active whenever no user Address Space is. */
extern uint64_t paging_kernel_root_phys;
void trap_dump(const struct trap_frame *tf);
void tss_set_rsp0(uint64_t rsp0);
void fpu_init(void);
void syscall_init(void);
void lapic_init(void);
void ioapic_init(const struct boot_info *boot);
void lapic_eoi(void);
/* At each timer interrupt: finishes a calibration the timer started before (lapic.c). */
void lapic_timer_tick(void);

/* Vectors: 0-31 exceptions, then the IOAPIC lines, the LAPIC timer, spurious. */
enum {
    VECTOR_IRQ_BASE = 32,
    VECTOR_TIMER = 32 + 24,
    VECTOR_SPURIOUS = 0xFF,
    VECTOR_SYSCALL = 0x100, /* not a vector: marks a frame saved by syscall_entry */
};

/* Segment selectors (gdt.c); the order is what syscall/sysret require. */
enum {
    SEL_KERNEL_CODE = 0x08,
    SEL_KERNEL_DATA = 0x10,
    SEL_USER_DATA = 0x18,
    SEL_USER_CODE = 0x20,
    SEL_TSS = 0x28,
};

/* Interrupt stack table slots for traps that must not trust the current stack. */
enum {
    IST_DOUBLE_FAULT = 1,
    IST_NMI = 2,
    IST_MACHINE_CHECK = 3,
};
