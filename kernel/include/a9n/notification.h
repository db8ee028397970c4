/*
 * A9N ABI: Notification Ports — an asynchronous word of bits.
 *
 * NOTIFY    (WRITE)  ORs the identifier of the invoked capability into the word (1 when the
 *                    capability has none) and wakes one waiter, which takes the word.
 * WAIT      (READ)   returns MR2 = the word and clears it; blocks while it is 0.
 * POLL      (READ)   returns MR2 = the word (maybe 0) and clears it; never blocks.
 * IDENTIFY  (none)   MR2 = the identifier of the invoked capability.
 *
 * Binding: a Process configured with a Notification Port (CONFIGURE, NOTIFICATION) that
 * RECEIVEs on an IPC Port also returns when the word becomes non-zero: MR2 = the word,
 * MR3 = A9N_IPC_NOTIFICATION, no message words. So a server waits for calls and
 * notifications (interrupts, for instance) at once. A port is bound to one Process at most.
 */
#pragma once

#include <a9n/types.h>

/* In MR3 of a RECEIVE that returned a bound notification instead of a message. */
#define A9N_IPC_NOTIFICATION (1ull << 14)
