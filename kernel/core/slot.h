/*
 * Deleting, revoking and moving capabilities: everything that changes which slots are
 * filled, with the derivation tree and the object life cycle kept consistent.
 */
#pragma once

#include <core/cap.h>

/* Whether `s` holds the last capability to its object (a lifting zombie counts as one). */
bool slot_is_last_reference(const struct cap_slot *s);

/*
 * Deletes the capability in `s`: its descendants move up one level (they now hang off s's
 * parent), a Generic parent left without children gets its watermark reset, and if `s`
 * held the last capability to an object, the object is destroyed (or queued on the
 * reaper). Does not drain the reaper.
 */
void slot_delete(struct cap_slot *s);

/*
 * The unbounded part of deleting the capability in `s`, done first and preemptibly while
 * `s` keeps it (core/preempt.h): the page tables that the deletion would clear (a mapped
 * Page Table's subtree; the tree of an Address Space, of every Address Space of an ASID Pool,
 * or of a Process's Address Space, when `s` holds the last capability). Returns
 * A9N_PREEMPTED with the progress in the tables; SUCCESS once slot_delete(s) is bounded.
 */
a9n_error slot_empty_first(struct cap_slot *s);

/*
 * The other unbounded part of deleting the capability in `s`: its children move up to its
 * parent, a whole child (with its subtree) per step, preemptibly. If `s` has children, it
 * becomes a zombie first (cap.h): its object dies now if it was the last capability, and
 * the slot stays in place, unusable, until the deletion ends. Returns A9N_PREEMPTED with the
 * progress in the tree (the zombie's remaining children); SUCCESS once `s` is childless.
 */
a9n_error slot_lift_children(struct cap_slot *s);

/*
 * REMOVE: deletes the capability in `s` and drains the reaper. Preemptible: returns
 * A9N_PREEMPTED with the progress recorded (the slot then holds a zombie if it held the
 * last capability to a Node or Process, see cap.h); the same call made again continues.
 */
a9n_error slot_remove(struct cap_slot *s);

/*
 * REVOKE: deletes every descendant of `s` (iteratively, always its first child, in O(1)
 * each, no recursion), resets the watermark if `s` is a Generic, then drains the reaper.
 * `s` itself stays, unless it lived in a Node that the revoke destroyed. Preemptible like
 * slot_remove: the remaining descendants are the progress.
 */
a9n_error slot_revoke(struct cap_slot *s);

/* MOVE: `to` (empty) takes over `from`'s capability and tree position; `from` is empty. */
void slot_move(struct cap_slot *from, struct cap_slot *to);

/* COPY: `to` (empty) gets `from`'s capability with `rights` (a subset), as a sibling. */
void slot_copy(struct cap_slot *from, struct cap_slot *to, unsigned rights);

/* MINT: `to` (empty) gets `from`'s capability with `rights` and `identifier` (0: keep), as
 * a child of `from`. */
void slot_mint(struct cap_slot *from, struct cap_slot *to, unsigned rights, uint64_t identifier);
