/*
 * A fuzz worker and its children. Nothing here may touch a global variable: a worker has no
 * .data or .bss (it shares only code and constants with the supervisor), so all its state is
 * in its private pages (struct worker_state at WORKER_STATE) and on its stack.
 *
 * Type-guided: the worker keeps a table of the slots it filled and what it believes each
 * holds, and most of the time picks an operation that is valid for that type, with arguments
 * that are plausible; the rest of the time (and always for a few arguments) it sends garbage.
 * The table is only a belief: revocations by others, transfers and kills make it stale, and
 * a wrong guess is just one more adversarial call.
 */
#include "fuzz.h"

#include <a9n/fault.h>
#include <a9n/notification.h>
#include <koito_spawn.h>
#include <liba9n.h>

extern char __image_start[], __text_end[];
void child_main(a9n_word seed);
void child_fs_loop(a9n_word seed);

enum {
    LIST_MAX = 48,           /* remembered slots per type */
    TYPE_UNKNOWN = 0xff,     /* something arrived by transfer */
    GUIDED_PERCENT = 90,     /* how often an argument is chosen to be valid */
    SCRATCH_SIZE = 1u << 30, /* FUZZ_TOUCH maps in [WORKER_SCRATCH, +1 GiB) */
    PRIVATE_WORDS = 64,
    STACK_CANARY_WORDS = 16,
};

struct worker_state {
    uint64_t rng;
    struct fuzz_report *r;
    struct koito_pool spawn; /* slots and Generic for children and TOUCH page tables */
    uint64_t scratch_next;
    uint64_t probe_next;
    uint64_t fs_children;
    uint64_t image_frames;
    uint64_t private_data[PRIVATE_WORDS]; /* a pattern only this worker ever writes */
    uint8_t type[WORKER_SLOTS];
    uint16_t list[A9N_OBJECT_TYPE_COUNT][LIST_MAX];
    uint16_t count[A9N_OBJECT_TYPE_COUNT];
};

_Static_assert(sizeof(struct worker_state) <= WORKER_STATE_PGS * 4096, "state fits its pages");

#define S ((struct worker_state *)WORKER_STATE)

/* What the supervisor put in the shared slots (WS_SHARED..). */
static const uint8_t shared_types[WS_SHARED_COUNT] = {
    A9N_OBJECT_IPC_PORT,          A9N_OBJECT_IPC_PORT, A9N_OBJECT_NOTIFICATION_PORT,
    A9N_OBJECT_NOTIFICATION_PORT, A9N_OBJECT_FRAME,    A9N_OBJECT_NODE,
    A9N_OBJECT_ADDRESS_SPACE,
};

static inline a9n_word D(a9n_word index)
{
    return a9n_descriptor_root(index, WORKER_RADIX);
}

static inline uint64_t rnd(uint64_t n)
{
    return fuzz_below(&S->rng, n);
}

static inline bool chance(unsigned percent)
{
    return rnd(100) < percent;
}

/* Our TLS base is the report page (the supervisor configured it), whose first word is the
 * magic: whatever other processes did to their FS selector, %fs:0 must read it. */
static uint64_t read_fs0(void)
{
    uint64_t v;
    __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
    return v;
}

/* Counts one system call and its result (and, with FUZZ_TLS, checks our TLS base after
 * it: a child of ours may just have loaded its FS selector). */
static a9n_error note(a9n_error e)
{
    struct fuzz_report *r = S->r;
    if ((r->mask & FUZZ_TLS) && read_fs0() != FUZZ_REPORT_MAGIC)
        r->tls_bad++;
    r->invocations++;
    r->errors[(unsigned)e < A9N_ERROR_COUNT ? (unsigned)e : A9N_ERROR_COUNT]++;
    return e;
}

/* ---- the slot table ---- */

static void set_type(a9n_word slot, unsigned type)
{
    if (slot >= WORKER_SLOTS)
        return;
    S->type[slot] = (uint8_t)type;
    if (type == 0 || type >= A9N_OBJECT_TYPE_COUNT)
        return;
    if (S->count[type] < LIST_MAX)
        S->list[type][S->count[type]++] = (uint16_t)slot;
    else
        S->list[type][rnd(LIST_MAX)] = (uint16_t)slot;
}

/* A slot believed to hold `type`, or 0. */
static a9n_word pick(unsigned type)
{
    for (int tries = 0; tries < 4 && S->count[type] > 0; tries++) {
        unsigned i = (unsigned)rnd(S->count[type]);
        uint16_t s = S->list[type][i];
        if (S->type[s] == type)
            return s;
        S->list[type][i] = S->list[type][--S->count[type]]; /* stale: forget it */
    }
    return 0;
}

static a9n_word pick_any(void)
{
    for (int tries = 0; tries < 4; tries++) {
        a9n_word s = pick((unsigned)(1 + rnd(A9N_OBJECT_TYPE_COUNT - 1)));
        if (s != 0)
            return s;
    }
    return 1 + rnd(WS_FREE + 64);
}

/* Slots the worker needs to keep working: never the source of MOVE, REMOVE or DEMOTE. */
static bool reserved(a9n_word slot)
{
    return slot < WS_SHARED || (slot >= WS_IMAGE && slot < WS_IMAGE + S->image_frames);
}

static a9n_word free_slot(void)
{
    for (int tries = 0; tries < 8; tries++) {
        a9n_word s = WS_FREE + rnd(WS_SPAWN - WS_FREE);
        if (S->type[s] == 0)
            return s;
    }
    return WS_FREE + rnd(WS_SPAWN - WS_FREE);
}

/* ---- argument generators ---- */

static a9n_word garbage_word(void)
{
    switch (rnd(10)) {
    case 0:
        return 0;
    case 1:
        return ~0ull;
    case 2:
        return rnd(16);
    case 3:
        return 1ull << rnd(64);
    case 4:
        return (1ull << rnd(64)) - 1;
    case 5:
        return 0xffff800000000000ull + (rnd(1u << 20) << 12); /* the kernel's half */
    case 6:
        return 0x0000800000000000ull + rnd(1u << 20); /* non-canonical */
    case 7:
        return A9N_USER_TOP - rnd(3) * 4096;
    default:
        return fuzz_next(&S->rng);
    }
}

static a9n_word garbage_descriptor(void)
{
    switch (rnd(8)) {
    case 0:
        return fuzz_next(&S->rng);
    case 1:
        return D(rnd(WORKER_SLOTS));
    case 2:
        return ((a9n_word)rnd(64) << A9N_DESCRIPTOR_DEPTH_SHIFT) | (fuzz_next(&S->rng) >> 8);
    case 3: { /* into a Node we hold, at a radix that may be wrong */
        a9n_word n = pick(A9N_OBJECT_NODE);
        return a9n_descriptor_append(D(n ? n : WS_NODE), rnd(64), 1 + (unsigned)rnd(12));
    }
    case 4:
        return 0;
    case 5:
        return A9N_DESCRIPTOR_INVALID;
    case 6:
        return D(pick_any()); /* some capability, probably of the wrong type */
    default:
        return D(rnd(WS_SHARED + WS_SHARED_COUNT));
    }
}

/* A descriptor of a capability believed to be of `type`, or garbage. */
static a9n_word desc_of(unsigned type)
{
    if (chance(GUIDED_PERCENT)) {
        a9n_word s = pick(type);
        if (s != 0)
            return D(s);
    }
    return garbage_descriptor();
}

/* A few addresses that many calls share, so that tables are made, linked, unlinked and
 * linked again at the same places, at every level: 4 KiB apart, 2 MiB apart (another
 * level-0 table), 1 GiB apart (another level-1 table) and 512 GiB apart (level 2). */
static a9n_word hot_address(void)
{
    static const a9n_word strides[] = {4096, 1ull << 21, 1ull << 30, 1ull << 39};
    return WORKER_SCRATCH + rnd(2) * strides[rnd(4)] + rnd(2) * strides[rnd(4)];
}

static a9n_word random_address(void)
{
    if (chance(50))
        return hot_address();
    switch (rnd(6)) {
    case 0:
        return WORKER_SCRATCH + (rnd(SCRATCH_SIZE >> 12) << 12);
    case 1:
        return WORKER_SCRATCH + (rnd(SCRATCH_SIZE >> 21) << 21);
    case 2:
        return rnd(A9N_USER_TOP) & ~0xfffull;
    case 3:
        return KOITO_CHILD_STACK + rnd(16) * 4096;
    case 4:
        return (a9n_word)__image_start + rnd(64) * 4096; /* where the image is, in any space */
    default:
        return garbage_word();
    }
}

/* An instruction pointer: the child entry, somewhere in the code, or an address that is not
 * code at all. Children may run wild: a round has a time limit, not a trust. */
static a9n_word random_ip(void)
{
    switch (rnd(4)) {
    case 0:
        return (a9n_word)child_main;
    case 1:
        return (a9n_word)__image_start + rnd((a9n_word)(__text_end - __image_start));
    default:
        return random_address();
    }
}

static a9n_word random_rights(void)
{
    return chance(90) ? rnd(16) : garbage_word();
}

/* Random words in the IPC buffer (MR9.. and the transfer fields). */
static void scramble_ipc_buffer(void)
{
    struct a9n_ipc_buffer *b = (struct a9n_ipc_buffer *)WORKER_IPC;
    for (unsigned i = 0; i < 4; i++)
        b->message[A9N_MR_REGISTER_COUNT + rnd(A9N_MR_COUNT - A9N_MR_REGISTER_COUNT)] =
            garbage_word();
    for (unsigned i = 0; i < A9N_TRANSFER_MAX; i++)
        b->transfer_source[i] = chance(80) ? D(pick_any()) : garbage_descriptor();
    b->transfer_destination_node = chance(85) ? D(WS_NODE) : garbage_descriptor();
    b->transfer_destination_index = chance(85) ? free_slot() : garbage_word();
}

static a9n_word random_info(void)
{
    if (chance(10))
        return garbage_word();
    a9n_word length = chance(80) ? rnd(12) : rnd(256);
    a9n_word caps = chance(70) ? 0 : chance(80) ? 1 + rnd(3) : rnd(32);
    return a9n_ipc_info(length, caps) | (chance(3) ? A9N_IPC_FAULT : 0);
}

/* ---- operations, one class each ---- */

static void after_transfer(void)
{
    /* A message may have put capabilities in our Node: we do not know what they are. */
    struct a9n_ipc_buffer *b = (struct a9n_ipc_buffer *)WORKER_IPC;
    a9n_word i = b->transfer_destination_index;
    if (i >= WS_FREE && i < WS_SPAWN)
        S->type[i] = TYPE_UNKNOWN;
}

/*
 * A burst: a wide or deep tree of up to 32 MINTs and COPYs below a fresh MINT of some
 * capability, then REMOVE of that root (its children are lifted to its parent, a child per
 * preemptible step) or REVOKE of it (the first child each step, whatever is below it). The
 * trees the single calls make are seldom wider or deeper than a few: these reach the long
 * deletion paths, and leave trees with skipped depths for the other calls.
 */
static void node_burst(void)
{
    a9n_word root = pick_any(), made[33];
    unsigned type = root < WORKER_SLOTS ? S->type[root] : 0, n = 0;
    a9n_word top = free_slot();
    if (note(a9n_node_mint(D(WS_NODE), top, D(root), A9N_RIGHTS_ALL, 0)) != A9N_SUCCESS)
        return;
    set_type(top, type);
    made[n++] = top;
    bool deep = chance(50);
    for (unsigned i = 0, count = 1 + (unsigned)rnd(32); i < count; i++) {
        a9n_word from = deep ? made[n - 1] : made[chance(75) ? 0 : rnd(n)];
        a9n_word to = free_slot();
        a9n_error e = chance(80) ? a9n_node_mint(D(WS_NODE), to, D(from), A9N_RIGHTS_ALL, 0)
                                 : a9n_node_copy(D(WS_NODE), to, D(from));
        if (note(e) == A9N_SUCCESS) {
            set_type(to, type);
            made[n++] = to;
        }
    }
    if (chance(50)) {
        if (note(a9n_node_remove(D(WS_NODE), top)) == A9N_SUCCESS)
            set_type(top, 0);
    } else if (note(a9n_node_revoke(D(WS_NODE), top)) == A9N_SUCCESS) {
        for (unsigned i = 1; i < n; i++)
            set_type(made[i], 0);
    }
}

static void op_node(void)
{
    if (chance(3)) {
        node_burst();
        return;
    }
    unsigned op = (unsigned)(A9N_NODE_COPY + rnd(6));
    bool guided = chance(GUIDED_PERCENT);
    a9n_word node = D(WS_NODE), src = pick_any();
    if (!guided && chance(50)) {
        node = desc_of(A9N_OBJECT_NODE);
        src = rnd(1u << 13);
    }
    if (reserved(src) && op != A9N_NODE_COPY && op != A9N_NODE_MINT && op != A9N_NODE_REVOKE)
        src = WS_SHARED + rnd(WS_SHARED_COUNT); /* the shared objects may go, not our tools */
    a9n_word dest = guided ? free_slot() : rnd(1u << 13);
    unsigned src_type = src < WORKER_SLOTS ? S->type[src] : 0;
    struct a9n_regs r = {{node, op, 0}};
    switch (op) {
    case A9N_NODE_COPY:
    case A9N_NODE_MOVE:
        r.mr[2] = dest;
        r.mr[3] = guided ? D(src) : garbage_descriptor();
        break;
    case A9N_NODE_MINT:
        r.mr[2] = dest;
        r.mr[3] = guided ? D(src) : garbage_descriptor();
        r.mr[4] = random_rights();
        r.mr[5] = chance(50) ? 0 : garbage_word();
        break;
    case A9N_NODE_DEMOTE:
        r.mr[2] = src;
        r.mr[3] = random_rights();
        break;
    default: /* REMOVE, REVOKE */
        r.mr[2] = src;
        break;
    }
    if (note(a9n_capability_call(&r)) != A9N_SUCCESS || node != D(WS_NODE))
        return;
    switch (op) {
    case A9N_NODE_COPY:
    case A9N_NODE_MINT:
        if (guided)
            set_type(dest, src_type);
        break;
    case A9N_NODE_MOVE:
        if (guided) {
            set_type(dest, src_type);
            set_type(src, 0);
        }
        break;
    case A9N_NODE_REMOVE:
        set_type(src, 0);
        break;
    }
}

static void op_convert(void)
{
    static const uint8_t types[] = {A9N_OBJECT_NODE,          A9N_OBJECT_GENERIC,
                                    A9N_OBJECT_ADDRESS_SPACE, A9N_OBJECT_PAGE_TABLE,
                                    A9N_OBJECT_FRAME,         A9N_OBJECT_PROCESS,
                                    A9N_OBJECT_IPC_PORT,      A9N_OBJECT_NOTIFICATION_PORT};
    bool guided = chance(GUIDED_PERCENT);
    unsigned type = guided ? types[rnd(sizeof types)] : (unsigned)rnd(16);
    a9n_word bits = 0;
    switch (type) {
    case A9N_OBJECT_NODE:
        bits = 1 + rnd(10);
        break;
    case A9N_OBJECT_GENERIC:
        bits = A9N_GENERIC_MIN_BITS + rnd(WORKER_GEN_BITS - 6);
        break;
    case A9N_OBJECT_FRAME:
        bits = chance(90) ? A9N_FRAME_BITS : A9N_LARGE_FRAME_BITS;
        break;
    }
    if (!guided && chance(50))
        bits = chance(50) ? rnd(64) : garbage_word();
    a9n_word count = chance(90) ? 1 + rnd(4) : chance(50) ? rnd(1u << rnd(21)) : garbage_word();
    a9n_word generic = chance(85) ? D(WS_GENERIC) : desc_of(A9N_OBJECT_GENERIC);
    a9n_word dest = guided ? free_slot() : rnd(1u << 13);
    a9n_word dest_node = chance(95) ? D(WS_NODE) : desc_of(A9N_OBJECT_NODE);
    if (chance(15)) {
        /* CONVERT_FILLED: one Frame with a range of another's bytes, any range now and then. */
        a9n_word from = chance(80) ? rnd(4097) : garbage_word();
        a9n_word to = chance(80) ? rnd(4097) : garbage_word();
        a9n_word length = chance(80) ? rnd(4097) : garbage_word();
        if (note(a9n_generic_convert_filled(generic, desc_of(A9N_OBJECT_FRAME), from, to, length,
                                            dest_node, dest)) == A9N_SUCCESS &&
            dest_node == D(WS_NODE) && dest < WORKER_SLOTS)
            set_type(dest, A9N_OBJECT_FRAME);
        return;
    }
    if (note(a9n_generic_convert(generic, type, bits, count, dest_node, dest)) != A9N_SUCCESS ||
        dest_node != D(WS_NODE))
        return;
    for (a9n_word i = 0; i < count && dest + i < WORKER_SLOTS; i++)
        set_type(dest + i, type);
}

static void op_vspace(void)
{
    a9n_word as = desc_of(A9N_OBJECT_ADDRESS_SPACE);
    a9n_word target = chance(70) ? desc_of(A9N_OBJECT_FRAME) : desc_of(A9N_OBJECT_PAGE_TABLE);
    a9n_word level;
    switch (rnd(6)) {
    case 5: {
        /* Frame COPY into a Frame we hold (our code's are READ only: refused), never a
         * garbage target (operation 2 of another type could MOVE our slots away), from
         * any source; mostly within the page, now and then any offset or length. */
        a9n_word dst = pick(A9N_OBJECT_FRAME);
        if (dst == 0)
            break;
        a9n_word from = chance(80) ? rnd(4096) : garbage_word();
        a9n_word to = chance(80) ? rnd(4096) : garbage_word();
        a9n_word length = chance(80) ? rnd(4097) : garbage_word();
        a9n_word source = chance(85) ? desc_of(A9N_OBJECT_FRAME) : garbage_descriptor();
        note(a9n_frame_copy(D(dst), source, from, to, length));
        break;
    }
    case 4:
        note(
            a9n_asid_pool_assign(chance(90) ? D(WS_ASID_POOL) : desc_of(A9N_OBJECT_ASID_POOL), as));
        break;
    case 0: {
        a9n_word attributes = rnd(8) | (chance(5) ? garbage_word() : 0);
        note(a9n_address_space_map(as, target, random_address(), attributes, &level));
        break;
    }
    case 1:
        note(a9n_address_space_unmap(as, target));
        break;
    case 2:
        note(a9n_address_space_get_unset_depth(as, random_address(), &level));
        break;
    default:
        note(a9n_frame_get_address(desc_of(A9N_OBJECT_FRAME), &level));
        break;
    }
}

/* Maps a new Frame into our own space, checks it arrives zeroed, writes a pattern and reads
 * it back: memory the kernel hands out must be ours alone and never hold another's data. */
static void op_touch(void)
{
    a9n_word frame = free_slot();
    /* Now and then a Frame made filled with nothing from some Frame's bytes (CONVERT_FILLED
     * of length 0): it is not cleared first, so it must be zero by the filling alone. */
    a9n_error made = chance(30)
                         ? a9n_generic_convert_filled(D(WS_GENERIC), desc_of(A9N_OBJECT_FRAME),
                                                      rnd(4097), rnd(4097), 0, D(WS_NODE), frame)
                         : a9n_generic_convert(D(WS_GENERIC), A9N_OBJECT_FRAME, A9N_FRAME_BITS, 1,
                                               D(WS_NODE), frame);
    if (note(made) != A9N_SUCCESS)
        return;
    set_type(frame, A9N_OBJECT_FRAME);
    a9n_word va = WORKER_SCRATCH + (S->scratch_next++ % (SCRATCH_SIZE >> 12)) * 4096;
    S->spawn.generic = WS_GENERIC;
    if (note(koito_map(&S->spawn, WS_AS, (unsigned)frame, va, A9N_MAP_WRITE)) != A9N_SUCCESS)
        return;
    volatile uint64_t *p = (volatile uint64_t *)va;
    uint64_t key = fuzz_next(&S->rng);
    for (unsigned i = 0; i < 512; i++)
        if (p[i] != 0)
            S->r->touch_bad++;
    for (unsigned i = 0; i < 512; i++)
        p[i] = key ^ i;
    for (unsigned i = 0; i < 512; i++)
        if (p[i] != (key ^ i))
            S->r->touch_bad++;
    /* From now on the worker never touches it again: others may unmap it at any time. */
}

static void op_process(void)
{
    a9n_word p = desc_of(A9N_OBJECT_PROCESS);
    switch (rnd(5)) {
    case 0: {
        a9n_word mask = chance(90) ? rnd(1u << 11) : garbage_word();
        a9n_word values[11];
        unsigned n = 0;
        for (unsigned bit = 0; bit < 11; bit++) {
            if (!(mask & (1u << bit)))
                continue;
            a9n_word v;
            switch (1u << bit) {
            case A9N_PROCESS_CONFIGURE_ADDRESS_SPACE:
                v = desc_of(A9N_OBJECT_ADDRESS_SPACE);
                break;
            case A9N_PROCESS_CONFIGURE_ROOT_NODE:
                v = desc_of(A9N_OBJECT_NODE);
                break;
            case A9N_PROCESS_CONFIGURE_IPC_BUFFER:
                v = desc_of(A9N_OBJECT_FRAME);
                break;
            case A9N_PROCESS_CONFIGURE_NOTIFICATION:
            case A9N_PROCESS_CONFIGURE_EXIT_NOTICE:
                v = desc_of(A9N_OBJECT_NOTIFICATION_PORT);
                break;
            case A9N_PROCESS_CONFIGURE_RESOLVER:
                v = desc_of(A9N_OBJECT_IPC_PORT);
                break;
            case A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER:
                v = random_ip();
                break;
            case A9N_PROCESS_CONFIGURE_STACK_POINTER:
                v = random_address() + 4096 - 8;
                break;
            case A9N_PROCESS_CONFIGURE_PRIORITY:
                /* below ours (a process of our priority could interrupt a probe), or
                 * above it (refused) */
                v = chance(90) ? 2 + rnd(WORKER_PRIORITY - 2) : WORKER_PRIORITY + 1 + rnd(155);
                break;
            case A9N_PROCESS_CONFIGURE_AFFINITY:
                v = chance(80) ? 0 : garbage_word();
                break;
            default:
                v = random_address();
                break;
            }
            values[n++] = v;
        }
        scramble_ipc_buffer();
        note(a9n_process_configure(p, mask, values, n, (struct a9n_ipc_buffer *)WORKER_IPC));
        break;
    }
    case 1: {
        a9n_word v;
        note(a9n_process_read_register(p, chance(90) ? rnd(A9N_REGISTER_COUNT) : garbage_word(),
                                       &v));
        break;
    }
    case 2: {
        a9n_word reg = chance(90) ? rnd(A9N_REGISTER_COUNT) : garbage_word();
        a9n_word v = reg == A9N_REGISTER_IP ? random_ip() : garbage_word();
        note(a9n_process_write_register(p, reg, v));
        break;
    }
    case 3:
        note(a9n_process_resume(p));
        break;
    default:
        /* a pause, an end (its exit notice, if any, goes out), or a bad kind (refused) */
        note(a9n_call7(p, A9N_PROCESS_SUSPEND, chance(80) ? rnd(2) : garbage_word(), 0, 0, 0, 0, 0,
                       0));
        break;
    }
}

/* A full register message on an IPC Port, with transfers through the IPC buffer. */
static a9n_error ipc_op(a9n_word port, a9n_word op)
{
    scramble_ipc_buffer();
    struct a9n_regs r = {{port, op, garbage_word(), random_info()}};
    for (unsigned i = 4; i < A9N_MR_REGISTER_COUNT; i++)
        r.mr[i] = garbage_word();
    a9n_error e = note(a9n_capability_call(&r));
    if (e == A9N_SUCCESS)
        after_transfer();
    return e;
}

static void op_ipc(void)
{
    a9n_word port = desc_of(A9N_OBJECT_IPC_PORT);
    bool block = (S->r->mask & FUZZ_BLOCK) && chance(20);
    switch (rnd(block ? 6 : 3)) {
    case 0: {
        a9n_word id;
        note(a9n_ipc_port_identify(port, &id));
        break;
    }
    case 1:
        ipc_op(port, A9N_IPC_PORT_REPLY);
        break; /* nothing to answer: refused */
    case 2:
        ipc_op(port, chance(50) ? 0 : 7 + rnd(250));
        break; /* no such operation */
    case 3:
        ipc_op(port, A9N_IPC_PORT_SEND);
        break;
    case 4:
        ipc_op(port, A9N_IPC_PORT_CALL);
        break;
    default:
        ipc_op(port, chance(50) ? A9N_IPC_PORT_RECEIVE : A9N_IPC_PORT_REPLY_RECEIVE);
        break;
    }
}

static void op_notify(void)
{
    a9n_word n = desc_of(A9N_OBJECT_NOTIFICATION_PORT);
    a9n_word word;
    bool block = (S->r->mask & FUZZ_BLOCK) && chance(10);
    switch (rnd(block ? 4 : 3)) {
    case 0:
        note(a9n_notification_port_notify(n));
        break;
    case 1:
        note(a9n_notification_port_poll(n, &word));
        break;
    case 2:
        note(a9n_call7(n, A9N_NOTIFICATION_PORT_IDENTIFY, 0, 0, 0, 0, 0, 0, 0));
        break;
    default:
        note(a9n_notification_port_wait(n, &word));
        break;
    }
}

static void op_irq(void)
{
    switch (rnd(4)) {
    case 0: {
        a9n_word line = chance(80) ? rnd(24) : garbage_word();
        a9n_word dest = free_slot();
        if (note(a9n_interrupt_region_make_port(chance(90) ? D(WS_IRQ) : garbage_descriptor(), line,
                                                D(WS_NODE), dest)) == A9N_SUCCESS)
            set_type(dest, A9N_OBJECT_INTERRUPT_PORT);
        break;
    }
    case 1:
        note(a9n_interrupt_port_bind(desc_of(A9N_OBJECT_INTERRUPT_PORT),
                                     desc_of(A9N_OBJECT_NOTIFICATION_PORT)));
        break;
    case 2:
        note(a9n_interrupt_port_unbind(desc_of(A9N_OBJECT_INTERRUPT_PORT)));
        break;
    default:
        note(a9n_interrupt_port_ack(desc_of(A9N_OBJECT_INTERRUPT_PORT)));
        break;
    }
}

static void op_io(void)
{
    a9n_word io = chance(70) ? D(WS_IO) : desc_of(A9N_OBJECT_IO_PORT);
    a9n_word port = chance(85) ? 0x80 + rnd(16) : garbage_word();
    a9n_word width = chance(85) ? 1u << rnd(3) : garbage_word();
    a9n_word v;
    switch (rnd(3)) {
    case 0:
        note(a9n_io_port_read(io, port, width, &v));
        break;
    case 1:
        note(a9n_io_port_write(io, port, width, garbage_word()));
        break;
    default: {
        a9n_word first = chance(85) ? 0x80 + rnd(16) : garbage_word();
        a9n_word last = chance(85) ? first + rnd(4) : garbage_word();
        a9n_word dest = free_slot();
        if (note(a9n_io_port_mint(io, first, last, D(WS_NODE), dest)) == A9N_SUCCESS)
            set_type(dest, A9N_OBJECT_IO_PORT);
        break;
    }
    }
}

static void op_debug(void)
{
    a9n_word count, next;
    a9n_word cursor = chance(80) ? rnd(64) : garbage_word();
    if (chance(40)) {
        note(a9n_debug_introspect(desc_of(A9N_OBJECT_DEBUG), cursor, &count, &next));
    } else if (chance(50)) {
        /* Leaving out a range of a Node's slots: a Node (or anything), and a range inside it,
         * reaching beyond it, or garbage. */
        a9n_word first = chance(70) ? rnd(1u << 12) : garbage_word();
        a9n_word n = chance(70) ? rnd(1u << 12) : garbage_word();
        note(a9n_debug_introspect_except(desc_of(A9N_OBJECT_DEBUG), cursor,
                                         desc_of(A9N_OBJECT_NODE), first, n, &count, &next));
    } else {
        /* WRITE with a READ-only Debug capability: must be refused, and never printed. */
        note(a9n_call7(D(WS_DEBUG), A9N_DEBUG_WRITE, rnd(64), garbage_word(), garbage_word(), 0, 0,
                       0, 0));
    }
}

/* Any call at all: a random capability (or none), operation and arguments. */
static void op_garbage(void)
{
    struct a9n_regs r;
    r.mr[0] = chance(50) ? D(pick_any()) : garbage_descriptor();
    r.mr[1] = chance(80) ? rnd(8) : garbage_word();
    for (unsigned i = 2; i < A9N_MR_REGISTER_COUNT; i++)
        r.mr[i] = chance(30) ? D(pick_any()) : garbage_word();
    /* Without FUZZ_BLOCK, a call that may wait (operations 1..5 on a port, or on a slot of
     * unknown type) becomes IDENTIFY: it would only stall this worker until the supervisor
     * unblocks it. */
    unsigned type =
        S->type[(r.mr[0] >> (A9N_DESCRIPTOR_INDEX_BITS - WORKER_RADIX)) & (WORKER_SLOTS - 1)];
    bool may_wait = type == A9N_OBJECT_IPC_PORT || type == A9N_OBJECT_NOTIFICATION_PORT ||
                    type == 0 || type == TYPE_UNKNOWN;
    if (!(S->r->mask & FUZZ_BLOCK) && may_wait && r.mr[1] >= 1 && r.mr[1] <= 5)
        r.mr[1] = A9N_IPC_PORT_IDENTIFY;
    scramble_ipc_buffer();
    note(a9n_capability_call(&r));
}

/* A child: a process in a space of its own with our code, sharing our Node, that makes
 * random calls (blocking ones too), faults now and then, and is killed at some point. */
static void op_spawn(void)
{
    if (S->spawn.next + 24 > S->spawn.end) {
        /* The children's slots are used up: kill them all (their slots go empty). */
        for (a9n_word s = WS_SPAWN; s < S->spawn.next; s++)
            if (note(a9n_node_remove(D(WS_NODE), s)) == A9N_SUCCESS)
                set_type(s, 0);
        S->spawn.next = WS_SPAWN;
    }
    struct koito_image image = {WS_IMAGE, WORKER_IPC};
    struct koito_child c;
    unsigned flags =
        KOITO_CHILD_SHARE_ROOT | KOITO_CHILD_NO_DATA | (chance(50) ? KOITO_CHILD_IPC_BUFFER : 0);
    /* Below ours: a child never runs while we can, so it never changes our slots in the
     * middle of a probe. The exception (FUZZ_TLS, two at most) makes no calls but loads FS
     * selectors and yields, at our priority, so the CPU goes from it straight to us. */
    bool fs_child = (S->r->mask & FUZZ_TLS) && S->fs_children < 2 && chance(25);
    unsigned priority = fs_child ? WORKER_PRIORITY : (unsigned)(2 + rnd(WORKER_PRIORITY - 2));
    S->spawn.generic = WS_GENERIC;
    /* The child's argument: its seed, and in bit 0 whether it may load FS selectors. */
    a9n_word arg = (fuzz_next(&S->rng) & ~1ull) | !!(S->r->mask & FUZZ_TLS);
    bool ok = koito_child_create(&S->spawn, &image, &c, fs_child ? child_fs_loop : child_main, arg,
                                 priority, WS_RESOLVER, flags);
    S->r->invocations++; /* counted as one, though it makes a dozen calls */
    if (!ok)
        return;
    S->r->spawned++;
    if (S->r->mask & FUZZ_TLS) {
        /* The same TLS base as ours (an address it does not even map): a kernel that skips
         * reloading a base equal to the last one would leave us with what the child's FS
         * selector loads made of it. */
        a9n_word base = WORKER_REPORT;
        note(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_THREAD_LOCAL_BASE, &base, 1,
                                   NULL));
    }
    if (fs_child) {
        S->fs_children++;
        return; /* not in our table: our own calls leave it alone (garbage may find it) */
    }
    set_type(c.process, A9N_OBJECT_PROCESS);
    set_type(c.as, A9N_OBJECT_ADDRESS_SPACE);
    set_type(c.stack, A9N_OBJECT_FRAME);
}

/* The probe's load, in assembly so that the supervisor knows where it is and where to go on
 * when it faults. */
__asm__(".text\n"
        ".global fuzz_probe_read, fuzz_probe_load, fuzz_probe_resume\n"
        "fuzz_probe_read:\n"
        "fuzz_probe_load:\n"
        "    movq (%rdi), %rax\n"
        "fuzz_probe_resume:\n"
        "    ret\n");

/* Reads `va` expecting a page fault; counts a read that returns instead, and says how the
 * first one came about (for the report). */
static void expect_fault(a9n_word va, a9n_word how)
{
    S->r->probe_address = va;
    uint64_t v = fuzz_probe_read(va);
    S->r->probe_address = 0;
    S->r->probes++;
    if (v != FUZZ_PROBE_FAULTED && S->r->stale++ == 0)
        S->r->stale_how = how;
}

/*
 * A Frame that is unmapped, removed or revoked must be unreachable at once, whatever was
 * done to the tables above it: map a new Frame at a probe address with tables of our own,
 * write it, unmap some of the tables (parents first, which orphans the ones below), take
 * the Frame away, link the unmapped tables again 2 MiB further on, and read both places.
 * Each read must fault (the supervisor turns the fault back into FUZZ_PROBE_FAULTED);
 * reading anything is a stale mapping into memory that may already be someone else's.
 * Nothing else maps at WORKER_PROBE, so a correct kernel leaves nothing there to read.
 */
static void op_probe(void)
{
    a9n_word frame = free_slot();
    if (note(a9n_generic_convert(D(WS_GENERIC), A9N_OBJECT_FRAME, A9N_FRAME_BITS, 1, D(WS_NODE),
                                 frame)) != A9N_SUCCESS)
        return;
    set_type(frame, A9N_OBJECT_FRAME);
    /* Addresses no probe used before (4 MiB each): what a correct kernel leaves there is
     * nothing at all. */
    a9n_word va = WORKER_PROBE + (S->probe_next++ << 22);
    a9n_word again = va + (1ull << 21);
    a9n_word tables[3];
    unsigned count = 0;
    for (;;) {
        a9n_word level;
        a9n_error e = note(a9n_address_space_map(D(WS_AS), D(frame), va, A9N_MAP_WRITE, &level));
        if (e == A9N_SUCCESS)
            break;
        if (e != A9N_ERROR_MISSING_TABLE || count == 3)
            return;
        a9n_word pt = free_slot();
        if (note(a9n_generic_convert(D(WS_GENERIC), A9N_OBJECT_PAGE_TABLE, 0, 1, D(WS_NODE), pt)) !=
            A9N_SUCCESS)
            return;
        set_type(pt, A9N_OBJECT_PAGE_TABLE);
        if (note(a9n_address_space_map(D(WS_AS), D(pt), va, 0, NULL)) != A9N_SUCCESS)
            return;
        tables[count++] = pt; /* highest level first */
    }
    *(volatile uint64_t *)va = 0x5ca1ab1e;
    bool unmapped[3] = {false, false, false};
    for (unsigned k = 0; k < count; k++)
        if (chance(40))
            unmapped[k] = note(a9n_address_space_unmap(D(WS_AS), D(tables[k]))) == A9N_SUCCESS;
    a9n_error e;
    unsigned how_taken = (unsigned)rnd(10);
    if (how_taken < 5)
        e = note(a9n_address_space_unmap(D(WS_AS), D(frame)));
    else if (how_taken < 9)
        e = note(a9n_node_remove(D(WS_NODE), frame));
    else
        e = note(a9n_node_revoke(D(WS_NODE), WS_GENERIC)); /* everything we made, too */
    if (e != A9N_SUCCESS)
        return; /* someone took it first: gone anyway, but we cannot tell since when */
    /* how: the way the Frame went (0 unmap, 1 remove, 2 revoke), which tables were
     * unmapped first (bit k: the table of level 2 - k), which read saw it. */
    a9n_word how = (how_taken < 5 ? 0 : how_taken < 9 ? 1 : 2) | (a9n_word)count << 4;
    for (unsigned k = 0; k < count; k++)
        how |= (a9n_word)unmapped[k] << (8 + k);
    expect_fault(va, how | 1ull << 12);
    for (unsigned k = 0; k < count; k++)
        if (unmapped[k])
            note(a9n_address_space_map(D(WS_AS), D(tables[k]), again, 0, NULL));
    expect_fault(again, how | 2ull << 12);
    expect_fault(va, how | 3ull << 12);
}

/* ---- the private memory checks ---- */

static void fill_private(void)
{
    struct fuzz_report *r = S->r;
    uint64_t *canary = (uint64_t *)WORKER_CANARY;
    for (unsigned i = 0; i < WORKER_CANARY_PGS * 512; i++)
        canary[i] = fuzz_canary(r->canary_seed, r->id, i);
    for (unsigned i = 0; i < PRIVATE_WORDS; i++)
        S->private_data[i] = fuzz_canary(r->canary_seed, r->id + 64, i);
}

static void check_private(const volatile uint64_t *stack_canary)
{
    if (read_fs0() != FUZZ_REPORT_MAGIC)
        S->r->tls_bad++;
    struct fuzz_report *r = S->r;
    const volatile uint64_t *canary = (const volatile uint64_t *)WORKER_CANARY;
    for (unsigned i = 0; i < WORKER_CANARY_PGS * 512; i++)
        if (canary[i] != fuzz_canary(r->canary_seed, r->id, i))
            r->canary_bad++;
    for (unsigned i = 0; i < PRIVATE_WORDS; i++)
        if (S->private_data[i] != fuzz_canary(r->canary_seed, r->id + 64, i))
            r->canary_bad++;
    for (unsigned i = 0; i < STACK_CANARY_WORDS; i++)
        if (stack_canary[i] != fuzz_canary(r->canary_seed, r->id + 128, i))
            r->canary_bad++;
}

/* Operation classes and their weights, in the order of enum fuzz_class. (A switch, not a
 * table of function pointers: such a table could land in a writable section, which a worker
 * does not have.) */
static const uint8_t weights[] = {14, 12, 14, 10, 10, 6, 3, 3, 1, 1, 12, 2, 0, 2};

static void run_class(unsigned i)
{
    switch (1u << i) {
    case FUZZ_NODE:
        op_node();
        break;
    case FUZZ_CONVERT:
        op_convert();
        break;
    case FUZZ_VSPACE:
        op_vspace();
        break;
    case FUZZ_PROCESS:
        op_process();
        break;
    case FUZZ_IPC:
        op_ipc();
        break;
    case FUZZ_NOTIFY:
        op_notify();
        break;
    case FUZZ_IRQ:
        op_irq();
        break;
    case FUZZ_IO:
        op_io();
        break;
    case FUZZ_DEBUG:
        op_debug();
        break;
    case FUZZ_SPAWN:
        op_spawn();
        break;
    case FUZZ_GARBAGE:
        op_garbage();
        break;
    case FUZZ_TOUCH:
        op_touch();
        break;
    case FUZZ_PROBE:
        op_probe();
        break;
    }
}

void worker_main(a9n_word unused)
{
    (void)unused;
    struct fuzz_report *r = (struct fuzz_report *)WORKER_REPORT;
    S->r = r;
    S->rng = r->seed;
    S->image_frames = r->image_frames;
    S->spawn = (struct koito_pool){WS_GENERIC, WS_SPAWN, WORKER_SLOTS, WS_ASID_POOL, 0};
    static const uint8_t fixed_types[WS_SHARED] = {
        0,
        A9N_OBJECT_NODE,
        A9N_OBJECT_GENERIC,
        A9N_OBJECT_ADDRESS_SPACE,
        A9N_OBJECT_PROCESS,
        A9N_OBJECT_DEBUG,
        A9N_OBJECT_IO_PORT,
        A9N_OBJECT_INTERRUPT_REGION,
        A9N_OBJECT_IPC_PORT,
    };
    for (a9n_word s = 1; s < WS_SHARED; s++)
        set_type(s, fixed_types[s]);
    for (a9n_word i = 0; i < WS_SHARED_COUNT; i++)
        set_type(WS_SHARED + i, shared_types[i]);
    for (a9n_word i = 0; i < S->image_frames; i++)
        set_type(WS_IMAGE + i, A9N_OBJECT_FRAME);
    set_type(WS_ASID_POOL, A9N_OBJECT_ASID_POOL);

    volatile uint64_t stack_canary[STACK_CANARY_WORDS];
    for (unsigned i = 0; i < STACK_CANARY_WORDS; i++)
        stack_canary[i] = fuzz_canary(r->canary_seed, r->id + 128, i);
    fill_private();

    unsigned total = 0;
    for (unsigned i = 0; i < sizeof weights; i++)
        if (r->mask & (1u << i))
            total += weights[i];
    for (uint64_t n = 0; total > 0 && n < r->ops; n++) {
        unsigned w = (unsigned)rnd(total);
        for (unsigned i = 0; i < sizeof weights; i++) {
            if (!(r->mask & (1u << i)))
                continue;
            if (w < weights[i]) {
                r->last_op = i;
                run_class(i);
                break;
            }
            w -= weights[i];
        }
        if (n % 256 == 255)
            check_private(stack_canary);
    }
    check_private(stack_canary);
    r->done = 1;
    /* The end: a #UD that the kernel reports to the supervisor (our resolver). A message
     * from the kernel cannot be forged by another worker. */
    __asm__ volatile("ud2");
    for (;;)
        ;
}

/* ---- children ---- */

/* A child that only loads selectors into FS (which in 64-bit mode loads the FS base too) and
 * yields: its TLS base is the same address as its worker's, so a kernel that skips reloading
 * an unchanged base hands the worker whatever the selector load left. */
void child_fs_loop(a9n_word seed)
{
    static const uint16_t selectors[] = {0, 0x1b, 0x23, 0x2b};
    uint64_t rng = seed;
    for (;;) {
        uint16_t sel = selectors[fuzz_next(&rng) % 4];
        __asm__ volatile("mov %0, %%fs" : : "r"(sel));
        a9n_yield();
    }
}

/* Children have no state pages: everything lives on their one-page stack. */
void child_main(a9n_word seed)
{
    uint64_t rng = seed;
    for (;;) {
        uint64_t x = fuzz_next(&rng);
        unsigned what = (unsigned)(x % 100);
        a9n_word slot = (x >> 8) % 4 == 0 ? (x >> 16) % WORKER_SLOTS
                                          : 1 + (x >> 16) % (WS_SHARED + WS_SHARED_COUNT);
        if (what < 45) {
            /* IPC and notifications on the shared and low slots: these block and wake. */
            struct a9n_regs r = {{D(slot), 1 + (x >> 32) % 6, fuzz_next(&rng),
                                  a9n_ipc_info((x >> 40) % 8, (x >> 48) % 8 == 0 ? 1 : 0)}};
            for (unsigned i = 4; i < A9N_MR_REGISTER_COUNT; i++)
                r.mr[i] = fuzz_next(&rng);
            a9n_capability_call(&r);
        } else if (what < 85) {
            struct a9n_regs r;
            r.mr[0] = (x >> 20) % 8 == 0 ? fuzz_next(&rng) : D(slot);
            r.mr[1] = (x >> 24) % 10;
            for (unsigned i = 2; i < A9N_MR_REGISTER_COUNT; i++) {
                uint64_t y = fuzz_next(&rng);
                r.mr[i] = y % 3 == 0 ? D((y >> 8) % WORKER_SLOTS) : y % 3 == 1 ? (y >> 8) % 64 : y;
            }
            a9n_capability_call(&r);
        } else if (what < 93) {
            a9n_yield();
        } else if (what < 95 && (seed & 1)) {
            /* Load a selector into FS (null, the user data selectors, or anything: a #GP),
             * which in 64-bit mode also loads the FS base; then let others run. */
            static const uint16_t selectors[] = {0, 0x1b, 0x23, 0x2b, 0x10};
            uint16_t sel = (x >> 32) % 8 < 5 ? selectors[(x >> 32) % 8] : (uint16_t)(x >> 40);
            __asm__ volatile("mov %0, %%fs" : : "r"(sel));
            a9n_yield();
        } else if (what < 98) {
            /* A wild read: mostly a fault, reported to the resolver. */
            volatile uint64_t *p = (volatile uint64_t *)(fuzz_next(&rng) % A9N_USER_TOP & ~7ull);
            (void)*p;
        } else {
            /* A write to our own code: must fault (it is mapped read-only). */
            *(volatile uint8_t *)(a9n_word)child_main = 0xcc;
        }
    }
}
