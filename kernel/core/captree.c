/* The derivation tree: first-child and sibling-ring links (see captree.h). */
#include <core/captree.h>
#include <core/debug.h>

struct cap_slot captree_roots;
uint64_t captree_work;

static struct cap_slot *tag(struct cap_slot *parent)
{
    return (struct cap_slot *)((uintptr_t)parent | CAPTREE_PARENT);
}

/* The parent of `s` as its links name it: the roots' sentinel for a root. `s` is first or
 * last among its siblings. */
static struct cap_slot *end_parent(const struct cap_slot *s)
{
    return captree_untag(captree_is_last(s) ? s->next : s->prev->next);
}

struct cap_slot *captree_head(void)
{
    return captree_roots.child;
}

/* Links the unlinked `s` (with whatever subtree it has) as the sibling right before `x`. */
static void link_before(struct cap_slot *x, struct cap_slot *s)
{
    struct cap_slot *prev = x->prev;
    captree_work += 3; /* s, x, and prev or the parent */
    if (captree_is_first(x))
        end_parent(x)->child = s; /* `prev` is the last sibling, and stays it */
    else
        prev->next = s;
    s->prev = prev;
    s->next = x;
    x->prev = s;
}

/* Links the unlinked `s` as the sibling right after `a`, a child of `parent`. */
static void link_after(struct cap_slot *parent, struct cap_slot *a, struct cap_slot *s)
{
    captree_work += 3; /* s, a, and the next or the first sibling */
    if (captree_is_last(a))
        parent->child->prev = s; /* the ring's first one: `s` is the last one now */
    else
        a->next->prev = s;
    s->next = a->next;
    s->prev = a;
    a->next = s;
}

/* Takes `s` out of its siblings' ring; its subtree stays with it. */
static void unlink_subtree(struct cap_slot *s)
{
    struct cap_slot *prev = s->prev, *next = s->next;
    captree_work += 3; /* s and two of: prev, next, the parent, the first sibling */
    if (prev == s) {
        captree_untag(next)->child = NULL;
    } else if (captree_is_last(s)) {
        prev->next = next;
        captree_untag(next)->child->prev = prev;
    } else {
        if (captree_is_first(s))
            end_parent(s)->child = next;
        else
            prev->next = next;
        next->prev = prev;
    }
    s->prev = s->next = NULL;
}

void captree_insert_child(struct cap_slot *parent, struct cap_slot *s)
{
    s->child = NULL;
    if (parent->child != NULL) {
        link_before(parent->child, s);
        return;
    }
    captree_work += 2;
    parent->child = s;
    s->prev = s;
    s->next = tag(parent);
}

void captree_insert_child_after(struct cap_slot *parent, struct cap_slot *after, struct cap_slot *s)
{
    if (after == parent) {
        captree_insert_child(parent, s);
        return;
    }
    s->child = NULL;
    link_after(parent, after, s);
}

void captree_insert_sibling(struct cap_slot *source, struct cap_slot *s)
{
    s->child = NULL;
    link_before(source, s);
}

void captree_insert_root(struct cap_slot *after, struct cap_slot *s)
{
    if (after == NULL) {
        captree_roots.child = NULL;
        captree_insert_child(&captree_roots, s);
        return;
    }
    s->child = NULL;
    link_after(&captree_roots, after, s);
}

void captree_lift_first_child(struct cap_slot *s)
{
    struct cap_slot *c = s->child;
    unlink_subtree(c);
    link_before(s, c);
}

void captree_unlink(struct cap_slot *s)
{
    debug_slot_leaving(s, NULL);
    unlink_subtree(s);
    s->child = NULL;
}

void captree_replace(struct cap_slot *from, struct cap_slot *to)
{
    debug_slot_leaving(from, to);
    captree_work += 5; /* from, to, two neighbours or the parent, the last child */
    struct cap_slot *prev = from->prev, *next = from->next;
    if (prev == from) {
        to->prev = to;
        captree_untag(next)->child = to;
    } else {
        to->prev = prev;
        if (captree_is_first(from))
            end_parent(from)->child = to;
        else
            prev->next = to;
        if (captree_is_last(from))
            captree_untag(next)->child->prev = to;
        else
            next->prev = to;
    }
    to->next = next;
    to->child = from->child;
    if (to->child != NULL)
        to->child->prev->next = tag(to); /* the last child names its parent */
    from->prev = from->next = from->child = NULL;
}

struct cap_slot *captree_first(struct cap_slot *s)
{
    (void)s;
    return captree_roots.child;
}

struct cap_slot *captree_parent(const struct cap_slot *s)
{
    while (!captree_is_last(s))
        s = s->next;
    struct cap_slot *p = captree_untag(s->next);
    return p == &captree_roots ? NULL : p;
}
