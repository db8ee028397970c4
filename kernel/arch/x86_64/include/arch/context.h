/*
 * The x86_64 user context: what A9N keeps of a process's CPU state. It lives inside the
 * process object. The register frame sits where the CPU and the entry stubs save a trapping
 * process's registers directly (TSS.rsp0 points just past it), so entering the kernel costs
 * no copy; its layout is exactly the stubs' push order.
 */
#pragma once

#include <stdint.h>

struct hal_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
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
_Static_assert(sizeof(struct hal_user_context) % 16 == 0, "context size");
