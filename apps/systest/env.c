/* Test environment: ports, child processes sharing this program's image. */
#include "systest.h"

extern char __image_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
    __data_end[];

#define PAGE 4096ull

static a9n_word page_count(const char *start, const char *end)
{
    return ((a9n_word)end - (a9n_word)start + PAGE - 1) / PAGE;
}

static unsigned park_port;

_Noreturn void park(void)
{
    for (;;) {
        struct a9n_message m;
        a9n_ipc_port_receive(D(park_port), &m);
    }
}

void env_begin_test(void)
{
    park_port = make_port();
}

unsigned make_port(void)
{
    return make(A9N_OBJECT_IPC_PORT, 0);
}

a9n_error receive(unsigned port, struct a9n_message *m)
{
    m->info = 0;
    return a9n_ipc_port_receive(D(port), m);
}

/* Maps a copy of the frame in root slot `frame` at `va`, making page tables as needed. */
static bool map_copy(unsigned as, unsigned frame, a9n_word va, a9n_word attributes)
{
    unsigned copy = slot_alloc();
    if (copy == 0 || a9n_node_copy(D(A9N_ROOT_SLOT_NODE), copy, D(frame)) != A9N_SUCCESS)
        return false;
    for (int tries = 0; tries < 4; tries++) {
        a9n_error e = a9n_address_space_map(D(as), D(copy), va, attributes, NULL);
        if (e == A9N_SUCCESS)
            return true;
        if (e != A9N_ERROR_MISSING_TABLE)
            return false;
        unsigned pt = make(A9N_OBJECT_PAGE_TABLE, 0);
        if (pt == 0 || a9n_address_space_map(D(as), D(pt), va, 0, NULL) != A9N_SUCCESS)
            return false;
    }
    return false;
}

static bool map_range(unsigned as, unsigned *frame, const char *start, const char *end,
                      a9n_word attributes, bool map)
{
    for (a9n_word i = 0; i < page_count(start, end); i++, (*frame)++)
        if (map && !map_copy(as, *frame, (a9n_word)start + i * PAGE, attributes))
            return false;
    return true;
}

bool child_create(struct child *c, void (*entry)(a9n_word), a9n_word arg, unsigned priority,
                  unsigned resolver_slot, unsigned flags)
{
    c->process = make(A9N_OBJECT_PROCESS, 0);
    c->as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    c->stack = make(A9N_OBJECT_FRAME, 12);
    c->node = (flags & CHILD_SHARE_ROOT) ? A9N_ROOT_SLOT_NODE : make(A9N_OBJECT_NODE, 4);
    if (c->process == 0 || c->as == 0 || c->stack == 0 || c->node == 0)
        return false;

    /* Our image frames, in the order the kernel made them: text, rodata, data. */
    unsigned frame = (unsigned)boot_info->image_frame_first;
    if (!map_range(c->as, &frame, __image_start, __text_end, A9N_MAP_EXECUTE, true) ||
        !map_range(c->as, &frame, __rodata_start, __rodata_end, 0, true) ||
        !map_range(c->as, &frame, __data_start, __data_end, A9N_MAP_WRITE,
                   !(flags & CHILD_NO_DATA)))
        return false;
    for (int tries = 0; tries < 4; tries++) {
        a9n_error e =
            a9n_address_space_map(D(c->as), D(c->stack), CHILD_STACK_ADDRESS, A9N_MAP_WRITE, NULL);
        if (e == A9N_SUCCESS)
            break;
        unsigned pt = make(A9N_OBJECT_PAGE_TABLE, 0);
        if (e != A9N_ERROR_MISSING_TABLE || pt == 0 ||
            a9n_address_space_map(D(c->as), D(pt), CHILD_STACK_ADDRESS, 0, NULL) != A9N_SUCCESS)
            return false;
    }

    a9n_word mask = A9N_PROCESS_CONFIGURE_ADDRESS_SPACE | A9N_PROCESS_CONFIGURE_ROOT_NODE |
                    A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER |
                    A9N_PROCESS_CONFIGURE_STACK_POINTER | A9N_PROCESS_CONFIGURE_PRIORITY;
    a9n_word values[6];
    unsigned n = 0;
    values[n++] = D(c->as);
    values[n++] = D(c->node);
    if (resolver_slot != 0) {
        mask |= A9N_PROCESS_CONFIGURE_RESOLVER;
        values[n++] = D(resolver_slot);
    }
    values[n++] = (a9n_word)entry;
    values[n++] = CHILD_STACK_ADDRESS + PAGE - 8; /* as if called: a return address slot */
    values[n++] = priority;
    if (a9n_process_configure(D(c->process), mask, values, n, NULL) != A9N_SUCCESS)
        return false;
    if (a9n_process_write_register(D(c->process), A9N_REGISTER_RDI, arg) != A9N_SUCCESS)
        return false;
    return a9n_process_resume(D(c->process)) == A9N_SUCCESS;
}
