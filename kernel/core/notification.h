/* Notification Ports (a9n/notification.h). */
#pragma once

#include <core/cap_call.h>
#include <core/port.h>

a9n_error notification_port_invoke(struct process *caller, struct cap_slot *port,
                                   struct cap_message *msg);

/* ORs `bits` into the word and wakes a waiter or the bound process (interrupts use this). */
void notification_signal(struct notification_port *n, a9n_word bits);

/* Binds `n` to `p` (replacing what `p` had); false if `n` is bound to another process. */
bool notification_bind(struct notification_port *n, struct process *p);
/* Undoes the binding of `p`, if any. */
void notification_unbind(struct process *p);

/* Slot `s`, which holds a Notification Port capability, is being emptied (deleted, revoked,
 * its Node or Process destroyed): every binding made from it ends (the Process's, when `s`
 * is its notification slot; an interrupt line's, when it was bound with `s`). */
void notification_cap_deleted(struct cap_slot *s);
/* The Notification Port capability in `from` moves to `to`: its bindings follow it. */
void notification_cap_moved(struct cap_slot *from, struct cap_slot *to);

/* A RECEIVE by `p`: if its bound notification has bits, takes them into `msg` (MR2, MR3)
 * and returns true. */
bool notification_take_bound(struct process *p, struct cap_message *msg);
