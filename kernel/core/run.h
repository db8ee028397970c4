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

/*
 * The root table of `p`'s Address Space if it is live, else NULL: exactly vspace_root() of
 * its Address Space slot (the capability's ASID and generation name an entry whose root is
 * the capability's object), checked from the other side. vspace_root() translates the
 * entry's root back to a physical address to compare it (a test for the kernel image and a
 * conditional move, and a NULL test); here the capability's object goes forward into the
 * direct map and the pointers are compared. The scheduler checks this on every switch and
 * the IPC fast path twice per round trip, so it is inline.
 */
static inline void *run_process_root(const struct process *p)
{
    const struct cap *as = &p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap;
    if (as->type != A9N_OBJECT_ADDRESS_SPACE)
        return NULL;
    void *root = hal_phys_to_virt(as->object);
    return asid_root((uint32_t)(as->data[0] & 0xffffffff), (uint32_t)(as->data[0] >> 32)) == root
               ? root
               : NULL;
}

/* Picks the next process and resumes it (or idles until one is ready). */
_Noreturn void run_schedule(void);

/* The preemption timer's period. */
enum { RUN_TIME_SLICE_US = 10000 };
