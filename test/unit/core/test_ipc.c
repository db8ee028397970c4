/* IPC on the host: every way a message reaches a process delivers exactly its length, the
 * receiver's other message registers are zero, and nothing of the sender beyond its message
 * travels (issue 9, finding 5). Each path is driven directly: cap_call is the slow path,
 * ipc_fastpath the fast one. Also the bindings of Notification Ports (finding 3). */
#include "test_common.h"

#include <core/asid.h>
#include <core/captree.h>
#include <core/interrupt.h>
#include <core/ipc.h>
#include <core/notification.h>
#include <core/run.h>
#include <hal/hal_user.h>
#include <kernel/sched.h>

#define PORT      10
#define NOTE      11
#define SERVER    12
#define AS_CALLER 13
#define AS_SERVER 14
#define BUF_A     15 /* the caller's IPC buffer */
#define BUF_S     16 /* the server's */
#define GIFT      17 /* a capability to send */
#define CONTROL   18 /* ASID Control */
#define POOL      19 /* the ASID Pool the Address Spaces get their ASIDs from */
#define INBOX     40 /* where the server receives capabilities */

enum { WORDS = A9N_MR_REGISTER_COUNT - A9N_IPC_MESSAGE_FIRST };

#define SENT 0x5e0000u /* the sender's registers: SENT + MR number */
#define OWN  0x0e0000u /* the receiver's own registers before its call */

static struct process *server;

static struct cap_slot *make(struct harness *h, unsigned type, unsigned bits, unsigned index)
{
    assert_int_equal(h_convert(h, H_GENERIC, type, bits, 1, index), A9N_SUCCESS);
    return slot_at(h, index);
}

/* The caller of the harness and a second process (the server) sharing its root Node, each
 * with an Address Space (the fast path switches only to a process that can run) and an IPC
 * buffer, and a port between them. */
static int setup_ipc(void **state)
{
    setup_harness(state);
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, 0, PORT);
    server = hal_phys_to_virt(make(h, A9N_OBJECT_PROCESS, 0, SERVER)->cap.object);
    slot_copy(&h->caller->slots[PROCESS_SLOT_ROOT_NODE], &server->slots[PROCESS_SLOT_ROOT_NODE],
              A9N_RIGHTS_ALL);
    /* The fast path switches only into an Address Space with a live ASID. */
    h->root[CONTROL].cap = (struct cap){.type = A9N_OBJECT_ASID_CONTROL, .rights = A9N_RIGHTS_ALL};
    captree_insert_root(&h->boot_generic, &h->root[CONTROL]);
    assert_int_equal(harness_call(h, harness_desc(h, CONTROL), A9N_ASID_CONTROL_MAKE_POOL,
                                  harness_desc(h, H_GENERIC), harness_desc(h, H_SELF), POOL, 0, 0),
                     A9N_SUCCESS);
    make(h, A9N_OBJECT_ADDRESS_SPACE, 0, AS_CALLER);
    make(h, A9N_OBJECT_ADDRESS_SPACE, 0, AS_SERVER);
    for (unsigned as = AS_CALLER; as <= AS_SERVER; as++)
        assert_int_equal(harness_call(h, harness_desc(h, POOL), A9N_ASID_POOL_ASSIGN,
                                      harness_desc(h, as), 0, 0, 0, 0),
                         A9N_SUCCESS);
    slot_copy(slot_at(h, AS_CALLER), &h->caller->slots[PROCESS_SLOT_ADDRESS_SPACE], A9N_RIGHTS_ALL);
    slot_copy(slot_at(h, AS_SERVER), &server->slots[PROCESS_SLOT_ADDRESS_SPACE], A9N_RIGHTS_ALL);
    slot_copy(make(h, A9N_OBJECT_FRAME, 12, BUF_A), &h->caller->slots[PROCESS_SLOT_IPC_BUFFER],
              A9N_RIGHTS_ALL);
    slot_copy(make(h, A9N_OBJECT_FRAME, 12, BUF_S), &server->slots[PROCESS_SLOT_IPC_BUFFER],
              A9N_RIGHTS_ALL);
    /* Both have run: the scheduler recorded their live roots (core/run.h). */
    assert_true(run_process_root_check(h->caller));
    assert_true(run_process_root_check(server));
    return 0;
}

#define IPC_TEST(f) cmocka_unit_test_setup_teardown(f, setup_ipc, teardown_harness)

static void fill(a9n_word *mr, a9n_word cap, a9n_word op, a9n_word info, a9n_word base)
{
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        mr[i] = base + i;
    mr[0] = cap;
    mr[1] = op;
    mr[3] = info;
}

/* A system call of `p` the way kernel_syscall makes it, without the fast path: the
 * registers are in its context, where the call reads and writes them; a call that does not
 * block gets its results there. */
static void syscall(struct process *p, const a9n_word *mr)
{
    sched_dequeue(&p->sched); /* it is running, so in no ready queue */
    p->state = PROCESS_READY;
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        hal_syscall_set_mr(&p->context, i, mr[i]);
    struct cap_message m = {hal_context_mrs(&p->context), process_ipc_buffer(p)};
    a9n_error e = cap_invoke(p, &m, NULL);
    if (p->state == PROCESS_READY) {
        hal_syscall_set_mr(&p->context, A9N_MR_SUCCESS, e == A9N_SUCCESS);
        hal_syscall_set_mr(&p->context, A9N_MR_ERROR, e);
    }
}

/* The same call through the fast path, which must take it. */
static void fastpath(struct process *p, const a9n_word *mr)
{
    sched_dequeue(&p->sched);
    p->state = PROCESS_READY;
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        hal_syscall_set_mr(&p->context, i, mr[i]);
    paddr_t root;
    assert_true(ipc_fastpath_candidate(mr)); /* what kernel_syscall checks first */
    assert_non_null(mr[A9N_MR_OPERATION] == A9N_IPC_PORT_CALL
                        ? ipc_fastpath_call(p, &root)
                        : ipc_fastpath_reply_receive(p, &root));
}

/* MR4.. of `p` hold `length` words from `base` and zeros after them. */
static void assert_exactly(struct process *p, unsigned length, a9n_word base)
{
    for (unsigned i = 0; i < WORDS; i++) {
        a9n_word want = i < length ? base + A9N_IPC_MESSAGE_FIRST + i : 0;
        assert_int_equal(hal_syscall_mr(&p->context, A9N_IPC_MESSAGE_FIRST + i), want);
    }
}

static void assert_success(struct process *p, a9n_word info)
{
    assert_int_equal(hal_syscall_mr(&p->context, A9N_MR_SUCCESS), 1);
    assert_int_equal(hal_syscall_mr(&p->context, A9N_MR_ERROR), A9N_SUCCESS);
    assert_int_equal(hal_syscall_mr(&p->context, 3), info);
}

static a9n_word port(struct harness *h)
{
    return harness_desc(h, PORT);
}

static void send_to_a_waiting_receiver_delivers_exactly_length(void **state)
{
    struct harness *h = *state;
    for (unsigned length = 0; length <= WORDS; length++) {
        a9n_word mr[9];
        fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
        syscall(server, mr);
        assert_int_equal(server->state, PROCESS_BLOCKED);
        fill(mr, port(h), A9N_IPC_PORT_SEND, length, SENT);
        syscall(h->caller, mr);
        assert_success(server, length);
        assert_exactly(server, length, SENT);
    }
}

static void receive_of_a_queued_send_delivers_exactly_length(void **state)
{
    struct harness *h = *state;
    for (unsigned length = 0; length <= WORDS; length++) {
        a9n_word mr[9];
        fill(mr, port(h), A9N_IPC_PORT_SEND, length, SENT);
        syscall(h->caller, mr);
        assert_int_equal(h->caller->state, PROCESS_BLOCKED);
        fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
        syscall(server, mr);
        assert_success(server, length);
        assert_exactly(server, length, SENT);
    }
}

/* Slow CALL (queued), RECEIVE, then the reply by REPLY or by REPLY_RECEIVE. */
static void slow_call_and_reply(struct harness *h, a9n_word reply_op)
{
    for (unsigned length = 0; length <= WORDS; length++) {
        a9n_word mr[9];
        fill(mr, port(h), A9N_IPC_PORT_CALL, length, SENT);
        syscall(h->caller, mr);
        fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
        syscall(server, mr);
        assert_exactly(server, length, SENT);
        /* The reply: `length` words of the server's, MR4.. of the caller were SENT before. */
        fill(mr, port(h), reply_op, length, OWN);
        syscall(server, mr);
        assert_int_equal(h->caller->state, PROCESS_READY);
        assert_success(h->caller, length);
        assert_exactly(h->caller, length, OWN);
        if (reply_op == A9N_IPC_PORT_REPLY_RECEIVE) {
            /* Take the server out of the receive it went into. */
            ipc_cancel(server);
            server->state = PROCESS_READY;
        }
    }
}

static void slow_call_and_reply_deliver_exactly_length(void **state)
{
    slow_call_and_reply(*state, A9N_IPC_PORT_REPLY);
}

static void slow_call_and_reply_receive_deliver_exactly_length(void **state)
{
    slow_call_and_reply(*state, A9N_IPC_PORT_REPLY_RECEIVE);
}

static void fast_call_and_reply_receive_deliver_exactly_length(void **state)
{
    struct harness *h = *state;
    a9n_word mr[9];
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(server, mr);
    for (unsigned length = 0; length <= WORDS; length++) {
        fill(mr, port(h), A9N_IPC_PORT_CALL, length, SENT);
        fastpath(h->caller, mr);
        assert_success(server, length);
        assert_exactly(server, length, SENT);
        /* The server's own registers before its REPLY_RECEIVE are OWN; the caller's SENT. */
        fill(mr, port(h), A9N_IPC_PORT_REPLY_RECEIVE, length, OWN);
        fastpath(server, mr);
        assert_success(h->caller, length);
        assert_exactly(h->caller, length, OWN);
    }
}

/* The fast path switches only to a partner whose Address Space record is current: after an
 * ASID release (any) it leaves the call alone, with nothing changed, until the scheduler
 * has checked the table again; a partner whose Address Space died stays refused. */
static void fast_path_needs_a_current_address_space_record(void **state)
{
    struct harness *h = *state;
    a9n_word mr[9];
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(server, mr);
    paddr_t root;
    make(h, A9N_OBJECT_ADDRESS_SPACE, 0, GIFT);
    assert_int_equal(harness_call(h, harness_desc(h, POOL), A9N_ASID_POOL_ASSIGN,
                                  harness_desc(h, GIFT), 0, 0, 0, 0),
                     A9N_SUCCESS);
    assert_int_equal(h_remove(h, GIFT), A9N_SUCCESS); /* asid_free: the epoch moves */
    fill(mr, port(h), A9N_IPC_PORT_CALL, 1, SENT);
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        hal_syscall_set_mr(&h->caller->context, i, mr[i]);
    assert_null(ipc_fastpath_call(h->caller, &root));
    assert_int_equal(server->state, PROCESS_BLOCKED); /* untouched */
    assert_int_equal(server->ipc_state, IPC_RECEIVING);
    assert_true(run_process_root_check(server)); /* the scheduler's check */
    fastpath(h->caller, mr);
    assert_success(server, 1);
    /* The server's Address Space dies (its pool goes): no record makes it live again. */
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    ipc_cancel(h->caller);
    ipc_cancel(server);
    server->state = PROCESS_READY;
    syscall(server, mr);
    assert_int_equal(h_remove(h, POOL), A9N_SUCCESS);
    assert_false(run_process_root_check(server));
    fill(mr, port(h), A9N_IPC_PORT_CALL, 1, SENT);
    h->caller->state = PROCESS_READY;
    for (unsigned i = 0; i < A9N_MR_REGISTER_COUNT; i++)
        hal_syscall_set_mr(&h->caller->context, i, mr[i]);
    assert_null(ipc_fastpath_call(h->caller, &root));
    assert_int_equal(server->state, PROCESS_BLOCKED);
}

static void transferred_capabilities_leave_exactly_length_words(void **state)
{
    struct harness *h = *state;
    make(h, A9N_OBJECT_IPC_PORT, 0, GIFT);
    struct a9n_ipc_buffer *a = process_ipc_buffer(h->caller), *s = process_ipc_buffer(server);
    for (unsigned length = 0; length <= WORDS; length++) {
        a->transfer_source[0] = harness_desc(h, GIFT);
        s->transfer_destination_node = harness_desc(h, H_SELF);
        s->transfer_destination_index = INBOX + length;
        a9n_word mr[9];
        fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
        syscall(server, mr);
        fill(mr, port(h), A9N_IPC_PORT_SEND, a9n_ipc_info(length, 1), SENT);
        syscall(h->caller, mr);
        assert_success(server, a9n_ipc_info(length, 1));
        assert_exactly(server, length, SENT);
        assert_int_equal(slot_at(h, INBOX + length)->cap.type, A9N_OBJECT_IPC_PORT);
    }
}

/* A fault report fills every word: none of the resolver's old registers is left. */
static void fault_report_fills_every_word(void **state)
{
    struct harness *h = *state;
    slot_copy(slot_at(h, PORT), &h->caller->slots[PROCESS_SLOT_RESOLVER], A9N_RIGHTS_ALL);
    a9n_word mr[9];
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(server, mr);
    struct hal_fault f = {.kind = HAL_FAULT_PAGE, .vector = 14, .code = 6, .address = 0x1000};
    assert_true(ipc_send_fault(h->caller, &f, 0x400000));
    assert_success(server, A9N_FAULT_LENGTH | A9N_IPC_FAULT);
    assert_int_equal(hal_syscall_mr(&server->context, 4), HAL_FAULT_PAGE);
    assert_int_equal(hal_syscall_mr(&server->context, 5), 0x1000);
    assert_int_equal(hal_syscall_mr(&server->context, 7), 0x400000);
    assert_int_equal(hal_syscall_mr(&server->context, 8), (14ull << 32) | 6);
}

/* ---- Notification Ports bound to a process ---- */

static a9n_error configure_notification(struct harness *h, a9n_word note)
{
    return harness_call(h, harness_desc(h, H_PROCESS), A9N_PROCESS_CONFIGURE,
                        A9N_PROCESS_CONFIGURE_NOTIFICATION, note, 0, 0, 0);
}

static struct notification_port *make_note(struct harness *h)
{
    return hal_phys_to_virt(make(h, A9N_OBJECT_NOTIFICATION_PORT, 0, NOTE)->cap.object);
}

static void bound_notification_ends_a_receive_with_no_words(void **state)
{
    struct harness *h = *state;
    struct notification_port *n = make_note(h);
    assert_int_equal(configure_notification(h, harness_desc(h, NOTE)), A9N_SUCCESS);
    assert_ptr_equal(h->caller->bound, n);
    /* Blocked first, then signalled. */
    a9n_word mr[9];
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(h->caller, mr);
    assert_int_equal(h->caller->state, PROCESS_BLOCKED);
    notification_signal(n, 0x30);
    assert_success(h->caller, A9N_IPC_NOTIFICATION);
    assert_int_equal(hal_syscall_mr(&h->caller->context, 2), 0x30);
    assert_exactly(h->caller, 0, OWN);
    /* Signalled first: the RECEIVE returns at once. */
    notification_signal(n, 0x4);
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(h->caller, mr);
    assert_success(h->caller, A9N_IPC_NOTIFICATION);
    assert_int_equal(hal_syscall_mr(&h->caller->context, 2), 0x4);
    assert_exactly(h->caller, 0, OWN);
}

static void binding_a_notification_needs_read(void **state)
{
    struct harness *h = *state;
    make_note(h);
    assert_int_equal(h_mint(h, 30, NOTE, A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0), 0);
    assert_int_equal(h_mint(h, 31, NOTE, A9N_RIGHT_READ, 0), 0);
    assert_int_equal(h_mint(h, 32, NOTE, A9N_RIGHT_READ | A9N_RIGHT_COPY, 0), 0);
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         configure_notification(h, harness_desc(h, 30)));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         configure_notification(h, harness_desc(h, 31)));
    assert_int_equal(configure_notification(h, harness_desc(h, 32)), A9N_SUCCESS);
    assert_non_null(h->caller->bound);
}

static void binding_ends_when_its_capability_is_revoked(void **state)
{
    struct harness *h = *state;
    struct notification_port *n = make_note(h);
    assert_int_equal(h_mint(h, 30, NOTE, A9N_RIGHTS_ALL, 7), 0);
    assert_int_equal(configure_notification(h, harness_desc(h, 30)), A9N_SUCCESS);
    assert_ptr_equal(h->caller->bound, n);
    /* The Process's copy derives from NOTE: revoking NOTE takes it, and the binding. */
    assert_int_equal(h_revoke(h, NOTE), A9N_SUCCESS);
    assert_true(slot_is_empty(&h->caller->slots[PROCESS_SLOT_NOTIFICATION]));
    assert_null(h->caller->bound);
    assert_null(n->bound);
    /* A signal now wakes nobody: a RECEIVE blocks. */
    notification_signal(n, 1);
    a9n_word mr[9];
    fill(mr, port(h), A9N_IPC_PORT_RECEIVE, 0, OWN);
    syscall(h->caller, mr);
    assert_int_equal(h->caller->state, PROCESS_BLOCKED);
    ipc_cancel(h->caller);
    h->caller->state = PROCESS_READY;
    /* And the port can be bound again, by anyone. */
    assert_int_equal(configure_notification(h, harness_desc(h, NOTE)), A9N_SUCCESS);
    assert_ptr_equal(h->caller->bound, n);
}

static void binding_ends_when_the_process_slot_is_emptied(void **state)
{
    struct harness *h = *state;
    struct notification_port *n = make_note(h);
    assert_int_equal(configure_notification(h, harness_desc(h, NOTE)), A9N_SUCCESS);
    /* CONFIGURE with another port replaces the capability: the old binding ends. */
    make(h, A9N_OBJECT_NOTIFICATION_PORT, 0, 30);
    struct notification_port *other = hal_phys_to_virt(slot_at(h, 30)->cap.object);
    assert_int_equal(configure_notification(h, harness_desc(h, 30)), A9N_SUCCESS);
    assert_null(n->bound);
    assert_ptr_equal(h->caller->bound, other);
    assert_ptr_equal(other->bound, h->caller);
    /* Emptying the slot directly (what any deletion does) ends it too. */
    slot_delete(&h->caller->slots[PROCESS_SLOT_NOTIFICATION]);
    assert_null(h->caller->bound);
    assert_null(other->bound);
}

/* ---- Interrupt Ports bound to a notification ---- */

#define IRQ_LINE 5
#define REGION   33
#define IRQ      34

/* An Interrupt Port for IRQ_LINE (made through an Interrupt Region, as boot would hand
 * one out), bound with the notification capability `note`. */
static void bind_line(struct harness *h, a9n_word note)
{
    struct cap_slot *irq = slot_at(h, IRQ);
    if (slot_is_empty(irq)) {
        struct cap_slot *region = slot_at(h, REGION);
        region->cap = (struct cap){.type = A9N_OBJECT_INTERRUPT_REGION, .rights = A9N_RIGHTS_ALL};
        captree_insert_root(&h->boot_generic, region);
        assert_int_equal(harness_call(h, harness_desc(h, REGION), A9N_INTERRUPT_REGION_MAKE_PORT,
                                      IRQ_LINE, harness_desc(h, H_SELF), IRQ, 0, 0),
                         A9N_SUCCESS);
    }
    assert_int_equal(
        harness_call(h, harness_desc(h, IRQ), A9N_INTERRUPT_PORT_BIND, note, 0, 0, 0, 0),
        A9N_SUCCESS);
}

static void interrupt_binding_ends_with_its_capability(void **state)
{
    struct harness *h = *state;
    struct notification_port *n = make_note(h);
    assert_int_equal(h_mint(h, 30, NOTE, A9N_RIGHT_WRITE, 0), 0);
    bind_line(h, harness_desc(h, 30));
    assert_int_equal(interrupt_bound_notification(IRQ_LINE), hal_virt_to_phys(n));
    /* Moved, it stays bound; removed, the line lets go (the port itself lives on). */
    assert_int_equal(h_move(h, 31, 30), A9N_SUCCESS);
    assert_int_equal(interrupt_bound_notification(IRQ_LINE), hal_virt_to_phys(n));
    assert_int_equal(h_remove(h, 31), A9N_SUCCESS);
    assert_int_equal(interrupt_bound_notification(IRQ_LINE), 0);
    interrupt_deliver(IRQ_LINE);
    assert_int_equal(n->word, 0);
    /* Bound again through a minted capability, revoking its parent ends it too. */
    assert_int_equal(h_mint(h, 30, NOTE, A9N_RIGHT_WRITE, 0), 0);
    bind_line(h, harness_desc(h, 30));
    assert_int_equal(h_revoke(h, NOTE), A9N_SUCCESS);
    assert_int_equal(interrupt_bound_notification(IRQ_LINE), 0);
    /* Another capability to the same port going does not touch the binding. */
    bind_line(h, harness_desc(h, NOTE));
    assert_int_equal(h_copy(h, 32, NOTE), A9N_SUCCESS);
    assert_int_equal(h_remove(h, 32), A9N_SUCCESS);
    assert_int_equal(interrupt_bound_notification(IRQ_LINE), hal_virt_to_phys(n));
    interrupt_deliver(IRQ_LINE);
    assert_int_equal(n->word, 1u << IRQ_LINE);
}

static void interrupt_bind_needs_write_on_the_notification(void **state)
{
    struct harness *h = *state;
    make_note(h);
    assert_int_equal(h_mint(h, 30, NOTE, A9N_RIGHTS_ALL & ~A9N_RIGHT_WRITE, 0), 0);
    bind_line(h, harness_desc(h, NOTE));
    EXPECT_FAILS_CLEANLY(h, A9N_ERROR_PERMISSION_DENIED,
                         harness_call(h, harness_desc(h, IRQ), A9N_INTERRUPT_PORT_BIND,
                                      harness_desc(h, 30), 0, 0, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        IPC_TEST(send_to_a_waiting_receiver_delivers_exactly_length),
        IPC_TEST(receive_of_a_queued_send_delivers_exactly_length),
        IPC_TEST(slow_call_and_reply_deliver_exactly_length),
        IPC_TEST(slow_call_and_reply_receive_deliver_exactly_length),
        IPC_TEST(fast_call_and_reply_receive_deliver_exactly_length),
        IPC_TEST(transferred_capabilities_leave_exactly_length_words),
        IPC_TEST(fault_report_fills_every_word),
        IPC_TEST(bound_notification_ends_a_receive_with_no_words),
        IPC_TEST(binding_a_notification_needs_read),
        IPC_TEST(binding_ends_when_its_capability_is_revoked),
        IPC_TEST(binding_ends_when_the_process_slot_is_emptied),
        IPC_TEST(interrupt_binding_ends_with_its_capability),
        IPC_TEST(interrupt_bind_needs_write_on_the_notification),
        IPC_TEST(fast_path_needs_a_current_address_space_record),
    };
    return cmocka_run_group_tests_name("core_ipc", tests, NULL, NULL);
}
