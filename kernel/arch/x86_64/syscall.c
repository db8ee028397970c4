/* The syscall instruction: where it enters, which segments it loads, which flags it clears. */
#include "arch.h"
#include "cpu.h"

extern char syscall_entry[];

enum {
    EFER_SCE = 1 << 0,
    RFLAGS_TF = 1 << 8,
    RFLAGS_IF = 1 << 9,
    RFLAGS_DF = 1 << 10,
    RFLAGS_NT = 1 << 14,
    RFLAGS_AC = 1 << 18,
};

void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* syscall loads CS = 0x08, SS = 0x10; sysret would load SS = 0x18|3, CS = 0x20|3. */
    wrmsr(MSR_STAR, ((uint64_t)SEL_KERNEL_DATA << 48) | ((uint64_t)SEL_KERNEL_CODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* The kernel runs with interrupts off, never single-stepped, with DF and AC clear. */
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
}
