/* The reaper: a queue of dead Nodes, drained iteratively and preemptibly (see reaper.h). */
#include <core/reaper.h>

#include <core/preempt.h>
#include <core/slot.h>

/*
 * An entry is a Node's physical address with its radix in the low bits: Nodes are at
 * least 2^(A9N_SLOT_BITS + 1) aligned, so those bits are free.
 */
#define REAPER_RADIX_MASK 0x3full

_Static_assert(A9N_NODE_RADIX_MAX <= REAPER_RADIX_MASK, "a radix fits the reaper tag");
_Static_assert(A9N_SLOT_BITS + A9N_NODE_RADIX_MIN >= 6, "dead Nodes are aligned enough");
_Static_assert(A9N_NODE_RADIX_MAX < 32, "a Node's emptying cursor fits 32 bits");

/* Rough costs, in instructions, for preempt_point: looking at an empty slot, and deleting
 * a capability (not counting a Process's own five deletions, which are bounded). */
enum {
    REAPER_COST_EMPTY = 12,
    REAPER_COST_DELETE = 120,
};

static uint64_t reaper_head;

void reaper_push_node(paddr_t node, unsigned radix)
{
    struct cap_slot *slots = hal_phys_to_virt(node);
    slots[0].reap_link = reaper_head;
    slots[0].reap_cursor = 0;
    reaper_head = node | radix;
}

bool reaper_is_empty(void)
{
    return reaper_head == 0;
}

void reaper_reset(void)
{
    reaper_head = 0;
}

void reaper_visit(void (*fn)(paddr_t node, unsigned radix, void *arg), void *arg)
{
    for (uint64_t e = reaper_head; e != 0;) {
        paddr_t node = e & ~REAPER_RADIX_MASK;
        fn(node, (unsigned)(e & REAPER_RADIX_MASK), arg);
        e = ((struct cap_slot *)hal_phys_to_virt(node))[0].reap_link;
    }
}

a9n_error reaper_drain(void)
{
    while (reaper_head != 0) {
        /* The head Node: it stays at the head while it is emptied. Emptying one of its
         * slots may push another dead Node in front of it; the loop then takes that one
         * first and comes back to this one, whose cursor says where it stopped. */
        struct cap_slot *slots = hal_phys_to_virt(reaper_head & ~REAPER_RADIX_MASK);
        uint64_t n = 1ull << (reaper_head & REAPER_RADIX_MASK);
        uint32_t i = slots[0].reap_cursor;
        if (i == n) {
            reaper_head = slots[0].reap_link;
            slots[0].reap_link = 0;
            slots[0].reap_cursor = 0;
            continue;
        }
        /* Page tables the deletion would clear are emptied first and a dead Port's waiters
         * woken (preemptibly), its children lifted (the slot a zombie meanwhile); then the cursor
         * moves before the deletion: the slot is empty when we get here again. An empty slot (the
         * common case) costs only the test. */
        bool full = !slot_is_empty(&slots[i]);
        if (full) {
            a9n_error e = slot_empty_first(&slots[i]);
            if (e == A9N_SUCCESS)
                e = slot_lift_children(&slots[i]); /* so slot_delete is bounded */
            if (e != A9N_SUCCESS)
                return e;
        }
        slots[0].reap_cursor = i + 1;
        uint32_t cost = REAPER_COST_EMPTY;
        if (full) {
            slot_delete(&slots[i]);
            cost = REAPER_COST_DELETE;
        }
        if (preempt_point(cost))
            return A9N_PREEMPTED;
    }
    return A9N_SUCCESS;
}
