/*
 * Making objects and child processes from a first process's resources (the root Node of
 * a9n/boot.h): a slot range to fill and a Generic to convert. Children share the program's
 * image (code, constants and, unless told otherwise, data: globals are shared memory) in an
 * Address Space of their own, with their own stack page, and start in entry(arg).
 */
#pragma once

#include <a9n/abi.h>
#include <stdbool.h>

struct koito_pool {
    unsigned generic;    /* root slot of the Generic objects come from */
    unsigned next;       /* next free root slot */
    unsigned end;        /* one past the last usable root slot */
    unsigned asid_pool;  /* root slot of the ASID Pool new Address Spaces get their ASID
                          * from; 0: A9N_ROOT_SLOT_ASID_POOL (a first process's own) */
    unsigned root_radix; /* the caller's root Node's radix; 0: A9N_ROOT_NODE_RADIX (a first
                          * process whose boot info says otherwise sets it, a9n/boot.h) */
};

/* The descriptor of root slot `index` (a root Node of A9N_ROOT_NODE_RADIX; a constant, so
 * children that do not map the program's data use it too). */
static inline a9n_word koito_root(a9n_word index)
{
    return a9n_descriptor_root(index, A9N_ROOT_NODE_RADIX);
}

/* A free root slot, or 0 when the range is used up. */
unsigned koito_slot(struct koito_pool *pool);
/* A new object in a new slot; 0 if CONVERT failed. */
unsigned koito_make(struct koito_pool *pool, unsigned type, unsigned specific_bits);
/* A new Address Space with an ASID from the pool's ASID Pool; 0 if either step failed. */
unsigned koito_make_address_space(struct koito_pool *pool);
/* Maps the Frame in `frame` at `va` in `as`, making page tables from the pool as needed. */
a9n_error koito_map(struct koito_pool *pool, unsigned as, unsigned frame, a9n_word va,
                    a9n_word attributes);

struct koito_child {
    unsigned process, as, node, stack, ipc_buffer;
};

enum koito_child_flags {
    KOITO_CHILD_SHARE_ROOT = 1, /* its root Node is ours (full authority); else its own */
    KOITO_CHILD_NO_DATA = 2,    /* do not map our data pages */
    KOITO_CHILD_IPC_BUFFER = 4, /* give it an IPC buffer at KOITO_CHILD_IPC_BUFFER_ADDRESS */
};

#define KOITO_CHILD_STACK              0x10000000ull
#define KOITO_CHILD_IPC_BUFFER_ADDRESS 0x10002000ull

/* Creates and resumes a child; `resolver` is a root slot of an IPC Port or 0. */
/* What a child needs to know of its parent: where the parent's own image frames are (root
 * slots, in load order: text, constants, data), and the parent's IPC buffer (a child with
 * an IPC buffer of its own needs seven CONFIGURE values, one beyond the registers). */
struct koito_image {
    a9n_word frame_first;
    a9n_word ipc_buffer;
};

/* For the first process: both from its boot info. */
static inline struct koito_image koito_image_of_boot(const struct a9n_boot_info *boot)
{
    return (struct koito_image){boot->image_frame_first, boot->ipc_buffer_address};
}

/* Maps copies of our image's frames into `as` at their addresses: code (execute), constants
 * (read-only) and, if `data`, our data pages (writable: shared memory with us). The frames
 * must follow image->frame_first in load order (text, rodata, data). */
bool koito_map_image(struct koito_pool *pool, const struct koito_image *image, unsigned as,
                     bool data);

bool koito_child_create(struct koito_pool *pool, const struct koito_image *image,
                        struct koito_child *c, void (*entry)(a9n_word), a9n_word arg,
                        unsigned priority, unsigned resolver, unsigned flags);
