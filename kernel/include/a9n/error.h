/*
 * A9N ABI: error codes. A failed capability call returns MR0 = 0 (failure) and MR1 = one
 * of these; a failed call has changed nothing. Numbers are stable: new codes are appended.
 */
#pragma once

#include <a9n/types.h>

typedef enum a9n_error {
    A9N_SUCCESS = 0,
    /* The operation number is unknown for this object type, or the object type does not
     * support it (e.g. COPY of a Generic, any operation on a Page Table), or the object is not
     * in a state that allows it (REPLY with no call to answer). */
    A9N_ERROR_ILLEGAL_OPERATION = 1,
    /* A right the operation needs is missing, or a derivation asked for more rights than the
     * source has, or an identifier that is already set was to be changed. */
    A9N_ERROR_PERMISSION_DENIED = 2,
    /* The descriptor is malformed: depth above 56, or bits set below the consumed ones. */
    A9N_ERROR_INVALID_DESCRIPTOR = 3,
    /* The depth does not end exactly at a slot: it ends inside a Node's index bits, or bits
     * remain when the lookup reaches a slot that is not a Node. */
    A9N_ERROR_INVALID_DEPTH = 4,
    /* An argument value is invalid: unknown type, bad size bits, count 0, unknown rights. */
    A9N_ERROR_INVALID_ARGUMENT = 5,
    /* The Generic has not enough room left (after aligning its watermark) for the objects. */
    A9N_ERROR_NOT_ENOUGH_MEMORY = 6,
    /* An explicit slot index (or index + count) lies beyond the Node's 2^radix slots. */
    A9N_ERROR_INDEX_OUT_OF_RANGE = 7,
    /* A capability was needed but the slot is empty. */
    A9N_ERROR_EMPTY_SLOT = 8,
    /* A destination slot is not empty. */
    A9N_ERROR_SLOT_OCCUPIED = 9,
    /* A capability named by an argument has the wrong type (e.g. CONVERT into a non-Node). */
    A9N_ERROR_WRONG_TYPE = 10,
    /* The object a blocked call waited on was destroyed while it waited (e.g. an IPC Port
     * whose last capability went away wakes its waiters with this). */
    A9N_ERROR_DESTROYED = 11,
    /* The kernel found itself in a state it cannot explain; never expected. */
    A9N_ERROR_FATAL = 12,
    /* A blocked call was ended by SUSPEND of the process that made it. */
    A9N_ERROR_CANCELED = 13,
    /* MAP: a page table on the way to the address is missing (MR2 = its level). */
    A9N_ERROR_MISSING_TABLE = 14,
    /* MAP: the address already has a mapping (or, for a Page Table, every table exists). */
    A9N_ERROR_ADDRESS_IN_USE = 15,
    /* MAP: this Frame or Page Table capability is already mapped (COPY it to map again). */
    A9N_ERROR_ALREADY_MAPPED = 16,
    /* UNMAP: the capability is not mapped in this Address Space. */
    A9N_ERROR_NOT_MAPPED = 17,
    /* The resource is already claimed: an interrupt line that has its port, a Notification
     * Port bound to another process. */
    A9N_ERROR_IN_USE = 18,
    /* No address-space identifier left: ASSIGN on an ASID Pool whose every ASID is in use, or
     * MAKE_POOL when the kernel's directory of pools is full. MAP on an Address Space that
     * has no ASID (never assigned, or its pool was destroyed) says this too. */
    A9N_ERROR_NO_ASID = 19,
    A9N_ERROR_COUNT = 20,
} a9n_error;
