/* IPC Ports between processes. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

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

enum { PINGS = 100000 };

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

TEST(ipc_ping_pong_100000)
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
    CHECK(child_create(&c, child_wait_on_doomed, 0, 200, 0, CHILD_SHARE_ROOT));
    settle(); /* the child blocks in RECEIVE */
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
    CHECK(child_create(&c, child_call_and_report_error, 0, 200, 0, CHILD_SHARE_ROOT));
    settle(); /* the child blocks in CALL (nobody receives on port_a) */
    CHECK_OK(a9n_process_suspend(D(c.process)));
    CHECK_OK(a9n_process_resume(D(c.process)));
    struct a9n_message m;
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_CANCELED);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

/* ---- capability transfer ---- */

static unsigned transfer_port;

/* A child with a Node of its own: slot 1 holds the port it serves, slot 2 its own Node;
 * transferred capabilities arrive from slot 8 on. */
static void child_receive_capability(a9n_word arg)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    a9n_word port = a9n_descriptor_append(0, 1, 4);
    buffer->transfer_destination_node = a9n_descriptor_append(0, 2, 4);
    buffer->transfer_destination_index = 8;
    struct a9n_message m = {0};
    a9n_ipc_port_receive(port, &m);
    a9n_word id = 0;
    a9n_error e = a9n_ipc_port_identify(a9n_descriptor_append(0, 8, 4), &id);
    struct a9n_message r = {.info = 3, .word = {m.info, e, id, 0, 0}};
    a9n_ipc_port_reply(port, &r);
    park();
}

static bool start_receiver(struct child *c)
{
    transfer_port = make_port();
    if (!child_create(c, child_receive_capability, 0, 100, 0, KOITO_CHILD_IPC_BUFFER))
        return false;
    /* Before it runs (it is of lower priority), give it the port and its own Node. */
    return a9n_node_copy(D(c->node), 1, D(transfer_port)) == A9N_SUCCESS &&
           a9n_node_copy(D(c->node), 2, D(c->node)) == A9N_SUCCESS;
}

TEST(ipc_transfers_a_capability)
{
    struct child c;
    CHECK(start_receiver(&c));
    unsigned gift = make_port(), badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(gift), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0x99));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    buffer->transfer_source[0] = D(badged);
    struct a9n_message m = {.info = a9n_ipc_info(0, 1)};
    CHECK_OK(a9n_ipc_port_call(D(transfer_port), &m));
    CHECK_EQ((m.word[0] >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK, 1); /* one arrived */
    CHECK_EQ(m.word[1], A9N_SUCCESS);
    CHECK_EQ(m.word[2], 0x99); /* with its identifier */
    /* The sender still has its own. */
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(D(badged), &id));
}

TEST(ipc_transfer_refuses_what_cannot_travel)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    unsigned port = make_port();
    unsigned weak = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, weak, D(port), A9N_RIGHT_WRITE, 0));
    struct a9n_message m = {.info = a9n_ipc_info(0, 1)};
    buffer->transfer_source[0] = D(weak); /* no COPY right */
    CHECK_EQ(a9n_ipc_port_send(D(port), &m), A9N_ERROR_PERMISSION_DENIED);
    buffer->transfer_source[0] = D(test_generic);
    CHECK_EQ(a9n_ipc_port_send(D(port), &m), A9N_ERROR_ILLEGAL_OPERATION);
    buffer->transfer_source[0] = D(slot_alloc());
    CHECK_EQ(a9n_ipc_port_send(D(port), &m), A9N_ERROR_EMPTY_SLOT);
    m.info = a9n_ipc_info(0, 17);
    CHECK_EQ(a9n_ipc_port_send(D(port), &m), A9N_ERROR_INVALID_ARGUMENT);
}

TEST(ipc_transfer_stops_at_an_occupied_slot)
{
    struct child c;
    CHECK(start_receiver(&c));
    CHECK_OK(a9n_node_copy(D(c.node), 8, D(transfer_port))); /* the destination is taken */
    unsigned gift = make_port();
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    buffer->transfer_source[0] = D(gift);
    struct a9n_message m = {.info = a9n_ipc_info(0, 1)};
    CHECK_OK(a9n_ipc_port_call(D(transfer_port), &m));
    CHECK_EQ((m.word[0] >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK, 0); /* none arrived */
    CHECK_EQ(m.word[2], 0); /* slot 8 still holds the port it had, identifier 0 */
}

/* ---- many clients, dying partners ---- */

enum { CLIENTS = 4, CALLS_EACH = 200 };
static volatile a9n_word client_done;

static void child_many_calls(a9n_word id)
{
    for (a9n_word i = 0; i < CALLS_EACH; i++) {
        struct a9n_message m = {.info = 2, .word = {id, i, 0, 0, 0}};
        if (a9n_ipc_port_call(D(port_a), &m) != A9N_SUCCESS || m.word[0] != id * 1000 + i)
            break;
        if (i + 1 == CALLS_EACH) {
            client_done++;
            struct a9n_message done = {.info = 0};
            a9n_ipc_port_send(D(port_b), &done);
        }
    }
    park();
}

TEST(ipc_many_clients_one_server)
{
    port_a = make_port();
    port_b = make_port();
    client_done = 0;
    struct child c[CLIENTS];
    for (a9n_word i = 0; i < CLIENTS; i++)
        CHECK(child_create(&c[i], child_many_calls, i, 200, 0, CHILD_SHARE_ROOT));
    a9n_word seen[CLIENTS] = {0};
    struct a9n_message m;
    CHECK_OK(receive(port_a, &m));
    for (int n = 0; n < CLIENTS * CALLS_EACH; n++) {
        a9n_word id = m.word[0];
        CHECK(id < CLIENTS);
        CHECK_EQ(m.word[1], seen[id]); /* each client's calls arrive in order */
        seen[id]++;
        struct a9n_message reply = {.info = 1, .word = {id * 1000 + m.word[1], 0, 0, 0, 0}};
        if (n + 1 == CLIENTS * CALLS_EACH) {
            CHECK_OK(a9n_ipc_port_reply(D(port_a), &reply));
            break;
        }
        m = reply;
        CHECK_OK(a9n_ipc_port_reply_receive(D(port_a), &m));
    }
    for (int i = 0; i < CLIENTS; i++)
        CHECK_OK(receive(port_b, &m)); /* each client got all its answers */
    CHECK_EQ(client_done, CLIENTS);
}

static void child_call_forever(a9n_word arg)
{
    struct a9n_message m = {.info = 0};
    a9n_ipc_port_call(D(port_a), &m);
    park();
}

/* Makes a child from a Generic of its own, so the test can kill it with one revoke. */
static bool child_in_own_generic(struct child *c, unsigned *g, void (*entry)(a9n_word),
                                 unsigned priority)
{
    *g = make(A9N_OBJECT_GENERIC, 18); /* a child needs about 40 KiB */
    if (*g == 0)
        return false;
    unsigned saved = test_generic;
    test_generic = *g;
    bool made = child_create(c, entry, 0, priority, 0, CHILD_SHARE_ROOT);
    test_generic = saved;
    return made;
}

TEST(ipc_client_killed_mid_call)
{
    port_a = make_port();
    struct child c;
    unsigned g;
    CHECK(child_in_own_generic(&c, &g, child_call_forever, 200));
    struct a9n_message m;
    CHECK_OK(receive(port_a, &m));      /* we owe the client a reply... */
    CHECK_OK(a9n_node_revoke(ROOT, g)); /* ...and it dies */
    struct a9n_message reply = {.info = 0};
    CHECK_EQ(a9n_ipc_port_reply(D(port_a), &reply), A9N_ERROR_ILLEGAL_OPERATION);
}

static void child_serve_once(a9n_word arg)
{
    struct a9n_message m;
    a9n_ipc_port_receive(D(port_a), &m);
    struct a9n_message note = {.info = 1, .word = {~0ull, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_b), &note); /* "I hold a call" */
    park();                              /* and never reply */
}

static void child_call_and_report(a9n_word arg)
{
    struct a9n_message m = {.info = 0};
    a9n_error e = a9n_ipc_port_call(D(port_a), &m);
    struct a9n_message r = {.info = 1, .word = {e, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_b), &r);
    park();
}

TEST(ipc_server_killed_wakes_caller)
{
    port_a = make_port();
    port_b = make_port();
    struct child server, client;
    unsigned g;
    CHECK(child_in_own_generic(&server, &g, child_serve_once, 220));
    CHECK(child_create(&client, child_call_and_report, 0, 210, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(port_b, &m)); /* the server has taken the client's call */
    CHECK_EQ(m.word[0], ~0ull);
    CHECK_OK(a9n_node_revoke(ROOT, g)); /* the server dies owing a reply */
    CHECK_OK(receive(port_b, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_DESTROYED);
}
