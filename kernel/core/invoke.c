/* cap_call: the one entry for capability calls (see cap_call.h). */
#include <core/cap_call.h>

#include <core/asid.h>
#include <core/descriptor.h>
#include <core/generic.h>
#include <core/debug.h>
#include <core/ioport.h>
#include <core/interrupt.h>
#include <core/ipc.h>
#include <core/notification.h>
#include <core/node.h>
#include <core/pcb.h>
#include <core/preempt.h>
#include <core/vspace.h>
#include <kernel/panic.h>

/* The operations of each type whose invocation refuses an unknown one before anything else
 * (cap_call.h), as minus the type's last operation (a9n/operation.h: they run from 1). */
const int8_t cap_operation_negative_last[256] = {
    [A9N_OBJECT_DEBUG] = -A9N_DEBUG_INTROSPECT,
    [A9N_OBJECT_GENERIC] = -A9N_GENERIC_CONVERT_FILLED,
    [A9N_OBJECT_FRAME] = -A9N_FRAME_COPY,
    [A9N_OBJECT_PROCESS] = -A9N_PROCESS_SUSPEND,
    [A9N_OBJECT_IPC_PORT] = -A9N_IPC_PORT_IDENTIFY,
    [A9N_OBJECT_NOTIFICATION_PORT] = -A9N_NOTIFICATION_PORT_IDENTIFY,
    [A9N_OBJECT_INTERRUPT_REGION] = -A9N_INTERRUPT_REGION_MAKE_PORT,
    [A9N_OBJECT_IO_PORT] = -A9N_IO_PORT_MINT,
    [A9N_OBJECT_ASID_CONTROL] = -A9N_ASID_CONTROL_MAKE_POOL,
    [A9N_OBJECT_ASID_POOL] = -A9N_ASID_POOL_ASSIGN,
};

static a9n_error cap_dispatch(struct process *caller, struct cap_message *msg,
                              struct cap_slot *target)
{
    if (target == NULL) {
        a9n_error e = descriptor_lookup(&caller->slots[PROCESS_SLOT_ROOT_NODE],
                                        msg->mr[A9N_MR_DESCRIPTOR], &target);
        if (e != A9N_SUCCESS)
            return e;
    }
    switch (target->cap.type) {
    case A9N_OBJECT_NODE:
        return node_invoke(caller, target, msg);
    case A9N_OBJECT_GENERIC:
        return generic_invoke(caller, target, msg);
    case A9N_OBJECT_ADDRESS_SPACE:
        return address_space_invoke(caller, target, msg);
    case A9N_OBJECT_FRAME:
        return frame_invoke(caller, target, msg);
    case A9N_OBJECT_PROCESS:
        return process_invoke(caller, target, msg);
    case A9N_OBJECT_IPC_PORT:
        return ipc_port_invoke(caller, target, msg);
    case A9N_OBJECT_IO_PORT:
        return io_port_invoke(caller, target, msg);
    case A9N_OBJECT_DEBUG:
        return debug_invoke(caller, target, msg);
    case A9N_OBJECT_NOTIFICATION_PORT:
        return notification_port_invoke(caller, target, msg);
    case A9N_OBJECT_INTERRUPT_REGION:
        return interrupt_region_invoke(caller, target, msg);
    case A9N_OBJECT_INTERRUPT_PORT:
        return interrupt_port_invoke(caller, target, msg);
    case A9N_OBJECT_ASID_CONTROL:
        return asid_control_invoke(caller, target, msg);
    case A9N_OBJECT_ASID_POOL:
        return asid_pool_invoke(caller, target, msg);
    default:
        return A9N_ERROR_ILLEGAL_OPERATION; /* Page Tables have no operations of their own */
    }
}

a9n_error cap_call(struct process *caller, struct cap_message *msg)
{
    return cap_call_resolved(
        caller, msg,
        descriptor_root_slot(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[A9N_MR_DESCRIPTOR]));
}

/* Debug kernels: no call may leave a stale or unnamed entry in any table. Checked when a
 * call ends, not at each preemption point: the walk costs far more than one step, so a
 * restarted call would barely move between walks (the host tests check every stop). */
static inline void check_invariants(struct process *caller, a9n_error e)
{
#ifdef A9N_CHECK_INVARIANTS
    char why[96];
    if (e != A9N_PREEMPTED &&
        !vspace_check_invariants(&caller->slots[PROCESS_SLOT_ROOT_NODE], why, sizeof why))
        panic("vspace invariant broken by a call (result %u): %s", (unsigned)e, why);
#else
    (void)caller, (void)e;
#endif
}

a9n_error cap_invoke(struct process *caller, struct cap_message *msg, struct cap_slot *target)
{
    a9n_error e = cap_dispatch(caller, msg, target);
    check_invariants(caller, e);
    return e;
}

a9n_error cap_call_resolved(struct process *caller, struct cap_message *msg,
                            struct cap_slot *target)
{
    a9n_error e = cap_invoke(caller, msg, target);
    /* A preempted call must find its arguments again when it restarts: the registers stay
     * exactly as the caller set them (core/preempt.h). */
    if (e == A9N_PREEMPTED)
        return e;
    msg->mr[A9N_MR_SUCCESS] = e == A9N_SUCCESS;
    msg->mr[A9N_MR_ERROR] = e;
    return e;
}

/* The types cap_light_call looks at further (cap_call.h). */
const bool cap_light_types[256] = {
    [A9N_OBJECT_NOTIFICATION_PORT] = true,
    [A9N_OBJECT_INTERRUPT_PORT] = true,
    [A9N_OBJECT_IO_PORT] = true,
};

enum cap_light cap_invoke_light(struct process *caller, struct cap_slot *target, a9n_word *mr)
{
    /* Only a NOTIFY wakes anyone (a waiter, or the bound process). Decided before the call:
     * MR1 holds the operation until the error replaces it. */
    bool wakes = target->cap.type == A9N_OBJECT_NOTIFICATION_PORT &&
                 mr[A9N_MR_OPERATION] == A9N_NOTIFICATION_PORT_NOTIFY;
    /* The type's own invocation, not cap_invoke's switch over all of them: with link-time
     * inlining that one carries the frame of every operation. */
    struct cap_message msg = {mr, NULL};
    a9n_error e;
    switch (target->cap.type) {
    case A9N_OBJECT_NOTIFICATION_PORT:
        e = notification_port_invoke(caller, target, &msg);
        break;
    case A9N_OBJECT_INTERRUPT_PORT:
        e = interrupt_port_invoke(caller, target, &msg);
        break;
    default:
        e = io_port_invoke(caller, target, &msg); /* cap_light_call: nothing else comes here */
        break;
    }
    check_invariants(caller, e);
    if (caller->state != PROCESS_READY)
        return CAP_LIGHT_BLOCKED; /* a WAIT: its results come with the bits */
    mr[A9N_MR_SUCCESS] = e == A9N_SUCCESS;
    mr[A9N_MR_ERROR] = e;
    return wakes ? CAP_LIGHT_WOKE : CAP_LIGHT_DONE;
}
