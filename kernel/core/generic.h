/* Generic: untyped memory, converted into objects at a watermark (see generic.c). */
#pragma once

#include <core/cap_call.h>

/* Makes `c` a Generic capability for 2^bits bytes at `base` (boot and tests). Returns false
 * if the range is invalid: bits outside the ABI limits, or base not aligned to 2^bits. */
bool generic_make_root(struct cap *c, paddr_t base, unsigned bits, bool device);

/* The Generic `g` has no children left: all its memory is free again. */
void generic_reset(struct cap_slot *g);

/*
 * Clears the Generic's memory from its watermark up to offset `end`, skipping what its
 * cleared mark (cap_generic_zeroed) says is zero already, one page at a time and recording
 * each page in the mark. With `preemptible`, stops at a preemption point (A9N_PREEMPTED).
 */
a9n_error generic_clear(struct cap_slot *g, uint64_t end, bool preemptible);

/*
 * Checks that `count` objects of CONVERT(type, specific_bits) fit in the Generic `g`.
 * On success gives their size bits and the offset of the first one. Errors, in this order:
 * INVALID_ARGUMENT (type not convertible), ILLEGAL_OPERATION (device memory, not a Frame),
 * INVALID_ARGUMENT (specific bits, count 0), NOT_ENOUGH_MEMORY.
 */
a9n_error generic_check(const struct cap *g, a9n_word type, a9n_word specific_bits, a9n_word count,
                        unsigned *bits, uint64_t *offset);

/* Creates the objects generic_check approved into `count` consecutive empty slots from
 * `dest`, as children of `g`, in order, and advances the watermark. Clears their memory
 * first, unless generic_clear did already. */
void generic_convert(struct cap_slot *g, unsigned type, unsigned bits, uint64_t offset,
                     uint64_t count, struct cap_slot *dest);

a9n_error generic_invoke(struct process *caller, struct cap_slot *g, struct cap_message *msg);
