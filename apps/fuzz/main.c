/*
 * The fuzz supervisor: a process of a declared system (test/systems/fuzz.cap.yaml). Each
 * round it makes WORKERS unprivileged workers out of one Generic (each with its own Node,
 * Address Space, Generic and private pages, and shared objects that worker 0 owns), lets
 * them run until they finish or the round's time is up, checks their canaries, then revokes
 * the Generic and checks that the kernel gave everything back: the Generic converts whole,
 * as many Address Spaces can be made as before, every interrupt line is free again, and
 * the supervisor's own memory is untouched. Any failure stops the run with the seed.
 *
 * Options come from QEMU's fw_cfg (fwcfg.c): seed, rounds (0: forever), ops (per worker and
 * round), mask (enum fuzz_class), ticks (a round's time limit in 1 ms timer ticks).
 */
#include "supervisor.h"

#include <a9n/fault.h>
#include <a9n/notification.h>
#include <alpha_spec.h>
#include <caps/fuzz.h>
#include <koito_spawn.h>
#include <liba9n.h>
#include <string.h>

extern char __image_start[], __text_end[], __rodata_start[], __rodata_end[];

_Static_assert(CAP_node_SLOT == A9N_ROOT_SLOT_NODE && CAPS_NODE_RADIX == A9N_ROOT_NODE_RADIX,
               "libc's spawn helpers expect the first process's Node layout");

enum {
    SLOT_ROUND = 16,        /* the Generic a round is made of */
    SLOT_ASIDS = 17,        /* the Generic the Address Space count is probed with */
    SLOT_OWN = 18,          /* the Generic for the supervisor's own page tables and ports */
    SLOT_PORT = 19,         /* workers fault to it (their "done" is a deliberate fault) */
    SLOT_TICK = 20,         /* the timer's Notification Port, bound to us */
    SLOT_IRQ0 = 21,         /* the PIT's Interrupt Port */
    SLOT_TMP = 22,          /* probes */
    SLOT_RESOLVER = 24,     /* 24..: the port minted with identifier worker + 1 */
    SLOT_WORKER_ASIDS = 32, /* 32..: each worker's ASID Pool (declared) */
    OWN_FIRST = 64,
    OWN_END = 1024,
    ROUND_FIRST = 2048,
    ROUND_END = 4096,
    ROUND_BITS = 26,
    ASID_BITS = 23,
    OWN_BITS = 20,
    PIT_HZ = 1000,
    STALL_TICKS = 2,
    IRQ_LINES = 24,
};

#define VIEW(i)       (0x50000000ull + (a9n_word)(i)*0x10000)
#define D(index)      a9n_descriptor_root((index), CAPS_NODE_RADIX)
#define ROOT          D(CAP_node_SLOT)
#define SUPERVISOR_ID 1000

struct koito_image self_image;
static struct koito_pool round_pool, own_pool;
static uint64_t seed, ops, mask, ticks_per_round, rng;
static uint64_t total_invocations, total_errors[A9N_ERROR_COUNT + 1], total_spawned;
static uint64_t total_probes;
static unsigned image_frames, failures;
static unsigned base_asids, base_lines;
static a9n_error base_asid_error;

/* The supervisor's own canary: what no worker may ever reach. */
static uint64_t canary[1024] __attribute__((aligned(4096)));

struct worker {
    unsigned node, process, as;
    bool stopped, finished;
};
static struct worker workers[WORKERS];

__attribute__((format(printf, 1, 2))) static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("fuzz: FAIL: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failures++;
}

#define MUST(expr)                                                                                 \
    do {                                                                                           \
        a9n_error e_ = (expr);                                                                     \
        if (e_ != A9N_SUCCESS) {                                                                   \
            fail("%s: error %d (line %d)", #expr, (int)e_, __LINE__);                              \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static struct fuzz_report *report(unsigned i)
{
    return (struct fuzz_report *)VIEW(i);
}

/* Makes `pages` new Frames from the round and maps them at va in `as`. */
static bool map_new(unsigned as, a9n_word va, unsigned pages, a9n_word attributes)
{
    for (unsigned k = 0; k < pages; k++) {
        unsigned f = koito_make(&round_pool, A9N_OBJECT_FRAME, A9N_FRAME_BITS);
        if (f == 0)
            return false;
        MUST(koito_map(&round_pool, as, f, va + k * 4096ull, attributes));
    }
    return true;
}

/* Maps a copy of the Frame in round slot `frame` into our own space at va (page tables from
 * our own Generic, so they stay from round to round; the copy goes with the round). */
static bool view(unsigned frame, a9n_word va, a9n_word attributes)
{
    unsigned copy = koito_slot(&round_pool);
    if (copy == 0)
        return false;
    MUST(a9n_node_copy(ROOT, copy, D(frame)));
    MUST(koito_map(&own_pool, CAP_address_space_SLOT, copy, va, attributes));
    return true;
}

static bool build_worker(unsigned i, uint64_t round_seed)
{
    struct worker *w = &workers[i];
    *w = (struct worker){0};
    w->node = koito_make(&round_pool, A9N_OBJECT_NODE, WORKER_RADIX);
    w->process = koito_make(&round_pool, A9N_OBJECT_PROCESS, 0);
    w->as = koito_make_address_space(&round_pool);
    if (w->node == 0 || w->process == 0 || w->as == 0) {
        fail("worker %u: could not make its Node, Process or Address Space", i);
        return false;
    }
    a9n_word node = D(w->node);
    /* Its capabilities: what it may use, with the rights it may have. */
    MUST(a9n_generic_convert(D(SLOT_ROUND), A9N_OBJECT_GENERIC, WORKER_GEN_BITS, 1, node,
                             WS_GENERIC));
    MUST(a9n_node_copy(node, WS_NODE, D(w->node)));
    /* Its own space without COPY: it may map into it, never give it to a process. */
    MUST(a9n_node_mint(node, WS_AS, D(w->as), A9N_RIGHT_READ | A9N_RIGHT_WRITE | A9N_RIGHT_MODIFY,
                       0));
    MUST(a9n_node_mint(node, WS_PROCESS, D(w->process), A9N_RIGHT_READ, 0));
    /* A pool of its own: its children's spaces, and ASSIGN to fuzz; it can exhaust only it. */
    MUST(a9n_node_mint(node, WS_ASID_POOL, D(SLOT_WORKER_ASIDS + i),
                       A9N_RIGHT_READ | A9N_RIGHT_WRITE, 0));
    MUST(a9n_node_mint(node, WS_DEBUG, D(CAP_debug_SLOT), A9N_RIGHT_READ, 0));
    MUST(a9n_io_port_mint(D(CAP_io_SLOT), 0x80, 0x8f, node, WS_IO));
    MUST(a9n_node_mint(node, WS_IRQ, D(CAP_irq_region_SLOT), A9N_RIGHT_WRITE | A9N_RIGHT_COPY, 0));
    MUST(a9n_generic_convert(D(SLOT_ROUND), A9N_OBJECT_IPC_PORT, 0, 1, node, WS_RESOLVER));
    for (unsigned k = 0; k < image_frames; k++)
        MUST(a9n_node_mint(node, WS_IMAGE + k, D(CAP_image_SLOT + k),
                           A9N_RIGHT_READ | A9N_RIGHT_COPY, 0));

    /* Its space: our code and constants, and pages of its own. */
    if (!koito_map_image(&round_pool, &self_image, w->as, false) ||
        !map_new(w->as, WORKER_STACK, WORKER_STACK_PGS, A9N_MAP_WRITE) ||
        !map_new(w->as, WORKER_STATE, WORKER_STATE_PGS, A9N_MAP_WRITE)) {
        fail("worker %u: could not build its address space", i);
        return false;
    }
    unsigned ipc = koito_make(&round_pool, A9N_OBJECT_FRAME, A9N_FRAME_BITS);
    unsigned rep = koito_make(&round_pool, A9N_OBJECT_FRAME, A9N_FRAME_BITS);
    if (ipc == 0 || rep == 0)
        return false;
    MUST(koito_map(&round_pool, w->as, ipc, WORKER_IPC, A9N_MAP_WRITE));
    MUST(koito_map(&round_pool, w->as, rep, WORKER_REPORT, A9N_MAP_WRITE));
    if (!view(rep, VIEW(i), A9N_MAP_WRITE))
        return false;
    for (unsigned k = 0; k < WORKER_CANARY_PGS; k++) {
        unsigned f = koito_make(&round_pool, A9N_OBJECT_FRAME, A9N_FRAME_BITS);
        if (f == 0)
            return false;
        MUST(koito_map(&round_pool, w->as, f, WORKER_CANARY + k * 4096ull, A9N_MAP_WRITE));
        if (!view(f, VIEW(i) + (1 + k) * 4096ull, 0)) /* we only read it */
            return false;
    }

    struct fuzz_report *r = report(i);
    memset(r, 0, sizeof *r);
    r->magic = FUZZ_REPORT_MAGIC;
    r->seed = round_seed ^ ((uint64_t)(i + 1) * 0xd1b54a32d192ed03ull);
    r->ops = ops;
    r->mask = mask;
    r->id = i;
    r->canary_seed = round_seed;
    r->image_frames = image_frames;

    /* Its TLS base is its report page: %fs:0 reads the magic (worker.c checks it). */
    a9n_word values[] = {
        D(w->as),
        node,
        D(ipc),
        D(SLOT_RESOLVER + i),
        (a9n_word)worker_main,
        WORKER_STACK + WORKER_STACK_PGS * 4096ull - 8,
        WORKER_REPORT,
        WORKER_PRIORITY,
    };
    a9n_word fields = A9N_PROCESS_CONFIGURE_ADDRESS_SPACE | A9N_PROCESS_CONFIGURE_ROOT_NODE |
                      A9N_PROCESS_CONFIGURE_IPC_BUFFER | A9N_PROCESS_CONFIGURE_RESOLVER |
                      A9N_PROCESS_CONFIGURE_INSTRUCTION_POINTER |
                      A9N_PROCESS_CONFIGURE_STACK_POINTER |
                      A9N_PROCESS_CONFIGURE_THREAD_LOCAL_BASE | A9N_PROCESS_CONFIGURE_PRIORITY;
    MUST(a9n_process_configure(D(w->process), fields, values, 8,
                               (struct a9n_ipc_buffer *)ALPHA_IPC_BUFFER));
    return true;
}

/* Objects every worker holds (a Page Table cannot be shared: it has one capability only):
 * worker 0 has the originals, the others mints of them with
 * random rights and identifiers; so worker 0 (or its children) can destroy them mid-run. */
static bool share_objects(void)
{
    static const struct {
        unsigned type, bits;
    } shared[WS_SHARED_COUNT] = {
        {A9N_OBJECT_IPC_PORT, 0},           {A9N_OBJECT_IPC_PORT, 0},
        {A9N_OBJECT_NOTIFICATION_PORT, 0},  {A9N_OBJECT_NOTIFICATION_PORT, 0},
        {A9N_OBJECT_FRAME, A9N_FRAME_BITS}, {A9N_OBJECT_NODE, 4},
        {A9N_OBJECT_ADDRESS_SPACE, 0},
    };
    for (unsigned k = 0; k < WS_SHARED_COUNT; k++) {
        MUST(a9n_generic_convert(D(SLOT_ROUND), shared[k].type, shared[k].bits, 1,
                                 D(workers[0].node), WS_SHARED + k));
        a9n_word original = a9n_descriptor_append(D(workers[0].node), WS_SHARED + k, WORKER_RADIX);
        for (unsigned i = 1; i < WORKERS; i++) {
            bool port = shared[k].type == A9N_OBJECT_IPC_PORT ||
                        shared[k].type == A9N_OBJECT_NOTIFICATION_PORT;
            a9n_word rights = fuzz_below(&rng, 4) == 0 ? fuzz_below(&rng, 16) : A9N_RIGHTS_ALL;
            a9n_word identifier = port ? fuzz_below(&rng, 8) : 0;
            MUST(a9n_node_mint(D(workers[i].node), WS_SHARED + k, original, rights, identifier));
        }
    }
    return true;
}

/* How many Address Spaces can get an ASID now, from our pool and every worker's (and why
 * no more): each pool must be whole again after a round. */
static unsigned count_asids(a9n_error *why)
{
    unsigned n = 0;
    *why = A9N_SUCCESS;
    for (unsigned pool = 0; pool <= WORKERS; pool++) {
        a9n_word asids = D(pool == 0 ? A9N_ROOT_SLOT_ASID_POOL : SLOT_WORKER_ASIDS + pool - 1);
        for (; ROUND_FIRST + n < ROUND_END; n++) {
            *why = a9n_generic_convert(D(SLOT_ASIDS), A9N_OBJECT_ADDRESS_SPACE, 0, 1, ROOT,
                                       ROUND_FIRST + n);
            if (*why == A9N_SUCCESS)
                *why = a9n_asid_pool_assign(asids, D(ROUND_FIRST + n));
            if (*why != A9N_SUCCESS)
                break;
        }
        if (*why != A9N_ERROR_NO_ASID)
            break;
    }
    a9n_node_revoke(ROOT, SLOT_ASIDS);
    return n;
}

/* How many interrupt lines can have a port made now (line 0 is our timer's). */
static unsigned count_lines(void)
{
    unsigned n = 0;
    for (unsigned line = 1; line < IRQ_LINES; line++) {
        if (a9n_interrupt_region_make_port(D(CAP_irq_region_SLOT), line, ROOT, SLOT_TMP) ==
            A9N_SUCCESS) {
            n++;
            a9n_node_remove(ROOT, SLOT_TMP);
        }
    }
    return n;
}

/* The PIT (channel 0, rate generator) at PIT_HZ on line 0, bound to us: our clock. */
static bool start_clock(void)
{
    a9n_word io = D(CAP_io_SLOT);
    unsigned divisor = 1193182 / PIT_HZ;
    MUST(a9n_generic_convert(D(SLOT_OWN), A9N_OBJECT_NOTIFICATION_PORT, 0, 1, ROOT, SLOT_TICK));
    MUST(a9n_interrupt_region_make_port(D(CAP_irq_region_SLOT), 0, ROOT, SLOT_IRQ0));
    MUST(a9n_interrupt_port_bind(D(SLOT_IRQ0), D(SLOT_TICK)));
    a9n_word tick = D(SLOT_TICK);
    MUST(a9n_process_configure(D(CAP_process_SLOT), A9N_PROCESS_CONFIGURE_NOTIFICATION, &tick, 1,
                               NULL));
    MUST(a9n_io_port_write(io, 0x43, 1, 0x34));
    MUST(a9n_io_port_write(io, 0x40, 1, divisor & 0xff));
    MUST(a9n_io_port_write(io, 0x40, 1, divisor >> 8));
    return true;
}

static bool setup(void)
{
    self_image = (struct koito_image){CAP_image_SLOT, ALPHA_IPC_BUFFER};
    image_frames = (unsigned)(((a9n_word)(__text_end - __image_start) + 4095) / 4096 +
                              ((a9n_word)(__rodata_end - __rodata_start) + 4095) / 4096);
    MUST(a9n_generic_convert(D(CAP_buddy_SLOT), A9N_OBJECT_GENERIC, ROUND_BITS, 1, ROOT,
                             SLOT_ROUND));
    MUST(
        a9n_generic_convert(D(CAP_buddy_SLOT), A9N_OBJECT_GENERIC, ASID_BITS, 1, ROOT, SLOT_ASIDS));
    MUST(a9n_generic_convert(D(CAP_buddy_SLOT), A9N_OBJECT_GENERIC, OWN_BITS, 1, ROOT, SLOT_OWN));
    own_pool = (struct koito_pool){SLOT_OWN, OWN_FIRST, OWN_END, 0, 0};
    MUST(a9n_generic_convert(D(SLOT_OWN), A9N_OBJECT_IPC_PORT, 0, 1, ROOT, SLOT_PORT));
    for (unsigned i = 0; i < WORKERS; i++)
        MUST(a9n_node_mint(ROOT, SLOT_RESOLVER + i, D(SLOT_PORT), A9N_RIGHT_WRITE | A9N_RIGHT_COPY,
                           i + 1));
    if (!start_clock())
        return false;
    for (unsigned k = 0; k < 1024; k++)
        canary[k] = fuzz_canary(seed, SUPERVISOR_ID, k);
    base_asids = count_asids(&base_asid_error);
    base_lines = count_lines();
    printf("fuzz: %u address spaces can be made (then error %d), %u interrupt lines free\n",
           base_asids, (int)base_asid_error, base_lines);
    return true;
}

/*
 * A worker that made no call for STALL_TICKS ticks is most likely blocked: an operation
 * number that is harmless on one type is SEND or RECEIVE on a port, and a garbage
 * descriptor can name one. SUSPEND ends the blocked call (CANCELED) and RESUME lets the
 * worker go on, which also puts the kernel's cancel paths under fire.
 */
static uint64_t last_count[WORKERS];
static unsigned stalled[WORKERS], unstuck;

static void unstick(void)
{
    for (unsigned i = 0; i < WORKERS; i++) {
        uint64_t n = report(i)->invocations;
        if (workers[i].stopped || n != last_count[i]) {
            last_count[i] = n;
            stalled[i] = 0;
            continue;
        }
        if (++stalled[i] < STALL_TICKS)
            continue;
        stalled[i] = 0;
        a9n_error e = a9n_process_suspend(D(workers[i].process));
        if (e == A9N_SUCCESS)
            e = a9n_process_resume(D(workers[i].process));
        if (e != A9N_SUCCESS)
            fail("worker %u: SUSPEND and RESUME failed (error %d)", i, (int)e);
        unstuck++;
    }
}

/* Waits until every worker has finished or stopped, or the round's time is up. */
static unsigned wait_for_workers(unsigned *ticks)
{
    unsigned stopped = 0;
    *ticks = 0;
    for (unsigned i = 0; i < WORKERS; i++)
        last_count[i] = stalled[i] = 0;
    while (stopped < WORKERS && *ticks < ticks_per_round) {
        struct a9n_message m = {0};
        a9n_error e = a9n_ipc_port_receive(D(SLOT_PORT), &m);
        if (e != A9N_SUCCESS) {
            fail("the supervisor's RECEIVE failed with error %d", (int)e);
            return stopped;
        }
        if (m.info & A9N_IPC_NOTIFICATION) {
            (*ticks)++;
            a9n_interrupt_port_ack(D(SLOT_IRQ0));
            unstick();
            continue;
        }
        unsigned i = (unsigned)m.identifier - 1;
        if (i >= WORKERS || !(m.info & A9N_IPC_FAULT) || workers[i].stopped) {
            fail("a message that is no worker's fault: identifier %lu, info 0x%lx", m.identifier,
                 m.info);
            continue;
        }
        struct fuzz_report *r = report(i);
        if (r->probe_address != 0 && m.word[0] == A9N_FAULT_PAGE && m.word[1] == r->probe_address &&
            m.word[3] == (a9n_word)fuzz_probe_load) {
            /* The fault its probe expects: on with RAX = FUZZ_PROBE_FAULTED. */
            a9n_word p = D(workers[i].process);
            struct a9n_message reply = {0};
            if (a9n_process_write_register(p, A9N_REGISTER_RAX, FUZZ_PROBE_FAULTED) !=
                    A9N_SUCCESS ||
                a9n_process_write_register(p, A9N_REGISTER_IP, (a9n_word)fuzz_probe_resume) !=
                    A9N_SUCCESS ||
                a9n_ipc_port_reply(D(SLOT_PORT), &reply) != A9N_SUCCESS)
                fail("worker %u: could not turn its probe's fault back", i);
            continue;
        }
        workers[i].stopped = true;
        stopped++;
        if (m.word[0] == A9N_FAULT_INVALID_OPCODE && r->done) {
            workers[i].finished = true;
            continue;
        }
        fail("worker %u faulted: kind %lu, address 0x%lx, ip 0x%lx, vector/code 0x%lx (last "
             "operation class %lu, %lu calls made)",
             i, m.word[0], m.word[1], m.word[3], m.word[4], r->last_op, r->invocations);
    }
    return stopped;
}

static void check_worker(unsigned i)
{
    const volatile uint64_t *c = (const volatile uint64_t *)(VIEW(i) + 4096);
    struct fuzz_report *r = report(i);
    unsigned bad = 0;
    for (unsigned k = 0; k < WORKER_CANARY_PGS * 512; k++)
        if (c[k] != fuzz_canary(r->canary_seed, i, k))
            bad++;
    if (bad != 0)
        fail("worker %u: %u canary words changed (seen by the supervisor)", i, bad);
    if (r->magic != FUZZ_REPORT_MAGIC)
        fail("worker %u: its report page was overwritten", i);
    if (r->canary_bad != 0)
        fail("worker %u: %lu of its canary or private words changed", i, r->canary_bad);
    if (r->touch_bad != 0)
        fail("worker %u: %lu words of its own fresh Frames were not zero or did not read back", i,
             r->touch_bad);
    if (r->tls_bad != 0)
        fail("worker %u: %lu times %%fs:0 did not read its own TLS page", i, r->tls_bad);
    if (r->stale != 0)
        fail("worker %u: %lu of %lu probes read a Frame that was unmapped or deleted (the first: "
             "how 0x%lx, see op_probe)",
             i, r->stale, r->probes, r->stale_how);
    total_probes += r->probes;
    if (!workers[i].stopped)
        printf("fuzz: worker %u did not finish: %lu calls made, last operation class %lu\n", i,
               r->invocations, r->last_op);
    total_invocations += r->invocations;
    total_spawned += r->spawned;
    for (unsigned e = 0; e <= A9N_ERROR_COUNT; e++)
        total_errors[e] += r->errors[e];
}

/* After the round: everything the workers made or held is gone, and all of it came back. */
static void check_returned(unsigned round)
{
    a9n_error e =
        a9n_generic_convert(D(SLOT_ROUND), A9N_OBJECT_GENERIC, ROUND_BITS, 1, ROOT, SLOT_TMP);
    if (e != A9N_SUCCESS)
        fail("round %u: the round's Generic does not convert whole again (error %d)", round,
             (int)e);
    else
        a9n_node_remove(ROOT, SLOT_TMP);
    a9n_error why;
    unsigned asids = count_asids(&why);
    if (asids != base_asids)
        fail("round %u: %u address spaces can be made, %u at the start (error %d)", round, asids,
             base_asids, (int)why);
    unsigned lines = count_lines();
    if (lines != base_lines)
        fail("round %u: %u interrupt lines are free, %u at the start", round, lines, base_lines);
    for (unsigned k = 0; k < 1024; k++) {
        if (canary[k] != fuzz_canary(seed, SUPERVISOR_ID, k)) {
            fail("round %u: the supervisor's canary word %u changed", round, k);
            break;
        }
    }
}

static bool run_round(unsigned round)
{
    unsigned before = failures;
    uint64_t invocations_before = total_invocations, spawned_before = total_spawned;
    unsigned unstuck_before = unstuck;
    uint64_t round_seed = seed ^ ((uint64_t)round * 0x9e3779b97f4a7c15ull);
    rng = round_seed;
    fuzz_next(&rng);
    round_pool = (struct koito_pool){SLOT_ROUND, ROUND_FIRST, ROUND_END, 0, 0};
    bool built = true;
    for (unsigned i = 0; i < WORKERS && built; i++)
        built = build_worker(i, round_seed);
    built = built && share_objects();
    unsigned ticks = 0, stopped = 0;
    if (built) {
        for (unsigned i = 0; i < WORKERS; i++)
            if (a9n_process_resume(D(workers[i].process)) != A9N_SUCCESS)
                fail("worker %u: RESUME failed", i);
        stopped = wait_for_workers(&ticks);
        for (unsigned i = 0; i < WORKERS; i++)
            check_worker(i);
    }

    /* The end of the round: revoke everything, then throw away what we copied in. */
    a9n_node_revoke(ROOT, SLOT_ROUND);
    for (unsigned s = ROUND_FIRST; s < round_pool.next; s++)
        a9n_node_remove(ROOT, s);
    check_returned(round);

    unsigned finished = 0;
    for (unsigned i = 0; i < WORKERS; i++)
        finished += workers[i].finished;
    printf("fuzz: round %u: %lu calls (%lu in all), %u of %u workers finished, %u stopped, "
           "%lu children, %u unblocked, %u ticks\n",
           round, total_invocations - invocations_before, total_invocations, finished, WORKERS,
           stopped, total_spawned - spawned_before, unstuck - unstuck_before, ticks);
    return failures == before;
}

int main(void)
{
    koito_debug_cap = D(CAP_debug_SLOT);
    koito_process_cap = D(CAP_process_SLOT);
    a9n_word io = D(CAP_io_SLOT);
    seed = fwcfg_number(io, "seed", 1);
    uint64_t rounds = fwcfg_number(io, "rounds", 0);
    ops = fwcfg_number(io, "ops", 2000);
    mask = fwcfg_number(io, "mask", FUZZ_ALL) & FUZZ_ALL;
    ticks_per_round = fwcfg_number(io, "ticks", 2000);
    printf("fuzz: A9N in-system adversary\n");
    printf("fuzz: seed %lu, mask 0x%lx, %lu rounds (0: until stopped), %lu calls per worker, "
           "%lu ticks per round\n",
           seed, mask, rounds, ops, ticks_per_round);
    if (!setup()) {
        printf("fuzz: the supervisor could not set up; seed %lu\n", seed);
        printf("0 passed, 1 failed\n");
        koito_qemu_exit(io, false);
    }
    unsigned passed = 0, failed = 0;
    for (uint64_t round = 0; rounds == 0 || round < rounds; round++) {
        if (run_round((unsigned)round)) {
            passed++;
            continue;
        }
        failed++;
        break;
    }
    printf("fuzz: seed %lu, %lu calls in %u rounds\n", seed, total_invocations, passed + failed);
    printf("fuzz: %lu children, %lu stale-mapping probes\n", total_spawned, total_probes);
    printf("fuzz: results:");
    for (unsigned e = 0; e <= A9N_ERROR_COUNT; e++)
        printf(" %u:%lu", e, total_errors[e]);
    printf("\n");
    if (failed != 0)
        printf("fuzz: reproduce with: ./koito fuzz system --seed %lu\n", seed);
    printf("%u passed, %u failed\n", passed, failed);
    koito_qemu_exit(io, failed == 0);
}
