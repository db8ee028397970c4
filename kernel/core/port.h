/*
 * IPC Ports and Notification Ports: their kernel state. IPC operations are core/ipc.c;
 * notifications are core/notification.c.
 */
#pragma once

#include <core/process.h>

struct ipc_port {
    struct wait_queue waiters; /* senders or receivers, never both at once */
    uint64_t reserved[6];
};

struct notification_port {
    struct wait_queue waiters;
    a9n_word word;         /* pending bits */
    struct process *bound; /* a Process whose receive also wakes on this word */
    uint64_t reserved[4];
};

_Static_assert(sizeof(struct ipc_port) <= 1ull << A9N_IPC_PORT_BITS,
               "struct ipc_port fits the ABI's IPC Port size");
_Static_assert(sizeof(struct notification_port) <= 1ull << A9N_NOTIFICATION_PORT_BITS,
               "struct notification_port fits the ABI's Notification Port size");

/* The last capability is gone: every waiter wakes with A9N_ERROR_DESTROYED. O(waiters):
 * a deletion calls these only when nothing waits; otherwise it wakes the waiters first,
 * preemptibly, through port_waiters (core/slot.c). */
void ipc_port_destroy(struct ipc_port *port);
void notification_port_destroy(struct notification_port *port);

/* The wait queue of the IPC or Notification Port at `object` (`type` says which). */
struct wait_queue *port_waiters(unsigned type, paddr_t object);

/* The parts of a Notification Port's destruction other than its waiters: its binding to a
 * Process and to interrupt lines end (bounded). */
void notification_port_detach(struct notification_port *port);
