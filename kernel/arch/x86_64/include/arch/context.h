/*
 * The x86_64 user context: what A9N keeps of a process's CPU state. It lives inside the
 * process object. The register frame sits where the CPU and the entry stubs save a trapping
 * process's registers directly (TSS.rsp0 points just past it), so entering the kernel costs
 * no copy; its layout is exactly the stubs' push order.
 */
#pragma once

#include <stdint.h>

struct hal_frame {
    /* The message registers first and in order (MR0..MR8 = rsi rdx r8 r9 r10 r12 r13 r14
     * r15), so a system call reads and writes them as one array. */
    uint64_t mr[9];
    uint64_t rdi, rax, rbx, rcx, rbp, r11;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

struct hal_user_context {
    /* FXSAVE image: x87, MMX and SSE state (512 bytes, 16-byte aligned). */
    _Alignas(16) uint8_t fpu[512];
    uint64_t fs_base; /* the TLS base */
    uint64_t cr2;     /* the faulting address of the last page fault */
    /* The frame ends 16-byte aligned, as the CPU requires of TSS.rsp0. */
    _Alignas(16) struct hal_frame frame;
};

_Static_assert(sizeof(struct hal_frame) % 16 == 0, "the frame must keep rsp0 16-byte aligned");

/* The message registers MR0..MR8 of a context, as one array (see hal_user.h). */
static inline uint64_t *hal_context_mrs(struct hal_user_context *ctx)
{
    return ctx->frame.mr;
}
_Static_assert(sizeof(struct hal_user_context) % 16 == 0, "context size");
