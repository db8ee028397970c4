/*
 * Running processes: which one is current, the ready queues (kernel/sched), and the kernel
 * entries from the HAL (system calls, faults, interrupts). The kernel runs with interrupts
 * off on one stack and never returns along it: every entry ends by resuming a context.
 *
 * States: a READY process is either current or queued; BLOCKED waits in a wait queue;
 * INACTIVE (new or suspended) is nowhere. A process runs only with a live Address Space.
 */
#pragma once

#include <core/asid.h>
#include <core/process.h>

/* The process whose context the CPU entered the kernel from (NULL when idle). */
struct process *run_current(void);

/* INACTIVE -> READY. A blocked process stays blocked. */
void run_resume(struct process *p);
/* Any state -> INACTIVE; a blocked call ends with A9N_ERROR_CANCELED. */
void run_suspend(struct process *p);
/* A process (blocked, or being created) may run again: queue it. */
void run_make_ready(struct process *p);
/* New priority; a queued process moves to its new queue. */
void run_set_priority(struct process *p, uint8_t priority);
/* `p` is being destroyed: forget every reference the scheduler holds to it. */
void run_forget(struct process *p);
/* An Address Space root is going away (the HAL has switched away from it already). */
void run_forget_root(void *root);

/* run_process_root's full check (the ASID table), out of line; it records a live result. */
bool run_process_root_check(struct process *p);
/* Debug kernels: a recorded root the ASID table does not confirm (panics). */
_Noreturn void run_root_record_broken(const struct process *p);

/*
 * Whether `p`'s Address Space is live, and its root table's physical address in *root:
 * exactly vspace_root() of its Address Space slot (the capability's ASID and generation
 * name an entry whose root is the capability's object), and the root goes to CR3 as it is.
 * The scheduler checks this on every switch and the IPC fast path once per direction.
 *
 * The ASID table is read only when something changed. The invariant that allows it:
 *   p->live_epoch == asid_epoch and p->live_root == the slot's object (an Address Space)
 *   => that Address Space is live.
 * Because: (1) the full check found an Address Space capability with that object live
 * while the epoch was live_epoch; (2) every capability to one Address Space object carries
 * the same ASID and generation while it is live (ASSIGN gives one only to an Address Space
 * that has no copies, asid.c), so whichever capability the slot holds now names the same
 * entry; (3) an entry stops naming its root only by asid_free, asid_pool_empty or
 * asid_pool_destroy, each of which moves asid_epoch on; a new Address Space at the same
 * address is made only after the old one's asid_free. The slot itself is read every time
 * (type and object), so emptying it, a zombie in it or a new capability in it (CONFIGURE)
 * needs no bookkeeping. The system suite's tests on a dead Address Space (test_fastpath.c)
 * check this for the scheduler and both fast-path directions.
 */
static inline __attribute__((always_inline)) bool run_process_root(struct process *p, paddr_t *root)
{
    const struct cap *as = &p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap;
    *root = as->object;
    if (as->type != A9N_OBJECT_ADDRESS_SPACE)
        return false;
    if (p->live_root == as->object && p->live_epoch == asid_epoch) {
#ifdef A9N_CHECK_INVARIANTS
        /* Debug kernels (the system suite runs on one too): the record must agree with the
         * table every time it is used. */
        if (!asid_names_root(as->data[0], as->object))
            run_root_record_broken(p);
#endif
        return true;
    }
    return run_process_root_check(p);
}

/*
 * run_process_root for the IPC fast path: true only when the record alone says the Address
 * Space is live. Otherwise (the first switch to `p`, or any ASID release since its last)
 * the fast path leaves the call to the full path, whose scheduler makes the full check
 * and records it: the fast path itself never calls out, so it saves no registers for it.
 */
static inline __attribute__((always_inline)) bool run_process_root_recorded(struct process *p,
                                                                            paddr_t *root)
{
    const struct cap *as = &p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap;
    *root = as->object;
    bool known = as->type == A9N_OBJECT_ADDRESS_SPACE && p->live_root == as->object &&
                 p->live_epoch == asid_epoch;
#ifdef A9N_CHECK_INVARIANTS
    if (known && !asid_names_root(as->data[0], as->object))
        run_root_record_broken(p);
#endif
    return known;
}

/* Picks the next process and resumes it (or idles until one is ready). */
_Noreturn void run_schedule(void);

/* The preemption timer's period. */
enum { RUN_TIME_SLICE_US = 10000 };
