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
 * (cap_call.h); each count is the type's last operation (a9n/operation.h). */
const uint8_t cap_operation_count[256] = {
    [A9N_OBJECT_DEBUG] = A9N_DEBUG_INTROSPECT,
    [A9N_OBJECT_GENERIC] = A9N_GENERIC_CONVERT,
    [A9N_OBJECT_FRAME] = A9N_FRAME_COPY,
    [A9N_OBJECT_PROCESS] = A9N_PROCESS_SUSPEND,
    [A9N_OBJECT_IPC_PORT] = A9N_IPC_PORT_IDENTIFY,
    [A9N_OBJECT_NOTIFICATION_PORT] = A9N_NOTIFICATION_PORT_IDENTIFY,
    [A9N_OBJECT_INTERRUPT_REGION] = A9N_INTERRUPT_REGION_MAKE_PORT,
    [A9N_OBJECT_IO_PORT] = A9N_IO_PORT_MINT,
    [A9N_OBJECT_ASID_CONTROL] = A9N_ASID_CONTROL_MAKE_POOL,
    [A9N_OBJECT_ASID_POOL] = A9N_ASID_POOL_ASSIGN,
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

a9n_error cap_call_resolved(struct process *caller, struct cap_message *msg,
                            struct cap_slot *target)
{
    a9n_error e = cap_dispatch(caller, msg, target);
#ifdef A9N_CHECK_INVARIANTS
    /* Debug kernels: no call may leave a stale or unnamed entry in any table. Checked when a
     * call ends, not at each preemption point: the walk costs far more than one step, so a
     * restarted call would barely move between walks (the host tests check every stop). */
    char why[96];
    if (e != A9N_PREEMPTED &&
        !vspace_check_invariants(&caller->slots[PROCESS_SLOT_ROOT_NODE], why, sizeof why))
        panic("vspace invariant broken by a call (result %u): %s", (unsigned)e, why);
#endif
    /* A preempted call must find its arguments again when it restarts: the registers stay
     * exactly as the caller set them (core/preempt.h). */
    if (e == A9N_PREEMPTED)
        return e;
    msg->mr[A9N_MR_SUCCESS] = e == A9N_SUCCESS;
    msg->mr[A9N_MR_ERROR] = e;
    return e;
}
