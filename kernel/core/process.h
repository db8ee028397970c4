/*
 * The Process object (PCB), as far as the capability core needs it: its own capability
 * slots (root Node first: descriptors of its calls are resolved there), its run state, and
 * its place in a wait queue. Issue 4 adds registers, scheduling and CONFIGURE; the size
 * budget is A9N_PROCESS_BITS.
 */
#pragma once

#include <a9n/process.h>
#include <arch/context.h>
#include <core/cap.h>
#include <kernel/sched.h>

/* The Process's own slots: capabilities it holds by being configured. They are ordinary
 * slots in the derivation tree, so a Process keeps its root Node alive. */
enum process_slot {
    PROCESS_SLOT_ROOT_NODE = A9N_PROCESS_SLOT_ROOT_NODE,
    PROCESS_SLOT_ADDRESS_SPACE = A9N_PROCESS_SLOT_ADDRESS_SPACE,
    PROCESS_SLOT_IPC_BUFFER = A9N_PROCESS_SLOT_IPC_BUFFER,
    PROCESS_SLOT_RESOLVER = A9N_PROCESS_SLOT_RESOLVER,
    PROCESS_SLOT_NOTIFICATION = A9N_PROCESS_SLOT_NOTIFICATION,
    PROCESS_SLOT_EXIT_NOTICE = A9N_PROCESS_SLOT_EXIT_NOTICE, /* a9n/process.h: the end */
    PROCESS_SLOT_COUNT = A9N_PROCESS_SLOTS,
};

enum process_state {
    PROCESS_INACTIVE = 0, /* new, suspended or stopped: never scheduled */
    PROCESS_READY,        /* may run */
    PROCESS_BLOCKED,      /* waits in a wait_queue */
};

struct process;

/* Processes waiting on one object, FIFO. */
struct wait_queue {
    struct process *head;
    struct process *tail;
};

/* What a BLOCKED process waits for in IPC (core/ipc.c). */
enum ipc_state {
    IPC_NONE = 0,
    IPC_SENDING,        /* in a port's queue with a message */
    IPC_CALLING,        /* in a port's queue with a message, then waits for the reply */
    IPC_RECEIVING,      /* in a port's queue, waiting for a message */
    IPC_AWAITING_REPLY, /* its call was received; `replier` owes the reply */
    IPC_WAITING,        /* in a notification port's queue (WAIT) */
};

struct process {
    /* The user context first: the CPU saves registers straight into it (16-byte aligned). */
    struct hal_user_context context;
    struct cap_slot slots[PROCESS_SLOT_COUNT];
    uint32_t state;                /* enum process_state */
    uint32_t ipc_state;            /* enum ipc_state */
    struct wait_queue *blocked_on; /* while in a wait queue */
    struct process *queue_prev;
    struct process *queue_next;
    struct sched_entry sched; /* ready queue link and priority */
    struct process *reply_to; /* the caller this process owes a reply */
    struct process *replier;  /* the process that owes this one its reply */
    a9n_word ipc_identifier;  /* identifier of the capability a queued message was sent with */
    bool faulting;            /* blocked in a fault CALL to its resolver */
    a9n_word fault[5];        /* the fault message (a9n/fault.h), while faulting */
    struct notification_port *bound; /* the notification its RECEIVE also waits for */
    bool ended;                      /* its exit notice went out; RESUME clears it */
    /* The last Address Space root found live for it, and asid_epoch then (core/run.h:
     * run_process_root). Epoch 0: nothing known. */
    paddr_t live_root;
    uint64_t live_epoch;
};

_Static_assert(sizeof(struct process) <= 1ull << A9N_PROCESS_BITS,
               "struct process fits the ABI's Process size");

void process_init(struct process *p);

/* Blocks `p` at the tail of `q` (IPC, notifications). */
void process_block(struct process *p, struct wait_queue *q);

/* Ends the blocked call of `p` with `error` and makes it ready (a fault that can no longer
 * be resolved suspends it instead). */
void process_wake(struct process *p, a9n_error error);

/* Takes `p` out of the wait queue it is in (its state is the caller's business). */
void process_unblock(struct process *p);

/* The result registers of the call `p` made: success flag and error. */
void process_set_result(struct process *p, a9n_error error);

/* The IPC buffer of `p` (through the kernel's view of its Frame), or NULL. */
struct a9n_ipc_buffer *process_ipc_buffer(struct process *p);

/* `p` has ended (a9n/process.h): its exit notice, if it has one, goes out (once until it is
 * resumed). `p` must be stopped already (not queued anywhere). */
void process_end(struct process *p);

/* The last capability to `p` is gone: stop it and empty its slots (object_destroy); it has
 * ended, so its exit notice goes out. */
void process_destroy(struct process *p);

/* Every process waiting in `q` is woken with `error`. */
void wait_queue_wake_all(struct wait_queue *q, a9n_error error);
