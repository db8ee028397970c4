/* Slot-level changes: delete, remove, revoke, move, copy, mint. */
#include <core/slot.h>

#include <core/asid.h>
#include <core/captree.h>
#include <core/generic.h>
#include <core/notification.h>
#include <core/object.h>
#include <core/preempt.h>
#include <core/port.h>
#include <core/process.h>
#include <core/reaper.h>
#include <core/vspace.h>
#include <string.h>

static bool slot_shares(const struct cap_slot *n, const struct cap_slot *s)
{
    return n != NULL && cap_same_object(&n->cap, &s->cap);
}

static bool slot_is_lifting(const struct cap_slot *z)
{
    return z != NULL && z->cap.type == CAP_ZOMBIE && z->cap.zeroed_low == CAP_ZOMBIE_LIFTING;
}

bool slot_is_last_reference(const struct cap_slot *s)
{
    /*
     * The capabilities to one object are a run of adjacent siblings and everything below
     * them: copies go right before their source, mints below it, CONVERT makes each object
     * once, and a deleted capability's children are lifted into its place. So its first
     * child, its two siblings and, for an only child, its parent tell. (A parent that is a
     * capability to the object has only such children: a sibling would already tell.)
     */
    if (!object_has_state(cap_effective(&s->cap).type))
        return false;
    struct cap_slot *prev = captree_prev_sibling(s), *next = captree_next_sibling(s);
    if (slot_shares(s->child, s) || slot_shares(prev, s) || slot_shares(next, s))
        return false;
    struct cap_slot *parent = prev == NULL || next == NULL ? captree_end_parent(s) : NULL;
    if (slot_shares(parent, s))
        return false;
    /* A lifting zombie of a Generic (or of another capability whose children are other
     * objects) splits the run of the child it is lifting (slot_lift_children): the part
     * lifted so far ends right before it, the rest starts with its first child. */
    if (slot_is_lifting(next) && slot_shares(next->child, s))
        return false;
    return !(prev == NULL && slot_is_lifting(parent) &&
             slot_shares(captree_prev_sibling(parent), s));
}

/* Rough costs, in instructions, for preempt_point (calibrated with the latency rows of
 * apps/bench): deleting one capability, and one whose Process dies with it; waking one
 * waiter; lifting one child (with its whole subtree: O(1), captree.h), and turning the
 * capability it leaves into a lifting zombie on the way (a REVOKE does it per child).
 * Deleting was charged 160 and zombifying 100 until the chain rows' worst stretch (a REVOKE
 * of a 2^20-deep MINT chain, lift + zombify + delete per link) showed about 3,600
 * instructions between two questions: 240 and 160 bring it to about 2,600. */
enum {
    SLOT_COST_DELETE = 240,
    SLOT_COST_DESTROY_PROCESS = 1200,
    SLOT_COST_WAKE = 400,
    SLOT_COST_LIFT = 72,
    SLOT_COST_ZOMBIFY = 160,
};

/*
 * Wakes, one per preemption point, the waiters of the dead Port that the zombie in `s`
 * stands for. The zombie keeps the Port's memory a child of its Generic until the queue
 * is empty (cap.h), and nothing can join the queue any more: no capability names the
 * Port, and its bindings ended when it died (slot_port_dying).
 */
static a9n_error slot_wake_waiters(struct cap_slot *s)
{
    struct wait_queue *q = port_waiters((unsigned)s->cap.data[0], s->cap.object);
    while (q->head != NULL) {
        process_wake(q->head, A9N_ERROR_DESTROYED);
        if (q->head != NULL && preempt_point(SLOT_COST_WAKE))
            return A9N_PREEMPTED;
    }
    return A9N_SUCCESS;
}

/*
 * The last capability to a Port that has waiters is going: the Port dies now (the slot
 * becomes a zombie, so it is unreachable at once, and the deletion cannot be taken back),
 * and its waiters are woken preemptibly. A Port nobody waits on is destroyed later, with
 * the slot, in bounded time.
 */
static a9n_error slot_port_dying(struct cap_slot *s, const struct cap *c)
{
    if (!slot_is_last_reference(s) || port_waiters(c->type, c->object)->head == NULL)
        return A9N_SUCCESS;
    if (c->type == A9N_OBJECT_NOTIFICATION_PORT) {
        if (s->cap.type != CAP_ZOMBIE)
            notification_cap_deleted(s);
        notification_port_detach(hal_phys_to_virt(c->object));
    }
    s->cap = (struct cap){.object = c->object,
                          .type = CAP_ZOMBIE,
                          .data = {c->type, c->data[0]},
                          .zeroed_low = CAP_ZOMBIE_WAKING};
    return slot_wake_waiters(s);
}

a9n_error slot_empty_first(struct cap_slot *s)
{
    /* A deletion preempted while it woke a dead Port's waiters: go on. */
    if (s->cap.type == CAP_ZOMBIE && s->cap.zeroed_low == CAP_ZOMBIE_WAKING)
        return slot_wake_waiters(s);
    /* A lifting zombie still refers to its object: what it was decides. */
    struct cap c = cap_effective(&s->cap);
    struct cap *cp = s->cap.type == CAP_ZOMBIE ? &c : &s->cap;
    switch (c.type) {
    case A9N_OBJECT_PAGE_TABLE:
        /* Its mapping belongs to this capability: deleting any copy unmaps it. (A Page
         * Table has no children, so it is never a lifting zombie.) */
        return vspace_cap_empty(cp);
    case A9N_OBJECT_ADDRESS_SPACE:
        return slot_is_last_reference(s) ? vspace_cap_empty(cp) : A9N_SUCCESS;
    case A9N_OBJECT_ASID_POOL:
        return slot_is_last_reference(s) ? asid_pool_empty(cp) : A9N_SUCCESS;
    case A9N_OBJECT_IPC_PORT:
    case A9N_OBJECT_NOTIFICATION_PORT:
        return slot_port_dying(s, &c);
    case A9N_OBJECT_PROCESS: {
        if (!slot_is_last_reference(s))
            return A9N_SUCCESS;
        /* Its own slots are deleted with it (process_destroy): one of them may hold the
         * last capability to an Address Space or to a Port with waiters. None of them holds
         * a Process, and none has children (no descriptor reaches them). */
        struct process *p = hal_phys_to_virt(c.object);
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
    if (old.type != CAP_ZOMBIE) {
        /* A mapping belongs to one capability, not to the object: it goes with the slot. */
        if (old.type == A9N_OBJECT_FRAME || old.type == A9N_OBJECT_PAGE_TABLE)
            vspace_cap_delete(&old);
        /* So do the bindings made from a Notification Port capability (notification.c). */
        if (old.type == A9N_OBJECT_NOTIFICATION_PORT)
            notification_cap_deleted(s);
    }
    memset(&s->cap, 0, sizeof(s->cap));
    if (last) {
        struct cap object = cap_effective(&old);
        object_destroy(&object);
    }
}

void slot_delete(struct cap_slot *s)
{
    /* Every caller has lifted the children already (slot_lift_children), or knows there
     * are none (a Process's own slots, which no descriptor reaches): this loop is for
     * safety, not for work. */
    while (captree_has_children(s))
        captree_lift_first_child(s);
    bool last = slot_is_last_reference(s);
    /* The parent loses its last child exactly when `s` is its only child. */
    struct cap_slot *p = captree_is_only_child(s) ? captree_end_parent(s) : NULL;
    captree_unlink(s);
    if (p != NULL && p->cap.type == A9N_OBJECT_GENERIC)
        generic_reset(p);
    slot_clear(s, last);
}

/*
 * Turns the capability in `s` into a zombie of `kind` (cap.h), in place: what deleting it
 * would tear down with the slot (its mapping, its bindings) goes now. A DEAD zombie's object
 * dies now if this was its last capability (a Node is queued on the reaper, a Process is
 * destroyed: bounded); a LIFTING zombie still refers to its object. The slot keeps its place
 * in the derivation tree, and the zombie keeps the object's memory a child of its Generic
 * until the slot is really emptied.
 */
static void slot_zombify(struct cap_slot *s, unsigned kind)
{
    if (s->cap.type == CAP_ZOMBIE && s->cap.zeroed_low != CAP_ZOMBIE_LIFTING)
        return; /* already dead */
    bool last = slot_is_last_reference(s);
    struct cap c = cap_effective(&s->cap);
    if (s->cap.type != CAP_ZOMBIE) {
        struct cap old = s->cap;
        if (old.type == A9N_OBJECT_FRAME || old.type == A9N_OBJECT_PAGE_TABLE)
            vspace_cap_delete(&old);
        if (old.type == A9N_OBJECT_NOTIFICATION_PORT)
            notification_cap_deleted(s);
    }
    s->cap = (struct cap){
        .object = c.object,
        .type = CAP_ZOMBIE,
        .data = {c.type, c.data[0]},
        .zeroed_low = kind,
    };
    if (kind == CAP_ZOMBIE_DEAD && last)
        object_destroy(&c);
}

a9n_error slot_lift_children(struct cap_slot *s)
{
    /*
     * The children move up one at a time, each with its whole subtree, which is O(1)
     * (captree.h): the first child becomes the sibling right before `s`. Before the first
     * step `s` must stop standing for its capability, or a Generic's children could leave
     * it while it still hands out memory: it becomes a zombie, which also makes the
     * deletion final (the slot is unusable, and the same call made again goes on). So a
     * capability with 2^20 children takes 2^20 steps, each of them constant.
     */
    if (!captree_has_children(s))
        return A9N_SUCCESS;
    if (s->cap.type != CAP_ZOMBIE)
        slot_zombify(s, CAP_ZOMBIE_LIFTING);
    do {
        captree_lift_first_child(s);
        if (preempt_point(SLOT_COST_LIFT) && captree_has_children(s))
            return A9N_PREEMPTED;
    } while (captree_has_children(s));
    return A9N_SUCCESS;
}

a9n_error slot_remove(struct cap_slot *s)
{
    /* Page tables first, while every object is whole (the capability stays in `s`). */
    a9n_error e = slot_empty_first(s);
    if (e != A9N_SUCCESS)
        return e;
    /* Then its children move up, preemptibly (the slot becomes a zombie). */
    e = slot_lift_children(s);
    if (e != A9N_SUCCESS)
        return e;
    unsigned type = cap_effective(&s->cap).type;
    if ((type == A9N_OBJECT_NODE || type == A9N_OBJECT_PROCESS) && slot_is_last_reference(s))
        slot_zombify(s, CAP_ZOMBIE_DEAD);
    /* Everything queued, this Node's slots and anything left by earlier preempted calls. */
    e = reaper_drain();
    if (e != A9N_SUCCESS)
        return e;
    /* Nothing unbounded left to destroy: a dead zombie refers to nothing, and any other
     * last capability to a Node or Process became a dead zombie above. */
    slot_delete(s);
    return A9N_SUCCESS;
}

a9n_error slot_revoke(struct cap_slot *s)
{
    /*
     * Deletes the first child of `s` when it has no children, and otherwise lifts that
     * child's first child to be the first child of `s` (right before it), again and again.
     * Each step is O(1), and there are at most two per descendant: one lift that makes it
     * a child of `s` (its subtree comes along unchanged) and one deletion. The progress is
     * the tree itself: a restarted REVOKE goes on with the first child it finds, with no
     * walk down to a leaf. A child that gives up a child first becomes a lifting zombie
     * (as in slot_lift_children: a Generic must not hand out memory while its children
     * leave it). Only descendants are deleted here, so `s` is alive throughout the loop.
     * Objects that die are destroyed (Processes, whose own slots may sit anywhere below
     * `s`: `s->child` is read afresh each time) or queued on the reaper (Nodes); it runs
     * once the subtree is gone.
     */
    while (captree_has_children(s)) {
        struct cap_slot *c = s->child;
        if (captree_has_children(c)) {
            uint32_t cost = SLOT_COST_LIFT;
            if (c->cap.type != CAP_ZOMBIE) {
                a9n_error e = slot_empty_first(c);
                if (e != A9N_SUCCESS)
                    return e;
                slot_zombify(c, CAP_ZOMBIE_LIFTING);
                cost += SLOT_COST_ZOMBIFY;
            }
            captree_lift_first_child(c);
            if (preempt_point(cost))
                return A9N_PREEMPTED; /* `s` has children: at least `c` */
            continue;
        }
        /* Its page tables, and its Port's waiters, first: preempted there, the child is
         * still in place, and the restart finds it again as the first child. */
        a9n_error e = slot_empty_first(c);
        if (e != A9N_SUCCESS)
            return e;
        bool process =
            cap_effective(&c->cap).type == A9N_OBJECT_PROCESS && slot_is_last_reference(c);
        slot_delete(c);
        if (preempt_point(process ? SLOT_COST_DESTROY_PROCESS : SLOT_COST_DELETE) &&
            captree_has_children(s))
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
