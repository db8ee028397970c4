/* ASID Control, ASID Pools and the ASID directory (see asid.h). */
#include <core/asid.h>

#include <core/slot.h>

#include <core/descriptor.h>
#include <core/generic.h>
#include <core/preempt.h>
#include <core/vspace.h>

struct asid_pool {
    struct asid_entry entry[ASID_POOL_SIZE];
};

_Static_assert(sizeof(struct asid_pool) == 1ull << A9N_ASID_POOL_BITS,
               "an ASID Pool is exactly the ABI's ASID Pool size");
_Static_assert(ASID_POOL_SIZE == A9N_ASID_POOL_ENTRIES, "the ABI tells the pool size");
_Static_assert(ASID_POOL_SIZE *ASID_POOL_COUNT <= 0x10000,
               "mapping records keep 16 bits of ASID (vspace.h)");

/* Rough cost, in instructions, of releasing one Address Space whose tree is clear. */
enum { ASID_COST_RELEASE = 64 };

paddr_t asid_directory[ASID_POOL_COUNT];
uint64_t asid_epoch = 1;

void asid_reset(void)
{
    for (unsigned i = 0; i < ASID_POOL_COUNT; i++)
        asid_directory[i] = 0;
    asid_epoch++;
}

static struct asid_entry *entry_of(uint32_t asid)
{
    uint32_t pool = asid / ASID_POOL_SIZE;
    if (pool >= ASID_POOL_COUNT || asid_directory[pool] == 0)
        return NULL;
    struct asid_pool *p = hal_phys_to_virt(asid_directory[pool]);
    return &p->entry[asid % ASID_POOL_SIZE];
}

void *asid_root(uint32_t asid, uint32_t generation)
{
    const struct asid_entry *e = entry_of(asid);
    if (e == NULL || e->root == 0 || e->generation != generation)
        return NULL;
    return hal_phys_to_virt(e->root);
}

void asid_free(uint32_t asid)
{
    struct asid_entry *e = entry_of(asid);
    if (e == NULL)
        return;
    e->root = 0;
    e->generation++;
    asid_epoch++;
}

static int free_directory_index(void)
{
    for (unsigned i = 0; i < ASID_POOL_COUNT; i++)
        if (asid_directory[i] == 0)
            return (int)i;
    return -1;
}

void asid_pool_create(struct cap *c)
{
    int i = free_directory_index();
    if (i < 0)
        return; /* MAKE_POOL checked; a pool outside the directory hands out nothing */
    asid_directory[i] = c->object;
    c->data[0] = (uint64_t)i;
}

a9n_error asid_pool_empty(const struct cap *c)
{
    uint64_t index = c->data[0];
    if (index >= ASID_POOL_COUNT || asid_directory[index] != c->object)
        return A9N_SUCCESS;
    struct asid_pool *p = hal_phys_to_virt(c->object);
    for (unsigned i = 0; i < ASID_POOL_SIZE; i++) {
        if (p->entry[i].root == 0)
            continue;
        /* Each Address Space is emptied (preemptibly, its progress in its tables) and then
         * released at once: between two preemptions every entry is either still a whole,
         * usable Address Space or free, and the pool itself stays usable. */
        a9n_error e = vspace_address_space_empty(hal_phys_to_virt(p->entry[i].root));
        if (e != A9N_SUCCESS)
            return e;
        p->entry[i].root = 0;
        p->entry[i].generation++;
        asid_epoch++;
        /* Released: a restart goes on with the next entry. */
        if (preempt_point(ASID_COST_RELEASE))
            return A9N_PREEMPTED;
    }
    return A9N_SUCCESS;
}

void asid_pool_destroy(const struct cap *c)
{
    uint64_t index = c->data[0];
    if (index >= ASID_POOL_COUNT || asid_directory[index] != c->object)
        return;
    struct asid_pool *p = hal_phys_to_virt(c->object);
    for (unsigned i = 0; i < ASID_POOL_SIZE; i++) {
        if (p->entry[i].root == 0)
            continue;
        /* Bounded when the caller emptied the pool first (asid_pool_empty). */
        vspace_address_space_release(hal_phys_to_virt(p->entry[i].root));
        p->entry[i].root = 0;
        p->entry[i].generation++;
        asid_epoch++;
    }
    asid_directory[index] = 0;
}

/* Whether `s` is the only capability to its object (copies form one run of the list). */
static bool only_capability(const struct cap_slot *s)
{
    return slot_is_last_reference(s);
}

a9n_error asid_assign(const struct cap *pool, struct cap *as)
{
    uint64_t index = pool->data[0];
    if (index >= ASID_POOL_COUNT || asid_directory[index] != pool->object)
        return A9N_ERROR_FATAL; /* a pool capability outlived its entry: a kernel bug */
    struct asid_pool *p = hal_phys_to_virt(pool->object);
    for (unsigned i = 0; i < ASID_POOL_SIZE; i++) {
        struct asid_entry *e = &p->entry[i];
        if (e->root != 0)
            continue;
        e->root = as->object;
        as->data[0] = ((uint32_t)index * ASID_POOL_SIZE + i) | ((uint64_t)e->generation << 32);
        return A9N_SUCCESS;
    }
    return A9N_ERROR_NO_ASID;
}

/* ASSIGN: MR2 the Address Space. */
a9n_error asid_pool_invoke(struct process *caller, struct cap_slot *pool, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_ASID_POOL_ASSIGN)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&pool->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    struct cap_slot *as;
    a9n_error e = descriptor_lookup_typed(&caller->slots[PROCESS_SLOT_ROOT_NODE], msg->mr[2],
                                          A9N_OBJECT_ADDRESS_SPACE, A9N_RIGHT_WRITE, &as);
    if (e != A9N_SUCCESS)
        return e;
    /* The ASID lives in the capability: with copies around, some would not have it. An
     * Address Space that had one (alive, or released with its pool) keeps its history:
     * only a live one is refused, a released one (all tables empty) may start again. */
    if (vspace_root(&as->cap) != NULL || !only_capability(as))
        return A9N_ERROR_ILLEGAL_OPERATION;
    return asid_assign(&pool->cap, &as->cap);
}

/* MAKE_POOL: MR2 a Generic (not device memory), MR3 dest Node descriptor, MR4 index. */
a9n_error asid_control_invoke(struct process *caller, struct cap_slot *control,
                              struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_ASID_CONTROL_MAKE_POOL)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&control->cap, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    struct cap_slot *node = &caller->slots[PROCESS_SLOT_ROOT_NODE];
    struct cap_slot *g;
    a9n_error e =
        descriptor_lookup_typed(node, msg->mr[2], A9N_OBJECT_GENERIC, A9N_RIGHT_WRITE, &g);
    if (e != A9N_SUCCESS)
        return e;
    if (cap_generic_is_device(&g->cap))
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (free_directory_index() < 0)
        return A9N_ERROR_NO_ASID;
    unsigned bits;
    uint64_t offset;
    /* A pool takes the room of one 4 KiB frame; it is made like any object of that size. */
    e = generic_check(&g->cap, A9N_OBJECT_FRAME, A9N_ASID_POOL_BITS, 1, &bits, &offset);
    if (e != A9N_SUCCESS)
        return e;
    struct cap_slot *dest;
    e = descriptor_destination(node, msg->mr[3], msg->mr[4], 1, &dest);
    if (e != A9N_SUCCESS)
        return e;
    generic_convert(g, A9N_OBJECT_ASID_POOL, bits, offset, 1, dest);
    return A9N_SUCCESS;
}
