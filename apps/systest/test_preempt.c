/*
 * Long kernel operations are preemptible (kernel/core/preempt.h): while a lower-priority
 * worker runs one REMOVE, REVOKE or CONVERT over many objects, the driver (this process,
 * higher priority) keeps the PIT firing. A preempted call is wound back onto its `syscall`
 * instruction and continued when the worker runs again, so a driver that wakes while the
 * operation is still in progress finds the worker's instruction pointer on a `syscall`.
 * Without preemption points the operation runs with interrupts off: the driver can only
 * wake once it is over. Each operation must still complete with the result an
 * uninterrupted one has.
 *
 * Behaviour, not timing: the PIT period starts at about 1 us and grows by an eighth at every
 * interrupt that does not catch the worker inside its call and by a 32nd at one that does (up
 * to about 30 ms), so the worker is never starved and interrupts keep falling inside the
 * operation,
 * whatever the speed of the machine (-icount or not, idle or loaded). The test asks for at
 * least two wake-ups that catch the worker inside its call.
 */
#include "systest.h"

#define ROOT D(SLOT_NODE)

enum {
    PIT_CH0 = 0x40,
    PIT_CMD = 0x43,
    PIT_LINE = 0,
    PIT_ONESHOT = 0x30,
    PIT_TICKS_MAX = 0x8000,
    BIG_BITS = 21, /* the worker's objects: 2 MiB from the suite's pool */
    RADIX = BIG_BITS - A9N_SLOT_BITS,
    FRAMES = 500, /* 2,000 KiB of Frames */
    FRAMES_RADIX = 9,
    WORKER_PRIORITY = 5,
    ATTEMPTS = 5,
    SYSCALL_OPCODE = 0x050f, /* 0F 05, little-endian */
};

enum op {
    OP_REMOVE,
    OP_REVOKE,
    OP_CONVERT,
};

static volatile unsigned op_running, op_done, caught_inside;
static volatile a9n_error op_result;
static unsigned big, node, port, frames, done_note, start_note, pit, irq, note, worker_process;
static enum op op_kind;

static a9n_error do_op(void)
{
    switch (op_kind) {
    case OP_REMOVE:
        return a9n_node_remove(ROOT, node);
    case OP_REVOKE:
        return a9n_node_revoke(ROOT, port);
    default:
        return a9n_generic_convert(D(big), A9N_OBJECT_FRAME, A9N_FRAME_BITS, FRAMES, D(frames), 0);
    }
}

static void preempt_worker(a9n_word arg)
{
    (void)arg;
    /* The driver (higher priority) runs at once and starts the PIT: the operation begins
     * right after, with the first period still short. */
    a9n_notification_port_notify(D(start_note));
    op_running = 1;
    op_result = do_op();
    op_running = 0;
    op_done = 1;
    a9n_notification_port_notify(D(done_note));
    park();
}

static void pit_arm(unsigned ticks)
{
    a9n_io_port_write(D(pit), PIT_CMD, 1, PIT_ONESHOT);
    a9n_io_port_write(D(pit), PIT_CH0, 1, ticks & 0xff);
    a9n_io_port_write(D(pit), PIT_CH0, 1, ticks >> 8);
}

static void pit_wait(void)
{
    a9n_word w;
    a9n_notification_port_wait(D(note), &w);
    a9n_interrupt_port_ack(D(irq));
}

static bool driver_begin(void)
{
    pit = slot_alloc(), irq = slot_alloc(), note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    done_note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    start_note = make(A9N_OBJECT_NOTIFICATION_PORT, 0);
    return note != 0 && done_note != 0 && start_note != 0 &&
           a9n_io_port_mint(D(SLOT_IO_PORT), PIT_CH0, PIT_CMD, ROOT, pit) == A9N_SUCCESS &&
           a9n_interrupt_region_make_port(D(SLOT_INTERRUPT_REGION), PIT_LINE, ROOT, irq) ==
               A9N_SUCCESS &&
           a9n_interrupt_port_bind(D(irq), D(note)) == A9N_SUCCESS;
}

static void driver_end(void)
{
    a9n_interrupt_port_unbind(D(irq));
    a9n_node_remove(ROOT, irq); /* the line is free again for others */
}

/* Whether the worker is inside a preempted call: its instruction pointer is on a
 * `syscall` instruction (the image is the same in both address spaces). */
static bool worker_inside_call(void)
{
    a9n_word ip = 0;
    if (a9n_process_read_register(D(worker_process), A9N_REGISTER_IP, &ip) != A9N_SUCCESS)
        return false;
    return *(const volatile uint16_t *)ip == SYSCALL_OPCODE;
}

/* Runs the operation in a worker while the PIT fires, ever more slowly; true if it ran. */
static bool run_interrupted(void)
{
    op_running = op_done = caught_inside = 0;
    op_result = A9N_ERROR_FATAL;
    struct child c;
    if (!child_create(&c, preempt_worker, 0, WORKER_PRIORITY, 0, CHILD_SHARE_ROOT))
        return false;
    worker_process = c.process;
    a9n_word w;
    a9n_notification_port_wait(D(start_note), &w);
    unsigned ticks = 1;
    while (!op_done) {
        pit_arm(ticks);
        pit_wait();
        /* No catch: the period may be too short for the worker to get anywhere (the driver
         * itself takes time): grow it by an eighth. A catch grows it too, by a 32nd: when
         * the driver's own work outlasts the period, the next interrupt is pending before
         * the driver waits, the worker never runs and is caught again where it stood; a
         * period kept on a catch would keep that for ever (a debug kernel, whose invariant
         * check after each call outlasted the period, did so). */
        bool caught = op_running && worker_inside_call();
        if (caught)
            caught_inside++;
        if (ticks < PIT_TICKS_MAX)
            ticks += caught ? ticks / 32 + 1 : ticks / 8 + 1;
    }
    a9n_notification_port_wait(D(done_note), &w);
    return true;
}

/* 2^RADIX capabilities to `port` in a Node made from the worker's Generic: copies (they go
 * with the Node) or children (they go with REVOKE of the port). */
static bool fill(bool children)
{
    if (a9n_generic_convert(D(big), A9N_OBJECT_NODE, RADIX, 1, ROOT, node) != A9N_SUCCESS)
        return false;
    for (a9n_word i = 0; i < 1u << RADIX; i++) {
        a9n_error e = children ? a9n_node_mint(D(node), i, D(port), A9N_RIGHTS_ALL, 0)
                               : a9n_node_copy(D(node), i, D(port));
        if (e != A9N_SUCCESS)
            return false;
    }
    return true;
}

/* Makes the objects for `op` and runs it interrupted. */
/* Makes the objects for `op` and runs it interrupted. Without -icount a loaded host can
 * stall the guest for longer than the whole operation, so an attempt that caught the worker
 * fewer than twice is made again with fresh objects, up to ATTEMPTS times: a kernel without
 * preemption points never gets a single catch, however often it is tried. */
static bool interrupted(enum op op, bool (*prepare)(void))
{
    op_kind = op;
    if (!driver_begin())
        return false;
    bool ran = false;
    for (unsigned attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) {
            a9n_node_revoke(ROOT, big); /* every object back to the Generic */
            a9n_node_remove(ROOT, node);
        }
        ran = prepare() && run_interrupted();
        printf("# the driver caught the worker inside its call %u times\n", caught_inside);
        if (!ran || op_result != A9N_SUCCESS || caught_inside >= 2)
            break;
    }
    driver_end();
    return ran;
}

static bool begin(void)
{
    big = slot_alloc();
    if (a9n_generic_convert(D(SYSTEST_POOL_SLOT), A9N_OBJECT_GENERIC, BIG_BITS, 1, ROOT, big) !=
        A9N_SUCCESS)
        return false;
    port = make_port();
    node = slot_alloc();
    frames = make(A9N_OBJECT_NODE, FRAMES_RADIX);
    return big != 0 && port != 0 && frames != 0;
}

static bool prepare_copies(void)
{
    return fill(false);
}

static bool prepare_children(void)
{
    return fill(true);
}

TEST(preempted_remove_of_a_full_node_completes)
{
    CHECK(begin());
    CHECK(interrupted(OP_REMOVE, prepare_copies));
    CHECK_OK(op_result);
    /* The operation was cut by interrupts and restarted. */
    CHECK(caught_inside >= 2);
    CHECK_EQ(a9n_node_remove(ROOT, node), A9N_ERROR_EMPTY_SLOT);
    /* Every copy went with the Node: REVOKE of the port finds nothing left to do, and the
     * Generic is whole again. */
    CHECK_OK(a9n_node_revoke(ROOT, port));
    CHECK_OK(a9n_generic_convert(D(big), A9N_OBJECT_GENERIC, BIG_BITS, 1, ROOT, node));
}

TEST(preempted_revoke_completes)
{
    CHECK(begin());
    CHECK(interrupted(OP_REVOKE, prepare_children));
    CHECK_OK(op_result);
    CHECK(caught_inside >= 2);
    /* Every child is gone, the port itself stays. */
    for (a9n_word i = 0; i < 1u << RADIX; i++)
        CHECK_OK(a9n_node_copy(D(node), i, D(port)));
    CHECK_EQ(a9n_node_copy(D(node), 0, D(port)), A9N_ERROR_SLOT_OCCUPIED);
}

static volatile uint64_t *frame_words(void)
{
    return (volatile uint64_t *)SCRATCH_ADDRESS;
}

/* Maps Frame `index` of the frames Node at SCRATCH_ADDRESS, through a copy in `copy`. */
static bool map_frame(unsigned copy, a9n_word index)
{
    return a9n_node_copy(ROOT, copy, a9n_descriptor_append(D(frames), index, FRAMES_RADIX)) ==
               A9N_SUCCESS &&
           koito_map(&test_pool, SLOT_ADDRESS_SPACE, copy, SCRATCH_ADDRESS,
                     A9N_MAP_READ | A9N_MAP_WRITE) == A9N_SUCCESS;
}

/* Frames over the whole Generic, every word of the last one written, then revoked: the
 * memory the interrupted CONVERT must clear again. */
static bool prepare_dirty(void)
{
    unsigned copy = slot_alloc();
    if (a9n_generic_convert(D(big), A9N_OBJECT_FRAME, A9N_FRAME_BITS, FRAMES, D(frames), 0) !=
            A9N_SUCCESS ||
        !map_frame(copy, FRAMES - 1))
        return false;
    for (unsigned i = 0; i < 512; i++)
        frame_words()[i] = 0x5a5a5a5a5a5a5a5aull;
    return a9n_node_remove(ROOT, copy) == A9N_SUCCESS && a9n_node_revoke(ROOT, big) == A9N_SUCCESS;
}

TEST(preempted_convert_clears_and_makes_every_frame)
{
    CHECK(begin());
    CHECK(interrupted(OP_CONVERT, prepare_dirty));
    CHECK_OK(op_result);
    CHECK(caught_inside >= 2);
    /* All FRAMES slots hold Frames (a COPY into any is refused), the next one is free. */
    for (a9n_word i = 0; i < FRAMES; i++)
        CHECK_EQ(a9n_node_copy(D(frames), i, D(port)), A9N_ERROR_SLOT_OCCUPIED);
    CHECK_OK(a9n_node_copy(D(frames), FRAMES, D(port)));
    /* The dirtied page was cleared again. */
    unsigned copy = slot_alloc();
    CHECK(map_frame(copy, FRAMES - 1));
    for (unsigned i = 0; i < 512; i++)
        CHECK_EQ(frame_words()[i], 0);
    CHECK_OK(a9n_node_remove(ROOT, copy));
}
