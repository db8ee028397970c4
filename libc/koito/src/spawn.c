/* Objects and child processes for a first process (see koito_spawn.h). */
#include <koito_spawn.h>
#include <liba9n.h>

extern char __image_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
    __data_end[];

#define PAGE 4096ull
/* Root slot `index` in the pool's caller's root Node. */
static a9n_word pool_root(const struct koito_pool *pool, a9n_word index)
{
    return a9n_descriptor_root(index,
                               pool->root_radix != 0 ? pool->root_radix : A9N_ROOT_NODE_RADIX);
}

#define ROOT pool_root(pool, A9N_ROOT_SLOT_NODE)

unsigned koito_slot(struct koito_pool *pool)
{
    return pool->next < pool->end ? pool->next++ : 0;
}

unsigned koito_make(struct koito_pool *pool, unsigned type, unsigned specific_bits)
{
    unsigned s = koito_slot(pool);
    if (s == 0 || a9n_generic_convert(pool_root(pool, pool->generic), type, specific_bits, 1, ROOT,
                                      s) != A9N_SUCCESS)
        return 0;
    return s;
}

unsigned koito_make_address_space(struct koito_pool *pool)
{
    unsigned as = koito_make(pool, A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned asids = pool->asid_pool != 0 ? pool->asid_pool : A9N_ROOT_SLOT_ASID_POOL;
    if (as == 0 || a9n_asid_pool_assign(pool_root(pool, asids), pool_root(pool, as)) != A9N_SUCCESS)
        return 0;
    return as;
}

a9n_error koito_map(struct koito_pool *pool, unsigned as, unsigned frame, a9n_word va,
                    a9n_word attributes)
{
    /* At most three tables can be missing below the root. */
    for (int tries = 0; tries < 4; tries++) {
        a9n_error e = a9n_address_space_map(pool_root(pool, as), pool_root(pool, frame), va,
                                            attributes, NULL);
        if (e != A9N_ERROR_MISSING_TABLE)
            return e;
        unsigned pt = koito_make(pool, A9N_OBJECT_PAGE_TABLE, 0);
        if (pt == 0)
            return A9N_ERROR_NOT_ENOUGH_MEMORY;
        e = a9n_address_space_map(pool_root(pool, as), pool_root(pool, pt), va, 0, NULL);
        if (e != A9N_SUCCESS)
            return e;
    }
    return A9N_ERROR_MISSING_TABLE;
}

/* Maps copies of our image frames for [start, end), counting frames in boot order. */
static bool map_image_range(struct koito_pool *pool, unsigned as, unsigned *frame,
                            const char *start, const char *end, a9n_word attributes, bool map)
{
    a9n_word pages = ((a9n_word)end - (a9n_word)start + PAGE - 1) / PAGE;
    for (a9n_word i = 0; i < pages; i++, (*frame)++) {
        if (!map)
            continue;
        unsigned copy = koito_slot(pool);
        if (copy == 0 || a9n_node_copy(ROOT, copy, pool_root(pool, *frame)) != A9N_SUCCESS ||
            koito_map(pool, as, copy, (a9n_word)start + i * PAGE, attributes) != A9N_SUCCESS)
            return false;
    }
    return true;
}

bool koito_map_image(struct koito_pool *pool, const struct koito_image *image, unsigned as,
                     bool data)
{
    /* Our image frames, in the order the kernel made them: text, rodata, data. */
    unsigned frame = (unsigned)image->frame_first;
    return map_image_range(pool, as, &frame, __image_start, __text_end, A9N_MAP_EXECUTE, true) &&
           map_image_range(pool, as, &frame, __rodata_start, __rodata_end, 0, true) &&
           map_image_range(pool, as, &frame, __data_start, __data_end, A9N_MAP_WRITE, data);
}

bool koito_child_create(struct koito_pool *pool, const struct koito_image *image,
                        struct koito_child *c, void (*entry)(a9n_word), a9n_word arg,
                        unsigned priority, unsigned resolver, unsigned flags)
{
    c->process = koito_make(pool, A9N_OBJECT_PROCESS, 0);
    c->as = koito_make_address_space(pool);
    c->stack = koito_make(pool, A9N_OBJECT_FRAME, 12);
    c->node = (flags & KOITO_CHILD_SHARE_ROOT) ? A9N_ROOT_SLOT_NODE
                                               : koito_make(pool, A9N_OBJECT_NODE, 4);
    if (c->process == 0 || c->as == 0 || c->stack == 0 || c->node == 0)
        return false;

    if (!koito_map_image(pool, image, c->as, !(flags & KOITO_CHILD_NO_DATA)))
        return false;
    if (koito_map(pool, c->as, c->stack, KOITO_CHILD_STACK, A9N_MAP_WRITE) != A9N_SUCCESS)
        return false;
    c->ipc_buffer = 0;
    if (flags & KOITO_CHILD_IPC_BUFFER) {
        c->ipc_buffer = koito_make(pool, A9N_OBJECT_FRAME, 12);
        if (c->ipc_buffer == 0 ||
            koito_map(pool, c->as, c->ipc_buffer, KOITO_CHILD_IPC_BUFFER_ADDRESS, A9N_MAP_WRITE) !=
                A9N_SUCCESS)
            return false;
    }

    a9n_word mask = A9N_PROCESS_CONFIGURE_ADDRESS_SPACE | A9N_PROCESS_CONFIGURE_ROOT_NODE |
                    A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER |
                    A9N_PROCESS_CONFIGURE_STACK_POINTER | A9N_PROCESS_CONFIGURE_PRIORITY;
    a9n_word values[7];
    unsigned n = 0;
    values[n++] = pool_root(pool, c->as);
    values[n++] = pool_root(pool, c->node);
    if (c->ipc_buffer != 0) {
        mask |= A9N_PROCESS_CONFIGURE_IPC_BUFFER;
        values[n++] = pool_root(pool, c->ipc_buffer);
    }
    if (resolver != 0) {
        mask |= A9N_PROCESS_CONFIGURE_RESOLVER;
        values[n++] = pool_root(pool, resolver);
    }
    values[n++] = (a9n_word)entry;
    values[n++] = KOITO_CHILD_STACK + PAGE - 8; /* as if called: a return address slot */
    values[n++] = priority;
    a9n_word process = pool_root(pool, c->process);
    /* Seven values need MR9: our own IPC buffer carries it (a first process has one). */
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)image->ipc_buffer;
    return a9n_process_configure(process, mask, values, n, buffer) == A9N_SUCCESS &&
           a9n_process_write_register(process, A9N_REGISTER_RDI, arg) == A9N_SUCCESS &&
           a9n_process_resume(process) == A9N_SUCCESS;
}
