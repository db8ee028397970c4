/*
 * Whole-state invariants of the capability core, checked by the unit tests after every step
 * and by the fuzz target after every call:
 *  - the derivation tree is well formed (core/captree.h): every sibling ring closes, its
 *    last slot names its parent, back links match, no empty slot is linked or keeps links;
 *  - every linked slot lies in a live container (a Node or Process some capability refers
 *    to, or one of the `loose` boot slots), and every full slot of a live container is
 *    linked: nothing references freed memory, nothing is lost;
 *  - every capability is well formed for its type;
 *  - every object lies inside the used part [base, base + watermark) of its nearest Generic
 *    ancestor; the objects directly under one Generic do not overlap; a Generic without
 *    children has watermark 0; a watermark never exceeds the Generic;
 *  - the capabilities to one stateful object form one run of the tree in pre-order;
 *  - the reaper is empty.
 */
#pragma once

#include <core/cap.h>

/* `loose[0]` must be linked (any slot of the list will do). Returns false and describes the
 * first violation in `why` otherwise. */
bool invariants_check_slots(struct cap_slot *const *loose, size_t nloose, char *why, size_t len);

/* The same checks for the state between two preemptions of one call (core/preempt.h):
 * zombies and dead Nodes waiting on the reaper are allowed, the dead Nodes must be
 * unreachable and their memory not handed out again. */
bool invariants_check_preempted(struct cap_slot *const *loose, size_t nloose, char *why,
                                size_t len);
