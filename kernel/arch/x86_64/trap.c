/*
 * Trap dispatch. From user mode: system calls, faults (turned into an arch-neutral report
 * for the core) and interrupts. From kernel mode: an interrupt while idle is handed to the
 * core; anything else is a kernel bug, reported in full before the kernel stops.
 */
#include "arch.h"
#include "cpu.h"

#include <hal/hal_irq.h>
#include <hal/hal_user.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <a9n/ipc.h>
#include <a9n/message.h>
#include <a9n/operation.h>
#include <stddef.h>

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 floating point",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating point",
    "#VE virtualization",
    "#CP control protection",
    "reserved 22",
    "reserved 23",
    "reserved 24",
    "reserved 25",
    "reserved 26",
    "reserved 27",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved 31",
};

static const char *arch_exception_name(unsigned vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

void trap_dump(const struct trap_frame *tf)
{
    kprintf("a9n: CPU exception %lu (%s) in %s mode\n", tf->vector,
            arch_exception_name((unsigned)tf->vector), (tf->cs & 3) ? "user" : "kernel");
    kprintf("  vector %lu  error 0x%016lx  rip 0x%016lx\n", tf->vector, tf->error, tf->rip);
    kprintf("  cr2 0x%016lx  cs 0x%lx  ss 0x%lx  rflags 0x%016lx  rsp 0x%016lx\n", read_cr2(),
            tf->cs, tf->ss, tf->rflags, tf->rsp);
    kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx  rdx 0x%016lx\n", tf->rax, tf->rbx, tf->rcx,
            tf->rdx);
    kprintf("  rsi 0x%016lx  rdi 0x%016lx  rbp 0x%016lx  r8  0x%016lx\n", tf->rsi, tf->rdi, tf->rbp,
            tf->r8);
    kprintf("  r9  0x%016lx  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", tf->r9, tf->r10, tf->r11,
            tf->r12);
    kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx  cr3 0x%016lx\n", tf->r13, tf->r14, tf->r15,
            read_cr3());
}

static struct hal_user_context *context_of(struct trap_frame *tf)
{
    return (struct hal_user_context *)((char *)tf - offsetof(struct hal_user_context, frame));
}

/* Interrupt vectors to HAL IRQ numbers (-1: not an IRQ the core hears about). */
static int irq_of(uint64_t vector)
{
    if (vector == VECTOR_TIMER) {
        lapic_timer_tick();
        return HAL_IRQ_TIMER;
    }
    if (vector >= VECTOR_IRQ_BASE && vector < VECTOR_IRQ_BASE + HAL_IRQ_LINES)
        return (int)(vector - VECTOR_IRQ_BASE);
    return -1;
}

static void fault_describe(const struct trap_frame *tf, struct hal_fault *f)
{
    f->vector = (unsigned)tf->vector;
    f->code = tf->error;
    f->address = tf->rip;
    f->flags = 0;
    switch (tf->vector) {
    case 0:
        f->kind = HAL_FAULT_DIVIDE;
        break;
    case 1:
    case 3:
        f->kind = HAL_FAULT_DEBUG;
        break;
    case 6:
        f->kind = HAL_FAULT_INVALID_OPCODE;
        break;
    case 13:
        f->kind = HAL_FAULT_GENERAL;
        break;
    case 14:
        f->kind = HAL_FAULT_PAGE;
        f->address = read_cr2();
        f->flags = ((tf->error & 1) ? HAL_FAULT_PRESENT : 0) |
                   ((tf->error & 2) ? HAL_FAULT_WRITE : 0) |
                   ((tf->error & 16) ? HAL_FAULT_EXEC : 0);
        break;
    case 16:
    case 19:
        f->kind = HAL_FAULT_FPU;
        break;
    case 17:
        f->kind = HAL_FAULT_ALIGNMENT;
        break;
    default:
        f->kind = HAL_FAULT_OTHER;
        break;
    }
}

_Noreturn void arch_trap_user(struct trap_frame *tf);
void arch_trap_kernel(struct trap_frame *tf);

_Noreturn void arch_trap_user(struct trap_frame *tf)
{
    struct hal_user_context *ctx = context_of(tf);
    if (tf->vector < 32) {
        struct hal_fault fault;
        fault_describe(tf, &fault);
        if (fault.kind == HAL_FAULT_PAGE)
            ctx->cr2 = fault.address;
        kernel_user_fault(ctx, &fault);
    }
    int irq = irq_of(tf->vector);
    if (irq >= 0 && irq < HAL_IRQ_LINES)
        hal_irq_mask((unsigned)irq); /* until the driver acknowledges it */
    if (tf->vector != VECTOR_SPURIOUS)
        lapic_eoi();
    if (irq < 0)
        hal_context_resume(ctx); /* spurious or unused vector: nothing happened */
    kernel_user_interrupt(ctx, (unsigned)irq);
}

void arch_trap_kernel(struct trap_frame *tf)
{
    if (tf->vector >= 32) {
        int irq = irq_of(tf->vector);
        if (irq >= 0 && irq < HAL_IRQ_LINES)
            hal_irq_mask((unsigned)irq);
        if (tf->vector != VECTOR_SPURIOUS)
            lapic_eoi();
        if (irq >= 0)
            kernel_idle_interrupt((unsigned)irq);
        return;
    }
    trap_dump(tf);
    panic("unhandled CPU exception %lu in kernel mode", tf->vector);
}

/* `syscall` enters kernel_syscall straight from isr.asm (no C glue on the hottest path): the
 * entry code in isr.asm computes the context from the frame, with this offset (its
 * CONTEXT_FRAME). */
_Static_assert(offsetof(struct hal_user_context, frame) == 0x210,
               "isr.asm's CONTEXT_FRAME is where the frame sits in its context");
_Static_assert(offsetof(struct hal_user_context, frame) + sizeof(struct hal_frame) ==
                   0x210 + 22 * 8,
               "isr.asm's CONTEXT_END: TSS.rsp0 (the frame's end) minus the context");
/* isr.asm filters the IPC fast path's candidates itself (core/ipc.h), with these numbers. */
_Static_assert(A9N_SYSCALL_CAPABILITY_CALL == -1 && A9N_IPC_PORT_CALL == 3 &&
                   A9N_IPC_PORT_REPLY_RECEIVE == 5 &&
                   A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST == 5 &&
                   ((1ull << A9N_IPC_CAPS_SHIFT) | A9N_IPC_LENGTH_MASK) == 0x1ff,
               "isr.asm's fast-path filter uses the ABI's numbers");
_Static_assert(offsetof(struct hal_frame, mr[1]) == 8 && offsetof(struct hal_frame, mr[3]) == 24,
               "MR1 is rdx and MR3 r9, pushed so (isr.asm)");
/* The light path stores into the frame by slot (isr.asm: F_*, slot i at i * 8). */
_Static_assert(
    sizeof(struct hal_frame) == 22 * 8 && offsetof(struct hal_frame, rdi) == 9 * 8 &&
        offsetof(struct hal_frame, rax) == 10 * 8 && offsetof(struct hal_frame, rbx) == 11 * 8 &&
        offsetof(struct hal_frame, rcx) == 12 * 8 && offsetof(struct hal_frame, rbp) == 13 * 8 &&
        offsetof(struct hal_frame, r11) == 14 * 8 && offsetof(struct hal_frame, vector) == 15 * 8 &&
        offsetof(struct hal_frame, error) == 16 * 8 && offsetof(struct hal_frame, rip) == 17 * 8 &&
        offsetof(struct hal_frame, cs) == 18 * 8 && offsetof(struct hal_frame, rflags) == 19 * 8 &&
        offsetof(struct hal_frame, rsp) == 20 * 8 && offsetof(struct hal_frame, ss) == 21 * 8,
    "isr.asm's F_* offsets are the frame's slots");
