/* Object creation and destruction, dispatched by type. */
#include <core/object.h>

#include <core/asid.h>
#include <core/interrupt.h>
#include <core/port.h>
#include <core/process.h>
#include <core/reaper.h>
#include <core/vspace.h>

/* An Address Space or Page Table is one hardware page-table page of 512 entries. */
struct page_table {
    uint64_t entry[512];
};
_Static_assert(sizeof(struct page_table) == 1ull << A9N_PAGE_TABLE_BITS,
               "a page table is exactly the ABI's Page Table size");
_Static_assert(sizeof(struct page_table) == 1ull << A9N_ADDRESS_SPACE_BITS,
               "an address space is exactly the ABI's Address Space size");
_Static_assert(A9N_FRAME_BITS == 12 && A9N_LARGE_FRAME_BITS == 21,
               "x86_64 pages are 4 KiB and 2 MiB");

bool cap_same_object(const struct cap *a, const struct cap *b)
{
    if (a->type == CAP_ZOMBIE || b->type == CAP_ZOMBIE) {
        struct cap ea = cap_effective(a), eb = cap_effective(b);
        return ea.type == eb.type && ea.object == eb.object && object_has_state(ea.type);
    }
    return a->type == b->type && a->object == b->object && object_has_state(a->type);
}

bool object_has_state(unsigned type)
{
    switch (type) {
    case A9N_OBJECT_NODE:
    case A9N_OBJECT_PROCESS:
    case A9N_OBJECT_IPC_PORT:
    case A9N_OBJECT_NOTIFICATION_PORT:
    case A9N_OBJECT_FRAME:
    case A9N_OBJECT_ADDRESS_SPACE:
    case A9N_OBJECT_PAGE_TABLE:
    case A9N_OBJECT_INTERRUPT_PORT:
    case A9N_OBJECT_ASID_POOL:
        return true;
    default:
        /* A Generic's memory outlives its capability (its children keep using it); the
         * singletons and IO Port ranges have nothing to tear down. */
        return false;
    }
}

void object_create(struct cap *c, unsigned type, paddr_t pa, unsigned bits, bool device)
{
    *c = (struct cap){.object = pa, .type = (uint8_t)type, .rights = A9N_RIGHTS_ALL};
    switch (type) {
    case A9N_OBJECT_NODE:
        c->data[0] = bits - A9N_SLOT_BITS; /* zeroed slots are empty slots */
        break;
    case A9N_OBJECT_GENERIC:
        c->data[1] = bits | (device ? CAP_GENERIC_DEVICE : 0);
        break;
    case A9N_OBJECT_FRAME:
        c->data[0] = bits;
        c->data[1] = device ? CAP_FRAME_DEVICE : 0;
        break;
    case A9N_OBJECT_PROCESS:
        process_init(hal_phys_to_virt(pa));
        break;
    case A9N_OBJECT_ADDRESS_SPACE:
        vspace_address_space_create(c);
        break;
    case A9N_OBJECT_ASID_POOL:
        asid_pool_create(c);
        break;
    default:
        /* Ports and page tables are valid when zeroed. */
        break;
    }
}

void object_destroy(const struct cap *c)
{
    switch (c->type) {
    case A9N_OBJECT_NODE:
        reaper_push_node(c->object, cap_node_radix(c));
        break;
    case A9N_OBJECT_PROCESS:
        /* Bounded and not recursive: none of a Process's own slots can hold a Process. */
        process_destroy(hal_phys_to_virt(c->object));
        break;
    case A9N_OBJECT_IPC_PORT:
        ipc_port_destroy(hal_phys_to_virt(c->object));
        break;
    case A9N_OBJECT_NOTIFICATION_PORT:
        notification_port_destroy(hal_phys_to_virt(c->object));
        break;
    case A9N_OBJECT_ADDRESS_SPACE:
        vspace_address_space_destroy(c);
        break;
    case A9N_OBJECT_ASID_POOL:
        asid_pool_destroy(c);
        break;
    case A9N_OBJECT_INTERRUPT_PORT:
        interrupt_port_destroy((unsigned)c->object);
        break;
    default:
        /* Frames and Page Tables were unmapped when their capability went (slot.c). */
        break;
    }
}
