/*
 * Interrupt latency while a lower-priority process runs a long kernel operation.
 *
 * The driver (this process, the highest priority) programs the PIT (channel 0, one-shot,
 * IRQ 0) to fire after a pseudo-random number of its ticks, reads the TSC and waits on the
 * Notification Port bound to IRQ 0. The latency of one sample is the TSC at wake-up minus
 * the TSC when the PIT was started minus the PIT delay itself. Under -icount shift=0 the
 * TSC and the PIT both follow guest instructions (one per nanosecond), so the delay in TSC
 * units is ticks * 10^9 / 1193182; the idle row shows what remains of the method's own
 * error (the PIT counts from its next input edge, under one tick).
 *
 * Meanwhile a worker at a lower priority repeats one long operation on objects as large as
 * the memory given allows, in cycles (make, fill, destroy). The worst sample over several
 * cycles is the row's figure; each row also checks the worker's operations all succeeded.
 */
#include "latency.h"

#include "stats.h"

#include <koito.h>
#include <liba9n.h>

#define ROOT koito_root(A9N_ROOT_SLOT_NODE)

enum {
    PIT_CH0 = 0x40,
    PIT_CMD = 0x43,
    PIT_LINE = 0,
    PIT_ONESHOT = 0x30, /* channel 0, low then high byte, mode 0, binary */
    WORKER_PRIORITY = 10,
    DRIVER_PRIORITY = 255,
    CYCLES = 2, /* worker cycles per row */
    /* The dense delays' range: 16,760 instructions, more than the longest stretch between
     * two preemption points (about 14,000) and the driver's own work after the PIT starts. */
    DENSE_TICKS = 20,
};

enum op {
    OP_IDLE,
    OP_REMOVE_FULL_NODE,
    OP_REVOKE,
    OP_CONVERT_FRAMES,
    OP_REMOVE_EMPTY_NODE,
    OP_REMOVE_ADDRESS_SPACE,
    OP_REMOVE_PARENT,
    OP_REVOKE_CHAIN,
    OP_REMOVE_PORT_WAITERS,
    OP_REMOVE_CHAIN_HEAD,
};

/*
 * Processes blocked on one IPC Port for the port-destruction row. Thousands of them run
 * in our own Address Space without a stack: latency_waiter (below) is a few instructions
 * that only make system calls, with every argument in a register, loaded from these words.
 */
enum { WAITERS = 4096 };
__attribute__((used)) static a9n_word waiter_words[5]; /* port, RECEIVE, park, WAIT, call */
static unsigned char waiter_sp[64] __attribute__((aligned(16))); /* never written */
void latency_waiter(void);
/* RECEIVE on the victim port until it is destroyed, then WAIT on a Notification Port that
 * nobody notifies: parked until the Process dies. */
__asm__(".text\n"
        ".type latency_waiter, @function\n"
        "latency_waiter:\n"
        "    movq waiter_words+32(%rip), %rdi\n"
        "    movq waiter_words(%rip), %rsi\n"
        "    movq waiter_words+8(%rip), %rdx\n"
        "    syscall\n"
        "1:  movq waiter_words+32(%rip), %rdi\n"
        "    movq waiter_words+16(%rip), %rsi\n"
        "    movq waiter_words+24(%rip), %rdx\n"
        "    syscall\n"
        "    jmp 1b\n"
        ".size latency_waiter, . - latency_waiter\n");

/* Shared with the worker (it maps our data pages). */
static volatile unsigned worker_op;
static volatile unsigned worker_cycles;
static volatile unsigned worker_stop;
static volatile unsigned worker_failures;
static unsigned lat_generic, lat_bits, node_slot, port_slot, frames_node, done_note;
static unsigned parent_slot, victim_port, park_note, waiters_node, waiter_count;
static unsigned node_radix, frame_radix, frame_count, space_slot, table_count;
/* The worker's call under way that has preemption points (its name), NULL between them:
 * the driver samples densely while one runs and notes which one the worst sample hit. */
static const char *volatile worker_call;

/* One call with preemption points, marked for the driver. */
#define LONG_CALL(name, call)                                                                      \
    do {                                                                                           \
        worker_call = name;                                                                        \
        check(call);                                                                               \
        worker_call = NULL;                                                                        \
    } while (0)

static void check(a9n_error e)
{
    if (e != A9N_SUCCESS)
        worker_failures++;
}

/* A Node of 2^radix slots filled with capabilities to one IPC Port: copies (REMOVE of
 * the Node deletes them) or children (REVOKE of the Port deletes them). */
static void make_full_node(bool children)
{
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                  node_radix, 1, ROOT, node_slot));
    for (a9n_word i = 0; i < 1ull << node_radix; i++) {
        if (children)
            check(
                a9n_node_mint(koito_root(node_slot), i, koito_root(port_slot), A9N_RIGHTS_ALL, 0));
        else
            check(a9n_node_copy(koito_root(node_slot), i, koito_root(port_slot)));
    }
}

/* An Address Space (an ASID of the root pool) linking as many Page Tables as the Generic
 * holds beside the Node for their capabilities: level-0 tables at 2 MiB steps, each empty
 * (the costliest kind to clear per byte), with the level-1 and level-2 tables above them. */
static void make_big_space(void)
{
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                  frame_radix, 1, ROOT, frames_node));
    LONG_CALL("CONVERT ADDRESS_SPACE",
              a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_ADDRESS_SPACE, 0, 1, ROOT,
                                  space_slot));
    check(a9n_asid_pool_assign(koito_root(A9N_ROOT_SLOT_ASID_POOL), koito_root(space_slot)));
    LONG_CALL("CONVERT PAGE_TABLE",
              a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_PAGE_TABLE, 0, table_count,
                                  koito_root(frames_node), 0));
    a9n_word va = 0;
    for (unsigned j = 0; j < table_count;) {
        a9n_word t = a9n_descriptor_append(koito_root(frames_node), j, frame_radix);
        a9n_error e = a9n_address_space_map(koito_root(space_slot), t, va, 0, NULL);
        if (e == A9N_SUCCESS)
            j++; /* the next one goes a level lower at the same address */
        else if (e == A9N_ERROR_ADDRESS_IN_USE)
            va += 1ull << 21; /* all four levels are there: the next 2 MiB */
        else {
            check(e);
            return;
        }
    }
}

/* A Node of 2^radix slots holding 2^radix children of one capability (a MINT of the
 * port), which REMOVE then deletes: its children are lifted to the port, a child per step. */
static void make_parent_of_many(void)
{
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                  node_radix, 1, ROOT, node_slot));
    check(a9n_node_mint(ROOT, parent_slot, koito_root(port_slot), A9N_RIGHTS_ALL, 0));
    for (a9n_word i = 0; i < 1ull << node_radix; i++)
        check(a9n_node_mint(koito_root(node_slot), i, koito_root(parent_slot), A9N_RIGHTS_ALL, 0));
}

/* A chain of 2^radix MINTs below the port, each the child of the one before. */
static void make_chain(void)
{
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                  node_radix, 1, ROOT, node_slot));
    a9n_word from = koito_root(port_slot);
    for (a9n_word i = 0; i < 1ull << node_radix; i++) {
        check(a9n_node_mint(koito_root(node_slot), i, from, A9N_RIGHTS_ALL, 0));
        from = a9n_descriptor_append(koito_root(node_slot), i, node_radix);
    }
}

/* A MINT of the port whose one child heads a chain of 2^radix MINTs, each the child of
 * the one before: REMOVE of it lifts that child, with the whole chain below it. */
static void make_chain_below_parent(void)
{
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                  node_radix, 1, ROOT, node_slot));
    check(a9n_node_mint(ROOT, parent_slot, koito_root(port_slot), A9N_RIGHTS_ALL, 0));
    a9n_word from = koito_root(parent_slot);
    for (a9n_word i = 0; i < 1ull << node_radix; i++) {
        check(a9n_node_mint(koito_root(node_slot), i, from, A9N_RIGHTS_ALL, 0));
        from = a9n_descriptor_append(koito_root(node_slot), i, node_radix);
    }
}

/* An IPC Port with `waiter_count` Processes blocked in its queue, made from the Generic. */
static void make_port_with_waiters(void)
{
    LONG_CALL("CONVERT IPC_PORT", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_IPC_PORT,
                                                      0, 1, ROOT, victim_port));
    LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE, 12, 1,
                                                  ROOT, waiters_node));
    LONG_CALL("CONVERT PROCESS", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_PROCESS, 0,
                                                     waiter_count, koito_root(waiters_node), 0));
    a9n_word mask = A9N_PROCESS_CONFIGURE_ADDRESS_SPACE | A9N_PROCESS_CONFIGURE_ROOT_NODE |
                    A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER |
                    A9N_PROCESS_CONFIGURE_STACK_POINTER | A9N_PROCESS_CONFIGURE_PRIORITY;
    for (unsigned i = 0; i < waiter_count; i++) {
        a9n_word p = a9n_descriptor_append(koito_root(waiters_node), i, 12);
        a9n_word values[5] = {koito_root(A9N_ROOT_SLOT_ADDRESS_SPACE), ROOT,
                              (a9n_word)latency_waiter, (a9n_word)&waiter_sp[sizeof waiter_sp],
                              WORKER_PRIORITY};
        check(a9n_process_configure(p, mask, values, 5, NULL));
        check(a9n_process_resume(p));
        a9n_yield(); /* it runs at our priority and blocks in the port's queue */
    }
}

static void worker(a9n_word arg)
{
    (void)arg;
    while (!worker_stop) {
        switch (worker_op) {
        case OP_REMOVE_FULL_NODE:
            make_full_node(false);
            LONG_CALL("REMOVE node_slot",
                      a9n_node_remove(ROOT, node_slot)); /* measured: 2^radix deletions */
            break;
        case OP_REVOKE:
            make_full_node(true);
            LONG_CALL("REVOKE port_slot",
                      a9n_node_revoke(ROOT, port_slot)); /* measured: 2^radix deletions */
            LONG_CALL("REMOVE node_slot", a9n_node_remove(ROOT, node_slot));
            break;
        case OP_CONVERT_FRAMES:
            /* A Node for them first (1/64 of the Generic), then the Frames, filling the
             * rest. Measured: clearing the memory, making the Frames; then the REVOKE. */
            LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                          frame_radix, 1, ROOT, frames_node));
            LONG_CALL("CONVERT FRAME",
                      a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_FRAME, 12,
                                          frame_count, koito_root(frames_node), 0));
            LONG_CALL("REVOKE lat_generic", a9n_node_revoke(ROOT, lat_generic));
            break;
        case OP_REMOVE_EMPTY_NODE:
            LONG_CALL("CONVERT NODE", a9n_generic_convert(koito_root(lat_generic), A9N_OBJECT_NODE,
                                                          node_radix, 1, ROOT, node_slot));
            LONG_CALL("REMOVE node_slot",
                      a9n_node_remove(ROOT, node_slot)); /* measured: 2^radix empty slots */
            break;
        case OP_REMOVE_ADDRESS_SPACE:
            make_big_space();
            LONG_CALL("REMOVE space_slot",
                      a9n_node_remove(ROOT, space_slot)); /* measured: the whole tree cleared */
            LONG_CALL("REVOKE lat_generic", a9n_node_revoke(ROOT, lat_generic));
            break;
        case OP_REMOVE_PARENT:
            make_parent_of_many();
            LONG_CALL("REMOVE parent_slot",
                      a9n_node_remove(ROOT, parent_slot)); /* measured: 2^radix children lifted */
            LONG_CALL("REMOVE node_slot", a9n_node_remove(ROOT, node_slot));
            break;
        case OP_REVOKE_CHAIN:
            make_chain();
            LONG_CALL("REVOKE port_slot",
                      a9n_node_revoke(ROOT, port_slot)); /* measured: a chain 2^radix deep */
            LONG_CALL("REMOVE node_slot", a9n_node_remove(ROOT, node_slot));
            break;
        case OP_REMOVE_CHAIN_HEAD:
            make_chain_below_parent();
            LONG_CALL("REMOVE parent_slot",
                      a9n_node_remove(ROOT, parent_slot)); /* measured: the chain's head lifted */
            LONG_CALL("REVOKE port_slot", a9n_node_revoke(ROOT, port_slot));
            LONG_CALL("REMOVE node_slot", a9n_node_remove(ROOT, node_slot));
            break;
        case OP_REMOVE_PORT_WAITERS:
            make_port_with_waiters();
            LONG_CALL("REMOVE victim_port",
                      a9n_node_remove(ROOT, victim_port)); /* measured: every waiter woken */
            LONG_CALL("REVOKE lat_generic",
                      a9n_node_revoke(ROOT, lat_generic)); /* the parked Processes die */
            break;
        default:
            break;
        }
        worker_cycles++;
    }
    a9n_notification_port_notify(koito_root(done_note));
    a9n_word w;
    for (;;)
        a9n_notification_port_wait(koito_root(done_note), &w); /* parked */
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static unsigned random_below(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/*
 * The PIT delay of the next sample, in its ticks (838 guest instructions each). Between the
 * worker's long calls: 60..299 (50..250 us), a sample now and then. During one: 1..DENSE,
 * so the interrupt lands at every offset from 0 to about 16,000 instructions after the
 * worker went on (each sample preempts it, and it continues from its last preemption
 * point), i.e. at every phase of every kind of stretch between two preemption points that
 * recurs in the call: the row's maximum is the longest such stretch, not the luck of where a
 * few samples fell (see the manual, chapter Benchmarks).
 */
static unsigned next_ticks(bool dense)
{
    return dense ? 1 + random_below(DENSE_TICKS) : 60 + random_below(240);
}

/* The worst sample per long call of a row (NULL: between them), for the breakdown line. */
enum { MAX_CALLS = 8 };
struct call_worst {
    const char *name;
    uint64_t worst;
};

static void note_call(struct call_worst *calls, const char *name, uint64_t s)
{
    unsigned i = 0;
    while (i < MAX_CALLS - 1 && calls[i].worst != 0 && calls[i].name != name)
        i++;
    calls[i].name = name;
    calls[i].worst = s > calls[i].worst ? s : calls[i].worst;
}

static void print_calls(const char *row, const struct call_worst *calls, uint64_t overhead)
{
    printf("bench: latency: %s: worst per call:", row);
    for (unsigned i = 0; i < MAX_CALLS && calls[i].worst != 0; i++)
        printf(" %s %lu;", calls[i].name != NULL ? calls[i].name : "between calls",
               calls[i].worst > overhead ? calls[i].worst - overhead : 0);
    printf("\n");
}

struct driver {
    unsigned pit, irq, note;
};

/* One sample: the latency of one PIT interrupt, in TSC units. */
static uint64_t sample(const struct driver *d, unsigned ticks)
{
    a9n_io_port_write(koito_root(d->pit), PIT_CMD, 1, PIT_ONESHOT);
    a9n_io_port_write(koito_root(d->pit), PIT_CH0, 1, ticks & 0xff);
    uint64_t t0 = tsc_begin();
    a9n_io_port_write(koito_root(d->pit), PIT_CH0, 1, ticks >> 8);
    a9n_word w;
    a9n_notification_port_wait(koito_root(d->note), &w);
    uint64_t t1 = tsc_end();
    a9n_interrupt_port_ack(koito_root(d->irq));
    uint64_t delay = (uint64_t)ticks * 1000000000ull / 1193182ull;
    uint64_t elapsed = t1 - t0;
    return elapsed > delay ? elapsed - delay : 0;
}

static void row(const char *name, uint64_t *s, unsigned n, uint64_t worst, uint64_t overhead,
                const char *size)
{
    for (unsigned i = 0; i < n; i++)
        s[i] = s[i] > overhead ? s[i] - overhead : 0;
    struct summary r = stats_summarize(s, n);
    printf("bench: %s median %lu p1 %lu p99 %lu iterations %u unit tsc max %lu size %s\n", name,
           r.median, r.p1, r.p99, n, r.median > worst ? r.median : worst - overhead, size);
}

bool bench_latency(struct koito_pool *pool, const struct koito_image *image, unsigned generic,
                   unsigned bits, uint64_t *samples, unsigned capacity, uint64_t overhead)
{
    struct driver d = {koito_slot(pool), koito_slot(pool), 0};
    d.note = koito_make(pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    done_note = koito_make(pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    port_slot = koito_make(pool, A9N_OBJECT_IPC_PORT, 0);
    node_slot = koito_slot(pool);
    parent_slot = koito_slot(pool);
    victim_port = koito_slot(pool);
    waiters_node = koito_slot(pool);
    park_note = koito_make(pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    /* As many waiters as 1/4 of the Generic holds as Processes, at most WAITERS (the
     * Node that holds them). */
    waiter_count = (1u << (bits - A9N_PROCESS_BITS - 2)) < WAITERS
                       ? 1u << (bits - A9N_PROCESS_BITS - 2)
                       : WAITERS;
    lat_generic = generic;
    lat_bits = bits;
    waiter_words[0] = koito_root(victim_port);
    waiter_words[1] = A9N_IPC_PORT_RECEIVE;
    waiter_words[2] = koito_root(park_note);
    waiter_words[3] = A9N_NOTIFICATION_PORT_WAIT;
    waiter_words[4] = A9N_SYSCALL_CAPABILITY_CALL;
    /* The largest Node the Generic holds (at most radix 20, the ABI's limit), and as many
     * 4 KiB Frames as fill it beside the Node that holds them. */
    node_radix =
        bits - A9N_SLOT_BITS > A9N_NODE_RADIX_MAX ? A9N_NODE_RADIX_MAX : bits - A9N_SLOT_BITS;
    frame_radix = bits - 12;
    frame_count = (1u << frame_radix) - (1u << (frame_radix - 6));
    frames_node = koito_slot(pool);
    space_slot = koito_slot(pool);
    table_count = frame_count - 1; /* beside the Address Space */
    if (space_slot == 0 || parent_slot == 0 || victim_port == 0 || waiters_node == 0 ||
        park_note == 0 || d.note == 0 || done_note == 0 || port_slot == 0 || frames_node == 0 ||
        a9n_io_port_mint(koito_root(A9N_ROOT_SLOT_IO_PORT), PIT_CH0, PIT_CMD, ROOT, d.pit) ||
        a9n_interrupt_region_make_port(koito_root(A9N_ROOT_SLOT_INTERRUPT_REGION), PIT_LINE, ROOT,
                                       d.irq) ||
        a9n_interrupt_port_bind(koito_root(d.irq), koito_root(d.note))) {
        printf("bench: latency: set-up failed\n");
        return false;
    }
    static const struct {
        enum op op;
        const char *name;
    } rows[] = {
        {OP_IDLE, "irq_latency_idle"},
        {OP_REMOVE_FULL_NODE, "irq_latency_remove_full_node"},
        {OP_REVOKE, "irq_latency_revoke"},
        {OP_CONVERT_FRAMES, "irq_latency_convert_frames"},
        {OP_REMOVE_EMPTY_NODE, "irq_latency_remove_empty_node"},
        {OP_REMOVE_ADDRESS_SPACE, "irq_latency_remove_address_space"},
        {OP_REMOVE_PARENT, "irq_latency_remove_parent_of_many"},
        {OP_REVOKE_CHAIN, "irq_latency_revoke_chain"},
        {OP_REMOVE_PORT_WAITERS, "irq_latency_remove_port_with_waiters"},
        {OP_REMOVE_CHAIN_HEAD, "irq_latency_remove_chain_head"},
    };
    bool ok = true;
    for (unsigned k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        worker_op = rows[k].op;
        worker_cycles = 0;
        worker_stop = 0;
        worker_failures = 0;
        struct koito_child c;
        if (rows[k].op != OP_IDLE &&
            !koito_child_create(pool, image, &c, worker, 0, WORKER_PRIORITY, 0,
                                KOITO_CHILD_SHARE_ROOT)) {
            printf("bench: latency: cannot start the worker\n");
            return false;
        }
        unsigned n = 0;
        uint64_t worst = 0;
        struct call_worst calls[MAX_CALLS] = {{NULL, 0}};
        do {
            const char *call = worker_call;
            uint64_t s = sample(&d, next_ticks(call != NULL));
            worst = s > worst ? s : worst;
            note_call(calls, worker_call, s); /* the worker has not run since the interrupt */
            samples[n++ % capacity] = s;
        } while (rows[k].op == OP_IDLE ? n < 500 : worker_cycles < CYCLES);
        if (rows[k].op != OP_IDLE) {
            worker_stop = 1;
            a9n_word w;
            a9n_notification_port_wait(koito_root(done_note), &w);
            a9n_process_suspend(koito_root(c.process));
        }
        char size[64];
        switch (rows[k].op) {
        case OP_IDLE:
            snprintf(size, sizeof size, "-");
            break;
        case OP_CONVERT_FRAMES:
            snprintf(size, sizeof size, "%u_Frames", frame_count);
            break;
        case OP_REMOVE_ADDRESS_SPACE:
            snprintf(size, sizeof size, "%u_Page_Tables", table_count);
            break;
        case OP_REMOVE_PARENT:
            snprintf(size, sizeof size, "%u_children", 1u << node_radix);
            break;
        case OP_REVOKE_CHAIN:
        case OP_REMOVE_CHAIN_HEAD:
            snprintf(size, sizeof size, "%u_deep", 1u << node_radix);
            break;
        case OP_REMOVE_PORT_WAITERS:
            snprintf(size, sizeof size, "%u_waiters", waiter_count);
            break;
        default:
            snprintf(size, sizeof size, "%u_slots", 1u << node_radix);
            break;
        }
        row(rows[k].name, samples, n < capacity ? n : capacity, worst, overhead, size);
        print_calls(rows[k].name, calls, overhead);
        if (worker_failures != 0) {
            printf("bench: latency: %s: %u operations failed\n", rows[k].name, worker_failures);
            ok = false;
        }
    }
    return ok;
}
