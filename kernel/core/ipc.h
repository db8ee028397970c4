/* IPC Ports (a9n/ipc.h): synchronous messages, calls and replies, and fault delivery. */
#pragma once

#include <a9n/ipc.h>
#include <core/cap_call.h>
#include <hal/hal_user.h>

a9n_error ipc_port_invoke(struct process *caller, struct cap_slot *port, struct cap_message *msg);

/*
 * The fast path for the common case of a client-server exchange: CALL to a waiting server,
 * REPLY_RECEIVE to a waiting client, messages with at most one capability, and the partner allowed
 * to run at once (no ready process of higher priority). Done entirely from the caller's saved
 * registers, it returns the partner to switch to directly (and its page-table root in
 * *root), or NULL when the call must take the full path (nothing has changed then).
 * Called only when ipc_fastpath_candidate() holds and MR3 is at most the register words
 * (the invariants are listed in ipc.c), one function per operation (MR1 is not read again).
 */
struct process *ipc_fastpath_call(struct process *p, paddr_t *root);
struct process *ipc_fastpath_reply_receive(struct process *p, paddr_t *root);

/* ipc_fastpath for the rest of its candidates: MR3 above the register words (words in the
 * IPC buffers, or one capability). Kept apart so that the register-only round trip carries
 * none of that work in its frame. */
struct process *ipc_fastpath_extras(struct process *p, paddr_t *root);

/* The largest MR3 the fast path takes: any length byte and at most one capability, no flag
 * (ipc_fastpath_extras checks the length against A9N_IPC_LENGTH_MAX). */
#define IPC_FASTPATH_INFO_MAX ((1ull << A9N_IPC_CAPS_SHIFT) | A9N_IPC_LENGTH_MASK)

/* Whether a capability call with these message registers may take the fast path at all (the
 * operation, and MR3 at most IPC_FASTPATH_INFO_MAX). ipc_fastpath_* rely on it and check
 * the rest; every other call stays away from the fast path's frame. The entry code makes
 * the same test on the registers (arch isr.asm). */
static inline bool ipc_fastpath_candidate(const a9n_word *mr)
{
    a9n_word op = mr[A9N_MR_OPERATION];
    return (op == A9N_IPC_PORT_CALL || op == A9N_IPC_PORT_REPLY_RECEIVE) &&
           mr[3] <= IPC_FASTPATH_INFO_MAX;
}

/* Delivers a fault of `p` to its resolver as a CALL. False if `p` has no resolver. */
bool ipc_send_fault(struct process *p, const struct hal_fault *fault, a9n_word ip);

/* `p` leaves whatever IPC it was blocked in. True if that was a system call (whose result
 * the caller must then set), false if it was a fault or nothing. */
bool ipc_cancel(struct process *p);

/* Ends the IPC `p` is blocked in: a system call returns `error` and `p` is ready again; a
 * fault that can no longer be resolved leaves `p` suspended. */
void ipc_abort(struct process *p, a9n_error error);

/* `p` is being destroyed: a caller waiting for its reply gets DESTROYED. */
void ipc_process_destroyed(struct process *p);
