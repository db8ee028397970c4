/*
 * Interrupts as capabilities. The Interrupt Region (one, held by the first process) makes
 * one Interrupt Port per line; an Interrupt Port binds its line to a Notification Port.
 *   Interrupt Region MAKE_PORT  MR2 line, MR3 destination Node, MR4 index     (WRITE)
 *                               IN_USE if the line has its port already
 *   Interrupt Port BIND         MR2 Notification Port (WRITE on it)             (WRITE)
 *                               the line is unmasked; each interrupt masks it again and
 *                               ORs the notification capability's identifier (or 1 << line
 *                               when it has none) into the word. The binding ends (the
 *                               line is masked) when that capability goes: deleted,
 *                               revoked, or its Node destroyed; it follows a MOVE.
 *   Interrupt Port UNBIND                                                       (WRITE)
 *   Interrupt Port ACK          unmasks the line after the driver served it     (WRITE)
 * The last capability to an Interrupt Port going away masks and frees its line.
 */
#pragma once

#include <core/cap_call.h>
#include <core/port.h>

a9n_error interrupt_region_invoke(struct process *caller, struct cap_slot *region,
                                  struct cap_message *msg);
a9n_error interrupt_port_invoke(struct process *caller, struct cap_slot *port,
                                struct cap_message *msg);

/* The physical address of the Notification Port `line` is bound to, or 0. */
paddr_t interrupt_bound_notification(unsigned line);

/* Frees every line (the table starts empty at boot; host tests start each case so). */
void interrupt_reset(void);

/* An interrupt on `line` arrived (the HAL has masked it). */
void interrupt_deliver(unsigned line);
/* The last Interrupt Port capability for `line` is gone. */
void interrupt_port_destroy(unsigned line);
/* A Notification Port is going away: no line may signal it any more. */
void interrupt_forget_notification(struct notification_port *n);
/* The capability in `s` that lines were bound with is going away: those lines unbind (and
 * are masked). */
void interrupt_forget_source(const struct cap_slot *s);
/* The capability in `from` that lines were bound with moves to `to`. */
void interrupt_move_source(const struct cap_slot *from, struct cap_slot *to);
