/*
 * A9N ABI: system calls, message registers and the IPC buffer.
 *
 * There are two system calls, entered with `syscall`; RDI holds the call type:
 *   A9N_SYSCALL_CAPABILITY_CALL (-1)  invoke a capability
 *   A9N_SYSCALL_YIELD           (-2)  give up the rest of the time slice
 *
 * Message registers MR0..MR8 travel in CPU registers (in this order):
 *   MR0 RSI, MR1 RDX, MR2 R8, MR3 R9, MR4 R10, MR5 R12, MR6 R13, MR7 R14, MR8 R15
 * MR9 and up live in the caller's IPC buffer: message[i] holds MR i (entries 0..8 of
 * message[] are never read nor written by the kernel, so that the index is the MR number).
 *
 * A capability call:   MR0 = descriptor of the invoked capability, MR1 = operation,
 *                      MR2.. = arguments (see a9n/operation.h).
 * Its return:          MR0 = 1 on success, 0 on failure; MR1 = a9n_error (0 on success);
 *                      MR2.. = results, if the operation has any.
 */
#pragma once

#include <a9n/types.h>

enum a9n_syscall {
    A9N_SYSCALL_CAPABILITY_CALL = -1,
    A9N_SYSCALL_YIELD = -2,
};

#define A9N_MR_REGISTER_COUNT 9
#define A9N_MR_COUNT          256 /* MR0..MR255: registers, then the IPC buffer */

/* Message register roles in a capability call. */
enum a9n_mr {
    A9N_MR_DESCRIPTOR = 0, /* call: the invoked capability */
    A9N_MR_OPERATION = 1,  /* call: the operation number */
    A9N_MR_ARG0 = 2,       /* call: first argument; MR3 the second, ... */
    A9N_MR_SUCCESS = 0,    /* return: 1 success, 0 failure */
    A9N_MR_ERROR = 1,      /* return: a9n_error */
    A9N_MR_RESULT0 = 2,    /* return: first result */
};

#define A9N_IPC_BUFFER_SIZE 4096
#define A9N_TRANSFER_MAX    16 /* capabilities one IPC message can carry */

/*
 * The IPC buffer: one 4 KiB page per process, registered with Process CONFIGURE. The
 * capability-transfer fields are described in a9n/ipc.h; the layout is fixed here so it is
 * stable.
 */
struct a9n_ipc_buffer {
    a9n_word message[A9N_MR_COUNT];             /* message[i] = MR i, for i >= 9 */
    a9n_word transfer_source[A9N_TRANSFER_MAX]; /* send: descriptors of capabilities */
    a9n_word transfer_count;                    /* unused: the count travels in MR3 (a9n/ipc.h) */
    a9n_word transfer_destination_node;         /* receive: descriptor of a Node */
    a9n_word transfer_destination_index;        /* receive: first slot to fill */
    a9n_word identifier;                        /* unused: the identifier arrives in MR2 */
    a9n_word reserved[512 - A9N_MR_COUNT - A9N_TRANSFER_MAX - 4];
};

_Static_assert(sizeof(struct a9n_ipc_buffer) == A9N_IPC_BUFFER_SIZE,
               "the IPC buffer is exactly one 4 KiB page");
