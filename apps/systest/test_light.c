/*
 * The light path and the general path in place (kernel/core/run.c, isr.asm): a capability
 * call that is not an IPC fast-path candidate saves only the registers C may clobber; the
 * calls it can answer (an unknown operation; Notification and Interrupt Port calls; IO Port
 * READ and WRITE) touch no register past MR4, and every other call saves the rest of the
 * frame and goes on. Each test checks every register a call must keep, or the fallback's
 * result, or that a saved frame reads back right while its process is blocked.
 */
#include "systest.h"

#define ROOT D(SLOT_NODE)

/* Every general register, as the ABI numbers them apart from rcx and r11 (the syscall
 * instruction's). */
struct regs {
    a9n_word rax, rbx, rdx, rsi, rdi, rbp, r8, r9, r10, r12, r13, r14, r15;
};

/* Loads every register from `in`, makes `syscall`, stores every register to `out`. */
__attribute__((naked)) static void regs_syscall(const struct regs *in, struct regs *out)
{
    __asm__ volatile("push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\t"
                     "push %r15\n\tpush %rsi\n\t"
                     "mov 0(%rdi), %rax\n\tmov 8(%rdi), %rbx\n\tmov 16(%rdi), %rdx\n\t"
                     "mov 24(%rdi), %rsi\n\tmov 40(%rdi), %rbp\n\tmov 48(%rdi), %r8\n\t"
                     "mov 56(%rdi), %r9\n\tmov 64(%rdi), %r10\n\tmov 72(%rdi), %r12\n\t"
                     "mov 80(%rdi), %r13\n\tmov 88(%rdi), %r14\n\tmov 96(%rdi), %r15\n\t"
                     "mov 32(%rdi), %rdi\n\t"
                     "syscall\n\t"
                     "push %rdi\n\tmov 8(%rsp), %rdi\n\t"
                     "mov %rax, 0(%rdi)\n\tmov %rbx, 8(%rdi)\n\tmov %rdx, 16(%rdi)\n\t"
                     "mov %rsi, 24(%rdi)\n\tmov %rbp, 40(%rdi)\n\tmov %r8, 48(%rdi)\n\t"
                     "mov %r9, 56(%rdi)\n\tmov %r10, 64(%rdi)\n\tmov %r12, 72(%rdi)\n\t"
                     "mov %r13, 80(%rdi)\n\tmov %r14, 88(%rdi)\n\tmov %r15, 96(%rdi)\n\t"
                     "pop %rax\n\tmov %rax, 32(%rdi)\n\tadd $8, %rsp\n\t"
                     "pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
                     "ret");
}

/* A capability call of `op` on `cap` with MR2..MR4 = a2..a4 and a pattern in every other
 * register (MR5..MR8 included). */
static struct regs call_in(a9n_word cap, a9n_word op, a9n_word a2, a9n_word a3, a9n_word a4)
{
    return (struct regs){.rax = 0xa0a0a0a0a0a0a0a0,
                         .rbx = 0xb0b0b0b0b0b0b0b0,
                         .rdx = op,
                         .rsi = cap,
                         .rdi = (a9n_word)A9N_SYSCALL_CAPABILITY_CALL,
                         .rbp = 0xbbbbbbbbbbbbbbbb,
                         .r8 = a2,
                         .r9 = a3,
                         .r10 = a4,
                         .r12 = 0x1212121212121212,
                         .r13 = 0x1313131313131313,
                         .r14 = 0x1414141414141414,
                         .r15 = 0x1515151515151515};
}

/* The registers no call result may change: all but MR0..MR2 (MR2 is a result of some). */
static bool kept(const struct regs *in, const struct regs *out)
{
    return out->rax == in->rax && out->rbx == in->rbx && out->rdi == in->rdi &&
           out->rbp == in->rbp && out->r9 == in->r9 && out->r10 == in->r10 && out->r12 == in->r12 &&
           out->r13 == in->r13 && out->r14 == in->r14 && out->r15 == in->r15;
}

/* One call; checks MR0, MR1, MR2 and every kept register. */
static void check_call(struct regs in, a9n_error want, a9n_word want_mr2)
{
    struct regs out;
    regs_syscall(&in, &out);
    CHECK_EQ(out.rsi, want == A9N_SUCCESS);
    CHECK_EQ(out.rdx, want);
    CHECK_EQ(out.r8, want_mr2);
    CHECK(kept(&in, &out));
}

enum { COM1_SCRATCH = 0x3ff };

/* Light calls (answered on the light path) keep every register they do not answer in. */
TEST(light_calls_keep_every_other_register)
{
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    unsigned badged = slot_alloc(), ro = slot_alloc(), io = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(n), A9N_RIGHTS_ALL, 0x60));
    CHECK_OK(a9n_node_mint(ROOT, ro, D(n), A9N_RIGHT_READ, 0));
    CHECK_OK(a9n_io_port_mint(D(SLOT_IO_PORT), COM1_SCRATCH, COM1_SCRATCH, ROOT, io));
    /* An unknown operation (the null call), and one past the last. */
    check_call(call_in(D(SLOT_DEBUG), 0, 2, 3, 4), A9N_ERROR_ILLEGAL_OPERATION, 2);
    check_call(call_in(D(n), A9N_NOTIFICATION_PORT_IDENTIFY + 1, 2, 3, 4),
               A9N_ERROR_ILLEGAL_OPERATION, 2);
    /* Notification Port: NOTIFY, POLL (MR2 the bits), WAIT with bits, IDENTIFY, refusals. */
    check_call(call_in(D(badged), A9N_NOTIFICATION_PORT_NOTIFY, 2, 3, 4), A9N_SUCCESS, 2);
    check_call(call_in(D(n), A9N_NOTIFICATION_PORT_POLL, 2, 3, 4), A9N_SUCCESS, 0x60);
    check_call(call_in(D(badged), A9N_NOTIFICATION_PORT_NOTIFY, 2, 3, 4), A9N_SUCCESS, 2);
    check_call(call_in(D(n), A9N_NOTIFICATION_PORT_WAIT, 2, 3, 4), A9N_SUCCESS, 0x60);
    check_call(call_in(D(badged), A9N_NOTIFICATION_PORT_IDENTIFY, 2, 3, 4), A9N_SUCCESS, 0x60);
    check_call(call_in(D(ro), A9N_NOTIFICATION_PORT_NOTIFY, 2, 3, 4), A9N_ERROR_PERMISSION_DENIED,
               2);
    /* IO Port READ and WRITE (COM1's scratch register), and a refused width. */
    check_call(call_in(D(io), A9N_IO_PORT_WRITE, COM1_SCRATCH, 1, 0x5a), A9N_SUCCESS, COM1_SCRATCH);
    check_call(call_in(D(io), A9N_IO_PORT_READ, COM1_SCRATCH, 1, 4), A9N_SUCCESS, 0x5a);
    check_call(call_in(D(io), A9N_IO_PORT_READ, COM1_SCRATCH, 3, 4), A9N_ERROR_INVALID_ARGUMENT,
               COM1_SCRATCH);
}

/* Calls of the light types that the light path leaves to the general one keep every
 * register too, and get the general path's result: a descriptor that is not a root slot
 * (the walk), an IO Port MINT (its index is MR5, which the light path does not save), a
 * WAIT that finds no bits through a nested descriptor is not tested here (it blocks). */
TEST(light_types_fall_back_with_the_general_result)
{
    unsigned n = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    unsigned node = make(A9N_OBJECT_NODE, 4);
    CHECK(n != 0 && node != 0);
    CHECK_OK(a9n_node_mint(D(node), 5, D(n), A9N_RIGHTS_ALL, 0x9));
    a9n_word nested = a9n_descriptor_append(D(node), 5, 4);
    check_call(call_in(nested, A9N_NOTIFICATION_PORT_NOTIFY, 2, 3, 4), A9N_SUCCESS, 2);
    check_call(call_in(nested, A9N_NOTIFICATION_PORT_POLL, 2, 3, 4), A9N_SUCCESS, 0x9);
    check_call(call_in(a9n_descriptor_append(D(node), 6, 4), A9N_NOTIFICATION_PORT_POLL, 2, 3, 4),
               A9N_ERROR_EMPTY_SLOT, 2);
    /* MINT: MR2 first, MR3 last, MR4 the Node, MR5 (r12) the index. */
    unsigned dest = slot_alloc();
    struct regs in = call_in(D(SLOT_IO_PORT), A9N_IO_PORT_MINT, COM1_SCRATCH, COM1_SCRATCH, ROOT);
    in.r12 = dest;
    struct regs out;
    regs_syscall(&in, &out);
    CHECK_EQ(out.rdx, A9N_SUCCESS);
    CHECK(kept(&in, &out));
    check_call(call_in(D(dest), A9N_IO_PORT_WRITE, COM1_SCRATCH, 1, 0xa5), A9N_SUCCESS,
               COM1_SCRATCH);
    check_call(call_in(D(dest), A9N_IO_PORT_READ, COM1_SCRATCH, 1, 4), A9N_SUCCESS, 0xa5);
    /* A general call (a Node COPY into a taken slot) keeps every register as well. */
    check_call(call_in(ROOT, A9N_NODE_COPY, dest, D(n), 4), A9N_ERROR_SLOT_OCCUPIED, dest);
}

/* Interrupt Port calls are all light; their refusals stay in their order (the right first,
 * then the operation, then ACK's binding). */
TEST(light_interrupt_port_refusals)
{
    enum { LINE = 3 };
    unsigned irq = slot_alloc(), ro = slot_alloc();
    CHECK_OK(a9n_interrupt_region_make_port(D(SLOT_INTERRUPT_REGION), LINE, ROOT, irq));
    CHECK_OK(a9n_node_mint(ROOT, ro, D(irq), A9N_RIGHT_READ, 0));
    check_call(call_in(D(ro), A9N_INTERRUPT_PORT_ACK, 2, 3, 4), A9N_ERROR_PERMISSION_DENIED, 2);
    check_call(call_in(D(ro), 99, 2, 3, 4), A9N_ERROR_PERMISSION_DENIED, 2);
    check_call(call_in(D(irq), 99, 2, 3, 4), A9N_ERROR_ILLEGAL_OPERATION, 2);
    check_call(call_in(D(irq), A9N_INTERRUPT_PORT_ACK, 2, 3, 4), A9N_ERROR_ILLEGAL_OPERATION, 2);
    a9n_word empty = D(slot_alloc());
    check_call(call_in(D(irq), A9N_INTERRUPT_PORT_BIND, empty, 3, 4), A9N_ERROR_EMPTY_SLOT, empty);
}

/* A WAIT that blocks takes the light path to the scheduler: its whole frame must be saved
 * before anyone can look at it. While it waits, its registers read back as it set them; when
 * the bits come, it goes on with all of them. */
static unsigned wait_port;
static volatile a9n_word wait_verdict;
static struct regs wait_out;

static void child_wait_with_patterns(a9n_word arg)
{
    struct regs in = call_in(D(wait_port), A9N_NOTIFICATION_PORT_WAIT, 2, 3, 4);
    regs_syscall(&in, &wait_out);
    /* A woken waiter gets MR3 = 0 as well (the info word of a notification delivery). */
    struct regs woken = in;
    woken.r9 = 0;
    wait_verdict = kept(&woken, &wait_out) && wait_out.rsi == 1 && wait_out.rdx == A9N_SUCCESS &&
                           wait_out.r8 == 0x44
                       ? 1
                       : 2;
    park();
}

TEST(light_wait_that_blocks_keeps_every_register)
{
    wait_port = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    unsigned badged = slot_alloc();
    CHECK_OK(a9n_node_mint(ROOT, badged, D(wait_port), A9N_RIGHT_WRITE, 0x44));
    wait_verdict = 0;
    struct child c;
    CHECK(child_create(&c, child_wait_with_patterns, 0, 100, 0, CHILD_SHARE_ROOT));
    settle(); /* it waits */
    CHECK_EQ(wait_verdict, 0);
    struct regs want = call_in(D(wait_port), A9N_NOTIFICATION_PORT_WAIT, 2, 3, 4);
    const struct {
        a9n_word reg, value;
    } saved[] = {
        {A9N_REGISTER_RAX, want.rax}, {A9N_REGISTER_RBX, want.rbx}, {A9N_REGISTER_RDX, want.rdx},
        {A9N_REGISTER_RSI, want.rsi}, {A9N_REGISTER_RDI, want.rdi}, {A9N_REGISTER_RBP, want.rbp},
        {A9N_REGISTER_R8, want.r8},   {A9N_REGISTER_R9, want.r9},   {A9N_REGISTER_R10, want.r10},
        {A9N_REGISTER_R12, want.r12}, {A9N_REGISTER_R13, want.r13}, {A9N_REGISTER_R14, want.r14},
        {A9N_REGISTER_R15, want.r15},
    };
    for (unsigned i = 0; i < sizeof saved / sizeof saved[0]; i++) {
        a9n_word v;
        CHECK_OK(a9n_process_read_register(D(c.process), saved[i].reg, &v));
        CHECK_EQ(v, saved[i].value);
    }
    /* Its instruction pointer is just past its `syscall` (in regs_syscall). */
    a9n_word ip;
    CHECK_OK(a9n_process_read_register(D(c.process), A9N_REGISTER_IP, &ip));
    CHECK(ip > (a9n_word)regs_syscall && ip < (a9n_word)regs_syscall + 128);
    CHECK_OK(a9n_notification_port_notify(D(badged)));
    settle();
    CHECK_EQ(wait_verdict, 1);
}

/* A general call that blocks (a RECEIVE) keeps its registers as it made the call: results
 * are written only to a caller that goes on. */
static unsigned recv_port;
static void child_receive(a9n_word arg)
{
    struct regs in = call_in(D(recv_port), A9N_IPC_PORT_RECEIVE, 0, 0, 0);
    struct regs out;
    regs_syscall(&in, &out);
    park();
}

TEST(general_call_that_blocks_keeps_its_registers)
{
    recv_port = make_port();
    struct child c;
    CHECK(child_create(&c, child_receive, 0, 100, 0, CHILD_SHARE_ROOT));
    settle();
    a9n_word v;
    CHECK_OK(a9n_process_read_register(D(c.process), A9N_REGISTER_RSI, &v));
    CHECK_EQ(v, D(recv_port));
    CHECK_OK(a9n_process_read_register(D(c.process), A9N_REGISTER_RDX, &v));
    CHECK_EQ(v, A9N_IPC_PORT_RECEIVE);
    CHECK_OK(a9n_process_read_register(D(c.process), A9N_REGISTER_R12, &v));
    CHECK_EQ(v, 0x1212121212121212);
}

/* Who runs first after a call that wakes someone: the woken one when its priority is
 * higher (the light NOTIFY and the general SEND go to the scheduler), else the caller (no
 * scheduler pass). A low-priority child makes the call; both log their turn. */
static unsigned order_port;
static volatile a9n_word order_log[2], order_next;

static void log_turn(a9n_word who)
{
    order_log[order_next++ & 1] = who;
}

static void child_woken(a9n_word notification)
{
    if (notification) {
        a9n_word w;
        a9n_notification_port_wait(D(order_port), &w);
    } else {
        struct a9n_message m;
        a9n_ipc_port_receive(D(order_port), &m);
    }
    log_turn('W');
    park();
}

static void child_waker(a9n_word notification)
{
    if (notification) {
        a9n_notification_port_notify(D(order_port));
    } else {
        struct a9n_message m = {.info = 0};
        a9n_ipc_port_send(D(order_port), &m);
    }
    log_turn('C');
    park();
}

static void check_order(bool notification, unsigned woken_priority, a9n_word first)
{
    order_port = notification ? make(A9N_OBJECT_NOTIFICATION_PORT, 0) : make_port();
    order_next = 0;
    order_log[0] = order_log[1] = 0;
    struct child woken, waker;
    CHECK(child_create(&woken, child_woken, notification, woken_priority, 0, CHILD_SHARE_ROOT));
    settle(); /* it waits */
    CHECK(child_create(&waker, child_waker, notification, 50, 0, CHILD_SHARE_ROOT));
    settle();
    CHECK_EQ(order_next, 2);
    CHECK_EQ(order_log[0], first);
}

TEST(call_waking_a_higher_priority_lets_it_run_first)
{
    check_order(true, 100, 'W');  /* light NOTIFY: to the scheduler */
    check_order(false, 100, 'W'); /* general SEND: resume_if_first declines */
    check_order(true, 20, 'C');   /* lower: the caller goes on (same priority is left out:
                                   * a timer tick may rotate them in the checked kernel) */
    check_order(false, 20, 'C');
}

/* A call that gives the caller another Address Space: the caller must not go on in the old
 * one (the general path resumes at once only when the Address Space is the one the CPU
 * uses). The new one maps nothing, so its next instruction faults to the resolver. */
extern char __image_start[], __text_end[]; /* libc/user.ld: where our code is */
static volatile a9n_word switched_on, switch_process;
static unsigned new_space;

static void child_switch_space(a9n_word arg)
{
    a9n_word v[1] = {D(new_space)};
    a9n_process_configure(switch_process, A9N_PROCESS_CONFIGURE_ADDRESS_SPACE, v, 1, NULL);
    switched_on = 1;
    park();
}

TEST(call_changing_the_callers_address_space_takes_effect_at_once)
{
    new_space = make(A9N_OBJECT_ADDRESS_SPACE, 0);
    unsigned resolver = make_port();
    CHECK(new_space != 0 && resolver != 0);
    switched_on = 0;
    struct child c;
    CHECK(child_create(&c, child_switch_space, 0, 100, resolver, CHILD_SHARE_ROOT));
    switch_process = D(c.process); /* it runs only when we wait */
    struct a9n_message m;
    CHECK_OK(receive(resolver, &m));
    CHECK_EQ(switched_on, 0);
    CHECK(m.info & A9N_IPC_FAULT);
    CHECK_EQ(m.word[0], A9N_FAULT_PAGE);
    CHECK_EQ(m.word[1], m.word[3]); /* the instruction fetch itself */
    CHECK(m.word[3] >= (a9n_word)__image_start && m.word[3] < (a9n_word)__text_end);
}
