/* Building one process: its address space (image, stack, IPC buffer, maps), the
 * capabilities in its Node, and its configuration. */
#include "alpha.h"

#include <elf_reader.h>
#include <string.h>

#define PAGE         4096ull
/* Where Alpha maps a fresh frame of a process's image for a moment, to fill it. */
#define FILL_ADDRESS 0x0000500000000000ull

const struct a9n_boot_module *alpha_find_module(const char *image)
{
    size_t n = strlen(image);
    const struct a9n_boot_module *modules = a9n_boot_modules(boot);
    for (unsigned i = 0; i < boot->module_count; i++) {
        const char *name = modules[i].name;
        if (strncmp(name, image, n) == 0 && strcmp(name + n, ".elf") == 0)
            return &modules[i];
    }
    return NULL;
}

/* The frames of every image loaded, in load order: process p's are
 * alpha_image_slots[alpha_image_first[p] ...] (its `image_frames` capability refers to them,
 * and verification names them). */
uint32_t *alpha_image_slots;
uint32_t alpha_image_first[ALPHA_MAX_PROCESSES + 1];
static uint32_t image_pages_total;
uint32_t alpha_asid_pool_slots[A9N_LIMIT_ASID_POOLS];

/* `len` bytes from `src` to `dst` by words: one `rep movsq` step a word, which QEMU counts
 * as one instruction (newlib's unrolled memcpy spends about 2.5 a word, and the image pages
 * are most of what Alpha copies); on hardware fast-string copies are as fast. */
static void copy_words(void *dst, const void *src, size_t len)
{
    size_t words = len / 8, rest = len % 8;
    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(rest) : : "memory");
}

/* Writes `len` bytes from `src` at `offset` into the Frame in root slot `frame`; `clear`: the
 * rest of the page becomes zero (a fresh Frame from CONVERT is zero already). */
static bool fill_frame_at(unsigned frame, size_t offset, const void *src, size_t len, bool clear)
{
    /* The slot a restart fills through (below), taken with the first page as capgen counts. */
    static unsigned mine;
    if (mine == 0)
        mine = koito_slot(&scratch);
    uint8_t *page = (uint8_t *)FILL_ADDRESS;
    if (!clear) {
        /* A fresh Frame (building): mapped into Alpha through its own capability and
         * unmapped again, two calls where a copy of the capability took three. */
        if (koito_map(&scratch, A9N_ROOT_SLOT_ADDRESS_SPACE, frame, FILL_ADDRESS, A9N_MAP_WRITE) !=
            A9N_SUCCESS)
            return false;
        copy_words(page + offset, src, len);
        return a9n_address_space_unmap(alpha_root(A9N_ROOT_SLOT_ADDRESS_SPACE),
                                       alpha_root(frame)) == A9N_SUCCESS;
    }
    /* A Frame that may be mapped in its process (a restart): through a mapping of a copy of
     * its capability, then let that copy go (one slot serves every page). */
    if (mine == 0 || a9n_node_copy(ALPHA_ROOT, mine, alpha_root(frame)) != A9N_SUCCESS ||
        koito_map(&scratch, A9N_ROOT_SLOT_ADDRESS_SPACE, mine, FILL_ADDRESS, A9N_MAP_WRITE) !=
            A9N_SUCCESS)
        return false;
    memset(page, 0, offset);
    memset(page + offset + len, 0, PAGE - offset - len);
    copy_words(page + offset, src, len);
    a9n_node_remove(ALPHA_ROOT, mine);
    return true;
}

bool alpha_fill_frame(unsigned frame, const void *src, size_t len)
{
    return fill_frame_at(frame, 0, src, len, true);
}

/* Where the page being loaded goes: a fresh frame mapped at `va` in `as` (building), or the
 * process's existing frame number `reload_next` of its image (a restart). */
static bool reloading;
static uint32_t reload_next;
/* Building: the image's fresh Frames, made together before its pages are filled (one
 * CONVERT for them all), the next one to fill and the end. */
static unsigned fresh_next, fresh_end;

/* Copies `len` bytes of boot module `m`, from `src` (where Alpha sees them), to `offset` of
 * the Frame in root slot `frame` by Frame COPY from the module's own Frames: no mapping of
 * either (a9n/operation.h). The bytes may cross one of the module's page boundaries. */
static bool copy_from_module(unsigned frame, const struct a9n_boot_module *m, const uint8_t *src,
                             size_t offset, size_t len)
{
    /* The module's Frames start at the page that holds its first byte. */
    uint64_t at = (uint64_t)src - (m->address & ~(PAGE - 1));
    if (at + len > m->frame_count * PAGE)
        return false;
    while (len > 0) {
        uint64_t from = at % PAGE, n = PAGE - from < len ? PAGE - from : len;
        if (a9n_frame_copy(alpha_root(frame), alpha_root(m->frame_first + at / PAGE), from, offset,
                           n) != A9N_SUCCESS)
            return false;
        at += n, offset += n, len -= n;
    }
    return true;
}

/* Makes the Frame in root slot `frame` with `len` bytes of module `m` from `src` at `offset`
 * and zero elsewhere, in one pass over the page: Generic CONVERT_FILLED (a9n/operation.h)
 * from the boot Generics, starting with the one that made the last page (a Generic that
 * refused a page refuses every later one: watermarks only rise). Bytes that cross one of
 * the module's page boundaries: the rest by Frame COPY. */
static bool make_filled(unsigned frame, const struct a9n_boot_module *m, const uint8_t *src,
                        size_t offset, size_t len)
{
    static unsigned from_generic;
    uint64_t at = (uint64_t)src - (m->address & ~(PAGE - 1));
    if (at + len > m->frame_count * PAGE)
        return false;
    uint64_t in_page = at % PAGE, first = PAGE - in_page < len ? PAGE - in_page : len;
    a9n_word source = alpha_root(m->frame_first + at / PAGE);
    a9n_error e = A9N_ERROR_NOT_ENOUGH_MEMORY;
    for (; from_generic < boot->generic_count; from_generic++) {
        e = a9n_generic_convert_filled(alpha_root(boot->generic_first + from_generic), source,
                                       in_page, offset, first, ALPHA_ROOT, frame);
        if (e != A9N_ERROR_NOT_ENOUGH_MEMORY)
            break;
    }
    if (e != A9N_SUCCESS)
        return false;
    return first == len || copy_from_module(frame, m, src + first, offset + first, len - first);
}

/* Whether an image page went through Alpha's fill mapping yet (below). */
static bool fill_mapped;

/* Whether the page with `len` file bytes is made by CONVERT_FILLED (`make_filled`), not by
 * the image's plain CONVERTs: every page with bytes but the first, which goes through
 * Alpha's fill mapping (below). */
static bool page_filled(size_t len, bool *first_seen)
{
    if (len == 0)
        return false;
    if (!fill_mapped && !*first_seen) {
        *first_seen = true;
        return false;
    }
    return true;
}

/* A fresh frame with `len` bytes from `src` (module `m`'s) at `offset` (the rest zero),
 * mapped at `va` in `as`. */
static bool load_page(const struct a9n_boot_module *m, unsigned as, uint64_t va, const uint8_t *src,
                      size_t offset, size_t len, unsigned attributes)
{
    if (reloading)
        return fill_frame_at(alpha_image_slots[reload_next++], offset, src, len, true);
    if (fresh_next == fresh_end)
        return false;
    unsigned f = fresh_next++;
    if (image_pages_total == ALPHA_MAX_IMAGE_PAGES)
        return false;
    uint32_t *slots = alpha_table(ALPHA_TABLE_IMAGE_SLOTS, (image_pages_total + 1) * sizeof *slots);
    if (slots == NULL)
        return false;
    alpha_image_slots = slots;
    alpha_image_slots[image_pages_total++] = f;
    /* The first page with bytes goes through the fill mapping, which makes the page tables
     * a restart fills through (as capgen counts them, and the verified state shows them);
     * every other page is copied by the kernel. */
    if (len > 0 && !fill_mapped) {
        if (!fill_frame_at(f, offset, src, len, false))
            return false;
        fill_mapped = true;
    } else if (len > 0 && !make_filled(f, m, src, offset, len)) {
        return false;
    }
    return koito_map(&scratch, as, f, va, attributes) == A9N_SUCCESS;
}

static bool load_image(const struct alpha_process *p, unsigned as, uint64_t *entry)
{
    const struct a9n_boot_module *m = alpha_find_module(p->image);
    if (m == NULL) {
        printf("alpha: %s: no boot module %s.elf\n", p->name, p->image);
        return false;
    }
    const uint8_t *data = (const uint8_t *)m->address;
    struct elf_image img;
    int err = elf_parse(data, m->size, 0x1000, ALPHA_STACK_TOP - 0x10000000ull, &img);
    if (err != ELF_OK) {
        printf("alpha: %s: %s.elf: %s\n", p->name, p->image, elf_strerror(err));
        return false;
    }
    if (!reloading) {
        /* A root slot for each page, in load order. The pages with file bytes are made
         * filled (make_filled); the others (all zero) in runs of consecutive slots, a
         * CONVERT each. */
        unsigned pages = 0, run = 0;
        bool first_seen = false, ok = true;
        for (unsigned i = 0; i < img.count; i++) {
            const struct elf_segment *s = &img.segments[i];
            for (uint64_t page = s->vaddr & ~(PAGE - 1); page < s->vaddr + s->memsz;
                 page += PAGE, pages++) {
                uint64_t lo = page > s->vaddr ? page : s->vaddr;
                uint64_t hi =
                    page + PAGE < s->vaddr + s->filesz ? page + PAGE : s->vaddr + s->filesz;
                if (!page_filled(lo < hi ? hi - lo : 0, &first_seen)) {
                    run++;
                    continue;
                }
                if (run > 0 && pages <= scratch.end - scratch.next)
                    ok &= alpha_convert_many(A9N_OBJECT_FRAME, 12, scratch.next + pages - run, run);
                run = 0;
            }
        }
        if (pages > scratch.end - scratch.next || !ok ||
            (run > 0 && !alpha_convert_many(A9N_OBJECT_FRAME, 12, scratch.next + pages - run, run)))
            return false;
        fresh_next = scratch.next;
        fresh_end = scratch.next += pages;
    }
    for (unsigned i = 0; i < img.count; i++) {
        const struct elf_segment *s = &img.segments[i];
        unsigned attributes = ((s->flags & ELF_SEGMENT_W) ? A9N_MAP_WRITE : 0) |
                              ((s->flags & ELF_SEGMENT_X) ? A9N_MAP_EXECUTE : 0);
        for (uint64_t page = s->vaddr & ~(PAGE - 1); page < s->vaddr + s->memsz; page += PAGE) {
            /* The file bytes that fall into this page; the rest is zero (bss). */
            uint64_t lo = page > s->vaddr ? page : s->vaddr;
            uint64_t hi = page + PAGE < s->vaddr + s->filesz ? page + PAGE : s->vaddr + s->filesz;
            const uint8_t *src = data + s->offset + (lo - s->vaddr);
            if (!load_page(m, as, page, src, lo < hi ? lo - page : 0, lo < hi ? hi - lo : 0,
                           attributes))
                return false;
        }
    }
    *entry = img.entry;
    return true;
}

bool alpha_reload_image(uint32_t i, uint64_t *entry)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    reloading = true;
    reload_next = alpha_image_first[i];
    bool ok = load_image(p, 0, entry) && reload_next == alpha_image_first[i + 1];
    reloading = false;
    return ok;
}

/* The slot fresh IO Port capabilities pass through on a restart (0: keep a new slot each,
 * as the build does and capgen counts). */
static unsigned io_pass_slot;

/* Puts capability `c` of process `p` into its Node. */
static bool install_cap(const struct alpha_process *p, const struct alpha_cap *c)
{
    a9n_word node = alpha_root(object_slot(p->node));
    a9n_word source;
    unsigned scratch_slot;
    switch (c->kind) {
    case ALPHA_CAP_OBJECT:
        /* A Generic (a memory pool) has exactly one capability: it moves to the process. */
        if (alpha_spec.objects[c->object].type == A9N_OBJECT_GENERIC)
            return a9n_node_move(node, c->slot, alpha_root(object_slot(c->object))) == A9N_SUCCESS;
        /* A memory region fills one slot per page (count), from its first frame on. */
        for (uint32_t k = 0; k < (c->count > 0 ? c->count : 1); k++) {
            source = alpha_root(object_slot(c->object + k));
            if (a9n_node_mint(node, c->slot + k, source, c->rights, c->badge) != A9N_SUCCESS)
                return false;
        }
        return true;
    case ALPHA_CAP_IO_PORT: {
        scratch_slot = io_pass_slot != 0 ? io_pass_slot : koito_slot(&scratch);
        bool ok =
            scratch_slot != 0 &&
            a9n_io_port_mint(alpha_root(A9N_ROOT_SLOT_IO_PORT), c->io_first, c->io_last, ALPHA_ROOT,
                             scratch_slot) == A9N_SUCCESS &&
            a9n_node_mint(node, c->slot, alpha_root(scratch_slot), c->rights, 0) == A9N_SUCCESS;
        if (io_pass_slot != 0)
            a9n_node_remove(ALPHA_ROOT, io_pass_slot); /* the process's copy stays */
        return ok;
    }
    case ALPHA_CAP_IRQ:
        scratch_slot = koito_slot(&scratch);
        if (scratch_slot == 0 ||
            a9n_interrupt_region_make_port(alpha_root(A9N_ROOT_SLOT_INTERRUPT_REGION), c->irq,
                                           ALPHA_ROOT, scratch_slot) != A9N_SUCCESS)
            return false;
        if (c->irq_notification >= 0 &&
            a9n_interrupt_port_bind(alpha_root(scratch_slot),
                                    alpha_root(object_slot((uint32_t)c->irq_notification))) !=
                A9N_SUCCESS)
            return false;
        return a9n_node_mint(node, c->slot, alpha_root(scratch_slot), c->rights, 0) == A9N_SUCCESS;
    case ALPHA_CAP_DEBUG:
        return a9n_node_mint(node, c->slot, alpha_root(A9N_ROOT_SLOT_DEBUG), c->rights, 0) ==
               A9N_SUCCESS;
    case ALPHA_CAP_ASID_POOL:
        /* ASIDs are delegated like memory: the process gets a pool of its own, so it can
         * use up only that one. 4 KiB of Alpha's scratch memory, one per capability: pool
         * `object` is made the first time a capability names it, and Alpha keeps its slot
         * for verification to name the pool wherever a capability to it lives. */
        if (c->object >= A9N_LIMIT_ASID_POOLS)
            return false;
        if (alpha_asid_pool_slots[c->object] == 0) {
            scratch_slot = koito_slot(&scratch);
            if (scratch_slot == 0 ||
                a9n_asid_control_make_pool(alpha_root(A9N_ROOT_SLOT_ASID_CONTROL),
                                           alpha_root(scratch.generic), ALPHA_ROOT,
                                           scratch_slot) != A9N_SUCCESS)
                return false;
            alpha_asid_pool_slots[c->object] = scratch_slot;
        }
        return a9n_node_mint(node, c->slot, alpha_root(alpha_asid_pool_slots[c->object]), c->rights,
                             0) == A9N_SUCCESS;
    case ALPHA_CAP_IRQ_REGION:
        return a9n_node_mint(node, c->slot, alpha_root(A9N_ROOT_SLOT_INTERRUPT_REGION), c->rights,
                             0) == A9N_SUCCESS;
    case ALPHA_CAP_SELF_NODE:
    case ALPHA_CAP_SELF_PROCESS:
    case ALPHA_CAP_SELF_ADDRESS_SPACE: {
        uint32_t own = c->kind == ALPHA_CAP_SELF_NODE      ? p->node
                       : c->kind == ALPHA_CAP_SELF_PROCESS ? p->process
                                                           : p->address_space;
        return a9n_node_mint(node, c->slot, alpha_root(object_slot(own)), c->rights, 0) ==
               A9N_SUCCESS;
    }
    case ALPHA_CAP_IMAGE: {
        /* As many slots as the image has frames, in load order (text, constants, data). */
        uint32_t i = (uint32_t)(p - alpha_spec.processes);
        uint32_t first = alpha_image_first[i], frames = alpha_image_first[i + 1] - first;
        if (frames > c->count)
            return false;
        for (unsigned k = 0; k < frames; k++)
            if (a9n_node_mint(node, c->slot + k, alpha_root(alpha_image_slots[first + k]),
                              c->rights, 0) != A9N_SUCCESS)
                return false;
        return true;
    }
    default:
        return false;
    }
}

bool alpha_reinstall_cap(uint32_t i, const struct alpha_cap *c, unsigned pass_slot)
{
    io_pass_slot = pass_slot;
    bool ok = install_cap(&alpha_spec.processes[i], c);
    io_pass_slot = 0;
    return ok;
}

bool alpha_build_process(uint32_t i)
{
    const struct alpha_process *p = &alpha_spec.processes[i];
    unsigned as = object_slot(p->address_space);
    uint64_t entry;
    alpha_image_first[i] = image_pages_total;
    bool loaded = load_image(p, as, &entry);
    alpha_image_first[i + 1] = image_pages_total;
    if (!loaded)
        return false;
    uint64_t stack_bottom = ALPHA_STACK_TOP - (uint64_t)p->stack_pages * PAGE;
    for (unsigned k = 0; k < p->stack_pages; k++)
        if (koito_map(&scratch, as, object_slot(p->stack + k), stack_bottom + k * PAGE,
                      A9N_MAP_WRITE) != A9N_SUCCESS)
            return false;
    if (koito_map(&scratch, as, object_slot(p->ipc_buffer), ALPHA_IPC_BUFFER, A9N_MAP_WRITE) !=
        A9N_SUCCESS)
        return false;
    for (uint32_t k = 0; k < p->map_count; k++) {
        const struct alpha_map *m = &p->maps[k];
        uint64_t page_size = 1ull << alpha_spec.objects[m->region].size_bits;
        for (uint32_t pg = 0; pg < m->pages; pg++) {
            /* Each mapping needs a capability of its own: a copy of the region's frame. */
            unsigned copy = koito_slot(&scratch);
            if (copy == 0 ||
                a9n_node_copy(ALPHA_ROOT, copy, alpha_root(object_slot(m->region + pg))) !=
                    A9N_SUCCESS ||
                koito_map(&scratch, as, copy, m->vaddr + pg * page_size, m->attributes) !=
                    A9N_SUCCESS)
                return false;
        }
    }
    for (uint32_t k = 0; k < p->cap_count; k++) {
        if (!install_cap(p, &p->caps[k])) {
            printf("alpha: %s: cannot install capability %s\n", p->name, p->caps[k].name);
            return false;
        }
    }

    a9n_word mask = A9N_PROCESS_CONFIGURE_ADDRESS_SPACE | A9N_PROCESS_CONFIGURE_ROOT_NODE |
                    A9N_PROCESS_CONFIGURE_IPC_BUFFER | A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER |
                    A9N_PROCESS_CONFIGURE_STACK_POINTER | A9N_PROCESS_CONFIGURE_PRIORITY;
    a9n_word values[9];
    unsigned n = 0;
    values[n++] = alpha_root(as);
    values[n++] = alpha_root(object_slot(p->node));
    values[n++] = alpha_root(object_slot(p->ipc_buffer));
    /* Its faults go to its declared resolver or else to Alpha, the supervisor, through a
     * capability whose identifier names the process. */
    unsigned supervised = p->resolver < 0 ? alpha_supervisor_capability(i) : 0;
    if (p->resolver < 0 && supervised == 0) {
        printf("alpha: %s: cannot make its supervisor capability\n", p->name);
        return false;
    }
    mask |= A9N_PROCESS_CONFIGURE_RESOLVER;
    values[n++] = alpha_root(p->resolver >= 0 ? object_slot((uint32_t)p->resolver) : supervised);
    values[n++] = entry;
    values[n++] = ALPHA_STACK_TOP - 16;
    values[n++] = p->priority;
    if (p->exit_notice_identifier != 0) {
        /* The Process gets a copy with the identifier that names it to the memory server
         * (its client bit): minted here first. */
        unsigned notice = koito_slot(&scratch);
        if (notice == 0 ||
            a9n_node_mint(ALPHA_ROOT, notice, alpha_root(object_slot(p->exit_notice)),
                          A9N_RIGHT_WRITE | A9N_RIGHT_COPY,
                          p->exit_notice_identifier) != A9N_SUCCESS) {
            printf("alpha: %s: cannot make its exit notice\n", p->name);
            return false;
        }
        mask |= A9N_PROCESS_CONFIGURE_EXIT_NOTICE;
        values[n++] = alpha_root(notice);
    }
    a9n_word process = alpha_root(object_slot(p->process));
    if (a9n_process_configure(process, mask, values, n,
                              (struct a9n_ipc_buffer *)boot->ipc_buffer_address) != A9N_SUCCESS ||
        a9n_process_write_register(process, A9N_REGISTER_RDI, 0) != A9N_SUCCESS) {
        printf("alpha: %s: cannot configure its process\n", p->name);
        return false;
    }
    if (supervised != 0)
        a9n_node_remove(ALPHA_ROOT, supervised); /* the process has its copy */
    return true;
}
