/* IPC Ports between processes. */
#include "systest.h"

#define ROOT D(A9N_ROOT_SLOT_NODE)

static unsigned port_a, port_b;

static void child_send_badged(a9n_word cap)
{
    struct a9n_message m = {.info = 3, .word = {11, 22, 33, 0, 0}};
    a9n_ipc_port_send(cap, &m);
    for (;;)
        a9n_yield();
}

TEST(ipc_send_delivers_words_and_identifier)
{
    port_a = make_port();
    unsigned badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(port_a), A9N_RIGHT_WRITE, 77));
    struct child c;
    CHECK(child_create(&c, child_send_badged, D(badged), 200, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(port_a, &m));
    CHECK_EQ(m.identifier, 77);
    CHECK_EQ(m.info & A9N_IPC_LENGTH_MASK, 3);
    CHECK_EQ(m.word[0], 11);
    CHECK_EQ(m.word[1], 22);
    CHECK_EQ(m.word[2], 33);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static void child_call_then_report(a9n_word arg)
{
    struct a9n_message m = {.info = 2, .word = {5, 6, 0, 0, 0}};
    a9n_error e = a9n_ipc_port_call(D(port_a), &m);
    struct a9n_message r = {.info = 3, .word = {e, m.word[0], m.identifier, 0, 0}};
    a9n_ipc_port_send(D(port_b), &r);
    for (;;)
        a9n_yield();
}

TEST(ipc_call_and_reply)
{
    port_a = make_port();
    port_b = make_port();
    struct child c;
    CHECK(child_create(&c, child_call_then_report, 0, 200, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(port_a, &m));
    CHECK_EQ(m.word[0] + m.word[1], 11);
    struct a9n_message reply = {.info = 1, .word = {m.word[0] * m.word[1], 0, 0, 0, 0}};
    CHECK_OK(a9n_ipc_port_reply(D(port_a), &reply));
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], A9N_SUCCESS);
    CHECK_EQ(m.word[1], 30);
    CHECK_EQ(m.word[2], 0); /* a reply carries no identifier */
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

TEST(ipc_reply_is_one_shot)
{
    port_a = make_port();
    port_b = make_port();
    struct a9n_message m = {0};
    CHECK_EQ(a9n_ipc_port_reply(D(port_a), &m), A9N_ERROR_ILLEGAL_OPERATION);
    struct child c;
    CHECK(child_create(&c, child_call_then_report, 0, 200, 0, CHILD_SHARE_ROOT));
    CHECK_OK(receive(port_a, &m));
    struct a9n_message reply = {.info = 1, .word = {1, 0, 0, 0, 0}};
    CHECK_OK(a9n_ipc_port_reply(D(port_a), &reply));
    CHECK_EQ(a9n_ipc_port_reply(D(port_a), &reply), A9N_ERROR_ILLEGAL_OPERATION);
    CHECK_OK(receive(port_b, &m));
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

TEST(ipc_rights_checked)
{
    unsigned port = make_port();
    unsigned ro = slot_alloc(), wo = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(port), A9N_RIGHT_READ, 0));
    CHECK_OK(a9n_node_mint(ROOT, wo, D(port), A9N_RIGHT_WRITE, 0));
    struct a9n_message m = {0};
    CHECK_EQ(a9n_ipc_port_send(D(ro), &m), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_ipc_port_call(D(ro), &m), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_ipc_port_receive(D(wo), &m), A9N_ERROR_PERMISSION_DENIED);
    m.info = 255;
    CHECK_EQ(a9n_ipc_port_send(D(wo), &m), A9N_ERROR_INVALID_ARGUMENT);
}

enum { PINGS = 10000 };

static void child_ping(a9n_word arg)
{
    a9n_word bad = 0;
    for (a9n_word i = 0; i < PINGS; i++) {
        struct a9n_message m = {.info = 2, .word = {i, ~i, 0, 0, 0}};
        if (a9n_ipc_port_call(D(port_a), &m) != A9N_SUCCESS || m.word[0] != i + 1)
            bad++;
    }
    struct a9n_message r = {.info = 1, .word = {bad, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_b), &r);
    for (;;)
        a9n_yield();
}

TEST(ipc_ping_pong_10000)
{
    port_a = make_port();
    port_b = make_port();
    struct child c;
    CHECK(child_create(&c, child_ping, 0, 200, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(port_a, &m));
    for (a9n_word i = 0; i < PINGS; i++) {
        CHECK_EQ(m.word[0], i);
        CHECK_EQ(m.word[1], ~i);
        struct a9n_message reply = {.info = 1, .word = {i + 1, 0, 0, 0, 0}};
        if (i + 1 == PINGS) {
            CHECK_OK(a9n_ipc_port_reply(D(port_a), &reply));
            break;
        }
        m = reply;
        CHECK_OK(a9n_ipc_port_reply_receive(D(port_a), &m));
    }
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], 0);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static unsigned doomed_port;

static void child_wait_on_doomed(a9n_word arg)
{
    struct a9n_message m = {0};
    a9n_error e = a9n_ipc_port_receive(D(doomed_port), &m);
    struct a9n_message r = {.info = 1, .word = {e, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_b), &r);
    for (;;)
        a9n_yield();
}

TEST(ipc_destroyed_port_wakes_waiter)
{
    port_b = make_port();
    doomed_port = make_port();
    struct child c;
    CHECK(child_create(&c, child_wait_on_doomed, 0, 255, 0, CHILD_SHARE_ROOT));
    a9n_yield(); /* the child blocks in RECEIVE */
    CHECK_OK(a9n_node_remove(ROOT, doomed_port));
    struct a9n_message m;
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_DESTROYED);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static void child_call_and_report_error(a9n_word arg)
{
    struct a9n_message m = {.info = 0};
    a9n_error e = a9n_ipc_port_call(D(port_a), &m);
    struct a9n_message r = {.info = 1, .word = {e, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_b), &r);
    for (;;)
        a9n_yield();
}

TEST(ipc_suspended_caller_is_cancelled)
{
    port_a = make_port();
    port_b = make_port();
    struct child c;
    CHECK(child_create(&c, child_call_and_report_error, 0, 255, 0, CHILD_SHARE_ROOT));
    a9n_yield(); /* the child blocks in CALL (nobody receives on port_a) */
    CHECK_OK(a9n_process_suspend(D(c.process)));
    CHECK_OK(a9n_process_resume(D(c.process)));
    struct a9n_message m;
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_CANCELED);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}
