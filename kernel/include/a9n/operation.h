/*
 * A9N ABI: operation numbers, per object type. A capability call carries the operation in
 * MR1 (see a9n/message.h); its meaning depends on the type of the invoked capability.
 * Number 0 is never an operation (a zeroed message is ILLEGAL_OPERATION).
 *
 * Arguments are listed as MR2, MR3, ...; "node" below is the invoked capability. The
 * headers a9n/vspace.h, a9n/process.h, a9n/ipc.h, a9n/notification.h and a9n/debug.h
 * describe the operations of their objects in full.
 */
#pragma once

/* Node. Rights on the invoked Node: WRITE to put a capability in, MODIFY to change or
 * remove one. Rights on the source capability: COPY for COPY and MINT; MOVE needs none. */
enum a9n_node_operation {
    A9N_NODE_COPY = 1,   /* MR2 dest index, MR3 source descriptor */
    A9N_NODE_MOVE = 2,   /* MR2 dest index, MR3 source descriptor */
    A9N_NODE_MINT = 3,   /* MR2 dest index, MR3 source descriptor, MR4 rights, MR5 identifier */
    A9N_NODE_DEMOTE = 4, /* MR2 index, MR3 rights (a subset of the current rights) */
    A9N_NODE_REMOVE = 5, /* MR2 index */
    A9N_NODE_REVOKE = 6, /* MR2 index: destroys everything derived from that capability */
};

/* Generic. Needs WRITE on the Generic and WRITE on the destination Node. */
enum a9n_generic_operation {
    /* MR2 type, MR3 specific bits, MR4 count, MR5 destination Node descriptor,
     * MR6 first destination index */
    A9N_GENERIC_CONVERT = 1,
    /* MR2 source Frame descriptor, MR3 source offset, MR4 offset in the new Frame, MR5
     * length, MR6 destination Node descriptor, MR7 destination index: one 4 KiB Frame, made
     * as CONVERT makes one, whose bytes [MR4, MR4 + MR5) are the source's [MR3, MR3 + MR5)
     * and every other byte zero; nothing of the memory's old contents shows, and it is not
     * cleared first (one pass over the page). Source: READ, no device Frame, the range
     * within it; not on a device Generic. */
    A9N_GENERIC_CONVERT_FILLED = 2,
};

/* Address Space. */
enum a9n_address_space_operation {
    A9N_ADDRESS_SPACE_MAP = 1,             /* page table or frame, vaddr, attributes */
    A9N_ADDRESS_SPACE_UNMAP = 2,           /* vaddr, level */
    A9N_ADDRESS_SPACE_GET_UNSET_DEPTH = 3, /* vaddr: which page-table level is missing */
};

/* Page Table: mapped and unmapped through its Address Space; no operations of its own. */

/* Frame. */
enum a9n_frame_operation {
    A9N_FRAME_GET_ADDRESS = 1, /* result MR2: physical address */
    /* MR2 source Frame descriptor, MR3 source offset, MR4 destination offset, MR5 length:
     * copies bytes from the source Frame (READ) into the invoked one (WRITE), neither mapped
     * anywhere needed; both ranges within their Frames, length at most A9N_FRAME_COPY_MAX;
     * no device Frame (its reads may have effects). */
    A9N_FRAME_COPY = 2,
};

/* The most one Frame COPY moves (one page: the kernel is not preempted while it copies). */
#define A9N_FRAME_COPY_MAX 4096

/* Process. */
enum a9n_process_operation {
    A9N_PROCESS_CONFIGURE = 1, /* MR2 bitmask of a9n_process_configure, then the values */
    A9N_PROCESS_READ_REGISTER = 2,
    A9N_PROCESS_WRITE_REGISTER = 3,
    A9N_PROCESS_RESUME = 4,
    A9N_PROCESS_SUSPEND = 5, /* MR2: 0 = a pause, A9N_PROCESS_SUSPEND_END = the end */
};

/* SUSPEND's MR2: the process ends (it exits, or it is killed): its exit notice goes out. */
#define A9N_PROCESS_SUSPEND_END 1

/* Fields that Process CONFIGURE sets, one bit each in its MR2. */
enum a9n_process_configure {
    A9N_PROCESS_CONFIGURE_ADDRESS_SPACE = 1u << 0,
    A9N_PROCESS_CONFIGURE_ROOT_NODE = 1u << 1,
    A9N_PROCESS_CONFIGURE_IPC_BUFFER = 1u << 2,
    A9N_PROCESS_CONFIGURE_NOTIFICATION = 1u << 3,
    A9N_PROCESS_CONFIGURE_RESOLVER = 1u << 4,
    A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER = 1u << 5,
    A9N_PROCESS_CONFIGURE_STACK_POINTER = 1u << 6,
    A9N_PROCESS_CONFIGURE_THREAD_LOCAL_BASE = 1u << 7,
    A9N_PROCESS_CONFIGURE_PRIORITY = 1u << 8,
    A9N_PROCESS_CONFIGURE_AFFINITY = 1u << 9,
    A9N_PROCESS_CONFIGURE_EXIT_NOTICE = 1u << 10,
};

/* IPC Port. READ = receive, WRITE = send. */
enum a9n_ipc_port_operation {
    A9N_IPC_PORT_SEND = 1,
    A9N_IPC_PORT_RECEIVE = 2,
    A9N_IPC_PORT_CALL = 3,
    A9N_IPC_PORT_REPLY = 4,
    A9N_IPC_PORT_REPLY_RECEIVE = 5,
    A9N_IPC_PORT_IDENTIFY = 6,
};

/* Notification Port. WRITE = notify, READ = wait/poll. */
enum a9n_notification_port_operation {
    A9N_NOTIFICATION_PORT_NOTIFY = 1,
    A9N_NOTIFICATION_PORT_WAIT = 2,
    A9N_NOTIFICATION_PORT_POLL = 3,
    A9N_NOTIFICATION_PORT_IDENTIFY = 4,
};

/* Interrupt Region. */
enum a9n_interrupt_region_operation {
    A9N_INTERRUPT_REGION_MAKE_PORT = 1, /* MR2 line, MR3 dest Node descriptor, MR4 index */
};

/* Interrupt Port. */
enum a9n_interrupt_port_operation {
    A9N_INTERRUPT_PORT_BIND = 1, /* MR2 notification descriptor */
    A9N_INTERRUPT_PORT_UNBIND = 2,
    A9N_INTERRUPT_PORT_ACK = 3,
};

/* IO Port. */
enum a9n_io_port_operation {
    A9N_IO_PORT_READ = 1,  /* MR2 port, MR3 width */
    A9N_IO_PORT_WRITE = 2, /* MR2 port, MR3 width, MR4 value */
    A9N_IO_PORT_MINT = 3,  /* MR2 first, MR3 last, MR4 dest Node descriptor, MR5 index */
};

/* ASID Control (see a9n/vspace.h). */
enum a9n_asid_control_operation {
    A9N_ASID_CONTROL_MAKE_POOL = 1, /* MR2 Generic descriptor, MR3 dest Node, MR4 index */
};

/* ASID Pool. */
enum a9n_asid_pool_operation {
    A9N_ASID_POOL_ASSIGN = 1, /* MR2 Address Space descriptor */
};

/* Debug. */
enum a9n_debug_operation {
    A9N_DEBUG_WRITE = 1, /* MR2 length, MR3.. bytes: console output */
    /* MR2 cursor; MR3 a Node, MR4 its first slot, MR5 how many of its slots to leave out
     * (0: none; a9n/debug.h). Results: MR2 records written, MR3 the next cursor. */
    A9N_DEBUG_INTROSPECT = 2,
};
