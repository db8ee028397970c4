/* The reaper: a queue of dead Nodes, drained iteratively and preemptibly (see reaper.h). */
#include <core/reaper.h>

#include <core/preempt.h>
#include <core/slot.h>

/*
 * An entry is a Node's physical address with its radix in the low bits: Nodes are at
 * least 2^(A9N_SLOT_BITS + 1) aligned, so those bits are free. A dead Node's slot 0 keeps,
 * in its one word `reap`, the next entry (below bit REAPER_CURSOR_SHIFT: physical
 * addresses below 8 TiB) and above it how many of its slots have been emptied.
 */
#define REAPER_RADIX_MASK   0x3full
#define REAPER_CURSOR_SHIFT 43
#define REAPER_LINK_MASK    ((1ull << REAPER_CURSOR_SHIFT) - 1)

_Static_assert(A9N_NODE_RADIX_MAX <= REAPER_RADIX_MASK, "a radix fits the reaper tag");
_Static_assert(A9N_SLOT_BITS + A9N_NODE_RADIX_MIN >= 6, "dead Nodes are aligned enough");
_Static_assert(A9N_NODE_RADIX_MAX < 64 - REAPER_CURSOR_SHIFT, "the emptying cursor fits");

static uint64_t reap_link(const struct cap_slot *slot0)
{
    return slot0->reap & REAPER_LINK_MASK;
}

static uint64_t reap_cursor(const struct cap_slot *slot0)
{
    return slot0->reap >> REAPER_CURSOR_SHIFT;
}

static void reap_set(struct cap_slot *slot0, uint64_t link, uint64_t cursor)
{
    slot0->reap = link | cursor << REAPER_CURSOR_SHIFT;
}

/* Rough costs, in instructions, for preempt_point (calibrated with the latency rows of
 * apps/bench): looking at an empty slot, deleting a capability, and deleting the last
 * capability to a Process (which dies with its five own slots). */
enum {
    REAPER_COST_EMPTY = 16,
    REAPER_COST_DELETE = 132,
    REAPER_COST_DESTROY_PROCESS = 1200,
};

static uint64_t reaper_head;

void reaper_push_node(paddr_t node, unsigned radix)
{
    struct cap_slot *slots = hal_phys_to_virt(node);
    reap_set(&slots[0], reaper_head, 0);
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
        e = reap_link(hal_phys_to_virt(node));
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
        uint64_t i = reap_cursor(&slots[0]);
        if (i == n) {
            reaper_head = reap_link(&slots[0]);
            slots[0].reap = 0;
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
        reap_set(&slots[0], reap_link(&slots[0]), i + 1);
        uint32_t cost = REAPER_COST_EMPTY;
        if (full) {
            bool process = cap_effective(&slots[i].cap).type == A9N_OBJECT_PROCESS &&
                           slot_is_last_reference(&slots[i]);
            slot_delete(&slots[i]);
            cost = process ? REAPER_COST_DESTROY_PROCESS : REAPER_COST_DELETE;
        }
        if (preempt_point(cost))
            return A9N_PREEMPTED;
    }
    return A9N_SUCCESS;
}
