/* Loading user contexts into the CPU: FPU state, TLS base, the ring-0 stack pointer. */
#include "arch.h"
#include "cpu.h"

#include <hal/hal_user.h>
#include <stddef.h>

enum {
    MXCSR_DEFAULT = 0x1F80,
    FCW_DEFAULT = 0x037F,
};

extern uint8_t fpu_initial[512];

void fpu_init(void)
{
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 &= ~(1ull << 2);              /* EM off: x87 present */
    cr0 |= (1ull << 1) | (1ull << 5); /* MP, NE: native FPU errors */
    cr0 &= ~(1ull << 3);              /* TS off: the kernel switches FPU state eagerly */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    write_cr4(read_cr4() | (1u << 9) | (1u << 10)); /* OSFXSR, OSXMMEXCPT */
    uint32_t mxcsr = MXCSR_DEFAULT;
    uint16_t fcw = FCW_DEFAULT;
    __asm__ volatile("fninit\n\t"
                     "fldcw %0\n\t"
                     "ldmxcsr %1\n\t"
                     "fxsave64 %2"
                     :
                     : "m"(fcw), "m"(mxcsr), "m"(fpu_initial)
                     : "memory");
}

/*
 * User mode may load any user selector into FS and GS (DS and ES too, which long mode
 * ignores). The next process must not find them there: a selector is a register, and it
 * would tell that process what another one did. So they go back to null, but only when one
 * is not null already: reading them costs two instructions, loading a segment more, and
 * almost every process leaves them alone. GS needs nothing else: no descriptor has a base
 * and the kernel never writes MSR_GS_BASE, so its base is 0 whatever user mode loads.
 * FS gets its base written after this (a null load may clear it).
 */
static inline void user_segments_reset(void)
{
    uint32_t fs, gs;
    __asm__ volatile("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs), "=r"(gs));
    if ((fs | gs) == 0)
        return;
    __asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" : : "r"(0u));
}

/* The context whose FPU state and TLS base the CPU holds (and TSS.rsp0 points past). While
 * user code runs it is that code's context: only hal_context_switch* load user state, and
 * hal_context_resume follows them. */
static struct hal_user_context *loaded_context;

/* The FS base the kernel last wrote (all ones until the first write: unknown). User mode
 * can change the CPU's copy, but only to 0 (see below). */
static uint64_t fs_base_written = ~0ull;

static void fs_base_write(uint64_t base)
{
    wrmsr(MSR_FS_BASE, base);
    fs_base_written = base;
}

void hal_context_tls_changed(struct hal_user_context *ctx)
{
    if (ctx == loaded_context)
        fs_base_write(ctx->fs_base);
}

void hal_context_forget(struct hal_user_context *ctx)
{
    if (loaded_context == ctx)
        loaded_context = NULL;
}

struct hal_user_context *hal_context_loaded(void)
{
    return loaded_context;
}

/* Everything of `next` the CPU needs besides its registers; its FPU state is loaded. */
static inline __attribute__((always_inline)) void load_rest(struct hal_user_context *next)
{
    user_segments_reset();
    /* The TLS base is what CONFIGURE and WRITE_REGISTER set (user mode cannot write the MSR:
     * CR4.FSGSBASE stays off), so the context's copy is the truth and is never read back.
     * The CPU's copy is not: `mov %ax, %fs` is unprivileged and reloads the hidden base (from
     * the GDT; a null selector keeps or clears it, depending on the CPU), leaving no trace a
     * cheap test could see. So the incoming base is written even when it equals the one we
     * wrote last. The one exception is 0 over 0: every descriptor user mode can load has
     * base 0 (gdt.c; there is no LDT), so the CPU's base is 0 then whatever user mode did.
     * That keeps the common case (no TLS) at one compare instead of a WRMSR. */
    if ((next->fs_base | fs_base_written) != 0)
        fs_base_write(next->fs_base);
    loaded_context = next;
    /* Interrupts push their frame here, and syscall_entry reads it from the TSS too. */
    tss_set_rsp0((uint64_t)(&next->frame + 1));
}

__attribute__((always_inline)) void hal_context_switch(struct hal_user_context *next)
{
    struct hal_user_context *prev = loaded_context;
    if (prev == next)
        return;
    if (prev != NULL)
        __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
    __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
    load_rest(next);
}

__attribute__((always_inline)) void hal_context_switch_from(struct hal_user_context *prev,
                                                            struct hal_user_context *next)
{
    __asm__ volatile("fxsave64 %0\n\tfxrstor64 %1" : "=m"(prev->fpu) : "m"(next->fpu));
    load_rest(next);
}

/* Always inlined (LTO: a call to a _Noreturn function counts as cold and stayed a call).
 * The frame goes straight into rsp and the exit code is jumped to: no argument register,
 * no return address. */
__attribute__((always_inline)) _Noreturn void hal_context_resume(struct hal_user_context *ctx)
{
    __asm__ volatile("lea %c1(%0), %%rsp\n\t"
                     "jmp hal_context_resume_rsp"
                     :
                     : "r"(ctx), "i"(offsetof(struct hal_user_context, frame))
                     : "memory");
    __builtin_unreachable();
}

void hal_idle(void)
{
    /* Interrupts are on only here: the kernel itself is never interrupted. */
    __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
}
