/*
 * A9N ABI: IPC Ports.
 *
 * A message is MR3 (its info word) and `length` words from MR4 on: MR4..MR8 travel in
 * registers, MR9 and up in the IPC buffer. On both sides the layout is the same:
 *   MR2  identifier: what the receiver learns of the sender (the identifier of the port
 *        capability it sent through, or of the resolver capability for a fault); 0 in a reply
 *   MR3  info: length | transferred capabilities << 8 | A9N_IPC_FAULT
 *   MR4.. the words
 *
 * SEND           (WRITE)  MR3 info, MR4.. words. Blocks until a receiver takes it.
 * RECEIVE        (READ)   blocks until a message arrives; returns MR2, MR3, MR4...
 * CALL           (WRITE)  SEND, then wait for the reply, which returns like RECEIVE.
 * REPLY          (none)   MR3 info, MR4.. words: answers the last CALL received. The right
 *                         to reply is one-shot and is dropped by the next RECEIVE.
 * REPLY_RECEIVE  (READ)   REPLY (if a reply is owed), then RECEIVE on the invoked port.
 * IDENTIFY       (none)   -> MR2 the identifier of the invoked capability.
 * A port whose last capability goes away wakes every waiter with DESTROYED; a caller whose
 * server dies while it waits for the reply gets DESTROYED too.
 */
#pragma once

#include <a9n/types.h>

#define A9N_IPC_LENGTH_MASK   0xffull
#define A9N_IPC_CAPS_SHIFT    8
#define A9N_IPC_CAPS_MASK     0x1full
#define A9N_IPC_FAULT         (1ull << 13) /* the message is a fault report (a9n/fault.h) */
#define A9N_IPC_MESSAGE_FIRST 4            /* MR of the first word */
#define A9N_IPC_LENGTH_MAX    (256 - A9N_IPC_MESSAGE_FIRST)

static inline a9n_word a9n_ipc_info(a9n_word length, a9n_word caps)
{
    return (length & A9N_IPC_LENGTH_MASK) | ((caps & A9N_IPC_CAPS_MASK) << A9N_IPC_CAPS_SHIFT);
}
