/*
 * Building the first process (see root.h). Memory for its own objects comes from a bump
 * allocator over free RAM; whatever RAM is left afterwards becomes Generics, each a
 * naturally aligned power-of-two block. Nothing here is reachable from user mode until the
 * process starts, so boot code may build objects directly instead of through invocations.
 */
#include <core/root.h>

#include <a9n/abi.h>
#include <a9n/vspace.h>
#include <core/captree.h>
#include <core/generic.h>
#include <core/object.h>
#include <core/run.h>
#include <core/slot.h>
#include <core/asid.h>
#include <core/vspace.h>
#include <hal/hal_user.h>
#include <hal/hal_vspace.h>
#include <elf_reader.h>
#include <kernel/kprintf.h>
#include <kernel/panic.h>
#include <string.h>

enum { MAX_PIECES = 256, PAGE = 4096 };

#define LOW_MEMORY_END 0x100000ull /* the first MiB stays with the firmware */

struct piece {
    uint64_t start, end;
};

static struct piece pieces[MAX_PIECES];
static unsigned piece_count;

/* Free RAM: available regions above 1 MiB, minus the reserved ranges, page aligned. */
static void collect_free_memory(const struct boot_info *boot)
{
    piece_count = 0;
    for (size_t i = 0; i < boot->region_count; i++) {
        const struct boot_mem_region *r = &boot->regions[i];
        if (r->type != BOOT_MEM_AVAILABLE || r->length == 0)
            continue;
        uint64_t start = (r->base + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        uint64_t end = (r->base + r->length) & ~(uint64_t)(PAGE - 1);
        if (start < LOW_MEMORY_END)
            start = LOW_MEMORY_END;
        if (start < end && piece_count < MAX_PIECES)
            pieces[piece_count++] = (struct piece){start, end};
    }
    /* Cut out every reserved range (kernel image, boot information, modules). */
    for (size_t k = 0; k < boot->reserved_count + boot->module_count; k++) {
        uint64_t rs, re;
        if (k < boot->reserved_count) {
            rs = boot->reserved[k].start;
            re = boot->reserved[k].end;
        } else {
            rs = boot->modules[k - boot->reserved_count].start;
            re = boot->modules[k - boot->reserved_count].end;
        }
        rs &= ~(uint64_t)(PAGE - 1);
        re = (re + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        for (unsigned i = 0; i < piece_count; i++) {
            struct piece *p = &pieces[i];
            if (re <= p->start || rs >= p->end)
                continue;
            if (rs > p->start && re < p->end && piece_count < MAX_PIECES) {
                pieces[piece_count++] = (struct piece){re, p->end}; /* split in two */
                p->end = rs;
            } else if (rs <= p->start) {
                p->start = re < p->end ? re : p->end;
            } else {
                p->end = rs;
            }
        }
    }
}

/* Whether boot_alloc clears what it gives: load_image takes its frames uncleared and clears
 * only the bytes the file does not fill (most of an image's pages are all file). */
static bool boot_alloc_clears = true;

/* Boot allocation: `1 << bits` bytes aligned to their size, zeroed (see above). */
static paddr_t boot_alloc(unsigned bits)
{
    uint64_t size = 1ull << bits;
    for (unsigned i = 0; i < piece_count; i++) {
        struct piece *p = &pieces[i];
        uint64_t at = (p->start + size - 1) & ~(size - 1);
        if (at < p->end && p->end - at >= size) {
            if (at != p->start && piece_count < MAX_PIECES)
                pieces[piece_count++] = (struct piece){p->start, at}; /* keep the gap */
            p->start = at + size;
            if (boot_alloc_clears)
                memset(hal_phys_to_virt(at), 0, size);
            return at;
        }
    }
    panic("root: out of memory for the first process (%lu bytes)", size);
}

struct root_builder {
    struct cap_slot *node;  /* the root Node's slots */
    struct cap_slot *last;  /* the last root capability, for the derivation list */
    unsigned next_variable; /* next free slot of the variable ranges */
    unsigned radix;         /* the root Node has 2^radix slots */
    uint64_t tables_for;    /* 1 + the last 2 MiB region ensure_tables completed (0: none) */
    struct cap_slot *as;    /* the Address Space capability */
    struct a9n_boot_info *info;
    unsigned page_tables, frames;
};

/* Places a new boot capability (a derivation root) in slot `index`. */
static struct cap_slot *put(struct root_builder *b, unsigned index, struct cap c)
{
    struct cap_slot *s = &b->node[index];
    s->cap = c;
    captree_insert_root(b->last, s);
    b->last = s;
    return s;
}

static struct cap_slot *put_object(struct root_builder *b, unsigned index, unsigned type,
                                   unsigned bits)
{
    struct cap c;
    paddr_t pa = boot_alloc(bits);
    /* object_create did the type's own setup (an Address Space's root; a pool's entry in
     * the directory): doing it again here once cost the boot an ASID. */
    object_create(&c, type, pa, bits, false);
    return put(b, index, c);
}

static unsigned variable_slot(struct root_builder *b)
{
    if (b->next_variable >= (1u << b->radix))
        panic("root: the root Node is full");
    return b->next_variable++;
}

/* Makes page tables until a 4 KiB page at `va` can be mapped. */
static void ensure_tables(struct root_builder *b, uint64_t va)
{
    /* One page table covers 2 MiB, and none goes away while the process is built: a page in
     * the region done last needs no walk (most of them: the image's, the modules'). */
    uint64_t region = (va >> 21) + 1;
    if (b->tables_for == region)
        return;
    void *root = vspace_root(&b->as->cap);
    while (hal_vspace_missing_level(root, va) >= 0) {
        struct cap_slot *t =
            put_object(b, variable_slot(b), A9N_OBJECT_PAGE_TABLE, A9N_PAGE_TABLE_BITS);
        b->page_tables++;
        if (vspace_map(&b->as->cap, &t->cap, va, 0) != A9N_SUCCESS)
            panic("root: cannot map a page table for 0x%lx", va);
    }
    b->tables_for = region;
}

/* Maps a new frame at `va` (its tables exist); returns its kernel address. */
static void *map_new_frame(struct root_builder *b, uint64_t va, unsigned attributes, unsigned slot)
{
    struct cap_slot *f = put_object(b, slot, A9N_OBJECT_FRAME, A9N_FRAME_BITS);
    a9n_error e = vspace_map(&b->as->cap, &f->cap, va, attributes);
    if (e != A9N_SUCCESS)
        panic("root: cannot map 0x%lx (error %u)", va, e);
    return hal_phys_to_virt(f->cap.object);
}

/* Every page the first process has, in one walk: its image, then its stack. */
#define FOR_EACH_PAGE(img, seg, page)                                                              \
    for (unsigned seg##_i = 0; seg##_i < (img)->count; seg##_i++)                                  \
        for (const struct elf_segment *seg = &(img)->segments[seg##_i]; seg != NULL; seg = NULL)   \
            for (uint64_t page = seg->vaddr & ~(uint64_t)(PAGE - 1);                               \
                 page < seg->vaddr + seg->memsz; page += PAGE)

static void load_image(struct root_builder *b, const struct elf_image *img, const uint8_t *data)
{
    FOR_EACH_PAGE(img, s, page)
    {
        unsigned attributes = ((s->flags & ELF_SEGMENT_W) ? A9N_MAP_WRITE : 0) |
                              ((s->flags & ELF_SEGMENT_X) ? A9N_MAP_EXECUTE : 0);
        boot_alloc_clears = false;
        uint8_t *dst = map_new_frame(b, page, attributes, variable_slot(b));
        boot_alloc_clears = true;
        b->frames++;
        /* The file bytes that fall into this page; every other byte becomes zero (bss, and
         * what lies around a segment in its first and last page). */
        uint64_t lo = page > s->vaddr ? page : s->vaddr;
        uint64_t hi = page + PAGE < s->vaddr + s->filesz ? page + PAGE : s->vaddr + s->filesz;
        if (lo < hi) {
            memset(dst, 0, lo - page);
            memcpy(dst + (lo - page), data + s->offset + (lo - s->vaddr), hi - lo);
            memset(dst + (hi - page), 0, PAGE - (hi - page));
        } else {
            memset(dst, 0, PAGE);
        }
    }
}

/* Where each further boot module goes in the first process (page aligned, one after the
 * other); returns how many there are (at most A9N_BOOT_INFO_MODULE_MAX). */
static unsigned plan_modules(const struct boot_info *boot, uint64_t *va)
{
    unsigned n = boot->module_count > 1 ? (unsigned)boot->module_count - 1 : 0;
    if (n > A9N_BOOT_INFO_MODULE_MAX) {
        kprintf("root: %u boot modules, only %u are passed on\n", n, A9N_BOOT_INFO_MODULE_MAX);
        n = A9N_BOOT_INFO_MODULE_MAX;
    }
    uint64_t at = A9N_BOOT_MODULES_ADDRESS;
    for (unsigned i = 0; i < n; i++) {
        const struct boot_module *m = &boot->modules[1 + i];
        uint64_t first = m->start & ~(uint64_t)(PAGE - 1);
        va[i] = at;
        at += (m->end - first + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    }
    return n;
}

/* The further boot modules, in place: read-only Frames over their pages (never cleared,
 * never part of a Generic), mapped read-only in the first process. */
static void give_modules(struct root_builder *b, const struct boot_info *boot, unsigned n,
                         const uint64_t *va)
{
    struct a9n_boot_info *info = b->info;
    info->module_count = n;
    info->module_table_address = A9N_BOOT_MODULE_TABLE_ADDRESS;
    /* The table's pages, read-only for the process, one after the other in the kernel's
     * direct map (each filled through its own view). */
    struct a9n_boot_module *pages[A9N_BOOT_MODULE_TABLE_PAGES];
    for (unsigned k = 0; k < A9N_BOOT_MODULE_TABLE_PAGES; k++) {
        unsigned slot = variable_slot(b);
        pages[k] = map_new_frame(b, A9N_BOOT_MODULE_TABLE_ADDRESS + (uint64_t)k * PAGE, 0, slot);
        b->node[slot].cap.rights &= (uint8_t) ~(A9N_RIGHT_WRITE);
    }
    enum { PER_PAGE = PAGE / sizeof(struct a9n_boot_module) };
    for (unsigned i = 0; i < n; i++) {
        const struct boot_module *m = &boot->modules[1 + i];
        struct a9n_boot_module *out = &pages[i / PER_PAGE][i % PER_PAGE];
        uint64_t first = m->start & ~(uint64_t)(PAGE - 1);
        out->address = va[i] + (m->start - first);
        out->size = m->end - m->start;
        out->frame_first = b->next_variable;
        for (uint64_t pa = first; pa < m->end; pa += PAGE) {
            struct cap c;
            object_create(&c, A9N_OBJECT_FRAME, pa, A9N_FRAME_BITS, false);
            c.rights = A9N_RIGHT_READ | A9N_RIGHT_COPY;
            struct cap_slot *f = put(b, variable_slot(b), c);
            if (vspace_map(&b->as->cap, &f->cap, va[i] + (pa - first), 0) != A9N_SUCCESS)
                panic("root: cannot map boot module \"%s\"", m->cmdline);
            out->frame_count++;
        }
        size_t len = 0;
        while (m->cmdline[len] != '\0' && len + 1 < A9N_BOOT_MODULE_NAME_MAX) {
            out->name[len] = m->cmdline[len];
            len++;
        }
        out->name[len] = '\0';
    }
}

static void give_generics(struct root_builder *b)
{
    struct a9n_boot_info *info = b->info;
    info->generic_first = b->next_variable;
    uint64_t dropped = 0;
    for (unsigned i = 0; i < piece_count; i++) {
        uint64_t at = pieces[i].start, end = pieces[i].end;
        while (end - at >= PAGE) {
            /* The largest block that is aligned at `at` and fits. */
            unsigned bits = at == 0 ? 63 : (unsigned)__builtin_ctzll(at);
            while (bits > 12 && (bits > A9N_GENERIC_MAX_BITS || (1ull << bits) > end - at))
                bits--;
            if (info->generic_count == A9N_BOOT_INFO_GENERIC_MAX) {
                dropped += end - at;
                break;
            }
            struct cap c;
            generic_make_root(&c, at, bits, false);
            put(b, variable_slot(b), c);
            info->generics[info->generic_count++] =
                (struct a9n_boot_generic){.base = at, .bits_flags = bits};
            at += 1ull << bits;
        }
    }
    if (dropped != 0)
        kprintf("root: %lu KiB of RAM left out (more than %u Generics)\n", dropped >> 10,
                A9N_BOOT_INFO_GENERIC_MAX);
}

static void install(struct process *p, unsigned process_slot, struct cap_slot *from)
{
    slot_copy(from, &p->slots[process_slot], A9N_RIGHTS_ALL);
}

/* The kernel's boot capabilities in the variable ranges, at most: page tables (every 2 MiB
 * region the walk below enters may need a table of each level under the root), the image's
 * and the stack's frames, the module table's and the modules' frames, and the most Generics
 * the boot info describes (how many there are depends on what the boot allocations leave of
 * free memory, which depends on this Node's size). It walks the pages root_create maps, in
 * the same order. */
struct region_count {
    uint64_t last; /* 1 + the last 2 MiB region counted (0: none) */
    unsigned tables;
};

static void count_region(struct region_count *c, uint64_t va)
{
    if (c->last != (va >> 21) + 1)
        c->tables += HAL_VSPACE_ROOT_LEVEL;
    c->last = (va >> 21) + 1;
}

static unsigned boot_slots_bound(const struct boot_info *boot, const struct elf_image *img,
                                 unsigned modules, const uint64_t *module_va)
{
    struct region_count c = {0, 0};
    unsigned frames = ROOT_STACK_PAGES + A9N_BOOT_MODULE_TABLE_PAGES;
    count_region(&c, ROOT_BOOT_INFO_ADDRESS);
    count_region(&c, ROOT_IPC_BUFFER_ADDRESS);
    for (unsigned k = 0; k < A9N_BOOT_MODULE_TABLE_PAGES; k++)
        count_region(&c, A9N_BOOT_MODULE_TABLE_ADDRESS + (uint64_t)k * PAGE);
    FOR_EACH_PAGE(img, s, page)
    {
        count_region(&c, page);
        frames++;
    }
    for (unsigned i = 0; i < ROOT_STACK_PAGES; i++)
        count_region(&c, ROOT_STACK_BOTTOM + (uint64_t)i * PAGE);
    for (unsigned i = 0; i < modules; i++) {
        const struct boot_module *bm = &boot->modules[1 + i];
        uint64_t first = bm->start & ~(uint64_t)(PAGE - 1);
        for (uint64_t pa = first; pa < bm->end; pa += PAGE) {
            count_region(&c, module_va[i] + (pa - first));
            frames++;
        }
    }
    return A9N_ROOT_SLOT_VARIABLE + c.tables + frames + A9N_BOOT_INFO_GENERIC_MAX;
}

/* The root Node's radix: room for the kernel's boot capabilities (at most `boot_slots`) and
 * the slots the first process's image asks for after them (its note, a9n/boot.h), at least
 * A9N_ROOT_NODE_RADIX_MIN; no note, or more than the largest Node holds: the largest. Every
 * slot of the Node is cleared here, one store a word: 4 MiB at radix 16, 128 KiB at 11. */
static unsigned root_radix(const struct boot_module *m, unsigned boot_slots)
{
    uint64_t after;
    if (!elf_note_word(hal_phys_to_virt(m->start), m->end - m->start, A9N_NOTE_OWNER,
                       A9N_NOTE_ROOT_SLOTS, &after) ||
        after > (1ull << A9N_ROOT_NODE_RADIX))
        return A9N_ROOT_NODE_RADIX;
    unsigned radix = A9N_ROOT_NODE_RADIX_MIN;
    while (radix < A9N_ROOT_NODE_RADIX && (1ull << radix) < boot_slots + after)
        radix++;
    return radix;
}

void root_create(const struct boot_info *boot)
{
    if (boot->module_count == 0)
        panic("root: no boot module: nothing to run");
    collect_free_memory(boot);

    const struct boot_module *m = &boot->modules[0];
    const uint8_t *data = hal_phys_to_virt(m->start);
    struct elf_image img;
    int err = elf_parse(data, m->end - m->start, 0x1000, ROOT_BOOT_INFO_ADDRESS, &img);
    if (err != ELF_OK)
        panic("root: module \"%s\" is not a loadable program: %s", m->cmdline, elf_strerror(err));
    uint64_t module_va[A9N_BOOT_INFO_MODULE_MAX];
    unsigned modules = plan_modules(boot, module_va);

    struct root_builder b = {.next_variable = A9N_ROOT_SLOT_VARIABLE,
                             .radix =
                                 root_radix(m, boot_slots_bound(boot, &img, modules, module_va))};
    /* The root Node first: every other capability lives in it. */
    unsigned node_bits = A9N_SLOT_BITS + b.radix;
    struct cap node_cap;
    object_create(&node_cap, A9N_OBJECT_NODE, boot_alloc(node_bits), node_bits, false);
    b.node = cap_node_slots(&node_cap);
    struct cap_slot *node_slot = put(&b, A9N_ROOT_SLOT_NODE, node_cap);

    struct cap_slot *pcb =
        put_object(&b, A9N_ROOT_SLOT_PROCESS, A9N_OBJECT_PROCESS, A9N_PROCESS_BITS);
    b.as = put_object(&b, A9N_ROOT_SLOT_ADDRESS_SPACE, A9N_OBJECT_ADDRESS_SPACE,
                      A9N_ADDRESS_SPACE_BITS);
    /* The first process's ASID comes from a pool it holds; with ASID Control it makes more
     * pools (from its own memory) for whoever it lets make Address Spaces. */
    struct cap_slot *pool =
        put_object(&b, A9N_ROOT_SLOT_ASID_POOL, A9N_OBJECT_ASID_POOL, A9N_ASID_POOL_BITS);
    if (asid_assign(&pool->cap, &b.as->cap) != A9N_SUCCESS)
        panic("root: no ASID for the first process");
    put(&b, A9N_ROOT_SLOT_ASID_CONTROL,
        (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL});
    put(&b, A9N_ROOT_SLOT_INTERRUPT_REGION,
        (struct cap){.type = A9N_OBJECT_INTERRUPT_REGION, .rights = A9N_RIGHTS_ALL});
    put(&b, A9N_ROOT_SLOT_IO_PORT,
        (struct cap){.type = A9N_OBJECT_IO_PORT, .rights = A9N_RIGHTS_ALL, .data = {0, 0xffff}});
    put(&b, A9N_ROOT_SLOT_DEBUG, (struct cap){.type = A9N_OBJECT_DEBUG, .rights = A9N_RIGHTS_ALL});

    /* Page tables first, so that they and the frames each fill one run of slots. */
    unsigned page_table_first = b.next_variable;
    ensure_tables(&b, ROOT_BOOT_INFO_ADDRESS);
    ensure_tables(&b, ROOT_IPC_BUFFER_ADDRESS);
    for (unsigned k = 0; k < A9N_BOOT_MODULE_TABLE_PAGES; k++)
        ensure_tables(&b, A9N_BOOT_MODULE_TABLE_ADDRESS + (uint64_t)k * PAGE);
    FOR_EACH_PAGE(&img, s, page)
    ensure_tables(&b, page);
    for (unsigned i = 0; i < ROOT_STACK_PAGES; i++)
        ensure_tables(&b, ROOT_STACK_BOTTOM + (uint64_t)i * PAGE);
    for (unsigned i = 0; i < modules; i++) {
        const struct boot_module *bm = &boot->modules[1 + i];
        for (uint64_t pa = bm->start & ~(uint64_t)(PAGE - 1); pa < bm->end; pa += PAGE)
            ensure_tables(&b, module_va[i] + (pa - (bm->start & ~(uint64_t)(PAGE - 1))));
    }

    /* The boot info frame (read-only for the process) and the IPC buffer. */
    b.info = map_new_frame(&b, ROOT_BOOT_INFO_ADDRESS, 0, A9N_ROOT_SLOT_BOOT_INFO);
    b.node[A9N_ROOT_SLOT_BOOT_INFO].cap.rights &= (uint8_t) ~(A9N_RIGHT_WRITE);
    struct cap_slot *ipc = &b.node[A9N_ROOT_SLOT_IPC_BUFFER];
    map_new_frame(&b, ROOT_IPC_BUFFER_ADDRESS, A9N_MAP_WRITE, A9N_ROOT_SLOT_IPC_BUFFER);

    struct a9n_boot_info *info = b.info;
    info->magic = A9N_BOOT_INFO_MAGIC;
    info->version = A9N_BOOT_INFO_VERSION;
    info->root_node_radix = b.radix;
    info->kernel_entry_timestamp = boot->entry_timestamp;
    info->ipc_buffer_address = ROOT_IPC_BUFFER_ADDRESS;
    info->boot_info_address = ROOT_BOOT_INFO_ADDRESS;
    info->page_table_first = page_table_first;
    info->page_table_count = b.page_tables;

    info->image_frame_first = b.next_variable;
    load_image(&b, &img, data);
    for (unsigned i = 0; i < ROOT_STACK_PAGES; i++) {
        map_new_frame(&b, ROOT_STACK_BOTTOM + (uint64_t)i * PAGE, A9N_MAP_WRITE, variable_slot(&b));
        b.frames++;
    }
    info->image_frame_count = b.frames;
    give_modules(&b, boot, modules, module_va);
    give_generics(&b);

    struct process *p = hal_phys_to_virt(pcb->cap.object);
    install(p, PROCESS_SLOT_ROOT_NODE, node_slot);
    install(p, PROCESS_SLOT_ADDRESS_SPACE, b.as);
    install(p, PROCESS_SLOT_IPC_BUFFER, ipc);
    hal_context_set(&p->context, HAL_REG_IP, img.entry);
    hal_context_set(&p->context, HAL_REG_SP, ROOT_STACK_BOTTOM + ROOT_STACK_PAGES * PAGE);
    hal_context_set(&p->context, HAL_REG_GP0 + 5, ROOT_BOOT_INFO_ADDRESS); /* rdi */
    run_set_priority(p, ROOT_PRIORITY);
    run_make_ready(p);

    uint64_t generic_bytes = 0;
    for (unsigned i = 0; i < info->generic_count; i++)
        generic_bytes += 1ull << (info->generics[i].bits_flags & A9N_BOOT_GENERIC_BITS_MASK);
    kprintf("root: \"%s\" entry 0x%lx, %lu image and stack frames, %lu page tables, "
            "%lu Generics (%lu KiB)\n",
            m->cmdline, img.entry, info->image_frame_count, info->page_table_count,
            info->generic_count, generic_bytes >> 10);
}
