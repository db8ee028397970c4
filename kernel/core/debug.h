/*
 * The Debug capability: console output and kernel introspection as
 * operations, so that there are still only two system calls.
 *   WRITE  MR2 length in bytes, then the bytes packed from MR3 on (MR3..MR8 hold 48 bytes;
 *          longer text continues in the IPC buffer from MR9). Needs WRITE.
 *   INTROSPECT  MR2 cursor (0 to start) -> MR2 records written, MR3 the next cursor (0 when
 *          the walk is complete). Records (a9n/debug.h) go to the IPC buffer from MR9: the
 *          live derivation tree, every capability in the system, in pre-order. Needs READ.
 *          The walk resumes from a position the kernel keeps (see a9n/debug.h): each call
 *          is bounded, a whole walk is linear.
 */
#pragma once

#include <core/cap_call.h>

a9n_error debug_invoke(struct process *caller, struct cap_slot *debug, struct cap_message *msg);

/* The derivation list is losing `s` (replaced by `replacement`, or NULL: unlinked): a walk
 * that was to resume at `s` goes on from what takes its place. */
void debug_slot_leaving(struct cap_slot *s, struct cap_slot *replacement);
