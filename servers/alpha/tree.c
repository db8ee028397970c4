/*
 * The live capability tree, from the kernel's own records (Debug INTROSPECT), printed in
 * capgen's text format (`capgen tree --format text`) so the two can be compared byte for
 * byte. Objects are recognised by their physical address: Alpha holds the first capability
 * to every object it made, in a known slot of its root Node, and the records say where each
 * capability lives.
 */
#include "alpha.h"

#include <kernel/kprintf.h>
#include <string.h>

enum { MAX_RECORDS = 8192 };

static struct a9n_introspect_record records[MAX_RECORDS];
static unsigned record_count;

struct text {
    char *p;
    size_t left;
    bool overflow;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvsnprintf(t->p, t->left, fmt, ap);
    va_end(ap);
    if (n >= t->left) {
        t->overflow = true;
        n = t->left > 0 ? t->left - 1 : 0;
    }
    t->p += n;
    t->left -= n;
}

static bool read_records(void)
{
    const struct a9n_introspect_record *batch =
        (const struct a9n_introspect_record *)&((struct a9n_ipc_buffer *)boot->ipc_buffer_address)
            ->message[A9N_MR_REGISTER_COUNT];
    a9n_word cursor = 0;
    record_count = 0;
    do {
        a9n_word n, next;
        if (a9n_debug_introspect(koito_root(A9N_ROOT_SLOT_DEBUG), cursor, &n, &next) !=
                A9N_SUCCESS ||
            record_count + n > MAX_RECORDS)
            return false;
        memcpy(&records[record_count], batch, n * sizeof *batch);
        record_count += (unsigned)n;
        cursor = next;
    } while (cursor != 0);
    return true;
}

static const struct a9n_introspect_record *record_at(a9n_word slot_pa)
{
    for (unsigned i = 0; i < record_count; i++)
        if (records[i].slot == slot_pa)
            return &records[i];
    return NULL;
}

/* Alpha's root Node: the Node capability that lives in slot 1 of the Node it refers to. */
static a9n_word alpha_node_pa(void)
{
    for (unsigned i = 0; i < record_count; i++)
        if (a9n_introspect_type(records[i].kind) == A9N_OBJECT_NODE &&
            records[i].slot == records[i].object + (A9N_ROOT_SLOT_NODE << A9N_SLOT_BITS))
            return records[i].object;
    return 0;
}

static const char *type_name(unsigned type)
{
    static const char *const names[] = {
        [A9N_OBJECT_NODE] = "node",
        [A9N_OBJECT_GENERIC] = "generic", /* a ULMM pool */
        [A9N_OBJECT_ADDRESS_SPACE] = "address_space",
        [A9N_OBJECT_PAGE_TABLE] = "page_table",
        [A9N_OBJECT_FRAME] = "memory",
        [A9N_OBJECT_PROCESS] = "process",
        [A9N_OBJECT_IPC_PORT] = "ipc_port",
        [A9N_OBJECT_NOTIFICATION_PORT] = "notification_port",
    };
    return type < sizeof names / sizeof names[0] && names[type] != NULL ? names[type] : "?";
}

static void put_rights(struct text *t, unsigned rights)
{
    static const char letters[] = "rwcm";
    char r[5];
    unsigned n = 0;
    for (unsigned b = 0; b < 4; b++)
        if (rights & (1u << b))
            r[n++] = letters[b];
    if (n == 0)
        r[n++] = '-';
    r[n] = '\0';
    put(t, " %s", r);
}

static void put_size(struct text *t, uint64_t bytes)
{
    if (bytes % (1u << 20) == 0)
        put(t, " %luM", bytes >> 20);
    else
        put(t, " %luK", bytes >> 10);
}

static const char *slot_name(uint32_t p, unsigned slot)
{
    const struct alpha_process *pr = &alpha_spec.processes[p];
    for (uint32_t k = 0; k < pr->cap_count; k++)
        if (pr->caps[k].slot == slot)
            return pr->caps[k].name;
    return "?";
}

typedef bool (*record_match)(const struct a9n_introspect_record *, const void *);

/* Prints, in slot order, the capabilities of process `p` that `match` accepts. */
static unsigned put_caps_of(struct text *t, const a9n_word *node_pa, uint32_t p, record_match match,
                            const void *what)
{
    unsigned n = 0;
    {
        for (unsigned slot = 0; slot < (1u << alpha_spec.processes[p].node_radix); slot++) {
            const struct a9n_introspect_record *r =
                record_at(node_pa[p] + ((a9n_word)slot << A9N_SLOT_BITS));
            if (r == NULL || !match(r, what))
                continue;
            /* A capability to a memory region fills one slot per page: one line for it. */
            const struct a9n_introspect_record *before =
                slot > 0 ? record_at(node_pa[p] + ((a9n_word)(slot - 1) << A9N_SLOT_BITS)) : NULL;
            if (before != NULL && match(before, what) &&
                a9n_introspect_type(r->kind) == A9N_OBJECT_FRAME && before->kind == r->kind &&
                strcmp(slot_name(p, slot), "?") == 0)
                continue;
            put(t, "  %s.%s", alpha_spec.processes[p].name, slot_name(p, slot));
            put_rights(t, a9n_introspect_rights(r->kind));
            unsigned type = a9n_introspect_type(r->kind);
            if ((type == A9N_OBJECT_IPC_PORT || type == A9N_OBJECT_NOTIFICATION_PORT) &&
                r->data[0] != 0)
                put(t, " badge %lu", r->data[0]);
            put(t, "\n");
            n++;
        }
    }
    return n;
}

/* Prints, in process then slot order, the capabilities that `match` accepts. */
static unsigned put_caps(struct text *t, const a9n_word *node_pa, record_match match,
                         const void *what)
{
    unsigned n = 0;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        n += put_caps_of(t, node_pa, p, match, what);
    return n;
}

struct object_range {
    unsigned type;
    a9n_word first, last; /* physical addresses of its frames (or the one object) */
};

static bool match_object(const struct a9n_introspect_record *r, const void *what)
{
    const struct object_range *o = what;
    return a9n_introspect_type(r->kind) == o->type && r->object >= o->first && r->object <= o->last;
}

static bool match_io(const struct a9n_introspect_record *r, const void *what)
{
    const a9n_word *range = what;
    return a9n_introspect_type(r->kind) == A9N_OBJECT_IO_PORT && r->data[0] == range[0] &&
           r->data[1] == range[1];
}

static bool match_irq(const struct a9n_introspect_record *r, const void *what)
{
    return a9n_introspect_type(r->kind) == A9N_OBJECT_INTERRUPT_PORT &&
           r->object == *(const a9n_word *)what;
}

static bool match_region(const struct a9n_introspect_record *r, const void *what)
{
    return a9n_introspect_type(r->kind) == A9N_OBJECT_INTERRUPT_REGION;
}

static bool match_asid_pool(const struct a9n_introspect_record *r, const void *what)
{
    return a9n_introspect_type(r->kind) == A9N_OBJECT_ASID_POOL;
}

/* A process's capabilities to its own Node, Process, Address Space and image frames. */
struct self_match {
    uint32_t process;
    const a9n_word *node_pa, *object_pa;
};

static bool match_self(const struct a9n_introspect_record *r, const void *what)
{
    const struct self_match *m = what;
    const struct alpha_process *p = &alpha_spec.processes[m->process];
    unsigned type = a9n_introspect_type(r->kind);
    a9n_word slot = (r->slot - m->node_pa[m->process]) >> A9N_SLOT_BITS;
    for (uint32_t k = 0; k < p->cap_count; k++) {
        const struct alpha_cap *c = &p->caps[k];
        if (c->kind == ALPHA_CAP_IMAGE && type == A9N_OBJECT_FRAME && slot >= c->slot &&
            slot < (a9n_word)c->slot + c->count)
            return true;
        if (c->slot != slot)
            continue;
        if ((c->kind == ALPHA_CAP_SELF_NODE && type == A9N_OBJECT_NODE &&
             r->object == m->object_pa[p->node]) ||
            (c->kind == ALPHA_CAP_SELF_PROCESS && type == A9N_OBJECT_PROCESS &&
             r->object == m->object_pa[p->process]) ||
            (c->kind == ALPHA_CAP_SELF_ADDRESS_SPACE && type == A9N_OBJECT_ADDRESS_SPACE &&
             r->object == m->object_pa[p->address_space]))
            return true;
    }
    return false;
}

static bool match_debug(const struct a9n_introspect_record *r, const void *what)
{
    return a9n_introspect_type(r->kind) == A9N_OBJECT_DEBUG;
}

bool alpha_live_tree(char *out, size_t size, unsigned *objects, unsigned *caps)
{
    if (!read_records())
        return false;
    a9n_word alpha_node = alpha_node_pa();
    static a9n_word object_pa[4096];
    for (uint32_t i = 0; i < alpha_spec.object_count && i < 4096; i++) {
        const struct a9n_introspect_record *r =
            record_at(alpha_node + ((a9n_word)object_slot(i) << A9N_SLOT_BITS));
        object_pa[i] = r != NULL ? r->object : 0;
    }
    /* A Generic moved on to the process that uses it: find it where the spec put it. */
    for (uint32_t i = 0; i < alpha_spec.object_count && i < 4096; i++) {
        if (object_pa[i] != 0)
            continue;
        for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
            const struct alpha_process *pr = &alpha_spec.processes[p];
            a9n_word node = object_pa[pr->node];
            for (uint32_t k = 0; k < pr->cap_count; k++) {
                const struct alpha_cap *c = &pr->caps[k];
                if (c->kind != ALPHA_CAP_OBJECT || c->object != i || node == 0)
                    continue;
                const struct a9n_introspect_record *r =
                    record_at(node + ((a9n_word)c->slot << A9N_SLOT_BITS));
                if (r != NULL)
                    object_pa[i] = r->object;
            }
        }
    }
    static a9n_word node_pa[256];
    for (uint32_t p = 0; p < alpha_spec.process_count && p < 256; p++)
        node_pa[p] = object_pa[alpha_spec.processes[p].node];

    /* The body first (it counts), then the header line in front of it. */
    char *body = out + 128;
    struct text t = {body, size - 128, false};
    *objects = 0;
    *caps = 0;
    for (uint32_t i = 0; i < alpha_spec.object_count; i++) {
        const struct alpha_object *o = &alpha_spec.objects[i];
        /* A process's own objects have no line; a group (memory region) has one. */
        if (!o->listed || o->group_index != 0)
            continue;
        uint32_t last = i + o->group_count - 1;
        put(&t, "%s %s", type_name(o->type), o->name);
        if (o->type == A9N_OBJECT_FRAME || o->type == A9N_OBJECT_GENERIC)
            put_size(&t, (uint64_t)o->group_count << o->size_bits);
        put(&t, "\n");
        (*objects)++;
        a9n_word lo = object_pa[i], hi = object_pa[i];
        for (uint32_t k = i; k <= last; k++) {
            lo = object_pa[k] < lo ? object_pa[k] : lo;
            hi = object_pa[k] > hi ? object_pa[k] : hi;
        }
        struct object_range range = {o->type, lo, hi};
        *caps += put_caps(&t, node_pa, match_object, &range);
    }
    /* IO ranges by first port, interrupt lines, Debug: as declared, looked up live. */
    static a9n_word ranges[64][2];
    unsigned nranges = 0;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        for (uint32_t k = 0; k < alpha_spec.processes[p].cap_count; k++) {
            const struct alpha_cap *c = &alpha_spec.processes[p].caps[k];
            if (c->kind != ALPHA_CAP_IO_PORT || nranges == 64)
                continue;
            unsigned at = nranges;
            while (at > 0 && (ranges[at - 1][0] > c->io_first ||
                              (ranges[at - 1][0] == c->io_first && ranges[at - 1][1] > c->io_last)))
                at--;
            memmove(&ranges[at + 1], &ranges[at], (nranges - at) * sizeof ranges[0]);
            ranges[at][0] = c->io_first;
            ranges[at][1] = c->io_last;
            nranges++;
        }
    for (unsigned i = 0; i < nranges; i++) {
        if (i > 0 && ranges[i][0] == ranges[i - 1][0] && ranges[i][1] == ranges[i - 1][1])
            continue;
        put(&t, "io_port 0x%lx-0x%lx\n", ranges[i][0], ranges[i][1]);
        *caps += put_caps(&t, node_pa, match_io, ranges[i]);
    }
    for (a9n_word line = 0; line < 24; line++) {
        bool declared = false;
        for (uint32_t p = 0; p < alpha_spec.process_count; p++)
            for (uint32_t k = 0; k < alpha_spec.processes[p].cap_count; k++)
                if (alpha_spec.processes[p].caps[k].kind == ALPHA_CAP_IRQ &&
                    alpha_spec.processes[p].caps[k].irq == line)
                    declared = true;
        if (!declared)
            continue;
        /* The binding as the kernel reports it (any Interrupt Port record of the line). */
        const char *bound = NULL;
        for (unsigned i = 0; i < record_count && bound == NULL; i++) {
            const struct a9n_introspect_record *r = &records[i];
            if (a9n_introspect_type(r->kind) != A9N_OBJECT_INTERRUPT_PORT || r->object != line ||
                r->data[0] == 0)
                continue;
            for (uint32_t k = 0; k < alpha_spec.object_count; k++)
                if (object_pa[k] == r->data[0])
                    bound = alpha_spec.objects[k].name;
        }
        put(&t, "interrupt %lu", line);
        if (bound != NULL)
            put(&t, " -> %s", bound);
        put(&t, "\n");
        *caps += put_caps(&t, node_pa, match_irq, &line);
    }
    bool debug = false;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        for (uint32_t k = 0; k < alpha_spec.processes[p].cap_count; k++)
            debug |= alpha_spec.processes[p].caps[k].kind == ALPHA_CAP_DEBUG;
    if (debug) {
        put(&t, "debug\n");
        *caps += put_caps(&t, node_pa, match_debug, NULL);
    }
    bool region = false;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        for (uint32_t k = 0; k < alpha_spec.processes[p].cap_count; k++)
            region |= alpha_spec.processes[p].caps[k].kind == ALPHA_CAP_IRQ_REGION;
    if (region) {
        put(&t, "interrupt_region\n");
        *caps += put_caps(&t, node_pa, match_region, NULL);
    }
    bool asid = false;
    for (uint32_t p = 0; p < alpha_spec.process_count; p++)
        for (uint32_t k = 0; k < alpha_spec.processes[p].cap_count; k++)
            asid |= alpha_spec.processes[p].caps[k].kind == ALPHA_CAP_ASID_POOL;
    if (asid) {
        put(&t, "asid_pool\n");
        *caps += put_caps(&t, node_pa, match_asid_pool, NULL);
    }
    /* A process's capabilities to itself and to its image, under "process NAME". */
    for (uint32_t p = 0; p < alpha_spec.process_count; p++) {
        const struct alpha_process *pr = &alpha_spec.processes[p];
        bool any = false;
        for (uint32_t k = 0; k < pr->cap_count; k++)
            any |= pr->caps[k].kind >= ALPHA_CAP_IMAGE;
        if (!any)
            continue;
        put(&t, "process %s\n", pr->name);
        struct self_match m = {p, node_pa, object_pa};
        *caps += put_caps_of(&t, node_pa, p, match_self, &m);
    }
    if (t.overflow)
        return false;
    char header[128];
    size_t h = ksnprintf(header, sizeof header, "system %s: %u objects, %u capabilities\n",
                         alpha_spec.system_name, *objects, *caps);
    memmove(out + h, body, strlen(body) + 1);
    memcpy(out, header, h);
    return true;
}
