/* Process objects: CONFIGURE, registers, RESUME, SUSPEND. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

TEST(process_configure_errors)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    unsigned port = make_port();
    a9n_word v[1] = {D(port)};
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, v, 1, NULL),
             A9N_ERROR_WRONG_TYPE);
    v[0] = D(slot_alloc());
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_ROOT_NODE, v, 1, NULL),
             A9N_ERROR_EMPTY_SLOT);
    v[0] = 0xffffffff80000000ull;
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER, v, 1, NULL),
             A9N_ERROR_INVALID_ARGUMENT);
    v[0] = 256;
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_PRIORITY, v, 1, NULL),
             A9N_ERROR_INVALID_ARGUMENT);
    v[0] = 1;
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_AFFINITY, v, 1, NULL),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_process_configure(D(p), 1u << 12, v, 1, NULL), A9N_ERROR_INVALID_ARGUMENT);
    unsigned weak = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, weak, D(p), A9N_RIGHT_READ, 0));
    v[0] = 10;
    CHECK_EQ(a9n_process_configure(D(weak), A9N_PROCESS_CONFIGURE_PRIORITY, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
}

TEST(process_registers_round_trip)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    for (a9n_word r = A9N_REGISTER_RAX; r <= A9N_REGISTER_R15; r++)
        CHECK_OK(a9n_process_write_register(D(p), r, 0x1000 + r));
    for (a9n_word r = A9N_REGISTER_RAX; r <= A9N_REGISTER_R15; r++) {
        a9n_word v;
        CHECK_OK(a9n_process_read_register(D(p), r, &v));
        CHECK_EQ(v, 0x1000 + r);
    }
    CHECK_OK(a9n_process_write_register(D(p), A9N_REGISTER_IP, 0x401000));
    a9n_word ip;
    CHECK_OK(a9n_process_read_register(D(p), A9N_REGISTER_IP, &ip));
    CHECK_EQ(ip, 0x401000);
}

TEST(process_register_errors_and_filters)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    a9n_word v;
    CHECK_EQ(a9n_process_read_register(D(p), A9N_REGISTER_COUNT, &v), A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_process_write_register(D(p), A9N_REGISTER_IP, 0xffff800000001000ull),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_process_write_register(D(p), A9N_REGISTER_SP, 0x0000800000000000ull),
             A9N_ERROR_INVALID_ARGUMENT);
    /* IOPL, TF and friends cannot be set; interrupts stay on. */
    CHECK_OK(a9n_process_write_register(D(p), A9N_REGISTER_FLAGS, ~0ull));
    CHECK_OK(a9n_process_read_register(D(p), A9N_REGISTER_FLAGS, &v));
    CHECK_EQ(v & (3u << 12), 0); /* IOPL */
    CHECK_EQ(v & (1u << 8), 0);  /* TF */
    CHECK(v & (1u << 9));        /* IF */
}

TEST(process_resume_needs_address_space)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    CHECK_EQ(a9n_process_resume(D(p)), A9N_ERROR_ILLEGAL_OPERATION);
}

static volatile a9n_word spin_counter;

static void child_spin(a9n_word arg)
{
    for (;;)
        spin_counter++;
}

TEST(process_suspend_and_resume)
{
    spin_counter = 0;
    struct child c;
    CHECK(child_create(&c, child_spin, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    /* The child gets the CPU until the timer ends its slice (a tick already pending may end
     * it at once: try again). */
    for (int tries = 0; tries < 100 && spin_counter == 0; tries++)
        a9n_yield();
    CHECK(spin_counter > 0);
    CHECK_OK(a9n_process_suspend(D(c.process)));
    a9n_word frozen = spin_counter;
    for (int i = 0; i < 3; i++)
        a9n_yield();
    CHECK_EQ(spin_counter, frozen);
    CHECK_OK(a9n_process_resume(D(c.process)));
    for (int tries = 0; tries < 100 && spin_counter == frozen; tries++)
        a9n_yield();
    CHECK(spin_counter > frozen);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static unsigned report_port;

static void child_configure_higher(a9n_word target)
{
    /* A process may not give another a priority above its own (it runs at 100). */
    a9n_word v[1] = {200};
    struct a9n_message m = {.info = 1};
    m.word[0] = a9n_process_configure(target, A9N_PROCESS_CONFIGURE_PRIORITY, v, 1, NULL);
    a9n_ipc_port_send(D(report_port), &m);
    for (;;)
        a9n_yield();
}

TEST(process_priority_above_own_denied)
{
    report_port = make_port();
    unsigned target = make(A9N_OBJECT_PROCESS, 0);
    struct child c;
    CHECK(child_create(&c, child_configure_higher, D(target), 100, 0, CHILD_SHARE_ROOT));
    struct a9n_message m;
    CHECK_OK(receive(report_port, &m));
    CHECK_EQ(m.word[0], A9N_ERROR_PERMISSION_DENIED);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

/* Revoking the Generic a running process came from destroys it cleanly. */
TEST(process_destroyed_while_ready)
{
    spin_counter = 0;
    unsigned g = make(A9N_OBJECT_GENERIC, 20);
    CHECK(g != 0);
    unsigned saved = test_generic;
    test_generic = g;
    struct child c;
    bool made = child_create(&c, child_spin, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT);
    test_generic = saved;
    CHECK(made);
    for (int tries = 0; tries < 100 && spin_counter == 0; tries++)
        a9n_yield();
    CHECK(spin_counter > 0);
    CHECK_OK(a9n_node_revoke(ROOT, g));
    a9n_word after = spin_counter;
    a9n_yield();
    a9n_yield();
    CHECK_EQ(spin_counter, after);
    a9n_word v;
    CHECK_EQ(a9n_process_read_register(D(c.process), A9N_REGISTER_IP, &v), A9N_ERROR_EMPTY_SLOT);
}

static volatile a9n_word tls_word = 0x7153;

TEST(process_tls_base_takes_effect_at_once)
{
    /* Our own TLS base, set through our Process: %fs:0 then reads tls_word. */
    CHECK_OK(
        a9n_process_write_register(D(SLOT_PROCESS), A9N_REGISTER_TLS_BASE, (a9n_word)&tls_word));
    a9n_word v;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    CHECK_EQ(v, 0x7153);
    a9n_yield();
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    CHECK_EQ(v, 0x7153);
    CHECK_OK(a9n_process_read_register(D(SLOT_PROCESS), A9N_REGISTER_TLS_BASE, &v));
    CHECK_EQ(v, (a9n_word)&tls_word);
}

/* Running in an Address Space is reading and writing its memory: CONFIGURE with one needs
 * READ and WRITE on it, not only COPY (issue 9: a COPY-only capability to someone's space
 * let a new Process use all of that space's memory). */
TEST(process_configure_address_space_needs_read_and_write)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    unsigned as = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned copy_only = slot_alloc(), read_only = slot_alloc(), rw = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, copy_only, D(as), A9N_RIGHT_COPY, 0));
    CHECK_OK(a9n_node_mint(ROOT, read_only, D(as), A9N_RIGHT_COPY | A9N_RIGHT_READ, 0));
    CHECK_OK(a9n_node_mint(ROOT, rw, D(as), A9N_RIGHT_COPY | A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0));
    a9n_word v[1] = {D(copy_only)};
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    v[0] = D(read_only);
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    v[0] = D(rw);
    CHECK_OK(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, v, 1, NULL));
}

/* The exit notice (a9n/process.h): a Notification Port, WRITE and COPY, nothing else. */
TEST(process_exit_notice_refuses_bad_capabilities)
{
    unsigned p = make(A9N_OBJECT_PROCESS, 0);
    unsigned port = make_port(), n = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    unsigned read_only = slot_alloc(), no_copy = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, read_only, D(n), A9N_RIGHT_READ | A9N_RIGHT_COPY, 0));
    CHECK_OK(a9n_node_mint(ROOT, no_copy, D(n), A9N_RIGHT_WRITE, 0));
    a9n_word v[1] = {D(port)};
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL),
             A9N_ERROR_WRONG_TYPE);
    v[0] = D(read_only);
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    v[0] = D(no_copy);
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL),
             A9N_ERROR_PERMISSION_DENIED);
    v[0] = D(slot_alloc());
    CHECK_EQ(a9n_process_configure(D(p), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL),
             A9N_ERROR_EMPTY_SLOT);
    /* SUSPEND knows a pause (0) and an end (1), nothing else; a refused one changes
     * nothing: the process keeps running. */
    spin_counter = 0;
    struct child c;
    CHECK(child_create(&c, child_spin, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    CHECK_EQ(a9n_call7(D(c.process), A9N_PROCESS_SUSPEND, 2, 0, 0, 0, 0, 0, 0),
             A9N_ERROR_INVALID_ARGUMENT);
    CHECK_EQ(a9n_call7(D(c.process), A9N_PROCESS_SUSPEND, ~0ull, 0, 0, 0, 0, 0, 0),
             A9N_ERROR_INVALID_ARGUMENT);
    a9n_word before = spin_counter;
    for (int tries = 0; tries < 100 && spin_counter == before; tries++)
        a9n_yield();
    CHECK(spin_counter > before);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

/* The word of Notification Port `n`, taken (~0 if the poll failed). */
static a9n_word poll_word(unsigned n)
{
    a9n_word bits = 0;
    return a9n_notification_port_poll(D(n), &bits) == A9N_SUCCESS ? bits : ~0ull;
}

TEST(process_exit_notice_told_once_per_end)
{
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0), notice = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, notice, D(n), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0x40));
    struct child c;
    CHECK(child_create(&c, child_spin, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    a9n_word v[1] = {D(notice)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL));
    CHECK_OK(a9n_process_suspend(D(c.process)));
    CHECK_EQ(poll_word(n), 0); /* a pause is no end */
    CHECK_OK(a9n_process_end(D(c.process)));
    CHECK_EQ(poll_word(n), 0x40);
    CHECK_OK(a9n_process_end(D(c.process)));
    CHECK_EQ(poll_word(n), 0); /* once per end */
    CHECK_OK(a9n_process_resume(D(c.process)));
    CHECK_OK(a9n_process_end(D(c.process)));
    CHECK_EQ(poll_word(n), 0x40); /* resumed, it may end again */
    /* Destroyed (its last capability deleted) while running: also an end. */
    CHECK_OK(a9n_process_resume(D(c.process)));
    CHECK_OK(a9n_node_remove(ROOT, c.process));
    CHECK_EQ(poll_word(n), 0x40);
}

static volatile a9n_word fault_go;

static void child_fault_when_told(a9n_word arg)
{
    while (!fault_go)
        a9n_yield();
    *(volatile int *)0 = 1;
}

/* A fault nobody will resolve any more (its resolver port is destroyed while the report
 * waits in it) ends the process. (A fault with no resolver at all ends it too: the kernel
 * logs that, so system_ulmm shows it, where a client of ULMM faults.) */
TEST(process_exit_notice_when_its_fault_can_no_longer_be_resolved)
{
    fault_go = 0;
    unsigned port = make_port(), n = make(A9N_OBJECT_NOTIFICATION_PORT, 0), notice = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, notice, D(n), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0x40));
    struct child c;
    CHECK(child_create(&c, child_fault_when_told, 0, TOP_PRIORITY, port, CHILD_SHARE_ROOT));
    a9n_word v[1] = {D(notice)};
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_EXIT_NOTICE, v, 1, NULL));
    fault_go = 1;
    for (int tries = 0; tries < 20; tries++)
        a9n_yield(); /* it faults; the report waits in the port: nobody receives */
    CHECK_EQ(poll_word(n), 0);
    /* Our capability goes, then the child's own (its resolver is replaced): the port dies
     * with the report in it. */
    CHECK_OK(a9n_node_remove(ROOT, port));
    CHECK_EQ(poll_word(n), 0);
    unsigned other = make_port();
    v[0] = D(other);
    CHECK_OK(a9n_process_configure(D(c.process), A9N_PROCESS_CONFIGURE_RESOLVER, v, 1, NULL));
    CHECK_EQ(poll_word(n), 0x40);
}
