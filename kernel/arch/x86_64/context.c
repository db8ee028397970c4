/* User contexts on x86_64: creating them and their registers. Pure data handling (the host
 * unit tests build this file too); loading them into the CPU is switch.c. */
#include "layout.h"

#include <arch/context.h>

#include <hal/hal_user.h>
#include <string.h>

_Static_assert(USER_TOP <= (1ull << 47) - 4096,
               "user addresses end a page below the canonical hole: rip is always canonical "
               "for sysretq (isr.asm)");

enum {
    RFLAGS_IF = 1 << 9,
    RFLAGS_RESERVED1 = 1 << 1,
    /* What user code may set: CF PF AF ZF SF TF? no: TF would single-step into the kernel's
     * view of things; allowed are CF, PF, AF, ZF, SF, DF, OF and AC. */
    RFLAGS_USER_MASK = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x40000,
};

/* The FPU state every process starts from (filled by fpu_init at boot; all zero on a host
 * build, where no CPU state is ever loaded). */
_Alignas(16) uint8_t fpu_initial[512];

void hal_context_init(struct hal_user_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    memcpy(ctx->fpu, fpu_initial, sizeof ctx->fpu);
    ctx->frame.cs = USER_CODE_SELECTOR;
    ctx->frame.ss = USER_DATA_SELECTOR;
    ctx->frame.rflags = RFLAGS_IF | RFLAGS_RESERVED1;
}

/* The general registers in the ABI's order (a9n/process.h: rax rbx rcx rdx rsi rdi rbp
 * r8..r15). */
static uint64_t *gpr(struct hal_user_context *ctx, unsigned i)
{
    struct hal_frame *f = &ctx->frame;
    uint64_t *regs[15] = {&f->rax, &f->rbx,   &f->rcx,   &f->mr[1], &f->mr[0],
                          &f->rdi, &f->rbp,   &f->mr[2], &f->mr[3], &f->mr[4],
                          &f->r11, &f->mr[5], &f->mr[6], &f->mr[7], &f->mr[8]};
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

/* Every accepted write clears the frame's syscall mark (vector VECTOR_SYSCALL): registers
 * set from outside must all come back exactly (iretq), not by the syscall shortcut that
 * reloads rcx and r11 from rip and rflags (isr.asm). A refused write changes nothing. */
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
        ctx->frame.vector = 0;
        if (reg == HAL_REG_IP)
            ctx->frame.rip = value;
        else if (reg == HAL_REG_SP)
            ctx->frame.rsp = value;
        else
            ctx->fs_base = value;
        return true;
    case HAL_REG_FLAGS:
        ctx->frame.vector = 0;
        ctx->frame.rflags = (value & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_RESERVED1;
        return true;
    default:
        if (reg >= HAL_REG_GP0 && reg < HAL_REG_COUNT) {
            ctx->frame.vector = 0;
            *gpr(ctx, reg - HAL_REG_GP0) = value;
            return true;
        }
        return false;
    }
}

/* System call registers: the type in RDI, the message registers at the start of the frame
 * (struct hal_frame); RCX and R11 belong to the syscall instruction. */
uint64_t hal_syscall_type(const struct hal_user_context *ctx)
{
    return ctx->frame.rdi;
}

uint64_t hal_syscall_mr(const struct hal_user_context *ctx, unsigned i)
{
    return i < HAL_SYSCALL_MR_COUNT ? ctx->frame.mr[i] : 0;
}

void hal_syscall_set_mr(struct hal_user_context *ctx, unsigned i, uint64_t value)
{
    if (i < HAL_SYSCALL_MR_COUNT)
        ctx->frame.mr[i] = value;
}

void hal_syscall_restart(struct hal_user_context *ctx)
{
    /* `syscall` is the two bytes 0F 05 and saved the address after it. rcx and r11 were
     * clobbered by the instruction itself and will be again: nothing else changed. */
    ctx->frame.rip -= 2;
}
