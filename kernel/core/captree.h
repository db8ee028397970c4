/*
 * The derivation tree (see cap.h): a pre-order list with depths.
 *   children follow their parent, deeper (a new child goes first, right after it);
 *   copies are siblings: a copy goes right before its source, at the same depth.
 * A slot's parent is the nearest slot before it with a smaller depth, and its descendants
 * are the slots after it up to the first one that is not deeper. Depths may skip values:
 * a REVOKE deletes a slot with children (the first child of the revoked slot) in one step,
 * leaving its children where they are, now children of the revoked slot, one level deeper
 * than the ones it had (slot.c). So "child" never means "exactly one deeper".
 * Every operation here is O(1) except where noted; nothing recurses.
 */
#pragma once

#include <core/cap.h>

/* Links `s` right after `anchor` at the given depth. */
void captree_insert_after(struct cap_slot *anchor, struct cap_slot *s, uint32_t depth);

/* A new child of `parent`: right after it, deeper than it and at least as deep as its
 * current first child (which becomes the new one's sibling, not its descendant). */
void captree_insert_child(struct cap_slot *parent, struct cap_slot *s);

/* A new child of `parent` right after `after`, which is `parent` itself or a childless
 * child of it (CONVERT keeps the objects it makes in creation order). */
void captree_insert_child_after(struct cap_slot *parent, struct cap_slot *after,
                                struct cap_slot *s);

/* A copy of `source`: right before it, at its depth (so `source` keeps its children). */
void captree_insert_sibling(struct cap_slot *source, struct cap_slot *s);

/*
 * A new root (boot capability, depth 0). It goes after `after`'s whole subtree, or alone
 * when `after` is NULL. O(size of that subtree): only for boot.
 */
void captree_insert_root(struct cap_slot *after, struct cap_slot *s);

/* Whether `s` has at least one descendant. */
static inline bool captree_has_children(const struct cap_slot *s)
{
    return s->next != NULL && s->next->depth > s->depth;
}

/* The parent of `s`, or NULL for a root. O(number of earlier siblings and their subtrees). */
struct cap_slot *captree_parent(const struct cap_slot *s);

/* Every descendant of `s` moves up one level (s is about to be removed).
 * O(size of the subtree): only for a slot with few descendants (see slot_lift_children). */
void captree_promote_children(struct cap_slot *s);

/*
 * One step of lifting the children of `s` (a zombie, which no longer stands for anything)
 * to its parent: its first child, with that child's subtree, moves up to s's depth (one
 * level, or more where depths skip values), and `s`
 * moves to right after that subtree, keeping its depth. So the lifted child is now a
 * sibling of `s` (a child of s's parent) that precedes it, and the tree is exactly
 * consistent after every step: `s` stays the parent of its remaining children, which are
 * untouched. Returns the number of slots moved up (the size of the child's subtree).
 */
uint32_t captree_lift_first_child(struct cap_slot *s);

/* Takes `s` out of the list; its neighbours close the gap. Depths are left alone. */
void captree_unlink(struct cap_slot *s);

/* `to` takes `from`'s place in the list (a MOVE). `from` is left unlinked. */
void captree_replace(struct cap_slot *from, struct cap_slot *to);

/* The first slot of the list, kept as the list changes (O(1)): where introspection starts. */
struct cap_slot *captree_head(void);

/* The first slot of the list that contains `s` (walks back). */
struct cap_slot *captree_first(struct cap_slot *s);
