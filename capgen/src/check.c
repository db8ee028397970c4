/*
 * Everything that relates two parts of the file: names and references, slots, claims on
 * IRQs and IO ports, maps against each other and against the stack, the priorities of call
 * edges, and the start order. Runs only on a file that parsed cleanly, so every model field
 * it reads is valid.
 */
#include "capgen.h"

#include <alpha_spec.h>
#include <stdlib.h>
#include <string.h>

struct checker {
    struct arena *arena;
    struct diag *diag;
    struct system *sys;
};

static struct object *find_object(const struct system *sys, const char *name)
{
    for (size_t i = 0; i < sys->objects.count; i++) {
        struct object *o = sys->objects.items[i];
        if (strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

static struct process *find_process(const struct system *sys, const char *name)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        if (strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

/* An object reference: unknown names get a "did you mean" over the object names. */
static struct object *resolve(struct checker *ck, const char *name, struct pos pos,
                              const char *what)
{
    if (ck->diag->stopped)
        return NULL; /* past the error limit: no lookups, no hints */
    struct object *o = find_object(ck->sys, name);
    if (o) {
        o->used = true;
        return o;
    }
    if (find_process(ck->sys, name)) {
        diag_error(ck->diag, pos, "%s: '%s' is a process, not an object", what, name);
        return NULL;
    }
    size_t n = ck->sys->objects.count;
    const char **names = arena_alloc(ck->arena, (n + 1) * sizeof(char *));
    for (size_t i = 0; i < n; i++)
        names[i] = ((struct object *)ck->sys->objects.items[i])->name;
    const char *hint = closest_name(name, names, n);
    if (hint)
        diag_error(ck->diag, pos, "%s: unknown object '%s' (did you mean '%s'?)", what, name, hint);
    else
        diag_error(ck->diag, pos, "%s: unknown object '%s'", what, name);
    return NULL;
}

static void check_names(struct checker *ck)
{
    for (size_t i = 0; i < ck->sys->processes.count; i++) {
        struct process *p = ck->sys->processes.items[i];
        struct object *o = find_object(ck->sys, p->name);
        if (o)
            diag_error(ck->diag, p->pos, "process '%s' has the same name as object '%s' (line %u)",
                       p->name, o->name, o->pos.line);
        /* caps/<process>.h and caps/<image>.h share one folder. */
        for (size_t j = 0; j < ck->sys->processes.count; j++) {
            struct process *q = ck->sys->processes.items[j];
            /* Even when p runs that image too, caps/<image>.h (shared by every process of
             * the image) would replace p's own header. */
            if (q != p && strcmp(q->image, p->name) == 0) {
                diag_error(ck->diag, p->pos,
                           "process '%s' is named like the image that process '%s' runs: both "
                           "capability headers would be caps/%s.h",
                           p->name, q->name, p->name);
                break;
            }
        }
    }
}

static void check_references(struct checker *ck, struct process *p)
{
    for (size_t i = 0; i < p->caps.count; i++) {
        struct cap *c = p->caps.items[i];
        const char *what = arena_printf(ck->arena, "capability '%s.%s'", p->name, c->name);
        if (c->kind == CAP_OBJECT) {
            c->object = resolve(ck, c->object_name, c->object_pos, what);
            if (!c->object)
                continue;
            if (c->object->kind == OBJECT_MEMORY) {
                if (c->has_badge)
                    diag_error(ck->diag, c->badge_pos,
                               "%s: a badge only applies to ipc_port and notification_port "
                               "capabilities, not memory '%s'",
                               what, c->object->name);
                c->count = c->object->pages;
            }
        } else if (c->kind == CAP_IRQ && c->notification_name) {
            c->notification = resolve(ck, c->notification_name, c->notification_pos, what);
            if (c->notification && c->notification->kind != OBJECT_NOTIFICATION_PORT) {
                diag_error(ck->diag, c->notification_pos,
                           "%s: irq %u can only be bound to a notification_port; '%s' is %s", what,
                           c->irq, c->notification->name,
                           c->notification->kind == OBJECT_IPC_PORT ? "an ipc_port" : "memory");
                c->notification = NULL;
            }
        }
    }
    if (p->resolver_name && p->has_fault_policy)
        diag_error(ck->diag, p->fault_pos,
                   "process '%s': fault: its faults go to its resolver '%s'; a fault policy is "
                   "for a process that has none (Alpha supervises it)",
                   p->name, p->resolver_name);
    if (p->resolver_name) {
        const char *what = arena_printf(ck->arena, "process '%s': resolver", p->name);
        p->resolver = resolve(ck, p->resolver_name, p->resolver_pos, what);
        if (p->resolver && p->resolver->kind != OBJECT_IPC_PORT) {
            diag_error(ck->diag, p->resolver_pos, "%s: faults are sent to an ipc_port; '%s' is %s",
                       what, p->resolver->name,
                       p->resolver->kind == OBJECT_MEMORY ? "memory" : "a notification_port");
            p->resolver = NULL;
        }
    }
    if (p->exit_notice_name) {
        const char *what = arena_printf(ck->arena, "process '%s': exit_notice", p->name);
        p->exit_notice = resolve(ck, p->exit_notice_name, p->exit_notice_pos, what);
        if (p->exit_notice && p->exit_notice->kind != OBJECT_NOTIFICATION_PORT) {
            diag_error(ck->diag, p->exit_notice_pos,
                       "%s: the end of a process is told through a notification_port; '%s' is "
                       "%s",
                       what, p->exit_notice->name,
                       p->exit_notice->kind == OBJECT_MEMORY ? "memory" : "an ipc_port");
            p->exit_notice = NULL;
        }
    }
    for (size_t i = 0; i < p->maps.count; i++) {
        struct map *m = p->maps.items[i];
        const char *what = arena_printf(ck->arena, "map %zu of process '%s'", i + 1, p->name);
        m->object = resolve(ck, m->object_name, m->object_pos, what);
        if (m->object && m->object->kind != OBJECT_MEMORY) {
            diag_error(ck->diag, m->object_pos, "%s: only memory objects can be mapped; '%s' is %s",
                       what, m->object->name,
                       m->object->kind == OBJECT_IPC_PORT ? "an ipc_port" : "a notification_port");
            m->object = NULL;
        }
    }
}

/* Pool capabilities (slab caches, buddy) follow the declared ones; their names are taken. */
static void add_pool_caps(struct checker *ck, struct process *p)
{
    for (size_t i = 0; i < p->pools.count; i++) {
        struct pool *pl = p->pools.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (strcmp(c->name, pl->cap_name) == 0)
                diag_error(ck->diag, c->pos,
                           "capability '%s.%s': the name is taken by the %s pool (line %u)",
                           p->name, c->name, pl->key, pl->pos.line);
        }
        struct cap *c = arena_alloc(ck->arena, sizeof(*c));
        c->name = pl->cap_name;
        c->pos = pl->pos;
        c->owner = p;
        c->kind = CAP_POOL;
        c->pool = pl;
        c->rights = A9N_RIGHTS_ALL;
        c->count = 1;
        vec_push(ck->arena, &p->caps, c);
    }
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* CAP_<name>, CAP_<name>_SLOT and CAP_<name>_PAGES must not collide between slots. The
 * names are looked up in a sorted copy: a hostile file of thousands of *_SLOT names costs
 * n log n, not n^2. */
static void check_macro_names(struct checker *ck, struct process *p)
{
    static const char *const suffixes[] = {"_SLOT", "_PAGES"};
    size_t n = p->caps.count;
    const char **names = arena_alloc(ck->arena, (n + 1) * sizeof(*names));
    for (size_t i = 0; i < n; i++)
        names[i] = ((struct cap *)p->caps.items[i])->name;
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        struct cap *c = p->caps.items[i];
        size_t len = strlen(c->name);
        for (size_t s = 0; s < 2; s++) {
            size_t sl = strlen(suffixes[s]);
            if (len <= sl || strcmp(c->name + len - sl, suffixes[s]) != 0)
                continue;
            const char *base = arena_strndup(ck->arena, c->name, len - sl);
            if (bsearch(&base, names, n, sizeof(*names), by_name))
                diag_error(ck->diag, c->pos,
                           "capability '%s.%s': its macro CAP_%s collides with CAP_%s%s of "
                           "capability '%s'",
                           p->name, c->name, c->name, base, suffixes[s], base);
        }
    }
}

/* Slots: explicit ones first, then the rest from 1 in file order, then the node radix. */
static void assign_slots(struct checker *ck, struct process *p)
{
    size_t limit = 1u << 16;
    struct cap **owner = arena_alloc(ck->arena, limit * sizeof(*owner));
    for (size_t i = 0; i < p->caps.count; i++) {
        struct cap *c = p->caps.items[i];
        if (!c->has_slot)
            continue;
        if ((uint64_t)c->slot + c->count > limit) {
            diag_error(ck->diag, c->slot_pos,
                       "capability '%s.%s': slots %u..%llu go beyond slot 65535", p->name, c->name,
                       c->slot, (unsigned long long)c->slot + c->count - 1);
            c->has_slot = false;
            c->slot = 0;
            continue;
        }
        for (uint32_t s = c->slot; s < c->slot + c->count; s++) {
            if (owner[s]) {
                diag_error(ck->diag, c->slot_pos,
                           "capability '%s.%s': slot %u is already taken by '%s.%s'", p->name,
                           c->name, s, p->name, owner[s]->name);
                break;
            }
            owner[s] = c;
        }
    }
    uint32_t cursor = 1;
    for (size_t i = 0; i < p->caps.count; i++) {
        struct cap *c = p->caps.items[i];
        if (c->has_slot)
            continue;
        for (;;) {
            if ((uint64_t)cursor + c->count > limit) {
                diag_error(ck->diag, c->pos, "capability '%s.%s': no free slots left below 65536",
                           p->name, c->name);
                return;
            }
            uint32_t s = cursor;
            while (s < cursor + c->count && !owner[s])
                s++;
            if (s == cursor + c->count)
                break;
            cursor = s + 1;
        }
        c->slot = cursor;
        for (uint32_t s = cursor; s < cursor + c->count; s++)
            owner[s] = c;
        cursor += c->count;
    }
    uint32_t highest = 0;
    struct cap *top = NULL;
    for (size_t i = 0; i < p->caps.count; i++) {
        struct cap *c = p->caps.items[i];
        if (c->slot + c->count - 1 > highest) {
            highest = c->slot + c->count - 1;
            top = c;
        }
    }
    if (p->has_radix) {
        if (top && highest >= (1u << p->radix))
            diag_error(ck->diag, top->has_slot ? top->slot_pos : top->pos,
                       "capability '%s.%s': slot %u does not fit the node of radix %u (slots "
                       "0..%u)",
                       p->name, top->name, highest, p->radix, (1u << p->radix) - 1);
        return;
    }
    p->radix = A9N_NODE_RADIX_MIN;
    while ((1u << p->radix) <= highest)
        p->radix++;
}

static void check_rights(struct checker *ck, struct process *p)
{
    for (size_t i = 0; i < p->caps.count; i++) {
        struct cap *c = p->caps.items[i];
        if (c->kind != CAP_POOL && c->rights == 0)
            diag_warning(ck->diag, c->rights_pos, "capability '%s.%s' has no rights", p->name,
                         c->name);
    }
}

static bool ranges_overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
    return a0 < b1 && b0 < a1; /* half-open */
}

static int by_first_port(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    if (a->io_first != b->io_first)
        return a->io_first < b->io_first ? -1 : 1;
    if (a->owner->order != b->owner->order)
        return a->owner->order < b->owner->order ? -1 : 1;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* An IRQ line or an IO port belongs to one process. */
static void check_claims(struct checker *ck)
{
    struct cap *irq_owner[CAPGEN_IRQ_MAX + 1] = {0};
    struct vec io = {0};
    for (size_t i = 0; i < ck->sys->processes.count; i++) {
        struct process *p = ck->sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (c->kind == CAP_IO_PORT)
                vec_push(ck->arena, &io, c);
            if (ck->sys->inspect && c->kind == CAP_IO_PORT && c->io_first <= CAPGEN_COM2_LAST &&
                c->io_last >= CAPGEN_COM2_FIRST)
                diag_error(ck->diag, c->io_pos,
                           "capability '%s.%s': ports 0x%x-0x%x are COM2, which Alpha's "
                           "inspector owns (system.inspect)",
                           c->owner->name, c->name, CAPGEN_COM2_FIRST, CAPGEN_COM2_LAST);
            if (c->kind != CAP_IRQ)
                continue;
            if (ck->sys->inspect && c->irq == CAPGEN_COM2_IRQ)
                diag_error(ck->diag, c->irq_pos,
                           "capability '%s.%s': irq %u is COM2's, which Alpha's inspector owns "
                           "(system.inspect)",
                           c->owner->name, c->name, CAPGEN_COM2_IRQ);
            struct cap *o = irq_owner[c->irq];
            if (o)
                diag_error(ck->diag, c->irq_pos,
                           "capability '%s.%s': irq %u is already claimed by '%s.%s'",
                           c->owner->name, c->name, c->irq, o->owner->name, o->name);
            else
                irq_owner[c->irq] = c;
        }
    }
    if (io.count > 1)
        qsort(io.items, io.count, sizeof(void *), by_first_port);
    struct cap *reach = NULL; /* the range that reaches furthest so far */
    for (size_t i = 0; i < io.count; i++) {
        struct cap *c = io.items[i];
        if (reach && c->io_first <= reach->io_last) {
            struct cap *o = reach;
            if (c->owner != o->owner)
                diag_error(ck->diag, c->io_pos,
                           "capability '%s.%s': io ports 0x%x-0x%x overlap 0x%x-0x%x "
                           "claimed by '%s.%s'",
                           c->owner->name, c->name, c->io_first, c->io_last, o->io_first,
                           o->io_last, o->owner->name, o->name);
            else
                diag_warning(ck->diag, c->io_pos,
                             "capability '%s.%s': io ports 0x%x-0x%x overlap '%s.%s' of the "
                             "same process",
                             c->owner->name, c->name, c->io_first, c->io_last, o->owner->name,
                             o->name);
        }
        if (!reach || c->io_last > reach->io_last)
            reach = c;
    }
}

static const char *hex(struct arena *a, uint64_t v)
{
    return arena_printf(a, "0x%llx", (unsigned long long)v);
}

static void check_maps(struct checker *ck, struct process *p)
{
    uint64_t reserved_low = ALPHA_STACK_TOP - p->stack - CAPGEN_PAGE; /* with a guard page */
    uint64_t reserved_high = ALPHA_IPC_BUFFER + CAPGEN_PAGE;
    for (size_t i = 0; i < p->maps.count; i++) {
        struct map *m = p->maps.items[i];
        if (!m->object)
            continue;
        const char *what = arena_printf(ck->arena, "map %zu of process '%s'", i + 1, p->name);
        uint64_t page = 1ull << m->object->page_bits;
        if (m->address % page) {
            diag_error(ck->diag, m->address_pos,
                       "%s: address %s is not aligned to the %s pages of '%s'", what,
                       hex(ck->arena, m->address), page == CAPGEN_PAGE ? "4K" : "2M",
                       m->object->name);
            m->object = NULL;
            continue;
        }
        if (m->address < CAPGEN_PAGE) {
            diag_error(ck->diag, m->address_pos,
                       "%s: address 0x0 is the null page, which stays unmapped", what);
            m->object = NULL;
            continue;
        }
        if (m->address >= A9N_USER_TOP || m->object->size > A9N_USER_TOP - m->address) {
            diag_error(ck->diag, m->address_pos,
                       "%s: %s..%s is not a user address range (user addresses are below %s)", what,
                       hex(ck->arena, m->address), hex(ck->arena, m->address + m->object->size),
                       hex(ck->arena, A9N_USER_TOP));
            m->object = NULL;
            continue;
        }
        uint64_t end = m->address + m->object->size;
        if (ranges_overlap(m->address, end, reserved_low, reserved_high)) {
            diag_error(ck->diag, m->address_pos,
                       "%s: '%s' at %s..%s overlaps the stack and IPC buffer area %s..%s", what,
                       m->object->name, hex(ck->arena, m->address), hex(ck->arena, end),
                       hex(ck->arena, reserved_low), hex(ck->arena, reserved_high));
            m->object = NULL;
            continue;
        }
        if ((m->attributes & A9N_MAP_WRITE) && (m->attributes & A9N_MAP_EXECUTE))
            diag_warning(ck->diag, m->rights_pos, "%s: '%s' is mapped writable and executable",
                         what, m->object->name);
        for (size_t j = 0; j < i; j++) {
            struct map *o = p->maps.items[j];
            if (!o->object)
                continue;
            /* Write through one address and execute through another is writable code all
             * the same. */
            if (o->object == m->object &&
                (((m->attributes & A9N_MAP_EXECUTE) && (o->attributes & A9N_MAP_WRITE)) ||
                 ((m->attributes & A9N_MAP_WRITE) && (o->attributes & A9N_MAP_EXECUTE))))
                diag_warning(ck->diag, m->rights_pos,
                             "%s: '%s' is mapped %s here and %s by map %zu (writable and "
                             "executable through two addresses)",
                             what, m->object->name,
                             (m->attributes & A9N_MAP_EXECUTE) ? "executable" : "writable",
                             (m->attributes & A9N_MAP_EXECUTE) ? "writable" : "executable", j + 1);
            if (ranges_overlap(m->address, end, o->address, o->address + o->object->size)) {
                diag_error(ck->diag, m->address_pos,
                           "%s: '%s' at %s..%s overlaps map %zu ('%s' at %s..%s)", what,
                           m->object->name, hex(ck->arena, m->address), hex(ck->arena, end), j + 1,
                           o->object->name, hex(ck->arena, o->address),
                           hex(ck->arena, o->address + o->object->size));
                break;
            }
        }
    }
}

static void collect_readers(struct checker *ck)
{
    for (size_t i = 0; i < ck->sys->processes.count; i++) {
        struct process *p = ck->sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (c->kind != CAP_OBJECT || !(c->rights & A9N_RIGHT_READ))
                continue;
            struct vec *r = &c->object->readers;
            if (r->count == 0 || r->items[r->count - 1] != p)
                vec_push(ck->arena, r, p);
        }
    }
}

/*
 * A call edge: a process holding WRITE on an ipc_port that another process holds READ on.
 * A server with a lower priority than its client is a priority inversion (Hubris and
 * Microkit reject it); here it is a warning.
 */
static void check_priorities(struct checker *ck)
{
    struct system *sys = ck->sys;
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *client = sys->processes.items[i];
        for (size_t j = 0; j < client->caps.count; j++) {
            struct cap *send = client->caps.items[j];
            if (send->kind != CAP_OBJECT || send->object->kind != OBJECT_IPC_PORT ||
                !(send->rights & A9N_RIGHT_WRITE))
                continue;
            struct vec *readers = &send->object->readers;
            if (readers->count == 0)
                diag_warning(ck->diag, send->pos,
                             "capability '%s.%s': nobody receives on '%s' (no process holds "
                             "it with read)",
                             client->name, send->name, send->object->name);
            for (size_t k = 0; k < readers->count; k++) {
                struct process *server = readers->items[k];
                if (server != client && server->priority < client->priority)
                    diag_warning(ck->diag, send->pos,
                                 "process '%s' (priority %u) calls '%s' (priority %u) through "
                                 "'%s': the server should not have the lower priority",
                                 client->name, client->priority, server->name, server->priority,
                                 send->object->name);
            }
        }
    }
}

static bool anyone_reads(const struct system *sys, const struct object *o)
{
    (void)sys;
    return o->readers.count > 0;
}

static void check_usage(struct checker *ck)
{
    struct system *sys = ck->sys;
    for (size_t i = 0; i < sys->objects.count; i++) {
        struct object *o = sys->objects.items[i];
        if (!o->used)
            diag_warning(ck->diag, o->pos, "object '%s' is declared but never used", o->name);
    }
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        if (p->resolver && !anyone_reads(sys, p->resolver))
            diag_warning(ck->diag, p->resolver_pos,
                         "process '%s': nobody receives the faults sent to '%s' (no process "
                         "holds it with read)",
                         p->name, p->resolver->name);
        else if (p->resolver && p->resolver->readers.count == 1 &&
                 p->resolver->readers.items[0] == p)
            diag_warning(ck->diag, p->resolver_pos,
                         "process '%s': it is the only reader of its resolver '%s': its faults "
                         "go to itself, and a faulted process cannot receive them",
                         p->name, p->resolver->name);
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (c->kind == CAP_IRQ && c->notification && !anyone_reads(sys, c->notification))
                diag_warning(ck->diag, c->notification_pos,
                             "capability '%s.%s': nobody waits on '%s' (no process holds it "
                             "with read)",
                             p->name, c->name, c->notification->name);
        }
    }
}

static int by_port_and_badge(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    int c = strcmp(a->object->name, b->object->name);
    if (c)
        return c;
    if (a->badge != b->badge)
        return a->badge < b->badge ? -1 : 1;
    if (a->owner->order != b->owner->order)
        return a->owner->order < b->owner->order ? -1 : 1;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/*
 * Badges tell a server its clients apart, so they are a sender's: a badge on a capability
 * that cannot send (no write) is never seen, and two processes that send with the same
 * badge on one port look like one client.
 */
static void check_badges(struct checker *ck)
{
    struct vec senders = {0};
    for (size_t i = 0; i < ck->sys->processes.count; i++) {
        struct process *p = ck->sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++) {
            struct cap *c = p->caps.items[j];
            if (c->kind != CAP_OBJECT || !c->has_badge)
                continue;
            if (!(c->rights & A9N_RIGHT_WRITE))
                diag_warning(ck->diag, c->badge_pos,
                             "capability '%s.%s': a badge on a capability without write is never "
                             "seen (badges name senders, and this one cannot send)",
                             p->name, c->name);
            else
                vec_push(ck->arena, &senders, c);
        }
    }
    if (senders.count > 1)
        qsort(senders.items, senders.count, sizeof(void *), by_port_and_badge);
    for (size_t i = 1; i < senders.count; i++) {
        struct cap *a = senders.items[i - 1], *b = senders.items[i];
        if (a->object == b->object && a->badge == b->badge && a->owner != b->owner)
            diag_warning(ck->diag, b->badge_pos,
                         "capability '%s.%s': badge %llu on '%s' is also the badge of '%s.%s': "
                         "the receiver cannot tell the two clients apart",
                         b->owner->name, b->name, (unsigned long long)b->badge, b->object->name,
                         a->owner->name, a->name);
    }
}

static int by_start_order(const void *x, const void *y)
{
    const struct process *a = *(struct process *const *)x, *b = *(struct process *const *)y;
    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

bool system_check(struct arena *a, struct diag *d, struct system *sys)
{
    struct checker ck = {a, d, sys};
    unsigned before = d->errors;
    check_names(&ck);
    for (size_t i = 0; i < sys->processes.count && !d->stopped; i++)
        check_references(&ck, sys->processes.items[i]);
    if (d->errors != before || d->stopped)
        return false;
    for (size_t i = 0; i < sys->processes.count; i++) {
        struct process *p = sys->processes.items[i];
        add_pool_caps(&ck, p);
        check_macro_names(&ck, p);
        assign_slots(&ck, p);
        check_rights(&ck, p);
        check_maps(&ck, p);
    }
    check_claims(&ck);
    if (d->errors != before || d->stopped)
        return false;
    qsort(sys->processes.items, sys->processes.count, sizeof(void *), by_start_order);
    collect_readers(&ck);
    check_priorities(&ck);
    check_usage(&ck);
    check_badges(&ck);
    check_quotas(a, d, sys);
    check_exit_notices(d, sys);
    return d->errors == before && !d->stopped;
}
