/* Whole-state invariant checks (see invariants.h). Test code: clarity over speed. */
#include <core/asid.h>
#include <core/vspace.h>
#include "invariants.h"
#include "fakehal.h"

#include <core/captree.h>
#include <core/object.h>
#include <core/process.h>
#include <core/reaper.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 200000

/* Set while checking the state between two preemptions of one call: zombies and queued
 * dead Nodes are allowed then, and only then. */
static bool mid_operation;

struct range {
    uintptr_t lo, hi; /* [lo, hi) in host addresses, or physical for objects */
    uint64_t key;     /* container: 0; objects: the index of their Generic parent */
    unsigned type;
};

static bool fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return false;
}

/* The object size of a capability's memory, or 0 if it has none. */
static unsigned object_bits_of(const struct cap *c)
{
    switch (c->type) {
    case A9N_OBJECT_NODE:
        return A9N_SLOT_BITS + cap_node_radix(c);
    case A9N_OBJECT_GENERIC:
        return cap_generic_bits(c);
    case A9N_OBJECT_FRAME:
        return (unsigned)(c->data[0] & 0xff); /* the rest is the mapped address */
    case A9N_OBJECT_ADDRESS_SPACE:
        return A9N_ADDRESS_SPACE_BITS;
    case A9N_OBJECT_PAGE_TABLE:
        return A9N_PAGE_TABLE_BITS;
    case A9N_OBJECT_PROCESS:
        return A9N_PROCESS_BITS;
    case A9N_OBJECT_IPC_PORT:
        return A9N_IPC_PORT_BITS;
    case A9N_OBJECT_NOTIFICATION_PORT:
        return A9N_NOTIFICATION_PORT_BITS;
    case A9N_OBJECT_ASID_POOL:
        return A9N_ASID_POOL_BITS;
    case CAP_ZOMBIE: {
        /* A zombie still holds its object's memory in its Generic (cap.h). */
        struct cap was = {.type = (uint8_t)c->data[0], .data = {c->data[1]}};
        return object_bits_of(&was);
    }
    default:
        return 0;
    }
}

static bool cap_well_formed(const struct cap *c, char *why, size_t len)
{
    if (c->type == CAP_ZOMBIE) {
        /* The last capability to a Node or Process (REMOVE), a capability whose children
         * are being lifted (any type), or a dead Port whose waiters are being woken. */
        if (c->rights != 0 || c->data[0] == A9N_OBJECT_NONE ||
            c->data[0] >= A9N_OBJECT_TYPE_COUNT || c->zeroed_low > CAP_ZOMBIE_LIFTING ||
            c->zeroed_high != 0)
            return fail(why, len, "bad zombie");
        if (c->zeroed_low == CAP_ZOMBIE_WAKING && c->data[0] != A9N_OBJECT_IPC_PORT &&
            c->data[0] != A9N_OBJECT_NOTIFICATION_PORT)
            return fail(why, len, "a waking zombie of a type %llu", (unsigned long long)c->data[0]);
        return true;
    }
    if (c->type == A9N_OBJECT_NONE || c->type >= A9N_OBJECT_TYPE_COUNT)
        return fail(why, len, "bad type %u", c->type);
    if (c->type != A9N_OBJECT_GENERIC && (c->zeroed_low != 0 || c->zeroed_high != 0))
        return fail(why, len, "type %u with a cleared mark", c->type);
    if (c->rights & ~A9N_RIGHTS_ALL)
        return fail(why, len, "bad rights %#x", c->rights);
    switch (c->type) {
    case A9N_OBJECT_NODE:
        if (c->data[0] < A9N_NODE_RADIX_MIN || c->data[0] > A9N_NODE_RADIX_MAX)
            return fail(why, len, "bad radix %llu", (unsigned long long)c->data[0]);
        break;
    case A9N_OBJECT_GENERIC:
        if (cap_generic_bits(c) < A9N_GENERIC_MIN_BITS ||
            cap_generic_bits(c) > A9N_GENERIC_MAX_BITS)
            return fail(why, len, "bad generic bits");
        if (cap_generic_watermark(c) > (1ull << cap_generic_bits(c)))
            return fail(why, len, "watermark beyond the Generic");
        break;
    case A9N_OBJECT_FRAME:
        /* data[0] = page bits | mapped address (core/vspace.h) */
        if ((c->data[0] & 0xfff) != A9N_FRAME_BITS && (c->data[0] & 0xfff) != A9N_LARGE_FRAME_BITS)
            return fail(why, len, "bad frame bits");
        break;
    case A9N_OBJECT_ADDRESS_SPACE:
        if (((c->data[0] & 0xffffffff) != ASID_NONE &&
             (c->data[0] & 0xffffffff) >= ASID_POOL_SIZE * ASID_POOL_COUNT) ||
            c->data[1] != 0)
            return fail(why, len, "bad address space ASID");
        break;
    case A9N_OBJECT_ASID_POOL:
        if (c->data[0] >= ASID_POOL_COUNT || c->data[1] != 0)
            return fail(why, len, "bad ASID Pool directory index");
        break;
    default:
        break;
    }
    unsigned bits = object_bits_of(c);
    if (bits != 0 && (c->object & ((1ull << bits) - 1)) != 0)
        return fail(why, len, "object %#llx not aligned to its size",
                    (unsigned long long)c->object);
    if (c->type != A9N_OBJECT_NODE && c->type != A9N_OBJECT_GENERIC &&
        c->type != A9N_OBJECT_FRAME && c->type != A9N_OBJECT_IPC_PORT &&
        c->type != A9N_OBJECT_ADDRESS_SPACE && c->type != A9N_OBJECT_PAGE_TABLE &&
        c->type != A9N_OBJECT_NOTIFICATION_PORT && c->type != A9N_OBJECT_IO_PORT &&
        c->type != A9N_OBJECT_ASID_POOL && (c->data[0] != 0 || c->data[1] != 0))
        return fail(why, len, "type %u with data", c->type);
    return true;
}

static int range_cmp(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return 0;
}

/* Index of the container holding address `a`, or -1 (containers sorted, disjoint). */
static long find_container(const struct range *c, size_t n, uintptr_t a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a < c[mid].lo)
            hi = mid;
        else if (a >= c[mid].hi)
            lo = mid + 1;
        else
            return (long)mid;
    }
    return -1;
}

struct checker {
    struct cap_slot **list;
    size_t n;
    struct range *containers;
    size_t ncontainers;
    struct range *objects;
    size_t nobjects;
    struct range *runs; /* key: object key, lo: list position */
    size_t nruns;
    size_t *stack;   /* list indices of the ancestors of the slot being checked, root first */
    uint32_t *depth; /* of each slot of `list`, counted by the walk */
};

static void checker_free(struct checker *k)
{
    free(k->list);
    free(k->containers);
    free(k->objects);
    free(k->runs);
    free(k->stack);
    free(k->depth);
}

/* The ring of `parent`'s children (captree.h): back links, the last one naming `parent`,
 * the first one's `prev` the last one. */
static bool check_ring(struct cap_slot *parent, char *why, size_t len)
{
    struct cap_slot *first = parent->child, *c = first;
    if (first == NULL)
        return true;
    for (size_t guard = 0;; guard++) {
        if (guard > LIST_MAX)
            return fail(why, len, "sibling ring too long (a cycle?)");
        if (c->next == NULL)
            return fail(why, len, "a child in a ring is not linked");
        if (captree_is_last(c)) {
            if (captree_untag(c->next) != parent)
                return fail(why, len, "the last child names another parent");
            if (first->prev != c)
                return fail(why, len, "the first child's prev is not the last child");
            return true;
        }
        if (c->next->prev != c)
            return fail(why, len, "broken back link in a sibling ring");
        c = c->next;
    }
}

static bool check_list(struct checker *k, struct cap_slot *any, char *why, size_t len)
{
    struct cap_slot *first = captree_first(any);
    size_t count = 0;
    uint32_t depth = 0;
    if (!check_ring(&captree_roots, why, len))
        return false;
    for (struct cap_slot *s = first; s != NULL && count <= LIST_MAX;
         s = captree_walk_next(s, &depth))
        count++;
    k->list = malloc(sizeof(*k->list) * (count + 1));
    k->depth = malloc(sizeof(*k->depth) * (count + 1));
    depth = 0;
    for (struct cap_slot *s = first; s != NULL; s = captree_walk_next(s, &depth)) {
        if (k->n == count)
            return fail(why, len, "derivation tree too big (a cycle?)");
        if (slot_is_empty(s))
            return fail(why, len, "empty slot linked at pre-order position %zu", k->n);
        if (!check_ring(s, why, len))
            return false;
        if (!cap_well_formed(&s->cap, why, len))
            return false;
        k->depth[k->n] = depth;
        k->list[k->n++] = s;
    }
    return true;
}

/* With KOITO_RANDOM_TRACE set: the list (physical slot addresses) around a slot that lies
 * in no live container, for finding out which operation left it there. */
static void dump_list(const struct checker *k, size_t bad)
{
    fprintf(stderr, "slot at list position %zu:\n", bad);
    for (size_t j = 0; j < k->n; j++) {
        const struct cap *c = &k->list[j]->cap;
        fprintf(
            stderr, " %zu: slot %#llx depth %u type %u object %#llx data %#llx %#llx z%u\n", j,
            (unsigned long long)((uintptr_t)k->list[j] - (uintptr_t)fakehal_arena() + FAKEHAL_BASE),
            k->depth[j], c->type, (unsigned long long)c->object, (unsigned long long)c->data[0],
            (unsigned long long)c->data[1], c->zeroed_low);
    }
}

static bool check_containers(struct checker *k, struct cap_slot *const *loose, size_t nloose,
                             const struct range *dead, size_t ndead, char *why, size_t len)
{
    k->containers = malloc(sizeof(*k->containers) * (k->n + nloose + ndead));
    for (size_t i = 0; i < nloose; i++)
        k->containers[k->ncontainers++] =
            (struct range){(uintptr_t)loose[i], (uintptr_t)(loose[i] + 1), 0, A9N_OBJECT_NONE};
    for (size_t i = 0; i < ndead; i++)
        k->containers[k->ncontainers++] =
            (struct range){(uintptr_t)hal_phys_to_virt(dead[i].lo),
                           (uintptr_t)hal_phys_to_virt(dead[i].lo) + (dead[i].hi - dead[i].lo), 0,
                           A9N_OBJECT_NODE};
    for (size_t i = 0; i < k->n; i++) {
        /* A lifting zombie still refers to its object (cap.h): a Node or Process whose only
         * capability is lifting its children is alive, and so are its slots. */
        struct cap eff = cap_effective(&k->list[i]->cap);
        const struct cap *c = &eff;
        if (c->type == A9N_OBJECT_NODE) {
            uintptr_t lo = (uintptr_t)cap_node_slots(c);
            k->containers[k->ncontainers++] = (struct range){
                lo, lo + (sizeof(struct cap_slot) << cap_node_radix(c)), 0, A9N_OBJECT_NODE};
        } else if (c->type == A9N_OBJECT_PROCESS) {
            struct process *p = hal_phys_to_virt(c->object);
            k->containers[k->ncontainers++] =
                (struct range){(uintptr_t)&p->slots[0], (uintptr_t)&p->slots[PROCESS_SLOT_COUNT], 0,
                               A9N_OBJECT_PROCESS};
        }
    }
    qsort(k->containers, k->ncontainers, sizeof(*k->containers), range_cmp);
    size_t m = 0;
    for (size_t i = 0; i < k->ncontainers; i++) {
        if (m > 0 && k->containers[m - 1].lo == k->containers[i].lo &&
            k->containers[m - 1].hi == k->containers[i].hi)
            continue; /* another capability to the same container */
        if (m > 0 && k->containers[i].lo < k->containers[m - 1].hi)
            return fail(why, len, "containers overlap");
        k->containers[m++] = k->containers[i];
    }
    k->ncontainers = m;

    for (size_t i = 0; i < k->n; i++) {
        uintptr_t a = (uintptr_t)k->list[i];
        long c = find_container(k->containers, k->ncontainers, a);
        if (c < 0) {
            if (getenv("KOITO_RANDOM_TRACE") != NULL)
                dump_list(k, i);
            return fail(why, len,
                        "slot at list position %zu lies in no live container "
                        "(freed memory)",
                        i);
        }
        if ((a - k->containers[c].lo) % sizeof(struct cap_slot) != 0)
            return fail(why, len, "slot at list position %zu misaligned", i);
    }
    size_t full = 0;
    for (size_t i = 0; i < k->ncontainers; i++) {
        for (struct cap_slot *s = (struct cap_slot *)k->containers[i].lo;
             (uintptr_t)s < k->containers[i].hi; s++) {
            if (!slot_is_empty(s))
                full++;
            if (!captree_is_linked(s) && !slot_is_empty(s) && k->n > 1)
                return fail(why, len, "a full slot is not linked");
            if (slot_is_empty(s) && (s->prev != NULL || s->next != NULL || s->child != NULL))
                return fail(why, len, "an empty slot keeps tree links");
        }
    }
    if (full != k->n)
        return fail(why, len, "%zu full slots in live containers but %zu linked", full, k->n);
    return true;
}

static bool check_objects(struct checker *k, char *why, size_t len)
{
    k->objects = malloc(sizeof(*k->objects) * k->n);
    k->runs = malloc(sizeof(*k->runs) * k->n);
    k->stack = malloc(sizeof(*k->stack) * (k->n + 1));
    size_t skipped = 0, top = 0;
    for (size_t i = 0; i < k->n; i++) {
        struct cap_slot *s = k->list[i];
        const struct cap *c = &s->cap;
        /* The ancestors of s: the slots before it that are less deep, nearest last. */
        while (top > 0 && k->depth[k->stack[top - 1]] >= k->depth[i])
            top--;
        size_t parent_top = top;
        k->stack[top++] = i;
        if (c->type == A9N_OBJECT_GENERIC && !captree_has_children(s) &&
            cap_generic_watermark(c) != 0)
            return fail(why, len, "childless Generic at list position %zu has watermark %llu", i,
                        (unsigned long long)cap_generic_watermark(c));
        if (c->type == A9N_OBJECT_GENERIC && !cap_generic_is_device(c) &&
            cap_generic_zeroed(c) > cap_generic_watermark(c)) {
            /* The cleared mark never lies: a preempted CONVERT relies on it. */
            if (cap_generic_zeroed(c) > (1ull << cap_generic_bits(c)))
                return fail(why, len, "cleared mark beyond its Generic");
            const unsigned char *m = hal_phys_to_virt(c->object);
            for (uint64_t b = cap_generic_watermark(c); b < cap_generic_zeroed(c); b++)
                if (m[b] != 0)
                    return fail(why, len,
                                "Generic at list position %zu: byte %#llx below its "
                                "cleared mark is not zero",
                                i, (unsigned long long)b);
        }
        /* A lifting zombie still refers to its object (cap.h): it belongs to its run. */
        struct cap eff = cap_effective(c);
        if (c->type == CAP_ZOMBIE && c->zeroed_low == CAP_ZOMBIE_LIFTING)
            c = &eff;
        if (object_has_state(c->type))
            k->runs[k->nruns++] = (struct range){i - skipped, c->object,
                                                 ((uint64_t)c->type << 56) ^ c->object, c->type};
        /* A lifting zombie of a Generic may split the run of the child it lifts: the run
         * is whole without it (slot.c looks past it). */
        if (s->cap.type == CAP_ZOMBIE && s->cap.zeroed_low == CAP_ZOMBIE_LIFTING &&
            !object_has_state(c->type))
            skipped++;
        unsigned bits = object_bits_of(c);
        if (bits == 0 || k->depth[i] == 0)
            continue;
        /* The nearest Generic ancestor must have handed out this memory. */
        long g = -1;
        for (size_t d = parent_top; d-- > 0;) {
            if (k->list[k->stack[d]]->cap.type == A9N_OBJECT_GENERIC) {
                g = (long)k->stack[d];
                break;
            }
        }
        if (g < 0)
            return fail(why, len, "object at list position %zu has no Generic ancestor", i);
        const struct cap *gc = &k->list[g]->cap;
        uint64_t lo = c->object, hi = c->object + (1ull << bits);
        if (lo < gc->object || hi > gc->object + cap_generic_watermark(gc))
            return fail(why, len,
                        "object at list position %zu [%#llx,%#llx) outside the used part of "
                        "its Generic [%#llx,+%#llx)",
                        i, (unsigned long long)lo, (unsigned long long)hi,
                        (unsigned long long)gc->object,
                        (unsigned long long)cap_generic_watermark(gc));
        if (parent_top > 0 && k->list[k->stack[parent_top - 1]]->cap.type == A9N_OBJECT_GENERIC)
            k->objects[k->nobjects++] = (struct range){lo, hi, (uint64_t)g, c->type};
    }
    qsort(k->objects, k->nobjects, sizeof(*k->objects), range_cmp);
    for (size_t i = 1; i < k->nobjects; i++) {
        const struct range *a = &k->objects[i - 1], *b = &k->objects[i];
        if (a->key != b->key)
            continue;
        if (a->lo == b->lo && a->hi == b->hi && a->type == b->type)
            continue; /* copies of one object */
        if (b->lo < a->hi)
            return fail(why, len, "objects [%#lx,%#lx) and [%#lx,%#lx) overlap", a->lo, a->hi,
                        b->lo, b->hi);
    }
    /* One run per stateful object: sorted by (object key, position), positions of one key
     * must be consecutive. */
    qsort(k->runs, k->nruns, sizeof(*k->runs), range_cmp);
    for (size_t i = 1; i < k->nruns; i++) {
        if (k->runs[i].key == k->runs[i - 1].key && k->runs[i].lo != k->runs[i - 1].lo + 1) {
            size_t a = k->runs[i - 1].lo, b = k->runs[i].lo;
            fprintf(stderr, "run break %zu..%zu:", a, b);
            for (size_t j = a; j <= b; j++)
                fprintf(stderr, " [%u d%u %#llx z%u t%llu]", k->list[j]->cap.type, k->depth[j],
                        (unsigned long long)k->list[j]->cap.object, k->list[j]->cap.zeroed_low,
                        (unsigned long long)k->list[j]->cap.data[0]);
            fprintf(stderr, "\n");
            return fail(why, len, "capabilities to object %#lx are not one run",
                        (unsigned long)k->runs[i].hi);
        }
    }
    return true;
}

/* Dead Nodes on the reaper, gathered for the checks below. */
struct dead {
    struct range r[4096];
    size_t n;
};

static void gather_dead(paddr_t node, unsigned radix, void *arg)
{
    struct dead *d = arg;
    if (d->n < sizeof d->r / sizeof d->r[0])
        d->r[d->n++] = (struct range){node, node + ((uint64_t)sizeof(struct cap_slot) << radix), 0,
                                      A9N_OBJECT_NODE};
}

/*
 * A dead Node is unreachable (no Node capability names it) and no live object other than
 * a Generic lies in its memory (it is not handed out again before it is emptied).
 */
static bool check_dead(struct checker *k, const struct dead *d, char *why, size_t len)
{
    for (size_t j = 0; j < d->n; j++) {
        for (size_t i = 0; i < k->n; i++) {
            const struct cap *c = &k->list[i]->cap;
            if (c->type == A9N_OBJECT_NODE && c->object == d->r[j].lo)
                return fail(why, len, "a Node on the reaper is still reachable");
        }
        for (size_t i = 0; i < k->nobjects; i++) {
            const struct range *o = &k->objects[i];
            if (o->type != A9N_OBJECT_GENERIC && o->type != CAP_ZOMBIE && o->lo < d->r[j].hi &&
                d->r[j].lo < o->hi)
                return fail(why, len, "a Node on the reaper overlaps a live object");
        }
    }
    return true;
}

static bool check_all(struct cap_slot *const *loose, size_t nloose, char *why, size_t len)
{
    static struct dead dead;
    dead.n = 0;
    reaper_visit(gather_dead, &dead);
    struct checker k = {0};
    bool ok = reaper_is_empty() || mid_operation ? true : fail(why, len, "reaper not empty");
    ok = ok && check_list(&k, loose[0], why, len);
    /* A dead Node's slots are still linked until the reaper empties them: it counts as a
     * container (given as loose slots, one range per Node). */
    ok = ok && check_containers(&k, loose, nloose, dead.r, dead.n, why, len);
    ok = ok && check_objects(&k, why, len);
    /* The page tables: every present entry is named by a live record, nothing unlinked
     * holds entries (the kernel's own checker, also built into debug kernels). */
    ok = ok && vspace_check_invariants(loose[0], why, len);
    ok = ok && check_dead(&k, &dead, why, len);
    checker_free(&k);
    return ok;
}

bool invariants_check_slots(struct cap_slot *const *loose, size_t nloose, char *why, size_t len)
{
    mid_operation = false;
    return check_all(loose, nloose, why, len);
}

bool invariants_check_preempted(struct cap_slot *const *loose, size_t nloose, char *why, size_t len)
{
    mid_operation = true;
    bool ok = check_all(loose, nloose, why, len);
    mid_operation = false;
    return ok;
}
