/* Slot-level changes: delete, remove, revoke, move, copy, mint. */
#include <core/slot.h>

#include <core/captree.h>
#include <core/generic.h>
#include <core/notification.h>
#include <core/object.h>
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

void slot_remove(struct cap_slot *s)
{
    slot_delete(s);
    reaper_drain();
}

void slot_revoke(struct cap_slot *s)
{
    /*
     * Delete the first descendant until there is none. Its own descendants are not promoted
     * (they go next anyway), so in between depths may jump by more than one inside the
     * subtree; every one of those slots is still deeper than `s` and still gets deleted.
     * Objects that die queue on the reaper; it runs once the subtree is gone. Only
     * descendants are deleted here, so `s` is alive throughout the loop.
     */
    while (captree_has_children(s)) {
        struct cap_slot *d = s->next;
        bool last = slot_is_last_reference(d);
        captree_unlink(d);
        slot_clear(d, last);
    }
    if (s->cap.type == A9N_OBJECT_GENERIC)
        generic_reset(s);
    reaper_drain();
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
