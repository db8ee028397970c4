/* User faults: each reaches the faulting process's resolver as a message (or suspends a
 * process that has none), and the rest of the system keeps running. */
#include "systest.h"

#define ROOT D(SLOT_NODE)

enum { RESOLVER_ID = 0x5eed };

extern char __image_start[], __text_end[]; /* libc/user.ld: where our code is */

static unsigned resolver_port, report_port;

/* A resolver capability with an identifier, for a child to be configured with. */
static unsigned make_resolver(void)
{
    resolver_port = make_port();
    unsigned badged = slot_alloc();
    if (resolver_port == 0 ||
        a9n_node_mint(ROOT, badged, D(resolver_port), A9N_RIGHT_WRITE | A9N_RIGHT_COPY,
                      RESOLVER_ID) != A9N_SUCCESS)
        return 0;
    return badged;
}

/* Runs `entry` in a child with a resolver and returns the fault message it produced. */
static bool fault_of(void (*entry)(a9n_word), unsigned flags, struct a9n_message *m,
                     struct child *c)
{
    unsigned resolver = make_resolver();
    if (resolver == 0 || !child_create(c, entry, 0, 200, resolver, flags))
        return false;
    return receive(resolver_port, m) == A9N_SUCCESS;
}

static void child_write_unmapped(a9n_word arg)
{
    *(volatile a9n_word *)0x30000008ull = 1;
}

TEST(fault_write_unmapped_reaches_resolver)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_write_unmapped, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.identifier, RESOLVER_ID);
    CHECK(m.info & A9N_IPC_FAULT);
    CHECK_EQ(m.word[0], A9N_FAULT_PAGE);
    CHECK_EQ(m.word[1], 0x30000008ull);
    CHECK_EQ(m.word[2], A9N_FAULT_WRITE);
    /* the instruction is in our text (wherever the image is linked) */
    CHECK(m.word[3] >= (a9n_word)__image_start && m.word[3] < (a9n_word)__text_end);
    CHECK_EQ(m.word[4] >> 32, 14); /* x86 #PF */
}

static void child_execute_stack(a9n_word arg)
{
    /* The stack page is mapped without execute rights. */
    ((void (*)(void))(CHILD_STACK_ADDRESS + 16))();
}

TEST(fault_execute_data_refused)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_execute_stack, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_PAGE);
    CHECK_EQ(m.word[1], CHILD_STACK_ADDRESS + 16);
    CHECK_EQ(m.word[2], A9N_FAULT_EXECUTE | A9N_FAULT_PRESENT);
}

static void child_divide(a9n_word arg)
{
    volatile unsigned zero = 0;
    unsigned divisor = zero;
    __asm__ volatile("xor %%edx, %%edx\n\tmov $7, %%eax\n\tdivl %0"
                     :
                     : "r"(divisor)
                     : "rax", "rdx");
}

TEST(fault_divide_error)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_divide, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_DIVIDE);
    CHECK_EQ(m.word[4] >> 32, 0);
}

static void child_privileged(a9n_word arg)
{
    __asm__ volatile("hlt");
}

TEST(fault_privileged_instruction)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_privileged, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_GENERAL_PROTECTION);
    CHECK_EQ(m.word[4] >> 32, 13);
}

static void child_port_io(a9n_word arg)
{
    /* No I/O privilege in user mode: only IO Port capabilities reach ports. */
    __asm__ volatile("outb %%al, $0xf4" : : "a"(0x10));
}

TEST(fault_direct_port_io_refused)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_port_io, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_GENERAL_PROTECTION);
}

static void child_invalid_opcode(a9n_word arg)
{
    __asm__ volatile("ud2");
}

TEST(fault_invalid_opcode)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_invalid_opcode, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_INVALID_OPCODE);
}

static void child_breakpoint(a9n_word arg)
{
    __asm__ volatile("int3");
}

TEST(fault_breakpoint_reaches_resolver)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_breakpoint, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_DEBUG);
    CHECK_EQ(m.word[4] >> 32, 3);
}

static void child_software_interrupt(a9n_word arg)
{
    __asm__ volatile("int $0x80"); /* no system call gate here: only syscall enters */
}

TEST(fault_software_interrupt_refused)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_software_interrupt, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_GENERAL_PROTECTION);
}

static void child_read_kernel(a9n_word arg)
{
    (void)*(volatile a9n_word *)0xffff800000100000ull;
}

TEST(fault_kernel_memory_unreachable)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_read_kernel, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[0], A9N_FAULT_PAGE);
    CHECK_EQ(m.word[1], 0xffff800000100000ull);
    CHECK_EQ(m.word[2], A9N_FAULT_PRESENT); /* mapped, but not for user mode */
}

static volatile a9n_word isolated_secret = 0x5ec7e7;

static void child_read_parent_data(a9n_word address)
{
    (void)*(volatile a9n_word *)address;
}

TEST(fault_no_access_without_capability)
{
    /* A child with its own empty Node and without our data pages cannot read our data. */
    struct a9n_message m;
    struct child c;
    unsigned resolver = make_resolver();
    CHECK(resolver != 0);
    CHECK(child_create(&c, child_read_parent_data, (a9n_word)&isolated_secret, 200, resolver,
                       CHILD_NO_DATA));
    CHECK_OK(receive(resolver_port, &m));
    CHECK_EQ(m.word[0], A9N_FAULT_PAGE);
    CHECK_EQ(m.word[1], (a9n_word)&isolated_secret);
    CHECK_EQ(m.word[2], 0); /* not present: nothing is mapped there */
}

static void child_write_then_report(a9n_word arg)
{
    volatile a9n_word *p = (volatile a9n_word *)SCRATCH_ADDRESS;
    *p = 42; /* faults until the resolver maps a page here */
    struct a9n_message r = {.info = 1, .word = {*p, 0, 0, 0, 0}};
    a9n_ipc_port_send(D(report_port), &r);
    for (;;)
        a9n_yield();
}

TEST(fault_resolved_then_resumed)
{
    report_port = make_port();
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_write_then_report, CHILD_SHARE_ROOT, &m, &c));
    CHECK_EQ(m.word[1], SCRATCH_ADDRESS);
    /* Map a page there in the child's space, then answer the fault. */
    unsigned frame = make(A9N_OBJECT_FRAME, 12);
    for (int i = 0; i < 4; i++) {
        a9n_error e =
            a9n_address_space_map(D(c.as), D(frame), SCRATCH_ADDRESS, A9N_MAP_WRITE, NULL);
        if (e == A9N_SUCCESS)
            break;
        CHECK_EQ(e, A9N_ERROR_MISSING_TABLE);
        CHECK_OK(a9n_address_space_map(D(c.as), D(make(A9N_OBJECT_PAGE_TABLE, 0)), SCRATCH_ADDRESS,
                                       0, NULL));
    }
    struct a9n_message reply = {0};
    CHECK_OK(a9n_ipc_port_reply(D(resolver_port), &reply));
    CHECK_OK(receive(report_port, &m));
    CHECK_EQ(m.word[0], 42);
    CHECK_OK(a9n_process_suspend(D(c.process)));
}

static volatile a9n_word steps;

static void child_step_then_fault(a9n_word arg)
{
    steps++;
    *(volatile a9n_word *)0x30000000ull = 1;
}

TEST(fault_without_resolver_suspends_only_that_process)
{
    steps = 0;
    struct child c;
    CHECK(child_create(&c, child_step_then_fault, 0, TOP_PRIORITY, 0, CHILD_SHARE_ROOT));
    /* The child runs, faults, is suspended (and the kernel logs a line). */
    for (int tries = 0; tries < 100 && steps == 0; tries++)
        a9n_yield();
    for (int i = 0; i < 3; i++)
        a9n_yield();
    CHECK_EQ(steps, 1);
    /* Resumed, it retries the faulting instruction and is suspended again. */
    CHECK_OK(a9n_process_resume(D(c.process)));
    a9n_yield();
    CHECK_EQ(steps, 1);
}

static void child_bad_stack_syscall(a9n_word arg)
{
    /* A non-canonical stack pointer across a system call: the kernel never touches the user
     * stack, and the return to user mode must not fault in the kernel; the first push after
     * it faults in user mode instead. */
    __asm__ volatile("mov %%rsp, %%rbx\n\t"
                     "mov $0x8000000000000000, %%rsp\n\t"
                     "mov $-2, %%rdi\n\t"
                     "syscall\n\t"
                     "push %%rax\n\t"
                     :
                     :
                     : "rbx", "rcx", "rdi", "r11", "memory");
}

TEST(fault_non_canonical_stack_survives_syscall)
{
    struct a9n_message m;
    struct child c;
    CHECK(fault_of(child_bad_stack_syscall, CHILD_SHARE_ROOT, &m, &c));
    /* #SS or #GP, reported as a fault of that process (not of the kernel). */
    CHECK(m.word[0] == A9N_FAULT_GENERAL_PROTECTION || m.word[0] == A9N_FAULT_OTHER);
}
