/*
 * The outputs of `capgen build`: the spec (C tables for Alpha, freestanding, no libc), one
 * header per process naming its slots, and the report.
 */
#include "capgen.h"

#include <alpha_spec.h>
#include <stdlib.h>
#include <string.h>

static const char *type_enum(enum a9n_object_type t)
{
    switch (t) {
    case A9N_OBJECT_NODE:
        return "A9N_OBJECT_NODE";
    case A9N_OBJECT_GENERIC:
        return "A9N_OBJECT_GENERIC";
    case A9N_OBJECT_ADDRESS_SPACE:
        return "A9N_OBJECT_ADDRESS_SPACE";
    case A9N_OBJECT_PAGE_TABLE:
        return "A9N_OBJECT_PAGE_TABLE";
    case A9N_OBJECT_FRAME:
        return "A9N_OBJECT_FRAME";
    case A9N_OBJECT_PROCESS:
        return "A9N_OBJECT_PROCESS";
    case A9N_OBJECT_IPC_PORT:
        return "A9N_OBJECT_IPC_PORT";
    case A9N_OBJECT_NOTIFICATION_PORT:
        return "A9N_OBJECT_NOTIFICATION_PORT";
    default:
        return "A9N_OBJECT_NONE";
    }
}

static void rights_expression(char *buf, size_t len, unsigned rights)
{
    static const char *const names[] = {"A9N_RIGHT_READ", "A9N_RIGHT_WRITE", "A9N_RIGHT_COPY",
                                        "A9N_RIGHT_MODIFY"};
    buf[0] = 0;
    for (unsigned b = 0; b < 4; b++) {
        if (!(rights & (1u << b)))
            continue;
        if (buf[0])
            strncat(buf, " | ", len - strlen(buf) - 1);
        strncat(buf, names[b], len - strlen(buf) - 1);
    }
    if (!buf[0])
        snprintf(buf, len, "0");
}

static void map_expression(char *buf, size_t len, unsigned attributes)
{
    snprintf(buf, len, "A9N_MAP_READ%s%s", attributes & A9N_MAP_WRITE ? " | A9N_MAP_WRITE" : "",
             attributes & A9N_MAP_EXECUTE ? " | A9N_MAP_EXECUTE" : "");
}

static int by_slot(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* A process's capabilities in slot order (a copy; the model keeps file order). */
static struct cap **caps_by_slot(const struct process *p)
{
    struct cap **caps = calloc(p->caps.count + 1, sizeof(*caps));
    if (!caps) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    if (p->caps.count)
        memcpy(caps, p->caps.items, p->caps.count * sizeof(*caps));
    qsort(caps, p->caps.count, sizeof(*caps), by_slot);
    return caps;
}

/* The expected state as a C string literal, one source line per state line. */
static size_t emit_state_literal(FILE *out, const struct system *sys)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    state_text(mem, sys);
    fclose(mem);
    fputs("    .state_text =", out);
    bool open = false;
    for (size_t i = 0; i < size; i++) {
        if (!open) {
            fputs("\n        \"", out);
            open = true;
        }
        char ch = text[i];
        if (ch == '\n') {
            fputs("\\n\"", out);
            open = false;
        } else if (ch == '"' || ch == '\\') {
            fprintf(out, "\\%c", ch);
        } else {
            fputc(ch, out);
        }
    }
    if (open)
        fputc('"', out);
    fputs(",\n", out);
    free(text);
    return size;
}

/* The expected state (alpha_spec.h): names and the state text, after a marker line that
 * the build tables never cross (tests that tamper with the build tables edit only what comes
 * before it). */
static void emit_expect(FILE *out, const struct system *sys)
{
    fprintf(out, "\n/* ---- expected state ---- */\n");
    fprintf(out, "static const struct alpha_expect_object expect_objects[%zu] = {\n",
            sys->plan.count);
    for (size_t i = 0; i < sys->plan.count; i++) {
        const struct plan_object *po = sys->plan.items[i];
        fprintf(out, "    {\"%s\", %u, %u},\n", po->name, po->group_index, po->group_count);
    }
    fprintf(out, "};\n");
    fprintf(out, "static const char *const expect_processes[%zu] = {", sys->processes.count);
    for (size_t i = 0; i < sys->processes.count; i++)
        fprintf(out, "%s\"%s\"", i ? ", " : "",
                ((const struct process *)sys->processes.items[i])->name);
    fprintf(out, "};\n");
    /* The ASID Pools Alpha makes, one per `asid_pool` capability, in the order the build
     * tables number them (process by process, slot by slot): named PROCESS.CAPABILITY. */
    size_t asid_pools = 0;
    fprintf(out, "static const char *const expect_asid_pools[] = {");
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        struct cap **caps = caps_by_slot(p);
        for (size_t j = 0; j < p->caps.count; j++)
            if (caps[j]->kind == CAP_ASID_POOL)
                fprintf(out, "%s\"%s.%s\"", asid_pools++ ? ", " : "", p->name, caps[j]->name);
        free(caps);
    }
    fprintf(out, "%s};\n\n", asid_pools ? "" : "NULL");
    fprintf(out, "const struct alpha_expect alpha_expect = {\n");
    fprintf(out, "    .objects = expect_objects,\n    .object_count = %zu,\n", sys->plan.count);
    fprintf(out, "    .process_names = expect_processes,\n    .process_count = %zu,\n",
            sys->processes.count);
    fprintf(out, "    .asid_pool_names = expect_asid_pools,\n    .asid_pool_count = %zu,\n",
            asid_pools);
    size_t bytes = emit_state_literal(out, sys);
    fprintf(out, "    .state_bytes = %zu,\n", bytes);
    fprintf(out, "};\n");
}

void emit_spec(FILE *out, const struct system *sys)
{
    fprintf(out, "/* Generated by capgen from %s: the spec Alpha executes. Do not edit. */\n",
            sys->file);
    fprintf(out, "#include <alpha_spec.h>\n\n");
    fprintf(out, "static const struct alpha_object objects[%zu] = {\n", sys->plan.count);
    for (size_t i = 0; i < sys->plan.count; i++) {
        const struct plan_object *po = sys->plan.items[i];
        bool listed = po->role == ROLE_DECLARED || po->role == ROLE_POOL;
        fprintf(out,
                "    [%zu] = {.name = \"%s\", .type = %s, .specific_bits = %u, .size_bits = %u, "
                ".group_count = %u, .group_index = %u, .listed = %d},\n",
                i, po->name, type_enum(po->type), po->specific_bits, po->size_bits, po->group_count,
                po->group_index, listed);
    }
    fprintf(out, "};\n");
    uint32_t asid_pools = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        struct cap **caps = caps_by_slot(p);
        if (p->caps.count)
            fprintf(out, "\nstatic const struct alpha_cap caps_%s[%zu] = {\n", p->name,
                    p->caps.count);
        for (size_t j = 0; j < p->caps.count; j++) {
            const struct cap *c = caps[j];
            char rights[96];
            rights_expression(rights, sizeof(rights), c->rights);
            fprintf(out, "    {.name = \"%s\", .slot = %u, .rights = %s, ", c->name, c->slot,
                    rights);
            switch (c->kind) {
            case CAP_OBJECT:
                fprintf(out, ".kind = ALPHA_CAP_OBJECT, .object = %u, .badge = %lluull",
                        c->object->spec_index, (unsigned long long)c->badge);
                break;
            case CAP_POOL:
                fprintf(out, ".kind = ALPHA_CAP_OBJECT, .object = %u", c->pool->spec_index);
                break;
            case CAP_IO_PORT:
                fprintf(out, ".kind = ALPHA_CAP_IO_PORT, .io_first = 0x%x, .io_last = 0x%x",
                        c->io_first, c->io_last);
                break;
            case CAP_IRQ:
                fprintf(out, ".kind = ALPHA_CAP_IRQ, .irq = %u, .irq_notification = %d", c->irq,
                        c->notification ? (int)c->notification->spec_index : -1);
                break;
            case CAP_DEBUG:
                fprintf(out, ".kind = ALPHA_CAP_DEBUG");
                break;
            case CAP_IRQ_REGION:
                fprintf(out, ".kind = ALPHA_CAP_IRQ_REGION");
                break;
            case CAP_ASID_POOL:
                /* Which of the pools Alpha makes (alpha_expect.asid_pool_names' order). */
                fprintf(out, ".kind = ALPHA_CAP_ASID_POOL, .object = %u", asid_pools++);
                break;
            case CAP_IMAGE:
                fprintf(out, ".kind = ALPHA_CAP_IMAGE");
                break;
            case CAP_SELF:
                fprintf(out, ".kind = %s",
                        c->self == SELF_NODE      ? "ALPHA_CAP_SELF_NODE"
                        : c->self == SELF_PROCESS ? "ALPHA_CAP_SELF_PROCESS"
                                                  : "ALPHA_CAP_SELF_ADDRESS_SPACE");
                break;
            }
            if (c->kind != CAP_IRQ)
                fprintf(out, ", .irq_notification = -1");
            fprintf(out, ", .count = %u},\n", c->count);
        }
        if (p->caps.count)
            fprintf(out, "};\n");
        free(caps);
        if (p->maps.count)
            fprintf(out, "\nstatic const struct alpha_map maps_%s[%zu] = {\n", p->name,
                    p->maps.count);
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            char attributes[64];
            map_expression(attributes, sizeof(attributes), m->attributes);
            fprintf(out, "    {.vaddr = 0x%llxull, .region = %u, .pages = %u, .attributes = %s},\n",
                    (unsigned long long)m->address, m->object->spec_index, m->object->pages,
                    attributes);
        }
        if (p->maps.count)
            fprintf(out, "};\n");
    }
    fprintf(out, "\nstatic const struct alpha_process processes[%zu] = {\n", sys->processes.count);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        fprintf(out, "    {\n        .name = \"%s\",\n        .image = \"%s\",\n", p->name,
                p->image);
        fprintf(out, "        .priority = %u,\n        .node_radix = %u,\n", p->priority, p->radix);
        fprintf(out, "        .stack_pages = %llu,\n",
                (unsigned long long)(p->stack / CAPGEN_PAGE));
        fprintf(out,
                "        .node = %u,\n        .process = %u,\n        .address_space = %u,\n"
                "        .ipc_buffer = %u,\n        .stack = %u,\n",
                p->spec_node, p->spec_process, p->spec_address_space, p->spec_ipc_buffer,
                p->spec_stack);
        fprintf(out, "        .resolver = %d,\n", p->resolver ? (int)p->resolver->spec_index : -1);
        fprintf(out, "        .fault_policy = %u,\n", p->fault_policy);
        if (p->exit_notice)
            fprintf(out, "        .exit_notice = %u,\n        .exit_notice_identifier = 0x%llx,\n",
                    p->exit_notice->spec_index, (unsigned long long)p->exit_notice_identifier);
        if (p->caps.count)
            fprintf(out, "        .caps = caps_%s,\n        .cap_count = %zu,\n", p->name,
                    p->caps.count);
        else
            fprintf(out, "        .caps = 0,\n        .cap_count = 0,\n");
        if (p->maps.count)
            fprintf(out, "        .maps = maps_%s,\n        .map_count = %zu,\n", p->name,
                    p->maps.count);
        else
            fprintf(out, "        .maps = 0,\n        .map_count = 0,\n");
        fprintf(out, "    },\n");
    }
    fprintf(out, "};\n\n");
    fprintf(out, "const struct alpha_spec alpha_spec = {\n");
    fprintf(out, "    .system_name = \"%s\",\n", sys->name);
    fprintf(out, "    .memory_bytes = %lluull,\n", (unsigned long long)sys->memory);
    fprintf(out, "    .objects = objects,\n    .object_count = %zu,\n", sys->plan.count);
    fprintf(out, "    .processes = processes,\n    .process_count = %zu,\n", sys->processes.count);
    fprintf(out, "    .scratch_bits = %u,\n", sys->scratch_bits);
    if (sys->inspect)
        fprintf(out, "    .inspect = 1,\n");
    fprintf(out, "};\n");
    emit_expect(out, sys);
}

/* The map of `object` in process q, when q maps it exactly once. */
static const struct map *single_map(const struct process *q, const struct object *object)
{
    const struct map *found = NULL;
    for (size_t k = 0; k < q->maps.count; k++) {
        const struct map *m = q->maps.items[k];
        if (m->object != object)
            continue;
        if (found)
            return NULL;
        found = m;
    }
    return found;
}

/* An image header holds only what is true of every process that runs the image: a map's
 * address only when each of them maps that object once, at that same address. */
static bool map_common(const struct system *sys, const struct process *p, const struct map *m,
                       bool image)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *q = sys->processes.items[i];
        if (q != p && !(image && strcmp(q->image, p->image) == 0))
            continue;
        const struct map *other = single_map(q, m->object);
        if (!other || other->address != m->address)
            return false;
    }
    return true;
}

/* A pool's geometry, for the memory server that manages it (servers/ulmm). */
static void emit_pool_defines(FILE *out, const struct cap *c)
{
    fprintf(out, "#define CAP_%s_BITS %u\n", c->name, c->pool->bits);
    fprintf(out, "#define CAP_%s_TYPE %u\n", c->name, (unsigned)c->pool->type);
    fprintf(out, "#define CAP_%s_SPECIFIC %u\n", c->name, c->pool->specific_bits);
    fprintf(out, "#define CAP_%s_COUNT %llu\n", c->name, (unsigned long long)c->pool->count);
}

/* What a driver or a server needs besides the slot: the badge it was given, the first and
 * last port of an IO range, the interrupt line. Code says CAP_uart_IO_FIRST, never 0x3f8. */
static void emit_cap_facts(FILE *out, const struct cap *c)
{
    if (c->has_badge)
        fprintf(out, "#define CAP_%s_BADGE %llu\n", c->name, (unsigned long long)c->badge);
    if (c->kind == CAP_IO_PORT) {
        fprintf(out, "#define CAP_%s_IO_FIRST 0x%x\n", c->name, c->io_first);
        fprintf(out, "#define CAP_%s_IO_LAST  0x%x\n", c->name, c->io_last);
        fprintf(out, "#define CAP_%s_IO_COUNT %u\n", c->name, c->io_last - c->io_first + 1u);
    }
    if (c->kind == CAP_IRQ)
        fprintf(out, "#define CAP_%s_IRQ %u\n", c->name, c->irq);
}

static int by_badge(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    if (a->badge != b->badge)
        return a->badge < b->badge ? -1 : 1;
    if (a->owner->order != b->owner->order)
        return a->owner->order < b->owner->order ? -1 : 1;
    return strcmp(a->name, b->name);
}

/*
 * A server (a process that receives on a port: the capability has READ) learns who calls it
 * by the badge. Its header gets the table from badge to client, as an X-macro so that the
 * code makes of it what it needs (a switch, an array of names) and an unused table costs
 * nothing: CAP_<name>_CLIENTS(X) expands X(badge, process, capability) for every badged
 * capability another holder has to the same port, by badge. Unbadged senders arrive with
 * identifier 0 and are only counted.
 */
static void emit_clients(FILE *out, const struct system *sys, const struct cap *c)
{
    if (c->kind != CAP_OBJECT || c->object->kind != OBJECT_IPC_PORT ||
        !(c->rights & A9N_RIGHT_READ))
        return;
    size_t n = 0, unbadged = 0;
    const struct cap **list = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sys->processes.count; i++) {
            const struct process *q = sys->processes.items[i];
            for (size_t j = 0; j < q->caps.count; j++) {
                const struct cap *d = q->caps.items[j];
                if (d == c || d->kind != CAP_OBJECT || d->object != c->object ||
                    !(d->rights & A9N_RIGHT_WRITE))
                    continue;
                if (!d->has_badge) {
                    unbadged += pass == 0;
                    continue;
                }
                if (pass == 1)
                    list[n] = d;
                n++;
            }
        }
        if (pass == 0) {
            list = calloc(n + 1, sizeof(*list));
            if (!list)
                abort();
            n = 0;
        }
    }
    qsort(list, n, sizeof(*list), by_badge);
    fprintf(out, "/* the clients of %s by badge: X(badge, process, capability)", c->object->name);
    if (unbadged)
        fprintf(out, "; %zu more without a badge (identifier 0)", unbadged);
    fprintf(out, " */\n#define CAP_%s_CLIENT_COUNT %zu\n#define CAP_%s_CLIENTS(X)", c->name, n,
            c->name);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s X(%llu, %s, %s)", k ? " \\\n   " : "", (unsigned long long)list[k]->badge,
                list[k]->owner->name, list[k]->name);
    fprintf(out, "\n");
    free((void *)list);
}

/* The same for what a capability comment says (kind, object, rights, badge). */
static bool cap_common(const struct system *sys, const struct process *p, const struct cap *c)
{
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *q = sys->processes.items[i];
        if (q == p || strcmp(q->image, p->image) != 0)
            continue;
        const struct cap *d = NULL;
        for (size_t k = 0; k < q->caps.count && !d; k++)
            if (strcmp(((const struct cap *)q->caps.items[k])->name, c->name) == 0)
                d = q->caps.items[k];
        if (!d || d->kind != c->kind || d->object != c->object || d->rights != c->rights ||
            d->has_badge != c->has_badge || d->badge != c->badge || d->io_first != c->io_first ||
            d->io_last != c->io_last || d->irq != c->irq || d->self != c->self ||
            d->pool != c->pool)
            return false;
    }
    return true;
}

void emit_caps_header(FILE *out, const struct system *sys, const struct process *p, bool image)
{
    if (image) {
        /* For the program: every process that runs it has this same slot layout. */
        fprintf(out,
                "/* Generated by capgen from %s: the capability slots of image '%s' (the "
                "same in every process that runs it). Do not edit. */\n",
                sys->file, p->image);
        fprintf(out, "#pragma once\n\n");
        fprintf(out, "#define CAPS_IMAGE      \"%s\"\n", p->image);
    } else {
        fprintf(out,
                "/* Generated by capgen from %s: the capability slots of process '%s'. Do "
                "not edit. */\n",
                sys->file, p->name);
        fprintf(out, "#pragma once\n\n");
        fprintf(out, "#define CAPS_PROCESS    \"%s\"\n", p->name);
        fprintf(out, "#define CAPS_PRIORITY   %u\n", p->priority);
        fprintf(out, "#define CAPS_STACK_SIZE %llu\n", (unsigned long long)p->stack);
    }
    fprintf(out, "#define CAPS_NODE_RADIX %u\n", p->radix);
    struct cap **caps = caps_by_slot(p);
    for (size_t j = 0; j < p->caps.count; j++) {
        const struct cap *c = caps[j];
        char rights[8];
        format_rights(rights, c->rights);
        fprintf(out, "\n/* %s: ", c->name);
        if (image && !cap_common(sys, p, c)) {
            fprintf(out, "differs between the processes that run this image */\n");
            fprintf(out, "#define CAP_%s_SLOT %u\n", c->name, c->slot);
            fprintf(out, "#define CAP_%s 0x%016llxull\n", c->name,
                    (unsigned long long)a9n_descriptor_root(c->slot, p->radix));
            if (c->count > 1)
                fprintf(out, "#define CAP_%s_PAGES %u\n", c->name, c->count);
            continue;
        }
        switch (c->kind) {
        case CAP_OBJECT:
            fprintf(out, "%s %s", object_kind_name(c->object->kind), c->object->name);
            if (c->count > 1)
                fprintf(out, ", one frame per slot");
            break;
        case CAP_POOL:
            fprintf(out, "generic %s (2^%u bytes)", c->pool->object_name, c->pool->bits);
            break;
        case CAP_IO_PORT:
            fprintf(out, "io ports 0x%x-0x%x", c->io_first, c->io_last);
            break;
        case CAP_IRQ:
            fprintf(out, "interrupt %u", c->irq);
            if (c->notification)
                fprintf(out, " -> %s", c->notification->name);
            break;
        case CAP_DEBUG:
            fprintf(out, "debug");
            break;
        case CAP_IRQ_REGION:
            fprintf(out, "interrupt region");
            break;
        case CAP_ASID_POOL:
            fprintf(out, "an ASID Pool of its own");
            break;
        case CAP_IMAGE:
            fprintf(out, "the frames of its own image, one per slot (as many as it has)");
            break;
        case CAP_SELF:
            fprintf(out, "its own %s",
                    c->self == SELF_NODE      ? "node"
                    : c->self == SELF_PROCESS ? "process"
                                              : "address space");
            break;
        }
        fprintf(out, ", rights %s", rights);
        if (c->has_badge)
            fprintf(out, ", badge %llu", (unsigned long long)c->badge);
        fprintf(out, " */\n");
        fprintf(out, "#define CAP_%s_SLOT %u\n", c->name, c->slot);
        fprintf(out, "#define CAP_%s 0x%016llxull\n", c->name,
                (unsigned long long)a9n_descriptor_root(c->slot, p->radix));
        if (c->count > 1)
            fprintf(out, "#define CAP_%s_PAGES %u\n", c->name, c->count);
        if (c->kind == CAP_POOL)
            emit_pool_defines(out, c);
        emit_cap_facts(out, c);
        emit_clients(out, sys, c);
    }
    free(caps);
    emit_quota_table(out, sys, p);
    /* maps, when an object is mapped once in this process */
    for (size_t j = 0; j < p->maps.count; j++) {
        const struct map *m = p->maps.items[j];
        if (!map_common(sys, p, m, image)) {
            if (image)
                fprintf(out,
                        "\n/* %s: not mapped once at one address by every process that "
                        "runs this image (see caps/<process>.h) */\n",
                        m->object->name);
            continue;
        }
        fprintf(out, "\n/* map of %s */\n", m->object->name);
        fprintf(out, "#define MAP_%s_ADDRESS 0x%llxull\n", m->object->name,
                (unsigned long long)m->address);
        fprintf(out, "#define MAP_%s_SIZE    0x%llxull\n", m->object->name,
                (unsigned long long)m->object->size);
    }
}

/* IO ranges in the report: by first port, then last port, then file order and slot (a total
 * order: qsort's instability cannot show). */
static int by_io_range(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    if (a->io_first != b->io_first)
        return a->io_first < b->io_first ? -1 : 1;
    if (a->io_last != b->io_last)
        return a->io_last < b->io_last ? -1 : 1;
    if (a->owner != b->owner)
        return a->owner->order < b->owner->order ? -1 : 1;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

void emit_report(FILE *out, const struct system *sys)
{
    char a[32], b[32], rights[8];
    fprintf(out, "capgen report: system %s (%s)\n\n", sys->name, sys->file);
    format_size(a, sizeof(a), sys->memory);
    fprintf(out, "memory     %llu bytes (%s)\n", (unsigned long long)sys->memory, a);
    fprintf(out, "planned    %llu bytes, %llu free\n", (unsigned long long)sys->plan_bytes,
            (unsigned long long)(sys->memory - sys->plan_bytes));
    fprintf(out, "  objects      %llu bytes in %zu kernel objects (ULMM pools: %llu bytes)\n",
            (unsigned long long)sys->object_bytes, sys->plan.count,
            (unsigned long long)sys->pool_bytes);
    fprintf(out, "  page tables  %llu bytes\n", (unsigned long long)sys->table_bytes);
    if (sys->images_counted)
        fprintf(out, "  image frames %llu bytes\n", (unsigned long long)sys->image_bytes);
    else
        fprintf(out, "  image frames not counted (no --images): their frames and page tables "
                     "come on top\n");
    fprintf(out,
            "alpha      %llu of %u root slots, %llu of %u capability records, %llu of %u "
            "image pages\n",
            (unsigned long long)sys->alpha_slots, ALPHA_SCRATCH_SLOTS,
            (unsigned long long)sys->alpha_records, ALPHA_MAX_RECORDS,
            (unsigned long long)sys->alpha_image_pages, ALPHA_MAX_IMAGE_PAGES);
    fprintf(out, "kernel     %u of %u images, %u of %u ASID Pools, %u of %u interrupt lines\n",
            sys->images, CAPGEN_MAX_IMAGES, sys->asid_pools, CAPGEN_MAX_ASID_POOLS, sys->irq_lines,
            CAPGEN_IRQ_DEVICE_LINES);

    fprintf(out, "\nobjects (creation order: largest first, then by name)\n");
    fprintf(out, "  %-11s %-18s %-8s %s\n", "index", "type", "size", "name");
    for (size_t i = 0; i < sys->plan.count;) {
        const struct plan_object *po = sys->plan.items[i];
        char index[24];
        format_size(a, sizeof(a), plan_bytes_of(po));
        if (po->group_count > 1) {
            snprintf(index, sizeof(index), "%zu-%zu", i, i + po->group_count - 1);
            snprintf(b, sizeof(b), "%ux%s", po->group_count, a);
        } else {
            snprintf(index, sizeof(index), "%zu", i);
            snprintf(b, sizeof(b), "%s", a);
        }
        fprintf(out, "  %-11s %-18s %-8s %s\n", index, capgen_type_word(po->type, "frame"), b,
                po->name);
        i += po->group_count > 0 ? po->group_count : 1;
    }

    fprintf(out, "\nprocesses (start order: highest priority first)\n");
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        format_size(a, sizeof(a), p->stack);
        fprintf(out, "\n%s: image %s.elf, priority %u, stack %s, node radix %u (%u slots)\n",
                p->name, p->image, p->priority, a, p->radix, 1u << p->radix);
        static const char *const policies[] = {"stop", "restart", "halt"};
        if (p->resolver)
            fprintf(out, "  resolver %s", p->resolver->name);
        else
            fprintf(out, "  faults to Alpha (%s)", policies[p->fault_policy]);
        fprintf(out, ", page tables %llu", (unsigned long long)p->page_tables);
        if (p->image_known)
            fprintf(out, ", image pages %llu", (unsigned long long)p->image_pages);
        fprintf(out, "\n");
        struct cap **caps = caps_by_slot(p);
        if (p->caps.count)
            fprintf(out, "  %-7s %-20s %-36s %-6s %s\n", "slot", "name", "object", "rights",
                    "badge");
        for (size_t j = 0; j < p->caps.count; j++) {
            const struct cap *c = caps[j];
            char slot[24], what[128], badge[24];
            if (c->count > 1)
                snprintf(slot, sizeof(slot), "%u-%u", c->slot, c->slot + c->count - 1);
            else
                snprintf(slot, sizeof(slot), "%u", c->slot);
            switch (c->kind) {
            case CAP_OBJECT:
                snprintf(what, sizeof(what), "%s %s", object_kind_name(c->object->kind),
                         c->object->name);
                break;
            case CAP_POOL:
                snprintf(what, sizeof(what), "generic %s", c->pool->object_name);
                break;
            case CAP_IO_PORT:
                snprintf(what, sizeof(what), "io_port 0x%x-0x%x", c->io_first, c->io_last);
                break;
            case CAP_IRQ:
                snprintf(what, sizeof(what), "interrupt %u", c->irq);
                break;
            case CAP_DEBUG:
                snprintf(what, sizeof(what), "debug");
                break;
            case CAP_IRQ_REGION:
                snprintf(what, sizeof(what), "interrupt_region");
                break;
            case CAP_ASID_POOL:
                snprintf(what, sizeof(what), "asid_pool");
                break;
            case CAP_IMAGE:
                snprintf(what, sizeof(what), "image frames");
                break;
            case CAP_SELF:
                snprintf(what, sizeof(what), "self %s",
                         c->self == SELF_NODE      ? "node"
                         : c->self == SELF_PROCESS ? "process"
                                                   : "address_space");
                break;
            }
            format_rights(rights, c->rights);
            if (c->has_badge)
                snprintf(badge, sizeof(badge), "%llu", (unsigned long long)c->badge);
            else
                snprintf(badge, sizeof(badge), "-");
            fprintf(out, "  %-7s %-20s %-36s %-6s %s\n", slot, c->name, what, rights, badge);
        }
        free(caps);
        for (size_t j = 0; j < p->maps.count; j++) {
            const struct map *m = p->maps.items[j];
            fprintf(out, "  map 0x%llx-0x%llx %s r%s%s\n", (unsigned long long)m->address,
                    (unsigned long long)(m->address + m->object->size), m->object->name,
                    m->attributes & A9N_MAP_WRITE ? "w" : "",
                    m->attributes & A9N_MAP_EXECUTE ? "x" : "");
        }
        for (size_t j = 0; j < p->pools.count; j++) {
            const struct pool *pl = p->pools.items[j];
            format_size(a, sizeof(a), pl->bytes);
            format_size(b, sizeof(b), 1ull << pl->bits);
            if (pl->type == A9N_OBJECT_GENERIC)
                fprintf(out, "  buddy pool %s\n", b);
            else
                fprintf(out, "  slab %s: %llu objects, %s in a %s generic\n", pl->key,
                        (unsigned long long)pl->count, a, b);
        }
    }

    fprintf(out, "\ninterrupts\n");
    bool any = false;
    for (unsigned line = 0; line <= CAPGEN_IRQ_MAX; line++) {
        for (size_t i = 0; i < sys->processes.count; i++) {
            const struct process *p = sys->processes.items[i];
            for (size_t j = 0; j < p->caps.count; j++) {
                const struct cap *c = p->caps.items[j];
                if (c->kind != CAP_IRQ || c->irq != line)
                    continue;
                fprintf(out, "  %u: %s.%s, notifies %s\n", line, p->name, c->name,
                        c->notification ? c->notification->name : "-");
                any = true;
            }
        }
    }
    if (!any)
        fprintf(out, "  none\n");
    fprintf(out, "\nio ports (by first port)\n");
    size_t n = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++)
            n += ((const struct cap *)p->caps.items[j])->kind == CAP_IO_PORT;
    }
    const struct cap **io = calloc(n + 1, sizeof(*io));
    if (!io)
        abort();
    n = 0;
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        for (size_t j = 0; j < p->caps.count; j++)
            if (((const struct cap *)p->caps.items[j])->kind == CAP_IO_PORT)
                io[n++] = p->caps.items[j];
    }
    qsort(io, n, sizeof(*io), by_io_range);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "  0x%x-0x%x: %s.%s\n", io[k]->io_first, io[k]->io_last, io[k]->owner->name,
                io[k]->name);
    any = n > 0;
    free((void *)io);
    if (!any)
        fprintf(out, "  none\n");
}
