/*
 * A9N ABI: object types, rights, and the size of every object type.
 *
 * This is the only place where object sizes are written. The kernel checks its real
 * structures against them with static asserts; capgen and ULMM compute memory plans from
 * them; nobody copies a size by hand.
 */
#pragma once

#include <a9n/types.h>

/* Object type numbers: the `type` argument of Generic CONVERT and the kind of a capability. */
enum a9n_object_type {
    A9N_OBJECT_NONE = 0,              /* an empty slot */
    A9N_OBJECT_DEBUG = 1,             /* console output and introspection (singleton) */
    A9N_OBJECT_NODE = 2,              /* a table of 2^radix capability slots */
    A9N_OBJECT_GENERIC = 3,           /* untyped memory: 2^bits bytes, maybe device memory */
    A9N_OBJECT_ADDRESS_SPACE = 4,     /* a root page table (x86_64: PML4) */
    A9N_OBJECT_PAGE_TABLE = 5,        /* an inner page table; its level is fixed when mapped */
    A9N_OBJECT_FRAME = 6,             /* a page of memory: 4 KiB, or 2 MiB */
    A9N_OBJECT_PROCESS = 7,           /* a process control block */
    A9N_OBJECT_IPC_PORT = 8,          /* synchronous message passing */
    A9N_OBJECT_NOTIFICATION_PORT = 9, /* an asynchronous bit-OR word */
    A9N_OBJECT_INTERRUPT_REGION = 10, /* makes Interrupt Ports (singleton) */
    A9N_OBJECT_INTERRUPT_PORT = 11,   /* one interrupt line */
    A9N_OBJECT_IO_PORT = 12,          /* an x86 I/O port range */
    A9N_OBJECT_ASID_CONTROL = 13,     /* makes ASID Pools (singleton, first process only) */
    A9N_OBJECT_ASID_POOL = 14,        /* A9N_ASID_POOL_ENTRIES address-space identifiers */
    A9N_OBJECT_TYPE_COUNT = 15,
};

/*
 * Rights of one capability. Derivation only ever narrows them (COPY keeps them, MINT and
 * DEMOTE take a subset; asking for a right the source lacks is PERMISSION_DENIED).
 *   READ   receive / read / map readable        WRITE  send / write / put new contents
 *   COPY   may be the source of COPY or MINT     MODIFY change or destroy what exists
 * What each right means for each operation is listed with the operations (a9n/operation.h).
 */
enum a9n_rights {
    A9N_RIGHT_READ = 1u << 0,
    A9N_RIGHT_WRITE = 1u << 1,
    A9N_RIGHT_COPY = 1u << 2,
    A9N_RIGHT_MODIFY = 1u << 3,
    A9N_RIGHTS_ALL = 0xfu,
};

/* --- Sizes (log2 of bytes) ---------------------------------------------------------- */

/* One capability slot. A Node of radix r occupies 2^(A9N_SLOT_BITS + r) bytes. */
#define A9N_SLOT_BITS      6
#define A9N_NODE_RADIX_MIN 1
#define A9N_NODE_RADIX_MAX 20

/* A Generic covers 2^bits bytes, aligned to its size. */
#define A9N_GENERIC_MIN_BITS 6
#define A9N_GENERIC_MAX_BITS 52

#define A9N_FRAME_BITS             12 /* the normal page */
#define A9N_LARGE_FRAME_BITS       21 /* a 2 MiB page */
#define A9N_ADDRESS_SPACE_BITS     12
#define A9N_PAGE_TABLE_BITS        12
#define A9N_PROCESS_BITS           11
#define A9N_IPC_PORT_BITS          6
#define A9N_NOTIFICATION_PORT_BITS 6
/* An ASID Pool is made by ASID_CONTROL MAKE_POOL (not by CONVERT) from 2^12 bytes of a
 * Generic, and names this many Address Spaces. */
#define A9N_ASID_POOL_BITS         12
#define A9N_ASID_POOL_ENTRIES      256

/*
 * Debug, Interrupt Region, Interrupt Port and IO Port are not made from Generic memory:
 * Debug and the Interrupt Region are kernel singletons handed out at boot, and an
 * Interrupt Port or IO Port is entirely described by its capability (line number, port
 * range). Their size is 0 and CONVERT rejects them.
 */
#define A9N_CAP_ONLY_BITS 0

/*
 * The size (log2 bytes) of an object made by CONVERT(type, specific_bits), or 0 when that
 * combination is invalid. specific_bits is the radix for a Node, the size for a Generic, the
 * page size (12 or 21) for a Frame, and must be 0 for every other type.
 */
static inline unsigned a9n_object_bits(a9n_word type, a9n_word specific_bits)
{
    switch (type) {
    case A9N_OBJECT_NODE:
        if (specific_bits < A9N_NODE_RADIX_MIN || specific_bits > A9N_NODE_RADIX_MAX)
            return 0;
        return A9N_SLOT_BITS + (unsigned)specific_bits;
    case A9N_OBJECT_GENERIC:
        if (specific_bits < A9N_GENERIC_MIN_BITS || specific_bits > A9N_GENERIC_MAX_BITS)
            return 0;
        return (unsigned)specific_bits;
    case A9N_OBJECT_FRAME:
        if (specific_bits != A9N_FRAME_BITS && specific_bits != A9N_LARGE_FRAME_BITS)
            return 0;
        return (unsigned)specific_bits;
    case A9N_OBJECT_ADDRESS_SPACE:
        return specific_bits == 0 ? A9N_ADDRESS_SPACE_BITS : 0;
    case A9N_OBJECT_PAGE_TABLE:
        return specific_bits == 0 ? A9N_PAGE_TABLE_BITS : 0;
    case A9N_OBJECT_PROCESS:
        return specific_bits == 0 ? A9N_PROCESS_BITS : 0;
    case A9N_OBJECT_IPC_PORT:
        return specific_bits == 0 ? A9N_IPC_PORT_BITS : 0;
    case A9N_OBJECT_NOTIFICATION_PORT:
        return specific_bits == 0 ? A9N_NOTIFICATION_PORT_BITS : 0;
    default:
        return 0;
    }
}

/* Whether CONVERT can make objects of this type at all. */
static inline bool a9n_object_is_convertible(a9n_word type)
{
    switch (type) {
    case A9N_OBJECT_NODE:
    case A9N_OBJECT_GENERIC:
    case A9N_OBJECT_ADDRESS_SPACE:
    case A9N_OBJECT_PAGE_TABLE:
    case A9N_OBJECT_FRAME:
    case A9N_OBJECT_PROCESS:
    case A9N_OBJECT_IPC_PORT:
    case A9N_OBJECT_NOTIFICATION_PORT:
        return true;
    default:
        return false;
    }
}

/* Bytes of `count` objects of 2^bits each, as capgen and ULMM plan them (no overflow check:
 * callers keep bits + log2(count) < 64). */
static inline uint64_t a9n_object_bytes(unsigned bits, uint64_t count)
{
    return count << bits;
}
