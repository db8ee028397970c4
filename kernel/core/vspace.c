/* Address Spaces, Page Tables and Frames (see vspace.h). */
#include <core/vspace.h>

#include <a9n/vspace.h>
#include <core/descriptor.h>
#include <core/run.h>
#include <hal/hal_vspace.h>
#include <string.h>

struct asid_entry {
    paddr_t root; /* 0: free */
    uint32_t generation;
};

static struct asid_entry asids[VSPACE_ASID_COUNT];

#define PAGE_BITS_MASK 0xfffull

struct mapping {
    bool mapped;
    uint32_t asid;
    uint32_t generation;
    uint64_t vaddr;
};

static struct mapping mapping_of(const struct cap *c)
{
    return (struct mapping){
        .mapped = (c->data[1] & CAP_MAPPED) != 0,
        .asid = (uint32_t)((c->data[1] >> 16) & 0xffff),
        .generation = (uint32_t)(c->data[1] >> 32),
        .vaddr = c->data[0] & ~PAGE_BITS_MASK,
    };
}

static void mapping_set(struct cap *c, uint32_t asid, uint32_t generation, uint64_t vaddr)
{
    c->data[0] = (c->data[0] & PAGE_BITS_MASK) | vaddr;
    c->data[1] = (c->data[1] & CAP_FRAME_DEVICE) | CAP_MAPPED | ((uint64_t)asid << 16) |
                 ((uint64_t)generation << 32);
}

static void mapping_clear(struct cap *c)
{
    c->data[0] &= PAGE_BITS_MASK;
    c->data[1] &= CAP_FRAME_DEVICE;
}

/* The root of the Address Space a mapping refers to, or NULL if it has died since. */
static void *mapping_root(const struct mapping *m)
{
    if (!m->mapped || m->asid >= VSPACE_ASID_COUNT)
        return NULL;
    const struct asid_entry *e = &asids[m->asid];
    if (e->root == 0 || e->generation != m->generation)
        return NULL;
    return hal_phys_to_virt(e->root);
}

void vspace_reset(void)
{
    memset(asids, 0, sizeof asids);
}

bool vspace_asids_available(uint64_t count)
{
    uint64_t free = 0;
    for (unsigned i = 0; i < VSPACE_ASID_COUNT && free < count; i++)
        if (asids[i].root == 0)
            free++;
    return free >= count;
}

void vspace_address_space_create(struct cap *c)
{
    /* CONVERT checked vspace_asids_available first, so one is free. */
    for (uint32_t i = 0; i < VSPACE_ASID_COUNT; i++) {
        if (asids[i].root == 0) {
            asids[i].root = c->object;
            c->data[0] = i | ((uint64_t)asids[i].generation << 32);
            hal_vspace_init_root(hal_phys_to_virt(c->object));
            return;
        }
    }
}

void *vspace_root(const struct cap *as)
{
    if (as->type != A9N_OBJECT_ADDRESS_SPACE)
        return NULL;
    uint32_t asid = (uint32_t)(as->data[0] & 0xffffffff);
    if (asid >= VSPACE_ASID_COUNT || asids[asid].root != as->object ||
        asids[asid].generation != (uint32_t)(as->data[0] >> 32))
        return NULL;
    return hal_phys_to_virt(as->object);
}

void vspace_address_space_destroy(const struct cap *c)
{
    uint32_t asid = (uint32_t)(c->data[0] & 0xffffffff);
    if (asid >= VSPACE_ASID_COUNT || asids[asid].root != c->object)
        return;
    hal_vspace_deactivate(hal_phys_to_virt(c->object));
    run_forget_root(hal_phys_to_virt(c->object));
    asids[asid].root = 0;
    asids[asid].generation++;
}

static unsigned frame_bits(const struct cap *c)
{
    return (unsigned)(c->data[0] & 0xff);
}

static unsigned table_level(const struct cap *c)
{
    return (unsigned)(c->data[0] & 0xff);
}

static void unmap(struct cap *c, void *root, const struct mapping *m)
{
    if (c->type == A9N_OBJECT_FRAME) {
        hal_vspace_unmap_frame(root, m->vaddr, frame_bits(c), c->object);
    } else if (hal_vspace_unmap_table(root, m->vaddr, table_level(c), c->object) == HAL_VSPACE_OK) {
        /* Whatever it mapped must not come back if the table is mapped again. */
        memset(hal_phys_to_virt(c->object), 0, 1ull << A9N_PAGE_TABLE_BITS);
    }
    mapping_clear(c);
}

void vspace_cap_delete(struct cap *c)
{
    struct mapping m = mapping_of(c);
    void *root = mapping_root(&m);
    if (root != NULL)
        unmap(c, root, &m);
    else
        mapping_clear(c);
}

void vspace_cap_derive(struct cap *c)
{
    mapping_clear(c);
}

uint64_t vspace_mapping_report(const struct cap *c)
{
    struct mapping m = mapping_of(c);
    void *root = mapping_root(&m);
    if (root == NULL)
        return 0;
    uint64_t as = hal_virt_to_phys(root);
    if (c->type != A9N_OBJECT_FRAME)
        return as; /* a Page Table: the record is the entry (it is checked on unmap) */
    paddr_t pa;
    unsigned rights;
    if (!hal_vspace_query(root, m.vaddr, &pa, &rights) || pa != c->object)
        return 0;
    return as | ((rights & HAL_MAP_WRITE) ? A9N_MAP_WRITE : 0) |
           ((rights & HAL_MAP_EXECUTE) ? A9N_MAP_EXECUTE : 0) | A9N_MAP_READ;
}

/* ---- mapping ---- */

static a9n_error map_frame(void *root, const struct cap *as, struct cap *f, a9n_word va,
                           a9n_word attributes, unsigned *missing)
{
    if ((attributes & ~(a9n_word)(A9N_MAP_READ | A9N_MAP_WRITE | A9N_MAP_EXECUTE)) != 0)
        return A9N_ERROR_INVALID_ARGUMENT;
    if (!cap_has_rights(f, A9N_RIGHT_READ))
        return A9N_ERROR_PERMISSION_DENIED;
    if ((attributes & A9N_MAP_WRITE) && !cap_has_rights(f, A9N_RIGHT_WRITE))
        return A9N_ERROR_PERMISSION_DENIED;
    unsigned bits = frame_bits(f);
    if ((va & ((1ull << bits) - 1)) != 0 || va >= A9N_USER_TOP ||
        (1ull << bits) > A9N_USER_TOP - va)
        return A9N_ERROR_INVALID_ARGUMENT;
    unsigned hal_rights = HAL_MAP_READ | ((attributes & A9N_MAP_WRITE) ? HAL_MAP_WRITE : 0) |
                          ((attributes & A9N_MAP_EXECUTE) ? HAL_MAP_EXECUTE : 0);
    switch (hal_vspace_map_frame(root, va, bits, f->object, hal_rights, missing)) {
    case HAL_VSPACE_OK:
        mapping_set(f, (uint32_t)(as->data[0] & 0xffffffff), (uint32_t)(as->data[0] >> 32), va);
        return A9N_SUCCESS;
    case HAL_VSPACE_MISSING:
        return A9N_ERROR_MISSING_TABLE;
    case HAL_VSPACE_OCCUPIED:
        return A9N_ERROR_ADDRESS_IN_USE;
    default:
        return A9N_ERROR_INVALID_ARGUMENT;
    }
}

static a9n_error map_table(void *root, const struct cap *as, struct cap *t, a9n_word va,
                           a9n_word attributes, bool stale)
{
    if (attributes != 0 || va >= A9N_USER_TOP)
        return A9N_ERROR_INVALID_ARGUMENT;
    int level = hal_vspace_missing_level(root, va);
    if (level < 0)
        return A9N_ERROR_ADDRESS_IN_USE;
    if (stale) {
        /* Its Address Space died with it still linked in: it may still hold entries, which
         * must not reappear in the new space. (A Page Table has exactly one capability, so
         * nothing else can reach it.) Only now, once the call cannot fail any more. */
        memset(hal_phys_to_virt(t->object), 0, 1ull << A9N_PAGE_TABLE_BITS);
    }
    /* The table covers 2^(12 + 9 * (level + 1)) bytes: record its aligned start. */
    uint64_t base = va & ~((1ull << (12 + 9 * (level + 1))) - 1);
    unsigned missing;
    if (hal_vspace_map_table(root, va, (unsigned)level, t->object, &missing) != HAL_VSPACE_OK)
        return A9N_ERROR_ADDRESS_IN_USE;
    t->data[0] = (unsigned)level;
    mapping_set(t, (uint32_t)(as->data[0] & 0xffffffff), (uint32_t)(as->data[0] >> 32), base);
    return A9N_SUCCESS;
}

static a9n_error map_checked(const struct cap *as, struct cap *target, a9n_word va,
                             a9n_word attributes, unsigned *missing)
{
    void *root = vspace_root(as);
    if (root == NULL)
        return A9N_ERROR_FATAL;
    struct mapping m = mapping_of(target);
    if (mapping_root(&m) != NULL)
        return A9N_ERROR_ALREADY_MAPPED;
    /* A stale record (its space died) is no mapping: a successful MAP overwrites it. */
    if (target->type == A9N_OBJECT_FRAME)
        return map_frame(root, as, target, va, attributes, missing);
    return map_table(root, as, target, va, attributes, m.mapped);
}

a9n_error vspace_map(const struct cap *as, struct cap *target, uint64_t va, unsigned attributes)
{
    unsigned missing;
    return map_checked(as, target, va, attributes, &missing);
}

/* ---- invocations ---- */

/* A Frame or Page Table capability that the caller names in MR2. */
static a9n_error lookup_mappable(struct process *caller, a9n_word descriptor, struct cap_slot **out)
{
    a9n_error e = descriptor_lookup(&caller->slots[PROCESS_SLOT_ROOT_NODE], descriptor, out);
    if (e != A9N_SUCCESS)
        return e;
    unsigned type = (*out)->cap.type;
    if (type != A9N_OBJECT_FRAME && type != A9N_OBJECT_PAGE_TABLE)
        return A9N_ERROR_WRONG_TYPE;
    return A9N_SUCCESS;
}

static bool mapped_in(const struct cap *c, const struct cap *as)
{
    struct mapping m = mapping_of(c);
    return m.mapped && m.asid == (uint32_t)(as->data[0] & 0xffffffff) &&
           m.generation == (uint32_t)(as->data[0] >> 32);
}

a9n_error address_space_invoke(struct process *caller, struct cap_slot *as, struct cap_message *msg)
{
    void *root = vspace_root(&as->cap);
    if (root == NULL)
        return A9N_ERROR_FATAL; /* a capability outlived its Address Space: a kernel bug */
    struct cap_slot *target;
    a9n_error e;
    switch (msg->mr[A9N_MR_OPERATION]) {
    case A9N_ADDRESS_SPACE_MAP: {
        if (!cap_has_rights(&as->cap, A9N_RIGHT_WRITE))
            return A9N_ERROR_PERMISSION_DENIED;
        e = lookup_mappable(caller, msg->mr[2], &target);
        if (e != A9N_SUCCESS)
            return e;
        unsigned missing = 0;
        e = map_checked(&as->cap, &target->cap, msg->mr[3], msg->mr[4], &missing);
        if (e == A9N_ERROR_MISSING_TABLE)
            msg->mr[A9N_MR_RESULT0] = missing;
        return e;
    }
    case A9N_ADDRESS_SPACE_UNMAP:
        if (!cap_has_rights(&as->cap, A9N_RIGHT_WRITE))
            return A9N_ERROR_PERMISSION_DENIED;
        e = lookup_mappable(caller, msg->mr[2], &target);
        if (e != A9N_SUCCESS)
            return e;
        if (!mapped_in(&target->cap, &as->cap))
            return A9N_ERROR_NOT_MAPPED;
        {
            struct mapping m = mapping_of(&target->cap);
            unmap(&target->cap, root, &m);
        }
        return A9N_SUCCESS;
    case A9N_ADDRESS_SPACE_GET_UNSET_DEPTH: {
        if (!cap_has_rights(&as->cap, A9N_RIGHT_READ))
            return A9N_ERROR_PERMISSION_DENIED;
        a9n_word va = msg->mr[2];
        if (va >= A9N_USER_TOP)
            return A9N_ERROR_INVALID_ARGUMENT;
        int level = hal_vspace_missing_level(root, va);
        msg->mr[A9N_MR_RESULT0] = level < 0 ? A9N_DEPTH_NONE : (a9n_word)level;
        return A9N_SUCCESS;
    }
    default:
        return A9N_ERROR_ILLEGAL_OPERATION;
    }
}

a9n_error frame_invoke(struct process *caller, struct cap_slot *frame, struct cap_message *msg)
{
    if (msg->mr[A9N_MR_OPERATION] != A9N_FRAME_GET_ADDRESS)
        return A9N_ERROR_ILLEGAL_OPERATION;
    if (!cap_has_rights(&frame->cap, A9N_RIGHT_READ))
        return A9N_ERROR_PERMISSION_DENIED;
    msg->mr[A9N_MR_RESULT0] = frame->cap.object;
    return A9N_SUCCESS;
}
