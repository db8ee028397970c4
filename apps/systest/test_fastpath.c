/*
 * The IPC fast path's way out (kernel/core/ipc.c, its invariants 1-5): each test sets up
 * the fast path's case (a server waiting in RECEIVE, or a caller waiting for our reply)
 * and breaks exactly one condition, then checks the full path's result. A fast path that
 * took the call anyway would give a different result (each test says which).
 */
#include "systest.h"

#define ROOT D(SLOT_NODE)

static unsigned fp_port;
/* What the server saw of the last message, and how many it served. */
static volatile a9n_word fp_identifier, fp_info, fp_word0, fp_served, fp_flag;

/* Serves fp_port for ever: each call is answered with its identifier, info and first word
 * and the value of fp_flag when the message arrived. */
static void child_fp_server(a9n_word arg)
{
    struct a9n_message m = {0};
    a9n_ipc_port_receive(D(fp_port), &m);
    for (;;) {
        fp_identifier = m.identifier;
        fp_info = m.info;
        fp_word0 = m.word[0];
        fp_served++;
        m = (struct a9n_message){.info = 4, .word = {m.identifier, m.info, m.word[0], fp_flag}};
        a9n_ipc_port_reply_receive(D(fp_port), &m);
    }
}

/* A server of `priority` waiting in RECEIVE on a new fp_port. */
static bool fp_server(struct child *c, unsigned priority, unsigned flags)
{
    fp_port = make_port();
    fp_served = 0;
    fp_flag = 0;
    if (fp_port == 0 || !child_create(c, child_fp_server, 0, priority, 0, CHILD_SHARE_ROOT | flags))
        return false;
    settle();
    return true;
}

/* Invariant 3: a CALL through a capability without WRITE is refused, and the waiting server
 * is left waiting (a fast path that skipped the check would hand it the message). */
TEST(fastpath_call_without_write_right_is_refused)
{
    struct child c;
    CHECK(fp_server(&c, 200, 0));
    unsigned ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(fp_port), A9N_RIGHT_READ, 0));
    struct a9n_message m = {.info = 1, .word = {7}};
    CHECK_EQ(a9n_ipc_port_call(D(ro), &m), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(fp_served, 0);
    m = (struct a9n_message){.info = 1, .word = {8}};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ(fp_served, 1);
    CHECK_EQ(m.word[2], 8);
}

/* The fast path delivers the identifier of the capability called through (a badge). */
TEST(fastpath_call_delivers_the_identifier)
{
    struct child c;
    CHECK(fp_server(&c, 200, 0));
    unsigned badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(fp_port), A9N_RIGHT_WRITE, 0x1234));
    struct a9n_message m = {.info = 2, .word = {5, 6}};
    CHECK_OK(a9n_ipc_port_call(D(badged), &m));
    CHECK_EQ(fp_identifier, 0x1234);
    CHECK_EQ(m.identifier, 0); /* a reply carries none */
    CHECK_EQ(m.word[0], 0x1234);
    CHECK_EQ(m.word[1], 2);
}

/* Invariant 5: the server waits, but a process of higher priority than the server is ready.
 * The CALL must go through the scheduler, which runs that process first (a fast path that
 * ignored priorities would run the server at once: fp_flag would still be 0). */
static void child_sets_flag(a9n_word arg)
{
    fp_flag = 1;
    park();
}

TEST(fastpath_call_to_a_lower_priority_server_lets_the_ready_one_run_first)
{
    struct child server, ready;
    CHECK(fp_server(&server, 50, 0));
    /* Ready (not yet run: we have the top priority), above the server. */
    CHECK(child_create(&ready, child_sets_flag, 0, 200, 0, CHILD_SHARE_ROOT));
    struct a9n_message m = {.info = 0};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ(m.word[3], 1); /* the ready process ran before the server got the call */
}

/* Invariant 2: a descriptor that is not a slot of the root Node takes the full path's walk,
 * with the same result. */
TEST(fastpath_call_through_a_nested_descriptor)
{
    struct child c;
    CHECK(fp_server(&c, 200, 0));
    unsigned node = make(A9N_OBJECT_NODE, 4);
    CHECK(node != 0);
    CHECK_OK(a9n_node_copy(D(node), 3, D(fp_port)));
    a9n_word nested = a9n_descriptor_append(D(node), 3, 4);
    struct a9n_message m = {.info = 1, .word = {42}};
    CHECK_OK(a9n_ipc_port_call(nested, &m));
    CHECK_EQ(m.word[2], 42);
    /* An empty slot through the same Node: the walk's error. */
    CHECK_EQ(a9n_ipc_port_call(a9n_descriptor_append(D(node), 4, 4), &m), A9N_ERROR_EMPTY_SLOT);
    CHECK_EQ(fp_served, 1);
}

/* Invariant 1: a message longer than the registers goes through the IPC buffers. */
TEST(fastpath_call_with_buffer_words_to_a_waiting_server)
{
    struct child c;
    CHECK(fp_server(&c, 200, KOITO_CHILD_IPC_BUFFER));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    buffer->message[A9N_MR_REGISTER_COUNT] = 0xabc;
    struct a9n_message m = {.info = 6, .word = {1, 2, 3, 4, 5}};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ(fp_info & A9N_IPC_LENGTH_MASK, 6); /* all six arrived (both have buffers) */
    CHECK_EQ(m.word[1], 6);
}

/* Invariant 1: the server has no IPC buffer: only the register words reach it. */
TEST(fastpath_call_with_buffer_words_to_a_server_without_buffer)
{
    struct child c;
    CHECK(fp_server(&c, 200, 0));
    struct a9n_message m = {.info = 6, .word = {1, 2, 3, 4, 5}};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ(fp_info & A9N_IPC_LENGTH_MASK, 5);
}

/* Invariant 1: a CALL carrying a capability to a waiting server: it arrives. */
static unsigned fp_gift_id;
static void child_fp_cap_server(a9n_word arg)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    buffer->transfer_destination_node = a9n_descriptor_append(0, 2, 4);
    buffer->transfer_destination_index = 8;
    struct a9n_message m = {0};
    a9n_ipc_port_receive(a9n_descriptor_append(0, 1, 4), &m);
    a9n_word id = 0;
    a9n_error e = a9n_ipc_port_identify(a9n_descriptor_append(0, 8, 4), &id);
    fp_gift_id = (unsigned)id;
    struct a9n_message r = {.info = 2, .word = {m.info, e}};
    a9n_ipc_port_reply(a9n_descriptor_append(0, 1, 4), &r);
    park();
}

TEST(fastpath_call_carrying_a_capability_to_a_waiting_server)
{
    struct child c;
    fp_port = make_port();
    CHECK(child_create(&c, child_fp_cap_server, 0, 200, 0, KOITO_CHILD_IPC_BUFFER));
    CHECK_OK(a9n_node_copy(D(c.node), 1, D(fp_port)));
    CHECK_OK(a9n_node_copy(D(c.node), 2, D(c.node)));
    settle(); /* it waits in RECEIVE now */
    unsigned gift = make_port(), badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(gift), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0x77));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    buffer->transfer_source[0] = D(badged);
    struct a9n_message m = {.info = a9n_ipc_info(0, 1)};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ((m.word[0] >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK, 1);
    CHECK_EQ(m.word[1], A9N_SUCCESS);
    CHECK_EQ(fp_gift_id, 0x77);
    /* Without COPY, the call is refused before anything moves. */
    unsigned weak = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, weak, D(gift), A9N_RIGHT_WRITE, 0));
    buffer->transfer_source[0] = D(weak);
    m = (struct a9n_message){.info = a9n_ipc_info(0, 1)};
    CHECK_EQ(a9n_ipc_port_call(D(fp_port), &m), A9N_ERROR_PERMISSION_DENIED);
}

/* Invariant 4: REPLY_RECEIVE while another caller already waits on the port: the reply
 * goes out and that caller's message comes back at once (a fast path would block the server
 * behind a queue of senders). */
static volatile a9n_word fp_client_result[2];
static void child_fp_client(a9n_word which)
{
    struct a9n_message m = {.info = 1, .word = {100 + which}};
    a9n_error e = a9n_ipc_port_call(D(fp_port), &m);
    fp_client_result[which] = e == A9N_SUCCESS ? m.word[0] : 0xdead;
    park();
}

TEST(fastpath_reply_receive_with_a_sender_waiting)
{
    fp_port = make_port();
    fp_client_result[0] = fp_client_result[1] = 0;
    struct child c0, c1;
    CHECK(child_create(&c0, child_fp_client, 0, 200, 0, CHILD_SHARE_ROOT));
    settle();
    CHECK(child_create(&c1, child_fp_client, 1, 200, 0, CHILD_SHARE_ROOT));
    settle(); /* both wait on the port, 0 first */
    struct a9n_message m;
    CHECK_OK(receive(fp_port, &m));
    CHECK_EQ(m.word[0], 100);
    m = (struct a9n_message){.info = 1, .word = {500}};
    CHECK_OK(a9n_ipc_port_reply_receive(D(fp_port), &m));
    CHECK_EQ(m.word[0], 101); /* the second caller's message, without blocking */
    m = (struct a9n_message){.info = 1, .word = {501}};
    CHECK_OK(a9n_ipc_port_reply(D(fp_port), &m));
    settle();
    CHECK_EQ(fp_client_result[0], 500);
    CHECK_EQ(fp_client_result[1], 501);
}

/* Invariant 4: REPLY_RECEIVE with bits pending in the server's bound notification: the
 * reply goes out and the RECEIVE returns the notification at once. */
static unsigned fp_note;
static volatile a9n_word fp_note_info, fp_note_done;
static void child_fp_bound_server(a9n_word arg)
{
    struct a9n_message m = {0};
    a9n_ipc_port_receive(D(fp_port), &m);
    a9n_notification_port_notify(D(fp_note));
    m = (struct a9n_message){.info = 1, .word = {9}};
    a9n_ipc_port_reply_receive(D(fp_port), &m);
    fp_note_info = m.info;
    fp_note_done = 1;
    park();
}

TEST(fastpath_reply_receive_with_notification_bits_pending)
{
    fp_port = make_port();
    fp_note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    fp_note_done = 0;
    struct child c;
    CHECK(fp_note != 0);
    CHECK(child_create(&c, child_fp_bound_server, 0, 200, 0, CHILD_SHARE_ROOT));
    a9n_word v[1] = {D(fp_note)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
    settle();
    struct a9n_message m = {.info = 0};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
    CHECK_EQ(m.word[0], 9);
    settle();
    CHECK_EQ(fp_note_done, 1);
    CHECK_EQ(fp_note_info, A9N_IPC_NOTIFICATION);
}

/* ---- the light path (kernel/core/run.c): a call of an operation its object lacks ---- */

/* Calls operation `op` on `cap` with every other register set; the call must fail with
 * `want` and leave MR2..MR8 as they were. */
static void call_unknown(a9n_word cap, a9n_word op, a9n_error want)
{
    struct a9n_regs r;
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        r.mr[i] = 0x71000 + i;
    r.mr[0] = cap;
    r.mr[1] = op;
    CHECK_EQ(a9n_capability_call(&r), want);
    CHECK_EQ(r.mr[A9N_MR_SUCCESS], 0);
    CHECK_EQ(r.mr[A9N_MR_ERROR], want);
    for (unsigned i = 2; i < A9N_MR_REGISTER_COUNT; i++)
        CHECK_EQ(r.mr[i], 0x71000 + i);
}

TEST(light_path_unknown_operations_fail_at_once)
{
    struct {
        a9n_word cap, last;
    } known[] = {
        {D(SLOT_DEBUG), A9N_DEBUG_INTROSPECT},
        {D(test_generic), A9N_GENERIC_CONVERT_FILLED},
        {D(SLOT_PROCESS), A9N_PROCESS_SUSPEND},
        {D(make_port()), A9N_IPC_PORT_IDENTIFY},
        {D(make(A9N_OBJECT_NOTIFICATION_PORT, 0)), A9N_NOTIFICATION_PORT_IDENTIFY},
        {D(SLOT_INTERRUPT_REGION), A9N_INTERRUPT_REGION_MAKE_PORT},
        {D(SLOT_IO_PORT), A9N_IO_PORT_MINT},
        {D(SLOT_ASID_POOL), A9N_ASID_POOL_ASSIGN},
    };
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++) {
        call_unknown(known[i].cap, 0, A9N_ERROR_ILLEGAL_OPERATION);
        call_unknown(known[i].cap, known[i].last + 1, A9N_ERROR_ILLEGAL_OPERATION);
        call_unknown(known[i].cap, ~0ull, A9N_ERROR_ILLEGAL_OPERATION);
    }
    /* The same through a descriptor that is not a root slot (the full path's walk). */
    unsigned node = make(A9N_OBJECT_NODE, 4);
    CHECK(node != 0);
    CHECK_OK(a9n_node_copy(D(node), 2, D(SLOT_DEBUG)));
    call_unknown(a9n_descriptor_append(D(node), 2, 4), 0, A9N_ERROR_ILLEGAL_OPERATION);
    /* An empty slot: the lookup's error, not the operation's. */
    call_unknown(D(slot_alloc()), 0, A9N_ERROR_EMPTY_SLOT);
}

/* Types whose invocation checks something before the operation keep that order: an Address
 * Space without an ASID says so whatever the operation. */
TEST(light_path_leaves_other_checks_first)
{
    unsigned as = slot_alloc();
    CHECK_OK(a9n_generic_convert(D(test_generic), A9N_OBJECT_ADDRESS_SPACE, 0, 1, ROOT, as));
    call_unknown(D(as), 0, A9N_ERROR_NO_ASID);
    call_unknown(D(as), 99, A9N_ERROR_NO_ASID);
}

/* A yield with nothing else ready returns at once; with a process of the same priority
 * ready, that one runs first. */
static volatile a9n_word yield_seen;
static void child_yield_mark(a9n_word arg)
{
    yield_seen = 1;
    park();
}

TEST(yield_runs_a_ready_process_of_the_same_priority)
{
    a9n_yield(); /* nothing ready: straight back */
    /* The child shares our priority, so a timer tick while we make it (the checked kernel's
     * calls are long) lets it run before the yield: then the yield proves nothing, and the
     * test tries again with a new child (the tick comes every 10 ms, far apart). */
    for (unsigned tries = 0; tries < 4; tries++) {
        yield_seen = 0;
        struct child c;
        CHECK(child_create(&c, child_yield_mark, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
        if (yield_seen != 0)
            continue;
        a9n_yield();
        CHECK_EQ(yield_seen, 1);
        return;
    }
    CHECK(!"every child ran before the yield");
}

/* ---- a process whose Address Space died never runs (core/run.h: run_process_root) ---- */

#ifndef SYSTEST_DECLARED
/*
 * The scheduler and the fast path keep, per process, the last root they found live and skip
 * the ASID table until an Address Space may have died. Each test below lets a process run
 * once (so that its root is known), then removes the ASID Pool its Address Space got its
 * ASID from (the pool's end releases the Address Space: every table emptied, the ASID entry
 * freed; the process keeps its capability), and then makes that process the next to run:
 * by a CALL (fast path, CALL half), a REPLY_RECEIVE (fast path, REPLY_RECEIVE half) and a
 * notification (the scheduler). It must not run. Had it run, on its empty tables, its first
 * instruction would fault, and the fault would go to a watcher waiting on its resolver port.
 */
static unsigned dead_resolver;
static volatile a9n_word dead_faults, dead_result;

static void child_fault_watcher(a9n_word arg)
{
    for (;;) {
        struct a9n_message m = {0};
        if (a9n_ipc_port_receive(D(dead_resolver), &m) == A9N_SUCCESS)
            dead_faults++;
    }
}

/* A new ASID Pool in *pool, and a watcher on a new resolver port. */
static bool dead_setup(unsigned *pool)
{
    dead_faults = 0;
    dead_result = 0;
    *pool = slot_alloc();
    dead_resolver = make_port();
    struct child w;
    return dead_resolver != 0 &&
           a9n_asid_control_make_pool(D(A9N_ROOT_SLOT_ASID_CONTROL), D(test_generic), ROOT,
                                      *pool) == A9N_SUCCESS &&
           child_create(&w, child_fault_watcher, 0, 220, 0, CHILD_SHARE_ROOT);
}

/* A child whose Address Space gets its ASID from `pool`, with the watcher's resolver. */
static bool dead_child(struct child *c, void (*entry)(a9n_word), unsigned priority, unsigned pool)
{
    test_pool.asid_pool = pool;
    bool ok = child_create(c, entry, 0, priority, dead_resolver, CHILD_SHARE_ROOT);
    test_pool.asid_pool = SLOT_ASID_POOL;
    return ok;
}

/* CALL half: a server that served one call (it ran), its Address Space then dies while it
 * waits in RECEIVE; a client's CALL finds it first in the queue. */
static void child_dead_client(a9n_word arg)
{
    struct a9n_message m = {.info = 1, .word = {77}};
    dead_result = a9n_ipc_port_call(D(fp_port), &m) == A9N_SUCCESS ? 1 : 2;
    park();
}

TEST(fastpath_call_never_runs_a_server_whose_address_space_died)
{
    unsigned pool;
    struct child server, client;
    CHECK(dead_setup(&pool));
    fp_port = make_port();
    fp_served = 0;
    CHECK(dead_child(&server, child_fp_server, 200, pool));
    settle();
    struct a9n_message m = {.info = 1, .word = {5}};
    CHECK_OK(a9n_ipc_port_call(D(fp_port), &m)); /* it runs: its root is known */
    CHECK_EQ(fp_served, 1);
    CHECK_OK(a9n_node_remove(ROOT, pool)); /* its Address Space is released */
    CHECK(child_create(&client, child_dead_client, 0, 200, 0, CHILD_SHARE_ROOT));
    settle();
    CHECK_EQ(dead_faults, 0); /* the server did not run */
    CHECK_EQ(fp_served, 1);
    CHECK_EQ(dead_result, 0); /* the client still waits for a reply that cannot come */
}

/* Any ASID release makes every recorded root stale, live or not: the fast path then leaves
 * the next call to the full path (whose scheduler checks the table and records the root
 * again), with the same result. Both halves, twice: the first time after the release goes the
 * full way, the second fast again. */
TEST(fastpath_after_an_unrelated_address_space_died)
{
    struct child server;
    CHECK(fp_server(&server, 200, 0));
    for (unsigned round = 0; round < 2; round++) {
        unsigned other = make(A9N_OBJECT_ADDRESS_SPACE, 0); /* with an ASID: make() assigns */
        CHECK(other != 0);
        CHECK_OK(a9n_node_remove(ROOT, other)); /* asid_free: the epoch moves */
        for (unsigned i = 0; i < 2; i++) {
            struct a9n_message m = {.info = 1, .word = {40 + i}};
            CHECK_OK(a9n_ipc_port_call(D(fp_port), &m));
            CHECK_EQ(m.info, 4);
            CHECK_EQ(m.word[1], 1);
            CHECK_EQ(m.word[2], 40 + i);
        }
    }
    CHECK_EQ(fp_served, 4);
}

/* REPLY_RECEIVE half: a caller (it ran to make its call) whose Address Space dies while it
 * waits for our reply. */
static void child_dead_caller(a9n_word arg)
{
    struct a9n_message m = {.info = 1, .word = {88}};
    a9n_ipc_port_call(D(fp_port), &m);
    dead_result = 1; /* only if it ran again */
    park();
}

/* Wakes the test out of its RECEIVE once everything above it has had its turn. */
static void child_dead_waker(a9n_word arg)
{
    struct a9n_message m = {.info = 1, .word = {99}};
    a9n_ipc_port_call(D(fp_port), &m);
    park();
}

TEST(fastpath_reply_receive_never_runs_a_caller_whose_address_space_died)
{
    unsigned pool;
    struct child caller, waker;
    CHECK(dead_setup(&pool));
    fp_port = make_port();
    CHECK(dead_child(&caller, child_dead_caller, 200, pool));
    settle(); /* it ran and waits on the port with its call */
    struct a9n_message m;
    CHECK_OK(receive(fp_port, &m));
    CHECK_EQ(m.word[0], 88);
    CHECK_OK(a9n_node_remove(ROOT, pool));
    CHECK(child_create(&waker, child_dead_waker, 0, 2, 0, CHILD_SHARE_ROOT));
    m = (struct a9n_message){.info = 1, .word = {1}};
    CHECK_OK(a9n_ipc_port_reply_receive(D(fp_port), &m));
    CHECK_EQ(m.word[0], 99); /* the waker's call: the caller did not run first */
    CHECK_EQ(dead_faults, 0);
    CHECK_EQ(dead_result, 0);
}

/* The scheduler: a process blocked in WAIT (it ran) whose Address Space dies, then woken. */
static unsigned dead_note;
static void child_dead_waiter(a9n_word arg)
{
    a9n_word w;
    a9n_notification_port_wait(D(dead_note), &w);
    dead_result = 1; /* only if it ran again */
    park();
}

TEST(scheduler_never_runs_a_process_whose_address_space_died)
{
    unsigned pool;
    struct child waiter;
    CHECK(dead_setup(&pool));
    dead_note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    CHECK(dead_note != 0);
    CHECK(dead_child(&waiter, child_dead_waiter, 200, pool));
    settle(); /* it ran and waits */
    CHECK_OK(a9n_node_remove(ROOT, pool));
    CHECK_OK(a9n_notification_port_notify(D(dead_note)));
    settle();
    CHECK_EQ(dead_faults, 0);
    CHECK_EQ(dead_result, 0);
}
#endif
