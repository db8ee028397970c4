/*
 * The complete expected state, process by process: what Alpha reads back from the kernel
 * after building the system must be exactly this text (docs/chapters/alpha.typ). One block
 * per process in start order:
 *
 *   process NAME priority P stack_pointer 0xSP
 *     entry 0xIP                        (placeholder "entry of IMAGE.elf" if the image is unknown)
 *     node NAME.node radix R            the Process's own slots: its configuration
 *     address_space NAME.address_space
 *     ipc_buffer NAME.ipc_buffer
 *     resolver PORT | resolver -
 *     notification -
 *     exit_notice NOTIFICATION badge B     (only when declared: B = 1 << (client badge - 1))
 *     slot N TYPE IDENTITY RIGHTS [badge B] (NAME)   every slot of its Node, in slot order
 *     image 0xVA RIGHTS NAME.image+K          every page of its image (placeholder "image
 *                                             IMAGE.elf" if the image is unknown)
 *     map 0xVA RIGHTS IDENTITY                every other page mapped, in address order
 *
 * IDENTITY is the declared name of the object (NAME+K for page K of a region, a stack or an
 * image), an IO port range, an interrupt line and its notification, or debug /
 * interrupt_region. NAME is the slot's declared name: Alpha copies it from the expected line
 * of the same slot number (it labels the slot; it is not a fact to verify). Slot lines of an
 * `image_frames` capability are a placeholder ("slot N frames of IMAGE.elf RIGHTS (NAME)")
 * when the image is unknown.
 */
#include "capgen.h"

#include <alpha_spec.h>
#include <stdlib.h>
#include <string.h>

/* The name of page `k` of a plan group: "name" alone for a group of one. */
static void identity(char *buf, size_t len, const struct system *sys, uint32_t index)
{
    const struct plan_object *po = sys->plan.items[index];
    if (po->group_count > 1)
        snprintf(buf, len, "%s+%u", po->name, po->group_index);
    else
        snprintf(buf, len, "%s", po->name);
}

static void map_rights(char *buf, unsigned attributes)
{
    buf[0] = 'r';
    buf[1] = (attributes & A9N_MAP_WRITE) ? 'w' : '-';
    buf[2] = (attributes & A9N_MAP_EXECUTE) ? 'x' : '-';
    buf[3] = 0;
}

static int by_slot(const void *x, const void *y)
{
    const struct cap *a = *(struct cap *const *)x, *b = *(struct cap *const *)y;
    return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* The pages of the image in load order (segment by segment, page by page), as Alpha loads
 * them: page k is NAME.image+k. */
struct image_page {
    uint64_t vaddr;
    unsigned attributes;
};

static size_t image_page_list(const struct process *p, struct image_page **out)
{
    size_t n = 0, cap = 16;
    struct image_page *pages = malloc(cap * sizeof(*pages));
    for (size_t i = 0; pages != NULL && i < p->segment_count; i++) {
        const struct segment *s = &p->segments[i];
        unsigned attributes = A9N_MAP_READ | ((s->flags & 2) ? A9N_MAP_WRITE : 0) |
                              ((s->flags & 1) ? A9N_MAP_EXECUTE : 0);
        for (uint64_t va = s->vaddr & ~(CAPGEN_PAGE - 1); va < s->vaddr + s->memsz;
             va += CAPGEN_PAGE) {
            if (n == cap) {
                cap *= 2;
                struct image_page *more = realloc(pages, cap * sizeof(*pages));
                if (more == NULL)
                    break;
                pages = more;
            }
            pages[n++] = (struct image_page){va, attributes};
        }
    }
    if (pages == NULL) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    *out = pages;
    return n;
}

static void slot_line(FILE *out, const struct system *sys, const struct process *p,
                      const struct cap *c, size_t image_count)
{
    char rights[8], name[160];
    format_rights(rights, c->rights);
    switch (c->kind) {
    case CAP_OBJECT:
        for (uint32_t k = 0; k < c->count; k++) {
            const struct plan_object *po = sys->plan.items[c->object->spec_index + k];
            identity(name, sizeof name, sys, c->object->spec_index + k);
            fprintf(out, "  slot %u %s %s %s", c->slot + k, capgen_type_word(po->type, "memory"),
                    name, rights);
            if (c->badge != 0)
                fprintf(out, " badge %llu", (unsigned long long)c->badge);
            fprintf(out, " (%s)\n", c->name);
        }
        break;
    case CAP_POOL:
        fprintf(out, "  slot %u generic %s %s (%s)\n", c->slot, c->pool->object_name, rights,
                c->name);
        break;
    case CAP_IO_PORT:
        fprintf(out, "  slot %u io_port 0x%x-0x%x %s (%s)\n", c->slot, c->io_first, c->io_last,
                rights, c->name);
        break;
    case CAP_IRQ:
        if (c->notification)
            fprintf(out, "  slot %u interrupt %u -> %s %s (%s)\n", c->slot, c->irq,
                    c->notification->name, rights, c->name);
        else
            fprintf(out, "  slot %u interrupt %u %s (%s)\n", c->slot, c->irq, rights, c->name);
        break;
    case CAP_DEBUG:
        fprintf(out, "  slot %u debug debug %s (%s)\n", c->slot, rights, c->name);
        break;
    case CAP_IRQ_REGION:
        fprintf(out, "  slot %u interrupt_region interrupt_region %s (%s)\n", c->slot, rights,
                c->name);
        break;
    case CAP_ASID_POOL:
        /* A pool of its own that Alpha makes for this capability (not a planned object),
         * named after the capability: the same pool in two slots shows as a difference. */
        fprintf(out, "  slot %u asid_pool %s.%s %s (%s)\n", c->slot, p->name, c->name, rights,
                c->name);
        break;
    case CAP_SELF: {
        uint32_t own = c->self == SELF_NODE      ? p->spec_node
                       : c->self == SELF_PROCESS ? p->spec_process
                                                 : p->spec_address_space;
        const struct plan_object *po = sys->plan.items[own];
        fprintf(out, "  slot %u %s %s %s (%s)\n", c->slot, capgen_type_word(po->type, "memory"),
                po->name, rights, c->name);
        break;
    }
    case CAP_IMAGE:
        if (!p->image_known) {
            fprintf(out, "  slot %u frames of %s.elf %s (%s)\n", c->slot, p->image, rights,
                    c->name);
            break;
        }
        for (size_t k = 0; k < image_count; k++)
            fprintf(out, "  slot %zu memory %s.image+%zu %s (%s)\n", c->slot + k, p->name, k,
                    rights, c->name);
        break;
    }
}

/* Declared maps, stack and IPC buffer: one line per page, in address order. */
struct map_line {
    uint64_t vaddr;
    unsigned attributes;
    uint32_t object; /* plan index */
};

static int by_vaddr(const void *x, const void *y)
{
    const struct map_line *a = x, *b = y;
    return a->vaddr < b->vaddr ? -1 : a->vaddr > b->vaddr;
}

static void map_lines(FILE *out, const struct system *sys, const struct process *p)
{
    size_t n = (size_t)(p->stack / CAPGEN_PAGE) + 1;
    for (size_t j = 0; j < p->maps.count; j++)
        n += ((const struct map *)p->maps.items[j])->object->pages;
    struct map_line *lines = calloc(n, sizeof(*lines));
    if (lines == NULL) {
        fputs("capgen: out of memory\n", stderr);
        exit(2);
    }
    size_t m = 0;
    uint64_t stack_pages = p->stack / CAPGEN_PAGE, bottom = ALPHA_STACK_TOP - p->stack;
    for (uint64_t k = 0; k < stack_pages; k++)
        lines[m++] = (struct map_line){bottom + k * CAPGEN_PAGE, A9N_MAP_READ | A9N_MAP_WRITE,
                                       p->spec_stack + (uint32_t)k};
    lines[m++] =
        (struct map_line){ALPHA_IPC_BUFFER, A9N_MAP_READ | A9N_MAP_WRITE, p->spec_ipc_buffer};
    for (size_t j = 0; j < p->maps.count; j++) {
        const struct map *mp = p->maps.items[j];
        uint64_t page = 1ull << mp->object->page_bits;
        for (uint32_t k = 0; k < mp->object->pages; k++)
            lines[m++] = (struct map_line){mp->address + k * page, mp->attributes | A9N_MAP_READ,
                                           mp->object->spec_index + k};
    }
    qsort(lines, m, sizeof(*lines), by_vaddr);
    for (size_t k = 0; k < m; k++) {
        char rights[4], name[160];
        map_rights(rights, lines[k].attributes);
        identity(name, sizeof name, sys, lines[k].object);
        fprintf(out, "  map 0x%llx %s %s\n", (unsigned long long)lines[k].vaddr, rights, name);
    }
    free(lines);
}

void state_text(FILE *out, const struct system *sys)
{
    fprintf(out, "state %s: %zu processes\n", sys->name, sys->processes.count);
    for (size_t i = 0; i < sys->processes.count; i++) {
        const struct process *p = sys->processes.items[i];
        fprintf(out, "process %s priority %u stack_pointer 0x%llx\n", p->name, p->priority,
                (unsigned long long)(ALPHA_STACK_TOP - 16));
        struct image_page *pages = NULL;
        size_t image_count = p->image_known ? image_page_list(p, &pages) : 0;
        if (p->image_known)
            fprintf(out, "  entry 0x%llx\n", (unsigned long long)p->entry);
        else
            fprintf(out, "  entry of %s.elf\n", p->image);
        fprintf(out, "  node %s.node radix %u\n", p->name, p->radix);
        fprintf(out, "  address_space %s.address_space\n", p->name);
        fprintf(out, "  ipc_buffer %s.ipc_buffer\n", p->name);
        /* Without a resolver of its own, a process's faults go to Alpha, the supervisor. */
        fprintf(out, "  resolver %s\n", p->resolver ? p->resolver->name : "alpha.supervisor");
        fprintf(out, "  notification -\n");
        if (p->exit_notice)
            fprintf(out, "  exit_notice %s badge %llu\n", p->exit_notice->name,
                    (unsigned long long)p->exit_notice_identifier);
        struct cap **caps = calloc(p->caps.count + 1, sizeof(*caps));
        if (caps == NULL) {
            fputs("capgen: out of memory\n", stderr);
            exit(2);
        }
        if (p->caps.count)
            memcpy(caps, p->caps.items, p->caps.count * sizeof(*caps));
        qsort(caps, p->caps.count, sizeof(*caps), by_slot);
        for (size_t j = 0; j < p->caps.count; j++)
            slot_line(out, sys, p, caps[j], image_count);
        free(caps);
        if (p->image_known) {
            for (size_t k = 0; k < image_count; k++) {
                char rights[4];
                map_rights(rights, pages[k].attributes);
                fprintf(out, "  image 0x%llx %s %s.image+%zu\n", (unsigned long long)pages[k].vaddr,
                        rights, p->name, k);
            }
        } else {
            fprintf(out, "  image %s.elf\n", p->image);
        }
        free(pages);
        map_lines(out, sys, p);
    }
}
