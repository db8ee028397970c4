/* The reaper: a queue of dead Nodes and Processes, drained iteratively (see reaper.h). */
#include <core/reaper.h>

#include <core/process.h>
#include <core/slot.h>

/*
 * An entry is a physical address with a tag in its low bits: bit 0 says Process, bits 1..5
 * hold a Node's radix. Nodes are at least 2^(A9N_SLOT_BITS + 1) aligned and Processes
 * 2^A9N_PROCESS_BITS, so those bits are free.
 */
#define REAPER_PROCESS     1ull
#define REAPER_RADIX_SHIFT 1
#define REAPER_RADIX_MASK  0x1full
#define REAPER_TAG_MASK    0x3full

_Static_assert(A9N_NODE_RADIX_MAX <= REAPER_RADIX_MASK, "a radix fits the reaper tag");
_Static_assert(A9N_SLOT_BITS + A9N_NODE_RADIX_MIN >= 6 && A9N_PROCESS_BITS >= 6,
               "dead objects are aligned enough for the reaper tag");

static uint64_t reaper_head;

void reaper_push_node(paddr_t node, unsigned radix)
{
    struct cap_slot *slots = hal_phys_to_virt(node);
    slots[0].reap_link = reaper_head;
    reaper_head = node | ((uint64_t)radix << REAPER_RADIX_SHIFT);
}

void reaper_push_process(paddr_t process)
{
    struct process *p = hal_phys_to_virt(process);
    p->reap_link = reaper_head;
    reaper_head = process | REAPER_PROCESS;
}

bool reaper_is_empty(void)
{
    return reaper_head == 0;
}

static void reaper_empty_node(struct cap_slot *slots, unsigned radix)
{
    uint64_t n = 1ull << radix;
    for (uint64_t i = 0; i < n; i++) {
        if (!slot_is_empty(&slots[i]))
            slot_delete(&slots[i]);
    }
}

void reaper_drain(void)
{
    while (reaper_head != 0) {
        uint64_t entry = reaper_head;
        paddr_t pa = entry & ~REAPER_TAG_MASK;
        if (entry & REAPER_PROCESS) {
            struct process *p = hal_phys_to_virt(pa);
            reaper_head = p->reap_link;
            p->reap_link = 0;
            process_destroy(p);
        } else {
            struct cap_slot *slots = hal_phys_to_virt(pa);
            reaper_head = slots[0].reap_link;
            slots[0].reap_link = 0;
            reaper_empty_node(slots, (unsigned)((entry >> REAPER_RADIX_SHIFT) & REAPER_RADIX_MASK));
        }
    }
}
