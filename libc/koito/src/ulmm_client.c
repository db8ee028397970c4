/* The ULMM client library (koito_ulmm.h): one CALL per request. */
#include <koito_ulmm.h>
#include <liba9n.h>

/* The error word ULMM_E_KERNEL stands for (the servers' error.h, not included here). */
#define E_KERNEL 5

/* One CALL: op, a1, a2, and (when `send` is not 0) the capability `send` along with it. */
static unsigned request_with(const struct koito_ulmm *c, a9n_word op, a9n_word a1, a9n_word a2,
                             a9n_word dest, a9n_word send, struct a9n_message *m)
{
    c->buffer->transfer_destination_node = c->node;
    c->buffer->transfer_destination_index = dest;
    c->buffer->transfer_source[0] = send;
    *m = (struct a9n_message){.info = a9n_ipc_info(3, send != 0), .word = {op, a1, a2}};
    if (a9n_ipc_port_call(c->port, m) != A9N_SUCCESS)
        return E_KERNEL;
    return (m->info & A9N_IPC_LENGTH_MASK) == 0 ? E_KERNEL : (unsigned)m->word[0];
}

static unsigned request(const struct koito_ulmm *c, a9n_word op, a9n_word a1, a9n_word a2,
                        a9n_word dest, struct a9n_message *m)
{
    return request_with(c, op, a1, a2, dest, 0, m);
}

unsigned koito_ulmm_slab_alloc(const struct koito_ulmm *c, unsigned cache, a9n_word dest,
                               a9n_word *index)
{
    struct a9n_message m;
    unsigned e = request(c, ULMM_OP_SLAB_ALLOC, cache, 0, dest, &m);
    if (e == 0)
        *index = m.word[1];
    return e;
}

unsigned koito_ulmm_slab_free(const struct koito_ulmm *c, unsigned cache, a9n_word index)
{
    struct a9n_message m;
    return request(c, ULMM_OP_SLAB_FREE, cache, index, 0, &m);
}

unsigned koito_ulmm_frame_alloc(const struct koito_ulmm *c, unsigned order, a9n_word dest,
                                a9n_word *handle)
{
    struct a9n_message m;
    unsigned e = request(c, ULMM_OP_BUDDY_ALLOC, order, 0, dest, &m);
    if (e == 0)
        *handle = m.word[1];
    return e;
}

unsigned koito_ulmm_frame_free(const struct koito_ulmm *c, a9n_word handle)
{
    struct a9n_message m;
    return request(c, ULMM_OP_BUDDY_FREE, handle, 0, 0, &m);
}

unsigned koito_ulmm_stats(const struct koito_ulmm *c, unsigned op, a9n_word arg,
                          a9n_word out[ULMM_REPLY_MAX - 1])
{
    struct a9n_message m;
    unsigned e = request(c, op, arg, 0, 0, &m);
    a9n_word n = m.info & A9N_IPC_LENGTH_MASK;
    for (a9n_word i = 1; i < n && i < ULMM_REPLY_MAX; i++)
        out[i - 1] = i < 5 ? m.word[i] : c->buffer->message[A9N_IPC_MESSAGE_FIRST + i];
    return e;
}

unsigned koito_ulmm_reclaim(const struct koito_ulmm *c, a9n_word client, a9n_word *freed)
{
    struct a9n_message m;
    unsigned e = request(c, ULMM_OP_RECLAIM, client, 0, 0, &m);
    if (e == 0)
        *freed = m.word[1];
    return e;
}

unsigned koito_ulmm_map(const struct koito_ulmm *tables, a9n_word as, a9n_word frame, a9n_word va,
                        unsigned *made)
{
    for (;;) {
        a9n_word level;
        a9n_error e = a9n_address_space_map(as, a9n_descriptor_root(frame, tables->radix), va,
                                            A9N_MAP_READ | A9N_MAP_WRITE, &level);
        if (e == A9N_SUCCESS)
            return 0;
        if (e != A9N_ERROR_MISSING_TABLE)
            return E_KERNEL;
        /* The server makes the missing table and maps it into `as`, which goes along. */
        struct a9n_message m;
        unsigned u = request_with(tables, ULMM_OP_TABLE_MAP, va, 0, 0, as, &m);
        if (u != 0)
            return u;
        if (made != NULL)
            ++*made;
    }
}

/* Where koito_ulmm_map_anywhere looks: a window of 512 GiB no image, stack or IPC buffer
 * uses, walked upwards. One cursor per program. */
#define ANYWHERE_FIRST 0x0000600000000000ull
#define ANYWHERE_END   0x0000608000000000ull
static a9n_word anywhere_next = ANYWHERE_FIRST;

unsigned koito_ulmm_map_anywhere(const struct koito_ulmm *tables, a9n_word as, a9n_word frame,
                                 unsigned order, a9n_word *va, unsigned *made)
{
    if (order != A9N_FRAME_BITS && order != A9N_LARGE_FRAME_BITS)
        return 1; /* ULMM_E_INVALID */
    a9n_word size = 1ull << order;
    for (a9n_word at = (anywhere_next + size - 1) & ~(size - 1); at + size <= ANYWHERE_END;
         at += size) {
        a9n_word level;
        a9n_error e = a9n_address_space_map(as, a9n_descriptor_root(frame, tables->radix), at,
                                            A9N_MAP_READ | A9N_MAP_WRITE, &level);
        if (e == A9N_ERROR_ADDRESS_IN_USE)
            continue; /* something is there: the next one */
        if (e != A9N_SUCCESS && e != A9N_ERROR_MISSING_TABLE)
            return E_KERNEL;
        unsigned u = e == A9N_SUCCESS ? 0 : koito_ulmm_map(tables, as, frame, at, made);
        if (u != 0)
            return u;
        *va = at;
        anywhere_next = at + size;
        return 0;
    }
    return 4; /* ULMM_E_EXHAUSTED: the window is full */
}
