/*
 * Per-type object life cycle: what CONVERT does after zeroing the memory, and what happens
 * when the last capability to an object goes away.
 */
#pragma once

#include <core/cap.h>

/* Whether objects of this type have kernel state that dies with their last capability. */
bool object_has_state(unsigned type);

/* Fills in the capability for a new object of `type` at `pa`, 2^bits bytes, and sets up the
 * object itself (its memory is already zeroed unless it is device memory). */
void object_create(struct cap *c, unsigned type, paddr_t pa, unsigned bits, bool device);

/*
 * The last capability `c` (already cleared from its slot) referred to its object: destroy
 * it. Recurses at most one level: a Node that holds capabilities is queued on the reaper
 * (reaper.h); a Process is destroyed at once, deleting its own five slots, none of which
 * can hold a Process.
 */
void object_destroy(const struct cap *c);
