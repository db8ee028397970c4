/*
 * The derivation tree (see cap.h): every slot links to its first child and its siblings.
 *   a new child goes first among its parent's children (MINT);
 *   a copy is a sibling right before its source (COPY), so `source` keeps its children;
 *   CONVERT puts the objects it makes in creation order, after the Generic's other children.
 * Invariants, true between any two operations (test/unit/core/invariants.c checks them):
 *   - siblings form a ring through `prev`: the first one's `prev` is the last one, an only
 *     child's `prev` is itself; `x->prev->next == x` for every x but the first;
 *   - `next` is the next sibling, untagged, or for the last sibling its parent tagged with
 *     CAPTREE_PARENT (the tag alone for the last root);
 *   - a parent's `child` is the first of its children's ring (NULL: no children);
 *   - every linked slot is full, every empty slot has all three links zero.
 * So every change below is O(1): a subtree moves with its root, nothing counts depths, and
 * no slot names a parent other than through the ends of its ring (a MOVE of a capability
 * with 2^20 children rewrites two of them, not 2^20). A slot's parent is known in O(1) when
 * it is the first or the last of its siblings; every operation that needs a parent needs it
 * only there. Nothing recurses. The pre-order walk (captree_walk_next) is O(depth) at worst
 * per slot but linear over a whole walk: only Debug INTROSPECT, which bounds the steps of
 * each call, and the debug checkers walk.
 */
#pragma once

#include <core/cap.h>

#define CAPTREE_PARENT 1ull

/* The parent of the roots: a slot that holds nothing and is never reported, so that the
 * roots form a ring like any other siblings. */
extern struct cap_slot captree_roots;

static inline bool captree_is_linked(const struct cap_slot *s)
{
    return s->next != NULL;
}

static inline bool captree_has_children(const struct cap_slot *s)
{
    return s->child != NULL;
}

/* Whether `s` is the last of its siblings (its `next` names its parent). */
static inline bool captree_is_last(const struct cap_slot *s)
{
    return ((uintptr_t)s->next & CAPTREE_PARENT) != 0;
}

/* Whether `s` is the first of its siblings (its `prev`, the last one, does not lead back). */
static inline bool captree_is_first(const struct cap_slot *s)
{
    return s->prev->next != s;
}

static inline struct cap_slot *captree_untag(struct cap_slot *p)
{
    return (struct cap_slot *)((uintptr_t)p & ~(uintptr_t)CAPTREE_PARENT);
}

static inline struct cap_slot *captree_next_sibling(const struct cap_slot *s)
{
    return captree_is_last(s) ? NULL : s->next;
}

static inline struct cap_slot *captree_prev_sibling(const struct cap_slot *s)
{
    return captree_is_first(s) ? NULL : s->prev;
}

/* The parent of `s`, which must be the first or the last of its siblings (NULL: a root). */
static inline struct cap_slot *captree_end_parent(const struct cap_slot *s)
{
    struct cap_slot *p = captree_untag(captree_is_last(s) ? s->next : s->prev->next);
    return p == &captree_roots ? NULL : p;
}

/* Whether `s` is the only child of its parent. */
static inline bool captree_is_only_child(const struct cap_slot *s)
{
    return s->prev == s;
}

/* Slots whose links the functions below have rewritten, ever: host tests bound it per
 * preemptible step (test_random.c, test_preempt_tree.c). */
extern uint64_t captree_work;

/* A new first child of `parent`. */
void captree_insert_child(struct cap_slot *parent, struct cap_slot *s);

/* A new child of `parent` right after `after`, which is `parent` itself (then `s` goes
 * first) or a child of it (CONVERT keeps the objects it makes in creation order). */
void captree_insert_child_after(struct cap_slot *parent, struct cap_slot *after,
                                struct cap_slot *s);

/* A copy of `source`: its sibling right before it (so `source` keeps its children). */
void captree_insert_sibling(struct cap_slot *source, struct cap_slot *s);

/* A new root (boot capability) right after the root `after`; when NULL, the first root of
 * a new tree (boot, and each host test, starts one). */
void captree_insert_root(struct cap_slot *after, struct cap_slot *s);

/*
 * One step of lifting the children of `s` (a zombie, which no longer stands for anything)
 * to its parent: its first child, with its whole subtree, becomes the sibling right before
 * `s`. The tree is exactly consistent after every step: `s` stays the parent of its
 * remaining children. O(1).
 */
void captree_lift_first_child(struct cap_slot *s);

/* Takes the childless `s` out of the tree; its siblings close the gap. */
void captree_unlink(struct cap_slot *s);

/* `to` takes `from`'s place in the tree, children and all (a MOVE). `from` is left unlinked. */
void captree_replace(struct cap_slot *from, struct cap_slot *to);

/* The first root, kept as the tree changes (O(1)): where introspection starts. */
struct cap_slot *captree_head(void);

/* The first root of the tree that contains `s` (climbs: O(depth); host tests and checkers). */
struct cap_slot *captree_first(struct cap_slot *s);

/*
 * The slot after `s` in pre-order, or NULL at the end; *depth follows (+1 into a child,
 * -1 per level climbed). O(levels climbed): for checkers and tests, which walk everything
 * (inline: the checked kernel walks the whole tree per page-table entry after every call).
 */
static inline struct cap_slot *captree_walk_next(const struct cap_slot *s, uint32_t *depth)
{
    if (s->child != NULL) {
        ++*depth;
        return s->child;
    }
    if (s->next == NULL)
        return NULL; /* not linked */
    while (captree_is_last(s)) {
        s = captree_untag(s->next);
        if (s == &captree_roots)
            return NULL;
        --*depth;
    }
    return s->next;
}

/* The parent of `s` (NULL: a root), O(number of its later siblings): checkers and tests. */
struct cap_slot *captree_parent(const struct cap_slot *s);
