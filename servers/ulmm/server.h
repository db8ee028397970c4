/* What the two ULMM server programs (slab_main.c, buddy_main.c) share. */
#pragma once

#include "core/dispatch.h"

#include <a9n/abi.h>

/* Slots from here on are the server's own: capgen places declared capabilities and pools
 * in the lowest slots, and each server checks that its last one is below (ULMM_CHECK_SLOT). */
#define ULMM_FIRST_SLOT 64
#define ULMM_CHECK_SLOT(s)                                                                         \
    _Static_assert((s) < ULMM_FIRST_SLOT, "a declared slot is in ULMM's range")

/* The server's own capability space: its root Node (descriptor), its radix, and the next
 * slot not taken by declared capabilities, from which the pools' slots are laid out. */
struct ulmm_space {
    a9n_word node;
    unsigned radix;
    a9n_word next_free;
};
extern struct ulmm_space ulmm_space;

/* Slot numbers past the root Node: ulmm_nested(root slot, radix) + i is slot i of the Node
 * of that radix held in that root slot (the Buddy server keeps its tree there). */
#define ULMM_NESTED_SHIFT 40
#define ULMM_RADIX_SHIFT  32
a9n_word ulmm_nested(a9n_word root_slot, unsigned radix);

/* The descriptor of slot number `slot` (a root slot, or a nested one). */
a9n_word ulmm_slot(a9n_word slot);

/* MOVE from slot number `source` to slot number `dest`. */
a9n_error ulmm_kernel_move(a9n_word dest, a9n_word source);

/* Takes `count` consecutive free slots; returns the first, or 0 when the Node is full. */
a9n_word ulmm_take_slots(a9n_word count);

/*
 * How a server learns of its clients' deaths (descriptors; 0: not declared). `deaths` is a
 * Notification Port that clients' exit notices name (capgen's `exit_notice:`); the server
 * binds it to its own Process (`process`), so a RECEIVE also returns with the bits of the
 * clients that ended. `forward` is a supervisor's capability to another memory server's
 * port: each death is passed on there as a RECLAIM, so one notice serves both servers.
 */
struct ulmm_deaths_wiring {
    a9n_word process, deaths, forward;
};

/* Receives requests on `port` and answers each (dispatch.h), and death notices, forever. */
_Noreturn void ulmm_serve(struct ulmm_server *s, a9n_word port, struct ulmm_deaths_wiring deaths,
                          const char *name);
