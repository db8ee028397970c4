/*
 * The one kernel entry for capability calls. The system-call layer (core/run.c) copies the
 * caller's message registers into a struct cap_message, calls cap_call, and copies the
 * registers back:
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
 */
#pragma once

#include <core/process.h>

struct cap_message {
    a9n_word mr[A9N_MR_REGISTER_COUNT];
    struct a9n_ipc_buffer *ipc_buffer;
};

a9n_error cap_call(struct process *caller, struct cap_message *msg);
