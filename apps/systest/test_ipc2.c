/* More IPC: long messages, queues, identifiers, notifications and ports in corner cases. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

static unsigned port_x, port_y;

static void child_long_sender(a9n_word arg)
{
    struct a9n_ipc_buffer *b = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    for (unsigned i = A9N_MR_REGISTER_COUNT; i < A9N_MR_COUNT; i++)
        b->message[i] = 1000 + i;
    struct a9n_message m = {.info = A9N_IPC_LENGTH_MAX, .word = {4, 5, 6, 7, 8}};
    a9n_ipc_port_send(D(port_x), &m);
    park();
}

TEST(ipc_long_message_through_ipc_buffers)
{
    port_x = make_port();
    struct child c;
    CHECK(
        child_create(&c, child_long_sender, 0, 100, 0, CHILD_SHARE_ROOT | KOITO_CHILD_IPC_BUFFER));
    struct a9n_ipc_buffer *b = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    struct a9n_message m;
    CHECK_OK(receive(port_x, &m));
    CHECK_EQ(m.info & A9N_IPC_LENGTH_MASK, A9N_IPC_LENGTH_MAX);
    CHECK_EQ(m.word[4], 8);
    CHECK_EQ(b->message[A9N_MR_REGISTER_COUNT], 1000 + A9N_MR_REGISTER_COUNT);
    CHECK_EQ(b->message[A9N_MR_COUNT - 1], 1000 + A9N_MR_COUNT - 1);
}

static void child_long_sender_no_buffer(a9n_word arg)
{
    struct a9n_message m = {.info = 20, .word = {1, 2, 3, 4, 5}};
    a9n_ipc_port_send(D(port_x), &m);
    park();
}

TEST(ipc_long_message_without_sender_buffer_is_cut_to_registers)
{
    port_x = make_port();
    struct child c;
    CHECK(child_create(&c, child_long_sender_no_buffer, 0, 100, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(port_x, &m));
    CHECK_EQ(m.info & A9N_IPC_LENGTH_MASK, 5);
    CHECK_EQ(m.word[4], 5);
}

static void child_send_id(a9n_word id)
{
    struct a9n_message m = {.info = 1, .word = {id, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_x), &m);
    park();
}

TEST(ipc_waiting_senders_are_served_in_order)
{
    port_x = make_port();
    struct child c[3];
    /* One sender at a time, each queued before the next exists: a timer tick in a sender's
     * start-up (round robin among equal priorities) cannot change the order they queue in. */
    for (a9n_word i = 0; i < 3; i++) {
        CHECK(child_create(&c[i], child_send_id, i, 200, 0, CHILD_SHARE_ROOT));
        settle();
    }
    struct a9n_message m;
    for (a9n_word i = 0; i < 3; i++) {
        CHECK_OK(receive(port_x, &m));
        CHECK_EQ(m.word[0], i);
    }
}

TEST(ipc_reply_receive_without_a_caller_just_receives)
{
    port_x = make_port();
    struct child c;
    CHECK(child_create(&c, child_send_id, 42, 100, 0, CHILD_SHARE_ROOT));
    struct a9n_message m = {.info = 0};
    CHECK_OK(a9n_ipc_port_reply_receive(D(port_x), &m));
    CHECK_EQ(m.word[0], 42);
}

TEST(ipc_identify_needs_no_right)
{
    unsigned port = make_port();
    unsigned none = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, none, D(port), 0, 0x77));
    a9n_word id;
    CHECK_OK(a9n_ipc_port_identify(D(none), &id));
    CHECK_EQ(id, 0x77);
    struct a9n_message m = {0};
    CHECK_EQ(a9n_ipc_port_send(D(none), &m), A9N_ERROR_PERMISSION_DENIED);
}

static void child_transfer_three(a9n_word arg)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    buffer->transfer_destination_node = a9n_descriptor_append(0, 2, 4);
    buffer->transfer_destination_index = 4;
    struct a9n_message m = {0};
    a9n_ipc_port_receive(a9n_descriptor_append(0, 1, 4), &m);
    a9n_word ids = 0;
    for (unsigned i = 0; i < 3; i++) {
        a9n_word id = 0;
        a9n_ipc_port_identify(a9n_descriptor_append(0, 4 + i, 4), &id);
        ids = ids * 16 + id;
    }
    struct a9n_message r = {.info = 2, .word = {m.info, ids, 0, 0, 0}};
    a9n_ipc_port_reply(a9n_descriptor_append(0, 1, 4), &r);
    park();
}

TEST(ipc_transfers_several_capabilities)
{
    port_x = make_port();
    struct child c;
    CHECK(child_create(&c, child_transfer_three, 0, 100, 0, KOITO_CHILD_IPC_BUFFER));
    CHECK_OK(a9n_node_copy(D(c.node), 1, D(port_x)));
    CHECK_OK(a9n_node_copy(D(c.node), 2, D(c.node)));
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)IPC_BUFFER_ADDRESS;
    for (a9n_word i = 0; i < 3; i++) {
        unsigned p = make_port(), badged = slot_alloc();
        CHECK_OK(a9n_node_mint(ROOT, badged, D(p), A9N_RIGHT_COPY, i + 1));
        buffer->transfer_source[i] = D(badged);
    }
    struct a9n_message m = {.info = a9n_ipc_info(0, 3)};
    CHECK_OK(a9n_ipc_port_call(D(port_x), &m));
    CHECK_EQ((m.word[0] >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK, 3);
    CHECK_EQ(m.word[1], 0x123);
}

static unsigned doomed_notification;

static void child_wait_doomed(a9n_word arg)
{
    a9n_word w;
    a9n_error e = a9n_notification_port_wait(D(doomed_notification), &w);
    struct a9n_message r = {.info = 1, .word = {e, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(port_y), &r);
    park();
}

TEST(notification_destroyed_wakes_waiter)
{
    port_y = make_port();
    doomed_notification = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    struct child c;
    CHECK(child_create(&c, child_wait_doomed, 0, 200, 0, CHILD_SHARE_ROOT));
    settle(); /* it blocks in WAIT */
    CHECK_OK(a9n_node_remove(ROOT, doomed_notification));
    struct a9n_message m;
    CHECK_OK(receive(port_y, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_DESTROYED);
}

TEST(notification_identify_and_unknown_operation)
{
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0), badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(n), A9N_RIGHT_READ, 0x40));
    struct a9n_regs r = {{D(badged), A9N_NOTIFICATION_PORT_IDENTIFY}};
    CHECK_OK(a9n_capability_call(&r));
    CHECK_EQ(r.mr[2], 0x40);
    CHECK_EQ(a9n_call7(D(n), 9, 0, 0, 0, 0, 0, 0, 0), A9N_ERROR_ILLEGAL_OPERATION);
}

TEST(interrupt_port_needs_write_right)
{
    unsigned irq = slot_alloc(), ro = slot_alloc();
    CHECK_OK(a9n_interrupt_region_make_port(D(SLOT_INTERRUPT_REGION), 5, ROOT, irq));
    CHECK_OK(a9n_node_mint(ROOT, ro, D(irq), A9N_RIGHT_READ, 0));
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    CHECK_EQ(a9n_interrupt_port_bind(D(ro), D(n)), A9N_ERROR_PERMISSION_DENIED);
    unsigned n_ro = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, n_ro, D(n), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_interrupt_port_bind(D(irq), D(n_ro)), A9N_ERROR_PERMISSION_DENIED);
    unsigned ro_region = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro_region, D(SLOT_INTERRUPT_REGION), A9N_RIGHT_READ, 0));
    CHECK_EQ(a9n_interrupt_region_make_port(D(ro_region), 6, ROOT, slot_alloc()),
             A9N_ERROR_PERMISSION_DENIED);
}

TEST(io_port_scratch_register_round_trip)
{
    /* COM1's scratch register (base + 7) keeps what is written to it. */
    unsigned uart = slot_alloc();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), 0x3f8, 0x3ff, ROOT, uart));
    a9n_word v;
    CHECK_OK(a9n_io_port_write(D(uart), 0x3ff, 1, 0x5a));
    CHECK_OK(a9n_io_port_read(D(uart), 0x3ff, 1, &v));
    CHECK_EQ(v, 0x5a);
    CHECK_OK(a9n_io_port_write(D(uart), 0x3ff, 1, 0xa5));
    CHECK_OK(a9n_io_port_read(D(uart), 0x3ff, 1, &v));
    CHECK_EQ(v, 0xa5);
}

TEST(io_port_mint_needs_copy_right)
{
    unsigned uart = slot_alloc(), weak = slot_alloc();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), 0x3f8, 0x3ff, ROOT, uart));
    CHECK_OK(a9n_node_mint(ROOT, weak, D(uart), A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0));
    CHECK_EQ(a9n_io_port_mint(D(weak), 0x3f8, 0x3f9, ROOT, slot_alloc()),
             A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_io_port_mint(D(uart), 0x3f8, 0x3f9, ROOT, uart), A9N_ERROR_SLOT_OCCUPIED);
}

TEST(io_port_revoke_removes_sub_ranges)
{
    unsigned uart = slot_alloc(), sub = slot_alloc();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), 0x3f8, 0x3ff, ROOT, uart));
    CHECK_OK(a9n_io_port_mint(D(uart), 0x3ff, 0x3ff, ROOT, sub));
    CHECK_OK(a9n_node_revoke(ROOT, uart));
    a9n_word v;
    CHECK_EQ(a9n_io_port_read(D(sub), 0x3ff, 1, &v), A9N_ERROR_EMPTY_SLOT);
}
