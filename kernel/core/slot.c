/* Slot-level changes: delete, remove, revoke, move, copy, mint. */
#include <core/slot.h>

#include <core/asid.h>
#include <core/captree.h>
#include <core/generic.h>
#include <core/notification.h>
#include <core/object.h>
#include <core/preempt.h>
#include <core/process.h>
#include <core/reaper.h>
#include <core/vspace.h>
#include <string.h>

/* Whether `s` holds the last capability to its object. Capabilities to one object always
 * form one run in the derivation list (copies go next to their source, mints right after
 * it, CONVERT makes each object once), so the neighbours tell. */
static bool slot_is_last_reference(const struct cap_slot *s)
{
    if (!object_has_state(s->cap.type))
        return false;
    if (s->prev != NULL && cap_same_object(&s->prev->cap, &s->cap))
        return false;
    if (s->next != NULL && cap_same_object(&s->next->cap, &s->cap))
        return false;
    return true;
}

a9n_error slot_empty_first(struct cap_slot *s)
{
    switch (s->cap.type) {
    case A9N_OBJECT_PAGE_TABLE:
        /* Its mapping belongs to this capability: deleting any copy unmaps it. */
        return vspace_cap_empty(&s->cap);
    case A9N_OBJECT_ADDRESS_SPACE:
        return slot_is_last_reference(s) ? vspace_cap_empty(&s->cap) : A9N_SUCCESS;
    case A9N_OBJECT_ASID_POOL:
        return slot_is_last_reference(s) ? asid_pool_empty(&s->cap) : A9N_SUCCESS;
    case A9N_OBJECT_PROCESS: {
        if (!slot_is_last_reference(s))
            return A9N_SUCCESS;
        /* Its own slots are deleted with it (process_destroy): one of them may hold the
         * last capability to an Address Space. None of them holds a Process. */
        struct process *p = hal_phys_to_virt(s->cap.object);
        for (unsigned i = 0; i < PROCESS_SLOT_COUNT; i++) {
            a9n_error e = slot_empty_first(&p->slots[i]);
            if (e != A9N_SUCCESS)
                return e;
        }
        return A9N_SUCCESS;
    }
    default:
        return A9N_SUCCESS;
    }
}

/* Clears `s` and destroys its object if it was the last capability. */
static void slot_clear(struct cap_slot *s, bool last)
{
    struct cap old = s->cap;
    /* A mapping belongs to one capability, not to the object: it goes with the slot. */
    if (old.type == A9N_OBJECT_FRAME || old.type == A9N_OBJECT_PAGE_TABLE)
        vspace_cap_delete(&old);
    /* So do the bindings made from a Notification Port capability (notification.c). */
    if (old.type == A9N_OBJECT_NOTIFICATION_PORT)
        notification_cap_deleted(s);
    memset(&s->cap, 0, sizeof(s->cap));
    s->depth = 0;
    if (last)
        object_destroy(&old);
}

void slot_delete(struct cap_slot *s)
{
    bool last = slot_is_last_reference(s);
    /* The parent loses its last child exactly when `s` is its first child (right after it)
     * and nothing after `s` is a sibling or a child that will be promoted. */
    struct cap_slot *p = s->prev;
    bool parent_childless =
        p != NULL && p->depth + 1 == s->depth && (s->next == NULL || s->next->depth < s->depth);
    captree_promote_children(s);
    captree_unlink(s);
    if (parent_childless && p->cap.type == A9N_OBJECT_GENERIC)
        generic_reset(p);
    slot_clear(s, last);
}

/*
 * REMOVE of the last capability to a Node or Process: its object dies now and the slot
 * becomes a zombie (cap.h) until the reaper has finished, so that a preempted REMOVE is
 * found again by its restart. A Process is destroyed at once (bounded); a Node is queued.
 */
static void slot_zombify(struct cap_slot *s)
{
    struct cap old = s->cap;
    s->cap = (struct cap){
        .object = old.object,
        .type = CAP_ZOMBIE,
        .data = {old.type, old.type == A9N_OBJECT_NODE ? cap_node_radix(&old) : 0},
    };
    object_destroy(&old);
}

a9n_error slot_remove(struct cap_slot *s)
{
    /* Page tables first, while every object is whole (the capability stays in `s`). */
    a9n_error e = slot_empty_first(s);
    if (e != A9N_SUCCESS)
        return e;
    if ((s->cap.type == A9N_OBJECT_NODE || s->cap.type == A9N_OBJECT_PROCESS) &&
        slot_is_last_reference(s))
        slot_zombify(s);
    /* Everything queued, this Node's slots and anything left by earlier preempted calls. */
    e = reaper_drain();
    if (e != A9N_SUCCESS)
        return e;
    /* Nothing left to destroy: a zombie has no object state, and any other capability
     * that was the last to a Node or Process became a zombie above. */
    slot_delete(s);
    return A9N_SUCCESS;
}

/* Rough cost, in instructions, of deleting one capability (for preempt_point). */
enum { SLOT_COST_DELETE = 120 };

/* slot_delete for a slot without children: nothing to promote; a Generic parent left
 * childless is reset as usual. The revoke loop's hot path. */
static inline void slot_delete_leaf(struct cap_slot *s)
{
    bool last = slot_is_last_reference(s);
    struct cap_slot *p = s->prev;
    bool reset = p != NULL && p->depth < s->depth && p->cap.type == A9N_OBJECT_GENERIC &&
                 (s->next == NULL || s->next->depth <= p->depth);
    captree_unlink(s);
    if (reset)
        generic_reset(p);
    slot_clear(s, last);
}

/* The first slot of `from`'s subtree (from included) that has no children: walks down. */
static struct cap_slot *slot_first_leaf(struct cap_slot *from)
{
    while (captree_has_children(from))
        from = from->next;
    return from;
}

a9n_error slot_revoke(struct cap_slot *s)
{
    /*
     * Deletes the descendants of `s` in post-order: always a leaf, which needs no
     * promotion, so the tree is exactly consistent at every preemption point and the
     * progress is the tree itself. `cursor` is where the next leaf is looked for: after a
     * leaf goes, its predecessor is either a leaf now or the way down to the next one.
     * Only descendants are deleted here, so `s` is alive throughout the loop. Objects that
     * die are destroyed (Processes) or queued on the reaper (Nodes); it runs once the
     * subtree is gone.
     */
    struct cap_slot *cursor = s->next;
    while (captree_has_children(s)) {
        /* A Process destroyed by the last deletion may have emptied the cursor's slot
         * (one of its own): start again from the top. */
        if (cursor == s || slot_is_empty(cursor))
            cursor = s->next;
        struct cap_slot *leaf = slot_first_leaf(cursor);
        /* Its page tables first: preempted there, the leaf is still in place, whole, and
         * the restart finds it again as the first leaf. */
        a9n_error e = slot_empty_first(leaf);
        if (e != A9N_SUCCESS)
            return e;
        cursor = leaf->prev;
        slot_delete_leaf(leaf);
        if (preempt_point(SLOT_COST_DELETE) && captree_has_children(s))
            return A9N_PREEMPTED;
    }
    if (s->cap.type == A9N_OBJECT_GENERIC)
        generic_reset(s);
    return reaper_drain();
}

void slot_move(struct cap_slot *from, struct cap_slot *to)
{
    to->cap = from->cap;
    captree_replace(from, to);
    if (to->cap.type == A9N_OBJECT_NOTIFICATION_PORT)
        notification_cap_moved(from, to);
    memset(&from->cap, 0, sizeof(from->cap));
}

void slot_copy(struct cap_slot *from, struct cap_slot *to, unsigned rights)
{
    to->cap = from->cap;
    to->cap.rights = (uint8_t)(from->cap.rights & rights);
    if (to->cap.type == A9N_OBJECT_FRAME)
        vspace_cap_derive(&to->cap);
    captree_insert_sibling(from, to);
}

void slot_mint(struct cap_slot *from, struct cap_slot *to, unsigned rights, uint64_t identifier)
{
    to->cap = from->cap;
    to->cap.rights = (uint8_t)(from->cap.rights & rights);
    if (identifier != 0)
        to->cap.data[0] = identifier;
    if (to->cap.type == A9N_OBJECT_FRAME)
        vspace_cap_derive(&to->cap);
    captree_insert_child(from, to);
}
