/* Notification Ports, binding, and interrupts delivered to a user driver. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

static unsigned make_notification(void)
{
    return make(A9N_OBJECT_NOTIFICATION_PORT, 0);
}

TEST(notification_bits_accumulate)
{
    unsigned n = make_notification();
    unsigned one = slot_alloc(), four = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, one, D(n), A9N_RIGHT_WRITE, 1));
    CHECK_OK(a9n_node_mint(ROOT, four, D(n), A9N_RIGHT_WRITE, 4));
    a9n_word w;
    CHECK_OK(a9n_notification_port_poll(D(n), &w));
    CHECK_EQ(w, 0);
    CHECK_OK(a9n_notification_port_notify(D(one)));
    CHECK_OK(a9n_notification_port_notify(D(four)));
    CHECK_OK(a9n_notification_port_notify(D(four)));
    CHECK_OK(a9n_notification_port_wait(D(n), &w)); /* bits set: no blocking */
    CHECK_EQ(w, 5);
    CHECK_OK(a9n_notification_port_poll(D(n), &w));
    CHECK_EQ(w, 0); /* taken */
}

TEST(notification_rights_checked)
{
    unsigned n = make_notification();
    unsigned ro = slot_alloc(), wo = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, ro, D(n), A9N_RIGHT_READ, 0));
    CHECK_OK(a9n_node_mint(ROOT, wo, D(n), A9N_RIGHT_WRITE, 0));
    a9n_word w;
    CHECK_EQ(a9n_notification_port_notify(D(ro)), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_notification_port_wait(D(wo), &w), A9N_ERROR_PERMISSION_DENIED);
    CHECK_EQ(a9n_notification_port_poll(D(wo), &w), A9N_ERROR_PERMISSION_DENIED);
    CHECK_OK(a9n_notification_port_notify(D(wo))); /* no identifier: bit 0 */
    CHECK_OK(a9n_notification_port_poll(D(ro), &w));
    CHECK_EQ(w, 1);
}

static unsigned shared_notification;

static void child_notify_later(a9n_word cap)
{
    a9n_notification_port_notify(cap);
    park();
}

TEST(notification_wait_blocks_until_notify)
{
    shared_notification = make_notification();
    unsigned badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(shared_notification), A9N_RIGHT_WRITE, 0x80));
    struct child c;
    CHECK(child_create(&c, child_notify_later, D(badged), 100, 0, CHILD_SHARE_ROOT));
    a9n_word w;
    CHECK_OK(a9n_notification_port_wait(D(shared_notification), &w)); /* the child runs */
    CHECK_EQ(w, 0x80);
}

static unsigned server_port, report_port;

static void child_bound_server(a9n_word arg)
{
    struct a9n_message m = {0};
    a9n_error e = a9n_ipc_port_receive(D(server_port), &m);
    struct a9n_message r = {.info = 3, .word = {e, m.info, m.identifier, 0, 0}};
    a9n_ipc_port_send(D(report_port), &r);
    park();
}

TEST(notification_bound_ends_a_receive)
{
    server_port = make_port();
    report_port = make_port();
    unsigned n = make_notification();
    unsigned badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(n), A9N_RIGHTS_ALL, 0x30));
    struct child c;
    CHECK(child_create(&c, child_bound_server, 0, 100, 0, CHILD_SHARE_ROOT));
    a9n_word v[1] = {D(n)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
    /* Bound to that child: nobody else may bind it. */
    unsigned other = make(A9N_OBJECT_PROCESS, 0);
    CHECK_EQ(a9n_process_configure(D(other), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL),
             A9N_ERROR_IN_USE);
    struct a9n_message m;
    /* Let the child block in RECEIVE, then notify: its receive ends with the bits. */
    a9n_word ignored;
    CHECK_OK(a9n_notification_port_poll(D(n), &ignored));
    settle(); /* the child blocks in RECEIVE */
    CHECK_OK(a9n_notification_port_notify(D(badged)));
    CHECK_OK(receive(report_port, &m));
    CHECK_EQ(m.word[0], A9N_SUCCESS);
    CHECK_EQ(m.word[1], A9N_IPC_NOTIFICATION);
    CHECK_EQ(m.word[2], 0x30);
}

enum {
    COM1 = 0x3f8,
    COM1_LINE = 4,
    UART_IER = 1,
    UART_MCR = 4,
    IER_THR_EMPTY = 0x02,
    MCR_OUT2 = 0x08,
    MCR_KERNEL = 0x03
};

TEST(interrupt_reaches_user_driver)
{
    unsigned uart = slot_alloc(), irq = slot_alloc();
    unsigned n = make_notification();
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), COM1, COM1 + 7, ROOT, uart));
    CHECK_OK(a9n_interrupt_region_make_port(D(SLOT_INTERRUPT_REGION), COM1_LINE, ROOT, irq));
    CHECK_OK(a9n_interrupt_port_bind(D(irq), D(n)));
    /* The transmitter is empty: asking for that interrupt raises it at once. */
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_MCR, 1, MCR_KERNEL | MCR_OUT2));
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, IER_THR_EMPTY));
    a9n_word w;
    CHECK_OK(a9n_notification_port_wait(D(n), &w)); /* we sleep; the kernel idles */
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, 0));
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_MCR, 1, MCR_KERNEL));
    CHECK_EQ(w, 1u << COM1_LINE);
    CHECK_OK(a9n_interrupt_port_ack(D(irq)));
    CHECK_OK(a9n_interrupt_port_unbind(D(irq)));
}

TEST(interrupt_region_errors)
{
    unsigned irq = slot_alloc(), again = slot_alloc();
    a9n_word region = D(SLOT_INTERRUPT_REGION);
    CHECK_EQ(a9n_interrupt_region_make_port(region, 99, ROOT, irq), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_interrupt_region_make_port(region, 2, ROOT, irq), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_OK(a9n_interrupt_region_make_port(region, 7, ROOT, irq));
    CHECK_EQ(a9n_interrupt_region_make_port(region, 7, ROOT, again), A9N_ERROR_IN_USE);
    CHECK_EQ(a9n_interrupt_port_ack(D(irq)), A9N_ERROR_ILLEGAL_OPERATION); /* not bound */
    unsigned port = make_port();
    CHECK_EQ(a9n_interrupt_port_bind(D(irq), D(port)), A9N_ERROR_WRONG_TYPE);
    /* The last capability gone, the line is free again. */
    CHECK_OK(a9n_node_remove(ROOT, irq));
    CHECK_OK(a9n_interrupt_region_make_port(region, 7, ROOT, again));
}

/* ---- bindings end with their capability (issue 9, finding 3) ---- */

TEST(notification_bind_needs_read)
{
    unsigned n = make_notification();
    unsigned wo = slot_alloc(), rc = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, wo, D(n), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0));
    CHECK_OK(a9n_node_mint(ROOT, rc, D(n), A9N_RIGHT_READ | A9N_RIGHT_COPY, 0));
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    a9n_word v[1] = {D(wo)};
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    v[0] = D(rc);
    CHECK_OK(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
}

static volatile a9n_word bound_wakeups;

/* Receives on server_port for good, counting how often a receive ends. */
static void child_counts_receives(a9n_word arg)
{
    for (;;) {
        struct a9n_message m = {0};
        a9n_ipc_port_receive(D(server_port), &m);
        bound_wakeups++;
    }
}

TEST(notification_binding_ends_when_its_capability_is_revoked)
{
    server_port = make_port();
    unsigned n = make_notification();
    unsigned given = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, given, D(n), A9N_RIGHTS_ALL, 0));
    bound_wakeups = 0;
    struct child c;
    CHECK(child_create(&c, child_counts_receives, 0, 100, 0, CHILD_SHARE_ROOT));
    a9n_word v[1] = {D(given)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
    settle();
    CHECK_OK(a9n_notification_port_notify(D(n)));
    settle();
    CHECK_EQ(bound_wakeups, 1); /* bound: the notification ends its receive */
    /* Revoking what it was given takes the Process's copy, and the binding with it. */
    CHECK_OK(a9n_node_revoke(ROOT, n));
    CHECK_OK(a9n_notification_port_notify(D(n)));
    settle();
    CHECK_EQ(bound_wakeups, 1);
    a9n_word w;
    CHECK_OK(a9n_notification_port_poll(D(n), &w));
    CHECK_EQ(w, 1); /* the bit waits in the word for whoever reads it */
    /* Nothing is left of the binding: another process may bind the port now. */
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    v[0] = D(n);
    CHECK_OK(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_NOTIFICATION, v, 1, NULL));
}

TEST(interrupt_binding_ends_with_the_notification_capability)
{
    unsigned uart = slot_alloc(), irq = slot_alloc(), given = slot_alloc();
    unsigned n = make_notification();
    CHECK_OK(a9n_node_mint(ROOT, given, D(n), A9N_RIGHT_WRITE, 0));
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), COM1, COM1 + 7, ROOT, uart));
    CHECK_OK(a9n_interrupt_region_make_port(D(SLOT_INTERRUPT_REGION), COM1_LINE, ROOT, irq));
    CHECK_OK(a9n_interrupt_port_bind(D(irq), D(given)));
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_MCR, 1, MCR_KERNEL | MCR_OUT2));
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, IER_THR_EMPTY));
    a9n_word w;
    CHECK_OK(a9n_notification_port_wait(D(n), &w)); /* bound: the interrupt arrives */
    CHECK_EQ(w, 1u << COM1_LINE);
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, 0));
    CHECK_OK(a9n_interrupt_port_ack(D(irq)));
    /* The capability it was bound with goes: the line lets go of the port. */
    CHECK_OK(a9n_node_remove(ROOT, given));
    CHECK_EQ(a9n_interrupt_port_ack(D(irq)), A9N_ERROR_ILLEGAL_OPERATION); /* not bound */
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, IER_THR_EMPTY));
    for (int i = 0; i < 8; i++)
        a9n_yield();
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_IER, 1, 0));
    CHECK_OK(a9n_io_port_write(D(uart), COM1 + UART_MCR, 1, MCR_KERNEL));
    CHECK_OK(a9n_notification_port_poll(D(n), &w));
    CHECK_EQ(w, 0);
}
