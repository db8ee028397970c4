/*
 * The HAL for user mode: user contexts, entering and leaving user mode, FPU state, the
 * user part of address spaces, and the timer. The arch layer defines struct
 * hal_user_context in <arch/context.h> (the host tests bring their own).
 */
#pragma once

#include <a9n/limits.h>
#include <arch/context.h>
#include <hal/hal.h>

/* ---- Contexts ---- */

/* A fresh user context: user segments, interrupts on, clean FPU state, all else zero. */
void hal_context_init(struct hal_user_context *ctx);

/*
 * Architecture-neutral register numbers for read/write register operations and fault
 * reports. HAL_REG_IP and HAL_REG_SP must stay canonical user addresses: setting them to
 * anything else fails.
 */
enum hal_reg {
    HAL_REG_IP,
    HAL_REG_SP,
    HAL_REG_FLAGS,
    HAL_REG_TLS_BASE,
    HAL_REG_GP0, /* first general register; x86_64: rax rbx rcx rdx rsi rdi rbp r8..r15 */
    HAL_REG_COUNT = HAL_REG_GP0 + 15,
};

uint64_t hal_context_get(const struct hal_user_context *ctx, unsigned reg);
/* Returns false (and changes nothing) for a bad register or a value user mode must not
 * have (a kernel or non-canonical address in IP/SP/TLS base). Flags are filtered: only the
 * arithmetic flags, DF and AC can be set. */
bool hal_context_set(struct hal_user_context *ctx, unsigned reg, uint64_t value);

/* The system call registers (see the ABI header for which CPU register is which). */
uint64_t hal_syscall_type(const struct hal_user_context *ctx);
uint64_t hal_syscall_mr(const struct hal_user_context *ctx, unsigned i);
void hal_syscall_set_mr(struct hal_user_context *ctx, unsigned i, uint64_t value);
/* Winds the context back onto the system-call instruction that entered the kernel, so that
 * resuming it makes the same call again with the same registers (a preempted call, see
 * core/preempt.h). Only for a context that entered by a system call. */
void hal_syscall_restart(struct hal_user_context *ctx);
enum { HAL_SYSCALL_MR_COUNT = 9 };
/* The arch also gives them as one array, for copying in bulk on hot paths:
 *   uint64_t *hal_context_mrs(struct hal_user_context *ctx);   (static inline, arch/context.h) */

/* Makes `next` the context the CPU enters the kernel into and resumes: FPU and TLS base
 * switch, and the context loaded before (if any, and if another) keeps its state. */
void hal_context_switch(struct hal_user_context *next);
/* The same when the caller knows the loaded context: `prev`, not NULL and not `next` (the
 * IPC fast path: the caller that entered the kernel, and its partner). No test. */
void hal_context_switch_from(struct hal_user_context *prev, struct hal_user_context *next);
/* The context the CPU holds the state of (NULL: none). */
struct hal_user_context *hal_context_loaded(void);
/* `ctx` is going away: if the CPU holds its state, it holds nobody's now (nothing is saved
 * into it any more). */
void hal_context_forget(struct hal_user_context *ctx);

/* The TLS base of `ctx` changed: if its state is the one loaded in the CPU, load it now. */
void hal_context_tls_changed(struct hal_user_context *ctx);

/* Enters user mode with `ctx` (the current context). Never returns; the next entry to the
 * kernel starts on a fresh kernel stack. */
_Noreturn void hal_context_resume(struct hal_user_context *ctx);

/* Waits for an interrupt with no process to run; returns after one was handled. */
void hal_idle(void);

/* ---- Traps into the kernel: the arch layer calls these core functions ---- */

enum hal_fault_kind {
    HAL_FAULT_PAGE,    /* address in fault_address, access in flags */
    HAL_FAULT_GENERAL, /* general protection, incl. privileged instructions */
    HAL_FAULT_INVALID_OPCODE,
    HAL_FAULT_DIVIDE,
    HAL_FAULT_DEBUG, /* breakpoint, single step */
    HAL_FAULT_FPU,   /* x87 or SIMD floating point exception */
    HAL_FAULT_ALIGNMENT,
    HAL_FAULT_OTHER,
};

enum hal_fault_flags {
    HAL_FAULT_WRITE = 1 << 0,
    HAL_FAULT_EXEC = 1 << 1,
    HAL_FAULT_PRESENT = 1 << 2, /* the page was mapped: a rights violation */
};

struct hal_fault {
    enum hal_fault_kind kind;
    unsigned vector; /* the arch's own number, for reports */
    uint64_t code;   /* the arch's error code */
    uint64_t address;
    unsigned flags;
};

/* A system call from the current context. Must end in hal_context_resume. */
_Noreturn void kernel_syscall(struct hal_user_context *ctx);
/* For a capability call that may take the IPC fast path: the HAL calls one of these first
 * exactly when the operation is CALL or REPLY_RECEIVE and MR3 carries a length and at most
 * one capability (core/ipc.h: ipc_fastpath_candidate): kernel_syscall_fast_call or
 * kernel_syscall_fast_reply_receive (by the operation) when MR3 is at most the register
 * words (5), kernel_syscall_fast_extras when it is more (words in the IPC buffers, or a
 * capability). Each resumes a context itself; the first two return with nothing changed
 * when the call is not for the fast path, and the HAL then calls kernel_syscall(ctx). */
void kernel_syscall_fast_call(struct hal_user_context *ctx);
void kernel_syscall_fast_reply_receive(struct hal_user_context *ctx);
_Noreturn void kernel_syscall_fast_extras(struct hal_user_context *ctx);
/*
 * The light entry, for a capability call that is not a fast-path candidate (an arch may
 * also send every call to kernel_syscall). The HAL has saved only MR0..MR4
 * (HAL_LIGHT_MR_COUNT) of the frame, and whatever else the C code may clobber; the rest of
 * the frame is stale. Returns 0 when the call is complete: the HAL resumes the caller
 * straight away, restoring what it saved (MR0..MR4 as the kernel left them). Otherwise the
 * HAL saves the whole frame and calls kernel_syscall_general with the value returned.
 */
enum { HAL_LIGHT_MR_COUNT = 5 };
uintptr_t kernel_syscall_light(struct hal_user_context *ctx);
_Noreturn void kernel_syscall_general(struct hal_user_context *ctx, uintptr_t light);
/* A fault in user mode. Must end in hal_context_resume. */
_Noreturn void kernel_user_fault(struct hal_user_context *ctx, const struct hal_fault *fault);
/* An interrupt that arrived while a user context ran. Must end in hal_context_resume. */
_Noreturn void kernel_user_interrupt(struct hal_user_context *ctx, unsigned irq);
/* An interrupt that arrived while the kernel was idle: record it and return. */
void kernel_idle_interrupt(unsigned irq);

/* IRQ numbers the HAL reports: device lines 0..HAL_IRQ_LINES-1, then the timer. The count is
 * the one capgen checks declared lines against. */
enum {
    HAL_IRQ_LINES = A9N_LIMIT_IRQ_LINES,
    HAL_IRQ_TIMER = HAL_IRQ_LINES,
};

/* ---- Timer ---- */

/* Finishes the timer's calibration if the HAL left it running in the background (x86_64:
 * the PIT window opened at boot); hal_timer_start calls it first. */
void hal_timer_calibrate(void);
/* Starts the periodic preemption timer (after calibration); period in microseconds. */
void hal_timer_start(uint32_t period_us);
/* The timer's rate now (its ticks per millisecond); *pending: a short calibration window
 * waits for the first tick to be measured again (x86_64: the PIT window). */
uint64_t hal_timer_rate(bool *pending);
/* Opens the calibration window again: the next hal_timer_start calibrates anew (the
 * self-test of a start on a short window). */
void hal_timer_measure_again(void);
/* Ticks of the timer's time base per microsecond, as calibrated at boot (0 if unknown). */
uint64_t hal_timer_ticks_per_us(void);
