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
 * Whether `p`'s Address Space is live, and its root table's physical address in *root:
 * exactly vspace_root() of its Address Space slot (the capability's ASID and generation
 * name an entry whose root is the capability's object). Compared in physical addresses
 * (asid_names_root), and the root goes to CR3 as it is: no translation either way. The
 * scheduler checks this on every switch and the IPC fast path once per direction, so it
 * is inline.
 */
static inline __attribute__((always_inline)) bool run_process_root(const struct process *p,
                                                                   paddr_t *root)
{
    const struct cap *as = &p->slots[PROCESS_SLOT_ADDRESS_SPACE].cap;
    *root = as->object;
    return as->type == A9N_OBJECT_ADDRESS_SPACE && asid_names_root(as->data[0], as->object);
}

/* Picks the next process and resumes it (or idles until one is ready). */
_Noreturn void run_schedule(void);

/* The preemption timer's period. */
enum { RUN_TIME_SLICE_US = 10000 };
