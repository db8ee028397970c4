/*
 * The one kernel entry for capability calls. The system-call layer (core/run.c) points a
 * struct cap_message at the caller's message registers where they are saved (its frame: no
 * copy either way) and calls cap_invoke; tests and tools call cap_call on registers of
 * their own:
 *
 *   a9n_error cap_call(struct process *caller, struct cap_message *msg);
 *
 *   caller  the calling Process; descriptors (the invoked one in MR0 and any in the
 *           arguments) are resolved in the Node held in caller->slots[PROCESS_SLOT_ROOT_NODE].
 *   msg     in:  mr[0] descriptor of the invoked capability, mr[1] operation, mr[2..]
 *                arguments; ipc_buffer is the caller's IPC buffer (MR9 and up) or NULL.
 *           out: mr[0] = 1 on success / 0 on failure, mr[1] = the error, mr[2..] results.
 *   returns the error that mr[1] holds, or A9N_PREEMPTED (core/preempt.h): the call
 *           stopped at a preemption point with its progress recorded in the objects, msg is
 *           unchanged, and the same call must be made again to continue.
 *
 * Every call decodes and checks all of its arguments before it changes anything, so a
 * failed call leaves all kernel state as it was. The call may destroy the caller itself
 * (by deleting the last capability to its Process): the system-call layer must check the
 * caller's state before it resumes it.
 *
 * The registers are the caller's own (in place): an operation writes a result only when the
 * caller goes on running (a caller that blocks keeps its registers until IPC delivers to
 * them), and only after reading every register it needs, and reads the caller's registers
 * through msg or its context alike (they are the same words).
 */
#pragma once

#include <core/process.h>

struct cap_message {
    a9n_word *mr; /* MR0..MR8 (A9N_MR_REGISTER_COUNT words) */
    struct a9n_ipc_buffer *ipc_buffer;
};

a9n_error cap_call(struct process *caller, struct cap_message *msg);

/* cap_call when the system-call layer has already found the invoked slot (a non-empty
 * slot of the caller's root Node, core/descriptor.h: descriptor_root_slot); NULL: it was
 * not one, and the general walk finds it (or the error). */
a9n_error cap_call_resolved(struct process *caller, struct cap_message *msg,
                            struct cap_slot *target);

/* cap_call_resolved without writing MR0 and MR1: the system-call layer writes them only
 * when the caller is still running (not blocked, suspended or destroyed by its call). */
a9n_error cap_invoke(struct process *caller, struct cap_message *msg, struct cap_slot *target);

/*
 * The light path's calls (core/run.c, hal_user.h: kernel_syscall_light): those that read
 * and write no register past MR4 and no IPC buffer, and cannot end the caller's Address
 * Space or preempt themselves:
 *  - Notification Port: every operation (a WAIT that finds no bits blocks the caller);
 *  - Interrupt Port: every operation (BIND reads MR2 only);
 *  - IO Port: READ and WRITE (MINT takes MR5).
 * cap_light_call says whether a call is one (inline, on the light path's way: a call that is
 * not pays a table load, or two compares for an IO Port). cap_invoke_light makes it (the
 * type's own invocation on the registers in place, with no IPC buffer) and writes MR0 and
 * MR1 if the caller goes on (a blocked one gets its results when it is woken). `target` is
 * a non-empty slot of the caller's root Node.
 */
extern const bool cap_light_types[256];

static inline __attribute__((always_inline)) bool cap_light_call(const struct cap_slot *target,
                                                                 a9n_word op)
{
    uint8_t type = target->cap.type;
    if (!cap_light_types[type])
        return false;
    return type != A9N_OBJECT_IO_PORT || op == A9N_IO_PORT_READ || op == A9N_IO_PORT_WRITE;
}

enum cap_light {
    CAP_LIGHT_DONE,    /* the caller goes on, nothing else became ready */
    CAP_LIGHT_WOKE,    /* the caller goes on, and may have woken another process */
    CAP_LIGHT_BLOCKED, /* the caller blocked */
};
enum cap_light cap_invoke_light(struct process *caller, struct cap_slot *target, a9n_word *mr);

/*
 * Whether a call of operation `op` on a capability of `type` fails at once with
 * ILLEGAL_OPERATION, before its object looks at anything else: the operation is none of
 * that type's, and the type's invocation refuses unknown operations first. 0 in the table:
 * not decided here (a Node decodes further, an Address Space first checks its ASID, an
 * Interrupt Port its right, a Page Table or a zombie has no operations at all). The system
 * call layer answers these calls without copying the registers or scheduling (run.c).
 *
 * The table holds minus the last operation (operations run from 1), so that the test is one
 * sign-extending load, a negation and a compare: with L the last operation, 0 - op is below
 * 2^64 - L (unsigned) exactly when op is 0 or above L; with 0 (not decided) never.
 */
extern const int8_t cap_operation_negative_last[256];

static inline bool cap_operation_unknown(uint8_t type, a9n_word op)
{
    /* every type byte has an entry: no range test */
    return (a9n_word)0 - op < (a9n_word)(int64_t)cap_operation_negative_last[type];
}
