/* Address Spaces, Page Tables and Frames (see vspace.h). */
#include <core/vspace.h>

#include <core/captree.h>

#include <a9n/vspace.h>
#include <core/asid.h>
#include <core/descriptor.h>
#include <core/preempt.h>
#include <core/run.h>
#include <hal/hal_vspace.h>
#include <string.h>

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

static unsigned frame_bits(const struct cap *c)
{
    return (unsigned)(c->data[0] & 0xff);
}

static unsigned table_level(const struct cap *c)
{
    return (unsigned)(c->data[0] & 0xff);
}

/*
 * The root a capability's mapping record refers to, or NULL when the record is stale. A
 * record is true only while the tables say so: its Address Space is alive (same ASID and
 * generation) and the entry it names still holds this very object. Unlinking a table clears
 * everything below it without touching the capabilities of what was there, so their records
 * go stale by this check, and a stale record is simply "not mapped".
 */
static void *mapping_live(const struct cap *c)
{
    struct mapping m = mapping_of(c);
    if (!m.mapped)
        return NULL;
    void *root = asid_root(m.asid, m.generation);
    if (root == NULL)
        return NULL;
    bool holds = c->type == A9N_OBJECT_FRAME
                     ? hal_vspace_has_frame(root, m.vaddr, frame_bits(c), c->object)
                     : hal_vspace_has_table(root, m.vaddr, table_level(c), c->object);
    return holds ? root : NULL;
}

/*
 * Clears what a linked table maps, bottom-up, keeping it linked, in steps of
 * VSPACE_CLEAR_BUDGET with a preemption point after each. Every step leaves a state in which
 * the invariant holds (only mappings have gone, and a table is unlinked only once it is all
 * zero), and the progress is in the tables themselves: a restarted call finds the cleared
 * part zero and passes over it. Each step clears something, so restarts make progress.
 */
static a9n_error clear_below(void *root, void *table, unsigned level)
{
    for (;;) {
        uint64_t budget = VSPACE_CLEAR_BUDGET;
        if (hal_vspace_clear(root, table, level, &budget)) {
            /* Done: the last step's work counts towards the caller's next point. */
            preempt_charge((uint32_t)(VSPACE_CLEAR_BUDGET - budget));
            return A9N_SUCCESS;
        }
        if (preempt_point(VSPACE_CLEAR_BUDGET))
            return A9N_PREEMPTED;
    }
}

/* Undoes a live mapping (`root` from mapping_live). A table is emptied first, which may be
 * preempted: it then stays linked and mapped, with fewer entries. */
static a9n_error unmap(struct cap *c, void *root)
{
    struct mapping m = mapping_of(c);
    if (c->type == A9N_OBJECT_FRAME) {
        hal_vspace_unmap_frame(root, m.vaddr, frame_bits(c), c->object);
    } else {
        /* Empty it while it is still linked, then unlink it: no table is ever unlinked
         * with entries in it, so nothing it mapped can come back through it. */
        a9n_error e = clear_below(root, hal_phys_to_virt(c->object), table_level(c));
        if (e != A9N_SUCCESS)
            return e;
        hal_vspace_unmap_table(root, m.vaddr, table_level(c), c->object);
    }
    mapping_clear(c);
    return A9N_SUCCESS;
}

/* ---- Address Spaces ---- */

void vspace_address_space_create(struct cap *c)
{
    /* No ASID yet: ASID_POOL ASSIGN gives it one (asid.c). */
    c->data[0] = ASID_NONE;
    hal_vspace_init_root(hal_phys_to_virt(c->object));
}

void *vspace_root(const struct cap *as)
{
    if (as->type != A9N_OBJECT_ADDRESS_SPACE)
        return NULL;
    void *root = asid_root((uint32_t)(as->data[0] & 0xffffffff), (uint32_t)(as->data[0] >> 32));
    return root != NULL && hal_virt_to_phys(root) == as->object ? root : NULL;
}

a9n_error vspace_address_space_empty(void *root)
{
    /* No CPU runs it from here on: a Process that runs it again simply reloads it. */
    hal_vspace_deactivate(root);
    run_forget_root(root);
    return clear_below(root, root, HAL_VSPACE_ROOT_LEVEL);
}

void vspace_address_space_release(void *root)
{
    /* Every table it links goes back to zero and unlinked, so none can be mapped again with
     * stale entries; the Frames and Page Tables keep stale records. Bounded when the caller
     * emptied it first (vspace_address_space_empty); otherwise it runs to the end. */
    while (vspace_address_space_empty(root) == A9N_PREEMPTED)
        ;
}

void vspace_address_space_destroy(const struct cap *c)
{
    if (vspace_root(c) == NULL)
        return; /* it never had an ASID, or its pool died (and released it then) */
    vspace_address_space_release(hal_phys_to_virt(c->object));
    asid_free((uint32_t)(c->data[0] & 0xffffffff));
}

/* ---- Frames and Page Tables ---- */

a9n_error vspace_cap_empty(const struct cap *c)
{
    if (c->type == A9N_OBJECT_ADDRESS_SPACE) {
        void *root = vspace_root(c);
        return root == NULL ? A9N_SUCCESS : vspace_address_space_empty(root);
    }
    if (c->type != A9N_OBJECT_PAGE_TABLE)
        return A9N_SUCCESS;
    void *root = mapping_live(c);
    if (root == NULL)
        return A9N_SUCCESS;
    return clear_below(root, hal_phys_to_virt(c->object), table_level(c));
}

void vspace_cap_delete(struct cap *c)
{
    void *root = mapping_live(c);
    if (root == NULL) {
        mapping_clear(c);
        return;
    }
    /* Bounded when the caller emptied it first (vspace_cap_empty, slot.c); otherwise the
     * emptying runs to the end here. */
    while (unmap(c, root) == A9N_PREEMPTED)
        ;
}

void vspace_cap_derive(struct cap *c)
{
    mapping_clear(c);
}

uint64_t vspace_mapping_report(const struct cap *c)
{
    if (c->type != A9N_OBJECT_FRAME) {
        void *root = mapping_live(c); /* the record checked against the tables */
        /* A Page Table: the record is the entry (it is checked on unmap). */
        return root != NULL ? hal_virt_to_phys(root) : 0;
    }
    /* A Frame: the record checked and the entry's access read in one walk of the tables. */
    struct mapping m = mapping_of(c);
    void *root = m.mapped ? asid_root(m.asid, m.generation) : NULL;
    unsigned rights;
    if (root == NULL || !hal_vspace_frame_access(root, m.vaddr, frame_bits(c), c->object, &rights))
        return 0;
    return hal_virt_to_phys(root) | ((rights & HAL_MAP_WRITE) ? A9N_MAP_WRITE : 0) |
           ((rights & HAL_MAP_EXECUTE) ? A9N_MAP_EXECUTE : 0) | A9N_MAP_READ;
}

/* ---- mapping ---- */

static uint32_t as_asid(const struct cap *as)
{
    return (uint32_t)(as->data[0] & 0xffffffff);
}

static uint32_t as_generation(const struct cap *as)
{
    return (uint32_t)(as->data[0] >> 32);
}

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
        mapping_set(f, as_asid(as), as_generation(as), va);
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
                           a9n_word attributes)
{
    if (attributes != 0 || va >= A9N_USER_TOP)
        return A9N_ERROR_INVALID_ARGUMENT;
    int level = hal_vspace_missing_level(root, va);
    if (level < 0)
        return A9N_ERROR_ADDRESS_IN_USE;
    /* A table that is not linked is all zero (it was emptied before it was unlinked, or it
     * is new), so linking it anywhere, at any level, shows nothing old. */
    uint64_t base = va & ~((1ull << (12 + 9 * (level + 1))) - 1);
    unsigned missing;
    if (hal_vspace_map_table(root, va, (unsigned)level, t->object, &missing) != HAL_VSPACE_OK)
        return A9N_ERROR_ADDRESS_IN_USE;
    t->data[0] = (unsigned)level;
    mapping_set(t, as_asid(as), as_generation(as), base);
    return A9N_SUCCESS;
}

static a9n_error map_checked(const struct cap *as, struct cap *target, a9n_word va,
                             a9n_word attributes, unsigned *missing)
{
    void *root = vspace_root(as);
    if (root == NULL)
        return A9N_ERROR_NO_ASID;
    if (mapping_live(target) != NULL)
        return A9N_ERROR_ALREADY_MAPPED;
    /* A stale record is no mapping: a successful MAP overwrites it. */
    if (target->type == A9N_OBJECT_FRAME)
        return map_frame(root, as, target, va, attributes, missing);
    return map_table(root, as, target, va, attributes);
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

a9n_error address_space_invoke(struct process *caller, struct cap_slot *as, struct cap_message *msg)
{
    void *root = vspace_root(&as->cap);
    if (root == NULL)
        return A9N_ERROR_NO_ASID; /* not assigned one yet, or its ASID Pool is gone */
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
        /* Mapped here and now, by the tables themselves: a stale record unmaps nothing. */
        if (mapping_live(&target->cap) != root)
            return A9N_ERROR_NOT_MAPPED;
        /* May be A9N_PREEMPTED while a table is emptied: the restart finds it still
         * mapped, its cleared part zero, and goes on (core/preempt.h). */
        return unmap(&target->cap, root);
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

bool vspace_cap_is_mapped(const struct cap *c)
{
    return mapping_live(c) != NULL;
}

/* ---- the invariant, checked (debug builds and host tests) ---- */

/* Whether some capability of the list has a live record naming the entry (`parent`'s
 * index `index`, of `level`) that holds `address`. */
static bool entry_named(struct cap_slot *first, uint32_t asid, uint64_t va, unsigned level,
                        const struct hal_vspace_entry *e)
{
    uint32_t depth = 0;
    for (struct cap_slot *s = first; s != NULL; s = captree_walk_next(s, &depth)) {
        const struct cap *c = &s->cap;
        if (c->object != e->address || mapping_live(c) == NULL)
            continue;
        struct mapping m = mapping_of(c);
        if (m.asid != asid || m.vaddr != va)
            continue;
        if (e->frame_bits != 0 && c->type == A9N_OBJECT_FRAME && frame_bits(c) == e->frame_bits &&
            e->frame_bits == 12 + 9 * level)
            return true;
        if (e->frame_bits == 0 && c->type == A9N_OBJECT_PAGE_TABLE && table_level(c) + 1 == level)
            return true;
    }
    return false;
}

static bool fail(char *why, size_t len, const char *text)
{
    size_t n = strlen(text);
    if (n >= len)
        n = len - 1;
    memcpy(why, text, n);
    why[n] = 0;
    return false;
}

/* Walks one live Address Space: every present entry at every level must be named. */
static bool check_space(struct cap_slot *first, uint32_t asid, void *root, char *why, size_t len)
{
    struct {
        const void *t;
        unsigned level, i;
        uint64_t base;
    } stack[HAL_VSPACE_ROOT_LEVEL + 1];
    int top = 0;
    stack[0].t = root;
    stack[0].level = HAL_VSPACE_ROOT_LEVEL;
    stack[0].i = 0;
    stack[0].base = 0;
    while (top >= 0) {
        if (stack[top].i == 512) {
            top--;
            continue;
        }
        unsigned level = stack[top].level, i = stack[top].i++;
        struct hal_vspace_entry e;
        if (!hal_vspace_read_entry(stack[top].t, level, i, &e))
            continue;
        uint64_t va = stack[top].base + ((uint64_t)i << (12 + 9 * level));
        if (!e.user)
            return fail(why, len, "a user-half entry is not user-accessible");
        /* A table entry records its table's start (the start of what the entry covers). */
        if (!entry_named(first, asid, va, level, &e))
            return fail(why, len, "a present entry is not named by any capability's record");
        if (e.frame_bits == 0) {
            top++;
            stack[top].t = hal_phys_to_virt(e.address);
            stack[top].level = level - 1;
            stack[top].i = 0;
            stack[top].base = va;
        }
    }
    return true;
}

bool vspace_check_invariants(struct cap_slot *any, char *why, size_t len)
{
    struct cap_slot *first = captree_first(any);
    uint32_t depth = 0;
    for (struct cap_slot *s = first; s != NULL; s = captree_walk_next(s, &depth)) {
        const struct cap *c = &s->cap;
        if (c->type == A9N_OBJECT_PAGE_TABLE && mapping_live(c) == NULL &&
            !hal_vspace_table_empty(hal_phys_to_virt(c->object), 0))
            return fail(why, len, "a Page Table that is not linked is not all zero");
        if (c->type != A9N_OBJECT_ADDRESS_SPACE)
            continue;
        void *root = vspace_root(c);
        if (root == NULL) {
            if (!hal_vspace_table_empty(hal_phys_to_virt(c->object), HAL_VSPACE_ROOT_LEVEL))
                return fail(why, len, "an Address Space without an ASID has user entries");
            continue;
        }
        if (!check_space(first, as_asid(c), root, why, len))
            return false;
    }
    return true;
}
