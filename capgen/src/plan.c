/*
 * The plan: every kernel object Alpha creates (declared objects, each process's Node,
 * Process, Address Space, IPC buffer and stack frames, ULMM pools), in creation order, and
 * whether they fit in system.memory together with the page tables and image frames Alpha
 * allocates while loading. Sizes come from a9n_object_bits() only.
 */
#include "capgen.h"

#include <alpha_spec.h>
#include <stdlib.h>
#include <string.h>

struct planner {
    struct arena *arena;
    struct diag *diag;
    struct system *sys;
};

/* --- Page tables ---------------------------------------------------------------------- */

struct range {
    uint64_t start, end; /* bytes, half-open */
    bool small_pages;    /* mapped by 4K pages, so it needs level-0 tables */
};

struct interval {
    uint64_t first, last;
};

static int by_first(const void *x, const void *y)
{
    const struct interval *a = x, *b = y;
    return a->first < b->first ? -1 : a->first > b->first;
}

/* Distinct table indices (address >> shift) the ranges touch. */
static uint64_t distinct(struct arena *ar, const struct range *r, size_t n, unsigned shift,
                         bool small_only)
{
    struct interval *iv = arena_alloc(ar, (n + 1) * sizeof(*iv));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (small_only && !r[i].small_pages)
            continue;
        iv[m++] = (struct interval){r[i].start >> shift, (r[i].end - 1) >> shift};
    }
    if (m == 0)
        return 0;
    qsort(iv, m, sizeof(*iv), by_first);
    uint64_t total = 0, first = iv[0].first, last = iv[0].last;
    for (size_t i = 1; i < m; i++) {
        if (iv[i].first <= last + 1) {
            if (iv[i].last > last)
                last = iv[i].last;
            continue;
        }
        total += last - first + 1;
        first = iv[i].first;
        last = iv[i].last;
    }
    return total + (last - first + 1);
}

/* Pages covered by the image's segments (each page once). */
static uint64_t image_pages(struct arena *ar, const struct process *p)
{
    struct range *r = arena_alloc(ar, (p->segment_count + 1) * sizeof(*r));
    for (size_t i = 0; i < p->segment_count; i++) {
        const struct segment *s = &p->segments[i];
        r[i] = (struct range){s->vaddr, s->vaddr + s->memsz, true};
    }
    return distinct(ar, r, p->segment_count, 12, false);
}

/* Level 2, 1 and 0 tables under the process's Address Space (x86_64 4-level paging). */
static uint64_t page_tables(struct arena *ar, const struct process *p)
{
    size_t n = 2 + p->maps.count + p->segment_count;
    struct range *r = arena_alloc(ar, n * sizeof(*r));
    size_t m = 0;
    r[m++] = (struct range){ALPHA_STACK_TOP - p->stack, ALPHA_STACK_TOP, true};
    r[m++] = (struct range){ALPHA_IPC_BUFFER, ALPHA_IPC_BUFFER + CAPGEN_PAGE, true};
    for (size_t i = 0; i < p->maps.count; i++) {
        const struct map *mp = p->maps.items[i];
        r[m++] = (struct range){mp->address, mp->address + mp->object->size,
                                mp->object->page_bits == A9N_FRAME_BITS};
    }
    for (size_t i = 0; i < p->segment_count; i++) {
        const struct segment *s = &p->segments[i];
        r[m++] = (struct range){s->vaddr & ~(CAPGEN_PAGE - 1), s->vaddr + s->memsz, true};
    }
    return distinct(ar, r, m, 39, false) + distinct(ar, r, m, 30, false) +
           distinct(ar, r, m, 21, true);
}

/* With the images known: segments against the stack area and the maps. */
static void check_image(struct planner *pl, struct process *p)
{
    uint64_t low = ALPHA_STACK_TOP - p->stack - CAPGEN_PAGE, high = ALPHA_IPC_BUFFER + CAPGEN_PAGE;
    for (size_t i = 0; i < p->segment_count; i++) {
        const struct segment *s = &p->segments[i];
        uint64_t start = s->vaddr & ~(CAPGEN_PAGE - 1), end = s->vaddr + s->memsz;
        if (start < high && low < end)
            diag_error(pl->diag, p->image_pos,
                       "process '%s': segment 0x%llx..0x%llx of %s.elf overlaps the stack and "
                       "IPC buffer area 0x%llx..0x%llx",
                       p->name, (unsigned long long)start, (unsigned long long)end, p->image,
                       (unsigned long long)low, (unsigned long long)high);
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            uint64_t mend = m->address + m->object->size;
            if (start < mend && m->address < end)
                diag_error(pl->diag, m->address_pos,
                           "map %zu of process '%s': '%s' at 0x%llx..0x%llx overlaps segment "
                           "0x%llx..0x%llx of %s.elf",
                           j + 1, p->name, m->object->name, (unsigned long long)m->address,
                           (unsigned long long)mend, (unsigned long long)start,
                           (unsigned long long)end, p->image);
        }
    }
}

/* --- Objects -------------------------------------------------------------------------- */

static void add(struct planner *pl, const char *name, enum plan_role role,
                enum a9n_object_type type, unsigned specific_bits, uint32_t group_count,
                struct process *p, struct object *o, struct pool *pool)
{
    for (uint32_t i = 0; i < group_count; i++) {
        struct plan_object *po = arena_alloc(pl->arena, sizeof(*po));
        po->name = name;
        po->role = role;
        po->type = type;
        po->specific_bits = specific_bits;
        po->size_bits = a9n_object_bits(type, specific_bits);
        po->group_index = i;
        po->group_count = group_count;
        po->process = p;
        po->object = o;
        po->pool = pool;
        vec_push(pl->arena, &pl->sys->plan, po);
    }
}

/* Creation order: largest first, then by name, then page by page within a group. */
static int by_creation_order(const void *x, const void *y)
{
    const struct plan_object *a = *(struct plan_object *const *)x;
    const struct plan_object *b = *(struct plan_object *const *)y;
    if (a->size_bits != b->size_bits)
        return a->size_bits > b->size_bits ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return a->group_index < b->group_index ? -1 : a->group_index > b->group_index;
}

static uint64_t object_entries(const struct system *sys)
{
    uint64_t n = 0;
    for (size_t i = 0; i < sys->objects.count; i++) {
        const struct object *o = sys->objects.items[i];
        n += o->kind == OBJECT_MEMORY ? o->pages : 1;
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        n += 4 + p->stack / CAPGEN_PAGE + p->pools.count;
    }
    return n;
}

static void build_objects(struct planner *pl)
{
    struct system *sys = pl->sys;
    for (size_t i = 0; i < sys->objects.count; i++) {
        struct object *o = sys->objects.items[i];
        switch (o->kind) {
        case OBJECT_IPC_PORT:
            add(pl, o->name, ROLE_DECLARED, A9N_OBJECT_IPC_PORT, 0, 1, NULL, o, NULL);
            break;
        case OBJECT_NOTIFICATION_PORT:
            add(pl, o->name, ROLE_DECLARED, A9N_OBJECT_NOTIFICATION_PORT, 0, 1, NULL, o, NULL);
            break;
        case OBJECT_MEMORY:
            add(pl, o->name, ROLE_DECLARED, A9N_OBJECT_FRAME, o->page_bits, o->pages, NULL, o,
                NULL);
            break;
        }
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        struct arena *a = pl->arena;
        add(pl, arena_printf(a, "%s.node", p->name), ROLE_NODE, A9N_OBJECT_NODE, p->radix, 1, p,
            NULL, NULL);
        add(pl, arena_printf(a, "%s.process", p->name), ROLE_PROCESS, A9N_OBJECT_PROCESS, 0, 1, p,
            NULL, NULL);
        add(pl, arena_printf(a, "%s.address_space", p->name), ROLE_ADDRESS_SPACE,
            A9N_OBJECT_ADDRESS_SPACE, 0, 1, p, NULL, NULL);
        add(pl, arena_printf(a, "%s.ipc_buffer", p->name), ROLE_IPC_BUFFER, A9N_OBJECT_FRAME,
            A9N_FRAME_BITS, 1, p, NULL, NULL);
        add(pl, arena_printf(a, "%s.stack", p->name), ROLE_STACK, A9N_OBJECT_FRAME, A9N_FRAME_BITS,
            (uint32_t)(p->stack / CAPGEN_PAGE), p, NULL, NULL);
        for (size_t j = 0; j < p->pools.count; j++) {
            struct pool *pool = p->pools.items[j];
            add(pl, pool->object_name, ROLE_POOL, A9N_OBJECT_GENERIC, pool->bits, 1, p, NULL, pool);
        }
    }
    qsort(sys->plan.items, sys->plan.count, sizeof(void *), by_creation_order);
    for (uint32_t i = 0; i < sys->plan.count; i++) {
        struct plan_object *po = sys->plan.items[i];
        if (po->group_index != 0)
            continue;
        switch (po->role) {
        case ROLE_DECLARED:
            po->object->spec_index = i;
            break;
        case ROLE_NODE:
            po->process->spec_node = i;
            break;
        case ROLE_PROCESS:
            po->process->spec_process = i;
            break;
        case ROLE_ADDRESS_SPACE:
            po->process->spec_address_space = i;
            break;
        case ROLE_IPC_BUFFER:
            po->process->spec_ipc_buffer = i;
            break;
        case ROLE_STACK:
            po->process->spec_stack = i;
            break;
        case ROLE_POOL:
            po->pool->spec_index = i;
            break;
        }
    }
}

/*
 * The fit. Memory is modelled the way the kernel hands it out: power-of-two blocks, aligned
 * to their size (system.memory split by its binary digits, largest first). Objects go in
 * largest first, first fit, each aligned to its own size.
 */
static void fit(struct planner *pl)
{
    struct system *sys = pl->sys;
    uint64_t count_by_bits[64] = {0};
    for (size_t i = 0; i < sys->plan.count; i++) {
        struct plan_object *po = sys->plan.items[i];
        count_by_bits[po->size_bits]++;
        sys->object_bytes += plan_bytes_of(po);
        if (po->role == ROLE_POOL)
            sys->pool_bytes += plan_bytes_of(po);
    }
    uint64_t tables = 0, image = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        tables += p->page_tables;
        image += p->image_pages;
    }
    count_by_bits[A9N_PAGE_TABLE_BITS] += tables;
    count_by_bits[A9N_FRAME_BITS] += image;
    sys->table_bytes = a9n_object_bytes(A9N_PAGE_TABLE_BITS, tables);
    sys->image_bytes = a9n_object_bytes(A9N_FRAME_BITS, image);
    sys->plan_bytes = sys->object_bytes + sys->table_bytes + sys->image_bytes;

    uint64_t used[64] = {0}; /* watermark per block; block b is 2^b bytes if memory has bit b */
    uint64_t missing = 0;
    for (int bits = 63; bits >= 0; bits--) {
        uint64_t left = count_by_bits[bits];
        for (int b = 63; b >= bits && left; b--) {
            if (!(sys->memory >> b & 1))
                continue;
            uint64_t room = ((1ull << b) - used[b]) >> bits;
            uint64_t take = room < left ? room : left;
            used[b] += take << bits;
            left -= take;
        }
        missing += left << bits;
    }
    if (sys->plan_bytes > sys->memory) {
        diag_error(pl->diag, sys->memory_pos,
                   "the system needs %llu bytes of kernel objects but memory is %llu: %llu "
                   "bytes missing",
                   (unsigned long long)sys->plan_bytes, (unsigned long long)sys->memory,
                   (unsigned long long)(sys->plan_bytes - sys->memory));
    } else if (missing) {
        diag_error(pl->diag, sys->memory_pos,
                   "the system needs %llu bytes of kernel objects and memory is %llu, but "
                   "%llu bytes do not fit after alignment",
                   (unsigned long long)sys->plan_bytes, (unsigned long long)sys->memory,
                   (unsigned long long)missing);
    }
}

/*
 * Alpha's own limits (a9n/limits.h), counted exactly as Alpha uses them (servers/alpha):
 *
 * - root slots from the objects' base on (right after the kernel's boot capabilities and Alpha's
 *   ASID Pools): every planned object, then Alpha's working
 *   objects in the order it makes them: the slot it fills image pages through and the three
 *   page tables that map it in its own Address Space (ALPHA_OWN_SLOTS), and per process its
 *   image frames, its page tables, a copy per page of each map, one capability per IO range
 *   or interrupt line, one ASID Pool per `asid_pool` capability, the minted exit notice;
 * - capability records Alpha keeps when it reads the system back: the fixed root slots that
 *   hold something (ALPHA_FIXED_RECORDS: 1 .. 8, 14 and 15 from the kernel, 9 Alpha's own
 *   Generic), Alpha's Process's configuration (Node, Address Space, IPC buffer), every root
 *   slot from the base on that still holds something
 *   (all but the fill slot and the pools that moved to their process), each process's
 *   configuration (Node, Address Space, IPC buffer, resolver: its own or Alpha's supervisor
 *   port; an exit notice) and each slot of its Node; the supervisor's port and the slot its
 *   badged copies pass through.
 *   The kernel's boot capabilities in slots A9N_ROOT_SLOT_VARIABLE .. base - 1 (whose number
 *   depends on the machine's memory map and Alpha's own size) are read but not kept
 *   (servers/alpha/verify.c, keep_record);
 * - image pages of all processes (only when the images are known: the build checks again
 *   with them).
 *
 * Each is reported at the process that crosses it, and `capgen report` prints the counts.
 */
enum { ALPHA_OWN_SLOTS = 4, ALPHA_FIXED_RECORDS = 11, ALPHA_OWN_CONFIG_RECORDS = 3 };
/* The supervisor (servers/alpha/supervise.c): its port and the slot each process's badged
 * resolver capability passes through (empty again once the process has its copy). */
enum { ALPHA_SUPERVISOR_SLOTS = 2, ALPHA_SUPERVISOR_RECORDS = 1 };
/* The inspector (system.inspect, servers/alpha/inspect.c): COM2's Interrupt Port and the
 * Notification Port bound to it and to Alpha's Process (a record of Alpha's configuration). */
enum { ALPHA_INSPECTOR_SLOTS = 2, ALPHA_INSPECTOR_RECORDS = 3 };

static void check_alpha(struct planner *pl)
{
    struct system *sys = pl->sys;
    uint64_t slots = sys->plan.count + ALPHA_OWN_SLOTS + ALPHA_SUPERVISOR_SLOTS;
    uint64_t records = ALPHA_FIXED_RECORDS + ALPHA_OWN_CONFIG_RECORDS + sys->plan.count +
                       ALPHA_OWN_SLOTS - 1 + ALPHA_SUPERVISOR_RECORDS;
    if (sys->inspect) {
        slots += ALPHA_INSPECTOR_SLOTS;
        records += ALPHA_INSPECTOR_RECORDS;
    }
    uint64_t image = 0, tables = 0;
    bool slots_said = false, records_said = false, image_said = false;
    /* ASID Pools: the kernel's directory holds A9N_LIMIT_ASID_POOLS; the boot pool and the
     * ALPHA_ASID_POOLS Alpha may make for the Address Spaces come first. */
    unsigned asid_pools = 0, asid_pools_max = CAPGEN_MAX_ASID_POOLS, irq_lines = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        uint64_t mine = p->image_pages + p->page_tables;
        for (size_t k = 0; k < p->caps.count; k++) {
            const struct cap *c = p->caps.items[k];
            irq_lines += c->kind == CAP_IRQ; /* each line once (check.c) */
            if (c->kind == CAP_ASID_POOL && ++asid_pools == asid_pools_max + 1)
                diag_error(pl->diag, c->pos,
                           "capability '%s.%s': the %u. ASID Pool; the kernel holds %u, of which "
                           "Alpha keeps %u",
                           p->name, c->name, asid_pools, A9N_LIMIT_ASID_POOLS,
                           A9N_LIMIT_ASID_POOLS - asid_pools_max);
        }
        /* the Process's own slots: a resolver, its own or Alpha's; an exit notice is minted
         * (with its identifier) into a root slot of Alpha's first */
        records += 4 + (p->exit_notice != NULL);
        mine += p->exit_notice != NULL;
        for (size_t k = 0; k < p->caps.count; k++) {
            const struct cap *c = p->caps.items[k];
            if (c->kind == CAP_IO_PORT || c->kind == CAP_IRQ || c->kind == CAP_ASID_POOL)
                mine++;
            if (c->kind == CAP_POOL)
                records--; /* its Generic moves from Alpha's root slot to the process */
            records += c->kind == CAP_IMAGE ? p->image_pages : c->count;
        }
        for (size_t k = 0; k < p->maps.count; k++)
            mine += ((const struct map *)p->maps.items[k])->object->pages;
        slots += mine;
        records += mine;
        image += p->image_pages;
        tables += p->page_tables;
        if (slots > ALPHA_SCRATCH_SLOTS && !slots_said) {
            diag_error(pl->diag, p->pos,
                       "process '%s': the system needs more than the %u slots of Alpha's root "
                       "Node for its objects and Alpha's working objects",
                       p->name, ALPHA_SCRATCH_SLOTS);
            slots_said = true;
        }
        if (records > ALPHA_MAX_RECORDS && !records_said) {
            diag_error(pl->diag, p->pos,
                       "process '%s': the system would hold more than the %u capabilities "
                       "Alpha reads back to verify it",
                       p->name, ALPHA_MAX_RECORDS);
            records_said = true;
        }
        if (image > ALPHA_MAX_IMAGE_PAGES && !image_said) {
            diag_error(pl->diag, p->image_pos,
                       "process '%s': the images of the system have more than the %u pages "
                       "Alpha loads",
                       p->name, ALPHA_MAX_IMAGE_PAGES);
            image_said = true;
        }
    }
    sys->alpha_slots = slots;
    sys->alpha_records = records;
    /* Alpha's working tables while it builds and verifies, in the root slots after its
     * scratch (servers/alpha/table.c): their pages and page tables. */
    sys->alpha_tables = alpha_table_slots(records, sys->plan.count, image,
                                          A9N_ROOT_SLOT_VARIABLE + slots + ALPHA_RUNTIME_SLOTS);
    sys->alpha_image_pages = image;
    sys->asid_pools = asid_pools;
    sys->irq_lines = irq_lines;
    /* Alpha's page tables and the declared ASID Pools come from one Generic of its own: room
     * for every table and pool, and 1 MiB for the rest of its work. */
    uint64_t need = a9n_object_bytes(A9N_PAGE_TABLE_BITS, tables) +
                    a9n_object_bytes(A9N_ASID_POOL_BITS, asid_pools) + (1ull << 20);
    sys->scratch_bits = 22;
    while ((1ull << sys->scratch_bits) < need)
        sys->scratch_bits++;
}

bool system_plan(struct arena *a, struct diag *d, struct system *sys)
{
    struct planner pl = {a, d, sys};
    unsigned before = d->errors;
    sys->images_counted = sys->images_dir != NULL;
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        if (sys->images_dir && elf_read_segments(a, d, p, sys->images_dir)) {
            check_image(&pl, p);
            p->image_pages = image_pages(a, p);
            for (size_t k = 0; k < p->caps.count; k++) {
                const struct cap *c = p->caps.items[k];
                if (c->kind == CAP_IMAGE && p->image_pages > c->count)
                    diag_error(d, c->pos,
                               "capability '%s.%s': the image has %llu pages, more than the %u "
                               "slots image_frames holds",
                               p->name, c->name, (unsigned long long)p->image_pages, c->count);
            }
        }
        p->page_tables = page_tables(a, p);
    }
    if (d->errors != before)
        return false;
    /* Boot modules: one per distinct image, with names the kernel keeps whole. */
    unsigned images = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(((const struct process *)sys->processes.items[j])->image, p->image) == 0;
        if (seen)
            continue;
        images++;
        if (strlen(p->image) > CAPGEN_MAX_IMAGE_NAME)
            diag_error(d, p->image_pos,
                       "process '%s': image name '%s' is longer than %u characters (the boot "
                       "module name %s.elf must fit 32 bytes)",
                       p->name, p->image, CAPGEN_MAX_IMAGE_NAME, p->image);
        if (images == CAPGEN_MAX_IMAGES + 1)
            diag_error(d, p->image_pos,
                       "process '%s': image '%s' is the %u. distinct image; the kernel passes at "
                       "most %u boot modules on",
                       p->name, p->image, images, CAPGEN_MAX_IMAGES);
    }
    sys->images = images;
    if (d->errors != before)
        return false;
    uint64_t entries = object_entries(sys);
    if (entries > CAPGEN_MAX_SPEC_OBJECTS) {
        diag_error(d, sys->memory_pos,
                   "the system needs %llu kernel objects; Alpha makes at most %u",
                   (unsigned long long)entries, CAPGEN_MAX_SPEC_OBJECTS);
        return false;
    }
    build_objects(&pl);
    fit(&pl);
    check_alpha(&pl);
    return d->errors == before;
}

bool capgen_load(struct arena *a, struct diag *d, const char *data, size_t size,
                 const char *images_dir, struct system *sys)
{
    memset(sys, 0, sizeof(*sys));
    sys->file = d->file;
    sys->images_dir = images_dir;
    struct ynode *root = yaml_load(a, d, data, size);
    return root && system_parse(a, d, root, sys) && system_check(a, d, sys) &&
           system_plan(a, d, sys);
}
