/* Trap dispatch. For now every CPU exception is a kernel exception: it is reported with
 * everything needed to find the fault, then the kernel stops with the failure verdict.
 * (User-mode faults become messages to the faulting process's resolver: issue 4.) */
#include "arch.h"
#include "cpu.h"

#include <kernel/kprintf.h>
#include <kernel/panic.h>

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

void trap_dump(const struct trap_frame *tf)
{
    const char *name = tf->vector < 32 ? exception_names[tf->vector] : "interrupt";
    kprintf("a9n: CPU exception %lu (%s) in %s mode\n", tf->vector, name,
            (tf->cs & 3) ? "user" : "kernel");
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

void arch_trap(struct trap_frame *tf)
{
    trap_dump(tf);
    panic("unhandled CPU exception %lu in kernel mode", tf->vector);
}
