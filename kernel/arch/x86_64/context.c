/* User contexts on x86_64: creating them, their registers, switching and resuming. */
#include "arch.h"
#include "cpu.h"
#include "layout.h"

#include <hal/hal_user.h>
#include <string.h>

enum {
    RFLAGS_IF = 1 << 9,
    RFLAGS_RESERVED1 = 1 << 1,
    /* What user code may set: CF PF AF ZF SF TF? no: TF would single-step into the kernel's
     * view of things; allowed are CF, PF, AF, ZF, SF, DF, OF and AC. */
    RFLAGS_USER_MASK = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x40000,
    MXCSR_DEFAULT = 0x1F80,
    FCW_DEFAULT = 0x037F,
};

/* The FPU state every process starts from, captured once with interrupts off at boot. */
static _Alignas(16) uint8_t fpu_initial[512];

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

void hal_context_init(struct hal_user_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    memcpy(ctx->fpu, fpu_initial, sizeof ctx->fpu);
    ctx->frame.cs = SEL_USER_CODE | 3;
    ctx->frame.ss = SEL_USER_DATA | 3;
    ctx->frame.rflags = RFLAGS_IF | RFLAGS_RESERVED1;
}

static uint64_t *gpr(struct hal_user_context *ctx, unsigned i)
{
    struct hal_frame *f = &ctx->frame;
    uint64_t *regs[15] = {&f->rax, &f->rbx, &f->rcx, &f->rdx, &f->rsi, &f->rdi, &f->rbp, &f->r8,
                          &f->r9,  &f->r10, &f->r11, &f->r12, &f->r13, &f->r14, &f->r15};
    return regs[i];
}

static bool user_address(uint64_t va)
{
    return va < USER_TOP;
}

uint64_t hal_context_get(const struct hal_user_context *ctx, unsigned reg)
{
    switch (reg) {
    case HAL_REG_IP:
        return ctx->frame.rip;
    case HAL_REG_SP:
        return ctx->frame.rsp;
    case HAL_REG_FLAGS:
        return ctx->frame.rflags;
    case HAL_REG_TLS_BASE:
        return ctx->fs_base;
    default:
        if (reg >= HAL_REG_GP0 && reg < HAL_REG_COUNT)
            return *gpr((struct hal_user_context *)ctx, reg - HAL_REG_GP0);
        return 0;
    }
}

bool hal_context_set(struct hal_user_context *ctx, unsigned reg, uint64_t value)
{
    switch (reg) {
    case HAL_REG_IP:
    case HAL_REG_SP:
    case HAL_REG_TLS_BASE:
        /* iretq to a non-canonical RIP faults in ring 0, and kernel addresses are never a
         * process's business: refuse both here, once. */
        if (!user_address(value))
            return false;
        if (reg == HAL_REG_IP)
            ctx->frame.rip = value;
        else if (reg == HAL_REG_SP)
            ctx->frame.rsp = value;
        else
            ctx->fs_base = value;
        return true;
    case HAL_REG_FLAGS:
        ctx->frame.rflags = (value & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_RESERVED1;
        return true;
    default:
        if (reg >= HAL_REG_GP0 && reg < HAL_REG_COUNT) {
            *gpr(ctx, reg - HAL_REG_GP0) = value;
            return true;
        }
        return false;
    }
}

/* System call registers: the type in RDI, message registers in RSI, RDX, R8, R9, R10, R12,
 * R13, R14, R15 (RCX and R11 belong to the syscall instruction). */
uint64_t hal_syscall_type(const struct hal_user_context *ctx)
{
    return ctx->frame.rdi;
}

static uint64_t *mr_slot(struct hal_user_context *ctx, unsigned i)
{
    struct hal_frame *f = &ctx->frame;
    uint64_t *mrs[HAL_SYSCALL_MR_COUNT] = {&f->rsi, &f->rdx, &f->r8,  &f->r9, &f->r10,
                                           &f->r12, &f->r13, &f->r14, &f->r15};
    return mrs[i];
}

uint64_t hal_syscall_mr(const struct hal_user_context *ctx, unsigned i)
{
    return i < HAL_SYSCALL_MR_COUNT ? *mr_slot((struct hal_user_context *)ctx, i) : 0;
}

void hal_syscall_set_mr(struct hal_user_context *ctx, unsigned i, uint64_t value)
{
    if (i < HAL_SYSCALL_MR_COUNT)
        *mr_slot(ctx, i) = value;
}

extern uint64_t arch_context_top;

void hal_context_switch(struct hal_user_context *prev, struct hal_user_context *next)
{
    if (prev == next)
        return;
    if (prev != NULL) {
        __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
        prev->fs_base = rdmsr(MSR_FS_BASE);
    }
    __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu));
    wrmsr(MSR_FS_BASE, next->fs_base);
    uint64_t top = (uint64_t)(&next->frame + 1);
    arch_context_top = top;
    tss_set_rsp0(top);
}

extern _Noreturn void hal_context_resume_frame(struct hal_frame *frame);

_Noreturn void hal_context_resume(struct hal_user_context *ctx)
{
    hal_context_resume_frame(&ctx->frame);
}

void hal_idle(void)
{
    /* Interrupts are on only here: the kernel itself is never interrupted. */
    __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
}
