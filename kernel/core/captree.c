/* The derivation tree: a pre-order doubly linked list with depths (see captree.h). */
#include <core/captree.h>
#include <core/debug.h>

/* The first slot of the list (the kernel has one list; host tests may build several, and
 * then this is the head of the one changed last at its front). */
static struct cap_slot *head;

struct cap_slot *captree_head(void)
{
    return head;
}

void captree_insert_after(struct cap_slot *anchor, struct cap_slot *s, uint32_t depth)
{
    s->depth = depth;
    s->prev = anchor;
    s->next = anchor->next;
    if (anchor->next != NULL)
        anchor->next->prev = s;
    anchor->next = s;
}

void captree_insert_child(struct cap_slot *parent, struct cap_slot *s)
{
    uint32_t depth = parent->depth + 1;
    if (captree_has_children(parent) && parent->next->depth > depth)
        depth = parent->next->depth;
    captree_insert_after(parent, s, depth);
}

void captree_insert_child_after(struct cap_slot *parent, struct cap_slot *after, struct cap_slot *s)
{
    if (after == parent)
        captree_insert_child(parent, s);
    else
        captree_insert_after(after, s, after->depth);
}

void captree_insert_sibling(struct cap_slot *source, struct cap_slot *s)
{
    /* Before, not after: everything after `source` up to its next sibling is its subtree,
     * and a copy must not adopt it. */
    s->depth = source->depth;
    s->next = source;
    s->prev = source->prev;
    if (source->prev != NULL)
        source->prev->next = s;
    source->prev = s;
    if (head == source)
        head = s;
}

void captree_insert_root(struct cap_slot *after, struct cap_slot *s)
{
    if (after == NULL) {
        s->prev = s->next = NULL;
        s->depth = 0;
        head = s;
        return;
    }
    while (after->next != NULL && after->next->depth > 0)
        after = after->next;
    captree_insert_after(after, s, 0);
}

struct cap_slot *captree_parent(const struct cap_slot *s)
{
    struct cap_slot *p = s->prev;
    while (p != NULL && p->depth >= s->depth)
        p = p->prev;
    return p;
}

void captree_promote_children(struct cap_slot *s)
{
    for (struct cap_slot *c = s->next; c != NULL && c->depth > s->depth; c = c->next)
        c->depth--;
}

uint32_t captree_lift_first_child(struct cap_slot *s)
{
    uint32_t depth = s->depth;
    struct cap_slot *c = s->next, *last = c;
    /* The child lands exactly at s's depth, its subtree moved by as much: one level, or
     * more where depths skip values (a child one level down would be adopted by a sibling
     * of s that precedes it). */
    uint32_t below = c->depth, lift = below - depth, n = 1;
    c->depth = depth;
    for (struct cap_slot *x = c->next; x != NULL && x->depth > below; x = x->next, n++) {
        x->depth -= lift;
        last = x;
    }
    captree_unlink(s);
    captree_insert_after(last, s, depth);
    return n;
}

void captree_unlink(struct cap_slot *s)
{
    debug_slot_leaving(s, NULL);
    if (head == s)
        head = s->next;
    if (s->prev != NULL)
        s->prev->next = s->next;
    if (s->next != NULL)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

void captree_replace(struct cap_slot *from, struct cap_slot *to)
{
    debug_slot_leaving(from, to);
    if (head == from)
        head = to;
    to->prev = from->prev;
    to->next = from->next;
    to->depth = from->depth;
    if (to->prev != NULL)
        to->prev->next = to;
    if (to->next != NULL)
        to->next->prev = to;
    from->prev = from->next = NULL;
    from->depth = 0;
}

struct cap_slot *captree_first(struct cap_slot *s)
{
    while (s->prev != NULL)
        s = s->prev;
    return s;
}
