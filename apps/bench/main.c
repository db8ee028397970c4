/*
 * The A9N benchmarks, run as the first process. Every figure is the median (and p1, p99)
 * of ITERATIONS samples after WARMUP unmeasured ones, read from the serialised TSC and net
 * of the measured cost of the timing itself (back-to-back reads), as sel4bench reports.
 * Under QEMU with -icount shift=0 the TSC counts guest instructions; on hardware, cycles.
 */
#include "latency.h"
#include "stats.h"

#include <koito.h>
#include <koito_spawn.h>
#include <liba9n.h>
#include <string.h>

enum {
    WARMUP = 1000,
    ITERATIONS = 10000,
    POOL_SLOT = 9,
    SLOTS_FIRST = 2048,
    SLOTS_END = 4096,
    POOL_BITS_MIN = 22,
    POOL_BITS_MAX = 24,
};

/* Ends a client's run; no sample index can look like it. */
#define DONE (~0ull)

#define ROOT koito_root(A9N_ROOT_SLOT_NODE)

static const struct a9n_boot_info *boot;
static struct koito_image image;
static struct koito_pool pool = {POOL_SLOT, SLOTS_FIRST, SLOTS_END, 0, 0};
static uint64_t samples[WARMUP + ITERATIONS];
static uint64_t overhead;
static unsigned server_port;

static void report(const char *name, uint64_t *s, unsigned n, uint64_t subtract)
{
    for (unsigned i = 0; i < n; i++)
        s[i] = s[i] > subtract ? s[i] - subtract : 0;
    struct summary r = stats_summarize(s, n);
    printf("bench: %s median %lu p1 %lu p99 %lu iterations %u unit tsc\n", name, r.median, r.p1,
           r.p99, n);
}

static void bench_timing_overhead(void)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    uint64_t *s = samples + WARMUP;
    struct summary r = stats_summarize(s, ITERATIONS);
    overhead = r.median;
    printf("bench: timing_overhead median %lu p1 %lu p99 %lu iterations %u unit tsc\n", r.median,
           r.p1, r.p99, ITERATIONS);
}

static void bench_null_call(void)
{
    /* The cheapest failing call: a valid capability, an operation it does not have. */
    a9n_word debug = koito_root(A9N_ROOT_SLOT_DEBUG);
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        struct a9n_regs r = {{debug, 0}};
        uint64_t t0 = tsc_begin();
        a9n_capability_call(&r);
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("null_call", samples + WARMUP, ITERATIONS, overhead);
}

static void bench_yield(void)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        uint64_t t0 = tsc_begin();
        a9n_yield();
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    report("yield", samples + WARMUP, ITERATIONS, overhead);
}

/* The client side of a round trip: samples go to the shared `samples` array. */
static volatile a9n_word client_errors;

/* Calls `port` with messages of `length` words, timing each call; then says DONE. */
static void client_calls(a9n_word port, a9n_word length)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        struct a9n_message m = {.info = length, .word = {i}};
        uint64_t t0 = tsc_begin();
        if (a9n_ipc_port_call(port, &m) != A9N_SUCCESS)
            client_errors++;
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    struct a9n_message m = {.info = 1, .word = {DONE}};
    a9n_ipc_port_call(port, &m);
    for (;;)
        a9n_ipc_port_receive(port, &m); /* parked */
}

static void client_register_only(a9n_word port)
{
    client_calls(port, 1);
}

static void client_full_buffer(a9n_word port)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    for (unsigned i = A9N_MR_REGISTER_COUNT; i < A9N_MR_COUNT; i++)
        buffer->message[i] = i;
    client_calls(port, A9N_IPC_LENGTH_MAX);
}

/* Each call carries one capability (the port itself, from the shared root Node): the server
 * takes it into the next empty slot of a Node of its own (cap_node), so that every call
 * really moves one. */
enum { CAP_NODE_RADIX = 14 }; /* 16,384 slots: more than WARMUP + ITERATIONS + 1 */
static unsigned cap_node;
static a9n_word cap_count; /* capabilities per call */
static unsigned long cap_misses;

static void client_capabilities(a9n_word port)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    for (a9n_word i = 0; i < cap_count; i++)
        buffer->transfer_source[i] = port;
    client_calls(port, a9n_ipc_info(1, cap_count));
}

/* Growth rows: a round trip with `growth_length` words each way. */
static a9n_word growth_length;
static void client_growth(a9n_word port)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)KOITO_CHILD_IPC_BUFFER_ADDRESS;
    for (unsigned i = A9N_MR_REGISTER_COUNT; i < A9N_MR_COUNT; i++)
        buffer->message[i] = i;
    client_calls(port, growth_length);
}

/* Serves calls with REPLY_RECEIVE until the client says DONE; replies carry `length`. With
 * cap_node set, each message's capability goes to the next slot of that Node. */
static void serve(unsigned port, a9n_word length)
{
    struct a9n_ipc_buffer *buffer = (struct a9n_ipc_buffer *)boot->ipc_buffer_address;
    a9n_word next = 0;
    if (cap_node != 0) {
        buffer->transfer_destination_node = koito_root(cap_node);
        buffer->transfer_destination_index = next;
        next += cap_count;
    }
    struct a9n_message m = {0};
    a9n_ipc_port_receive(koito_root(port), &m);
    while (m.word[0] != DONE) {
        if (cap_node != 0 && ((m.info >> A9N_IPC_CAPS_SHIFT) & A9N_IPC_CAPS_MASK) != cap_count)
            cap_misses++; /* the row would not measure what it says */
        m.info = length;
        if (cap_node != 0) {
            buffer->transfer_destination_index = next;
            next += cap_count;
        }
        a9n_ipc_port_reply_receive(koito_root(port), &m);
    }

    m.info = 0;
    a9n_ipc_port_reply(koito_root(port), &m);
}

static bool bench_ipc(const char *name, void (*client)(a9n_word), unsigned flags, a9n_word length)
{
    client_errors = 0;
    server_port = koito_make(&pool, A9N_OBJECT_IPC_PORT, 0);
    struct koito_child c;
    /* The client runs at our priority in its own address space: each call and each reply
     * switches address spaces. */
    if (server_port == 0 || !koito_child_create(&pool, &image, &c, client, koito_root(server_port),
                                                255, 0, KOITO_CHILD_SHARE_ROOT | flags)) {
        printf("bench: cannot start the %s client\n", name);
        return false;
    }
    serve(server_port, length);
    if (client_errors != 0)
        printf("bench: %s: %lu calls failed\n", name, client_errors);
    a9n_process_suspend(koito_root(c.process));
    report(name, samples + WARMUP, ITERATIONS, overhead);
    return true;
}

static bool bench_ipc_capabilities(const char *name, a9n_word count, unsigned radix)
{
    cap_node = koito_make(&pool, A9N_OBJECT_NODE, radix);
    if (cap_node == 0) {
        printf("bench: no memory for %s\n", name);
        return false;
    }
    cap_count = count;
    cap_misses = 0;
    bool ok = bench_ipc(name, client_capabilities, KOITO_CHILD_IPC_BUFFER, 1);
    cap_node = 0;
    if (cap_misses != 0) {
        printf("bench: %s: %lu messages arrived without their capabilities\n", name, cap_misses);
        return false;
    }
    return ok;
}

static bool bench_ipc_one_capability(void)
{
    return bench_ipc_capabilities("ipc_call_reply_one_capability", 1, CAP_NODE_RADIX);
}

/* How a round trip grows with the message (the benchmarks chapter's growth table): 5 words
 * (all in registers), 6 (the first in the IPC buffers), 64, and with two capabilities
 * (beyond the fast path). */
static bool bench_growth(void)
{
    static const struct {
        const char *name;
        a9n_word length;
    } rows[] = {
        {"ipc_call_reply_words_5", 5},
        {"ipc_call_reply_words_6", 6},
        {"ipc_call_reply_words_64", 64},
    };
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        growth_length = rows[i].length;
        if (!bench_ipc(rows[i].name, client_growth, KOITO_CHILD_IPC_BUFFER, rows[i].length))
            return false;
    }
    return bench_ipc_capabilities("ipc_call_reply_two_capabilities", 2, CAP_NODE_RADIX + 1);
}

/* Notification ping-pong: the client notifies A and waits on B; the server the reverse. */
static unsigned note_a, note_b;

static void client_notify(a9n_word arg)
{
    for (unsigned i = 0; i < WARMUP + ITERATIONS; i++) {
        a9n_word w;
        uint64_t t0 = tsc_begin();
        a9n_notification_port_notify(koito_root(note_a));
        a9n_notification_port_wait(koito_root(note_b), &w);
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
    }
    a9n_notification_port_notify(koito_root(note_a)); /* the last one */
    a9n_word w;
    for (;;)
        a9n_notification_port_wait(koito_root(note_b), &w);
}

static bool bench_notify_wait(void)
{
    note_a = koito_make(&pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    note_b = koito_make(&pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    struct koito_child c;
    if (note_a == 0 || note_b == 0 ||
        !koito_child_create(&pool, &image, &c, client_notify, 0, 255, 0, KOITO_CHILD_SHARE_ROOT))
        return false;
    for (unsigned i = 0; i <= WARMUP + ITERATIONS; i++) {
        a9n_word w;
        a9n_notification_port_wait(koito_root(note_a), &w);
        if (i < WARMUP + ITERATIONS)
            a9n_notification_port_notify(koito_root(note_b));
    }
    a9n_process_suspend(koito_root(c.process));
    report("notify_wait", samples + WARMUP, ITERATIONS, overhead);
    return true;
}

/* From the write that makes COM1 raise its interrupt to the user driver waking up: an
 * IO Port call, the interrupt, its delivery to a Notification Port, the wake-up. */
static bool bench_interrupt(void)
{
    enum { COM1 = 0x3f8, LINE = 4, IER = 1, MCR = 4, THR_EMPTY = 2, OUT2 = 8, MCR_KERNEL = 3 };
    unsigned uart = koito_slot(&pool), irq = koito_slot(&pool);
    unsigned n = koito_make(&pool, A9N_OBJECT_NOTIFICATION_PORT, 0);
    if (n == 0 || a9n_io_port_mint(koito_root(A9N_ROOT_SLOT_IO_PORT), COM1, COM1 + 7, ROOT, uart) ||
        a9n_interrupt_region_make_port(koito_root(A9N_ROOT_SLOT_INTERRUPT_REGION), LINE, ROOT,
                                       irq) ||
        a9n_interrupt_port_bind(koito_root(irq), koito_root(n)))
        return false;
    a9n_io_port_write(koito_root(uart), COM1 + MCR, 1, MCR_KERNEL | OUT2);
    enum { N = 2000, W = 100 };
    for (unsigned i = 0; i < W + N; i++) {
        a9n_word w;
        uint64_t t0 = tsc_begin();
        a9n_io_port_write(koito_root(uart), COM1 + IER, 1, THR_EMPTY);
        a9n_notification_port_wait(koito_root(n), &w);
        uint64_t t1 = tsc_end();
        samples[i] = t1 - t0;
        a9n_io_port_write(koito_root(uart), COM1 + IER, 1, 0);
        a9n_interrupt_port_ack(koito_root(irq));
    }
    a9n_io_port_write(koito_root(uart), COM1 + MCR, 1, MCR_KERNEL);
    report("interrupt_to_driver", samples + W, N, overhead);
    return true;
}

static _Noreturn void leave(bool success)
{
    koito_qemu_exit(koito_root(A9N_ROOT_SLOT_IO_PORT), success);
}

int main(void)
{
    boot = (const struct a9n_boot_info *)koito_start_argument;
    image = koito_image_of_boot(boot);
    printf("bench: A9N benchmarks, %u iterations after %u warm-up, net of timing overhead\n",
           ITERATIONS, WARMUP);
    /* The largest Generic goes whole to the latency rows' long operations (the largest
     * the memory allows); the next largest gives the pool for everything else. */
    unsigned best = 0, best_bits = 0, second = 0, second_bits = 0;
    for (unsigned i = 0; i < boot->generic_count; i++) {
        unsigned bits = boot->generics[i].bits_flags & A9N_BOOT_GENERIC_BITS_MASK;
        unsigned slot = (unsigned)boot->generic_first + i;
        if (boot->generics[i].bits_flags & A9N_BOOT_GENERIC_DEVICE)
            continue;
        if (bits > best_bits) {
            second = best, second_bits = best_bits;
            best = slot, best_bits = bits;
        } else if (bits > second_bits) {
            second = slot, second_bits = bits;
        }
    }
    unsigned pool_bits = second_bits < POOL_BITS_MAX ? second_bits : POOL_BITS_MAX;
    if (pool_bits < POOL_BITS_MIN ||
        a9n_generic_convert(koito_root(second), A9N_OBJECT_GENERIC, pool_bits, 1, ROOT,
                            POOL_SLOT) != A9N_SUCCESS) {
        printf("bench: no memory\n");
        leave(false);
    }
    bench_timing_overhead();
    bench_null_call();
    bench_yield();
    bool ok = bench_ipc("ipc_call_reply", client_register_only, 0, 1) &&
              bench_ipc("ipc_call_reply_full_buffer", client_full_buffer, KOITO_CHILD_IPC_BUFFER,
                        A9N_IPC_LENGTH_MAX) &&
              bench_ipc_one_capability() && bench_growth() && bench_notify_wait() &&
              bench_interrupt() &&
              bench_latency(&pool, &image, best, best_bits, samples,
                            sizeof samples / sizeof samples[0], overhead);
    printf("bench: done\n");
    leave(ok);
}
