/*
 * A9N ABI: the Debug capability's introspection records. Debug INTROSPECT walks the live
 * derivation tree of every capability in the system in pre-order (a child right after its
 * parent, one level deeper) and writes up to A9N_INTROSPECT_PER_CALL records per call into
 * the caller's IPC buffer, from message[A9N_MR_REGISTER_COUNT] on.
 *
 * A record says where the capability lives (the physical address of its slot: slots are
 * A9N_SLOT_BITS wide, inside a Node's memory or a Process's), what it is, and what it
 * refers to. User space identifies objects by their physical address (Frames: GET_ADDRESS;
 * the others: as they appear in the records of the capabilities it made them with).
 */
#pragma once

#include <a9n/types.h>

struct a9n_introspect_record {
    a9n_word slot;    /* physical address of the slot */
    a9n_word kind;    /* type | rights << 8 | depth << 16 */
    a9n_word object;  /* physical address; Interrupt Port: line; singletons: 0 */
    a9n_word data[2]; /* Node: radix; Generic: watermark, bits; Frame: bits | mapping;
                         ports: identifier; IO Port: first, last port; Interrupt Port: the
                         physical address of the bound Notification Port (0: none) */
};

#define A9N_INTROSPECT_RECORD_WORDS 5
#define A9N_INTROSPECT_PER_CALL     ((256 - 9) / A9N_INTROSPECT_RECORD_WORDS)

static inline unsigned a9n_introspect_type(a9n_word kind)
{
    return (unsigned)(kind & 0xff);
}

static inline unsigned a9n_introspect_rights(a9n_word kind)
{
    return (unsigned)((kind >> 8) & 0xff);
}

static inline unsigned a9n_introspect_depth(a9n_word kind)
{
    return (unsigned)(kind >> 16);
}
