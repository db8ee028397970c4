/* Debug output, IO Ports, and what happens to calls that make no sense. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

TEST(debug_write_and_limits)
{
    struct a9n_regs r = {{D(SLOT_DEBUG), A9N_DEBUG_WRITE, 8}};
    __builtin_memcpy(&r.mr[3], "# debug\n", 8);
    CHECK_OK(a9n_capability_call(&r));
    struct a9n_regs big = {{D(SLOT_DEBUG), A9N_DEBUG_WRITE, 5000}};
    CHECK_EQ(a9n_capability_call(&big), A9N_ERROR_INVALID_ARGUMENT);
    unsigned ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(SLOT_DEBUG), A9N_RIGHT_READ, 0));
    struct a9n_regs denied = {{D(ro), A9N_DEBUG_WRITE, 1}};
    CHECK_EQ(a9n_capability_call(&denied), A9N_ERROR_PERMISSION_DENIED);
}

TEST(io_port_in_range)
{
    unsigned uart = slot_alloc();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), 0x3f8, 0x3ff, ROOT, uart));
    a9n_word lsr;
    CHECK_OK(a9n_io_port_read(D(uart), 0x3fd, 1, &lsr));
    CHECK(lsr & 0x20); /* COM1's transmitter is idle between our polled writes */
    CHECK_OK(a9n_io_port_read(D(uart), 0x3fc, 4, &lsr)); /* 0x3fc..0x3ff: the last four */
}

TEST(io_port_out_of_range_refused)
{
    unsigned uart = slot_alloc();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), 0x3f8, 0x3ff, ROOT, uart));
    a9n_word v;
    CHECK_EQ(a9n_io_port_read(D(uart), 0x3f7, 1, &v), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_io_port_read(D(uart), 0x3fe, 4, &v), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_io_port_read(D(uart), 0x3f8, 3, &v), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_io_port_write(D(uart), 0xf4, 4, 0x11), A9N_ERROR_INVALID_ARGUMENT);
    unsigned wider = slot_alloc();
    CHECK_EQ(a9n_io_port_mint(D(uart), 0x3f0, 0x3ff, ROOT, wider), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_io_port_mint(D(uart), 0x3fa, 0x3f9, ROOT, wider), A9N_ERROR_INVALID_ARGUMENT);
    unsigned ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(uart), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_io_port_write(D(ro), 0x3f9, 1, 0), A9N_ERROR_PERMISSION_DENIED);
}

TEST(unknown_operations_are_illegal)
{
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    CHECK_EQ(a9n_call7(D(frame), 99, 0, 0, 0, 0, 0, 0, 0), A9N_ERROR_ILLEGAL_OPERATION);
    CHECK_EQ(a9n_call7(ROOT, 0, 0, 0, 0, 0, 0, 0, 0), A9N_ERROR_ILLEGAL_OPERATION);
    unsigned pt = make(A9N_OBJECT_PAGE_TABLE, 0);
    CHECK_EQ(a9n_call7(D(pt), 1, 0, 0, 0, 0, 0, 0, 0), A9N_ERROR_ILLEGAL_OPERATION);
    CHECK_EQ(a9n_call7(D(slot_alloc()), 1, 0, 0, 0, 0, 0, 0, 0), A9N_ERROR_EMPTY_SLOT);
}

TEST(unknown_system_call_type_is_refused)
{
    register a9n_word mr0 __asm__("rsi") = 0;
    register a9n_word mr1 __asm__("rdx") = 0;
    __asm__ volatile("syscall"
                     : "+r"(mr0), "+r"(mr1)
                     : "D"(7ull)
                     : "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "r14", "r15", "memory");
    CHECK_EQ(mr0, 0);
    CHECK_EQ(mr1, A9N_ERROR_ILLEGAL_OPERATION);
}

static volatile double child_saw;

static void child_clobber_xmm7(a9n_word arg)
{
    double mine = 2.25;
    for (;;) {
        __asm__ volatile("movsd %0, %%xmm7" : : "m"(mine) : "xmm7");
        a9n_yield();
        double now;
        __asm__ volatile("movsd %%xmm7, %0" : "=m"(now));
        child_saw = now;
    }
}

TEST(fpu_state_is_per_process)
{
    /* Two processes keep different values in xmm7 across switches between them. */
    child_saw = 0;
    struct child c;
    CHECK(child_create(&c, child_clobber_xmm7, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    double x = 1.5;
    __asm__ volatile("movsd %0, %%xmm7" : : "m"(x) : "xmm7");
    for (int tries = 0; tries < 100 && child_saw == 0; tries++)
        a9n_yield();
    double y;
    __asm__ volatile("movsd %%xmm7, %0" : "=m"(y));
    CHECK(y == 1.5);
    CHECK(child_saw == 2.25);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

TEST(debug_introspect_sees_the_live_tree)
{
    unsigned port = make_port(), badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(port), A9N_RIGHT_WRITE, 0xbad9e));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    const struct a9n_introspect_record *r =
        (const struct a9n_introspect_record *)&buffer->message[A9N_MR_REGISTER_COUNT];
    a9n_word cursor = 0, total = 0, port_object = 0, found_badge = 0, parent_depth = 0;
    bool saw_self = false;
    do {
        a9n_word n, next;
        CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), cursor, &n, &next));
        CHECK(n > 0 && n <= A9N_INTROSPECT_PER_CALL);
        for (a9n_word i = 0; i < n; i++) {
            unsigned type = a9n_introspect_type(r[i].kind);
            /* Our root Node holds itself in slot 1: the record's slot lies inside it. */
            if (type == A9N_OBJECT_NODE &&
                r[i].slot == r[i].object + ((a9n_word)SLOT_NODE << A9N_SLOT_BITS))
                saw_self = true;
            if (type == A9N_OBJECT_IPC_PORT && r[i].data[0] == 0xbad9e) {
                found_badge = 1;
                CHECK_EQ(r[i].object, port_object); /* minted from the port just above */
                CHECK_EQ(a9n_introspect_depth(r[i].kind), parent_depth + 1);
                CHECK_EQ(a9n_introspect_rights(r[i].kind), A9N_RIGHT_WRITE);
            } else if (type == A9N_OBJECT_IPC_PORT) {
                port_object = r[i].object;
                parent_depth = a9n_introspect_depth(r[i].kind);
            }
        }
        total += n;
        cursor = next;
    } while (cursor != 0);
    CHECK(saw_self);
    CHECK(found_badge);
    CHECK(total > 80); /* Generics, image frames, page tables, the test's objects... */
    unsigned ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(SLOT_DEBUG), A9N_RIGHT_WRITE, 0));
    a9n_word n, next;
    CHECK_EQ(a9n_debug_introspect(D(ro), 0, &n, &next), A9N_ERROR_PERMISSION_DENIED);
}

/* INTROSPECT can leave out a range of a Node's slots: their records go, the capabilities
 * derived from them (elsewhere) stay, and a range that names no Node or lies beyond it is
 * refused with its own error, leaving the walk in progress as it was. */
TEST(debug_introspect_leaves_out_a_range)
{
    enum { BADGE = 0x7a0000 };
    unsigned port = make_port(), node = make(A9N_OBJECT_NODE, 4), outside = slot_alloc();
    CHECK(node != 0);
    /* Children of the port: three in the Node's slots 0..2, one in a root slot. */
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(a9n_node_mint(D(node), i, D(port), A9N_RIGHT_WRITE, BADGE + i));
    CHECK_OK(a9n_node_mint(ROOT, outside, D(port), A9N_RIGHT_WRITE, BADGE + 3));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    const struct a9n_introspect_record *r =
        (const struct a9n_introspect_record *)&buffer->message[A9N_MR_REGISTER_COUNT];
    /* Slots 0 and 1 of the Node left out. */
    bool seen[4] = {false};
    a9n_word cursor = 0, n, next, all = 0, some = 0;
    do {
        CHECK_OK(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(node), 0, 2, &n, &next));
        for (a9n_word i = 0; i < n; i++)
            if (a9n_introspect_type(r[i].kind) == A9N_OBJECT_IPC_PORT && r[i].data[0] >= BADGE &&
                r[i].data[0] < BADGE + 4)
                seen[r[i].data[0] - BADGE] = true;
        some += n;
        cursor = next;
    } while (cursor != 0);
    CHECK(!seen[0] && !seen[1] && seen[2] && seen[3]);
    /* The same walk leaving out nothing has exactly those two records more. */
    do {
        CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), cursor, &n, &next));
        all += n;
        cursor = next;
    } while (cursor != 0);
    CHECK_EQ(all, some + 2);
    /* Bad ranges, each in the middle of a walk that goes on afterwards. */
    CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), 0, &n, &cursor));
    CHECK(cursor != 0);
    a9n_word n2, next2;
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(slot_alloc()), 0, 1, &n2, &next2),
             A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(port), 0, 1, &n2, &next2),
             A9N_ERROR_WRONG_TYPE);
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, ~0ull, 0, 1, &n2, &next2),
             A9N_ERROR_INVALID_DESCRIPTOR);
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(node), 16, 1, &n2, &next2),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(node), 0, 17, &n2, &next2),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(node), 8, ~0ull, &n2, &next2),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_OK(a9n_debug_introspect_except(D(SLOT_DEBUG), cursor, D(node), 0, 16, &n2, &next2));
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(a9n_node_remove(D(node), i));
    CHECK_OK(a9n_node_remove(ROOT, outside));
}

/* INTROSPECT resumes where it stopped, from a position the kernel keeps: a capability removed
 * at that position moves it on (never a stale slot), a cursor that is not the walk in
 * progress is refused, and a new walk makes the old cursor invalid. */
TEST(debug_introspect_resumes_from_a_kept_position)
{
    enum { CHILDREN = 2 * A9N_INTROSPECT_PER_CALL, BADGE = 0x5e0000 };
    unsigned port = make_port(), slots[CHILDREN];
    /* Children of the port, newest first in the derivation list: BADGE+N-1 ... BADGE+0. */
    for (unsigned i = 0; i < CHILDREN; i++) {
        slots[i] = slot_alloc();
        CHECK_OK(a9n_node_mint(ROOT, slots[i], D(port), A9N_RIGHT_WRITE, BADGE + i));
    }
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    const struct a9n_introspect_record *r =
        (const struct a9n_introspect_record *)&buffer->message[A9N_MR_REGISTER_COUNT];
    a9n_word cursor = 0, n, next, removed = 0, after_removal = 0;
    bool seen_removed = false;
    do {
        CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), cursor, &n, &next));
        if (after_removal == 1) {
            /* The batch right after the removal starts with the child after the removed one. */
            CHECK(n > 0);
            CHECK_EQ(r[0].data[0], removed - 1);
            after_removal = 2;
        }
        for (a9n_word i = 0; i < n; i++)
            seen_removed |= removed != 0 && a9n_introspect_type(r[i].kind) == A9N_OBJECT_IPC_PORT &&
                            r[i].data[0] == removed;
        a9n_word last = n > 0 ? r[n - 1].data[0] : 0;
        if (removed == 0 && next != 0 &&
            a9n_introspect_type(r[n - 1].kind) == A9N_OBJECT_IPC_PORT && last >= BADGE + 2 &&
            last < BADGE + CHILDREN) {
            /* The walk resumes at the child minted just before this one: remove it. */
            removed = last - 1;
            CHECK_OK(a9n_node_remove(ROOT, slots[removed - BADGE]));
            after_removal = 1;
            /* Any other cursor is refused, and changes nothing. */
            a9n_word n2, next2;
            CHECK_EQ(a9n_debug_introspect(D(SLOT_DEBUG), next + 1, &n2, &next2),
                     A9N_ERROR_INVALID_ARGUMENT);
        }
        cursor = next;
    } while (cursor != 0);
    CHECK(removed != 0);
    CHECK_EQ(after_removal, 2);
    CHECK(!seen_removed);
    /* A new walk makes the old cursor invalid. */
    a9n_word first;
    CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), 0, &n, &first));
    CHECK(first != 0);
    CHECK_OK(a9n_debug_introspect(D(SLOT_DEBUG), 0, &n, &next));
    CHECK_EQ(a9n_debug_introspect(D(SLOT_DEBUG), first, &n, &next), A9N_ERROR_INVALID_ARGUMENT);
    for (unsigned i = 0; i < CHILDREN; i++)
        if (BADGE + i != removed)
            CHECK_OK(a9n_node_remove(ROOT, slots[i]));
}
