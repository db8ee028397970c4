/*
 * A9N ABI: processes.
 *
 * CONFIGURE      MR2 = bitmask of a9n_process_configure; the values follow from MR3 on,
 *                one per set bit, in increasing bit order (MR9 and up in the IPC buffer):
 *                  ADDRESS_SPACE, ROOT_NODE, IPC_BUFFER (a 4 KiB Frame, READ and WRITE),
 *                  NOTIFICATION (a Notification Port, READ), RESOLVER (an IPC Port, WRITE),
 *                  EXIT_NOTICE (a Notification Port, WRITE): descriptors in the caller's
 *                  space; the Process gets a copy (the source needs COPY), replacing what it
 *                  held;
 *                  INSTRUCTION_POINTER, STACK_POINTER, THREAD_LOCAL_BASE: user addresses;
 *                  PRIORITY: 0..255, at most the caller's own; AFFINITY: 0 (one CPU).
 *                Nothing changes unless every value is valid. Needs MODIFY.
 * READ_REGISTER  MR2 = register -> MR2 = value. Needs READ.
 * WRITE_REGISTER MR2 = register, MR3 = value. IP, SP and the TLS base must be user
 *                addresses; only the arithmetic flags, DF and AC of FLAGS can be set.
 *                Needs MODIFY.
 * RESUME         makes a suspended Process runnable (needs an Address Space). Needs MODIFY.
 * SUSPEND        MR2 = 0 or A9N_PROCESS_SUSPEND_END: stops it; a call it was blocked in
 *                ends with CANCELED. Needs MODIFY. With END, the process has ended (it
 *                exits: koito-libc's _exit; or it is killed) and its exit notice goes out.
 *
 * The exit notice tells whoever holds memory for a process that it has ended, so that the
 * memory comes back without anyone having to report it (servers/ulmm). When the process
 * ends, the kernel NOTIFYs the Notification Port of its EXIT_NOTICE slot (the identifier
 * of that capability is ORed into the word, 1 if it has none), once: until a RESUME, a
 * second end says nothing. A process ends when
 *   - it is SUSPENDed with A9N_PROCESS_SUSPEND_END (by itself: it exits; by another: it is
 *     killed); a plain SUSPEND is a pause and sends nothing;
 *   - it faults with no resolver, or its resolver goes while it waits (the kernel stops it);
 *   - its Process object is destroyed (the last capability to it is deleted).
 * The notice carries no new authority: whoever can CONFIGURE it could NOTIFY the port.
 *
 * The Process's own slots, in this order, A9N_SLOT_BITS apart (Debug INTROSPECT reports
 * each capability there with the slot's address): a9n_process_slot.
 */
#pragma once

#include <a9n/types.h>

enum a9n_register {
    A9N_REGISTER_IP = 0,
    A9N_REGISTER_SP = 1,
    A9N_REGISTER_FLAGS = 2,
    A9N_REGISTER_TLS_BASE = 3,
    A9N_REGISTER_RAX = 4,
    A9N_REGISTER_RBX,
    A9N_REGISTER_RCX,
    A9N_REGISTER_RDX,
    A9N_REGISTER_RSI,
    A9N_REGISTER_RDI,
    A9N_REGISTER_RBP,
    A9N_REGISTER_R8,
    A9N_REGISTER_R9,
    A9N_REGISTER_R10,
    A9N_REGISTER_R11,
    A9N_REGISTER_R12,
    A9N_REGISTER_R13,
    A9N_REGISTER_R14,
    A9N_REGISTER_R15,
    A9N_REGISTER_COUNT,
};

#define A9N_PRIORITY_MAX 255

enum a9n_process_slot {
    A9N_PROCESS_SLOT_ROOT_NODE = 0,
    A9N_PROCESS_SLOT_ADDRESS_SPACE = 1,
    A9N_PROCESS_SLOT_IPC_BUFFER = 2,
    A9N_PROCESS_SLOT_RESOLVER = 3,
    A9N_PROCESS_SLOT_NOTIFICATION = 4,
    A9N_PROCESS_SLOT_EXIT_NOTICE = 5,
    A9N_PROCESS_SLOTS = 6,
};
