/*
 * A9N ABI: the Debug capability's introspection records. Debug INTROSPECT walks the live
 * derivation tree of every capability in the system in pre-order (a child right after its
 * parent, one level deeper) and writes up to A9N_INTROSPECT_PER_CALL records per call into
 * the caller's IPC buffer, from message[A9N_MR_REGISTER_COUNT] on.
 *
 * The walk resumes where the last call stopped: a call with cursor 0 starts a walk, and its
 * result is a cursor that the next call passes to go on (0: the walk is complete). The
 * kernel keeps the position itself (a capability that is removed meanwhile moves it on to
 * the next), so each call does a bounded amount of work and a whole walk is linear in the
 * number of capabilities. There is one walk at a time: starting a new one makes the old
 * cursor invalid (INVALID_ARGUMENT), and its walker starts again from 0.
 *
 * A call may name slots to leave out: MR3 a Node (a descriptor from the caller's root Node),
 * MR4 its first slot, MR5 how many (0: none, MR3 and MR4 unused). The walk passes them, at a
 * comparison each, without a record; their subtrees are still walked, and a capability
 * derived from one is reported wherever it lives outside the range. So a reader that keeps
 * only part of the state (Alpha never compares its own boot capabilities) does not pay for
 * the rest. A Node that is not there (the lookup's error), is no Node (WRONG_TYPE), or a range
 * beyond its 2^radix slots (INVALID_ARGUMENT) refuses the call before anything changes: a walk
 * in progress keeps its cursor. A call passes at most 512 such slots, so it may return fewer
 * records (even none) with a cursor to go on.
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
    a9n_word data[3]; /* Node: radix; Generic: watermark, bits; Frame: bits | mapping;
                         ports: identifier; IO Port: first, last port; Interrupt Port: the
                         physical address of the bound Notification Port (0: none);
                         Process: instruction pointer, stack pointer, priority |
                         its run state << 8 (a9n_introspect_process_state).
                         Frame and Page Table, data[2]: where it is mapped, read from the
                         page tables: the physical address of the Address Space's root
                         table | A9N_MAP_* rights of the entry (0: not mapped) */
};

#define A9N_INTROSPECT_RECORD_WORDS    6
#define A9N_INTROSPECT_PER_CALL        ((256 - 9) / A9N_INTROSPECT_RECORD_WORDS)
/* data[2] of a mapped Frame or Page Table: the rights live in the low bits. */
#define A9N_INTROSPECT_MAP_RIGHTS_MASK 0xfffull

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

/* A Process's run state, in bits 8..15 of data[2] (its priority in bits 0..7). */
enum a9n_introspect_process_state {
    A9N_INTROSPECT_PROCESS_INACTIVE = 0, /* new, suspended or stopped */
    A9N_INTROSPECT_PROCESS_READY = 1,    /* runs or may run */
    A9N_INTROSPECT_PROCESS_SENDING = 2,  /* blocked in SEND */
    A9N_INTROSPECT_PROCESS_CALLING = 3,  /* blocked in CALL, not yet received */
    A9N_INTROSPECT_PROCESS_RECEIVING = 4,
    A9N_INTROSPECT_PROCESS_REPLY_WAIT = 5, /* its call was received: waits for the reply */
    A9N_INTROSPECT_PROCESS_WAITING = 6,    /* in a Notification Port's WAIT */
    A9N_INTROSPECT_PROCESS_FAULTED = 7,    /* its fault went to its resolver: waits for it */
};

static inline unsigned a9n_introspect_priority(a9n_word data2)
{
    return (unsigned)(data2 & 0xff);
}

static inline unsigned a9n_introspect_process_state(a9n_word data2)
{
    return (unsigned)((data2 >> 8) & 0xff);
}
