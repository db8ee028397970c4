/* Running processes and the kernel entries (see run.h). */
#include <core/run.h>

#include <a9n/fault.h>
#include <core/cap_call.h>
#include <core/descriptor.h>
#include <core/interrupt.h>
#include <core/ipc.h>
#include <core/preempt.h>
#include <core/vspace.h>
#include <hal/hal_user.h>
#include <hal/hal_vspace.h>
#include <kernel/kernel.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <stddef.h>
#include <string.h>

static struct process *current;
/* The root table the CPU uses now (physical; 0: none of a process's). */
static paddr_t active_root;

static struct process *process_of_sched(struct sched_entry *e)
{
    return (struct process *)((char *)e - offsetof(struct process, sched));
}

struct process *run_current(void)
{
    return current;
}

void run_make_ready(struct process *p)
{
    p->state = PROCESS_READY;
    if (p != current)
        sched_enqueue(&p->sched);
}

void run_resume(struct process *p)
{
    if (p->state == PROCESS_INACTIVE)
        run_make_ready(p);
}

void run_suspend(struct process *p)
{
    if (p->state == PROCESS_BLOCKED && ipc_cancel(p))
        process_set_result(p, A9N_ERROR_CANCELED); /* seen when it is resumed */
    sched_dequeue(&p->sched);
    p->state = PROCESS_INACTIVE;
    if (p == current)
        current = NULL;
}

void run_set_priority(struct process *p, uint8_t priority)
{
    sched_set_priority(&p->sched, priority);
}

void run_forget(struct process *p)
{
    sched_dequeue(&p->sched);
    if (current == p)
        current = NULL;
    hal_context_forget(&p->context);
}

void run_forget_root(void *root)
{
    if (active_root == hal_virt_to_phys(root))
        active_root = 0;
}

bool run_process_root_check(struct process *p)
{
    const struct cap *as = &p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap;
    if (!asid_names_root(as->data[0], as->object))
        return false;
    p->live_root = as->object;
    p->live_epoch = asid_epoch;
    return true;
}

_Noreturn void run_root_record_broken(const struct process *p)
{
    panic("process 0x%lx: recorded Address Space root 0x%lx is not live (epoch %lu)",
          hal_virt_to_phys(p), p->live_root, p->live_epoch);
}

static bool runnable_root(struct process *p, paddr_t *root)
{
    return p->state == PROCESS_READY && run_process_root(p, root);
}

/* Always inlined: it is small, and as a _Noreturn callee LTO took it for cold and kept a
 * call (a push, a call and the frame) on every way out of the kernel. */
static inline __attribute__((always_inline)) _Noreturn void switch_to(struct process *p,
                                                                      paddr_t root)
{
    if (root != active_root) {
        /* active_root is what the CPU uses (vspace_address_space_release switches away and
         * forgets it): no need to read CR3 back before loading it. */
        hal_vspace_load(root);
        active_root = root;
    }
    hal_context_switch(&p->context); /* FPU and TLS: saved only when another one runs */
    current = p;
    hal_context_resume(&p->context);
}

/*
 * switch_to for the IPC fast path, from `p`, the caller, to `partner`. No test of whose
 * state the CPU holds: it is p's. p entered the kernel from user mode, and user code runs
 * only after switch_to loaded its context (or, returning to the same process, left it
 * loaded); a process that is forgotten (run_forget) never runs again. The partner is never
 * p: it is blocked (waiting on the port, or for p's reply) while p runs.
 */
static inline __attribute__((always_inline)) _Noreturn void
switch_to_partner(struct process *p, struct process *partner, paddr_t root)
{
#ifdef A9N_CHECK_INVARIANTS
    if (hal_context_loaded() != &p->context || partner == p)
        panic("fast path: the CPU holds another context than the caller's");
#endif
    if (root != active_root) {
        hal_vspace_load(root);
        active_root = root;
    }
    hal_context_switch_from(&p->context, &partner->context);
    current = partner;
    hal_context_resume(&partner->context);
}

_Noreturn void run_schedule(void)
{
    for (;;) {
        struct process *p = current;
        paddr_t root;
        bool runnable = p != NULL && runnable_root(p, &root);
        int best = sched_highest_priority();
        if (runnable && best <= p->sched.priority)
            switch_to(p, root); /* nothing better: carry on */
        if (runnable)
            sched_enqueue_front(&p->sched); /* preempted: it keeps its turn */
        else if (p != NULL && p->state == PROCESS_READY)
            p->state = PROCESS_INACTIVE; /* it lost its Address Space */
        current = NULL;
        struct sched_entry *e = sched_peek();
        if (e == NULL) {
            hal_idle();
            continue;
        }
        sched_dequeue(e);
        struct process *next = process_of_sched(e);
        paddr_t next_root;
        if (!runnable_root(next, &next_root)) {
            next->state = PROCESS_INACTIVE;
            continue;
        }
        switch_to(next, next_root);
    }
}

/* ---- kernel entries ---- */

/* Test kernels only: the HAL self tests run user code without any process. */
#ifdef A9N_SELFTEST
#define SELFTEST_FORWARD(call)                                                                     \
    if (selftest_user_active)                                                                      \
    call
#else
#define SELFTEST_FORWARD(call)
#endif

/*
 * The caller of a call that did not block goes on at once, with no scheduler pass, when the
 * scheduler would pick it again anyway: nothing of a higher priority is ready (what the
 * call made ready queues behind it) and its Address Space is still the live one the CPU
 * uses (run_schedule's test; a call may have destroyed it, or changed the Process's).
 * It is current, so it is also the loaded context (both change together in switch_to).
 */
static inline __attribute__((always_inline)) void resume_if_first(struct process *p)
{
    paddr_t root;
    if (sched_highest_priority() <= (int)p->sched.priority && run_process_root(p, &root) &&
        root == active_root)
        hal_context_resume(&p->context);
}

/*
 * Everything but the IPC fast path. Kept out of line on purpose: with it inlined (LTO did),
 * kernel_syscall carried the frame of the whole capability call (a 424-byte frame, six
 * callee-saved registers pushed) even on the fast path, which needs almost none of it.
 * The call works on the caller's registers in its frame (cap_call.h): nothing is copied.
 */
static __attribute__((noinline)) _Noreturn void syscall_slow(struct hal_user_context *ctx,
                                                             a9n_word type, struct cap_slot *target)
{
    struct process *p = current;
    a9n_word *mr = hal_context_mrs(ctx);
    if (type == (a9n_word)A9N_SYSCALL_CAPABILITY_CALL) {
        struct cap_message msg = {mr, process_ipc_buffer(p)};
        a9n_error e = cap_invoke(p, &msg, target);
        /* The call may have blocked, suspended or destroyed the caller: only a caller that
         * is still current gets its results here (IPC delivers them to blocked ones). A
         * preempted call is wound back onto its `syscall`: the pending interrupt is taken
         * as soon as user mode is entered, and the call runs again when the caller does. */
        if (current == p && p->state == PROCESS_READY) {
            if (e == A9N_PREEMPTED) {
                hal_syscall_restart(ctx);
            } else {
                mr[A9N_MR_SUCCESS] = e == A9N_SUCCESS;
                mr[A9N_MR_ERROR] = e;
                resume_if_first(p);
            }
        }
    } else {
        mr[A9N_MR_SUCCESS] = 0;
        mr[A9N_MR_ERROR] = A9N_ERROR_ILLEGAL_OPERATION;
    }
    run_schedule();
}

/* A process's context is its first member (core/process.h): the context the CPU saved into
 * is the process, with no load of `current`. */
_Static_assert(offsetof(struct process, context) == 0, "the context opens the process");

/* The IPC fast path (core/ipc.h) in entry points of its own: the registers it needs are
 * pushed only when a CALL or REPLY_RECEIVE may take it, not on every system call. The
 * entry code calls them directly when ipc_fastpath_candidate() holds (isr.asm checks it on
 * the registers): one per operation for a register-only message, one for words in the IPC
 * buffers or a capability, so that the first carry none of that in their frames. Each
 * switches to the partner (no scheduler pass). The register-only ones otherwise return
 * with nothing changed, and the entry code then calls kernel_syscall: they call nothing,
 * so they save no register at all. */
_Noreturn void kernel_syscall_fast_extras(struct hal_user_context *ctx)
{
    SELFTEST_FORWARD(selftest_kernel_syscall(ctx));
    paddr_t root;
    struct process *partner = ipc_fastpath_extras((struct process *)ctx, &root);
    if (partner != NULL)
        switch_to_partner((struct process *)ctx, partner, root);
    /* It calls out anyway (memcpy, slot_copy): as a function that never returns it saves
     * fewer registers than one that may (6 instructions on its round trips). */
    syscall_slow(ctx, (a9n_word)A9N_SYSCALL_CAPABILITY_CALL, NULL);
}

void kernel_syscall_fast_call(struct hal_user_context *ctx)
{
    SELFTEST_FORWARD(selftest_kernel_syscall(ctx));
    paddr_t root;
    struct process *partner = ipc_fastpath_call((struct process *)ctx, &root);
    if (partner != NULL)
        switch_to_partner((struct process *)ctx, partner, root);
}

void kernel_syscall_fast_reply_receive(struct hal_user_context *ctx)
{
    SELFTEST_FORWARD(selftest_kernel_syscall(ctx));
    paddr_t root;
    struct process *partner = ipc_fastpath_reply_receive((struct process *)ctx, &root);
    if (partner != NULL)
        switch_to_partner((struct process *)ctx, partner, root);
}

/*
 * Only dispatch here, so that this function needs no register of its own (no pushes): each
 * way goes on in a function that saves what it uses. Two calls end here at once, touching
 * nothing but the caller's registers (it is current, loaded and in its own Address Space,
 * and nothing else became ready, so the scheduler would pick it again):
 *  - a capability call of an operation its object does not have (cap_operation_unknown):
 *    the one-step lookup it needs is the one the full path would make, and the slot found
 *    goes on to it, so no other call pays for the test beyond a table load;
 *  - a yield with no other process ready at the caller's priority or above: it would be
 *    queued and taken out again at once.
 */
_Noreturn void kernel_syscall(struct hal_user_context *ctx)
{
    SELFTEST_FORWARD(selftest_kernel_syscall(ctx));
    a9n_word type = hal_syscall_type(ctx);
    struct process *p = (struct process *)ctx;
    if (type == (a9n_word)A9N_SYSCALL_CAPABILITY_CALL) {
        a9n_word *mr = hal_context_mrs(ctx);
        struct cap_slot *target =
            descriptor_root_slot(&p->slots[PROCESS_SLOT_ROOT_NODE], mr[A9N_MR_DESCRIPTOR]);
        if (target != NULL && cap_operation_unknown(target->cap.type, mr[A9N_MR_OPERATION])) {
            mr[A9N_MR_SUCCESS] = 0;
            mr[A9N_MR_ERROR] = A9N_ERROR_ILLEGAL_OPERATION;
            hal_context_resume(ctx);
        }
        syscall_slow(ctx, type, target);
    }
    if (type == (a9n_word)A9N_SYSCALL_YIELD) {
        if (sched_highest_priority() < (int)p->sched.priority)
            hal_context_resume(ctx); /* nobody to yield to */
        sched_enqueue(&p->sched);
        current = NULL;
        run_schedule();
    }
    syscall_slow(ctx, type, NULL);
}

/*
 * The light path (hal_user.h: kernel_syscall_light). Its calls read and write nothing of
 * the caller's registers but MR0..MR4; every other call goes on to kernel_syscall_general
 * with the slot this found (or SYSCALL_LIGHT_WALK: not a slot of the root Node), so none
 * looks its capability up twice. The caller is current, loaded and in its own live Address
 * Space (none of these calls can end it), so when it goes on and nothing of a higher
 * priority became ready, the scheduler would pick it again: it resumes at once.
 *  - A call of an operation its object does not have (cap_operation_unknown).
 *  - The calls cap_invoke_light makes (those of Notification and Interrupt Ports, and IO
 *    Port READ and WRITE: cap_call.h). One that blocked the caller, or may have woken a
 *    process of a higher priority, leaves the rest to the scheduler (SYSCALL_LIGHT_SCHEDULE)
 *    once the HAL has saved the whole frame, as the general path would after the same call.
 */
enum { SYSCALL_LIGHT_DONE = 0, SYSCALL_LIGHT_WALK = 1, SYSCALL_LIGHT_SCHEDULE = 2 };

/* The calls cap_invoke_light makes. Out of line, so that the calls answered above (the null
 * call) and those that go on carry nothing of it. */
static __attribute__((noinline)) uintptr_t syscall_light_call(struct process *p,
                                                              struct cap_slot *target, a9n_word *mr)
{
    switch (cap_invoke_light(p, target, mr)) {
    case CAP_LIGHT_DONE:
        return SYSCALL_LIGHT_DONE;
    case CAP_LIGHT_WOKE:
        if (sched_highest_priority() <= (int)p->sched.priority)
            return SYSCALL_LIGHT_DONE;
        return SYSCALL_LIGHT_SCHEDULE;
    default:
        return SYSCALL_LIGHT_SCHEDULE; /* blocked: the next process runs */
    }
}

uintptr_t kernel_syscall_light(struct hal_user_context *ctx)
{
#ifdef A9N_SELFTEST
    if (selftest_user_active)
        return SYSCALL_LIGHT_WALK; /* to kernel_syscall_general, which forwards it */
#endif
    struct process *p = (struct process *)ctx;
    a9n_word *mr = hal_context_mrs(ctx);
    struct cap_slot *target =
        descriptor_root_slot(&p->slots[PROCESS_SLOT_ROOT_NODE], mr[A9N_MR_DESCRIPTOR]);
    if (target == NULL)
        return SYSCALL_LIGHT_WALK;
    if (cap_operation_unknown(target->cap.type, mr[A9N_MR_OPERATION])) {
        mr[A9N_MR_SUCCESS] = 0;
        mr[A9N_MR_ERROR] = A9N_ERROR_ILLEGAL_OPERATION;
        return SYSCALL_LIGHT_DONE;
    }
    if (!cap_light_call(target, mr[A9N_MR_OPERATION]))
        return (uintptr_t)target;
    return syscall_light_call(p, target, mr); /* a jump: no frame for it here */
}

_Noreturn void kernel_syscall_general(struct hal_user_context *ctx, uintptr_t light)
{
    SELFTEST_FORWARD(selftest_kernel_syscall(ctx));
    if (light == SYSCALL_LIGHT_SCHEDULE)
        run_schedule(); /* the caller is current and ready: it keeps its turn if it may */
    syscall_slow(ctx, (a9n_word)A9N_SYSCALL_CAPABILITY_CALL,
                 light == SYSCALL_LIGHT_WALK ? NULL : (struct cap_slot *)light);
}

_Noreturn void kernel_user_fault(struct hal_user_context *ctx, const struct hal_fault *fault)
{
    SELFTEST_FORWARD(selftest_kernel_user_fault(ctx, fault));
    struct process *p = current;
    a9n_word ip = hal_context_get(ctx, HAL_REG_IP);
    if (!ipc_send_fault(p, fault, ip)) {
        kprintf("a9n: process 0x%lx: fault %u (vector %u, code 0x%lx) at ip 0x%lx, address "
                "0x%lx; no resolver, suspended\n",
                hal_virt_to_phys(p), fault->kind, fault->vector, fault->code, ip, fault->address);
        run_suspend(p);
        process_end(p); /* nobody resolves it: it has ended */
    }
    run_schedule();
}

_Noreturn void kernel_user_interrupt(struct hal_user_context *ctx, unsigned irq)
{
    if (irq < HAL_IRQ_LINES)
        interrupt_deliver(irq); /* may wake a driver of higher priority: scheduled below */
    SELFTEST_FORWARD(selftest_kernel_user_interrupt(ctx, irq));
    struct process *p = current;
    if (irq == HAL_IRQ_TIMER && p != NULL) {
        /* The slice is used up: to the back of its queue. */
        sched_enqueue(&p->sched);
        current = NULL;
    }
    run_schedule();
}

void kernel_idle_interrupt(unsigned irq)
{
    if (irq < HAL_IRQ_LINES)
        interrupt_deliver(irq); /* the idle loop then finds the woken driver */
}
