/*
 * The capability tree: every declared object and pool with the capabilities that name it,
 * then IO port ranges, interrupt lines and Debug. The text form is also what Alpha prints
 * from the live kernel, so it is defined exactly (docs/chapters/declare.typ) and built from
 * one ordered list shared by the three formats.
 */
#include "capgen.h"

#include <stdlib.h>
#include <string.h>

enum entry_kind {
    ENTRY_OBJECT,
    ENTRY_POOL,
    ENTRY_IO_PORT,
    ENTRY_IRQ,
    ENTRY_DEBUG,
    ENTRY_REGION, /* "interrupt_region": every capability to the Interrupt Region */
    ENTRY_SELF,   /* "process P": P's capabilities to itself and to its image */
    ENTRY_ASID,   /* "asid_pool": every ASID Pool Alpha made for a process */
};

struct entry {
    enum entry_kind kind;
    const struct plan_object *plan; /* objects and pools */
    const struct cap *single;       /* io ports and irqs: the one capability */
    struct vec caps;                /* const struct cap *, in process order then slot */
};

static int by_slot(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* Every capability of every process, process by process in start order, slot by slot. */
static struct vec all_caps(struct arena *a, const struct system *sys)
{
    struct vec all = {0};
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        size_t first = all.count;
        for (size_t j = 0; j < p->caps.count; j++)
            vec_push(a, &all, p->caps.items[j]);
        if (all.count - first > 1)
            qsort(all.items + first, all.count - first, sizeof(void *), by_slot);
    }
    return all;
}

static int by_port(const void *x, const void *y)
{
    const struct entry *a = *(struct entry *const *)x, *b = *(struct entry *const *)y;
    if (a->single->io_first != b->single->io_first)
        return a->single->io_first < b->single->io_first ? -1 : 1;
    if (a->single->io_last != b->single->io_last)
        return a->single->io_last < b->single->io_last ? -1 : 1;
    return 0; /* qsort is not stable: the caller breaks ties by position */
}

static struct vec build_entries(struct arena *a, const struct system *sys)
{
    struct vec entries = {0};
    struct vec caps = all_caps(a, sys);
    for (size_t i = 0; i < sys->plan.count; i++) {
        const struct plan_object *po = sys->plan.items[i];
        if (po->group_index != 0 || (po->role != ROLE_DECLARED && po->role != ROLE_POOL))
            continue;
        struct entry *e = arena_alloc(a, sizeof(*e));
        e->kind = po->role == ROLE_POOL ? ENTRY_POOL : ENTRY_OBJECT;
        e->plan = po;
        for (size_t j = 0; j < caps.count; j++) {
            const struct cap *c = caps.items[j];
            if ((c->kind == CAP_OBJECT && po->object && c->object == po->object) ||
                (c->kind == CAP_POOL && po->pool && c->pool == po->pool))
                vec_push(a, &e->caps, (void *)c);
        }
        vec_push(a, &entries, e);
    }
    /* IO port ranges by first port (then last port, then process and slot order) */
    struct vec io = {0};
    for (size_t j = 0; j < caps.count; j++) {
        struct cap *c = caps.items[j];
        if (c->kind != CAP_IO_PORT)
            continue;
        struct entry *e = arena_alloc(a, sizeof(*e));
        e->kind = ENTRY_IO_PORT;
        e->single = c;
        vec_push(a, &e->caps, c);
        vec_push(a, &io, e);
    }
    /* insertion sort: stable, so equal ranges keep process/slot order */
    for (size_t i = 1; i < io.count; i++) {
        void *e = io.items[i];
        size_t j = i;
        while (j > 0 && by_port(&io.items[j - 1], &e) > 0) {
            io.items[j] = io.items[j - 1];
            j--;
        }
        io.items[j] = e;
    }
    /* the same range twice (one process, warned about): one line, both capabilities */
    struct entry *last = NULL;
    for (size_t i = 0; i < io.count; i++) {
        struct entry *e = io.items[i];
        if (last && last->single->io_first == e->single->io_first &&
            last->single->io_last == e->single->io_last) {
            vec_push(a, &last->caps, (void *)e->single);
            continue;
        }
        vec_push(a, &entries, e);
        last = e;
    }
    for (unsigned line = 0; line <= CAPGEN_IRQ_MAX; line++) {
        for (size_t j = 0; j < caps.count; j++) {
            struct cap *c = caps.items[j];
            if (c->kind != CAP_IRQ || c->irq != line)
                continue;
            struct entry *e = arena_alloc(a, sizeof(*e));
            e->kind = ENTRY_IRQ;
            e->single = c;
            vec_push(a, &e->caps, c);
            vec_push(a, &entries, e);
        }
    }
    struct entry *debug = NULL;
    for (size_t j = 0; j < caps.count; j++) {
        struct cap *c = caps.items[j];
        if (c->kind != CAP_DEBUG)
            continue;
        if (!debug) {
            debug = arena_alloc(a, sizeof(*debug));
            debug->kind = ENTRY_DEBUG;
            vec_push(a, &entries, debug);
        }
        vec_push(a, &debug->caps, c);
    }
    struct entry *region = NULL;
    for (size_t j = 0; j < caps.count; j++) {
        struct cap *c = caps.items[j];
        if (c->kind != CAP_IRQ_REGION)
            continue;
        if (!region) {
            region = arena_alloc(a, sizeof(*region));
            region->kind = ENTRY_REGION;
            vec_push(a, &entries, region);
        }
        vec_push(a, &region->caps, c);
    }
    struct entry *asid = NULL;
    for (size_t j = 0; j < caps.count; j++) {
        struct cap *c = caps.items[j];
        if (c->kind != CAP_ASID_POOL)
            continue;
        if (!asid) {
            asid = arena_alloc(a, sizeof(*asid));
            asid->kind = ENTRY_ASID;
            vec_push(a, &entries, asid);
        }
        vec_push(a, &asid->caps, c);
    }
    /* one entry per process holding itself or its image, in process order */
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct entry *self = NULL;
        for (size_t j = 0; j < caps.count; j++) {
            struct cap *c = caps.items[j];
            if ((c->kind != CAP_SELF && c->kind != CAP_IMAGE) ||
                c->owner != sys->processes.items[i])
                continue;
            if (!self) {
                self = arena_alloc(a, sizeof(*self));
                self->kind = ENTRY_SELF;
                self->single = c;
                vec_push(a, &entries, self);
            }
            vec_push(a, &self->caps, c);
        }
    }
    return entries;
}

/* Every capability is one line under exactly one entry. */
uint64_t tree_capability_count(const struct system *sys)
{
    uint64_t n = 0;
    for (size_t i = 0; i < sys->processes.count; i++)
        n += ((const struct process *)sys->processes.items[i])->caps.count;
    return n;
}

/* Declared objects and pools: the entries of kind object or generic. */
uint64_t tree_object_count(const struct system *sys)
{
    uint64_t n = sys->objects.count;
    for (size_t i = 0; i < sys->processes.count; i++)
        n += ((const struct process *)sys->processes.items[i])->pools.count;
    return n;
}

/* Tree sizes: in M when a whole number of MiB, else in K (everything is whole pages). */
static void tree_size(char *buf, size_t len, uint64_t bytes)
{
    if (bytes % (1ull << 20) == 0)
        snprintf(buf, len, "%lluM", (unsigned long long)(bytes >> 20));
    else
        snprintf(buf, len, "%lluK", (unsigned long long)(bytes >> 10));
}

/* "ipc_port console_port", "memory buf 16K", "io_port 0x3f8-0x3ff", ... */
static void entry_title(char *buf, size_t len, const struct entry *e)
{
    char size[32];
    switch (e->kind) {
    case ENTRY_OBJECT: {
        const struct object *o = e->plan->object;
        if (o->kind != OBJECT_MEMORY) {
            snprintf(buf, len, "%s %s", object_kind_name(o->kind), o->name);
            break;
        }
        tree_size(size, sizeof(size), o->size);
        snprintf(buf, len, "memory %s %s", o->name, size);
        break;
    }
    case ENTRY_POOL:
        tree_size(size, sizeof(size), 1ull << e->plan->pool->bits);
        snprintf(buf, len, "generic %s %s", e->plan->pool->object_name, size);
        break;
    case ENTRY_IO_PORT:
        snprintf(buf, len, "io_port 0x%x-0x%x", e->single->io_first, e->single->io_last);
        break;
    case ENTRY_IRQ:
        if (e->single->notification)
            snprintf(buf, len, "interrupt %u -> %s", e->single->irq, e->single->notification->name);
        else
            snprintf(buf, len, "interrupt %u", e->single->irq);
        break;
    case ENTRY_DEBUG:
        snprintf(buf, len, "debug");
        break;
    case ENTRY_REGION:
        snprintf(buf, len, "interrupt_region");
        break;
    case ENTRY_ASID:
        snprintf(buf, len, "asid_pool");
        break;
    case ENTRY_SELF:
        snprintf(buf, len, "process %s", e->single->owner->name);
        break;
    }
}

/*
 * The maps of a memory object, under its capabilities: `map PROCESS 0xVA RIGHTS`, and
 * ` (N pages)` for more than one, process by process in start order, then in file order.
 * RIGHTS are the page rights Alpha checks in the live page tables (`r--`, `rw-`, `r-x`,
 * `rwx`: a map is always readable), as the state's `map` lines write them page by page.
 */
static void map_lines(FILE *out, const struct system *sys, const struct object *o)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            if (m->object != o)
                continue;
            fprintf(out, "  map %s 0x%llx r%c%c", p->name, (unsigned long long)m->address,
                    m->attributes & A9N_MAP_WRITE ? 'w' : '-',
                    m->attributes & A9N_MAP_EXECUTE ? 'x' : '-');
            if (o->pages > 1)
                fprintf(out, " (%u pages)", o->pages);
            fputc('\n', out);
        }
    }
}

void tree_text(FILE *out, const struct system *sys)
{
    struct arena a = {0};
    struct vec entries = build_entries(&a, sys);
    fprintf(out, "system %s: %llu objects, %llu capabilities\n", sys->name,
            (unsigned long long)tree_object_count(sys),
            (unsigned long long)tree_capability_count(sys));
    for (size_t i = 0; i < entries.count; i++) {
        const struct entry *e = entries.items[i];
        char title[256], rights[8];
        entry_title(title, sizeof(title), e);
        fprintf(out, "%s\n", title);
        for (size_t j = 0; j < e->caps.count; j++) {
            const struct cap *c = e->caps.items[j];
            format_rights(rights, c->rights);
            fprintf(out, "  %s.%s %s", c->owner->name, c->name, rights);
            if (c->has_badge)
                fprintf(out, " badge %llu", (unsigned long long)c->badge);
            fputc('\n', out);
        }
        if (e->kind == ENTRY_OBJECT)
            map_lines(out, sys, e->plan->object);
    }
    arena_free(&a);
    state_text(out, sys);
}

/* Graphviz: processes are boxes, objects ellipses, capabilities labelled edges. */
void tree_dot(FILE *out, const struct system *sys)
{
    struct arena a = {0};
    struct vec entries = build_entries(&a, sys);
    fprintf(out, "digraph \"%s\" {\n", sys->name);
    fprintf(out, "  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
                 "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        fprintf(out,
                "  \"process:%s\" [shape=box, style=filled, fillcolor=\"#dde8f8\", "
                "label=\"%s\\n%s.elf, priority %u\"];\n",
                p->name, p->name, p->image, p->priority);
    }
    for (size_t i = 0; i < entries.count; i++) {
        const struct entry *e = entries.items[i];
        char title[256], rights[8];
        entry_title(title, sizeof(title), e);
        fprintf(out, "  \"e%zu\" [shape=%s, label=\"%s\"];\n", i,
                e->kind == ENTRY_OBJECT || e->kind == ENTRY_POOL ? "ellipse" : "hexagon", title);
        for (size_t j = 0; j < e->caps.count; j++) {
            const struct cap *c = e->caps.items[j];
            format_rights(rights, c->rights);
            fprintf(out, "  \"process:%s\" -> \"e%zu\" [label=\"%s %s", c->owner->name, i, c->name,
                    rights);
            if (c->has_badge)
                fprintf(out, " badge %llu", (unsigned long long)c->badge);
            fprintf(out, "\"];\n");
        }
        if (e->kind == ENTRY_IRQ && e->single->notification) {
            for (size_t k = 0; k < entries.count; k++) {
                const struct entry *t = entries.items[k];
                if (t->kind == ENTRY_OBJECT && t->plan->object == e->single->notification)
                    fprintf(out, "  \"e%zu\" -> \"e%zu\" [style=dashed, label=\"notifies\"];\n", i,
                            k);
            }
        }
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            for (size_t k = 0; k < entries.count; k++) {
                const struct entry *t = entries.items[k];
                if (t->kind == ENTRY_OBJECT && t->plan->object == m->object)
                    fprintf(out,
                            "  \"process:%s\" -> \"e%zu\" [style=dotted, label=\"map "
                            "0x%llx %s%s%s\"];\n",
                            p->name, k, (unsigned long long)m->address, "r",
                            m->attributes & A9N_MAP_WRITE ? "w" : "",
                            m->attributes & A9N_MAP_EXECUTE ? "x" : "");
            }
        }
        if (p->resolver) {
            for (size_t k = 0; k < entries.count; k++) {
                const struct entry *t = entries.items[k];
                if (t->kind == ENTRY_OBJECT && t->plan->object == p->resolver)
                    fprintf(out, "  \"process:%s\" -> \"e%zu\" [style=dashed, label=\"faults\"];\n",
                            p->name, k);
            }
        }
        for (size_t k = 0; p->exit_notice && k < entries.count; k++) {
            const struct entry *t = entries.items[k];
            if (t->kind == ENTRY_OBJECT && t->plan->object == p->exit_notice)
                fprintf(out, "  \"process:%s\" -> \"e%zu\" [style=dashed, label=\"end\"];\n",
                        p->name, k);
        }
    }
    fprintf(out, "}\n");
    arena_free(&a);
}

/* Names are identifiers, so nothing needs escaping; the image name is one too. */
void tree_json(FILE *out, const struct system *sys)
{
    struct arena a = {0};
    struct vec entries = build_entries(&a, sys);
    fprintf(out, "{\n  \"system\": \"%s\",\n  \"memory\": %llu,\n", sys->name,
            (unsigned long long)sys->memory);
    fprintf(out, "  \"object_count\": %llu,\n  \"kernel_objects\": %zu,\n",
            (unsigned long long)tree_object_count(sys), sys->plan.count);
    fprintf(out, "  \"capability_count\": %llu,\n", (unsigned long long)tree_capability_count(sys));
    fprintf(out, "  \"processes\": [");
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        fprintf(out,
                "%s\n    {\"name\": \"%s\", \"image\": \"%s.elf\", \"priority\": %u, "
                "\"node_radix\": %u, \"stack\": %llu, \"resolver\": ",
                i ? "," : "", p->name, p->image, p->priority, p->radix,
                (unsigned long long)p->stack);
        if (p->resolver)
            fprintf(out, "\"%s\"", p->resolver->name);
        else
            fprintf(out, "null");
        static const char *const policies[] = {"stop", "restart", "halt"};
        fprintf(out, ", \"fault\": ");
        if (p->resolver)
            fprintf(out, "null");
        else
            fprintf(out, "\"%s\"", policies[p->fault_policy]);
        if (p->exit_notice)
            fprintf(out, ", \"exit_notice\": {\"object\": \"%s\", \"badge\": %llu}",
                    p->exit_notice->name, (unsigned long long)p->exit_notice_identifier);
        fprintf(out, ", \"maps\": [");
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            fprintf(out, "%s{\"object\": \"%s\", \"address\": %llu, \"rights\": \"r%s%s\"}",
                    j ? ", " : "", m->object->name, (unsigned long long)m->address,
                    m->attributes & A9N_MAP_WRITE ? "w" : "",
                    m->attributes & A9N_MAP_EXECUTE ? "x" : "");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "\n  ],\n  \"tree\": [");
    static const char *const kinds[] = {"object", "generic",          "io_port", "interrupt",
                                        "debug",  "interrupt_region", "process", "asid_pool"};
    for (size_t i = 0; i < entries.count; i++) {
        const struct entry *e = entries.items[i];
        char title[256], rights[8];
        entry_title(title, sizeof(title), e);
        fprintf(out, "%s\n    {\"kind\": \"%s\", \"title\": \"%s\"", i ? "," : "", kinds[e->kind],
                title);
        switch (e->kind) {
        case ENTRY_OBJECT:
            fprintf(out, ", \"name\": \"%s\", \"type\": \"%s\", \"size\": %llu",
                    e->plan->object->name, object_kind_name(e->plan->object->kind),
                    (unsigned long long)(e->plan->object->kind == OBJECT_MEMORY
                                             ? e->plan->object->size
                                             : plan_bytes_of(e->plan)));
            break;
        case ENTRY_POOL:
            fprintf(out, ", \"name\": \"%s\", \"size\": %llu", e->plan->pool->object_name,
                    (unsigned long long)plan_bytes_of(e->plan));
            break;
        case ENTRY_IO_PORT:
            fprintf(out, ", \"first\": %u, \"last\": %u", e->single->io_first, e->single->io_last);
            break;
        case ENTRY_IRQ:
            fprintf(out, ", \"line\": %u, \"notification\": ", e->single->irq);
            if (e->single->notification)
                fprintf(out, "\"%s\"", e->single->notification->name);
            else
                fprintf(out, "null");
            break;
        case ENTRY_DEBUG:
        case ENTRY_REGION:
        case ENTRY_ASID:
            break;
        case ENTRY_SELF:
            fprintf(out, ", \"process\": \"%s\"", e->single->owner->name);
            break;
        }
        fprintf(out, ", \"caps\": [");
        for (size_t j = 0; j < e->caps.count; j++) {
            const struct cap *c = e->caps.items[j];
            format_rights(rights, c->rights);
            fprintf(out,
                    "%s\n      {\"process\": \"%s\", \"name\": \"%s\", \"slot\": %u, "
                    "\"slots\": %u, \"rights\": \"%s\", \"badge\": ",
                    j ? "," : "", c->owner->name, c->name, c->slot, c->count, rights);
            if (c->has_badge)
                fprintf(out, "%llu}", (unsigned long long)c->badge);
            else
                fprintf(out, "null}");
        }
        fprintf(out, "%s]}", e->caps.count ? "\n    " : "");
    }
    fprintf(out, "\n  ]\n}\n");
    arena_free(&a);
}
